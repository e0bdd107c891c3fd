import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAXII_MEDIA_TYPE, TaxiiClient, TaxiiError } from '../../src/core/taxii/index.js';
import { PASSWORD, type TestEnv, type TestUser, testEnv } from '../helpers/app.js';
import { indicator } from '../helpers/stix.js';

/**
 * The TAXII 2.1 server over real HTTP, driven by our own client. Section numbers refer to the TAXII 2.1
 * specification (OASIS Standard, 10 June 2021).
 */
let env: TestEnv;
let base: string;
let city: { id: string };
let other: { id: string };
let member: { id: string };
let comm: string;
let writer: TestUser;
let reader: TestUser;
let outsider: TestUser;
let memberUser: TestUser;

const client = (u: TestUser | null) =>
  new TaxiiClient({
    fetch: (url, init) => fetch(url, init),
    authorization: u ? `Bearer ${u.token}` : undefined,
  });
const root = (orgId: string) => `${base}/taxii2/${orgId}/`;

beforeAll(async () => {
  env = await testEnv();
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
  city = await env.org('Taxii City');
  other = await env.org('Taxii Other City');
  member = await env.org('Taxii Member City');
  const c = (
    await env.call(env.admin, {
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { kind: 'community', name: 'Taxii ISAC' },
    })
  ).json();
  comm = c.id;
  for (const m of [city.id, member.id]) {
    await env.call(env.admin, {
      method: 'POST',
      url: `/api/v1/orgs/${comm}/community-members`,
      payload: { memberOrgId: m },
    });
  }
  writer = await env.user('w@taxii.test', { orgId: city.id, role: 'analyst' });
  reader = await env.user('r@taxii.test', { orgId: city.id, role: 'viewer' }, 'read');
  outsider = await env.user('o@taxii.test', { orgId: other.id, role: 'analyst' });
  memberUser = await env.user('m@taxii.test', { orgId: member.id, role: 'viewer' }, 'read');
});
afterAll(() => env?.close());

describe('TAXII 2.1 server', () => {
  it('4.1 discovery lists the API roots the caller may read; 4.2 the root names the media type', async () => {
    const d = await client(writer).discovery(`${base}/taxii2/`);
    expect(d.api_roots).toEqual([root(city.id)]);
    const r = await client(writer).apiRoot(root(city.id));
    expect(r.versions).toEqual([TAXII_MEDIA_TYPE]);
    expect(r.max_content_length).toBeGreaterThan(0);
    await expect(client(outsider).apiRoot(root(city.id))).rejects.toMatchObject({ status: 404 });
    await expect(client(null).discovery(`${base}/taxii2/`)).rejects.toMatchObject({ status: 401 });
    // 1.6.7: HTTP Basic signs in a user.
    const basic = (password: string) =>
      new TaxiiClient({
        fetch: (url, init) => fetch(url, init),
        authorization: `Basic ${Buffer.from(`${writer.email}:${password}`).toString('base64')}`,
      });
    expect((await basic(PASSWORD).discovery(`${base}/taxii2/`)).api_roots).toEqual([root(city.id)]);
    await expect(basic('wrong password!').discovery(`${base}/taxii2/`)).rejects.toMatchObject({
      status: 401,
    });
  });

  it('1.6.8 refuses other media types with 406 and 415, with the TAXII error message (3.6.1)', async () => {
    const res = await fetch(`${base}/taxii2/`, {
      headers: { accept: 'application/json', authorization: `Bearer ${writer.token}` },
    });
    expect(res.status).toBe(406);
    expect(res.headers.get('content-type')).toBe(TAXII_MEDIA_TYPE);
    expect((await res.json()) as object).toMatchObject({ title: 'Not acceptable', http_status: '406' });
    const post = await fetch(`${root(city.id)}collections/${city.id}/objects/`, {
      method: 'POST',
      headers: {
        accept: TAXII_MEDIA_TYPE,
        'content-type': 'application/json',
        authorization: `Bearer ${writer.token}`,
      },
      body: JSON.stringify({ objects: [indicator('x')] }),
    });
    expect(post.status).toBe(415);
    expect(((await post.json()) as { http_status: string }).http_status).toBe('415');
  });

  it('5.4 adds objects with 202 and a status (4.3), then serves them with filters, headers and paging (5.3, 5.6, 5.7)', async () => {
    const c = client(writer);
    const objs = Array.from({ length: 25 }, (_, i) => indicator(`taxii obj ${i}`, 'amber'));
    const bad = { ...indicator('broken'), pattern: '[nope' };
    const status = await c.addObjects(root(city.id), city.id, [...objs, bad]);
    expect(status).toMatchObject({
      status: 'complete',
      total_count: 26,
      success_count: 25,
      failure_count: 1,
      pending_count: 0,
    });
    expect(status.failures?.[0].id).toBe(bad.id);
    expect(await c.status(root(city.id), status.id)).toEqual(status);

    const first = await c.getObjects(root(city.id), city.id, { limit: 10 });
    expect(first.items).toHaveLength(10);
    expect(first.more).toBe(true);
    expect(first.dateAddedFirst).toMatch(/Z$/);
    const all: string[] = [];
    for await (const page of c.allObjects(root(city.id), city.id, { limit: 10 })) {
      all.push(...page.items.map((o) => o.id as string));
    }
    expect(all.sort()).toEqual(objs.map((o) => o.id).sort());

    // 3.4: next belongs to its query.
    await expect(c.getObjects(root(city.id), city.id, { limit: 5, next: first.next })).rejects.toMatchObject({
      status: 400,
    });

    const byId = await c.getObjects(root(city.id), city.id, { match: { id: [objs[3].id, objs[4].id] } });
    expect(byId.items.map((o) => o.id).sort()).toEqual([objs[3].id, objs[4].id].sort());
    expect((await c.getObjects(root(city.id), city.id, { match: { type: ['malware'] } })).items).toEqual([]);
    const later = await c.getObjects(root(city.id), city.id, {
      added_after: first.dateAddedLast,
      limit: 1000,
    });
    // added_after is exclusive: the batch added at that instant is not repeated.
    expect(later.items.map((o) => o.id)).not.toContain(first.items[9].id);

    const manifest = await c.manifest(root(city.id), city.id, { match: { id: [objs[0].id] } });
    expect(manifest.items).toEqual([
      expect.objectContaining({
        id: objs[0].id,
        version: objs[0].modified,
        media_type: 'application/stix+json;version=2.1',
      }),
    ]);
  });

  it('5.6 and 5.7 serve one object and its versions; 5.8 deletes it', async () => {
    const c = client(writer);
    const v1 = indicator('versioned', 'amber');
    const v2 = { ...v1, modified: '2026-05-01T00:00:00.000Z', name: 'versioned v2' };
    await c.addObjects(root(city.id), city.id, [v1, v2]);
    const one = await c.getObject(root(city.id), city.id, v1.id);
    expect(one.items.map((o) => o.name)).toEqual(['versioned v2']);
    const all = await c.getObject(root(city.id), city.id, v1.id, { match: { version: ['all'] } });
    expect(all.items).toHaveLength(2);
    const versions = await c.versions(root(city.id), city.id, v1.id);
    expect(versions.items).toEqual([v1.modified, v2.modified]);
    await expect(client(reader).deleteObject(root(city.id), city.id, v1.id)).rejects.toMatchObject({
      status: 403,
    });
    await c.deleteObject(root(city.id), city.id, v1.id);
    await expect(c.getObject(root(city.id), city.id, v1.id)).rejects.toBeInstanceOf(TaxiiError);
  });

  it('filters by TLP: a community collection carries shared AMBER to members, never RED, and nothing to outsiders', async () => {
    const c = client(writer);
    const amber = indicator('community amber', 'amber');
    const red = indicator('community red', 'red');
    const cols = await c.collections(root(city.id));
    expect(cols.map((x) => x.id).sort()).toEqual([city.id, comm].sort());
    expect(cols.find((x) => x.id === comm)).toMatchObject({ can_read: true, can_write: true });
    const status = await c.addObjects(root(city.id), comm, [amber, red]);
    // RED is stored for the city but not added to the community's collection (4.3.1: a failure, with why).
    expect(status).toMatchObject({ total_count: 2, success_count: 1, failure_count: 1 });
    expect(status.successes).toEqual([{ id: amber.id, version: amber.modified }]);
    expect(status.failures).toEqual([
      {
        id: red.id,
        version: red.modified,
        message: expect.stringMatching(/TLP:RED goes to named organizations/),
      },
    ]);

    const seen = (await client(memberUser).getObjects(root(member.id), comm, { limit: 1000 })).items.map(
      (o) => o.id,
    );
    expect(seen).toContain(amber.id);
    expect(seen).not.toContain(red.id);
    const mine = (await client(memberUser).getObjects(root(member.id), member.id, { limit: 1000 })).items.map(
      (o) => o.id,
    );
    expect(mine).toContain(amber.id);
    expect(mine).not.toContain(red.id);
    await expect(client(memberUser).getObject(root(member.id), member.id, red.id)).rejects.toMatchObject({
      status: 404,
    });
    // An outsider cannot open the root, nor see the objects through its own root.
    await expect(client(outsider).collections(root(city.id))).rejects.toMatchObject({ status: 404 });
    const theirs = (await client(outsider).getObjects(root(other.id), other.id, { limit: 1000 })).items.map(
      (o) => o.id,
    );
    expect(theirs).not.toContain(amber.id);
    expect(theirs).not.toContain(red.id);
    // Read-only tokens and viewers cannot write.
    await expect(
      client(memberUser).addObjects(root(member.id), member.id, [indicator('x')]),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('413 when the declared length exceeds max_content_length', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${root(city.id)}collections/${city.id}/objects/`);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            accept: TAXII_MEDIA_TYPE,
            'content-type': TAXII_MEDIA_TYPE,
            authorization: `Bearer ${writer.token}`,
            'content-length': String(500 * 1024 * 1024),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('{"objects":[');
    });
    expect(status).toBe(413);
  });
});
