import type { z } from 'zod';
import {
  burnPasswordCheck,
  hashPassword,
  passwordProblem,
  randomToken,
  sha256,
  verifyPassword,
} from '../../auth/secrets.js';
import type { Actor, Ctx } from '../../context.js';
import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import type { UserRow } from '../orgs/orgs.repository.js';
import { usersRepository } from '../orgs/orgs.repository.js';
import { loadActor } from '../orgs/orgs.service.js';
import { authRepository, type TokenRow } from './auth.repository.js';
import type { CreateToken } from './auth.schemas.js';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;
export const TOKEN_PREFIX = 'cw_';

export function publicToken(t: TokenRow) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scope: t.scope,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
    createdAt: t.createdAt,
  };
}

const LOGIN_FAILED = 'Email or password is not correct';

export const authService = {
  /** Checks a password with lockout; returns the user or throws without saying which half was wrong. */
  async checkPassword(db: Db, email: string, password: string, requestId?: string): Promise<UserRow> {
    const user = await usersRepository.byEmail(db, email);
    if (!user || user.disabled || !user.passwordHash) {
      await burnPasswordCheck(password);
      throw new AppError('unauthenticated', LOGIN_FAILED);
    }
    const now = new Date();
    if (user.lockedUntil && user.lockedUntil > now) {
      throw new AppError(
        'locked',
        `This account is locked after repeated failed sign-ins. Try again after ${user.lockedUntil.toISOString()} or ask an administrator to reset the password.`,
      );
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      const failed = user.failedLogins + 1;
      const lock = failed >= LOCKOUT_THRESHOLD;
      await db.transaction(async (tx) => {
        await usersRepository.update(tx, user.id, {
          failedLogins: lock ? 0 : failed,
          lockedUntil: lock ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : user.lockedUntil,
        });
        if (lock) {
          await auditService.record(
            tx,
            { actor: systemFor(user), requestId },
            {
              orgId: null,
              action: 'user.lockout',
              targetType: 'user',
              targetId: user.id,
              after: { lockedMinutes: LOCKOUT_MINUTES },
            },
          );
        }
      });
      throw new AppError('unauthenticated', LOGIN_FAILED);
    }
    return usersRepository.update(db, user.id, { failedLogins: 0, lockedUntil: null, lastLoginAt: now });
  },

  async createSession(db: Db, user: UserRow, hours: number, method: 'password' | 'oidc', requestId?: string) {
    const sessionId = randomToken();
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + hours * 3600_000);
    await db.transaction(async (tx) => {
      await authRepository.insertSession(tx, {
        idHash: sha256(sessionId),
        userId: user.id,
        csrfToken,
        expiresAt,
        method,
      });
      await auditService.record(
        tx,
        { actor: systemFor(user), requestId },
        { orgId: null, action: `auth.login.${method}`, targetType: 'user', targetId: user.id },
      );
    });
    return { sessionId, csrfToken, expiresAt };
  },

  async resolveSession(
    db: Db,
    sessionId: string,
  ): Promise<{ actor: Actor; csrfToken: string; idHash: string } | null> {
    const idHash = sha256(sessionId);
    const row = await authRepository.sessionWithUser(db, idHash);
    if (!row || row.u.disabled) return null;
    if (row.s.expiresAt <= new Date()) {
      await authRepository.deleteSession(db, idHash);
      return null;
    }
    return { actor: await loadActor(db, row.u, 'session'), csrfToken: row.s.csrfToken, idHash };
  },

  async resolveToken(db: Db, token: string): Promise<Actor> {
    if (!token.startsWith(TOKEN_PREFIX))
      throw new AppError('unauthenticated', 'The bearer token is not a Citywall API token');
    const row = await authRepository.tokenWithUser(db, sha256(token));
    if (!row || row.t.revokedAt)
      throw new AppError('unauthenticated', 'The API token is not valid or was revoked');
    const now = new Date();
    if (row.t.expiresAt && row.t.expiresAt <= now)
      throw new AppError(
        'unauthenticated',
        `The API token "${row.t.name}" expired on ${row.t.expiresAt.toISOString()}`,
      );
    if (row.u.disabled) throw new AppError('unauthenticated', 'The account of this API token is disabled');
    // Recording every use would turn each read into a write; a minute's resolution is enough to see activity.
    if (!row.t.lastUsedAt || now.getTime() - row.t.lastUsedAt.getTime() > 60_000)
      await authRepository.touchToken(db, row.t.id, now);
    return loadActor(db, row.u, 'token', row.t.scope);
  },

  async logout(ctx: Ctx, idHash: string) {
    await ctx.db.transaction(async (tx) => {
      await authRepository.deleteSession(tx, idHash);
      await auditService.record(tx, ctx, {
        orgId: null,
        action: 'auth.logout',
        targetType: 'user',
        targetId: ctx.actor.userId,
      });
    });
  },

  async changePassword(ctx: Ctx, current: string, next: string, keepSessionHash?: string) {
    const user = await usersRepository.byId(ctx.db, ctx.actor.userId);
    if (!user) throw notFound('User');
    if (!(await verifyPassword(current, user.passwordHash))) {
      throw new AppError('validation', 'The current password is not correct', {
        errors: [{ path: 'currentPassword', message: 'not correct' }],
      });
    }
    const problem = passwordProblem(next);
    if (problem)
      throw new AppError('validation', problem, { errors: [{ path: 'newPassword', message: problem }] });
    if (next === current)
      throw new AppError('validation', 'The new password must differ from the current one', {
        errors: [{ path: 'newPassword', message: 'same as current' }],
      });
    await ctx.db.transaction(async (tx) => {
      await usersRepository.update(tx, user.id, {
        passwordHash: await hashPassword(next),
        mustChangePassword: false,
      });
      // Other sessions may belong to whoever knew the old password.
      await authRepository.deleteSessionsOf(tx, user.id, keepSessionHash);
      await auditService.record(tx, ctx, {
        orgId: null,
        action: 'user.change_password',
        targetType: 'user',
        targetId: user.id,
      });
    });
  },

  async listTokens(ctx: Ctx, userId = ctx.actor.userId) {
    return (await authRepository.tokensOf(ctx.db, userId)).map(publicToken);
  },

  async createToken(ctx: Ctx, input: z.infer<typeof CreateToken>, forUserId = ctx.actor.userId) {
    if (forUserId !== ctx.actor.userId && !ctx.actor.isInstanceAdmin) {
      throw new AppError('forbidden', 'Only an instance administrator may create tokens for someone else');
    }
    if (ctx.actor.via === 'token' && ctx.actor.tokenScope !== 'write') {
      throw new AppError('forbidden', 'A read-only token cannot create tokens');
    }
    const secret = `${TOKEN_PREFIX}${randomToken(32)}`;
    const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
    const row = await ctx.db.transaction(async (tx) => {
      const t = await authRepository.insertToken(tx, {
        userId: forUserId,
        name: input.name,
        prefix: secret.slice(0, 10),
        tokenHash: sha256(secret),
        scope: input.scope,
        expiresAt,
      });
      await auditService.record(tx, ctx, {
        orgId: null,
        action: 'token.create',
        targetType: 'api_token',
        targetId: t.id,
        after: publicToken(t),
      });
      return t;
    });
    return { token: secret, apiToken: publicToken(row) };
  },

  async revokeToken(ctx: Ctx, tokenId: string) {
    await ctx.db.transaction(async (tx) => {
      const t = await authRepository.tokenById(tx, tokenId);
      if (!t || t.revokedAt || (t.userId !== ctx.actor.userId && !ctx.actor.isInstanceAdmin))
        throw notFound('API token', tokenId);
      const after = await authRepository.revokeToken(tx, tokenId, new Date());
      await auditService.record(tx, ctx, {
        orgId: null,
        action: 'token.revoke',
        targetType: 'api_token',
        targetId: tokenId,
        before: publicToken(t),
        after: publicToken(after),
      });
    });
  },
};

/** Events about a user that the user did not act in (a lockout, a sign-in) are recorded under that user. */
function systemFor(user: UserRow): Actor {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    isInstanceAdmin: false,
    via: 'session',
    grants: [],
  };
}
