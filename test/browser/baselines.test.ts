import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_BASELINE_REQUIREMENTS } from '../../src/core/baseline/index.js';
import { assessmentResultsSchema } from '../../src/core/oscal/index.js';
import { ADMIN, hasChromium, startBrowserEnv } from '../helpers/browser.js';
import { unzip } from '../helpers/zip.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;
const advanced = CITY_BASELINE_REQUIREMENTS.filter((r) => r.tier === 'advanced' && !r.ot.length);

describe.skipIf(!hasChromium)('baselines in the browser', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await env.browser.newPage({ acceptDownloads: true });
    page.setDefaultTimeout(15_000);
  }, 120_000);
  afterAll(() => env?.close());

  const progress = async () => Number((await page.getByTestId('progress').textContent())?.split(' ')[0]);
  const card = (id: string) => page.locator(`[data-requirement="${id}"]`);

  it('opens the sample assessment from the navigation', async () => {
    await page.goto(`${env.url}/`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel(/^Password/).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Example City', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Assessments', exact: true }).click();
    await page.getByRole('heading', { name: 'Evidence expiring' }).waitFor();
    // The evidence list loads after the page's heading: wait for it rather than look once.
    await page.getByRole('cell', { name: 'Sample: phishing exercise results' }).waitFor();
    await page
      .getByRole('link', { name: /Sample: City Baseline self-assessment/ })
      .first()
      .click();
    await page.getByTestId('questionnaire').waitFor();
  });

  it('answers requirements with the keyboard, saving as it goes', async () => {
    const before = await progress();
    await page.getByLabel('Tier', { exact: true }).first().click();
    await page.getByRole('option', { name: 'Advanced' }).click();
    await page.getByTestId('progress').click();
    await expect.poll(() => card(advanced[0].id).getAttribute('data-active')).toBe('true');
    await page.keyboard.press('1');
    await card(advanced[0].id).getByText('Implemented', { exact: true }).waitFor();
    await page.keyboard.press('Shift+Digit3');
    await page.keyboard.press('j');
    await expect.poll(() => card(advanced[1].id).getAttribute('data-active')).toBe('true');
    await page.keyboard.press('3');
    await card(advanced[1].id).getByText('Planned', { exact: true }).first().waitFor();
    await expect.poll(progress).toBe(before + 2);
    await page.keyboard.press('k');
    await expect.poll(() => card(advanced[0].id).getAttribute('data-active')).toBe('true');
    await card(advanced[0].id)
      .getByText(/Assessed by/)
      .waitFor();
    // Saved on the server, not only on the page.
    await page.reload();
    await page.getByTestId('questionnaire').waitFor();
    expect(await progress()).toBe(before + 2);
  });

  it('attaches an evidence file to an answer', async () => {
    await page.getByLabel('Tier', { exact: true }).first().click();
    await page.getByRole('option', { name: 'Advanced' }).click();
    const active = card(advanced[0].id);
    await active.getByText(/Assessed by/).waitFor();
    await active.getByLabel('Evidence title').fill('Red team report 2026');
    await active.getByLabel('Expires').fill('2099-12-31');
    await active.locator('input[type="file"]').setInputFiles({
      name: 'red-team.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    await active.getByRole('button', { name: 'Attach' }).click();
    await active.getByRole('link', { name: 'Red team report 2026' }).waitFor();
  });

  it('shows the gaps and the heat map', async () => {
    await page.getByRole('tab', { name: 'Gaps' }).click();
    await page.getByRole('cell', { name: 'Critical' }).first().waitFor();
    await page.getByRole('tab', { name: 'Scores and heat map' }).click();
    const heat = page.getByTestId('heat-map');
    await heat.getByRole('cell', { name: 'Water and Wastewater' }).waitFor();
    expect(await heat.getByRole('row').count()).toBe(3);
    await page.getByTestId('csf-coverage').getByRole('cell', { name: 'Information Technology' }).waitFor();
  });

  it('downloads the OSCAL assessment results with the new answers and evidence', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'OSCAL assessment results' }).click(),
    ]);
    const doc = JSON.parse(readFileSync((await download.path()) as string, 'utf8'));
    expect(assessmentResultsSchema.safeParse(doc).success).toBe(true);
    const result = doc['assessment-results'].results[0];
    const finding = result.findings.find(
      (f: { title: string }) =>
        f.title.startsWith(`${advanced[0].id} `) && f.title.includes('Information Technology'),
    );
    expect(finding.target.status.state).toBe('satisfied');
    const observation = result.observations.find(
      (o: { title?: string }) => o.title === 'Red team report 2026',
    );
    expect(observation.expires).toBe('2099-12-31T00:00:00.000Z');
    expect(finding['related-observations']).toEqual([{ 'observation-uuid': observation.uuid }]);
  });

  it('compares the departments side by side, function by function', async () => {
    await page.getByRole('tab', { name: 'Compare departments' }).click();
    const table = page.getByTestId('compare-departments');
    await table.getByRole('columnheader', { name: 'Water and Wastewater' }).waitFor();
    await table.getByRole('columnheader', { name: 'Information Technology' }).waitFor();
    expect(await table.getByRole('row').count()).toBe(8);
    await page.locator('label', { hasText: /^Maturity \(/ }).click();
    await table
      .getByText(/\((Partial|Risk Informed|Repeatable|Adaptive)\)/)
      .first()
      .waitFor();
  });

  it('downloads the DOCX report', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Report (DOCX)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^assessment-report_.+\.docx$/);
    const files = unzip(readFileSync((await download.path()) as string));
    const text = (files.get('word/document.xml')?.toString('utf8') ?? '').replace(/<[^>]+>/g, '');
    expect(text).toContain('Sample: City Baseline self-assessment');
    expect(text).toContain('Water and Wastewater');
    expect(text).toContain('3. Gaps and actions');
  });

  it('starts the next cycle and shows what changed and the trend', async () => {
    const title = await page.getByRole('heading', { level: 1 }).textContent();
    await page.getByRole('link', { name: 'Assessments', exact: true }).click();
    await page.getByRole('button', { name: 'New assessment' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Title/).fill('City Baseline, next cycle');
    await dialog.getByLabel('Start from an earlier cycle').click();
    await page
      .getByRole('option', { name: title ?? '' })
      .first()
      .click();
    await dialog.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('heading', { name: 'City Baseline, next cycle', level: 1 }).waitFor();
    await page.getByTestId('questionnaire').waitFor();
    // Change one answer so the cycles differ.
    await page.getByLabel('Tier', { exact: true }).first().click();
    await page.getByRole('option', { name: 'Advanced' }).click();
    await page.getByTestId('progress').click();
    await expect.poll(() => card(advanced[1].id).getAttribute('data-active')).toBe('false');
    await page.keyboard.press('j');
    await expect.poll(() => card(advanced[1].id).getAttribute('data-active')).toBe('true');
    await page.keyboard.press('1');
    await card(advanced[1].id).getByText('Implemented', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Changes since last cycle' }).click();
    await page
      .getByTestId('changes-summary')
      .getByText(/1 improved/)
      .waitFor();
    await page.getByRole('cell', { name: new RegExp(`^${advanced[1].id} `) }).waitFor();
    await page.getByRole('tab', { name: 'Trends' }).click();
    const trend = page.getByTestId('trend-table');
    await trend.getByRole('columnheader', { name: /City Baseline, next cycle/ }).waitFor();
    // The sample's 2025 and 2026 cycles, and the one just started.
    expect(await trend.getByRole('columnheader').count()).toBe(4);
    await trend.getByRole('rowheader', { name: 'PR Protect' }).waitFor();
    await page.locator('label', { hasText: 'By department' }).click();
    await trend.getByRole('rowheader', { name: 'Water and Wastewater' }).waitFor();
    await page.getByRole('img', { name: /Line chart of scores/ }).waitFor();
  });
});
