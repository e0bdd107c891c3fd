import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { assetsService } from '../../src/server/modules/assets/assets.service.js';
import { ingestCsaf, ingestEpss } from '../../src/server/modules/vulns/vulns.ingest.js';
import { vulnsService } from '../../src/server/modules/vulns/vulns.service.js';
import { adminPage, hasChromium, startBrowserEnv } from '../helpers/browser.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;

describe.skipIf(!hasChromium)('vulnerabilities in the browser', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await adminPage(env);
  }, 120_000);
  afterAll(() => env?.close());

  it('lists the findings with their badges and filters them', async () => {
    await page.getByRole('link', { name: 'Vulnerabilities' }).click();
    const table = page.getByTestId('findings');
    await table.getByRole('link', { name: 'CVE-2024-21762' }).waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(5);
    const row = table.getByRole('row', { name: /CVE-2024-21762/ });
    expect(await row.textContent()).toMatch(/SSVC Act.*KEV/);
    await page.getByLabel('Search').fill('Veeam');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody tr').first().textContent()).toContain('CVE-2024-40711');
    await page.getByLabel('Search').fill('');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(5);
  });

  it('reads the trace of a finding and triages it', async () => {
    await page
      .getByTestId('findings')
      .getByRole('row', { name: /CVE-2024-21762/ })
      .getByRole('link', { name: 'Internet firewall' })
      .click();
    await page.getByRole('heading', { name: 'CVE-2024-21762 on Internet firewall' }).waitFor();
    const trace = page.getByTestId('trace');
    await trace.getByText('Why is this on my list?').waitFor();
    expect(await trace.textContent()).toContain('cpe:2.3:o:fortinet:fortios:7.2.5');
    expect(await page.getByTestId('bounds').textContent()).toMatch(
      /Version 7\.2\.5: ≥ 7\.2\.0 ✓.*, < 7\.2\.7 ✓/,
    );
    expect(await page.getByTestId('ssvc-inputs').textContent()).toMatch(
      /Exploitationactivelisted in CISA KEV/,
    );
    expect(await page.getByTestId('kev').textContent()).toContain('due 2024-02-16');

    const triage = page.getByTestId('triage');
    await triage
      .getByRole('combobox', { name: 'Status' })
      .or(triage.getByRole('textbox', { name: 'Status' }))
      .click();
    await page.getByRole('option', { name: 'In progress' }).click();
    await triage.getByLabel('Note').fill('Upgrade to 7.2.7 tonight');
    await triage.getByRole('button', { name: 'Save status' }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('In progress');

    await page.getByRole('link', { name: 'All findings' }).click();
    const row = page.getByTestId('findings').getByRole('row', { name: /CVE-2024-21762/ });
    await expect.poll(() => row.textContent()).toContain('In progress');
  });

  it("shows what a vendor's CSAF advisory says about an OT system", async () => {
    const ctx = { db: env.database.db, actor: SYSTEM_ACTOR };
    const doc = JSON.parse(
      readFileSync(new URL('../../src/core/vuln/fixtures/csaf-sample.json', import.meta.url), 'utf8'),
    );
    doc.document.tracking.current_release_date = '2099-06-01T00:00:00Z';
    const run = await ingestCsaf(ctx, Readable.from([JSON.stringify(doc)]), 'csaf-sample.json');
    expect(run.status).toBe('succeeded');
    const orgId = new URL(page.url()).pathname.split('/')[2] as string;
    await assetsService.createSystem(ctx, orgId, {
      name: 'Filter gallery PLC',
      kind: 'ot',
      vendor: 'Example Automation',
      product: 'ExamplePLC 1500',
      version: 'V2.3.1',
    } as never);
    await vulnsService.rematch(ctx, orgId);
    await page.reload();
    await page
      .getByTestId('findings')
      .getByRole('row', { name: /CVE-2099-1000/ })
      .getByRole('link', { name: 'Filter gallery PLC' })
      .click();
    const advisories = page.getByTestId('advisories');
    await advisories.getByText('EX-2099-01').waitFor();
    expect(await advisories.textContent()).toMatch(
      /affected.*V2\.3\.1 in ">= V2\.3\.0 < V2\.3\.4".*Vendor fix/,
    );
  });

  it('shows a CVE page with CVSS, CWE, KEV, the EPSS history and the findings, linked both ways', async () => {
    const ctx = { db: env.database.db, actor: SYSTEM_ACTOR };
    for (const [date, score, percentile] of [
      ['2024-02-10', '0.41000', '0.97000'],
      ['2024-02-11', '0.93000', '0.99800'],
    ]) {
      const csv = `#model_version:v2023.03.01,score_date:${date}T00:00:00+0000\ncve,epss,percentile\nCVE-2024-21762,${score},${percentile}\n`;
      expect((await ingestEpss(ctx, Readable.from([csv]), 'epss.csv')).status).toBe('succeeded');
    }
    await page.getByRole('link', { name: 'Vulnerabilities' }).click();
    await page.getByTestId('findings').getByRole('link', { name: 'CVE-2024-21762' }).click();
    await page.getByRole('heading', { name: 'CVE-2024-21762', level: 1 }).waitFor();
    expect(await page.getByTestId('cvss').textContent()).toMatch(/3\.1.*9\.8.*CVSS:3\.1\/AV:N/);
    expect(await page.getByTestId('cwes').textContent()).toMatch(/CWE-/);
    expect(await page.getByTestId('kev').textContent()).toContain('due 2024-02-16');
    expect(await page.getByTestId('epss').textContent()).toMatch(
      /probability 93\.0\s?%, percentile 99\.8\s?%/,
    );
    await page.getByRole('img', { name: 'EPSS probability and percentile over time' }).waitFor();
    await page.getByTestId('cve-findings').getByRole('link', { name: 'Internet firewall' }).click();
    await page.getByRole('heading', { name: 'CVE-2024-21762 on Internet firewall' }).waitFor();
    await page.getByRole('link', { name: 'About CVE-2024-21762' }).click();
    await page.getByRole('heading', { name: 'CVE-2024-21762', level: 1 }).waitFor();
  });

  it('sets the due-date policy', async () => {
    await page.getByRole('link', { name: 'Vulnerabilities' }).click();
    await page.getByRole('button', { name: 'Due dates' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/uses the defaults/).waitFor();
    await dialog.getByLabel('Days for Track', { exact: true }).fill('180');
    await dialog.getByRole('button', { name: 'Save the policy' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Due dates' }).click();
    await page
      .getByRole('dialog')
      .getByText(/sets its own due dates/)
      .waitFor();
    expect(await page.getByRole('dialog').getByLabel('Days for Track', { exact: true }).inputValue()).toBe(
      '180',
    );
  });
  it('triages several findings at once, and shows the new ones and the findings by service', async () => {
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: 'Vulnerabilities' }).click();
    const table = page.getByTestId('findings');
    await table.getByRole('link', { name: 'CVE-2023-20198' }).waitFor();
    for (const cve of ['CVE-2023-20198', 'CVE-2024-37085']) {
      await table
        .getByRole('row', { name: new RegExp(cve) })
        .getByRole('checkbox')
        .check();
    }
    const bulk = page.getByTestId('bulk-triage');
    await bulk.getByRole('heading', { name: '2 findings selected' }).waitFor();
    await bulk
      .getByRole('combobox', { name: 'Status' })
      .or(bulk.getByRole('textbox', { name: 'Status' }))
      .click();
    await page.getByRole('option', { name: 'Mitigated' }).click();
    await bulk.getByLabel('Note').fill('Patched in the May window');
    await bulk.getByRole('button', { name: 'Set the status of 2 findings' }).click();
    await bulk.waitFor({ state: 'hidden' });
    for (const cve of ['CVE-2023-20198', 'CVE-2024-37085']) {
      await expect
        .poll(() => table.getByRole('row', { name: new RegExp(cve) }).textContent())
        .toContain('Mitigated');
    }
    expect(await table.getByRole('row', { name: /CVE-2024-40711/ }).textContent()).not.toContain('Mitigated');

    await page.getByText('New this week').click();
    await page.getByText('Findings first seen in the last seven days.').waitFor();
    await table.getByRole('link', { name: 'CVE-2024-40711' }).waitFor();

    await page.getByText('By service', { exact: true }).click();
    const groups = page.getByTestId('by-service');
    const first = groups.locator('tbody tr').first().getByRole('button');
    await first.waitFor();
    const name = (await first.textContent()) as string;
    await first.click();
    expect(await page.getByTestId('service-filter').textContent()).toBe(`Service: ${name}`);
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Show the findings of every service' }).click();
    await page.getByTestId('service-filter').waitFor({ state: 'hidden' });

    await page.getByText('Trends', { exact: true }).click();
    await page.getByRole('img', { name: 'Open findings by SSVC decision over time' }).waitFor();
    // The chart's card is drawn while the trend is still loading; its summary line comes with the data.
    await page
      .getByTestId('trends')
      .getByText(/\d+ open findings, \d+ of them known exploited/)
      .waitFor();
  });
  it('suggests a CPE name in the system form from the names in the NVD data', async () => {
    const orgPath = new URL(page.url()).pathname.split('/').slice(0, 3).join('/');
    await page.goto(`${env.url}${orgPath}/assets`);
    await page.getByRole('tab', { name: 'Systems' }).click();
    await page.getByLabel('Search systems').fill('firewall');
    await page.getByRole('button', { name: 'Internet firewall' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('CPE 2.3').fill('');
    await dialog.getByLabel('Product').fill('FortiOS');
    await dialog.getByLabel('Version').fill('7.2.5');
    await dialog.getByRole('button', { name: 'Suggest CPE' }).click();
    const use = dialog.getByRole('button', { name: 'Use cpe:2.3:o:fortinet:fortios:7.2.5:*:*:*:*:*:*:*' });
    await use.click();
    expect(await dialog.getByLabel('CPE 2.3').inputValue()).toBe(
      'cpe:2.3:o:fortinet:fortios:7.2.5:*:*:*:*:*:*:*',
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });
});
