import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { setSessionCookie } from './auth.routes.js';
import { authService } from './auth.service.js';
import { beginLogin, completeLogin } from './oidc.service.js';

const PENDING_COOKIE = 'cw_oidc';

export async function oidcRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config } = fastify.citywall;
  const secure = config.publicUrl?.startsWith('https://') ?? false;

  function base(req: FastifyRequest) {
    return config.publicUrl ?? `${req.protocol}://${req.host}`;
  }
  function oidc() {
    if (!config.oidc) throw new AppError('not_found', 'Single sign-on is not configured on this server');
    return config.oidc;
  }

  app.get(
    '/auth/oidc/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start single sign-on (redirects to the identity provider)',
        hide: false,
      },
      config: { authz: { public: true }, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const cfg = oidc();
      const started = await beginLogin(cfg, `${base(req)}/api/v1/auth/oidc/callback`);
      reply.setCookie(
        PENDING_COOKIE,
        JSON.stringify({ v: started.verifier, s: started.state, n: started.nonce }),
        {
          httpOnly: true,
          sameSite: 'lax',
          secure,
          path: '/api/v1/auth/oidc',
          maxAge: 600,
        },
      );
      return reply.redirect(started.url);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      schema: { tags: ['auth'], querystring: z.record(z.string(), z.string()) },
      config: { authz: { public: true }, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const cfg = oidc();
      const raw = req.cookies[PENDING_COOKIE];
      if (!raw)
        throw new AppError(
          'bad_request',
          'The sign-in attempt expired or was started in another browser: start again',
        );
      let pending: { v: string; s: string; n: string };
      try {
        pending = JSON.parse(raw);
      } catch {
        throw new AppError('bad_request', 'The sign-in attempt is not readable: start again');
      }
      reply.clearCookie(PENDING_COOKIE, { path: '/api/v1/auth/oidc' });
      const url = new URL(`${base(req)}${req.url}`);
      const user = await completeLogin(fastify.citywall.db.db, cfg, url, {
        verifier: pending.v,
        state: pending.s,
        nonce: pending.n,
      });
      const s = await authService.createSession(
        fastify.citywall.db.db,
        user,
        config.sessionHours,
        'oidc',
        req.id,
      );
      setSessionCookie(reply, s.sessionId, s.expiresAt, secure);
      return reply.redirect('/');
    },
  );
}
