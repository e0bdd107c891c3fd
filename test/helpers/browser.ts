import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildApp } from '../../src/server/app.js';
import { bootstrap } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { TEST_SECRET_KEY } from './app.js';
import { freshDatabase } from './db.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const ADMIN = { email: 'admin@example.test', password: 'browser-test-password' };

const root = new URL('../../', import.meta.url).pathname;

/** Browser tests drive the built web UI; build it when it is missing. */
export function ensureWebBuilt() {
  if (!existsSync(`${root}web/dist/index.html`) || statSync(`${root}web/dist/index.html`).size === 0) {
    execFileSync(
      process.execPath,
      [
        `${root}node_modules/vite/bin/vite.js`,
        'build',
        '--config',
        'web/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      { cwd: root, stdio: 'inherit' },
    );
  }
}

/** Debian's Chromium, headless, kept off the network this machine does not have. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A real server on a free port over a fresh database with the Example City, and a headless Chromium. */
export async function startBrowserEnv() {
  ensureWebBuilt();
  const database = await freshDatabase();
  const config = loadConfig({
    CITYWALL_DATA_DIR: '/nonexistent',
    CITYWALL_SAMPLE: 'true',
    CITYWALL_SECRET_KEY: TEST_SECRET_KEY,
    CITYWALL_ADMIN_EMAIL: ADMIN.email,
    CITYWALL_ADMIN_PASSWORD: ADMIN.password,
  });
  await bootstrap(database, config);
  const app = await buildApp({ db: database, config });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    url: address,
    app,
    database,
    browser,
    async close() {
      await browser.close();
      await app.close();
      await database.drop();
    },
  };
}

/**
 * A new page of `env`'s browser (opened with `options`, waiting up to `timeout` ms for each step), signed in as
 * the sample instance's administrator on Example City's home.
 */
export async function adminPage(
  env: { url: string; browser: Browser },
  options: Parameters<Browser['newPage']>[0] = {},
  timeout = 15_000,
): Promise<Page> {
  const page = await env.browser.newPage(options);
  page.setDefaultTimeout(timeout);
  await page.goto(`${env.url}/`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Example City', level: 1 }).waitFor();
  return page;
}

/** From an intel object list: opens the import page, chooses `file` and imports it. */
export async function importBundleFile(page: Page, file: string) {
  await page.getByRole('link', { name: 'Import a bundle' }).click();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByLabel('Bundle file').click(),
  ]);
  await chooser.setFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
}
