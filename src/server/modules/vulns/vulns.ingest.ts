import { createInterface } from 'node:readline';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  type CompiledConfigurations,
  type CsafProduct,
  compileConfigurations,
  createEpssParser,
  csafVendorKey,
  csafVulnerabilities,
  cveSummary,
  diffKev,
  extractCvssMetrics,
  flattenProductTree,
  jsonArrayItems,
  type KevCatalog,
  type KevEntry,
  looseKeysOfCve,
  MAX_WINDOW_DAYS,
  type NvdApiClient,
  type NvdCve,
  type NvdPosition,
  parseKevCatalog,
} from '../../../core/vuln/index.js';
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import type { FeedName, FeedRunRow } from '../../db/schema/index.js';
import { AppError, forbidden } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import { rememberCompiled } from './vulns.compiled.js';
import {
  type CsafAdvisoryInsert,
  csafRepository,
  type EpssInsert,
  epssRepository,
  feedRunsRepository,
  feedStateRepository,
  type KevInsert,
  kevRepository,
  type VulnerabilityInsert,
  vulnerabilitiesRepository,
} from './vulns.repository.js';

export const NVD_BATCH = 500;
export const EPSS_BATCH = 5000;
const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const MAX_ERRORS = 100;

/** Gunzips the stream when it starts with the gzip magic bytes; passes it through otherwise. */
export async function maybeGunzip(source: Readable): Promise<Readable> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const first = await it.next();
  if (first.done) return Readable.from([]);
  const head = Buffer.isBuffer(first.value) ? first.value : Buffer.from(first.value);
  const rest = Readable.from(
    (async function* () {
      yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield n.value;
      }
    })(),
  );
  if (head[0] !== 0x1f || head[1] !== 0x8b) return rest;
  const out = new PassThrough();
  pipeline(rest, createGunzip(), out, () => {});
  return out;
}

/** NVD gives timestamps without a zone; they are UTC. */
function nvdDate(s: unknown): Date | null {
  if (typeof s !== 'string' || s === '') return null;
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The row kept for one NVD CVE record; throws with the reason when the record is unusable. */
export function vulnerabilityRow(cve: NvdCve): VulnerabilityInsert {
  if (!cve || typeof cve !== 'object') throw new Error('the record has no "cve" object');
  if (typeof cve.id !== 'string' || !CVE_ID.test(cve.id))
    throw new Error(`"${String(cve.id)}" is not a CVE id`);
  const s = cveSummary(cve);
  const { metrics, preferred } = extractCvssMetrics(cve);
  const compiled = compileConfigurations(cve.configurations);
  const row: VulnerabilityInsert = {
    cveId: s.id,
    summary: s.description,
    published: nvdDate(s.published),
    lastModified: nvdDate(s.lastModified),
    status: typeof s.vulnStatus === 'string' ? s.vulnStatus : 'Unknown',
    rejected: s.rejected,
    cvss: metrics,
    cvssScore: preferred?.baseScore ?? null,
    cvssVector: preferred?.vectorString ?? null,
    cwes: s.cwes,
    configurations: cve.configurations ?? [],
    cpeKeys: compiled.keys,
    looseKeys: looseKeysOfCve(compiled),
  };
  compiledOfRow.set(row, compiled);
  return row;
}

/** What `vulnerabilityRow` compiled for each row, so the match after an ingest need not compile it again. */
const compiledOfRow = new WeakMap<VulnerabilityInsert, CompiledConfigurations>();

/** Upserts CVE rows and keeps their compiled configurations for the rematch that follows. */
async function upsertCves(db: DbOrTx, list: VulnerabilityInsert[]) {
  const byId = new Map(list.map((r) => [r.cveId, r]));
  for (const { cveId, stamp } of await vulnerabilitiesRepository.upsert(db, list)) {
    const row = byId.get(cveId);
    const compiled = row && compiledOfRow.get(row);
    if (compiled) rememberCompiled(cveId, stamp, compiled);
  }
}

function assertInstanceAdmin(ctx: Ctx) {
  if (!ctx.actor.isInstanceAdmin)
    throw forbidden('Only an instance administrator may ingest vulnerability feeds');
}

async function finishRun(
  ctx: Ctx,
  run: FeedRunRow,
  outcome: Pick<FeedRunRow, 'counts' | 'added' | 'errors' | 'error'>,
): Promise<FeedRunRow> {
  return ctx.db.transaction(async (tx) => {
    const done = await feedRunsRepository.finish(tx, run.id, {
      ...outcome,
      status: outcome.error ? 'failed' : 'succeeded',
    });
    await auditService.record(tx, ctx, {
      orgId: null,
      action: `vulns.feed.${run.feed}`,
      targetType: 'feed_run',
      targetId: run.id,
      after: { source: run.source, status: done.status, counts: done.counts, error: done.error },
    });
    return done;
  });
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Streams an NVD CVE API 2.0 response (JSON or gzip) and upserts its CVEs in multi-row batches. Unusable records
 * are skipped with their index and reason; a truncated or non-JSON file fails the run, keeping the batches read.
 */
export async function ingestNvd(ctx: Ctx, source: Readable, label: string): Promise<FeedRunRow> {
  assertInstanceAdmin(ctx);
  const run = await feedRunsRepository.start(ctx.db, 'nvd', label);
  const errors: string[] = [];
  const counts = { read: 0, upserted: 0, skipped: 0, rejected: 0 };
  let batch = new Map<string, VulnerabilityInsert>();
  const flush = async () => {
    if (!batch.size) return;
    const rows = [...batch.values()];
    batch = new Map();
    await upsertCves(ctx.db, rows);
    counts.upserted += rows.length;
  };
  let error: string | null = null;
  try {
    const input = await maybeGunzip(source);
    for await (const item of jsonArrayItems(input, 'vulnerabilities')) {
      counts.read++;
      try {
        const row = vulnerabilityRow((item.value as { cve?: NvdCve } | null)?.cve as NvdCve);
        if (row.rejected) counts.rejected++;
        batch.set(row.cveId, row);
      } catch (e) {
        counts.skipped++;
        if (errors.length < MAX_ERRORS) errors.push(`vulnerabilities[${item.key}]: ${messageOf(e)}`);
      }
      if (batch.size >= NVD_BATCH) await flush();
    }
    await flush();
    if (counts.read === 0)
      error = 'NVD: the file has no "vulnerabilities" array (is it an NVD CVE API 2.0 response?)';
  } catch (e) {
    await flush().catch(() => {});
    error = `NVD: the file is not valid JSON or is truncated after ${counts.read} records (${messageOf(e)})`;
  }
  if (counts.upserted) await vulnerabilitiesRepository.mergeKeyIndexes(ctx.db);
  return finishRun(ctx, run, { counts, added: [], errors, error });
}

async function readAll(source: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of source) {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(c as string);
    n += b.length;
    if (n > maxBytes) throw new AppError('payload_too_large', `The file exceeds ${maxBytes} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The row kept for one KEV entry of a catalog release. */
export function kevRow(v: KevEntry, catalogVersion: string, firstSeenVersion?: string): KevInsert {
  return {
    cveId: v.cveID,
    vendorProject: v.vendorProject,
    product: v.product,
    name: v.vulnerabilityName,
    dateAdded: v.dateAdded,
    dueDate: v.dueDate,
    requiredAction: v.requiredAction,
    ransomwareUse: v.knownRansomwareCampaignUse,
    catalogVersion,
    firstSeenVersion: firstSeenVersion ?? catalogVersion,
    entry: v,
  };
}

/**
 * Reads a CISA KEV catalog, diffs it against the entries kept from the last release (newly added CVEs are
 * recorded on the run), and replaces them.
 */
export async function ingestKev(ctx: Ctx, source: Readable, label: string): Promise<FeedRunRow> {
  assertInstanceAdmin(ctx);
  const run = await feedRunsRepository.start(ctx.db, 'kev', label);
  try {
    const text = await readAll(await maybeGunzip(source), 64 * 1024 * 1024);
    const parsed = parseKevCatalog(text);
    const catalog = parsed.catalog;
    const previous = await kevRepository.all(ctx.db);
    const oldCatalog: KevCatalog | null = previous.length
      ? {
          catalogVersion: previous[0].catalogVersion,
          dateReleased: '',
          count: previous.length,
          vulnerabilities: previous.map((p) => p.entry as KevEntry),
        }
      : null;
    const diff = diffKev(oldCatalog, catalog);
    const firstSeen = new Map(previous.map((p) => [p.cveId, p.firstSeenVersion]));
    await ctx.db.transaction(async (tx) => {
      const rows = catalog.vulnerabilities.map((v) =>
        kevRow(v, catalog.catalogVersion, firstSeen.get(v.cveID)),
      );
      for (let i = 0; i < rows.length; i += 1000) await kevRepository.upsert(tx, rows.slice(i, i + 1000));
      await kevRepository.removeExcept(
        tx,
        rows.map((r) => r.cveId),
      );
    });
    return finishRun(ctx, run, {
      counts: {
        entries: catalog.vulnerabilities.length,
        added: diff.added.length,
        removed: diff.removed.length,
        changed: diff.changed.length,
        skipped: parsed.errors.length,
      },
      added: diff.added.map((a) => a.cveID),
      errors: [...parsed.errors, ...parsed.warnings]
        .slice(0, MAX_ERRORS)
        .map((e) => `${e.location ? `${e.location}: ` : ''}${e.message}`),
      error: null,
    });
  } catch (e) {
    return finishRun(ctx, run, { counts: {}, added: [], errors: [], error: messageOf(e) });
  }
}

/** Streams a FIRST EPSS CSV (plain or gzip) line by line, keeping each score under its score date (history). */
export async function ingestEpss(
  ctx: Ctx,
  source: Readable,
  label: string,
  opts: { scoreDate?: string } = {},
): Promise<FeedRunRow> {
  assertInstanceAdmin(ctx);
  const run = await feedRunsRepository.start(ctx.db, 'epss', label);
  const p = createEpssParser();
  const counts = { scores: 0, skipped: 0 };
  let batch = new Map<string, EpssInsert>();
  let scoreDate: string | null = opts.scoreDate ?? null;
  const flush = async () => {
    if (!batch.size) return;
    const rows = [...batch.values()];
    batch = new Map();
    await epssRepository.upsert(ctx.db, rows);
    counts.scores += rows.length;
  };
  let error: string | null = null;
  try {
    const lines = createInterface({ input: await maybeGunzip(source), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      const s = p.push(line);
      if (!s) continue;
      // The score date comes from the `#model_version:…,score_date:…` line; without one, the day of the run.
      scoreDate ??= p.state.meta?.scoreDate?.slice(0, 10) ?? new Date().toISOString().slice(0, 10);
      batch.set(s.cve, { cveId: s.cve, scoreDate, score: s.epss, percentile: s.percentile });
      if (batch.size >= EPSS_BATCH) await flush();
    }
    await flush();
    if (p.state.count === 0 && p.state.errors.length === 0) error = 'EPSS: the file holds no scores';
  } catch (e) {
    await flush().catch(() => {});
    error = `EPSS: the file could not be read to its end (${messageOf(e)})`;
  }
  counts.skipped = p.state.errors.length;
  return finishRun(ctx, run, {
    counts,
    added: [],
    errors: p.state.errors.slice(0, MAX_ERRORS).map((e) => `${e.location}: ${e.message}`),
    error: error ?? (p.state.count > 0 && counts.scores === 0 ? 'EPSS: no line could be read' : null),
  });
}

const CSAF_CATEGORIES = new Set([
  'csaf_security_advisory',
  'csaf_vex',
  'csaf_base',
  'csaf_informational_advisory',
]);
const PUBLIC_TLP = new Set(['CLEAR', 'WHITE']);
const isObj = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

/** The CPE vendor of a CPE 2.3 name ("cpe:2.3:h:example:gateway:…" → "example"), unescaped. */
export function cpeVendor(cpe: string | null | undefined): string | null {
  const v = cpe?.split(':')[3];
  return v && v !== '*' && v !== '-' ? v.replace(/\\(.)/g, '$1') : null;
}

/** The vendor keys a product is found under: its vendor branch and the vendor of its CPE helper. */
function productVendorKeys(p: CsafProduct): string[] {
  const keys: string[] = [];
  if (p.vendor) keys.push(csafVendorKey(p.vendor));
  const fromCpe = cpeVendor(typeof p.helper?.cpe === 'string' ? p.helper.cpe : null);
  if (fromCpe) keys.push(csafVendorKey(fromCpe));
  return keys.filter(Boolean);
}

/** The advisory row of a CSAF 2.0 document, or an error naming the field that makes it unusable. */
export function csafAdvisoryRow(doc: unknown): {
  row: CsafAdvisoryInsert & { cves: string[] };
  issues: string[];
} {
  if (!isObj(doc) || !isObj(doc.document)) throw new Error('not a CSAF document: no "document" object');
  const d = doc.document;
  const tracking = isObj(d.tracking) ? d.tracking : null;
  const publisher = isObj(d.publisher) ? d.publisher : null;
  const need = (v: unknown, path: string) => {
    if (typeof v !== 'string' || v.trim() === '') throw new Error(`${path} is missing or not a string`);
    return v;
  };
  const category = need(d.category, 'document.category');
  if (!CSAF_CATEGORIES.has(category))
    throw new Error(`document.category "${category}" is not a CSAF 2.0 profile`);
  const trackingId = need(tracking?.id, 'document.tracking.id');
  const version = need(tracking?.version, 'document.tracking.version');
  const released = new Date(need(tracking?.current_release_date, 'document.tracking.current_release_date'));
  if (Number.isNaN(released.getTime()))
    throw new Error('document.tracking.current_release_date is not a date');
  const tlp = isObj(d.distribution) && isObj(d.distribution.tlp) ? d.distribution.tlp.label : undefined;
  if (tlp !== undefined && !PUBLIC_TLP.has(String(tlp))) {
    throw new Error(
      `TLP:${String(tlp)} advisory refused: the vulnerability feeds are shared by every organization of the ` +
        'instance; import restricted advisories as threat intelligence instead',
    );
  }
  const tree = flattenProductTree(doc);
  const vulns = csafVulnerabilities(doc);
  const issues = [...tree.errors, ...vulns.errors].map((e) => `${e.path}: ${e.message}`);
  const cves = [...new Set(vulns.vulnerabilities.map((v) => v.cve).filter((c): c is string => !!c))];
  const vendorKeys = [...new Set(tree.products.flatMap(productVendorKeys))];
  return {
    row: {
      publisherNamespace: need(publisher?.namespace, 'document.publisher.namespace'),
      publisher: need(publisher?.name, 'document.publisher.name'),
      trackingId,
      version,
      category,
      title: need(d.title, 'document.title'),
      releaseDate: released,
      products: tree.products,
      vulnerabilities: vulns.vulnerabilities,
      cves,
      vendorKeys,
    },
    issues,
  };
}

/**
 * Reads one CSAF 2.0 advisory (JSON or gzip): its product tree and vulnerabilities are kept for matching, a
 * broken part of the tree is reported and the rest kept; an older revision than the one stored is skipped.
 */
export async function ingestCsaf(ctx: Ctx, source: Readable, label: string): Promise<FeedRunRow> {
  assertInstanceAdmin(ctx);
  const run = await feedRunsRepository.start(ctx.db, 'csaf', label);
  try {
    const text = await readAll(await maybeGunzip(source), 32 * 1024 * 1024);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new Error(`CSAF: the file is not valid JSON (${messageOf(e)})`);
    }
    const { row, issues } = csafAdvisoryRow(doc);
    const stored = await csafRepository.upsertIfNewer(ctx.db, row);
    return finishRun(ctx, run, {
      counts: {
        products: row.products.length,
        vulnerabilities: row.vulnerabilities.length,
        cves: row.cves.length,
        kept: stored ? 1 : 0,
        olderRevisionSkipped: stored ? 0 : 1,
      },
      added: stored ? row.cves : [],
      errors: issues.slice(0, MAX_ERRORS),
      error: null,
    });
  } catch (e) {
    return finishRun(ctx, run, { counts: {}, added: [], errors: [], error: messageOf(e) });
  }
}

/** What the NVD API sync keeps between runs. */
interface NvdSyncState extends Record<string, unknown> {
  /** Everything modified before this instant is in. */
  syncedUntil: string | null;
  /** A run that stopped: the range it was reading and where it was. */
  runningFrom?: string | null;
  runningTo?: string | null;
  position?: NvdPosition | null;
}

/**
 * Pulls what changed in the NVD since the last sync through the CVE API 2.0, in windows of at most 120 days, and
 * stores the position after every page: a run that stops (crash, network, rate limit) resumes where it was. The
 * first sync reaches back `firstDays` (load older years from the NVD's files with `citywall vulns ingest --nvd`).
 */
export async function syncNvdApi(
  ctx: Ctx,
  client: NvdApiClient,
  opts: { now?: Date; firstDays?: number; label?: string } = {},
): Promise<FeedRunRow> {
  assertInstanceAdmin(ctx);
  const run = await feedRunsRepository.start(ctx.db, 'nvd', opts.label ?? 'NVD API');
  const counts = { read: 0, upserted: 0, skipped: 0, rejected: 0, pages: 0 };
  const errors: string[] = [];
  const state = (await feedStateRepository.get<NvdSyncState>(ctx.db, 'nvd-api')) ?? { syncedUntil: null };
  const resuming = !!(state.runningFrom && state.runningTo);
  const to = resuming ? new Date(state.runningTo as string) : (opts.now ?? new Date());
  const from = resuming
    ? new Date(state.runningFrom as string)
    : state.syncedUntil
      ? new Date(state.syncedUntil)
      : new Date(to.getTime() - (opts.firstDays ?? MAX_WINDOW_DAYS) * 86_400_000);
  let error: string | null = null;
  try {
    for await (const page of client.changes(from, to, resuming ? state.position : null)) {
      counts.pages++;
      const rows = new Map<string, VulnerabilityInsert>();
      page.vulnerabilities.forEach((item, i) => {
        counts.read++;
        try {
          const row = vulnerabilityRow(item?.cve as NvdCve);
          if (row.rejected) counts.rejected++;
          rows.set(row.cveId, row);
        } catch (e) {
          counts.skipped++;
          if (errors.length < MAX_ERRORS) {
            errors.push(`${page.position.windowStart} #${page.position.startIndex + i}: ${messageOf(e)}`);
          }
        }
      });
      await ctx.db.transaction(async (tx) => {
        const list = [...rows.values()];
        for (let i = 0; i < list.length; i += NVD_BATCH) await upsertCves(tx, list.slice(i, i + NVD_BATCH));
        await feedStateRepository.set(tx, 'nvd-api', {
          syncedUntil: state.syncedUntil,
          runningFrom: from.toISOString(),
          runningTo: to.toISOString(),
          position: page.next ?? {
            windowStart: page.position.windowEnd,
            windowEnd: page.position.windowEnd,
            startIndex: 0,
          },
        });
      });
      counts.upserted += rows.size;
    }
    await feedStateRepository.set(ctx.db, 'nvd-api', {
      syncedUntil: to.toISOString(),
      runningTo: null,
      position: null,
    });
  } catch (e) {
    error = `NVD API: ${messageOf(e)} (the next run resumes from the last page stored)`;
  }
  if (counts.upserted) await vulnerabilitiesRepository.mergeKeyIndexes(ctx.db);
  return finishRun(ctx, run, { counts, added: [], errors, error });
}

/** Downloads a feed file from its URL (KEV catalog, EPSS scores) and ingests it like an uploaded one. */
export async function syncUrlFeed(
  ctx: Ctx,
  feed: 'kev' | 'epss',
  url: string,
  fetchFn: (url: string, init?: RequestInit) => Promise<Response>,
): Promise<FeedRunRow> {
  assertInstanceAdmin(ctx);
  let res: Response;
  try {
    res = await fetchFn(url, { headers: { accept: '*/*' } });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  } catch (e) {
    const run = await feedRunsRepository.start(ctx.db, feed, url);
    return finishRun(ctx, run, { counts: {}, added: [], errors: [], error: `${url}: ${messageOf(e)}` });
  }
  return INGESTERS[feed](ctx, Readable.fromWeb(res.body as never), url);
}

export const INGESTERS: Record<FeedName, (ctx: Ctx, source: Readable, label: string) => Promise<FeedRunRow>> =
  {
    nvd: ingestNvd,
    kev: ingestKev,
    epss: ingestEpss,
    csaf: ingestCsaf,
  };
