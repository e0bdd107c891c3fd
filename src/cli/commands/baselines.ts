import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { Ctx } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { baselinesService } from '../../server/modules/baselines/baselines.service.js';
import { orgsRepository } from '../../server/modules/orgs/orgs.repository.js';
import { withDatabase } from '../db.js';

async function orgId(ctx: Ctx, slug: string): Promise<string> {
  const org = await orgsRepository.bySlug(ctx.db, slug);
  if (!org) throw new AppError('not_found', `No organization with slug ${slug}`);
  return org.id;
}

export function baselineCommands(program: Command) {
  const baseline = program.command('baseline').description('OSCAL catalogs, profiles and the City Baseline');
  baseline
    .command('install')
    .description('install the Citywall City Baseline catalog and its three tier profiles')
    .requiredOption('--org <slug>', 'organization')
    .action(async (o) => {
      await withDatabase(async (_db, ctx) => {
        const { items } = await baselinesService.installCityBaseline(ctx, await orgId(ctx, o.org));
        for (const d of items) console.log(`${d.kind} ${d.title} (${d.controlCount} controls, ${d.id})`);
      });
    });
  baseline
    .command('import <file>')
    .description('import an OSCAL 1.1 JSON catalog or profile (a profile is resolved against those present)')
    .requiredOption('--org <slug>', 'organization')
    .action(async (file: string, o) => {
      await withDatabase(async (_db, ctx) => {
        const id = await orgId(ctx, o.org);
        const t0 = performance.now();
        const doc = await baselinesService.importDocument(
          ctx,
          id,
          readFileSync(file, 'utf8'),
          basename(file),
        );
        const ms = Math.round(performance.now() - t0);
        console.log(
          `Imported ${doc.kind} ${doc.title}: ${doc.controlCount} controls in ${ms} ms (${doc.id})`,
        );
      });
    });
  baseline
    .command('list')
    .description('list the catalogs and profiles of an organization')
    .requiredOption('--org <slug>', 'organization')
    .action(async (o) => {
      await withDatabase(async (_db, ctx) => {
        const page = await baselinesService.listDocuments(ctx, await orgId(ctx, o.org), undefined, 500, 0);
        for (const d of page.items)
          console.log(`${d.id}  ${d.kind.padEnd(7)}  ${d.controlCount}  ${d.title}`);
      });
    });
}
