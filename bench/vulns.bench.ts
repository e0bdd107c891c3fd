/**
 * The vulns module over a real database (PGlite in a fresh data folder, as the server runs it; in memory with
 * BENCH_PGLITE=memory; PostgreSQL with BENCH_DATABASE_URL): ingest the NVD files of 2002–2010 and the EPSS
 * scores from ../shared/data (BENCH_SKIP_EPSS=1 leaves EPSS out), then match an organization of 10,000 systems
 * named after products NVD lists against everything ingested, rematch one edited system (the path a system edit
 * takes), and report the peak resident memory of the process.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import type { NvdApiResponse } from '../src/core/vuln/index.js';
import { SYSTEM_ACTOR } from '../src/server/context.js';
import { systems } from '../src/server/db/schema/index.js';
import { assetsService } from '../src/server/modules/assets/assets.service.js';
import { orgsService } from '../src/server/modules/orgs/orgs.service.js';
import { ingestEpss, ingestNvd, NVD_BATCH } from '../src/server/modules/vulns/vulns.ingest.js';
import { vulnsService } from '../src/server/modules/vulns/vulns.service.js';
import { benchDatabase } from './helpers.js';
import type { BenchResult } from './index.js';

const data = new URL('../../shared/data/', import.meta.url).pathname;
const YEARS = [2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010];
const nvdFile = (y: number) => `${data}nvd/nvdcve-${y}.json.gz`;
const EPSS = `${data}epss/epss_scores.csv.gz`;

/** Seconds of CPU (user + system) the process used since `from`: load on the machine does not inflate it. */
function cpuSince(from: NodeJS.CpuUsage): string {
  const d = process.cpuUsage(from);
  return ((d.user + d.system) / 1e6).toFixed(2);
}

export async function run(): Promise<BenchResult[]> {
  if (!YEARS.every((y) => existsSync(nvdFile(y))) || !existsSync(EPSS)) {
    return [{ name: 'vulns ingest (skipped: ../shared/data absent)', value: 0, unit: '' }];
  }
  const bench = await benchDatabase('vulns');
  const { database } = bench;
  console.log(`  database: ${bench.label}`);
  const ctx = { db: database.db, actor: SYSTEM_ACTOR };
  const out: BenchResult[] = [];
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    let cves = 0;
    const t0 = performance.now();
    let c0 = process.cpuUsage();
    for (const y of YEARS)
      cves += (await ingestNvd(ctx, createReadStream(nvdFile(y)), `${y}`)).counts.upserted;
    const nvdS = (performance.now() - t0) / 1000;
    out.push({
      name: `ingest NVD 2002–2010 (${cves} CVEs), streamed, batches of ${NVD_BATCH}`,
      value: nvdS,
      unit: 's',
      note: `process CPU ${cpuSince(c0)} s`,
    });
    out.push({ name: 'NVD ingest rate', value: cves / nvdS, unit: 'CVEs/s', target: '≥ 3,000' });

    if (process.env.BENCH_SKIP_EPSS !== '1') {
      const t1 = performance.now();
      const epss = await ingestEpss(ctx, createReadStream(EPSS), 'epss');
      out.push({
        name: `ingest EPSS (${epss.counts.scores} scores), batches of 5,000`,
        value: (performance.now() - t1) / 1000,
        unit: 's',
      });
    }

    const org = await orgsService.create(ctx, {
      name: 'Bench City',
      kind: 'city',
      parentId: null,
      slug: 'bench-city',
      description: '',
    });
    const products: string[] = [];
    const cveList = (JSON.parse(gunzipSync(readFileSync(nvdFile(2008))).toString('utf8')) as NvdApiResponse)
      .vulnerabilities;
    for (const { cve } of cveList) {
      const m = cve.configurations?.[0]?.nodes[0]?.cpeMatch[0];
      if (m?.vulnerable) products.push(m.criteria.split(':').slice(2, 5).join(':'));
    }
    const versions = ['1.0', '2.0.1', '2.4.10', '5.1', '0.9.8k', '8.0.6001'];
    const SYSTEMS = 10_000;
    const rows = Array.from({ length: SYSTEMS }, (_, i) => {
      const [part, vendor, product] = products[(i * 7919) % products.length].split(':');
      return {
        orgId: org.id,
        name: `system ${i}`,
        kind: 'it' as const,
        cpe: `cpe:2.3:${part}:${vendor}:${product}:${versions[i % versions.length]}:*:*:*:*:*:*:*`,
      };
    });
    for (let i = 0; i < rows.length; i += 500)
      await database.db.insert(systems).values(rows.slice(i, i + 500));
    const t2 = performance.now();
    c0 = process.cpuUsage();
    const first = await vulnsService.rematch(ctx, org.id);
    out.push({
      name: `match 10,000 systems against everything ingested, first time (${first.candidates} candidate CVEs, ${first.new} findings written)`,
      value: (performance.now() - t2) / 1000,
      unit: 's',
      target: '< 10 s',
      note: `process CPU ${cpuSince(c0)} s`,
    });

    // One edited system: the edit (audited) and the rematch of that system, in one transaction.
    const [edited] = await database.db
      .select({ id: systems.id, cpe: systems.cpe })
      .from(systems)
      .where(eq(systems.name, 'system 42'));
    const times: number[] = [];
    c0 = process.cpuUsage();
    for (let k = 0; k < 7; k++) {
      const cpe = edited.cpe!.replace(
        /:[^:]*(:\*:\*:\*:\*:\*:\*:\*)$/,
        `:${versions[k % versions.length]}$1`,
      );
      const t = performance.now();
      await assetsService.updateSystem(ctx, org.id, edited.id, { cpe } as never);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out.push({
      name: 'edit one system and rematch it (median of 7, in an organization of 10,000 systems)',
      value: times[3],
      unit: 'ms',
      target: '< 50 ms',
      note: `runs ${times.map((x) => x.toFixed(0)).join(', ')} ms; process CPU ${((Number(cpuSince(c0)) * 1000) / 7).toFixed(0)} ms per edit`,
    });
    const t4 = performance.now();
    c0 = process.cpuUsage();
    await database.db.transaction((tx) => vulnsService.rematchIn(tx, ctx, org.id, edited.id));
    out.push({
      name: 'rematch one system alone (no edit)',
      value: performance.now() - t4,
      unit: 'ms',
      note: `process CPU ${(Number(cpuSince(c0)) * 1000).toFixed(0)} ms`,
    });
    out.push({
      name: 'peak resident memory of the process',
      value: peak / 2 ** 20,
      unit: 'MiB',
      target: '< 1,536 MiB',
    });
  } finally {
    clearInterval(sampler);
    await bench.close();
  }
  return out;
}
