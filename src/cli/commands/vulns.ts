import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { FeedRunRow } from '../../server/db/schema/index.js';
import { AppError } from '../../server/errors.js';
import { orgsRepository } from '../../server/modules/orgs/orgs.repository.js';
import { ingestCsaf, ingestEpss, ingestKev, ingestNvd } from '../../server/modules/vulns/vulns.ingest.js';
import { vulnsService } from '../../server/modules/vulns/vulns.service.js';
import { withDatabase } from '../db.js';
import { say, userPath } from '../runtime.js';

const collect = (v: string, prev: string[]) => [...prev, v];

/** The file itself, or the JSON files under a folder (sorted, so runs are repeatable). */
function jsonFilesIn(path: string): string[] {
  if (!statSync(userPath(path)).isDirectory()) return [path];
  return readdirSync(userPath(path), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = join(path, e.name);
      if (e.isDirectory()) return jsonFilesIn(p);
      return /\.json(\.gz)?$/.test(e.name) ? [p] : [];
    });
}

function report(file: string, run: FeedRunRow, ms: number) {
  const counts = Object.entries(run.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  say(`${run.feed.toUpperCase()} ${file}: ${run.status} in ${ms} ms (${counts})`);
  if (run.added.length) {
    say(`  newly added: ${run.added.slice(0, 20).join(', ')}${run.added.length > 20 ? ', …' : ''}`);
  }
  for (const e of run.errors.slice(0, 10)) say(`  ${e}`);
  if (run.errors.length > 10) say(`  … and ${run.errors.length - 10} more`);
  if (run.error) say(`  error: ${run.error}`);
}

export function vulnsCommands(program: Command) {
  const vulns = program
    .command('vulns')
    .description('vulnerability feeds (NVD, CISA KEV, FIRST EPSS, CSAF) and findings');
  vulns
    .command('ingest')
    .description('ingest feed files (JSON, CSV or gzip), each run recorded')
    .option('--nvd <file>', 'an NVD CVE API 2.0 response (repeatable)', collect, [])
    .option('--kev <file>', 'a CISA KEV catalog; diffed against the last one ingested')
    .option('--epss <file>', 'a FIRST EPSS scores CSV')
    .option(
      '--csaf <path>',
      'a CSAF 2.0 advisory, or a folder of them (*.json, read recursively; repeatable)',
      collect,
      [],
    )
    .action(async (o: { nvd: string[]; kev?: string; epss?: string; csaf: string[] }) => {
      for (const f of [...o.nvd, ...o.csaf, ...(o.kev ? [o.kev] : []), ...(o.epss ? [o.epss] : [])]) {
        if (!existsSync(userPath(f))) throw new AppError('not_found', `No such file: ${f}`);
      }
      const jobs: { feed: 'nvd' | 'kev' | 'epss' | 'csaf'; file: string }[] = [
        ...o.nvd.map((f) => ({ feed: 'nvd' as const, file: f })),
        ...(o.kev ? [{ feed: 'kev' as const, file: o.kev }] : []),
        ...(o.epss ? [{ feed: 'epss' as const, file: o.epss }] : []),
        ...o.csaf.flatMap((f) => jsonFilesIn(f).map((file) => ({ feed: 'csaf' as const, file }))),
      ];
      if (!jobs.length)
        throw new AppError('bad_request', 'Give at least one of --nvd, --kev, --epss, --csaf');
      const ingest = { nvd: ingestNvd, kev: ingestKev, epss: ingestEpss, csaf: ingestCsaf };
      let failed = 0;
      await withDatabase(async (_db, ctx) => {
        for (const j of jobs) {
          const t0 = Date.now();
          const run = await ingest[j.feed](ctx, createReadStream(userPath(j.file)), j.file);
          report(j.file, run, Date.now() - t0);
          if (run.status === 'failed') failed++;
        }
      });
      if (failed) throw new AppError('bad_request', `${failed} of ${jobs.length} feed files failed`);
    });
  vulns
    .command('rematch')
    .description("match an organization's systems against every ingested CVE")
    .requiredOption('--org <slug>', 'the organization')
    .action(async (o: { org: string }) => {
      await withDatabase(async (_db, ctx) => {
        const org = await orgsRepository.bySlug(ctx.db, o.org);
        if (!org) throw new AppError('not_found', `No organization with slug "${o.org}"`);
        const t0 = Date.now();
        const r = await vulnsService.rematch(ctx, org.id);
        say(
          `${org.name}: ${r.matched} findings on ${r.systems} systems (${r.new} new, ${r.updated} updated, ` +
            `${r.reopened} reopened, ${r.closed} closed; ${r.candidates} candidate CVEs) in ${Date.now() - t0} ms`,
        );
      });
    });
}
