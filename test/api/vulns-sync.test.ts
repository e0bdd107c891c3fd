import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NvdApiClient, nvdWindows } from '../../src/core/vuln/index.js';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { syncNvdApi, syncUrlFeed } from '../../src/server/modules/vulns/vulns.ingest.js';
import { feedStateRepository } from '../../src/server/modules/vulns/vulns.repository.js';
import { type TestEnv, testEnv } from '../helpers/app.js';

/**
 * The NVD CVE API 2.0 as the sync uses it, served locally: CVEs with lastModified dates, filtered by
 * lastModStartDate / lastModEndDate (at most 120 days apart, else 404 as the NVD answers), paged by startIndex and
 * resultsPerPage. `failOnce` makes the next request answer 503 (retried); `dieAt` ends the service at a page.
 */
function nvdServer(cves: { id: string; lastModified: string }[]) {
  const seen: URLSearchParams[] = [];
  const ctl = { failOnce: false, dieAt: -1, requests: 0 };
  const server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    seen.push(q);
    ctl.requests++;
    if (ctl.failOnce) {
      ctl.failOnce = false;
      res.writeHead(503).end();
      return;
    }
    if (ctl.dieAt >= 0 && ctl.requests > ctl.dieAt) {
      res.writeHead(500).end();
      return;
    }
    const from = Date.parse(q.get('lastModStartDate') ?? '');
    const to = Date.parse(q.get('lastModEndDate') ?? '');
    if (!(to - from <= 120 * 86_400_000)) {
      res.writeHead(404, { message: 'Invalid date range' }).end();
      return;
    }
    const start = Number(q.get('startIndex') ?? 0);
    const per = Number(q.get('resultsPerPage') ?? 2000);
    const hits = cves.filter((c) => Date.parse(c.lastModified) >= from && Date.parse(c.lastModified) < to);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        resultsPerPage: per,
        startIndex: start,
        totalResults: hits.length,
        format: 'NVD_CVE',
        version: '2.0',
        vulnerabilities: hits.slice(start, start + per).map((c) => ({
          cve: {
            id: c.id,
            published: c.lastModified.replace('Z', ''),
            lastModified: c.lastModified.replace('Z', ''),
            vulnStatus: 'Analyzed',
            descriptions: [{ lang: 'en', value: `${c.id} test` }],
            configurations: [],
          },
        })),
      }),
    );
  });
  return { server, seen, ctl };
}

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(() => env?.close());

describe('NVD API windows', () => {
  it('splits a range into windows of at most 120 days', () => {
    const w = nvdWindows(new Date('2099-01-01T00:00:00Z'), new Date('2099-10-01T00:00:00Z'));
    expect(w).toHaveLength(3);
    expect(w[0]?.end.toISOString()).toBe('2099-05-01T00:00:00.000Z');
    expect(w[2]?.end.toISOString()).toBe('2099-10-01T00:00:00.000Z');
    expect(nvdWindows(new Date('2099-01-01'), new Date('2099-01-01'))).toEqual([]);
    expect(() => nvdWindows(new Date('x'), new Date())).toThrow(/valid dates/);
  });
});

describe('vulnerability feeds from their services', () => {
  it('syncs what changed in windows and pages, retries a refusal, resumes after a failure, then continues from where it is', async () => {
    const base = Date.parse('2099-01-01T00:00:00Z');
    const cves = Array.from({ length: 25 }, (_, i) => ({
      id: `CVE-2099-${String(5000 + i)}`,
      lastModified: new Date(base + i * 10 * 86_400_000).toISOString(),
    }));
    const nvd = nvdServer(cves);
    const url = await listen(nvd.server);
    const ctx = { db: env.database.db, actor: SYSTEM_ACTOR };
    // A clock the client's waits advance, so its rate limit (5 requests per 30 s without a key) holds without
    // real waiting; `waited` tells how long it would have waited.
    let clock = 0;
    let waited = 0;
    const client = () =>
      new NvdApiClient({
        baseUrl: url,
        fetch: (u, i) => fetch(u, i),
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
          waited += ms;
        },
        resultsPerPage: 4,
      });
    try {
      // First run: 250 days back from "now" (three windows); the service fails in the second window.
      nvd.ctl.failOnce = true;
      nvd.ctl.dieAt = 5;
      const now = new Date(base + 250 * 86_400_000);
      const broken = await syncNvdApi(ctx, client(), { now, firstDays: 250 });
      expect(broken.status).toBe('failed');
      expect(broken.error).toMatch(/resumes from the last page stored/);
      expect(broken.counts.pages).toBe(4);
      const mid = await feedStateRepository.get<{ position: { startIndex: number } }>(
        env.database.db,
        'nvd-api',
      );
      expect(mid?.position?.startIndex).toBe(4);

      // The service is back: the run resumes at the stored page, reads the rest, and records the sync.
      nvd.ctl.dieAt = -1;
      const seenBefore = nvd.seen.length;
      const done = await syncNvdApi(ctx, client(), { now: new Date(base + 400 * 86_400_000) });
      expect(done).toMatchObject({ status: 'succeeded' });
      expect(nvd.seen[seenBefore]?.get('startIndex')).toBe('4');
      for (const q of nvd.seen) {
        expect(
          Date.parse(q.get('lastModEndDate') ?? '') - Date.parse(q.get('lastModStartDate') ?? ''),
        ).toBeLessThanOrEqual(120 * 86_400_000);
      }
      const stored = await env.database.db.execute(
        "select count(*)::int as n from vulnerabilities where cve_id like 'CVE-2099-50%'",
      );
      expect((stored as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(25);
      const state = await feedStateRepository.get<{ syncedUntil: string; position: unknown }>(
        env.database.db,
        'nvd-api',
      );
      expect(state).toMatchObject({
        syncedUntil: new Date(base + 250 * 86_400_000).toISOString(),
        position: null,
      });

      // More than five requests were needed: the client paced itself to the NVD's rate limit.
      expect(nvd.seen.length).toBeGreaterThan(5);
      expect(waited).toBeGreaterThanOrEqual(30_000);

      // More than five requests were needed: the client paced itself to the NVD's rate limit.
      expect(nvd.seen.length).toBeGreaterThan(5);
      expect(waited).toBeGreaterThanOrEqual(30_000);

      // Next run: only the time since then.
      const before = nvd.seen.length;
      const next = await syncNvdApi(ctx, client(), { now: new Date(base + 260 * 86_400_000) });
      expect(next.status).toBe('succeeded');
      expect(nvd.seen.slice(before).map((q) => q.get('lastModStartDate'))).toEqual([
        new Date(base + 250 * 86_400_000).toISOString().replace('Z', '+00:00'),
      ]);
    } finally {
      nvd.server.close();
    }
  });

  it('downloads the KEV catalog from its address and records a failed download', async () => {
    const kev = readFileSync(new URL('../../src/core/vuln/fixtures/kev-new.json', import.meta.url));
    const server = createServer((req, res) => {
      if (req.url === '/kev.json') res.writeHead(200, { 'content-type': 'application/json' }).end(kev);
      else res.writeHead(404).end();
    });
    const url = await listen(server);
    const ctx = { db: env.database.db, actor: SYSTEM_ACTOR };
    try {
      const ok = await syncUrlFeed(ctx, 'kev', `${url}/kev.json`, (u, i) => fetch(u, i));
      expect(ok).toMatchObject({ feed: 'kev', status: 'succeeded', source: `${url}/kev.json` });
      expect(ok.counts.entries).toBeGreaterThan(0);
      const missing = await syncUrlFeed(ctx, 'kev', `${url}/gone.json`, (u, i) => fetch(u, i));
      expect(missing).toMatchObject({ status: 'failed', error: expect.stringMatching(/HTTP 404/) });
    } finally {
      server.close();
    }
  });
});
