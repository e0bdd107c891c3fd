import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { is, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { type Db, type DbOrTx, rows } from '../db/client.js';
import * as schema from '../db/schema/index.js';
import { AppError } from '../errors.js';

export const FORMAT = 'citywall-export';
export const FORMAT_VERSION = 1;
const BATCH = 500;

interface TableInfo {
  name: string;
  orderBy: string[];
  serial: string[];
  dependsOn: string[];
}

/** Every table of the schema, parents before children, so an import never breaks a foreign key. */
export function tablesInOrder(): TableInfo[] {
  const infos = new Map<string, TableInfo>();
  for (const t of Object.values(schema)) {
    if (!is(t, PgTable)) continue;
    const c = getTableConfig(t);
    const pk = c.columns.filter((col) => col.primary).map((col) => col.name);
    const compositePk = c.primaryKeys[0]?.columns.map((col) => col.name) ?? [];
    infos.set(c.name, {
      name: c.name,
      orderBy: pk.length ? pk : compositePk.length ? compositePk : c.columns.map((col) => col.name),
      serial: c.columns
        .filter(
          (col) =>
            col.columnType === 'PgBigSerial53' ||
            col.columnType === 'PgBigSerial64' ||
            col.columnType === 'PgSerial',
        )
        .map((col) => col.name),
      dependsOn: c.foreignKeys
        .map((fk) => getTableConfig(fk.reference().foreignTable).name)
        .filter((n) => n !== c.name),
    });
  }
  const out: TableInfo[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const info = infos.get(name)!;
    for (const d of info.dependsOn) visit(d);
    out.push(info);
  };
  for (const name of [...infos.keys()].sort()) visit(name);
  return out;
}

const ident = (name: string) => sql.identifier(name);

async function lastMigration(db: DbOrTx): Promise<string | null> {
  const [row] = await rows<{ hash: string }>(
    db,
    sql`select hash from drizzle.__drizzle_migrations order by created_at desc limit 1`,
  ).catch(() => []);
  return row?.hash ?? null;
}

/**
 * Writes every row of every table as gzip'd JSON lines: a header, then one line per row in primary-key
 * order, then a trailer with the count and a SHA-256 of the row lines so a damaged file is refused whole.
 * Rows are rendered by PostgreSQL itself (to_jsonb, UTC) so both databases write the same bytes.
 */
export async function exportTo(
  db: Db,
  file: string,
): Promise<{ rows: number; tables: Record<string, number> }> {
  const gzip = createGzip();
  const out = createWriteStream(file);
  const done = pipeline(gzip, out);
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  let total = 0;
  const write = async (line: string) => {
    if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
  };
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local time zone 'UTC'`);
    await write(
      JSON.stringify({
        format: FORMAT,
        version: FORMAT_VERSION,
        migration: await lastMigration(tx),
        exportedAt: new Date().toISOString(),
      }),
    );
    for (const t of tablesInOrder()) {
      counts[t.name] = 0;
      let offset = 0;
      for (;;) {
        const order = sql.join(
          t.orderBy.map((c) => ident(c)),
          sql`, `,
        );
        const page = await rows<{ r: unknown }>(
          tx,
          sql`select to_jsonb(x) as r from ${ident(t.name)} x order by ${order} limit ${5000} offset ${offset}`,
        );
        for (const { r } of page) {
          const line = JSON.stringify({ t: t.name, r: typeof r === 'string' ? JSON.parse(r) : r });
          hash.update(line).update('\n');
          await write(line);
        }
        counts[t.name] += page.length;
        total += page.length;
        if (page.length < 5000) break;
        offset += page.length;
      }
    }
  });
  await write(JSON.stringify({ end: true, rows: total, sha256: hash.digest('hex') }));
  gzip.end();
  await done;
  return { rows: total, tables: counts };
}

async function* readLines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file).pipe(createGunzip());
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of rl) if (line) yield line;
  } catch (e) {
    throw new AppError(
      'bad_request',
      `${file} is not a Citywall export (not a readable gzip file): ${(e as Error).message}`,
    );
  }
}

/** Reads the whole file once to check header, trailer and checksum before anything is written. */
async function checkFile(file: string) {
  const hash = createHash('sha256');
  type Header = { format?: string; version?: number; migration?: string | null };
  type Trailer = { end?: boolean; rows?: number; sha256?: string };
  let header: Header | undefined;
  let trailer: Trailer | undefined;
  let n = 0;
  let lineNo = 0;
  for await (const line of readLines(file)) {
    lineNo++;
    if (trailer) throw new AppError('bad_request', `${file}: data after the end marker (line ${lineNo})`);
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line);
    } catch {
      throw new AppError('bad_request', `${file}: line ${lineNo} is not valid JSON`);
    }
    if (!header) {
      if (obj.format !== FORMAT)
        throw new AppError('bad_request', `${file} is not a Citywall export (no ${FORMAT} header)`);
      if (obj.version !== FORMAT_VERSION)
        throw new AppError(
          'bad_request',
          `${file} has export format version ${obj.version}; this Citywall reads version ${FORMAT_VERSION}`,
        );
      header = obj as Header;
      continue;
    }
    if (obj.end) {
      trailer = obj as Trailer;
      continue;
    }
    hash.update(line).update('\n');
    n++;
  }
  if (!header) throw new AppError('bad_request', `${file} is empty`);
  if (!trailer) throw new AppError('bad_request', `${file} is truncated: the end marker is missing`);
  if (trailer.rows !== n || trailer.sha256 !== hash.digest('hex')) {
    throw new AppError(
      'bad_request',
      `${file} is damaged: its rows do not match the checksum written at export`,
    );
  }
  return header;
}

/**
 * Loads an export into the database in one transaction: all of it, or nothing. The database must be empty
 * unless `replace` is set (restore), which first empties every table.
 */
export async function importFrom(db: Db, file: string, opts: { replace?: boolean } = {}) {
  const header = await checkFile(file);
  const current = await lastMigration(db);
  if (header.migration && current && header.migration !== current) {
    throw new AppError(
      'conflict',
      'The export was written by a different version of the Citywall schema: upgrade both to the same version first',
    );
  }
  const tables = tablesInOrder();
  const known = new Set(tables.map((t) => t.name));
  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    if (opts.replace) {
      await tx.execute(
        sql`truncate ${sql.join(
          tables.map((t) => ident(t.name)),
          sql`, `,
        )} restart identity cascade`,
      );
    } else {
      for (const t of tables) {
        const [{ n }] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from ${ident(t.name)}`);
        if (n > 0)
          throw new AppError(
            'conflict',
            `The target database is not empty (table ${t.name} has rows): import into a new database, or use restore to replace`,
          );
      }
    }
    let batch: unknown[] = [];
    let batchTable = '';
    const flush = async () => {
      if (!batch.length) return;
      await tx.execute(
        sql`insert into ${ident(batchTable)} select * from jsonb_populate_recordset(null::${ident(batchTable)}, ${JSON.stringify(batch)}::jsonb)`,
      );
      counts[batchTable] = (counts[batchTable] ?? 0) + batch.length;
      batch = [];
    };
    let first = true;
    for await (const line of readLines(file)) {
      if (first) {
        first = false;
        continue;
      }
      const obj = JSON.parse(line) as { t?: string; r?: unknown; end?: boolean };
      if (obj.end) break;
      if (!obj.t || !known.has(obj.t)) throw new AppError('bad_request', `${file}: unknown table ${obj.t}`);
      if (obj.t !== batchTable || batch.length >= BATCH) {
        await flush();
        batchTable = obj.t;
      }
      batch.push(obj.r);
    }
    await flush();
    for (const t of tables) {
      for (const col of t.serial) {
        await tx.execute(
          sql`select setval(pg_get_serial_sequence(${t.name}, ${col}), coalesce((select max(${ident(col)}) from ${ident(t.name)}), 0) + 1, false)`,
        );
      }
    }
  });
  return { rows: Object.values(counts).reduce((a, b) => a + b, 0), tables: counts };
}
