import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { ingestCsaf, ingestKev, ingestNvd } from '../../src/server/modules/vulns/vulns.ingest.js';
import { type TestEnv, testEnv } from '../helpers/app.js';

// Shared real data lives beside the project (../shared/data); a fresh clone has none, so these tests skip.
const data = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const NVD_2002 = `${data}nvd/nvdcve-2002.json.gz`;
const KEV_2023 = `${data}kev/history/known_exploited_vulnerabilities_2023.04.10.json`;
const KEV_2024 = `${data}kev/history/known_exploited_vulnerabilities_2024.07.02.json`;
const CSAF_DIR = `${data}csaf/ot-2023/`;
const have = [NVD_2002, KEV_2023, KEV_2024].every((f) => existsSync(f));
const haveCsaf = existsSync(CSAF_DIR);

let env: TestEnv;
beforeAll(async () => {
  if (have || haveCsaf) env = await testEnv();
});
afterAll(() => env?.close());

describe('vulnerability feeds on real data (shared data)', () => {
  it.skipIf(!have)(
    'ingests the 2002 NVD file and two KEV releases, and finds a known exploited CVE',
    async () => {
      const ctx = { db: env.database.db, actor: SYSTEM_ACTOR };
      const nvd = await ingestNvd(ctx, createReadStream(NVD_2002), 'nvdcve-2002.json.gz');
      expect(nvd).toMatchObject({ status: 'succeeded', counts: { read: 6476, upserted: 6476, skipped: 0 } });
      expect(nvd.counts.rejected).toBeGreaterThan(0);

      const first = await ingestKev(ctx, createReadStream(KEV_2023), '2023.04.10');
      expect(first.added).toHaveLength(913);
      const second = await ingestKev(ctx, createReadStream(KEV_2024), '2024.07.02');
      expect(second).toMatchObject({
        status: 'succeeded',
        counts: { entries: 1127, added: 216, removed: 2 },
      });

      const org = await env.org('Real Data City');
      const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
        env.call(env.admin, { method, url: `/api/v1/orgs/${org.id}${url}`, payload: payload as never });
      await call('POST', '/assets/systems', {
        name: 'Old file server',
        kind: 'it',
        cpe: 'cpe:2.3:o:microsoft:windows_nt:4.0:*:*:*:*:*:*:*',
      });
      const rm = (await call('POST', '/findings/rematch')).json();
      expect(rm.matched).toBeGreaterThan(10);
      const kev = (await call('GET', '/findings?kev=true&q=CVE-2002-0367')).json();
      expect(kev.items).toHaveLength(1);
      expect(kev.items[0]).toMatchObject({ inKev: true, confidence: 'exact', systemName: 'Old file server' });
      const detail = (await call('GET', `/findings/${kev.items[0].id}`)).json();
      expect(detail.trace.witness.criteria).toBe('cpe:2.3:o:microsoft:windows_nt:4.0:*:*:*:*:*:*:*');
      expect(detail.ssvcInputs.exploitation.value).toBe('active');
    },
  );

  it.skipIf(!haveCsaf)(
    "ingests CISA's 2023 ICS advisories (CSAF 2.0) and finds an OT system known only by vendor, product and version",
    async () => {
      const ctx = { db: env.database.db, actor: SYSTEM_ACTOR };
      const files = readdirSync(CSAF_DIR).filter((f) => f.endsWith('.json'));
      expect(files.length).toBeGreaterThan(300);
      const failed: string[] = [];
      for (const f of files) {
        const run = await ingestCsaf(ctx, createReadStream(`${CSAF_DIR}${f}`), f);
        if (run.status !== 'succeeded') failed.push(`${f}: ${run.error}`);
      }
      expect(failed).toEqual([]);

      const org = await env.org('ICS City');
      const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
        env.call(env.admin, { method, url: `/api/v1/orgs/${org.id}${url}`, payload: payload as never });
      await call('POST', '/assets/systems', {
        name: 'Substation network manager',
        kind: 'ot',
        vendor: 'Hitachi Energy Ltd.',
        product: 'UNEM',
        version: 'R15B',
      });
      const rm = (await call('POST', '/findings/rematch')).json();
      expect(rm.fromAdvisories).toBeGreaterThanOrEqual(5);
      const found = (await call('GET', '/findings?q=CVE-2022-3927')).json().items[0];
      expect(found).toMatchObject({ confidence: 'vendor-product', systemName: 'Substation network manager' });
      const detail = (await call('GET', `/findings/${found.id}`)).json();
      expect(detail.trace.advisories[0].advisory.trackingId).toBe('ICSA-23-005-01');
    },
    120_000,
  );
});
