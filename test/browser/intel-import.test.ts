import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPage, hasChromium, importBundleFile, startBrowserEnv } from '../helpers/browser.js';
import { bundleOf, indicator, T0 } from '../helpers/stix.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;

describe.skipIf(!hasChromium)('intel import remarks and export in the browser', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await adminPage(env);
  }, 120_000);
  afterAll(() => env?.close());

  it('lists the warnings and STIX 2.0 upgrades of an import, and exports the filtered objects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-intel-import-'));
    const file = join(dir, 'bundle.json');
    const plain = indicator('Remark test plain indicator', 'green');
    const thing = {
      type: 'foo-thing',
      spec_version: '2.1',
      id: `foo-thing--${randomUUID()}`,
      created: T0,
      modified: T0,
      name: 'Remark test thing',
    };
    const malware20 = {
      type: 'malware',
      id: `malware--${randomUUID()}`,
      created: '2016-04-06T20:07:09Z',
      modified: '2016-04-06T20:07:09.000Z',
      name: 'Remark test Poison Ivy',
      labels: ['remote-access-trojan'],
    };
    writeFileSync(file, JSON.stringify(bundleOf([plain, thing, malware20])));

    await page.getByRole('link', { name: 'Threat intelligence', exact: true }).click();
    await importBundleFile(page, file);
    await page.getByTestId('import-report').getByText('3 objects read: 3 imported').waitFor();

    const warnings = page.getByRole('region', { name: /Accepted with warnings/ });
    await warnings.getByRole('heading', { name: 'Accepted with warnings (1)', level: 2 }).waitFor();
    expect(await warnings.getByRole('row', { name: new RegExp(thing.id) }).textContent()).toContain(
      '"foo-thing" is not a STIX 2.1 type',
    );
    const upgrades = page.getByRole('region', { name: /Upgraded from STIX 2.0/ });
    const row = upgrades.getByRole('row', { name: new RegExp(malware20.id) });
    expect(await row.getByRole('listitem').allTextContents()).toContain(
      'labels: labels moved to malware_types',
    );

    // The export takes the list's filters: here a search only the plain indicator matches.
    await page.getByRole('link', { name: 'Threat intelligence', exact: true }).click();
    await page.getByLabel('Search').fill('Remark test');
    await page.getByRole('row', { name: /Remark test thing/ }).waitFor();
    await page.getByLabel('Search').fill('Remark test plain');
    await page.getByRole('row', { name: /Remark test thing/ }).waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Remark test plain indicator/ }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export bundle' }).click(),
    ]);
    const bundle = JSON.parse(readFileSync((await download.path()) as string, 'utf8'));
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.map((o: { id: string }) => o.id)).toEqual([plain.id]);
  });
});
