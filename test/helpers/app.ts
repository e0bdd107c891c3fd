import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { hashPassword } from '../../src/server/auth/secrets.js';
import { loadConfig } from '../../src/server/config.js';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import type { Database } from '../../src/server/db/client.js';
import type { Role } from '../../src/server/db/schema/orgs.js';
import { authService } from '../../src/server/modules/auth/auth.service.js';
import { membershipsRepository, usersRepository } from '../../src/server/modules/orgs/orgs.repository.js';
import { orgsService } from '../../src/server/modules/orgs/orgs.service.js';
import { freshDatabase } from './db.js';

/** A fixed key for sealing stored secrets in tests (never used outside them). */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export const PASSWORD = 'correct horse battery staple';
let hashed: Promise<string> | undefined;

export interface TestUser {
  id: string;
  email: string;
  token: string;
  headers: Record<string, string>;
}

export interface TestEnv {
  app: FastifyInstance;
  database: Database & { drop(): Promise<void> };
  admin: TestUser;
  close(): Promise<void>;
  /** A user with a write token; holding `role` in `orgId` when given. */
  user(
    email: string,
    grant?: { orgId: string; role: Role; inherit?: boolean },
    scope?: 'read' | 'write',
  ): Promise<TestUser>;
  org(
    name: string,
    kind?: 'city' | 'department' | 'region' | 'nation',
    parentId?: string | null,
  ): Promise<{ id: string; path: string; slug: string }>;
  call(user: TestUser | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
}

let counter = 0;

export async function testEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const database = await freshDatabase();
  const config = loadConfig({
    CITYWALL_DATA_DIR: '/nonexistent',
    CITYWALL_SECRET_KEY: TEST_SECRET_KEY,
    ...env,
  });
  const app = await buildApp({ db: database, config });
  const ctx = { db: database.db, actor: SYSTEM_ACTOR };
  hashed ??= hashPassword(PASSWORD);

  async function user(
    email: string,
    grant?: { orgId: string; role: Role; inherit?: boolean },
    scope: 'read' | 'write' = 'write',
    instanceAdmin = false,
  ): Promise<TestUser> {
    const u = await usersRepository.insert(database.db, {
      email,
      name: email.split('@')[0],
      passwordHash: await hashed!,
      isInstanceAdmin: instanceAdmin,
    });
    if (grant)
      await membershipsRepository.insert(database.db, {
        userId: u.id,
        orgId: grant.orgId,
        role: grant.role,
        inherit: grant.inherit ?? false,
      });
    const { token } = await authService.createToken(
      { ...ctx, actor: { ...SYSTEM_ACTOR, isInstanceAdmin: true } },
      { name: 'test', scope, expiresInDays: 1 },
      u.id,
    );
    return { id: u.id, email, token, headers: { authorization: `Bearer ${token}` } };
  }
  const admin = await user('root@test.local', undefined, 'write', true);
  return {
    app,
    database,
    admin,
    user: (email, grant, scope) => user(email, grant, scope),
    async org(name, kind = 'city', parentId = null) {
      const o = await orgsService.create(ctx, {
        name,
        kind,
        parentId,
        slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${++counter}`,
        description: '',
      });
      return { id: o.id, path: o.path, slug: o.slug };
    },
    call(u, opts) {
      return app.inject({ ...opts, headers: { ...(u?.headers ?? {}), ...(opts.headers ?? {}) } });
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
