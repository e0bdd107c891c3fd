import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPage, hasChromium, startBrowserEnv } from '../helpers/browser.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;

async function download(name: RegExp) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), body: await readFile(path) };
}

describe.skipIf(!hasChromium)('strategy document in the browser', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await adminPage(env, { acceptDownloads: true, locale: 'en-US' }, 30_000);
  }, 120_000);
  afterAll(() => env?.close());

  it('downloads the Example City strategy as DOCX and PDF', async () => {
    await page.getByRole('link', { name: 'Strategy document' }).click();
    await page.getByRole('heading', { name: 'Strategy document', level: 1 }).waitFor();
    await page.getByLabel('First year').fill('2027');
    await page.getByLabel('Last year').fill('2029');

    const docx = await download(/^Download Word/);
    expect(docx.name).toBe('example-city-cybersecurity-strategy-2027-2029-en.docx');
    const xml = await (await JSZip.loadAsync(docx.body)).file('word/document.xml')?.async('string');
    expect(xml).toContain('Example City Cybersecurity Strategy 2027–2029');
    expect(xml).toContain('2. The risk picture');

    const pdf = await download(/^Download PDF/);
    expect(pdf.name).toBe('example-city-cybersecurity-strategy-2027-2029-en.pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);

  it('edits a text block and switches to Spanish', async () => {
    const vision = page.getByTestId('block-vision');
    await vision.getByRole('textbox').fill('A safe {city} for everyone, {years}.');
    await page.getByRole('button', { name: 'Save Vision' }).click();
    await vision.getByText(/^Edited /).waitFor();

    await page.getByTestId('account-menu').click();
    await page.getByTestId('language-es').click();
    await page.getByRole('heading', { name: 'Documento de estrategia', level: 1 }).waitFor();
    // The document language follows the page's at first and can be chosen separately.
    await page
      .getByRole('combobox', { name: 'Idioma del documento' })
      .or(page.getByRole('textbox', { name: 'Idioma del documento' }))
      .click();
    await page.getByRole('option', { name: 'Español' }).click();
    await page.getByTestId('block-vision').getByText('Texto predeterminado', { exact: true }).waitFor();
    const docx = await download(/^Descargar Word/);
    expect(docx.name).toBe('example-city-cybersecurity-strategy-2027-2029-es.docx');
    const xml = await (await JSZip.loadAsync(docx.body)).file('word/document.xml')?.async('string');
    expect(xml).toContain('Estrategia de Ciberseguridad de Example City 2027–2029');
    expect(xml).toContain('1. Contexto y alcance');
    expect(xml).not.toContain('A safe Example City');
  }, 120_000);
});
