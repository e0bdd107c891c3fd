import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('refuses a feed with a bad URL and writes nothing', async () => {
    const r = await b.call(analystB, {
      method: 'POST',
      url: `/api/v1/orgs/${cityB.id}/intel/feeds`,
      payload: { name: 'x', apiRoot: 'ftp://nope', collectionId: 'c' },
    });
    expect(r.statusCode).toBe(422);
  });
});
