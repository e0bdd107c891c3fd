import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { INCIDENT_TYPES, PHASES } from '../../core/incident/index.js';
import { TLP_LEVELS, type TlpLevel } from '../../core/stix/index.js';
import type { Ctx } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { incidentsService } from '../../server/modules/incidents/incidents.service.js';
import { orgsRepository } from '../../server/modules/orgs/orgs.repository.js';
import { withDatabase } from '../db.js';
import { say, userPath } from '../runtime.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function orgOf(ctx: Ctx, slug: string) {
  const org = await orgsRepository.bySlug(ctx.db, slug);
  if (!org) throw new AppError('not_found', `No organization with slug "${slug}"`);
  return org;
}

function checkId(id: string) {
  if (!UUID.test(id)) throw new AppError('validation', `"${id}" is not an incident id (a UUID)`);
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T))
    throw new AppError('validation', `${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : '—');

export function incidentCommands(program: Command) {
  const incidents = program.command('incidents').description('incidents: list, show, export');
  incidents
    .command('list')
    .description("an organization's incidents, newest first (exercises left out unless asked for)")
    .requiredOption('--org <slug>', 'the organization')
    .option('--status <status>', `one of ${PHASES.join(', ')}`)
    .option('--type <type>', `one of ${INCIDENT_TYPES.join(', ')}`)
    .option('--exercises <mode>', 'exclude, include or only', 'exclude')
    .option('--limit <n>', 'at most this many (1–500)', '50')
    .action(async (o: { org: string; status?: string; type?: string; exercises: string; limit: string }) => {
      const status = oneOf(o.status, PHASES, '--status');
      const type = oneOf(o.type, INCIDENT_TYPES, '--type');
      const exercises =
        oneOf(o.exercises, ['exclude', 'include', 'only'] as const, '--exercises') ?? 'exclude';
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        throw new AppError('validation', '--limit must be a whole number from 1 to 500');
      }
      await withDatabase(async (_db, ctx) => {
        const org = await orgOf(ctx, o.org);
        const r = await incidentsService.list(ctx, org.id, { status, type, exercises, limit, offset: 0 });
        for (const i of r.items) {
          say(
            [
              i.id,
              i.status,
              i.type,
              i.severityName ?? '-',
              i.detectedAt.toISOString(),
              i.exercise ? '[exercise] ' : '',
            ]
              .join('\t')
              .concat(i.title),
          );
        }
        say(`${r.items.length} of ${r.total} incidents`);
      });
    });
  incidents
    .command('show <id>')
    .description('one incident: status, severity, affected services, clocks, tasks, observables')
    .requiredOption('--org <slug>', 'the organization')
    .action(async (id: string, o: { org: string }) => {
      checkId(id);
      await withDatabase(async (_db, ctx) => {
        const org = await orgOf(ctx, o.org);
        const i = await incidentsService.get(ctx, org.id, id);
        const clocks = await incidentsService.clocks(ctx, org.id, id);
        const tasks = await incidentsService.listTasks(ctx, org.id, id);
        const obs = await incidentsService.observables(ctx, org.id, id, undefined, 500, 0);
        say(`${i.title}${i.exercise ? ' (exercise)' : ''}`);
        say(`  id        ${i.id}`);
        say(`  status    ${i.status} · type ${i.type} · TLP:${i.tlp.toUpperCase()}`);
        say(`  severity  ${i.severity ? `${i.severity.name} (${i.severity.score})` : 'not scored'}`);
        say(`  lead      ${i.lead?.name ?? '—'}`);
        say(`  detected  ${iso(i.detectedAt)} · closed ${iso(i.closedAt)} · time zone ${i.timeZone}`);
        say(`  affected  ${i.affected.map((a) => `${a.name} (${a.kind})`).join(', ') || '—'}`);
        const done = tasks.items.filter((t) => t.status === 'done').length;
        say(`  tasks     ${done} of ${tasks.total} done`);
        say(`  clocks    ${clocks.clocks.length}`);
        for (const c of clocks.clocks) {
          say(`    ${c.status.padEnd(23)} ${c.dueAtLocal ?? '—'}  ${c.title}`);
        }
        say(`  observables ${obs.total}`);
        for (const x of obs.items) {
          say(`    ${x.type} ${x.value}${x.hits.length ? ` — ${x.hits.length} indicator hit(s)` : ''}`);
        }
      });
    });
  incidents
    .command('export <id>')
    .description('export an incident: a STIX 2.1 bundle (Incident Core Extension) or the timeline as CSV')
    .requiredOption('--org <slug>', 'the organization')
    .option('--format <format>', 'stix or csv', 'stix')
    .option('--tlp <level>', "marking of the STIX bundle: the incident's or stricter")
    .option('--no-description', 'leave the summary out of the STIX bundle')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(
      async (
        id: string,
        o: { org: string; format: string; tlp?: string; description: boolean; out?: string },
      ) => {
        checkId(id);
        const format = oneOf(o.format, ['stix', 'csv'] as const, '--format');
        const tlp = oneOf(o.tlp, TLP_LEVELS, '--tlp') as TlpLevel | undefined;
        await withDatabase(async (_db, ctx) => {
          const org = await orgOf(ctx, o.org);
          let text: string;
          if (format === 'csv') {
            text = await incidentsService.timelineCsv(ctx, org.id, id);
          } else {
            const b = await incidentsService.stixBundle(ctx, org.id, id, {
              tlp,
              description: o.description,
              observables: true,
              indicators: true,
              sightings: true,
              excludeObservables: [],
            });
            text = `${JSON.stringify({ type: b.type, id: b.id, objects: b.objects }, null, 2)}\n`;
          }
          if (o.out) {
            writeFileSync(userPath(o.out), text);
            say(`Wrote ${o.out}`);
          } else {
            process.stdout.write(text);
          }
        });
      },
    );
}
