import { z } from 'zod';
import type { Config } from '../config.js';
import type { Actor, Permission } from '../context.js';
import type { Database } from '../db/client.js';
import type { JobRunner } from '../jobs/runner.js';

/**
 * What a route requires, declared beside the route. The authorization walk test reads these declarations
 * and checks that every route answers accordingly for every role and for a foreign organization.
 */
export interface RouteAuthz {
  /** No sign-in needed. */
  public?: boolean;
  /** Signed-in users only, and the permission in the organization named by the :orgId path parameter. */
  permission?: Permission;
  /** The permission is needed in the organization's parent as well (root organizations: instance administrators). */
  alsoOnParent?: boolean;
  /** Signed-in instance administrators only. */
  instanceAdmin?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    authz?: RouteAuthz;
  }
  interface FastifyRequest {
    actor?: Actor;
    sessionHash?: string;
  }
  interface FastifyInstance {
    citywall: { db: Database; config: Config; jobs?: JobRunner };
    routeCatalog: { method: string; url: string; authz: RouteAuthz | undefined }[];
  }
}

/** Dates travel as RFC 3339 strings and are Date objects inside the server. */
export const Timestamp = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
