import pino from 'pino';
import { serveCli } from '../cli/socket.js';
import { buildApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { type Config, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { registerJobs } from './jobs/registry.js';
import { JobRunner } from './jobs/runner.js';

/** Starts Citywall: database, first-run setup, job worker, HTTP server. Returns a function that stops it. */
export async function startServer(config: Config = loadConfig(), print = console.log) {
  const logger = pino({
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
  });
  const started = Date.now();
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : `${config.dataDir}`,
  });
  const boot = await bootstrap(database, config);
  const jobs = new JobRunner(database.db, logger.child({ component: 'jobs' }));
  await registerJobs(jobs, config);
  if (config.worker) jobs.start();
  let app: Awaited<ReturnType<typeof buildApp>>;
  let address: string;
  try {
    app = await buildApp({ db: database, config, jobs, logger });
    address = await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await jobs.stop();
    await database.close();
    throw e;
  }
  const url = config.publicUrl ?? address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  logger.info({ startupMs: Date.now() - started, database: database.kind }, 'Citywall started');
  print('');
  print(`  Citywall is running at ${url}`);
  print(`  Database: ${database.kind === 'pglite' ? `embedded (${config.dataDir})` : 'PostgreSQL'}`);
  if (boot.adminCreated) {
    print(`  Sign in as ${boot.adminCreated.email}`);
    if (boot.adminCreated.oneTimePassword) {
      print(
        `  One-time password (shown only now; you will choose your own at first sign-in): ${boot.adminCreated.oneTimePassword}`,
      );
    } else {
      print('  with the password from CITYWALL_ADMIN_PASSWORD');
    }
  }
  if (boot.sampleLoaded)
    print('  The Example City sample is loaded (sample data; start with CITYWALL_SAMPLE=false to skip it).');
  print('');
  const cliSocket = database.kind === 'pglite' ? await serveCli(config.dataDir, database) : undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    cliSocket?.close();
    await app.close();
    await jobs.stop();
    await database.close();
  };
  return { app, url, stop, database, startupMs: Date.now() - started };
}
