import type { FastifyBaseLogger } from 'fastify';
import type { Db } from './db/client.js';
import type { Role } from './db/schema/orgs.js';
import { AppError } from './errors.js';

export const PERMISSIONS = [
  'org.read',
  'org.manage',
  'members.read',
  'members.manage',
  'audit.read',
  'jobs.read',
  'jobs.manage',
  'data.read',
  'data.write',
  'data.analyze',
  'data.admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What each role may do in an organization it holds the role in. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['org.read', 'data.read'],
  contributor: ['org.read', 'data.read', 'data.write'],
  analyst: ['org.read', 'members.read', 'jobs.read', 'data.read', 'data.write', 'data.analyze'],
  auditor: ['org.read', 'members.read', 'audit.read', 'jobs.read', 'data.read'],
  admin: PERMISSIONS,
};

export interface MembershipGrant {
  orgId: string;
  orgPath: string;
  role: Role;
  inherit: boolean;
}

export interface Actor {
  userId: string;
  email: string;
  name: string;
  isInstanceAdmin: boolean;
  via: 'session' | 'token' | 'cli' | 'system';
  tokenScope?: 'read' | 'write';
  grants: MembershipGrant[];
}

export const SYSTEM_ACTOR: Actor = {
  userId: '00000000-0000-0000-0000-000000000000',
  email: 'system@citywall.local',
  name: 'Citywall',
  isInstanceAdmin: true,
  via: 'system',
  grants: [],
};

export interface Ctx {
  db: Db;
  actor: Actor;
  requestId?: string;
  log?: FastifyBaseLogger;
  /** Organizations already loaded in this request; an organization does not change within one request. */
  orgs?: Map<string, { id: string; path: string }>;
}

/** Roles the actor holds in an organization, given the organization's materialized path. */
export function rolesIn(actor: Actor, org: { id: string; path: string }): Set<Role> {
  const roles = new Set<Role>();
  if (actor.isInstanceAdmin) roles.add('admin');
  for (const g of actor.grants) {
    if (g.orgId === org.id || (g.inherit && org.path.startsWith(g.orgPath))) roles.add(g.role);
  }
  return roles;
}

export function can(actor: Actor, org: { id: string; path: string }, permission: Permission): boolean {
  for (const role of rolesIn(actor, org)) {
    if (ROLE_PERMISSIONS[role].includes(permission)) return true;
  }
  return false;
}

/**
 * Throws 404 when the actor holds no role at all in the organization (its existence is not disclosed), 403
 * when it holds roles without the permission.
 */
export function assertCan(actor: Actor, org: { id: string; path: string }, permission: Permission): void {
  const roles = rolesIn(actor, org);
  if (roles.size === 0) throw new AppError('not_found', `Organization ${org.id} was not found`);
  for (const role of roles) if (ROLE_PERMISSIONS[role].includes(permission)) return;
  throw new AppError('forbidden', `Your role in this organization does not allow ${permission}`);
}
