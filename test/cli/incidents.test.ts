import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/cli/db.js';
import { INCIDENT_CORE_EXTENSION_ID } from '../../src/core/incident/index.js';
import { validateBundle } from '../../src/core/stix/index.js';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { incidentsService } from '../../src/server/modules/incidents/incidents.service.js';
import { orgsRepository } from '../../src/server/modules/orgs/orgs.repository.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-cli-inc-'));
const saved = process.env.CITYWALL_DATA_DIR;
process.env.CITYWALL_DATA_DIR = join(dir, 'data');
afterAll(() => {
  process.env.CITYWALL_DATA_DIR = saved;
});

const run = runCli;

describe('citywall incidents', () => {
  let id = '';
  it('lists and shows incidents', async () => {
    await run('org', 'create', '--name', 'Cli Incident City', '--kind', 'city', '--slug', 'cli-inc');
    expect(await run('incidents', 'list', '--org', 'cli-inc')).toContain('0 of 0 incidents');
    id = await withDatabase(async (_db, ctx) => {
      const org = await orgsRepository.bySlug(ctx.db, 'cli-inc');
      const inc = await incidentsService.create({ db: ctx.db, actor: SYSTEM_ACTOR }, org!.id, {
        title: 'Ransomware at the permits office',
        summary: 'Encrypted file server',
        type: 'ransomware',
        tlp: 'amber',
        exercise: false,
        playbook: 'ransomware',
        leadId: null,
        team: [],
        attackTechniques: [],
        affected: [],
        facts: {},
        timeZone: 'America/Denver',
        severity: null,
      });
      await incidentsService.addObservable({ db: ctx.db, actor: SYSTEM_ACTOR }, org!.id, inc.id, {
        type: 'ipv4-addr',
        value: '198.51.100.9',
        note: '',
      });
      return inc.id;
    });
    const list = await run('incidents', 'list', '--org', 'cli-inc');
    expect(list).toContain(`${id}\tdetected\transomware`);
    expect(list).toContain('1 of 1 incidents');
    const show = await run('incidents', 'show', id, '--org', 'cli-inc');
    expect(show).toContain('Ransomware at the permits office');
    expect(show).toMatch(/tasks\s+0 of \d+ done/);
    expect(show).toContain('ipv4-addr 198.51.100.9');
  }, 60_000);

  it('exports a valid STIX bundle and the timeline CSV', async () => {
    const stix = JSON.parse(await run('incidents', 'export', id, '--org', 'cli-inc'));
    expect(validateBundle(stix, { unresolvedReferences: 'error' }).errors).toEqual([]);
    const incident = stix.objects.find((o: { type: string }) => o.type === 'incident');
    expect(incident.extensions[INCIDENT_CORE_EXTENSION_ID].investigation_status).toBe('new');
    const file = join(dir, 'timeline.csv');
    expect(
      await run('incidents', 'export', id, '--org', 'cli-inc', '--format', 'csv', '--out', file),
    ).toContain('Wrote');
    expect(readFileSync(file, 'utf8')).toContain('Incident opened');
  }, 30_000);

  it('answers bad input with one plain error line and a non-zero exit', async () => {
    const cases: [string[], string][] = [
      [['incidents', 'list', '--org', 'nowhere'], 'No organization with slug "nowhere"'],
      [['incidents', 'list', '--org', 'cli-inc', '--status', 'burning'], '--status must be one of'],
      [['incidents', 'show', 'not-an-id', '--org', 'cli-inc'], 'is not an incident id'],
      [['incidents', 'show', '00000000-0000-4000-8000-000000000000', '--org', 'cli-inc'], 'not found'],
      [
        ['incidents', 'export', id, '--org', 'cli-inc', '--format', 'pdf'],
        '--format must be one of stix, csv',
      ],
      [['incidents', 'export', id, '--org', 'cli-inc', '--tlp', 'clear'], 'TLP'],
    ];
    for (const [args, message] of cases) {
      const out = await run(...args);
      expect(out.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(out, args.join(' ')).toContain(message);
      expect(out.startsWith('citywall: '), out).toBe(true);
      expect(process.exitCode, args.join(' ')).not.toBe(0);
    }
    process.exitCode = 0;
  }, 60_000);
});
