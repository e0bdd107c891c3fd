import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../server/errors.js';
import type { ImportKind } from '../../server/modules/assets/assets.transfer.js';
import { orgsRepository } from '../../server/modules/orgs/orgs.repository.js';
import { withDatabase } from '../db.js';

// The spreadsheet libraries are loaded only by the commands that need them, so every other command starts fast.
const transfer = async () => (await import('../../server/modules/assets/assets.transfer.js')).assetsTransfer;

const KINDS = ['systems', 'services', 'dependencies'];

function kindOf(k: string): ImportKind {
  if (!KINDS.includes(k)) throw new AppError('bad_request', `--kind must be one of ${KINDS.join(', ')}`);
  return k as ImportKind;
}

/** "--map Host=name --map Notes=" → { Host: 'name', Notes: null } */
export function parseMappings(list: string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const m of list) {
    const i = m.lastIndexOf('=');
    if (i <= 0)
      throw new AppError('bad_request', `--map expects COLUMN=FIELD (or COLUMN= to ignore), got "${m}"`);
    const field = m.slice(i + 1).trim();
    out[m.slice(0, i).trim()] = field === '' ? null : field;
  }
  return out;
}

const collect = (v: string, prev: string[]) => [...prev, v];

export function assetsCommands(program: Command) {
  const assets = program.command('assets').description('the inventory of services, systems and dependencies');
  assets
    .command('import <file>')
    .description('import a CSV or XLSX file: every row is checked first; any error imports nothing')
    .requiredOption('--org <slug>', 'the organization (slug) that owns the inventory')
    .requiredOption('--kind <kind>', 'systems, services or dependencies')
    .option('--map <column=field>', 'map a column to a field (repeatable; COLUMN= ignores it)', collect, [])
    .option('--sheet <name>', 'XLSX worksheet (default the first)')
    .option('--dry-run', 'check and report without writing', false)
    .action(async (file: string, o) => {
      if (!existsSync(file)) throw new AppError('not_found', `No such file: ${file}`);
      const kind = kindOf(o.kind);
      const input = {
        kind,
        fileName: basename(file),
        content: readFileSync(file),
        mapping: parseMappings(o.map),
        sheet: o.sheet,
      };
      await withDatabase(async (_db, ctx) => {
        const org = await orgsRepository.bySlug(ctx.db, o.org);
        if (!org) throw new AppError('not_found', `No organization with slug "${o.org}"`);
        const assetsTransfer = await transfer();
        const p = await assetsTransfer.preview(ctx, org.id, input);
        const mapped = Object.entries(p.mapping)
          .map(([c, f]) => `${c} → ${f ?? '(ignored)'}`)
          .join(', ');
        console.log(`${p.rows} rows (${p.format}); columns: ${mapped}`);
        if (p.errorCount > 0) {
          for (const e of p.errors) {
            console.log(`line ${e.line}${e.column ? `, column "${e.column}"` : ''}: ${e.reason}`);
          }
          if (p.errorCount > p.errors.length) console.log(`… and ${p.errorCount - p.errors.length} more`);
          throw new AppError('validation', `${p.errorCount} error(s) in ${file}: nothing was imported`);
        }
        if (o.dryRun) {
          console.log(`Dry run: would create ${p.toCreate} and update ${p.toUpdate} ${kind}`);
          return;
        }
        const r = await assetsTransfer.commit(ctx, org.id, input);
        console.log(`Imported ${kind}: ${r.created} created, ${r.updated} updated`);
      });
    });
  assets
    .command('export')
    .description('export the inventory as CSV or XLSX (the import format)')
    .requiredOption('--org <slug>', 'the organization (slug)')
    .requiredOption('--kind <kind>', 'systems, services or dependencies')
    .requiredOption('--out <file>', 'the file to write (.csv or .xlsx)')
    .action(async (o) => {
      const kind = kindOf(o.kind);
      const format = String(o.out).toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
      await withDatabase(async (_db, ctx) => {
        const org = await orgsRepository.bySlug(ctx.db, o.org);
        if (!org) throw new AppError('not_found', `No organization with slug "${o.org}"`);
        writeFileSync(o.out, await (await transfer()).export(ctx, org.id, kind, format));
        console.log(`Exported ${kind} of ${org.name} to ${o.out}`);
      });
    });
}
