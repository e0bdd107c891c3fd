import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { ctxOf } from '../../http/ctx.js';
import { authService } from '../auth/auth.service.js';
import { SCIM_ERROR, ScimError, scimErrorOf, scimService } from './scim.service.js';

const SCIM_TYPE = 'application/scim+json';
type Req = FastifyRequest<{ Params: { orgId: string; id: string }; Querystring: Record<string, string> }>;

/**
 * SCIM 2.0 provisioning of staff (RFC 7643/7644), at `/scim/v2/orgs/:orgId/Users`. The organization is in the
 * path so one identity provider can provision several organizations, each with the token of a user who holds
 * members.manage there; the base URL to configure in Entra ID or Okta is `…/scim/v2/orgs/<orgId>`.
 * It lives outside /api/v1 because SCIM has its own media type and error format.
 */
export async function scimRoutes(app: FastifyInstance) {
  app.addContentTypeParser(SCIM_TYPE, { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  app.setErrorHandler((err, req, reply) => {
    const { status, body } = scimErrorOf(err);
    if (status >= 500) req.log.error({ err }, 'SCIM request failed');
    return reply.status(status).type(SCIM_TYPE).send(body);
  });

  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    const [scheme, token] = (header ?? '').split(' ', 2);
    if (scheme?.toLowerCase() !== 'bearer' || !token)
      throw new ScimError(401, 'Send a Citywall API token as "Authorization: Bearer <token>"');
    try {
      req.actor = await authService.resolveToken(req.server.citywall.db.db, token.trim());
    } catch (e) {
      throw e instanceof AppError ? new ScimError(401, e.message) : e;
    }
    // Provisioning writes people even when the IdP only reads: a read token must not hold this endpoint.
    if (req.actor.tokenScope !== 'write')
      throw new ScimError(403, 'SCIM provisioning needs an API token with write scope');
  });

  const base = (req: FastifyRequest) => {
    const { orgId } = req.params as { orgId: string };
    const origin = req.server.citywall.config.publicUrl ?? `${req.protocol}://${req.host}`;
    return `${origin.replace(/\/$/, '')}/scim/v2/orgs/${orgId}`;
  };
  const send = (reply: FastifyReply, status: number, body: unknown) =>
    reply.status(status).type(SCIM_TYPE).send(body);
  const orgOf = (req: Req) => {
    if (!/^[0-9a-f-]{36}$/i.test(req.params.orgId))
      throw new ScimError(404, `Organization ${req.params.orgId} not found`);
    return req.params.orgId;
  };
  const config = { authz: { permission: 'members.manage' as const } };
  const schema = { hide: true };

  app.get('/orgs/:orgId/ServiceProviderConfig', { config, schema }, async (req: Req, reply) => {
    await scimService.list(ctxOf(req), orgOf(req), { count: '0' }, base(req));
    return send(reply, 200, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'Citywall API token',
          description: 'A write-scope API token',
          primary: true,
        },
      ],
    });
  });

  app.get('/orgs/:orgId/Users', { config, schema }, async (req: Req, reply) =>
    send(reply, 200, await scimService.list(ctxOf(req), orgOf(req), req.query, base(req))),
  );
  app.get('/orgs/:orgId/Users/:id', { config, schema }, async (req: Req, reply) =>
    send(reply, 200, await scimService.get(ctxOf(req), orgOf(req), req.params.id, base(req))),
  );
  app.post('/orgs/:orgId/Users', { config, schema }, async (req: Req, reply) => {
    const user = await scimService.create(ctxOf(req), orgOf(req), req.body, base(req));
    reply.header('location', user.meta.location);
    return send(reply, 201, user);
  });
  app.put('/orgs/:orgId/Users/:id', { config, schema }, async (req: Req, reply) =>
    send(reply, 200, await scimService.replace(ctxOf(req), orgOf(req), req.params.id, req.body, base(req))),
  );
  app.patch('/orgs/:orgId/Users/:id', { config, schema }, async (req: Req, reply) =>
    send(reply, 200, await scimService.patch(ctxOf(req), orgOf(req), req.params.id, req.body, base(req))),
  );
  app.delete('/orgs/:orgId/Users/:id', { config, schema }, async (req: Req, reply) => {
    await scimService.remove(ctxOf(req), orgOf(req), req.params.id);
    return reply.status(204).send();
  });
  app.setNotFoundHandler((req, reply) =>
    send(reply, 404, {
      schemas: [SCIM_ERROR],
      status: '404',
      detail: `No SCIM resource at ${req.url.split('?')[0]}`,
    }),
  );
}
