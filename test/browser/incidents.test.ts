import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPage, hasChromium, startBrowserEnv } from '../helpers/browser.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;

describe.skipIf(!hasChromium)('incidents in the browser', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await adminPage(env, { timezoneId: 'Europe/Brussels' });
  }, 120_000);
  afterAll(() => env?.close());

  it('shows the board with the sample ransomware incident closed', async () => {
    await page.getByRole('link', { name: 'Incidents', exact: true }).click();
    await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    const closed = page.getByTestId('column-closed');
    await closed.getByText('Sample: ransomware on city hall file servers').waitFor();
    expect(await page.getByText('Sample exercise').count()).toBe(0);
  });

  it('opens an incident from a playbook', async () => {
    await page.getByRole('link', { name: 'New incident' }).click();
    await page.getByLabel('Title').fill('Phishing led to a data breach at the permits office');
    await page.getByTestId('incident-type').click();
    await page.getByRole('option', { name: 'Data breach' }).click();
    await page.getByTestId('incident-playbook').click();
    await page
      .getByRole('option', { name: /personal data/i })
      .first()
      .click();
    await page.getByLabel('Personal data affected').check();
    await page.getByLabel('Controller subject to the GDPR').check();
    await page.getByRole('button', { name: 'Open incident' }).click();
    await page
      .getByRole('heading', { name: 'Phishing led to a data breach at the permits office', level: 1 })
      .waitFor();
    expect(await page.getByTestId('incident-status').textContent()).toBe('Detected');
    // Tasks load after the incident itself.
    await expect.poll(() => page.getByTestId('task').count()).toBeGreaterThan(3);
  });

  it('reads a clock counting down to the GDPR deadline, with a draft', async () => {
    const clock = page.getByTestId('clock-eu-gdpr-art33-supervisory-authority');
    await clock.waitFor();
    const first = await clock.getByTestId('clock-remaining').textContent();
    // Opened seconds ago: 71 hours and some minutes remain of the 72.
    expect(first).toMatch(/^2 d 23 h 5\d min \d\d s left$/);
    await clock.getByRole('button').first().click();
    expect(await clock.getByTestId('clock-draft').textContent()).toContain('Example City');
    await expect
      .poll(() => clock.getByTestId('clock-remaining').textContent(), { timeout: 5000 })
      .not.toBe(first);
  });

  it('scores severity and shows the level with its explanation', async () => {
    await page.getByRole('button', { name: 'Score', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('People affected').fill('250000');
    await dialog.getByRole('button', { name: 'Score', exact: true }).click();
    // Only the population (15 × log10(250,001)/6) and the unknown location (20 × 0.5) contribute.
    await expect.poll(() => page.getByTestId('severity-level').textContent()).toBe('Low · 23.5');
    expect(await page.getByTestId('severity').getByRole('row').count()).toBe(7);
  });

  it('records the ATT&CK techniques seen and opens one', async () => {
    await page.getByRole('button', { name: 'Edit techniques' }).click();
    await page.getByRole('combobox', { name: 'ATT&CK techniques seen' }).fill('T1566.00');
    await page.getByRole('option', { name: /T1566.002 Spearphishing Link/ }).click();
    await page.getByRole('button', { name: 'Save techniques' }).click();
    await page.getByRole('link', { name: 'T1566.002 Spearphishing Link: open the attack pattern' }).click();
    await page.getByRole('heading', { name: 'Spearphishing Link', level: 1 }).waitFor();
    // The technique's page says where the city names it: this incident, the sample one and a sample risk.
    const usage = page.getByTestId('technique-usage');
    await usage.getByRole('link', { name: 'Sample: payroll mailbox taken over' }).waitFor();
    await usage.getByRole('link', { name: 'Phishing led to a data breach at the permits office' }).waitFor();
    await usage.getByRole('link', { name: /Business email compromise/ }).click();
    await page.getByRole('dialog', { name: /Business email compromise/ }).waitFor();
    await page.goBack();
    await page.goBack();
    await page.getByTestId('severity-level').waitFor();
  });

  it('links an affected system from the city model, shows who else stops and feeds severity', async () => {
    const card = page.getByTestId('impact');
    await card.getByRole('button', { name: 'Edit' }).click();
    await card.getByLabel('Services and systems from the city model').fill('Active Directory');
    await page.getByRole('option', { name: 'Active Directory' }).click();
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByText('System: Active Directory').waitFor();
    await expect.poll(() => card.getByTestId('also-stopped').getByRole('row').count()).toBeGreaterThan(2);
    await card.getByRole('button', { name: 'Use these figures in the severity score' }).click();
    await expect.poll(() => page.getByTestId('severity-level').textContent()).not.toBe('Low · 23.5');
  });

  it('adds an observable and shows the indicator it matches with its source and TLP', async () => {
    await page.getByRole('tab', { name: 'Observables' }).click();
    await page.getByLabel(/^Value/).fill('203.0.113.45');
    await page.getByRole('button', { name: 'Add observable' }).click();
    const hit = page.getByTestId('observable').first().getByTestId('indicator-hit');
    await hit.waitFor();
    expect(await hit.textContent()).toContain('TLP:AMBER+STRICT');
    expect(await hit.textContent()).toContain('Sample: WaterLock command and control');
    expect(await hit.textContent()).toContain('from Example City');
    await page.getByRole('tab', { name: 'Tasks' }).click();
  });

  it('publishes the incident to a community as STIX', async () => {
    await page.getByRole('tab', { name: 'Sharing' }).click();
    await page.getByTestId('share-community').click();
    await page.getByRole('option').first().click();
    await page.getByRole('button', { name: 'Publish to the community' }).click();
    await page.getByTestId('share-result').waitFor();
    expect(await page.getByTestId('share-result').textContent()).toMatch(/Published to .+ as TLP:AMBER/);
    await page.getByRole('tab', { name: 'Tasks' }).click();
  });

  it('completes a task by ticking its checklist and setting it done', async () => {
    const task = page.getByTestId('task').first();
    const boxes = task.getByRole('checkbox');
    const n = await boxes.count();
    for (let k = 0; k < n; k++) {
      // The checklist is saved before the box shows as ticked, so wait for the server's answer.
      await boxes.nth(k).click();
      await expect.poll(() => boxes.nth(k).isChecked()).toBe(true);
    }
    await task.getByTestId('task-status').click();
    await page.getByRole('option', { name: 'done', exact: true }).click();
    await expect.poll(() => task.getByTestId('task-status').inputValue()).toBe('done');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByText(/: open → done/).waitFor();
  });

  it('moves the incident forward and refuses a manual entry in the future', async () => {
    await page.getByRole('button', { name: 'Move to Triage' }).click();
    await expect.poll(() => page.getByTestId('incident-status').textContent()).toBe('Triage');
    await page.getByLabel('What happened').fill('Someone predicts the future');
    await page.getByLabel('When it happened').fill('2099-01-01T10:00');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('occurredAt is in the future');
  });

  it('opens the printable report of the incident', async () => {
    await page.getByRole('link', { name: 'Printable report' }).click();
    const report = page.getByTestId('incident-report');
    await report.getByRole('heading', { name: 'Regulatory notifications' }).waitFor();
    expect(await report.textContent()).toContain('Phishing led to a data breach at the permits office');
    expect(await report.textContent()).toContain('203.0.113.45');
    await page.getByRole('button', { name: 'Print' }).waitFor();
  });

  it('plans a tabletop exercise, starts it, releases an inject and records an improvement action', async () => {
    await page.getByRole('link', { name: 'Exercises', exact: true }).click();
    await page.getByRole('heading', { name: 'Tabletop exercises', level: 1 }).waitFor();
    await page.getByTestId('exercise-scenario').click();
    await page.getByRole('option', { name: 'Tampering at the water treatment plant' }).click();
    await page.getByRole('button', { name: 'Add participant' }).click();
    await page.getByLabel('Participant', { exact: true }).fill('Ana Ruiz');
    await page.getByTestId('participant-role').click();
    await page.getByRole('option').first().click();
    await page.getByRole('button', { name: 'Plan exercise' }).click();
    await expect.poll(() => page.getByTestId('exercise-state').textContent()).toBe('Planned');
    await page.getByText(/^Ana Ruiz · /).waitFor();
    await page.getByRole('button', { name: 'Start the exercise' }).click();
    await expect.poll(() => page.getByTestId('exercise-state').textContent()).toBe('Running');
    const last = page.getByTestId('inject').last();
    await last.getByRole('button', { name: /^Release/ }).click();
    await expect.poll(() => last.textContent()).toContain('by the facilitator');
    await page.getByTestId('exercise-time').waitFor();
    await page.getByTestId('review-kind').click();
    await page.getByRole('option', { name: 'Improvement actions' }).click();
    await page.getByLabel(/^Text/).fill('Keep an offline copy of the PLC logic');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByTestId('review-item').getByText('Keep an offline copy of the PLC logic').waitFor();
    await page.getByRole('button', { name: 'End the exercise' }).click();
    await expect.poll(() => page.getByTestId('exercise-state').textContent()).toBe('Ended');
  });

  it('copies a shipped playbook and saves an edited new version', async () => {
    await page.getByRole('link', { name: 'Playbooks', exact: true }).click();
    await page.getByRole('heading', { name: 'Playbooks', level: 1 }).waitFor();
    const ddos = page
      .getByTestId('playbook-row')
      .filter({ hasText: 'Distributed denial of service' })
      .first();
    await ddos.getByRole('button', { name: 'Copy to edit' }).click();
    const editor = page.getByTestId('playbook-editor');
    await editor.waitFor();
    await editor.getByLabel('Title', { exact: true }).fill('Example City DDoS response');
    await editor.getByRole('button', { name: 'Save version' }).click();
    await editor.waitFor({ state: 'detached' });
    const ours = page.getByTestId('playbook-row').filter({ hasText: 'Example City DDoS response' });
    await ours.first().waitFor();
    expect(await ours.first().textContent()).toContain('Your organization');
  });
});
