import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-cli-wf-'));
const saved = process.env.CITYWALL_DATA_DIR;
process.env.CITYWALL_DATA_DIR = join(dir, 'data');
afterAll(() => {
  process.env.CITYWALL_DATA_DIR = saved;
});

const run = runCli;

describe('citywall workforce and partners commands', () => {
  it('previews and imports staff, refusing an unknown department', async () => {
    await run('org', 'create', '--name', 'Cli City', '--kind', 'city', '--slug', 'cli-city');
    await run('org', 'create', '--name', 'Cli Water', '--kind', 'department', '--parent', 'cli-city');
    const good = join(dir, 'staff.csv');
    writeFileSync(good, 'user_name,display_name,department\nkim,Kim Tran,Cli Water\n');
    expect(await run('workforce', 'import-people', '--org', 'cli-city', '--file', good)).toContain(
      'Preview: 1 rows, 1 new, 0 updated, 0 errors',
    );
    expect(
      await run('workforce', 'import-people', '--org', 'cli-city', '--file', good, '--commit'),
    ).toContain('Imported: 1 rows, 1 new');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'user_name,display_name,department\nlee,Lee,Parks\n');
    const out = await run('workforce', 'import-people', '--org', 'cli-city', '--file', bad, '--commit');
    expect(out).toContain('citywall: The file has 1 error(s): nothing was imported');
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
  }, 60_000);

  it('prints an empty roster as a CSV header', async () => {
    const out = await run('partners', 'roster', '--org', 'cli-city', '--format', 'csv');
    expect(out.trim()).toBe(
      'service,incident_type,escalation_order,name,organization,title,phone_24x7,phone,email',
    );
  }, 30_000);
});
