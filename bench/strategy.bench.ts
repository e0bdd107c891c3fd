/**
 * The strategy module on the embedded database: the maturity report (every indicator of the seven steps, the
 * baseline score of the latest assessment, the overdue clocks) and the dashboard, on the Example City.
 * Run: npx tsx bench/strategy.bench.ts (or npm run bench -- strategy).
 */
import { SYSTEM_ACTOR } from '../src/server/context.js';
import { openDatabase } from '../src/server/db/client.js';
import { usersRepository } from '../src/server/modules/orgs/orgs.repository.js';
import { strategyService } from '../src/server/modules/strategy/strategy.service.js';
import { loadExampleCity } from '../src/server/sample/example-city.js';
import type { BenchResult } from './index.js';

const RUNS = 20;

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timed(fn: () => Promise<unknown>) {
  await fn(); // warm-up: prepared statements, JIT
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

export async function run(): Promise<BenchResult[]> {
  const database = await openDatabase({});
  try {
    const admin = await usersRepository.insert(database.db, {
      email: 'bench@citywall.local',
      name: 'bench',
      passwordHash: 'x',
      isInstanceAdmin: true,
    });
    const s = await database.db.transaction((tx) => loadExampleCity(tx, admin.id));
    const ctx = { db: database.db, actor: SYSTEM_ACTOR };
    const city = s.orgIds.city;
    const maturity = await timed(() => strategyService.maturity(ctx, city));
    const dashboard = await timed(() => strategyService.dashboard(ctx, city));
    return [
      { name: `maturity report, Example City (median of ${RUNS})`, value: maturity, unit: 'ms' },
      { name: `dashboard, Example City (median of ${RUNS})`, value: dashboard, unit: 'ms' },
    ];
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.value.toFixed(1)} ${r.unit}`);
}
