import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/cli/db.js';
import { feedsService } from '../../src/server/modules/intel/intel.feeds.js';
import { orgsRepository } from '../../src/server/modules/orgs/orgs.repository.js';
import { type TestEnv, testEnv } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { bundleOf, indicator } from '../helpers/stix.js';

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
