import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { validateCvssVector } from './cvss.js';
import {
  compileConfigurations,
  cveSummary,
  evaluateConfigurations,
  extractCvssMetrics,
  type NvdApiResponse,
  type NvdCve,
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
