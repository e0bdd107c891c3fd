import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  type CompiledConfigurations,
  compileConfigurations,
  compileSystem,
  cveSummary,
  evaluateConfigurations,
  type NvdApiResponse,
  systemCandidateKeys,
} from '../src/core/vuln/nvd.js';
import type { BenchResult } from './index.js';

const nvdDir = new URL('../../shared/data/nvd/', import.meta.url).pathname;
const YEARS = [2006, 2007, 2008, 2009, 2010];

/** NVD configurations of 2006–2010 matched against 10,000 systems drawn from the products NVD names. */
export async function run(): Promise<BenchResult[]> {
  if (!YEARS.every((y) => existsSync(`${nvdDir}nvdcve-${y}.json.gz`))) {
    return [{ name: 'NVD matching (skipped: ../shared/data/nvd absent)', value: 0, unit: '' }];
  }
  const cves = YEARS.flatMap((y) =>
    (
      JSON.parse(gunzipSync(readFileSync(`${nvdDir}nvdcve-${y}.json.gz`)).toString('utf8')) as NvdApiResponse
    ).vulnerabilities.map((v) => v.cve),
  ).filter((c) => !cveSummary(c).rejected);
  const t0 = performance.now();
  const compiled: CompiledConfigurations[] = cves.map((c) => compileConfigurations(c.configurations));
  const byKey = new Map<string, number[]>();
  compiled.forEach((c, i) => {
    for (const k of c.keys) {
      const l = byKey.get(k);
      if (l) l.push(i);
      else byKey.set(k, [i]);
    }
  });
  const compileMs = performance.now() - t0;

  const products: string[] = [];
  const versions = ['1.0', '2.0.1', '2.4.10', '5.1', '0.9.8k', '3.2.1-r4', '10.0(1)SE', '8.0.6001'];
  for (const c of cves.slice(0, 6000)) {
    const m = c.configurations?.[0]?.nodes[0]?.cpeMatch[0];
    if (m?.vulnerable) products.push(m.criteria.split(':').slice(2, 5).join(':'));
  }
  const systems = Array.from({ length: 10_000 }, (_, i) => {
    const [part, vendor, product] = products[(i * 7919) % products.length].split(':');
    return compileSystem({
      cpe: `cpe:2.3:${part}:${vendor}:${product}:${versions[i % versions.length]}:*:*:*:*:*:*:*`,
      platforms: i % 3 === 0 ? ['cpe:2.3:o:microsoft:windows_xp:-:sp2:*:*:*:*:*:*'] : [],
    });
  });
  const t1 = performance.now();
  let findings = 0;
  let pairs = 0;
  for (const sys of systems) {
    const seen = new Set<number>();
    for (const key of systemCandidateKeys(sys)) {
      for (const idx of byKey.get(key) ?? []) {
        if (seen.has(idx)) continue;
        seen.add(idx);
        pairs++;
        if (evaluateConfigurations(compiled[idx], sys)) findings++;
      }
    }
  }
  const matchMs = performance.now() - t1;
  return [
    {
      name: `compile and index NVD configurations of ${cves.length.toLocaleString()} CVEs (2006–2010)`,
      value: compileMs,
      unit: 'ms',
    },
    {
      name: 'match 10,000 systems against them',
      value: matchMs,
      unit: 'ms',
      target: '< 10000 ms (with compile)',
      note: `${pairs.toLocaleString()} candidate pairs, ${findings.toLocaleString()} findings with traces`,
    },
  ];
}
