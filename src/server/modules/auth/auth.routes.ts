import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../../http/auth-hook.js';
import { ctxOf } from '../../http/ctx.js';
import { usersRepository } from '../orgs/orgs.repository.js';
import { orgsService, publicUser } from '../orgs/orgs.service.js';
import {
  ApiToken,
  AuthConfig,
  ChangePassword,
  CreatedToken,
  CreateToken,
  Login,
  SessionInfo,
} from './auth.schemas.js';
import { authService } from './auth.service.js';

const tags = ['auth'];

export function setSessionCookie(reply: FastifyReply, sessionId: string, expiresAt: Date, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: expiresAt,
  });
}

export async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config } = fastify.citywall;
  const secure = config.publicUrl?.startsWith('https://') ?? false;

  async function sessionInfo(req: Parameters<typeof ctxOf>[0], csrfToken: string | null) {
    const ctx = ctxOf(req);
    const user = await usersRepository.byId(ctx.db, ctx.actor.userId);
    return {
      user: publicUser(user!),
      csrfToken,
      via: ctx.actor.via,
      organizations: await orgsService.listVisible(ctx),
    };
  }

  app.get(
    '/auth/config',
    {
      schema: { tags, summary: 'What the sign-in page offers', response: { 200: AuthConfig } },
      config: { authz: { public: true } },
    },
    async () => ({
      oidc: { enabled: !!config.oidc, label: config.oidc?.label ?? '' },
      sample: config.sample !== false,
    }),
  );

  app.post(
    '/auth/login',
    {
      schema: { tags, body: Login, response: { 200: SessionInfo } },
      config: { authz: { public: true }, rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const db = fastify.citywall.db.db;
      const user = await authService.checkPassword(db, req.body.email, req.body.password, req.id);
      const s = await authService.createSession(db, user, config.sessionHours, 'password', req.id);
      setSessionCookie(reply, s.sessionId, s.expiresAt, secure);
      req.actor = (await authService.resolveSession(db, s.sessionId))!.actor;
      return sessionInfo(req, s.csrfToken);
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: { tags, response: { 204: z.null() } },
      config: { authz: {} },
    },
    async (req, reply) => {
      if (req.sessionHash) await authService.logout(ctxOf(req), req.sessionHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/session',
    {
      schema: {
        tags,
        summary: `The signed-in user, their organizations and the ${CSRF_HEADER} value for writes`,
        response: { 200: SessionInfo },
      },
      config: { authz: {} },
    },
    async (req) => {
      let csrf: string | null = null;
      if (req.sessionHash) {
        const s = await authService.resolveSession(fastify.citywall.db.db, req.cookies[SESSION_COOKIE]!);
        csrf = s?.csrfToken ?? null;
      }
      return sessionInfo(req, csrf);
    },
  );

  app.post(
    '/auth/password',
    {
      schema: { tags, body: ChangePassword, response: { 204: z.null() } },
      config: { authz: {}, rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      if (req.actor?.via === 'token')
        throw new AppError('forbidden', 'Change a password from a signed-in session, not with an API token');
      await authService.changePassword(
        ctxOf(req),
        req.body.currentPassword,
        req.body.newPassword,
        req.sessionHash,
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me/tokens',
    {
      schema: { tags: ['tokens'], response: { 200: z.object({ items: z.array(ApiToken) }) } },
      config: { authz: {} },
    },
    async (req) => ({ items: await authService.listTokens(ctxOf(req)) }),
  );

  app.post(
    '/me/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token; the secret is in this response only',
        body: CreateToken,
        response: { 201: CreatedToken },
      },
      config: { authz: {} },
    },
    async (req, reply) => reply.status(201).send(await authService.createToken(ctxOf(req), req.body)),
  );

  app.delete(
    '/me/tokens/:tokenId',
    {
      schema: {
        tags: ['tokens'],
        params: z.strictObject({ tokenId: z.uuid() }),
        response: { 204: z.null() },
      },
      config: { authz: {} },
    },
    async (req, reply) => {
      await authService.revokeToken(ctxOf(req), req.params.tokenId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/users/:userId/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: "A user's active API tokens (instance administrators)",
        params: z.strictObject({ userId: z.uuid() }),
        response: { 200: z.object({ items: z.array(ApiToken) }) },
      },
      config: { authz: { instanceAdmin: true } },
    },
    async (req) => ({ items: await authService.listTokens(ctxOf(req), req.params.userId) }),
  );

  app.post(
    '/users/:userId/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary:
          'Create an API token acting as this user (instance administrators); the secret is in this response only',
        params: z.strictObject({ userId: z.uuid() }),
        body: CreateToken,
        response: { 201: CreatedToken },
      },
      config: { authz: { instanceAdmin: true } },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      if (!(await usersRepository.byId(ctx.db, req.params.userId)))
        throw new AppError('not_found', `User ${req.params.userId} was not found`);
      return reply.status(201).send(await authService.createToken(ctx, req.body, req.params.userId));
    },
  );
}
