import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLP2_MARKING_IDS } from '../../src/core/stix/index.js';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { organizations } from '../../src/server/db/schema/index.js';
import { orgsService } from '../../src/server/modules/orgs/orgs.service.js';
import { createUser } from '../helpers/app.js';
import { adminPage, hasChromium, importBundleFile, startBrowserEnv } from '../helpers/browser.js';
import { bundleOf, indicator, T0 } from '../helpers/stix.js';

let env: Awaited<ReturnType<typeof startBrowserEnv>>;
let page: Page;
/** The parts of API and TAXII answers the tests read. */
type Answer = { items?: { stixId: string }[]; tlp?: string; ownerOrgId?: string; objects?: { id: string }[] };
/** Objects the city's TAXII collection of the community served before the city published one more. */
let communityCountBefore = Number.NaN;
/** A Mantine select, exposed as a combobox or a textbox depending on the version. */
const field = (name: string) =>
  page.getByRole('combobox', { name, exact: true }).or(page.getByRole('textbox', { name, exact: true }));

describe.skipIf(!hasChromium)('threat intelligence in the browser', () => {
  beforeAll(async () => {
    env = await startBrowserEnv();
    page = await adminPage(env);
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
    await importBundleFile(page, file);
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

  it('publishes an AMBER object to the regional community: a member organization sees it, a non-member does not', async () => {
    const db = env.database.db;
    const ctx = { db, actor: SYSTEM_ACTOR };
    const byName = async (name: string) =>
      (await db.select().from(organizations).where(eq(organizations.name, name)))[0]!;
    const city = await byName('Example City');
    const region = await byName('Example Region');
    const community = await byName('Example Region Cyber Community');
    // Two more cities of the region: one joins the community in the browser, the other stays out.
    const create = (name: string) =>
      orgsService.create(ctx, {
        kind: 'city',
        name,
        slug: name.toLowerCase().replace(' ', '-'),
        parentId: region.id,
        description: '',
      });
    const member = await create('Neighbour Town');
    const outsider = await create('Far Town');
    const memberViewer = await createUser(
      db,
      'viewer@neighbour.test',
      { orgId: member.id, role: 'viewer' },
      'read',
    );
    const outsiderViewer = await createUser(
      db,
      'viewer@far.test',
      { orgId: outsider.id, role: 'viewer' },
      'read',
    );
    /** What a user gets from the server over HTTP: the status, and the answer when it succeeded. */
    const api = async (u: { headers: Record<string, string> }, path: string, accept = 'application/json') => {
      const res = await fetch(`${env.url}${path}`, { headers: { ...u.headers, accept } });
      return { status: res.status, body: res.ok ? ((await res.json()) as Answer) : undefined };
    };
    const found = async (u: { headers: Record<string, string> }, orgId: string, q: string) =>
      (
        (await api(u, `/api/v1/orgs/${orgId}/intel/objects?q=${encodeURIComponent(q)}`)).body?.items ?? []
      ).map((i: { stixId: string }) => i.stixId);

    // The city's collection of the community, counted before.
    await page.goto(`${env.url}/orgs/${city.id}/communities`);
    const collection = page
      .getByTestId('taxii-server')
      .getByRole('row', { name: /Example Region Cyber Community/ });
    await collection.waitFor();
    communityCountBefore = Number(
      (await collection.getByRole('cell').last().textContent())?.replace(/\D/g, ''),
    );

    // The community's page: its members, and the neighbour added.
    await page.getByRole('link', { name: 'Example Region Cyber Community', exact: true }).click();
    const members = page
      .getByRole('table')
      .filter({ has: page.getByRole('columnheader', { name: 'Member since' }) });
    await members.getByRole('row', { name: /Example City/ }).waitFor();
    expect(await members.getByRole('row', { name: /Neighbour Town/ }).count()).toBe(0);
    await field('Add an organization').click();
    await page.getByRole('option', { name: /^Neighbour Town/ }).click();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await members.getByRole('row', { name: /Neighbour Town/ }).waitFor();
    expect(await members.getByRole('row', { name: /Far Town/ }).count()).toBe(0);

    // The community's default TLP for what members publish to it unmarked: AMBER, changed to GREEN here.
    const level = field('Level of unmarked objects');
    expect(await level.inputValue()).toBe('TLP:AMBER');
    await level.click();
    // Only levels that keep unmarked objects within the community.
    expect(await page.getByRole('option', { name: /^TLP:/ }).allTextContents()).toEqual([
      'TLP:GREEN',
      'TLP:AMBER',
      'TLP:AMBER+STRICT',
    ]);
    const saved = page.waitForResponse(
      (r) => r.url().endsWith(`/orgs/${community.id}/community-settings`) && r.request().method() === 'PATCH',
    );
    await page.getByRole('option', { name: 'TLP:GREEN' }).click();
    expect((await saved).status()).toBe(200);
    await page.reload();
    await field('Level of unmarked objects').waitFor();
    expect(await field('Level of unmarked objects').inputValue()).toBe('TLP:GREEN');

    // The city imports an AMBER object: nobody outside the city sees it yet.
    const amber = indicator('Browser Amber Lure', 'amber');
    const dir = mkdtempSync(join(tmpdir(), 'cw-amber-'));
    const file = join(dir, 'amber.json');
    writeFileSync(file, JSON.stringify(bundleOf([amber])));
    await page.goto(`${env.url}/orgs/${city.id}/intel`);
    await importBundleFile(page, file);
    await page
      .getByTestId('import-report')
      .getByText('1 object read: 1 imported', { exact: false })
      .waitFor();
    expect(await found(memberViewer, member.id, 'Browser Amber Lure')).toEqual([]);
    expect((await api(memberViewer, `/api/v1/orgs/${member.id}/intel/objects/${amber.id}`)).status).toBe(404);

    // Published to the community on its page.
    await page.getByRole('link', { name: 'Threat intelligence', exact: true }).click();
    await page.getByLabel('Search').fill('Browser Amber Lure');
    const row = page.getByRole('row', { name: /Browser Amber Lure/ });
    expect(await row.getByTestId('tlp-badge').textContent()).toBe('TLP:AMBER');
    await row.getByRole('link', { name: 'Browser Amber Lure' }).click();
    await page.getByRole('heading', { name: 'Browser Amber Lure', level: 1 }).waitFor();
    await page.getByPlaceholder('A community or one of its members').click();
    await page.getByRole('option', { name: /Example Region Cyber Community/ }).click();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('button', { name: 'Stop sharing with Example Region Cyber Community' }).waitFor();

    // The member sees it in its list, on its page and in its TAXII collection of the community.
    expect(await found(memberViewer, member.id, 'Browser Amber Lure')).toEqual([amber.id]);
    const opened = await api(memberViewer, `/api/v1/orgs/${member.id}/intel/objects/${amber.id}`);
    expect([opened.status, opened.body?.tlp, opened.body?.ownerOrgId]).toEqual([200, 'amber', city.id]);
    const taxii = 'application/taxii+json;version=2.1';
    const served = await api(
      memberViewer,
      `/taxii2/${member.id}/collections/${community.id}/objects/?match[id]=${amber.id}`,
      taxii,
    );
    expect(served.body?.objects?.map((o: { id: string }) => o.id)).toEqual([amber.id]);
    // The region's other city, outside the community, does not.
    expect(await found(outsiderViewer, outsider.id, 'Browser Amber Lure')).toEqual([]);
    expect((await api(outsiderViewer, `/api/v1/orgs/${outsider.id}/intel/objects/${amber.id}`)).status).toBe(
      404,
    );
    expect(
      (
        await api(
          outsiderViewer,
          `/taxii2/${outsider.id}/collections/${outsider.id}/objects/?match[id]=${amber.id}`,
          taxii,
        )
      ).body?.objects ?? [],
    ).toEqual([]);
  });

  it("shows the city's TAXII collections, the published object counted in the community's", async () => {
    await page.getByRole('link', { name: 'Communities', exact: true }).click();
    const server = page.getByTestId('taxii-server');
    await server.getByRole('heading', { name: 'TAXII 2.1 server' }).waitFor();
    const row = server.getByRole('row', { name: /Example Region Cyber Community/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/\/taxii2\/[0-9a-f-]{36}\/collections\/[0-9a-f-]{36}\//);
    const count = () => row.getByRole('cell').last().textContent();
    await expect.poll(async () => Number((await count())?.replace(/\D/g, ''))).toBe(communityCountBefore + 1);
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
    await importBundleFile(page, file);
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
