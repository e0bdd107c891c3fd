import type { FastifyBaseLogger } from 'fastify';
import { type Permission, type Role, roleAllows } from '../core/tenancy/index.js';
import type { Db } from './db/client.js';
import { AppError } from './errors.js';

export { PERMISSIONS, type Permission, ROLE_PERMISSIONS } from '../core/tenancy/index.js';

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
  return roleAllows(rolesIn(actor, org), permission);
}

/**
 * Throws 404 when the actor holds no role at all in the organization (its existence is not disclosed), 403
 * when it holds roles without the permission.
 */
export function assertCan(actor: Actor, org: { id: string; path: string }, permission: Permission): void {
  const roles = rolesIn(actor, org);
  if (roles.size === 0) throw new AppError('not_found', `Organization ${org.id} was not found`);
  if (roleAllows(roles, permission)) return;
  throw new AppError('forbidden', `Your role in this organization does not allow ${permission}`);
}
