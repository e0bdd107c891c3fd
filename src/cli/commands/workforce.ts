import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../server/config.js';
import type { Ctx } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { orgsRepository } from '../../server/modules/orgs/orgs.repository.js';
import { withDatabase } from '../db.js';

// Loaded when a command runs, so that every other command starts as fast as before.
const workforce = async () =>
  (await import('../../server/modules/workforce/workforce.service.js')).workforceService;
const partnersSvc = async () =>
  (await import('../../server/modules/partners/partners.service.js')).partnersService;

async function orgId(ctx: Ctx, slug: string) {
  const o = await orgsRepository.bySlug(ctx.db, slug);
  if (!o) throw new AppError('not_found', `No organization with slug ${slug}`);
  return o.id;
}

/** Step 6 and 7 from the command line: staff and gophish imports, the roster for offline use, reminders. */
export function workforceCommands(program: Command) {
  const wf = program.command('workforce').description('staff, training and phishing simulations');
  wf.command('import-people')
    .description('preview (or with --commit, import) staff from a CSV or XLSX file')
    .requiredOption('--org <slug>')
    .requiredOption('--file <path>')
    .option('--commit', 'write the rows (all or none)')
    .action(async (o) => {
      await withDatabase(async (_db, ctx) => {
        const data = readFileSync(o.file);
        const body = /\.xlsx$/i.test(o.file)
          ? { xlsxBase64: data.toString('base64'), commit: !!o.commit }
          : { csv: data.toString('utf8'), commit: !!o.commit };
        const r = await (await workforce()).importPeople(ctx, await orgId(ctx, o.org), body);
        for (const e of r.errors) console.log(`row ${e.row} ${e.column}: ${e.message}`);
        console.log(
          `${r.committed ? 'Imported' : 'Preview'}: ${r.rows} rows, ${r.created} new, ${r.updated} updated, ${r.errors.length} errors`,
        );
      });
    });
  wf.command('import-phishing')
    .description('import a gophish results or raw events CSV export')
    .requiredOption('--org <slug>')
    .requiredOption('--name <campaign>')
    .requiredOption('--file <path>')
    .action(async (o) => {
      await withDatabase(async (_db, ctx) => {
        const r = await (await workforce()).importPhishing(ctx, await orgId(ctx, o.org), {
          name: o.name,
          csv: readFileSync(o.file, 'utf8'),
        });
        console.log(
          `Imported ${r.campaign.recipients} recipients: ${r.campaign.clicked} clicked, ${r.campaign.reported} reported; ${r.unmatched.length} not matched to staff`,
        );
      });
    });

  const partners = program.command('partners').description('partners, agreements and the crisis roster');
  partners
    .command('roster')
    .description('print the crisis roster as CSV or vCard, for when the network is down')
    .requiredOption('--org <slug>')
    .option('--format <format>', 'csv or vcf', 'csv')
    .action(async (o) => {
      if (!['csv', 'vcf'].includes(o.format)) throw new AppError('validation', '--format must be csv or vcf');
      await withDatabase(async (_db, ctx) => {
        const id = await orgId(ctx, o.org);
        const svc = await partnersSvc();
        process.stdout.write(
          o.format === 'csv' ? await svc.rosterCsv(ctx, id) : await svc.rosterVcf(ctx, id),
        );
      });
    });
  partners
    .command('send-reminders')
    .description('send the agreement expiry reminders that are due now (the daily job does this too)')
    .action(async () => {
      const { smtpMailer } = await import('../../server/mail.js');
      const mailer = smtpMailer(loadConfig());
      if (!mailer) throw new AppError('validation', 'Set CITYWALL_SMTP_URL to send reminders');
      await withDatabase(async (database) => {
        const r = await (await partnersSvc()).sendExpiryReminders(database.db, mailer);
        console.log(`Sent ${r.sent} reminder(s)`);
      });
    });
}
