import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../src/server/db/schema/index.js';
import { registerJobs } from '../../src/server/jobs/registry.js';
import { JobRunner } from '../../src/server/jobs/runner.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(() => env?.close());

const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
let n = 0;

async function city() {
  const c = await env.org(`Partner City ${++n}`);
  const admin = await env.user(`p-admin-${n}@test.local`, { orgId: c.id, role: 'admin' });
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    payload?: unknown,
    u: TestUser = admin,
  ) => env.call(u, { method, url: `/api/v1/orgs/${c.id}${path}`, payload: payload as never });
  const partner = async (name: string, category = 'utility') => {
    const r = await call('POST', '/partners', {
      name,
      category,
      sector: 'energy',
      services: ['electricity'],
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };
  return { id: c.id, admin, call, partner };
}

describe('partners and agreements', () => {
  it('keeps partners with services, links them to the org tree, and refuses bad links', async () => {
    const c = await city();
    const region = await env.org(`Partner Region ${n}`, 'region');
    const utilityOrg = await env.org(`Grid Co ${n}`, 'region', region.id);
    const linked = await c.call('POST', '/partners', {
      name: 'Grid Co',
      category: 'utility',
      partnerOrgId: utilityOrg.id,
      services: ['power'],
    });
    expect(linked.statusCode, linked.body).toBe(201);
    const dept = await env.org(`Some Dept ${n}`, 'department', c.id);
    const bad = await c.call('POST', '/partners', { name: 'Dept', category: 'other', partnerOrgId: dept.id });
    expect(bad.statusCode).toBe(422);
    const list = (await c.call('GET', '/partners?q=grid')).json();
    expect(list.items.map((p: { name: string }) => p.name)).toEqual(['Grid Co']);
    const patched = await c.call('PATCH', `/partners/${linked.json().id}`, { services: ['power', 'fiber'] });
    expect(patched.json().services).toEqual(['power', 'fiber']);
  });

  it('computes expiry status and refuses an agreement that ends before it starts', async () => {
    const c = await city();
    const p = await c.partner('Power Co');
    const soon = await c.call('POST', '/agreements', {
      partnerId: p.id,
      kind: 'mutual-aid',
      title: 'Mutual aid for outages',
      startsAt: inDays(-300),
      endsAt: inDays(20),
      reminderDays: 60,
      tlp: 'amber',
      scope: 'outage status',
    });
    expect(soon.statusCode, soon.body).toBe(201);
    expect(soon.json()).toMatchObject({ status: 'expiring', partnerName: 'Power Co' });
    expect(soon.json().daysToExpiry).toBeGreaterThanOrEqual(19);
    await c.call('POST', '/agreements', {
      partnerId: p.id,
      kind: 'nda',
      title: 'NDA',
      startsAt: inDays(-10),
    });
    const bad = await c.call('POST', '/agreements', {
      partnerId: p.id,
      kind: 'mou',
      title: 'Backwards',
      startsAt: inDays(10),
      endsAt: inDays(5),
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ path: 'body.endsAt', message: 'must be after startsAt' });
    const tlp = await c.call('POST', '/agreements', {
      partnerId: p.id,
      kind: 'mou',
      title: 'T',
      startsAt: inDays(0),
      tlp: 'purple',
    });
    expect(tlp.statusCode).toBe(422);
    const expiring = (await c.call('GET', '/agreements?status=expiring')).json();
    expect(expiring.items.map((a: { title: string }) => a.title)).toEqual(['Mutual aid for outages']);
    expect((await c.call('GET', '/agreements')).json().total).toBe(2);
  });

  it('keeps tenancy: no reading or linking another city’s partners', async () => {
    const c = await city();
    const other = await city();
    const theirs = await other.partner('Their ISP', 'isp');
    expect((await c.call('GET', `/partners/${theirs.id}`)).statusCode).toBe(404);
    const agr = await c.call('POST', '/agreements', {
      partnerId: theirs.id,
      kind: 'nda',
      title: 'Sneaky',
      startsAt: inDays(0),
    });
    expect(agr.statusCode).toBe(422);
    expect(
      (await env.call(c.admin, { method: 'GET', url: `/api/v1/orgs/${other.id}/partners` })).statusCode,
    ).toBe(404);
    const viewer = await env.user(`p-viewer-${n}@test.local`, { orgId: c.id, role: 'viewer' });
    expect((await c.call('GET', '/partners', undefined, viewer)).statusCode).toBe(200);
    expect((await c.call('POST', '/partners', { name: 'X', category: 'other' }, viewer)).statusCode).toBe(
      403,
    );
  });
});

describe('crisis roster', () => {
  it('orders contacts by service and escalation and exports CSV and vCard', async () => {
    const c = await city();
    const p = await c.partner('Example Power, Inc.');
    const add = (body: Record<string, unknown>) => c.call('POST', '/contacts', body);
    expect(
      (
        await add({
          partnerId: p.id,
          name: 'Grid Desk',
          phone24x7: '+1 555 0100',
          service: 'Electricity',
          incidentType: 'outage',
          escalationOrder: 1,
        })
      ).statusCode,
    ).toBe(201);
    await add({
      partnerId: p.id,
      name: 'Dana Duty; Manager',
      title: 'Duty manager',
      phone24x7: '+1 555 0101',
      email: 'dana@power.test',
      service: 'Electricity',
      incidentType: 'outage',
      escalationOrder: 2,
    });
    await add({ name: 'Not on roster', email: 'x@city.test' });
    const noPhone = await add({ name: 'Nobody', escalationOrder: 3, service: 'Water' });
    expect(noPhone.statusCode).toBe(422);
    const roster = (await c.call('GET', '/roster')).json().items;
    expect(roster.map((r: { name: string }) => r.name)).toEqual(['Grid Desk', 'Dana Duty; Manager']);
    const csv = await c.call('GET', '/roster.csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toBe(
      'service,incident_type,escalation_order,name,organization,title,phone_24x7,phone,email',
    );
    expect(csv.body).toContain('Electricity,outage,1,Grid Desk,"Example Power, Inc.",,+1 555 0100,,');
    const vcf = await c.call('GET', '/roster.vcf');
    expect(vcf.headers['content-type']).toMatch(/text\/vcard/);
    expect(vcf.body.match(/BEGIN:VCARD/g)).toHaveLength(2);
    expect(vcf.body).toContain('FN:Dana Duty\\; Manager\r\n');
    expect(vcf.body).toContain('ORG:Example Power\\, Inc.\r\n');
    expect(vcf.body).toContain('TEL;TYPE=VOICE,PREF:+1 555 0101\r\n');
  });
});

describe('expiry reminders', () => {
  it('mails each agreement entering its reminder window once, through a real SMTP server', async () => {
    const received: { to: string; raw: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, cb) {
        let raw = '';
        stream.on('data', (d: Buffer) => {
          raw += d.toString();
        });
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const c = await city();
      const p = await c.partner('Fiber Co', 'isp');
      const base = {
        partnerId: p.id,
        kind: 'data-sharing',
        startsAt: inDays(-100),
        notifyEmail: 'legal@city.test',
      };
      await c.call('POST', '/agreements', { ...base, title: 'Soon', endsAt: inDays(30), reminderDays: 60 });
      await c.call('POST', '/agreements', { ...base, title: 'Later', endsAt: inDays(200), reminderDays: 60 });
      await c.call('POST', '/agreements', {
        ...base,
        title: 'Past',
        startsAt: inDays(-400),
        endsAt: inDays(-1),
      });
      await c.call('POST', '/agreements', {
        ...base,
        title: 'Nobody to tell',
        endsAt: inDays(10),
        notifyEmail: '',
      });

      const runner = new JobRunner(env.database.db, pino({ level: 'silent' }));
      await registerJobs(runner, {
        smtpUrl: `smtp://127.0.0.1:${port}`,
        mailFrom: 'Citywall <citywall@city.test>',
      });
      await runner.drain();
      expect(received).toHaveLength(1);
      expect(received[0].to).toBe('legal@city.test');
      expect(received[0].raw).toMatch(/Subject: Agreement expiring in (29|30) days: Soon/);
      expect(received[0].raw).toContain('Fiber Co');
      const [job] = await env.database.db
        .select()
        .from(jobs)
        .where(eq(jobs.name, 'partners.agreement-reminders'));
      expect(job).toMatchObject({ status: 'succeeded', result: { sent: 1 } });

      // A second run (the next day) sends nothing new for the same end date.
      await env.database.db.execute("update job_schedules set next_run_at = now() - interval '1 second'");
      await runner.drain();
      expect(received).toHaveLength(1);
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});

describe('Example City sample', () => {
  it('has staff, two part-done trainings, a phishing campaign, an awareness campaign, partners and a roster', async () => {
    const { loadExampleCity } = await import('../../src/server/sample/example-city.js');
    const s = await env.database.db.transaction((tx) => loadExampleCity(tx, env.admin.id));
    const get = async (path: string) =>
      (await env.call(env.admin, { method: 'GET', url: `/api/v1/orgs/${s.orgIds.city}${path}` })).json();
    const dash = await get('/workforce/dashboard');
    expect(dash.people).toBe(12);
    expect(dash.trainingCompletion).toBeGreaterThan(0);
    expect(dash.trainingCompletion).toBeLessThan(1);
    expect(dash.overdue).toBeGreaterThan(0);
    expect(dash.phishingTrend).toHaveLength(1);
    const trainings = (await get('/workforce/trainings')).items;
    expect(trainings).toHaveLength(2);
    for (const t of trainings) expect(t.completed).toBeLessThan(t.assigned);
    expect((await get('/workforce/awareness')).total).toBe(1);
    expect((await get('/workforce/roles')).gaps.some((g: { gap: number }) => g.gap > 0)).toBe(true);
    const partners = (await get('/partners')).items.map((p: { category: string }) => p.category).sort();
    expect(partners).toEqual(['government', 'isp', 'university', 'utility']);
    expect((await get('/agreements?status=expiring')).items).toHaveLength(1);
    expect((await get('/roster')).items.length).toBeGreaterThanOrEqual(4);
    const activities = (await get('/activities')).items;
    expect(activities.map((a: { kind: string }) => a.kind).sort()).toEqual([
      'exercise',
      'information-sharing',
      'internship',
      'research',
    ]);
    expect(activities.find((a: { kind: string }) => a.kind === 'exercise').communityName).toBeTruthy();
    expect((await get('/agreements?q=sharing')).items[0].files).toHaveLength(1);
    const power = (await get('/partners?q=power')).items[0];
    const dependents = await get(`/partners/${power.id}/dependents`);
    expect(dependents.dependencies.length).toBeGreaterThan(0);
    expect(dependents.impact.services.length).toBeGreaterThan(0);
    expect(dependents.impact.populationAffected).toBeGreaterThan(0);
  });
});

function multipart(fields: Record<string, string>, file?: { name: string; type: string; content: Buffer }) {
  const boundary = '----citywall-partners-boundary';
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(chunks),
  };
}

const auditActions = async (orgId: string) =>
  (await env.call(env.admin, { method: 'GET', url: `/api/v1/orgs/${orgId}/audit?limit=500` }))
    .json()
    .items.map((e: { action: string }) => e.action);

describe('editing agreements and contacts', () => {
  it('edits an agreement, refuses one that would end before it starts and changes nothing', async () => {
    const c = await city();
    const p = await c.partner('Edit Power');
    const a = (
      await c.call('POST', '/agreements', {
        partnerId: p.id,
        kind: 'mou',
        title: 'MoU',
        startsAt: inDays(-10),
        endsAt: inDays(100),
      })
    ).json();
    const ok = await c.call('PATCH', `/agreements/${a.id}`, {
      title: 'MoU v2',
      scope: 'Outages',
      tlp: 'green',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ title: 'MoU v2', scope: 'Outages', tlp: 'green' });
    // Only the end date given: it is checked against the stored start.
    const bad = await c.call('PATCH', `/agreements/${a.id}`, { endsAt: inDays(-20) });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toMatch(/would end \(\d{4}-\d\d-\d\d\) before it starts/);
    expect(bad.json().errors).toEqual([{ path: 'endsAt', message: 'must be after startsAt' }]);
    // Only the start date given: after the stored end.
    const bad2 = await c.call('PATCH', `/agreements/${a.id}`, { startsAt: inDays(200) });
    expect(bad2.statusCode).toBe(422);
    expect(bad2.json().errors[0].path).toBe('startsAt');
    const both = await c.call('PATCH', `/agreements/${a.id}`, { startsAt: inDays(5), endsAt: inDays(1) });
    expect(both.statusCode).toBe(422);
    const after = (await c.call('GET', `/agreements/${a.id}`)).json();
    expect(after.title).toBe('MoU v2');
    expect(after.endsAt).toBe(a.endsAt);
    expect(after.startsAt).toBe(a.startsAt);
    expect(await auditActions(c.id)).toContain('agreement.update');
    expect((await c.call('PATCH', `/agreements/${a.id}`, { bogus: 1 })).statusCode).toBe(422);
  });

  it('edits a roster contact, keeps the phone rule, and refuses another city’s partner', async () => {
    const c = await city();
    const other = await city();
    const p = await c.partner('Roster Power');
    const foreignPartner = await other.partner('Foreign Power');
    const contact = (
      await c.call('POST', '/contacts', {
        partnerId: p.id,
        name: 'Desk',
        phone24x7: '+1 555 0100',
        service: 'Electricity',
        escalationOrder: 1,
      })
    ).json();
    const ok = await c.call('PATCH', `/contacts/${contact.id}`, {
      escalationOrder: 2,
      title: 'Duty officer',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      escalationOrder: 2,
      title: 'Duty officer',
      partnerName: 'Roster Power',
    });
    const noPhone = await c.call('PATCH', `/contacts/${contact.id}`, { phone24x7: '' });
    expect(noPhone.statusCode).toBe(422);
    expect(noPhone.json().errors[0].path).toBe('phone24x7');
    const foreign = await c.call('PATCH', `/contacts/${contact.id}`, { partnerId: foreignPartner.id });
    expect(foreign.statusCode).toBe(422);
    expect((await c.call('GET', '/roster')).json().items[0]).toMatchObject({
      phone24x7: '+1 555 0100',
      partnerName: 'Roster Power',
    });
    expect((await other.call('PATCH', `/contacts/${contact.id}`, { title: 'x' })).statusCode).toBe(404);
  });
});

describe('agreement documents', () => {
  it('uploads, lists, downloads and deletes a signed agreement, checked and audited', async () => {
    const c = await city();
    const other = await city();
    const p = await c.partner('Doc Power');
    const a = (
      await c.call('POST', '/agreements', {
        partnerId: p.id,
        kind: 'nda',
        title: 'NDA',
        startsAt: inDays(-1),
      })
    ).json();
    const url = `/api/v1/orgs/${c.id}/agreements/${a.id}/documents`;
    const pdf = Buffer.from('%PDF-1.7\nsigned NDA\n%%EOF\n');
    const up = await env.call(c.admin, {
      method: 'POST',
      url,
      ...multipart({ title: 'Signed NDA' }, { name: 'nda.pdf', type: 'application/pdf', content: pdf }),
    });
    expect(up.statusCode, up.body).toBe(201);
    const { createHash } = await import('node:crypto');
    expect(up.json()).toMatchObject({
      title: 'Signed NDA',
      fileName: 'nda.pdf',
      mediaType: 'application/pdf',
      size: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
    });
    const listed = (await c.call('GET', '/agreements')).json().items[0];
    expect(listed.files.map((f: { title: string }) => f.title)).toEqual(['Signed NDA']);
    const dl = await c.call('GET', `/agreements/${a.id}/documents/${up.json().id}/content`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toBe('attachment; filename="nda.pdf"');
    expect(dl.rawPayload.equals(pdf)).toBe(true);

    // A file whose bytes are not what its type says, a type not allowed, no file, not multipart.
    const fake = await env.call(c.admin, {
      method: 'POST',
      url,
      ...multipart({ title: 'x' }, { name: 'x.pdf', type: 'application/pdf', content: Buffer.from('MZ...') }),
    });
    expect(fake.statusCode).toBe(415);
    expect(fake.json().detail).toMatch(/is not a application\/pdf file/);
    const exe = await env.call(c.admin, {
      method: 'POST',
      url,
      ...multipart({}, { name: 'x.exe', type: 'application/x-msdownload', content: Buffer.from('MZ') }),
    });
    expect(exe.statusCode).toBe(415);
    expect(exe.json().detail).toMatch(/^The agreement document of type application\/x-msdownload/);
    const none = await env.call(c.admin, { method: 'POST', url, ...multipart({ title: 'x' }) });
    expect(none.statusCode).toBe(422);
    const json = await c.call('POST', `/agreements/${a.id}/documents`, { title: 'x' });
    expect(json.statusCode).toBe(415);
    const big = await env.call(c.admin, {
      method: 'POST',
      url,
      ...multipart(
        {},
        { name: 'big.txt', type: 'text/plain', content: Buffer.alloc(10 * 1024 * 1024 + 1, 97) },
      ),
    });
    expect(big.statusCode).toBe(413);
    expect((await c.call('GET', `/agreements/${a.id}`)).json().files).toHaveLength(1);

    // Another city sees nothing and cannot upload to it.
    expect(
      (await other.call('GET', `/agreements/${a.id}/documents/${up.json().id}/content`)).statusCode,
    ).toBe(404);
    const foreignUp = await env.call(other.admin, {
      method: 'POST',
      url: `/api/v1/orgs/${other.id}/agreements/${a.id}/documents`,
      ...multipart({}, { name: 'x.txt', type: 'text/plain', content: Buffer.from('x') }),
    });
    expect(foreignUp.statusCode).toBe(404);
    const viewer = await env.user(`doc-viewer-${n}@test.local`, { orgId: c.id, role: 'viewer' });
    const viewerUp = await env.call(viewer, {
      method: 'POST',
      url,
      ...multipart({}, { name: 'x.txt', type: 'text/plain', content: Buffer.from('x') }),
    });
    expect(viewerUp.statusCode).toBe(403);

    expect((await c.call('DELETE', `/agreements/${a.id}/documents/${up.json().id}`)).statusCode).toBe(204);
    expect((await c.call('GET', `/agreements/${a.id}`)).json().files).toEqual([]);
    const actions = await auditActions(c.id);
    expect(actions).toContain('agreement.document.add');
    expect(actions).toContain('agreement.document.delete');
  });
});

describe('cooperation activities', () => {
  it('records activities with partners, a community, dates and outcomes; lists with q, kind and paging', async () => {
    const c = await city();
    const other = await city();
    const uni = await c.partner('Activity University', 'university');
    const cert = await c.partner('Activity CERT', 'cert');
    const foreignPartner = await other.partner('Foreign Uni', 'university');
    const { orgsService } = await import('../../src/server/modules/orgs/orgs.service.js');
    const { SYSTEM_ACTOR } = await import('../../src/server/context.js');
    const sys = { db: env.database.db, actor: SYSTEM_ACTOR };
    const community = await orgsService.create(sys, {
      name: `Activity Community ${n}`,
      kind: 'community',
      parentId: null,
      description: '',
    });
    const elsewhere = await orgsService.create(sys, {
      name: `Other Community ${n}`,
      kind: 'community',
      parentId: null,
      description: '',
    });
    const { communitiesRepository } = await import('../../src/server/modules/intel/intel.repository.js');
    await communitiesRepository.add(env.database.db, community.id, c.id);

    const ex = await c.call('POST', '/activities', {
      kind: 'exercise',
      title: 'Ransomware tabletop',
      startsOn: '2026-03-01',
      endsOn: '2026-03-01',
      status: 'completed',
      partnerIds: [cert.id, uni.id],
      communityOrgId: community.id,
      outcomes: 'Contact gaps found',
    });
    expect(ex.statusCode, ex.body).toBe(201);
    expect(ex.json()).toMatchObject({
      communityName: `Activity Community ${n}`,
      partners: [
        { id: cert.id, name: 'Activity CERT' },
        { id: uni.id, name: 'Activity University' },
      ],
    });
    const intern = (
      await c.call('POST', '/activities', {
        kind: 'internship',
        title: 'SOC interns',
        startsOn: '2026-06-01',
        partnerIds: [uni.id],
      })
    ).json();
    expect(intern.status).toBe('planned');
    await c.call('POST', '/activities', {
      kind: 'information-sharing',
      title: 'Briefing',
      startsOn: '2026-02-01',
    });

    const list = (await c.call('GET', '/activities')).json();
    expect(list.total).toBe(3);
    expect(list.items.map((a: { title: string }) => a.title)).toEqual([
      'SOC interns',
      'Ransomware tabletop',
      'Briefing',
    ]);
    expect((await c.call('GET', '/activities?kind=exercise')).json().items).toHaveLength(1);
    expect((await c.call('GET', '/activities?q=gaps')).json().items[0].title).toBe('Ransomware tabletop');
    expect((await c.call('GET', `/activities?partnerId=${uni.id}`)).json().total).toBe(2);
    const paged = (await c.call('GET', '/activities?limit=1&offset=1')).json();
    expect(paged).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(paged.items).toHaveLength(1);
    expect((await c.call('GET', '/activities?kind=party')).statusCode).toBe(422);
    expect((await other.call('GET', '/activities')).json().total).toBe(0);

    // Bad input: dates reversed, foreign partner, a community the city is not in; nothing is changed.
    const reversed = await c.call('POST', '/activities', {
      kind: 'research',
      title: 'x',
      startsOn: '2026-05-01',
      endsOn: '2026-04-01',
    });
    expect(reversed.statusCode).toBe(422);
    expect(reversed.json().errors[0].path).toBe('body.endsOn');
    const foreign = await c.call('POST', '/activities', {
      kind: 'research',
      title: 'x',
      startsOn: '2026-05-01',
      partnerIds: [foreignPartner.id],
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors).toEqual([
      { path: 'partnerIds.0', message: `unknown partner ${foreignPartner.id}` },
    ]);
    const notMember = await c.call('POST', '/activities', {
      kind: 'research',
      title: 'x',
      startsOn: '2026-05-01',
      communityOrgId: elsewhere.id,
    });
    expect(notMember.statusCode).toBe(422);
    expect(notMember.json().errors[0].path).toBe('communityOrgId');
    expect((await c.call('GET', '/activities')).json().total).toBe(3);
    const communities = (await c.call('GET', '/activities/communities')).json().items;
    expect(communities.map((x: { id: string }) => x.id)).toEqual([community.id]);

    // Edit: outcomes and partners; end before stored start refused.
    const upd = await c.call('PATCH', `/activities/${intern.id}`, {
      status: 'ongoing',
      outcomes: 'Two interns placed',
      partnerIds: [uni.id, cert.id],
    });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().partners).toHaveLength(2);
    const badEnd = await c.call('PATCH', `/activities/${intern.id}`, { endsOn: '2026-05-01' });
    expect(badEnd.statusCode).toBe(422);
    expect(badEnd.json().detail).toBe('The activity would end (2026-05-01) before it starts (2026-06-01)');
    expect((await c.call('GET', `/activities/${intern.id}`)).json()).toMatchObject({
      status: 'ongoing',
      endsOn: null,
    });
    // Roles and tenancy.
    const viewer = await env.user(`act-viewer-${n}@test.local`, { orgId: c.id, role: 'viewer' });
    expect((await c.call('GET', '/activities', undefined, viewer)).statusCode).toBe(200);
    expect((await c.call('DELETE', `/activities/${intern.id}`, undefined, viewer)).statusCode).toBe(403);
    expect((await other.call('GET', `/activities/${intern.id}`)).statusCode).toBe(404);
    expect((await other.call('DELETE', `/activities/${intern.id}`)).statusCode).toBe(404);
    // A partner's removal takes it off activities.
    expect((await c.call('DELETE', `/partners/${cert.id}`)).statusCode).toBe(204);
    expect((await c.call('GET', `/activities/${intern.id}`)).json().partners).toEqual([
      { id: uni.id, name: 'Activity University' },
    ]);
    expect((await c.call('DELETE', `/activities/${intern.id}`)).statusCode).toBe(204);
    expect((await c.call('GET', '/activities')).json().total).toBe(2);
    const actions = await auditActions(c.id);
    for (const a of ['activity.create', 'activity.update', 'activity.delete']) expect(actions).toContain(a);
  });
});

describe('partners in the city model', () => {
  it('links services to a partner and computes the cascade when the partner fails', async () => {
    const { orgsService } = await import('../../src/server/modules/orgs/orgs.service.js');
    const { SYSTEM_ACTOR } = await import('../../src/server/context.js');
    const sys = { db: env.database.db, actor: SYSTEM_ACTOR };
    const region = await env.org(`Cascade Region ${++n}`, 'region');
    const cityOrg = await env.org(`Cascade City ${n}`, 'city', region.id);
    const admin = await env.user(`cascade-admin-${n}@test.local`, { orgId: cityOrg.id, role: 'admin' });
    const call = (method: 'GET' | 'POST' | 'DELETE', path: string, payload?: unknown) =>
      env.call(admin, { method, url: `/api/v1/orgs/${cityOrg.id}${path}`, payload: payload as never });
    const power = await orgsService.create(sys, {
      name: `Cascade Power ${n}`,
      kind: 'utility',
      parentId: region.id,
      description: '',
    });
    const linked = (
      await call('POST', '/partners', { name: 'Cascade Power', category: 'utility', partnerOrgId: power.id })
    ).json();
    const unlinked = (await call('POST', '/partners', { name: 'Cloud Vendor', category: 'cloud' })).json();

    const water = (
      await call('POST', '/assets/services', {
        name: 'Drinking water',
        populationServed: 50_000,
        rtoHours: 4,
      })
    ).json();
    const permits = (
      await call('POST', '/assets/services', { name: 'Permits', populationServed: 1_000 })
    ).json();
    const plc = (
      await call('POST', '/assets/systems', { name: 'Plant PLC', kind: 'ot', bufferHours: 2 })
    ).json();
    expect(
      (
        await call('POST', '/assets/dependencies', {
          fromKind: 'service',
          fromId: water.id,
          toKind: 'system',
          toId: plc.id,
          type: 'runs_on',
        })
      ).statusCode,
    ).toBe(201);

    // Not in the city model yet: nothing depends on it.
    const none = (await call('GET', `/partners/${linked.id}/dependents`)).json();
    expect(none).toMatchObject({ eligible: true, dependencies: [], impact: null });
    expect(none.provider).toMatchObject({ id: power.id, kind: 'utility' });

    const dep = await call('POST', `/partners/${linked.id}/dependents`, {
      fromKind: 'system',
      fromId: plc.id,
      type: 'powered_by',
    });
    expect(dep.statusCode, dep.body).toBe(201);
    expect(dep.json()).toMatchObject({ to: { kind: 'provider', id: power.id }, from: { id: plc.id } });

    const d = (await call('GET', `/partners/${linked.id}/dependents`)).json();
    expect(d.dependencies.map((x: { from: { name: string } }) => x.from.name)).toEqual(['Plant PLC']);
    expect(d.impact.initial).toEqual([{ id: power.id, kind: 'provider', name: `Cascade Power ${n}` }]);
    expect(d.impact.services.map((s: { name: string }) => s.name)).toEqual(['Drinking water']);
    expect(d.impact.services[0].timeToImpactHours).toBe(2);
    expect(d.impact.populationAffected).toBe(50_000);
    // The same cascade the assets module computes for the provider.
    const direct = (await call('GET', `/assets/impact?nodes=${power.id}`)).json();
    expect(direct.populationAffected).toBe(d.impact.populationAffected);
    expect(direct.services).toEqual(d.impact.services);
    expect(permits.id).toBeTruthy();

    // Bad input: a partner outside the city model, a foreign service, a duplicate.
    const outside = await call('POST', `/partners/${unlinked.id}/dependents`, {
      fromKind: 'service',
      fromId: permits.id,
      type: 'hosted_by',
    });
    expect(outside.statusCode).toBe(409);
    expect(outside.json().detail).toMatch(/Cloud Vendor is not linked to a utility or partner organization/);
    expect((await call('GET', `/partners/${unlinked.id}/dependents`)).json()).toMatchObject({
      provider: null,
      eligible: false,
      impact: null,
    });
    const other = await city();
    const foreignSvc = (await other.call('POST', '/assets/services', { name: 'Foreign svc' })).json();
    const foreignFrom = await call('POST', `/partners/${linked.id}/dependents`, {
      fromKind: 'service',
      fromId: foreignSvc.id,
      type: 'powered_by',
    });
    expect(foreignFrom.statusCode).toBe(422);
    const dup = await call('POST', `/partners/${linked.id}/dependents`, {
      fromKind: 'system',
      fromId: plc.id,
      type: 'powered_by',
    });
    expect(dup.statusCode).toBe(409);
    expect((await other.call('GET', `/partners/${linked.id}/dependents`)).statusCode).toBe(404);
    expect((await call('GET', '/assets/dependencies')).json().total).toBe(2);
  });
});
