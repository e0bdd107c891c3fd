import { jobsRepository } from '../../src/server/modules/jobs/jobs.repository.js';
import type { TestEnv, TestUser } from '../helpers/app.js';

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
      await env.call(env.admin, {
        method: 'POST',
        url: `${url}/awareness`,
        payload: {
          title: name,
          audience: name,
          startsAt: '2020-01-01T00:00:00Z',
          endsAt: '2020-02-01T00:00:00Z',
        },
      });
      return { personId: person.id, trainingId: training.id, phishingCampaignId: phishing.campaign.id };
    };
    const home = await make(w.home.orgId, 'walk-home', 'Walk Home');
    const foreign = await make(w.foreign.orgId, w.canary.toLowerCase(), w.canary);
    for (const key of ['personId', 'trainingId', 'phishingCampaignId'] as const) {
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
      return { partnerId: partner.id, contactId: contact.id, agreementId: agreement.id };
    };
    const home = await make(w.home.orgId, 'Walk Home Partner');
    const foreign = await make(w.foreign.orgId, w.canary);
    for (const key of ['partnerId', 'contactId', 'agreementId'] as const) {
      w.params[key] = (side) => (side === 'home' ? home[key] : foreign[key]);
    }
  },
];
