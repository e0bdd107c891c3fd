import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { authService } from '../modules/auth/auth.service.js';
import { orgsService } from '../modules/orgs/orgs.service.js';
import { ctxOf } from './ctx.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const SESSION_COOKIE = 'cw_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Identifies the caller (bearer token or session cookie) and enforces what every route shares: sign-in,
 * CSRF on cookie-authenticated writes, read-only tokens, instance administration. Organization permissions
 * are checked in the services, where the organization is known.
 */
export function registerAuthHooks(app: FastifyInstance) {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const authz = req.routeOptions.config?.authz;
    const db = app.citywall.db.db;
    const header = req.headers.authorization;
    if (header) {
      const [scheme, token] = header.split(' ', 2);
      if (scheme?.toLowerCase() !== 'bearer' || !token) {
        throw new AppError('unauthenticated', 'Authorization header must be "Bearer <token>"');
      }
      req.actor = await authService.resolveToken(db, token.trim());
      if (!SAFE.has(req.method) && req.actor.tokenScope !== 'write') {
        throw new AppError('forbidden', 'This API token is read-only');
      }
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) {
        const session = await authService.resolveSession(db, cookie);
        if (session) {
          req.actor = session.actor;
          req.sessionHash = session.idHash;
          if (!SAFE.has(req.method) && !authz?.public) {
            const sent = req.headers[CSRF_HEADER];
            if (sent !== session.csrfToken) {
              throw new AppError(
                'forbidden',
                `Missing or wrong ${CSRF_HEADER} header: reload the page and try again`,
              );
            }
          }
        }
      }
    }
    if (authz?.public) return;
    if (!req.actor) throw new AppError('unauthenticated', 'Sign in or send an API token');
    if (authz?.instanceAdmin && !req.actor.isInstanceAdmin) {
      throw new AppError('forbidden', 'Only an instance administrator may do this');
    }
  });

  // The organization named in the path is checked against the route's declared permission before the
  // body is even validated, so a caller without the right learns nothing about what the route accepts.
  // Services check again: they are also called from the CLI and from other modules.
  app.addHook('preValidation', async (req) => {
    const permission = req.routeOptions.config?.authz?.permission;
    const orgId = (req.params as { orgId?: unknown } | undefined)?.orgId;
    if (permission && typeof orgId === 'string' && UUID.test(orgId)) {
      await orgsService.access(ctxOf(req), orgId, permission);
    }
  });
}
