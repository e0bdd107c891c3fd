/**
 * Benchmarks of the assets module on the embedded database: cascade analysis over 50,000 systems and about
 * 200,000 dependencies loaded from the database, and importing 50,000 systems from a CSV file.
 * Run: npx tsx bench/assets.bench.ts (or npm run bench).
 */
import { randomUUID } from 'node:crypto';
import { cascade } from '../src/core/graph/index.js';
import { SYSTEM_ACTOR } from '../src/server/context.js';
import { openDatabase } from '../src/server/db/client.js';
import { dependencies, services, systems } from '../src/server/db/schema/index.js';
import { inventoryVersionsRepository } from '../src/server/modules/assets/assets.repository.js';
import { assetsService } from '../src/server/modules/assets/assets.service.js';
import { assetsTransfer } from '../src/server/modules/assets/assets.transfer.js';
import { orgsService } from '../src/server/modules/orgs/orgs.service.js';

const SYSTEMS = 50_000;
const SERVICES = 500;
const EDGES = 200_000;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function time<T>(label: string, fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms`);
  return { value, ms };
}

export async function benchAssets() {
  const database = await openDatabase({});
  const ctx = { db: database.db, actor: SYSTEM_ACTOR };
  try {
    // Import 50,000 systems from CSV (preview check + one-transaction commit).
    const importOrg = await orgsService.create(ctx, {
      name: 'Bench Import City',
      kind: 'city',
      parentId: null,
      description: '',
    });
    const lines = ['name,kind,vendor,product,version,cpe,site,owner,internetExposed,endOfSupport,tags'];
    for (let i = 0; i < SYSTEMS; i++) {
      lines.push(
        `host-${i},${['it', 'ot', 'network', 'iot', 'cloud'][i % 5]},Cisco,IOS XE,17.9.${i % 10},cpe:2.3:o:cisco:ios_xe:17.9.${i % 10}:*:*:*:*:*:*:*,Site ${i % 40},Team ${i % 25},${i % 7 === 0 ? 'yes' : 'no'},2027-0${(i % 9) + 1}-01,tag${i % 5}; bench`,
      );
    }
    const content = Buffer.from(lines.join('\n'));
    console.log(`CSV: ${SYSTEMS.toLocaleString()} rows, ${(content.length / 1e6).toFixed(1)} MB`);
    const input = { kind: 'systems' as const, fileName: 'bench.csv', content };
    const preview = await time('import preview (read, map, check every row)', () =>
      assetsTransfer.preview(ctx, importOrg.id, input),
    );
    if (preview.value.errorCount !== 0) throw new Error('bench CSV has errors');
    const commit = await time('import commit (check again + one transaction)', () =>
      assetsTransfer.commit(ctx, importOrg.id, input),
    );
    console.log(`  created ${commit.value.created.toLocaleString()} systems`);

    // Cascade over a stored graph of 50,000 systems, 500 services and ~200,000 dependencies.
    const org = await orgsService.create(ctx, {
      name: 'Bench Graph City',
      kind: 'city',
      parentId: null,
      description: '',
    });
    const r = rng(7);
    const sysIds = Array.from({ length: SYSTEMS }, () => randomUUID());
    const svcIds = Array.from({ length: SERVICES }, () => randomUUID());
    await time('seed graph rows (bulk insert)', async () => {
      for (let i = 0; i < SYSTEMS; i += 2000) {
        await database.db
          .insert(systems)
          .values(
            sysIds
              .slice(i, i + 2000)
              .map((id, k) => ({ id, orgId: org.id, name: `s${i + k}`, kind: 'it' as const })),
          );
      }
      await database.db.insert(services).values(
        svcIds.map((id, k) => ({
          id,
          orgId: org.id,
          name: `svc${k}`,
          populationServed: 1000 + k,
          criticalityTier: (k % 4) + 1,
          rtoHours: 4,
        })),
      );
      const seen = new Set<string>();
      const rows: (typeof dependencies.$inferInsert)[] = [];
      for (const [k, id] of svcIds.entries()) {
        for (let j = 0; j < 4; j++) {
          const to = sysIds[Math.floor(r() * 1000) + k];
          const key = `${id}>${to}`;
          if (seen.has(key)) continue;
          seen.add(key);
          rows.push({
            orgId: org.id,
            fromKind: 'service',
            fromServiceId: id,
            toKind: 'system',
            toSystemId: to,
            type: 'runs_on',
          });
        }
      }
      // Systems depend on systems further down a layered infrastructure (lower index = closer to services).
      while (rows.length < EDGES) {
        const a = Math.floor(r() * (SYSTEMS - 1));
        const b = a + 1 + Math.floor(r() * Math.min(2000, SYSTEMS - a - 1));
        const key = `${a}>${b}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push({
          orgId: org.id,
          fromKind: 'system',
          fromSystemId: sysIds[a],
          toKind: 'system',
          toSystemId: sysIds[b],
          type: 'runs_on',
          redundancyGroup: r() < 0.1 ? 'pair' : null,
        });
      }
      for (let i = 0; i < rows.length; i += 5000)
        await database.db.insert(dependencies).values(rows.slice(i, i + 5000));
      console.log(
        `  ${SYSTEMS.toLocaleString()} systems, ${SERVICES} services, ${rows.length.toLocaleString()} dependencies`,
      );
    });
    const loaded = await time('load the graph from the database and build it', () =>
      assetsService.loadGraph(database.db, org.id),
    );
    const failed = [sysIds[SYSTEMS - 1], sysIds[SYSTEMS - 2], sysIds[Math.floor(SYSTEMS / 2)]];
    const c = await time('cascade (in memory, with paths)', () => cascade(loaded.value.graph, failed));
    console.log(
      `  ${c.value.impacted.length.toLocaleString()} nodes fail, ${c.value.services.length} services stop`,
    );
    // A write bumps the inventory stamp: the next request rebuilds, the ones after it reuse the graph.
    await database.db.transaction((tx) => inventoryVersionsRepository.bump(tx, org.id));
    const impactCtx = { db: database.db, actor: SYSTEM_ACTOR };
    await time('impact endpoint, first request after a write (rebuild)', () =>
      assetsService.impact(impactCtx, org.id, failed, false),
    );
    for (let i = 1; i <= 3; i++) {
      await time(`impact endpoint, cached graph (stamp check + cascade) #${i}`, () =>
        assetsService.impact(impactCtx, org.id, failed, false),
      );
    }
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAssets();

/** For `npm run bench`: the measurements above print as they go. */
export async function run(): Promise<[]> {
  await benchAssets();
  return [];
}
