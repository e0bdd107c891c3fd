import { createInterface } from 'node:readline';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import {
  compileConfigurations,
  createEpssParser,
  cveSummary,
  diffKev,
  extractCvssMetrics,
  type KevCatalog,
  type KevEntry,
  looseKeysOfCve,
  type NvdCve,
  parseKevCatalog,
} from '../../../core/vuln/index.js';
import type { Ctx } from '../../context.js';
import type { FeedName, FeedRunRow } from '../../db/schema/index.js';
import { AppError, forbidden } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import {
  type EpssInsert,
  epssRepository,
  feedRunsRepository,
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
  return {
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
    await vulnerabilitiesRepository.upsert(ctx.db, rows);
    counts.upserted += rows.length;
  };
  let error: string | null = null;
  try {
    const input = await maybeGunzip(source);
    const items = chain([input, parser(), pick({ filter: /^vulnerabilities$/ }), streamArray()]);
    input.on('error', (e) => items.destroy(e));
    for await (const item of items as AsyncIterable<{ key: number; value: { cve?: NvdCve } }>) {
      counts.read++;
      try {
        const row = vulnerabilityRow(item.value?.cve as NvdCve);
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

export const INGESTERS: Record<FeedName, (ctx: Ctx, source: Readable, label: string) => Promise<FeedRunRow>> =
  {
    nvd: ingestNvd,
    kev: ingestKev,
    epss: ingestEpss,
  };
