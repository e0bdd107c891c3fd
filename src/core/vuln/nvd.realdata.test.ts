import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { validateCvssVector } from './cvss.js';
import {
  type CompiledConfigurations,
  compileConfigurations,
  compileSystem,
  cveSummary,
  evaluateConfigurations,
  extractCvssMetrics,
  type NvdApiResponse,
  type NvdCve,
  systemCandidateKeys,
} from './nvd.js';

// Shared real data lives beside the project (../shared/data); a fresh clone has none, so these tests skip.
const nvdDir = fileURLToPath(new URL('../../../../shared/data/nvd/', import.meta.url));
const have = (year: number) => existsSync(`${nvdDir}nvdcve-${year}.json.gz`);
const load = (year: number): NvdCve[] =>
  (
    JSON.parse(gunzipSync(readFileSync(`${nvdDir}nvdcve-${year}.json.gz`)).toString('utf8')) as NvdApiResponse
  ).vulnerabilities.map((v) => v.cve);

describe('NVD 2010 file (shared data)', () => {
  it.skipIf(!have(2010))('compiles every criterion and matches each exact criterion to itself', () => {
    const cves = load(2010);
    expect(cves.length).toBeGreaterThan(4000);
    let criteria = 0;
    let selfChecked = 0;
    for (const cve of cves) {
      const compiled = compileConfigurations(cve.configurations);
      expect(compiled.errors, cve.id).toEqual([]);
      const s = cveSummary(cve);
      expect(s.id).toBe(cve.id);
      if (s.rejected) continue;
      for (const cfg of cve.configurations ?? []) {
        for (const node of cfg.nodes) {
          for (const m of node.cpeMatch) {
            criteria++;
            const bits = m.criteria.split(':');
            // A concrete vulnerable criterion describes a system that must be found (maybe platform-conditional).
            if (!m.vulnerable || node.negate || bits[5] === '*' || bits[5] === '-' || selfChecked > 3000)
              continue;
            const match = evaluateConfigurations(compiled, { cpe: m.criteria });
            expect(match, `${cve.id} ${m.criteria}`).not.toBeNull();
            selfChecked++;
          }
        }
      }
    }
    expect(criteria).toBeGreaterThan(10000);
    expect(selfChecked).toBeGreaterThan(1000);
  });

  it.skipIf(!have(2010))('reads CVSS metrics that validate strictly', () => {
    let n = 0;
    for (const cve of load(2010)) {
      for (const m of extractCvssMetrics(cve).metrics) {
        expect(validateCvssVector(m.vectorString), `${cve.id} ${m.vectorString}`).toMatchObject({
          valid: true,
        });
        n++;
      }
    }
    expect(n).toBeGreaterThan(4000);
  });
});

describe('matching speed (shared data)', () => {
  const years = [2006, 2007, 2008, 2009, 2010];
  it.skipIf(!years.every(have))('matches 10,000 systems against ~20k CVEs in well under 10 s', () => {
    const cves = years.flatMap(load).filter((c) => !cveSummary(c).rejected);
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

    // Systems drawn from the data: the products NVD names, with versions near the ones it lists.
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
    console.info(
      `[nvd speed] ${cves.length} CVEs compiled+indexed in ${compileMs.toFixed(0)} ms; 10,000 systems, ${pairs} candidate pairs, ${findings} findings in ${matchMs.toFixed(0)} ms`,
    );
    expect(cves.length).toBeGreaterThan(15000);
    expect(findings).toBeGreaterThan(1000);
    expect(compileMs + matchMs).toBeLessThan(10_000);
  });
});
