import { Command, CommanderError } from 'commander';
import { VERSION } from '../server/app.js';
import { AppError } from '../server/errors.js';
import { assetsCommands } from './commands/assets.js';
import { baselineCommands } from './commands/baselines.js';
import { dataCommands } from './commands/data.js';
import { incidentCommands } from './commands/incidents.js';
import { intelCommands } from './commands/intel.js';
import { orgCommands } from './commands/orgs.js';
import { userCommands } from './commands/users.js';
import { vulnsCommands } from './commands/vulns.js';
import { workforceCommands } from './commands/workforce.js';
import { canForward, forward } from './socket.js';

export function buildProgram(output?: { writeOut(s: string): void; writeErr(s: string): void }): Command {
  const program = new Command('citywall')
    .description("Citywall: a city's cybersecurity strategy, run as software")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ ...output, outputError: (str, write) => write(str) });
  program
    .command('start')
    .description('start the server (web UI, API, jobs)')
    .action(async () => {
      const { startServer } = await import('../server/main.js');
      const s = await startServer();
      const shutdown = async () => {
        await s.stop();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
  program
    .command('migrate')
    .description('apply database migrations and exit')
    .action(async () => {
      const { withDatabase } = await import('./db.js');
      await withDatabase(async () => console.log('Database is up to date'));
    });
  userCommands(program);
  orgCommands(program);
  dataCommands(program);
  intelCommands(program);
  incidentCommands(program);
  baselineCommands(program);
  assetsCommands(program);
  workforceCommands(program);
  vulnsCommands(program);
  return program;
}

/** The one line an error prints, or null when commander already said what it had to (help, version). */
export function errorLine(e: unknown): string | null {
  if (e instanceof CommanderError) return e.exitCode === 0 ? null : '';
  const message = e instanceof Error ? e.message : String(e);
  return `citywall: ${message.split('\n')[0]}`;
}

/** Runs the CLI: one plain line on stderr and exit code 1 for any error. */
export async function main(argv: string[]) {
  try {
    await buildProgram().parseAsync(argv);
  } catch (caught) {
    let e = caught;
    // The server holds the embedded database: run the command there instead.
    const dataDir = e instanceof AppError ? (e.extra?.dataDir as string | undefined) : undefined;
    if (dataDir && canForward(dataDir)) {
      try {
        const reply = await forward(dataDir, argv.slice(2));
        process.stdout.write(reply.stdout);
        process.stderr.write(reply.stderr);
        process.exitCode = reply.code;
        return;
      } catch (inner) {
        e = inner;
      }
    }
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`${errorLine(e)}\n`);
    process.exitCode = 1;
  }
}
