import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, hasChromium, startBrowserEnv } from '../helpers/browser.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;

describe.skipIf(!hasChromium)('platform in the browser', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await env.browser.newPage();
    page.setDefaultTimeout(15_000);
  }, 120_000);
  afterAll(() => env?.close());

  it('refuses a wrong password with a readable message', async () => {
    await page.goto(`${env.url}/`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel(/^Password/).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Email or password is not correct');
  });

  it('signs in and lands on the city home page', async () => {
    await page.getByLabel(/^Password/).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Example City', level: 1 }).waitFor();
    await page.getByText('Sample data').first().waitFor();
  });

  it('switches organization with the keyboard', async () => {
    const switcher = page.getByTestId('org-switcher');
    await switcher.click();
    await switcher.fill('Water');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Water and Wastewater', level: 1 }).waitFor();
    expect(page.url()).toMatch(/\/orgs\/[0-9a-f-]{36}$/);
  });

  it('adds a person, who gets a one-time password shown once', async () => {
    await page.getByRole('link', { name: 'People and roles', exact: true }).click();
    await page.getByRole('button', { name: 'Add a person' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Email').fill('operator@example.test');
    await dialog.getByLabel(/^Name/).fill('Plant Operator');
    await dialog.getByRole('button', { name: 'Add' }).click();
    const secret = await dialog.getByTestId('one-time-secret').textContent();
    expect(secret).toMatch(/^[a-z0-9]{5}(-[a-z0-9]{5}){3}$/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByText('operator@example.test').waitFor();
  });

  it('creates an API token that works against the API', async () => {
    await page.getByTestId('account-menu').click();
    await page.getByRole('menuitem', { name: 'Account and API tokens' }).click();
    await page.getByLabel('Name').fill('reporting script');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('one-time-secret').textContent())!.trim();
    expect(token).toMatch(/^cw_/);
    await page.getByRole('cell', { name: 'reporting script' }).waitFor();
    const res = await fetch(`${env.url}/api/v1/orgs`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('Example City');
  });

  it('creates a user as instance administrator and provisions a token for them', async () => {
    await page.getByRole('link', { name: 'All users' }).click();
    await page.getByRole('button', { name: 'Create a user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Email').fill('auditor@example.test');
    await dialog.getByLabel(/^Name/).fill('Internal Auditor');
    await dialog.getByRole('button', { name: 'Create' }).click();
    expect(await dialog.getByTestId('one-time-secret').textContent()).toMatch(/^[a-z0-9-]{23}$/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row').filter({ hasText: 'auditor@example.test' });
    await row.getByRole('button', { name: 'Tokens' }).click();
    const tokens = page.getByRole('dialog');
    await tokens.getByLabel(/New read token/).fill('audit export');
    await tokens.getByRole('button', { name: 'Create' }).click();
    expect(await tokens.getByTestId('one-time-secret').textContent()).toMatch(/^cw_/);
    await tokens.getByRole('cell', { name: /audit export/ }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('switches the interface to Spanish and keeps the choice after a reload', async () => {
    await page.goto(`${env.url}/`);
    await page.getByRole('link', { name: 'Risk register', exact: true }).waitFor();
    await page.getByTestId('account-menu').click();
    await page.getByTestId('language-es').click();
    await page.getByText('Paso 1 · La ciudad').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.reload();
    await page.getByRole('link', { name: 'Personas y roles', exact: true }).waitFor();
    await page.getByTestId('account-menu').click();
    await page.getByTestId('language-en').click();
    await page.getByRole('link', { name: 'People and roles', exact: true }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
  });

  it('shows the account page in Spanish after switching, then in English again', async () => {
    await page.getByTestId('account-menu').click();
    await page.getByRole('menuitem', { name: 'Account and API tokens' }).click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await page.getByTestId('account-menu').click();
    await page.getByTestId('language-es').click();
    await page.getByRole('heading', { name: 'Su cuenta', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Crear token' }).waitFor();
    await page.getByRole('columnheader', { name: 'Último uso' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'reporting script' });
    expect(await row.textContent()).toContain('lectura');
    await page.getByTestId('account-menu').click();
    await page.getByTestId('language-en').click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    expect(await row.textContent()).toContain('read');
  });

  it('signs out and the session is gone', async () => {
    await page.getByTestId('account-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const res = await page.evaluate(() => fetch('/api/v1/auth/session').then((r) => r.status));
    expect(res).toBe(401);
  });
});
