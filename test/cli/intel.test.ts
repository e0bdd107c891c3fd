import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/cli/db.js';
import { feedsService } from '../../src/server/modules/intel/intel.feeds.js';
import { intelService } from '../../src/server/modules/intel/intel.service.js';
import { orgsRepository } from '../../src/server/modules/orgs/orgs.repository.js';
import { type TestEnv, testEnv } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { bundleOf, indicator, T0 } from '../helpers/stix.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-cli-intel-'));
const saved = process.env.CITYWALL_DATA_DIR;
process.env.CITYWALL_DATA_DIR = join(dir, 'data');
let remote: TestEnv;
beforeAll(async () => {
  remote = await testEnv();
  await remote.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  process.env.CITYWALL_DATA_DIR = saved;
  await remote?.close();
});

const run = runCli;

describe('citywall intel feeds', () => {
  it('lists feeds and runs one now, printing what it moved; an unknown feed is one plain error line', async () => {
    await run('org', 'create', '--name', 'Cli Intel City', '--kind', 'city', '--slug', 'cli-intel');
    expect(await run('intel', 'feeds', '--org', 'cli-intel')).toContain('0 TAXII feed(s) of Cli Intel City');

    // A remote instance with one object its reader may see.
    const org = await remote.org('Cli Remote City');
    const reader = await remote.user('reader@cli-remote.test', { orgId: org.id, role: 'viewer' }, 'read');
    const pulled = indicator('pulled by the command line', 'green');
    const imported = await remote.call(remote.admin, {
      method: 'POST',
      url: `/api/v1/orgs/${org.id}/intel/bundles`,
      payload: bundleOf([pulled]),
    });
    expect(imported.statusCode).toBe(200);
    const apiRoot = `http://127.0.0.1:${(remote.app.server.address() as AddressInfo).port}/taxii2/${org.id}/`;
    await withDatabase(async (_db, ctx) => {
      const city = await orgsRepository.bySlug(ctx.db, 'cli-intel');
      await feedsService.create(ctx, city!.id, {
        name: 'Remote ISAC',
        apiRoot,
        collectionId: org.id,
        token: reader.token,
        direction: 'pull',
      });
    });

    const listed = await run('intel', 'feeds', '--org', 'cli-intel');
    expect(listed).toContain('1 TAXII feed(s)');
    expect(listed).toContain(`Remote ISAC  pull  ${apiRoot} collection ${org.id}  last run never`);
    expect(listed).not.toContain(reader.token);

    expect(await run('intel', 'feed-run', 'Remote ISAC', '--org', 'cli-intel')).toContain(
      'Pulled Remote ISAC: 1 imported, 0 refused',
    );
    expect(process.exitCode).toBe(0);
    expect(await run('intel', 'feeds', '--org', 'cli-intel')).toMatch(/last run \d{4}-.* \(ok: /);

    const unknown = await run('intel', 'feed-run', 'Nope', '--org', 'cli-intel');
    expect(unknown.trim()).toBe('citywall: Cli Intel City has no TAXII feed named or numbered Nope');
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
  }, 120_000);
});

/** The ids of the objects `slug` holds, read as the command line reads them. */
async function storedIds(slug: string) {
  return withDatabase(async (_db, ctx) => {
    const org = await orgsRepository.bySlug(ctx.db, slug);
    const page = await intelService.list(ctx, org!.id, {}, 500, 0);
    return page.items.map((i) => i.stixId).sort();
  });
}

describe('citywall intel import', () => {
  it('imports a bundle file and prints the report; a malformed file is one plain error line', async () => {
    await run('org', 'create', '--name', 'Cli Import City', '--kind', 'city', '--slug', 'cli-import');
    const good = indicator('Imported from a file', 'green');
    const malware20 = {
      type: 'malware',
      id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
      created: '2016-04-06T20:07:09Z',
      modified: '2016-04-06T20:07:09.000Z',
      name: 'Poison Ivy',
      labels: ['remote-access-trojan'],
    };
    const thing = {
      type: 'foo-thing',
      spec_version: '2.1',
      id: 'foo-thing--6f5a3a8e-2a6f-4a8e-9a7e-0c6b2f0d1e21',
      created: T0,
      modified: T0,
    };
    const bad = { ...indicator('Broken pattern'), pattern: "[ipv4-addr:value = '1.2.3.4'" };
    const file = join(dir, 'bundle.json');
    writeFileSync(file, JSON.stringify(bundleOf([good, malware20, thing, bad])));

    const out = await run('intel', 'import', file, '--org', 'cli-import');
    expect(process.exitCode).toBe(0);
    expect(out).toMatch(
      /^Imported 3 of 4 objects into Cli Import City in \d+ ms \(0 already present, 1 invalid\)\n/,
    );
    expect(out).toContain(`  #3 ${bad.id}: pattern `);
    expect(out).toContain('Upgraded from STIX 2.0: 1 object(s)\n');
    expect(out).toContain(`  #1 ${malware20.id}: `);
    expect(out).toContain('labels moved to malware_types');
    expect(out).toContain('Warnings: 1\n');
    expect(out).toContain(`  #2 ${thing.id}: type "foo-thing" is not a STIX 2.1 type`);
    expect(await storedIds('cli-import')).toEqual([good.id, malware20.id, thing.id].sort());

    const broken = join(dir, 'broken.json');
    writeFileSync(
      broken,
      `{"type":"bundle","objects":[${JSON.stringify(indicator('Never stored'))},{"type":`,
    );
    const failed = await run('intel', 'import', broken, '--org', 'cli-import');
    expect(failed).toBe('citywall: The bundle is not valid JSON: unexpected end of the document\n');
    expect(process.exitCode).toBe(1);
    expect(await storedIds('cli-import')).toEqual([good.id, malware20.id, thing.id].sort());

    const missing = await run('intel', 'import', join(dir, 'nowhere.json'), '--org', 'cli-import');
    expect(missing).toBe(`citywall: No such file: ${join(dir, 'nowhere.json')}\n`);
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
  }, 120_000);
});
