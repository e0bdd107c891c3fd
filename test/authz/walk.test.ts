import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../../src/server/context.js';
import { ROLES } from '../../src/server/db/schema/orgs.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';
import { type Side, type WalkWorld, WORLD_EXTENSIONS } from './fixtures.js';

/**
 * Walks every API route with every role of the home organization, with no credentials, and against a
 * foreign organization, and checks each answer against the route's declared authorization. A route
 * without a declaration fails the walk.
 */
let env: TestEnv;
let world: WalkWorld;
const CANARY = 'CANARYFOREIGN7Q';

beforeAll(async () => {
  env = await testEnv();
  const home = await env.org('Walk Home City');
  const child = await env.org('Walk Home Dept', 'department', home.id);
  const foreign = await env.org(`${CANARY} City`);
  const users: Record<string, TestUser> = {};
  for (const role of ROLES) users[role] = await env.user(`walk-${role}@home.test`, { orgId: home.id, role });
  world = {
    env,
    home: { orgId: home.id, childOrgId: child.id },
    foreign: { orgId: foreign.id },
    canary: CANARY,
    users,
    params: {},
  };
  for (const extend of WORLD_EXTENSIONS) await extend(world);
});
afterAll(() => env?.close());

function fill(url: string, side: Side): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === 'orgId') return side === 'home' ? world.home.orgId : world.foreign.orgId;
    const resolve = world.params[name];
    if (!resolve)
      throw new Error(
        `The walk has no fixture for path parameter :${name} (${url}); add one in test/authz/fixtures.ts`,
      );
    return resolve(side);
  });
}

const apiRoutes = () => env.app.routeCatalog.filter((r) => r.url.startsWith('/api/v1/'));
const isWrite = (m: string) => !['GET', 'HEAD'].includes(m);
// A body no route accepts: an allowed caller gets a validation error, never a change.
const probe = (method: string) =>
  isWrite(method) && method !== 'DELETE' ? { payload: { __walk_probe__: true } } : {};

describe('authorization walk', () => {
  it('covers a declared authorization on every API route', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(15);
    const undeclared = routes.filter((r) => r.authz === undefined).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('refuses every non-public route without credentials', async () => {
    for (const r of apiRoutes()) {
      if (r.authz?.public) continue;
      const res = await env.app.inject({
        method: r.method as 'GET',
        url: fill(r.url, 'home'),
        ...probe(r.method),
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.headers['content-type'], `${r.method} ${r.url}`).toMatch(/problem\+json/);
    }
  });

  it('answers each role of the home organization as the route declares', async () => {
    for (const r of apiRoutes()) {
      if (r.authz?.public) continue;
      for (const role of ROLES) {
        const user = world.users[role];
        const res = await env.call(user, {
          method: r.method as 'GET',
          url: fill(r.url, 'home'),
          ...probe(r.method),
        });
        const label = `${role}: ${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 160)}`;
        expect(res.body, label).not.toContain(CANARY);
        let allowed = true;
        if (r.authz?.instanceAdmin) allowed = false;
        if (r.authz?.permission) allowed = ROLE_PERMISSIONS[role].includes(r.authz.permission);
        // Roles here are held in the home organization only, never in its parent.
        if (r.authz?.alsoOnParent) allowed = false;
        if (!allowed) {
          expect([403, 404], label).toContain(res.statusCode);
        } else if (!isWrite(r.method) && r.url.includes(':orgId') && !/:(?!orgId)\w+/.test(r.url)) {
          expect(res.statusCode, label).toBe(200);
        } else {
          expect([401, 403], label).not.toContain(res.statusCode);
        }
      }
    }
  }, 180_000);

  it('never lets any home role reach the foreign organization', async () => {
    for (const r of apiRoutes()) {
      if (r.authz?.public || !r.url.includes(':')) continue;
      for (const role of ROLES) {
        const res = await env.call(world.users[role], {
          method: r.method as 'GET',
          url: fill(r.url, 'foreign'),
          ...probe(r.method),
        });
        const label = `${role}: ${r.method} ${r.url} (foreign) → ${res.statusCode} ${res.body.slice(0, 160)}`;
        expect([403, 404], label).toContain(res.statusCode);
        expect(res.body, label).not.toContain(CANARY);
      }
    }
  }, 180_000);

  it('never shows foreign data in the lists a home user can read', async () => {
    for (const r of apiRoutes()) {
      if (r.method !== 'GET' || r.url.includes(':') || r.authz?.public) continue;
      for (const role of ROLES) {
        const res = await env.call(world.users[role], { method: 'GET', url: r.url });
        expect(res.body, `${role}: GET ${r.url}`).not.toContain(CANARY);
      }
    }
  }, 180_000);
});
