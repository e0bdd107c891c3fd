import { type Readable, Transform } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isTaxiiMediaType, TAXII_MEDIA_TYPE, type TaxiiErrorBody } from '../../core/taxii/index.js';
import { AppError, ERROR_KINDS } from '../errors.js';
import { ctxOf } from '../http/ctx.js';
import { authService } from '../modules/auth/auth.service.js';
import { loadActor } from '../modules/orgs/orgs.service.js';
import { DEFAULT_PAGE, type PageRequest, taxiiService } from './taxii.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Statuses TAXII needs that the AppError taxonomy has no kind for (406 Not Acceptable). */
class NotAcceptable extends Error {}

const tooLarge = (max: number) =>
  new AppError('payload_too_large', `The request exceeds max_content_length (${max} bytes)`);

/**
 * The request body as it arrives, failing with 413 as soon as more than `max` bytes have come, whether or not the
 * client declared a Content-Length (a chunked body is counted too); nothing beyond the limit is read into memory.
 */
function limited(payload: Readable, max: number): Readable {
  let bytes = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > max) callback(tooLarge(max));
      else callback(null, chunk);
    },
  });
  payload.on('error', (e) => out.destroy(e));
  // The import reads `out` only after its checks; an overflow before then is kept on the stream (`errored`) for
  // the reader to meet, instead of being an error no one listens to.
  out.on('error', () => {});
  return payload.pipe(out);
}

function taxiiError(err: FastifyError | AppError, max: number): { status: number; body: TaxiiErrorBody } {
  if (err instanceof NotAcceptable) {
    return { status: 406, body: { title: 'Not acceptable', description: err.message, http_status: '406' } };
  }
  let kind: keyof typeof ERROR_KINDS = 'internal';
  let description = 'Something went wrong on the server';
  if (err instanceof AppError) {
    kind = err.kind;
    description = err.message;
  } else if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    kind = 'payload_too_large';
    description = tooLarge(max).message;
  } else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) {
    kind = 'bad_request';
    description = err.message;
  }
  const status = kind === 'validation' ? 422 : ERROR_KINDS[kind].status;
  return {
    status,
    body: { title: ERROR_KINDS[kind].title, description, http_status: String(status), error_code: kind },
  };
}

function send(reply: FastifyReply, status: number, body: unknown) {
  // A Buffer keeps the media type exactly as TAXII spells it (a string body gets a charset and quotes added).
  return reply
    .status(status)
    .header('content-type', TAXII_MEDIA_TYPE)
    .send(Buffer.from(JSON.stringify(body)));
}

/** Query parameters of the filtering endpoints (section 3.4), comma-separated values OR-ed. */
function pageRequest(req: FastifyRequest): PageRequest {
  const q = req.query as Record<string, string | string[] | undefined>;
  const one = (k: string) => {
    const v = q[k];
    return Array.isArray(v) ? v.join(',') : v;
  };
  const list = (k: string) =>
    one(k)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const known = new Set([
    'added_after',
    'limit',
    'next',
    'match[id]',
    'match[type]',
    'match[version]',
    'match[spec_version]',
  ]);
  for (const k of Object.keys(q)) {
    if (!known.has(k)) throw new AppError('bad_request', `Unknown query parameter ${k}`);
  }
  let limit: number | undefined;
  if (one('limit') !== undefined) {
    limit = Number(one('limit'));
    if (!Number.isInteger(limit) || limit < 1)
      throw new AppError('bad_request', 'limit must be a positive integer');
  }
  return {
    addedAfter: one('added_after'),
    limit: limit ?? DEFAULT_PAGE,
    next: one('next'),
    match: {
      id: list('match[id]'),
      type: list('match[type]'),
      version: list('match[version]'),
      spec_version: list('match[spec_version]'),
    },
  };
}

function dateHeaders(reply: FastifyReply, page: { first?: string; last?: string }) {
  if (page.first) reply.header('x-taxii-date-added-first', page.first);
  if (page.last) reply.header('x-taxii-date-added-last', page.last);
}

/**
 * TAXII 2.1 (OASIS, 2021) under /taxii2/: its own media type, its own error message, bearer-token
 * authentication, every answer filtered by the TLP policy of the API root's organization.
 */
export async function taxiiRoutes(app: FastifyInstance) {
  const maxContentLength = app.citywall.config.taxiiMaxContentLength;
  app.removeAllContentTypeParsers();
  // Objects arrive as a stream and are imported as they are parsed: a large envelope is never one string.
  app.addContentTypeParser('*', (_req, payload, done) => done(null, limited(payload, maxContentLength)));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const { status, body } = taxiiError(err, maxContentLength);
    if (status === 401) reply.header('www-authenticate', 'Basic realm="Citywall TAXII", Bearer');
    if (!req.raw.complete) {
      // An answer before the end of the body (413, malformed JSON, no right to write): the rest is not wanted.
      // What is already on its way is read and discarded, so the connection does not hang on a paused body, and it
      // closes once the answer is sent, so the client stops sending.
      reply.header('connection', 'close');
      req.raw.unpipe();
      req.raw.resume();
    }
    if (status >= 500) req.log.error({ err }, 'TAXII request failed');
    return send(reply, status, body);
  });
  app.setNotFoundHandler((req, reply) =>
    send(reply, 404, {
      title: 'Not found',
      description: `No TAXII resource at ${req.url.split('?')[0]}`,
      http_status: '404',
    }),
  );

  app.addHook('onRequest', async (req) => {
    // Section 1.6.8: every request names the TAXII media type it accepts.
    if (!isTaxiiMediaType(req.headers.accept)) {
      throw new NotAcceptable(`Send Accept: ${TAXII_MEDIA_TYPE}`);
    }
    if (req.method === 'POST') {
      if (!isTaxiiMediaType(req.headers['content-type'])) {
        throw new AppError('unsupported_media_type', `Send Content-Type: ${TAXII_MEDIA_TYPE}`);
      }
      if (Number(req.headers['content-length'] ?? 0) > maxContentLength) throw tooLarge(maxContentLength);
    }
    const header = req.headers.authorization;
    const [scheme, credentials] = header?.split(' ', 2) ?? [];
    const db = app.citywall.db.db;
    if (scheme?.toLowerCase() === 'bearer' && credentials) {
      req.actor = await authService.resolveToken(db, credentials.trim());
      if (req.method !== 'GET' && req.actor.tokenScope !== 'write') {
        throw new AppError('forbidden', 'This API token is read-only');
      }
    } else if (scheme?.toLowerCase() === 'basic' && credentials) {
      // Section 1.6.7: many TAXII clients only speak Basic; it signs in a user (with the same lockout).
      const decoded = Buffer.from(credentials.trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 1) throw new AppError('unauthenticated', 'Basic credentials must be email:password');
      const user = await authService.checkPassword(
        db,
        decoded.slice(0, colon),
        decoded.slice(colon + 1),
        req.id,
      );
      req.actor = await loadActor(db, user, 'session');
    } else {
      throw new AppError('unauthenticated', 'Send Authorization: Bearer <API token> or Basic credentials');
    }
    const rootId = (req.params as { root?: string } | undefined)?.root;
    if (rootId !== undefined && !UUID.test(rootId)) throw new AppError('not_found', `No API root ${rootId}`);
  });

  const publicBase = (req: FastifyRequest) =>
    app.citywall.config.publicUrl ?? `${req.protocol}://${req.host}`;

  const cfg = { config: { authz: {} }, schema: { hide: true } } as const;

  app.get('/', cfg, async (req, reply) => {
    const roots = await taxiiService.discoveryRoots(ctxOf(req));
    return send(reply, 200, {
      title: 'Citywall TAXII 2.1',
      description: 'One API root per organization you may read; collections per organization and community.',
      default: roots[0] ? `${publicBase(req)}/taxii2/${roots[0].id}/` : undefined,
      api_roots: roots.map((r) => `${publicBase(req)}/taxii2/${r.id}/`),
    });
  });

  app.get('/:root/', cfg, async (req, reply) => {
    const root = await taxiiService.root(ctxOf(req), (req.params as { root: string }).root);
    return send(reply, 200, {
      title: root.name,
      description: `Threat intelligence of ${root.name}`,
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: maxContentLength,
    });
  });

  app.get('/:root/status/:statusId/', cfg, async (req, reply) => {
    const p = req.params as { root: string; statusId: string };
    return send(reply, 200, await taxiiService.status(ctxOf(req), p.root, p.statusId));
  });

  app.get('/:root/collections/', cfg, async (req, reply) => {
    const p = req.params as { root: string };
    return send(reply, 200, { collections: await taxiiService.collections(ctxOf(req), p.root) });
  });

  app.get('/:root/collections/:collection/', cfg, async (req, reply) => {
    const p = req.params as { root: string; collection: string };
    const { collection } = await taxiiService.collection(ctxOf(req), p.root, p.collection);
    const { scope: _scope, ...c } = collection;
    return send(reply, 200, c);
  });

  app.get('/:root/collections/:collection/manifest/', cfg, async (req, reply) => {
    const p = req.params as { root: string; collection: string };
    const page = await taxiiService.page(ctxOf(req), p.root, p.collection, 'manifest', pageRequest(req));
    dateHeaders(reply, page);
    return send(reply, 200, {
      more: page.more,
      ...(page.next ? { next: page.next } : {}),
      ...(page.items.length ? { objects: page.items.map(taxiiService.manifestRecord) } : {}),
    });
  });

  app.get('/:root/collections/:collection/objects/', cfg, async (req, reply) => {
    const p = req.params as { root: string; collection: string };
    const page = await taxiiService.page(ctxOf(req), p.root, p.collection, 'objects', pageRequest(req));
    dateHeaders(reply, page);
    return send(reply, 200, {
      more: page.more,
      ...(page.next ? { next: page.next } : {}),
      ...(page.items.length ? { objects: page.items.map((r) => r.object) } : {}),
    });
  });

  app.post('/:root/collections/:collection/objects/', cfg, async (req, reply) => {
    const p = req.params as { root: string; collection: string };
    return send(
      reply,
      202,
      await taxiiService.add(ctxOf(req), p.root, p.collection, req.body as Readable, maxContentLength),
    );
  });

  app.get('/:root/collections/:collection/objects/:object/', cfg, async (req, reply) => {
    const p = req.params as { root: string; collection: string; object: string };
    const r = pageRequest(req);
    if (r.match.id || r.match.type)
      throw new AppError('bad_request', 'match[id] and match[type] do not apply to one object');
    const page = await taxiiService.page(ctxOf(req), p.root, p.collection, 'object', {
      ...r,
      match: { ...r.match, id: [p.object] },
    });
    if (!page.items.length && !r.next) throw new AppError('not_found', `Object ${p.object} was not found`);
    dateHeaders(reply, page);
    return send(reply, 200, {
      more: page.more,
      ...(page.next ? { next: page.next } : {}),
      objects: page.items.map((i) => i.object),
    });
  });

  app.delete('/:root/collections/:collection/objects/:object/', cfg, async (req, reply) => {
    const p = req.params as { root: string; collection: string; object: string };
    const r = pageRequest(req);
    await taxiiService.remove(ctxOf(req), p.root, p.collection, p.object, r.match.version);
    return send(reply, 200, {});
  });

  app.get('/:root/collections/:collection/objects/:object/versions/', cfg, async (req, reply) => {
    const p = req.params as { root: string; collection: string; object: string };
    const r = pageRequest(req);
    if (r.match.id || r.match.type || r.match.version) {
      throw new AppError(
        'bad_request',
        'The versions endpoint filters by added_after and match[spec_version] only',
      );
    }
    const page = await taxiiService.page(ctxOf(req), p.root, p.collection, 'versions', {
      ...r,
      match: { ...r.match, id: [p.object] },
    });
    if (!page.items.length && !r.next) throw new AppError('not_found', `Object ${p.object} was not found`);
    dateHeaders(reply, page);
    return send(reply, 200, {
      more: page.more,
      ...(page.next ? { next: page.next } : {}),
      versions: page.items.map((i) => i.version),
    });
  });
}
