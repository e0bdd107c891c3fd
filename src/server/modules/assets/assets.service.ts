import { PgTransaction } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import {
  buildGraph,
  cascade,
  type DependencyGraph,
  detectCycles,
  GraphError,
  type GraphNode,
  servicesMissingData,
  singlePointsOfFailure,
} from '../../../core/graph/index.js';
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { AppError, notFound } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import type { OrgRow } from '../orgs/orgs.repository.js';
import { orgsDirectory, orgsService } from '../orgs/orgs.service.js';
import {
  type DependencyInsert,
  type DependencyView,
  dependenciesRepository,
  type GraphEdgeRow,
  inventoryVersionsRepository,
  providersRepository,
  type ServiceFilter,
  type ServiceRow,
  type SystemFilter,
  type SystemRow,
  servicesRepository,
  systemsRepository,
} from './assets.repository.js';
import type {
  CreateDependency,
  CreateService,
  CreateSystem,
  UpdateDependency,
  UpdateService,
  UpdateSystem,
} from './assets.schemas.js';
import { checkSector } from './sectors.js';

export function publicService(
  s: ServiceRow,
  extra: { departmentName: string | null; dependencyCount: number },
) {
  return { ...s, departmentName: extra.departmentName, dependencyCount: Number(extra.dependencyCount ?? 0) };
}

export function publicSystem(s: SystemRow, extra: { dependencyCount: number; dependentCount: number }) {
  return {
    ...s,
    dependencyCount: Number(extra.dependencyCount ?? 0),
    dependentCount: Number(extra.dependentCount ?? 0),
  };
}

export function publicDependency(v: DependencyView) {
  const d = v.d;
  return {
    id: d.id,
    orgId: d.orgId,
    from: { kind: d.fromKind, id: (d.fromServiceId ?? d.fromSystemId)!, name: v.fromName ?? '' },
    to: { kind: d.toKind, id: (d.toServiceId ?? d.toSystemId ?? d.toProviderOrgId)!, name: v.toName ?? '' },
    type: d.type,
    redundancyGroup: d.redundancyGroup,
    description: d.description,
    createdAt: d.createdAt,
  };
}

function conflictOnName(e: unknown, what: string, name: string | undefined): never {
  const code =
    (e as { code?: string; cause?: { code?: string } })?.cause?.code ?? (e as { code?: string })?.code;
  if (code === '23505') {
    throw new AppError('conflict', `A ${what} named "${name}" already exists in this organization`, {
      errors: [{ path: 'name', message: 'already taken' }],
    });
  }
  throw e;
}

/** The root of the organization's tree: providers are looked up among the utilities and partners there. */
export function rootPathOf(org: { path: string }): string {
  return `/${org.path.split('/').filter(Boolean)[0]}/`;
}

async function checkDepartment(db: DbOrTx, org: OrgRow, departmentOrgId: string | null | undefined) {
  if (!departmentOrgId) return;
  const dept = await orgsDirectory.byId(db, departmentOrgId);
  if (!dept?.path.startsWith(org.path)) {
    throw new AppError('validation', 'The owning department must be this organization or one below it', {
      errors: [{ path: 'departmentOrgId', message: 'not this organization or one of its departments' }],
    });
  }
}

function nodeField(what: 'from' | 'to') {
  return `${what}Id`;
}

export interface OrgGraph {
  graph: DependencyGraph;
  services: Map<string, ServiceRow>;
  systems: Map<string, { id: string; name: string; kind: SystemRow['kind']; bufferHours: number }>;
  providers: Map<string, { id: string; name: string; kind: string }>;
  edges: GraphEdgeRow[];
}

/** How many organizations' graphs one server process keeps (least recently used first out). */
const GRAPH_CACHE_SIZE = 8;

/**
 * Built graphs per database handle and organization, each with the inventory version it was built at. A graph is
 * used only while the organization's version in the database is unchanged, so a write by any server process makes
 * every process rebuild on its next read.
 */
const graphCache = new WeakMap<object, Map<string, Promise<{ version: string; graph: OrgGraph }>>>();

async function buildOrgGraph(db: DbOrTx, orgId: string): Promise<OrgGraph> {
  // One after the other: `db` may be a transaction, whose one connection runs one query at a time.
  const svcRows = await servicesRepository.all(db, orgId);
  const sysRows = await systemsRepository.graphNodes(db, orgId);
  const edges = await dependenciesRepository.graphEdges(db, orgId);
  const providerIds = [...new Set(edges.map((e) => e.toProvider).filter((x): x is string => !!x))];
  const providerRows = await providersRepository.byIds(db, providerIds);
  const nodes: GraphNode[] = [];
  for (const s of svcRows) {
    const n: GraphNode = { id: s.id, kind: 'service', name: s.name };
    if (s.populationServed !== null) n.population = s.populationServed;
    if (s.criticalityTier !== null) n.criticalityTier = s.criticalityTier;
    if (s.rtoHours !== null) n.rtoHours = s.rtoHours;
    if (s.owner) n.owner = s.owner;
    nodes.push(n);
  }
  for (const s of sysRows) nodes.push({ id: s.id, kind: 'system', name: s.name, bufferHours: s.bufferHours });
  for (const p of providerRows) nodes.push({ id: p.id, kind: 'provider', name: p.name });
  const graph = buildGraph(
    nodes,
    edges.map((e) => ({
      from: e.from,
      to: e.to,
      type: e.type,
      ...(e.redundancyGroup ? { redundancyGroup: e.redundancyGroup } : {}),
    })),
  );
  return {
    graph,
    services: new Map(svcRows.map((s) => [s.id, s])),
    systems: new Map(sysRows.map((s) => [s.id, s])),
    providers: new Map(providerRows.map((p) => [p.id, p])),
    edges,
  };
}

/**
 * Providers are organizations maintained by the orgs module, outside the inventory version: a cached graph is
 * used only when its providers still exist under the same names and kinds (a deleted provider takes its
 * dependencies with it).
 */
async function providersUnchanged(db: DbOrTx, g: OrgGraph): Promise<boolean> {
  if (g.providers.size === 0) return true;
  const rows = await providersRepository.byIds(db, [...g.providers.keys()]);
  if (rows.length !== g.providers.size) return false;
  return rows.every((r) => {
    const p = g.providers.get(r.id);
    return p !== undefined && p.name === r.name && p.kind === r.kind;
  });
}

export const assetsService = {
  // ---------------------------------------------------------------- services
  async listServices(
    ctx: Ctx,
    orgId: string,
    f: ServiceFilter,
    sort: string | undefined,
    limit: number,
    offset: number,
  ) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await servicesRepository.list(ctx.db, orgId, f, sort, limit, offset);
    return { items: items.map((r) => publicService(r.s, r)), total, limit, offset };
  },

  async getService(ctx: Ctx, orgId: string, id: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const r = await servicesRepository.get(ctx.db, orgId, id);
    if (!r) throw notFound('Service', id);
    return publicService(r.s, r);
  },

  async createService(ctx: Ctx, orgId: string, input: z.infer<typeof CreateService>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    const id = await ctx.db.transaction(async (tx) => {
      await checkDepartment(tx, org, input.departmentOrgId);
      const sector = await checkSector(tx, org, input.sector);
      const row = await servicesRepository
        .insert(tx, { ...input, sector, orgId })
        .catch((e) => conflictOnName(e, 'service', input.name));
      await inventoryVersionsRepository.bump(tx, orgId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'service.create',
        targetType: 'service',
        targetId: row.id,
        after: row,
      });
      return row.id;
    });
    return assetsService.getService(ctx, orgId, id);
  },

  async updateService(ctx: Ctx, orgId: string, id: string, patch: z.infer<typeof UpdateService>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await servicesRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Service', id);
      await checkDepartment(tx, org, patch.departmentOrgId);
      const sector = await checkSector(tx, org, patch.sector, before.sector);
      const after = await servicesRepository
        .update(tx, id, { ...patch, sector })
        .catch((e) => conflictOnName(e, 'service', patch.name));
      await inventoryVersionsRepository.bump(tx, orgId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'service.update',
        targetType: 'service',
        targetId: id,
        before,
        after,
      });
    });
    return assetsService.getService(ctx, orgId, id);
  },

  async deleteService(ctx: Ctx, orgId: string, id: string, force: boolean) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await servicesRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Service', id);
      const dependents = await dependenciesRepository.dependentsOf(tx, id);
      if (dependents > 0 && !force) {
        throw new AppError(
          'conflict',
          `${dependents} other service(s) depend on "${before.name}": remove those dependencies first, or delete with force=true to remove them too`,
        );
      }
      await servicesRepository.delete(tx, id);
      await inventoryVersionsRepository.bump(tx, orgId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'service.delete',
        targetType: 'service',
        targetId: id,
        before,
      });
    });
  },

  // ---------------------------------------------------------------- systems
  async listSystems(
    ctx: Ctx,
    orgId: string,
    f: SystemFilter,
    sort: string | undefined,
    limit: number,
    offset: number,
  ) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await systemsRepository.list(ctx.db, orgId, f, sort, limit, offset);
    return { items: items.map((r) => publicSystem(r.s, r)), total, limit, offset };
  },

  async getSystem(ctx: Ctx, orgId: string, id: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const r = await systemsRepository.get(ctx.db, orgId, id);
    if (!r) throw notFound('System', id);
    return publicSystem(r.s, r);
  },

  /**
   * Run inside the transaction of a system edit that changes what identifies it (CPE, vendor, product, version),
   * after it is written, by modules that keep data derived from it: its vulnerability findings are rematched.
   */
  systemChangeHooks: [] as ((tx: DbOrTx, ctx: Ctx, orgId: string, systemId: string) => Promise<unknown>)[],

  async createSystem(ctx: Ctx, orgId: string, input: z.infer<typeof CreateSystem>) {
    await orgsService.access(ctx, orgId, 'data.write');
    const id = await ctx.db.transaction(async (tx) => {
      const row = await systemsRepository
        .insert(tx, { ...input, orgId })
        .catch((e) => conflictOnName(e, 'system', input.name));
      await inventoryVersionsRepository.bump(tx, orgId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'system.create',
        targetType: 'system',
        targetId: row.id,
        after: row,
      });
      return row.id;
    });
    return assetsService.getSystem(ctx, orgId, id);
  },

  async updateSystem(ctx: Ctx, orgId: string, id: string, patch: z.infer<typeof UpdateSystem>) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await systemsRepository.byId(tx, orgId, id);
      if (!before) throw notFound('System', id);
      const after = await systemsRepository
        .update(tx, id, patch)
        .catch((e) => conflictOnName(e, 'system', patch.name));
      await inventoryVersionsRepository.bump(tx, orgId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'system.update',
        targetType: 'system',
        targetId: id,
        before,
        after,
      });
      const identity = ['cpe', 'vendor', 'product', 'version'] as const;
      if (identity.some((k) => before[k] !== after[k])) {
        for (const hook of assetsService.systemChangeHooks) await hook(tx, ctx, orgId, id);
      }
    });
    return assetsService.getSystem(ctx, orgId, id);
  },

  async deleteSystem(ctx: Ctx, orgId: string, id: string, force: boolean) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await systemsRepository.byId(tx, orgId, id);
      if (!before) throw notFound('System', id);
      const dependents = await dependenciesRepository.dependentsOf(tx, id);
      if (dependents > 0 && !force) {
        throw new AppError(
          'conflict',
          `${dependents} service(s) or system(s) depend on "${before.name}": remove those dependencies first, or delete with force=true to remove them too`,
        );
      }
      await systemsRepository.delete(tx, id);
      await inventoryVersionsRepository.bump(tx, orgId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'system.delete',
        targetType: 'system',
        targetId: id,
        before,
      });
    });
  },

  // ---------------------------------------------------------------- dependencies
  async listDependencies(
    ctx: Ctx,
    orgId: string,
    f: { q?: string; nodeId?: string },
    limit: number,
    offset: number,
  ) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await dependenciesRepository.list(ctx.db, orgId, f, limit, offset);
    return { items: items.map(publicDependency), total, limit, offset };
  },

  async providers(ctx: Ctx, orgId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    return { items: await providersRepository.candidates(ctx.db, rootPathOf(org)) };
  },

  /**
   * Checks one end of a dependency: a service or system of this organization, or (as a target) a provider. A
   * deleted node and a node of another organization get the same answer, so nothing foreign is disclosed.
   */
  async resolveEnd(
    db: DbOrTx,
    org: OrgRow,
    which: 'from' | 'to',
    kind: 'service' | 'system' | 'provider',
    id: string,
  ): Promise<Partial<DependencyInsert>> {
    const field = nodeField(which);
    const fail = (message: string): never => {
      throw new AppError('validation', `${field}: ${message}`, { errors: [{ path: field, message }] });
    };
    if (kind === 'service') {
      if (!(await servicesRepository.byId(db, org.id, id)))
        fail(`no service ${id} in this organization (deleted, or never added here)`);
      return which === 'from'
        ? { fromKind: 'service', fromServiceId: id }
        : { toKind: 'service', toServiceId: id };
    }
    if (kind === 'system') {
      if (!(await systemsRepository.byId(db, org.id, id)))
        fail(`no system ${id} in this organization (deleted, or never added here)`);
      return which === 'from'
        ? { fromKind: 'system', fromSystemId: id }
        : { toKind: 'system', toSystemId: id };
    }
    const [p] = await providersRepository.byIds(db, [id]);
    if (!p?.path.startsWith(rootPathOf(org)) || !['utility', 'partner'].includes(p.kind)) {
      fail(`no external provider ${id}: a provider is a utility or partner organization of this tree`);
    }
    return { toKind: 'provider', toProviderOrgId: id };
  },

  async createDependency(ctx: Ctx, orgId: string, input: z.infer<typeof CreateDependency>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    if (input.fromId === input.toId) {
      throw new AppError('validation', 'A node cannot depend on itself', {
        errors: [{ path: 'toId', message: 'same as fromId' }],
      });
    }
    if (input.fromKind === 'system' && input.toKind === 'service') {
      throw new AppError('validation', 'A system depends on systems or providers, not on a service', {
        errors: [{ path: 'toKind', message: 'a system cannot depend on a service' }],
      });
    }
    const id = await ctx.db.transaction(async (tx) => {
      const from = await assetsService.resolveEnd(tx, org, 'from', input.fromKind, input.fromId);
      const to = await assetsService.resolveEnd(tx, org, 'to', input.toKind, input.toId);
      if (await dependenciesRepository.findEdge(tx, orgId, input.fromId, input.toId, input.type)) {
        throw new AppError('conflict', 'This dependency already exists');
      }
      const row = await dependenciesRepository.insert(tx, {
        orgId,
        ...(from as { fromKind: 'service' }),
        ...(to as { toKind: 'service' }),
        type: input.type,
        redundancyGroup: input.redundancyGroup ?? null,
        description: input.description ?? '',
      });
      await inventoryVersionsRepository.bump(tx, orgId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'dependency.create',
        targetType: 'dependency',
        targetId: row.id,
        after: row,
      });
      return row.id;
    });
    return publicDependency((await dependenciesRepository.view(ctx.db, orgId, id))!);
  },

  async updateDependency(ctx: Ctx, orgId: string, id: string, patch: z.infer<typeof UpdateDependency>) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await dependenciesRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Dependency', id);
      const after = await dependenciesRepository.update(tx, id, patch).catch((e) => {
        if ((e as { cause?: { code?: string } })?.cause?.code === '23505')
          throw new AppError('conflict', 'A dependency of this type between these two already exists');
        throw e;
      });
      await inventoryVersionsRepository.bump(tx, orgId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'dependency.update',
        targetType: 'dependency',
        targetId: id,
        before,
        after,
      });
    });
    return publicDependency((await dependenciesRepository.view(ctx.db, orgId, id))!);
  },

  async deleteDependency(ctx: Ctx, orgId: string, id: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await dependenciesRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Dependency', id);
      await dependenciesRepository.delete(tx, id);
      await inventoryVersionsRepository.bump(tx, orgId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'dependency.delete',
        targetType: 'dependency',
        targetId: id,
        before,
      });
    });
  },

  /**
   * For other modules (risks, incidents): which of these ids are not services or systems of the organization.
   * Deleted and foreign ids are reported alike.
   */
  async unknownNodes(
    db: DbOrTx,
    orgId: string,
    ids: { serviceIds?: string[]; systemIds?: string[] },
  ): Promise<{ field: string; id: string }[]> {
    const out: { field: string; id: string }[] = [];
    for (const [k, id] of (ids.serviceIds ?? []).entries()) {
      if (!(await servicesRepository.byId(db, orgId, id))) out.push({ field: `serviceIds[${k}]`, id });
    }
    for (const [k, id] of (ids.systemIds ?? []).entries()) {
      if (!(await systemsRepository.byId(db, orgId, id))) out.push({ field: `systemIds[${k}]`, id });
    }
    return out;
  },

  // ---------------------------------------------------------------- graph analyses
  /**
   * The organization's whole dependency graph (services, systems, the providers they rely on). Built once per
   * inventory version and reused while the version stamp in the database is unchanged; inside a transaction
   * (which may see its own uncommitted writes) it is always built afresh and not cached.
   */
  async loadGraph(db: DbOrTx, orgId: string): Promise<OrgGraph> {
    if (db instanceof PgTransaction) return buildOrgGraph(db, orgId);
    const version = await inventoryVersionsRepository.current(db, orgId);
    let perDb = graphCache.get(db);
    if (!perDb) {
      perDb = new Map();
      graphCache.set(db, perDb);
    }
    const cached = perDb.get(orgId);
    if (cached) {
      const hit = await cached.catch(() => undefined);
      if (hit && hit.version === version && (await providersUnchanged(db, hit.graph))) {
        perDb.delete(orgId);
        perDb.set(orgId, cached);
        return hit.graph;
      }
      if (perDb.get(orgId) === cached) perDb.delete(orgId);
    }
    const pending = buildOrgGraph(db, orgId).then((graph) => ({ version, graph }));
    perDb.set(orgId, pending);
    pending.catch(() => {
      if (perDb.get(orgId) === pending) perDb.delete(orgId);
    });
    while (perDb.size > GRAPH_CACHE_SIZE) perDb.delete(perDb.keys().next().value as string);
    return (await pending).graph;
  },

  /**
   * What vulnerability matching needs, read without a permission check (callers check theirs): each system's
   * identity (CPE, vendor / product / version) and the services that depend on it, directly or through other
   * systems and services.
   */
  /** The organization's systems (or only the one given) with the services that depend on each. */
  async systemsWithDependentServices(db: DbOrTx, orgId: string, only?: string) {
    // One after the other: `db` may be a transaction, whose one connection runs one query at a time.
    const rows = only
      ? await systemsRepository.byId(db, orgId, only).then((r) => (r ? [r] : []))
      : await systemsRepository.all(db, orgId);
    const edges = await dependenciesRepository.graphEdges(db, orgId);
    const svcRows = await servicesRepository.all(db, orgId);
    const services = new Map(svcRows.map((s) => [s.id, s]));
    const dependents = new Map<string, string[]>();
    for (const e of edges) {
      const list = dependents.get(e.to);
      if (list) list.push(e.from);
      else dependents.set(e.to, [e.from]);
    }
    return rows.map((s) => {
      const seen = new Set<string>([s.id]);
      const queue = [s.id];
      const found: ServiceRow[] = [];
      while (queue.length) {
        const id = queue.shift()!;
        for (const from of dependents.get(id) ?? []) {
          if (seen.has(from)) continue;
          seen.add(from);
          queue.push(from);
          const svc = services.get(from);
          if (svc) found.push(svc);
        }
      }
      return {
        id: s.id,
        name: s.name,
        cpe: s.cpe,
        vendor: s.vendor,
        product: s.product,
        version: s.version,
        services: found.map((v) => ({
          id: v.id,
          name: v.name,
          criticalityTier: v.criticalityTier,
          publicSafetyImpact: v.publicSafetyImpact,
          lifeSafetyImpact: v.lifeSafetyImpact,
        })),
      };
    });
  },

  /** Names of the organization's systems with these ids (no permission check: callers check theirs). */
  async systemNames(db: DbOrTx, orgId: string): Promise<Map<string, string>> {
    const rows = await systemsRepository.graphNodes(db, orgId);
    return new Map(rows.map((r) => [r.id, r.name]));
  },

  async graph(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const g = await assetsService.loadGraph(ctx.db, orgId);
    const nodes = g.graph.nodes.map((n) => {
      if (n.kind === 'service') {
        const s = g.services.get(n.id)!;
        return {
          id: n.id,
          kind: n.kind,
          name: s.name,
          populationServed: s.populationServed,
          criticalityTier: s.criticalityTier,
          rtoHours: s.rtoHours,
        };
      }
      if (n.kind === 'system') {
        const s = g.systems.get(n.id)!;
        return { id: n.id, kind: n.kind, name: s.name, bufferHours: s.bufferHours, systemKind: s.kind };
      }
      return { id: n.id, kind: n.kind, name: n.name ?? '' };
    });
    const cycles = detectCycles(g.graph).cycles;
    return {
      nodes,
      edges: g.edges.map((e) => ({
        id: e.id,
        from: e.from,
        to: e.to,
        type: e.type,
        redundancyGroup: e.redundancyGroup,
      })),
      cycles,
    };
  },

  /** Cascade: if these nodes fail or are compromised, which services stop, for how many residents, how soon. */
  async impact(ctx: Ctx, orgId: string, nodeIds: string[], includePaths = true) {
    await orgsService.access(ctx, orgId, 'data.read');
    const g = await assetsService.loadGraph(ctx.db, orgId);
    let result: ReturnType<typeof cascade>;
    try {
      result = cascade(g.graph, nodeIds, { includePaths });
    } catch (e) {
      if (e instanceof GraphError) {
        throw new AppError('validation', e.message.replaceAll('failedNodeIds', 'nodes'), {
          errors: e.issues.map((i) => ({
            path: i.field.replace('failedNodeIds', 'nodes'),
            message: i.message,
          })),
        });
      }
      throw e;
    }
    const nameOf = (id: string) => g.graph.nodes[g.graph.index.get(id)!]?.name ?? id;
    const cause = (c: (typeof result.impacted)[number]['cause']) =>
      c ? { ...c, viaName: nameOf(c.via) } : null;
    return {
      initial: result.initial.map((id) => {
        const n = g.graph.nodes[g.graph.index.get(id)!];
        return { id, kind: n.kind, name: n.name ?? id };
      }),
      services: result.services.map((s) => {
        const row = g.services.get(s.id)!;
        return {
          id: s.id,
          name: row.name,
          sector: row.sector,
          population: s.population,
          ...(s.criticalityTier !== undefined ? { criticalityTier: s.criticalityTier } : {}),
          ...(s.rtoHours !== undefined ? { rtoHours: s.rtoHours } : {}),
          timeToImpactHours: s.timeToImpactHours,
          rtoBreachHours: s.rtoBreachHours,
          depth: s.depth,
          cause: cause(s.cause),
          path: s.path,
          lifeSafetyImpact: row.lifeSafetyImpact,
          publicSafetyImpact: row.publicSafetyImpact,
        };
      }),
      impacted: result.impacted.map((n) => ({
        id: n.id,
        kind: n.kind,
        name: n.name ?? n.id,
        depth: n.depth,
        timeToImpactHours: n.timeToImpactHours,
        cause: cause(n.cause),
      })),
      populationAffected: result.populationAffected,
      largestPopulation: result.largestPopulation,
      counts: result.counts,
    };
  },

  async spof(ctx: Ctx, orgId: string, limit: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const g = await assetsService.loadGraph(ctx.db, orgId);
    const entries = singlePointsOfFailure(g.graph, { limit });
    return {
      items: entries.map((e) => ({
        id: e.id,
        kind: e.kind,
        name: e.name ?? e.id,
        score: e.score,
        population: e.population,
        nodesStopped: e.nodesStopped,
        servicesStopped: e.servicesStopped.map((id) => ({ id, name: g.services.get(id)?.name ?? id })),
      })),
    };
  },

  /** Services without an owner, an RTO or any known dependency. */
  async gaps(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const svc = await servicesRepository.all(ctx.db, orgId);
    const edges = await dependenciesRepository.all(ctx.db, orgId);
    const items = servicesMissingData(
      svc.map((s) => ({ id: s.id, name: s.name, owner: s.owner, rtoHours: s.rtoHours })),
      edges.filter((e) => e.fromServiceId).map((e) => ({ from: e.fromServiceId! })),
    ).map((m) => ({ id: m.id, name: m.name ?? m.id, missing: m.missing }));
    return { items, total: items.length };
  },
};
