import { jobsRepository } from '../../src/server/modules/jobs/jobs.repository.js';
import type { TestEnv, TestUser } from '../helpers/app.js';
import { bundleOf, indicator } from '../helpers/stix.js';

export type Side = 'home' | 'foreign';

/**
 * What the walk needs to fill in path parameters. Each module that adds routes with new parameters adds a
 * resolver here: given the side, it returns an id of a real object of that side's organization.
 */
export interface WalkWorld {
  env: TestEnv;
  home: { orgId: string; childOrgId: string };
  foreign: { orgId: string };
  /** Text present in the foreign organization's data and nowhere else. */
  canary: string;
  users: Record<string, TestUser>;
  params: Record<string, (side: Side) => string>;
}

export type WorldExtension = (world: WalkWorld) => Promise<void>;

/** Modules register here what they need created in both organizations before the walk. */
export const WORLD_EXTENSIONS: WorldExtension[] = [
  async (w) => {
    const { env } = w;
    const homeMember = (
      await env.call(env.admin, {
        method: 'POST',
        url: `/api/v1/orgs/${w.home.orgId}/members`,
        payload: { email: 'walk-member@home.test', role: 'viewer' },
      })
    ).json();
    const foreignMember = (
      await env.call(env.admin, {
        method: 'POST',
        url: `/api/v1/orgs/${w.foreign.orgId}/members`,
        payload: { email: `${w.canary.toLowerCase()}@foreign.test`, role: 'viewer' },
      })
    ).json();
    const foreignUser = await env.user(`${w.canary.toLowerCase()}-tok@foreign.test`, {
      orgId: w.foreign.orgId,
      role: 'admin',
    });
    const foreignToken = (
      await env.call(foreignUser, { method: 'POST', url: '/api/v1/me/tokens', payload: { name: w.canary } })
    ).json();
    const job = await jobsRepository.insert(env.database.db, {
      name: 'walk.test',
      orgId: w.foreign.orgId,
      status: 'failed',
      payload: { canary: w.canary },
    });
    const jobId = String(job.id);
    w.params.membershipId = (side) => (side === 'home' ? homeMember.result.id : foreignMember.result.id);
    w.params.userId = (side) => (side === 'home' ? homeMember.result.user.id : foreignMember.result.user.id);
    w.params.tokenId = () => foreignToken.apiToken.id;
    w.params.jobId = () => jobId;
  },
  async (w) => {
    const { env } = w;
    const home = indicator('Walk home indicator', 'amber');
    const foreign = indicator(`${w.canary} indicator`, 'amber');
    for (const [orgId, obj] of [
      [w.home.orgId, home],
      [w.foreign.orgId, foreign],
    ] as const) {
      const res = await env.call(env.admin, {
        method: 'POST',
        url: `/api/v1/orgs/${orgId}/intel/bundles`,
        payload: bundleOf([obj]),
      });
      if (res.json().imported !== 1) throw new Error(`walk fixture import failed: ${res.body}`);
    }
    const feeds: Record<string, string> = {};
    for (const [side, orgId] of [
      ['home', w.home.orgId],
      ['foreign', w.foreign.orgId],
    ] as const) {
      const res = await env.call(env.admin, {
        method: 'POST',
        url: `/api/v1/orgs/${orgId}/intel/feeds`,
        payload: {
          name: side === 'home' ? 'Walk feed' : `${w.canary} feed`,
          apiRoot: 'https://taxii.invalid/api/',
          collectionId: 'walk',
        },
      });
      feeds[side] = res.json().id;
    }
    w.params.feedId = (side) => feeds[side];
    w.params.stixId = (side) => (side === 'home' ? home.id : foreign.id);
    w.params.targetOrgId = (side) => (side === 'home' ? w.home.childOrgId : w.foreign.orgId);
    w.params.memberOrgId = (side) => (side === 'home' ? w.home.childOrgId : w.foreign.orgId);
  },
  async (w) => {
    const { env } = w;
    const ids: Record<Side, { documentId: string; assessmentId: string; evidenceId: string }> = {
      home: { documentId: '', assessmentId: '', evidenceId: '' },
      foreign: { documentId: '', assessmentId: '', evidenceId: '' },
    };
    for (const side of ['home', 'foreign'] as const) {
      const orgId = side === 'home' ? w.home.orgId : w.foreign.orgId;
      const label = side === 'home' ? 'Walk' : w.canary;
      const base = `/api/v1/orgs/${orgId}`;
      const [catalog] = (
        await env.call(env.admin, { method: 'POST', url: `${base}/catalogs/city-baseline`, payload: {} })
      ).json().items;
      const assessment = (
        await env.call(env.admin, {
          method: 'POST',
          url: `${base}/assessments`,
          payload: { title: `${label} assessment`, documentId: catalog.id },
        })
      ).json();
      await env.call(env.admin, {
        method: 'PUT',
        url: `${base}/assessments/${assessment.id}/results`,
        payload: { requirementId: 'CWB-GV-01', status: 'implemented', notes: label },
      });
      const evidence = (
        await env.call(env.admin, {
          method: 'POST',
          url: `${base}/assessments/${assessment.id}/evidence/links`,
          payload: {
            requirementId: 'CWB-GV-01',
            title: `${label} evidence`,
            url: 'https://evidence.example.test/',
            effectiveDate: '2026-01-01T00:00:00Z',
            expiresAt: '2026-02-01T00:00:00Z',
          },
        })
      ).json();
      if (!evidence.id) throw new Error(`walk fixture: evidence not created: ${JSON.stringify(evidence)}`);
      ids[side] = { documentId: catalog.id, assessmentId: assessment.id, evidenceId: evidence.id };
    }
    w.params.documentId = (side) => ids[side].documentId;
    w.params.assessmentId = (side) => ids[side].assessmentId;
    w.params.evidenceId = (side) => ids[side].evidenceId;
  },
  async (w) => {
    const { env } = w;
    const make = async (side: 'home' | 'foreign') => {
      const orgId = side === 'home' ? w.home.orgId : w.foreign.orgId;
      const label = side === 'home' ? 'Home' : w.canary;
      const base = `/api/v1/orgs/${orgId}/assets`;
      const service = (
        await env.call(env.admin, {
          method: 'POST',
          url: `${base}/services`,
          payload: { name: `${label} service`, owner: label },
        })
      ).json();
      const system = (
        await env.call(env.admin, {
          method: 'POST',
          url: `${base}/systems`,
          payload: { name: `${label} system`, kind: 'it', vendor: label },
        })
      ).json();
      const dependency = (
        await env.call(env.admin, {
          method: 'POST',
          url: `${base}/dependencies`,
          payload: {
            fromKind: 'service',
            fromId: service.id,
            toKind: 'system',
            toId: system.id,
            type: 'runs_on',
            description: label,
          },
        })
      ).json();
      return { service: service.id, system: system.id, dependency: dependency.id };
    };
    const home = await make('home');
    const foreign = await make('foreign');
    const pick = (key: keyof typeof home) => (side: 'home' | 'foreign') =>
      side === 'home' ? home[key] : foreign[key];
    w.params.serviceId = pick('service');
    w.params.systemId = pick('system');
    w.params.dependencyId = pick('dependency');
  },
  async (w) => {
    const { env } = w;
    const make = async (side: 'home' | 'foreign') => {
      const orgId = side === 'home' ? w.home.orgId : w.foreign.orgId;
      const label = side === 'home' ? 'Home' : w.canary;
      const post = (path: string, payload: Record<string, unknown>) =>
        env
          .call(env.admin, { method: 'POST', url: `/api/v1/orgs/${orgId}${path}`, payload })
          .then((r) => r.json());
      const risk = await post('/risks', { title: `${label} risk`, inherentLikelihood: 3, inherentImpact: 3 });
      const action = await post('/treatment-actions', {
        title: `${label} action`,
        cost: 1000,
        riskIds: [risk.id],
      });
      const objective = await post('/objectives', { title: `${label} objective` });
      return { risk: risk.id, action: action.id, objective: objective.id };
    };
    const home = await make('home');
    const foreign = await make('foreign');
    const pick = (key: keyof typeof home) => (side: 'home' | 'foreign') =>
      side === 'home' ? home[key] : foreign[key];
    w.params.riskId = pick('risk');
    w.params.actionId = pick('action');
    w.params.objectiveId = pick('objective');
    w.params.libraryKey = () => 'identity-outage';
  },
  async (w) => {
    const { env } = w;
    const make = async (orgId: string, label: string, name: string) => {
      const url = `/api/v1/orgs/${orgId}/workforce`;
      const person = (
        await env.call(env.admin, {
          method: 'POST',
          url: `${url}/people`,
          payload: { userName: `${label}@walk.test`, email: `${label}@walk.test`, displayName: name },
        })
      ).json();
      const training = (
        await env.call(env.admin, {
          method: 'POST',
          url: `${url}/trainings`,
          payload: {
            title: name,
            delivery: 'internal',
            durationMinutes: 30,
            audienceKind: 'everyone',
            dueAt: '2020-01-01T00:00:00Z',
          },
        })
      ).json();
      await env.call(env.admin, { method: 'POST', url: `${url}/trainings/${training.id}/assign` });
      const phishing = (
        await env.call(env.admin, {
          method: 'POST',
          url: `${url}/phishing/import`,
          payload: {
            name,
            csv: `email,status,send_date\n${label}@walk.test,Clicked Link,2020-01-01T00:00:00Z\n`,
          },
        })
      ).json();
      const awareness = (
        await env.call(env.admin, {
          method: 'POST',
          url: `${url}/awareness`,
          payload: {
            title: name,
            audience: name,
            startsAt: '2020-01-01T00:00:00Z',
            endsAt: '2020-02-01T00:00:00Z',
          },
        })
      ).json();
      return {
        personId: person.id,
        trainingId: training.id,
        phishingCampaignId: phishing.campaign.id,
        awarenessCampaignId: awareness.id,
      };
    };
    const home = await make(w.home.orgId, 'walk-home', 'Walk Home');
    const foreign = await make(w.foreign.orgId, w.canary.toLowerCase(), w.canary);
    for (const key of ['personId', 'trainingId', 'phishingCampaignId', 'awarenessCampaignId'] as const) {
      w.params[key] = (side) => (side === 'home' ? home[key] : foreign[key]);
    }
  },
  async (w) => {
    const { env } = w;
    const make = async (orgId: string, name: string) => {
      const call = (path: string, payload: unknown) =>
        env.call(env.admin, {
          method: 'POST',
          url: `/api/v1/orgs/${orgId}${path}`,
          payload: payload as never,
        });
      const partner = (await call('/partners', { name, category: 'isp', sector: name })).json();
      const contact = (
        await call('/contacts', {
          partnerId: partner.id,
          name,
          phone24x7: '+1 555 0100',
          service: name,
          escalationOrder: 1,
        })
      ).json();
      const agreement = (
        await call('/agreements', {
          partnerId: partner.id,
          kind: 'nda',
          title: name,
          startsAt: '2020-01-01T00:00:00Z',
        })
      ).json();
      const activity = (
        await call('/activities', {
          kind: 'exercise',
          title: name,
          startsOn: '2026-01-10',
          outcomes: name,
          partnerIds: [partner.id],
        })
      ).json();
      const boundary = 'walkdoc';
      const doc = (
        await env.call(env.admin, {
          method: 'POST',
          url: `/api/v1/orgs/${orgId}/agreements/${agreement.id}/documents`,
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload:
            `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${name}\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}.txt"\r\n` +
            `Content-Type: text/plain\r\n\r\n${name} agreement\r\n--${boundary}--\r\n`,
        })
      ).json();
      return {
        partnerId: partner.id,
        contactId: contact.id,
        agreementId: agreement.id,
        activityId: activity.id,
        agreementDocumentId: doc.id,
      };
    };
    const home = await make(w.home.orgId, 'Walk Home Partner');
    const foreign = await make(w.foreign.orgId, w.canary);
    for (const key of [
      'partnerId',
      'contactId',
      'agreementId',
      'activityId',
      'agreementDocumentId',
    ] as const) {
      w.params[key] = (side) => (side === 'home' ? home[key] : foreign[key]);
    }
  },
];

/** Incidents: one incident of each side with a task, an evidence file, an observable and an organization playbook. */
WORLD_EXTENSIONS.push(async (w) => {
  const { env } = w;
  const admin = env.admin;
  const side = async (orgId: string, label: string) => {
    const base = `/api/v1/orgs/${orgId}`;
    const inc = (
      await env.call(admin, {
        method: 'POST',
        url: `${base}/incidents`,
        payload: { title: `${label} incident`, type: 'ransomware', playbook: 'ransomware', summary: label },
      })
    ).json();
    const [task] = (await env.call(admin, { method: 'GET', url: `${base}/incidents/${inc.id}/tasks` })).json()
      .items;
    const boundary = 'walkb';
    const ev = (
      await env.call(admin, {
        method: 'POST',
        url: `${base}/incidents/${inc.id}/evidence`,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload:
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${label}.txt"\r\n` +
          `Content-Type: text/plain\r\n\r\n${label} evidence\r\n--${boundary}--\r\n`,
      })
    ).json();
    const pb = (
      await env.call(admin, { method: 'POST', url: `${base}/incident-playbooks`, payload: { from: 'ddos' } })
    ).json();
    const obs = (
      await env.call(admin, {
        method: 'POST',
        url: `${base}/incidents/${inc.id}/observables`,
        payload: { type: 'domain-name', value: `${label.toLowerCase()}.example.org`, note: label },
      })
    ).json();
    const ex = (
      await env.call(admin, {
        method: 'POST',
        url: `${base}/exercises`,
        payload: { scenarioId: 'ransomware-city-hall', title: `${label} exercise` },
      })
    ).json();
    const item = (
      await env.call(admin, {
        method: 'POST',
        url: `${base}/incidents/${ex.incidentId}/exercise/review`,
        payload: { kind: 'gap', text: `${label} gap` },
      })
    ).json();
    return {
      itemId: item.id,
      incidentId: inc.id,
      taskId: task.id,
      evidenceId: ev.id,
      playbookId: pb.ref,
      observableId: obs.id,
    };
  };
  const home = await side(w.home.orgId, 'home');
  const foreign = await side(w.foreign.orgId, w.canary);
  const pick = (k: keyof typeof home) => (s: Side) => (s === 'home' ? home[k] : foreign[k]);
  w.params.incidentId = pick('incidentId');
  w.params.taskId = pick('taskId');
  w.params.evidenceId = pick('evidenceId');
  w.params.playbookId = pick('playbookId');
  w.params.observableId = pick('observableId');
  w.params.itemId = pick('itemId');
  // Scenario injects are shared data; the incident in the path decides the tenant.
  w.params.injectId = () => 'rh-i01';
  // Clock rules are shared data, not tenant objects; the incident in the path decides the tenant.
  w.params.ruleId = () => 'eu-nis2-early-warning';
});

// Vulnerabilities: a CVE is public data; a finding belongs to the organization whose system it matched.
WORLD_EXTENSIONS.push(async (w) => {
  const { env } = w;
  const cpe = 'cpe:2.3:a:walk:gateway:1.0:*:*:*:*:*:*:*';
  const nvd = {
    format: 'NVD_CVE',
    version: '2.0',
    vulnerabilities: [
      {
        cve: {
          id: 'CVE-2099-7001',
          published: '2099-01-01T00:00:00.000',
          lastModified: '2099-01-01T00:00:00.000',
          vulnStatus: 'Analyzed',
          descriptions: [{ lang: 'en', value: 'Walk gateway flaw.' }],
          configurations: [
            { nodes: [{ operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: cpe }] }] },
          ],
        },
      },
    ],
  };
  await env.call(env.admin, {
    method: 'POST',
    url: '/api/v1/vulns/feeds/nvd',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(nvd),
  });
  const side = async (orgId: string, label: string) => {
    const base = `/api/v1/orgs/${orgId}`;
    await env.call(env.admin, {
      method: 'POST',
      url: `${base}/assets/systems`,
      payload: { name: `${label} gateway`, kind: 'it', cpe },
    });
    await env.call(env.admin, { method: 'POST', url: `${base}/findings/rematch` });
    const [finding] = (await env.call(env.admin, { method: 'GET', url: `${base}/findings` })).json().items;
    return finding.id as string;
  };
  const home = await side(w.home.orgId, 'home');
  const foreign = await side(w.foreign.orgId, w.canary);
  w.params.findingId = (s) => (s === 'home' ? home : foreign);
  w.params.cveId = () => 'CVE-2099-7001';
  w.params.feed = () => 'kev';
});

/** Strategy: steps are numbered 1–7 in every organization; the foreign one has an override naming the canary. */
WORLD_EXTENSIONS.push(async (w) => {
  const { env } = w;
  await env.call(env.admin, {
    method: 'PUT',
    url: `/api/v1/orgs/${w.foreign.orgId}/strategy/steps/2/override`,
    payload: { level: 4, justification: `Judged by ${w.canary} after the council review` },
  });
  w.params.step = () => '2';
});
