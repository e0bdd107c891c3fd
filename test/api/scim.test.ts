import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';

/** SCIM 2.0 over real HTTP, with requests shaped as Microsoft Entra ID and Okta send them. */
let env: TestEnv;
let origin: string;
let orgId: string;
let itDept: string;
let manager: TestUser;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

beforeAll(async () => {
  env = await testEnv();
  const city = await env.org('Scim City');
  orgId = city.id;
  itDept = (await env.org('Information Technology', 'department', city.id)).id;
  manager = await env.user('idp@scim.test', { orgId, role: 'admin' });
  origin = await env.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => env?.close());

async function scim(user: TestUser | null, method: string, path: string, body?: unknown, org = orgId) {
  const res = await fetch(`${origin}/scim/v2/orgs/${org}${path}`, {
    method,
    headers: {
      ...(user ? { authorization: `Bearer ${user.token}` } : {}),
      ...(body ? { 'content-type': 'application/scim+json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : null,
  };
}

describe('SCIM provisioning as Entra ID does it', () => {
  it('finds nothing, creates, patches to inactive, and deletes', async () => {
    const userName = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@scim.test';
    const miss = await scim(
      manager,
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
    );
    expect(miss.status).toBe(200);
    expect(miss.type).toMatch(/^application\/scim\+json/);
    expect(miss.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      Resources: [],
    });

    const created = await scim(manager, 'POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName,
      active: true,
      emails: [{ primary: true, type: 'work', value: 'ana.ruiz@scim.test' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Ana Ruiz', familyName: 'Ruiz', givenName: 'Ana' },
      roles: [],
      title: 'Network engineer',
      [ENTERPRISE]: { department: 'Information Technology' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      userName,
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      displayName: 'Ana Ruiz',
      title: 'Network engineer',
      active: true,
      emails: [{ value: 'ana.ruiz@scim.test', primary: true }],
      [ENTERPRISE]: { department: 'Information Technology' },
      meta: { resourceType: 'User', location: `${origin}/scim/v2/orgs/${orgId}/Users/${id}` },
    });

    const found = await scim(
      manager,
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
    );
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(id);

    const dup = await scim(manager, 'POST', '/Users', { schemas: [USER], userName });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });

    const patched = await scim(manager, 'PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'ana@scim.test' },
        { op: 'Replace', path: 'name.familyName', value: 'Ruiz-Lopez' },
        { op: 'Replace', path: 'active', value: 'False' },
      ],
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({
      active: false,
      name: { familyName: 'Ruiz-Lopez' },
      emails: [{ value: 'ana@scim.test' }],
    });

    // The person is staff data in the organization, readable by the REST API.
    const person = await env.call(manager, {
      method: 'GET',
      url: `/api/v1/orgs/${orgId}/workforce/people/${id}`,
    });
    expect(person.json()).toMatchObject({ active: false, departmentOrgId: itDept, email: 'ana@scim.test' });

    expect((await scim(manager, 'DELETE', `/Users/${id}`)).status).toBe(204);
    const gone = await scim(manager, 'GET', `/Users/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ schemas: [ERROR], status: '404' });
  });
});

describe('SCIM provisioning as Okta does it', () => {
  it('pages with startIndex/count, replaces with PUT and deactivates with a path-less PATCH', async () => {
    for (const u of ['okta.one', 'okta.two', 'okta.three']) {
      const r = await scim(manager, 'POST', '/Users', {
        schemas: [USER],
        userName: `${u}@scim.test`,
        name: { givenName: u, familyName: 'Okta' },
        emails: [{ primary: true, value: `${u}@scim.test`, type: 'work' }],
        displayName: `${u} Okta`,
        active: true,
      });
      expect(r.status).toBe(201);
    }
    const page = await scim(manager, 'GET', '/Users?startIndex=2&count=2');
    expect(page.body).toMatchObject({ startIndex: 2, itemsPerPage: 2 });
    expect(page.body.totalResults).toBeGreaterThanOrEqual(3);
    const one = (
      await scim(manager, 'GET', `/Users?filter=${encodeURIComponent('userName eq "okta.one@scim.test"')}`)
    ).body.Resources[0];
    const put = await scim(manager, 'PUT', `/Users/${one.id}`, {
      schemas: [USER],
      id: one.id,
      userName: 'okta.one@scim.test',
      name: { givenName: 'Uno', familyName: 'Okta' },
      emails: [{ primary: true, value: 'uno@scim.test', type: 'work' }],
      displayName: 'Uno Okta',
      active: true,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Uno Okta', emails: [{ value: 'uno@scim.test' }] });
    const off = await scim(manager, 'PATCH', `/Users/${one.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(off.body.active).toBe(false);
  });
});

describe('SCIM refusals', () => {
  it('answers unsupported filters, schemas and departments with SCIM errors and writes nothing', async () => {
    const before = (await scim(manager, 'GET', '/Users')).body.totalResults;
    const filter = await scim(manager, 'GET', `/Users?filter=${encodeURIComponent('displayName co "a"')}`);
    expect(filter.status).toBe(400);
    expect(filter.type).toMatch(/^application\/scim\+json/);
    expect(filter.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidFilter' });
    const schema = await scim(manager, 'POST', '/Users', {
      schemas: [USER, 'urn:example:params:scim:schemas:extension:Custom'],
      userName: 'x@scim.test',
    });
    expect(schema.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(schema.body.detail).toContain('urn:example:params:scim:schemas:extension:Custom');
    const noSchema = await scim(manager, 'POST', '/Users', { userName: 'y@scim.test' });
    expect(noSchema.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    const dept = await scim(manager, 'POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      userName: 'z@scim.test',
      [ENTERPRISE]: { department: 'Parks' },
    });
    expect(dept.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(dept.body.detail).toContain('Unknown department "Parks"');
    const badOp = await scim(manager, 'PATCH', '/Users/00000000-0000-4000-8000-000000000000', {
      schemas: [PATCH],
      Operations: [{ op: 'move', path: 'active' }],
    });
    expect(badOp.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect((await scim(manager, 'GET', '/Users')).body.totalResults).toBe(before);
  });

  it('needs a write token of a user who manages members of the organization', async () => {
    const body = { schemas: [USER], userName: 'nope@scim.test' };
    const none = await scim(null, 'POST', '/Users', body);
    expect(none.status).toBe(401);
    expect(none.body.schemas).toEqual([ERROR]);
    const readOnly = await env.user('idp-read@scim.test', { orgId, role: 'admin' }, 'read');
    expect((await scim(readOnly, 'GET', '/Users')).status).toBe(403);
    const analyst = await env.user('analyst@scim.test', { orgId, role: 'analyst' });
    expect((await scim(analyst, 'POST', '/Users', body)).status).toBe(403);
    const other = await env.org('Other Scim City');
    const foreign = await scim(manager, 'GET', '/Users', undefined, other.id);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ schemas: [ERROR], status: '404' });
    expect(
      (await scim(manager, 'GET', `/Users?filter=${encodeURIComponent('userName eq "nope@scim.test"')}`)).body
        .totalResults,
    ).toBe(0);
  });
});
