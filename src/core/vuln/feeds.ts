/**
 * Pure parsers for the vulnerability feeds: CISA KEV (JSON), FIRST EPSS (CSV lines) and, re-exported from
 * `csaf.ts`, CSAF 2.0 advisories. No I/O: callers stream or read the files and hand over text or parsed JSON.
 * A fatal problem (not JSON, not a catalog) throws FeedParseError; a bad entry is reported and skipped, so a feed
 * keeps what it could read.
 */

export * from './csaf.js';

export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
  constructor(
    message: string,
    readonly feed: 'kev' | 'epss' | 'csaf' | 'nvd',
    readonly location?: string,
  ) {
    super(message);
  }
}

export interface FeedIssue {
  /** Where: `vulnerabilities[12] (CVE-2021-1234).dueDate`, `line 7`. */
  location: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------------------------
// KEV

export interface KevEntry {
  cveID: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string;
  shortDescription: string;
  requiredAction: string;
  dueDate: string;
  knownRansomwareCampaignUse: string;
  notes: string;
  cwes: string[];
}

export interface KevCatalog {
  title?: string;
  catalogVersion: string;
  dateReleased: string;
  count: number;
  vulnerabilities: KevEntry[];
}

export interface KevParseResult {
  catalog: KevCatalog;
  /** Entries skipped, with the reason. */
  errors: FeedIssue[];
  /** Kept, but worth a look (count mismatch, duplicates, odd optional fields). */
  warnings: FeedIssue[];
}

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KEV_REQUIRED_TEXT = [
  'vendorProject',
  'product',
  'vulnerabilityName',
  'shortDescription',
  'requiredAction',
] as const;

function isValidDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

function jsonOf(input: unknown, feed: 'kev' | 'csaf'): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch (e) {
    const msg = (e as Error).message;
    const hint =
      input.trim() === ''
        ? 'the input is empty'
        : /end of (json )?input|Unterminated/i.test(msg)
          ? 'the input looks truncated'
          : 'the input is not JSON';
    throw new FeedParseError(`${feed.toUpperCase()}: ${hint} (${msg})`, feed);
  }
}

/** Validates a KEV catalog (JSON text or parsed value) against the published schema's rules. */
export function parseKevCatalog(input: unknown): KevParseResult {
  const json = jsonOf(input, 'kev');
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new FeedParseError('KEV: the catalog must be a JSON object', 'kev');
  }
  const o = json as Record<string, unknown>;
  for (const f of ['catalogVersion', 'dateReleased'] as const) {
    if (typeof o[f] !== 'string' || o[f] === '') {
      throw new FeedParseError(`KEV: "${f}" is missing or not a string`, 'kev', f);
    }
  }
  if (!Array.isArray(o.vulnerabilities)) {
    throw new FeedParseError('KEV: "vulnerabilities" is missing or not an array', 'kev', 'vulnerabilities');
  }
  const errors: FeedIssue[] = [];
  const warnings: FeedIssue[] = [];
  const seen = new Set<string>();
  const vulnerabilities: KevEntry[] = [];
  o.vulnerabilities.forEach((raw, i) => {
    const where = (field?: string, id?: string) =>
      `vulnerabilities[${i}]${id ? ` (${id})` : ''}${field ? `.${field}` : ''}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push({ location: where(), message: 'entry is not an object' });
      return;
    }
    const e = raw as Record<string, unknown>;
    const id = typeof e.cveID === 'string' ? e.cveID.trim() : undefined;
    if (!id || !CVE_ID.test(id)) {
      errors.push({
        location: where('cveID'),
        message: `cveID ${JSON.stringify(e.cveID)} is not CVE-YYYY-NNNN`,
      });
      return;
    }
    for (const f of KEV_REQUIRED_TEXT) {
      if (typeof e[f] !== 'string') {
        errors.push({ location: where(f, id), message: `${f} is missing or not a string` });
        return;
      }
    }
    for (const f of ['dateAdded', 'dueDate'] as const) {
      if (typeof e[f] !== 'string' || !isValidDate(e[f] as string)) {
        errors.push({
          location: where(f, id),
          message: `${f} ${JSON.stringify(e[f])} is not a YYYY-MM-DD date`,
        });
        return;
      }
    }
    if (seen.has(id)) {
      warnings.push({ location: where('cveID', id), message: 'duplicate entry; the first one is kept' });
      return;
    }
    seen.add(id);
    let cwes: string[] = [];
    if (e.cwes !== undefined) {
      if (Array.isArray(e.cwes) && e.cwes.every((c) => typeof c === 'string')) {
        cwes = (e.cwes as string[]).filter((c) => {
          const ok = /^CWE-\d+$/.test(c);
          if (!ok) warnings.push({ location: where('cwes', id), message: `"${c}" is not CWE-NNN; dropped` });
          return ok;
        });
      } else {
        warnings.push({ location: where('cwes', id), message: 'cwes is not an array of strings; ignored' });
      }
    }
    const ransom =
      typeof e.knownRansomwareCampaignUse === 'string' ? e.knownRansomwareCampaignUse : 'Unknown';
    vulnerabilities.push({
      cveID: id,
      vendorProject: e.vendorProject as string,
      product: e.product as string,
      vulnerabilityName: e.vulnerabilityName as string,
      dateAdded: e.dateAdded as string,
      shortDescription: e.shortDescription as string,
      requiredAction: e.requiredAction as string,
      dueDate: e.dueDate as string,
      knownRansomwareCampaignUse: ransom,
      notes: typeof e.notes === 'string' ? e.notes : '',
      cwes,
    });
  });
  const count = typeof o.count === 'number' ? o.count : vulnerabilities.length;
  if (typeof o.count !== 'number') {
    warnings.push({ location: 'count', message: 'count is missing or not a number' });
  } else if (o.count !== o.vulnerabilities.length) {
    warnings.push({
      location: 'count',
      message: `count says ${o.count} but the catalog lists ${o.vulnerabilities.length} entries`,
    });
  }
  return {
    catalog: {
      ...(typeof o.title === 'string' ? { title: o.title } : {}),
      catalogVersion: o.catalogVersion as string,
      dateReleased: o.dateReleased as string,
      count,
      vulnerabilities,
    },
    errors,
    warnings,
  };
}

export interface KevChange {
  cveID: string;
  changes: { field: keyof KevEntry; old: unknown; new: unknown }[];
}
export interface KevDiff {
  fromVersion: string | null;
  toVersion: string;
  added: KevEntry[];
  removed: KevEntry[];
  changed: KevChange[];
}

const KEV_FIELDS: (keyof KevEntry)[] = [
  'vendorProject',
  'product',
  'vulnerabilityName',
  'dateAdded',
  'shortDescription',
  'requiredAction',
  'dueDate',
  'knownRansomwareCampaignUse',
  'notes',
  'cwes',
];

/** What a new KEV release adds, removes and changes relative to the previous one (null = first release). */
export function diffKev(oldCatalog: KevCatalog | null, newCatalog: KevCatalog): KevDiff {
  const before = new Map((oldCatalog?.vulnerabilities ?? []).map((v) => [v.cveID, v]));
  const after = new Map(newCatalog.vulnerabilities.map((v) => [v.cveID, v]));
  const added: KevEntry[] = [];
  const changed: KevChange[] = [];
  for (const [id, v] of after) {
    const prev = before.get(id);
    if (!prev) {
      added.push(v);
      continue;
    }
    const changes: KevChange['changes'] = [];
    for (const f of KEV_FIELDS) {
      const a = prev[f];
      const b = v[f];
      const same = Array.isArray(a) && Array.isArray(b) ? a.join('\u0000') === b.join('\u0000') : a === b;
      if (!same) changes.push({ field: f, old: a, new: b });
    }
    if (changes.length) changed.push({ cveID: id, changes });
  }
  const removed = [...before.values()].filter((v) => !after.has(v.cveID));
  return {
    fromVersion: oldCatalog?.catalogVersion ?? null,
    toVersion: newCatalog.catalogVersion,
    added,
    removed,
    changed,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// EPSS

export interface EpssMeta {
  modelVersion?: string;
  scoreDate?: string;
  /** The comment line as given, without the `#`. */
  comment: string;
}
export interface EpssScore {
  cve: string;
  epss: number;
  percentile: number;
}

/** Parses the `#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000` line (other comments kept as text). */
export function parseEpssHeader(line: string): EpssMeta {
  const comment = line.replace(/^#/, '').trim();
  const meta: EpssMeta = { comment };
  for (const part of comment.split(',')) {
    const i = part.indexOf(':');
    if (i < 0) continue;
    const key = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    if (key === 'model_version') meta.modelVersion = value;
    if (key === 'score_date') meta.scoreDate = value;
  }
  return meta;
}

export type EpssLine =
  | { kind: 'meta'; meta: EpssMeta }
  | { kind: 'header' }
  | { kind: 'blank' }
  | { kind: 'score'; score: EpssScore };

/**
 * Parses one line of the EPSS CSV. Throws FeedParseError (with the line number when given) for a malformed row.
 * Stateless, so it fits a line-by-line stream of a multi-hundred-thousand-row file.
 */
export function parseEpssCsvLine(line: string, lineNo?: number): EpssLine {
  const loc = lineNo !== undefined ? `line ${lineNo}` : undefined;
  const s = line.replace(/\r$/, '');
  if (s.trim() === '') return { kind: 'blank' };
  if (s.startsWith('#')) return { kind: 'meta', meta: parseEpssHeader(s) };
  const cols = s.split(',');
  if (cols[0].trim().toLowerCase() === 'cve') return { kind: 'header' };
  const at = loc ? ` at ${loc}` : '';
  if (cols.length !== 3) {
    throw new FeedParseError(
      `EPSS: expected 3 columns (cve,epss,percentile), got ${cols.length}${at}`,
      'epss',
      loc,
    );
  }
  const cve = cols[0].trim();
  if (!CVE_ID.test(cve)) throw new FeedParseError(`EPSS: "${cve}" is not a CVE id${at}`, 'epss', loc);
  const num = (v: string, name: string) => {
    const t = v.trim();
    const n = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : Number.NaN;
    if (!(n >= 0 && n <= 1)) {
      throw new FeedParseError(`EPSS: ${name} "${t}" for ${cve} is not a number in 0..1${at}`, 'epss', loc);
    }
    return n;
  };
  return {
    kind: 'score',
    score: { cve, epss: num(cols[1], 'epss'), percentile: num(cols[2], 'percentile') },
  };
}

/** Stateful helper for streams: feed lines, collect scores via the return value, errors and meta on the object. */
export function createEpssParser() {
  let lineNo = 0;
  const state = { meta: null as EpssMeta | null, errors: [] as FeedIssue[], count: 0 };
  return {
    state,
    /** Returns the score of a data line, or null for meta/header/blank/bad lines (bad ones land in errors). */
    push(line: string): EpssScore | null {
      lineNo++;
      try {
        const r = parseEpssCsvLine(line, lineNo);
        if (r.kind === 'meta') state.meta ??= r.meta;
        if (r.kind !== 'score') return null;
        state.count++;
        return r.score;
      } catch (e) {
        state.errors.push({ location: `line ${lineNo}`, message: (e as Error).message });
        return null;
      }
    },
  };
}

/** Whole-text convenience over `createEpssParser`. */
export function parseEpssCsv(text: string): {
  meta: EpssMeta | null;
  scores: EpssScore[];
  errors: FeedIssue[];
} {
  const p = createEpssParser();
  const scores: EpssScore[] = [];
  for (const line of text.split('\n')) {
    const s = p.push(line);
    if (s) scores.push(s);
  }
  return { meta: p.state.meta, scores, errors: p.state.errors };
}
