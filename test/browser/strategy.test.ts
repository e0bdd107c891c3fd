import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPage, hasChromium, startBrowserEnv } from '../helpers/browser.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;

describe.skipIf(!hasChromium)('the strategy dashboard and maturity page', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await adminPage(env);
  }, 120_000);
  afterAll(() => env?.close());

  it('shows the seven steps with their levels and the panels of the dashboard', async () => {
    await page.getByRole('heading', { name: 'Maturity of the seven steps' }).waitFor();
    for (let step = 1; step <= 7; step++) {
      expect(await page.getByTestId(`step-level-${step}`).textContent()).toMatch(/^Level [1-5] · \w+/);
    }
    const levels = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7].map(async (s) => (await page.getByTestId(`step-level-${s}`).textContent())?.[6]),
    );
    expect(new Set(levels).size).toBeGreaterThan(1);
    await page.getByRole('img', { name: /Level of each of the seven steps/ }).waitFor();
    await page.getByRole('heading', { name: 'Top risks' }).waitFor();
    await page.getByText('Ransomware on 911 dispatch').waitFor();
    await page.getByRole('heading', { name: 'Known exploited vulnerabilities' }).waitFor();
    // The open incident's notification clock counts down.
    const incidents = page.getByTestId('dashboard-incidents');
    await incidents.getByRole('link', { name: 'Sample: payroll mailbox taken over' }).waitFor();
    expect(await incidents.getByTestId('countdown').first().textContent()).toMatch(
      /^Colorado: notify .+: due in 2\d d \d+ h$/,
    );
    await page.getByRole('heading', { name: 'Agreements ending within 90 days' }).waitFor();
    await page.getByText('Sample: priority restoration for critical sites').waitFor();
    // Links lead to each module.
    expect(await page.getByRole('link', { name: 'All findings' }).getAttribute('href')).toMatch(
      /\/findings$/,
    );
    expect(await page.getByRole('link', { name: 'All risks' }).getAttribute('href')).toMatch(/\/risks$/);
    // The organization's own information is still there.
    await page.getByText('Sample data').first().waitFor();
    await page.getByRole('heading', { name: 'This organization' }).waitFor();
  });

  it('opens the maturity page with indicators, criteria and an override', async () => {
    await page.getByRole('link', { name: 'Indicators, criteria and history' }).click();
    await page.getByRole('heading', { name: 'Strategy maturity', level: 1 }).waitFor();
    const roster = page.getByTestId('indicator-rosterCoverage');
    await roster.waitFor();
    expect(await roster.textContent()).toContain('Critical services on the crisis roster');
    expect(await roster.textContent()).toContain('2 of 4');
    await page.getByText('Cooperate with partners').first().waitFor();
    const step7 = page.locator('#step-7');
    expect(await step7.textContent()).toContain('Critical services on the crisis roster: at least 80 %');

    const form = step7.getByRole('form', { name: 'Set the level by judgement' });
    await form
      .getByRole('combobox', { name: /^Level/ })
      .or(form.getByRole('textbox', { name: /^Level/ }))
      .first()
      .click();
    await page.getByRole('option', { name: 'Level 4 · Managed' }).click();
    await form
      .getByLabel(/^Justification/)
      .fill('The regional mutual-aid compact covers the rest of the roster');
    await form.getByRole('button', { name: 'Set level' }).click();
    await expect.poll(() => page.getByTestId('maturity-level-7').textContent()).toBe('Level 4 · Managed');
    await step7.getByText('The regional mutual-aid compact covers the rest of the roster').waitFor();

    await page.getByRole('button', { name: 'Take a snapshot now' }).click();
    await page.getByText('1 snapshot').waitFor();
    await page.getByRole('img', { name: 'Level of each step in each snapshot' }).waitFor();
    await page.getByRole('heading', { name: 'Objectives and KPIs' }).waitFor();
    await page.getByText('Measured from live data: Training completion').first().waitFor();
  });

  it('speaks Spanish on the dashboard', async () => {
    await page.getByRole('link', { name: 'Home', exact: true }).click();
    await page.getByRole('heading', { name: 'Maturity of the seven steps' }).waitFor();
    await page.getByTestId('account-menu').click();
    await page.getByTestId('language-es').click();
    await page.getByRole('heading', { name: 'Madurez de los siete pasos' }).waitFor();
    await page.getByRole('heading', { name: 'Principales riesgos' }).waitFor();
    expect(await page.getByTestId('step-level-7').textContent()).toBe('Nivel 4 · Gestionado');
    await page.getByText('Datos de ejemplo').first().waitFor();
    expect(await page.getByTestId('countdown').first().textContent()).toMatch(/: vence en 2\d d \d+ h$/);
    await page.getByRole('link', { name: 'Indicadores, criterios e historial' }).click();
    await page.getByRole('heading', { name: 'Madurez de la estrategia', level: 1 }).waitFor();
    expect(await page.getByTestId('indicator-rosterCoverage').textContent()).toContain('2 de 4');
    await page.getByTestId('account-menu').click();
    await page.getByTestId('language-en').click();
  });
});
