import type { Readable } from 'node:stream';
import { type TlpLevel, tlpOf, validateObject } from '../../../core/stix/index.js';
import { bundleObjects } from './intel.import.js';
import type { RowValues, StixInsert } from './intel.repository.js';
import { searchVector } from './intel.search.js';

/**
 * The CPU half of an import: parsing the streamed bundle, validating every object and giving it its row's
 * values and the JSON text to store, in batches the service checks against stored versions and inserts (the
 * repository writes them in the form each database loads fastest). (Measured: running this half in a
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

/** A valid object, ready to insert. */
export interface PreparedItem {
  index: number;
  id: string;
  version: string;
  /** What the lenient validation changed (STIX 2.0 content upgraded); absent when nothing changed. */
  changes?: PreparedChange[];
  /** The validator's remarks worth reporting (see `REPORTED_WARNINGS`); absent when there are none. */
  warnings?: PreparedIssue[];
  row: RowValues;
  /** The object to store, as JSON text. */
  object: string;
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
  const name = str(obj.name) ?? str(obj.value) ?? str(obj.pattern);
  const description = str(obj.description);
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
    name,
    description,
    sourceRef: isSighting ? str(obj.sighting_of_ref) : str(obj.source_ref),
    targetRef: isSighting
      ? Array.isArray(obj.where_sighted_refs)
        ? str(obj.where_sighted_refs[0])
        : null
      : str(obj.target_ref),
    revoked: obj.revoked === true,
    object: obj,
    search: searchVector(obj.type as string, name, description),
  };
}

/**
 * JSON text without its line breaks and the indentation after them, which a pretty-printed bundle is full of
 * (a fifth of ATT&CK's bytes): JSON strings hold no raw line break, so every one sits between tokens, where
 * whitespace means nothing, and no two tokens it separated can run together.
 */
export function withoutLineBreaks(text: string): string {
  return text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n][ \t\r\n]*/g, '') : text;
}

/**
 * Where a value holds a string PostgreSQL cannot store in a jsonb or text column: one with the character U+0000
 * or half of a surrogate pair (both only reachable through `\u` escapes). The path of the first, or undefined.
 */
export function unstorablePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path || '(the object)' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) return at;
    const found = unstorablePath(v, at);
    if (found) return found;
  }
  return undefined;
}

const UNSTORABLE = /\u0000|\p{Cs}/u;

/** The object of a prepared item, parsed again (for the version checks of an id met more than once). */
export const preparedObject = (p: PreparedItem) => JSON.parse(p.object) as Record<string, unknown>;

/** Validated rows of the bundle streamed from `source`, in batches of `batchSize` objects. */
export async function* prepareBatches(source: Readable, o: PrepareOptions): AsyncGenerator<PreparedBatch> {
  let batch: PreparedBatch = { items: [], failures: [], total: 0 };
  let total = 0;
  for await (const { index, value, text } of bundleObjects(source, o.maxBytes)) {
    total++;
    const result = validateObject(value, { lenient: true, quietOpenVocabularies: true });
    // Strings the database cannot store come only from \u escapes, which real bundles rarely hold.
    const unstorable = result.valid && text.includes('\\u') ? unstorablePath(result.object) : undefined;
    if (!result.valid || unstorable) {
      const given = value as { id?: unknown; modified?: unknown; created?: unknown } | null;
      const version = str(given?.modified) ?? str(given?.created);
      batch.failures.push({
        index,
        id: str(given?.id),
        ...(version ? { version } : {}),
        errors: unstorable
          ? [
              {
                path: unstorable,
                rule: 'unstorable-string',
                message: 'holds the character U+0000 or half of a surrogate pair, which cannot be stored',
              },
            ]
          : result.errors.map((e) => ({ path: e.path, rule: e.rule, message: e.message })),
      });
    } else {
      const { object, ...row } = toRow(o.orgId, result.object as Record<string, unknown>, o.defaultTlp);
      // An object the validation left as it was is stored from the text it was read from.
      const item: PreparedItem = {
        index,
        id: row.stixId,
        version: row.version,
        row,
        object: object === value ? withoutLineBreaks(text) : JSON.stringify(object),
      };
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
