import { loadConfig } from '../server/config.js';
import { type Ctx, SYSTEM_ACTOR } from '../server/context.js';
import { type Database, openDatabase } from '../server/db/client.js';
import { AppError } from '../server/errors.js';

/** Opens the configured database for one command and closes it after, whatever happens. */
export async function withDatabase<T>(fn: (database: Database, ctx: Ctx) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let database: Database;
  try {
    database = await openDatabase({
      url: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
    });
  } catch (e) {
    if (e instanceof AppError && e.kind === 'conflict') {
      throw new AppError(
        'conflict',
        `${e.message} (the CLI opens the database itself: stop the server for this command, or run Citywall on PostgreSQL)`,
      );
    }
    throw e;
  }
  try {
    return await fn(database, { db: database.db, actor: { ...SYSTEM_ACTOR, via: 'cli' } });
  } finally {
    await database.close();
  }
}
