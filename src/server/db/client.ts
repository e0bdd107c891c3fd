import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
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
      client = await PGlite.create(join(opts.dataDir, 'pglite'));
    } catch (e) {
      release();
      throw e;
    }
  } else {
    client = await PGlite.create();
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
