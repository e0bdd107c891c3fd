/**
 * CSAF 2.0 helpers: flatten the product tree, read vulnerabilities with their product status, flags
 * (VEX justifications) and remediations, and match advisory products to a city's systems where no CPE is given.
 */
import { cpeMatches } from '../cpe/match.js';
import { normalizeName, normalizeVendor } from '../cpe/suggest.js';
import { compareVersions, explainVersionCompare } from './version.js';

export class CsafError extends Error {
  override readonly name = 'CsafError';
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

export interface CsafIssue {
  path: string;
  message: string;
}

export interface CsafHelper {
  cpe?: string;
  purl?: string;
  model_numbers?: string[];
  sku?: string[];
  serial_numbers?: string[];
  [k: string]: unknown;
}

export interface CsafProduct {
  productId: string;
  name: string;
  vendor?: string;
  productFamily?: string;
  productName?: string;
  productVersion?: string;
  productVersionRange?: string;
  architecture?: string;
  platform?: string;
  servicePack?: string;
  patchLevel?: string;
  /** Model numbers from the identification helper. */
  models: string[];
  helper?: CsafHelper;
  /** The branch path down to the product (vendor → product_name → product_version …). */
  path: { category: string; name: string }[];
  source: 'branch' | 'full_product_name' | 'relationship';
  /** For relationship products: the component and the product it is installed on / part of. */
  relationship?: { category: string; productReference: string; relatesToProductReference: string };
}

const BRANCH_CATEGORIES = new Set([
  'architecture',
  'host_name',
  'language',
  'legacy',
  'patch_level',
  'platform',
  'product_family',
  'product_name',
  'product_version',
  'product_version_range',
  'service_pack',
  'specification',
  'vendor',
]);
const RELATIONSHIP_CATEGORIES = new Set([
  'default_component_of',
  'external_component_of',
  'installed_on',
  'installed_with',
  'optional_component_of',
]);
const MAX_DEPTH = 30;

const isObj = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

function readHelper(p: Record<string, unknown>): CsafHelper | undefined {
  const h = p.product_identification_helper;
  return isObj(h) ? (h as CsafHelper) : undefined;
}

function modelsOf(h: CsafHelper | undefined): string[] {
  return Array.isArray(h?.model_numbers)
    ? h.model_numbers.filter((m): m is string => typeof m === 'string')
    : [];
}

function applyPath(prod: CsafProduct, path: { category: string; name: string }[]) {
  for (const { category, name } of path) {
    if (category === 'vendor') prod.vendor = name;
    else if (category === 'product_family') prod.productFamily = name;
    else if (category === 'product_name') prod.productName = name;
    else if (category === 'product_version') prod.productVersion = name;
    else if (category === 'product_version_range') prod.productVersionRange = name;
    else if (category === 'architecture') prod.architecture = name;
    else if (category === 'platform') prod.platform = name;
    else if (category === 'service_pack') prod.servicePack = name;
    else if (category === 'patch_level') prod.patchLevel = name;
  }
}

/**
 * Flattens `product_tree`: every branch leaf, every full_product_name and every relationship becomes one product
 * with its vendor / name / version / model. A broken tree (branch without name or category, branch with both or
 * neither of `branches` and `product`, duplicate product ids, relationships to unknown ids) is reported in
 * `errors`; what can be read is still returned. Throws CsafError only when the input is not a document object.
 */
export function flattenProductTree(doc: unknown): { products: CsafProduct[]; errors: CsafIssue[] } {
  if (!isObj(doc)) throw new CsafError('CSAF document must be a JSON object');
  const errors: CsafIssue[] = [];
  const products: CsafProduct[] = [];
  const byId = new Map<string, CsafProduct>();
  const tree = doc.product_tree;
  if (tree === undefined) return { products, errors: [{ path: 'product_tree', message: 'no product_tree' }] };
  if (!isObj(tree))
    return { products, errors: [{ path: 'product_tree', message: 'product_tree is not an object' }] };

  const addProduct = (p: CsafProduct, path: string) => {
    if (byId.has(p.productId)) {
      errors.push({ path, message: `duplicate product_id "${p.productId}"` });
      return;
    }
    byId.set(p.productId, p);
    products.push(p);
  };
  const readFpn = (x: unknown, path: string): { id: string; name: string; helper?: CsafHelper } | null => {
    if (!isObj(x)) {
      errors.push({ path, message: 'product is not an object' });
      return null;
    }
    if (typeof x.product_id !== 'string' || x.product_id === '') {
      errors.push({ path: `${path}.product_id`, message: 'product_id is missing' });
      return null;
    }
    if (typeof x.name !== 'string' || x.name === '') {
      errors.push({ path: `${path}.name`, message: `product "${x.product_id}" has no name` });
      return null;
    }
    return { id: x.product_id, name: x.name, helper: readHelper(x) };
  };

  const walk = (branches: unknown, trail: { category: string; name: string }[], path: string) => {
    if (!Array.isArray(branches)) {
      errors.push({ path, message: 'branches is not an array' });
      return;
    }
    if (trail.length >= MAX_DEPTH) {
      errors.push({ path, message: `branches nest deeper than ${MAX_DEPTH} levels` });
      return;
    }
    branches.forEach((b, i) => {
      const here = `${path}[${i}]`;
      if (!isObj(b)) {
        errors.push({ path: here, message: 'branch is not an object' });
        return;
      }
      if (typeof b.category !== 'string' || !BRANCH_CATEGORIES.has(b.category)) {
        errors.push({
          path: `${here}.category`,
          message: `unknown or missing branch category ${JSON.stringify(b.category)}`,
        });
        return;
      }
      if (typeof b.name !== 'string' || b.name === '') {
        errors.push({ path: `${here}.name`, message: `branch of category ${b.category} has no name` });
        return;
      }
      const next = [...trail, { category: b.category, name: b.name }];
      const hasBranches = b.branches !== undefined;
      const hasProduct = b.product !== undefined;
      if (hasBranches === hasProduct) {
        errors.push({
          path: here,
          message: hasBranches
            ? 'branch has both branches and product'
            : 'branch has neither branches nor product',
        });
        if (!hasBranches) return;
      }
      if (hasProduct) {
        const f = readFpn(b.product, `${here}.product`);
        if (f) {
          const prod: CsafProduct = {
            productId: f.id,
            name: f.name,
            models: modelsOf(f.helper),
            ...(f.helper ? { helper: f.helper } : {}),
            path: next,
            source: 'branch',
          };
          applyPath(prod, next);
          addProduct(prod, `${here}.product`);
        }
      }
      if (hasBranches) walk(b.branches, next, `${here}.branches`);
    });
  };
  if (tree.branches !== undefined) walk(tree.branches, [], 'product_tree.branches');

  if (tree.full_product_names !== undefined) {
    if (!Array.isArray(tree.full_product_names)) {
      errors.push({ path: 'product_tree.full_product_names', message: 'not an array' });
    } else {
      tree.full_product_names.forEach((x, i) => {
        const path = `product_tree.full_product_names[${i}]`;
        const f = readFpn(x, path);
        if (!f) return;
        addProduct(
          {
            productId: f.id,
            name: f.name,
            models: modelsOf(f.helper),
            ...(f.helper ? { helper: f.helper } : {}),
            path: [],
            source: 'full_product_name',
          },
          path,
        );
      });
    }
  }

  if (tree.relationships !== undefined) {
    if (!Array.isArray(tree.relationships)) {
      errors.push({ path: 'product_tree.relationships', message: 'not an array' });
    } else {
      tree.relationships.forEach((r, i) => {
        const path = `product_tree.relationships[${i}]`;
        if (!isObj(r)) {
          errors.push({ path, message: 'relationship is not an object' });
          return;
        }
        if (typeof r.category !== 'string' || !RELATIONSHIP_CATEGORIES.has(r.category)) {
          errors.push({
            path: `${path}.category`,
            message: `unknown relationship category ${JSON.stringify(r.category)}`,
          });
          return;
        }
        const ref = r.product_reference;
        const rel = r.relates_to_product_reference;
        for (const [k, v] of [
          ['product_reference', ref],
          ['relates_to_product_reference', rel],
        ] as const) {
          if (typeof v !== 'string' || !byId.has(v)) {
            errors.push({
              path: `${path}.${k}`,
              message: `refers to unknown product_id ${JSON.stringify(v)}`,
            });
          }
        }
        const f = readFpn(r.full_product_name, `${path}.full_product_name`);
        if (!f || typeof ref !== 'string' || typeof rel !== 'string') return;
        const component = byId.get(ref);
        const platform = byId.get(rel);
        const prod: CsafProduct = {
          productId: f.id,
          name: f.name,
          models: [...(component?.models ?? []), ...modelsOf(f.helper)],
          ...(f.helper || component?.helper ? { helper: f.helper ?? component?.helper } : {}),
          path: component?.path ?? [],
          source: 'relationship',
          relationship: { category: r.category, productReference: ref, relatesToProductReference: rel },
        };
        if (component) applyPath(prod, component.path);
        if (platform) prod.platform = platform.name;
        addProduct(prod, path);
      });
    }
  }
  return { products, errors };
}

// ---------------------------------------------------------------------------------------------------------------
// Vulnerabilities

export const CSAF_STATUSES = [
  'first_affected',
  'first_fixed',
  'fixed',
  'known_affected',
  'known_not_affected',
  'last_affected',
  'recommended',
  'under_investigation',
] as const;
export type CsafStatus = (typeof CSAF_STATUSES)[number];

export interface CsafFlag {
  label: string;
  productIds: string[];
  date?: string;
}
export interface CsafRemediation {
  category: string;
  details: string;
  productIds: string[];
  url?: string;
  date?: string;
}
export interface CsafThreat {
  category: string;
  details: string;
  productIds: string[];
}
export interface CsafVulnerability {
  cve: string | null;
  title?: string;
  cwe?: { id: string; name: string };
  productStatus: Partial<Record<CsafStatus, string[]>>;
  flags: CsafFlag[];
  threats: CsafThreat[];
  remediations: CsafRemediation[];
  cvssVectors: string[];
  summary?: string;
}

function strings(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
}

/**
 * Reads `vulnerabilities[]`. Group ids in flags, threats and remediations are expanded to product ids through
 * `product_tree.product_groups`, so callers only ever deal with product ids.
 */
export function csafVulnerabilities(doc: unknown): {
  vulnerabilities: CsafVulnerability[];
  errors: CsafIssue[];
} {
  if (!isObj(doc)) throw new CsafError('CSAF document must be a JSON object');
  const errors: CsafIssue[] = [];
  const groups = new Map<string, string[]>();
  const tree = doc.product_tree;
  if (isObj(tree) && Array.isArray(tree.product_groups)) {
    for (const g of tree.product_groups) {
      if (isObj(g) && typeof g.group_id === 'string') groups.set(g.group_id, strings(g.product_ids));
    }
  }
  const expand = (o: Record<string, unknown>, path: string) => {
    const ids = new Set(strings(o.product_ids));
    for (const gid of strings(o.group_ids)) {
      const g = groups.get(gid);
      if (!g) errors.push({ path, message: `unknown group_id "${gid}"` });
      else for (const id of g) ids.add(id);
    }
    return [...ids];
  };
  const list = doc.vulnerabilities;
  if (list === undefined) return { vulnerabilities: [], errors };
  if (!Array.isArray(list))
    return { vulnerabilities: [], errors: [{ path: 'vulnerabilities', message: 'not an array' }] };
  const vulnerabilities: CsafVulnerability[] = [];
  list.forEach((v, i) => {
    const path = `vulnerabilities[${i}]`;
    if (!isObj(v)) {
      errors.push({ path, message: 'vulnerability is not an object' });
      return;
    }
    const cve = typeof v.cve === 'string' ? v.cve : null;
    if (cve !== null && !/^CVE-\d{4}-\d{4,}$/.test(cve))
      errors.push({ path: `${path}.cve`, message: `"${cve}" is not a CVE id` });
    const productStatus: CsafVulnerability['productStatus'] = {};
    if (isObj(v.product_status)) {
      for (const s of CSAF_STATUSES) {
        const ids = strings(v.product_status[s]);
        if (ids.length) productStatus[s] = ids;
      }
    }
    const objs = (x: unknown) => (Array.isArray(x) ? x.filter(isObj) : []);
    const flags = objs(v.flags).map((f, k) => ({
      label: typeof f.label === 'string' ? f.label : 'unknown',
      productIds: expand(f, `${path}.flags[${k}]`),
      ...(typeof f.date === 'string' ? { date: f.date } : {}),
    }));
    const threats = objs(v.threats).map((t, k) => ({
      category: typeof t.category === 'string' ? t.category : 'unknown',
      details: typeof t.details === 'string' ? t.details : '',
      productIds: expand(t, `${path}.threats[${k}]`),
    }));
    const remediations = objs(v.remediations).map((r, k) => ({
      category: typeof r.category === 'string' ? r.category : 'unknown',
      details: typeof r.details === 'string' ? r.details : '',
      productIds: expand(r, `${path}.remediations[${k}]`),
      ...(typeof r.url === 'string' ? { url: r.url } : {}),
      ...(typeof r.date === 'string' ? { date: r.date } : {}),
    }));
    const cvssVectors: string[] = [];
    for (const s of objs(v.scores)) {
      for (const key of ['cvss_v4', 'cvss_v3', 'cvss_v2']) {
        const c = s[key];
        if (isObj(c) && typeof c.vectorString === 'string' && !cvssVectors.includes(c.vectorString)) {
          cvssVectors.push(c.vectorString);
        }
      }
    }
    const summary = objs(v.notes).find((n) => n.category === 'summary' || n.category === 'description');
    const cwe =
      isObj(v.cwe) && typeof v.cwe.id === 'string'
        ? { id: v.cwe.id, name: String(v.cwe.name ?? '') }
        : undefined;
    vulnerabilities.push({
      cve,
      ...(typeof v.title === 'string' ? { title: v.title } : {}),
      ...(cwe ? { cwe } : {}),
      productStatus,
      flags,
      threats,
      remediations,
      cvssVectors,
      ...(summary && typeof summary.text === 'string' ? { summary: summary.text } : {}),
    });
  });
  return { vulnerabilities, errors };
}

/**
 * The status of one product under one vulnerability: the status lists it appears in (affected wins over fixed
 * wins over not-affected if a document contradicts itself), the VEX justification (flag label) and the
 * remediations that apply to it.
 */
export function csafProductStatus(
  v: CsafVulnerability,
  productId: string,
): {
  status: 'affected' | 'fixed' | 'not_affected' | 'under_investigation' | 'unknown';
  statuses: CsafStatus[];
  justification?: string;
  remediations: CsafRemediation[];
} {
  const statuses = CSAF_STATUSES.filter((s) => v.productStatus[s]?.includes(productId));
  const has = (...s: CsafStatus[]) => s.some((x) => statuses.includes(x));
  const status = has('known_affected', 'first_affected', 'last_affected')
    ? 'affected'
    : has('fixed', 'first_fixed')
      ? 'fixed'
      : has('known_not_affected')
        ? 'not_affected'
        : has('under_investigation')
          ? 'under_investigation'
          : 'unknown';
  const flag = v.flags.find((f) => f.productIds.includes(productId));
  return {
    status,
    statuses,
    ...(flag ? { justification: flag.label } : {}),
    remediations: v.remediations.filter((r) => r.productIds.includes(productId)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Version ranges and product matching

export type RangeConstraint = { op: '<' | '<=' | '>' | '>=' | '='; version: string };
export type ParsedRange = { all: true } | { all: false; anyOf: RangeConstraint[][] };

/**
 * Reads a `product_version_range`: the `vers:` form (`vers:generic/>=1.0|<2.0`, `vers:all/*`) and the free
 * text CISA uses (`< V2.3.4`, `>= 9.3.0 - but not including 9.3.8`, `All versions < V15.1 Update 8`,
 * `<= 3.3-006 (with …)`). Returns null when the text has no recognisable constraint.
 */
export function parseVersionRange(text: string): ParsedRange | null {
  const t = text.trim();
  const vers = /^vers:([^/]+)\/(.*)$/i.exec(t);
  if (vers) {
    const body = vers[2].trim();
    if (body === '*' || body === '') return { all: true };
    const cons: RangeConstraint[] = [];
    for (const c of body.split('|')) {
      const m = /^\s*(<=|>=|<|>|=|!=)?\s*(.+?)\s*$/.exec(c);
      if (!m || m[1] === '!=') return null;
      cons.push({ op: (m[1] ?? '=') as RangeConstraint['op'], version: m[2] });
    }
    // vers lists are ordered: equalities stand alone, a lower bound pairs with the upper bound after it.
    const anyOf: RangeConstraint[][] = [];
    for (let i = 0; i < cons.length; i++) {
      const c = cons[i];
      const n = cons[i + 1];
      if ((c.op === '>' || c.op === '>=') && n && (n.op === '<' || n.op === '<=')) {
        anyOf.push([c, n]);
        i++;
      } else {
        anyOf.push([c]);
      }
    }
    return { all: false, anyOf };
  }
  const cleaned = t
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\ball versions?\b/gi, ' ')
    .replace(/\bbut not including\b/gi, '<')
    .replace(/\b(prior to|before|earlier than)\b/gi, '<')
    .replace(/\s-\s/g, ' ')
    .trim();
  if (/^(all|\*)$/i.test(cleaned) || cleaned === '') return t === '' ? null : { all: true };
  const cons: RangeConstraint[] = [];
  const re = /(<=|>=|<|>|=)\s*([^<>=]+?)(?=\s*(?:<=|>=|<|>|=|$))/g;
  const hasOp = /[<>=]/.test(cleaned);
  if (!hasOp) {
    const m = /^(.+?)\s+and\s+(earlier|prior|below|lower)$/i.exec(cleaned);
    if (m) return { all: false, anyOf: [[{ op: '<=', version: m[1].trim() }]] };
    return /\d/.test(cleaned) ? { all: false, anyOf: [[{ op: '=', version: cleaned }]] } : null;
  }
  for (let m = re.exec(cleaned); m; m = re.exec(cleaned)) {
    const version = m[2].trim().replace(/\s+only$/i, '');
    if (!/\d/.test(version)) return null;
    cons.push({ op: m[1] as RangeConstraint['op'], version });
  }
  return cons.length ? { all: false, anyOf: [cons] } : null;
}

/** true / false when decided, null when a version could not be compared. */
export function versionInRange(version: string, range: ParsedRange): boolean | null {
  if (range.all) return true;
  let unknown = false;
  for (const group of range.anyOf) {
    let ok: boolean | null = true;
    for (const c of group) {
      const r = compareVersions(version, c.version);
      if (r === null) {
        ok = null;
        continue;
      }
      const pass =
        c.op === '<'
          ? r < 0
          : c.op === '<='
            ? r <= 0
            : c.op === '>'
              ? r > 0
              : c.op === '>='
                ? r >= 0
                : r === 0;
      if (!pass) {
        ok = false;
        break;
      }
    }
    if (ok === true) return true;
    if (ok === null) unknown = true;
  }
  return unknown ? null : false;
}

export interface CsafSystem {
  cpe?: string;
  vendor?: string;
  product?: string;
  model?: string;
  version?: string;
}

export type CsafMatchConfidence = 'exact' | 'vendor-product-version' | 'vendor-product';

export interface CsafMatch {
  matched: boolean;
  /** Set when matched: exact = CPE, or vendor + model number (+ version when the product has one). */
  confidence: CsafMatchConfidence | null;
  reasons: string[];
}

const looseText = (s: string) => normalizeName(s).replace(/[^a-z0-9]+/g, '');

/**
 * The key under which advisories are found for a vendor: the same comparison {@link matchCsafProduct} makes
 * (case, punctuation and corporate suffixes ignored), so an index on it never misses a product that would match.
 */
export function csafVendorKey(vendor: string): string {
  return looseText(normalizeVendor(vendor));
}
const modelKey = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

function tokens(s: string): string[] {
  return normalizeName(s)
    .split(/[_.\-/]+/)
    .filter((x) => x.length > 0);
}

/**
 * Matches one advisory product to a system. Order: CPE (both sides have one) decides alone; otherwise vendor
 * must agree (case, punctuation and corporate suffixes ignored), a given model number must be among the
 * product's, the product name must agree or contain the system's product words, and a known version must fall
 * in the product's version or range. A version that cannot be compared lowers the confidence, it does not
 * clear the match.
 */
export function matchCsafProduct(product: CsafProduct, system: CsafSystem): CsafMatch {
  const reasons: string[] = [];
  const no = (why: string): CsafMatch => ({ matched: false, confidence: null, reasons: [...reasons, why] });
  const helperCpe = typeof product.helper?.cpe === 'string' ? product.helper.cpe : undefined;
  if (helperCpe && system.cpe) {
    try {
      if (cpeMatches(helperCpe, system.cpe)) {
        return { matched: true, confidence: 'exact', reasons: [`CPE ${helperCpe} matches ${system.cpe}`] };
      }
      return no(`CPE ${helperCpe} does not match ${system.cpe}`);
    } catch (e) {
      reasons.push(`CPE not usable: ${(e as Error).message}`);
    }
  }
  if (!system.vendor || !product.vendor) return no('vendor unknown on one side');
  const sv = csafVendorKey(system.vendor);
  const pv = csafVendorKey(product.vendor);
  if (!sv || sv !== pv) return no(`vendor "${product.vendor}" ≠ "${system.vendor}"`);
  reasons.push(`vendor "${product.vendor}" = "${system.vendor}"`);

  let modelMatched = false;
  if (system.model && product.models.length) {
    const m = modelKey(system.model);
    if (!product.models.some((x) => modelKey(x) === m)) {
      return no(`model "${system.model}" not among ${product.models.join(', ')}`);
    }
    modelMatched = true;
    reasons.push(`model ${system.model} listed`);
  }

  const productName = product.productName ?? product.productFamily ?? product.name;
  if (!modelMatched) {
    if (!system.product) return no('system has no product name or model');
    const a = looseText(productName);
    const b = looseText(system.product);
    if (a === b) {
      reasons.push(`product "${productName}" = "${system.product}"`);
    } else {
      const pt = new Set(tokens(productName));
      const st = tokens(system.product).filter((x) => !tokens(product.vendor ?? '').includes(x));
      if (st.length === 0 || !st.every((x) => pt.has(x))) {
        return no(`product "${productName}" does not match "${system.product}"`);
      }
      reasons.push(`product "${productName}" contains "${system.product}"`);
    }
  }

  const rangeText = product.productVersionRange;
  const exactVersion = product.productVersion;
  if (!rangeText && !exactVersion) {
    reasons.push('advisory product names no version: all versions taken as affected');
    return { matched: true, confidence: modelMatched ? 'exact' : 'vendor-product', reasons };
  }
  if (!system.version) {
    reasons.push('system version unknown');
    return { matched: true, confidence: 'vendor-product', reasons };
  }
  let inRange: boolean | null;
  if (exactVersion) {
    const r = explainVersionCompare(system.version, exactVersion);
    inRange = r.result === null ? null : r.result === 0;
    reasons.push(`version ${system.version} vs ${exactVersion}: ${r.reason}`);
  } else {
    const range = parseVersionRange(rangeText as string);
    if (!range) {
      reasons.push(`version range "${rangeText}" not understood`);
      return { matched: true, confidence: 'vendor-product', reasons };
    }
    inRange = versionInRange(system.version, range);
    reasons.push(
      `version ${system.version} ${inRange === null ? 'not comparable with' : inRange ? 'in' : 'outside'} "${rangeText}"`,
    );
  }
  if (inRange === false) return no('version not affected');
  if (inRange === null) return { matched: true, confidence: 'vendor-product', reasons };
  return { matched: true, confidence: modelMatched ? 'exact' : 'vendor-product-version', reasons };
}
