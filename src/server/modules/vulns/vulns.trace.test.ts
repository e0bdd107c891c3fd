import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  compileSystem,
  evaluateConfigurations,
  type NvdApiResponse,
  type NvdConfiguration,
} from '../../../core/vuln/index.js';
import { packTrace, readTraceRef, refTrace, traceFromRef, unpackTrace } from './vulns.trace.js';

const traceOf = (system: { cpe?: string; vendor?: string; product?: string; version?: string }) => {
  const out: Record<string, unknown>[] = [];
  const doc = JSON.parse(
    readFileSync(new URL('../../../core/vuln/fixtures/nvd-sample.json', import.meta.url), 'utf8'),
  ) as NvdApiResponse;
  for (const { cve } of doc.vulnerabilities) {
    const m = evaluateConfigurations(cve.configurations as NvdConfiguration[], compileSystem(system));
    if (!m) continue;
    out.push({
      source: 'nvd',
      system: { cpe: system.cpe ?? null, vendor: null, product: null, version: null },
      confidence: m.confidence,
      configurationIndex: m.configurationIndex,
      witness: m.witness,
      trace: m.trace,
      alsoMatched: m.alsoMatched,
    });
  }
  return out;
};

const NVD_2003 = new URL('../../../../../shared/data/nvd/nvdcve-2003.json.gz', import.meta.url);

describe('stored traces', () => {
  it('packs an NVD match trace smaller and unpacks it to the same trace', () => {
    const traces = [
      ...traceOf({ cpe: 'cpe:2.3:a:example:httpd:2.4.49:*:*:*:*:*:*:*' }),
      ...traceOf({ vendor: 'Example', product: 'HTTPd', version: '2.4.10' }),
    ];
    expect(traces.length).toBeGreaterThan(0);
    for (const t of traces) {
      const stored = JSON.parse(JSON.stringify(packTrace(t)));
      expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(t).length);
      expect(unpackTrace(stored)).toEqual(JSON.parse(JSON.stringify(t)));
    }
  });

  it.skipIf(!existsSync(NVD_2003))('unpacks traces of real NVD data the same way', () => {
    const doc = JSON.parse(gunzipSync(readFileSync(NVD_2003)).toString('utf8')) as NvdApiResponse;
    let n = 0;
    for (const { cve } of doc.vulnerabilities.slice(0, 400)) {
      const crit = cve.configurations?.[0]?.nodes[0]?.cpeMatch[0]?.criteria;
      if (!crit) continue;
      const cpe = crit.split(':').slice(0, 5).concat(['1.0', '*', '*', '*', '*', '*', '*', '*']).join(':');
      const m = evaluateConfigurations(cve.configurations as NvdConfiguration[], compileSystem({ cpe }));
      if (!m) continue;
      const t = {
        source: 'nvd',
        system: { cpe },
        witness: m.witness,
        trace: m.trace,
        alsoMatched: m.alsoMatched,
      };
      expect(unpackTrace(JSON.parse(JSON.stringify(packTrace(t))))).toEqual(JSON.parse(JSON.stringify(t)));
      n++;
    }
    expect(n).toBeGreaterThan(50);
  });

  it('stores an NVD match by reference: system, configuration, criterion and bounds', () => {
    const traces = traceOf({ cpe: 'cpe:2.3:a:example:httpd:2.4.49:*:*:*:*:*:*:*' });
    expect(traces.length).toBeGreaterThan(0);
    for (const t of traces) {
      const stored = JSON.parse(JSON.stringify(refTrace(t)));
      expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(packTrace(t)).length);
      const ref = readTraceRef(stored)!;
      expect(ref.system).toEqual(t.system);
      expect(ref.configurationIndex).toBe(t.configurationIndex);
      const { relations: _r, matchCriteriaId: _m, ...witness } = t.witness as Record<string, unknown>;
      expect(ref.witness).toEqual({ ...JSON.parse(JSON.stringify(witness)), relations: {} });
      expect(traceFromRef(ref)).toMatchObject({ recordChanged: true, witness: ref.witness });
    }
    // Advisories and advisory-only traces are not stored by reference.
    expect(refTrace({ ...traces[0], advisories: [{ productId: 'P1' }] })).toBeNull();
    expect(refTrace({ source: 'csaf', system: {} })).toBeNull();
    expect(readTraceRef(packTrace(traces[0]!))).toBeNull();
  });

  it('leaves advisory traces and traces stored before packing as they are', () => {
    const csaf = { source: 'csaf', system: { cpe: null }, advisories: [{ productId: 'P1' }] };
    expect(packTrace(csaf)).toBe(csaf);
    expect(unpackTrace(csaf)).toBe(csaf);
    const [old] = traceOf({ cpe: 'cpe:2.3:a:example:httpd:2.4.49:*:*:*:*:*:*:*' });
    expect(unpackTrace(old)).toBe(old);
  });
});
