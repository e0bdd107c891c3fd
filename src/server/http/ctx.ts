import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';

const cache = new WeakMap<FastifyRequest, Ctx>();

/** One context per request, so what the edge already loaded (the organization) is not loaded again. */
export function ctxOf(req: FastifyRequest): Ctx {
  if (!req.actor) throw new AppError('unauthenticated', 'Sign in or send an API token');
  let ctx = cache.get(req);
  if (!ctx || ctx.actor !== req.actor) {
    ctx = {
      db: req.server.citywall.db.db,
      actor: req.actor,
      requestId: req.id,
      log: req.log,
      orgs: new Map(),
    };
    cache.set(req, ctx);
  }
  return ctx;
}
