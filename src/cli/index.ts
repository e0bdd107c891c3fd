import { Command, CommanderError } from 'commander';
import { VERSION } from '../server/app.js';
import { AppError } from '../server/errors.js';
import { dataCommands } from './commands/data.js';
import { orgCommands } from './commands/orgs.js';
import { userCommands } from './commands/users.js';
import { workforceCommands } from './commands/workforce.js';

export function buildProgram(): Command {
  const program = new Command('citywall')
    .description("Citywall: a city's cybersecurity strategy, run as software")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
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
  workforceCommands(program);
  return program;
}

/** Runs the CLI: one plain line on stderr and exit code 1 for any error. */
export async function main(argv: string[]) {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    const message = e instanceof AppError ? e.message : e instanceof Error ? e.message : String(e);
    process.stderr.write(`citywall: ${message.split('\n')[0]}\n`);
    process.exitCode = 1;
  }
}
