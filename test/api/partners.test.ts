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
  });
});
