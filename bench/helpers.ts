/** Pieces the benchmarks share (not a benchmark itself: the runner only picks up *.bench.ts files). */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../src/server/auth/secrets.js';
import { SYSTEM_ACTOR } from '../src/server/context.js';
import { type Database, openDatabase } from '../src/server/db/client.js';
import { authService } from '../src/server/modules/auth/auth.service.js';
import { membershipsRepository, usersRepository } from '../src/server/modules/orgs/orgs.repository.js';
import { orgsService } from '../src/server/modules/orgs/orgs.service.js';

/**
 * The database a benchmark runs on: PGlite in a fresh data folder, as the server runs it (the default);
 * PGlite in memory, as the tests run it (BENCH_PGLITE=memory); or PostgreSQL (BENCH_DATABASE_URL, an empty
 * scratch database). `close` also removes the folder.
 */
export async function benchDatabase(
  name: string,
): Promise<{ database: Database; label: string; close(): Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL;
  const memory = process.env.BENCH_PGLITE === 'memory';
  const dataDir = url || memory ? undefined : mkdtempSync(join(tmpdir(), `citywall-bench-${name}-`));
  const database = await openDatabase({ url, dataDir }).catch((e) => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  });
  return {
    database,
    label: url ? 'PostgreSQL' : memory ? 'PGlite, in memory' : 'PGlite, data folder',
    close: async () => {
      await database.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

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
