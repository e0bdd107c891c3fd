import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_CORE_EXTENSION_ID } from '../../src/core/incident/index.js';
import { validateBundle } from '../../src/core/stix/index.js';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { exercisesService } from '../../src/server/modules/incidents/exercises.service.js';
import { incidentsService } from '../../src/server/modules/incidents/incidents.service.js';
import { loadExampleCity } from '../../src/server/sample/example-city.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';
import { bundleOf, indicator } from '../helpers/stix.js';

let env: TestEnv;
let orgId: string;
let analyst: TestUser;
let viewer: TestUser;
let admin: TestUser;
let outsider: TestUser;
let otherId: string;

const SEVERITY = {
  functionalImpact: 'denial-of-critical-services',
  informationImpact: 'destruction-of-critical-system',
  recoverability: 'extended',
  locationLevel: 3,
  crossSectorDependency: 'medium',
  populationAffected: 250000,
};

beforeAll(async () => {
  env = await testEnv();
  const org = await env.org('Incident City');
  orgId = org.id;
  analyst = await env.user('analyst@incident.test', { orgId, role: 'analyst' });
  viewer = await env.user('viewer@incident.test', { orgId, role: 'viewer' });
  admin = await env.user('admin@incident.test', { orgId, role: 'admin' });
  const other = await env.org('Other City');
  otherId = other.id;
  outsider = await env.user('outsider@other.test', { orgId: other.id, role: 'admin' });
});
afterAll(() => env?.close());

const url = (path = '') => `/api/v1/orgs/${orgId}/incidents${path}`;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

async function open(payload: Record<string, unknown> = {}) {
  const res = await env.call(analyst, {
    method: 'POST',
    url: url(),
    payload: { title: 'Ransomware at city hall', type: 'ransomware', playbook: 'ransomware', ...payload },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function timelineCount(id: string) {
  return (await env.call(viewer, { method: 'GET', url: url(`/${id}/timeline`) })).json().total as number;
}

describe('incidents', () => {
  it('opens from a playbook with its tasks, scores severity and explains it', async () => {
    const inc = await open({ severity: SEVERITY, leadId: analyst.id, team: [viewer.id] });
    expect(inc.status).toBe('detected');
    expect(inc.playbookVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(inc.severity.name).toBe('Severe');
    expect(inc.severity.score).toBeGreaterThanOrEqual(65);
    const contributions = inc.severity.explanation.contributions;
    expect(contributions).toHaveLength(6);
    expect(contributions.reduce((s: number, c: { points: number }) => s + c.points, 0)).toBeCloseTo(
      inc.severity.score,
      0,
    );
    expect(inc.lead.id).toBe(analyst.id);
    expect(inc.team.map((p: { id: string }) => p.id)).toEqual([viewer.id]);
    const tasks = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/tasks`) })).json();
    expect(tasks.total).toBeGreaterThan(3);
    expect(tasks.items[0].checklist.every((c: { done: boolean }) => c.done === false)).toBe(true);
    expect(tasks.items.every((t: { csf: string }) => /^[A-Z]{2}\.[A-Z]{2}$/.test(t.csf))).toBe(true);
    // The lead's own tasks are assigned to the lead at once.
    const leadTasks = tasks.items.filter((t: { role: string }) => t.role === 'incident-lead');
    expect(leadTasks.every((t: { assigneeId: string }) => t.assigneeId === analyst.id)).toBe(true);
  });

  it('walks the workflow one step at a time; a skip is refused and changes nothing', async () => {
    const inc = await open();
    const skip = await env.call(analyst, {
      method: 'POST',
      url: url(`/${inc.id}/status`),
      payload: { to: 'eradication' },
    });
    expect(skip.statusCode).toBe(422);
    expect(skip.json().detail).toContain('skips triage, containment');
    const before = await timelineCount(inc.id);
    expect((await env.call(viewer, { method: 'GET', url: url(`/${inc.id}`) })).json().status).toBe(
      'detected',
    );
    for (const to of ['triage', 'containment', 'eradication', 'recovery', 'post-incident-review', 'closed']) {
      const r = await env.call(analyst, { method: 'POST', url: url(`/${inc.id}/status`), payload: { to } });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().status).toBe(to);
    }
    expect(await timelineCount(inc.id)).toBe(before + 6);
    const closed = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}`) })).json();
    expect(closed.closedAt).not.toBeNull();
    expect(closed.metrics.timeToAcknowledgeMs).toBeGreaterThanOrEqual(0);
    expect(closed.metrics.timeToRecoverMs).toBeGreaterThanOrEqual(closed.metrics.timeToContainMs);
    const back = await env.call(analyst, {
      method: 'POST',
      url: url(`/${inc.id}/status`),
      payload: { to: 'recovery' },
    });
    expect(back.statusCode).toBe(422);
    expect(back.json().errors[0].path).toBe('reason');
    const reopened = await env.call(analyst, {
      method: 'POST',
      url: url(`/${inc.id}/status`),
      payload: { to: 'recovery', reason: 're-infection found on a file server' },
    });
    expect(reopened.json().status).toBe('recovery');
    expect(reopened.json().closedAt).toBeNull();
    const audit = await env.call(env.admin, {
      method: 'GET',
      url: `/api/v1/orgs/${orgId}/audit?action=incident.status&targetId=${inc.id}`,
    });
    expect(audit.statusCode).toBe(200);
    // Six steps forward and one back; the refused skip and the refused reopening left no trace.
    expect(audit.json().items).toHaveLength(7);
  });

  it('refuses a lead, a team member or an assignee outside the organization', async () => {
    const bad = await env.call(analyst, {
      method: 'POST',
      url: url(),
      payload: { title: 'Outsider lead', type: 'ddos', leadId: outsider.id },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('leadId');
    const list = (await env.call(viewer, { method: 'GET', url: url('?q=Outsider') })).json();
    expect(list.total).toBe(0);
    const inc = await open();
    const tasks = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/tasks`) })).json().items;
    const r = await env.call(analyst, {
      method: 'PATCH',
      url: url(`/${inc.id}/tasks/${tasks[0].id}`),
      payload: { assigneeId: outsider.id },
    });
    expect(r.statusCode).toBe(422);
    const team = await env.call(analyst, {
      method: 'PATCH',
      url: url(`/${inc.id}`),
      payload: { team: [outsider.id] },
    });
    expect(team.statusCode).toBe(422);
  });

  it('completes a task with its checklist and records it in the timeline', async () => {
    const inc = await open();
    const [task] = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/tasks`) })).json().items;
    const checklist = task.checklist.map((c: { text: string }) => ({ text: c.text, done: true }));
    const r = await env.call(analyst, {
      method: 'PATCH',
      url: url(`/${inc.id}/tasks/${task.id}`),
      payload: { status: 'done', checklist, assigneeId: viewer.id, dueAt: hoursAgo(-24) },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().completedAt).not.toBeNull();
    expect(r.json().checklist.every((c: { done: boolean }) => c.done)).toBe(true);
    const tl = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/timeline`) })).json().items;
    expect(tl.some((e: { text: string }) => e.text.includes('open → done'))).toBe(true);
    expect(tl.some((e: { text: string }) => e.text.includes('assigned to viewer'))).toBe(true);
  });

  it('records the ATT&CK techniques seen, in the timeline, and refuses ids that are not techniques', async () => {
    const inc = await open({ playbook: undefined });
    expect(inc.attackTechniques).toEqual([]);
    const set = await env.call(analyst, {
      method: 'PATCH',
      url: url(`/${inc.id}`),
      payload: { attackTechniques: ['T1566.001', 'T1486', 'T1486'] },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().attackTechniques).toEqual(['T1566.001', 'T1486']);
    const tl = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/timeline`) })).json().items;
    expect(tl.some((e: { text: string }) => e.text === 'ATT&CK techniques: T1566.001, T1486')).toBe(true);
    const byTechnique = async (id: string) =>
      (await env.call(viewer, { method: 'GET', url: url(`?technique=${id}`) }))
        .json()
        .items.map((x: { id: string }) => x.id);
    expect(await byTechnique('T1566.001')).toEqual([inc.id]);
    expect(await byTechnique('T1566')).not.toContain(inc.id);
    expect((await env.call(viewer, { method: 'GET', url: url('?technique=phishing') })).statusCode).toBe(422);

    const before = await timelineCount(inc.id);
    const bad = await env.call(analyst, {
      method: 'PATCH',
      url: url(`/${inc.id}`),
      payload: { attackTechniques: ['T1486', 'TA0040', 'phishing'] },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'body.attackTechniques.1',
      'body.attackTechniques.2',
    ]);
    const now = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}`) })).json();
    expect(now.attackTechniques).toEqual(['T1566.001', 'T1486']);
    expect(await timelineCount(inc.id)).toBe(before);
  });

  it('keeps when an entry happened apart from when it was written, and refuses the future', async () => {
    const inc = await open();
    const at = hoursAgo(5);
    const ok = await env.call(analyst, {
      method: 'POST',
      url: url(`/${inc.id}/timeline`),
      payload: { text: 'Help desk got the first call', occurredAt: at },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().occurredAt).toBe(at);
    expect(new Date(ok.json().recordedAt).getTime()).toBeGreaterThan(Date.parse(at) + 4 * 3600_000);
    const n = await timelineCount(inc.id);
    const future = await env.call(analyst, {
      method: 'POST',
      url: url(`/${inc.id}/timeline`),
      payload: { text: 'later', occurredAt: hoursAgo(-2) },
    });
    expect(future.statusCode).toBe(422);
    expect(future.json().errors[0].path).toBe('occurredAt');
    expect(await timelineCount(inc.id)).toBe(n);
    const csv = await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/timeline.csv`) });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toContain('occurred_at_utc');
    expect(lines.length).toBe(n + 1);
    expect(csv.body).toContain('Help desk got the first call');
  });

  it('shows each applicable clock with deadline, status and a draft; marks one sent', async () => {
    const awareness = hoursAgo(30);
    const inc = await open({
      type: 'data-breach',
      playbook: 'data-breach-personal-data',
      timeZone: 'Europe/Brussels',
      awarenessAt: awareness,
      facts: {
        personalDataAffected: true,
        subjectToGdpr: true,
        significantIncident: true,
        entityType: 'important',
      },
    });
    const rep = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/clocks`) })).json();
    const byId = Object.fromEntries(rep.clocks.map((c: { ruleId: string }) => [c.ruleId, c]));
    const early = byId['eu-nis2-early-warning'];
    expect(early.status).toBe('overdue');
    expect(Date.parse(early.dueAt)).toBe(Date.parse(awareness) + 24 * 3600_000);
    const gdpr = byId['eu-gdpr-art33-supervisory-authority'];
    expect(gdpr.status).toBe('running');
    expect(gdpr.remainingMs).toBeGreaterThan(41 * 3600_000);
    expect(gdpr.remainingMs).toBeLessThan(43 * 3600_000);
    expect(gdpr.draft.body).toContain('Incident City, as controller');
    expect(gdpr.draft.body).toContain('Europe/Brussels');
    expect(gdpr.draft.missing).toContain('dataCategories');
    expect(gdpr.draft.subject.length).toBeGreaterThan(5);
    expect(byId['eu-nis2-final-report'].status).toBe('waiting-for-start-event');
    expect(rep.earliest).toBe('eu-nis2-early-warning');

    const overdue = (
      await env.call(viewer, { method: 'GET', url: `/api/v1/orgs/${orgId}/incident-clocks/overdue` })
    ).json();
    expect(
      overdue.items.some(
        (o: { incidentId: string; ruleId: string }) =>
          o.incidentId === inc.id && o.ruleId === 'eu-nis2-early-warning',
      ),
    ).toBe(true);

    const sent = await env.call(analyst, {
      method: 'POST',
      url: url(`/${inc.id}/clocks/eu-nis2-early-warning/sent`),
      payload: { sentAt: hoursAgo(1), reference: 'CSIRT ticket 4411' },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const after = Object.fromEntries(sent.json().clocks.map((c: { ruleId: string }) => [c.ruleId, c]));
    expect(after['eu-nis2-early-warning'].status).toBe('met');
    expect(after['eu-nis2-early-warning'].late).toBe(true);
    const again = await env.call(analyst, {
      method: 'POST',
      url: url(`/${inc.id}/clocks/eu-nis2-early-warning/sent`),
      payload: { sentAt: hoursAgo(1) },
    });
    expect(again.statusCode).toBe(409);
    const unknown = await env.call(analyst, {
      method: 'POST',
      url: url(`/${inc.id}/clocks/us-ca-residents/sent`),
      payload: { sentAt: hoursAgo(1) },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('counts calendar-day deadlines on the local calendar across a DST change', async () => {
    // Colorado's 30-day window from 2026-10-20 10:00 in Los Angeles crosses the end of daylight saving time
    // (1 November): the deadline keeps 10:00 local wall-clock time, which is 18:00 UTC after the change, one
    // hour later than the same window counted in a UTC organization.
    const determined = '2026-10-20T17:00:00.000Z'; // 10:00 PDT
    const inc = await open({
      type: 'data-breach',
      playbook: 'data-breach-personal-data',
      timeZone: 'America/Los_Angeles',
      detectedAt: determined,
      breachDeterminedAt: determined,
      facts: { personalDataAffected: true, residentsAffectedByState: { CO: 1200 } },
    });
    const rep = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/clocks`) })).json();
    const co = rep.clocks.find((c: { ruleId: string }) => c.ruleId === 'us-co-residents');
    expect(co.deadline).toBe('2026-11-19T18:00:00.000Z'); // still 10:00 local, now PST (UTC−8)
    expect(co.dueAtLocal).toContain('2026-11-19');
    expect(co.dueAtLocal).toContain('10:00');
    const utc = await env.call(analyst, {
      method: 'PATCH',
      url: url(`/${inc.id}`),
      payload: { timeZone: 'UTC' },
    });
    expect(utc.statusCode).toBe(200);
    const rep2 = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/clocks`) })).json();
    expect(rep2.clocks.find((c: { ruleId: string }) => c.ruleId === 'us-co-residents').deadline).toBe(
      '2026-11-19T17:00:00.000Z',
    );
  });

  it('refuses unknown facts and time zones, naming them, and writes nothing', async () => {
    const before = (await env.call(viewer, { method: 'GET', url: url() })).json().total;
    const facts = await env.call(analyst, {
      method: 'POST',
      url: url(),
      payload: { title: 'Bad facts', type: 'other', facts: { ransomPayed: true } },
    });
    expect(facts.statusCode).toBe(422);
    expect(facts.json().detail).toContain('unknown fact "ransomPayed"');
    const tz = await env.call(analyst, {
      method: 'POST',
      url: url(),
      payload: { title: 'Bad zone', type: 'other', timeZone: 'Mars/Olympus' },
    });
    expect(tz.statusCode).toBe(422);
    const extra = await env.call(analyst, {
      method: 'POST',
      url: url(),
      payload: { title: 'Extra', type: 'other', color: 'red' },
    });
    expect(extra.statusCode).toBe(422);
    const sev = await env.call(analyst, {
      method: 'POST',
      url: url(),
      payload: { title: 'Bad severity', type: 'other', severity: { ...SEVERITY, populationAffected: -1 } },
    });
    expect(sev.statusCode).toBe(422);
    const pb = await env.call(analyst, {
      method: 'POST',
      url: url(),
      payload: { title: 'No playbook', type: 'other', playbook: 'nope' },
    });
    expect(pb.statusCode).toBe(422);
    expect((await env.call(viewer, { method: 'GET', url: url() })).json().total).toBe(before);
  });

  it('keeps exercises out of lists and metrics unless asked for', async () => {
    const ex = await open({ title: 'Tabletop: ransomware at city hall', exercise: true });
    const real = (await env.call(viewer, { method: 'GET', url: url() })).json();
    expect(real.items.some((i: { id: string }) => i.id === ex.id)).toBe(false);
    const only = (await env.call(viewer, { method: 'GET', url: url('?exercises=only') })).json();
    expect(only.items.map((i: { id: string }) => i.id)).toEqual([ex.id]);
    const m = (
      await env.call(viewer, { method: 'GET', url: `/api/v1/orgs/${orgId}/incident-metrics?by=type` })
    ).json();
    const rw = m.items.find((g: { key: string }) => g.key === 'ransomware');
    expect(rw.incidents).toBe(real.items.filter((i: { type: string }) => i.type === 'ransomware').length);
    const mm = (
      await env.call(viewer, {
        method: 'GET',
        url: `/api/v1/orgs/${orgId}/incident-metrics?by=month&timeZone=America/Los_Angeles`,
      })
    ).json();
    expect(mm.items.every((g: { key: string }) => /^\d{4}-\d{2}$/.test(g.key))).toBe(true);
  });

  it('lets only data.admin edit organization playbooks, in new versions; shipped ones are read-only', async () => {
    const denied = await env.call(analyst, {
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/incident-playbooks`,
      payload: { from: 'ddos' },
    });
    expect(denied.statusCode).toBe(403);
    const copy = await env.call(admin, {
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/incident-playbooks`,
      payload: { from: 'ddos' },
    });
    expect(copy.statusCode, copy.body).toBe(201);
    const pb = copy.json();
    expect(pb.playbook.id).toBe('ddos-city');
    const edited = { ...pb.playbook, version: '1.1.0', title: 'DDoS at Incident City' };
    const v2 = await env.call(admin, {
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/incident-playbooks/${pb.ref}`,
      payload: { playbook: edited },
    });
    expect(v2.statusCode, v2.body).toBe(201);
    const stale = await env.call(admin, {
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/incident-playbooks/${pb.ref}`,
      payload: { playbook: edited },
    });
    expect(stale.statusCode).toBe(422);
    const shipped = await env.call(admin, {
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/incident-playbooks`,
      payload: { playbook: { ...pb.playbook, id: 'ddos' } },
    });
    expect(shipped.statusCode).toBe(422);
    const list = (
      await env.call(viewer, { method: 'GET', url: `/api/v1/orgs/${orgId}/incident-playbooks` })
    ).json().items;
    expect(
      list
        .filter((p: { source: string }) => p.source === 'shipped')
        .every((p: { readOnly: boolean }) => p.readOnly),
    ).toBe(true);
    const inc = await open({ type: 'ddos', playbook: v2.json().ref });
    expect(inc.playbookVersion).toBe('1.1.0');
  });

  it('stores evidence with SHA-256 and a chain of custody; refuses wrong types and oversized files', async () => {
    const inc = await open();
    const boundary = '----cw';
    const body = (name: string, content: Buffer, description = 'firewall export') =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n${description}\r\n`,
        ),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        content,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
    const evUrl = url(`/${inc.id}/evidence`);
    const log = Buffer.from('2026-11-01 10:00:01 DENY 203.0.113.7 -> 10.0.0.5:445\n');
    const up = await env.call(analyst, { method: 'POST', url: evUrl, headers, payload: body('fw.log', log) });
    expect(up.statusCode, up.body).toBe(201);
    const ev = up.json();
    expect(ev.sha256).toBe(createHash('sha256').update(log).digest('hex'));
    expect(ev.contentType).toBe('text/plain');
    expect(ev.description).toBe('firewall export');

    const exe = await env.call(analyst, {
      method: 'POST',
      url: evUrl,
      headers,
      payload: body('tool.exe', Buffer.from('MZ....')),
    });
    expect(exe.statusCode).toBe(415);
    const fakePdf = await env.call(analyst, {
      method: 'POST',
      url: evUrl,
      headers,
      payload: body('report.pdf', Buffer.from('not a pdf')),
    });
    expect(fakePdf.statusCode).toBe(415);
    const big = await env.call(analyst, {
      method: 'POST',
      url: evUrl,
      headers,
      payload: body('huge.log', Buffer.alloc(20 * 1024 * 1024 + 10, 0x41)),
    });
    expect(big.statusCode).toBe(413);
    const viewerUp = await env.call(viewer, {
      method: 'POST',
      url: evUrl,
      headers,
      payload: body('fw.log', log),
    });
    expect(viewerUp.statusCode).toBe(403);
    expect((await env.call(viewer, { method: 'GET', url: evUrl })).json().total).toBe(1);

    const dl = await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/evidence/${ev.id}/content`) });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(log)).toBe(true);
    const tr = await env.call(analyst, {
      method: 'POST',
      url: url(`/${inc.id}/evidence/${ev.id}/transfers`),
      payload: { to: 'State police cyber unit, Det. Ruiz', note: 'sealed USB, bag 17' },
    });
    expect(tr.json().custodian).toBe('State police cyber unit, Det. Ruiz');
    const custody = (
      await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/evidence/${ev.id}/custody`) })
    ).json();
    expect(custody.items.map((c: { action: string }) => c.action)).toEqual([
      'uploaded',
      'downloaded',
      'transferred',
      'viewed',
    ]);
    expect(custody.items[1].actorLabel).toBe('viewer');
  });

  it('logs communications with their contacts', async () => {
    const inc = await open();
    const c = await env.call(analyst, {
      method: 'POST',
      url: url(`/${inc.id}/communications`),
      payload: {
        direction: 'outbound',
        channel: 'phone',
        contactName: 'FBI field office',
        contactRole: 'law-enforcement',
        summary: 'Reported the attack; case opened',
        occurredAt: hoursAgo(2),
      },
    });
    expect(c.statusCode, c.body).toBe(201);
    const list = (
      await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/communications?q=FBI`) })
    ).json();
    expect(list.total).toBe(1);
    const bad = await env.call(analyst, {
      method: 'POST',
      url: url(`/${inc.id}/communications`),
      payload: {
        direction: 'sideways',
        channel: 'phone',
        contactName: 'x',
        contactRole: 'insurer',
        summary: 'x',
        occurredAt: hoursAgo(1),
      },
    });
    expect(bad.statusCode).toBe(422);
  });

  it('hides incidents from other organizations and refuses writes by viewers', async () => {
    const inc = await open();
    expect((await env.call(outsider, { method: 'GET', url: url(`/${inc.id}`) })).statusCode).toBe(404);
    expect((await env.call(outsider, { method: 'GET', url: url() })).statusCode).toBe(404);
    const w = await env.call(viewer, {
      method: 'POST',
      url: url(),
      payload: { title: 'Viewer incident', type: 'other' },
    });
    expect(w.statusCode).toBe(403);
    const other = await env.org('Third City');
    const otherAdmin = await env.user('admin@third.test', { orgId: other.id, role: 'admin' });
    const cross = await env.call(otherAdmin, {
      method: 'GET',
      url: `/api/v1/orgs/${other.id}/incidents/${inc.id}`,
    });
    expect(cross.statusCode).toBe(404);
  });

  it('raises one alert per overdue clock in the timeline, once', async () => {
    const inc = await open({
      type: 'data-breach',
      awarenessAt: hoursAgo(80),
      facts: { personalDataAffected: true, subjectToGdpr: true },
    });
    const system = { db: env.database.db, actor: SYSTEM_ACTOR };
    const first = await incidentsService.raiseOverdueAlerts(system);
    expect(first.raised).toBeGreaterThan(0);
    const alerts = async () =>
      (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/timeline`) }))
        .json()
        .items.filter((e: { kind: string }) => e.kind === 'alert');
    const mine = await alerts();
    expect(mine.map((e: { ref: string }) => e.ref)).toEqual(['eu-gdpr-art33-supervisory-authority']);
    await incidentsService.raiseOverdueAlerts(system);
    expect(await alerts()).toHaveLength(1);
  });

  it('links affected services and systems from the city model and computes who else stops', async () => {
    const assets = (method: string, path: string, payload?: unknown) =>
      env.call(admin, {
        method: method as 'POST',
        url: `/api/v1/orgs/${orgId}/assets${path}`,
        ...(payload ? { payload } : {}),
      });
    const mk = async (path: string, payload: Record<string, unknown>) => {
      const r = await assets('POST', path, payload);
      expect(r.statusCode, r.body).toBe(201);
      return r.json();
    };
    const scada = await mk('/systems', { name: 'Cascade SCADA', kind: 'ot' });
    const water = await mk('/services', {
      name: 'Cascade water',
      sector: 'Water and Wastewater Systems',
      populationServed: 180_000,
    });
    const hospital = await mk('/services', {
      name: 'Cascade hospital',
      sector: 'Healthcare and Public Health',
      populationServed: 60_000,
    });
    const fire = await mk('/services', {
      name: 'Cascade fire',
      sector: 'Emergency Services',
      populationServed: 200_000,
    });
    const dep = (from: { id: string }, fromKind: string, to: { id: string }, toKind: string) =>
      mk('/dependencies', { fromKind, fromId: from.id, toKind, toId: to.id, type: 'runs_on' });
    await dep(water, 'service', scada, 'system');
    await dep(hospital, 'service', water, 'service');
    await dep(fire, 'service', water, 'service');

    // Unknown and foreign ids are refused, naming the entry, and nothing is written.
    const before = (await env.call(viewer, { method: 'GET', url: url() })).json().total;
    const bad = await env.call(analyst, {
      method: 'POST',
      url: url(),
      payload: {
        title: 'Water plant',
        type: 'ot-compromise',
        affected: [
          { kind: 'system', ref: scada.id },
          { kind: 'service', ref: scada.id },
        ],
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'affected.1.ref' })]);
    expect((await env.call(viewer, { method: 'GET', url: url() })).json().total).toBe(before);

    const inc = await open({
      type: 'ot-compromise',
      playbook: undefined,
      affected: [{ kind: 'system', ref: scada.id }],
    });
    expect(inc.affected).toEqual([{ kind: 'system', ref: scada.id, name: 'Cascade SCADA' }]);
    const impact = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/impact`) })).json();
    expect(impact.affected[0]).toMatchObject({ ref: scada.id, inModel: true });
    expect(impact.alsoStopped.map((s: { name: string }) => s.name).sort()).toEqual([
      'Cascade fire',
      'Cascade hospital',
      'Cascade water',
    ]);
    expect(impact.cascade.populationAffected).toBe(440_000);
    expect(impact.severityHints).toEqual({
      populationAffected: 200_000,
      crossSectorDependency: 'medium',
      sectors: ['Emergency Services', 'Healthcare and Public Health', 'Water and Wastewater Systems'],
    });

    // Listing the water service itself: it no longer counts as "also stopped"; the change is in the timeline.
    const upd = await env.call(analyst, {
      method: 'PATCH',
      url: url(`/${inc.id}`),
      payload: {
        affected: [
          { kind: 'system', ref: scada.id },
          { kind: 'service', ref: water.id },
        ],
      },
    });
    expect(upd.statusCode, upd.body).toBe(200);
    const again = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/impact`) })).json();
    expect(again.alsoStopped.map((s: { name: string }) => s.name).sort()).toEqual([
      'Cascade fire',
      'Cascade hospital',
    ]);
    const tl = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/timeline?q=Affected`) })).json();
    expect(tl.items[0].text).toContain('Cascade water');

    // A system removed from the model stays on the incident by name, outside the cascade.
    expect((await assets('DELETE', `/systems/${scada.id}?force=true`)).statusCode).toBe(204);
    const gone = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/impact`) })).json();
    expect(gone.affected.find((a: { ref: string }) => a.ref === scada.id)).toMatchObject({
      name: 'Cascade SCADA',
      inModel: false,
    });
    expect(gone.cascade.initial.map((n: { id: string }) => n.id)).toEqual([water.id]);

    // Another organization's incident impact is not found.
    expect((await env.call(outsider, { method: 'GET', url: url(`/${inc.id}/impact`) })).statusCode).toBe(404);
  });

  it('stores observables as STIX SCOs and shows indicator hits the reader may see, with source and TLP', async () => {
    const importAs = async (user: TestUser, org: string, objects: unknown[]) => {
      const r = await env.call(user, {
        method: 'POST',
        url: `/api/v1/orgs/${org}/intel/bundles`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(bundleOf(objects)),
      });
      expect(r.statusCode, r.body).toBe(200);
    };
    const hash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const own = indicator('Phishing C2 range', 'green', {
      pattern: "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      valid_until: '2026-06-01T00:00:00.000Z',
    });
    await importAs(admin, orgId, [own]);
    const secret = indicator('OBS-CANARY red domain', 'red', {
      pattern: "[domain-name:value = 'evil.example.com']",
    });
    const loader = indicator('Public loader hash', 'clear', {
      pattern: `[file:hashes.'SHA-256' = '${hash}']`,
    });
    await importAs(outsider, otherId, [secret, loader]);

    const inc = await open({ playbook: undefined });
    const obsUrl = url(`/${inc.id}/observables`);
    const add = (payload: Record<string, unknown>, user: TestUser = analyst) =>
      env.call(user, { method: 'POST', url: obsUrl, payload });

    const ip = await add({ type: 'ipv4-addr', value: '198.51.100.7', note: 'VPN login source' });
    expect(ip.statusCode, ip.body).toBe(201);
    const ipObs = ip.json();
    expect(ipObs.stixId).toMatch(/^ipv4-addr--[0-9a-f-]{36}$/);
    expect(ipObs.object).toEqual({
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: ipObs.stixId,
      value: '198.51.100.7',
    });
    expect(ipObs.hits).toEqual([
      expect.objectContaining({
        indicatorId: own.id,
        name: 'Phishing C2 range',
        tlp: 'green',
        source: { orgId, name: 'Incident City' },
        expired: true,
      }),
    ]);
    expect((await add({ type: 'domain-name', value: 'EVIL.example.com' })).statusCode).toBe(201);
    expect((await add({ type: 'file', value: hash.toUpperCase() })).statusCode).toBe(201);

    // The same observable twice is a conflict; malformed values, a hash algorithm on a domain and the future are
    // refused with the field named; a viewer cannot add.
    expect((await add({ type: 'domain-name', value: 'evil.example.com' })).statusCode).toBe(409);
    const bad = await add({ type: 'ipv4-addr', value: '999.1.1.1' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ path: 'value' });
    expect((await add({ type: 'domain-name', value: 'x.example', hashAlgorithm: 'MD5' })).statusCode).toBe(
      422,
    );
    expect((await add({ type: 'url', value: 'http://x.example/', seenAt: hoursAgo(-2) })).statusCode).toBe(
      422,
    );
    expect((await add({ type: 'url', value: 'http://x.example/' }, viewer)).statusCode).toBe(403);

    const list = (await env.call(viewer, { method: 'GET', url: obsUrl })).json();
    expect(list.total).toBe(3);
    const byType = Object.fromEntries(list.items.map((o: { type: string }) => [o.type, o]));
    // The other city's TLP:RED indicator matches the domain, but this organization may not see it: no hit.
    expect(byType['domain-name'].hits).toEqual([]);
    expect(JSON.stringify(list)).not.toContain('OBS-CANARY');
    expect(byType.file.value).toBe(`SHA-256:${hash}`);
    expect(byType.file.hits).toEqual([
      expect.objectContaining({
        indicatorId: loader.id,
        tlp: 'clear',
        source: { orgId: otherId, name: 'Other City' },
      }),
    ]);
    expect(list.check).toMatchObject({ truncated: false, unusable: 0 });
    expect((await env.call(viewer, { method: 'GET', url: `${obsUrl}?q=vpn` })).json().total).toBe(1);

    // The owner of the RED indicator, in its own incident, does see the hit.
    const theirs = (
      await env.call(outsider, {
        method: 'POST',
        url: `/api/v1/orgs/${otherId}/incidents`,
        payload: { title: 'Their phishing', type: 'data-breach' },
      })
    ).json();
    const their = (
      await env.call(outsider, {
        method: 'POST',
        url: `/api/v1/orgs/${otherId}/incidents/${theirs.id}/observables`,
        payload: { type: 'domain-name', value: 'evil.example.com' },
      })
    ).json();
    expect(their.hits.map((h: { indicatorId: string; tlp: string }) => [h.indicatorId, h.tlp])).toEqual([
      [secret.id, 'red'],
    ]);
    // Same value, same deterministic id in both organizations.
    expect(their.stixId).toBe(byType['domain-name'].stixId);

    // Foreign readers get 404; removal is recorded.
    expect((await env.call(outsider, { method: 'GET', url: obsUrl })).statusCode).toBe(404);
    const del = await env.call(analyst, { method: 'DELETE', url: `${obsUrl}/${ipObs.id}` });
    expect(del.statusCode).toBe(204);
    expect((await env.call(analyst, { method: 'DELETE', url: `${obsUrl}/${ipObs.id}` })).statusCode).toBe(
      404,
    );
    const tl = (
      await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/timeline?q=Observable`) })
    ).json();
    expect(tl.items.map((e: { text: string }) => e.text)).toContain(
      'Observable removed: ipv4-addr 198.51.100.7',
    );
  });

  it('exports a STIX bundle with the Incident Core Extension, stripped by TLP and choice, and publishes it', async () => {
    const importAs = async (user: TestUser, org: string, objects: unknown[]) => {
      const r = await env.call(user, {
        method: 'POST',
        url: `/api/v1/orgs/${org}/intel/bundles`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(bundleOf(objects)),
      });
      expect(r.statusCode, r.body).toBe(200);
    };
    const ownAmber = indicator('Share own amber', 'amber', { pattern: "[ipv4-addr:value = '192.0.2.10']" });
    const ownRed = indicator('Share own red', 'red', {
      pattern: "[domain-name:value = 'share-red.example']",
    });
    await importAs(admin, orgId, [ownAmber, ownRed]);
    const theirClear = indicator('Share their clear', 'clear', {
      pattern: "[url:value = 'http://share.example/x']",
    });
    const theirAmber = indicator('Share their amber', 'amber', {
      pattern: "[ipv4-addr:value = '192.0.2.10']",
    });
    await importAs(outsider, otherId, [theirClear, theirAmber]);
    // Make the other city's AMBER indicator readable here: shared by name to this city through a community.
    const mkCommunity = async (name: string, members: string[]) => {
      const c = (
        await env.call(env.admin, {
          method: 'POST',
          url: '/api/v1/orgs',
          payload: { kind: 'community', name },
        })
      ).json();
      for (const m of members) {
        const r = await env.call(env.admin, {
          method: 'POST',
          url: `/api/v1/orgs/${c.id}/community-members`,
          payload: { memberOrgId: m },
        });
        expect(r.statusCode).toBe(201);
      }
      return c.id as string;
    };
    const peer = await env.org('Peer City');
    const peerViewer = await env.user('viewer@peer.test', { orgId: peer.id, role: 'viewer' });
    const communityId = await mkCommunity('Share Community', [orgId, otherId, peer.id]);
    const lonely = await mkCommunity('Lonely Community', [peer.id]);
    const shared = await env.call(outsider, {
      method: 'POST',
      url: `/api/v1/orgs/${otherId}/intel/objects/${encodeURIComponent(theirAmber.id)}/shares`,
      payload: { targetOrgId: orgId },
    });
    expect(shared.statusCode, shared.body).toBe(201);

    const inc = await open({
      playbook: undefined,
      summary: 'SHARE-SUMMARY internal detail',
      severity: SEVERITY,
      tlp: 'green',
      attackTechniques: ['T1486', 't1078.002'],
    });
    expect(inc.attackTechniques).toEqual(['T1486', 'T1078.002']);
    for (const [type, value] of [
      ['ipv4-addr', '192.0.2.10'],
      ['domain-name', 'share-red.example'],
      ['url', 'http://share.example/x'],
    ]) {
      const r = await env.call(analyst, {
        method: 'POST',
        url: url(`/${inc.id}/observables`),
        payload: { type, value, note: 'SHARE-NOTE' },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const stix = async (query = '') =>
      env.call(viewer, { method: 'GET', url: url(`/${inc.id}/stix${query}`) });
    const full = (await stix('?tlp=amber')).json();
    const check = validateBundle(full, { unresolvedReferences: 'error' });
    expect(check.errors).toEqual([]);
    expect(check.valid).toBe(true);
    const ofType = (b: { objects: Record<string, unknown>[] }, t: string) =>
      b.objects.filter((o) => o.type === t);
    const [incident] = ofType(full, 'incident');
    expect(incident.id).toBe(`incident--${inc.id}`);
    expect(incident.description).toBe('SHARE-SUMMARY internal detail');
    const ext = (incident.extensions as Record<string, Record<string, unknown>>)[INCIDENT_CORE_EXTENSION_ID];
    expect(ext).toMatchObject({
      extension_type: 'property-extension',
      determination: 'suspected',
      investigation_status: 'new',
      incident_types: ['ransomware'],
      recoverability: 'extended',
      criticality: Math.round(inc.severity.score),
    });
    expect(incident.external_references).toEqual([
      {
        source_name: 'mitre-attack',
        external_id: 'T1486',
        url: 'https://attack.mitre.org/techniques/T1486/',
      },
      {
        source_name: 'mitre-attack',
        external_id: 'T1078.002',
        url: 'https://attack.mitre.org/techniques/T1078/002/',
      },
    ]);
    const indicatorIds = ofType(full, 'indicator').map((o) => o.id);
    // Own AMBER travels in an AMBER bundle; own RED is stricter; another city's AMBER is never passed on.
    expect(indicatorIds.sort()).toEqual([ownAmber.id, theirClear.id].sort());
    expect(
      ofType(full, 'sighting')
        .map((o) => o.sighting_of_ref)
        .sort(),
    ).toEqual([ownAmber.id, theirClear.id].sort());
    expect(ofType(full, 'observed-data')).toHaveLength(3);
    expect(JSON.stringify(full)).not.toContain('SHARE-NOTE');
    for (const o of full.objects.filter(
      (x: { type: string }) => x.type !== 'marking-definition' && x.type !== 'indicator',
    )) {
      expect(o.object_marking_refs, o.id).toEqual([
        'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
      ]);
    }

    // GREEN, the incident's own marking: the own AMBER indicator and its sighting are stripped; the user's
    // choices strip the rest.
    const green = (await stix('?description=false&exclude=' + ofType(full, 'domain-name')[0].id)).json();
    expect(validateBundle(green, { unresolvedReferences: 'error' }).errors).toEqual([]);
    expect(ofType(green, 'indicator').map((o) => o.id)).toEqual([theirClear.id]);
    expect(ofType(green, 'incident')[0].description).toBeUndefined();
    expect(ofType(green, 'domain-name')).toEqual([]);
    expect(ofType(green, 'sighting').map((o) => o.sighting_of_ref)).toEqual([theirClear.id]);
    const noSightings = (await stix('?sightings=false&indicators=false')).json();
    expect(ofType(noSightings, 'sighting')).toEqual([]);
    expect(ofType(noSightings, 'indicator')).toEqual([]);
    // Looser than the incident's own TLP is refused.
    const loose = await stix('?tlp=clear');
    expect(loose.statusCode).toBe(422);
    expect(loose.json().errors[0].path).toBe('tlp');
    expect((await env.call(outsider, { method: 'GET', url: url(`/${inc.id}/stix`) })).statusCode).toBe(404);

    // Publishing: viewers may not; RED, exercises and foreign communities are refused and nothing is shared.
    const share = (payload: Record<string, unknown>, user: TestUser = analyst) =>
      env.call(user, { method: 'POST', url: url(`/${inc.id}/share`), payload });
    expect((await share({ communityId }, viewer)).statusCode).toBe(403);
    expect((await share({ communityId, tlp: 'red' })).statusCode).toBe(422);
    expect((await share({ communityId: lonely })).json().errors[0].path).toBe('communityId');
    const drill = await open({ playbook: undefined, exercise: true });
    expect(
      (await env.call(analyst, { method: 'POST', url: url(`/${drill.id}/share`), payload: { communityId } }))
        .statusCode,
    ).toBe(422);
    const peerSees = async () =>
      (
        await env.call(peerViewer, {
          method: 'GET',
          url: `/api/v1/orgs/${peer.id}/intel/objects?type=incident&limit=100`,
        })
      )
        .json()
        .items.map((o: { stixId: string }) => o.stixId);
    expect(await peerSees()).not.toContain(`incident--${inc.id}`);

    const res = await share({ communityId, description: false, tlp: 'amber' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      community: { id: communityId, name: 'Share Community' },
      tlp: 'amber',
    });
    expect(await peerSees()).toContain(`incident--${inc.id}`);
    const got = (
      await env.call(peerViewer, {
        method: 'GET',
        url: `/api/v1/orgs/${peer.id}/intel/objects/incident--${inc.id}`,
      })
    ).json();
    expect(got.object.description).toBeUndefined();
    expect(got.object.extensions[INCIDENT_CORE_EXTENSION_ID].investigation_status).toBe('new');
    // The community member sees the sightings of the shared indicator, not the RED one.
    const peerIndicators = (
      await env.call(peerViewer, {
        method: 'GET',
        url: `/api/v1/orgs/${peer.id}/intel/objects?type=indicator&limit=500`,
      })
    )
      .json()
      .items.map((o: { stixId: string }) => o.stixId);
    expect(peerIndicators).toContain(ownAmber.id);
    expect(peerIndicators).not.toContain(ownRed.id);
    // The other city's indicator was referenced, not copied as this city's.
    const copy = (
      await env.call(viewer, {
        method: 'GET',
        url: `/api/v1/orgs/${orgId}/intel/objects/${encodeURIComponent(theirClear.id)}`,
      })
    ).json();
    expect(copy.ownerOrgId).toBe(otherId);
    const tl = (await env.call(viewer, { method: 'GET', url: url(`/${inc.id}/timeline?q=Shared`) })).json();
    expect(tl.items[0].text).toContain('Share Community');
    // Publishing again changes nothing new.
    expect((await share({ communityId, description: false, tlp: 'amber' })).json().imported).toBe(0);
  });

  it('runs a tabletop exercise: scenario, injects by schedule or facilitator, exercise time, after-action', async () => {
    const base = `/api/v1/orgs/${orgId}`;
    const scenarios = (await env.call(viewer, { method: 'GET', url: `${base}/exercise-scenarios` })).json();
    expect(scenarios.items.map((x: { id: string }) => x.id).sort()).toEqual([
      'ransomware-city-hall',
      'water-plant-tampering',
    ]);
    const water = scenarios.items.find((x: { id: string }) => x.id === 'water-plant-tampering');
    const plan = (payload: Record<string, unknown>, user: TestUser = analyst) =>
      env.call(user, { method: 'POST', url: `${base}/exercises`, payload });
    const metricsBefore = (await env.call(viewer, { method: 'GET', url: `${base}/incident-metrics` })).json();
    const listBefore = (await env.call(viewer, { method: 'GET', url: url() })).json().total;

    expect((await plan({ scenarioId: 'nope' })).json().errors[0].path).toBe('scenarioId');
    const badRole = await plan({ scenarioId: water.id, participants: [{ name: 'X', role: 'astronaut' }] });
    expect(badRole.json().errors[0].path).toBe('participants.0.role');
    expect((await plan({ scenarioId: water.id, facilitatorId: outsider.id })).statusCode).toBe(422);
    expect((await plan({ scenarioId: water.id }, viewer)).statusCode).toBe(403);

    const res = await plan({
      scenarioId: water.id,
      facilitatorId: admin.id,
      participants: [{ name: 'Ana', role: water.participants[0], userId: analyst.id }],
      timeScale: 60,
      timeZone: 'America/Denver',
    });
    expect(res.statusCode, res.body).toBe(201);
    const planned = res.json();
    expect(planned.state).toBe('planned');
    const id = planned.incidentId;
    const exUrl = url(`/${id}/exercise`);
    const inc = (await env.call(viewer, { method: 'GET', url: url(`/${id}`) })).json();
    expect(inc).toMatchObject({ exercise: true, type: water.incidentType, tlp: 'green' });
    const lastInject = water.injects[water.injects.length - 1].id;
    const release = (injectId: string) =>
      env.call(analyst, { method: 'POST', url: `${exUrl}/injects/${injectId}/release` });
    expect((await release(lastInject)).statusCode).toBe(409);

    const started = (await env.call(analyst, { method: 'POST', url: `${exUrl}/start` })).json();
    expect(started.state).toBe('running');
    expect((await env.call(analyst, { method: 'POST', url: `${exUrl}/start` })).statusCode).toBe(409);
    const t0 = new Date(started.startedAt).getTime();

    // Clocks run in exercise time: ten real minutes at 60× are ten exercise hours.
    const system = { db: env.database.db, actor: SYSTEM_ACTOR };
    const clocks = await incidentsService.clocks(system, orgId, id, new Date(t0 + 10 * 60_000));
    expect(clocks.now.getTime()).toBe(t0 + 10 * 3600_000);

    // The facilitator releases the last inject ahead of time; the schedule releases the ones due after one real
    // minute (60 exercise minutes).
    const early = await release(lastInject);
    expect(early.statusCode, early.body).toBe(200);
    expect((await release(lastInject)).statusCode).toBe(409);
    expect((await release('zz-i99')).statusCode).toBe(404);
    await exercisesService.releaseDue(system, new Date(t0 + 60_000));
    const view = (await env.call(viewer, { method: 'GET', url: exUrl })).json();
    const due = water.injects
      .filter((i: { offsetMinutes: number }) => i.offsetMinutes <= 60)
      .map((i: { id: string }) => i.id);
    const byId = Object.fromEntries(view.injects.map((i: { id: string }) => [i.id, i]));
    for (const injectId of due)
      expect(byId[injectId]).toMatchObject({ status: 'released', releasedMode: 'schedule' });
    expect(byId[lastInject]).toMatchObject({ status: 'released', releasedMode: 'facilitator' });
    expect(view.injects.filter((i: { status: string }) => i.status === 'pending').length).toBe(
      water.injects.length - due.length - 1,
    );
    const tl = (await env.call(viewer, { method: 'GET', url: url(`/${id}/timeline?q=Inject`) })).json();
    expect(tl.total).toBe(due.length + 1);

    // After-action report: what worked, gaps, decisions, and improvement actions tracked to completion.
    const review = (payload: Record<string, unknown>) =>
      env.call(analyst, { method: 'POST', url: `${exUrl}/review`, payload });
    expect(
      (await review({ kind: 'worked', text: 'Operators switched to manual control within minutes' }))
        .statusCode,
    ).toBe(201);
    expect(
      (await review({ kind: 'gap', text: 'No offline copy of the PLC logic baseline' })).statusCode,
    ).toBe(201);
    expect(
      (await review({ kind: 'decision', text: 'Boil-water notice prepared, not issued' })).statusCode,
    ).toBe(201);
    expect((await review({ kind: 'gap', text: 'x'.repeat(10), dueAt: hoursAgo(-48) })).statusCode).toBe(422);
    expect(
      (await review({ kind: 'action', text: 'Keep signed PLC logic offline', assigneeId: outsider.id }))
        .statusCode,
    ).toBe(422);
    const action = (
      await review({
        kind: 'action',
        text: 'Keep signed PLC logic offline',
        assigneeId: analyst.id,
        dueAt: hoursAgo(-240),
      })
    ).json();
    expect(action.status).toBe('open');
    const openActions = (await env.call(viewer, { method: 'GET', url: `${base}/exercise-actions` })).json();
    expect(openActions.items.map((a: { id: string }) => a.id)).toContain(action.id);
    const done = await env.call(analyst, {
      method: 'PATCH',
      url: `${exUrl}/review/${action.id}`,
      payload: { status: 'done' },
    });
    expect(done.json().completedAt).not.toBeNull();
    expect(
      (await env.call(viewer, { method: 'GET', url: `${base}/exercise-actions` }))
        .json()
        .items.map((a: { id: string }) => a.id),
    ).not.toContain(action.id);
    expect(
      (await env.call(viewer, { method: 'GET', url: `${base}/exercise-actions?status=done` })).json().items[0]
        .id,
    ).toBe(action.id);

    const ended = (await env.call(analyst, { method: 'POST', url: `${exUrl}/end` })).json();
    expect(ended.state).toBe('ended');
    expect(ended.actions).toEqual({ open: 0, done: 1 });
    expect(ended.review).toHaveLength(4);
    expect((await env.call(analyst, { method: 'POST', url: `${exUrl}/end` })).statusCode).toBe(409);
    expect((await env.call(viewer, { method: 'GET', url: url(`/${id}`) })).json().status).toBe('closed');

    // Never counted as a real incident.
    expect((await env.call(viewer, { method: 'GET', url: url() })).json().total).toBe(listBefore);
    expect((await env.call(viewer, { method: 'GET', url: `${base}/incident-metrics` })).json()).toEqual(
      metricsBefore,
    );
    const only = (await env.call(viewer, { method: 'GET', url: url('?exercises=only') })).json();
    expect(only.items.map((i: { id: string }) => i.id)).toContain(id);

    // Another organization sees nothing; a real incident has no exercise.
    expect((await env.call(outsider, { method: 'GET', url: exUrl })).statusCode).toBe(404);
    const realInc = await open({ playbook: undefined });
    expect((await env.call(viewer, { method: 'GET', url: url(`/${realInc.id}/exercise`) })).statusCode).toBe(
      404,
    );
  });

  it('ships the Example City with a closed ransomware incident, an open one and a completed exercise', async () => {
    const ctx = await env.database.db.transaction((tx) => loadExampleCity(tx, env.admin.id));
    const city = ctx.orgIds.city;
    const base = `/api/v1/orgs/${city}`;
    const real = (await env.call(env.admin, { method: 'GET', url: `${base}/incidents` })).json();
    expect(real.items).toHaveLength(2);
    const closed = real.items.find((i: { status: string }) => i.status === 'closed');
    expect(closed).toMatchObject({ type: 'ransomware', exercise: false });
    const open = real.items.find((i: { status: string }) => i.status !== 'closed');
    expect(open).toMatchObject({ type: 'account-compromise', status: 'containment', exercise: false });
    const running = (
      await env.call(env.admin, { method: 'GET', url: `${base}/incidents/${open.id}/clocks` })
    ).json();
    expect(running.clocks.find((c: { ruleId: string }) => c.ruleId === 'us-co-residents').status).toBe(
      'running',
    );
    // The open incident's mailbox is the Exchange system of the sample city model, not a dangling name.
    const openImpact = (
      await env.call(env.admin, { method: 'GET', url: `${base}/incidents/${open.id}/impact` })
    ).json();
    expect(openImpact.affected).toEqual([
      expect.objectContaining({ kind: 'system', name: 'Email (Exchange)', inModel: true }),
    ]);
    expect(open.attackTechniques).toContain('T1566.002');
    const id = closed.id;
    const inc = (await env.call(env.admin, { method: 'GET', url: `${base}/incidents/${id}` })).json();
    expect(inc.metrics.timeToRecoverMs).toBeGreaterThan(inc.metrics.timeToContainMs);
    expect(inc.affected.map((a: { name: string }) => a.name)).toEqual([
      'Building permits',
      'Permits portal (Accela)',
    ]);
    const impact = (
      await env.call(env.admin, { method: 'GET', url: `${base}/incidents/${id}/impact` })
    ).json();
    expect(impact.affected.every((a: { inModel: boolean }) => a.inModel)).toBe(true);
    expect(impact.cascade.services.length).toBeGreaterThan(0);
    const obs = (
      await env.call(env.admin, { method: 'GET', url: `${base}/incidents/${id}/observables` })
    ).json();
    expect(obs.items.find((o: { type: string }) => o.type === 'ipv4-addr').hits).toEqual([
      expect.objectContaining({ name: 'Sample: WaterLock command and control', tlp: 'amber+strict' }),
    ]);
    const tasks = (await env.call(env.admin, { method: 'GET', url: `${base}/incidents/${id}/tasks` })).json();
    expect(tasks.items.every((t: { status: string }) => t.status === 'done')).toBe(true);
    const clocks = (
      await env.call(env.admin, { method: 'GET', url: `${base}/incidents/${id}/clocks` })
    ).json();
    expect(clocks.clocks.filter((c: { status: string }) => c.status === 'met').length).toBeGreaterThanOrEqual(
      2,
    );
    expect(
      (await env.call(env.admin, { method: 'GET', url: `${base}/incident-clocks/overdue` })).json().total,
    ).toBe(0);
    const ex = (await env.call(env.admin, { method: 'GET', url: `${base}/incidents?exercises=only` })).json();
    expect(ex.items).toHaveLength(1);
    expect(ex.items[0].status).toBe('closed');
    const tl = (
      await env.call(env.admin, { method: 'GET', url: `${base}/incidents/${ex.items[0].id}/timeline` })
    ).json();
    expect(tl.items.filter((e: { kind: string }) => e.kind === 'inject').length).toBeGreaterThanOrEqual(5);
    const exercise = (
      await env.call(env.admin, { method: 'GET', url: `${base}/incidents/${ex.items[0].id}/exercise` })
    ).json();
    expect(exercise).toMatchObject({ state: 'ended', actions: { open: 1, done: 1 } });
    expect(exercise.injects.every((i: { status: string }) => i.status === 'released')).toBe(true);
    expect(new Set(exercise.review.map((r: { kind: string }) => r.kind))).toEqual(
      new Set(['worked', 'gap', 'decision', 'action']),
    );
  });
});
