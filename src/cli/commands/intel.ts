import { createReadStream, existsSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Command } from 'commander';
import { TLP_LEVELS, type TlpLevel } from '../../core/stix/index.js';
import { AppError } from '../../server/errors.js';
import { intelService } from '../../server/modules/intel/intel.service.js';
import { orgsRepository } from '../../server/modules/orgs/orgs.repository.js';
import { withDatabase } from '../db.js';

export function intelCommands(program: Command) {
  const intel = program.command('intel').description('threat intelligence (STIX 2.1)');
  intel
    .command('import <file>')
    .description('import a STIX 2.1 bundle (.json or .json.gz), streamed, into an organization')
    .requiredOption('--org <slug>', 'the organization that will own the objects')
    .option('--atomic', 'import nothing when any object is invalid')
    .option('--tlp <level>', `TLP for objects without a TLP marking (${TLP_LEVELS.join(', ')})`, 'amber')
    .action(async (file: string, o: { org: string; atomic?: boolean; tlp: string }) => {
      if (!existsSync(file)) throw new AppError('not_found', `No such file: ${file}`);
      if (!TLP_LEVELS.includes(o.tlp as TlpLevel)) {
        throw new AppError('validation', `--tlp must be one of ${TLP_LEVELS.join(', ')}`);
      }
      await withDatabase(async (_db, ctx) => {
        const org = await orgsRepository.bySlug(ctx.db, o.org);
        if (!org) throw new AppError('not_found', `No organization with slug ${o.org}`);
        const raw = createReadStream(file);
        const source = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
        const r = await intelService.importBundle(ctx, org.id, source, {
          atomic: o.atomic,
          tlp: o.tlp as TlpLevel,
        });
        console.log(
          `Imported ${r.imported} of ${r.total} objects into ${org.name} in ${r.elapsedMs} ms` +
            ` (${r.duplicates} already present, ${r.failed} invalid)`,
        );
        for (const f of r.failures.slice(0, 20)) {
          console.log(
            `  #${f.index} ${f.id ?? '(no id)'}: ${f.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
          );
        }
        if (r.failed > 20) console.log(`  … and ${r.failed - 20} more`);
      });
    });
}
