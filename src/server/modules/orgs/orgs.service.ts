import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { generatePassword, hashPassword, passwordProblem } from '../../auth/secrets.js';
import { type Actor, assertCan, type Ctx, type Permission, rolesIn } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import type { Role } from '../../db/schema/orgs.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import {
  membershipsRepository,
  type OrgRow,
  orgsRepository,
  type UserRow,
  usersRepository,
} from './orgs.repository.js';
import type {
  AddMember,
  CreateOrganization,
  CreateUser,
  UpdateMember,
  UpdateOrganization,
  UpdateUser,
} from './orgs.schemas.js';

export function publicUser(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    isInstanceAdmin: u.isInstanceAdmin,
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
  };
}

function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return s.length >= 2 ? s : `org-${s}`;
}

function requireInstanceAdmin(actor: Actor) {
  if (!actor.isInstanceAdmin) throw forbidden('Only an instance administrator may do this');
}

export async function loadActor(
  db: DbOrTx,
  user: UserRow,
  via: Actor['via'],
  tokenScope?: 'read' | 'write',
): Promise<Actor> {
  const grants = await membershipsRepository.grantsOf(db, user.id);
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    isInstanceAdmin: user.isInstanceAdmin,
    via,
    tokenScope,
    grants,
  };
}

export const orgsService = {
  /**
   * The one gate every module passes to reach an organization's data: 404 when the actor has no role there
   * (so foreign organizations are not disclosed), 403 when its roles lack the permission.
   */
  async access(ctx: Ctx, orgId: string, permission: Permission): Promise<OrgRow> {
    const org = (ctx.orgs?.get(orgId) as OrgRow | undefined) ?? (await orgsRepository.byId(ctx.db, orgId));
    if (!org) throw notFound('Organization', orgId);
    ctx.orgs?.set(orgId, org);
    assertCan(ctx.actor, org, permission);
    return org;
  },

  async listVisible(ctx: Ctx) {
    const rows = ctx.actor.isInstanceAdmin
      ? await orgsRepository.all(ctx.db)
      : await orgsRepository.visible(
          ctx.db,
          ctx.actor.grants.map((g) => g.orgId),
          ctx.actor.grants.filter((g) => g.inherit).map((g) => g.orgPath),
        );
    return rows.map((o) => ({
      ...o,
      depth: o.path.split('/').filter(Boolean).length - 1,
      roles: [...rolesIn(ctx.actor, o)].sort() as Role[],
    }));
  },

  async create(ctx: Ctx, input: z.infer<typeof CreateOrganization>) {
    let parent: OrgRow | undefined;
    if (input.parentId) parent = await orgsService.access(ctx, input.parentId, 'org.manage');
    else requireInstanceAdmin(ctx.actor);
    if (!parent && input.kind === 'department') {
      throw new AppError('validation', 'A department must belong to a parent organization', {
        errors: [{ path: 'parentId', message: 'required for a department' }],
      });
    }
    const slug = input.slug ?? slugify(input.name);
    return ctx.db.transaction(async (tx) => {
      if (await orgsRepository.bySlug(tx, slug)) {
        throw new AppError('conflict', `An organization with slug "${slug}" already exists`, {
          errors: [{ path: 'slug', message: 'already taken' }],
        });
      }
      const id = randomUUID();
      const org = await orgsRepository.insert(tx, {
        id,
        parentId: parent?.id ?? null,
        path: `${parent?.path ?? '/'}${id}/`,
        kind: input.kind,
        name: input.name,
        slug,
        description: input.description,
      });
      await auditService.record(tx, ctx, {
        orgId: org.id,
        action: 'org.create',
        targetType: 'organization',
        targetId: org.id,
        after: org,
      });
      return org;
    });
  },

  async get(ctx: Ctx, orgId: string) {
    const org = await orgsService.access(ctx, orgId, 'org.read');
    return {
      ...org,
      depth: org.path.split('/').filter(Boolean).length - 1,
      roles: [...rolesIn(ctx.actor, org)].sort() as Role[],
    };
  },

  async update(ctx: Ctx, orgId: string, patch: z.infer<typeof UpdateOrganization>) {
    const before = await orgsService.access(ctx, orgId, 'org.manage');
    return ctx.db.transaction(async (tx) => {
      const after = await orgsRepository.update(tx, orgId, patch);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'org.update',
        targetType: 'organization',
        targetId: orgId,
        before,
        after,
      });
      return after;
    });
  },

  async remove(ctx: Ctx, orgId: string) {
    const org = await orgsService.access(ctx, orgId, 'org.manage');
    if (org.parentId) await orgsService.access(ctx, org.parentId, 'org.manage');
    else requireInstanceAdmin(ctx.actor);
    await ctx.db.transaction(async (tx) => {
      if ((await orgsRepository.childCount(tx, orgId)) > 0) {
        throw new AppError(
          'conflict',
          'This organization has child organizations: move or delete them first',
        );
      }
      await orgsRepository.delete(tx, orgId);
      await auditService.record(tx, ctx, {
        orgId: org.parentId,
        action: 'org.delete',
        targetType: 'organization',
        targetId: orgId,
        before: org,
      });
    });
  },

  async listMembers(ctx: Ctx, orgId: string, q: string | undefined, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'members.read');
    const { items, total } = await membershipsRepository.listForOrg(ctx.db, orgId, q, limit, offset);
    return {
      items: items.map(({ m, u }) => ({ ...m, user: publicUser(u) })),
      total,
      limit,
      offset,
    };
  },

  /** Adds a person to an organization, creating the account when the email is new (with a one-time password). */
  async addMember(ctx: Ctx, orgId: string, input: z.infer<typeof AddMember>) {
    await orgsService.access(ctx, orgId, 'members.manage');
    let oneTimePassword: string | undefined;
    const result = await ctx.db.transaction(async (tx) => {
      let user = await usersRepository.byEmail(tx, input.email);
      if (!user) {
        oneTimePassword = generatePassword();
        user = await usersRepository.insert(tx, {
          email: input.email,
          name: input.name ?? input.email.split('@')[0],
          passwordHash: await hashPassword(oneTimePassword),
          mustChangePassword: true,
        });
        await auditService.record(tx, ctx, {
          orgId,
          action: 'user.create',
          targetType: 'user',
          targetId: user.id,
          after: publicUser(user),
        });
      }
      if (await membershipsRepository.find(tx, user.id, orgId)) {
        throw new AppError('conflict', `${input.email} is already a member of this organization`);
      }
      const m = await membershipsRepository.insert(tx, {
        userId: user.id,
        orgId,
        role: input.role,
        inherit: input.inherit,
      });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'membership.create',
        targetType: 'membership',
        targetId: m.id,
        after: m,
      });
      return { ...m, user: publicUser(user) };
    });
    return { member: result, oneTimePassword };
  },

  async updateMember(ctx: Ctx, orgId: string, membershipId: string, patch: z.infer<typeof UpdateMember>) {
    await orgsService.access(ctx, orgId, 'members.manage');
    return ctx.db.transaction(async (tx) => {
      const before = await membershipsRepository.byId(tx, membershipId);
      if (!before || before.orgId !== orgId) throw notFound('Membership', membershipId);
      if (
        before.role === 'admin' &&
        patch.role &&
        patch.role !== 'admin' &&
        (await membershipsRepository.adminsOf(tx, orgId)) <= 1
      ) {
        throw new AppError(
          'conflict',
          'This is the last administrator of the organization: add another one first',
        );
      }
      const after = await membershipsRepository.update(tx, membershipId, patch);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'membership.update',
        targetType: 'membership',
        targetId: membershipId,
        before,
        after,
      });
      const user = await usersRepository.byId(tx, after.userId);
      return { ...after, user: publicUser(user!) };
    });
  },

  async removeMember(ctx: Ctx, orgId: string, membershipId: string) {
    await orgsService.access(ctx, orgId, 'members.manage');
    await ctx.db.transaction(async (tx) => {
      const before = await membershipsRepository.byId(tx, membershipId);
      if (!before || before.orgId !== orgId) throw notFound('Membership', membershipId);
      if (before.role === 'admin' && (await membershipsRepository.adminsOf(tx, orgId)) <= 1) {
        throw new AppError(
          'conflict',
          'This is the last administrator of the organization: add another one first',
        );
      }
      await membershipsRepository.delete(tx, membershipId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'membership.delete',
        targetType: 'membership',
        targetId: membershipId,
        before,
      });
    });
  },

  async listUsers(ctx: Ctx, q: string | undefined, limit: number, offset: number) {
    requireInstanceAdmin(ctx.actor);
    const { items, total } = await usersRepository.list(ctx.db, q, limit, offset);
    return { items: items.map(publicUser), total, limit, offset };
  },

  async createUser(ctx: Ctx, input: z.infer<typeof CreateUser>) {
    requireInstanceAdmin(ctx.actor);
    if (input.password) {
      const problem = passwordProblem(input.password);
      if (problem)
        throw new AppError('validation', problem, { errors: [{ path: 'password', message: problem }] });
    }
    const oneTimePassword = input.password ? undefined : generatePassword();
    const user = await ctx.db.transaction(async (tx) => {
      if (await usersRepository.byEmail(tx, input.email)) {
        throw new AppError('conflict', `A user with email ${input.email} already exists`, {
          errors: [{ path: 'email', message: 'already taken' }],
        });
      }
      const u = await usersRepository.insert(tx, {
        email: input.email,
        name: input.name,
        isInstanceAdmin: input.isInstanceAdmin,
        passwordHash: await hashPassword(input.password ?? oneTimePassword!),
        mustChangePassword: !input.password,
      });
      await auditService.record(tx, ctx, {
        orgId: null,
        action: 'user.create',
        targetType: 'user',
        targetId: u.id,
        after: publicUser(u),
      });
      return u;
    });
    return { user: publicUser(user), oneTimePassword };
  },

  async updateUser(ctx: Ctx, userId: string, patch: z.infer<typeof UpdateUser>) {
    requireInstanceAdmin(ctx.actor);
    if (userId === ctx.actor.userId && (patch.disabled || patch.isInstanceAdmin === false)) {
      throw new AppError(
        'conflict',
        'You cannot disable yourself or remove your own instance administration',
      );
    }
    let oneTimePassword: string | undefined;
    const user = await ctx.db.transaction(async (tx) => {
      const before = await usersRepository.byId(tx, userId);
      if (!before) throw notFound('User', userId);
      const { resetPassword, ...rest } = patch;
      const set: Parameters<typeof usersRepository.update>[2] = { ...rest };
      if (resetPassword) {
        oneTimePassword = generatePassword();
        set.passwordHash = await hashPassword(oneTimePassword);
        set.mustChangePassword = true;
        set.failedLogins = 0;
        set.lockedUntil = null;
      }
      const after = await usersRepository.update(tx, userId, set);
      await auditService.record(tx, ctx, {
        orgId: null,
        action: resetPassword ? 'user.reset_password' : 'user.update',
        targetType: 'user',
        targetId: userId,
        before: publicUser(before),
        after: publicUser(after),
      });
      return after;
    });
    return { user: publicUser(user), oneTimePassword };
  },
};

/**
 * What other modules may look up about organizations and memberships, so that they reach this module through
 * its service and never its tables. These reads check nothing: callers hold the access they checked with
 * `orgsService.access` first.
 */
export const orgsDirectory = {
  byId: (db: DbOrTx, id: string) => orgsRepository.byId(db, id),
  /** Every organization of the instance, for jobs that act on each (they run as the system). */
  all: (db: DbOrTx) => orgsRepository.all(db),
  visible: (db: DbOrTx, ids: string[], subtreePaths: string[]) =>
    orgsRepository.visible(db, ids, subtreePaths),
  grantsOf: (db: DbOrTx, userId: string) => membershipsRepository.grantsOf(db, userId),
};
