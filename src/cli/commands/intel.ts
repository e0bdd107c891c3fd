import { createReadStream, existsSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Command } from 'commander';
import { TLP_LEVELS, type TlpLevel } from '../../core/stix/index.js';
import { loadConfig } from '../../server/config.js';
import type { Ctx } from '../../server/context.js';
import type { Db } from '../../server/db/client.js';
import { AppError } from '../../server/errors.js';
import { policyFetch } from '../../server/http/outbound.js';
import { feedsService } from '../../server/modules/intel/intel.feeds.js';
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
        const org = await orgOf(ctx, o.org);
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
        if (r.upgraded) console.log(`Upgraded from STIX 2.0: ${r.upgraded} object(s)`);
        for (const u of r.upgrades.slice(0, 20)) {
          console.log(`  #${u.index} ${u.id}: ${u.changes.map((c) => c.message).join('; ')}`);
        }
        if (r.upgraded > 20) console.log(`  … and ${r.upgraded - 20} more`);
        if (r.warned) console.log(`Warnings: ${r.warned}`);
        for (const w of r.warnings.slice(0, 20)) {
          console.log(`  #${w.index} ${w.id}: ${w.path} ${w.message} (${w.rule})`);
        }
        if (r.warned > 20) console.log(`  … and ${r.warned - 20} more`);
      });
    });

  intel
    .command('feeds')
    .description("list an organization's TAXII feeds with their last run")
    .requiredOption('--org <slug>', 'the organization')
    .action(async (o: { org: string }) => {
      await withDatabase(async (_db, ctx) => {
        const org = await orgOf(ctx, o.org);
        const { items } = await feedsService.list(ctx, org.id);
        console.log(`${items.length} TAXII feed(s) of ${org.name}`);
        for (const f of items) {
          const limit = f.direction === 'push' ? ` up to TLP:${(f.maxTlp ?? 'green').toUpperCase()}` : '';
          console.log(
            `${f.id}  ${f.name}  ${f.direction}${limit}  ${f.apiRoot} collection ${f.collectionId}` +
              `  last run ${f.lastRunAt ? f.lastRunAt.toISOString() : 'never'}` +
              (f.lastStatus ? ` (${f.lastStatus}: ${f.lastMessage ?? ''})` : ''),
          );
        }
      });
    });

  intel
    .command('feed-run <feed>')
    .description('run a TAXII feed (its id or name) now, in this process, and print what it moved')
    .requiredOption('--org <slug>', 'the organization')
    .action(async (feed: string, o: { org: string }) => {
      const config = loadConfig();
      await withDatabase(async (_db, ctx) => {
        const org = await orgOf(ctx, o.org);
        const { items } = await feedsService.list(ctx, org.id);
        const f = items.find((x) => x.id === feed) ?? items.find((x) => x.name === feed);
        if (!f) throw new AppError('not_found', `${org.name} has no TAXII feed named or numbered ${feed}`);
        const fetchFn = policyFetch(config.outbound, 'apiRoot');
        if (f.direction === 'push') {
          const r = await feedsService.push(ctx.db as Db, org.id, f.id, fetchFn, {
            settleSeconds: config.databaseUrl ? 300 : 0,
          });
          console.log(
            `Pushed ${f.name}: ${r.objects} sent, ${r.succeeded} accepted, ${r.failed} failed, ` +
              `${r.pending} pending, ${r.withheld} held back by TLP`,
          );
          if ('stopped' in r) throw new AppError('conflict', r.stopped);
        } else {
          const r = await feedsService.poll(ctx.db as Db, org.id, f.id, fetchFn);
          console.log(`Pulled ${f.name}: ${r.imported} imported, ${r.failed} refused, ${r.pages} page(s)`);
        }
      });
    });
}

async function orgOf(ctx: Ctx, slug: string) {
  const org = await orgsRepository.bySlug(ctx.db, slug);
  if (!org) throw new AppError('not_found', `No organization with slug ${slug}`);
  return org;
}
