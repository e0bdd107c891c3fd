import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLP2_MARKING_IDS } from '../../src/core/stix/index.js';
import { registerJobs } from '../../src/server/jobs/registry.js';
import { JobRunner } from '../../src/server/jobs/runner.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';
import { bundleOf, indicator } from '../helpers/stix.js';

/** Two Citywall instances: B pulls A's collection over TAXII on its job runner, and TLP holds across the link. */
let a: TestEnv;
let b: TestEnv;
let rootUrl: string;
let cityA: { id: string };
let cityB: { id: string };
let otherA: { id: string };
let readerA: TestUser;
let analystB: TestUser;

beforeAll(async () => {
  // One after the other: two apps starting at once can exceed Fastify's plugin timeout on a busy machine.
  // Both over real HTTP: A serves TAXII to B's runner, and each test request goes through a socket too.
  a = await testEnv({ http: true });
  b = await testEnv({ http: true });
  cityA = await a.org('Federation City A');
  otherA = await a.org('Federation Other A');
  cityB = await b.org('Federation City B');
  readerA = await a.user('feed@a.test', { orgId: cityA.id, role: 'viewer' }, 'read');
  analystB = await b.user('analyst@b.test', { orgId: cityB.id, role: 'analyst' });
  rootUrl = `${a.url}/taxii2/${cityA.id}/`;
});
afterAll(async () => {
  await a?.close();
  await b?.close();
});

const importTo = (env: TestEnv, orgId: string, objects: unknown[]) =>
  env.call(env.admin, {
    method: 'POST',
    url: `/api/v1/orgs/${orgId}/intel/bundles`,
    payload: bundleOf(objects),
  });

describe('federation over TAXII', () => {
  it('pulls what the remote organization may see, resumes from its cursor, and never carries foreign RED', async () => {
    const amber = indicator('federated amber', 'amber');
    const foreignRed = indicator('federated foreign red', 'red');
    await importTo(a, cityA.id, [amber]);
    await importTo(a, otherA.id, [foreignRed]);

    const feed = await b.call(analystB, {
      method: 'POST',
      url: `/api/v1/orgs/${cityB.id}/intel/feeds`,
      payload: { name: 'City A', apiRoot: rootUrl, collectionId: cityA.id, token: readerA.token },
    });
    expect(feed.statusCode).toBe(201);
    expect(feed.body).not.toContain(readerA.token);
    // The outbound policy: a cloud metadata address is never a TAXII server.
    const metadata = await b.call(analystB, {
      method: 'POST',
      url: `/api/v1/orgs/${cityB.id}/intel/feeds`,
      payload: { name: 'Metadata', apiRoot: 'http://169.254.169.254/taxii2/', collectionId: cityA.id },
    });
    expect(metadata.statusCode).toBe(422);
    expect(metadata.json().errors[0].path).toBe('apiRoot');
    const feedId = feed.json().id;
    // The token is kept sealed: the database never holds it in clear.
    const sealed = await b.database.db.execute(sql`select token from taxii_feeds where id = ${feedId}`);
    const token = (sealed as unknown as { rows: { token: string }[] }).rows[0]?.token ?? '';
    expect(token).toMatch(/^cw1:/);
    expect(token).not.toContain(readerA.token.slice(3));
    const runner = new JobRunner(b.database.db, pino({ level: 'silent' }));
    await registerJobs(runner);
    // Only the runs this test asks for: the instance's schedules (poll every feed, reminders …) wait.
    await b.database.db.execute(sql`update job_schedules set next_run_at = now() + interval '1 day'`);

    const run = async () => {
      const r = await b.call(analystB, {
        method: 'POST',
        url: `/api/v1/orgs/${cityB.id}/intel/feeds/${feedId}/run`,
      });
      expect(r.statusCode).toBe(202);
      await runner.drain();
      return (await b.call(analystB, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/intel/feeds` })).json()
        .items[0];
    };
    const first = await run();
    expect(first).toMatchObject({ lastStatus: 'ok', hasToken: true });
    expect(first.lastMessage).toMatch(/^1 new objects/);
    const ids = async () =>
      (await b.call(analystB, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/intel/objects?q=federated` }))
        .json()
        .items.map((i: { stixId: string }) => i.stixId);
    expect(await ids()).toEqual([amber.id]);

    // The next run asks only for what was added after the cursor.
    const later = indicator('federated later', 'green');
    await importTo(a, cityA.id, [later]);
    const second = await run();
    expect(second.lastMessage).toMatch(/^1 new objects/);
    expect((await ids()).sort()).toEqual([amber.id, later.id].sort());
    const stored = (
      await b.call(analystB, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/intel/objects/${later.id}` })
    ).json();
    expect(stored.tlp).toBe('green');
    // Each run is in the feed's history, newest first.
    const runs = (
      await b.call(analystB, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/intel/feeds/${feedId}/runs` })
    ).json();
    expect(runs.total).toBe(2);
    expect(runs.items[0]).toMatchObject({ direction: 'pull', status: 'ok', objects: 1, succeeded: 1 });
  });

  it('keeps what was received under AMBER or stricter from going on; GREEN may', async () => {
    // B holds the AMBER and GREEN objects pulled by the first test.
    const received = (
      await b.call(analystB, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/intel/objects?q=federated` })
    ).json().items as { stixId: string; tlp: string; name: string }[];
    const amber = received.find((i) => i.name === 'federated amber');
    const green = received.find((i) => i.name === 'federated later');
    expect([amber?.tlp, green?.tlp]).toEqual(['amber', 'green']);
    const partner = await b.org('Federation Partner B');
    const comm = (
      await b.call(b.admin, {
        method: 'POST',
        url: '/api/v1/orgs',
        payload: { kind: 'community', name: 'B ISAC' },
      })
    ).json().id;
    for (const m of [cityB.id, partner.id])
      expect(
        (
          await b.call(b.admin, {
            method: 'POST',
            url: `/api/v1/orgs/${comm}/community-members`,
            payload: { memberOrgId: m },
          })
        ).statusCode,
      ).toBe(201);
    const share = (stixId: string, targetOrgId: string) =>
      b.call(analystB, {
        method: 'POST',
        url: `/api/v1/orgs/${cityB.id}/intel/objects/${stixId}/shares`,
        payload: { targetOrgId },
      });
    for (const target of [comm, partner.id]) {
      const refused = await share(amber!.stixId, target);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().detail).toMatch(/Received from another organization under TLP:AMBER/);
    }
    expect((await share(green!.stixId, comm)).statusCode).toBe(201);
    const [{ n }] = (
      (await b.database.db.execute(
        sql`select count(*)::int as n from stix_shares where org_id = ${cityB.id}`,
      )) as unknown as { rows: { n: number }[] }
    ).rows;
    expect(n).toBe(1);
  });

  it('records a failed run when the remote refuses', async () => {
    const feed = (
      await b.call(analystB, {
        method: 'POST',
        url: `/api/v1/orgs/${cityB.id}/intel/feeds`,
        payload: { name: 'Bad token', apiRoot: rootUrl, collectionId: cityA.id, token: 'cw_wrong' },
      })
    ).json();
    const { feedsService } = await import('../../src/server/modules/intel/intel.feeds.js');
    await expect(feedsService.poll(b.database.db, cityB.id, feed.id)).rejects.toThrow(/401/);
    const items = (
      await b.call(analystB, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/intel/feeds` })
    ).json().items;
    expect(items.find((f: { id: string }) => f.id === feed.id)).toMatchObject({ lastStatus: 'failed' });
  });

  it('records the objects a pull could not import, with the reason', async () => {
    const theirs = indicator('federated conflict', 'green');
    await importTo(a, cityA.id, [theirs]);
    // B holds another history of the same object: the remote version cannot join it.
    await importTo(b, cityB.id, [
      { ...theirs, created: '2025-06-01T00:00:00.000Z', modified: '2025-06-01T00:00:00.000Z' },
    ]);
    const feed = (
      await b.call(analystB, {
        method: 'POST',
        url: `/api/v1/orgs/${cityB.id}/intel/feeds`,
        payload: { name: 'Conflicts', apiRoot: rootUrl, collectionId: cityA.id, token: readerA.token },
      })
    ).json();
    const { feedsService } = await import('../../src/server/modules/intel/intel.feeds.js');
    const result = await feedsService.poll(b.database.db, cityB.id, feed.id);
    expect(result.failed).toBe(1);
    const run = (
      await b.call(analystB, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/intel/feeds/${feed.id}/runs` })
    ).json().items[0];
    expect(run).toMatchObject({ direction: 'pull', status: 'ok', failed: 1 });
    expect(run.failures).toEqual([
      { id: theirs.id, version: theirs.modified, message: expect.stringMatching(/^modified: /) },
    ]);
  });

  it('carries the level an unmarked object is held at, in TAXII and in an export', async () => {
    const cityC = await a.org('Federation City C');
    const readerC = await a.user('feed@c.test', { orgId: cityC.id, role: 'viewer' }, 'read');
    const strict = indicator('federated unmarked strict');
    const open = indicator('federated unmarked clear');
    for (const [o, tlp] of [
      [strict, 'amber+strict'],
      [open, 'clear'],
    ] as const) {
      const r = await a.call(a.admin, {
        method: 'POST',
        url: `/api/v1/orgs/${cityC.id}/intel/bundles?tlp=${encodeURIComponent(tlp)}`,
        payload: bundleOf([o]),
      });
      expect(r.statusCode).toBe(200);
    }
    // The export says the level too, and leaves an object's own marking as it is.
    const exported = (
      await a.call(a.admin, { method: 'GET', url: `/api/v1/orgs/${cityC.id}/intel/bundle?q=federated` })
    ).json().objects as { id: string; object_marking_refs?: string[] }[];
    expect(exported.find((o) => o.id === strict.id)?.object_marking_refs).toEqual([
      TLP2_MARKING_IDS['amber+strict'],
    ]);
    expect(exported.find((o) => o.id === open.id)?.object_marking_refs).toEqual([TLP2_MARKING_IDS.clear]);

    const feed = (
      await b.call(analystB, {
        method: 'POST',
        url: `/api/v1/orgs/${cityB.id}/intel/feeds`,
        payload: {
          name: 'City C',
          apiRoot: rootUrl.replace(cityA.id, cityC.id),
          collectionId: cityC.id,
          token: readerC.token,
        },
      })
    ).json();
    const { feedsService } = await import('../../src/server/modules/intel/intel.feeds.js');
    expect(await feedsService.poll(b.database.db, cityB.id, feed.id)).toMatchObject({
      imported: 2,
      failed: 0,
    });
    // B applies A's levels, not its own default for unmarked content (AMBER).
    const tlpAtB = async (id: string) =>
      (await b.call(analystB, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/intel/objects/${id}` })).json()
        .tlp;
    expect(await tlpAtB(strict.id)).toBe('amber+strict');
    expect(await tlpAtB(open.id)).toBe('clear');
  });

  it('resumes in the middle of one import: every object of it arrives once', async () => {
    const cityD = await a.org('Federation City D');
    const readerD = await a.user('feed@d.test', { orgId: cityD.id, role: 'viewer' }, 'read');
    const five = Array.from({ length: 5 }, (_, i) => indicator(`federated batch ${i}`, 'green'));
    // One import: one transaction, so one transaction time for all five.
    expect((await importTo(a, cityD.id, five)).json()).toMatchObject({ imported: 5 });
    const feed = (
      await b.call(analystB, {
        method: 'POST',
        url: `/api/v1/orgs/${cityB.id}/intel/feeds`,
        payload: {
          name: 'City D',
          apiRoot: rootUrl.replace(cityA.id, cityD.id),
          collectionId: cityD.id,
          token: readerD.token,
        },
      })
    ).json();
    const { feedsService } = await import('../../src/server/modules/intel/intel.feeds.js');
    // Runs that stop after one page of two: each resumes from the cursor the one before saved.
    const small = { pageSize: 2, maxPages: 1 };
    // (The collection also serves CLEAR objects of other organizations, which B may already hold.)
    const imported: number[] = [];
    for (let i = 0; i < 5; i++)
      imported.push((await feedsService.poll(b.database.db, cityB.id, feed.id, undefined, small)).imported);
    expect(Math.max(...imported)).toBeLessThanOrEqual(2);
    const [{ n }] = (
      (await b.database.db.execute(
        sql`select count(*)::int as n from stix_objects where org_id = ${cityB.id}
          and stix_id = any(${sql.param(five.map((o) => o.id))}::text[])`,
      )) as unknown as { rows: { n: number }[] }
    ).rows;
    expect(n).toBe(5);
  });

  it('tolerates a remote that pages badly, and waits as long as its Retry-After asks', async () => {
    // A TAXII server that misbehaves on purpose, one way per request, in order.
    const objs = Array.from({ length: 3 }, (_, i) => indicator(`badly paged ${i}`, 'green'));
    const answers: ((res: ServerResponse) => void)[] = [];
    const taxii = { 'content-type': 'application/taxii+json;version=2.1' };
    const page =
      (objects: unknown[], more: boolean, next?: string, dates?: [string, string]) =>
      (res: ServerResponse) => {
        res.writeHead(200, {
          ...taxii,
          ...(dates ? { 'x-taxii-date-added-first': dates[0], 'x-taxii-date-added-last': dates[1] } : {}),
        });
        res.end(JSON.stringify({ more, ...(next ? { next } : {}), objects }));
      };
    const fail =
      (status: number, headers: Record<string, string> = {}) =>
      (res: ServerResponse) => {
        res.writeHead(status, { ...taxii, ...headers });
        res.end(JSON.stringify({ title: 'Not now', http_status: String(status) }));
      };
    const asked: string[] = [];
    const remote = createServer((req, res) => {
      asked.push(req.url ?? '');
      (answers.shift() ?? fail(500))(res);
    });
    await new Promise<void>((r) => remote.listen(0, '127.0.0.1', r));
    try {
      const apiRoot = `http://127.0.0.1:${(remote.address() as AddressInfo).port}/api1/`;
      const feed = (
        await b.call(analystB, {
          method: 'POST',
          url: `/api/v1/orgs/${cityB.id}/intel/feeds`,
          payload: { name: 'Bad pager', apiRoot, collectionId: 'c1' },
        })
      ).json();
      const { feedsService } = await import('../../src/server/modules/intel/intel.feeds.js');
      const poll = () => feedsService.poll(b.database.db, cityB.id, feed.id, (u, i) => fetch(u, i));

      // `more` without `next`, and no date headers: the page is kept, the walk stops, the cursor stays.
      answers.push(page([objs[0]], true));
      expect(await poll()).toMatchObject({ imported: 1, pages: 1, addedAfter: null });
      // A `next` handed out twice: followed once, then the walk stops instead of looping.
      answers.push(
        page([objs[1]], true, 'again', ['2026-03-01T00:00:00.000001Z', '2026-03-01T00:00:00.000001Z']),
        page([objs[1], objs[2]], true, 'again', [
          '2026-03-01T00:00:00.000001Z',
          '2026-03-01T00:00:00.000003Z',
        ]),
      );
      expect(await poll()).toMatchObject({
        imported: 2,
        pages: 2,
        addedAfter: '2026-03-01T00:00:00.000003Z',
      });
      expect(answers).toHaveLength(0);
      // The next run asks only for what came after the last date the remote gave.
      answers.push(page([], false));
      await poll();
      expect(asked.at(-1)).toContain(`added_after=${encodeURIComponent('2026-03-01T00:00:00.000003Z')}`);

      // A 503 on the second page: the first page and its cursor are kept, the run is recorded as failed.
      const more = indicator('badly paged 3', 'green');
      answers.push(
        page([more], true, 'p2', ['2026-03-02T00:00:00.000001Z', '2026-03-02T00:00:00.000001Z']),
        fail(503),
      );
      await expect(poll()).rejects.toThrow(/503/);
      const runs = (
        await b.call(analystB, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/intel/feeds/${feed.id}/runs` })
      ).json().items;
      expect(runs[0]).toMatchObject({ status: 'failed', succeeded: 1, pages: 1 });
      expect(runs[0].message).toMatch(/503/);

      // A 429 with Retry-After, through the job runner: the retry waits at least what the remote asked for.
      answers.push(fail(429, { 'retry-after': '600' }));
      const runner = new JobRunner(b.database.db, pino({ level: 'silent' }));
      await registerJobs(runner);
      await b.database.db.execute(sql`update job_schedules set next_run_at = now() + interval '1 day'`);
      expect(
        (
          await b.call(analystB, {
            method: 'POST',
            url: `/api/v1/orgs/${cityB.id}/intel/feeds/${feed.id}/run`,
          })
        ).statusCode,
      ).toBe(202);
      await runner.drain();
      const job = (
        (await b.database.db.execute(
          sql`select status, last_error, extract(epoch from run_at - now())::int as wait from jobs
              where name = 'intel.taxii.poll' order by id desc limit 1`,
        )) as unknown as { rows: { status: string; last_error: string; wait: number }[] }
      ).rows[0];
      expect(job.status).toBe('queued');
      expect(job.last_error).toMatch(/429/);
      // The runner's own first backoff is 5 s; the remote asked for 600.
      expect(job.wait).toBeGreaterThan(500);
      await b.database.db.execute(sql`delete from jobs where name = 'intel.taxii.poll'`);
      expect(
        (
          (await b.database.db.execute(
            sql`select count(*)::int as n from stix_objects where org_id = ${cityB.id}
              and stix_id = any(${sql.param([...objs, more].map((o) => o.id))}::text[])`,
          )) as unknown as { rows: { n: number }[] }
        ).rows[0].n,
      ).toBe(4);
    } finally {
      await new Promise((r) => remote.close(r));
    }
  });

  it('refuses a feed with a bad URL and writes nothing', async () => {
    const r = await b.call(analystB, {
      method: 'POST',
      url: `/api/v1/orgs/${cityB.id}/intel/feeds`,
      payload: { name: 'x', apiRoot: 'ftp://nope', collectionId: 'c' },
    });
    expect(r.statusCode).toBe(422);
  });
});
