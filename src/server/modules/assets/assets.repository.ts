import {
  aliasedTable,
  and,
  asc,
  type Column,
  count,
  eq,
  getTableColumns,
  ilike,
  inArray,
  is,
  lte,
  or,
  SQL,
  sql,
} from 'drizzle-orm';
import { type DbOrTx, containsLike as like } from '../../db/client.js';
import { dependencies, inventoryVersions, organizations, services, systems } from '../../db/schema/index.js';

export type ServiceRow = typeof services.$inferSelect;
export type SystemRow = typeof systems.$inferSelect;
export type DependencyRow = typeof dependencies.$inferSelect;
export type ServiceInsert = typeof services.$inferInsert;
export type SystemInsert = typeof systems.$inferInsert;
export type DependencyInsert = typeof dependencies.$inferInsert;

export interface ServiceFilter {
  q?: string;
  tier?: number;
  sector?: string;
  departmentOrgId?: string;
  lifeSafety?: boolean;
}

export interface SystemFilter {
  q?: string;
  kind?: string;
  internetExposed?: boolean;
  hosting?: string;
  dataClassification?: string;
  tag?: string;
  endOfSupportBefore?: string;
}

function orderBy(
  sort: string | undefined,
  columns: Record<string, Parameters<typeof asc>[0]>,
  fallback: Parameters<typeof asc>[0],
): SQL[] {
  if (!sort) return [asc(fallback)];
  const descending = sort.startsWith('-');
  const col = columns[descending ? sort.slice(1) : sort];
  if (!col) return [asc(fallback)];
  // Nulls last either way, then the name so pages are stable.
  return [descending ? sql`${col} desc nulls last` : sql`${col} asc nulls last`, asc(fallback), asc(sql`id`)];
}

const serviceDeps = sql<number>`(select count(*)::int from ${dependencies} d where d.from_service_id = ${services.id})`;
const systemDeps = sql<number>`(select count(*)::int from ${dependencies} d where d.from_system_id = ${systems.id})`;
const systemDependents = sql<number>`(select count(*)::int from ${dependencies} d where d.to_system_id = ${systems.id})`;

export const servicesRepository = {
  where(orgId: string, f: ServiceFilter): SQL | undefined {
    return and(
      eq(services.orgId, orgId),
      f.q
        ? or(
            ilike(services.name, like(f.q)),
            ilike(services.description, like(f.q)),
            ilike(services.owner, like(f.q)),
            ilike(services.sector, like(f.q)),
          )
        : undefined,
      f.tier !== undefined ? eq(services.criticalityTier, f.tier) : undefined,
      f.sector ? eq(services.sector, f.sector) : undefined,
      f.departmentOrgId ? eq(services.departmentOrgId, f.departmentOrgId) : undefined,
      f.lifeSafety !== undefined ? eq(services.lifeSafetyImpact, f.lifeSafety) : undefined,
    );
  },
  async list(
    db: DbOrTx,
    orgId: string,
    f: ServiceFilter,
    sort: string | undefined,
    limit: number,
    offset: number,
  ) {
    const where = servicesRepository.where(orgId, f);
    const items = await db
      .select({ s: services, departmentName: organizations.name, dependencyCount: serviceDeps })
      .from(services)
      .leftJoin(organizations, eq(organizations.id, services.departmentOrgId))
      .where(where)
      .orderBy(
        ...orderBy(
          sort,
          {
            name: services.name,
            owner: services.owner,
            sector: services.sector,
            populationServed: services.populationServed,
            criticalityTier: services.criticalityTier,
            rtoHours: services.rtoHours,
            updatedAt: services.updatedAt,
          },
          services.name,
        ),
      )
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(services).where(where);
    return { items, total: n };
  },
  async get(db: DbOrTx, orgId: string, id: string) {
    const [row] = await db
      .select({ s: services, departmentName: organizations.name, dependencyCount: serviceDeps })
      .from(services)
      .leftJoin(organizations, eq(organizations.id, services.departmentOrgId))
      .where(and(eq(services.orgId, orgId), eq(services.id, id)));
    return row;
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<ServiceRow | undefined> {
    const [row] = await db
      .select()
      .from(services)
      .where(and(eq(services.orgId, orgId), eq(services.id, id)));
    return row;
  },
  async byName(db: DbOrTx, orgId: string, name: string): Promise<ServiceRow | undefined> {
    const [row] = await db
      .select()
      .from(services)
      .where(and(eq(services.orgId, orgId), sql`lower(${services.name}) = ${name.toLowerCase()}`));
    return row;
  },
  async all(db: DbOrTx, orgId: string): Promise<ServiceRow[]> {
    return db.select().from(services).where(eq(services.orgId, orgId)).orderBy(asc(services.name));
  },
  async insert(db: DbOrTx, row: ServiceInsert): Promise<ServiceRow> {
    const [created] = await db.insert(services).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<ServiceInsert>): Promise<ServiceRow> {
    const [row] = await db
      .update(services)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(services.id, id))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(services).where(eq(services.id, id));
  },
  async idsByLowerName(db: DbOrTx, orgId: string): Promise<Map<string, string>> {
    const rows = await db
      .select({ id: services.id, name: services.name })
      .from(services)
      .where(eq(services.orgId, orgId));
    return new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
  },
};

export const systemsRepository = {
  where(orgId: string, f: SystemFilter): SQL | undefined {
    return and(
      eq(systems.orgId, orgId),
      f.q
        ? or(
            ilike(systems.name, like(f.q)),
            ilike(systems.description, like(f.q)),
            ilike(systems.vendor, like(f.q)),
            ilike(systems.product, like(f.q)),
            ilike(systems.owner, like(f.q)),
            ilike(systems.site, like(f.q)),
            ilike(systems.cpe, like(f.q)),
          )
        : undefined,
      f.kind ? eq(systems.kind, f.kind as SystemRow['kind']) : undefined,
      f.internetExposed !== undefined ? eq(systems.internetExposed, f.internetExposed) : undefined,
      f.hosting ? eq(systems.hosting, f.hosting as NonNullable<SystemRow['hosting']>) : undefined,
      f.dataClassification
        ? eq(systems.dataClassification, f.dataClassification as NonNullable<SystemRow['dataClassification']>)
        : undefined,
      f.tag ? sql`${systems.tags} @> ${JSON.stringify([f.tag])}::jsonb` : undefined,
      f.endOfSupportBefore ? lte(systems.endOfSupport, f.endOfSupportBefore) : undefined,
    );
  },
  async list(
    db: DbOrTx,
    orgId: string,
    f: SystemFilter,
    sort: string | undefined,
    limit: number,
    offset: number,
  ) {
    const where = systemsRepository.where(orgId, f);
    const items = await db
      .select({ s: systems, dependencyCount: systemDeps, dependentCount: systemDependents })
      .from(systems)
      .where(where)
      .orderBy(
        ...orderBy(
          sort,
          {
            name: systems.name,
            kind: systems.kind,
            vendor: systems.vendor,
            product: systems.product,
            owner: systems.owner,
            site: systems.site,
            endOfSupport: systems.endOfSupport,
            updatedAt: systems.updatedAt,
          },
          systems.name,
        ),
      )
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(systems).where(where);
    return { items, total: n };
  },
  async get(db: DbOrTx, orgId: string, id: string) {
    const [row] = await db
      .select({ s: systems, dependencyCount: systemDeps, dependentCount: systemDependents })
      .from(systems)
      .where(and(eq(systems.orgId, orgId), eq(systems.id, id)));
    return row;
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<SystemRow | undefined> {
    const [row] = await db
      .select()
      .from(systems)
      .where(and(eq(systems.orgId, orgId), eq(systems.id, id)));
    return row;
  },
  async byName(db: DbOrTx, orgId: string, name: string): Promise<SystemRow | undefined> {
    const [row] = await db
      .select()
      .from(systems)
      .where(and(eq(systems.orgId, orgId), sql`lower(${systems.name}) = ${name.toLowerCase()}`));
    return row;
  },
  async all(db: DbOrTx, orgId: string): Promise<SystemRow[]> {
    return db.select().from(systems).where(eq(systems.orgId, orgId)).orderBy(asc(systems.name));
  },
  async insert(db: DbOrTx, row: SystemInsert): Promise<SystemRow> {
    const [created] = await db.insert(systems).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<SystemInsert>): Promise<SystemRow> {
    const [row] = await db
      .update(systems)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(systems.id, id))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(systems).where(eq(systems.id, id));
  },
  /** The systems as graph nodes: only the columns the graph needs, read without object mapping. */
  async graphNodes(
    db: DbOrTx,
    orgId: string,
  ): Promise<{ id: string; name: string; kind: SystemRow['kind']; bufferHours: number }[]> {
    const rows = await packedRows(
      db,
      [sql`id::text`, sql`name`, sql`kind::text`, sql`buffer_hours::text`],
      sql`systems where org_id = ${orgId}`,
    );
    return rows.map((r) => ({
      id: r[0] as string,
      name: r[1] as string,
      kind: r[2] as SystemRow['kind'],
      bufferHours: Number(r[3]),
    }));
  },
  async idsByLowerName(db: DbOrTx, orgId: string): Promise<Map<string, string>> {
    const rows = await db
      .select({ id: systems.id, name: systems.name })
      .from(systems)
      .where(eq(systems.orgId, orgId));
    return new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
  },
};

const UNIT = '\u001f';
const RECORD = '\u001e';

/**
 * Reads many narrow rows as one string and splits it here. The embedded database hands each row over as an
 * object at a high cost per row; for the 200,000 edges of a large city one aggregated string is about five times
 * faster, on PostgreSQL too. Values are text; NULL and the empty string both come back as null. The two
 * separator characters are removed from values, which only matters for names containing control characters.
 */
async function packedRows(db: DbOrTx, columns: SQL[], from: SQL): Promise<(string | null)[][]> {
  const cells = columns.map((c) => sql`coalesce(translate(${c}, chr(30) || chr(31), '  '), '')`);
  const r = await db.execute(
    sql`select string_agg(${sql.join(cells, sql` || chr(31) || `)}, chr(30)) as packed from ${from}`,
  );
  const packed = (r as unknown as { rows: { packed: string | null }[] }).rows[0]?.packed;
  if (!packed) return [];
  return packed.split(RECORD).map((line) => line.split(UNIT).map((v) => (v === '' ? null : v)));
}

const fromService = aliasedTable(services, 'from_service');
const fromSystem = aliasedTable(systems, 'from_system');
const toService = aliasedTable(services, 'to_service');
const toSystem = aliasedTable(systems, 'to_system');
const toProvider = aliasedTable(organizations, 'to_provider');

export interface GraphEdgeRow {
  id: string;
  from: string;
  to: string;
  toProvider: string | null;
  type: DependencyRow['type'];
  redundancyGroup: string | null;
}

export interface DependencyView {
  d: DependencyRow;
  fromName: string;
  toName: string;
}

export const dependenciesRepository = {
  async list(
    db: DbOrTx,
    orgId: string,
    f: { q?: string; nodeId?: string },
    limit: number,
    offset: number,
  ): Promise<{ items: DependencyView[]; total: number }> {
    const fromName = sql<string>`coalesce(${fromService.name}, ${fromSystem.name})`;
    const toName = sql<string>`coalesce(${toService.name}, ${toSystem.name}, ${toProvider.name})`;
    const where = and(
      eq(dependencies.orgId, orgId),
      f.nodeId
        ? or(
            eq(dependencies.fromServiceId, f.nodeId),
            eq(dependencies.fromSystemId, f.nodeId),
            eq(dependencies.toServiceId, f.nodeId),
            eq(dependencies.toSystemId, f.nodeId),
            eq(dependencies.toProviderOrgId, f.nodeId),
          )
        : undefined,
      f.q
        ? or(ilike(fromName, like(f.q)), ilike(toName, like(f.q)), ilike(dependencies.type, like(f.q)))
        : undefined,
    );
    const base = () =>
      db
        .select({ d: dependencies, fromName, toName })
        .from(dependencies)
        .leftJoin(fromService, eq(fromService.id, dependencies.fromServiceId))
        .leftJoin(fromSystem, eq(fromSystem.id, dependencies.fromSystemId))
        .leftJoin(toService, eq(toService.id, dependencies.toServiceId))
        .leftJoin(toSystem, eq(toSystem.id, dependencies.toSystemId))
        .leftJoin(toProvider, eq(toProvider.id, dependencies.toProviderOrgId))
        .where(where);
    const items = await base()
      .orderBy(asc(fromName), asc(toName), asc(dependencies.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db
      .select({ n: count() })
      .from(dependencies)
      .leftJoin(fromService, eq(fromService.id, dependencies.fromServiceId))
      .leftJoin(fromSystem, eq(fromSystem.id, dependencies.fromSystemId))
      .leftJoin(toService, eq(toService.id, dependencies.toServiceId))
      .leftJoin(toSystem, eq(toSystem.id, dependencies.toSystemId))
      .leftJoin(toProvider, eq(toProvider.id, dependencies.toProviderOrgId))
      .where(where);
    return { items, total: n };
  },
  async view(db: DbOrTx, orgId: string, id: string): Promise<DependencyView | undefined> {
    const fromName = sql<string>`coalesce(${fromService.name}, ${fromSystem.name})`;
    const toName = sql<string>`coalesce(${toService.name}, ${toSystem.name}, ${toProvider.name})`;
    const [row] = await db
      .select({ d: dependencies, fromName, toName })
      .from(dependencies)
      .leftJoin(fromService, eq(fromService.id, dependencies.fromServiceId))
      .leftJoin(fromSystem, eq(fromSystem.id, dependencies.fromSystemId))
      .leftJoin(toService, eq(toService.id, dependencies.toServiceId))
      .leftJoin(toSystem, eq(toSystem.id, dependencies.toSystemId))
      .leftJoin(toProvider, eq(toProvider.id, dependencies.toProviderOrgId))
      .where(and(eq(dependencies.orgId, orgId), eq(dependencies.id, id)));
    return row;
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<DependencyRow | undefined> {
    const [row] = await db
      .select()
      .from(dependencies)
      .where(and(eq(dependencies.orgId, orgId), eq(dependencies.id, id)));
    return row;
  },
  async all(db: DbOrTx, orgId: string): Promise<DependencyRow[]> {
    return db.select().from(dependencies).where(eq(dependencies.orgId, orgId));
  },
  /** The edges alone, ends resolved to one id each, for whole-graph analyses. */
  /** The dependencies as graph edges: only the columns the graph needs, read without object mapping. */
  async graphEdges(db: DbOrTx, orgId: string): Promise<GraphEdgeRow[]> {
    const rows = await packedRows(
      db,
      [
        sql`id::text`,
        sql`coalesce(from_service_id, from_system_id)::text`,
        sql`coalesce(to_service_id, to_system_id, to_provider_org_id)::text`,
        sql`to_provider_org_id::text`,
        sql`type::text`,
        sql`redundancy_group`,
      ],
      sql`dependencies where org_id = ${orgId}`,
    );
    return rows.map((r) => ({
      id: r[0] as string,
      from: r[1] as string,
      to: r[2] as string,
      toProvider: r[3],
      type: r[4] as DependencyRow['type'],
      redundancyGroup: r[5],
    }));
  },
  async findEdge(
    db: DbOrTx,
    orgId: string,
    fromId: string,
    toId: string,
    type: string,
  ): Promise<DependencyRow | undefined> {
    const [row] = await db
      .select()
      .from(dependencies)
      .where(
        and(
          eq(dependencies.orgId, orgId),
          sql`coalesce(${dependencies.fromServiceId}, ${dependencies.fromSystemId}) = ${fromId}`,
          sql`coalesce(${dependencies.toServiceId}, ${dependencies.toSystemId}, ${dependencies.toProviderOrgId}) = ${toId}`,
          eq(dependencies.type, type as DependencyRow['type']),
        ),
      );
    return row;
  },
  async insert(db: DbOrTx, row: DependencyInsert): Promise<DependencyRow> {
    const [created] = await db.insert(dependencies).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<DependencyInsert>): Promise<DependencyRow> {
    const [row] = await db.update(dependencies).set(patch).where(eq(dependencies.id, id)).returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(dependencies).where(eq(dependencies.id, id));
  },
  /** Dependencies whose target is this node: what would lose something if it were deleted. */
  async dependentsOf(db: DbOrTx, id: string): Promise<number> {
    const [{ n }] = await db
      .select({ n: count() })
      .from(dependencies)
      .where(or(eq(dependencies.toServiceId, id), eq(dependencies.toSystemId, id)));
    return n;
  },
};

export const providersRepository = {
  /** Organizations of kind utility or partner in the same tree as the organization (same root). */
  async candidates(db: DbOrTx, rootPath: string) {
    return db
      .select({
        id: organizations.id,
        name: organizations.name,
        kind: organizations.kind,
        slug: organizations.slug,
      })
      .from(organizations)
      .where(
        and(
          inArray(organizations.kind, ['utility', 'partner']),
          sql`${organizations.path} like ${`${rootPath}%`}`,
        ),
      )
      .orderBy(asc(organizations.name));
  },
  async byIds(db: DbOrTx, ids: string[]) {
    if (ids.length === 0) return [];
    return db
      .select({
        id: organizations.id,
        name: organizations.name,
        kind: organizations.kind,
        path: organizations.path,
      })
      .from(organizations)
      .where(inArray(organizations.id, ids));
  },
};

/** The version stamp of an organization's inventory (services, systems, dependencies). */
export const inventoryVersionsRepository = {
  /** Called in the transaction of every inventory write: the new version commits with the change. */
  async bump(tx: DbOrTx, orgId: string): Promise<void> {
    await tx
      .insert(inventoryVersions)
      .values({ orgId, version: 1 })
      .onConflictDoUpdate({
        target: inventoryVersions.orgId,
        set: { version: sql`${inventoryVersions.version} + 1`, updatedAt: sql`now()` },
      });
  },
  /**
   * The stamp: version and time of the last write (so a restored older database never matches a graph built
   * before the restore); "0" for an organization whose inventory was never written.
   */
  async current(db: DbOrTx, orgId: string): Promise<string> {
    const [row] = await db
      .select({
        stamp: sql<string>`${inventoryVersions.version}::text || '@' || ${inventoryVersions.updatedAt}::text`,
      })
      .from(inventoryVersions)
      .where(eq(inventoryVersions.orgId, orgId));
    return row?.stamp ?? '0';
  },
};

type InventoryTable = typeof services | typeof systems | typeof dependencies;

/** Rows as one JSON array of column-named objects, plus the record definition for `jsonb_to_recordset`. */
function recordset(table: InventoryTable, rows: Record<string, unknown>[], extraKeys: string[] = []) {
  const cols = getTableColumns(table) as Record<string, Column>;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter(
    (k) => k in cols && !extraKeys.includes(k),
  );
  const fill = (k: string, v: unknown) => {
    if (v !== undefined) return v;
    const d = cols[k].default;
    return d === undefined || is(d, SQL) ? null : d;
  };
  const json = JSON.stringify(
    rows.map((r) => Object.fromEntries([...extraKeys, ...keys].map((k) => [cols[k].name, fill(k, r[k])]))),
  );
  const def = sql.raw(
    [...extraKeys, ...keys].map((k) => `"${cols[k].name}" ${cols[k].getSQLType()}`).join(', '),
  );
  return { keys, cols, json, def };
}

/** Batch size of the bulk writes below: one JSON parameter per statement, whatever the number of rows. */
export const BULK_BATCH = 5000;

/**
 * Multi-row writes for imports: each batch is one statement with one JSON parameter expanded by
 * `jsonb_to_recordset`, so 50,000 rows are a handful of statements rather than a million bound parameters.
 */
export const inventoryBulkRepository = {
  /** Inserts the rows; a column a row leaves out gets the column's default. */
  async insert(db: DbOrTx, table: InventoryTable, rows: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += BULK_BATCH) {
      const { keys, cols, json, def } = recordset(table, rows.slice(i, i + BULK_BATCH));
      const names = sql.raw(keys.map((k) => `"${cols[k].name}"`).join(', '));
      await db.execute(
        sql`insert into ${table} (${names}) select ${names} from jsonb_to_recordset(${json}::jsonb) as r(${def})`,
      );
    }
  },
  /**
   * Updates rows by id; rows are grouped by the set of fields they change. `updated_at` is set for services and
   * systems.
   */
  async update(
    db: DbOrTx,
    table: InventoryTable,
    rows: { id: string; value: Record<string, unknown> }[],
  ): Promise<void> {
    const groups = new Map<string, { id: string; value: Record<string, unknown> }[]>();
    for (const r of rows) {
      const key = Object.keys(r.value)
        .filter((k) => r.value[k] !== undefined)
        .sort()
        .join(',');
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const touch = table !== dependencies;
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += BULK_BATCH) {
        const batch = group.slice(i, i + BULK_BATCH).map((r) => ({ ...r.value, id: r.id }));
        const { keys, cols, json, def } = recordset(table, batch, ['id']);
        const sets = keys.map((k) => `"${cols[k].name}" = r."${cols[k].name}"`);
        if (touch) sets.push('updated_at = now()');
        if (sets.length === 0) continue;
        await db.execute(
          sql`update ${table} t set ${sql.raw(sets.join(', '))} from jsonb_to_recordset(${json}::jsonb) as r(${def}) where t.id = r.id`,
        );
      }
    }
  },
  /** Every dependency of the organization by its edge key (dependent, target, type) → id. */
  async edgeIds(db: DbOrTx, orgId: string): Promise<Map<string, string>> {
    const r = await db.execute(
      sql`select id, coalesce(from_service_id, from_system_id) || '>' ||
            coalesce(to_service_id, to_system_id, to_provider_org_id) || '>' || type as k
          from dependencies where org_id = ${orgId}`,
    );
    return new Map((r as unknown as { rows: { id: string; k: string }[] }).rows.map((x) => [x.k, x.id]));
  },
};
