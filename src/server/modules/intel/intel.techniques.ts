/**
 * MITRE ATT&CK techniques as risks and incidents refer to them: ids like T1486 or T0883, looked up among the
 * `attack-pattern` objects the reader may see under TLP (an imported ATT&CK Enterprise or ICS bundle, or a
 * community's share of one).
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.js';
import { type DbOrTx, escapeLike, rows } from '../../db/client.js';
import { ctxOf } from '../../http/ctx.js';
import { OrgParams } from '../orgs/orgs.schemas.js';
import { intelService } from './intel.service.js';
import { type Clearance, visibleSql } from './tlp-policy.js';

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
/** The identity MITRE signs ATT&CK with. */
export const MITRE_IDENTITY = 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5';

/** An ATT&CK technique or sub-technique id, as risks and incidents store it. */
export const AttackTechniqueId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(TECHNIQUE_ID, 'an ATT&CK technique id looks like T1486 or T1078.002');

const csvIds = z
  .string()
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(AttackTechniqueId).max(100));

export const TechniqueQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  ids: csvIds.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const Technique = z.object({
  id: z.string(),
  name: z.string(),
  stixId: z.string(),
  ownerOrgId: z.uuid(),
  tactics: z.array(z.string()),
  domain: z.string(),
  deprecated: z.boolean(),
});

interface TechniqueRow {
  technique_id: string;
  name: string | null;
  stix_id: string;
  org_id: string;
  tactics: string[] | null;
  domain: string | null;
  deprecated: boolean | null;
}

const techniqueOf = (r: TechniqueRow) => ({
  id: r.technique_id,
  name: r.name ?? r.technique_id,
  stixId: r.stix_id,
  ownerOrgId: r.org_id,
  tactics: r.tactics ?? [],
  domain: r.domain ?? 'enterprise-attack',
  deprecated: r.deprecated === true,
});

async function findTechniques(
  db: DbOrTx,
  c: Clearance,
  f: { q?: string; ids?: string[]; limit: number },
): Promise<TechniqueRow[]> {
  const conds = [
    sql`o.type = 'attack-pattern'`,
    sql`o.is_latest`,
    sql`not o.revoked`,
    visibleSql(c, 'o'),
    sql`r.technique_id ~ '^T[0-9]{4}([.][0-9]{3})?$'`,
  ];
  if (f.ids) conds.push(sql`r.technique_id = any(${sql.param(f.ids)}::text[])`);
  else conds.push(sql`(o.object::jsonb -> 'x_mitre_deprecated') is distinct from 'true'::jsonb`);
  if (f.q) {
    const esc = escapeLike(f.q);
    conds.push(sql`(r.technique_id ilike ${`${esc}%`} or o.name ilike ${`%${esc}%`})`);
  }
  // One row per technique id: the reader's own copy first, then MITRE's own (as ATT&CK publishes it, not a copy
  // another organization made up), then the most recently added one.
  return rows<TechniqueRow>(
    db,
    sql`select * from (
          select distinct on (r.technique_id) r.technique_id, o.name, o.stix_id, o.org_id,
            o.object::jsonb -> 'x_mitre_domains' ->> 0 as domain,
            (select coalesce(array_agg(k ->> 'phase_name' order by k ->> 'phase_name'), '{}')
               from jsonb_array_elements(coalesce(o.object::jsonb -> 'kill_chain_phases', '[]'::jsonb)) k) as tactics,
            (o.object::jsonb -> 'x_mitre_deprecated') = 'true'::jsonb as deprecated
          from stix_objects o
          cross join lateral (
            select e ->> 'external_id' as technique_id
            from jsonb_array_elements(coalesce(o.object::jsonb -> 'external_references', '[]'::jsonb)) e
            where e ->> 'source_name' like 'mitre%'
          ) r
          where ${sql.join(conds, sql` and `)}
          order by r.technique_id, (o.org_id = ${c.orgId}::uuid) desc,
            (o.created_by_ref = ${MITRE_IDENTITY}) desc nulls last, o.date_added desc
        ) t
        order by t.technique_id
        limit ${f.limit}`,
  );
}

export const TechniqueCoverage = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      /** Known when an attack pattern with this id is visible to the organization. */
      technique: Technique.nullable(),
      risks: z.number().int(),
      incidents: z.number().int(),
      exercises: z.number().int(),
    }),
  ),
  /** Seen in a real incident, named by no open risk: what the risk register has not anticipated. */
  unanticipated: z.array(z.string()),
});

interface UsageRow {
  id: string;
  risks: number;
  incidents: number;
  exercises: number;
}

/**
 * How often the organization's open risks, real incidents and exercises name each technique. Read with one
 * aggregate over the two modules' own columns, as the strategy module reads its indicators.
 */
async function usageOf(db: DbOrTx, orgId: string) {
  return rows<UsageRow>(
    db,
    sql`select t.id, count(*) filter (where t.src = 'risk')::int as risks,
          count(*) filter (where t.src = 'incident')::int as incidents,
          count(*) filter (where t.src = 'exercise')::int as exercises
        from (
          select jsonb_array_elements_text(r.attack_techniques) as id, 'risk' as src
            from risks r where r.org_id = ${orgId} and r.status <> 'closed'
          union all
          select jsonb_array_elements_text(i.attack_techniques),
              case when i.exercise then 'exercise' else 'incident' end
            from incidents i where i.org_id = ${orgId}
        ) t
        group by t.id
        order by t.id`,
  );
}

export const techniquesService = {
  async coverage(ctx: Ctx, orgId: string) {
    const c = await intelService.clearance(ctx, orgId);
    const usage = (await usageOf(ctx.db, orgId)).filter((u) => TECHNIQUE_ID.test(u.id));
    const known = new Map<string, z.infer<typeof Technique>>();
    for (let i = 0; i < usage.length; i += 100) {
      const ids = usage.slice(i, i + 100).map((u) => u.id);
      for (const r of await findTechniques(ctx.db, c, { ids, limit: ids.length })) {
        known.set(r.technique_id, techniqueOf(r));
      }
    }
    return {
      items: usage.map((u) => ({ ...u, technique: known.get(u.id) ?? null })),
      unanticipated: usage.filter((u) => u.incidents > 0 && u.risks === 0).map((u) => u.id),
    };
  },

  /** Techniques whose id starts with `q` or whose name contains it, or exactly those of `ids`. */
  async find(ctx: Ctx, orgId: string, f: z.infer<typeof TechniqueQuery>) {
    const c = await intelService.clearance(ctx, orgId);
    const found = await findTechniques(ctx.db, c, {
      q: f.q || undefined,
      ids: f.ids,
      limit: f.ids ? f.ids.length : f.limit,
    });
    return { items: found.map(techniqueOf) };
  },
};

export async function techniquesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/orgs/:orgId/intel/technique-coverage',
    {
      schema: {
        tags: ['intel'],
        summary:
          'The ATT&CK techniques named by open risks, incidents and exercises, with what is known of each; and those incidents saw that no risk names',
        params: OrgParams,
        response: { 200: TechniqueCoverage },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => techniquesService.coverage(ctxOf(req), req.params.orgId),
  );
  app.get(
    '/orgs/:orgId/intel/techniques',
    {
      schema: {
        tags: ['intel'],
        summary:
          'ATT&CK techniques among the attack patterns this organization may see: by id prefix or name (q), or by ids',
        params: OrgParams,
        querystring: TechniqueQuery,
        response: { 200: z.object({ items: z.array(Technique) }) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => techniquesService.find(ctxOf(req), req.params.orgId, req.query),
  );
}
