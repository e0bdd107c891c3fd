import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoId, TLP2_MARKING_IDS } from '../../src/core/stix/index.js';
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

/** A raw TAXII request, for what the client hides: status codes, headers and error objects. */
function taxii(u: TestUser | null, url: string, init: { method?: string; body?: string } = {}) {
  return fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      accept: TAXII_MEDIA_TYPE,
      ...(init.body !== undefined ? { 'content-type': TAXII_MEDIA_TYPE } : {}),
      ...(u ? { authorization: `Bearer ${u.token}` } : {}),
    },
    body: init.body,
  });
}

/** An observable (SCO): it has neither `created` nor `modified`. */
function ipv4(value: string) {
  const sco = { type: 'ipv4-addr', spec_version: '2.1', value };
  return { ...sco, id: scoId(sco), object_marking_refs: [TLP2_MARKING_IDS.amber] };
}

/**
 * POSTs a body sent in chunks without Content-Length (Transfer-Encoding: chunked) and keeps writing until the
 * server answers or `cap` bytes are sent; resolves with the answer and how much was sent before it came.
 */
function postChunked(url: string, token: string, chunks: () => string, cap: number) {
  return new Promise<{ status: number; body: string; sent: number; connection?: string }>(
    (resolve, reject) => {
      const u = new URL(url);
      let sent = 0;
      let answered = false;
      const req = request({
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        headers: {
          accept: TAXII_MEDIA_TYPE,
          'content-type': TAXII_MEDIA_TYPE,
          authorization: `Bearer ${token}`,
        },
      });
      req.on('response', (res) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(parts).toString('utf8'),
            sent,
            connection: res.headers.connection,
          });
          req.destroy();
        });
      });
      req.on('error', (e) => {
        if (!answered) reject(e);
      });
      const pump = () => {
        while (!answered && sent < cap) {
          const chunk = chunks();
          sent += Buffer.byteLength(chunk);
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end(']}');
      };
      pump();
    },
  );
}

beforeAll(async () => {
  env = await testEnv({ http: true });
  base = env.url as string;
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

  it('5.5 adds objects with 202 and a status (4.3), then serves them with filters, headers and paging (5.3, 5.4)', async () => {
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

  it('5.6 and 5.8 serve one object and its versions; 5.7 deletes it', async () => {
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
        message: expect.stringMatching(
          /^stored in .+'s own collection, not added to this community's: TLP:RED goes to named organizations/,
        ),
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

  it('3.4 a collection lists each id and version once, however many organizations hold it; paging and the count agree', async () => {
    const memberWriter = await env.user('mw@taxii.test', { orgId: member.id, role: 'analyst' });
    const shared = indicator('held twice', 'green', { modified: '2026-03-01T00:00:00.000Z' });
    const older = { ...shared, modified: '2026-02-01T00:00:00.000Z' };
    // The city publishes both versions to the community; the member then imports the same two versions itself.
    await client(writer).addObjects(root(city.id), comm, [older, shared]);
    await client(memberWriter).addObjects(root(member.id), member.id, [older, shared]);
    const ids = async (u: TestUser, orgId: string, collection: string, filters = {}) => {
      const out: string[] = [];
      for await (const page of client(u).allObjects(root(orgId), collection, { limit: 1, ...filters }))
        for (const o of page.items) if (o.id === shared.id) out.push(`${o.id}@${o.modified}`);
      return out;
    };
    const latest = [`${shared.id}@${shared.modified}`];
    for (const [u, orgId, collection] of [
      [memberUser, member.id, member.id],
      [memberUser, member.id, comm],
      [writer, city.id, city.id],
      [writer, city.id, comm],
    ] as const) {
      expect(await ids(u, orgId, collection)).toEqual(latest);
      expect(await ids(u, orgId, collection, { match: { version: ['all'] } })).toEqual([
        `${shared.id}@${older.modified}`,
        `${shared.id}@${shared.modified}`,
      ]);
      const manifest = await client(u).manifest(root(orgId), collection, {
        match: { id: [shared.id], version: ['all'] },
      });
      expect(manifest.items.map((m) => m.version)).toEqual([older.modified, shared.modified]);
      const versions = await client(u).versions(root(orgId), collection, shared.id);
      expect(versions.items).toEqual([older.modified, shared.modified]);
    }
    // The collections' counts take the object once, whoever holds it.
    const counts = async () =>
      (await env.call(memberUser, { method: 'GET', url: `/api/v1/orgs/${member.id}/taxii` }))
        .json()
        .collections.map((x: { id: string; objects: number }) => [x.id, x.objects]);
    const before = await counts();
    const another = indicator('held once', 'green');
    await client(memberWriter).addObjects(root(member.id), member.id, [another]);
    await client(writer).addObjects(root(city.id), comm, [another]);
    // One more object in each: the member's own and the community's, though two organizations hold it.
    expect(await counts()).toEqual(before.map(([id, n]: [string, number]) => [id, n + 1]));
  });

  it('4.2 max_content_length: a declared length over it is refused with 413 and the TAXII error object (3.6.1)', async () => {
    const r = await client(writer).apiRoot(root(city.id));
    // The default: 64 MiB.
    expect(r.max_content_length).toBe(64 * 1024 * 1024);
    const overview = (await env.call(writer, { method: 'GET', url: `/api/v1/orgs/${city.id}/taxii` })).json();
    expect(overview.maxContentLength).toBe(r.max_content_length);
    const answer = await new Promise<{ status: number; type?: string; body: string }>((resolve, reject) => {
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
            'content-length': String(100 * 1000 * 1000),
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => {
            resolve({
              status: res.statusCode ?? 0,
              type: res.headers['content-type'],
              body: Buffer.concat(parts).toString('utf8'),
            });
            req.destroy();
          });
        },
      );
      req.on('error', reject);
      req.write('{"objects":[');
    });
    expect(answer.status).toBe(413);
    expect(answer.type).toBe(TAXII_MEDIA_TYPE);
    expect(JSON.parse(answer.body)).toMatchObject({
      title: 'Payload too large',
      http_status: '413',
      description: expect.stringContaining(String(64 * 1024 * 1024)),
    });
  });

  it('4.2 max_content_length is configurable and enforced on the bytes received: a chunked body is cut off at it', async () => {
    const limit = 1024 * 1024;
    const small = await testEnv({ CITYWALL_TAXII_MAX_CONTENT_LENGTH: String(limit) });
    try {
      await small.app.listen({ port: 0, host: '127.0.0.1' });
      const smallBase = `http://127.0.0.1:${(small.app.server.address() as AddressInfo).port}`;
      const org = await small.org('Small Limit City');
      const u = await small.user('w@small.test', { orgId: org.id, role: 'analyst' });
      const apiRoot = `${smallBase}/taxii2/${org.id}/`;
      const advertised = await new TaxiiClient({
        fetch: (url, init) => fetch(url, init),
        authorization: `Bearer ${u.token}`,
      }).apiRoot(apiRoot);
      expect(advertised.max_content_length).toBe(limit);

      // Valid indicators, streamed without Content-Length; the stream would go on to 64 MiB.
      let n = 0;
      const streamed: string[] = [];
      const cap = 64 * 1024 * 1024;
      const answer = await postChunked(
        `${apiRoot}collections/${org.id}/objects/`,
        u.token,
        () => {
          const o = indicator(`streamed ${n}`, 'green');
          streamed.push(o.id);
          return (n++ === 0 ? '{"objects":[' : ',') + JSON.stringify(o);
        },
        cap,
      );
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({
        http_status: '413',
        title: 'Payload too large',
        description: `The request exceeds max_content_length (${limit} bytes)`,
      });
      // Answered long before the whole body was sent: the server did not read it all first.
      expect(answer.sent).toBeLessThan(cap);
      expect(answer.sent).toBeGreaterThan(limit);
      // Nothing of it was stored.
      const ids = new Set(streamed);
      const manifest = await taxii(u, `${apiRoot}collections/${org.id}/manifest/?limit=1000`);
      const body = (await manifest.json()) as { objects?: { id: string }[] };
      expect((body.objects ?? []).filter((o) => ids.has(o.id))).toEqual([]);
      // A body under the limit, also chunked, is still taken.
      const ok = await postChunked(
        `${apiRoot}collections/${org.id}/objects/`,
        u.token,
        () => `{"objects":[${JSON.stringify(indicator('small enough', 'green'))}`,
        1,
      );
      expect(ok.status).toBe(202);
      expect(JSON.parse(ok.body)).toMatchObject({ success_count: 1 });
    } finally {
      await small.close();
    }
  });

  it('3.4 and 5.3: an object without modified or created has its date_added as version; 5.8 lists it; match[version] finds it by that timestamp; 5.7 deletes it by it', async () => {
    const c = client(writer);
    const sco = ipv4('203.0.113.77');
    const status = await c.addObjects(root(city.id), city.id, [sco]);
    expect(status.success_count).toBe(1);
    const manifest = await c.manifest(root(city.id), city.id, { match: { id: [sco.id] } });
    expect(manifest.items).toHaveLength(1);
    const record = manifest.items[0] as { id: string; version: string; date_added: string };
    expect(record.version).toBe(record.date_added);
    expect(record.version).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    // 4.3.1: the status names the same version.
    expect(status.successes).toEqual([{ id: sco.id, version: record.version }]);
    const versions = await c.versions(root(city.id), city.id, sco.id);
    expect(versions.items).toEqual([record.version]);
    // Posting it again adds nothing: its version stays the first date_added.
    const again = await c.addObjects(root(city.id), city.id, [sco]);
    expect(again.successes).toEqual([{ id: sco.id, version: record.version }]);

    for (const version of [
      record.version,
      'first',
      'last',
      'all',
      `2020-01-01T00:00:00Z,${record.version}`,
    ]) {
      const found = await c.manifest(root(city.id), city.id, { match: { id: [sco.id], version: [version] } });
      expect(
        found.items.map((i) => (i as { version: string }).version),
        version,
      ).toEqual([record.version]);
    }
    const none = await c.manifest(root(city.id), city.id, {
      match: { id: [sco.id], version: ['2020-01-01T00:00:00Z'] },
    });
    expect(none.items).toEqual([]);
    const objects = await c.getObject(root(city.id), city.id, sco.id, {
      match: { version: [record.version] },
    });
    expect(objects.items.map((o) => o.id)).toEqual([sco.id]);

    // A version that is not its date_added deletes nothing.
    await expect(
      c.deleteObject(root(city.id), city.id, sco.id, { match: { version: ['2020-01-01T00:00:00Z'] } }),
    ).rejects.toMatchObject({ status: 404 });
    await c.deleteObject(root(city.id), city.id, sco.id, { match: { version: [record.version] } });
    await expect(c.getObject(root(city.id), city.id, sco.id)).rejects.toMatchObject({ status: 404 });
  });

  it('3.4 match[version]=first and =<timestamp> pick versions; 5.7 DELETE with match[version] removes only that version', async () => {
    const c = client(writer);
    const v1 = indicator('three versions', 'amber');
    const v2 = { ...v1, modified: '2026-02-01T00:00:00.000Z', name: 'three versions v2' };
    const v3 = { ...v1, modified: '2026-03-01T00:00:00.000Z', name: 'three versions v3' };
    await c.addObjects(root(city.id), city.id, [v1, v2, v3]);
    const names = async (version: string[]) =>
      (await c.getObject(root(city.id), city.id, v1.id, { match: { version } })).items
        .map((o) => o.name)
        .sort();
    expect(await names(['first'])).toEqual(['three versions']);
    expect(await names([v2.modified])).toEqual(['three versions v2']);
    // The same instant written another way is the same version.
    expect(await names(['2026-02-01T00:00:00Z'])).toEqual(['three versions v2']);
    expect(await names(['first', 'last'])).toEqual(['three versions', 'three versions v3']);
    expect(await names([])).toEqual(['three versions v3']);
    await expect(
      c.getObject(root(city.id), city.id, v1.id, { match: { version: ['2026-02-15T00:00:00Z'] } }),
    ).rejects.toMatchObject({ status: 404 });
    const bad = await taxii(
      writer,
      `${root(city.id)}collections/${city.id}/objects/${v1.id}/?match[version]=yesterday`,
    );
    expect(bad.status).toBe(400);

    await c.deleteObject(root(city.id), city.id, v1.id, { match: { version: [v2.modified] } });
    expect((await c.versions(root(city.id), city.id, v1.id)).items).toEqual([v1.modified, v3.modified]);
    // Deleting the latest version makes the one before it the latest.
    await c.deleteObject(root(city.id), city.id, v1.id, { match: { version: ['last'] } });
    expect((await c.versions(root(city.id), city.id, v1.id)).items).toEqual([v1.modified]);
    expect(await names([])).toEqual(['three versions']);
  });

  it('3.4 an older version leaves with the stricter level its object is held at now', async () => {
    const c = client(writer);
    const v1 = indicator('tightened later', 'green');
    const v2 = { ...v1, modified: '2026-02-01T00:00:00.000Z', object_marking_refs: [TLP2_MARKING_IDS.amber] };
    await c.addObjects(root(city.id), city.id, [v1, v2]);
    const all = (await c.getObject(root(city.id), city.id, v1.id, { match: { version: ['all'] } })).items as {
      modified: string;
      object_marking_refs: string[];
    }[];
    // The GREEN version also carries AMBER (the strictest marking wins); the AMBER one is served as it is.
    expect(all.map((o) => [o.modified, o.object_marking_refs])).toEqual([
      [v1.modified, [TLP2_MARKING_IDS.green, TLP2_MARKING_IDS.amber]],
      [v2.modified, [TLP2_MARKING_IDS.amber]],
    ]);
  });

  it('3.4 match[spec_version] filters by the STIX version of the objects', async () => {
    const c = client(writer);
    const o = indicator('spec version', 'amber');
    await c.addObjects(root(city.id), city.id, [o]);
    const ids = async (spec: string[]) =>
      (await c.manifest(root(city.id), city.id, { match: { id: [o.id], spec_version: spec } })).items.map(
        (i) => i.id,
      );
    expect(await ids(['2.1'])).toEqual([o.id]);
    expect(await ids(['2.0'])).toEqual([]);
    expect(await ids(['2.0', '2.1'])).toEqual([o.id]);
    const objects = await c.getObjects(root(city.id), city.id, {
      match: { id: [o.id], spec_version: ['2.0'] },
    });
    expect(objects.items).toEqual([]);
    await expect(
      c.versions(root(city.id), city.id, o.id, { match: { spec_version: ['2.0'] } }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('3.3 X-TAXII-Date-Added-First and -Last on manifest (5.3) and versions (5.8) pages are the first and last date_added of the page', async () => {
    const c = client(writer);
    const v1 = indicator('dated', 'amber');
    const v2 = { ...v1, modified: '2026-04-01T00:00:00.000Z' };
    const v3 = { ...v1, modified: '2026-05-01T00:00:00.000Z' };
    // Three requests: three different date_added.
    for (const v of [v1, v2, v3]) await c.addObjects(root(city.id), city.id, [v]);
    const all = await c.manifest(root(city.id), city.id, { match: { id: [v1.id], version: ['all'] } });
    const added = all.items.map((i) => (i as { date_added: string }).date_added);
    expect(added).toHaveLength(3);
    expect(new Set(added).size).toBe(3);
    expect(all.dateAddedFirst).toBe(added[0]);
    expect(all.dateAddedLast).toBe(added[2]);

    const page = await c.manifest(root(city.id), city.id, {
      match: { id: [v1.id], version: ['all'] },
      limit: 2,
    });
    expect(page.more).toBe(true);
    expect(page.dateAddedFirst).toBe(added[0]);
    expect(page.dateAddedLast).toBe(added[1]);

    const versions = await c.versions(root(city.id), city.id, v1.id);
    expect(versions.items).toEqual([v1.modified, v2.modified, v3.modified]);
    expect(versions.dateAddedFirst).toBe(added[0]);
    expect(versions.dateAddedLast).toBe(added[2]);
    const rest = await c.versions(root(city.id), city.id, v1.id, { added_after: added[0] });
    expect(rest.items).toEqual([v2.modified, v3.modified]);
    expect(rest.dateAddedFirst).toBe(added[1]);
    expect(rest.dateAddedLast).toBe(added[2]);
  });

  it('5.2 serves one collection, and 404 with the TAXII error object for an unknown one', async () => {
    const c = client(writer);
    const one = await c.collection(root(city.id), city.id);
    expect(one).toMatchObject({
      id: city.id,
      can_read: true,
      can_write: true,
      media_types: ['application/stix+json;version=2.1'],
    });
    expect((await c.collection(root(city.id), comm)).id).toBe(comm);
    const missing = await taxii(writer, `${root(city.id)}collections/${other.id}/`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe(TAXII_MEDIA_TYPE);
    expect((await missing.json()) as object).toMatchObject({ http_status: '404', title: 'Not found' });
    expect((await taxii(writer, `${root(city.id)}collections/not-a-collection/`)).status).toBe(404);
  });

  it('4.3 status: 404 for an unknown status id and for a status of another API root', async () => {
    const status = await client(writer).addObjects(root(city.id), city.id, [indicator('status owner')]);
    const unknown = await taxii(writer, `${root(city.id)}status/00000000-0000-4000-8000-000000000000/`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()) as object).toMatchObject({ http_status: '404' });
    expect((await taxii(writer, `${root(city.id)}status/not-a-status/`)).status).toBe(404);
    // The member organization's reader cannot read the city's status through its own root.
    const foreign = await taxii(memberUser, `${root(member.id)}status/${status.id}/`);
    expect(foreign.status).toBe(404);
  });

  it('4.3.1 status failures name the object id and its version (modified, else created) with the reason', async () => {
    const withModified = { ...indicator('bad pattern', 'amber'), pattern: '[nope' };
    const { modified: _m, ...createdOnly } = { ...indicator('no modified', 'amber'), pattern: '[nope' };
    const { id: _id, ...noId } = indicator('no id', 'amber');
    const status = await client(writer).addObjects(root(city.id), city.id, [withModified, createdOnly, noId]);
    expect(status.failure_count).toBe(3);
    const byId = new Map(status.failures?.map((f) => [f.id, f]));
    expect(byId.get(withModified.id)).toMatchObject({
      version: withModified.modified,
      message: expect.stringContaining('pattern'),
    });
    expect(byId.get(createdOnly.id)).toMatchObject({ version: createdOnly.created });
    const anonymous = status.failures?.find((f) => f.id !== withModified.id && f.id !== createdOnly.id);
    expect(anonymous?.version).toBe(noId.modified);
    expect(anonymous?.message).toMatch(/object 2\b.*id/);
    for (const f of status.failures ?? []) expect(f.version).not.toBe('');
  });

  it('401 answers carry WWW-Authenticate naming the schemes the server takes (RFC 9110 11.6.1, TAXII 1.6.7)', async () => {
    for (const url of [`${base}/taxii2/`, root(city.id), `${root(city.id)}collections/`]) {
      const res = await taxii(null, url);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/Basic realm=".+"/);
      expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
      expect((await res.json()) as object).toMatchObject({ http_status: '401' });
    }
  });

  it('5.5 a POST with malformed JSON is refused with 400 and the TAXII error object, and nothing is stored', async () => {
    const good = indicator('before the break', 'amber');
    const res = await taxii(writer, `${root(city.id)}collections/${city.id}/objects/`, {
      method: 'POST',
      body: `{"objects":[${JSON.stringify(good)},{"type": "indicator", "name": }]}`,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe(TAXII_MEDIA_TYPE);
    expect((await res.json()) as object).toMatchObject({
      http_status: '400',
      description: expect.stringMatching(/not valid JSON/),
    });
    await expect(client(writer).getObject(root(city.id), city.id, good.id)).rejects.toMatchObject({
      status: 404,
    });
    // Broken at its first object, a long chunked body is answered at once; the server closes the connection
    // rather than wait on the rest (the environment could not close with a connection left hanging).
    const cap = 32 * 1024 * 1024;
    const filler = ' '.repeat(64 * 1024);
    let first = true;
    const broken = await postChunked(
      `${root(city.id)}collections/${city.id}/objects/`,
      writer.token,
      () => {
        if (!first) return filler;
        first = false;
        return `{"objects":[{"type": },${JSON.stringify(good)}`;
      },
      cap,
    );
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({ http_status: '400' });
    expect(broken.connection).toBe('close');
    expect(broken.sent).toBeLessThan(cap);
    await expect(client(writer).getObject(root(city.id), city.id, good.id)).rejects.toMatchObject({
      status: 404,
    });
    const empty = await taxii(writer, `${root(city.id)}collections/${city.id}/objects/`, {
      method: 'POST',
      body: '',
    });
    expect(empty.status).toBeGreaterThanOrEqual(400);
    expect(empty.status).toBeLessThan(500);
  });

  it('5.1 and 5.2 can_write follows the role and the token: viewers and read-only tokens cannot write (403 on POST, 5.5)', async () => {
    const viewerWithWriteToken = await env.user('vw@taxii.test', { orgId: city.id, role: 'viewer' }, 'write');
    const analystWithReadToken = await env.user('ar@taxii.test', { orgId: city.id, role: 'analyst' }, 'read');
    for (const u of [viewerWithWriteToken, analystWithReadToken]) {
      const cols = await client(u).collections(root(city.id));
      expect(cols.map((x) => [x.id, x.can_read, x.can_write]).sort()).toEqual(
        [
          [city.id, true, false],
          [comm, true, false],
        ].sort(),
      );
      expect(await client(u).collection(root(city.id), city.id)).toMatchObject({ can_write: false });
      const o = indicator(`not written by ${u.email}`);
      await expect(client(u).addObjects(root(city.id), city.id, [o])).rejects.toMatchObject({ status: 403 });
      await expect(client(u).addObjects(root(city.id), comm, [o])).rejects.toMatchObject({ status: 403 });
      await expect(client(writer).getObject(root(city.id), city.id, o.id)).rejects.toMatchObject({
        status: 404,
      });
    }
    // Refused before its body is read, a long chunked POST is answered at once and its connection closed.
    const cap = 32 * 1024 * 1024;
    let n = 0;
    const refused = await postChunked(
      `${root(city.id)}collections/${city.id}/objects/`,
      viewerWithWriteToken.token,
      () => (n++ === 0 ? '{"objects":[' : ' '.repeat(64 * 1024)),
      cap,
    );
    expect(refused).toMatchObject({ status: 403, connection: 'close' });
    expect(refused.sent).toBeLessThan(cap);
    expect(await client(writer).collection(root(city.id), city.id)).toMatchObject({ can_write: true });
  });
});
