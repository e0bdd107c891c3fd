import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { isEmbedded, rows } from '../../src/server/db/client.js';
import { smtpMailer } from '../../src/server/mail.js';
import { signBody, vulnNotifyService } from '../../src/server/modules/vulns/vulns.notify.js';
import {
  findingsRepository,
  vulnerabilitiesRepository,
} from '../../src/server/modules/vulns/vulns.repository.js';
import { legacySuppressionKeyOf, vulnsService } from '../../src/server/modules/vulns/vulns.service.js';
import { loadExampleCity } from '../../src/server/sample/example-city.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';

const FIXTURES = new URL('../../src/core/vuln/fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(() => env?.close());

const upload = (feed: string, body: Buffer | string, user: TestUser = env.admin) =>
  env.call(user, {
    method: 'POST',
    url: `/api/v1/vulns/feeds/${feed}`,
    headers: { 'content-type': 'application/octet-stream' },
    payload: body,
  });

const EPSS_CSV = [
  '#model_version:v2023.03.01,score_date:2099-02-02T00:00:00+0000',
  'cve,epss,percentile',
  'CVE-2099-0001,0.97312,0.99900',
  'CVE-2099-0002,0.00043,0.08000',
  'CVE-2099-0004,not-a-number,0.5',
  '',
].join('\n');

function nvdDoc(cves: unknown[]) {
  return JSON.stringify({
    resultsPerPage: cves.length,
    startIndex: 0,
    totalResults: cves.length,
    format: 'NVD_CVE',
    version: '2.0',
    timestamp: '2099-05-01T00:00:00.000',
    vulnerabilities: cves.map((cve) => ({ cve })),
  });
}

function cve(id: string, status: string, criteria: string[]) {
  return {
    id,
    published: '2099-05-01T00:00:00.000',
    lastModified: '2099-05-01T00:00:00.000',
    vulnStatus: status,
    descriptions: [{ lang: 'en', value: `${id} in Example Gateway.` }],
    configurations: criteria.length
      ? [
          {
            nodes: [
              {
                operator: 'OR',
                negate: false,
                cpeMatch: criteria.map((c) => ({ vulnerable: true, criteria: c })),
              },
            ],
          },
        ]
      : [],
  };
}

let n = 0;
async function city() {
  const c = await env.org(`Vuln City ${++n}`);
  const admin = await env.user(`v-admin-${n}@test.local`, { orgId: c.id, role: 'admin' });
  const contributor = await env.user(`v-contrib-${n}@test.local`, { orgId: c.id, role: 'contributor' });
  const analyst = await env.user(`v-analyst-${n}@test.local`, { orgId: c.id, role: 'analyst' });
  const viewer = await env.user(`v-viewer-${n}@test.local`, { orgId: c.id, role: 'viewer' });
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    payload?: unknown,
    u: TestUser = admin,
  ) => env.call(u, { method, url: `/api/v1/orgs/${c.id}${path}`, payload: payload as never });
  const post = async (path: string, body: unknown) => {
    const r = await call('POST', path, body);
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };
  return { id: c.id, admin, contributor, analyst, viewer, call, post };
}

describe('vulnerability feeds', () => {
  it('ingests NVD, KEV (diffing releases) and EPSS files, recording each run', async () => {
    const nvd = await upload('nvd', gzipSync(fixture('nvd-sample.json')));
    expect(nvd.statusCode, nvd.body).toBe(200);
    expect(nvd.json()).toMatchObject({
      feed: 'nvd',
      status: 'succeeded',
      counts: { read: 4, upserted: 4, skipped: 0, rejected: 1 },
    });

    const old = (await upload('kev', fixture('kev-old.json'))).json();
    expect(old.status).toBe('succeeded');
    expect(old.added.sort()).toEqual(['CVE-2099-0001', 'CVE-2099-0005']);
    const next = (await upload('kev', fixture('kev-new.json'))).json();
    expect(next.status).toBe('succeeded');
    expect(next.added).toEqual(['CVE-2099-0002']);
    expect(next.counts).toMatchObject({ removed: 1 });
    expect(next.errors.join('\n')).toMatch(/CVE-99-1/);

    const epss = (await upload('epss', gzipSync(EPSS_CSV))).json();
    expect(epss).toMatchObject({ status: 'succeeded', counts: { scores: 2, skipped: 1 } });
    expect(epss.errors[0]).toMatch(/line 5/);

    const runs = (
      await env.call(env.admin, { method: 'GET', url: '/api/v1/vulns/feed-runs?limit=10' })
    ).json();
    expect(runs.items.map((r: { feed: string }) => r.feed).slice(0, 4)).toEqual([
      'epss',
      'kev',
      'kev',
      'nvd',
    ]);
  });

  it('keeps what it read from a truncated NVD file and names the failure', async () => {
    const text = nvdDoc([cve('CVE-2099-0201', 'Analyzed', []), cve('CVE-2099-0202', 'Analyzed', [])]);
    const r = (await upload('nvd', text.slice(0, text.length - 60))).json();
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/not valid JSON or is truncated/);
    expect(r.counts.upserted).toBe(1);
    const bad = (await upload('kev', '{"catalogVersion":')).json();
    expect(bad).toMatchObject({ status: 'failed' });
    expect(bad.error).toMatch(/truncated/);
  });

  it('lets only instance administrators ingest', async () => {
    const c = await city();
    expect((await upload('kev', fixture('kev-old.json'), c.admin)).statusCode).toBe(403);
    expect((await env.call(c.admin, { method: 'GET', url: '/api/v1/vulns/feed-runs' })).statusCode).toBe(403);
  });
});

describe('findings', () => {
  async function seeded() {
    const c = await city();
    const svc = await c.post('/assets/services', {
      name: '911 Dispatch',
      criticalityTier: 1,
      publicSafetyImpact: true,
    });
    const web = await c.post('/assets/systems', {
      name: 'Web gateway',
      kind: 'it',
      cpe: 'cpe:2.3:a:example:httpd:2.4.49:*:*:*:*:*:*:*',
    });
    const mapViewer = await c.post('/assets/systems', {
      name: 'Map viewer',
      kind: 'it',
      cpe: 'cpe:2.3:a:example:viewer:3.0:*:*:*:*:*:*:*',
    });
    const patched = await c.post('/assets/systems', {
      name: 'Patched gateway',
      kind: 'it',
      cpe: 'cpe:2.3:a:example:httpd:2.4.50:*:*:*:*:*:*:*',
    });
    await c.post('/assets/dependencies', {
      fromKind: 'service',
      fromId: svc.id,
      toKind: 'system',
      toId: web.id,
      type: 'runs_on',
    });
    return { ...c, svc, web, mapViewer, patched };
  }

  it('matches systems, decides SSVC from KEV, CVSS and the services, and explains why', async () => {
    const c = await seeded();
    expect((await c.call('POST', '/findings/rematch', undefined, c.viewer)).statusCode).toBe(403);
    const rm = await c.call('POST', '/findings/rematch', undefined, c.contributor);
    expect(rm.statusCode, rm.body).toBe(200);
    expect(rm.json()).toMatchObject({ systems: 3, new: 2, closed: 0 });

    const list = (await c.call('GET', '/findings', undefined, c.viewer)).json();
    expect(list.total).toBe(2);
    const [first, second] = list.items;
    // KEV's due date (2099-01-22) is later than the default policy's 7 days for Act: the earlier wins.
    expect(first.dueDate).toBe(
      new Date(Date.parse(first.firstSeen) + 7 * 86_400_000).toISOString().slice(0, 10),
    );
    expect(first).toMatchObject({
      cveId: 'CVE-2099-0001',
      systemName: 'Web gateway',
      ssvcDecision: 'Act',
      inKev: true,
      confidence: 'exact',
      cvssScore: 9.8,
      epss: 0.97312,
      status: 'open',
    });
    // The viewer needs a Windows platform the system does not declare: conditional; no service depends on it.
    expect(second).toMatchObject({
      cveId: 'CVE-2099-0002',
      systemName: 'Map viewer',
      confidence: 'platform-conditional',
      ssvcDecision: 'Track',
    });
    expect(list.items.some((f: { systemName: string }) => f.systemName === 'Patched gateway')).toBe(false);

    const detail = (await c.call('GET', `/findings/${first.id}`, undefined, c.viewer)).json();
    expect(detail.trace.witness).toMatchObject({
      criteria: 'cpe:2.3:a:example:httpd:*:*:*:*:*:*:*:*',
      result: 'exact',
    });
    expect(
      detail.trace.witness.versionBounds.map((b: { bound: string; satisfied: boolean }) => [
        b.bound,
        b.satisfied,
      ]),
    ).toEqual([
      ['versionStartIncluding', true],
      ['versionEndExcluding', true],
    ]);
    expect(detail.ssvcInputs).toMatchObject({
      exploitation: { value: 'active' },
      automatable: { value: 'yes' },
      technicalImpact: { value: 'total' },
      missionWellbeing: { value: 'high', service: { name: '911 Dispatch' } },
    });
    expect(detail.kev).toMatchObject({ dueDate: '2099-01-22', ransomwareUse: 'Known' });

    const filtered = async (qs: string) =>
      (await c.call('GET', `/findings?${qs}`)).json().items.map((f: { cveId: string }) => f.cveId);
    // Both are in the newer KEV release.
    expect(await filtered('kev=true')).toEqual(['CVE-2099-0001', 'CVE-2099-0002']);
    expect(await filtered('kev=false')).toEqual([]);
    expect(await filtered('ssvc=Act')).toEqual(['CVE-2099-0001']);
    expect(second.systemId).toBe(c.mapViewer.id);
    expect(await filtered(`systemId=${c.mapViewer.id}`)).toEqual(['CVE-2099-0002']);
    expect(await filtered('q=viewer')).toEqual(['CVE-2099-0002']);
    expect(await filtered('q=0001')).toEqual(['CVE-2099-0001']);
    const paged = (await c.call('GET', '/findings?limit=1&offset=1')).json();
    expect(paged).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(paged.items.map((f: { cveId: string }) => f.cveId)).toEqual(['CVE-2099-0002']);

    // A second rematch updates, it does not duplicate.
    expect((await c.call('POST', '/findings/rematch')).json()).toMatchObject({ new: 0, updated: 2 });

    const page = (await c.call('GET', '/cves/CVE-2099-0001', undefined, c.viewer)).json();
    expect(page.cve).toMatchObject({ id: 'CVE-2099-0001', cwes: ['CWE-787'], rejected: false });
    expect(page.kev.catalogVersion).toBe('2099.02.01');
    expect(page.epss).toEqual([{ date: '2099-02-02', score: 0.97312, percentile: 0.999 }]);
    expect(page.findings.map((f: { systemName: string }) => f.systemName)).toEqual(['Web gateway']);
    expect((await c.call('GET', '/cves/CVE-2099-9999')).statusCode).toBe(404);
  });

  it('triages: contributors move status, accepting a risk needs data.analyze and an expiry', async () => {
    const c = await seeded();
    await c.call('POST', '/findings/rematch');
    const [f] = (await c.call('GET', '/findings?kev=true')).json().items;
    const path = `/findings/${f.id}`;
    expect((await c.call('PATCH', path, { status: 'in_progress' }, c.viewer)).statusCode).toBe(403);
    const prog = await c.call(
      'PATCH',
      path,
      { status: 'in_progress', note: 'patch window Friday' },
      c.contributor,
    );
    expect(prog.statusCode, prog.body).toBe(200);
    expect(prog.json()).toMatchObject({ status: 'in_progress', statusNote: 'patch window Friday' });

    const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
    expect(
      (await c.call('PATCH', path, { status: 'risk_accepted', acceptedUntil: until }, c.contributor))
        .statusCode,
    ).toBe(403);
    const noExpiry = await c.call('PATCH', path, { status: 'risk_accepted' }, c.analyst);
    expect(noExpiry.statusCode).toBe(422);
    expect(noExpiry.json().errors[0].path).toBe('acceptedUntil');
    const past = await c.call(
      'PATCH',
      path,
      { status: 'risk_accepted', acceptedUntil: '2000-01-01T00:00:00Z' },
      c.analyst,
    );
    expect(past.statusCode).toBe(422);
    const ok = await c.call(
      'PATCH',
      path,
      { status: 'risk_accepted', acceptedUntil: until, note: 'compensating WAF' },
      c.analyst,
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'risk_accepted',
      acceptedBy: c.analyst.id,
      acceptedUntil: until,
    });
    // Triage survives a rematch.
    await c.call('POST', '/findings/rematch');
    expect((await c.call('GET', path)).json().status).toBe('risk_accepted');
    expect((await c.call('GET', '/findings?status=risk_accepted')).json().total).toBe(1);
    expect((await c.call('PATCH', path, { status: 'bogus' })).statusCode).toBe(422);
  });

  it('closes findings whose CVE is rejected or no longer matches, and reopens them when it matches again', async () => {
    const c = await city();
    const gw = await c.post('/assets/systems', {
      name: 'Edge gateway',
      kind: 'network',
      cpe: 'cpe:2.3:h:example:edge_gateway:1.0:*:*:*:*:*:*:*',
    });
    const criteria = ['cpe:2.3:h:example:edge_gateway:1.0:*:*:*:*:*:*:*'];
    await upload(
      'nvd',
      nvdDoc([cve('CVE-2099-0100', 'Analyzed', criteria), cve('CVE-2099-0101', 'Analyzed', criteria)]),
    );
    expect((await c.call('POST', '/findings/rematch')).json()).toMatchObject({ new: 2 });
    await upload('nvd', nvdDoc([cve('CVE-2099-0100', 'Rejected', [])]));
    expect((await c.call('POST', '/findings/rematch')).json()).toMatchObject({ closed: 1 });
    const rejected = (await c.call('GET', '/findings?q=CVE-2099-0100')).json().items[0];
    expect(rejected).toMatchObject({
      status: 'false_positive',
      statusNote: expect.stringMatching(/rejected/),
    });

    const upd = await c.call('PATCH', `/assets/systems/${gw.id}`, {
      cpe: 'cpe:2.3:h:example:edge_gateway:2.0:*:*:*:*:*:*:*',
    });
    expect(upd.statusCode, upd.body).toBe(200);
    // The edit itself rematches the system (in its transaction, audited against the system).
    expect((await c.call('GET', '/findings?q=CVE-2099-0101')).json().items[0].status).toBe('mitigated');
    expect((await c.call('POST', '/findings/rematch')).json()).toMatchObject({ closed: 0, reopened: 0 });
    const audit = (await c.call('GET', `/audit?action=vulns.rematch&targetId=${gw.id}`)).json();
    expect(audit.items[0]).toMatchObject({ targetType: 'system', after: { systems: 1, closed: 1 } });
    await c.call('PATCH', `/assets/systems/${gw.id}`, { cpe: criteria[0] });
    expect((await c.call('GET', '/findings?q=CVE-2099-0101')).json().items[0].status).toBe('open');
    expect((await c.call('POST', '/findings/rematch')).json()).toMatchObject({ reopened: 0 });
    // Editing what does not identify the system leaves its findings alone.
    await c.call('PATCH', `/assets/systems/${gw.id}`, { site: 'Annex' });
    expect((await c.call('GET', `/audit?action=vulns.rematch&targetId=${gw.id}`)).json().items).toHaveLength(
      2,
    );
  });

  it('evaluates a stored trace again while the CVE record is unchanged, keeps the criterion once it changed, and holds false positives on the criterion', async () => {
    const c = await city();
    const sys = await c.post('/assets/systems', {
      name: 'Widget server',
      kind: 'it',
      cpe: 'cpe:2.3:a:example:widget:1.0:*:*:*:*:*:*:*',
    });
    const criterion = 'cpe:2.3:a:example:widget:*:*:*:*:*:*:*:*';
    const ranged = (id: string, end: string) => {
      const doc = cve(id, 'Analyzed', [criterion]) as {
        configurations: { nodes: { cpeMatch: Record<string, unknown>[] }[] }[];
      };
      doc.configurations[0]!.nodes[0]!.cpeMatch[0]!.versionEndExcluding = end;
      return doc;
    };
    await upload('nvd', nvdDoc([ranged('CVE-2099-0300', '2.0'), ranged('CVE-2099-0301', '2.0')]));
    expect((await c.call('POST', '/findings/rematch')).json()).toMatchObject({ new: 2 });
    const list = (await c.call('GET', '/findings?q=CVE-2099-03')).json().items as {
      id: string;
      cveId: string;
    }[];
    const id300 = list.find((f) => f.cveId === 'CVE-2099-0300')!.id;
    const id301 = list.find((f) => f.cveId === 'CVE-2099-0301')!.id;

    // The whole trace, as evaluated at match time: attribute relations and the version bound.
    const fresh = (await c.call('GET', `/findings/${id300}`)).json();
    expect(fresh.trace.recordChanged).toBeUndefined();
    expect(fresh.trace.system).toEqual({
      cpe: 'cpe:2.3:a:example:widget:1.0:*:*:*:*:*:*:*',
      vendor: null,
      product: null,
      version: null,
    });
    expect(fresh.trace.witness).toMatchObject({
      criteria: criterion,
      relations: { vendor: 'EQUAL', product: 'EQUAL' },
      versionBounds: [{ bound: 'versionEndExcluding', value: '2.0', version: '1.0', satisfied: true }],
    });
    expect(fresh.trace.trace.criteria).toHaveLength(1);

    // False positives: one marked now, one with a key of the form used before criterion keys.
    expect((await c.call('PATCH', `/findings/${id300}`, { status: 'false_positive' })).statusCode).toBe(200);
    const full301 = (await c.call('GET', `/findings/${id301}`)).json().trace;
    await env.database.db.execute(
      sql`update findings set status = 'false_positive', suppression_key = ${legacySuppressionKeyOf(full301)}
          where id = ${id301}`,
    );
    expect((await c.call('POST', '/findings/rematch')).json()).toMatchObject({ reopened: 0 });

    // NVD moves the bound past the system's version: the finding no longer matches; its trace keeps the
    // criterion it matched on, marked as from a record that changed.
    await upload('nvd', nvdDoc([ranged('CVE-2099-0300', '0.9')]));
    const stale = (await c.call('GET', `/findings/${id300}`)).json();
    expect(stale.trace).toMatchObject({
      recordChanged: true,
      configurationIndex: 0,
      witness: {
        criteria: criterion,
        versionBounds: [{ bound: 'versionEndExcluding', value: '2.0', version: '1.0', satisfied: true }],
      },
    });
    expect(stale.trace.trace.criteria).toEqual([stale.trace.witness]);
    expect((await c.call('POST', '/findings/rematch')).json()).toMatchObject({ closed: 0 });
    expect((await c.call('GET', `/findings/${id300}`)).json().status).toBe('false_positive');

    // The record changes again but its criterion is as before: the false positive holds.
    await upload('nvd', nvdDoc([ranged('CVE-2099-0300', '2.0')]));
    expect((await c.call('POST', '/findings/rematch')).json()).toMatchObject({ reopened: 0 });
    expect((await c.call('GET', `/findings/${id300}`)).json().trace.recordChanged).toBeUndefined();
    // A different bound is different data: the false positive reopens.
    await upload('nvd', nvdDoc([ranged('CVE-2099-0300', '3.0')]));
    expect((await c.call('POST', '/findings/rematch')).json()).toMatchObject({ reopened: 1 });
    expect((await c.call('GET', `/findings/${id301}`)).json().status).toBe('false_positive');

    // Deleting the system deletes its findings (the foreign key on organization and system).
    expect((await c.call('DELETE', `/assets/systems/${sys.id}`)).statusCode).toBe(204);
    expect((await c.call('GET', '/findings?q=CVE-2099-03')).json().total).toBe(0);
  });

  it('refuses a finding that names a system of another organization', async () => {
    const a = await city();
    const b = await city();
    const other = await b.post('/assets/systems', { name: 'Their server', kind: 'it' });
    await expect(
      env.database.db.execute(sql`insert into findings (org_id, system_id, cve_id, confidence, trace,
        ssvc_decision, ssvc_key) values (${a.id}, ${other.id}, 'CVE-2099-0400', 'exact', '{}', 'Track', 'k')`),
    ).rejects.toMatchObject({ cause: { constraint: 'findings_system_fk' } });
  });

  it('writes findings on the embedded database with one check of their systems, then checks each row again', async () => {
    const a = await seeded();
    const b = await city();
    const other = await b.post('/assets/systems', { name: 'Their server', kind: 'it' });
    const finding = (systemId: string, cveId: string) => ({
      systemId,
      cveId,
      confidence: 'exact',
      trace: '{}',
      ssvcDecision: 'Track',
      ssvcKey: 'k',
      inKev: false,
      dueDate: null,
    });
    const db = env.database.db;
    if (isEmbedded(db)) {
      // The rows pass unchecked; the check of the systems written for refuses them all.
      await expect(
        db.transaction(async (tx) => {
          await findingsRepository.suspendSystemChecks(tx);
          await findingsRepository.insertMatched(tx, a.id, new Date(), [
            finding(a.web.id, 'CVE-2099-0402'),
            finding(other.id, 'CVE-2099-0401'),
          ]);
          await findingsRepository.checkSystemsAfterWrites(tx, a.id, [a.web.id, other.id]);
        }),
      ).rejects.toMatchObject({ code: '23503', message: expect.stringContaining(other.id) });
      const kept = await rows(
        db,
        sql`select 1 from findings where cve_id in ('CVE-2099-0401', 'CVE-2099-0402')`,
      );
      expect(kept).toEqual([]);
    }
    // After a rematch, later writes of the same transaction are checked row by row again.
    await expect(
      db.transaction(async (tx) => {
        const counts = await vulnsService.rematchIn(tx, { actor: SYSTEM_ACTOR }, a.id);
        expect(counts.new).toBeGreaterThan(0);
        await findingsRepository.insertMatched(tx, a.id, new Date(), [finding(other.id, 'CVE-2099-0403')]);
      }),
    ).rejects.toMatchObject({ cause: { constraint: 'findings_system_fk' } });
  });

  it('finds the same candidate CVEs from a few vendor:product keys as from thousands', async () => {
    const db = env.database.db;
    const exact = ['example:httpd', 'example:viewer'];
    const loose = ['example:httpd'];
    const padding = Array.from({ length: 2500 }, (_, i) => `nobody:product-${i}`);
    const ids = (list: { cveId: string }[]) => list.map((v) => v.cveId).sort();
    const few = await vulnerabilitiesRepository.candidates(db, exact, loose);
    expect(few.length).toBeGreaterThan(0);
    const many = await vulnerabilitiesRepository.candidates(
      db,
      [...exact, ...padding],
      [...loose, ...padding],
    );
    expect(ids(many)).toEqual(ids(few));
    expect(many.find((v) => v.cveId === few[0]!.cveId)).toEqual(few[0]);
    // Each column is searched with its own keys: a key only CPE names have, and one only vendor/product text has.
    const onlyIn = async (column: 'cpe_keys' | 'loose_keys', other: 'cpe_keys' | 'loose_keys') =>
      (
        await rows<{ k: string }>(
          db,
          sql`select k from (select distinct unnest(${sql.raw(column)}) k from vulnerabilities where not rejected) c
            where not exists (select 1 from vulnerabilities v where c.k = any(v.${sql.raw(other)})) order by k limit 1`,
        )
      )[0]?.k;
    const exactOnly = await onlyIn('cpe_keys', 'loose_keys');
    const looseOnly = await onlyIn('loose_keys', 'cpe_keys');
    expect(exactOnly && looseOnly).toBeTruthy();
    for (const [e, l] of [
      [[exactOnly!], []],
      [[], [looseOnly!]],
    ] as const) {
      const expected = ids(await vulnerabilitiesRepository.candidates(db, [...e], [...l]));
      expect(expected.length).toBeGreaterThan(0);
      expect(
        ids(await vulnerabilitiesRepository.candidates(db, [...e, ...padding], [...l, ...padding])),
      ).toEqual(expected);
    }
    // Only the keys given count: thousands of keys no CVE has find nothing.
    expect(await vulnerabilitiesRepository.candidates(db, padding, padding)).toEqual([]);
  });

  it('groups open findings by the services that depend on each system', async () => {
    const c = await seeded();
    expect((await c.call('GET', '/findings/by-service')).json()).toEqual({
      items: [
        {
          service: { id: c.svc.id, name: '911 Dispatch', criticalityTier: 1 },
          systems: 1,
          counts: { open: 0, Act: 0, Attend: 0, 'Track*': 0, Track: 0, kev: 0, overdue: 0 },
        },
        {
          service: null,
          systems: 2,
          counts: { open: 0, Act: 0, Attend: 0, 'Track*': 0, Track: 0, kev: 0, overdue: 0 },
        },
      ],
    });
    await c.call('POST', '/findings/rematch');
    const groups = (await c.call('GET', '/findings/by-service', undefined, c.viewer)).json().items;
    expect(groups[0]).toMatchObject({
      service: { name: '911 Dispatch' },
      systems: 1,
      counts: { open: 1, Act: 1, kev: 1 },
    });
    expect(groups[1]).toMatchObject({ service: null, systems: 2, counts: { open: 1, Act: 0, kev: 1 } });
    // The list follows the grouping: findings of the systems a service depends on.
    const ofService = (await c.call('GET', `/findings?serviceId=${c.svc.id}`)).json();
    expect(ofService.items.map((f: { systemName: string }) => f.systemName)).toEqual(['Web gateway']);
    const other = (await city()).id;
    expect((await c.call('GET', `/findings?serviceId=${other}`)).json().total).toBe(0);
    // Closed findings leave the counts.
    await c.call('PATCH', `/findings/${ofService.items[0].id}`, { status: 'mitigated' });
    const groupsAfter = (await c.call('GET', '/findings/by-service')).json().items;
    expect(groupsAfter.find((g: { service: unknown }) => g.service !== null).counts.open).toBe(0);
    expect((await c.call('GET', '/findings/by-service', undefined, (await city()).admin)).statusCode).toBe(
      404,
    );
  });

  it('lists what is new since a given time ("new this week")', async () => {
    const c = await seeded();
    const before = new Date(Date.now() - 1000).toISOString();
    await c.call('POST', '/findings/rematch');
    expect((await c.call('GET', `/findings?since=${encodeURIComponent(before)}`)).json().total).toBe(2);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await c.call('GET', `/findings?since=${encodeURIComponent(future)}`)).json()).toMatchObject({
      items: [],
      total: 0,
    });
    const bad = await c.call('GET', '/findings?since=last-week');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('querystring.since');
  });

  it('triages several findings at once, all or none, each change audited', async () => {
    const c = await seeded();
    const foreign = await seeded();
    await c.call('POST', '/findings/rematch');
    await foreign.call('POST', '/findings/rematch');
    const ids = (await c.call('GET', '/findings')).json().items.map((f: { id: string }) => f.id);
    const [foreignId] = (await foreign.call('GET', '/findings'))
      .json()
      .items.map((f: { id: string }) => f.id);
    expect(ids).toHaveLength(2);

    // A foreign finding fails the whole request and changes nothing.
    const mixed = await c.call('POST', '/findings/bulk-status', {
      ids: [...ids, foreignId],
      status: 'in_progress',
      note: 'x',
    });
    expect(mixed.statusCode).toBe(422);
    expect(mixed.json().errors).toEqual([
      { path: 'ids.2', message: `no finding ${foreignId} in this organization` },
    ]);
    expect((await c.call('GET', '/findings?status=open')).json().total).toBe(2);
    expect((await foreign.call('GET', `/findings/${foreignId}`)).json().status).toBe('open');

    // Bad input, roles and the rules of a single change hold.
    expect((await c.call('POST', '/findings/bulk-status', { ids: [], status: 'mitigated' })).statusCode).toBe(
      422,
    );
    expect(
      (await c.call('POST', '/findings/bulk-status', { ids: [ids[0], ids[0]], status: 'mitigated' }))
        .statusCode,
    ).toBe(422);
    expect(
      (await c.call('POST', '/findings/bulk-status', { ids, status: 'mitigated' }, c.viewer)).statusCode,
    ).toBe(403);
    expect(
      (await c.call('POST', '/findings/bulk-status', { ids, status: 'risk_accepted' }, c.analyst)).statusCode,
    ).toBe(422);
    expect(
      (await foreign.call('POST', '/findings/bulk-status', { ids, status: 'mitigated' })).statusCode,
    ).toBe(422);

    const ok = await c.call(
      'POST',
      '/findings/bulk-status',
      { ids, status: 'in_progress', note: 'Patch window Saturday' },
      c.contributor,
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ updated: 2 });
    const after = (await c.call('GET', '/findings')).json().items;
    expect(after.map((f: { status: string; statusNote: string }) => [f.status, f.statusNote])).toEqual([
      ['in_progress', 'Patch window Saturday'],
      ['in_progress', 'Patch window Saturday'],
    ]);
    const audit = (await c.call('GET', '/audit?action=finding.status&limit=50')).json();
    const targets = audit.items
      .filter((e: { action: string }) => e.action === 'finding.status')
      .map((e: { targetId: string }) => e.targetId)
      .sort();
    expect(targets).toEqual([...ids].sort());
  });

  it('keeps daily snapshots of open findings by SSVC decision for the trends', async () => {
    const c = await seeded();
    const empty = (await c.call('GET', '/findings/trends')).json();
    expect(empty.items).toEqual([]);
    await c.call('POST', '/findings/rematch');
    const today = new Date().toISOString().slice(0, 10);
    const after = (await c.call('GET', '/findings/trends?days=7', undefined, c.viewer)).json();
    expect(after.items).toHaveLength(1);
    expect(after.items[0]).toMatchObject({ day: today, open: 2, Act: 1, kev: 2 });
    // The daily job takes the snapshot again: a finding triaged away leaves today's count.
    const [f] = (await c.call('GET', '/findings')).json().items;
    await c.call('PATCH', `/findings/${f.id}`, { status: 'mitigated' });
    await vulnsService.snapshotTrends(env.database.db);
    expect((await c.call('GET', '/findings/trends')).json().items).toMatchObject([{ day: today, open: 1 }]);
    expect((await c.call('GET', '/findings/trends?days=0')).statusCode).toBe(422);
    expect((await c.call('GET', '/findings/trends', undefined, (await city()).admin)).statusCode).toBe(404);
  });

  it('keeps findings to their organization', async () => {
    const a = await seeded();
    const b = await city();
    await a.call('POST', '/findings/rematch');
    const [f] = (await a.call('GET', '/findings')).json().items;
    expect((await b.call('GET', `/findings/${f.id}`)).statusCode).toBe(404);
    expect((await b.call('PATCH', `/findings/${f.id}`, { status: 'mitigated' })).statusCode).toBe(404);
    expect((await b.call('GET', '/cves/CVE-2099-0001')).json().findings).toEqual([]);
    expect(
      (await env.call(a.admin, { method: 'GET', url: `/api/v1/orgs/${b.id}/findings` })).statusCode,
    ).toBe(404);
  });
});

describe('CPE suggestions', () => {
  it('suggests CPE names from the names in the ingested NVD data, and follows new feed data', async () => {
    const c = await city();
    const q = (query: string, u: TestUser = c.viewer) =>
      c.call('GET', `/vulns/cpe-suggestions?${query}`, undefined, u);
    const r = await q('vendor=Example%20Inc.&product=Example%20HTTPD&version=2.4.49');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.dictionarySize).toBeGreaterThanOrEqual(4);
    expect(body.items[0]).toMatchObject({
      cpe: 'cpe:2.3:a:example:httpd:2.4.49:*:*:*:*:*:*:*',
      part: 'a',
      vendor: 'example',
      product: 'httpd',
    });
    // A platform criterion ("running on") names Windows: it is a name NVD uses, so it is offered too.
    const win = (await q('vendor=Microsoft&product=Windows')).json();
    expect(win.items[0].cpe).toBe('cpe:2.3:o:microsoft:windows:*:*:*:*:*:*:*:*');
    // The version becomes a formatted-string component with its escapes.
    expect((await q('vendor=example&product=viewer&version=3.0%2Br1')).json().items[0].cpe).toBe(
      String.raw`cpe:2.3:a:example:viewer:3.0\+r1:*:*:*:*:*:*:*`,
    );

    // A name only new feed data carries is suggested once the feed brought it.
    expect((await q('vendor=Acme%20Water&product=Scada%20Hub')).json().items).toEqual([]);
    const doc = nvdDoc([
      cve('CVE-2099-0777', 'Analyzed', ['cpe:2.3:a:acme_water:scada_hub:4.1:*:*:*:*:*:*:*']),
    ]);
    expect((await upload('nvd', doc)).json().status).toBe('succeeded');
    expect((await q('vendor=Acme%20Water&product=Scada%20Hub&version=4.1')).json().items[0].cpe).toBe(
      'cpe:2.3:a:acme_water:scada_hub:4.1:*:*:*:*:*:*:*',
    );

    const none = await q('version=1.0');
    expect(none.statusCode).toBe(200);
    expect(none.json().items).toEqual([]);
    expect((await q(`vendor=${'x'.repeat(201)}`)).statusCode).toBe(422);
    expect((await q('vendor=x&limit=0')).statusCode).toBe(422);
    const stranger = await c.call(
      'GET',
      '/vulns/cpe-suggestions?vendor=example',
      undefined,
      (await city()).admin,
    );
    expect(stranger.statusCode).toBe(404);
  });
});

describe('CSAF advisories, VEX and due dates', () => {
  const advisory = (
    over: { version?: string; released?: string; tlp?: string; cve?: string; tracking?: string } = {},
  ) => {
    let text = fixture('csaf-sample.json').toString('utf8');
    if (over.cve) text = text.replaceAll('CVE-2099-1000', over.cve);
    if (over.tracking) text = text.replaceAll('EX-2099-01', over.tracking);
    const doc = JSON.parse(text);
    doc.document.tracking.version = over.version ?? '2';
    doc.document.tracking.current_release_date = over.released ?? '2099-06-01T00:00:00Z';
    doc.document.distribution = { tlp: { label: over.tlp ?? 'CLEAR' } };
    return JSON.stringify(doc);
  };

  it('ingests an advisory, refuses restricted or broken ones, and keeps the newest revision', async () => {
    const ok = await upload('csaf', gzipSync(advisory()));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      feed: 'csaf',
      status: 'succeeded',
      counts: { vulnerabilities: 1, cves: 1, kept: 1, olderRevisionSkipped: 0 },
      added: ['CVE-2099-1000'],
    });
    const older = await upload('csaf', advisory({ version: '1', released: '2099-05-01T00:00:00Z' }));
    expect(older.json()).toMatchObject({ status: 'succeeded', counts: { kept: 0, olderRevisionSkipped: 1 } });
    const amber = await upload('csaf', advisory({ tlp: 'AMBER' }));
    expect(amber.json()).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/TLP:AMBER advisory refused/),
    });
    const broken = await upload('csaf', '{"document": {"category": "csaf_security_advisory"');
    expect(broken.json()).toMatchObject({ status: 'failed', error: expect.stringMatching(/not valid JSON/) });
    const noTracking = await upload(
      'csaf',
      JSON.stringify({ document: { category: 'csaf_base', title: 'x' } }),
    );
    expect(noTracking.json().error).toBe('document.tracking.id is missing or not a string');
    const c = await city();
    expect((await upload('csaf', advisory(), c.admin)).statusCode).toBe(403);
    const list = (await c.call('GET', '/vulns/advisories?q=cve-2099-1000')).json();
    expect(list.items).toEqual([
      expect.objectContaining({ trackingId: 'EX-2099-01', version: '2', publisher: 'Example CERT' }),
    ]);
  });

  it('finds CVEs from advisories by vendor, product and version; VEX closes a finding; false positives reopen when the data changes', async () => {
    const c = await city();
    const gateway = await c.post('/assets/systems', {
      name: 'Plant gateway',
      kind: 'network',
      cpe: 'cpe:2.3:h:example:gateway:4.2:*:*:*:*:*:*:*',
    });
    const plc = await c.post('/assets/systems', {
      name: 'Filter PLC',
      kind: 'ot',
      vendor: 'Example Automation',
      product: 'ExamplePLC 1500',
      version: 'V2.3.1',
    });
    await c.post('/assets/systems', {
      name: 'Updated PLC',
      kind: 'ot',
      vendor: 'Example Automation AG',
      product: 'ExamplePLC 1500',
      version: 'V3.0',
    });
    // NVD lists the gateway as vulnerable; the advisory later says its code is not present.
    await upload(
      'nvd',
      nvdDoc([cve('CVE-2099-1001', 'Analyzed', ['cpe:2.3:h:example:gateway:4.2:*:*:*:*:*:*:*'])]),
    );
    const before = (await c.call('POST', '/findings/rematch')).json();
    expect(before, JSON.stringify(before)).toMatchObject({ new: 2, fromAdvisories: 1 });
    const up = await upload('csaf', advisory({ cve: 'CVE-2099-1001', tracking: 'EX-2099-02' }));
    expect(up.json(), up.body).toMatchObject({ status: 'succeeded', counts: { kept: 1 } });
    const r = (await c.call('POST', '/findings/rematch')).json();
    expect(r, JSON.stringify(r)).toMatchObject({ new: 1, notAffected: 1, fromAdvisories: 2 });

    const all = (await c.call('GET', '/findings?limit=50')).json().items;
    const gw = all.find((f: { systemId: string }) => f.systemId === gateway.id);
    expect(gw).toMatchObject({
      status: 'false_positive',
      statusNote: expect.stringContaining(
        'Example CERT advisory EX-2099-02 (Example Gateway 4.2): not affected (vulnerable code not present)',
      ),
    });
    // The fixed version (V3.0) gets no finding; the affected one gets it with the advisory's reasons and fixes.
    expect(all.filter((f: { cveId: string; status: string }) => f.status === 'open')).toHaveLength(2);
    const found = all.find(
      (f: { systemId: string; cveId: string }) => f.systemId === plc.id && f.cveId === 'CVE-2099-1001',
    );
    expect(found).toMatchObject({ cveId: 'CVE-2099-1001', status: 'open', confidence: 'vendor-product' });
    const detail = (await c.call('GET', `/findings/${found.id}`)).json();
    expect(detail.trace.source).toBe('csaf');
    expect(detail.trace.advisories[0]).toMatchObject({
      productId: 'CSAFPID-0001',
      status: 'affected',
      confidence: 'vendor-product-version',
      reasons: expect.arrayContaining([expect.stringMatching(/V2\.3\.1 in ">= V2\.3\.0 < V2\.3\.4"/)]),
      remediations: expect.arrayContaining([expect.objectContaining({ category: 'vendor_fix' })]),
    });
    expect(detail.ssvcInputs.technicalImpact.value).toBe('total');

    // A false positive stays closed while nothing changes, and reopens when the system's version does.
    await c.call('PATCH', `/findings/${found.id}`, { status: 'false_positive', note: 'Runs isolated' });
    expect((await c.call('POST', '/findings/rematch')).json()).toMatchObject({ reopened: 0 });
    expect((await c.call('GET', `/findings/${found.id}`)).json().status).toBe('false_positive');
    await c.call('PATCH', `/assets/systems/${plc.id}`, { version: 'V2.3.2' });
    expect((await c.call('GET', `/findings/${found.id}`)).json()).toMatchObject({
      status: 'open',
      statusNote: expect.stringMatching(/changed since it was marked a false positive/),
    });
  });

  it('sets due dates from a per-organization policy per SSVC decision; KEV due dates win when earlier', async () => {
    const c = await city();
    const sys = await c.post('/assets/systems', {
      name: 'Portal',
      kind: 'it',
      cpe: 'cpe:2.3:a:example:portal:1.0:*:*:*:*:*:*:*',
    });
    await upload(
      'nvd',
      nvdDoc([cve('CVE-2099-2000', 'Analyzed', ['cpe:2.3:a:example:portal:1.0:*:*:*:*:*:*:*'])]),
    );
    await c.call('POST', '/findings/rematch');
    const f = (await c.call('GET', '/findings?q=CVE-2099-2000')).json().items[0];
    expect(f.systemId).toBe(sys.id);
    expect((await c.call('GET', '/vulns/policy')).json()).toEqual({
      dueDays: { Act: 7, Attend: 30, 'Track*': 90, Track: null },
      source: 'default',
    });
    const days = { Act: 2, Attend: 5, 'Track*': 9, Track: 20 };
    expect((await c.call('PUT' as 'POST', '/vulns/policy', { dueDays: days }, c.viewer)).statusCode).toBe(
      403,
    );
    const bad = await c.call('PUT' as 'POST', '/vulns/policy', { dueDays: { ...days, Act: -1 } });
    expect(bad.statusCode).toBe(422);
    const set = await c.call('PUT' as 'POST', '/vulns/policy', { dueDays: days });
    expect(set.json()).toEqual({ dueDays: days, source: 'own' });
    const after = (await c.call('GET', `/findings/${f.id}`)).json();
    const want = days[after.ssvcDecision as keyof typeof days];
    expect(after.dueDate).toBe(
      new Date(new Date(after.firstSeen).getTime() + want * 86_400_000).toISOString().slice(0, 10),
    );
    expect((await c.call('PUT' as 'POST', '/vulns/policy', { dueDays: null })).json().source).toBe('default');
  });
});

describe('notifications', () => {
  it('mails each system owner and the recipients a digest of new KEV hits and overdue findings, and signs webhooks', async () => {
    const mails: { to: string; raw: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, cb) {
        let raw = '';
        stream.on('data', (d: Buffer) => {
          raw += d.toString();
        });
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
          cb();
        });
      },
    });
    const hooks: { headers: Record<string, unknown>; body: string }[] = [];
    const web = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        hooks.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    const mailer = smtpMailer({
      smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      mailFrom: 'Citywall <citywall@city.test>',
    });
    const hookUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/hook`;
    try {
      await upload('nvd', fixture('nvd-sample.json'));
      await upload('kev', fixture('kev-new.json'));
      const c = await city();
      await c.post('/assets/systems', {
        name: 'Web gateway',
        kind: 'it',
        owner: 'Ops@City.test',
        cpe: 'cpe:2.3:a:example:httpd:2.4.49:*:*:*:*:*:*:*',
      });
      await c.call('POST', '/findings/rematch');

      // Settings: validated, secrets never returned, only administrators change them.
      const noSecret = await c.call('PUT' as 'POST', '/vulns/notifications', {
        enabled: true,
        recipients: ['ciso@city.test'],
        webhooks: [{ url: hookUrl }],
      });
      expect(noSecret.statusCode).toBe(422);
      expect(noSecret.json().errors[0].path).toBe('webhooks.0.secret');
      const metadata = await c.call('PUT' as 'POST', '/vulns/notifications', {
        enabled: true,
        recipients: [],
        webhooks: [{ url: 'http://169.254.169.254/latest/meta-data', secret: 'a-long-shared-secret' }],
      });
      expect(metadata.statusCode).toBe(422);
      expect(metadata.json().errors[0].path).toBe('webhooks.0.url');
      const settings = {
        enabled: true,
        recipients: ['ciso@city.test'],
        webhooks: [{ url: hookUrl, secret: 'a-long-shared-secret' }],
      };
      expect((await c.call('PUT' as 'POST', '/vulns/notifications', settings, c.analyst)).statusCode).toBe(
        403,
      );
      const saved = await c.call('PUT' as 'POST', '/vulns/notifications', settings);
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.body).not.toContain('a-long-shared-secret');
      const hookId = saved.json().webhooks[0].id;
      // Saving again without the secret keeps it.
      const again = await c.call('PUT' as 'POST', '/vulns/notifications', {
        ...settings,
        webhooks: [{ id: hookId, url: hookUrl }],
      });
      expect(again.statusCode).toBe(200);

      const sent = await vulnNotifyService.send(env.database.db, c.id, mailer);
      expect(sent).toMatchObject({
        items: 1,
        emails: 2,
        webhooks: [{ url: hookUrl, status: 204 }],
        errors: [],
      });
      expect(mails.map((m) => m.to).sort()).toEqual(['ciso@city.test', 'ops@city.test']);
      expect(mails[0].raw).toMatch(/Subject: Citywall: 1 vulnerability finding need/);
      expect(mails[0].raw).toContain('CVE-2099-0001 on Web gateway');
      expect(hooks).toHaveLength(1);
      expect(hooks[0].headers['x-citywall-signature']).toBe(signBody('a-long-shared-secret', hooks[0].body));
      expect(JSON.parse(hooks[0].body)).toMatchObject({
        event: 'citywall.vulns.digest',
        newKev: [{ cveId: 'CVE-2099-0001' }],
      });

      // Nothing new since: nothing sent. Once the finding is past due, it is news again.
      expect(await vulnNotifyService.send(env.database.db, c.id, mailer)).toMatchObject({
        items: 0,
        emails: 0,
      });
      const later = new Date(Date.now() + 60 * 86_400_000);
      const overdue = await vulnNotifyService.send(env.database.db, c.id, mailer, undefined, later);
      expect(overdue).toMatchObject({ items: 1, emails: 2 });
      expect(mails.at(-1)?.raw).toMatch(/Past their due date, 1/);
      // A webhook that fails is reported, not fatal.
      web.close();
      const failed = await vulnNotifyService.send(
        env.database.db,
        c.id,
        mailer,
        undefined,
        new Date(later.getTime() + 86_400_000),
      );
      expect(failed.webhooks[0]).toMatchObject({ status: null, error: expect.any(String) });
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
      web.close();
    }
  });
});

describe('the Example City', () => {
  it('starts with findings on its systems, each with a trace and an SSVC decision', async () => {
    const s = await env.database.db.transaction((tx) => loadExampleCity(tx, env.admin.id));
    const base = `/api/v1/orgs/${s.orgIds.city}`;
    const list = (await env.call(env.admin, { method: 'GET', url: `${base}/findings` })).json();
    const bySystem = Object.fromEntries(
      list.items.map((f: { systemName: string; cveId: string }) => [f.cveId, f.systemName]),
    );
    expect(bySystem).toEqual({
      'CVE-2024-21762': 'Internet firewall',
      'CVE-2023-20198': 'Core network',
      'CVE-2024-37085': 'Virtualization cluster',
      'CVE-2024-40711': 'Backups (Veeam)',
      'CVE-2024-21410': 'Email (Exchange)',
    });
    for (const f of list.items) {
      expect(f).toMatchObject({ inKev: true, status: 'open', confidence: 'exact' });
      const d = (await env.call(env.admin, { method: 'GET', url: `${base}/findings/${f.id}` })).json();
      expect(d.trace.witness.result).toBe('exact');
      expect(d.ssvcInputs.exploitation.value).toBe('active');
    }
    // ESXi's CVE needs adjacent network access and high privileges: not automatable.
    const esxi = list.items.find((f: { cveId: string }) => f.cveId === 'CVE-2024-37085');
    const d = (await env.call(env.admin, { method: 'GET', url: `${base}/findings/${esxi.id}` })).json();
    expect(d.ssvcInputs.automatable.value).toBe('no');
  });
});
