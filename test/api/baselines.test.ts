import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_BASELINE_REQUIREMENTS } from '../../src/core/baseline/index.js';
import {
  assessmentResultsSchema,
  parseCatalog,
  parseProfile,
  poamSchema,
} from '../../src/core/oscal/index.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(() => env?.close());

const SHARED = new URL('../../../shared/data/oscal/', import.meta.url);
const shared = (name: string) => fileURLToPath(new URL(name, SHARED));
const NIST_CATALOG = 'NIST_SP-800-53_rev5_catalog.json';

interface Doc {
  id: string;
  kind: string;
  title: string;
  sourceName: string | null;
  controlCount: number;
}

async function city(name: string) {
  const org = await env.org(name);
  const admin = await env.user(`admin@${org.slug}.test`, { orgId: org.id, role: 'admin', inherit: true });
  return { org, admin };
}

async function install(user: TestUser, orgId: string): Promise<Doc[]> {
  const res = await env.call(user, {
    method: 'POST',
    url: `/api/v1/orgs/${orgId}/catalogs/city-baseline`,
    payload: {},
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

async function documentCount(user: TestUser, orgId: string): Promise<number> {
  return (await env.call(user, { method: 'GET', url: `/api/v1/orgs/${orgId}/catalogs` })).json().total;
}

describe('catalogs and profiles', () => {
  it('installs the City Baseline: a catalog and three tier profiles, once', async () => {
    const { org, admin } = await city('Baseline City');
    const docs = await install(admin, org.id);
    expect(docs.map((d) => [d.kind, d.controlCount])).toEqual([
      ['catalog', CITY_BASELINE_REQUIREMENTS.length],
      ['profile', CITY_BASELINE_REQUIREMENTS.filter((r) => r.tier === 'foundational').length],
      ['profile', CITY_BASELINE_REQUIREMENTS.filter((r) => r.tier !== 'advanced').length],
      ['profile', CITY_BASELINE_REQUIREMENTS.length],
    ]);
    const again = await install(admin, org.id);
    expect(again.map((d) => d.id)).toEqual(docs.map((d) => d.id));
    expect(await documentCount(admin, org.id)).toBe(4);
  });

  it('lists and searches controls, filtered by function and tier', async () => {
    const { org, admin } = await city('Search City');
    const [catalog] = await install(admin, org.id);
    const base = `/api/v1/orgs/${org.id}/catalogs/${catalog.id}/controls`;
    const pr = (
      await env.call(admin, { method: 'GET', url: `${base}?function=PR&tier=foundational` })
    ).json();
    const expected = CITY_BASELINE_REQUIREMENTS.filter(
      (r) => r.function === 'PR' && r.tier === 'foundational',
    );
    expect(pr.total).toBe(expected.length);
    expect(pr.items.map((c: { controlId: string }) => c.controlId)).toEqual(expected.map((r) => r.id));
    const word = expected[0].title.split(' ').find((w) => w.length > 5) as string;
    const found = (
      await env.call(admin, { method: 'GET', url: `${base}?q=${encodeURIComponent(word)}` })
    ).json();
    expect(found.items.some((c: { controlId: string }) => c.controlId === expected[0].id)).toBe(true);
    const paged = (await env.call(admin, { method: 'GET', url: `${base}?limit=5&offset=5` })).json();
    expect(paged).toMatchObject({ limit: 5, offset: 5, total: CITY_BASELINE_REQUIREMENTS.length });
    expect(paged.items).toHaveLength(5);
  });

  it('round-trips: import → export → import gives the same content', async () => {
    const { org, admin } = await city('Export City');
    const docs = await install(admin, org.id);
    const exported = await env.call(admin, {
      method: 'GET',
      url: `/api/v1/orgs/${org.id}/catalogs/${docs[0].id}/oscal`,
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toContain('citywall-city-baseline_catalog.json');
    const profile = await env.call(admin, {
      method: 'GET',
      url: `/api/v1/orgs/${org.id}/catalogs/${docs[1].id}/oscal`,
    });

    const other = await city('Import City');
    const imported = await env.call(other.admin, {
      method: 'POST',
      url: `/api/v1/orgs/${other.org.id}/catalogs?name=citywall-city-baseline_catalog.json`,
      headers: { 'content-type': 'application/json' },
      payload: exported.body,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const importedProfile = await env.call(other.admin, {
      method: 'POST',
      url: `/api/v1/orgs/${other.org.id}/catalogs`,
      headers: { 'content-type': 'application/oscal+json' },
      payload: profile.body,
    });
    expect(importedProfile.statusCode, importedProfile.body).toBe(201);
    expect(importedProfile.json().controlCount).toBe(docs[1].controlCount);
    const reExported = await env.call(other.admin, {
      method: 'GET',
      url: `/api/v1/orgs/${other.org.id}/catalogs/${imported.json().id}/oscal`,
    });
    expect(parseCatalog(reExported.body)).toEqual(parseCatalog(exported.body));
    const reProfile = await env.call(other.admin, {
      method: 'GET',
      url: `/api/v1/orgs/${other.org.id}/catalogs/${importedProfile.json().id}/oscal`,
    });
    expect(parseProfile(reProfile.body)).toEqual(parseProfile(profile.body));

    const resolved = await env.call(other.admin, {
      method: 'GET',
      url: `/api/v1/orgs/${other.org.id}/catalogs/${importedProfile.json().id}/resolved`,
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const resolvedIds = (parseCatalog(resolved.body).groups ?? [])
      .flatMap((g) => g.controls ?? [])
      .map((c) => c.id);
    expect(resolvedIds).toEqual(
      CITY_BASELINE_REQUIREMENTS.filter((r) => r.tier === 'foundational').map((r) => r.id),
    );
    const notProfile = await env.call(other.admin, {
      method: 'GET',
      url: `/api/v1/orgs/${other.org.id}/catalogs/${imported.json().id}/resolved`,
    });
    expect(notProfile.statusCode).toBe(409);
  });

  it('refuses bad OSCAL precisely and writes nothing', async () => {
    const { org, admin } = await city('Bad Oscal City');
    const docs = await install(admin, org.id);
    const url = `/api/v1/orgs/${org.id}/catalogs`;
    const post = (payload: unknown) => env.call(admin, { method: 'POST', url, payload: payload as object });
    const uuid = '11111111-2222-4333-8444-555555555555';
    const metadata = {
      title: 'Bad',
      'last-modified': '2026-01-01T00:00:00Z',
      version: '1',
      'oscal-version': '1.1.2',
    };

    const wrongType = await post({ catalog: { uuid, metadata, controls: [{ id: 'x-1', title: 42 }] } });
    expect(wrongType.statusCode).toBe(422);
    expect(wrongType.json().errors).toContainEqual({
      path: 'catalog.controls[0].title',
      message: expect.stringMatching(/string/),
    });

    const dup = await post({
      catalog: {
        uuid,
        metadata,
        controls: [
          { id: 'x-1', title: 'a' },
          { id: 'x-1', title: 'b' },
        ],
      },
    });
    expect(dup.statusCode).toBe(422);
    expect(dup.json().code).toBe('duplicate-id');

    const unknownControl = await post({
      profile: {
        uuid,
        metadata,
        imports: [
          { href: 'citywall-city-baseline_catalog.json', 'include-controls': [{ 'with-ids': ['GV-99'] }] },
        ],
      },
    });
    expect(unknownControl.statusCode).toBe(422);
    expect(unknownControl.json().code).toBe('unknown-control');
    expect(unknownControl.json().detail).toContain('GV-99');

    const unresolvable = await post({
      profile: { uuid, metadata, imports: [{ href: 'somewhere-else.json', 'include-all': {} }] },
    });
    expect(unresolvable.statusCode).toBe(422);
    expect(unresolvable.json().code).toBe('unresolvable-import');

    const notOscal = await post({ hello: 'world' });
    expect(notOscal.statusCode).toBe(422);
    expect(notOscal.json().code).toBe('wrong-document-type');

    const badJson = await env.call(admin, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: '{"catalog": ',
    });
    expect(badJson.statusCode).toBe(400);

    const huge = await env.call(admin, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: `{"catalog":{"x":"${'a'.repeat(50 * 1024 * 1024)}"}}`,
    });
    expect(huge.statusCode).toBe(413);

    const again = await env.call(admin, {
      method: 'GET',
      url: `/api/v1/orgs/${org.id}/catalogs/${docs[0].id}/oscal`,
    });
    const duplicate = await env.call(admin, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: again.body,
    });
    expect(duplicate.statusCode).toBe(409);
    expect(await documentCount(admin, org.id)).toBe(4);
  });

  it('lets only data.admin import and delete; viewers read; strangers see nothing', async () => {
    const { org, admin } = await city('Roles City');
    const docs = await install(admin, org.id);
    const contributor = await env.user('contrib@roles-baseline.test', { orgId: org.id, role: 'contributor' });
    const viewer = await env.user('viewer@roles-baseline.test', { orgId: org.id, role: 'viewer' });
    const stranger = (await city('Stranger City')).admin;
    const url = `/api/v1/orgs/${org.id}/catalogs`;
    expect(
      (await env.call(contributor, { method: 'POST', url: `${url}/city-baseline`, payload: {} })).statusCode,
    ).toBe(403);
    expect((await env.call(viewer, { method: 'GET', url })).json().total).toBe(4);
    expect((await env.call(stranger, { method: 'GET', url })).statusCode).toBe(404);
    expect((await env.call(stranger, { method: 'GET', url: `${url}/${docs[0].id}/oscal` })).statusCode).toBe(
      404,
    );
    expect((await env.call(viewer, { method: 'DELETE', url: `${url}/${docs[3].id}` })).statusCode).toBe(403);
    expect((await env.call(admin, { method: 'DELETE', url: `${url}/${docs[3].id}` })).statusCode).toBe(204);
    expect(await documentCount(admin, org.id)).toBe(3);
  });
});

describe.skipIf(!existsSync(shared(NIST_CATALOG)))('NIST SP 800-53 rev5 (shared data)', () => {
  it('imports the catalog in under 3 s and resolves the MODERATE baseline', async () => {
    const { org, admin } = await city('Nist City');
    const text = readFileSync(shared(NIST_CATALOG), 'utf8');
    const t0 = performance.now();
    const res = await env.call(admin, {
      method: 'POST',
      url: `/api/v1/orgs/${org.id}/catalogs?name=${NIST_CATALOG}`,
      headers: { 'content-type': 'application/json' },
      payload: text,
    });
    const ms = performance.now() - t0;
    console.info(`SP 800-53 rev5 import over the API: ${ms.toFixed(0)} ms`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    expect(res.json().controlCount).toBe(1189);
    expect(ms).toBeLessThan(3000);

    const moderate = readFileSync(shared('NIST_SP-800-53_rev5_MODERATE-baseline_profile.json'), 'utf8');
    const t1 = performance.now();
    const profile = await env.call(admin, {
      method: 'POST',
      url: `/api/v1/orgs/${org.id}/catalogs?name=NIST_SP-800-53_rev5_MODERATE-baseline_profile.json`,
      headers: { 'content-type': 'application/json' },
      payload: moderate,
    });
    console.info(
      `SP 800-53 rev5 MODERATE import (resolved at import): ${(performance.now() - t1).toFixed(0)} ms`,
    );
    expect(profile.statusCode, profile.body.slice(0, 300)).toBe(201);
    expect(profile.json().controlCount).toBe(287);

    const t2 = performance.now();
    const resolved = await env.call(admin, {
      method: 'GET',
      url: `/api/v1/orgs/${org.id}/catalogs/${profile.json().id}/resolved`,
    });
    const resolveMs = performance.now() - t2;
    console.info(`SP 800-53 rev5 MODERATE resolve + export over the API: ${resolveMs.toFixed(0)} ms`);
    expect(resolved.statusCode).toBe(200);
    expect(resolveMs).toBeLessThan(1000);

    const search = await env.call(admin, {
      method: 'GET',
      url: `/api/v1/orgs/${org.id}/catalogs/${res.json().id}/controls?q=AC-2(1)`,
    });
    expect(search.json().items[0]).toMatchObject({ controlId: 'ac-2.1', parentId: 'ac-2', groupId: 'ac' });

    const exported = await env.call(admin, {
      method: 'GET',
      url: `/api/v1/orgs/${org.id}/catalogs/${res.json().id}/oscal`,
    });
    expect(parseCatalog(exported.body)).toEqual(parseCatalog(text));

    const notAssessable = await env.call(admin, {
      method: 'POST',
      url: `/api/v1/orgs/${org.id}/assessments`,
      payload: { title: 'Try 800-53', documentId: res.json().id },
    });
    expect(notAssessable.statusCode).toBe(422);
    expect(notAssessable.json().detail).toContain('CSF 2.0 function');
  });
});
