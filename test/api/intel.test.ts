import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLP2_MARKING_IDS, type TlpLevel } from '../../src/core/stix/index.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';
import { bundleOf as bundle, indicator, sdo, T0 } from '../helpers/stix.js';

let env: TestEnv;
beforeAll(async () => {
  // Over a real socket, as a client reaches the API.
  env = await testEnv({ http: true });
});
afterAll(() => env?.close());

async function importBundle(user: TestUser, orgId: string, objects: unknown[], query = '') {
  return env.call(user, {
    method: 'POST',
    url: `/api/v1/orgs/${orgId}/intel/bundles${query}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(bundle(objects)),
  });
}

async function community(name: string, members: string[]) {
  const c = (
    await env.call(env.admin, { method: 'POST', url: '/api/v1/orgs', payload: { kind: 'community', name } })
  ).json();
  for (const m of members) {
    const r = await env.call(env.admin, {
      method: 'POST',
      url: `/api/v1/orgs/${c.id}/community-members`,
      payload: { memberOrgId: m },
    });
    expect(r.statusCode).toBe(201);
  }
  return c.id as string;
}

const listIds = async (u: TestUser, orgId: string, q = '') =>
  (await env.call(u, { method: 'GET', url: `/api/v1/orgs/${orgId}/intel/objects?limit=500${q}` }))
    .json()
    .items.map((i: { stixId: string }) => i.stixId);

describe('intel store', () => {
  it('imports a bundle, lists, searches, filters and gets objects with their versions', async () => {
    const city = await env.org('Store City');
    const analyst = await env.user('analyst@store.test', { orgId: city.id, role: 'analyst' });
    const a = indicator('Emotet loader');
    const b = indicator('Qakbot beacon', 'green');
    const res = await importBundle(analyst, city.id, [a, b]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 2, imported: 2, failed: 0, duplicates: 0 });

    const page = (
      await env.call(analyst, { method: 'GET', url: `/api/v1/orgs/${city.id}/intel/objects?q=emotet` })
    ).json();
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ stixId: a.id, tlp: 'amber', ownerOrgId: city.id });
    expect(await listIds(analyst, city.id, '&q=beac')).toEqual([b.id]);
    expect(await listIds(analyst, city.id, '&tlp=green')).toEqual([b.id]);
    expect(await listIds(analyst, city.id, '&label=phishing')).toHaveLength(2);
    expect(await listIds(analyst, city.id, '&type=malware')).toEqual([]);

    // A new version replaces the latest; the old one stays in the history.
    const a2 = { ...a, modified: '2026-02-01T00:00:00.000Z', name: 'Emotet loader v2' };
    expect((await importBundle(analyst, city.id, [a2, a])).json()).toMatchObject({
      imported: 1,
      duplicates: 1,
    });
    const detail = (
      await env.call(analyst, { method: 'GET', url: `/api/v1/orgs/${city.id}/intel/objects/${a.id}` })
    ).json();
    expect(detail.object.name).toBe('Emotet loader v2');
    expect(detail.versions.map((v: { version: string }) => v.version)).toEqual([T0, a2.modified]);
    const versions = (
      await env.call(analyst, {
        method: 'GET',
        url: `/api/v1/orgs/${city.id}/intel/objects/${a.id}/versions`,
      })
    ).json();
    expect(versions.items.map((v: { object: { name: string } }) => v.object.name)).toEqual([
      'Emotet loader',
      'Emotet loader v2',
    ]);
    expect(await listIds(analyst, city.id, '&q=emotet')).toEqual([a.id]);
  });

  it('searches words and word starts in names and descriptions, and ids exactly', async () => {
    const city = await env.org('Search City');
    const analyst = await env.user('analyst@search.test', { orgId: city.id, role: 'analyst' });
    const a = indicator('Quokkabot dropper', 'amber', { description: 'Seen on municipal file servers' });
    const b = indicator('Other thing');
    const rel = {
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--${randomUUID()}`,
      created: T0,
      modified: T0,
      relationship_type: 'related-to',
      source_ref: a.id,
      target_ref: b.id,
      description: 'Quokkabot and the other thing share servers',
    };
    expect((await importBundle(analyst, city.id, [a, b, rel])).json()).toMatchObject({ imported: 3 });
    expect(await listIds(analyst, city.id, '&q=quokkabot')).toEqual([a.id]);
    expect(await listIds(analyst, city.id, '&q=QUOKKA%20munic')).toEqual([a.id]);
    expect(await listIds(analyst, city.id, '&q=quokka%20nowhere')).toEqual([]);
    expect(await listIds(analyst, city.id, '&q=%26%21%3A%2A')).toEqual([]);
    // Relationships are found by id and through the graph of what they connect, not by their words.
    expect(await listIds(analyst, city.id, `&q=${rel.id}`)).toEqual([rel.id]);
    expect(await listIds(analyst, city.id, '&q=share')).toEqual([]);
  });

  it('stores every character of names, labels and objects as given, from any layout of the bundle', async () => {
    const city = await env.org('Characters City');
    const analyst = await env.user('analyst@characters.test', { orgId: city.id, role: 'analyst' });
    const awkward =
      'tab\there, line\nbreak, return\r, back\\slash \\N \\. "quoted" {braces} a,b ü 😀 \u0001\u0001';
    const a = indicator(awkward, 'green', {
      description: `${awkward}\n\\.`,
      labels: [awkward, '', 'NULL', '\\N', '{}'],
      x_nested: { [awkward]: [awkward, 1.5, true, null, { deep: awkward }] },
    });
    const b = indicator('Plain');
    // Pretty-printed with tabs and CRLF line ends.
    const text = JSON.stringify(bundle([a, b]), null, '\t').replace(/\n/g, '\r\n');
    const res = await env.call(analyst, {
      method: 'POST',
      url: `/api/v1/orgs/${city.id}/intel/bundles`,
      headers: { 'content-type': 'application/json' },
      payload: text,
    });
    expect(res.json()).toMatchObject({ imported: 2, failed: 0 });
    const detail = (
      await env.call(analyst, { method: 'GET', url: `/api/v1/orgs/${city.id}/intel/objects/${a.id}` })
    ).json();
    expect(detail.object).toEqual(a);
    const page = (
      await env.call(analyst, { method: 'GET', url: `/api/v1/orgs/${city.id}/intel/objects?tlp=green` })
    ).json();
    expect(page.items).toEqual([
      expect.objectContaining({ stixId: a.id, name: awkward, labels: a.labels, description: a.description }),
    ]);
    expect(await listIds(analyst, city.id, `&label=${encodeURIComponent(awkward)}`)).toEqual([a.id]);
    expect(await listIds(analyst, city.id, '&q=braces%20quoted')).toEqual([a.id]);
  });

  it('finds the parts of ids, versions and host names, and accents however they are written', async () => {
    const city = await env.org('Words City');
    const analyst = await env.user('analyst@words.test', { orgId: city.id, role: 'analyst' });
    const log4 = indicator('CVE-2021-44228 exploitation', 'amber', {
      description: 'Callbacks to evil.example',
    });
    const tech = indicator('T1059.001 PowerShell use');
    // "Müller" with its ü as u and a combining diaeresis.
    const named = indicator('Mu\u0308ller campaign');
    expect((await importBundle(analyst, city.id, [log4, tech, named])).json()).toMatchObject({ imported: 3 });
    expect(await listIds(analyst, city.id, '&q=2021')).toEqual([log4.id]);
    expect(await listIds(analyst, city.id, '&q=44228')).toEqual([log4.id]);
    expect(await listIds(analyst, city.id, '&q=cve-2021-44228')).toEqual([log4.id]);
    expect(await listIds(analyst, city.id, '&q=evil')).toEqual([log4.id]);
    expect(await listIds(analyst, city.id, '&q=T1059.001')).toEqual([tech.id]);
    expect(await listIds(analyst, city.id, '&q=t1059%20powersh')).toEqual([tech.id]);
    expect(await listIds(analyst, city.id, `&q=${encodeURIComponent('MÜLLER')}`)).toEqual([named.id]);
    expect(await listIds(analyst, city.id, '&q=2022')).toEqual([]);
  });

  it('refuses an object holding a string the database cannot store, and imports the rest', async () => {
    const city = await env.org('Nul City');
    const analyst = await env.user('analyst@nul.test', { orgId: city.id, role: 'analyst' });
    const good = indicator('Fine');
    const nul = indicator('Has a NUL', 'amber', { description: 'a\u0000b' });
    const half = indicator('Half a pair', 'amber', { x_note: ['ok', '\ud800'] });
    const report = (await importBundle(analyst, city.id, [nul, good, half])).json();
    expect(report).toMatchObject({ total: 3, imported: 1, failed: 2 });
    expect(report.failures).toEqual([
      expect.objectContaining({
        index: 0,
        id: nul.id,
        errors: [expect.objectContaining({ path: 'description', rule: 'unstorable-string' })],
      }),
      expect.objectContaining({
        index: 2,
        id: half.id,
        errors: [expect.objectContaining({ path: 'x_note[1]', rule: 'unstorable-string' })],
      }),
    ]);
    expect(await listIds(analyst, city.id)).toEqual([good.id]);
    // All or nothing: nothing at all.
    const atomic = await importBundle(analyst, city.id, [indicator('Also fine'), nul], '?atomic=true');
    expect(atomic.statusCode).toBe(422);
    expect(await listIds(analyst, city.id)).toEqual([good.id]);
  });

  it('keeps revoked objects revoked and reports the refused version', async () => {
    const city = await env.org('Revoke City');
    const u = await env.user('c@revoke.test', { orgId: city.id, role: 'contributor' });
    const a = indicator('Old C2');
    const revoked = { ...a, modified: '2026-03-01T00:00:00.000Z', revoked: true };
    await importBundle(u, city.id, [a, revoked]);
    expect(await listIds(u, city.id)).toEqual([]);
    expect(await listIds(u, city.id, '&includeRevoked=true')).toEqual([a.id]);
    const alive = { ...a, modified: '2026-04-01T00:00:00.000Z', revoked: false, name: 'Back again' };
    const res = (await importBundle(u, city.id, [alive])).json();
    expect(res.failed).toBe(1);
    expect(res.failures[0]).toMatchObject({ id: a.id, errors: [{ rule: 'revoked-is-final' }] });
    const detail = (
      await env.call(u, { method: 'GET', url: `/api/v1/orgs/${city.id}/intel/objects/${a.id}` })
    ).json();
    expect(detail.revoked).toBe(true);
  });

  it('reports invalid objects and imports the rest, or nothing when atomic', async () => {
    const city = await env.org('Bad Input City');
    const u = await env.user('c@bad.test', { orgId: city.id, role: 'contributor' });
    const good = indicator('Good one');
    const bad = { ...indicator('Bad one'), pattern: "[ipv4-addr:value = '1.2.3.4'" };
    const noType = { id: 'x' };
    const partial = (await importBundle(u, city.id, [good, bad, noType])).json();
    expect(partial).toMatchObject({ total: 3, imported: 1, failed: 2, failuresTruncated: false });
    expect(partial.failures.map((f: { index: number }) => f.index)).toEqual([1, 2]);
    expect(partial.failures[0].id).toBe(bad.id);
    expect(partial.failures[0].errors[0].path).toBe('pattern');
    expect(partial.failures[1]).toMatchObject({ id: 'x', errors: [{ path: 'type' }] });
    expect(partial).toMatchObject({ warned: 0, warnings: [], upgraded: 0, upgrades: [] });

    const good2 = indicator('Atomic good');
    const atomic = await importBundle(u, city.id, [good2, bad], '?atomic=true');
    expect(atomic.statusCode).toBe(422);
    expect(atomic.headers['content-type']).toMatch(/problem\+json/);
    expect(atomic.json().detail).toBe('1 of 2 objects are invalid: nothing was imported');
    expect(atomic.json().report).toMatchObject({ total: 2, imported: 0, failed: 1, atomic: true });
    expect(atomic.json().report.failures).toEqual([
      expect.objectContaining({
        index: 1,
        id: bad.id,
        errors: [expect.objectContaining({ path: 'pattern' })],
      }),
    ]);
    expect(await listIds(u, city.id)).toEqual([good.id]);

    const malformed = await env.call(u, {
      method: 'POST',
      url: `/api/v1/orgs/${city.id}/intel/bundles`,
      headers: { 'content-type': 'application/json' },
      payload: `{"type":"bundle","objects":[${JSON.stringify(indicator('Half'))},{"type":`,
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/problem\+json/);
    expect(malformed.json().detail).toBe('The bundle is not valid JSON: unexpected end of the document');
    const badElement = await env.call(u, {
      method: 'POST',
      url: `/api/v1/orgs/${city.id}/intel/bundles`,
      headers: { 'content-type': 'application/json' },
      payload: `{"type":"bundle","objects":[${JSON.stringify(indicator('Before'))},{"type":"indicator",}]}`,
    });
    expect(badElement.statusCode).toBe(400);
    expect(badElement.json().detail).toMatch(/^The bundle is not valid JSON: object 1: /);
    const notBundle = await env.call(u, {
      method: 'POST',
      url: `/api/v1/orgs/${city.id}/intel/bundles`,
      payload: { hello: 'world' },
    });
    expect(notBundle.statusCode).toBe(422);
    expect(await listIds(u, city.id)).toEqual([good.id]);
    const badQuery = await env.call(u, {
      method: 'GET',
      url: `/api/v1/orgs/${city.id}/intel/objects?tlp=purple`,
    });
    expect(badQuery.statusCode).toBe(422);
  });

  it('upgrades STIX 2.0 objects, stores them as 2.1 and lists what changed in each', async () => {
    const city = await env.org('Upgrade City');
    const u = await env.user('c@upgrade.test', { orgId: city.id, role: 'contributor' });
    const malware20 = {
      type: 'malware',
      id: `malware--${randomUUID()}`,
      created: '2016-04-06T20:07:09Z',
      modified: '2016-04-06T20:07:09.000Z',
      name: 'Poison Ivy',
      labels: ['remote-access-trojan'],
    };
    const current = indicator('Already 2.1');
    const res = await importBundle(u, city.id, [current, malware20]);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ total: 2, imported: 2, failed: 0, upgraded: 1, upgradesTruncated: false });
    expect(report.upgrades).toEqual([{ index: 1, id: malware20.id, changes: expect.any(Array) }]);
    expect(
      report.upgrades[0].changes.map((c: { path: string; action: string }) => [c.path, c.action]),
    ).toEqual([
      ['spec_version', 'added'],
      ['created', 'converted'],
      ['labels', 'renamed'],
      ['is_family', 'added'],
    ]);
    expect(report.upgrades[0].changes[2].message).toBe('labels moved to malware_types');
    const stored = (
      await env.call(u, { method: 'GET', url: `/api/v1/orgs/${city.id}/intel/objects/${malware20.id}` })
    ).json().object;
    expect(stored).toMatchObject({
      spec_version: '2.1',
      created: '2016-04-06T20:07:09.000Z',
      malware_types: ['remote-access-trojan'],
      is_family: true,
    });
    expect(stored.labels).toBeUndefined();
  });

  it('stores an object of a type STIX 2.1 does not define with a warning naming it', async () => {
    const city = await env.org('Unknown Type City');
    const u = await env.user('c@unknown-type.test', { orgId: city.id, role: 'contributor' });
    const thing = {
      type: 'foo-thing',
      spec_version: '2.1',
      id: `foo-thing--${randomUUID()}`,
      created: T0,
      modified: T0,
      name: 'Something of our own',
    };
    const custom = { ...thing, type: 'x-city-asset', id: `x-city-asset--${randomUUID()}` };
    const stray = indicator('With a stray property', undefined, { severity: 'high' });
    const report = (await importBundle(u, city.id, [indicator('Plain'), thing, custom, stray])).json();
    expect(report).toMatchObject({ total: 4, imported: 4, failed: 0, warned: 2, warningsTruncated: false });
    expect(report.warnings).toEqual([
      {
        index: 1,
        id: thing.id,
        path: 'type',
        rule: 'custom-object-type',
        message: '"foo-thing" is not a STIX 2.1 type; custom object types should start with x-',
      },
      expect.objectContaining({ index: 3, id: stray.id, path: 'severity', rule: 'unknown-property' }),
    ]);
    const stored = await env.call(u, {
      method: 'GET',
      url: `/api/v1/orgs/${city.id}/intel/objects/${thing.id}`,
    });
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({ type: 'foo-thing', object: { name: 'Something of our own' } });
  });

  it('keeps an older version as history and says so; the same version with other content is refused', async () => {
    const city = await env.org('History City');
    const u = await env.user('c@history.test', { orgId: city.id, role: 'contributor' });
    const v1 = indicator('First name');
    const v2 = { ...v1, modified: '2026-02-01T00:00:00.000Z', name: 'Second name' };
    const v3 = { ...v1, modified: '2026-03-01T00:00:00.000Z', name: 'Third name' };
    expect((await importBundle(u, city.id, [v3])).json()).toMatchObject({ imported: 1, warned: 0 });

    // Older than what is stored, and older than a version earlier in the same bundle: both kept, both named.
    const other = indicator('Other');
    const otherOld = { ...other, modified: T0 };
    const otherNew = { ...other, modified: '2026-05-01T00:00:00.000Z', name: 'Other renamed' };
    const report = (await importBundle(u, city.id, [v1, otherNew, v2, otherOld])).json();
    expect(report).toMatchObject({ total: 4, imported: 4, failed: 0, duplicates: 0, warned: 3 });
    expect(report.warnings).toEqual([
      {
        index: 0,
        id: v1.id,
        path: 'modified',
        rule: 'older-version',
        message: 'kept as history; the latest stays 2026-03-01T00:00:00.000Z',
      },
      expect.objectContaining({ index: 2, id: v1.id, rule: 'older-version' }),
      {
        index: 3,
        id: other.id,
        path: 'modified',
        rule: 'older-version',
        message: 'kept as history; the latest stays 2026-05-01T00:00:00.000Z',
      },
    ]);
    const detail = (
      await env.call(u, { method: 'GET', url: `/api/v1/orgs/${city.id}/intel/objects/${v1.id}` })
    ).json();
    expect(detail.object.name).toBe('Third name');
    expect(detail.versions.map((v: { version: string }) => v.version)).toEqual([
      v1.modified,
      v2.modified,
      v3.modified,
    ]);

    // The same id and modified as a stored version: the same content is a duplicate, other content a conflict.
    const conflict = { ...v2, name: 'Rewritten in place' };
    const again = (await importBundle(u, city.id, [v2, conflict])).json();
    expect(again).toMatchObject({ total: 2, imported: 0, duplicates: 1, failed: 1, warned: 0 });
    expect(again.failures).toEqual([
      {
        index: 1,
        id: v1.id,
        version: '2026-02-01T00:00:00.000Z',
        errors: [
          {
            path: 'modified',
            rule: 'conflict',
            message: 'another version with modified 2026-02-01T00:00:00.000Z and different content exists',
          },
        ],
      },
    ]);
    const versions = (
      await env.call(u, { method: 'GET', url: `/api/v1/orgs/${city.id}/intel/objects/${v1.id}/versions` })
    ).json().items;
    expect(versions.map((v: { object: { name: string } }) => v.object.name)).toEqual([
      'First name',
      'Second name',
      'Third name',
    ]);
  });

  it('exports a bundle of the filtered objects and says when the limit cut it', async () => {
    const city = await env.org('Export City');
    const u = await env.user('v@export.test', { orgId: city.id, role: 'viewer' });
    const objects = [indicator('Export one'), indicator('Export two'), indicator('Export three', 'green')];
    expect((await importBundle(env.admin, city.id, objects)).json()).toMatchObject({ imported: 3 });
    const exported = async (query: string) => {
      const res = await env.call(u, { method: 'GET', url: `/api/v1/orgs/${city.id}/intel/bundle${query}` });
      expect(res.statusCode).toBe(200);
      return {
        ids: res
          .json()
          .objects.map((o: { id: string }) => o.id)
          .sort(),
        truncated: res.headers['x-citywall-truncated'],
        limit: res.headers['x-citywall-limit'],
      };
    };
    const all = objects.map((o) => o.id).sort();
    expect(await exported('')).toEqual({ ids: all, truncated: 'false', limit: '10000' });
    expect(await exported('?limit=3')).toEqual({ ids: all, truncated: 'false', limit: '3' });
    const cut = await exported('?limit=2');
    expect(cut).toMatchObject({ truncated: 'true', limit: '2' });
    expect(cut.ids).toHaveLength(2);
    expect(await exported('?limit=1&tlp=green')).toEqual({
      ids: [objects[2].id],
      truncated: 'false',
      limit: '1',
    });
    expect(await exported('?limit=1&q=nothing')).toEqual({ ids: [], truncated: 'false', limit: '1' });
  });

  it('lets viewers read but not import, and analysts share', async () => {
    const city = await env.org('Roles City');
    const viewer = await env.user('v@roles.test', { orgId: city.id, role: 'viewer' });
    const contributor = await env.user('c@roles.test', { orgId: city.id, role: 'contributor' });
    expect((await importBundle(viewer, city.id, [indicator('x')])).statusCode).toBe(403);
    const obj = indicator('Shared thing', 'amber');
    await importBundle(contributor, city.id, [obj]);
    expect(await listIds(viewer, city.id)).toEqual([obj.id]);
    const comm = await community('Roles Community', [city.id]);
    const share = await env.call(contributor, {
      method: 'POST',
      url: `/api/v1/orgs/${city.id}/intel/objects/${obj.id}/shares`,
      payload: { targetOrgId: comm },
    });
    expect(share.statusCode).toBe(403);
  });

  it('traverses relationships within N hops, only through what the reader may see', async () => {
    const city = await env.org('Graph City');
    const u = await env.user('a@graph.test', { orgId: city.id, role: 'analyst' });
    const mk = (type: string, name: string, extra: Record<string, unknown> = {}) =>
      sdo(type, name, undefined, extra);
    const set = mk('intrusion-set', 'APT Example');
    const mal = mk('malware', 'ExampleRAT', { is_family: true });
    const tool = mk('tool', 'Mimikatz');
    const far = mk('infrastructure', 'C2 server', { infrastructure_types: ['command-and-control'] });
    const rel = (s: { id: string }, t: { id: string }, kind: string) =>
      mk('relationship', '', {
        relationship_type: kind,
        source_ref: s.id,
        target_ref: t.id,
        name: undefined,
      });
    const r1 = rel(set, mal, 'uses');
    const r2 = rel(mal, tool, 'uses');
    const r3 = rel(tool, far, 'uses');
    const imp = (
      await importBundle(
        u,
        city.id,
        [set, mal, tool, far, r1, r2, r3].map((o) => JSON.parse(JSON.stringify(o))),
      )
    ).json();
    expect(imp.failed, JSON.stringify(imp.failures)).toBe(0);
    const g = (
      await env.call(u, {
        method: 'GET',
        url: `/api/v1/orgs/${city.id}/intel/objects/${set.id}/graph?depth=2`,
      })
    ).json();
    expect(g.nodes.map((n: { id: string }) => n.id).sort()).toEqual([set.id, mal.id, tool.id].sort());
    expect(g.edges.map((e: { id: string }) => e.id).sort()).toEqual([r1.id, r2.id].sort());
    const g3 = (
      await env.call(u, {
        method: 'GET',
        url: `/api/v1/orgs/${city.id}/intel/objects/${set.id}/graph?depth=3`,
      })
    ).json();
    expect(g3.nodes).toHaveLength(4);
  });
});

describe('TLP enforcement', () => {
  let region: { id: string };
  let cityA: { id: string };
  let deptA: { id: string };
  let cityB: { id: string };
  let cityC: { id: string };
  let comm: string;
  let a: TestUser;
  let aDept: TestUser;
  let b: TestUser;
  let c: TestUser;
  const objs: Record<TlpLevel, ReturnType<typeof indicator>> = {} as never;

  beforeAll(async () => {
    region = await env.org('TLP Region', 'region');
    cityA = await env.org('TLP City A', 'city', region.id);
    deptA = await env.org('TLP Dept A', 'department', cityA.id);
    cityB = await env.org('TLP City B', 'city', region.id);
    cityC = await env.org('TLP City C', 'city', region.id);
    comm = await community('TLP Community', [cityA.id, cityB.id]);
    a = await env.user('a@tlp.test', { orgId: cityA.id, role: 'analyst' });
    aDept = await env.user('d@tlp.test', { orgId: deptA.id, role: 'viewer' });
    b = await env.user('b@tlp.test', { orgId: cityB.id, role: 'viewer' });
    c = await env.user('c@tlp.test', { orgId: cityC.id, role: 'viewer' });
    for (const level of ['clear', 'green', 'amber', 'amber+strict', 'red'] as TlpLevel[]) {
      objs[level] = indicator(`tlpcheck ${level}`, level);
    }
    expect((await importBundle(a, cityA.id, Object.values(objs))).json().imported).toBe(5);
  });

  const seen = async (u: TestUser, orgId: string) => {
    const ids = await listIds(u, orgId, '&q=tlpcheck');
    return (Object.keys(objs) as TlpLevel[]).filter((l) => ids.includes(objs[l].id)).sort();
  };

  it('before sharing: CLEAR to all, GREEN to the community, AMBER to the owner subtree, the rest to the owner', async () => {
    expect(await seen(a, cityA.id)).toEqual(['amber', 'amber+strict', 'clear', 'green', 'red']);
    expect(await seen(aDept, deptA.id)).toEqual(['amber', 'clear', 'green']);
    expect(await seen(b, cityB.id)).toEqual(['clear', 'green']);
    expect(await seen(c, cityC.id)).toEqual(['clear']);
  });

  it('sharing to a community opens AMBER and AMBER+STRICT to members, never RED', async () => {
    for (const level of ['amber', 'amber+strict'] as TlpLevel[]) {
      const r = await env.call(a, {
        method: 'POST',
        url: `/api/v1/orgs/${cityA.id}/intel/objects/${objs[level].id}/shares`,
        payload: { targetOrgId: comm },
      });
      expect(r.statusCode).toBe(201);
    }
    // RED goes to named organizations only: a share to the whole community is refused, and nothing is kept.
    const redToCommunity = await env.call(a, {
      method: 'POST',
      url: `/api/v1/orgs/${cityA.id}/intel/objects/${objs.red.id}/shares`,
      payload: { targetOrgId: comm },
    });
    expect(redToCommunity.statusCode).toBe(422);
    expect(redToCommunity.json().errors[0]).toMatchObject({ path: 'targetOrgId' });
    expect(redToCommunity.json().detail).toMatch(/TLP:RED goes to named organizations only/);
    expect(await seen(b, cityB.id)).toEqual(['amber', 'amber+strict', 'clear', 'green']);
    expect(await seen(c, cityC.id)).toEqual(['clear']);
    // Sharing outside the owner's communities is refused.
    const outside = await env.call(a, {
      method: 'POST',
      url: `/api/v1/orgs/${cityA.id}/intel/objects/${objs.red.id}/shares`,
      payload: { targetOrgId: cityC.id },
    });
    expect(outside.statusCode).toBe(422);
    // RED reaches a named member organization.
    const named = await env.call(a, {
      method: 'POST',
      url: `/api/v1/orgs/${cityA.id}/intel/objects/${objs.red.id}/shares`,
      payload: { targetOrgId: cityB.id },
    });
    expect(named.statusCode).toBe(201);
    expect(await seen(b, cityB.id)).toEqual(['amber', 'amber+strict', 'clear', 'green', 'red']);
  });

  it("describes each organization's TAXII collections with what it may do there and what they hold", async () => {
    const overview = async (u: TestUser, orgId: string) => {
      const r = await env.call(u, { method: 'GET', url: `/api/v1/orgs/${orgId}/taxii` });
      expect(r.statusCode).toBe(200);
      return r.json();
    };
    const ofB = await overview(b, cityB.id);
    expect(ofB.apiRootUrl).toMatch(new RegExp(`/taxii2/${cityB.id}/$`));
    expect(ofB.discoveryUrl).toMatch(/\/taxii2\/$/);
    expect(ofB.maxContentLength).toBeGreaterThan(0);
    expect(ofB.collections.map((x: { kind: string }) => x.kind)).toEqual(['all', 'community']);
    const shared = ofB.collections[1];
    expect(shared).toMatchObject({ id: comm, canRead: true, canWrite: false });
    expect(shared.url).toBe(`${ofB.apiRootUrl}collections/${comm}/`);
    // CLEAR and GREEN by membership, AMBER and AMBER+STRICT by the shares; RED, shared to City B by name and
    // not to the community, is not in it: the count is what City B's TAXII client would page.
    expect(shared.objects).toBe(4);
    expect(ofB.collections[0].objects).toBeGreaterThanOrEqual(5);

    const ofA = await overview(a, cityA.id);
    expect(ofA.collections.map((x: { canWrite: boolean }) => x.canWrite)).toEqual([true, true]);
    const ofC = await overview(c, cityC.id);
    expect(ofC.collections).toHaveLength(1);
    expect(ofC.collections[0]).toMatchObject({ id: cityC.id, kind: 'all', canWrite: false });
    expect(ofC.collections[0].objects).toBeLessThan(ofB.collections[0].objects);
    // Another organization's TAXII server is not described to outsiders.
    const foreign = await env.call(c, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/taxii` });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain(comm);
  });

  it('never shows City C the AMBER or RED objects on get, versions, graph, export or search', async () => {
    for (const level of ['green', 'amber', 'amber+strict', 'red'] as TlpLevel[]) {
      for (const path of ['', '/versions', '/graph']) {
        const r = await env.call(c, {
          method: 'GET',
          url: `/api/v1/orgs/${cityC.id}/intel/objects/${objs[level].id}${path}`,
        });
        expect(r.statusCode, `${level}${path}`).toBe(404);
        expect(r.body).not.toContain('tlpcheck');
      }
    }
    const exported = (
      await env.call(c, { method: 'GET', url: `/api/v1/orgs/${cityC.id}/intel/bundle?q=tlpcheck` })
    ).json();
    expect(exported.objects.map((o: { id: string }) => o.id)).toEqual([objs.clear.id]);
    // Acting as an organization one holds no role in is refused outright.
    const other = await env.call(c, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/intel/objects` });
    expect(other.statusCode).toBe(404);
  });

  it('hides an older version under a stricter marking when the latest is open', async () => {
    const v1 = indicator('tlpcheck relabelled', 'red');
    const v2 = {
      ...v1,
      modified: '2026-06-01T00:00:00.000Z',
      object_marking_refs: objs.clear.object_marking_refs,
    };
    expect((await importBundle(a, cityA.id, [v1, v2])).json().imported).toBe(2);
    const versions = (
      await env.call(c, { method: 'GET', url: `/api/v1/orgs/${cityC.id}/intel/objects/${v1.id}/versions` })
    ).json();
    expect(versions.items.map((v: { tlp: string }) => v.tlp)).toEqual(['clear']);
    const own = (
      await env.call(a, { method: 'GET', url: `/api/v1/orgs/${cityA.id}/intel/objects/${v1.id}/versions` })
    ).json();
    expect(own.items.map((v: { tlp: string }) => v.tlp)).toEqual(['red', 'clear']);
  });

  it('unsharing closes the object again; the owner sees where it went', async () => {
    const detail = (
      await env.call(a, { method: 'GET', url: `/api/v1/orgs/${cityA.id}/intel/objects/${objs.red.id}` })
    ).json();
    expect(detail.shares.map((s: { targetOrgId: string }) => s.targetOrgId)).toEqual([cityB.id]);
    const bView = (
      await env.call(b, { method: 'GET', url: `/api/v1/orgs/${cityB.id}/intel/objects/${objs.red.id}` })
    ).json();
    expect(bView.shares).toEqual([]);
    expect(bView.owned).toBe(false);
    const del = await env.call(a, {
      method: 'DELETE',
      url: `/api/v1/orgs/${cityA.id}/intel/objects/${objs.red.id}/shares/${cityB.id}`,
    });
    expect(del.statusCode).toBe(204);
    expect(await seen(b, cityB.id)).toEqual(['amber', 'amber+strict', 'clear', 'green']);
  });
});

describe('ATT&CK techniques', () => {
  const pattern = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
    type: 'attack-pattern',
    spec_version: '2.1',
    id: `attack-pattern--${randomUUID()}`,
    created: T0,
    modified: T0,
    name,
    kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'impact' }],
    external_references: [
      { source_name: 'mitre-attack', external_id: id, url: `https://attack.mitre.org/techniques/${id}` },
      { source_name: 'capec', external_id: 'CAPEC-000' },
    ],
    x_mitre_domains: ['enterprise-attack'],
    ...extra,
  });

  it('finds techniques by id prefix, name or exact ids, under TLP, leaving deprecated ones out of searches', async () => {
    const city = await env.org('Technique City');
    const other = await env.org('Technique Elsewhere');
    const analyst = await env.user('analyst@technique.test', { orgId: city.id, role: 'analyst' });
    const outsider = await env.user('viewer@technique-else.test', { orgId: other.id, role: 'viewer' });
    const clear = TLP2_MARKING_IDS.clear;
    const objects = [
      pattern('T1486', 'Data Encrypted for Impact', { object_marking_refs: [clear] }),
      pattern('T1078.002', 'Domain Accounts', {
        object_marking_refs: [clear],
        kill_chain_phases: [
          { kill_chain_name: 'mitre-attack', phase_name: 'persistence' },
          { kill_chain_name: 'mitre-attack', phase_name: 'defense-evasion' },
        ],
      }),
      pattern('T1099', 'Timestomp (old)', { object_marking_refs: [clear], x_mitre_deprecated: true }),
      pattern('T0883', 'Internet Accessible Device', { x_mitre_domains: ['ics-attack'] }),
      // A custom property of the wrong type breaks nobody's lookup.
      pattern('T1190', 'Exploit Public-Facing Application', {
        object_marking_refs: [clear],
        x_mitre_deprecated: 'nope',
      }),
    ];
    expect((await importBundle(analyst, city.id, objects)).json().imported).toBe(5);
    const find = async (u: TestUser, orgId: string, query: string) => {
      const r = await env.call(u, { method: 'GET', url: `/api/v1/orgs/${orgId}/intel/techniques?${query}` });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items as {
        id: string;
        name: string;
        tactics: string[];
        domain: string;
        deprecated: boolean;
      }[];
    };
    expect((await find(outsider, other.id, 'q=T1190')).map((t) => [t.id, t.deprecated])).toEqual([
      ['T1190', false],
    ]);
    expect(await find(analyst, city.id, 'q=T1486')).toEqual([
      expect.objectContaining({ id: 'T1486', name: 'Data Encrypted for Impact', tactics: ['impact'] }),
    ]);
    const [domain] = await find(analyst, city.id, 'q=domain%20acc');
    expect(domain).toMatchObject({ id: 'T1078.002', tactics: ['defense-evasion', 'persistence'] });
    expect((await find(analyst, city.id, 'q=T0')).map((t) => [t.id, t.domain])).toEqual([
      ['T0883', 'ics-attack'],
    ]);
    // Deprecated techniques are not offered, but an incident that already names one still shows its name.
    expect(await find(analyst, city.id, 'q=T1099')).toEqual([]);
    expect(await find(analyst, city.id, 'ids=T1099,T1486,T9999')).toEqual([
      expect.objectContaining({ id: 'T1099', deprecated: true }),
      expect.objectContaining({ id: 'T1486', deprecated: false }),
    ]);
    // The AMBER (unmarked, the import default) ICS technique stays with its owner; CLEAR ones reach everyone.
    expect((await find(outsider, other.id, 'q=T')).map((t) => t.id)).toEqual(
      expect.not.arrayContaining(['T0883']),
    );
    expect((await find(outsider, other.id, 'ids=T1486')).map((t) => t.id)).toEqual(['T1486']);
    const bad = await env.call(analyst, {
      method: 'GET',
      url: `/api/v1/orgs/${city.id}/intel/techniques?ids=T1486,TA0040`,
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toMatch(/T1486 or T1078.002/);
  });
});

describe('ATT&CK coverage', () => {
  it('counts the techniques risks, incidents and exercises name, and those no risk anticipated', async () => {
    const city = await env.org('Coverage City');
    const analyst = await env.user('analyst@coverage.test', { orgId: city.id, role: 'analyst' });
    const base = `/api/v1/orgs/${city.id}`;
    const post = async (url: string, payload: Record<string, unknown>) => {
      const r = await env.call(analyst, { method: 'POST', url: `${base}${url}`, payload });
      expect(r.statusCode, r.body).toBe(201);
      return r.json();
    };
    const empty = (
      await env.call(analyst, { method: 'GET', url: `${base}/intel/technique-coverage` })
    ).json();
    expect(empty).toEqual({ items: [], unanticipated: [] });
    await importBundle(analyst, city.id, [
      {
        type: 'attack-pattern',
        spec_version: '2.1',
        id: `attack-pattern--${randomUUID()}`,
        created: T0,
        modified: T0,
        name: 'Data Encrypted for Impact',
        external_references: [{ source_name: 'mitre-attack', external_id: 'T1486' }],
      },
    ]);
    await post('/risks', {
      title: 'Ransomware',
      inherentLikelihood: 3,
      inherentImpact: 4,
      attackTechniques: ['T1486', 'T1078'],
    });
    const closed = await post('/risks', {
      title: 'Old worm',
      inherentLikelihood: 1,
      inherentImpact: 1,
      attackTechniques: ['T1210'],
    });
    const patched = await env.call(analyst, {
      method: 'PATCH',
      url: `${base}/risks/${closed.id}`,
      payload: { status: 'closed' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await post('/incidents', {
      title: 'Encrypted file servers',
      type: 'ransomware',
      attackTechniques: ['T1486', 'T1190'],
    });
    await post('/incidents', {
      title: 'Tabletop',
      type: 'ransomware',
      exercise: true,
      attackTechniques: ['T1566'],
    });
    const cov = (await env.call(analyst, { method: 'GET', url: `${base}/intel/technique-coverage` })).json();
    const by = Object.fromEntries(
      cov.items.map((i: { id: string; risks: number; incidents: number; exercises: number }) => [
        i.id,
        [i.risks, i.incidents, i.exercises],
      ]),
    );
    // The closed risk's technique does not count.
    expect(by).toEqual({ T1078: [1, 0, 0], T1190: [0, 1, 0], T1486: [1, 1, 0], T1566: [0, 0, 1] });
    expect(cov.items.find((i: { id: string }) => i.id === 'T1486').technique).toMatchObject({
      name: 'Data Encrypted for Impact',
    });
    expect(cov.items.find((i: { id: string }) => i.id === 'T1078').technique).toBeNull();
    // An exercise is not an attack: only the real incident's T1190 went unanticipated.
    expect(cov.unanticipated).toEqual(['T1190']);
    const outsider = await env.user('viewer@coverage-else.test', {
      orgId: (await env.org('Coverage Elsewhere')).id,
      role: 'viewer',
    });
    expect(
      (await env.call(outsider, { method: 'GET', url: `${base}/intel/technique-coverage` })).statusCode,
    ).toBe(404);
  });
});

const ATTACK = '/work/shared/data/attack/enterprise-attack-18.1.json.gz';
describe.skipIf(!existsSync(ATTACK))('ATT&CK Enterprise', () => {
  it('imports the whole bundle, streamed', { timeout: 300_000 }, async () => {
    const { createReadStream } = await import('node:fs');
    const { createGunzip } = await import('node:zlib');
    const { intelService } = await import('../../src/server/modules/intel/intel.service.js');
    const { SYSTEM_ACTOR } = await import('../../src/server/context.js');
    const city = await env.org('Attack City');
    const started = performance.now();
    const report = await intelService.importBundle(
      { db: env.database.db, actor: SYSTEM_ACTOR },
      city.id,
      createReadStream(ATTACK).pipe(createGunzip()),
      { tlp: 'clear' },
    );
    const ms = performance.now() - started;
    console.log(
      `ATT&CK Enterprise: ${report.total} objects, ${report.imported} imported, ${report.failed} failed in ${Math.round(ms)} ms`,
    );
    expect(report.total).toBe(24_771);
    expect(report.imported + report.failed + report.duplicates).toBe(24_771);
    // Its hundreds of remarks on relationship types and custom references are not reported, one by one.
    expect(report).toMatchObject({ warned: 0, warnings: [], upgraded: 0 });
    const u = await env.user('x@attack.test', { orgId: city.id, role: 'viewer' });
    const hit = (
      await env.call(u, {
        method: 'GET',
        url: `/api/v1/orgs/${city.id}/intel/objects?q=phishing&type=attack-pattern`,
      })
    ).json();
    expect(hit.total).toBeGreaterThan(0);
    const techniques = (
      await env.call(u, {
        method: 'GET',
        url: `/api/v1/orgs/${city.id}/intel/techniques?ids=T1486,T1078.002`,
      })
    ).json().items;
    expect(techniques).toEqual([
      expect.objectContaining({ id: 'T1078.002', name: 'Domain Accounts', domain: 'enterprise-attack' }),
      expect.objectContaining({ id: 'T1486', name: 'Data Encrypted for Impact', tactics: ['impact'] }),
    ]);
  });
});

const ATTACK_ICS = '/work/shared/data/attack/ics-attack-18.1.json';
describe.skipIf(!existsSync(ATTACK_ICS))('ATT&CK ICS', () => {
  it('imports cleanly and offers its techniques by id and name', { timeout: 120_000 }, async () => {
    const { readFileSync } = await import('node:fs');
    const city = await env.org('ICS Attack City');
    const res = await env.call(env.admin, {
      method: 'POST',
      url: `/api/v1/orgs/${city.id}/intel/bundles?atomic=true`,
      headers: { 'content-type': 'application/json' },
      payload: readFileSync(ATTACK_ICS, 'utf8'),
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.json()).toMatchObject({ failed: 0 });
    const found = (
      await env.call(env.admin, {
        method: 'GET',
        url: `/api/v1/orgs/${city.id}/intel/techniques?q=internet%20accessible`,
      })
    ).json().items;
    expect(found).toEqual([
      expect.objectContaining({ id: 'T0883', name: 'Internet Accessible Device', domain: 'ics-attack' }),
    ]);
  });
});

const OASIS = '/work/shared/data/stix/oasis-examples';
describe.skipIf(!existsSync(OASIS))('OASIS example bundles', () => {
  it('import cleanly', { timeout: 120_000 }, async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const city = await env.org('Oasis City');
    const files = [
      ...readdirSync(OASIS).filter((f) => f.endsWith('.json')),
      ...readdirSync(join(OASIS, 'threat-reports')).map((f) => join('threat-reports', f)),
    ];
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = readFileSync(join(OASIS, f), 'utf8');
      if (JSON.parse(text).type !== 'bundle') {
        // One example is a lone campaign, not a bundle: refused with a clear message, nothing written.
        const res = await env.call(env.admin, {
          method: 'POST',
          url: `/api/v1/orgs/${city.id}/intel/bundles`,
          headers: { 'content-type': 'application/json' },
          payload: text,
        });
        expect(res.statusCode, f).toBe(422);
        expect(res.json().detail).toMatch(/Not a STIX bundle/);
        continue;
      }
      const res = await env.call(env.admin, {
        method: 'POST',
        url: `/api/v1/orgs/${city.id}/intel/bundles`,
        headers: { 'content-type': 'application/json' },
        payload: text,
      });
      expect(res.statusCode, f).toBe(200);
      const report = res.json();
      expect(report.failed, `${f}: ${JSON.stringify(report.failures.slice(0, 3))}`).toBe(0);
      expect(report.imported + report.duplicates, f).toBe(report.total);
    }
  });
});
