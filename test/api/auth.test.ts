import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersRepository } from '../../src/server/modules/orgs/orgs.repository.js';
import { PASSWORD, type TestEnv, testEnv } from '../helpers/app.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv({ CITYWALL_BODY_LIMIT_MB: '0.01' });
});
afterAll(() => env?.close());

let ip = 0;
async function login(email: string, password = PASSWORD) {
  // A distinct address per attempt keeps the per-address rate limit out of tests about other rules.
  return env.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: `10.0.${Math.floor(++ip / 250)}.${ip % 250}`,
    payload: { email, password },
  });
}
function cookieOf(res: { headers: Record<string, unknown> }) {
  const set = String(res.headers['set-cookie']);
  return set.split(';')[0];
}

describe('sign-in and sessions', () => {
  it('signs in with email and password into an HTTP-only cookie and answers the session', async () => {
    const org = await env.org('Session City');
    await env.user('ana@city.test', { orgId: org.id, role: 'analyst' });
    const res = await login('ANA@city.test');
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/cw_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const body = res.json();
    expect(body.user.email).toBe('ana@city.test');
    expect(body.csrfToken).toMatch(/.{20,}/);
    expect(body.organizations.map((o: { id: string }) => o.id)).toEqual([org.id]);
    expect(JSON.stringify(body)).not.toMatch(/passwordHash|scrypt/);

    const session = await env.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: cookieOf(res) },
    });
    expect(session.statusCode).toBe(200);
    expect(session.json().csrfToken).toBe(body.csrfToken);
  });

  it('refuses a wrong password and an unknown email with the same message', async () => {
    const a = await login('ana@city.test', 'wrong password!!');
    const b = await login('nobody@city.test', 'wrong password!!');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().detail).toBe(b.json().detail);
    expect(a.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('requires the CSRF header for writes made with the session cookie', async () => {
    const res = await login('ana@city.test');
    const cookie = cookieOf(res);
    const without = await env.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie },
      payload: { name: 'x' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().detail).toMatch(/x-csrf-token/);
    const wrong = await env.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie, 'x-csrf-token': 'nope' },
      payload: { name: 'x' },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await env.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie, 'x-csrf-token': res.json().csrfToken },
      payload: { name: 'x' },
    });
    expect(right.statusCode).toBe(201);
  });

  it('signs out: the cookie no longer works', async () => {
    const res = await login('ana@city.test');
    const cookie = cookieOf(res);
    const out = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': res.json().csrfToken },
    });
    expect(out.statusCode).toBe(204);
    const after = await env.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('locks an account after five failed attempts, even for the right password', async () => {
    await env.user('lock@city.test');
    for (let i = 0; i < 5; i++)
      expect((await login('lock@city.test', `bad password ${i}`)).statusCode).toBe(401);
    const locked = await login('lock@city.test');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().detail).toMatch(/locked/);
    const u = await usersRepository.byEmail(env.database.db, 'lock@city.test');
    expect(u!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
  });

  it('rate-limits sign-in attempts from one address', async () => {
    let limited = 0;
    for (let i = 0; i < 12; i++) {
      const r = await env.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.9.9.9',
        payload: { email: 'x@y.test', password: 'whatever-password' },
      });
      if (r.statusCode === 429) limited++;
    }
    expect(limited).toBeGreaterThan(0);
  });

  it('changes a password: checks the current one, enforces length, ends other sessions', async () => {
    await env.user('pw@city.test');
    const a = await login('pw@city.test');
    const b = await login('pw@city.test');
    const headers = { cookie: cookieOf(a), 'x-csrf-token': a.json().csrfToken };
    const wrong = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers,
      payload: { currentPassword: 'nope', newPassword: 'a much longer new password' },
    });
    expect(wrong.statusCode).toBe(422);
    const short = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers,
      payload: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(short.statusCode).toBe(422);
    expect(short.json().errors[0].path).toBe('newPassword');
    const ok = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers,
      payload: { currentPassword: PASSWORD, newPassword: 'a much longer new password' },
    });
    expect(ok.statusCode).toBe(204);
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: cookieOf(b) } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: cookieOf(a) } }))
        .statusCode,
    ).toBe(200);
    expect((await login('pw@city.test', 'a much longer new password')).statusCode).toBe(200);
  });
});

describe('API tokens', () => {
  it('are shown once, stored hashed, listed without the secret, and revocable', async () => {
    const u = await env.user('tok@city.test');
    const created = await env.call(u, {
      method: 'POST',
      url: '/api/v1/me/tokens',
      payload: { name: 'ci', scope: 'read', expiresInDays: 30 },
    });
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json();
    expect(token).toMatch(/^cw_/);
    const list = await env.call(u, { method: 'GET', url: '/api/v1/me/tokens' });
    expect(list.body).not.toContain(token);
    expect(list.json().items.map((t: { id: string }) => t.id)).toContain(apiToken.id);
    const rows = await env.database.db.execute('select token_hash from api_tokens' as never);
    expect(JSON.stringify(rows)).not.toContain(token);

    const asToken = { authorization: `Bearer ${token}` };
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/orgs', headers: asToken })).statusCode).toBe(
      200,
    );
    const write = await env.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: asToken,
      payload: { name: 'y' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().detail).toMatch(/read-only/);

    expect(
      (await env.call(u, { method: 'DELETE', url: `/api/v1/me/tokens/${apiToken.id}` })).statusCode,
    ).toBe(204);
    const revoked = await env.app.inject({ method: 'GET', url: '/api/v1/orgs', headers: asToken });
    expect(revoked.statusCode).toBe(401);
  });

  it('refuses an expired token with a message that says so', async () => {
    const u = await env.user('exp@city.test');
    await env.database.db.execute(
      `update api_tokens set expires_at = now() - interval '1 minute' where user_id = '${u.id}'` as never,
    );
    const res = await env.call(u, { method: 'GET', url: '/api/v1/orgs' });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/expired/);
  });

  it('refuses a malformed Authorization header and an unknown token', async () => {
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/orgs', headers: { authorization: 'Basic abc' } }))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/v1/orgs',
          headers: { authorization: 'Bearer cw_nope' },
        })
      ).statusCode,
    ).toBe(401);
  });

  it("cannot revoke someone else's token", async () => {
    const a = await env.user('ta@city.test');
    const b = await env.user('tb@city.test');
    const created = (
      await env.call(a, { method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'mine' } })
    ).json();
    expect(
      (await env.call(b, { method: 'DELETE', url: `/api/v1/me/tokens/${created.apiToken.id}` })).statusCode,
    ).toBe(404);
  });
});

describe('bad input gets an RFC 9457 problem and changes nothing', () => {
  it('malformed JSON', async () => {
    const res = await env.call(env.admin, {
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, title: 'Bad request' });
  });

  it('unknown fields and wrong types name the field', async () => {
    const unknown = await env.call(env.admin, {
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { name: 'X', kind: 'city', colour: 'red' },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().detail).toMatch(/colour/);
    const wrong = await env.call(env.admin, {
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { name: 42, kind: 'city' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors.some((e: { path: string }) => e.path.includes('name'))).toBe(true);
  });

  it('an oversized body', async () => {
    const res = await env.call(env.admin, {
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { name: 'x'.repeat(20_000), kind: 'city' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('a malformed id and an unknown id', async () => {
    expect((await env.call(env.admin, { method: 'GET', url: '/api/v1/orgs/not-a-uuid' })).statusCode).toBe(
      422,
    );
    const unknown = await env.call(env.admin, {
      method: 'GET',
      url: '/api/v1/orgs/00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toMatch(/not found/);
  });

  it('an unknown route', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('operations endpoints', () => {
  it('health, readiness, metrics and the OpenAPI document', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/healthz' })).json().status).toBe('ok');
    expect((await env.app.inject({ method: 'GET', url: '/readyz' })).json().status).toBe('ready');
    const metrics = await env.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('citywall_http_request_duration_seconds');
    const openapi = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toContain('/api/v1/orgs/{orgId}/members');
    expect((await env.app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
  });

  it('echoes a request id', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });
});

describe('tokens managed by an instance administrator', () => {
  it('lists, creates and revokes tokens of another user; others may not', async () => {
    const u = await env.user('managed@city.test');
    const created = await env.call(env.admin, {
      method: 'POST',
      url: `/api/v1/users/${u.id}/tokens`,
      payload: { name: 'provisioned', scope: 'read' },
    });
    expect(created.statusCode).toBe(201);
    const list = (await env.call(env.admin, { method: 'GET', url: `/api/v1/users/${u.id}/tokens` })).json();
    expect(list.items.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(['test', 'provisioned']),
    );
    const asUser = await env.app.inject({
      method: 'GET',
      url: '/api/v1/me/tokens',
      headers: { authorization: `Bearer ${created.json().token}` },
    });
    expect(asUser.json().items.map((t: { name: string }) => t.name)).toContain('provisioned');
    expect(
      (
        await env.call(env.admin, {
          method: 'DELETE',
          url: `/api/v1/me/tokens/${created.json().apiToken.id}`,
        })
      ).statusCode,
    ).toBe(204);
    expect((await env.call(u, { method: 'GET', url: `/api/v1/users/${u.id}/tokens` })).statusCode).toBe(403);
    expect(
      (
        await env.call(env.admin, {
          method: 'POST',
          url: '/api/v1/users/00000000-0000-4000-8000-000000000000/tokens',
          payload: { name: 'x' },
        })
      ).statusCode,
    ).toBe(404);
  });
});
