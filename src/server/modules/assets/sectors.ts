import { inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { assetSettings, CI_SECTORS, services } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import type { OrgRow } from '../orgs/orgs.repository.js';
import { orgsService } from '../orgs/orgs.service.js';

/** Where an organization's sector list comes from. */
export type SectorSource = 'default' | 'own' | 'inherited';

export interface SectorList {
  sectors: string[];
  source: SectorSource;
  /** The organization whose list applies (null for the built-in US list). */
  fromOrgId: string | null;
  /** Sectors services of this organization carry that are not on the list (kept until edited). */
  unlisted: { sector: string; services: number }[];
}

const ancestorsOf = (org: Pick<OrgRow, 'path'>) => org.path.split('/').filter(Boolean);

/** The list that applies: the organization's own, else its nearest ancestor's, else the 16 US sectors. */
export async function effectiveSectors(
  db: DbOrTx,
  org: Pick<OrgRow, 'id' | 'path'>,
): Promise<Omit<SectorList, 'unlisted'>> {
  const chain = ancestorsOf(org);
  const rows = chain.length
    ? await db
        .select({ orgId: assetSettings.orgId, sectors: assetSettings.sectors })
        .from(assetSettings)
        .where(inArray(assetSettings.orgId, chain))
    : [];
  for (let i = chain.length - 1; i >= 0; i--) {
    const row = rows.find((r) => r.orgId === chain[i]);
    if (row)
      return {
        sectors: row.sectors,
        source: row.orgId === org.id ? 'own' : 'inherited',
        fromOrgId: row.orgId,
      };
  }
  return { sectors: [...CI_SECTORS], source: 'default', fromOrgId: null };
}

/** The list's spelling of a sector, matched without case or surrounding spaces. */
export function findSector(list: readonly string[], value: string): string | undefined {
  const want = value.trim().toLowerCase();
  return list.find((s) => s.toLowerCase() === want);
}

/**
 * The sector as the list spells it, or a validation error naming the field. Matching ignores case and
 * surrounding spaces, so "water and wastewater systems" is stored as "Water and Wastewater Systems".
 */
export function canonicalSector(list: readonly string[], value: string, field = 'sector'): string {
  const hit = findSector(list, value);
  if (hit) return hit;
  throw new AppError('validation', `Sector "${value}" is not on this organization's list of sectors`, {
    errors: [{ path: field, message: `not one of: ${list.join(', ')}` }],
  });
}

/** Checks a service's sector on create, or on update when it changes; returns the canonical spelling. */
export async function checkSector(
  db: DbOrTx,
  org: Pick<OrgRow, 'id' | 'path'>,
  sector: string | null | undefined,
  previous?: string | null,
): Promise<string | null | undefined> {
  if (sector === null || sector === undefined || sector === previous) return sector;
  const { sectors } = await effectiveSectors(db, org);
  return canonicalSector(sectors, sector);
}

function cleanList(input: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  input.forEach((raw, i) => {
    const s = raw.trim();
    if (!s) {
      throw new AppError('validation', 'A sector name is empty', {
        errors: [{ path: `sectors.${i}`, message: 'must not be empty' }],
      });
    }
    const key = s.toLowerCase();
    if (seen.has(key)) {
      throw new AppError('validation', `Sector "${s}" is listed twice`, {
        errors: [{ path: `sectors.${i}`, message: 'duplicate (names are compared without case)' }],
      });
    }
    seen.add(key);
    out.push(s);
  });
  return out;
}

async function unlisted(db: DbOrTx, orgId: string, list: readonly string[]) {
  const rows = await db
    .select({ sector: services.sector, n: sql<number>`count(*)::int` })
    .from(services)
    .where(sql`${services.orgId} = ${orgId} and ${services.sector} is not null`)
    .groupBy(services.sector);
  const known = new Set(list.map((s) => s.toLowerCase()));
  return rows
    .filter((r) => r.sector && !known.has(r.sector.toLowerCase()))
    .map((r) => ({ sector: r.sector as string, services: r.n }))
    .sort((a, b) => a.sector.localeCompare(b.sector));
}

export const sectorsService = {
  async get(ctx: Ctx, orgId: string): Promise<SectorList> {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const list = await effectiveSectors(ctx.db, org);
    return { ...list, unlisted: await unlisted(ctx.db, orgId, list.sectors) };
  },

  /** Sets the organization's own list, or with `null` goes back to the inherited (or built-in) one. */
  async set(ctx: Ctx, orgId: string, sectors: string[] | null): Promise<SectorList> {
    const org = await orgsService.access(ctx, orgId, 'data.admin');
    const list = sectors === null ? null : cleanList(sectors);
    await ctx.db.transaction(async (tx) => {
      const before = await effectiveSectors(tx, org);
      if (list === null) {
        await tx.delete(assetSettings).where(sql`${assetSettings.orgId} = ${orgId}`);
      } else {
        await tx
          .insert(assetSettings)
          .values({ orgId, sectors: list })
          .onConflictDoUpdate({ target: assetSettings.orgId, set: { sectors: list, updatedAt: sql`now()` } });
      }
      await auditService.record(tx, ctx, {
        orgId,
        action: 'assets.sectors.update',
        targetType: 'organization',
        targetId: orgId,
        before: before.source === 'own' ? before.sectors : null,
        after: list,
      });
    });
    return sectorsService.get(ctx, orgId);
  },
};
