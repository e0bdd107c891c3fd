import { sql } from 'drizzle-orm';
import {
  bindValueFs,
  buildCpeSuggestIndex,
  type CpeSuggestIndex,
  type DictionaryEntry,
  quoteWfnText,
} from '../../../core/cpe/index.js';
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { orgsService } from '../orgs/orgs.service.js';

/**
 * CPE suggestions for a system from its vendor / product text, ranked against the vendor:product pairs of every
 * criterion (vulnerable or platform) in the ingested NVD configurations. The index is built once per process and
 * rebuilt when the NVD data changes (its row count or newest update differ from what the index was built from).
 */
let cached: { fingerprint: string; index: CpeSuggestIndex } | null = null;
let building: Promise<{ fingerprint: string; index: CpeSuggestIndex }> | null = null;

async function fingerprintOf(db: DbOrTx): Promise<string> {
  const r = await db.execute(
    sql`select count(*)::int as n, coalesce(max(updated_at)::text, '') as at from vulnerabilities`,
  );
  const row = (r as unknown as { rows: { n: number; at: string }[] }).rows[0]!;
  return `${row.n}|${row.at}`;
}

/** vendor:product pairs (formatted-string components, escapes kept) with how often criteria name them. */
export async function cpeDictionary(db: DbOrTx): Promise<DictionaryEntry[]> {
  const r = await db.execute(sql`
    select m[1] as part, m[2] as vendor, m[3] as product, count(*)::int as n
    from (
      select regexp_match(j.c #>> '{}', '^cpe:2\\.3:([aoh]):((?:[^:\\\\]|\\\\.)+):((?:[^:\\\\]|\\\\.)+):') as m
      from vulnerabilities v,
        jsonb_path_query(v.configurations, '$[*].nodes[*].cpeMatch[*].criteria') as j(c)
      where not v.rejected
    ) s
    where m is not null and m[2] not in ('*', '-') and m[3] not in ('*', '-')
    group by 1, 2, 3`);
  return (
    r as unknown as { rows: { part: 'a' | 'o' | 'h'; vendor: string; product: string; n: number }[] }
  ).rows.map((x) => ({ part: x.part, vendor: x.vendor, product: x.product, count: x.n }));
}

export async function cpeSuggestIndex(db: DbOrTx): Promise<CpeSuggestIndex> {
  const fingerprint = await fingerprintOf(db);
  if (cached?.fingerprint === fingerprint) return cached.index;
  if (!building) {
    building = (async () => {
      const index = buildCpeSuggestIndex(await cpeDictionary(db));
      return { fingerprint, index };
    })().finally(() => {
      building = null;
    });
  }
  const built = await building;
  cached = built;
  return built.index;
}

/** The version as a CPE formatted-string component (`*` when not known). */
export function versionComponent(version: string | undefined): string {
  const v = version?.trim();
  return v ? bindValueFs(quoteWfnText(v.toLowerCase())) : '*';
}

export const cpeSuggestService = {
  async suggest(
    ctx: Ctx,
    orgId: string,
    q: {
      vendor?: string | undefined;
      product?: string | undefined;
      version?: string | undefined;
      limit: number;
    },
  ) {
    await orgsService.access(ctx, orgId, 'data.read');
    const index = await cpeSuggestIndex(ctx.db);
    if (!q.vendor && !q.product) return { items: [], dictionarySize: index.size };
    const version = versionComponent(q.version);
    const items = index.suggest(q.vendor ?? '', q.product ?? '', q.limit).map((s) => ({
      cpe: `${s.prefix}:${version}:*:*:*:*:*:*:*`,
      part: s.part,
      vendor: s.vendor,
      product: s.product,
      score: s.score,
      reasons: s.reasons,
    }));
    return { items, dictionarySize: index.size };
  },
};
