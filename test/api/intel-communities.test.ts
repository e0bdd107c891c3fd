import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLP2_MARKING_IDS } from '../../src/core/stix/index.js';
import { TaxiiClient } from '../../src/core/taxii/index.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';
import { indicator } from '../helpers/stix.js';

/**
 * A community's default TLP: the level of what its members publish to it without a marking of their own
 * (TAXII POST to the community's collection, over real HTTP).
 */
let env: TestEnv;
let base: string;
let city: { id: string };
let member: { id: string };
let comm: string;
let writer: TestUser;
let memberUser: TestUser;

const client = (u: TestUser) =>
  new TaxiiClient({ fetch: (url, init) => fetch(url, init), authorization: `Bearer ${u.token}` });
const root = (orgId: string) => `${base}/taxii2/${orgId}/`;
const settings = (u: TestUser, orgId: string, defaultTlp?: unknown) =>
  env.call(
    u,
    defaultTlp === undefined
      ? { method: 'GET', url: `/api/v1/orgs/${orgId}/community-settings` }
      : { method: 'PATCH', url: `/api/v1/orgs/${orgId}/community-settings`, payload: { defaultTlp } },
  );

beforeAll(async () => {
  env = await testEnv({ http: true });
  base = env.url as string;
  city = await env.org('Default TLP City');
  member = await env.org('Default TLP Member');
  comm = (
    await env.call(env.admin, {
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { kind: 'community', name: 'Default TLP ISAC' },
    })
  ).json().id;
  for (const m of [city.id, member.id]) {
    const r = await env.call(env.admin, {
      method: 'POST',
      url: `/api/v1/orgs/${comm}/community-members`,
      payload: { memberOrgId: m },
    });
    expect(r.statusCode).toBe(201);
  }
  writer = await env.user('w@default-tlp.test', { orgId: city.id, role: 'analyst' });
  memberUser = await env.user('m@default-tlp.test', { orgId: member.id, role: 'viewer' }, 'read');
});
afterAll(() => env?.close());

describe("a community's default TLP", () => {
  it('is AMBER until the community says otherwise; only its managers change it, to a TLP level', async () => {
    expect((await settings(env.admin, comm)).json()).toEqual({ defaultTlp: 'amber' });
    // A member city's analyst holds no role in the community organization itself: it is not theirs to see.
    expect((await settings(writer, comm, 'green')).statusCode).toBe(404);
    const viewer = await env.user('v@default-tlp.test', { orgId: comm, role: 'viewer' });
    expect((await settings(viewer, comm)).json()).toEqual({ defaultTlp: 'amber' });
    expect((await settings(viewer, comm, 'green')).statusCode).toBe(403);
    // Not a TLP 2.0 level; RED (named organizations only) or CLEAR (every reader of the instance), which would
    // not keep what members publish unmarked within the community.
    for (const level of ['white', 'red', 'clear', 7]) {
      const bad = await settings(env.admin, comm, level);
      expect(bad.statusCode).toBe(422);
      expect(bad.json().errors[0].path).toBe('body.defaultTlp');
    }
    // A city has no community settings.
    expect((await settings(env.admin, city.id, 'green')).statusCode).toBe(409);
    expect((await settings(env.admin, city.id)).json()).toEqual({ defaultTlp: null });

    const changed = await settings(env.admin, comm, 'green');
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({ defaultTlp: 'green' });
    // Members see the default where they see their communities; the change is audited.
    const mine = (
      await env.call(writer, { method: 'GET', url: `/api/v1/orgs/${city.id}/communities` })
    ).json();
    expect(mine.items).toEqual([expect.objectContaining({ id: comm, defaultTlp: 'green' })]);
    const audit = (
      await env.call(env.admin, {
        method: 'GET',
        url: `/api/v1/orgs/${comm}/audit?action=community.settings.update`,
      })
    ).json();
    expect(audit.items[0]).toMatchObject({
      action: 'community.settings.update',
      before: { defaultTlp: 'amber' },
      after: { defaultTlp: 'green' },
    });
  });

  it('gives unmarked objects posted to the community its level; marked ones keep theirs', async () => {
    expect((await settings(env.admin, comm, 'amber+strict')).statusCode).toBe(200);
    const unmarked = indicator('published unmarked');
    const marked = indicator('published marked', 'green');
    const status = await client(writer).addObjects(root(city.id), comm, [unmarked, marked]);
    expect(status).toMatchObject({ success_count: 2, failure_count: 0 });
    const level = async (id: string) =>
      (await env.call(writer, { method: 'GET', url: `/api/v1/orgs/${city.id}/intel/objects/${id}` })).json()
        .tlp;
    expect(await level(unmarked.id)).toBe('amber+strict');
    expect(await level(marked.id)).toBe('green');
    // The member reads the unmarked object through the community, marked with the level it is held at.
    const seen = await client(memberUser).getObjects(root(member.id), comm, { limit: 1000 });
    const served = seen.items.find((o) => o.id === unmarked.id) as
      | { object_marking_refs?: string[] }
      | undefined;
    expect(served?.object_marking_refs).toEqual([TLP2_MARKING_IDS['amber+strict']]);

    // Posted to the city's own collection, an unmarked object takes the import's default, not the community's.
    const own = indicator('own unmarked');
    await client(writer).addObjects(root(city.id), city.id, [own]);
    expect(await level(own.id)).toBe('amber');
  });
});
