import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { is, type sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite, PgliteSession } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { acquireFolderLock } from './lock.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
// Both drivers share PgDatabase's query builder; code above this file never learns which one it got.
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the embedded database lives; undefined for PostgreSQL or an in-memory PGlite. */
  dataDir?: string;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export interface OpenOptions {
  /** postgres://… ; when absent the embedded database is used. */
  url?: string;
  /** Folder for the embedded database; undefined means in memory (tests). */
  dataDir?: string;
  migrate?: boolean;
  poolSize?: number;
}

const MIGRATION_LOCK = 727_465_001;

/** Below this many UTF-16 units a text parameter goes to PGlite as text; at or above, as UTF-8 bytes. */
const BINARY_PARAM_MIN = 4096;

/** Set while PGlite serializes the elements of an array parameter, which must stay text (see `textArrays`). */
let inArray = 0;

/**
 * Parameter serializers for PGlite that hand large text, json and jsonb values over as binary-format bytes
 * (UTF-8, which Node encodes natively). PGlite's own path measures and encodes each string parameter with a
 * JavaScript loop over its characters, twice: for the one-parameter batches of an import or a rematch (tens of
 * megabytes of JSON) that was a quarter of the time. jsonb's binary format is a version byte (1) and the text.
 * Elements of array parameters stay text (PGlite escapes them into the array's literal).
 */
function utf8Param(text: string, prefix: number | null): string | Uint8Array {
  if (inArray || text.length < BINARY_PARAM_MIN) return text;
  const offset = prefix === null ? 0 : 1;
  const out = Buffer.allocUnsafe(Buffer.byteLength(text) + offset);
  if (prefix !== null) out[0] = prefix;
  out.write(text, offset);
  return out;
}
const asText = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
const asJsonText = (v: unknown) =>
  typeof v === 'string' ? v : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
// PGlite's types say a serializer answers a string; its bind step sends any Uint8Array it gets in binary format.
const PGLITE_SERIALIZERS = {
  25: (v: unknown) => utf8Param(asText(v), null), // text
  1043: (v: unknown) => utf8Param(asText(v), null), // varchar
  114: (v: unknown) => utf8Param(asJsonText(v), null), // json
  3802: (v: unknown) => utf8Param(asJsonText(v), 1), // jsonb
} as unknown as Record<number, (value: unknown) => string>;
/** Array types of the types above: text[], varchar[], json[], jsonb[]. */
const ARRAY_TYPES = [1009, 1015, 199, 3807];

/**
 * PGlite builds the serializer of an array type from its element's; wraps those of `ARRAY_TYPES` so that the
 * elements are serialized as text.
 */
function textArrays(client: PGlite) {
  for (const oid of ARRAY_TYPES) {
    const serialize = client.serializers[oid];
    if (!serialize) continue;
    client.serializers[oid] = (v: unknown) => {
      inArray++;
      try {
        return serialize(v);
      } finally {
        inArray--;
      }
    };
  }
}

/** Opens PGlite in `folder` (an existing cluster) or in memory, with the serializers above. */
async function openPglite(folder?: string): Promise<PGlite> {
  const options = { serializers: PGLITE_SERIALIZERS };
  const client = folder ? await PGlite.create(folder, options) : await PGlite.create(options);
  textArrays(client);
  return client;
}

/**
 * Creates the embedded database's cluster in a new folder from a worker thread. Creating a cluster runs initdb,
 * whose memory (about 500 MB) PGlite keeps for the life of the thread; in a worker it is returned when the
 * worker ends, and the server then opens the folder like any existing one.
 */
async function createCluster(folder: string): Promise<void> {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { PGlite } = require(workerData.pglite);
    PGlite.create(workerData.folder)
      .then((db) => db.close())
      .then(() => parentPort.postMessage({ ok: true }))
      .catch((e) => parentPort.postMessage({ error: String((e && e.message) || e) }));`;
  await new Promise<void>((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { pglite, folder } });
    let answer: { ok?: boolean; error?: string } | undefined;
    worker.once('message', (m: { ok?: boolean; error?: string }) => {
      answer = m;
    });
    worker.once('error', reject);
    worker.once('exit', () => {
      if (answer?.ok) resolve();
      else
        reject(new Error(`Could not create the embedded database: ${answer?.error ?? 'the worker stopped'}`));
    });
  });
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const runMigrations = opts.migrate ?? true;
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on next use.
    });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    if (runMigrations) {
      // Several servers may start at once on one PostgreSQL: one migrates, the others wait for it.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    }
    return { db, kind: 'postgres', close: () => pool.end() };
  }
  let release: (() => void) | undefined;
  let client: PGlite;
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    release = acquireFolderLock(join(opts.dataDir, 'citywall.lock'));
    try {
      const folder = join(opts.dataDir, 'pglite');
      if (!existsSync(join(folder, 'PG_VERSION'))) await createCluster(folder);
      client = await openPglite(folder);
    } catch (e) {
      release();
      throw e;
    }
  } else {
    client = await openPglite();
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  if (runMigrations) await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
  return {
    db,
    kind: 'pglite',
    dataDir: opts.dataDir,
    close: async () => {
      await client.close();
      release?.();
    },
  };
}

/**
 * Whether `db` (or the transaction) runs on the embedded database. PGlite has one session: while a transaction
 * runs, no other statement does, so what the transaction read stays as it read it until it ends.
 */
export const isEmbedded = (db: DbOrTx) => is(db._.session, PgliteSession);

/**
 * Runs `statement`, a `COPY … FROM '/dev/blob'`, on the embedded database with `data` as the file it reads
 * (PGlite serves the blob as that device); answers the number of rows copied. One string, not a list of parts:
 * PGlite reads the blob through `arrayBuffer()`, which walks a blob's parts one at a time.
 */
export async function copyFromBlob(db: DbOrTx, statement: string, data: string): Promise<number> {
  const { client } = db._.session as unknown as { client: Pick<PGlite, 'query'> };
  const result = await client.query(statement, [], { blob: new Blob([data]) });
  return result.affectedRows ?? 0;
}

export async function rows<T = Record<string, unknown>>(
  db: DbOrTx,
  query: ReturnType<typeof sql>,
): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** `s` with the LIKE wildcards `%` and `_` (and the escape `\`) escaped, to match literally in LIKE / ILIKE. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** An ILIKE pattern for "contains `q`", its wildcards taken literally. */
export const containsLike = (q: string) => `%${escapeLike(q)}%`;
