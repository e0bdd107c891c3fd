import { and, asc, count, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { TlpLevel } from '../../../core/stix/index.js';
import { copyFromBlob, type DbOrTx, escapeLike, isEmbedded, rows } from '../../db/client.js';
import {
  communityMembers,
  communitySettings,
  intelReceived,
  organizations,
  stixObjects,
  stixShares,
  taxiiFeedRuns,
  taxiiFeeds,
} from '../../db/schema/index.js';
import { searchQuery } from './intel.search.js';
import { type Clearance, visibleSql } from './tlp-policy.js';

/** The properties through which one object references others (STIX 2.1 "embedded relationships") that the graph follows. */
export const EMBEDDED_REFS = [
  'object_refs',
  'sighting_of_ref',
  'where_sighted_refs',
  'observed_data_refs',
] as const;
export type EmbeddedRef = (typeof EMBEDDED_REFS)[number];
/** The types that hold them. */
const EMBEDDED_HOLDERS = ['report', 'grouping', 'opinion', 'note', 'observed-data', 'sighting'];

export type StixRow = typeof stixObjects.$inferSelect;
export type StixInsert = typeof stixObjects.$inferInsert;
/** The columns of a row but the object. */
export type RowValues = Omit<StixInsert, 'object'>;

const texts = (values: readonly string[]) => sql`${sql.param(values)}::text[]`;

export interface ObjectFilter {
  q?: string;
  type?: string[];
  label?: string;
  tlp?: string[];
  createdByRef?: string;
  addedAfter?: Date;
  includeRevoked?: boolean;
}

/** Columns of a listed object; `object` stays in the database until someone opens it. */
export interface SummaryRow {
  org_id: string;
  org_name: string;
  stix_id: string;
  version: string;
  type: string;
  name: string | null;
  description: string | null;
  tlp: string;
  labels: string[];
  created_by_ref: string | null;
  modified: Date | string | null;
  revoked: boolean;
  date_added: Date | string;
}

function filterSql(f: ObjectFilter) {
  const conds = [sql`o.is_latest`];
  if (!f.includeRevoked) conds.push(sql`not o.revoked`);
  if (f.type?.length) conds.push(sql`o.type = any(${texts(f.type)})`);
  if (f.tlp?.length) conds.push(sql`o.tlp = any(${texts(f.tlp)})`);
  // Containment, the form the GIN index on labels answers; the index covers labelled rows only, and the
  // planner uses it when the query states that condition too.
  if (f.label) conds.push(sql`o.labels <> '{}' and o.labels @> array[${f.label}]::text[]`);
  if (f.createdByRef) conds.push(sql`o.created_by_ref = ${f.createdByRef}`);
  if (f.addedAfter) conds.push(sql`o.date_added > ${f.addedAfter.toISOString()}::timestamptz`);
  if (f.q) {
    // Every word of q, or the start of a word ("beac" finds "beacon"), in the name or description (the words of
    // intel.search.ts); or an exact id. Both arms are indexed, so a search never reads the whole table.
    const words = searchQuery(f.q);
    conds.push(
      words
        ? sql`((o.search is not null and o.search @@ ${words}::tsquery) or o.stix_id = ${f.q})`
        : sql`o.stix_id = ${f.q}`,
    );
  }
  return sql.join(conds, sql` and `);
}

/**
 * TAXII's match[version] over a row aliased `alias` (`v` by default): last, first, all or exact timestamps, OR-ed.
 * A version is its `modified` (or `created`, both kept in `modified`), and for an object with neither its
 * `date_added`, the version the TAXII server serves for it.
 */
export function versionSql(versions: string[] | undefined, alias = 'v') {
  const list = versions?.length ? versions : ['last'];
  if (list.includes('all')) return sql`true`;
  const a = sql.raw(alias);
  const parts = list.map((v) => {
    if (v === 'last') return sql`${a}.is_latest`;
    if (v === 'first')
      return sql`not exists (select 1 from stix_objects p where p.org_id = ${a}.org_id and p.stix_id = ${a}.stix_id
        and coalesce(p.modified, p.date_added) < coalesce(${a}.modified, ${a}.date_added))`;
    return sql`coalesce(${a}.modified, ${a}.date_added) = ${v}::timestamptz`;
  });
  return sql`(${sql.join(parts, sql` or `)})`;
}

/**
 * A row as the JSON record `jsonb_populate_recordset` reads (column names as keys), its object spliced in as
 * the JSON text `objectText`; `is_latest` is left to its default and `date_added` is set by the insert.
 */
function rowRecord(v: RowValues, objectText: string): string {
  const head = JSON.stringify({
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
    search: v.search ?? null,
  });
  // `{…,"search":…}` becomes `{…,"search":…,"object":…}`.
  return `${head.slice(0, -1)},"object":${objectText}}`;
}

/**
 * COPY in CSV form with a tab between values and the control character U+0001 as the quote: a JSON text never
 * holds that character raw (JSON escapes every control character), so an object goes in as it is, with
 * nothing to escape, where COPY's text form would double every backslash. An unquoted empty value is null.
 */
const COPY_STIX_OBJECTS = `copy stix_objects (org_id, stix_id, version, type, spec_version, modified,
  created_by_ref, tlp, marking_refs, labels, name, description, source_ref, target_ref, revoked, search, date_added,
  object) from '/dev/blob' with (format csv, delimiter e'\\t', quote e'\\x01')`;

const QUOTE = '\x01';

/** A value of COPY_STIX_OBJECTS: quoted (the quote doubled inside), or nothing for null. */
function copyValue(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return `${QUOTE}${value.includes(QUOTE) ? value.replaceAll(QUOTE, QUOTE + QUOTE) : value}${QUOTE}`;
}

/** A text array as its PostgreSQL literal, each element quoted. */
const arrayLiteral = (values: readonly string[] | undefined) =>
  values?.length ? `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}` : '{}';

/** A time in microseconds since the epoch, as an ISO 8601 timestamp with its six fractional digits. */
function microsIso(micros: number): string {
  const ms = Math.floor(micros / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros - ms * 1000).padStart(3, '0')}Z`;
}

/**
 * A row of COPY_STIX_OBJECTS up to its object, which follows as JSON text (so with nothing to escape), then
 * ROW_END.
 */
function copyHead(v: RowValues, dateAddedMicros: number): string {
  const values = [
    v.orgId,
    v.stixId,
    v.version,
    v.type,
    v.specVersion,
    v.modified ? v.modified.toISOString() : null,
    v.createdByRef,
    v.tlp,
    arrayLiteral(v.markingRefs),
    arrayLiteral(v.labels),
    v.name,
    v.description,
    v.sourceRef,
    v.targetRef,
    v.revoked ? 't' : 'f',
    v.search,
    microsIso(dateAddedMicros),
  ];
  return `${values.map(copyValue).join('\t')}\t${QUOTE}`;
}

const ROW_END = `${QUOTE}\n`;

export const intelRepository = {
  async deleteVersions(db: DbOrTx, orgId: string, stixId: string, versions: string[] | undefined) {
    const cond = versions?.length && !versions.includes('all') ? versionSql(versions) : sql`true`;
    const deleted = await rows<{ stix_id: string }>(
      db,
      sql`delete from stix_objects v where v.org_id = ${orgId} and v.stix_id = ${stixId} and ${cond}
          returning v.stix_id`,
    );
    return deleted.length;
  },

  /**
   * Inserts rows in one statement with a single JSON parameter (no per-column parameters to bind), skipping
   * versions already stored. `is_latest` takes its default.
   */
  async insertMany(db: DbOrTx, values: StixInsert[]): Promise<number> {
    return intelRepository.insertRecords(
      db,
      values.map(({ object, ...row }) => rowRecord(row, JSON.stringify(object))),
    );
  },

  /**
   * Inserts the rows of an import, which has checked them against the stored versions, each `object` the JSON
   * text to store. PostgreSQL takes them as `insertRecords` does (another session may insert the same version
   * meanwhile, which the insert then skips). PGlite, where no other session runs, reads them with COPY, which
   * writes a page of rows at a time and parses no batch-wide JSON: inserting ATT&CK's rows takes about a tenth
   * less time and the import's peak memory about 150 MB less (docs/performance.md, seventh round). `date_added`
   * follows the same rule either way.
   */
  async insertChecked(
    db: DbOrTx,
    items: readonly { row: RowValues; object: string }[],
    first: number,
  ): Promise<number> {
    if (!items.length) return 0;
    if (!isEmbedded(db)) {
      return intelRepository.insertRecords(
        db,
        items.map((i) => rowRecord(i.row, i.object)),
        first,
      );
    }
    const [{ now }] = await rows<{ now: string }>(
      db,
      sql`select (extract(epoch from now()) * 1000000)::bigint::text as now`,
    );
    const start = Number(now) + first;
    const parts: string[] = [];
    for (const [k, i] of items.entries()) {
      parts.push(copyHead(i.row, start + k + 1), i.object, ROW_END);
    }
    return copyFromBlob(db, COPY_STIX_OBJECTS, parts.join(''));
  },

  /**
   * `insertMany` for rows already serialized by `rowRecord`. Each row's `date_added` is the transaction's time
   * plus its position in the transaction in microseconds (`first` is the position of the first record), so the
   * rows of one import are strictly ordered: a TAXII client that resumes with `added_after` set to the last
   * `date_added` it received gets exactly the rows of that import after it. (Across transactions that run at the
   * same time on PostgreSQL, one committing after the other with earlier dates, no such order holds: a client
   * that paged in between can miss the later commit's rows. PGlite runs one transaction at a time.)
   */
  async insertRecords(db: DbOrTx, records: readonly string[], first = 0): Promise<number> {
    if (!records.length) return 0;
    const inserted = await rows<{ n: number }>(
      db,
      sql`with added as (
            insert into stix_objects (org_id, stix_id, version, type, spec_version, modified, created_by_ref, tlp,
              marking_refs, labels, name, description, source_ref, target_ref, revoked, object, search, date_added)
            select org_id, stix_id, version, type, spec_version, modified, created_by_ref, tlp,
              marking_refs, labels, name, description, source_ref, target_ref, revoked, object, search,
              now() + (${first}::int + r.ordinality) * interval '1 microsecond'
            from jsonb_populate_recordset(null::stix_objects, ${`[${records.join(',')}]`}::jsonb)
              with ordinality as r
            on conflict do nothing
            returning 1)
          select count(*)::int as n from added`,
    );
    return inserted[0].n;
  },

  /**
   * For the rest of the transaction, lets the GIN indexes (full-text, labels, markings) queue new entries in
   * their pending list instead of merging them row by row; `endBulkLoad` merges the queue in bulk before commit.
   */
  async beginBulkLoad(db: DbOrTx) {
    await db.execute(sql`set local gin_pending_list_limit = '64MB'`);
    await db.execute(sql`set local work_mem = '64MB'`);
  },

  /** Merges the GIN pending lists, so searches after the import read merged indexes only, and analyzes the table. */
  async endBulkLoad(db: DbOrTx) {
    await db.execute(sql`select gin_clean_pending_list(i.indexrelid) from pg_index i
      join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
      where i.indrelid = 'stix_objects'::regclass and a.amname = 'gin'`);
    // Fresh statistics, so the planner sees the new rows (PGlite has no autovacuum to do it). Only the columns
    // queries filter, join or order on: sampling the stored objects and descriptions would cost more than the
    // rest of the analysis and no plan depends on them. A sample of 9,000 rows (statistics target 30) rather
    // than 30,000: the plans here turn on equality and a few frequent values (owner, type, TLP), and the
    // larger sample cost about 0.2 s of every import.
    await db.execute(sql`set local default_statistics_target = 30`);
    await db.execute(sql`analyze stix_objects (org_id, stix_id, type, tlp, is_latest, revoked, date_added,
      created_by_ref, source_ref, target_ref, labels, name)`);
  },

  /** Marks, for each id, the newest version (a revoked one wins a tie) as the latest. */
  async refreshLatest(db: DbOrTx, orgId: string, stixIds: readonly string[]) {
    if (!stixIds.length) return;
    await db.execute(sql`update stix_objects o set is_latest = (o.version = l.version)
      from (select distinct on (stix_id) stix_id, version from stix_objects
            where org_id = ${orgId} and stix_id = any(${texts(stixIds)})
            order by stix_id, modified desc nulls last, revoked desc, version desc) l
      where o.org_id = ${orgId} and o.stix_id = l.stix_id and o.is_latest <> (o.version = l.version)`);
  },

  async versionsOf(db: DbOrTx, orgId: string, stixIds: readonly string[]) {
    if (!stixIds.length) return [];
    return db
      .select({ stixId: stixObjects.stixId, object: stixObjects.object })
      .from(stixObjects)
      .where(and(eq(stixObjects.orgId, orgId), sql`${stixObjects.stixId} = any(${texts(stixIds)})`));
  },

  async list(db: DbOrTx, c: Clearance, f: ObjectFilter, limit: number, offset: number) {
    const where = sql`${filterSql(f)} and ${visibleSql(c)}`;
    const items = await rows<SummaryRow>(
      db,
      sql`select o.org_id, org.name as org_name, o.stix_id, o.version, o.type, o.name,
            left(o.description, 500) as description, o.tlp, o.labels, o.created_by_ref, o.modified, o.revoked,
            o.date_added
          from stix_objects o join organizations org on org.id = o.org_id
          where ${where}
          order by o.date_added desc, o.stix_id, o.org_id limit ${limit} offset ${offset}`,
    );
    const [{ n }] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from stix_objects o where ${where}`,
    );
    return { items, total: n };
  },

  /**
   * Latest, unrevoked STIX-pattern indicators the reader may see whose pattern names one of `scoTypes`, with
   * their owner: what observables are checked against. One more row than `limit` tells the caller it was cut.
   */
  async visibleIndicators(db: DbOrTx, c: Clearance, scoTypes: readonly string[], limit: number) {
    if (!scoTypes.length) return [];
    const likes = scoTypes.map((t) => `%${escapeLike(t)}:%`);
    return rows<{
      org_id: string;
      org_name: string;
      stix_id: string;
      tlp: string;
      object: Record<string, unknown>;
    }>(
      db,
      sql`select o.org_id, org.name as org_name, o.stix_id, o.tlp, o.object
          from stix_objects o join organizations org on org.id = o.org_id
          where o.is_latest and not o.revoked and o.type = 'indicator'
            and coalesce(o.object->>'pattern_type', 'stix') = 'stix'
            and o.object->>'pattern' like any(${texts(likes)})
            and ${visibleSql(c)}
          order by o.date_added desc, o.stix_id, o.org_id limit ${limit + 1}`,
    );
  },

  /** Full latest objects for an export, in a stable order. */
  async exportObjects(db: DbOrTx, c: Clearance, f: ObjectFilter, limit: number) {
    return rows<{ object: Record<string, unknown>; tlp: string }>(
      db,
      sql`select o.object, o.tlp from stix_objects o where ${filterSql(f)} and ${visibleSql(c)}
          order by o.date_added, o.stix_id limit ${limit}`,
    );
  },

  /** Whether more than `limit` objects match what `exportObjects` reads: an export of `limit` was cut. */
  async exportExceeds(db: DbOrTx, c: Clearance, f: ObjectFilter, limit: number) {
    const [r] = await rows<{ more: boolean }>(
      db,
      sql`select exists (select 1 from stix_objects o where ${filterSql(f)} and ${visibleSql(c)}
          offset ${limit}) as more`,
    );
    return r?.more === true;
  },

  /**
   * Owners holding a visible latest version of the id, the reader's own organization first. Visibility is
   * decided on the latest version: an older version never reopens what a newer marking closed.
   */
  async visibleOwners(db: DbOrTx, c: Clearance, stixId: string) {
    return rows<{ org_id: string; org_name: string }>(
      db,
      sql`select o.org_id, org.name as org_name from stix_objects o join organizations org on org.id = o.org_id
          where o.stix_id = ${stixId} and o.is_latest and ${visibleSql(c)}
          order by (o.org_id = ${c.orgId}::uuid) desc, o.date_added desc`,
    );
  },

  /** Versions of one owner's object; with a clearance, only the versions whose own marking the reader may see. */
  async versions(db: DbOrTx, orgId: string, stixId: string, c?: Clearance): Promise<StixRow[]> {
    return db
      .select()
      .from(stixObjects)
      .where(
        and(
          eq(stixObjects.orgId, orgId),
          eq(stixObjects.stixId, stixId),
          c ? visibleSql(c, 'stix_objects') : undefined,
        ),
      )
      .orderBy(sql`${stixObjects.modified} asc nulls first`, asc(stixObjects.version));
  },

  async owns(db: DbOrTx, orgId: string, stixId: string): Promise<boolean> {
    const r = await rows(
      db,
      sql`select 1 from stix_objects where org_id = ${orgId} and stix_id = ${stixId} limit 1`,
    );
    return r.length > 0;
  },

  /**
   * Visible, live relationships touching any of the ids. (Sightings are objects of the graph, joined to what they
   * reference by `embeddedTouching`.)
   */
  async edgesTouching(db: DbOrTx, c: Clearance, ids: readonly string[], limit: number) {
    return rows<{
      stix_id: string;
      type: string;
      name: string | null;
      relationship_type: string | null;
      source_ref: string;
      target_ref: string;
    }>(
      db,
      sql`select distinct on (o.stix_id) o.stix_id, o.type, o.name, o.object->>'relationship_type' as relationship_type,
            o.source_ref, o.target_ref
          from stix_objects o
          where o.is_latest and not o.revoked and o.source_ref is not null and o.type = 'relationship'
            and (o.source_ref = any(${texts(ids)}) or o.target_ref = any(${texts(ids)}))
            and ${visibleSql(c)}
          order by o.stix_id, (o.org_id = ${c.orgId}::uuid) desc
          limit ${limit}`,
    );
  },

  /**
   * Embedded relationships touching any of the ids: every reference in the `EMBEDDED_REFS` properties of a
   * visible, live holder (report, grouping, opinion, note, observed data, sighting), whether the holder is one of
   * the ids (all its references) or references one of them (those references only). Each row is one reference:
   * holder, property and referenced id; whether the referenced object is visible is left to `nodes`.
   *
   * A sighting's `sighting_of_ref` and first `where_sighted_refs` are columns with their own indexes, but the other
   * references live only in the JSON arrays, and finding the holders that reference an id reads every row of the
   * holder types (no index covers them); measured in docs/performance.md.
   */
  async embeddedTouching(db: DbOrTx, c: Clearance, ids: readonly string[], limit: number) {
    if (!ids.length) return [];
    const list = texts(ids);
    const arrays = EMBEDDED_REFS.filter((p) => p !== 'sighting_of_ref');
    const arrayRefs = sql.join(
      arrays.map((p) => sql`o.object->${sql.raw(`'${p}'`)} ?| ${list}`),
      sql` or `,
    );
    const props = sql.join(
      arrays.map((p) => sql.raw(`('${p}')`)),
      sql`, `,
    );
    return rows<{ holder: string; property: EmbeddedRef; ref: string }>(
      db,
      sql`with h as (
            select distinct on (o.stix_id) o.stix_id, o.object
            from stix_objects o
            where o.is_latest and not o.revoked and o.type = any(${texts(EMBEDDED_HOLDERS)})
              and (o.stix_id = any(${list}) or o.source_ref = any(${list}) or o.target_ref = any(${list})
                or ${arrayRefs})
              and ${visibleSql(c)}
            order by o.stix_id, (o.org_id = ${c.orgId}::uuid) desc
          ), refs as (
            select h.stix_id as holder, p.prop as property, r.ref
            from h cross join lateral (values ${props}) p(prop)
              cross join lateral jsonb_array_elements_text(case when jsonb_typeof(h.object->p.prop) = 'array'
                then h.object->p.prop else '[]'::jsonb end) r(ref)
            union all
            select h.stix_id, 'sighting_of_ref', h.object->>'sighting_of_ref'
            from h where jsonb_typeof(h.object->'sighting_of_ref') = 'string'
          )
          select distinct holder, property, ref from refs
          where holder = any(${list}) or ref = any(${list})
          order by holder, property, ref
          limit ${limit}`,
    );
  },

  async nodes(db: DbOrTx, c: Clearance, ids: readonly string[]) {
    if (!ids.length) return [];
    return rows<{ stix_id: string; type: string; name: string | null; tlp: string; revoked: boolean }>(
      db,
      sql`select distinct on (o.stix_id) o.stix_id, o.type, o.name, o.tlp, o.revoked
          from stix_objects o
          where o.is_latest and o.stix_id = any(${texts(ids)}) and ${visibleSql(c)}
          order by o.stix_id, (o.org_id = ${c.orgId}::uuid) desc`,
    );
  },

  async sharesOf(db: DbOrTx, orgId: string, stixId: string) {
    return db
      .select({
        targetOrgId: stixShares.targetOrgId,
        targetName: organizations.name,
        targetKind: organizations.kind,
        createdAt: stixShares.createdAt,
      })
      .from(stixShares)
      .innerJoin(organizations, eq(organizations.id, stixShares.targetOrgId))
      .where(and(eq(stixShares.orgId, orgId), eq(stixShares.stixId, stixId)))
      .orderBy(asc(organizations.name));
  },

  /**
   * For each owned id: the level of its latest version, and the strictest level above GREEN at which a version
   * of it was received from another organization's server (null when none was), which TLP 2.0 keeps from
   * being passed on.
   */
  async shareStates(db: DbOrTx, orgId: string, stixIds: readonly string[]) {
    if (!stixIds.length) return [];
    return rows<{ stix_id: string; tlp: string; received_tlp: string | null }>(
      db,
      sql`select o.stix_id, o.tlp,
            (select v.tlp from intel_received r join stix_objects v on v.org_id = r.org_id
               and v.stix_id = r.stix_id and v.version = r.version
             where r.org_id = o.org_id and r.stix_id = o.stix_id and v.tlp not in ('clear', 'green')
             order by array_position(array['amber', 'amber+strict', 'red'], v.tlp) desc limit 1) as received_tlp
          from stix_objects o
          where o.org_id = ${orgId} and o.stix_id = any(${texts(stixIds)}) and o.is_latest`,
    );
  },

  async addShare(db: DbOrTx, row: typeof stixShares.$inferInsert) {
    const r = await db.insert(stixShares).values(row).onConflictDoNothing().returning();
    return r[0];
  },

  async removeShare(db: DbOrTx, orgId: string, stixId: string, targetOrgId: string) {
    const r = await db
      .delete(stixShares)
      .where(
        and(
          eq(stixShares.orgId, orgId),
          eq(stixShares.stixId, stixId),
          eq(stixShares.targetOrgId, targetOrgId),
        ),
      )
      .returning();
    return r[0];
  },
};

export const communitiesRepository = {
  /** Communities the given organizations are members of. */
  async communitiesOf(db: DbOrTx, memberOrgIds: readonly string[]) {
    if (!memberOrgIds.length) return [];
    return db
      .selectDistinct({
        id: organizations.id,
        name: organizations.name,
        slug: organizations.slug,
        defaultTlp: sql<TlpLevel>`coalesce(${communitySettings.defaultTlp}, 'amber')`,
      })
      .from(communityMembers)
      .innerJoin(organizations, eq(organizations.id, communityMembers.orgId))
      .leftJoin(communitySettings, eq(communitySettings.orgId, communityMembers.orgId))
      .where(inArray(communityMembers.memberOrgId, [...memberOrgIds]))
      .orderBy(asc(organizations.name), asc(organizations.id));
  },

  /** The level of unmarked objects published to the community (AMBER unless its settings say otherwise). */
  async defaultTlp(db: DbOrTx, communityId: string): Promise<string> {
    const [row] = await db
      .select({ tlp: communitySettings.defaultTlp })
      .from(communitySettings)
      .where(eq(communitySettings.orgId, communityId));
    return row?.tlp ?? 'amber';
  },

  async setDefaultTlp(db: DbOrTx, communityId: string, tlp: string) {
    await db
      .insert(communitySettings)
      .values({ orgId: communityId, defaultTlp: tlp })
      .onConflictDoUpdate({
        target: communitySettings.orgId,
        set: { defaultTlp: tlp, updatedAt: new Date() },
      });
  },

  async members(db: DbOrTx, communityId: string) {
    return db
      .select({
        orgId: organizations.id,
        name: organizations.name,
        slug: organizations.slug,
        kind: organizations.kind,
        createdAt: communityMembers.createdAt,
      })
      .from(communityMembers)
      .innerJoin(organizations, eq(organizations.id, communityMembers.memberOrgId))
      .where(eq(communityMembers.orgId, communityId))
      .orderBy(asc(organizations.name));
  },

  async isMember(db: DbOrTx, communityId: string, memberOrgId: string) {
    const r = await db
      .select({ x: communityMembers.orgId })
      .from(communityMembers)
      .where(and(eq(communityMembers.orgId, communityId), eq(communityMembers.memberOrgId, memberOrgId)));
    return r.length > 0;
  },

  async add(db: DbOrTx, communityId: string, memberOrgId: string) {
    const r = await db
      .insert(communityMembers)
      .values({ orgId: communityId, memberOrgId })
      .onConflictDoNothing()
      .returning();
    return r[0];
  },

  async remove(db: DbOrTx, communityId: string, memberOrgId: string) {
    const r = await db
      .delete(communityMembers)
      .where(and(eq(communityMembers.orgId, communityId), eq(communityMembers.memberOrgId, memberOrgId)))
      .returning();
    return r[0];
  },
};

export type FeedRow = typeof taxiiFeeds.$inferSelect;

export const feedsRepository = {
  async list(db: DbOrTx, orgId: string) {
    return db.select().from(taxiiFeeds).where(eq(taxiiFeeds.orgId, orgId)).orderBy(asc(taxiiFeeds.name));
  },
  async all(db: DbOrTx) {
    return db.select().from(taxiiFeeds).orderBy(asc(taxiiFeeds.createdAt));
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<FeedRow | undefined> {
    const [row] = await db
      .select()
      .from(taxiiFeeds)
      .where(and(eq(taxiiFeeds.orgId, orgId), eq(taxiiFeeds.id, id)));
    return row;
  },
  async insert(db: DbOrTx, row: typeof taxiiFeeds.$inferInsert) {
    const [created] = await db.insert(taxiiFeeds).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<typeof taxiiFeeds.$inferInsert>) {
    await db.update(taxiiFeeds).set(patch).where(eq(taxiiFeeds.id, id));
  },
  /**
   * Moves a push feed's cursor from `from` to `to` only while the feed still has `from` and the address,
   * collection and maximum TLP the run started with: false when the feed was changed or deleted meanwhile.
   */
  async advancePush(
    db: DbOrTx,
    feed: Pick<FeedRow, 'id' | 'apiRoot' | 'collectionId' | 'maxTlp'>,
    from: FeedRow['pushCursor'],
    to: NonNullable<FeedRow['pushCursor']>,
  ) {
    const moved = await rows<{ id: string }>(
      db,
      sql`update taxii_feeds set push_cursor = ${JSON.stringify(to)}::jsonb
          where id = ${feed.id} and api_root = ${feed.apiRoot} and collection_id = ${feed.collectionId}
            and max_tlp is not distinct from ${feed.maxTlp}
            and push_cursor is not distinct from ${from === null || from === undefined ? null : JSON.stringify(from)}::jsonb
          returning id`,
    );
    return moved.length > 0;
  },
  /** Records object versions as received through a pull feed (kept once: the first feed that brought them). */
  async markReceived(db: DbOrTx, orgId: string, feedId: string, versions: { id: string; version: string }[]) {
    if (!versions.length) return;
    await db
      .insert(intelReceived)
      .values(versions.map((v) => ({ orgId, stixId: v.id, version: v.version, feedId })))
      .onConflictDoNothing();
  },
  async patch(db: DbOrTx, orgId: string, id: string, patch: Partial<typeof taxiiFeeds.$inferInsert>) {
    const [row] = await db
      .update(taxiiFeeds)
      .set(patch)
      .where(and(eq(taxiiFeeds.orgId, orgId), eq(taxiiFeeds.id, id)))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, orgId: string, id: string) {
    const r = await db
      .delete(taxiiFeeds)
      .where(and(eq(taxiiFeeds.orgId, orgId), eq(taxiiFeeds.id, id)))
      .returning();
    return r[0];
  },
};

export type FeedRunRow = typeof taxiiFeedRuns.$inferSelect;

/** A stored version an outbound (push) feed may send, with the TLP of the object's latest version. */
export interface PushRow {
  stix_id: string;
  version: string;
  tlp: string;
  latest_tlp: string | null;
  received: boolean;
  date_added: string;
  object: Record<string, unknown>;
}

export const pushRepository = {
  /**
   * The organization's own stored versions after the cursor, in the order they were added (ties by id and
   * version), with the TLP of the object's latest version: a newer, stricter marking holds back older versions.
   */
  async after(
    db: DbOrTx,
    orgId: string,
    cursor: { dateAdded: string; stixId: string; version: string } | null,
    limit: number,
    /** Versions added less than this long ago are left for a later run (see `feedsService.push`). */
    settleSeconds = 0,
  ) {
    const after = cursor
      ? // The organization is fixed, so this is the keyset of stix_objects_added_idx (date_added, org_id, id, version).
        sql`and (o.date_added, o.org_id, o.stix_id, o.version) > (${cursor.dateAdded}::timestamptz, ${orgId}::uuid,
            ${cursor.stixId}, ${cursor.version})`
      : sql``;
    return rows<PushRow>(
      db,
      sql`select o.stix_id, o.version, o.tlp, o.object,
            (select l.tlp from stix_objects l where l.org_id = o.org_id and l.stix_id = o.stix_id and l.is_latest
              limit 1) as latest_tlp,
            exists (select 1 from intel_received r where r.org_id = o.org_id and r.stix_id = o.stix_id
              and r.version = o.version) as received,
            to_char(o.date_added at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as date_added
          from stix_objects o
          where o.org_id = ${orgId} ${after}
            and o.date_added < now() - make_interval(secs => ${settleSeconds})
          order by o.date_added, o.org_id, o.stix_id, o.version limit ${limit}`,
    );
  },
};

export const feedRunsRepository = {
  /** Drops runs that finished before `before` (a feed runs every 15 minutes: history is kept for a while). */
  async purgeBefore(db: DbOrTx, before: Date) {
    const r = await db.delete(taxiiFeedRuns).where(lt(taxiiFeedRuns.finishedAt, before)).returning({
      id: taxiiFeedRuns.id,
    });
    return r.length;
  },
  async insert(db: DbOrTx, row: typeof taxiiFeedRuns.$inferInsert) {
    const [created] = await db.insert(taxiiFeedRuns).values(row).returning();
    return created;
  },
  async list(db: DbOrTx, orgId: string, feedId: string, limit: number, offset: number) {
    const where = and(eq(taxiiFeedRuns.orgId, orgId), eq(taxiiFeedRuns.feedId, feedId));
    const items = await db
      .select()
      .from(taxiiFeedRuns)
      .where(where)
      .orderBy(desc(taxiiFeedRuns.startedAt), desc(taxiiFeedRuns.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(taxiiFeedRuns).where(where);
    return { items, total: n };
  },
};
