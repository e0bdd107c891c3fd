/**
 * NVD CVE API 2.0 records and the evaluation of their `configurations` against one system.
 *
 * Evaluation uses four ordered levels so that uncertainty survives AND / OR / negate:
 * no < vendor-product < platform-conditional < exact. AND takes the lowest level of its operands, OR the highest;
 * negate swaps no and exact and leaves the uncertain levels as they are (NOT "maybe" is still "maybe").
 *
 * - A `vulnerable: true` criterion is matched against the system's own CPE ("system" role). Only such a match
 *   can be the finding (the witness); `vulnerable: false` criteria never are.
 * - A `vulnerable: false` criterion is a platform the vulnerable thing runs on or with; it is matched against
 *   `system.platforms` ("platform" role). In a configuration of several nodes, older NVD data also marks the
 *   platform `vulnerable: true`, so there a vulnerable criterion naming something other than the system itself
 *   may be satisfied by a platform as well.
 * - A platform criterion that no declared platform satisfies is unknown (platform-conditional) when the system
 *   declared no platform of that part (`o`, `h`, `a`), and false when it did: declaring any OS means the OS list
 *   is taken as complete.
 * - NISTIR 7696 is applied to every attribute. Where the system's attribute is ANY and the criterion's is a value,
 *   7696 says SUBSET (no match); here that is an unknown instead, so a system CPE with `target_hw` ANY is not
 *   silently cleared: for version the level drops to vendor-product, for the other attributes to
 *   platform-conditional, and the assumption is written to the trace. Part, vendor and product are never assumed.
 * - Version bounds apply only when the criterion's version is ANY; a bound that cannot be compared (see
 *   `version.ts`) drops the level to vendor-product instead of failing, with the reason in the trace.
 */
import { compareAttributeLowered, type Relation } from '../cpe/match.js';
import { normalizeName, normalizeVendor } from '../cpe/suggest.js';
import {
  ANY,
  CPE_ATTRIBUTES,
  type CpeAttribute,
  hasWildcards,
  NA,
  parseCpe,
  quoteWfnText,
  valueText,
  type Wfn,
  type WfnValue,
} from '../cpe/wfn.js';
import { compareParsedVersions, type ParsedVersion, parseVersion } from './version.js';

// ---------------------------------------------------------------------------------------------------------------
// NVD API 2.0 types (the fields Citywall reads; unknown fields are kept by the JSON but not typed).

export interface NvdLangString {
  lang: string;
  value: string;
}
export interface NvdCpeMatch {
  vulnerable: boolean;
  criteria: string;
  matchCriteriaId?: string;
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
}
export interface NvdNode {
  operator: 'AND' | 'OR';
  negate?: boolean;
  cpeMatch: NvdCpeMatch[];
}
export interface NvdConfiguration {
  operator?: 'AND' | 'OR';
  negate?: boolean;
  nodes: NvdNode[];
}
export interface NvdCvssV2Data {
  version: '2.0';
  vectorString: string;
  baseScore: number;
  accessVector?: string;
  accessComplexity?: string;
  authentication?: string;
  confidentialityImpact?: string;
  integrityImpact?: string;
  availabilityImpact?: string;
}
export interface NvdCvssV3Data {
  version: '3.0' | '3.1';
  vectorString: string;
  baseScore: number;
  baseSeverity: string;
  [k: string]: unknown;
}
export interface NvdCvssV4Data {
  version: '4.0';
  vectorString: string;
  baseScore: number;
  baseSeverity: string;
  [k: string]: unknown;
}
export interface NvdMetricEntry<D> {
  source: string;
  type: 'Primary' | 'Secondary' | string;
  cvssData: D;
  baseSeverity?: string;
  exploitabilityScore?: number;
  impactScore?: number;
  [k: string]: unknown;
}
export interface NvdMetrics {
  cvssMetricV2?: NvdMetricEntry<NvdCvssV2Data>[];
  cvssMetricV30?: NvdMetricEntry<NvdCvssV3Data>[];
  cvssMetricV31?: NvdMetricEntry<NvdCvssV3Data>[];
  cvssMetricV40?: NvdMetricEntry<NvdCvssV4Data>[];
}
export interface NvdWeakness {
  source: string;
  type: string;
  description: NvdLangString[];
}
export interface NvdReference {
  url: string;
  source?: string;
  tags?: string[];
}
export interface NvdCve {
  id: string;
  sourceIdentifier?: string;
  published: string;
  lastModified: string;
  vulnStatus: string;
  cveTags?: { sourceIdentifier: string; tags: string[] }[];
  descriptions: NvdLangString[];
  metrics?: NvdMetrics;
  weaknesses?: NvdWeakness[];
  configurations?: NvdConfiguration[];
  references?: NvdReference[];
  evaluatorComment?: string;
  evaluatorSolution?: string;
  evaluatorImpact?: string;
  cisaExploitAdd?: string;
  cisaActionDue?: string;
  cisaRequiredAction?: string;
  cisaVulnerabilityName?: string;
}
export interface NvdApiResponse {
  resultsPerPage: number;
  startIndex: number;
  totalResults: number;
  format: string;
  version: string;
  timestamp: string;
  vulnerabilities: { cve: NvdCve }[];
}

// ---------------------------------------------------------------------------------------------------------------
// Summary and metrics

export interface CveSummary {
  id: string;
  published: string;
  lastModified: string;
  vulnStatus: string;
  description: string;
  cwes: string[];
  references: NvdReference[];
  rejected: boolean;
}

export function cveSummary(cve: NvdCve): CveSummary {
  const descriptions = Array.isArray(cve.descriptions) ? cve.descriptions : [];
  const en = descriptions.find((d) => d.lang === 'en') ?? descriptions.find((d) => d.lang?.startsWith('en'));
  const description = en?.value ?? descriptions[0]?.value ?? '';
  const cwes = new Set<string>();
  for (const w of cve.weaknesses ?? []) {
    for (const d of w.description ?? []) if (/^CWE-\d+$/.test(d.value)) cwes.add(d.value);
  }
  return {
    id: cve.id,
    published: cve.published,
    lastModified: cve.lastModified,
    vulnStatus: cve.vulnStatus,
    description,
    cwes: [...cwes],
    references: (cve.references ?? []).map((r) => ({
      url: r.url,
      ...(r.source ? { source: r.source } : {}),
      ...(r.tags?.length ? { tags: [...r.tags] } : {}),
    })),
    // Before NVD had the status, withdrawn entries were marked only in the text.
    rejected: cve.vulnStatus === 'Rejected' || /^\*\* REJECT \*\*/.test(description),
  };
}

export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';
export interface CvssMetric {
  version: CvssVersion;
  source: string;
  type: string;
  vectorString: string;
  baseScore: number;
  baseSeverity: string;
  exploitabilityScore?: number;
  impactScore?: number;
}

const V2_SEVERITY = (s: number) => (s >= 7 ? 'HIGH' : s >= 4 ? 'MEDIUM' : 'LOW');

/**
 * All CVSS metrics of a CVE, plus `preferred`: the newest version, NVD's Primary entry before Secondary ones.
 * Scores are NVD's; rescore with `scoreCvss` where they must be checked.
 */
export function extractCvssMetrics(cve: NvdCve): { metrics: CvssMetric[]; preferred: CvssMetric | null } {
  const metrics: CvssMetric[] = [];
  const m = cve.metrics ?? {};
  const add = (
    version: CvssVersion,
    list: NvdMetricEntry<{ vectorString: string; baseScore: number }>[] = [],
  ) => {
    for (const e of list) {
      const d = e.cvssData as { vectorString: string; baseScore: number; baseSeverity?: string };
      if (!d || typeof d.vectorString !== 'string') continue;
      metrics.push({
        version,
        source: e.source,
        type: e.type,
        vectorString: d.vectorString,
        baseScore: d.baseScore,
        baseSeverity: d.baseSeverity ?? e.baseSeverity ?? V2_SEVERITY(d.baseScore),
        ...(e.exploitabilityScore !== undefined ? { exploitabilityScore: e.exploitabilityScore } : {}),
        ...(e.impactScore !== undefined ? { impactScore: e.impactScore } : {}),
      });
    }
  };
  add('4.0', m.cvssMetricV40);
  add('3.1', m.cvssMetricV31);
  add('3.0', m.cvssMetricV30);
  add('2.0', m.cvssMetricV2);
  const order: CvssVersion[] = ['4.0', '3.1', '3.0', '2.0'];
  let preferred: CvssMetric | null = null;
  for (const v of order) {
    const ofV = metrics.filter((x) => x.version === v);
    if (ofV.length) {
      preferred = ofV.find((x) => x.type === 'Primary') ?? ofV[0];
      break;
    }
  }
  return { metrics, preferred };
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation

export type Confidence = 'exact' | 'platform-conditional' | 'vendor-product';
type Level = 0 | 1 | 2 | 3;
const NO: Level = 0;
const VP: Level = 1;
const COND: Level = 2;
const EXACT: Level = 3;
const LEVEL_NAME: Record<Level, Confidence | 'no'> = {
  0: 'no',
  1: 'vendor-product',
  2: 'platform-conditional',
  3: 'exact',
};

export type BoundKind =
  | 'versionStartIncluding'
  | 'versionStartExcluding'
  | 'versionEndIncluding'
  | 'versionEndExcluding';
const BOUND_KINDS: BoundKind[] = [
  'versionStartIncluding',
  'versionStartExcluding',
  'versionEndIncluding',
  'versionEndExcluding',
];

interface CompiledBound {
  kind: BoundKind;
  value: string;
  parsed: ParsedVersion;
}

export interface CompiledCriterion {
  index: number;
  criteria: string;
  matchCriteriaId?: string;
  vulnerable: boolean;
  /** Lowercased WFN; null when the criterion string does not parse (it then never matches). */
  wfn: Wfn | null;
  /** Version of the criterion parsed once, when it is a plain value. */
  version: ParsedVersion | null;
  bounds: CompiledBound[];
  /** Whether any attribute has a wildcard (then the full NISTIR 7696 comparison runs). */
  wild: boolean;
  vendorLoose: string;
  productLoose: string;
  error?: string;
}
export interface CompiledNode {
  index: number;
  operator: 'AND' | 'OR';
  negate: boolean;
  criteria: CompiledCriterion[];
}
export interface CompiledConfiguration {
  index: number;
  operator: 'AND' | 'OR';
  negate: boolean;
  nodes: CompiledNode[];
}
export interface CompiledConfigurations {
  readonly compiled: true;
  configurations: CompiledConfiguration[];
  /** vendor:product keys of the vulnerable criteria (see `cpeKeysOfCve`). */
  keys: string[];
  /** Criteria that could not be parsed, with the reason. */
  errors: string[];
}

function lowerWfn(w: Wfn): Wfn {
  const out = {} as Wfn;
  for (const a of CPE_ATTRIBUTES) {
    const v = w[a];
    out[a] = typeof v === 'string' ? v.toLowerCase() : v;
  }
  return out;
}

/** Letters and digits only: "Open SSL", "open_ssl" and "openssl" share one loose key. */
function loose(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function wfnHasWildcards(w: Wfn): boolean {
  for (const a of CPE_ATTRIBUTES) if (hasWildcards(w[a])) return true;
  return false;
}

function keyPart(v: WfnValue): string {
  if (typeof v !== 'string') return '*';
  if (/(^|[^\\])[*?]/.test(v)) return '*';
  return valueText(v).toLowerCase();
}

// NVD repeats the same criteria and bounds across thousands of CVEs; parsing each distinct string once keeps
// compiling a full feed fast. Bounded so a long-running server does not grow without limit.
const CACHE_LIMIT = 300_000;
const wfnCache = new Map<string, Wfn | string>();
const versionCache = new Map<string, ParsedVersion>();

function cachedWfn(criteria: string): Wfn {
  let w = wfnCache.get(criteria);
  if (w === undefined) {
    try {
      w = lowerWfn(parseCpe(criteria));
    } catch (e) {
      w = (e as Error).message;
    }
    if (wfnCache.size >= CACHE_LIMIT) wfnCache.clear();
    wfnCache.set(criteria, w);
  }
  if (typeof w === 'string') throw new Error(w);
  return w;
}

function cachedVersion(v: string): ParsedVersion {
  let p = versionCache.get(v);
  if (!p) {
    p = parseVersion(v);
    if (versionCache.size >= CACHE_LIMIT) versionCache.clear();
    versionCache.set(v, p);
  }
  return p;
}

/** Pre-parses every criterion once; the per-system evaluation then does no string parsing. */
export function compileConfigurations(
  configs: NvdConfiguration[] | undefined | null,
): CompiledConfigurations {
  const errors: string[] = [];
  const keys = new Set<string>();
  const configurations: CompiledConfiguration[] = (configs ?? []).map((cfg, ci) => ({
    index: ci,
    operator: cfg.operator === 'AND' ? 'AND' : 'OR',
    negate: cfg.negate === true,
    nodes: (cfg.nodes ?? []).map((node, ni) => ({
      index: ni,
      operator: node.operator === 'AND' ? 'AND' : 'OR',
      negate: node.negate === true,
      criteria: (node.cpeMatch ?? []).map((m, mi) => {
        let wfn: Wfn | null = null;
        let error: string | undefined;
        try {
          wfn = cachedWfn(m.criteria);
        } catch (e) {
          error = (e as Error).message;
          errors.push(`configuration ${ci} node ${ni} cpeMatch ${mi}: ${error}`);
        }
        const bounds: CompiledBound[] = [];
        for (const kind of BOUND_KINDS) {
          const value = m[kind];
          if (typeof value === 'string' && value !== '')
            bounds.push({ kind, value, parsed: cachedVersion(value) });
        }
        if (wfn && m.vulnerable) keys.add(`${keyPart(wfn.vendor)}:${keyPart(wfn.product)}`);
        const v = wfn?.version;
        return {
          index: mi,
          criteria: m.criteria,
          ...(m.matchCriteriaId ? { matchCriteriaId: m.matchCriteriaId } : {}),
          vulnerable: m.vulnerable === true,
          wfn,
          version: typeof v === 'string' && !hasWildcards(v) ? cachedVersion(valueText(v)) : null,
          bounds,
          wild: wfn ? wfnHasWildcards(wfn) : false,
          vendorLoose: wfn ? loose(valueText(wfn.vendor)) : '',
          productLoose: wfn ? loose(valueText(wfn.product)) : '',
          ...(error ? { error } : {}),
        };
      }),
    })),
  }));
  return { compiled: true, configurations, keys: [...keys].sort(), errors };
}

/**
 * The `vendor:product` keys (lowercase, unescaped) of the vulnerable criteria of a CVE: a system can only match
 * when its own key, `vendor:*`, `*:product` or `*:*` is among them (see `systemCandidateKeys`).
 */
export function cpeKeysOfCve(cve: Pick<NvdCve, 'configurations'> | CompiledConfigurations): string[] {
  if ('compiled' in cve) return cve.keys;
  return compileConfigurations(cve.configurations).keys;
}

/** Loose keys (letters and digits only) of the vulnerable criteria, for systems known only by vendor/product text. */
export function looseKeysOfCve(cve: Pick<NvdCve, 'configurations'> | CompiledConfigurations): string[] {
  const compiled = 'compiled' in cve ? cve : compileConfigurations(cve.configurations);
  const keys = new Set<string>();
  for (const c of compiled.configurations) {
    for (const n of c.nodes) {
      for (const m of n.criteria) if (m.vulnerable && m.wfn) keys.add(`${m.vendorLoose}:${m.productLoose}`);
    }
  }
  return [...keys].sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Systems

export interface SystemDescriptor {
  /** CPE 2.3 formatted string (or 2.2 URI) of the system itself. */
  cpe?: string;
  /** CPEs of what the system runs on or with: OS, hardware, runtime. */
  platforms?: string[];
  /** Free text, used when there is no CPE. */
  vendor?: string;
  product?: string;
  version?: string;
}

interface CompiledPlatform {
  cpe: string;
  wfn: Wfn;
  wild: boolean;
  version: ParsedVersion | null;
}

export interface CompiledSystem {
  readonly compiledSystem: true;
  mode: 'cpe' | 'vendor-product' | 'none';
  cpe: string | null;
  wfn: Wfn | null;
  wild: boolean;
  version: ParsedVersion | null;
  versionText: string | null;
  vendorLoose: string;
  productLoose: string;
  platforms: CompiledPlatform[];
  platformParts: Set<string>;
  errors: string[];
}

function versionOf(w: Wfn): ParsedVersion | null {
  const v = w.version;
  return typeof v === 'string' ? parseVersion(valueText(v)) : null;
}

/** Parses a system's CPEs once. Bad CPEs are reported in `errors`, not thrown. */
export function compileSystem(system: SystemDescriptor): CompiledSystem {
  const errors: string[] = [];
  let wfn: Wfn | null = null;
  if (system.cpe) {
    try {
      wfn = lowerWfn(parseCpe(system.cpe));
    } catch (e) {
      errors.push(`system cpe: ${(e as Error).message}`);
    }
  }
  const platforms: CompiledPlatform[] = [];
  const platformParts = new Set<string>();
  for (const p of system.platforms ?? []) {
    try {
      const pw = lowerWfn(parseCpe(p));
      platforms.push({ cpe: p, wfn: pw, wild: wfnHasWildcards(pw), version: versionOf(pw) });
      if (typeof pw.part === 'string') platformParts.add(pw.part);
    } catch (e) {
      errors.push(`platform ${p}: ${(e as Error).message}`);
    }
  }
  let mode: CompiledSystem['mode'] = 'none';
  let version: ParsedVersion | null = null;
  let versionText: string | null = null;
  let vendorLoose = '';
  let productLoose = '';
  if (wfn) {
    mode = 'cpe';
    version = versionOf(wfn);
    versionText = typeof wfn.version === 'string' ? valueText(wfn.version) : null;
  } else if (system.vendor && system.product) {
    mode = 'vendor-product';
    const vendor = normalizeVendor(system.vendor);
    let product = normalizeName(system.product);
    if (product.startsWith(`${vendor}_`)) product = product.slice(vendor.length + 1);
    vendorLoose = loose(vendor);
    productLoose = loose(product);
    const vt = system.version?.trim();
    if (vt) {
      versionText = vt;
      version = parseVersion(vt);
      wfn = { ...makeAnyWfn(), version: quoteWfnText(vt).toLowerCase() };
    }
  }
  return {
    compiledSystem: true,
    mode,
    cpe: system.cpe ?? null,
    wfn,
    wild: wfn ? wfnHasWildcards(wfn) : false,
    version,
    versionText,
    vendorLoose,
    productLoose,
    platforms,
    platformParts,
    errors,
  };
}

function makeAnyWfn(): Wfn {
  const w = {} as Wfn;
  for (const a of CPE_ATTRIBUTES) w[a] = ANY;
  return w;
}

/** Keys to look up in a `cpeKeysOfCve` index for this system (exact keys for CPE systems, loose otherwise). */
export function systemCandidateKeys(system: SystemDescriptor | CompiledSystem): string[] {
  const s = 'compiledSystem' in system ? system : compileSystem(system);
  if (s.mode === 'vendor-product') return [`${s.vendorLoose}:${s.productLoose}`];
  if (s.mode !== 'cpe' || !s.wfn) return [];
  const v = keyPart(s.wfn.vendor);
  const p = keyPart(s.wfn.product);
  return [...new Set([`${v}:${p}`, `${v}:*`, `*:${p}`, '*:*'])];
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

export interface BoundTrace {
  bound: BoundKind;
  value: string;
  /** The system (or platform) version it was compared with. */
  version: string | null;
  /** compareVersions(version, value). */
  comparison: -1 | 0 | 1 | null;
  satisfied: boolean | null;
  reason?: string;
}

export interface CriterionTrace {
  configuration: number;
  node: number;
  cpeMatch: number;
  criteria: string;
  matchCriteriaId?: string;
  vulnerable: boolean;
  role: 'system' | 'platform';
  /** The CPE (system or platform) that satisfied the criterion, if one did. */
  matchedCpe: string | null;
  result: Confidence | 'no';
  /** Per attribute: the NISTIR 7696 relation of criterion to matched CPE. */
  relations: Partial<Record<CpeAttribute, Relation>>;
  versionBounds: BoundTrace[];
  assumptions: string[];
  notes: string[];
}

export interface NodeTrace {
  node: number;
  operator: 'AND' | 'OR';
  negate: boolean;
  result: Confidence | 'no';
}

export interface MatchTrace {
  configuration: number;
  operator: 'AND' | 'OR';
  negate: boolean;
  nodes: NodeTrace[];
  /** Every criterion of the configuration that was satisfied (fully or conditionally), and unmet platform needs. */
  criteria: CriterionTrace[];
}

export interface Match {
  confidence: Confidence;
  configurationIndex: number;
  /** The vulnerable criterion that matched the system itself: the finding's reason. */
  witness: CriterionTrace;
  trace: MatchTrace;
  /** Other configurations that matched too, with their confidence. */
  alsoMatched: { configuration: number; confidence: Confidence }[];
}

const IDENTITY = ['part', 'vendor', 'product'] as const;
const ASSUMABLE_OTHER: CpeAttribute[] = [
  'update',
  'edition',
  'language',
  'sw_edition',
  'target_sw',
  'target_hw',
  'other',
];

// Module-local copies: bundlers and test runners turn imported bindings into property reads, which shows up
// on the per-criterion path.
const ANY_V: WfnValue = ANY;
const NA_V: WfnValue = NA;

/**
 * NISTIR 7696 relation with a shortcut for the common case of no wildcards on either side, where string
 * identity (values are lowercased at compile time) decides; same results as compareAttributeLowered.
 */
function relation(cv: WfnValue, tv: WfnValue, slow: boolean): Relation {
  if (slow) return compareAttributeLowered(cv, tv);
  if (cv === tv) return 'EQUAL';
  if (cv === ANY_V) return 'SUPERSET';
  if (tv === ANY_V) return 'SUBSET';
  return 'DISJOINT';
}

function boundSatisfied(kind: BoundKind, r: -1 | 0 | 1): boolean {
  switch (kind) {
    case 'versionStartIncluding':
      return r >= 0;
    case 'versionStartExcluding':
      return r > 0;
    case 'versionEndIncluding':
      return r <= 0;
    case 'versionEndExcluding':
      return r < 0;
  }
}

/**
 * Matches one criterion against one CPE (the system's or a platform's). Returns the level; fills `t` when given.
 * Version goes before the other attributes because it is what rules out most criteria of a candidate CVE.
 */
function matchCpe(
  c: CompiledCriterion,
  target: Wfn,
  targetVersion: ParsedVersion | null,
  targetWild: boolean,
  role: 'system' | 'platform',
  t: CriterionTrace | null,
): Level {
  const cw = c.wfn as Wfn;
  const slow = targetWild || c.wild;
  let level: Level = EXACT;
  // Identity attributes: strict NISTIR 7696 (⊇ or =). A system part of ANY is the one allowed unknown.
  for (let i = 0; i < IDENTITY.length; i++) {
    const a = IDENTITY[i];
    const r = relation(cw[a], target[a], slow);
    if (t) t.relations[a] = r;
    if (r === 'SUPERSET' || r === 'EQUAL') continue;
    if (a === 'part' && target.part === ANY_V) {
      if (t) t.assumptions.push(`part of ${role} is ANY; criterion needs "${valueText(cw.part)}"`);
      level = COND;
      continue;
    }
    return NO;
  }
  const vLevel = matchVersion(c, target, targetVersion, slow, role, t);
  if (vLevel === NO) return NO;
  if (vLevel < level) level = vLevel;
  for (let i = 0; i < ASSUMABLE_OTHER.length; i++) {
    const a = ASSUMABLE_OTHER[i];
    const cv = cw[a];
    if (cv === ANY_V && !slow) continue;
    const r = relation(cv, target[a], slow);
    if (t && r !== 'SUPERSET') t.relations[a] = r;
    if (r === 'SUPERSET' || r === 'EQUAL') continue;
    if (r === 'SUBSET' || r === 'UNDEFINED') {
      if (t)
        t.assumptions.push(`${a} of ${role} is ${valueText(target[a])}; criterion needs "${valueText(cv)}"`);
      if (level > COND) level = COND;
      continue;
    }
    return NO;
  }
  return level;
}

function matchVersion(
  c: CompiledCriterion,
  target: Wfn,
  targetVersion: ParsedVersion | null,
  slow: boolean,
  role: 'system' | 'platform',
  t: CriterionTrace | null,
): Level {
  const cv = (c.wfn as Wfn).version;
  const uncertain: Level = role === 'system' ? VP : COND;
  if (cv === ANY_V) {
    if (c.bounds.length === 0) return EXACT;
    if (!targetVersion || target.version === ANY_V || target.version === NA_V) {
      if (t) {
        t.assumptions.push(
          `version of ${role} is ${target.version === NA_V ? '-' : 'unknown'}; criterion has a version range`,
        );
        for (const b of c.bounds) {
          t.versionBounds.push({
            bound: b.kind,
            value: b.value,
            version: null,
            comparison: null,
            satisfied: null,
          });
        }
      }
      return target.version === NA_V ? NO : uncertain;
    }
    let unsure = false;
    for (const b of c.bounds) {
      const cmp = compareParsedVersions(targetVersion, b.parsed, t !== null);
      const ok = cmp.result === null ? null : boundSatisfied(b.kind, cmp.result);
      if (t) {
        t.versionBounds.push({
          bound: b.kind,
          value: b.value,
          version: targetVersion.raw,
          comparison: cmp.result,
          satisfied: ok,
          ...(cmp.reason ? { reason: cmp.reason } : {}),
        });
      }
      if (ok === false) return NO;
      if (ok === null) unsure = true;
    }
    if (unsure) {
      if (t) t.notes.push('a version bound could not be compared');
      return uncertain;
    }
    return EXACT;
  }
  const r = relation(cv, target.version, slow);
  if (t) t.relations.version = r;
  if (r === 'SUPERSET' || r === 'EQUAL') return EXACT;
  if (r === 'SUBSET' || r === 'UNDEFINED') {
    if (target.version === NA_V) return NO;
    if (t)
      t.assumptions.push(
        `version of ${role} is ${valueText(target.version)}; criterion needs "${valueText(cv)}"`,
      );
    return uncertain;
  }
  // Text differs; "v2.0" and "2.00" still name the same version.
  if (c.version?.key && targetVersion?.key === c.version.key && typeof target.version === 'string') {
    if (t) t.notes.push(`version "${targetVersion.raw}" equals "${valueText(cv)}" by version comparison`);
    return EXACT;
  }
  return NO;
}

function newTrace(ci: number, ni: number, c: CompiledCriterion, role: 'system' | 'platform'): CriterionTrace {
  return {
    configuration: ci,
    node: ni,
    cpeMatch: c.index,
    criteria: c.criteria,
    ...(c.matchCriteriaId ? { matchCriteriaId: c.matchCriteriaId } : {}),
    vulnerable: c.vulnerable,
    role,
    matchedCpe: null,
    result: 'no',
    relations: {},
    versionBounds: [],
    assumptions: [],
    notes: [],
  };
}

interface EvalCtx {
  sys: CompiledSystem;
  traces: CriterionTrace[] | null;
}

function evalSelf(c: CompiledCriterion, ctx: EvalCtx, ci: number, ni: number): Level {
  const sys = ctx.sys;
  if (!c.wfn || !c.vulnerable) return NO;
  if (sys.mode === 'cpe' && sys.wfn) {
    if (!ctx.traces) return matchCpe(c, sys.wfn, sys.version, sys.wild, 'system', null);
    const t = newTrace(ci, ni, c, 'system');
    const level = matchCpe(c, sys.wfn, sys.version, sys.wild, 'system', t);
    if (level > NO) {
      t.result = LEVEL_NAME[level];
      t.matchedCpe = sys.cpe;
      ctx.traces.push(t);
    }
    return level;
  }
  if (sys.mode === 'vendor-product') {
    if (c.vendorLoose !== sys.vendorLoose || c.productLoose !== sys.productLoose) return NO;
    const target = sys.wfn ?? makeAnyWfn();
    const t = ctx.traces ? newTrace(ci, ni, c, 'system') : null;
    // Only version is checked; the other attributes are unknown for a system without a CPE.
    const onlyVersion = { ...makeAnyWfn(), part: c.wfn.part, vendor: c.wfn.vendor, product: c.wfn.product };
    const cv: CompiledCriterion = { ...c, wfn: { ...onlyVersion, version: c.wfn.version } };
    const level = matchCpe(
      cv,
      { ...onlyVersion, version: target.version },
      sys.version,
      sys.wild,
      'system',
      t,
    );
    if (level === NO) return NO;
    if (t && ctx.traces) {
      t.result = 'vendor-product';
      t.notes.push('matched on vendor/product text (no CPE for the system)');
      ctx.traces.push(t);
    }
    return VP;
  }
  return NO;
}

function evalPlatform(c: CompiledCriterion, ctx: EvalCtx, ci: number, ni: number): Level {
  if (!c.wfn) return NO;
  const sys = ctx.sys;
  let best: Level = NO;
  let bestTrace: CriterionTrace | null = null;
  for (const p of sys.platforms) {
    const t = ctx.traces ? newTrace(ci, ni, c, 'platform') : null;
    const level = matchCpe(c, p.wfn, p.version, p.wild, 'platform', t);
    if (level > best) {
      best = level;
      if (t) {
        t.matchedCpe = p.cpe;
        bestTrace = t;
      }
      if (best === EXACT) break;
    }
  }
  if (best === NO) {
    const part = c.wfn.part;
    const declared = typeof part === 'string' ? sys.platformParts.has(part) : sys.platforms.length > 0;
    if (!declared) {
      best = COND;
      if (ctx.traces) {
        bestTrace = newTrace(ci, ni, c, 'platform');
        bestTrace.notes.push(
          sys.platforms.length === 0
            ? 'the system declares no platforms; this one is assumed possible'
            : `the system declares no platform of part "${valueText(part)}"; this one is assumed possible`,
        );
      }
    }
  }
  if (bestTrace && ctx.traces) {
    bestTrace.result = LEVEL_NAME[best];
    ctx.traces.push(bestTrace);
  }
  return best;
}

function describesSystem(c: CompiledCriterion, sys: CompiledSystem): boolean {
  if (!c.wfn) return false;
  if (sys.mode === 'vendor-product')
    return c.vendorLoose === sys.vendorLoose && c.productLoose === sys.productLoose;
  if (!sys.wfn) return false;
  for (const a of ['part', 'vendor', 'product'] as const) {
    const r = compareAttributeLowered(c.wfn[a], sys.wfn[a]);
    if (r !== 'SUPERSET' && r !== 'EQUAL') return false;
  }
  return true;
}

function negateLevel(l: Level): Level {
  return l === EXACT ? NO : l === NO ? EXACT : l;
}

interface ConfigResult {
  value: Level;
  witness: Level;
}

function evalConfiguration(
  cfg: CompiledConfiguration,
  ctx: EvalCtx,
  nodeTraces: NodeTrace[] | null,
): ConfigResult {
  if (cfg.nodes.length === 0) return { value: NO, witness: NO };
  const multi = cfg.nodes.length > 1;
  let value: Level = cfg.operator === 'AND' ? EXACT : NO;
  let witness: Level = NO;
  for (const node of cfg.nodes) {
    let nodeValue: Level = node.operator === 'AND' ? EXACT : NO;
    let nodeSelf: Level = NO;
    for (const c of node.criteria) {
      let l: Level = NO;
      if (c.vulnerable) {
        const self = evalSelf(c, ctx, cfg.index, node.index);
        if (self > nodeSelf) nodeSelf = self;
        l = self;
        // The platform reading is for criteria naming something else than the system; for the system's own
        // product its own facts decide (otherwise "all versions but 2.0" would turn uncertain for 2.0).
        if (multi && l === NO && !describesSystem(c, ctx.sys)) {
          l = evalPlatform(c, ctx, cfg.index, node.index);
        }
      } else {
        l = evalPlatform(c, ctx, cfg.index, node.index);
      }
      nodeValue = (node.operator === 'AND' ? Math.min(nodeValue, l) : Math.max(nodeValue, l)) as Level;
      // Short-circuit only without tracing (the trace lists every satisfied criterion), and never before the
      // node's best self match is known, since that is what makes a finding.
      if (ctx.traces) continue;
      if (node.operator === 'AND' ? nodeValue === NO : nodeValue === EXACT && nodeSelf === EXACT) break;
    }
    if (node.criteria.length === 0) nodeValue = NO;
    if (node.negate) nodeValue = negateLevel(nodeValue);
    // Only a satisfied node whose polarity is positive can hold the finding.
    if (node.negate === cfg.negate && nodeValue > NO) {
      witness = Math.max(witness, Math.min(nodeSelf, nodeValue)) as Level;
    }
    if (nodeTraces) {
      nodeTraces.push({
        node: node.index,
        operator: node.operator,
        negate: node.negate,
        result: LEVEL_NAME[nodeValue],
      });
    }
    value = (cfg.operator === 'AND' ? Math.min(value, nodeValue) : Math.max(value, nodeValue)) as Level;
    if (!ctx.traces && cfg.operator === 'AND' && value === NO) break;
  }
  if (cfg.negate) value = negateLevel(value);
  return { value, witness };
}

/**
 * Evaluates a CVE's configurations against a system. Returns null when nothing applies, otherwise the best
 * match (highest confidence; first configuration on a tie) with its trace. Pass compiled forms for speed.
 */
export function evaluateConfigurations(
  configs: NvdConfiguration[] | CompiledConfigurations | undefined | null,
  system: SystemDescriptor | CompiledSystem,
): Match | null {
  const compiled =
    configs && 'compiled' in configs ? configs : compileConfigurations(configs as NvdConfiguration[]);
  const sys = 'compiledSystem' in system ? system : compileSystem(system);
  if (sys.mode === 'none') return null;
  const fast: EvalCtx = { sys, traces: null };
  let bestIndex = -1;
  let bestLevel: Level = NO;
  const matched: { configuration: number; confidence: Confidence }[] = [];
  for (const cfg of compiled.configurations) {
    const r = evalConfiguration(cfg, fast, null);
    const level = Math.min(r.value, r.witness) as Level;
    if (level === NO) continue;
    matched.push({ configuration: cfg.index, confidence: LEVEL_NAME[level] as Confidence });
    if (level > bestLevel) {
      bestLevel = level;
      bestIndex = cfg.index;
    }
  }
  if (bestIndex < 0) return null;
  const cfg = compiled.configurations[bestIndex];
  const traces: CriterionTrace[] = [];
  const nodes: NodeTrace[] = [];
  evalConfiguration(cfg, { sys, traces }, nodes);
  const confidence = LEVEL_NAME[bestLevel] as Confidence;
  // The witness: a vulnerable criterion matched by the system itself in a positive node, best level first.
  const holding = new Set(
    nodes.filter((n) => n.negate === cfg.negate && n.result !== 'no').map((n) => n.node),
  );
  const rank = (t: CriterionTrace) =>
    t.result === 'exact' ? 3 : t.result === 'platform-conditional' ? 2 : 1;
  const witness = traces
    .filter((t) => t.role === 'system' && t.vulnerable && holding.has(t.node))
    .sort((a, b) => rank(b) - rank(a))[0];
  return {
    confidence,
    configurationIndex: bestIndex,
    witness,
    trace: { configuration: bestIndex, operator: cfg.operator, negate: cfg.negate, nodes, criteria: traces },
    alsoMatched: matched.filter((m) => m.configuration !== bestIndex),
  };
}

/**
 * Matching for a system known only by vendor / product / version text: vendor and product must equal the
 * criterion's after normalisation (case, punctuation, corporate suffixes), the version is checked as usual, and
 * the confidence is at most vendor-product.
 */
export function vendorProductOnly(
  configs: NvdConfiguration[] | CompiledConfigurations | undefined | null,
  system: { vendor: string; product: string; version?: string; platforms?: string[] },
): Match | null {
  return evaluateConfigurations(configs, compileSystem({ ...system, cpe: undefined }));
}
