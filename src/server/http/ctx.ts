import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';

export function ctxOf(req: FastifyRequest): Ctx {
  if (!req.actor) throw new AppError('unauthenticated', 'Sign in or send an API token');
  return { db: req.server.citywall.db.db, actor: req.actor, requestId: req.id, log: req.log };
}
