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
];
