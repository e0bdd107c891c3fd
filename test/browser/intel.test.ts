import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, hasChromium, startBrowserEnv } from '../helpers/browser.js';
import { bundleOf, indicator } from '../helpers/stix.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;

describe.skipIf(!hasChromium)('threat intelligence in the browser', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await env.browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${env.url}/`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel(/^Password/).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Example City', level: 1 }).waitFor();
  }, 120_000);
  afterAll(() => env?.close());

  it('lists the sample objects with their TLP badges', async () => {
    await page.getByRole('link', { name: 'Threat intelligence', exact: true }).click();
    await page.getByLabel('Search').fill('WaterLock');
    const row = page.getByRole('row', { name: /Sample: WaterLock command and control/ });
    await row.waitFor();
    expect(await row.getByTestId('tlp-badge').textContent()).toBe('TLP:AMBER+STRICT');
  });

  it('imports a bundle, reports the invalid object, and finds the imported one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-intel-'));
    const file = join(dir, 'bundle.json');
    const good = indicator('Browser Beacon Domain', 'red');
    const bad = { ...indicator('Broken pattern'), pattern: "[domain-name:value = 'x'" };
    writeFileSync(file, JSON.stringify(bundleOf([good, bad])));
    await page.getByRole('link', { name: 'Import a bundle' }).click();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByLabel('Bundle file').click(),
    ]);
    await chooser.setFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await report.textContent()).toContain('2 objects read: 1 imported');
    expect(await report.getByRole('row', { name: new RegExp(bad.id) }).textContent()).toContain('pattern');

    await page.getByRole('link', { name: 'Threat intelligence', exact: true }).click();
    await page.getByLabel('Search').fill('Beacon');
    const row = page.getByRole('row', { name: /Browser Beacon Domain/ });
    await row.waitFor();
    expect(await row.getByTestId('tlp-badge').textContent()).toBe('TLP:RED');
    await row.getByRole('link', { name: 'Browser Beacon Domain' }).click();
    await page.getByRole('heading', { name: 'Browser Beacon Domain', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Versions' }).waitFor();
  });

  it('shares the object to the regional community', async () => {
    await page.getByPlaceholder('A community or one of its members').click();
    await page.getByRole('option', { name: /Example Region Cyber Community/ }).click();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('button', { name: 'Stop sharing with Example Region Cyber Community' }).waitFor();
  });

  it("shows the city's TAXII collections, the shared object counted in the community's", async () => {
    await page.getByRole('link', { name: 'Communities', exact: true }).click();
    const server = page.getByTestId('taxii-server');
    await server.getByRole('heading', { name: 'TAXII 2.1 server' }).waitFor();
    const row = server.getByRole('row', { name: /Example Region Cyber Community/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/\/taxii2\/[0-9a-f-]{36}\/collections\/[0-9a-f-]{36}\//);
    const count = Number((await row.getByRole('cell').last().textContent())?.replace(/\D/g, ''));
    expect(count).toBeGreaterThanOrEqual(1);
    await server.getByRole('button', { name: 'Copy the address of API root' }).waitFor();
  });

  it('configures a TAXII feed', async () => {
    await page.getByRole('link', { name: 'TAXII feeds', exact: true }).click();
    await page.getByLabel(/^Name/).fill('Regional ISAC');
    await page.getByLabel(/^API root URL/).fill('https://taxii.example.org/api1/');
    await page.getByLabel(/^Collection id/).fill('isac-shared');
    await page.getByRole('button', { name: 'Add feed' }).click();
    await page.getByRole('button', { name: 'Remove Regional ISAC' }).waitFor();
    await page.getByText('https://taxii.example.org/api1/ · collection isac-shared').waitFor();
  });
});
