import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLP2_MARKING_IDS } from '../../src/core/stix/index.js';
import { ADMIN, hasChromium, startBrowserEnv } from '../helpers/browser.js';
import { bundleOf, indicator, T0 } from '../helpers/stix.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;
/** A Mantine select, exposed as a combobox or a textbox depending on the version. */
const field = (name: string) =>
  page.getByRole('combobox', { name, exact: true }).or(page.getByRole('textbox', { name, exact: true }));

/** Opens the import page from the object list, chooses `file` and imports it. */
async function importFile(file: string) {
  await page.getByRole('link', { name: 'Import a bundle' }).click();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByLabel('Bundle file').click(),
  ]);
  await chooser.setFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
}

describe.skipIf(!hasChromium)('threat intelligence in the browser', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await env.browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${env.url}/`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel(/^Password/).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Example City', level: 1 }).waitFor();
  }, 120_000);
  afterAll(() => env?.close());

  it('lists the sample objects with their TLP badges', async () => {
    await page.getByRole('link', { name: 'Threat intelligence', exact: true }).click();
    await page.getByLabel('Search').fill('WaterLock');
    const row = page.getByRole('row', { name: /Sample: WaterLock command and control/ });
    await row.waitFor();
    expect(await row.getByTestId('tlp-badge').textContent()).toBe('TLP:AMBER+STRICT');
  });

  it('imports a bundle, reports the invalid object, and finds the imported one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-intel-'));
    const file = join(dir, 'bundle.json');
    const good = indicator('Browser Beacon Domain', 'red');
    const bad = { ...indicator('Broken pattern'), pattern: "[domain-name:value = 'x'" };
    writeFileSync(file, JSON.stringify(bundleOf([good, bad])));
    await importFile(file);
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await report.textContent()).toContain('2 objects read: 1 imported');
    expect(await report.getByRole('row', { name: new RegExp(bad.id) }).textContent()).toContain('pattern');

    await page.getByRole('link', { name: 'Threat intelligence', exact: true }).click();
    await page.getByLabel('Search').fill('Beacon');
    const row = page.getByRole('row', { name: /Browser Beacon Domain/ });
    await row.waitFor();
    expect(await row.getByTestId('tlp-badge').textContent()).toBe('TLP:RED');
    await row.getByRole('link', { name: 'Browser Beacon Domain' }).click();
    await page.getByRole('heading', { name: 'Browser Beacon Domain', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Versions' }).waitFor();
  });

  it('shares the object to the regional community', async () => {
    await page.getByPlaceholder('A community or one of its members').click();
    await page.getByRole('option', { name: /Example Region Cyber Community/ }).click();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('button', { name: 'Stop sharing with Example Region Cyber Community' }).waitFor();
  });

  it("shows the city's TAXII collections, the shared object counted in the community's", async () => {
    await page.getByRole('link', { name: 'Communities', exact: true }).click();
    const server = page.getByTestId('taxii-server');
    await server.getByRole('heading', { name: 'TAXII 2.1 server' }).waitFor();
    const row = server.getByRole('row', { name: /Example Region Cyber Community/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/\/taxii2\/[0-9a-f-]{36}\/collections\/[0-9a-f-]{36}\//);
    const count = Number((await row.getByRole('cell').last().textContent())?.replace(/\D/g, ''));
    expect(count).toBeGreaterThanOrEqual(1);
    await server.getByRole('button', { name: 'Copy the address of API root' }).waitFor();
  });

  it('draws the relationships graph of an intrusion set and follows a node to its page', async () => {
    const common = {
      spec_version: '2.1',
      created: T0,
      modified: T0,
      object_marking_refs: [TLP2_MARKING_IDS.green],
    };
    const set = { ...common, type: 'intrusion-set', id: `intrusion-set--${randomUUID()}`, name: 'Graph Set' };
    const malware = {
      ...common,
      type: 'malware',
      id: `malware--${randomUUID()}`,
      name: 'Graph Malware',
      is_family: true,
      object_marking_refs: [TLP2_MARKING_IDS.amber],
    };
    const technique = {
      ...common,
      type: 'attack-pattern',
      id: `attack-pattern--${randomUUID()}`,
      name: 'Graph Technique',
    };
    const rel = (source: string, relationship: string, target: string) => ({
      ...common,
      type: 'relationship',
      id: `relationship--${randomUUID()}`,
      relationship_type: relationship,
      source_ref: source,
      target_ref: target,
    });
    const dir = mkdtempSync(join(tmpdir(), 'cw-graph-'));
    const file = join(dir, 'graph.json');
    writeFileSync(
      file,
      JSON.stringify(
        bundleOf([
          set,
          malware,
          technique,
          rel(set.id, 'uses', malware.id),
          rel(malware.id, 'uses', technique.id),
        ]),
      ),
    );
    await page.getByRole('link', { name: 'Threat intelligence', exact: true }).click();
    await importFile(file);
    await page.getByTestId('import-report').getByText('5 objects read: 5 imported').waitFor();

    await page.getByRole('link', { name: 'Threat intelligence', exact: true }).click();
    await page.getByLabel('Search').fill('Graph Set');
    await page
      .getByRole('row', { name: /Graph Set/ })
      .getByRole('link', { name: 'Graph Set' })
      .click();
    await page.getByRole('heading', { name: 'Graph Set', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Relationships graph', level: 2 }).waitFor();
    const graph = page.getByTestId('intel-graph');
    await graph.and(page.locator('[data-nodes="2"]')).waitFor();
    // What cytoscape drew: the intrusion set and the malware one hop away.
    const drawn = () =>
      graph.evaluate((el) => {
        const cy = (el as unknown as { _cyreg: { cy: import('cytoscape').Core } })._cyreg.cy;
        return {
          nodes: cy
            .nodes()
            .map((n) => n.data('label') as string)
            .sort(),
          edges: cy.edges().map((e) => e.data('label') as string),
        };
      });
    expect(await drawn()).toEqual({ nodes: ['Graph Malware', 'Graph Set'], edges: ['uses'] });
    // The accessible tables list the same.
    const nodesTable = page.getByTestId('graph-nodes');
    await nodesTable.getByRole('link', { name: 'Graph Malware' }).waitFor();
    expect(
      await nodesTable
        .getByRole('row', { name: /Graph Malware/ })
        .getByTestId('tlp-badge')
        .textContent(),
    ).toBe('TLP:AMBER');
    expect(await page.getByTestId('graph-edges').getByRole('row', { name: /uses/ }).textContent()).toContain(
      'Graph Malware',
    );

    // Two hops reach the technique the malware uses.
    await page.getByText('2 hops', { exact: true }).click();
    await graph.and(page.locator('[data-nodes="3"]')).waitFor();
    await expect
      .poll(async () => (await drawn()).nodes)
      .toEqual(['Graph Malware', 'Graph Set', 'Graph Technique']);
    await nodesTable.getByRole('link', { name: 'Graph Technique' }).waitFor();

    // Pointing at a node shows its details with its TLP; clicking it opens its page.
    const at = await graph.evaluate((el, id) => {
      const cy = (el as unknown as { _cyreg: { cy: import('cytoscape').Core } })._cyreg.cy;
      return cy.getElementById(id).renderedPosition();
    }, malware.id);
    const box = (await graph.boundingBox())!;
    await page.mouse.move(box.x + at.x, box.y + at.y);
    const details = page.getByTestId('graph-node-details');
    await details.getByText('Graph Malware', { exact: true }).waitFor();
    expect(await details.getByTestId('tlp-badge').textContent()).toBe('TLP:AMBER');
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await page.getByRole('heading', { name: 'Graph Malware', level: 1 }).waitFor();
    expect(page.url()).toContain(malware.id);

    // The keyboard way back: the table link to the intrusion set.
    await page.getByTestId('graph-nodes').getByRole('link', { name: 'Graph Set' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Graph Set', level: 1 }).waitFor();
  });

  it('shows the ATT&CK coverage of the sample risks and incidents', async () => {
    await page.getByRole('link', { name: 'ATT&CK coverage', exact: true }).click();
    const table = page.getByTestId('coverage');
    await table.getByRole('heading', { name: 'impact', level: 2 }).waitFor();
    const row = table.getByRole('row', { name: /T1486 Data Encrypted for Impact/ });
    await row.waitFor();
    // One sample risk and one sample incident name it.
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(1, 3).map(Number)).toEqual([1, 1]);
    await row.getByRole('link', { name: 'Data Encrypted for Impact' }).click();
    await page.getByRole('heading', { name: 'Data Encrypted for Impact', level: 1 }).waitFor();
  });

  it('configures a TAXII feed', async () => {
    await page.getByRole('link', { name: 'TAXII feeds', exact: true }).click();
    await page.getByLabel(/^Name/).fill('Regional ISAC');
    await page.getByLabel(/^API root URL/).fill('https://taxii.example.org/api1/');
    await page.getByLabel(/^Collection id/).fill('isac-shared');
    await page.getByRole('button', { name: 'Add feed' }).click();
    await page.getByRole('button', { name: 'Remove Regional ISAC' }).waitFor();
    await page.getByText('https://taxii.example.org/api1/ · collection isac-shared').waitFor();
  });

  it('configures a push feed with a maximum TLP and shows its run history', async () => {
    await field('Direction').click();
    await page.getByRole('option', { name: /^Push/ }).click();
    await page.getByLabel(/^Name/).fill('Neighbour city');
    await page.getByLabel(/^API root URL/).fill('https://taxii.neighbour.example/api1/');
    await page.getByLabel(/^Collection id/).fill('shared-in');
    await field('Maximum TLP sent').click();
    await page.getByRole('option', { name: 'TLP:AMBER', exact: true }).click();
    await page.getByRole('button', { name: 'Add feed' }).click();
    await page.getByRole('button', { name: 'Remove Neighbour city' }).waitFor();
    const row = page.getByRole('row', { name: /Neighbour city/ });
    await row.getByText('push', { exact: true }).waitFor();
    expect(await field('Maximum TLP sent by Neighbour city').inputValue()).toBe('TLP:AMBER');
    await row.getByRole('button', { name: 'History' }).click();
    await page.getByText('No runs yet.').waitFor();
  });
});
