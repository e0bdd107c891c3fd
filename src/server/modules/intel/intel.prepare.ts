import type { Readable } from 'node:stream';
import { type TlpLevel, tlpOf, validateObject } from '../../../core/stix/index.js';
import { bundleObjects } from './intel.import.js';
import type { StixInsert } from './intel.repository.js';

/**
 * The CPU half of an import: parsing the streamed bundle, validating every object and serializing the row to
 * store, in batches the service checks against stored versions and inserts. (Measured: running this half in a
 * worker thread took 0.9 s of ATT&CK's 5.3 s off the main thread but added 1.9 s of CPU and 130 MB of memory
 * in all, so it runs on the calling thread; see docs/performance.md.)
 */

export interface PreparedIssue {
  path: string;
  rule: string;
  message: string;
}

export interface PreparedChange {
  path: string;
  action: 'added' | 'removed' | 'renamed' | 'converted' | 'note';
  message: string;
}

/** A valid object, ready to insert: `record` is its row as JSON (see `rowRecord`). */
export interface PreparedItem {
  index: number;
  id: string;
  version: string;
  /** What the lenient validation changed (STIX 2.0 content upgraded); absent when nothing changed. */
  changes?: PreparedChange[];
  /** The validator's remarks worth reporting (see `REPORTED_WARNINGS`); absent when there are none. */
  warnings?: PreparedIssue[];
  record: string;
}

/**
 * The validator's warnings an import reports: those saying the object is stored but not understood as STIX
 * 2.1 describes it (a type or property outside the specification, an id that will not match its copies).
 * Open-vocabulary misses are not even collected (`quietOpenVocabularies`), and the frequent remarks on
 * relationship types or custom references, which real feeds such as ATT&CK carry by the hundred, are left out.
 */
export const REPORTED_WARNINGS: ReadonlySet<string> = new Set([
  'custom-object-type',
  'unknown-property',
  'deprecated-custom-extension',
  'sco-id-not-deterministic',
  'id-not-uuidv4',
  'id-uppercase',
  'spec-version',
]);

export interface PreparedFailure {
  index: number;
  id: string | null;
  /** The object's `modified`, else its `created`, when it has one. */
  version?: string;
  errors: { path: string; rule: string; message: string }[];
}

export interface PreparedBatch {
  items: PreparedItem[];
  failures: PreparedFailure[];
  /** Objects read so far, valid or not. */
  total: number;
}

export interface PrepareOptions {
  orgId: string;
  defaultTlp: TlpLevel;
  maxBytes: number;
  batchSize: number;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** The row to store for one validated object. */
export function toRow(orgId: string, obj: Record<string, unknown>, defaultTlp: TlpLevel): StixInsert {
  const modified = str(obj.modified) ?? str(obj.created);
  const refs = Array.isArray(obj.object_marking_refs)
    ? obj.object_marking_refs.filter((x) => typeof x === 'string')
    : [];
  const labels = Array.isArray(obj.labels) ? obj.labels.filter((x) => typeof x === 'string') : [];
  const isSighting = obj.type === 'sighting';
  return {
    orgId,
    stixId: obj.id as string,
    version: modified ?? '',
    type: obj.type as string,
    specVersion: str(obj.spec_version),
    modified: modified ? new Date(modified) : null,
    createdByRef: str(obj.created_by_ref),
    tlp: tlpOf(obj) ?? defaultTlp,
    markingRefs: refs as string[],
    labels: labels as string[],
    name: str(obj.name) ?? str(obj.value) ?? str(obj.pattern),
    description: str(obj.description),
    sourceRef: isSighting ? str(obj.sighting_of_ref) : str(obj.source_ref),
    targetRef: isSighting
      ? Array.isArray(obj.where_sighted_refs)
        ? str(obj.where_sighted_refs[0])
        : null
      : str(obj.target_ref),
    revoked: obj.revoked === true,
    object: obj,
  };
}

/**
 * A row as the JSON record `jsonb_populate_recordset` reads (column names as keys); `is_latest` is left to its
 * default and `date_added` is set by `intelRepository.insertRecords`.
 */
export function rowRecord(v: StixInsert): string {
  return JSON.stringify({
    org_id: v.orgId,
    stix_id: v.stixId,
    version: v.version,
    type: v.type,
    spec_version: v.specVersion ?? null,
    modified: v.modified ? v.modified.toISOString() : null,
    created_by_ref: v.createdByRef ?? null,
    tlp: v.tlp,
    marking_refs: v.markingRefs ?? [],
    labels: v.labels ?? [],
    name: v.name ?? null,
    description: v.description ?? null,
    source_ref: v.sourceRef ?? null,
    target_ref: v.targetRef ?? null,
    revoked: v.revoked ?? false,
    object: v.object,
  });
}

/** The stored object of a prepared record. */
export const recordObject = (record: string) =>
  (JSON.parse(record) as { object: Record<string, unknown> }).object;

/** Validated rows of the bundle streamed from `source`, in batches of `batchSize` objects. */
export async function* prepareBatches(source: Readable, o: PrepareOptions): AsyncGenerator<PreparedBatch> {
  let batch: PreparedBatch = { items: [], failures: [], total: 0 };
  let total = 0;
  for await (const { index, value } of bundleObjects(source, o.maxBytes)) {
    total++;
    const result = validateObject(value, { lenient: true, quietOpenVocabularies: true });
    if (!result.valid) {
      const given = value as { id?: unknown; modified?: unknown; created?: unknown } | null;
      const version = str(given?.modified) ?? str(given?.created);
      batch.failures.push({
        index,
        id: str(given?.id),
        ...(version ? { version } : {}),
        errors: result.errors.map((e) => ({ path: e.path, rule: e.rule, message: e.message })),
      });
    } else {
      const row = toRow(o.orgId, result.object as Record<string, unknown>, o.defaultTlp);
      const item: PreparedItem = { index, id: row.stixId, version: row.version, record: rowRecord(row) };
      if (result.changes.length) {
        item.changes = result.changes.map((c) => ({ path: c.path, action: c.action, message: c.message }));
      }
      for (const w of result.warnings) {
        if (!REPORTED_WARNINGS.has(w.rule)) continue;
        item.warnings ??= [];
        item.warnings.push({ path: w.path, rule: w.rule, message: w.message });
      }
      batch.items.push(item);
    }
    if (batch.items.length + batch.failures.length >= o.batchSize) {
      batch.total = total;
      yield batch;
      batch = { items: [], failures: [], total: 0 };
    }
  }
  batch.total = total;
  yield batch;
}
