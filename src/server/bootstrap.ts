import { sql } from 'drizzle-orm';
import { generatePassword, hashPassword, passwordProblem } from './auth/secrets.js';
import type { Config } from './config.js';
import { SYSTEM_ACTOR } from './context.js';
import type { Database } from './db/client.js';
import { AppError } from './errors.js';
import { auditService } from './modules/audit/audit.service.js';
import { orgsRepository, usersRepository } from './modules/orgs/orgs.repository.js';
import { loadExampleCity } from './sample/example-city.js';

export const DEFAULT_ADMIN_EMAIL = 'admin@citywall.local';

export interface BootstrapResult {
  adminCreated?: { email: string; oneTimePassword?: string };
  sampleLoaded: boolean;
}

/**
 * First start of an empty database: an administrator (the password from the environment, or a one-time
 * password shown once), and on the embedded database the Example City sample unless switched off.
 */
export async function bootstrap(database: Database, config: Config): Promise<BootstrapResult> {
  const db = database.db;
  const result: BootstrapResult = { sampleLoaded: false };
  if ((await usersRepository.count(db)) > 0) return result;
  if (config.adminPassword) {
    const problem = passwordProblem(config.adminPassword);
    if (problem) throw new AppError('bad_request', `CITYWALL_ADMIN_PASSWORD: ${problem}`);
  }
  const wantSample = config.sample ?? database.kind === 'pglite';
  await db.transaction(async (tx) => {
    // Two servers starting on one empty PostgreSQL: the second finds the admin already made.
    await tx.execute(sql`select pg_advisory_xact_lock(727465003)`);
    if ((await usersRepository.count(tx)) > 0) return;
    const email = config.adminEmail ?? DEFAULT_ADMIN_EMAIL;
    const oneTimePassword = config.adminPassword ? undefined : generatePassword();
    const admin = await usersRepository.insert(tx, {
      email,
      name: 'Administrator',
      isInstanceAdmin: true,
      passwordHash: await hashPassword(config.adminPassword ?? oneTimePassword!),
      mustChangePassword: !config.adminPassword,
    });
    await auditService.record(
      tx,
      { actor: SYSTEM_ACTOR },
      {
        orgId: null,
        action: 'user.create.bootstrap',
        targetType: 'user',
        targetId: admin.id,
        after: { email },
      },
    );
    result.adminCreated = { email, oneTimePassword };
    if (wantSample && (await orgsRepository.all(tx)).length === 0) {
      await loadExampleCity(tx, admin.id);
      result.sampleLoaded = true;
    }
  });
  return result;
}
