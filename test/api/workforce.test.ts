import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';
import { GOPHISH_RESULTS } from '../helpers/gophish.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(() => env?.close());

interface City {
  id: string;
  it: string;
  water: string;
  admin: TestUser;
  url: string;
}

let n = 0;
async function city(): Promise<City> {
  const c = await env.org(`WF City ${++n}`);
  const it = await env.org(`WF IT ${n}`, 'department', c.id);
  const water = await env.org(`WF Water ${n}`, 'department', c.id);
  const admin = await env.user(`wf-admin-${n}@test.local`, { orgId: c.id, role: 'admin', inherit: true });
  return { id: c.id, it: it.id, water: water.id, admin, url: `/api/v1/orgs/${c.id}/workforce` };
}

async function addPerson(c: City, body: Record<string, unknown>) {
  const res = await env.call(c.admin, { method: 'POST', url: `${c.url}/people`, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const auditCount = async (c: City) =>
  (await env.call(env.admin, { method: 'GET', url: `/api/v1/orgs/${c.id}/audit?limit=500` })).json().items
    .length;

describe('people and roles', () => {
  it('creates people with NICE roles in a department and computes role gaps', async () => {
    const c = await city();
    const ana = await addPerson(c, {
      userName: 'ana@city.test',
      email: 'ana@city.test',
      displayName: 'Ana Soc',
      jobTitle: 'SOC analyst',
      departmentOrgId: c.it,
      workRoleIds: ['PD-WRL-001', 'PD-WRL-003'],
      competencyIds: ['NF-COM-010'],
    });
    expect(ana.departmentName).toBe(`WF IT ${n}`);
    await addPerson(c, { userName: 'bo', displayName: 'Bo', workRoleIds: ['PD-WRL-001'], managerId: ana.id });
    const put = await env.call(c.admin, {
      method: 'PUT',
      url: `${c.url}/roles`,
      payload: {
        needs: [
          { roleId: 'PD-WRL-001', count: 2 },
          { roleId: 'DD-WRL-009', count: 1 },
        ],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const cov = put.json();
    expect(
      cov.gaps.map((g: { roleId: string; assigned: number; gap: number }) => [g.roleId, g.assigned, g.gap]),
    ).toEqual([
      ['PD-WRL-001', 2, 0],
      ['DD-WRL-009', 0, 1],
    ]);
    expect(cov.coverage).toBeCloseTo(2 / 3, 3);
    const list = (await env.call(c.admin, { method: 'GET', url: `${c.url}/people?q=soc` })).json();
    expect(list.total).toBe(1);
    expect(list.items[0].userName).toBe('ana@city.test');
  });

  it('refuses unknown work roles, foreign departments, duplicates and unknown fields, writing nothing', async () => {
    const c = await city();
    const other = await city();
    const before = await auditCount(c);
    const bad = [
      { userName: 'x', displayName: 'X', workRoleIds: ['PD-WRL-999'] },
      { userName: 'x', displayName: 'X', departmentOrgId: other.it },
      { userName: 'x', displayName: 'X', competencyIds: ['NF-COM-099'] },
      { userName: 'x', displayName: 'X', shoeSize: 42 },
    ];
    for (const payload of bad) {
      const res = await env.call(c.admin, { method: 'POST', url: `${c.url}/people`, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    await addPerson(c, { userName: 'x', displayName: 'X' });
    const dup = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/people`,
      payload: { userName: 'X', displayName: 'Y' },
    });
    expect(dup.statusCode).toBe(409);
    const twice = await env.call(c.admin, {
      method: 'PUT',
      url: `${c.url}/roles`,
      payload: {
        needs: [
          { roleId: 'PD-WRL-001', count: 1 },
          { roleId: 'PD-WRL-001', count: 2 },
        ],
      },
    });
    expect(twice.statusCode).toBe(422);
    expect(await auditCount(c)).toBe(before + 1);
  });

  it('lets viewers read but not write, and hides other organizations', async () => {
    const c = await city();
    const other = await city();
    const viewer = await env.user(`wf-viewer-${n}@test.local`, { orgId: c.id, role: 'viewer' });
    await addPerson(c, { userName: 'seen', displayName: 'Seen' });
    expect((await env.call(viewer, { method: 'GET', url: `${c.url}/people` })).json().total).toBe(1);
    const write = await env.call(viewer, {
      method: 'POST',
      url: `${c.url}/people`,
      payload: { userName: 'n', displayName: 'N' },
    });
    expect(write.statusCode).toBe(403);
    const foreign = await addPerson(other, { userName: 'hidden', displayName: 'Hidden' });
    expect((await env.call(c.admin, { method: 'GET', url: `${other.url}/people` })).statusCode).toBe(404);
    expect(
      (await env.call(c.admin, { method: 'GET', url: `${c.url}/people/${foreign.id}` })).statusCode,
    ).toBe(404);
    expect(
      (await env.call(c.admin, { method: 'DELETE', url: `${c.url}/people/${foreign.id}` })).statusCode,
    ).toBe(404);
  });
});

describe('staff import', () => {
  const csv = (dept: string) =>
    [
      'user_name,email,display_name,job_title,department,manager,work_roles,ot_staff',
      `lee,lee@city.test,Lee Chief,CISO,WF IT ${n},,OG-WRL-007,no`,
      `kim,kim@city.test,Kim Ops,SCADA engineer,${dept},lee,DD-WRL-009;PD-WRL-001,yes`,
    ].join('\n');

  it('previews, then imports in one transaction with managers resolved', async () => {
    const c = await city();
    const preview = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/people/import`,
      payload: { csv: csv(`WF Water ${n}`) },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ committed: false, rows: 2, created: 2, errors: [] });
    expect((await env.call(c.admin, { method: 'GET', url: `${c.url}/people` })).json().total).toBe(0);
    const done = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/people/import`,
      payload: { csv: csv(`WF Water ${n}`), commit: true },
    });
    expect(done.json().committed).toBe(true);
    const people = (await env.call(c.admin, { method: 'GET', url: `${c.url}/people` })).json().items;
    const kim = people.find((p: { userName: string }) => p.userName === 'kim');
    const lee = people.find((p: { userName: string }) => p.userName === 'lee');
    expect(kim).toMatchObject({
      managerId: lee.id,
      departmentOrgId: c.water,
      otStaff: true,
      workRoleIds: ['DD-WRL-009', 'PD-WRL-001'],
    });
  });

  it('reports unknown departments per row and imports nothing', async () => {
    const c = await city();
    const preview = (
      await env.call(c.admin, {
        method: 'POST',
        url: `${c.url}/people/import`,
        payload: { csv: csv('Parks') },
      })
    ).json();
    expect(preview.errors).toEqual([{ row: 3, column: 'department', message: 'unknown department "Parks"' }]);
    const commit = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/people/import`,
      payload: { csv: csv('Parks'), commit: true },
    });
    expect(commit.statusCode).toBe(422);
    expect(commit.json().errors[0]).toEqual({
      path: 'row 3.department',
      message: 'unknown department "Parks"',
    });
    expect((await env.call(c.admin, { method: 'GET', url: `${c.url}/people` })).json().total).toBe(0);
  });

  it('reads XLSX', async () => {
    const c = await city();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Staff');
    ws.addRow(['User Name', 'Display Name', 'Department']);
    ws.addRow(['xl', 'Excel Person', `WF Water ${n}`]);
    const xlsxBase64 = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const res = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/people/import`,
      payload: { xlsxBase64, commit: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    const p = (await env.call(c.admin, { method: 'GET', url: `${c.url}/people` })).json().items[0];
    expect(p).toMatchObject({ userName: 'xl', displayName: 'Excel Person', departmentOrgId: c.water });
  });
});

describe('trainings', () => {
  it('assigns an audience, records completions by hand, API and LMS, and lists the overdue', async () => {
    const c = await city();
    const boss = await addPerson(c, {
      userName: 'boss',
      displayName: 'Boss',
      email: 'boss@city.test',
      departmentOrgId: c.it,
    });
    await addPerson(c, {
      userName: 'a',
      displayName: 'A',
      email: 'a@city.test',
      departmentOrgId: c.it,
      managerId: boss.id,
    });
    await addPerson(c, {
      userName: 'w',
      displayName: 'W',
      email: 'w@city.test',
      departmentOrgId: c.water,
      otStaff: true,
      managerId: boss.id,
    });
    await addPerson(c, { userName: 'gone', displayName: 'Gone', active: false });
    const t = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/trainings`,
      payload: {
        title: 'Annual awareness',
        topic: 'phishing',
        delivery: 'internal',
        durationMinutes: 45,
        audienceKind: 'everyone',
        dueAt: '2020-01-31T00:00:00Z',
        recurrence: 'annual',
      },
    });
    expect(t.statusCode, t.body).toBe(201);
    const tid = t.json().id;
    const assign = await env.call(c.admin, { method: 'POST', url: `${c.url}/trainings/${tid}/assign` });
    expect(assign.json()).toEqual({ created: 3 });
    expect(
      (await env.call(c.admin, { method: 'POST', url: `${c.url}/trainings/${tid}/assign` })).json(),
    ).toEqual({ created: 0 });

    const done = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/trainings/${tid}/completions`,
      payload: { userName: 'a', completedAt: '2020-01-15T10:00:00Z' },
    });
    expect(done.statusCode, done.body).toBe(200);
    const lms = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/trainings/${tid}/completions/import`,
      payload: {
        csv: 'Learner Email,Completion Date\nboss@city.test,2020-02-10\nnobody@city.test,2020-02-10\n',
      },
    });
    expect(lms.json()).toEqual({
      completed: 1,
      errors: [{ row: 3, column: 'learneremail', message: 'unknown person "nobody@city.test"' }],
    });
    const items = (
      await env.call(c.admin, { method: 'GET', url: `${c.url}/trainings/${tid}/assignments` })
    ).json().items;
    const a = items.filter((x: { personName: string }) => x.personName === 'A');
    // Annual: completing 2020 adds the 2021 duty.
    expect(
      a
        .map((x: { dueAt: string; completionSource: string | null }) => [
          x.dueAt.slice(0, 10),
          x.completionSource,
        ])
        .sort(),
    ).toEqual([
      ['2020-01-31', 'api'],
      ['2021-01-31', null],
    ]);
    const overdue = (await env.call(c.admin, { method: 'GET', url: `${c.url}/overdue` })).json();
    // W never completed 2020; A and Boss have 2021 duties, also past.
    expect(overdue.items).toHaveLength(3);
    expect(overdue.byManager.find((m: { name: string }) => m.name === 'Boss').overdue).toBe(2);
    expect(
      overdue.byDepartment.find((d: { departmentOrgId: string }) => d.departmentOrgId === c.water).overdue,
    ).toBe(1);
    const list = (await env.call(c.admin, { method: 'GET', url: `${c.url}/trainings` })).json().items[0];
    expect(list).toMatchObject({ assigned: 5, completed: 2, overdue: 3 });
  });

  it('targets OT staff and refuses a department audience without a department', async () => {
    const c = await city();
    await addPerson(c, { userName: 'ot', displayName: 'OT', otStaff: true });
    await addPerson(c, { userName: 'office', displayName: 'Office' });
    const bad = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/trainings`,
      payload: {
        title: 'D',
        delivery: 'external',
        durationMinutes: 60,
        audienceKind: 'department',
        dueAt: '2030-01-01T00:00:00Z',
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toContain('audienceDepartmentOrgId');
    const t = (
      await env.call(c.admin, {
        method: 'POST',
        url: `${c.url}/trainings`,
        payload: {
          title: 'ICS',
          delivery: 'external',
          durationMinutes: 480,
          audienceKind: 'ot',
          dueAt: '2030-01-01T00:00:00Z',
        },
      })
    ).json();
    expect(
      (await env.call(c.admin, { method: 'POST', url: `${c.url}/trainings/${t.id}/assign` })).json(),
    ).toEqual({ created: 1 });
  });
});

describe('phishing simulations', () => {
  async function staffed() {
    const c = await city();
    await addPerson(c, { userName: 'a', displayName: 'A', email: 'a@city.test', departmentOrgId: c.it });
    await addPerson(c, { userName: 'w', displayName: 'W', email: 'w@city.test', departmentOrgId: c.water });
    await addPerson(c, {
      userName: 'boss',
      displayName: 'Boss',
      email: 'boss@city.test',
      departmentOrgId: c.it,
    });
    return c;
  }

  it('imports a gophish results export, enrolls clickers, and computes rates per department', async () => {
    const c = await staffed();
    const t = (
      await env.call(c.admin, {
        method: 'POST',
        url: `${c.url}/trainings`,
        payload: {
          title: 'Phishing refresher',
          delivery: 'internal',
          durationMinutes: 20,
          audienceKind: 'everyone',
          dueAt: '2030-01-01T00:00:00Z',
        },
      })
    ).json();
    const res = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/phishing/import`,
      payload: { name: 'March lure', csv: GOPHISH_RESULTS, enrollTrainingId: t.id },
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r.campaign).toMatchObject({
      recipients: 4,
      clicked: 2,
      reported: 1,
      launchedAt: '2026-03-02T09:00:00.000Z',
    });
    expect(r.unmatched).toEqual(['x@elsewhere.test']);
    expect(r.enrolled).toBe(2);
    const assigned = (
      await env.call(c.admin, { method: 'GET', url: `${c.url}/trainings/${t.id}/assignments` })
    ).json().items;
    expect(assigned.map((a: { personName: string }) => a.personName).sort()).toEqual(['Boss', 'W']);
    expect(assigned[0].reason).toBe('phishing: March lure');
    const m = (await env.call(c.admin, { method: 'GET', url: `${c.url}/phishing-metrics` })).json();
    expect(m.overall).toMatchObject({
      recipients: 4,
      clicked: 2,
      submitted: 1,
      reported: 1,
      clickRate: 0.5,
      reportRate: 0.25,
      medianMinutesToReport: 10,
    });
    const it = m.byDepartment.find((d: { departmentOrgId: string }) => d.departmentOrgId === c.it);
    expect(it).toMatchObject({ recipients: 2, clicked: 1, clickRate: 0.5 });
    expect(m.overTime).toHaveLength(1);
    const dash = (await env.call(c.admin, { method: 'GET', url: `${c.url}/dashboard` })).json();
    expect(dash.phishingTrend[0].clickRate).toBe(0.5);
  });

  it('reads the raw events export with exact times and never keeps the submitted details', async () => {
    const c = await staffed();
    const csv = [
      'campaign_id,email,time,message,details',
      '7,a@city.test,2026-04-01T08:00:00Z,Campaign Created,',
      '7,a@city.test,2026-04-01T08:00:00Z,Email Sent,{}',
      '7,w@city.test,2026-04-01T08:00:00Z,Email Sent,{}',
      '7,w@city.test,2026-04-01T08:05:00Z,Clicked Link,"{""browser"":{}}"',
      '7,w@city.test,2026-04-01T08:06:00Z,Submitted Data,"{""payload"":{""password"":[""Hunter2-SECRET""]}}"',
      '7,a@city.test,2026-04-01T08:45:00Z,Email Reported,{}',
    ].join('\n');
    const res = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/phishing/import`,
      payload: { name: 'April', csv },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().droppedColumns).toEqual(['details']);
    const m = (await env.call(c.admin, { method: 'GET', url: `${c.url}/phishing-metrics` })).json();
    expect(m.overall).toMatchObject({
      recipients: 2,
      clicked: 1,
      submitted: 1,
      reported: 1,
      medianMinutesToReport: 45,
    });
    const audit = await env.call(env.admin, { method: 'GET', url: `/api/v1/orgs/${c.id}/audit?limit=100` });
    expect(audit.body).not.toContain('Hunter2');
    const dump = await env.database.db.execute('select * from phishing_results');
    expect(JSON.stringify(dump)).not.toContain('Hunter2');
  });

  it('refuses an export with missing columns and writes nothing', async () => {
    const c = await staffed();
    const res = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/phishing/import`,
      payload: { name: 'Broken', csv: 'id,email,first_name\n1,a@city.test,A\n' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain('missing columns status, send_date');
    const bad = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/phishing/import`,
      payload: { name: 'Bad date', csv: GOPHISH_RESULTS.replace('2026-03-02T09:20:00Z', 'yesterday') },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([
      { path: 'row 3.modified_date', message: '"yesterday" is not a date and time' },
    ]);
    expect((await env.call(c.admin, { method: 'GET', url: `${c.url}/phishing` })).json().total).toBe(0);
  });
});

describe('public awareness campaigns', () => {
  it('records reach and engagement and refuses an end before the start', async () => {
    const c = await city();
    const body = {
      title: 'Cyber Safe Seniors',
      audience: 'Residents over 65',
      channels: ['library talks', 'radio'],
      startsAt: '2026-10-01T00:00:00Z',
      endsAt: '2026-10-31T00:00:00Z',
      reach: 12000,
      engagement: 340,
      materials: [{ title: 'Leaflet', url: 'https://example.org/leaflet.pdf' }],
    };
    expect(
      (await env.call(c.admin, { method: 'POST', url: `${c.url}/awareness`, payload: body })).statusCode,
    ).toBe(201);
    const bad = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/awareness`,
      payload: { ...body, endsAt: '2026-09-01T00:00:00Z' },
    });
    expect(bad.statusCode).toBe(422);
    const list = (await env.call(c.admin, { method: 'GET', url: `${c.url}/awareness?q=seniors` })).json();
    expect(list.items[0]).toMatchObject({
      reach: 12000,
      engagement: 340,
      channels: ['library talks', 'radio'],
    });
  });
});

describe('gophish REST API import', () => {
  it('reads a campaign timeline from a gophish server, and reports a refused key', async () => {
    const { createServer } = await import('node:http');
    const seen: string[] = [];
    const gophish = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      if (req.headers.authorization !== 'Bearer gophish-key') {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"success":false,"message":"Invalid API Key"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 3,
          name: 'Invoice lure',
          status: 'Completed',
          results: [],
          timeline: [
            { email: '', time: '2026-05-04T08:00:00Z', message: 'Campaign Created', details: '' },
            { email: 'a@city.test', time: '2026-05-04T08:00:01Z', message: 'Email Sent', details: '' },
            { email: 'w@city.test', time: '2026-05-04T08:00:02Z', message: 'Email Sent', details: '' },
            { email: 'w@city.test', time: '2026-05-04T08:03:00Z', message: 'Clicked Link', details: '{}' },
            {
              email: 'w@city.test',
              time: '2026-05-04T08:04:00Z',
              message: 'Submitted Data',
              details: '{"payload":{"password":["Gophish-SECRET-9"]}}',
            },
            { email: 'a@city.test', time: '2026-05-04T08:20:01Z', message: 'Email Reported', details: '' },
          ],
        }),
      );
    });
    await new Promise<void>((r) => gophish.listen(0, '127.0.0.1', r));
    const baseUrl = `http://127.0.0.1:${(gophish.address() as { port: number }).port}`;
    try {
      const c = await city();
      await addPerson(c, { userName: 'w', displayName: 'W', email: 'w@city.test', departmentOrgId: c.water });
      const refused = await env.call(c.admin, {
        method: 'POST',
        url: `${c.url}/phishing/import-gophish`,
        payload: { baseUrl, apiKey: 'wrong', campaignId: 3 },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().detail).toBe('The gophish server refused the API key');
      const res = await env.call(c.admin, {
        method: 'POST',
        url: `${c.url}/phishing/import-gophish`,
        payload: { baseUrl, apiKey: 'gophish-key', campaignId: 3 },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().campaign).toMatchObject({
        name: 'Invoice lure',
        source: 'gophish-api',
        recipients: 2,
        clicked: 1,
        reported: 1,
      });
      expect(seen.at(-1)).toBe('GET /api/campaigns/3/results Bearer gophish-key');
      const m = (await env.call(c.admin, { method: 'GET', url: `${c.url}/phishing-metrics` })).json();
      expect(m.overall.medianMinutesToReport).toBe(20);
      const dump = await env.database.db.execute('select * from phishing_results');
      expect(JSON.stringify(dump)).not.toContain('Gophish-SECRET-9');
      const bad = await env.call(c.admin, {
        method: 'POST',
        url: `${c.url}/phishing/import-gophish`,
        payload: { baseUrl: 'file:///etc/passwd', apiKey: 'k', campaignId: 3 },
      });
      expect(bad.statusCode).toBe(422);
    } finally {
      gophish.close();
    }
  });
});

describe('editing trainings, campaigns and awareness', () => {
  it('edits a training and its audience, refusing an audience without its target', async () => {
    const c = await city();
    const t = (
      await env.call(c.admin, {
        method: 'POST',
        url: `${c.url}/trainings`,
        payload: {
          title: 'Awareness 2026',
          delivery: 'internal',
          durationMinutes: 30,
          audienceKind: 'everyone',
          dueAt: '2026-12-01T00:00:00Z',
        },
      })
    ).json();
    const url = `${c.url}/trainings/${t.id}`;
    const ok = await env.call(c.admin, {
      method: 'PATCH',
      url,
      payload: { title: 'Awareness 2027', audienceKind: 'department', audienceDepartmentOrgId: c.water },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ title: 'Awareness 2027', audienceDepartmentOrgId: c.water });
    const noRole = await env.call(c.admin, { method: 'PATCH', url, payload: { audienceKind: 'role' } });
    expect(noRole.statusCode).toBe(422);
    expect(noRole.json().errors[0].path).toBe('audienceRoleId');
    const other = await city();
    const foreignDept = await env.call(c.admin, {
      method: 'PATCH',
      url,
      payload: { audienceDepartmentOrgId: other.water },
    });
    expect(foreignDept.statusCode).toBe(422);
    const list = (await env.call(c.admin, { method: 'GET', url: `${c.url}/trainings` })).json().items;
    expect(list[0]).toMatchObject({ title: 'Awareness 2027', audienceKind: 'department' });
    expect(list[0].audienceDepartmentOrgId).toBe(c.water);
    expect((await env.call(other.admin, { method: 'PATCH', url, payload: { title: 'x' } })).statusCode).toBe(
      404,
    );
  });

  it('renames an imported campaign, edits and deletes an awareness campaign; refuses reversed dates', async () => {
    const c = await city();
    const imported = await env.call(c.admin, {
      method: 'POST',
      url: `${c.url}/phishing/import`,
      payload: { name: 'March lure', csv: GOPHISH_RESULTS },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().campaign.id;
    const renamed = await env.call(c.admin, {
      method: 'PATCH',
      url: `${c.url}/phishing/${id}`,
      payload: { name: 'March invoice lure' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({
      name: 'March invoice lure',
      recipients: imported.json().campaign.recipients,
    });
    const results = await env.call(c.admin, {
      method: 'PATCH',
      url: `${c.url}/phishing/${id}`,
      payload: { name: 'x', clicked: 0 },
    });
    expect(results.statusCode).toBe(422);

    const a = (
      await env.call(c.admin, {
        method: 'POST',
        url: `${c.url}/awareness`,
        payload: {
          title: 'Scam season',
          audience: 'Residents over 65',
          startsAt: '2026-10-01T00:00:00Z',
          endsAt: '2026-10-31T00:00:00Z',
        },
      })
    ).json();
    const aUrl = `${c.url}/awareness/${a.id}`;
    const edited = await env.call(c.admin, {
      method: 'PATCH',
      url: aUrl,
      payload: { reach: 12_000, engagement: 800, channels: ['radio', 'libraries'] },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ reach: 12_000, engagement: 800, channels: ['radio', 'libraries'] });
    const reversed = await env.call(c.admin, {
      method: 'PATCH',
      url: aUrl,
      payload: { endsAt: '2026-09-01T00:00:00Z' },
    });
    expect(reversed.statusCode).toBe(422);
    expect(reversed.json().detail).toBe('The campaign would end (2026-09-01) before it starts (2026-10-01)');
    const viewer = await env.user(`wf-edit-viewer-${n}@test.local`, { orgId: c.id, role: 'viewer' });
    expect((await env.call(viewer, { method: 'DELETE', url: aUrl })).statusCode).toBe(403);
    expect((await env.call(c.admin, { method: 'DELETE', url: aUrl })).statusCode).toBe(204);
    expect((await env.call(c.admin, { method: 'GET', url: `${c.url}/awareness` })).json().total).toBe(0);
    const actions = (
      await env.call(env.admin, { method: 'GET', url: `/api/v1/orgs/${c.id}/audit?limit=500` })
    )
      .json()
      .items.map((e: { action: string }) => e.action);
    for (const x of ['phishing.update', 'awareness.update', 'awareness.delete']) expect(actions).toContain(x);
  });
});
