import { and, eq, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../db/client.js';
import { stixObjects, taxiiStatuses } from '../db/schema/index.js';
import { versionSql } from '../modules/intel/intel.repository.js';
import { type Clearance, visibleSql } from '../modules/intel/tlp-policy.js';

/** What a TAXII collection holds: everything its API root organization may see, or one community's share. */
export type CollectionScope = { kind: 'all' } | { kind: 'community'; communityId: string };

export interface TaxiiQuery {
  addedAfter?: string;
  ids?: string[];
  types?: string[];
  versions?: string[];
  specVersions?: string[];
  /** Keyset position after which the page starts. */
  after?: [string, string, string, string];
  limit: number;
}

export interface TaxiiRow {
  org_id: string;
  stix_id: string;
  /** The stored version key ('' for an object with neither `modified` nor `created`): the keyset position. */
  key_version: string;
  /** The version TAXII serves: `modified`, else `created`, else `date_added` (see `servedVersion`). */
  version: string;
  spec_version: string | null;
  type: string;
  date_added: string;
  object?: Record<string, unknown>;
  /** With objects: the version's level, and the latest version's when older versions may be served. */
  tlp?: string;
  latest_tlp?: string | null;
}

const texts = (values: readonly string[]) => sql`${sql.param(values)}::text[]`;

/** `date_added` as TAXII writes timestamps: RFC 3339 in UTC with microseconds. */
const addedSql = (alias: string) =>
  sql.raw(`to_char(${alias}.date_added at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

/**
 * The version of a stored object as TAXII names it (manifest records, versions, status): its `modified`, else
 * its `created` (both kept in `version`), and for an object with neither its `date_added`, the same instant
 * `match[version]` compares (see `versionSql`).
 */
const servedVersion = (alias: string) =>
  sql`case when ${sql.raw(alias)}.version = '' then ${addedSql(alias)} else ${sql.raw(alias)}.version end`;

function scopeSql(scope: CollectionScope, alias = 'v') {
  if (scope.kind === 'all') return sql`true`;
  const a = sql.raw(alias);
  return sql`(exists (select 1 from stix_shares s where s.org_id = ${a}.org_id and s.stix_id = ${a}.stix_id
      and s.target_org_id = ${scope.communityId}::uuid)
    or (${a}.tlp in ('clear', 'green') and exists (select 1 from community_members cm
      where cm.org_id = ${scope.communityId}::uuid and cm.member_org_id = ${a}.org_id)))`;
}

/**
 * What a row aliased `alias` must pass to be served: in the collection, visible, of a requested version, and of an
 * object whose latest version is visible too (a version is served only when both pass, so an older, laxer marking
 * never reopens a closed object).
 */
function servedSql(c: Clearance, scope: CollectionScope, versions: string[] | undefined, alias: string) {
  const a = sql.raw(alias);
  const conds = [scopeSql(scope, alias), visibleSql(c, alias), versionSql(versions, alias)];
  // A latest version is its own latest: the visibility check above already covers it.
  if (versions?.length && !versions.every((v) => v === 'last'))
    conds.push(sql`exists (select 1 from stix_objects o where o.org_id = ${a}.org_id and o.stix_id = ${a}.stix_id
        and o.is_latest and ${visibleSql(c, 'o')})`);
  return sql.join(conds, sql` and `);
}

/**
 * Whether another organization's copy of the same object version, served under the same conditions, stands for
 * the row aliased `v`: a collection lists each id and version once, however many organizations hold it. The
 * reader's own copy stands for the others; among others' copies, the first added. The choice does not depend on
 * the page, so keyset paging stays consistent, and a copy added later never repeats a version already served.
 */
function servedElsewhereSql(c: Clearance, scope: CollectionScope, versions: string[] | undefined) {
  // Another owner is one before or after this row's in `stix_objects_id_idx` (stix_id, org_id): two range
  // scans, where `<>` would read the row itself first.
  const copy = (side: SQL) => sql`exists (select 1 from stix_objects d where d.stix_id = v.stix_id and ${side}
      and d.version = v.version
      and (d.org_id = ${c.orgId}::uuid
        or (v.org_id <> ${c.orgId}::uuid and (d.date_added, d.org_id) < (v.date_added, v.org_id)))
      and ${servedSql(c, scope, versions, 'd')})`;
  return sql`(${copy(sql`d.org_id < v.org_id`)} or ${copy(sql`d.org_id > v.org_id`)})`;
}

export const taxiiRepository = {
  /**
   * One page of object versions in `date_added` order, by keyset: the position after the previous page is a
   * row comparison on (date_added, org_id, stix_id, version), the columns of `stix_objects_added_idx`, so a page
   * walks that index from its position and stops after `limit + 1` served rows (see `servedSql`), each id and
   * version once (see `servedElsewhereSql`).
   */
  async page(db: DbOrTx, c: Clearance, scope: CollectionScope, q: TaxiiQuery, withObjects: boolean) {
    return rows<TaxiiRow>(db, taxiiRepository.pageSql(c, scope, q, withObjects));
  },

  /** The statement of `page`. */
  pageSql(c: Clearance, scope: CollectionScope, q: TaxiiQuery, withObjects: boolean) {
    const onlyLatest = !q.versions?.length || q.versions.every((v) => v === 'last');
    const conds = [
      servedSql(c, scope, q.versions, 'v'),
      sql`not ${servedElsewhereSql(c, scope, q.versions)}`,
    ];
    if (q.addedAfter) conds.push(sql`v.date_added > ${q.addedAfter}::timestamptz`);
    if (q.ids?.length) conds.push(sql`v.stix_id = any(${texts(q.ids)})`);
    if (q.types?.length) conds.push(sql`v.type = any(${texts(q.types)})`);
    if (q.specVersions?.length)
      conds.push(sql`coalesce(v.spec_version, '2.1') = any(${texts(q.specVersions)})`);
    if (q.after) {
      const [d, org, id, version] = q.after;
      conds.push(
        sql`(v.date_added, v.org_id, v.stix_id, v.version) > (${d}::timestamptz, ${org}::uuid, ${id}, ${version})`,
      );
    }
    return sql`select v.org_id, v.stix_id, v.version as key_version, ${servedVersion('v')} as version,
            v.spec_version, v.type, ${addedSql('v')} as date_added
            ${withObjects ? sql`, v.object, v.tlp` : sql``}
            ${
              withObjects && !onlyLatest
                ? sql`, (select l.tlp from stix_objects l where l.org_id = v.org_id and l.stix_id = v.stix_id
                    and l.is_latest limit 1) as latest_tlp`
                : sql``
            }
          from stix_objects v where ${sql.join(conds, sql` and `)}
          order by v.date_added, v.org_id, v.stix_id, v.version limit ${q.limit + 1}`;
  },

  /** How many objects (latest versions, each id and version once) a collection serves to the clearance `c`. */
  async count(db: DbOrTx, c: Clearance, scope: CollectionScope) {
    const [row] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from stix_objects v
        where ${servedSql(c, scope, undefined, 'v')} and not ${servedElsewhereSql(c, scope, undefined)}`,
    );
    return row?.n ?? 0;
  },

  /** The served version of each of an organization's objects that has neither `modified` nor `created`. */
  async unversioned(db: DbOrTx, orgId: string, stixIds: readonly string[]) {
    if (!stixIds.length) return new Map<string, string>();
    const found = await rows<{ stix_id: string; version: string }>(
      db,
      sql`select v.stix_id, ${servedVersion('v')} as version from stix_objects v
        where v.org_id = ${orgId} and v.stix_id = any(${texts(stixIds)}) and v.version = ''`,
    );
    return new Map(found.map((r) => [r.stix_id, r.version]));
  },

  async saveStatus(db: DbOrTx, id: string, orgId: string, body: unknown) {
    await db.insert(taxiiStatuses).values({ id, orgId, body });
  },

  async status(db: DbOrTx, orgId: string, id: string) {
    // Status ids are UUIDs; anything else names no status (and must not reach a uuid comparison).
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
    const [row] = await db
      .select()
      .from(taxiiStatuses)
      .where(and(eq(taxiiStatuses.orgId, orgId), eq(taxiiStatuses.id, id)));
    return row?.body;
  },

  async ownsAny(db: DbOrTx, orgId: string, stixId: string) {
    const [row] = await db
      .select({ id: stixObjects.stixId })
      .from(stixObjects)
      .where(and(eq(stixObjects.orgId, orgId), eq(stixObjects.stixId, stixId)))
      .limit(1);
    return !!row;
  },
};
