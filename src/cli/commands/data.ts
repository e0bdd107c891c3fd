import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../server/errors.js';
import { auditService } from '../../server/modules/audit/audit.service.js';
import { exportTo, importFrom } from '../../server/transfer/transfer.js';
import { withDatabase } from '../db.js';
import { say, userPath } from '../runtime.js';

function needFile(file: string): string {
  const path = userPath(file);
  if (!existsSync(path)) throw new AppError('not_found', `No such file: ${file}`);
  return path;
}

function summary(r: { rows: number; tables: Record<string, number> }) {
  return `${r.rows} rows in ${Object.values(r.tables).filter((n) => n > 0).length} tables`;
}

export function dataCommands(program: Command) {
  program
    .command('export')
    .description('write all data to a file, to move it to another database (e.g. embedded → PostgreSQL)')
    .requiredOption('--out <file>', 'the file to write, e.g. city.citywall')
    .action(async (o) => {
      await withDatabase(async ({ db }) =>
        say(`Exported ${summary(await exportTo(db, userPath(o.out)))} to ${o.out}`),
      );
    });
  program
    .command('import <file>')
    .description('load an export into an empty database, all or nothing')
    .action(async (file: string) => {
      const path = needFile(file);
      await withDatabase(async ({ db }) => say(`Imported ${summary(await importFrom(db, path))}`));
    });
  program
    .command('backup')
    .description('write a backup of this database')
    .option(
      '--out <file>',
      'the file to write',
      `citywall-backup-${new Date().toISOString().slice(0, 19).replaceAll(':', '-')}.citywall`,
    )
    .action(async (o) => {
      await withDatabase(async ({ db }) =>
        say(`Backed up ${summary(await exportTo(db, userPath(o.out)))} to ${o.out}`),
      );
    });
  program
    .command('restore <file>')
    .description('replace all data of this database with a backup, all or nothing')
    .option('--yes', 'confirm that the current data is to be replaced', false)
    .action(async (file: string, o) => {
      const path = needFile(file);
      if (!o.yes)
        throw new AppError(
          'bad_request',
          'restore replaces all current data: run again with --yes to confirm',
        );
      await withDatabase(async ({ db }) =>
        say(`Restored ${summary(await importFrom(db, path, { replace: true }))}`),
      );
    });
  const audit = program.command('audit').description('the audit log');
  audit
    .command('verify')
    .description('recompute the hash chain; exits non-zero when an event was edited or deleted')
    .action(async () => {
      await withDatabase(async ({ db }) => {
        const r = await auditService.verify(db);
        if (!r.ok)
          throw new AppError(
            'conflict',
            `Audit log damaged (${r.checked} events checked): ${r.problems.join('; ')}`,
          );
        say(`Audit log intact: ${r.checked} events checked`);
      });
    });
}
