/** Pieces the benchmarks share (not a benchmark itself: the runner only picks up *.bench.ts files). */
import { hashPassword } from '../src/server/auth/secrets.js';
import { SYSTEM_ACTOR } from '../src/server/context.js';
import type { Database } from '../src/server/db/client.js';
import { authService } from '../src/server/modules/auth/auth.service.js';
import { membershipsRepository, usersRepository } from '../src/server/modules/orgs/orgs.repository.js';
import { orgsService } from '../src/server/modules/orgs/orgs.service.js';

/** A user holding `role` in the organization, and an API token of `scope` acting as them. */
export async function benchToken(
  database: Database,
  orgId: string,
  email: string,
  role: 'viewer' | 'analyst',
  scope: 'read' | 'write',
): Promise<string> {
  const user = await usersRepository.insert(database.db, {
    email,
    name: 'bench',
    passwordHash: await hashPassword('benchmark-password-123'),
    isInstanceAdmin: false,
  });
  await membershipsRepository.insert(database.db, { userId: user.id, orgId, role, inherit: false });
  const { token } = await authService.createToken(
    { db: database.db, actor: { ...SYSTEM_ACTOR, isInstanceAdmin: true } },
    { name: 'bench', scope, expiresInDays: 1 },
    user.id,
  );
  return token;
}

/**
 * Creates city organizations in `database`, each slug made unique to this run (benchmarks on PostgreSQL add to
 * a database that may hold earlier runs).
 */
export function benchOrgs(database: Database) {
  const ctx = { db: database.db, actor: SYSTEM_ACTOR };
  const stamp = Date.now().toString(36);
  return (name: string) =>
    orgsService.create(ctx, {
      name,
      kind: 'city',
      parentId: null,
      slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${stamp}`,
      description: '',
    });
}
