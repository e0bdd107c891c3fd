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

    const selfImport = await env.call(admin, {
      method: 'POST',
      url: `${url}?name=loop.json`,
      payload: { profile: { uuid, metadata, imports: [{ href: 'loop.json', 'include-all': {} }] } },
    });
    expect(selfImport.statusCode).toBe(422);
    expect(selfImport.json().code).toBe('circular-import');
    expect(selfImport.json().errors[0]).toMatchObject({
      path: 'profile.imports[0].href',
      message: expect.stringContaining('circular import: "Bad"'),
    });
    // A loop through a stored profile: b.json imports a.json; a.json is later replaced by a profile importing
    // b.json.
    const tier1 = docs.find((d) => d.kind === 'profile') as Doc;
    const aId = (
      await env.call(admin, {
        method: 'POST',
        url: `${url}?name=a.json`,
        headers: { 'content-type': 'application/json' },
        payload: (await env.call(admin, { method: 'GET', url: `${url}/${tier1.id}/resolved` })).body,
      })
    ).json().id;
    const bUuid = '11111111-2222-4333-8444-666666666666';
    const b = await env.call(admin, {
      method: 'POST',
      url: `${url}?name=b.json`,
      payload: {
        profile: {
          uuid: bUuid,
          metadata: { ...metadata, title: 'B' },
          imports: [{ href: 'a.json', 'include-all': {} }],
        },
      },
    });
    expect(b.statusCode, b.body).toBe(201);
    expect((await env.call(admin, { method: 'DELETE', url: `${url}/${aId}` })).statusCode).toBe(204);
    const loop = await env.call(admin, {
      method: 'POST',
      url: `${url}?name=a.json`,
      payload: {
        profile: {
          uuid,
          metadata: { ...metadata, title: 'A' },
          imports: [{ href: 'b.json', 'include-all': {} }],
        },
      },
    });
    expect(loop.statusCode).toBe(422);
    expect(loop.json().code).toBe('circular-import');
    expect(loop.json().detail).toContain('"A" (11111111-2222-4333-8444-555555555555) → "B"');
    expect((await env.call(admin, { method: 'DELETE', url: `${url}/${b.json().id}` })).statusCode).toBe(204);

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
  // Speed is measured in bench/baselines.bench.ts (npm run bench -- baselines), not asserted here.
  it('imports the catalog, resolves the MODERATE baseline and exports both', async () => {
    const { org, admin } = await city('Nist City');
    const text = readFileSync(shared(NIST_CATALOG), 'utf8');
    const res = await env.call(admin, {
      method: 'POST',
      url: `/api/v1/orgs/${org.id}/catalogs?name=${NIST_CATALOG}`,
      headers: { 'content-type': 'application/json' },
      payload: text,
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    expect(res.json().controlCount).toBe(1189);

    const moderate = readFileSync(shared('NIST_SP-800-53_rev5_MODERATE-baseline_profile.json'), 'utf8');
    const profile = await env.call(admin, {
      method: 'POST',
      url: `/api/v1/orgs/${org.id}/catalogs?name=NIST_SP-800-53_rev5_MODERATE-baseline_profile.json`,
      headers: { 'content-type': 'application/json' },
      payload: moderate,
    });
    expect(profile.statusCode, profile.body.slice(0, 300)).toBe(201);
    expect(profile.json().controlCount).toBe(287);

    const resolved = await env.call(admin, {
      method: 'GET',
      url: `/api/v1/orgs/${org.id}/catalogs/${profile.json().id}/resolved`,
    });
    expect(resolved.statusCode).toBe(200);
    expect(parseCatalog(resolved.body).metadata.title).toContain('MODERATE');

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

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

function multipart(fields: Record<string, string>, file?: { name: string; type: string; content: Buffer }) {
  const boundary = '----citywall-test-boundary';
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe('assessments', () => {
  let org: { id: string };
  let admin: TestUser;
  let contributor: TestUser;
  let viewer: TestUser;
  let water: { id: string };
  let it_: { id: string };
  let catalogId: string;
  let assessmentId: string;
  const base = () => `/api/v1/orgs/${org.id}/assessments`;
  const foundational = CITY_BASELINE_REQUIREMENTS.filter((r) => r.tier === 'foundational');

  beforeAll(async () => {
    const c = await city('Assess City');
    org = c.org;
    admin = c.admin;
    water = await env.org('Assess Water', 'department', org.id);
    it_ = await env.org('Assess IT', 'department', org.id);
    contributor = await env.user('contrib@assess.test', { orgId: org.id, role: 'contributor' });
    viewer = await env.user('viewer@assess.test', { orgId: org.id, role: 'viewer' });
    catalogId = (await install(admin, org.id))[0].id;
    const res = await env.call(contributor, {
      method: 'POST',
      url: base(),
      payload: {
        title: 'City Baseline 2026',
        documentId: catalogId,
        departmentIds: [water.id, it_.id],
        targetTier: 'foundational',
        targetMaturity: 3,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    assessmentId = res.json().id;
  });

  const answer = (user: TestUser, payload: Record<string, unknown>) =>
    env.call(user, { method: 'PUT', url: `${base()}/${assessmentId}/results`, payload });

  it('records answers as the assessor goes, and shows progress', async () => {
    const first = await answer(contributor, {
      requirementId: foundational[0].id,
      departmentId: water.id,
      status: 'implemented',
      maturity: 3,
      notes: 'Checked the asset register',
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      status: 'implemented',
      effectiveStatus: 'implemented',
      assessor: 'contrib',
    });
    const changed = await answer(contributor, {
      requirementId: foundational[0].id,
      departmentId: water.id,
      status: 'partially-implemented',
      maturity: 2,
      actionOwner: 'Water plant manager',
      actionDue: '2026-12-31T00:00:00Z',
    });
    expect(changed.json().id).toBe(first.json().id);
    expect(changed.json()).toMatchObject({
      actionOwner: 'Water plant manager',
      actionDue: '2026-12-31T00:00:00.000Z',
    });
    await answer(contributor, {
      requirementId: foundational[1].id,
      departmentId: it_.id,
      status: 'not-applicable',
      notApplicableReason: 'Handled by the county',
    });
    const detail = (await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}` })).json();
    expect(detail.progress).toEqual({ answered: 2, total: CITY_BASELINE_REQUIREMENTS.length * 2 });
    expect(detail.departments.map((d: { name: string }) => d.name)).toEqual(['Assess Water', 'Assess IT']);
    expect(detail.requirements[0]).toMatchObject({ id: CITY_BASELINE_REQUIREMENTS[0].id, function: 'GV' });
  });

  it('refuses bad answers precisely and keeps the previous one', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { requirementId: foundational[2].id, departmentId: water.id, status: 'not-applicable' },
        422,
        'notApplicableReason',
      ],
      [
        { requirementId: foundational[2].id, departmentId: water.id, status: 'implemented', maturity: 5 },
        422,
        'maturity',
      ],
      [{ requirementId: 'XX-99', departmentId: water.id, status: 'implemented' }, 422, 'requirementId'],
      [
        { requirementId: foundational[2].id, departmentId: org.id, status: 'implemented' },
        422,
        'departmentId',
      ],
      [{ requirementId: foundational[2].id, departmentId: water.id, status: 'needs-review' }, 422, 'status'],
      [
        { requirementId: foundational[2].id, departmentId: water.id, status: 'implemented', extra: 1 },
        422,
        '',
      ],
    ];
    for (const [payload, status, path] of cases) {
      const res = await answer(contributor, payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      if (path)
        expect(
          res
            .json()
            .errors.map((e: { path: string }) => e.path)
            .join(),
        ).toContain(path);
    }
    expect(
      (await answer(viewer, { requirementId: foundational[2].id, departmentId: water.id, status: 'planned' }))
        .statusCode,
    ).toBe(403);
    const detail = (await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}` })).json();
    expect(detail.progress.answered).toBe(2);
  });

  it('takes evidence files and links; expired evidence downgrades to needs review', async () => {
    const reqId = foundational[3].id;
    await answer(contributor, {
      requirementId: reqId,
      departmentId: it_.id,
      status: 'implemented',
      maturity: 3,
    });
    const fields = {
      requirementId: reqId,
      departmentId: it_.id,
      title: 'Backup restore test report',
      effectiveDate: '2025-01-10T00:00:00Z',
      expiresAt: '2025-12-31T00:00:00Z',
    };
    const upload = await env.call(contributor, {
      method: 'POST',
      url: `${base()}/${assessmentId}/evidence/files`,
      ...multipart(fields, { name: 'restore-test.pdf', type: 'application/pdf', content: PDF }),
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const { createHash } = await import('node:crypto');
    expect(upload.json()).toMatchObject({
      kind: 'file',
      size: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
      expired: true,
    });
    const content = await env.call(viewer, {
      method: 'GET',
      url: `${base()}/${assessmentId}/evidence/${upload.json().id}/content`,
    });
    expect(content.rawPayload.equals(PDF)).toBe(true);
    expect(content.headers['content-type']).toBe('application/pdf');

    const detail = (await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}` })).json();
    const result = detail.results.find((r: { requirementId: string }) => r.requirementId === reqId);
    expect(result).toMatchObject({ status: 'implemented', effectiveStatus: 'needs-review' });
    expect(result.downgradeReason).toContain('evidence expired: "Backup restore test report" on 2025-12-31');
    const gaps = (await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}/gaps` })).json()
      .items;
    const gap = gaps.find(
      (g: { requirementId: string; department: string }) =>
        g.requirementId === reqId && g.department === 'Assess IT',
    );
    expect(gap.reasons.join()).toContain('evidence expired');

    const link = await env.call(contributor, {
      method: 'POST',
      url: `${base()}/${assessmentId}/evidence/links`,
      payload: {
        ...fields,
        title: 'Renewed test in the wiki',
        url: 'https://wiki.example.test/restore',
        effectiveDate: '2026-01-15T00:00:00Z',
        expiresAt: '2099-01-01T00:00:00Z',
      },
    });
    expect(link.statusCode, link.body).toBe(201);
    const after = (await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}` })).json();
    expect(
      after.results.find((r: { requirementId: string }) => r.requirementId === reqId).effectiveStatus,
    ).toBe('implemented');

    const expiring = (
      await env.call(viewer, { method: 'GET', url: `/api/v1/orgs/${org.id}/evidence/expiring?days=30` })
    ).json();
    expect(expiring.items.map((e: { title: string }) => e.title)).toEqual(['Backup restore test report']);
    expect(expiring.items[0]).toMatchObject({
      requirementId: reqId,
      assessmentTitle: 'City Baseline 2026',
      expired: true,
    });
  });

  it('refuses forbidden, disguised, oversized and orphan evidence, writing nothing', async () => {
    const reqId = foundational[3].id;
    const fields = {
      requirementId: reqId,
      departmentId: it_.id,
      title: 'x',
      effectiveDate: '2026-01-01T00:00:00Z',
    };
    const url = `${base()}/${assessmentId}/evidence/files`;
    const exe = await env.call(contributor, {
      method: 'POST',
      url,
      ...multipart(fields, {
        name: 'tool.exe',
        type: 'application/x-msdownload',
        content: Buffer.from('MZ'),
      }),
    });
    expect(exe.statusCode).toBe(415);
    const disguised = await env.call(contributor, {
      method: 'POST',
      url,
      ...multipart(fields, {
        name: 'report.pdf',
        type: 'application/pdf',
        content: Buffer.from('MZ not a pdf'),
      }),
    });
    expect(disguised.statusCode).toBe(415);
    expect(disguised.json().detail).toContain('not a application/pdf file');
    const big = await env.call(contributor, {
      method: 'POST',
      url,
      ...multipart(fields, {
        name: 'big.txt',
        type: 'text/plain',
        content: Buffer.alloc(11 * 1024 * 1024, 97),
      }),
    });
    expect(big.statusCode).toBe(413);
    const noFile = await env.call(contributor, { method: 'POST', url, ...multipart(fields) });
    expect(noFile.statusCode).toBe(422);
    const badDates = await env.call(contributor, {
      method: 'POST',
      url,
      ...multipart(
        { ...fields, expiresAt: '2025-01-01T00:00:00Z' },
        { name: 'a.txt', type: 'text/plain', content: Buffer.from('ok') },
      ),
    });
    expect(badDates.statusCode).toBe(422);
    const orphan = await env.call(contributor, {
      method: 'POST',
      url,
      ...multipart(
        { ...fields, requirementId: foundational[5].id },
        { name: 'a.txt', type: 'text/plain', content: Buffer.from('ok') },
      ),
    });
    expect(orphan.statusCode).toBe(409);
    const json = await env.call(contributor, { method: 'POST', url, payload: { requirementId: reqId } });
    expect(json.statusCode).toBe(415);
    const viewerUpload = await env.call(viewer, {
      method: 'POST',
      url,
      ...multipart(fields, { name: 'a.txt', type: 'text/plain', content: Buffer.from('ok') }),
    });
    expect(viewerUpload.statusCode).toBe(403);
    const detail = (await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}` })).json();
    expect(detail.results.flatMap((r: { evidence: unknown[] }) => r.evidence)).toHaveLength(2);
  });

  it('scores by function, tier and department, with a function × department heat map', async () => {
    const score = (await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}/score` })).json();
    expect(score.byDepartment.map((d: { name: string }) => d.name)).toEqual(['Assess Water', 'Assess IT']);
    expect(score.heatMap).toHaveLength(12);
    const total = CITY_BASELINE_REQUIREMENTS.length;
    expect(score.overall.total).toBe(total * 2);
    // One partially implemented of the water department's applicable requirements: 0.5 / total.
    expect(score.byDepartment[0].score.implementationScore).toBe(Math.round((1000 * 0.5) / total) / 10);
    const waterGv = score.heatMap.find(
      (h: { department: string; function: string }) =>
        h.department === 'Assess Water' && h.function === foundational[0].function,
    );
    expect(waterGv.implementationScore).toBeGreaterThan(0);
    expect(score.byTier.foundational.counts['not-applicable']).toBe(1);
  });

  it('shows NIST CSF 2.0 coverage per department through the mappings', async () => {
    const res = await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}/csf-coverage` });
    expect(res.statusCode, res.body).toBe(200);
    const [waterCov, itCov] = res.json().departments;
    expect(waterCov.name).toBe('Assess Water');
    expect(waterCov.subcategories).toHaveLength(106);
    const touched = Object.keys(foundational[0].csf);
    const states = waterCov.subcategories.filter((s: { id: string }) => touched.includes(s.id));
    expect(states.every((s: { state: string }) => s.state !== 'not-assessed' && s.state !== 'unmapped')).toBe(
      true,
    );
    expect(waterCov.counts.covered + waterCov.counts.partial).toBeGreaterThan(0);
    expect(itCov.counts['not-assessed']).toBeGreaterThan(50);
  });

  it('lists gaps below the target, most severe first', async () => {
    const gaps = (await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}/gaps` })).json()
      .items;
    expect(gaps.every((g: { tier: string }) => g.tier === 'foundational')).toBe(true);
    expect(
      gaps.some(
        (g: { requirementId: string; department: string }) =>
          g.requirementId === foundational[1].id && g.department === 'Assess IT',
      ),
    ).toBe(false);
    const partial = gaps.find(
      (g: { requirementId: string; department: string }) =>
        g.requirementId === foundational[0].id && g.department === 'Assess Water',
    );
    expect(partial).toMatchObject({
      actionOwner: 'Water plant manager',
      actionDue: '2026-12-31T00:00:00.000Z',
    });
    expect(partial.reasons).toEqual([
      'status is partially-implemented',
      'maturity Risk Informed is below target Repeatable',
    ]);
    expect(gaps[0].severity).toBe('critical');
  });

  it('exports OSCAL assessment results, a POA&M and an XLSX deficiency workbook', async () => {
    const ar = await env.call(viewer, {
      method: 'GET',
      url: `${base()}/${assessmentId}/export/assessment-results`,
    });
    expect(ar.statusCode, ar.body).toBe(200);
    const doc = JSON.parse(ar.body);
    expect(assessmentResultsSchema.safeParse(doc).success).toBe(true);
    const findings = doc['assessment-results'].results[0].findings;
    expect(findings).toHaveLength(3);
    expect(doc['assessment-results'].results[0].observations).toHaveLength(2);

    const poam = await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}/export/poam` });
    const p = JSON.parse(poam.body);
    expect(poamSchema.safeParse(p).success).toBe(true);
    const gaps = (await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}/gaps` })).json()
      .items;
    expect(p['plan-of-action-and-milestones']['poam-items']).toHaveLength(gaps.length);
    const risks = p['plan-of-action-and-milestones'].risks;
    expect(risks).toHaveLength(1);
    expect(risks[0].deadline).toBe('2026-12-31T00:00:00.000Z');
    expect(poam.body).toContain('Water plant manager');

    const xlsx = await env.call(viewer, {
      method: 'GET',
      url: `${base()}/${assessmentId}/export/deficiencies.xlsx`,
    });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Deficiencies');
    expect(sheet?.rowCount).toBe(gaps.length + 1);
    expect(sheet?.getRow(1).getCell(2).value).toBe('Requirement');
    const owners = sheet?.getColumn(13).values.filter(Boolean);
    expect(owners).toEqual(['Action owner', 'Water plant manager']);
  });

  it('starts the next cycle from the last and shows what changed', async () => {
    const next = await env.call(contributor, {
      method: 'POST',
      url: base(),
      payload: {
        title: 'City Baseline 2027',
        documentId: catalogId,
        departmentIds: [water.id, it_.id],
        previousId: assessmentId,
      },
    });
    expect(next.statusCode, next.body).toBe(201);
    const nextId = next.json().id;
    const detail = (await env.call(viewer, { method: 'GET', url: `${base()}/${nextId}` })).json();
    expect(detail.progress.answered).toBe(3);
    const carried = detail.results.find(
      (r: { requirementId: string; departmentId: string }) =>
        r.requirementId === foundational[0].id && r.departmentId === water.id,
    );
    expect(carried).toMatchObject({
      status: 'partially-implemented',
      maturity: 2,
      notes: '',
      assessor: null,
    });
    expect(detail.results.flatMap((r: { evidence: unknown[] }) => r.evidence)).toHaveLength(2);
    await env.call(contributor, {
      method: 'PUT',
      url: `${base()}/${nextId}/results`,
      payload: {
        requirementId: foundational[0].id,
        departmentId: water.id,
        status: 'implemented',
        maturity: 3,
      },
    });
    const changes = (await env.call(viewer, { method: 'GET', url: `${base()}/${nextId}/changes` })).json();
    expect(changes.summary.improved).toBe(1);
    expect(changes.previousTitle).toBe('City Baseline 2026');
    expect(changes.changes).toContainEqual({
      requirementId: foundational[0].id,
      title: foundational[0].title,
      department: 'Assess Water',
      kind: 'improved',
      maturityDelta: 1,
      before: { status: 'partially-implemented', maturity: 2 },
      after: { status: 'implemented', maturity: 3 },
    });
    expect(changes.scoreDelta.byDepartment.map((d: { name: string }) => d.name)).toEqual([
      'Assess Water',
      'Assess IT',
    ]);
    expect(
      (await env.call(viewer, { method: 'GET', url: `${base()}/${assessmentId}/changes` })).statusCode,
    ).toBe(409);
    const inUse = await env.call(admin, {
      method: 'DELETE',
      url: `/api/v1/orgs/${org.id}/catalogs/${catalogId}`,
    });
    expect(inUse.statusCode).toBe(409);
  });

  it('keeps assessments to their organization', async () => {
    const stranger = (await city('Nosy City')).admin;
    for (const url of [
      `${base()}/${assessmentId}`,
      `${base()}/${assessmentId}/export/assessment-results`,
      base(),
    ]) {
      expect((await env.call(stranger, { method: 'GET', url })).statusCode).toBe(404);
    }
    const other = await city('Other Assess City');
    const otherDept = await env.org('Other Dept', 'department', other.org.id);
    const cross = await env.call(admin, {
      method: 'POST',
      url: base(),
      payload: { title: 'Cross', documentId: catalogId, departmentIds: [otherDept.id] },
    });
    expect(cross.statusCode).toBe(422);
    expect(cross.json().errors[0].path).toBe('departmentIds[0]');
    const wrongDoc = await env.call(other.admin, {
      method: 'POST',
      url: `/api/v1/orgs/${other.org.id}/assessments`,
      payload: { title: 'Borrowed', documentId: catalogId },
    });
    expect(wrongDoc.statusCode).toBe(422);
    expect(
      (await env.call(other.admin, { method: 'GET', url: `/api/v1/orgs/${other.org.id}/assessments` })).json()
        .total,
    ).toBe(0);
  });
});

describe('Example City sample', () => {
  it('assesses the City Baseline for two departments, partly complete', async () => {
    const { loadExampleCity } = await import('../../src/server/sample/example-city.js');
    const sample = await env.database.db.transaction((tx) => loadExampleCity(tx, env.admin.id));
    const base = `/api/v1/orgs/${sample.orgIds.city}`;
    const docs = (await env.call(env.admin, { method: 'GET', url: `${base}/catalogs` })).json();
    expect(docs.items.map((d: Doc) => d.kind)).toEqual(['catalog', 'profile', 'profile', 'profile']);
    const [assessment] = (await env.call(env.admin, { method: 'GET', url: `${base}/assessments` })).json()
      .items;
    const detail = (
      await env.call(env.admin, { method: 'GET', url: `${base}/assessments/${assessment.id}` })
    ).json();
    expect(detail.departments.map((d: { name: string }) => d.name)).toEqual([
      'Information Technology',
      'Water and Wastewater',
    ]);
    expect(detail.progress.answered).toBeGreaterThan(detail.progress.total / 3);
    expect(detail.progress.answered).toBeLessThan(detail.progress.total);
    const downgraded = detail.results.filter(
      (r: { effectiveStatus: string }) => r.effectiveStatus === 'needs-review',
    );
    expect(downgraded).toHaveLength(1);
    const score = (
      await env.call(env.admin, { method: 'GET', url: `${base}/assessments/${assessment.id}/score` })
    ).json();
    const [itScore, waterScore] = score.byDepartment.map(
      (d: { score: { implementationScore: number } }) => d.score.implementationScore,
    );
    expect(itScore).toBeGreaterThan(waterScore);
    expect(waterScore).toBeGreaterThan(0);
    // The 2026 cycle follows a closed 2025 one: what improved, and the trend over both.
    expect(assessment.previousId).not.toBeNull();
    const changes = (
      await env.call(env.admin, { method: 'GET', url: `${base}/assessments/${assessment.id}/changes` })
    ).json();
    expect(changes.previousTitle).toBe('Sample: City Baseline self-assessment 2025 (IT and Water)');
    expect(changes.summary.improved).toBeGreaterThan(5);
    expect(changes.summary.regressed).toBe(1);
    const trend = (
      await env.call(env.admin, { method: 'GET', url: `${base}/assessments/${assessment.id}/trend` })
    ).json();
    expect(trend.cycles.map((c: { status: string }) => c.status)).toEqual(['closed', 'open']);
    expect(trend.cycles[1].overall.implementationScore).toBeGreaterThan(
      trend.cycles[0].overall.implementationScore,
    );
    const expiring = (
      await env.call(env.admin, { method: 'GET', url: `${base}/evidence/expiring?days=30` })
    ).json();
    expect(expiring.items.map((e: { title: string }) => e.title)).toEqual([
      'Sample: phishing exercise results',
      'Sample: SCADA remote access register',
    ]);
  });
});
