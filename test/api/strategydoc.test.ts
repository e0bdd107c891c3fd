import JSZip from 'jszip';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { collectDocument } from '../../src/server/modules/strategy/document/collector.js';
import { strategyDocumentService } from '../../src/server/modules/strategy/document/document.service.js';
import { DEFAULT_BLOCKS } from '../../src/server/modules/strategy/document/text.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';
import { bundleOf, indicator } from '../helpers/stix.js';

const CANARY = 'CANARY-zq81-must-not-leak';

let env: TestEnv;
let cityId: string;
let deptId: string;
let viewer: TestUser;
let stranger: TestUser;

async function post(url: string, payload: unknown, user: TestUser = env.admin) {
  const res = await env.call(user, { method: 'POST', url: `/api/v1${url}`, payload: payload as object });
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}

async function pdfText(buf: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(buf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  const parts: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    parts.push(content.items.map((x) => ('str' in x ? x.str : '')).join(' '));
  }
  return parts.join('\n');
}

async function docxXml(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  const xml = await zip.file('word/document.xml')?.async('string');
  expect(xml).toBeDefined();
  return xml as string;
}

describe('strategy document', () => {
  beforeAll(async () => {
    env = await testEnv();
    const city = await env.org('Villa Ñandú');
    cityId = city.id;
    deptId = (await env.org('Water Works', 'department', cityId)).id;
    const base = `/orgs/${cityId}`;
    // Context: two services, one critical with a population served.
    await post(`${base}/assets/services`, {
      name: 'Drinking water',
      departmentOrgId: deptId,
      criticalityTier: 1,
      populationServed: 41_000,
      lifeSafetyImpact: true,
    });
    await post(`${base}/assets/services`, {
      name: 'Library website',
      criticalityTier: 3,
      populationServed: 9_000,
    });
    await post(`${base}/assets/systems`, { name: 'Plant SCADA', kind: 'ot' });
    // Risks: one quantified (closed-form annual loss 2 × 12,345 = 24,690) and one rated only.
    const quantified = await post(`${base}/risks`, {
      title: 'Tampering with chlorine dosing',
      inherentLikelihood: 3,
      inherentImpact: 4,
      fair: {
        lossEventFrequency: { kind: 'constant', value: 2 },
        primaryLoss: { kind: 'constant', value: 12_345 },
      },
    });
    await post(`${base}/risks`, { title: 'Website defacement', inherentLikelihood: 2, inherentImpact: 1 });
    await post(`${base}/treatment-actions`, {
      title: 'Segment the plant network',
      cost: 7_000,
      riskIds: [quantified.id],
      frequencyReduction: { low: 0.5, high: 0.5 },
    });
    await post(`${base}/treatment-actions`, { title: 'Harden the website', cost: 1_500 });
    await post(`${base}/objectives`, {
      title: 'Keep water safe',
      dueDate: '2028-12-31',
      kpis: [{ name: 'Plant staff trained', unit: '%', target: 90, current: 45 }],
    });
    // Partners: a shareable agreement and a TLP:RED one.
    const partner = await post(`${base}/partners`, { name: 'Fibra del Sur', category: 'isp' });
    await post(`${base}/agreements`, {
      partnerId: partner.id,
      kind: 'mou',
      title: 'Priority repair MoU',
      startsAt: '2026-01-01T00:00:00.000Z',
      tlp: 'green',
    });
    await post(`${base}/agreements`, {
      partnerId: partner.id,
      kind: 'nda',
      title: `Secret ${CANARY}`,
      startsAt: '2026-01-01T00:00:00.000Z',
      tlp: 'red',
    });
    // Incidents: a TLP:RED exercise whose title must not be named.
    await post(`${base}/incidents`, {
      title: `Exercise ${CANARY}`,
      type: 'ransomware',
      tlp: 'red',
      exercise: true,
    });
    await post(`${base}/incidents`, {
      title: 'Tabletop on water',
      type: 'ot-compromise',
      tlp: 'green',
      exercise: true,
    });
    // Intelligence: one TLP:GREEN and one TLP:RED object.
    await post(
      `${base}/intel/bundles`,
      bundleOf([indicator('Green lure', 'green'), indicator(`Red ${CANARY}`, 'red')]),
    );
    // A foreign city with the canary in its data.
    const foreign = await env.org('Foreign Town');
    await post(`/orgs/${foreign.id}/assets/services`, { name: `Foreign ${CANARY}`, criticalityTier: 1 });
    await post(`/orgs/${foreign.id}/risks`, {
      title: `Foreign risk ${CANARY}`,
      inherentLikelihood: 5,
      inherentImpact: 5,
    });

    viewer = await env.user('viewer@test.local', { orgId: cityId, role: 'viewer' });
    stranger = await env.user('stranger@test.local', { orgId: foreign.id, role: 'admin' });
  }, 120_000);
  afterAll(() => env?.close());

  it('collects the hand-checked fixture figures from every module', async () => {
    const d = await collectDocument({ db: env.database.db, actor: SYSTEM_ACTOR }, cityId, {
      lang: 'en',
      years: { from: 2027, to: 2029 },
      blocks: {},
      defaults: DEFAULT_BLOCKS.en,
    });
    expect(d.org.name).toBe('Villa Ñandú');
    expect(d.context.departments).toEqual([{ name: 'Water Works', services: 1 }]);
    expect(d.context.totals).toEqual({ services: 2, systems: 1, critical: 1, maxPopulation: 41_000 });
    expect(d.context.services[0]).toMatchObject({
      name: 'Drinking water',
      department: 'Water Works',
      lifeSafety: true,
    });
    expect(d.risks.total).toBe(2);
    expect(d.risks.quantified).toBe(1);
    expect(d.risks.top[0]).toMatchObject({ title: 'Tampering with chlorine dosing', annualLoss: 24_690 });
    expect(d.risks.top[1]).toMatchObject({ title: 'Website defacement', annualLoss: null });
    // Heat map: likelihood 3 × impact 4 and likelihood 2 × impact 1, one risk each.
    expect(d.risks.heatMap.counts[2][3]).toBe(1);
    expect(d.risks.heatMap.counts[1][0]).toBe(1);
    expect(d.risks.heatMap.counts.flat().reduce((a, b) => a + b, 0)).toBe(2);
    expect(d.risks.portfolio?.curve.length).toBeGreaterThan(1);
    // Budget defaults to the cost of every open action: 7,000 + 1,500.
    expect(d.priorities.plan.budget).toBe(8_500);
    // The plan leaves out the action that removes no quantified loss.
    expect(d.priorities.plan.totalCost).toBe(7_000);
    expect(d.priorities.actions.map((a) => [a.title, a.chosen])).toEqual([
      ['Segment the plant network', true],
      ['Harden the website', false],
    ]);
    expect(d.priorities.kpis).toEqual([
      expect.objectContaining({
        objective: 'Keep water safe',
        name: 'Plant staff trained',
        current: 45,
        target: 90,
      }),
    ]);
    expect(d.baseline.assessment).toBeNull();
    expect(d.sharing.intelByTlp).toEqual([
      { tlp: 'clear', count: 0 },
      { tlp: 'green', count: 1 },
      { tlp: 'amber', count: 0 },
      { tlp: 'amber+strict', count: 0 },
    ]);
    expect(d.incidents.exercises.map((e) => e.title)).toEqual(['Tabletop on water']);
    expect(d.partners.partners).toEqual([{ name: 'Fibra del Sur', category: 'isp', services: '' }]);
    expect(d.partners.agreements.map((a) => a.title)).toEqual(['Priority repair MoU']);
    expect(d.maturity).toBeNull();
    expect(d.sources.map((s) => s.id)).toEqual(d.sources.map((_, k) => `S${k + 1}`));
    expect(JSON.stringify(d)).not.toContain(CANARY);
  });

  it('renders a DOCX with real headings, live numbers and embedded charts', async () => {
    const res = await env.call(viewer, {
      method: 'GET',
      url: `/api/v1/orgs/${cityId}/strategy/document?format=docx&lang=en&years=2027-2029`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="villa-nandu-cybersecurity-strategy-2027-2029-en.docx"',
    );
    const zip = await JSZip.loadAsync(res.rawPayload);
    expect(Object.keys(zip.files).filter((f) => f.startsWith('word/media/')).length).toBeGreaterThanOrEqual(
      2,
    );
    const xml = await docxXml(res.rawPayload);
    expect(xml).toContain('Villa Ñandú Cybersecurity Strategy 2027–2029');
    expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>.*?1\. Context and scope/s);
    expect(xml).toContain('2. The risk picture');
    expect(xml).toContain('10. Maturity of the seven steps');
    expect(xml).toContain('24,690');
    expect(xml).toContain('Tampering with chlorine dosing');
    expect(xml).not.toContain(CANARY);
  });

  it('renders a PDF in Spanish with the city name, section titles and page numbers', async () => {
    const res = await env.call(viewer, {
      method: 'GET',
      url: `/api/v1/orgs/${cityId}/strategy/document?format=pdf&lang=es&years=2027-2029`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(res.rawPayload);
    expect(text).toContain('Estrategia de Ciberseguridad de Villa Ñandú 2027–2029');
    expect(text).toContain('1. Contexto y alcance');
    expect(text).toContain('2. Panorama de riesgos');
    expect(text).toContain('Índice');
    expect(text).toMatch(/Página 3 de \d+/);
    expect(text).toContain('24.690');
    expect(text).not.toContain(CANARY);
  });

  it('renders a standalone HTML page with the tables', async () => {
    const res = await env.call(viewer, {
      method: 'GET',
      url: `/api/v1/orgs/${cityId}/strategy/document?format=html&lang=en`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).toMatch(/<table><thead><tr><th scope="col">Risk<\/th>/);
    expect(html).toContain('<td>Drinking water</td>');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<(link|script)\b|src="http/);
    expect(html).not.toContain(CANARY);
  });

  it('renders the one-page board summary', async () => {
    const res = await env.call(viewer, {
      method: 'GET',
      url: `/api/v1/orgs/${cityId}/strategy/board-summary?format=pdf&lang=es&years=2027-2029`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('board-summary-es.pdf');
    const pdf = await getDocument({ data: new Uint8Array(res.rawPayload), isEvalSupported: false }).promise;
    expect(pdf.numPages).toBe(1);
    const text = await pdfText(res.rawPayload);
    expect(text).toContain('Lo que se solicita al concejo');
    expect(text).not.toContain(CANARY);
  });

  it('audits every export', async () => {
    const res = await env.call(env.admin, { method: 'GET', url: `/api/v1/orgs/${cityId}/audit?limit=200` });
    expect(res.statusCode).toBe(200);
    const exports = res
      .json()
      .items.filter((e: { action: string }) => e.action === 'strategy.document.export');
    expect(exports.map((e: { after: { format: string } }) => e.after.format).sort()).toEqual([
      'docx',
      'html',
      'pdf',
      'pdf',
    ]);
  });

  it('edits a text block per language, audited, and the document uses it', async () => {
    const list = await env.call(viewer, {
      method: 'GET',
      url: `/api/v1/orgs/${cityId}/strategy/text-blocks?lang=es`,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(11);
    expect(list.json().items[0]).toMatchObject({ key: 'introduction', lang: 'es', custom: false });

    const put = (user: TestUser, payload: object) =>
      env.call(user, { method: 'PUT', url: `/api/v1/orgs/${cityId}/strategy/text-blocks`, payload });
    expect((await put(viewer, { key: 'vision', lang: 'es', text: 'Nada' })).statusCode).toBe(403);
    const bad = await put(env.admin, { key: 'nonsense', lang: 'es', text: 'x' });
    expect(bad.statusCode).toBe(422);
    const ok = await put(env.admin, { key: 'vision', lang: 'es', text: 'Una {city} segura para {years}.' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ key: 'vision', lang: 'es', custom: true });

    const html = await env.call(viewer, {
      method: 'GET',
      url: `/api/v1/orgs/${cityId}/strategy/document?format=html&lang=es&years=2027-2028`,
    });
    expect(html.body).toContain('Una Villa Ñandú segura para 2027–2028.');
    const en = await env.call(viewer, {
      method: 'GET',
      url: `/api/v1/orgs/${cityId}/strategy/document?format=html&lang=en`,
    });
    expect(en.body).not.toContain('Una Villa');

    expect((await put(env.admin, { key: 'vision', lang: 'es', text: null })).json().custom).toBe(false);
    const audit = await env.call(env.admin, { method: 'GET', url: `/api/v1/orgs/${cityId}/audit?limit=200` });
    const actions = audit.json().items.map((e: { action: string }) => e.action);
    expect(actions).toContain('strategy.text_block.update');
    expect(actions).toContain('strategy.text_block.reset');
  });

  it('refuses bad input, strangers and unauthenticated callers', async () => {
    const url = (q: string) => `/api/v1/orgs/${cityId}/strategy/document?${q}`;
    expect((await env.call(viewer, { method: 'GET', url: url('format=odt') })).statusCode).toBe(422);
    expect((await env.call(viewer, { method: 'GET', url: url('lang=fr') })).statusCode).toBe(422);
    expect((await env.call(viewer, { method: 'GET', url: url('years=2029-2027') })).statusCode).toBe(422);
    expect((await env.call(viewer, { method: 'GET', url: url('years=2027-2050') })).statusCode).toBe(422);
    expect((await env.call(stranger, { method: 'GET', url: url('format=pdf') })).statusCode).toBe(404);
    expect(
      (await env.call(stranger, { method: 'GET', url: `/api/v1/orgs/${cityId}/strategy/board-summary` }))
        .statusCode,
    ).toBe(404);
    expect(
      (await env.call(stranger, { method: 'GET', url: `/api/v1/orgs/${cityId}/strategy/text-blocks` }))
        .statusCode,
    ).toBe(404);
    expect((await env.call(null, { method: 'GET', url: url('format=pdf') })).statusCode).toBe(401);
  });

  it('builds a document for an empty organization', async () => {
    const empty = await env.org('Empty Village');
    const res = await env.call(env.admin, {
      method: 'GET',
      url: `/api/v1/orgs/${empty.id}/strategy/document?format=pdf&lang=en`,
    });
    expect(res.statusCode).toBe(200);
    const text = await pdfText(res.rawPayload);
    expect(text).toContain('No baseline assessment has been recorded yet.');
    expect(text).toContain('No risk has FAIR estimates yet');
  });

  it('includes the maturity of the seven steps and the KPI values its indicators measure', async () => {
    await post(`/orgs/${cityId}/objectives`, {
      title: 'Know our risks',
      kpis: [{ name: 'Risks on record', unit: 'count', target: 10, indicatorKey: 'risksRegistered' }],
    });
    const d = await strategyDocumentService.data({ db: env.database.db, actor: SYSTEM_ACTOR }, cityId, {
      lang: 'es',
      years: { from: 2027, to: 2029 },
    });
    expect(d.maturity?.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(d.maturity?.steps.every((s) => s.level >= 1 && s.level <= 5 && s.indicators.length > 0)).toBe(
      true,
    );
    // Two risks in the fixture register, measured by the strategy module's indicator.
    expect(d.priorities.kpis.find((k) => k.name === 'Risks on record')).toMatchObject({
      current: 2,
      target: 10,
      measuredBy: expect.stringMatching(/^indicator:/),
    });
    expect(d.sources.at(-1)?.module).toBe('strategy');

    const res = await env.call(viewer, {
      method: 'GET',
      url: `/api/v1/orgs/${cityId}/strategy/document?format=html&lang=en`,
    });
    expect(res.body).toContain('10. Maturity of the seven steps');
    expect(res.body).toContain('Overall maturity (mean of the seven levels, 1 to 5)');
    expect(res.body).toMatch(/<h3>1\. [^<]+: level [1-5]<\/h3>/);
    expect(res.body).not.toContain('not available in this installation');
  });
});
