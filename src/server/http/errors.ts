import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type ErrorKind, toProblem } from '../errors.js';

const STATUS_KIND: Record<number, ErrorKind> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  406: 'bad_request',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function normalize(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = err.validation.map((v) => {
      const path = (v.instancePath || '').replace(/^\//, '').replaceAll('/', '.');
      const params = v.params as { issue?: { code?: string; keys?: string[] } };
      const keys = params.issue?.code === 'unrecognized_keys' ? params.issue.keys : undefined;
      return {
        path:
          [v.keyword === 'body' || !err.validationContext ? '' : err.validationContext, path]
            .filter(Boolean)
            .join('.') ||
          err.validationContext ||
          '',
        message: keys
          ? `unknown field${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}`
          : (v.message ?? 'invalid'),
      };
    });
    return new AppError(
      'validation',
      `The ${err.validationContext ?? 'request'} is not valid: ${errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ')}`,
      { errors },
    );
  }
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
    return new AppError('bad_request', `The request body is not valid JSON: ${err.message}`);
  }
  // A unique index refused a row that a concurrent request wrote first: the same answer as the service's own check.
  // Drivers and the ORM may wrap the database error; its SQLSTATE is on the error or its cause.
  const sqlState = (err as { code?: string }).code ?? (err.cause as { code?: string } | undefined)?.code;
  if (sqlState === '23505') {
    return new AppError(
      'conflict',
      'This conflicts with something that already exists (a duplicate name, slug or key)',
    );
  }
  if (sqlState === '23503') {
    return new AppError('conflict', 'This refers to something that does not exist (any more)');
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new AppError('payload_too_large', 'The request body is larger than this server accepts');
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError('unsupported_media_type', `Unsupported Content-Type: send application/json`);
  }
  const status = err.statusCode ?? 500;
  if (status < 500 && STATUS_KIND[status]) return new AppError(STATUS_KIND[status], err.message);
  return new AppError(
    'internal',
    'Something went wrong on the server; the request id identifies it in the log',
  );
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const appErr = normalize(err);
    if (appErr.kind === 'internal' || isResponseSerializationError(err)) {
      req.log.error({ err }, 'request failed');
    } else {
      req.log.info({ status: appErr.status, detail: appErr.message }, 'request refused');
    }
    if (appErr.kind === 'rate_limited' || appErr.kind === 'locked') {
      const retry = reply.getHeader('retry-after');
      if (!retry && appErr.kind === 'rate_limited') reply.header('retry-after', '60');
    }
    reply
      .status(appErr.status)
      .type('application/problem+json')
      .send(toProblem(appErr, req.url.split('?')[0]));
  });
}
