import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_BASELINE_REQUIREMENTS } from '../../src/core/baseline/index.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';
import { unzip } from '../helpers/zip.js';

/** Maturity scales, systems as assessment targets, trends across cycles and the DOCX report. */
let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(() => env?.close());

const foundational = CITY_BASELINE_REQUIREMENTS.filter((r) => r.tier === 'foundational');
const byFunction = (fn: string) => CITY_BASELINE_REQUIREMENTS.filter((r) => r.function === fn);

async function city(name: string) {
  const org = await env.org(name);
  const admin = await env.user(`admin@${org.slug}.test`, { orgId: org.id, role: 'admin', inherit: true });
  const res = await env.call(admin, {
    method: 'POST',
    url: `/api/v1/orgs/${org.id}/catalogs/city-baseline`,
    payload: {},
  });
  expect(res.statusCode, res.body).toBe(200);
  return { org, admin, catalogId: res.json().items[0].id as string };
}

async function createSystem(user: TestUser, orgId: string, name: string): Promise<string> {
  const res = await env.call(user, {
    method: 'POST',
    url: `/api/v1/orgs/${orgId}/assets/systems`,
    payload: { name, kind: 'ot' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const CMMI_LIKE = {
  id: 'city-maturity',
  name: 'City maturity 0–5',
  levels: [
    { value: 0, label: 'Absent' },
    { value: 1, label: 'Ad hoc' },
    { value: 2, label: 'Managed' },
    { value: 3, label: 'Defined' },
    { value: 4, label: 'Measured' },
    { value: 5, label: 'Optimizing' },
  ],
};

describe('maturity scales', () => {
  it('uses CSF tiers 1–4 until the organization chooses another scale; only data.admin may change it', async () => {
    const { org, admin } = await city('Scale City');
    const viewer = await env.user('viewer@scale.test', { orgId: org.id, role: 'viewer' });
    const contributor = await env.user('contrib@scale.test', { orgId: org.id, role: 'contributor' });
    const stranger = (await city('Scale Stranger')).admin;
    const url = `/api/v1/orgs/${org.id}/baselines/settings`;
    const initial = (await env.call(viewer, { method: 'GET', url })).json();
    expect(initial.maturityScale.id).toBe('csf-2.0-tiers');
    expect(initial.maturityScale.levels.map((l: { value: number }) => l.value)).toEqual([1, 2, 3, 4]);
    expect(initial.presets.map((p: { id: string }) => p.id)).toEqual(['csf-2.0-tiers', 'cmmi-0-5']);

    expect(
      (await env.call(contributor, { method: 'PUT', url, payload: { maturityScale: CMMI_LIKE } })).statusCode,
    ).toBe(403);
    expect((await env.call(stranger, { method: 'GET', url })).statusCode).toBe(404);
    expect(
      (await env.call(stranger, { method: 'PUT', url, payload: { maturityScale: CMMI_LIKE } })).statusCode,
    ).toBe(404);

    const set = await env.call(admin, { method: 'PUT', url, payload: { maturityScale: CMMI_LIKE } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().maturityScale).toEqual(CMMI_LIKE);
    const audit = await env.call(admin, {
      method: 'GET',
      url: `/api/v1/orgs/${org.id}/audit?action=baselines.settings.update`,
    });
    expect(audit.json().items).toHaveLength(1);
  });

  it('refuses a malformed scale precisely and keeps the one in use', async () => {
    const { org, admin } = await city('Bad Scale City');
    const url = `/api/v1/orgs/${org.id}/baselines/settings`;
    const put = (maturityScale: unknown) =>
      env.call(admin, { method: 'PUT', url, payload: { maturityScale } as object });

    const unordered = await put({ ...CMMI_LIKE, levels: [...CMMI_LIKE.levels].reverse() });
    expect(unordered.statusCode).toBe(422);
    expect(unordered.json().errors[0]).toEqual({
      path: 'maturityScale.levels[1].value',
      message: 'levels must be given in increasing order',
    });
    const single = await put({ ...CMMI_LIKE, levels: [CMMI_LIKE.levels[0]] });
    expect(single.statusCode).toBe(422);
    expect(single.json().errors[0].path).toBe('body.maturityScale.levels');
    const sameLabel = await put({
      ...CMMI_LIKE,
      levels: [
        { value: 1, label: 'Low' },
        { value: 2, label: 'low' },
      ],
    });
    expect(sameLabel.statusCode).toBe(422);
    expect(sameLabel.json().detail).toContain('same label');
    const noLabel = await put({ ...CMMI_LIKE, levels: [{ value: 1, label: ' ' }, CMMI_LIKE.levels[2]] });
    expect(noLabel.statusCode).toBe(422);
    const fractional = await put({ ...CMMI_LIKE, levels: [{ value: 1.5, label: 'x' }, CMMI_LIKE.levels[2]] });
    expect(fractional.statusCode).toBe(422);
    expect((await env.call(admin, { method: 'GET', url })).json().maturityScale.id).toBe('csf-2.0-tiers');
  });

  it('scores, validates, exports and carries answers on the scale each assessment started with', async () => {
    const { org, admin, catalogId } = await city('Cmmi City');
    const base = `/api/v1/orgs/${org.id}/assessments`;
    const old = await env.call(admin, {
      method: 'POST',
      url: base,
      payload: { title: 'Tiers 2025', documentId: catalogId, targetMaturity: 3 },
    });
    expect(old.statusCode, old.body).toBe(201);
    expect(old.json().maturityScale.id).toBe('csf-2.0-tiers');
    const oldId = old.json().id;
    for (const [i, maturity] of [4, 1].entries()) {
      const r = await env.call(admin, {
        method: 'PUT',
        url: `${base}/${oldId}/results`,
        payload: { requirementId: foundational[i].id, status: 'implemented', maturity },
      });
      expect(r.statusCode, r.body).toBe(200);
    }

    await env.call(admin, {
      method: 'PUT',
      url: `/api/v1/orgs/${org.id}/baselines/settings`,
      payload: { maturityScale: { ...CMMI_LIKE, levels: CMMI_LIKE.levels.slice(0, 4) } },
    });
    // The assessment started on CSF tiers keeps them: 0 is still not a level there.
    const zeroOnOld = await env.call(admin, {
      method: 'PUT',
      url: `${base}/${oldId}/results`,
      payload: { requirementId: foundational[2].id, status: 'planned', maturity: 0 },
    });
    expect(zeroOnOld.statusCode).toBe(422);
    expect(zeroOnOld.json().detail).toContain('is not a level of "NIST CSF 2.0 tiers"');

    const badTarget = await env.call(admin, {
      method: 'POST',
      url: base,
      payload: { title: 'Too high', documentId: catalogId, targetMaturity: 4 },
    });
    expect(badTarget.statusCode).toBe(422);
    expect(badTarget.json().errors).toEqual([
      { path: 'targetMaturity', message: 'not a level of City maturity 0–5' },
    ]);

    // The next cycle takes the new scale (0–3): maturity 4 cannot carry over, maturity 1 can.
    const next = await env.call(admin, {
      method: 'POST',
      url: base,
      payload: { title: 'Maturity 2026', documentId: catalogId, previousId: oldId, targetMaturity: 2 },
    });
    expect(next.statusCode, next.body).toBe(201);
    expect(next.json().maturityScale.name).toBe('City maturity 0–5');
    const nextId = next.json().id;
    const detail = (await env.call(admin, { method: 'GET', url: `${base}/${nextId}` })).json();
    const maturityOf = (id: string) =>
      detail.results.find((r: { requirementId: string }) => r.requirementId === id)?.maturity;
    expect(maturityOf(foundational[0].id)).toBeNull();
    expect(maturityOf(foundational[1].id)).toBe(1);

    const zero = await env.call(admin, {
      method: 'PUT',
      url: `${base}/${nextId}/results`,
      payload: { requirementId: foundational[2].id, status: 'not-implemented', maturity: 0 },
    });
    expect(zero.statusCode, zero.body).toBe(200);
    const tooHigh = await env.call(admin, {
      method: 'PUT',
      url: `${base}/${nextId}/results`,
      payload: { requirementId: foundational[2].id, status: 'implemented', maturity: 4 },
    });
    expect(tooHigh.statusCode).toBe(422);
    expect(tooHigh.json().errors[0]).toMatchObject({ path: 'maturity' });
    expect(
      (
        await env.call(admin, {
          method: 'PATCH',
          url: `${base}/${nextId}`,
          payload: { targetMaturity: 5 },
        })
      ).statusCode,
    ).toBe(422);

    const score = (await env.call(admin, { method: 'GET', url: `${base}/${nextId}/score` })).json();
    expect(score.scale.levels.map((l: { label: string }) => l.label)).toEqual([
      'Absent',
      'Ad hoc',
      'Managed',
      'Defined',
    ]);
    expect(score.overall.averageMaturity).toBe(0.5);
    const gvCell = score.heatMap.find((h: { function: string }) => h.function === foundational[1].function);
    expect(gvCell).toHaveProperty('averageMaturity');

    const gaps = (await env.call(admin, { method: 'GET', url: `${base}/${nextId}/gaps` })).json().items;
    const lowGap = gaps.find((g: { requirementId: string }) => g.requirementId === foundational[1].id);
    expect(lowGap.reasons).toContain('maturity Ad hoc is below target Managed');

    const xlsx = await env.call(admin, { method: 'GET', url: `${base}/${nextId}/export/deficiencies.xlsx` });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Deficiencies');
    const header = ((sheet?.getRow(1).values ?? []) as string[]).filter(Boolean);
    expect(header).toContain('Maturity level');
    const labels = sheet?.getColumn(header.indexOf('Maturity level') + 1).values as string[];
    expect(labels).toContain('Ad hoc');
    const about = wb.getWorksheet('Assessment');
    expect(JSON.stringify(about?.getSheetValues())).toContain('0 Absent, 1 Ad hoc, 2 Managed, 3 Defined');
  });
});

describe('assessment targets', () => {
  it('assesses one system of the organization, validated, named in results and exports', async () => {
    const { org, admin, catalogId } = await city('System City');
    const dept = await env.org('System City Water', 'department', org.id);
    const scada = await createSystem(admin, org.id, 'Water SCADA');
    const deptSystem = await createSystem(admin, dept.id, 'Pump telemetry');
    const other = await city('System Other City');
    const foreign = await createSystem(other.admin, other.org.id, 'Foreign system');
    const base = `/api/v1/orgs/${org.id}/assessments`;

    for (const [systemId, path] of [
      [foreign, 'systemId'],
      [deptSystem, 'systemId'],
      ['00000000-0000-4000-8000-000000000000', 'systemId'],
    ]) {
      const res = await env.call(admin, {
        method: 'POST',
        url: base,
        payload: { title: 'Wrong system', documentId: catalogId, systemId },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual([{ path, message: 'not a system of this organization' }]);
    }
    const both = await env.call(admin, {
      method: 'POST',
      url: base,
      payload: { title: 'Both', documentId: catalogId, systemId: scada, departmentIds: [dept.id] },
    });
    expect(both.statusCode).toBe(422);
    expect(both.json().detail).toBe('Assess either departments or one system, not both');
    expect((await env.call(admin, { method: 'GET', url: base })).json().total).toBe(0);

    const created = await env.call(admin, {
      method: 'POST',
      url: base,
      payload: { title: 'SCADA 2026', documentId: catalogId, systemId: scada },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      systemId: scada,
      systemName: 'Water SCADA',
      targetKind: 'system',
    });
    const id = created.json().id;
    const answer = await env.call(admin, {
      method: 'PUT',
      url: `${base}/${id}/results`,
      payload: { requirementId: foundational[0].id, status: 'implemented', maturity: 2 },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const wrongDept = await env.call(admin, {
      method: 'PUT',
      url: `${base}/${id}/results`,
      payload: { requirementId: foundational[0].id, departmentId: dept.id, status: 'implemented' },
    });
    expect(wrongDept.statusCode).toBe(422);

    const detail = (await env.call(admin, { method: 'GET', url: `${base}/${id}` })).json();
    expect(detail.departments).toEqual([{ id: null, name: 'Water SCADA' }]);
    const score = (await env.call(admin, { method: 'GET', url: `${base}/${id}/score` })).json();
    expect(score.byDepartment.map((d: { name: string }) => d.name)).toEqual(['Water SCADA']);
    const gaps = (await env.call(admin, { method: 'GET', url: `${base}/${id}/gaps` })).json().items;
    expect(gaps[0].department).toBe('Water SCADA');
    const results = (
      await env.call(admin, { method: 'GET', url: `${base}/${id}/export/assessment-results` })
    ).json();
    expect(JSON.stringify(results)).toContain('system Water SCADA of System City');
    const listed = (await env.call(admin, { method: 'GET', url: base })).json().items[0];
    expect(listed).toMatchObject({ targetKind: 'system', systemName: 'Water SCADA' });

    const departmentWide = await env.call(admin, {
      method: 'POST',
      url: base,
      payload: { title: 'Water 2026', documentId: catalogId, departmentIds: [dept.id] },
    });
    expect(departmentWide.json().targetKind).toBe('department');
    const whole = await env.call(admin, {
      method: 'POST',
      url: base,
      payload: { title: 'City 2026', documentId: catalogId },
    });
    expect(whole.json().targetKind).toBe('organization');

    // Deleting the system keeps the assessment and the name it was assessed under.
    const del = await env.call(admin, {
      method: 'DELETE',
      url: `/api/v1/orgs/${org.id}/assets/systems/${scada}`,
    });
    expect(del.statusCode).toBe(204);
    const after = (await env.call(admin, { method: 'GET', url: `${base}/${id}` })).json();
    expect(after.assessment).toMatchObject({
      systemId: null,
      systemName: 'Water SCADA',
      targetKind: 'system',
    });
  });
});

describe('trends, comparison and the report', () => {
  let org: { id: string };
  let admin: TestUser;
  let viewer: TestUser;
  let water: { id: string };
  let transit: { id: string };
  const ids: string[] = [];
  const base = () => `/api/v1/orgs/${org.id}/assessments`;
  const gv = byFunction('GV');
  const pr = byFunction('PR');

  const answer = (id: string, requirementId: string, departmentId: string, status: string) =>
    env.call(admin, {
      method: 'PUT',
      url: `${base()}/${id}/results`,
      payload: { requirementId, departmentId, status, maturity: status === 'implemented' ? 3 : 1 },
    });

  beforeAll(async () => {
    const c = await city('Trend City');
    org = c.org;
    admin = c.admin;
    viewer = await env.user('viewer@trend.test', { orgId: org.id, role: 'viewer' });
    water = await env.org('Trend Water', 'department', org.id);
    transit = await env.org('Trend Transit', 'department', org.id);
    let previousId: string | null = null;
    for (const [year, done] of [
      [2024, 0],
      [2025, 2],
      [2026, 4],
    ] as const) {
      const res = await env.call(admin, {
        method: 'POST',
        url: base(),
        payload: {
          title: `Baseline ${year}`,
          documentId: c.catalogId,
          departmentIds: [water.id, transit.id],
          previousId,
          targetTier: 'foundational',
          targetMaturity: 3,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id;
      ids.push(id);
      previousId = id;
      // Water implements `done` Govern requirements; Transit's Protect stays not implemented.
      for (const r of gv.slice(0, done))
        expect((await answer(id, r.id, water.id, 'implemented')).statusCode).toBe(200);
      if (year === 2024) await answer(id, pr[0].id, transit.id, 'not-implemented');
    }
    await env.call(admin, {
      method: 'POST',
      url: `${base()}/${ids[2]}/evidence/links`,
      payload: {
        requirementId: gv[0].id,
        departmentId: water.id,
        title: 'Security policy 2023',
        url: 'https://intranet.example/policy',
        effectiveDate: '2023-01-01T00:00:00Z',
        expiresAt: '2024-01-01T00:00:00Z',
      },
    });
  });

  it('shows scores by function, tier and department across cycles, oldest first', async () => {
    const trend = await env.call(viewer, { method: 'GET', url: `${base()}/${ids[2]}/trend` });
    expect(trend.statusCode, trend.body).toBe(200);
    const { cycles, scale } = trend.json();
    expect(scale.id).toBe('csf-2.0-tiers');
    expect(cycles.map((c: { title: string }) => c.title)).toEqual([
      'Baseline 2024',
      'Baseline 2025',
      'Baseline 2026',
    ]);
    const gvScores = cycles.map(
      (c: { byFunction: Record<string, { implementationScore: number }> }) =>
        c.byFunction.GV.implementationScore,
    );
    // Two departments × the Govern requirements; each implemented one is worth 1.
    const share = (n: number) => Math.round((1000 * n) / (gv.length * 2)) / 10;
    // In 2026 one of the four is downgraded to needs review: its only evidence has expired.
    expect(gvScores).toEqual([0, share(2), share(3)]);
    const water2025 = cycles[1].byDepartment.find((d: { name: string }) => d.name === 'Trend Water');
    expect(water2025.implementationScore).toBeGreaterThan(0);
    expect(
      cycles[1].byDepartment.find((d: { name: string }) => d.name === 'Trend Transit').implementationScore,
    ).toBe(0);
    expect(Object.keys(cycles[0].byTier)).toEqual(['foundational', 'intermediate', 'advanced']);
    // The middle of the chain shows only the cycles up to it.
    const mid = (await env.call(viewer, { method: 'GET', url: `${base()}/${ids[1]}/trend` })).json();
    expect(mid.cycles).toHaveLength(2);
  });

  it('compares departments function by function with implementation and maturity', async () => {
    const score = (await env.call(viewer, { method: 'GET', url: `${base()}/${ids[1]}/score` })).json();
    const cell = (dept: string, fn: string) =>
      score.heatMap.find(
        (h: { department: string; function: string }) => h.department === dept && h.function === fn,
      );
    expect(cell('Trend Water', 'GV')).toMatchObject({
      implementationScore: Math.round((1000 * 2) / gv.length) / 10,
      averageMaturity: 3,
      applicable: gv.length,
    });
    expect(cell('Trend Transit', 'GV')).toMatchObject({ implementationScore: 0, averageMaturity: null });
    expect(score.heatMap).toHaveLength(12);
  });

  it('writes an editable DOCX report, in English or Spanish', async () => {
    const res = await env.call(viewer, { method: 'GET', url: `${base()}/${ids[2]}/export/report.docx` });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(res.headers['content-disposition']).toContain(`assessment-report_${ids[2]}.docx`);
    const files = unzip(res.rawPayload);
    expect(files.has('[Content_Types].xml')).toBe(true);
    const xml = files.get('word/document.xml')?.toString('utf8') ?? '';
    const text = xml.replace(/<[^>]+>/g, '');
    for (const expected of [
      'Baseline 2026',
      '1. Summary',
      '2. Scores by CSF function',
      'Function × department',
      '3. Gaps and actions',
      '4. Evidence',
      '5. Method',
      'Trend Water',
      'Trend Transit',
      pr[0].id,
      'GV Govern',
      'Since the previous cycle (Baseline 2025)',
      'Security policy 2023',
      'evidence expired',
      'Repeatable',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect([...files.keys()].some((k) => /^word\/media\/.+\.png$/.test(k))).toBe(true);
    const png = [...files.entries()].find(([k]) => k.endsWith('.png'))?.[1];
    expect(png?.subarray(1, 4).toString('ascii')).toBe('PNG');

    const es = await env.call(viewer, {
      method: 'GET',
      url: `${base()}/${ids[2]}/export/report.docx?lang=es`,
    });
    const esText = (unzip(es.rawPayload).get('word/document.xml')?.toString('utf8') ?? '').replace(
      /<[^>]+>/g,
      '',
    );
    for (const expected of [
      '1. Resumen',
      '3. Brechas y acciones',
      '5. Metodología',
      'GV Gobernar',
      'evidencia vencida',
    ]) {
      expect(esText, expected).toContain(expected);
    }
    const fr = await env.call(viewer, {
      method: 'GET',
      url: `${base()}/${ids[2]}/export/report.docx?lang=fr`,
    });
    expect(fr.statusCode).toBe(422);
  });

  it('still reports and trends a cycle whose predecessor was deleted', async () => {
    const c = await city('Orphan City');
    const base = `/api/v1/orgs/${c.org.id}/assessments`;
    const first = await env.call(c.admin, {
      method: 'POST',
      url: base,
      payload: { title: 'First', documentId: c.catalogId },
    });
    const second = await env.call(c.admin, {
      method: 'POST',
      url: base,
      payload: { title: 'Second', documentId: c.catalogId, previousId: first.json().id },
    });
    const id = second.json().id;
    expect(
      (await env.call(c.admin, { method: 'DELETE', url: `${base}/${first.json().id}` })).statusCode,
    ).toBe(204);
    const changes = await env.call(c.admin, { method: 'GET', url: `${base}/${id}/changes` });
    expect(changes.statusCode).toBe(409);
    expect(changes.json().detail).toBe('The cycle this assessment was started from has been deleted');
    const trend = (await env.call(c.admin, { method: 'GET', url: `${base}/${id}/trend` })).json();
    expect(trend.cycles.map((x: { title: string }) => x.title)).toEqual(['Second']);
    const report = await env.call(c.admin, { method: 'GET', url: `${base}/${id}/export/report.docx` });
    expect(report.statusCode).toBe(200);
    const text = (unzip(report.rawPayload).get('word/document.xml')?.toString('utf8') ?? '').replace(
      /<[^>]+>/g,
      '',
    );
    expect(text).toContain('No evidence has expired or expires soon.');
    expect(text).not.toContain('Since the previous cycle');
  });

  it('keeps trends and reports to their organization', async () => {
    const stranger = (await city('Trend Stranger')).admin;
    for (const path of ['trend', 'export/report.docx', 'score']) {
      expect(
        (await env.call(stranger, { method: 'GET', url: `${base()}/${ids[2]}/${path}` })).statusCode,
      ).toBe(404);
    }
    const own = await env.call(stranger, {
      method: 'GET',
      url: `/api/v1/orgs/${org.id}/assessments/00000000-0000-4000-8000-000000000000/trend`,
    });
    expect(own.statusCode).toBe(404);
  });
});

describe('mappings between catalogs', () => {
  it('imports OLIR mappings, refuses unknown controls precisely, and shows coverage of the other catalog', async () => {
    const { org, admin, catalogId } = await city('Mapping City');
    const contributor = await env.user('contrib@mapping.test', { orgId: org.id, role: 'contributor' });
    const viewer = await env.user('viewer@mapping.test', { orgId: org.id, role: 'viewer' });
    const stranger = (await city('Mapping Stranger')).admin;
    const policy = await env.call(admin, {
      method: 'POST',
      url: `/api/v1/orgs/${org.id}/catalogs?name=county-policy.json`,
      payload: {
        catalog: {
          uuid: '22222222-3333-4444-8555-666666666666',
          metadata: {
            title: 'County security policy',
            'last-modified': '2026-01-01T00:00:00Z',
            version: '2026',
            'oscal-version': '1.1.2',
          },
          controls: [
            { id: 'cp-1', title: 'Security leadership' },
            { id: 'cp-2', title: 'Asset inventory' },
            { id: 'cp-3', title: 'Multi-factor authentication' },
          ],
        },
      },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const policyId = policy.json().id;
    const url = `/api/v1/orgs/${org.id}/catalogs/${catalogId}/mappings`;
    const [a, b, c] = foundational;
    const good = [
      { sourceId: a.id, targetId: 'cp-1', relationship: 'equal-to' },
      { sourceId: b.id, targetId: 'cp-2', relationship: 'subset-of' },
      { sourceId: c.id, targetId: 'cp-3', relationship: 'superset-of' },
    ];
    const post = (user: TestUser, mappings: unknown[], targetDocumentId = policyId) =>
      env.call(user, { method: 'POST', url, payload: { targetDocumentId, mappings } });

    const bad = await post(admin, [
      good[0],
      { sourceId: b.id, targetId: 'cp-99', relationship: 'subset-of' },
      { sourceId: 'XX-1', targetId: 'cp-3', relationship: 'bigger-than' },
    ]);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([
      { path: 'mappings[1].targetId', message: '"cp-99" does not exist in County security policy' },
      { path: 'mappings[2].sourceId', message: '"XX-1" does not exist in Citywall City Baseline' },
      { path: 'mappings[2].relationship', message: '"bigger-than" is not an OLIR relationship' },
    ]);
    expect(bad.json().detail).toMatch(/^3 mapping\(s\) refused, nothing imported/);
    const twice = await post(admin, [good[0], good[0]]);
    expect(twice.statusCode).toBe(422);
    expect(twice.json().errors).toEqual([{ path: 'mappings[1]', message: 'the same pair as mappings[0]' }]);
    expect((await post(admin, good, catalogId)).json().errors).toEqual([
      { path: 'targetDocumentId', message: 'must differ from the source' },
    ]);
    expect((await env.call(viewer, { method: 'GET', url })).json().total).toBe(0);

    expect((await post(contributor, good)).statusCode).toBe(403);
    expect((await post(stranger, good)).statusCode).toBe(404);
    const imported = await post(admin, good);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({ imported: 3, replaced: 0 });
    const again = await post(admin, good);
    expect(again.json()).toMatchObject({ imported: 3, replaced: 3 });
    const listed = (await env.call(viewer, { method: 'GET', url: `${url}?q=cp-2` })).json();
    expect(listed.total).toBe(1);
    expect(listed.items[0]).toMatchObject({ sourceId: b.id, targetId: 'cp-2', relationship: 'subset-of' });
    const targets = (
      await env.call(viewer, {
        method: 'GET',
        url: `/api/v1/orgs/${org.id}/catalogs/${catalogId}/mapping-targets`,
      })
    ).json();
    expect(targets.items).toEqual([{ documentId: policyId, title: 'County security policy', count: 3 }]);
    expect((await env.call(stranger, { method: 'GET', url })).statusCode).toBe(404);

    const assessment = await env.call(admin, {
      method: 'POST',
      url: `/api/v1/orgs/${org.id}/assessments`,
      payload: { title: 'Mapped', documentId: catalogId },
    });
    const id = assessment.json().id;
    for (const [r, status] of [
      [a, 'implemented'],
      [b, 'implemented'],
    ] as const) {
      await env.call(admin, {
        method: 'PUT',
        url: `/api/v1/orgs/${org.id}/assessments/${id}/results`,
        payload: { requirementId: r.id, status },
      });
    }
    const coverageUrl = `/api/v1/orgs/${org.id}/assessments/${id}/coverage?documentId=${policyId}`;
    const cov = await env.call(viewer, { method: 'GET', url: coverageUrl });
    expect(cov.statusCode, cov.body).toBe(200);
    expect(cov.json()).toMatchObject({ document: { title: 'County security policy' }, mappings: 3 });
    const [whole] = cov.json().departments;
    expect(whole.targets).toEqual([
      { id: 'cp-1', state: 'covered' },
      { id: 'cp-2', state: 'partial' },
      { id: 'cp-3', state: 'not-assessed' },
    ]);
    expect(whole.percent).toBe(50);
    expect((await env.call(stranger, { method: 'GET', url: coverageUrl })).statusCode).toBe(404);

    // An assessment against a tier profile of the baseline uses the catalog's mappings (the profile has none).
    const installed = (
      await env.call(admin, {
        method: 'POST',
        url: `/api/v1/orgs/${org.id}/catalogs/city-baseline`,
        payload: {},
      })
    ).json().items as { id: string; kind: string; title: string }[];
    const profile = installed.find((d) => d.kind === 'profile' && /foundational/i.test(d.title));
    expect(profile).toBeDefined();
    const profileTargets = async (inherited: boolean) =>
      (
        await env.call(viewer, {
          method: 'GET',
          url: `/api/v1/orgs/${org.id}/catalogs/${profile!.id}/mapping-targets${inherited ? '?inherited=true' : ''}`,
        })
      ).json().items;
    expect(await profileTargets(false)).toEqual([]);
    expect(await profileTargets(true)).toEqual([
      { documentId: policyId, title: 'County security policy', count: 3, via: 'Citywall City Baseline' },
    ]);
    const onProfile = (
      await env.call(admin, {
        method: 'POST',
        url: `/api/v1/orgs/${org.id}/assessments`,
        payload: { title: 'Mapped through the catalog', documentId: profile!.id },
      })
    ).json().id;
    await env.call(admin, {
      method: 'PUT',
      url: `/api/v1/orgs/${org.id}/assessments/${onProfile}/results`,
      payload: { requirementId: a.id, status: 'implemented' },
    });
    const inherited = (
      await env.call(viewer, {
        method: 'GET',
        url: `/api/v1/orgs/${org.id}/assessments/${onProfile}/coverage?documentId=${policyId}`,
      })
    ).json();
    expect(inherited.via).toEqual([{ id: catalogId, title: 'Citywall City Baseline' }]);
    expect(inherited.mappings).toBe(3);
    expect(inherited.departments[0].targets).toEqual([
      { id: 'cp-1', state: 'covered' },
      { id: 'cp-2', state: 'not-assessed' },
      { id: 'cp-3', state: 'not-assessed' },
    ]);
    expect(cov.json().via).toEqual([]);

    expect(
      (await env.call(contributor, { method: 'DELETE', url: `${url}?targetDocumentId=${policyId}` }))
        .statusCode,
    ).toBe(403);
    expect(
      (await env.call(admin, { method: 'DELETE', url: `${url}?targetDocumentId=${policyId}` })).statusCode,
    ).toBe(204);
    expect((await env.call(viewer, { method: 'GET', url: coverageUrl })).statusCode).toBe(409);
    const audit = await env.call(admin, {
      method: 'GET',
      url: `/api/v1/orgs/${org.id}/audit?action=baselines.mappings.import`,
    });
    expect(audit.json().items).toHaveLength(2);
  });
});
