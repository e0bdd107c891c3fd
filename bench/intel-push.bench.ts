/**
 * Benchmark of a TAXII push feed (issue 5, "TAXII 2.1 client"): one organization pushes 20,000 of its own
 * TLP:GREEN indicators over real HTTP into another organization's collection of the same server (so the time
 * includes the remote's validated import), in requests of 1,000 objects, following each status resource.
 * Run: npx tsx bench/intel-push.bench.ts (or npm run bench -- intel-push).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { SYSTEM_ACTOR } from '../src/server/context.js';
import { openDatabase } from '../src/server/db/client.js';
import { feedsService } from '../src/server/modules/intel/intel.feeds.js';
import { intelService } from '../src/server/modules/intel/intel.service.js';
import { configureSecrets } from '../src/server/secrets.js';
import { benchOrgs, benchToken } from './helpers.js';
import type { BenchResult } from './index.js';

const N = 20_000;

function bundle(n: number) {
  const objects = Array.from({ length: n }, (_, i) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: `Pushed indicator ${i}`,
    pattern: `[ipv4-addr:value = '198.51.${(i >> 8) & 255}.${i & 255}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00.000Z',
    object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
  }));
  return Readable.from([JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects })]);
}

export async function run(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cw-push-bench-'));
  configureSecrets({ dataDir, secretKey: randomBytes(32).toString('base64') });
  const database = await openDatabase({ url: process.env.BENCH_DATABASE_URL });
  const dbLabel = process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
  const ctx = { db: database.db, actor: SYSTEM_ACTOR };
  const stamp = Date.now().toString(36);
  const newOrg = benchOrgs(database);
  const app = await buildApp({ db: database, config: loadConfig({ CITYWALL_DATA_DIR: dataDir }) });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const sender = await newOrg('Bench Push Sender');
    const receiver = await newOrg('Bench Push Receiver');
    await intelService.importBundle(ctx, sender.id, bundle(N));
    const token = await benchToken(database, receiver.id, `push-${stamp}@citywall.local`, 'analyst', 'write');
    const feed = await feedsService.create(ctx, sender.id, {
      name: 'bench',
      apiRoot: `${base}/taxii2/${receiver.id}/`,
      collectionId: receiver.id,
      token,
      direction: 'push',
      maxTlp: 'green',
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await feedsService.push(database.db, sender.id, feed.id);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (r.succeeded !== N) throw new Error(`push: ${r.succeeded} of ${N} accepted, ${r.failed} failed`);
    return [
      {
        name: `TAXII push of ${N.toLocaleString()} objects to a collection over HTTP (${dbLabel}, remote import included)`,
        value: (N / ms) * 1000,
        unit: 'objects/s',
        note: `${r.pages} requests in ${(ms / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (both sides)`,
      },
    ];
  } finally {
    await app.close();
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.value.toFixed(0)} ${r.unit} — ${r.note ?? ''}`);
}
