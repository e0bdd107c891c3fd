import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditService } from '../../src/server/modules/audit/audit.service.js';
import { type TestEnv, testEnv } from '../helpers/app.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(() => env?.close());

describe('organizations', () => {
  it('form a tree; a city admin manages its departments but not its parent', async () => {
    const region = await env.org('Tree Region', 'region');
    const city = (
      await env.call(env.admin, {
        method: 'POST',
        url: '/api/v1/orgs',
        payload: { parentId: region.id, kind: 'city', name: 'Tree City' },
      })
    ).json();
    expect(city.slug).toBe('tree-city');
    const cityAdmin = await env.user('admin@tree.test', { orgId: city.id, role: 'admin', inherit: true });
    const dept = await env.call(cityAdmin, {
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { parentId: city.id, kind: 'department', name: 'Tree Water' },
    });
    expect(dept.statusCode).toBe(201);
    const list = (await env.call(cityAdmin, { method: 'GET', url: '/api/v1/orgs' })).json().items;
    expect(list.map((o: { name: string }) => o.name)).toEqual(['Tree City', 'Tree Water']);
    expect(list[1].roles).toEqual(['admin']);
    expect(list[1].depth).toBe(list[0].depth + 1);
    const sibling = await env.call(cityAdmin, {
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { parentId: region.id, kind: 'city', name: 'Other' },
    });
    expect(sibling.statusCode).toBe(404);
    const root = await env.call(cityAdmin, {
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { kind: 'nation', name: 'Rogue' },
    });
    expect(root.statusCode).toBe(403);
  });

  it('does not inherit roles down the tree unless granted', async () => {
    const city = await env.org('Inherit City');
    const dept = await env.org('Inherit Dept', 'department', city.id);
    const flat = await env.user('flat@inherit.test', { orgId: city.id, role: 'viewer', inherit: false });
    expect((await env.call(flat, { method: 'GET', url: `/api/v1/orgs/${dept.id}` })).statusCode).toBe(404);
    const deep = await env.user('deep@inherit.test', { orgId: city.id, role: 'viewer', inherit: true });
    expect((await env.call(deep, { method: 'GET', url: `/api/v1/orgs/${dept.id}` })).statusCode).toBe(200);
  });

  it('refuses a duplicate slug and a department without a parent', async () => {
    await env.org('Dup');
    const dup = await env.call(env.admin, {
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { kind: 'city', name: 'Dup 2', slug: 'dup-2' },
    });
    expect(dup.statusCode).toBe(201);
    const again = await env.call(env.admin, {
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { kind: 'city', name: 'Dup 3', slug: 'dup-2' },
    });
    expect(again.statusCode).toBe(409);
    const dept = await env.call(env.admin, {
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { kind: 'department', name: 'Orphan' },
    });
    expect(dept.statusCode).toBe(422);
  });

  it('will not delete an organization with children', async () => {
    const city = await env.org('Del City');
    await env.org('Del Dept', 'department', city.id);
    const res = await env.call(env.admin, { method: 'DELETE', url: `/api/v1/orgs/${city.id}` });
    expect(res.statusCode).toBe(409);
  });
});

describe('members', () => {
  it('adds a new person with a one-time password that signs in once', async () => {
    const city = await env.org('Member City');
    const res = await env.call(env.admin, {
      method: 'POST',
      url: `/api/v1/orgs/${city.id}/members`,
      payload: { email: 'new@member.test', role: 'analyst' },
    });
    expect(res.statusCode).toBe(201);
    const { result, oneTimePassword } = res.json();
    expect(result.role).toBe('analyst');
    expect(oneTimePassword).toMatch(/^[a-z0-9]{5}(-[a-z0-9]{5}){3}$/);
    const login = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'new@member.test', password: oneTimePassword },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
    const again = await env.call(env.admin, {
      method: 'POST',
      url: `/api/v1/orgs/${city.id}/members`,
      payload: { email: 'new@member.test', role: 'viewer' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('keeps the last administrator', async () => {
    const city = await env.org('Last Admin City');
    const added = (
      await env.call(env.admin, {
        method: 'POST',
        url: `/api/v1/orgs/${city.id}/members`,
        payload: { email: 'only@admin.test', role: 'admin' },
      })
    ).json();
    const demote = await env.call(env.admin, {
      method: 'PATCH',
      url: `/api/v1/orgs/${city.id}/members/${added.result.id}`,
      payload: { role: 'viewer' },
    });
    expect(demote.statusCode).toBe(409);
    const remove = await env.call(env.admin, {
      method: 'DELETE',
      url: `/api/v1/orgs/${city.id}/members/${added.result.id}`,
    });
    expect(remove.statusCode).toBe(409);
  });

  it('searches and pages members', async () => {
    const city = await env.org('Page City');
    for (let i = 0; i < 7; i++)
      await env.call(env.admin, {
        method: 'POST',
        url: `/api/v1/orgs/${city.id}/members`,
        payload: { email: `p${i}@page.test`, role: 'viewer' },
      });
    const page = (
      await env.call(env.admin, { method: 'GET', url: `/api/v1/orgs/${city.id}/members?limit=3&offset=3` })
    ).json();
    expect(page.total).toBe(7);
    expect(page.items.map((m: { user: { email: string } }) => m.user.email)).toEqual([
      'p3@page.test',
      'p4@page.test',
      'p5@page.test',
    ]);
    const found = (
      await env.call(env.admin, { method: 'GET', url: `/api/v1/orgs/${city.id}/members?q=p6` })
    ).json();
    expect(found.items).toHaveLength(1);
  });
});

describe('users (instance administration)', () => {
  it('creates, disables and resets users; refuses to disable oneself', async () => {
    const created = await env.call(env.admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'u1@inst.test', name: 'U One' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().result.id;
    const disabled = await env.call(env.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      payload: { disabled: true },
    });
    expect(disabled.json().result.disabled).toBe(true);
    const login = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'u1@inst.test', password: created.json().oneTimePassword },
    });
    expect(login.statusCode).toBe(401);
    const reset = await env.call(env.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      payload: { resetPassword: true, disabled: false },
    });
    expect(reset.json().oneTimePassword).toBeTruthy();
    const self = await env.call(env.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${env.admin.id}`,
      payload: { disabled: true },
    });
    expect(self.statusCode).toBe(409);
  });
});

describe('audit', () => {
  it('records every change with actor, before and after, and never a secret', async () => {
    const city = await env.org('Audit City');
    const analyst = await env.user('aud@audit.test', { orgId: city.id, role: 'admin' });
    await env.call(analyst, {
      method: 'PATCH',
      url: `/api/v1/orgs/${city.id}`,
      headers: { 'x-request-id': 'req-audit-1' },
      payload: { description: 'Now described' },
    });
    const events = (
      await env.call(analyst, { method: 'GET', url: `/api/v1/orgs/${city.id}/audit?action=org.update` })
    ).json().items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorLabel: 'aud@audit.test',
      action: 'org.update',
      targetId: city.id,
      requestId: 'req-audit-1',
    });
    expect(events[0].before.description).toBe('');
    expect(events[0].after.description).toBe('Now described');
    await env.call(env.admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'secret@audit.test', name: 'S', password: 'a long enough password' },
    });
    const all = await env.call(env.admin, { method: 'GET', url: '/api/v1/audit?limit=500' });
    expect(all.body).not.toMatch(/scrypt\$|a long enough password/);
  });

  it('pages with a cursor', async () => {
    const first = (await env.call(env.admin, { method: 'GET', url: '/api/v1/audit?limit=2' })).json();
    expect(first.items).toHaveLength(2);
    const second = (
      await env.call(env.admin, { method: 'GET', url: `/api/v1/audit?limit=2&before=${first.nextBefore}` })
    ).json();
    expect(second.items[0].seq).toBeLessThan(first.items[1].seq);
  });

  it('verifies the chain and detects an edited, a deleted and a truncated event', async () => {
    const db = env.database.db;
    expect((await auditService.verify(db)).ok).toBe(true);
    const api = (await env.call(env.admin, { method: 'GET', url: '/api/v1/audit/verify' })).json();
    expect(api.ok).toBe(true);
    expect(api.checked).toBeGreaterThan(10);

    const original = (
      (await db.execute(`select action from audit_events where seq = 5` as never)) as unknown as {
        rows: { action: string }[];
      }
    ).rows[0].action;
    await db.execute(`update audit_events set action = 'org.tampered' where seq = 5` as never);
    let r = await auditService.verify(db);
    expect(r.ok).toBe(false);
    expect(r.problems.join()).toMatch(/#5 .*edited/);
    await db.execute(`update audit_events set action = '${original}' where seq = 5` as never);
    expect((await auditService.verify(db)).ok).toBe(true);

    const [victim] = (
      (await db.execute(
        `select seq from audit_events order by seq limit 1 offset 7` as never,
      )) as unknown as { rows: { seq: number }[] }
    ).rows;
    await db.execute(`delete from audit_events where seq = ${victim.seq}` as never);
    r = await auditService.verify(db);
    expect(r.ok).toBe(false);
    expect(r.problems.join()).toMatch(/deleted or reordered/);
  });

  it('detects events deleted from the end of the chain', async () => {
    const fresh = await testEnv();
    try {
      await fresh.org('Tail City');
      await fresh.org('Tail City 2');
      expect((await auditService.verify(fresh.database.db)).ok).toBe(true);
      await fresh.database.db.execute(
        `delete from audit_events where seq = (select max(seq) from audit_events)` as never,
      );
      const r = await auditService.verify(fresh.database.db);
      expect(r.ok).toBe(false);
      expect(r.problems.join()).toMatch(/at the end were deleted/);
    } finally {
      await fresh.close();
    }
  });
});

describe('concurrent writes', () => {
  it('answers 409, not 500, when two requests race for one slug', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        env.call(env.admin, {
          method: 'POST',
          url: '/api/v1/orgs',
          payload: { kind: 'city', name: 'Race City', slug: 'race-city' },
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(3);
  });
});
