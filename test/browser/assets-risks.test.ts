import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, adminPage, hasChromium, startBrowserEnv } from '../helpers/browser.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;
let cityPath: string;

describe.skipIf(!hasChromium)('the city model and risk in the browser', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await adminPage(env, { viewport: { width: 1400, height: 1000 } }, 20_000);
    cityPath = new URL(page.url()).pathname;
  }, 120_000);
  afterAll(() => env?.close());

  it('imports a CSV: shows row errors first, then imports after the file is fixed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-import-'));
    const bad = join(dir, 'systems.csv');
    writeFileSync(bad, 'System name,Type,CPE\nLibrary kiosk,it,\nBroken,mainframe,\n');
    await page.getByRole('link', { name: 'Services and systems' }).click();
    await page.getByRole('link', { name: 'Import' }).click();
    await page.locator('input[type=file]').setInputFiles(bad);
    await page.getByRole('button', { name: 'Check the file' }).click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('"mainframe" is not one of');
    expect(await errors.getByRole('cell').first().textContent()).toBe('3');

    const good = join(dir, 'systems-fixed.csv');
    writeFileSync(good, 'System name,Type,CPE\nLibrary kiosk,it,\nLibrary self-checkout,iot,\n');
    await page.locator('input[type=file]').setInputFiles(good);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    await page.getByText('2 created, 0 updated').waitFor();

    await page.goto(`${env.url}${cityPath}/assets`);
    await page.getByRole('tab', { name: 'Systems' }).click();
    await page.getByLabel('Search systems').fill('library');
    await page.getByRole('cell', { name: /Library self-checkout/ }).waitFor();
    await page.getByRole('cell', { name: /Library kiosk/ }).waitFor();
  });

  it('gives the city its own sector list, offered when a service is edited', async () => {
    await page.getByRole('button', { name: 'Sectors', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/uses the 16 US critical-infrastructure sectors/).waitFor();
    const list = dialog.getByLabel('Sectors, one per line');
    await list.fill(`${await list.inputValue()}\nParks and recreation`);
    await dialog.getByRole('button', { name: 'Save the list' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Sectors', exact: true }).click();
    await page
      .getByRole('dialog')
      .getByText(/uses its own list of sectors/)
      .waitFor();
    await page.keyboard.press('Escape');
  });

  it('opens the dependency graph and reads the cascade of a power cut', async () => {
    await page.getByRole('link', { name: 'Dependency graph' }).first().click();
    const graph = page.getByTestId('dependency-graph');
    await graph.locator('canvas').first().waitFor();
    await expect
      .poll(() =>
        // Cytoscape keeps its instance on the container; tapping the node there is what a click does.
        page.evaluate(`(() => {
          const cy = document.querySelector('[data-testid=dependency-graph]')._cyreg?.cy;
          if (!cy) return false;
          const power = cy.nodes().filter((n) => n.data('label') === 'Example Power & Light');
          power.emit('tap');
          return power.length === 1;
        })()`),
      )
      .toBe(true);
    const panel = page.getByTestId('impact-panel');
    await panel.getByText('Drinking water supply').waitFor();
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('If Example Power & Light fails');
    expect(text).toContain('Traffic signal operations');
    expect(text).not.toContain('Payroll');
    expect(await page.getByTestId('residents-affected').textContent()).toMatch(/\d{3},\d{3}/);
  });

  it('creates a quantified risk and shows its loss exceedance curve', async () => {
    await page.getByRole('link', { name: 'Risk register' }).click();
    await page.getByTestId('heat-map').waitFor();
    await page.getByRole('button', { name: 'Add a risk' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Title').fill('Ransomware on the library system');
    // A technique picked from the suggestions (the sample carries ATT&CK's names), another typed by id.
    const techniques = dialog.getByRole('combobox', { name: 'ATT&CK techniques' });
    await techniques.fill('encrypted');
    await page.getByRole('option', { name: /T1486 Data Encrypted for Impact/ }).click();
    await techniques.fill('t1490');
    await techniques.press('Enter');
    await dialog.getByLabel('Loss high (95th percentile)').fill('2,000,000');
    await dialog.getByRole('button', { name: 'Create and simulate' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Ransomware on the library system' }).click();
    const mean = page.getByTestId('mean-annual-loss');
    await mean.waitFor();
    expect(Number((await mean.textContent())!.replaceAll(',', ''))).toBeGreaterThan(0);
    const listed = page.getByTestId('techniques');
    await listed.getByText('T1486 · Data Encrypted for Impact').waitFor();
    await listed.getByText('T1490 · Inhibit System Recovery').waitFor();
    await page.getByTestId('loss-exceedance').locator('canvas').waitFor();
    const res = (await page.evaluate(
      "fetch('/api/v1' + location.pathname.replace('/risks', '') + '/risk-ranking').then((r) => r.json())",
    )) as { items: { title: string }[] };
    expect(res.items.map((r: { title: string }) => r.title)).toContain('Ransomware on the library system');
  });

  it('edits the risk and accepts it with a rationale and an expiry', async () => {
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('button', { name: 'Edit the risk' }).click();
    await drawer.getByLabel('Owner').fill('Library IT lead');
    await drawer.getByRole('button', { name: 'Save the risk' }).click();
    await drawer.getByRole('button', { name: 'Save the risk' }).waitFor({ state: 'detached' });
    await drawer.getByRole('button', { name: 'Accept this risk' }).click();
    expect(await drawer.getByLabel('Approver').inputValue()).toContain(ADMIN.email);
    await drawer
      .getByLabel('Rationale')
      .fill('Offline backups tested monthly; replacement planned next year');
    await drawer.getByLabel('Acceptance expires on').fill('2030-06-30');
    await drawer.getByRole('button', { name: 'Record the acceptance' }).click();
    const acceptance = drawer.getByTestId('risk-acceptance');
    await acceptance.waitFor();
    expect(await acceptance.textContent()).toContain('2030-06-30');
    const risks = (await page.evaluate(
      "fetch('/api/v1' + location.pathname + '?q=library').then((r) => r.json())",
    )) as {
      items: {
        title: string;
        owner: string;
        status: string;
        acceptedBy: string | null;
        acceptanceRationale: string;
      }[];
    };
    const r = risks.items.find((x) => x.title === 'Ransomware on the library system')!;
    expect(r).toMatchObject({ owner: 'Library IT lead', status: 'accepted' });
    expect(r.acceptedBy).not.toBeNull();
    expect(r.acceptanceRationale).toMatch(/^Offline backups/);
  });

  it('edits a treatment action and an objective from the plan', async () => {
    await page.goto(page.url().replace(/\/risks.*$/, '/plan'));
    await page.getByTestId('roadmap').waitFor();
    await page.getByRole('button', { name: 'Edit' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Edit the action' });
    await dialog.getByLabel('Owner').fill('Network team');
    await dialog.getByRole('button', { name: 'Save the action' }).click();
    await dialog.waitFor({ state: 'detached' });
    const base = "'/api/v1' + location.pathname.replace('/plan', '')";
    const actions = (await page.evaluate(`fetch(${base} + '/treatment-actions').then((r) => r.json())`)) as {
      items: { owner: string | null }[];
    };
    expect(actions.items.map((a) => a.owner)).toContain('Network team');

    await page.getByRole('button', { name: 'Edit' }).last().click();
    const obj = page.getByRole('dialog', { name: 'Edit the objective' });
    await obj.getByLabel('Owner').fill('CISO office');
    await obj.getByRole('button', { name: 'Save the objective' }).click();
    await obj.waitFor({ state: 'detached' });
    const objectives = (await page.evaluate(`fetch(${base} + '/objectives').then((r) => r.json())`)) as {
      items: { owner: string | null }[];
    };
    expect(objectives.items.map((o) => o.owner)).toContain('CISO office');
  });
});
