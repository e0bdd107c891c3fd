import type { Command } from 'commander';
import { ORG_KINDS, type OrgKind } from '../../server/db/schema/orgs.js';
import { AppError } from '../../server/errors.js';
import { orgsRepository } from '../../server/modules/orgs/orgs.repository.js';
import { orgsService } from '../../server/modules/orgs/orgs.service.js';
import { withDatabase } from '../db.js';
import { say } from '../runtime.js';

export function orgCommands(program: Command) {
  const org = program.command('org').description('manage organizations');
  org
    .command('create')
    .description('create an organization')
    .requiredOption('--name <name>')
    .requiredOption('--kind <kind>', ORG_KINDS.join(', '))
    .option('--parent <slug>', 'parent organization')
    .option('--slug <slug>', 'short name used in URLs and the CLI')
    .action(async (o) => {
      if (!ORG_KINDS.includes(o.kind))
        throw new AppError('validation', `--kind must be one of ${ORG_KINDS.join(', ')}`);
      await withDatabase(async (_db, ctx) => {
        let parentId: string | null = null;
        if (o.parent) {
          const p = await orgsRepository.bySlug(ctx.db, o.parent);
          if (!p) throw new AppError('not_found', `No organization with slug ${o.parent}`);
          parentId = p.id;
        }
        const created = await orgsService.create(ctx, {
          name: o.name,
          kind: o.kind as OrgKind,
          parentId,
          slug: o.slug,
          description: '',
        });
        say(`Created ${created.kind} ${created.name} (${created.slug}, ${created.id})`);
      });
    });
  org
    .command('list')
    .description('list organizations as a tree')
    .action(async () => {
      await withDatabase(async (_db, ctx) => {
        for (const o of await orgsService.listVisible(ctx))
          say(`${'  '.repeat(o.depth)}${o.name} [${o.kind}] ${o.slug}${o.isSample ? ' (sample)' : ''}`);
      });
    });
}
