import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLP2_MARKING_IDS } from '../../src/core/stix/index.js';
import { registerJobs } from '../../src/server/jobs/registry.js';
import { enqueue, JobRunner } from '../../src/server/jobs/runner.js';
import { feedsService } from '../../src/server/modules/intel/intel.feeds.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';
import { bundleOf, indicator } from '../helpers/stix.js';

/**
 * Two Citywall instances: A pushes its organization's own objects over TAXII into a collection of B, on A's job
 * runner, with TLP as the gate. A proxy in front of B plays a remote that pages, throttles and fails.
 */
let a: TestEnv;
let b: TestEnv;
let bUrl: string;
let runner: JobRunner;
let proxy: Server;
let proxyUrl: string;
let n = 0;

beforeAll(async () => {
  a = await testEnv();
  b = await testEnv();
  await b.app.listen({ port: 0, host: '127.0.0.1' });
  bUrl = `http://127.0.0.1:${(b.app.server.address() as AddressInfo).port}`;
  runner = new JobRunner(a.database.db, pino({ level: 'silent' }));
  await registerJobs(runner);
  // Only the runs the tests ask for: the instance's own schedules wait.
  await a.database.db.execute(sql`update job_schedules set next_run_at = now() + interval '1 day'`);
  proxy = createServer((req, res) => void faults.handle(req, res));
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  await a?.close();
  await b?.close();
});

interface Pair {
  orgA: { id: string };
  orgB: { id: string };
  analystA: TestUser;
  viewerA: TestUser;
  writerB: TestUser;
  analystB: TestUser;
  root: string;
}

/** A fresh organization on each side, a writer's token on B and the TAXII API root of B's organization. */
async function pair(): Promise<Pair> {
  const i = ++n;
  const orgA = await a.org(`Push City A${i}`);
  const orgB = await b.org(`Push City B${i}`);
  return {
    orgA,
    orgB,
    analystA: await a.user(`analyst${i}@a.test`, { orgId: orgA.id, role: 'analyst' }),
    viewerA: await a.user(`viewer${i}@a.test`, { orgId: orgA.id, role: 'viewer' }),
    writerB: await b.user(`writer${i}@b.test`, { orgId: orgB.id, role: 'analyst' }, 'write'),
    analystB: await b.user(`reader${i}@b.test`, { orgId: orgB.id, role: 'analyst' }),
    root: `${bUrl}/taxii2/${orgB.id}/`,
  };
}

const importTo = async (env: TestEnv, orgId: string, objects: unknown[], tlp?: string) => {
  const r = await env.call(env.admin, {
    method: 'POST',
    url: `/api/v1/orgs/${orgId}/intel/bundles${tlp ? `?tlp=${tlp}` : ''}`,
    payload: bundleOf(objects),
  });
  expect(r.statusCode).toBe(200);
  return r.json();
};

async function createPush(p: Pair, extra: Record<string, unknown> = {}, root = p.root) {
  const r = await a.call(p.analystA, {
    method: 'POST',
    url: `/api/v1/orgs/${p.orgA.id}/intel/feeds`,
    payload: {
      name: 'To B',
      apiRoot: root,
      collectionId: p.orgB.id,
      token: p.writerB.token,
      direction: 'push',
      ...extra,
    },
  });
  expect(r.statusCode).toBe(201);
  return r.json();
}

/** Queues a run through the API and lets A's job runner do it; answers the run it recorded. */
async function runViaJob(p: Pair, feedId: string) {
  const r = await a.call(p.analystA, {
    method: 'POST',
    url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feedId}/run`,
  });
  expect(r.statusCode).toBe(202);
  await runner.drain();
  return latestRun(p, feedId);
}

async function latestRun(p: Pair, feedId: string) {
  const runs = await a.call(p.analystA, {
    method: 'GET',
    url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feedId}/runs`,
  });
  expect(runs.statusCode).toBe(200);
  return runs.json().items[0];
}

/** What B's organization holds, by id. */
async function heldByB(p: Pair) {
  const r = await b.call(p.analystB, {
    method: 'GET',
    url: `/api/v1/orgs/${p.orgB.id}/intel/objects?limit=500`,
  });
  expect(r.statusCode).toBe(200);
  // CLEAR objects of other organizations are visible too: only B's organization's own count.
  return new Map<string, { tlp: string }>(
    r
      .json()
      .items.filter((i: { ownerOrgId: string }) => i.ownerOrgId === p.orgB.id)
      .map((i: { stixId: string; tlp: string }) => [i.stixId, i]),
  );
}

describe('pushing to a remote TAXII collection', () => {
  it('sends own objects up to the maximum TLP, never RED, and resumes from its cursor', async () => {
    const p = await pair();
    const clear = indicator('pushed clear', 'clear');
    const green = indicator('pushed green', 'green');
    const amber = indicator('pushed amber', 'amber');
    const strict = indicator('pushed amber strict', 'amber+strict');
    const red = indicator('pushed red', 'red');
    await importTo(a, p.orgA.id, [clear, green, amber, strict, red]);
    // Held at GREEN here without a marking of its own: it leaves marked GREEN.
    const unmarked = indicator('pushed unmarked');
    await importTo(a, p.orgA.id, [unmarked], 'green');
    // Another organization's object on A is not this organization's to push.
    const other = await a.org('Push Other A');
    const foreign = indicator('pushed foreign', 'clear');
    await importTo(a, other.id, [foreign]);

    const feed = await createPush(p);
    expect(feed).toMatchObject({ direction: 'push', maxTlp: 'green', hasToken: true, pushCursor: null });
    expect(JSON.stringify(feed)).not.toContain(p.writerB.token);

    const first = await runViaJob(p, feed.id);
    expect(first).toMatchObject({
      direction: 'push',
      status: 'ok',
      objects: 3,
      succeeded: 3,
      failed: 0,
      withheld: 3,
      failures: [],
    });
    let held = await heldByB(p);
    expect([...held.keys()].sort()).toEqual([clear.id, green.id, unmarked.id].sort());
    expect(held.get(unmarked.id)?.tlp).toBe('green');
    expect(held.get(clear.id)?.tlp).toBe('clear');

    // The next run sends only what was added since.
    const later = indicator('pushed later', 'green');
    await importTo(a, p.orgA.id, [later]);
    const second = await runViaJob(p, feed.id);
    expect(second).toMatchObject({ status: 'ok', objects: 1, succeeded: 1, withheld: 0 });
    expect((await heldByB(p)).has(later.id)).toBe(true);
    const third = await runViaJob(p, feed.id);
    expect(third).toMatchObject({ status: 'ok', objects: 0, succeeded: 0 });
    // Runs are kept for 30 days: the hourly maintenance drops older ones.
    await a.database.db.execute(
      sql`update taxii_feed_runs set finished_at = now() - interval '31 days' where id = ${first.id}`,
    );
    await enqueue(a.database.db, 'maintenance.cleanup');
    await runner.drain();
    const kept = (
      await a.call(p.analystA, {
        method: 'GET',
        url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}/runs`,
      })
    ).json();
    expect(kept.total).toBe(2);
    expect(kept.items.map((r: { id: string }) => r.id)).not.toContain(first.id);

    // A newer version marked RED holds back the whole object, its older GREEN version included.
    const turned = indicator('pushed turned red', 'green');
    await importTo(a, p.orgA.id, [
      turned,
      { ...turned, modified: '2026-02-01T00:00:00.000Z', object_marking_refs: [TLP2_MARKING_IDS.red] },
    ]);
    const fourth = await runViaJob(p, feed.id);
    expect(fourth).toMatchObject({ objects: 0, withheld: 2 });
    expect((await heldByB(p)).has(turned.id)).toBe(false);

    // Raising the maximum to AMBER+STRICT starts over and sends what it now allows; RED still never leaves.
    const raised = await a.call(p.analystA, {
      method: 'PATCH',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}`,
      payload: { maxTlp: 'amber+strict' },
    });
    expect(raised.statusCode).toBe(200);
    expect(raised.json()).toMatchObject({ maxTlp: 'amber+strict', pushCursor: null });
    const fifth = await runViaJob(p, feed.id);
    expect(fifth).toMatchObject({ status: 'ok', objects: 6, succeeded: 6, withheld: 3 });
    held = await heldByB(p);
    expect([...held.keys()].sort()).toEqual(
      [clear.id, green.id, unmarked.id, later.id, amber.id, strict.id].sort(),
    );
    expect(held.has(red.id)).toBe(false);
    expect(held.has(foreign.id)).toBe(false);
    expect(held.get(strict.id)?.tlp).toBe('amber+strict');

    // Every change of the feed is audited.
    const removed = await a.call(p.analystA, {
      method: 'DELETE',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}`,
    });
    expect(removed.statusCode).toBe(204);
    const audit = (await a.database.db.execute(
      sql`select action from audit_events where target_id = ${feed.id} order by seq`,
    )) as unknown as { rows: { action: string }[] };
    expect(audit.rows.map((r) => r.action)).toEqual([
      'intel.feed.create',
      'intel.feed.update',
      'intel.feed.delete',
    ]);
  });

  it('records the failures the remote status resource reports', async () => {
    const p = await pair();
    // B already holds this object with a different creation time: a conflicting history it refuses.
    const theirs = indicator('pushed conflict', 'green');
    await importTo(b, p.orgB.id, [theirs]);
    const ours = {
      ...theirs,
      created: '2026-01-02T00:00:00.000Z',
      modified: '2026-01-03T00:00:00.000Z',
    };
    const fine = indicator('pushed fine', 'green');
    await importTo(a, p.orgA.id, [ours, fine]);
    const feed = await createPush(p);
    const run = await runViaJob(p, feed.id);
    expect(run).toMatchObject({ status: 'ok', objects: 2, succeeded: 1, failed: 1 });
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0].id).toBe(theirs.id);
    expect(run.failures[0].message).toMatch(/created|modified/);
    expect(run.message).toMatch(/1 failed/);
  });

  it('fits requests to max_content_length, splits on 413, follows pending status, resumes after 429 and 5xx', async () => {
    const p = await pair();
    const objects = Array.from({ length: 8 }, (_, i) =>
      indicator(`pushed paged ${i}`, 'green', { description: 'x'.repeat(400) }),
    );
    await importTo(a, p.orgA.id, objects);
    const feed = await createPush(p, {}, `${proxyUrl}/taxii2/${p.orgB.id}/`);

    // The remote advertises 3,000 bytes but refuses more than 1,500, throttles the first POST, answers the
    // first accepted one as pending, and fails with a 503 once three were accepted.
    faults.reset({
      advertise: 3000,
      refuseAbove: 1500,
      failPosts: { 1: 429 },
      failAfterAccepted: 3,
      pendingOnce: true,
    });
    // Through the job runner: the 429 fails the run and the runner retries later with its backoff.
    const throttled = await runViaJob(p, feed.id);
    expect(throttled).toMatchObject({ status: 'failed', objects: 0 });
    expect(throttled.message).toMatch(/429/);
    const job = (await a.database.db.execute(
      sql`select status, attempts, last_error, run_at > now() as later from jobs
          where name = 'intel.taxii.push' order by id desc limit 1`,
    )) as unknown as { rows: { status: string; attempts: number; last_error: string; later: boolean }[] };
    expect(job.rows[0]).toMatchObject({ status: 'queued', attempts: 1, later: true });
    expect(job.rows[0].last_error).toMatch(/429/);
    await a.database.db.execute(sql`delete from jobs where name = 'intel.taxii.push'`);

    // The retry: the 503 stops it after one accepted request; the cursor keeps what went through.
    await expect(feedsService.push(a.database.db, p.orgA.id, feed.id, undefined, fast)).rejects.toThrow(
      /503/,
    );
    const stopped = await latestRun(p, feed.id);
    expect(stopped.status).toBe('failed');
    const sentBefore = stopped.objects;
    expect(sentBefore).toBeGreaterThan(0);
    expect(sentBefore).toBeLessThan(8);

    const done = await feedsService.push(a.database.db, p.orgA.id, feed.id, undefined, fast);
    // It resumed: what the stopped run had confirmed is not sent again.
    expect(done.objects).toBeLessThan(8);
    expect(done.objects + sentBefore).toBeGreaterThanOrEqual(8);
    expect(done.succeeded).toBe(done.objects);
    expect(done.pending).toBe(0);
    const last = await latestRun(p, feed.id);
    expect(last).toMatchObject({ status: 'ok', failed: 0 });

    // Every object arrived once; no request was larger than the remote takes; a 413 was answered by splitting.
    const held = await heldByB(p);
    expect(objects.every((o) => held.has(o.id))).toBe(true);
    expect(faults.accepted.length).toBeGreaterThan(2);
    expect(Math.max(...faults.accepted)).toBeLessThanOrEqual(1500);
    expect(faults.refused).toBeGreaterThan(0);
    expect(faults.statusReads).toBeGreaterThan(0);
  });

  it('never lets an older version travel laxer than the object now, nor passes on AMBER it received', async () => {
    const p = await pair();
    // v1 marked GREEN, v2 AMBER: at a maximum of AMBER only v2 leaves; v1 would reopen the object at GREEN.
    const marked = indicator('pushed regraded', 'green');
    const unmarked = indicator('pushed regraded unmarked');
    await importTo(a, p.orgA.id, [
      marked,
      { ...marked, modified: '2026-02-01T00:00:00.000Z', object_marking_refs: [TLP2_MARKING_IDS.amber] },
    ]);
    await importTo(a, p.orgA.id, [unmarked], 'green');
    await importTo(a, p.orgA.id, [
      { ...unmarked, modified: '2026-02-01T00:00:00.000Z', object_marking_refs: [TLP2_MARKING_IDS.amber] },
    ]);
    // What A's pull feed brought from B: GREEN may go on, AMBER stays within A.
    const greenB = indicator('received green', 'green');
    const amberB = indicator('received amber', 'amber');
    await importTo(b, p.orgB.id, [greenB, amberB]);
    const pull = await a.call(p.analystA, {
      method: 'POST',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds`,
      payload: { name: 'From B', apiRoot: p.root, collectionId: p.orgB.id, token: p.writerB.token },
    });
    expect(pull.statusCode).toBe(201);
    await feedsService.poll(a.database.db, p.orgA.id, pull.json().id);
    // A third party: another organization on B.
    const orgC = await b.org(`Push third ${n}`);
    const writerC = await b.user(`writer-c${n}@b.test`, { orgId: orgC.id, role: 'analyst' }, 'write');
    const readerC = await b.user(`reader-c${n}@b.test`, { orgId: orgC.id, role: 'analyst' });
    const feed = await createPush(
      p,
      { maxTlp: 'amber', token: writerC.token, collectionId: orgC.id },
      `${bUrl}/taxii2/${orgC.id}/`,
    );
    const sent: string[] = [];
    const counting: typeof fetch = async (url, init) => {
      if (init?.method === 'POST') {
        for (const o of JSON.parse(String(init.body)).objects) sent.push(`${o.id}@${o.modified}`);
      }
      return fetch(url, init);
    };
    const run = await feedsService.push(a.database.db, p.orgA.id, feed.id, counting, fast);
    expect(run.failed).toBe(0);
    const heldByC = new Map<string, { tlp: string }>(
      (await b.call(readerC, { method: 'GET', url: `/api/v1/orgs/${orgC.id}/intel/objects?limit=500` }))
        .json()
        .items.filter((i: { ownerOrgId: string }) => i.ownerOrgId === orgC.id)
        .map((i: { stixId: string; tlp: string }) => [i.stixId, i]),
    );
    // (The pull also brought CLEAR objects other organizations of B published: those may go on too.)
    for (const id of [marked.id, unmarked.id, greenB.id]) expect(heldByC.has(id)).toBe(true);
    expect(heldByC.has(amberB.id)).toBe(false);
    expect(heldByC.get(marked.id)?.tlp).toBe('amber');
    expect(heldByC.get(unmarked.id)?.tlp).toBe('amber');
    // Exactly one request carried each version that left, and none carried the GREEN-marked v1.
    const ours = new Set([marked.id, unmarked.id, greenB.id, amberB.id]);
    expect(sent.filter((x) => ours.has(x.split('@')[0])).sort()).toEqual(
      [
        `${marked.id}@2026-02-01T00:00:00.000Z`,
        `${unmarked.id}@${unmarked.modified}`,
        `${unmarked.id}@2026-02-01T00:00:00.000Z`,
        `${greenB.id}@${greenB.modified}`,
      ].sort(),
    );
    expect(run.withheld).toBe(2);
  });

  it('stops a run whose feed changes under it, keeping the reset, and never sends a token to a new host', async () => {
    const p = await pair();
    await importTo(
      a,
      p.orgA.id,
      Array.from({ length: 3 }, (_, i) =>
        indicator(`pushed changing ${i}`, 'green', { description: 'z'.repeat(600) }),
      ),
    );
    const feed = await createPush(p, {}, `${proxyUrl}/taxii2/${p.orgB.id}/`);
    // Small requests, so the run needs several; the first one changes the feed's maximum meanwhile.
    faults.reset({ advertise: 1500 });
    let posts = 0;
    const changing: typeof fetch = async (url, init) => {
      if (init?.method === 'POST' && ++posts === 1) {
        const r = await a.call(p.analystA, {
          method: 'PATCH',
          url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}`,
          payload: { maxTlp: 'clear' },
        });
        expect(r.statusCode).toBe(200);
      }
      return fetch(url, init);
    };
    const run = await feedsService.push(a.database.db, p.orgA.id, feed.id, changing, fast);
    expect('stopped' in run && run.stopped).toMatch(/changed or deleted during the run/);
    expect(posts).toBe(1);
    const now = (await a.call(p.analystA, { method: 'GET', url: `/api/v1/orgs/${p.orgA.id}/intel/feeds` }))
      .json()
      .items.find((f: { id: string }) => f.id === feed.id);
    expect(now).toMatchObject({ maxTlp: 'clear', pushCursor: null });
    expect((await latestRun(p, feed.id)).status).toBe('failed');

    // The same server under another path keeps the token; another host does not get it.
    const patch = (payload: Record<string, unknown>) =>
      a.call(p.analystA, {
        method: 'PATCH',
        url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}`,
        payload,
      });
    expect((await patch({ apiRoot: `${proxyUrl}/taxii2/other/` })).json().hasToken).toBe(true);
    expect((await patch({ apiRoot: 'https://collector.example.net/taxii2/x/' })).json().hasToken).toBe(false);
    expect(
      (await patch({ apiRoot: 'https://collector.example.net/taxii2/y/', token: 'new-token' })).json()
        .hasToken,
    ).toBe(true);
  });

  it('holds back an object larger than the remote takes, as a failure', async () => {
    const p = await pair();
    const huge = indicator('pushed huge', 'green', { description: 'y'.repeat(5000) });
    const small = indicator('pushed small', 'green');
    await importTo(a, p.orgA.id, [huge, small]);
    const feed = await createPush(p, {}, `${proxyUrl}/taxii2/${p.orgB.id}/`);
    faults.reset({ advertise: 3000 });
    const run = await feedsService.push(a.database.db, p.orgA.id, feed.id, undefined, fast);
    expect(run).toMatchObject({ objects: 1, succeeded: 1, failed: 1 });
    expect(run.failures[0]).toMatchObject({ id: huge.id });
    expect(run.failures[0].message).toMatch(/max_content_length/);
    const held = await heldByB(p);
    expect(held.has(small.id)).toBe(true);
    expect(held.has(huge.id)).toBe(false);
  });
});

describe('push feeds through the API', () => {
  it('refuses RED as a maximum, a bad address and a maximum on a pull feed, as problems', async () => {
    const p = await pair();
    const base = { name: 'x', apiRoot: p.root, collectionId: p.orgB.id, direction: 'push' };
    const red = await a.call(p.analystA, {
      method: 'POST',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds`,
      payload: { ...base, maxTlp: 'red' },
    });
    expect(red.statusCode).toBe(422);
    expect(red.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(red.json().errors[0].path).toBe('body.maxTlp');
    expect(red.json().errors[0].message).toMatch(/never pushed/);
    const badUrl = await a.call(p.analystA, {
      method: 'POST',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds`,
      payload: { ...base, apiRoot: 'not a url' },
    });
    expect(badUrl.statusCode).toBe(422);
    expect(badUrl.json().errors[0].path).toBe('body.apiRoot');
    const metadata = await a.call(p.analystA, {
      method: 'POST',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds`,
      payload: { ...base, apiRoot: 'http://169.254.169.254/taxii2/' },
    });
    expect(metadata.statusCode).toBe(422);
    expect(metadata.json().errors[0].path).toBe('apiRoot');
    const pullWithMax = await a.call(p.analystA, {
      method: 'POST',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds`,
      payload: { ...base, direction: 'pull', maxTlp: 'green' },
    });
    expect(pullWithMax.statusCode).toBe(422);
    expect(pullWithMax.json().errors[0].path).toBe('body.maxTlp');
    const badDirection = await a.call(p.analystA, {
      method: 'POST',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds`,
      payload: { ...base, direction: 'sideways' },
    });
    expect(badDirection.statusCode).toBe(422);

    const feed = await createPush(p);
    const patchRed = await a.call(p.analystA, {
      method: 'PATCH',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}`,
      payload: { maxTlp: 'red' },
    });
    expect(patchRed.statusCode).toBe(422);
    const patchDirection = await a.call(p.analystA, {
      method: 'PATCH',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}`,
      payload: { direction: 'pull' },
    });
    expect(patchDirection.statusCode).toBe(422);
    const pull = await a.call(p.analystA, {
      method: 'POST',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds`,
      payload: { ...base, name: 'pull', direction: 'pull' },
    });
    expect(pull.json()).toMatchObject({ direction: 'pull', maxTlp: null });
    const pullMax = await a.call(p.analystA, {
      method: 'PATCH',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${pull.json().id}`,
      payload: { maxTlp: 'clear' },
    });
    expect(pullMax.statusCode).toBe(422);
    expect(pullMax.json().errors[0].path).toBe('body.maxTlp');
    const list = (await a.call(p.analystA, { method: 'GET', url: `/api/v1/orgs/${p.orgA.id}/intel/feeds` }))
      .json()
      .items.filter((f: { direction: string }) => f.direction === 'push');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ direction: 'push', maxTlp: 'green' });
  });

  it('lets only writers create, change or run push feeds; a read-only role may read them', async () => {
    const p = await pair();
    const denied = await a.call(p.viewerA, {
      method: 'POST',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds`,
      payload: { name: 'x', apiRoot: p.root, collectionId: p.orgB.id, direction: 'push' },
    });
    expect(denied.statusCode).toBe(403);
    const feed = await createPush(p);
    for (const req of [
      {
        method: 'PATCH' as const,
        url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}`,
        payload: { name: 'y' },
      },
      { method: 'POST' as const, url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}/run` },
      { method: 'DELETE' as const, url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}` },
    ]) {
      expect((await a.call(p.viewerA, req)).statusCode).toBe(403);
    }
    const runs = await a.call(p.viewerA, {
      method: 'GET',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}/runs`,
    });
    expect(runs.statusCode).toBe(200);
    expect(runs.json()).toMatchObject({ items: [], total: 0, limit: 20, offset: 0 });
    // Another organization's people see neither the feed nor its runs.
    const q = await pair();
    const foreign = await a.call(q.analystA, {
      method: 'GET',
      url: `/api/v1/orgs/${p.orgA.id}/intel/feeds/${feed.id}/runs`,
    });
    expect(foreign.statusCode).toBe(404);
    const wrongOrg = await a.call(q.analystA, {
      method: 'GET',
      url: `/api/v1/orgs/${q.orgA.id}/intel/feeds/${feed.id}/runs`,
    });
    expect(wrongOrg.statusCode).toBe(404);
  });
});

/** Short waits between status requests, so the tests do not sleep for the production backoff. */
const fast = { statusWaitsMs: [10, 20, 40] };

/**
 * A remote in front of B: it can advertise a smaller max_content_length, refuse larger requests with 413, answer
 * chosen POSTs with an error status, and turn one POST's status into `pending` (the real one is read later).
 */
const faults = {
  advertise: 0,
  refuseAbove: 0,
  failPosts: {} as Record<number, number>,
  failAfterAccepted: 0,
  pendingOnce: false,
  posts: 0,
  accepted: [] as number[],
  refused: 0,
  statusReads: 0,

  reset(o: {
    advertise?: number;
    refuseAbove?: number;
    failPosts?: Record<number, number>;
    failAfterAccepted?: number;
    pendingOnce?: boolean;
  }) {
    Object.assign(this, {
      advertise: o.advertise ?? 0,
      refuseAbove: o.refuseAbove ?? 0,
      failPosts: o.failPosts ?? {},
      failAfterAccepted: o.failAfterAccepted ?? 0,
      pendingOnce: o.pendingOnce ?? false,
      posts: 0,
      accepted: [],
      refused: 0,
      statusReads: 0,
    });
  },

  async handle(req: IncomingMessage, res: import('node:http').ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const taxii = { 'content-type': 'application/taxii+json;version=2.1' };
    const error = (status: number, title: string) => {
      res.writeHead(status, taxii);
      res.end(JSON.stringify({ title, http_status: String(status) }));
    };
    if (req.method === 'POST') {
      const number = ++this.posts;
      const failure = this.failPosts[number];
      if (failure) return error(failure, failure === 429 ? 'Too many requests' : 'Unavailable');
      if (this.failAfterAccepted && this.accepted.length === this.failAfterAccepted) {
        this.failAfterAccepted = 0;
        return error(503, 'Unavailable');
      }
      if (this.refuseAbove && body.length > this.refuseAbove) {
        this.refused++;
        return error(413, 'Too large');
      }
      this.accepted.push(body.length);
    }
    if (/\/status\//.test(req.url ?? '')) this.statusReads++;
    const upstream = await forward(req, body);
    let out = upstream.body;
    if (req.method === 'GET' && /^\/taxii2\/[^/]+\/$/.test(req.url ?? '') && this.advertise) {
      out = Buffer.from(
        JSON.stringify({ ...JSON.parse(out.toString()), max_content_length: this.advertise }),
      );
    }
    if (req.method === 'POST' && this.pendingOnce && upstream.status === 202) {
      this.pendingOnce = false;
      const s = JSON.parse(out.toString());
      out = Buffer.from(
        JSON.stringify({
          ...s,
          status: 'pending',
          success_count: 0,
          successes: [],
          pending_count: s.total_count,
          pendings: s.successes,
        }),
      );
    }
    res.writeHead(upstream.status, { 'content-type': upstream.type });
    res.end(out);
  },
};

function forward(req: IncomingMessage, body: Buffer) {
  return new Promise<{ status: number; type: string; body: Buffer }>((resolve, reject) => {
    const headers = { ...req.headers, host: new URL(bUrl).host, 'content-length': String(body.length) };
    const up = httpRequest(`${bUrl}${req.url}`, { method: req.method, headers }, (r) => {
      const parts: Buffer[] = [];
      r.on('data', (c: Buffer) => parts.push(c));
      r.on('end', () =>
        resolve({
          status: r.statusCode ?? 502,
          type: String(r.headers['content-type'] ?? ''),
          body: Buffer.concat(parts),
        }),
      );
      r.on('error', reject);
    });
    up.on('error', reject);
    up.end(body);
  });
}
