import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { services } from '../../src/server/db/schema/index.js';
import { inventoryVersionsRepository } from '../../src/server/modules/assets/assets.repository.js';
import {
  SAMPLE_DEPENDENCIES,
  SAMPLE_SERVICES,
  SAMPLE_SYSTEMS,
} from '../../src/server/modules/assets/assets.sample.js';
import { orgsService } from '../../src/server/modules/orgs/orgs.service.js';
import { loadExampleCity } from '../../src/server/sample/example-city.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(() => env?.close());

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

async function city(name: string, parentId: string | null = null) {
  const org = await env.org(name, 'city', parentId);
  const admin = await env.user(`${org.slug}@assets.test`, { orgId: org.id, role: 'admin', inherit: true });
  const url = `/api/v1/orgs/${org.id}/assets`;
  const call = (method: string, path: string, payload?: unknown, user: TestUser = admin) =>
    env.call(user, { method: method as 'GET', url: `${url}${path}`, ...(payload ? { payload } : {}) });
  return { org, admin, url, call };
}

describe('services and systems', () => {
  it('create, validate CPE 2.3 and PURL, update, search, filter, sort and paginate', async () => {
    const c = await city('Inventory City');
    const bad = await c.call('POST', '/systems', {
      name: 'Bad',
      kind: 'it',
      cpe: 'cpe:2.3:a:microsoft:exchange_server',
      purl: 'npm/lodash',
    });
    expect(bad.statusCode).toBe(422);
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('body.cpe');
    expect(paths).toContain('body.purl');
    expect(bad.json().detail).toMatch(/too few fields/);

    const made = await c.call('POST', '/systems', {
      name: 'Mail',
      kind: 'it',
      vendor: 'Microsoft',
      product: 'Exchange Server',
      version: '2019 CU13',
      cpe: 'cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_13:*:*:*:*:*:*',
      purl: 'pkg:generic/microsoft/exchange@15.2.1258',
      internetExposed: true,
      endOfSupport: '2025-10-14',
      tags: ['internet-facing'],
    });
    expect(made.statusCode).toBe(201);
    expect(made.json().cpe).toBe('cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_13:*:*:*:*:*:*');
    for (let i = 0; i < 12; i++) {
      await c.call('POST', '/systems', {
        name: `Server ${String(i).padStart(2, '0')}`,
        kind: i % 2 ? 'ot' : 'network',
        site: i < 6 ? 'Plant' : 'City hall',
      });
    }
    const dup = await c.call('POST', '/systems', { name: 'mail', kind: 'it' });
    expect(dup.statusCode).toBe(409);

    const page1 = (await c.call('GET', '/systems?limit=5&offset=0&sort=-name')).json();
    expect(page1.total).toBe(13);
    expect(page1.items).toHaveLength(5);
    expect(page1.items[0].name).toBe('Server 11');
    const page3 = (await c.call('GET', '/systems?limit=5&offset=10&sort=-name')).json();
    expect(page3.items.map((s: { name: string }) => s.name)).toEqual(['Server 01', 'Server 00', 'Mail']);
    expect((await c.call('GET', '/systems?kind=ot')).json().total).toBe(6);
    expect((await c.call('GET', '/systems?q=plant')).json().total).toBe(6);
    expect((await c.call('GET', '/systems?internetExposed=true')).json().items[0].name).toBe('Mail');
    expect((await c.call('GET', '/systems?endOfSupportBefore=2026-01-01')).json().total).toBe(1);
    expect((await c.call('GET', '/systems?tag=internet-facing')).json().total).toBe(1);
    expect((await c.call('GET', '/systems?sort=colour')).statusCode).toBe(422);

    const id = made.json().id;
    const upd = await c.call('PATCH', `/systems/${id}`, { version: '2019 CU14', cpe: null });
    expect(upd.json()).toMatchObject({ version: '2019 CU14', cpe: null, name: 'Mail' });

    const svc = await c.call('POST', '/services', {
      name: 'Water',
      criticalityTier: 1,
      populationServed: 250000,
      rtoHours: 4,
      lifeSafetyImpact: true,
      sector: 'Water and Wastewater Systems',
    });
    expect(svc.statusCode).toBe(201);
    expect((await c.call('POST', '/services', { name: 'X', criticalityTier: 7 })).statusCode).toBe(422);
    expect((await c.call('GET', '/services?lifeSafety=true')).json().total).toBe(1);
    expect((await c.call('GET', '/services?tier=2')).json().total).toBe(0);
  });

  it('only accepts an owning department of this organization', async () => {
    const c = await city('Dept City');
    const dept = await env.org('Dept Water', 'department', c.org.id);
    const other = await env.org('Other City');
    const ok = await c.call('POST', '/services', { name: 'Water', departmentOrgId: dept.id });
    expect(ok.json().departmentName).toBe('Dept Water');
    const no = await c.call('POST', '/services', { name: 'Roads', departmentOrgId: other.id });
    expect(no.statusCode).toBe(422);
    expect(no.json().errors[0].path).toBe('departmentOrgId');
  });
});

describe('sectors', () => {
  it('uses the 16 US sectors by default, an own list when set, inherited by departments; validates services and imports', async () => {
    const c = await city('Sector City');
    const dept = await env.org('Sector City Utilities', 'department', c.org.id);
    const deptUrl = `/api/v1/orgs/${dept.id}/assets`;
    const initial = (await c.call('GET', '/sectors')).json();
    expect(initial.source).toBe('default');
    expect(initial.sectors).toHaveLength(16);
    expect(initial.sectors).toContain('Water and Wastewater Systems');

    // Spelling is taken from the list; a sector not on it is refused with the field named.
    const ok = await c.call('POST', '/services', {
      name: 'Drinking water',
      sector: ' water and wastewater SYSTEMS ',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().sector).toBe('Water and Wastewater Systems');
    const bad = await c.call('POST', '/services', { name: 'Parks', sector: 'Leisure' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ path: 'sector' });

    // An own list: duplicates and blanks are refused and change nothing; viewers may not set it.
    const viewer = await env.user('viewer@sectors.test', { orgId: c.org.id, role: 'viewer' });
    expect((await c.call('PUT', '/sectors', { sectors: ['Leisure'] }, viewer)).statusCode).toBe(403);
    const dup = await c.call('PUT', '/sectors', { sectors: ['Leisure', 'leisure '] });
    expect(dup.statusCode).toBe(422);
    expect(dup.json().errors[0].path).toBe('sectors.1');
    expect((await c.call('PUT', '/sectors', { sectors: ['', 'x'] })).json().errors[0].path).toBe('sectors.0');
    expect((await c.call('GET', '/sectors')).json().source).toBe('default');

    const own = await c.call('PUT', '/sectors', { sectors: ['Leisure', 'Public safety', 'Utilities'] });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({
      source: 'own',
      fromOrgId: c.org.id,
      sectors: ['Leisure', 'Public safety', 'Utilities'],
    });
    // The water service keeps its sector, reported as not on the list; editing it without touching the sector works.
    expect(own.json().unlisted).toEqual([{ sector: 'Water and Wastewater Systems', services: 1 }]);
    expect(
      (await c.call('PATCH', `/services/${ok.json().id}`, { description: 'Potable water' })).statusCode,
    ).toBe(200);
    expect((await c.call('PATCH', `/services/${ok.json().id}`, { sector: 'Energy' })).statusCode).toBe(422);
    expect((await c.call('PATCH', `/services/${ok.json().id}`, { sector: 'utilities' })).json().sector).toBe(
      'Utilities',
    );

    // Departments inherit the city's list.
    const inherited = (await env.call(c.admin, { method: 'GET', url: `${deptUrl}/sectors` })).json();
    expect(inherited).toMatchObject({ source: 'inherited', fromOrgId: c.org.id });
    expect(inherited.sectors).toContain('Leisure');

    // Imports check every row against the list.
    const csv = 'Name,Sector\nPools,leisure\nWater,Water and Wastewater Systems\n';
    const prev = await c.call('POST', '/import/preview', {
      kind: 'services',
      fileName: 's.csv',
      content: b64(csv),
    });
    expect(prev.json().errors).toEqual([
      expect.objectContaining({
        line: 3,
        field: 'sector',
        reason: expect.stringMatching(/not on this organization/),
      }),
    ]);

    // Back to the built-in list; the change is audited.
    expect((await c.call('PUT', '/sectors', { sectors: null })).json().source).toBe('default');
    const audit = await env.call(c.admin, {
      method: 'GET',
      url: `/api/v1/orgs/${c.org.id}/audit?action=assets.sectors.update`,
    });
    expect(audit.json().items.length).toBe(2);
  });
});

describe('dependencies', () => {
  it('refuse a deleted, foreign or self target and duplicates; deletion of a depended-on system needs force', async () => {
    const c = await city('Deps City');
    const foreign = await city('Foreign Deps City');
    const svc = (await c.call('POST', '/services', { name: 'Permits', rtoHours: 24 })).json();
    const sys = (await c.call('POST', '/systems', { name: 'Portal', kind: 'it' })).json();
    const gone = (await c.call('POST', '/systems', { name: 'Gone', kind: 'it' })).json();
    await c.call('DELETE', `/systems/${gone.id}`);
    const theirs = (await foreign.call('POST', '/systems', { name: 'Theirs', kind: 'it' })).json();

    const add = (toKind: string, toId: string, fromId = svc.id, fromKind = 'service') =>
      c.call('POST', '/dependencies', { fromKind, fromId, toKind, toId, type: 'runs_on' });
    const good = await add('system', sys.id);
    expect(good.statusCode).toBe(201);
    expect(good.json()).toMatchObject({ from: { name: 'Permits' }, to: { name: 'Portal', kind: 'system' } });
    expect((await add('system', sys.id)).statusCode).toBe(409);

    const deleted = await add('system', gone.id);
    expect(deleted.statusCode).toBe(422);
    expect(deleted.json().errors[0]).toMatchObject({ path: 'toId' });
    expect(deleted.json().detail).toMatch(/no system .* in this organization/);
    const foreignRes = await add('system', theirs.id);
    expect(foreignRes.statusCode).toBe(422);
    expect(foreignRes.json().detail).not.toContain('Theirs');
    expect((await add('system', sys.id, sys.id, 'system')).statusCode).toBe(422);
    expect((await add('service', svc.id, sys.id, 'system')).statusCode).toBe(422);
    // A provider must be a utility or partner of the same tree.
    expect((await add('provider', foreign.org.id)).statusCode).toBe(422);

    const refused = await c.call('DELETE', `/systems/${sys.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/depend on "Portal"/);
    expect((await c.call('DELETE', `/systems/${sys.id}?force=true`)).statusCode).toBe(204);
    expect((await c.call('GET', '/dependencies')).json().total).toBe(0);
    const gaps = (await c.call('GET', '/gaps')).json();
    expect(gaps.items).toEqual([{ id: svc.id, name: 'Permits', missing: ['owner', 'dependency'] }]);
  });
});

describe('graph analyses', () => {
  it('cascade honours redundancy, buffers, RTO and cycles; lists single points of failure', async () => {
    const region = await env.org('Graph Region', 'region');
    const c = await city('Graph City', region.id);
    const power = await orgsService.create(
      { db: env.database.db, actor: SYSTEM_ACTOR },
      { name: 'Graph Power', kind: 'utility', parentId: region.id, description: '' },
    );
    const providers = (await c.call('GET', '/providers')).json().items;
    expect(providers.map((p: { name: string }) => p.name)).toEqual(['Graph Power']);

    const sys = async (name: string, bufferHours = 0) =>
      (await c.call('POST', '/systems', { name, kind: 'it', bufferHours })).json().id as string;
    const dc = await sys('DC', 1);
    const gen = await sys('Generator');
    const vm = await sys('VM');
    const ad = await sys('AD');
    const dns = await sys('DNS');
    const app = await sys('App', 2);
    const water = (
      await c.call('POST', '/services', {
        name: 'Water',
        populationServed: 1000,
        criticalityTier: 1,
        rtoHours: 4,
        owner: 'W',
      })
    ).json().id;
    const permits = (
      await c.call('POST', '/services', { name: 'Permits', populationServed: 50, rtoHours: 24, owner: 'P' })
    ).json().id;
    const dep = (fromKind: string, fromId: string, toKind: string, toId: string, redundancyGroup?: string) =>
      c.call('POST', '/dependencies', {
        fromKind,
        fromId,
        toKind,
        toId,
        type: 'runs_on',
        ...(redundancyGroup ? { redundancyGroup } : {}),
      });
    await dep('system', dc, 'provider', power.id, 'power');
    await dep('system', dc, 'system', gen, 'power');
    await dep('system', vm, 'system', dc);
    await dep('system', ad, 'system', vm);
    await dep('system', ad, 'system', dns);
    await dep('system', dns, 'system', ad);
    await dep('system', app, 'system', ad);
    await dep('service', water, 'system', app);
    await dep('service', permits, 'service', water);

    const graph = (await c.call('GET', '/graph')).json();
    expect(graph.nodes).toHaveLength(9);
    expect(graph.cycles).toHaveLength(1);
    expect([...new Set(graph.cycles[0])].sort()).toEqual([ad, dns].sort());

    // Power alone: the generator takes over.
    const p = (await c.call('GET', `/impact?nodes=${power.id}`)).json();
    expect(p.services).toEqual([]);
    expect(p.counts).toEqual({ service: 0, system: 0, provider: 1 });

    const both = (await c.call('GET', `/impact?nodes=${power.id},${gen}`)).json();
    expect(both.services.map((s: { name: string }) => s.name)).toEqual(['Water', 'Permits']);
    const w = both.services[0];
    expect(w.timeToImpactHours).toBe(3); // DC buffer 1 h + App buffer 2 h
    expect(w.rtoBreachHours).toBe(7);
    expect([power.id, gen]).toContain(w.path[0]);
    expect(both.populationAffected).toBe(1050);
    expect(both.impacted.find((n: { id: string }) => n.id === dc).cause.redundancyGroup).toBe('power');

    // A failure inside the AD/DNS cycle reaches out of it; the cycle does not loop.
    const cyc = (await c.call('GET', `/impact?nodes=${dns}`)).json();
    expect(cyc.counts.system).toBe(3);
    expect(cyc.services).toHaveLength(2);

    const unknown = await c.call('GET', `/impact?nodes=${crypto.randomUUID()}`);
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].path).toBe('nodes[0]');

    const spof = (await c.call('GET', '/spof')).json().items;
    expect(spof[0].servicesStopped.map((s: { name: string }) => s.name).sort()).toEqual(['Permits', 'Water']);
    expect(spof.map((s: { id: string }) => s.id)).not.toContain(power.id);
  });

  it('impact follows every inventory write: service, system and dependency changes, imports, providers, other processes', async () => {
    const region = await env.org('Stamp Region', 'region');
    const c = await city('Stamp City', region.id);
    const ctx = { db: env.database.db, actor: SYSTEM_ACTOR };
    const power = await orgsService.create(ctx, {
      name: 'Stamp Power',
      kind: 'utility',
      parentId: region.id,
      description: '',
    });
    const sys = async (name: string) =>
      (await c.call('POST', '/systems', { name, kind: 'it' })).json().id as string;
    const dc = await sys('DC');
    const app = await sys('App');
    const svc = (
      await c.call('POST', '/services', { name: 'Water', populationServed: 100, rtoHours: 4, owner: 'W' })
    ).json().id as string;
    const impact = async (id: string) => (await c.call('GET', `/impact?nodes=${id}`)).json();
    expect((await impact(dc)).services).toEqual([]);

    // New dependencies through the API.
    await c.call('POST', '/dependencies', {
      fromKind: 'service',
      fromId: svc,
      toKind: 'system',
      toId: app,
      type: 'runs_on',
    });
    const appDc = (
      await c.call('POST', '/dependencies', {
        fromKind: 'system',
        fromId: app,
        toKind: 'system',
        toId: dc,
        type: 'runs_on',
      })
    ).json().id as string;
    expect((await impact(dc)).populationAffected).toBe(100);

    // An updated service.
    await c.call('PATCH', `/services/${svc}`, { populationServed: 250 });
    expect((await impact(dc)).populationAffected).toBe(250);

    // A deleted dependency, then an imported one.
    await c.call('DELETE', `/dependencies/${appDc}`);
    expect((await impact(dc)).services).toEqual([]);
    const csv = 'from,to,type\nApp,Stamp Power,powered_by\n';
    const imp = await c.call('POST', '/import/commit', {
      kind: 'dependencies',
      fileName: 'd.csv',
      content: b64(csv),
    });
    expect(imp.statusCode).toBe(200);
    const viaPower = await impact(power.id);
    expect(viaPower.populationAffected).toBe(250);
    expect(viaPower.initial[0].name).toBe('Stamp Power');

    // A renamed provider (an organization, outside the inventory stamp).
    await orgsService.update(ctx, power.id, { name: 'Stamp Grid' });
    expect((await impact(power.id)).initial[0].name).toBe('Stamp Grid');

    // Another server process writes: only the database knows, through the stamp.
    await env.database.db.transaction(async (tx) => {
      await tx.update(services).set({ populationServed: 900 }).where(eq(services.id, svc));
      await inventoryVersionsRepository.bump(tx, c.org.id);
    });
    expect((await impact(power.id)).populationAffected).toBe(900);

    // A deleted system.
    await c.call('DELETE', `/systems/${app}?force=true`);
    const graph = (await c.call('GET', '/graph')).json();
    expect(graph.nodes.map((n: { name: string }) => n.name).sort()).toEqual(['DC', 'Water']);
    expect(graph.edges).toEqual([]);
  });

  it('loads the Example City inventory: losing the ISP stops fares and payments, power breaches the water RTO at 8 h', async () => {
    const adminUser = (await env.user('sample-admin@assets.test')).id;
    const s = await env.database.db.transaction(async (tx) => {
      // The sample slugs are unique: give this test's copy its own by loading into a fresh database state.
      return loadExampleCity(tx, adminUser);
    });
    const cityId = s.orgIds.city;
    const admin = await env.user('sample-city@assets.test', { orgId: cityId, role: 'viewer' });
    const get = (path: string) =>
      env.call(admin, { method: 'GET', url: `/api/v1/orgs/${cityId}/assets${path}` }).then((r) => r.json());
    expect((await get('/systems')).total).toBe(SAMPLE_SYSTEMS.length);
    expect((await get('/services')).total).toBe(SAMPLE_SERVICES.length);
    expect((await get('/dependencies')).total).toBe(SAMPLE_DEPENDENCIES.length);
    const isp = await get(`/impact?nodes=${s.orgIds.isp}`);
    expect(isp.services.map((x: { name: string }) => x.name).sort()).toEqual([
      'Building permits',
      'Online payments',
      'Staff email and calendars',
      'Transit fare collection',
    ]);
    const power = await get(`/impact?nodes=${s.orgIds.power}`);
    const water = power.services.find((x: { name: string }) => x.name === 'Drinking water supply');
    // The OT network and the HMI each ride 2 h on their UPS; the RTO of 4 h is breached at 8 h.
    expect(water.timeToImpactHours).toBe(4);
    expect(water.rtoBreachHours).toBe(8);
    expect(power.services.map((x: { name: string }) => x.name)).toContain('Traffic signal operations');
    // The data centre has a generator: corporate IT survives a power cut.
    expect(power.services.map((x: { name: string }) => x.name)).not.toContain('Payroll');
    const graph = await get('/graph');
    expect(graph.cycles).toHaveLength(1);
    const gaps = await get('/gaps');
    expect(gaps.items).toEqual([
      expect.objectContaining({ name: 'Library public Wi-Fi', missing: ['owner', 'rto', 'dependency'] }),
    ]);
    const spof = await get('/spof');
    expect(spof.items[0].name).toBe('Example Power & Light');
  });
});

describe('import and export', () => {
  const CSV = [
    'System name,Type,Vendor,Product,Version,CPE 2.3,Internet facing,EOL,Notes',
    'SCADA HMI,OT/ICS,AVEVA,InTouch,2020 R2,cpe:2.3:a:aveva:intouch:2020:r2:*:*:*:*:*:*,no,2027-01-01,x',
    'Bad CPE,it,Acme,Thing,1,cpe:2.3:a:acme,yes,,',
    'Bad kind,mainframe,IBM,z,1,,no,,',
    '"Multi',
    'line",network,Cisco,IOS,15,,maybe,soon,',
    'SCADA HMI,it,,,,,,,',
    ',it,,,,,,,',
  ].join('\n');

  it('previews row-by-row errors (line, column, reason) and writes nothing; commit is all or nothing', async () => {
    const c = await city('Import City');
    const prev = await c.call('POST', '/import/preview', {
      kind: 'systems',
      fileName: 'inv.csv',
      content: b64(CSV),
    });
    expect(prev.statusCode).toBe(200);
    const p = prev.json();
    expect(p.format).toBe('csv');
    expect(p.mapping).toMatchObject({
      'System name': 'name',
      Type: 'kind',
      'CPE 2.3': 'cpe',
      'Internet facing': 'internetExposed',
      EOL: 'endOfSupport',
      Notes: null,
    });
    expect(p.rows).toBe(6);
    expect(p.validRows).toBe(1);
    const errs = p.errors.map((e: { line: number; column: string; reason: string }) => [
      e.line,
      e.column,
      e.reason,
    ]);
    expect(errs).toEqual([
      [3, 'CPE 2.3', expect.stringMatching(/invalid CPE 2.3: .*too few fields/)],
      [4, 'Type', expect.stringMatching(/"mainframe" is not one of it, ot/)],
      [6, 'Internet facing', expect.stringMatching(/"maybe" is not yes\/no/)],
      [6, 'EOL', expect.stringMatching(/"soon" is not a date/)],
      [7, 'System name', 'duplicate of line 2'],
      [8, 'System name', 'Name is required'],
    ]);
    expect((await c.call('GET', '/systems')).json().total).toBe(0);

    const commit = await c.call('POST', '/import/commit', { kind: 'systems', content: b64(CSV) });
    expect(commit.statusCode).toBe(422);
    expect(commit.json().importErrors).toHaveLength(6);
    expect((await c.call('GET', '/systems')).json().total).toBe(0);

    // Mapping step: a required field not mapped, then mapped by hand.
    const noName = await c.call('POST', '/import/preview', {
      kind: 'systems',
      content: b64('Host,Category\nweb01,it\n'),
      mapping: { Host: null },
    });
    expect(noName.json().errors[0]).toMatchObject({ line: 1, field: 'name' });
    const mapped = await c.call('POST', '/import/commit', {
      kind: 'systems',
      content: b64('Host,Category\nweb01,it\nweb02,network\n'),
      mapping: { Host: 'name' },
    });
    expect(mapped.json()).toEqual({ kind: 'systems', created: 2, updated: 0, rows: 2 });
    // Re-importing updates by name.
    const again = await c.call('POST', '/import/commit', {
      kind: 'systems',
      content: b64('Host,Category,Site\nweb01,it,Annex\nweb03,it,Annex\n'),
      mapping: { Host: 'name' },
    });
    expect(again.json()).toMatchObject({ created: 1, updated: 1 });
    expect((await c.call('GET', '/systems?q=annex')).json().total).toBe(2);
  });

  it('an import updates what exists by name and edge, creates the rest', async () => {
    const c = await city('Reimport City');
    const commit = (kind: string, csv: string) =>
      c.call('POST', '/import/commit', { kind, fileName: `${kind}.csv`, content: b64(csv) });
    expect((await commit('systems', 'name,kind,vendor\nA,it,Old\nB,ot,\n')).json()).toMatchObject({
      created: 2,
      updated: 0,
    });
    const again = await commit('systems', 'name,kind,vendor,tags\na,it,New,x; y\nC,iot,Acme,\n');
    expect(again.json()).toMatchObject({ created: 1, updated: 1 });
    const list = (await c.call('GET', '/systems?sort=name')).json().items;
    // Matched case-insensitively; the file's spelling of the name is kept.
    expect(
      list
        .map((s: { name: string; vendor: string | null; tags: string[]; description: string }) => [
          s.name,
          s.vendor,
          s.tags,
          s.description,
        ])
        .sort((x: string[], y: string[]) => x[0].localeCompare(y[0])),
    ).toEqual([
      ['a', 'New', ['x', 'y'], ''],
      ['B', null, [], ''],
      ['C', 'Acme', [], ''],
    ]);
    const deps = await commit(
      'dependencies',
      'from,to,type,redundancy group\nA,B,runs_on,g1\nA,C,runs_on,\n',
    );
    expect(deps.json()).toMatchObject({ created: 2, updated: 0 });
    const deps2 = await commit(
      'dependencies',
      'from,to,type,redundancy group\nA,B,runs_on,g2\nA,C,runs_on,g3\n',
    );
    expect(deps2.json()).toMatchObject({ created: 0, updated: 2 });
    const edges = (await c.call('GET', '/dependencies')).json().items;
    expect(
      edges
        .map((d: { to: { name: string }; redundancyGroup: string | null }) => [d.to.name, d.redundancyGroup])
        .sort(),
    ).toEqual([
      ['B', 'g2'],
      ['C', 'g3'],
    ]);
  });

  it('imports XLSX services and dependencies by name, and exports CSV and XLSX that import back', async () => {
    const c = await city('Xlsx City');
    await env.org('Xlsx Water', 'department', c.org.id);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Services');
    ws.addRow(['Name', 'Department', 'Population', 'Tier', 'RTO', 'Life safety', 'Data handled']);
    ws.addRow(['Drinking water', 'Xlsx Water', 250000, 1, 4, 'yes', 'process data; quality data']);
    ws.addRow(['Parks booking', 'Nowhere', 'many', 9, -1, 'no', '']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const prev = (
      await c.call('POST', '/import/preview', { kind: 'services', fileName: 's.xlsx', content: b64(buf) })
    ).json();
    expect(prev.format).toBe('xlsx');
    expect(prev.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [3, 'Population'],
    ]);
    ws.getRow(3).getCell(3).value = 100;
    const buf2 = Buffer.from(await wb.xlsx.writeBuffer());
    const prev2 = (await c.call('POST', '/import/preview', { kind: 'services', content: b64(buf2) })).json();
    expect(prev2.errors.map((e: { line: number; column: string }) => [e.line, e.column]).sort()).toEqual([
      [3, 'Department'],
    ]);
    ws.spliceRows(3, 1);
    const ok = await c.call('POST', '/import/commit', {
      kind: 'services',
      content: b64(Buffer.from(await wb.xlsx.writeBuffer())),
    });
    expect(ok.json()).toMatchObject({ created: 1 });
    const svc = (await c.call('GET', '/services')).json().items[0];
    expect(svc).toMatchObject({
      name: 'Drinking water',
      departmentName: 'Xlsx Water',
      populationServed: 250000,
      lifeSafetyImpact: true,
      dataHandled: ['process data', 'quality data'],
    });
    await c.call('POST', '/import/commit', { kind: 'systems', content: b64('name,kind\nPLC,ot\nHMI,ot\n') });
    const deps = await c.call('POST', '/import/preview', {
      kind: 'dependencies',
      content: b64(
        'from,to,type,redundancy group\nDrinking water,PLC,runs_on,\nPLC,Missing,runs_on,\nHMI,Drinking water,runs_on,\n',
      ),
    });
    expect(deps.json().errors.map((e: { line: number; reason: string }) => [e.line, e.reason])).toEqual([
      [3, expect.stringMatching(/no service or system or provider named "Missing"/)],
      [4, expect.stringMatching(/a system depends on systems or providers/)],
    ]);

    const csv = await c.call('GET', '/export?kind=services&format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toMatch(/^name,description,department,owner/);
    const xlsx = await c.call('GET', '/export?kind=systems&format=xlsx');
    expect(xlsx.headers['content-disposition']).toMatch(/systems\.xlsx/);
    // The export imports back as updates.
    const back = await c.call('POST', '/import/preview', {
      kind: 'systems',
      content: xlsx.rawPayload.toString('base64'),
    });
    expect(back.json()).toMatchObject({ toUpdate: 2, toCreate: 0, errorCount: 0 });
    const back2 = await c.call('POST', '/import/preview', { kind: 'services', content: b64(csv.body) });
    expect(back2.json()).toMatchObject({ toUpdate: 1, errorCount: 0 });
  });
});
