import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { AppError, toProblem } from './errors.js';
import { registerAuthHooks } from './http/auth-hook.js';
import { registerErrorHandling } from './http/errors.js';
import './http/types.js';
import type { JobRunner } from './jobs/runner.js';
import { assetsRoutes } from './modules/assets/assets.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { oidcRoutes } from './modules/auth/oidc.routes.js';
import { baselinesRoutes } from './modules/baselines/baselines.routes.js';
import { incidentsRoutes } from './modules/incidents/incidents.routes.js';
import { intelRoutes } from './modules/intel/intel.routes.js';
import { techniquesRoutes } from './modules/intel/intel.techniques.js';
import { jobsRoutes } from './modules/jobs/jobs.routes.js';
import { homeRoutes } from './modules/orgs/home.routes.js';
import { orgsRoutes } from './modules/orgs/orgs.routes.js';
import { partnersRoutes } from './modules/partners/partners.routes.js';
import { risksRoutes } from './modules/risks/risks.routes.js';
import { strategyDocumentRoutes } from './modules/strategy/strategy.document.routes.js';
import { strategyRoutes } from './modules/strategy/strategy.routes.js';
import { vulnsRoutes } from './modules/vulns/vulns.routes.js';
import { scimRoutes } from './modules/workforce/scim.routes.js';
import { workforceRoutes } from './modules/workforce/workforce.routes.js';
import { configureSecrets } from './secrets.js';
import { taxiiApiRoutes } from './taxii/taxii.api.js';
import { taxiiRoutes } from './taxii/taxii.routes.js';

export const VERSION = '0.1.0';
export const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Module route plugins, in the order their OpenAPI tags appear. Later modules add themselves here. */
export const API_MODULES = [
  authRoutes,
  oidcRoutes,
  orgsRoutes,
  homeRoutes,
  auditRoutes,
  jobsRoutes,
  intelRoutes,
  techniquesRoutes,
  taxiiApiRoutes,
  incidentsRoutes,
  baselinesRoutes,
  assetsRoutes,
  risksRoutes,
  workforceRoutes,
  partnersRoutes,
  vulnsRoutes,
  strategyRoutes,
  strategyDocumentRoutes,
];

export interface BuildOptions {
  db: Database;
  config: Config;
  jobs?: JobRunner;
  /** A pino logger; without one the app logs nothing (tests). */
  logger?: FastifyBaseLogger;
}

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: opts.config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
    trustProxy: opts.config.trustProxy,
  });
  configureSecrets(opts.config);
  app.decorate('citywall', { db: opts.db, config: opts.config, jobs: opts.jobs });
  app.decorate('routeCatalog', []);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) {
      if (m === 'HEAD' || m === 'OPTIONS') continue;
      app.routeCatalog.push({ method: m, url: r.url, authz: (r.config as { authz?: never })?.authz });
    }
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
  });

  // Metrics
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'citywall_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const httpErrors = new Counter({
    name: 'citywall_http_errors_total',
    help: 'HTTP responses with status >= 500',
    labelNames: ['route'],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    httpDuration.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 500) httpErrors.inc({ route });
  });

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new AppError('rate_limited', `Too many attempts: try again in ${Math.ceil(ctx.ttl / 1000)} seconds`),
  });
  registerErrorHandling(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Citywall API',
        version: VERSION,
        description: 'The REST API of Citywall. Errors are RFC 9457 problem responses.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (cw_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'cw_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });

  // Health and metrics are public so that a load balancer and Prometheus can reach them.
  app.get('/healthz', { config: { authz: { public: true } }, schema: { hide: true } }, async () => ({
    status: 'ok',
    version: VERSION,
  }));
  app.get('/readyz', { config: { authz: { public: true } }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await opts.db.db.execute(sql`select 1`);
      return { status: 'ready', database: opts.db.kind };
    } catch {
      return reply
        .status(503)
        .type('application/problem+json')
        .send(toProblem(new AppError('unavailable', 'The database does not answer')));
    }
  });
  app.get(
    '/metrics',
    { config: { authz: { public: true } }, schema: { hide: true } },
    async (_req, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
  app.get('/api/openapi.json', { config: { authz: { public: true } }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.register(
    async (api) => {
      registerAuthHooks(api);
      for (const mod of API_MODULES) await api.register(mod);
    },
    { prefix: '/api/v1' },
  );
  await app.register(taxiiRoutes, { prefix: '/taxii2' });
  // SCIM has its own media type, errors and token check, so it sits beside the API rather than inside it.
  await app.register(scimRoutes, { prefix: '/scim/v2' });

  const hasWeb = existsSync(`${webDist}/index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    if (req.method === 'GET' && hasWeb && !path.startsWith('/api/') && !path.includes('.')) {
      // Client-side routes: the web app decides what to show.
      return reply.type('text/html').sendFile('index.html');
    }
    return reply
      .status(404)
      .type('application/problem+json')
      .send(toProblem(new AppError('not_found', `No route ${req.method} ${path}`), path));
  });
  return app;
}
