import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';
import { bundleOf, indicator, sdo, T0 } from '../helpers/stix.js';

/**
 * The graph follows embedded relationships (a report's `object_refs`, a sighting's `sighting_of_ref`,
 * `where_sighted_refs` and `observed_data_refs`) as edges labelled with the property, under the TLP policy.
 */

interface GraphBody {
  root: string;
  truncated: boolean;
  nodes: { id: string; type: string; hops: number }[];
  edges: { id: string; type: string; relationshipType: string | null; source: string; target: string }[];
}

let env: TestEnv;
let cityA: { id: string };
let cityB: { id: string };
let a: TestUser;
let b: TestUser;

async function importAs(user: TestUser, orgId: string, objects: unknown[]) {
  const res = await env.call(user, {
    method: 'POST',
    url: `/api/v1/orgs/${orgId}/intel/bundles`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(bundleOf(objects)),
  });
  expect(res.statusCode).toBe(200);
  expect(res.json().failed, JSON.stringify(res.json().failures)).toBe(0);
}

const graphOf = (user: TestUser | null, orgId: string, stixId: string, query = '') =>
  env.call(user, { method: 'GET', url: `/api/v1/orgs/${orgId}/intel/objects/${stixId}/graph${query}` });

async function graph(user: TestUser, orgId: string, stixId: string, query = '') {
  const res = await graphOf(user, orgId, stixId, query);
  expect(res.statusCode, res.body).toBe(200);
  return { body: res.body, g: res.json() as GraphBody };
}

const ids = (g: GraphBody) => g.nodes.map((n) => n.id).sort();
const links = (g: GraphBody) => g.edges.map((e) => `${e.source} ${e.relationshipType} ${e.target}`).sort();

beforeAll(async () => {
  env = await testEnv();
  cityA = await env.org('Embedded City A');
  cityB = await env.org('Embedded City B');
  a = await env.user('analyst@embedded-a.test', { orgId: cityA.id, role: 'analyst' });
  b = await env.user('analyst@embedded-b.test', { orgId: cityB.id, role: 'analyst' });
});
afterAll(() => env?.close());

describe('graph over embedded relationships', () => {
  it("links a report to the objects of its object_refs the reader may see, never to another org's RED one", async () => {
    const own = indicator('Embedded own indicator', 'amber');
    const clear = sdo('malware', 'Embedded clear malware', 'clear', { is_family: true });
    const red = sdo('tool', 'Embedded red tool', 'red');
    await importAs(b, cityB.id, [clear, red]);
    const report = sdo('report', 'Embedded report', 'amber', {
      published: T0,
      object_refs: [own.id, clear.id, red.id],
    });
    await importAs(a, cityA.id, [own, report]);

    const { g, body } = await graph(a, cityA.id, report.id, '?depth=1');
    expect(ids(g)).toEqual([report.id, own.id, clear.id].sort());
    expect(links(g)).toEqual(
      [`${report.id} object_refs ${own.id}`, `${report.id} object_refs ${clear.id}`].sort(),
    );
    for (const e of g.edges) {
      expect(e.type).toBe('embedded');
      expect(e.id).toBe(`${e.source}/object_refs/${e.target}`);
    }
    expect(body).not.toContain(red.id);
    expect(g.nodes.find((n) => n.id === own.id)?.hops).toBe(1);

    // From a referenced object, the report that references it.
    const back = await graph(a, cityA.id, clear.id, '?depth=1');
    expect(links(back.g)).toEqual([`${report.id} object_refs ${clear.id}`]);

    // City B sees its own RED tool, but not City A's AMBER report that references it.
    const fromRed = await graph(b, cityB.id, red.id, '?depth=2');
    expect(ids(fromRed.g)).toEqual([red.id]);
    expect(fromRed.g.edges).toEqual([]);
    expect(fromRed.body).not.toContain(report.id);
    // Nor the report itself.
    expect((await graphOf(b, cityB.id, report.id)).statusCode).toBe(404);
  });

  it('links a sighting to what it saw, to every place it was seen and to its observed data', async () => {
    const seen = indicator('Embedded sighted indicator', 'green');
    const first = sdo('identity', 'Water utility', 'green', { identity_class: 'organization' });
    const second = sdo('identity', 'Transit authority', 'green', { identity_class: 'organization' });
    const observed = sdo('observed-data', 'unused', 'green', {
      name: undefined,
      first_observed: T0,
      last_observed: T0,
      number_observed: 3,
      object_refs: [`ipv4-addr--${randomUUID()}`],
    });
    const sighting = sdo('sighting', 'unused', 'green', {
      name: undefined,
      sighting_of_ref: seen.id,
      where_sighted_refs: [first.id, second.id],
      observed_data_refs: [observed.id],
      count: 3,
    });
    await importAs(
      a,
      cityA.id,
      [seen, first, second, observed, sighting].map((o) => JSON.parse(JSON.stringify(o))),
    );

    const { g } = await graph(a, cityA.id, sighting.id, '?depth=1');
    expect(links(g)).toEqual(
      [
        `${sighting.id} sighting_of_ref ${seen.id}`,
        `${sighting.id} where_sighted_refs ${first.id}`,
        `${sighting.id} where_sighted_refs ${second.id}`,
        `${sighting.id} observed_data_refs ${observed.id}`,
      ].sort(),
    );
    // The observed data's own reference is to an object not stored here: no node, no edge.
    expect(ids(g)).toEqual([sighting.id, seen.id, first.id, second.id, observed.id].sort());

    // The second place it was seen (a reference only in the JSON array) leads back to the sighting, and two
    // hops on to what was sighted.
    const fromSecond = await graph(a, cityA.id, second.id, '?depth=2');
    expect(links(fromSecond.g)).toContain(`${sighting.id} where_sighted_refs ${second.id}`);
    expect(links(fromSecond.g)).toContain(`${sighting.id} sighting_of_ref ${seen.id}`);
    expect(fromSecond.g.nodes.find((n) => n.id === sighting.id)?.hops).toBe(1);
    expect(fromSecond.g.nodes.find((n) => n.id === seen.id)?.hops).toBe(2);
  });

  it('never shows an edge held by an object the reader may not see', async () => {
    const target = indicator('Embedded target of a hidden report', 'clear');
    await importAs(a, cityA.id, [target]);
    const hidden = sdo('report', 'Hidden red report', 'red', { published: T0, object_refs: [target.id] });
    await importAs(b, cityB.id, [hidden]);

    const { g, body } = await graph(a, cityA.id, target.id, '?depth=3');
    expect(ids(g)).toEqual([target.id]);
    expect(g.edges).toEqual([]);
    expect(body).not.toContain(hidden.id);
    // Its owner sees it.
    const own = await graph(b, cityB.id, target.id, '?depth=1');
    expect(links(own.g)).toEqual([`${hidden.id} object_refs ${target.id}`]);
  });

  it('answers an object without references with no edges, and refuses bad input and other organizations', async () => {
    const alone = indicator('Embedded lonely indicator', 'amber');
    await importAs(a, cityA.id, [alone]);
    const { g } = await graph(a, cityA.id, alone.id);
    expect(ids(g)).toEqual([alone.id]);
    expect(g.edges).toEqual([]);

    const bad = await graphOf(a, cityA.id, alone.id, '?depth=9');
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await graphOf(b, cityA.id, alone.id)).statusCode).toBe(404);
    expect((await graphOf(null, cityA.id, alone.id)).statusCode).toBe(401);
  });
});
