import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLP2_MARKING_IDS } from '../../src/core/stix/index.js';
import { adminPage, hasChromium, importBundleFile, startBrowserEnv } from '../helpers/browser.js';
import { bundleOf, indicator, T0 } from '../helpers/stix.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;

const author = {
  type: 'identity',
  spec_version: '2.1',
  id: `identity--${randomUUID()}`,
  created: T0,
  modified: T0,
  name: 'Object Page CERT',
  identity_class: 'organization',
  object_marking_refs: [TLP2_MARKING_IDS.green],
};
const ADVISORY = 'https://cert.example.org/advisories/0042';
const seen = indicator('Object Page Beacon', 'green', {
  created_by_ref: author.id,
  description:
    'First paragraph about the beacon.\n\n<img src=x onerror="globalThis.injected=1">Second paragraph.',
  confidence: 85,
  indicator_types: ['malicious-activity'],
  kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' }],
  external_references: [
    { source_name: 'city-cert', external_id: 'CC-2026-0042', url: ADVISORY },
    { source_name: 'untrusted', url: 'javascript:alert(1)' },
  ],
  granular_markings: [{ lang: 'es', selectors: ['description'] }],
  x_city_priority: 'high',
});
const report = {
  type: 'report',
  spec_version: '2.1',
  id: `report--${randomUUID()}`,
  created: T0,
  modified: T0,
  name: 'Object Page Report',
  published: T0,
  object_refs: [seen.id],
  object_marking_refs: [TLP2_MARKING_IDS.green],
};

describe.skipIf(!hasChromium)('the page of one intel object', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await adminPage(env);
  }, 120_000);
  afterAll(() => env?.close());

  it('imports an indicator and opens its page', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cw-object-')), 'bundle.json');
    writeFileSync(file, JSON.stringify(bundleOf([author, seen, report])));
    await page.getByRole('link', { name: 'Threat intelligence', exact: true }).click();
    await importBundleFile(page, file);
    await page.getByTestId('import-report').getByText('3 objects read: 3 imported').waitFor();

    await page.getByRole('link', { name: 'Threat intelligence', exact: true }).click();
    await page.getByLabel('Search').fill('Object Page Beacon');
    await page
      .getByRole('row', { name: /Object Page Beacon/ })
      .getByRole('link', { name: 'Object Page Beacon' })
      .click();
    await page.getByRole('heading', { name: 'Object Page Beacon', level: 1 }).waitFor();
  });

  it('lists the properties, common ones first, the description as text in paragraphs', async () => {
    const table = page.getByRole('table', { name: 'Properties', exact: true });
    await table.waitFor();
    const keys = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-property')));
    expect(keys.slice(0, 5)).toEqual(['type', 'id', 'spec_version', 'created', 'modified']);
    expect(keys).toEqual(
      expect.arrayContaining(['pattern', 'pattern_type', 'valid_from', 'indicator_types']),
    );
    expect(keys).not.toContain('x_city_priority');
    expect(keys).not.toContain('object_marking_refs');

    const row = (name: string) => table.getByRole('row', { name: new RegExp(`^${name}`) });
    // The author, visible to the reader, is a link to its page.
    await row('Created by').getByRole('link', { name: 'Object Page CERT' }).waitFor();
    expect(await row('Confidence').textContent()).toContain('85 out of 100');
    expect(await row('Kill chain phases').textContent()).toContain('mitre-attack: command-and-control');
    expect(await row('pattern').first().textContent()).toContain("[ipv4-addr:value = '198.51.100.7']");

    const description = row('Description').getByRole('cell').locator('p');
    expect(await description.allTextContents()).toEqual([
      'First paragraph about the beacon.',
      '<img src=x onerror="globalThis.injected=1">Second paragraph.',
    ]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(
      await page.evaluate(() => (globalThis as unknown as { injected?: number }).injected),
    ).toBeUndefined();

    const custom = page.getByRole('table', { name: 'Custom properties and extensions' });
    expect(await custom.getByRole('row', { name: /x_city_priority/ }).textContent()).toContain('high');
  });

  it('links the external reference safely, and only when it is a web address', async () => {
    const refs = page.getByTestId('external-references');
    const row = refs.getByRole('row', { name: /city-cert/ });
    expect(await row.textContent()).toContain('CC-2026-0042');
    const link = row.getByRole('link', { name: ADVISORY });
    expect(await link.getAttribute('href')).toBe(ADVISORY);
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    const untrusted = refs.getByRole('row', { name: /untrusted/ });
    expect(await untrusted.textContent()).toContain('javascript:alert(1)');
    expect(await untrusted.getByRole('link').count()).toBe(0);
  });

  it('shows the TLP 2.0 marking with its badge and name, and the granular marking', async () => {
    const markings = page.getByRole('region', { name: 'Markings' });
    const item = markings.getByRole('listitem').filter({ hasText: TLP2_MARKING_IDS.green });
    expect(await item.getByTestId('tlp-badge').textContent()).toBe('TLP:GREEN');
    expect(await item.textContent()).toContain('TLP:GREEN (TLP 2.0)');
    const granular = markings.getByRole('table', { name: 'On parts of the object' });
    expect(await granular.getByRole('row', { name: /Language: es/ }).textContent()).toContain('description');
  });

  it('shows the report that contains the indicator in the graph', async () => {
    const edges = page.getByTestId('graph-edges');
    const row = edges.getByRole('row', { name: /object_refs/ });
    await row.waitFor();
    await row.getByRole('link', { name: 'Object Page Report' }).waitFor();
  });

  it('keeps the JSON one keypress away', async () => {
    const json = page.getByTestId('object-json');
    expect(await json.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'The object as stored (STIX 2.1 JSON)' }).focus();
    await page.keyboard.press('Enter');
    await json.waitFor({ state: 'visible' });
    const parsed = JSON.parse((await json.textContent()) ?? '');
    expect(parsed).toMatchObject({ id: seen.id, x_city_priority: 'high' });
  });
});
