import { loadConfig } from '../server/config.js';
import { type Ctx, SYSTEM_ACTOR } from '../server/context.js';
import { type Database, openDatabase } from '../server/db/client.js';
import { AppError } from '../server/errors.js';
import { configureSecrets } from '../server/secrets.js';
import { serverDatabase } from './runtime.js';

/** Opens the configured database for one command and closes it after, whatever happens. */
export async function withDatabase<T>(fn: (database: Database, ctx: Ctx) => Promise<T>): Promise<T> {
  const inServer = serverDatabase();
  if (inServer) return fn(inServer, { db: inServer.db, actor: { ...SYSTEM_ACTOR, via: 'cli' } });
  const config = loadConfig();
  let database: Database;
  try {
    database = await openDatabase({
      url: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
    });
  } catch (e) {
    if (e instanceof AppError && e.extra?.lockedBy) {
      throw new AppError('conflict', e.message, { extra: { ...e.extra, dataDir: config.dataDir } });
    }
    throw e;
  }
  try {
    configureSecrets(config);
    return await fn(database, { db: database.db, actor: { ...SYSTEM_ACTOR, via: 'cli' } });
  } finally {
    await database.close();
  }
}
