import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPage, hasChromium, startBrowserEnv } from '../helpers/browser.js';
import { GOPHISH_RESULTS } from '../helpers/gophish.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;

describe.skipIf(!hasChromium)('workforce and partners in the browser', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await adminPage(env);
  }, 120_000);
  afterAll(() => env?.close());

  it('imports a gophish CSV and shows the new click rate', async () => {
    await page.getByRole('link', { name: 'Phishing simulations' }).click();
    const clickRate = page.getByTestId('click-rate');
    // The sample campaign: 5 of 12 clicked.
    await expect.poll(() => clickRate.textContent()).toBe('41.7%');
    await page.getByLabel('Campaign name').fill('Browser lure');
    await page.locator('input[type=file]').setInputFiles({
      name: 'results.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(GOPHISH_RESULTS),
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Imported 4 recipients' }).waitFor();
    // 7 of 16 across both campaigns.
    await expect.poll(() => clickRate.textContent()).toBe('43.8%');
    await page.getByRole('cell', { name: 'Browser lure', exact: true }).waitFor();
    await page.getByRole('img', { name: /by department/ }).waitFor();
    // Rename the imported campaign; its results stay as imported.
    await page.getByRole('button', { name: 'Rename Browser lure' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Campaign name/ }).fill('Browser invoice lure');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Browser invoice lure', exact: true }).waitFor();
    expect(await clickRate.textContent()).toBe('43.8%');
  });

  it('records a completion', async () => {
    await page.getByRole('link', { name: 'Training', exact: true }).click();
    const row = page.getByRole('row', { name: /ICS\/SCADA security fundamentals/ });
    await row.getByRole('button', { name: 'Assignments' }).click();
    const table = page.getByTestId('assignments');
    await table.getByRole('button', { name: 'Mark Kim Tran complete' }).click();
    await expect.poll(() => table.getByRole('row', { name: /Kim Tran/ }).textContent()).toContain('(manual)');
  });

  it('adds an agreement and shows when it expires', async () => {
    await page.getByRole('link', { name: 'Partners and agreements' }).click();
    await page.getByTestId('expiry-Sample: priority restoration for critical sites').waitFor();
    expect(
      await page.getByTestId('expiry-Sample: priority restoration for critical sites').textContent(),
    ).toMatch(/^Expires in 3[45] days$/);
    await page
      .getByRole('combobox', { name: /^Partner/ })
      .or(page.getByRole('textbox', { name: /^Partner/ }))
      .click();
    await page.getByRole('option', { name: 'Example Fiber' }).click();
    await page.getByLabel('Agreement title').fill('Browser NDA');
    const date = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Starts').fill(date(-30));
    await page.getByLabel('Ends').fill(date(11));
    await page.getByRole('button', { name: 'Add agreement' }).click();
    const badge = page.getByTestId('expiry-Browser NDA');
    await badge.waitFor();
    expect(await badge.textContent()).toMatch(/^Expires in (10|11) days$/);
  });

  it('shows the crisis roster, ready to print', async () => {
    await page.getByRole('link', { name: 'Crisis roster' }).click();
    const roster = page.getByTestId('roster');
    await roster.getByText('Grid Control Room').waitFor();
    expect(await roster.getByRole('link', { name: '+1 555 0100' }).getAttribute('href')).toBe(
      'tel:+15550100',
    );
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('edits a roster contact', async () => {
    await page.getByRole('button', { name: 'Edit Grid Control Room' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Title').fill('Duty engineer');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('roster').getByText('Duty engineer, Example Power & Light').waitFor();
  });

  it('shows which city services depend on a partner and the cascade if it fails', async () => {
    await page.getByRole('link', { name: 'Partners and agreements' }).click();
    await page.getByRole('button', { name: 'City services depending on Example Power & Light' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('partner-dependents').waitFor();
    await expect
      .poll(() => dialog.getByTestId('partner-cascade').textContent())
      .toMatch(/services? stops?, affecting [\d,]+ residents/);
    await dialog
      .getByRole('button', { name: 'Close' })
      .or(page.locator('.mantine-Modal-close'))
      .first()
      .click();
  });

  it('uploads a signed agreement', async () => {
    await page.getByRole('button', { name: 'Documents of Browser NDA' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Document title (default: the file name)').fill('Signed NDA');
    await dialog.locator('input[type=file]').setInputFiles({
      name: 'nda.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7\nsigned\n%%EOF\n'),
    });
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await dialog.getByTestId('agreement-files').getByRole('link', { name: 'Signed NDA' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('agreements').getByRole('link', { name: 'Signed NDA' }).waitFor();
  });

  it('records a cooperation activity with a partner', async () => {
    await page.getByRole('link', { name: 'Cooperation activities' }).click();
    await page.getByTestId('activities').getByText('Sample: regional ransomware tabletop exercise').waitFor();
    await page.getByRole('textbox', { name: /^Title/ }).fill('Browser flood exercise');
    await page.getByLabel(/^Starts on/).fill('2026-09-15');
    await page.getByRole('combobox', { name: 'Partners' }).click();
    await page.getByRole('option', { name: 'Example State University' }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel('Outcomes').fill('Pumping stations kept running on generators');
    await page.getByRole('button', { name: 'Add activity' }).click();
    const row = page.getByRole('row', { name: /Browser flood exercise/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Example State University');
    expect(await row.textContent()).toContain('Pumping stations kept running on generators');
  });

  it('adds a person and edits their job title', async () => {
    await page.getByRole('link', { name: 'Workforce and roles' }).click();
    await page.getByRole('textbox', { name: /^Name/ }).fill('Browser Person');
    await page.getByRole('textbox', { name: /^User name/ }).fill('browser.person');
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.getByLabel('Search').fill('Browser Person');
    await page.getByRole('button', { name: 'Edit Browser Person' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Job title' }).fill('SOC analyst');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'SOC analyst', exact: true }).waitFor();
  });
  it('deletes a person only after the deletion is confirmed', async () => {
    const row = page.getByRole('row', { name: /Browser Person/ });
    await page.getByLabel('Search').fill('Browser Person');
    await row.waitFor();
    // Declining the confirmation keeps the person.
    page.once('dialog', (d) => {
      expect(d.message()).toContain('Browser Person');
      void d.dismiss();
    });
    await page.getByRole('button', { name: 'Delete Browser Person' }).click();
    await page.reload();
    // The search is debounced: the row is acted on once the filtered list has arrived, not in the list before.
    const filtered = page.waitForResponse((r) => /\/workforce\/people\?.*q=Browser/.test(r.url()));
    await page.getByLabel('Search').fill('Browser Person');
    await filtered;
    await row.waitFor();
    const deleted = page.waitForResponse(
      (r) => r.request().method() === 'DELETE' && r.url().includes('/workforce/people/'),
    );
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete Browser Person' }).click();
    expect((await deleted).status()).toBe(204);
    await row.waitFor({ state: 'detached' });
  });
});
