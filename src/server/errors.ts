/**
 * One error taxonomy for the whole server. Services throw AppError; the HTTP edge maps it to an RFC 9457
 * problem response, the CLI to one line and a non-zero exit.
 */
export const ERROR_KINDS = {
  bad_request: { status: 400, title: 'Bad request' },
  validation: { status: 422, title: 'Validation failed' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Gone' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  locked: { status: 423, title: 'Locked' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;

  constructor(
    kind: ErrorKind,
    message: string,
    opts: { errors?: FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.errors = opts.errors;
    this.extra = opts.extra;
  }

  get status(): number {
    return ERROR_KINDS[this.kind].status;
  }
}

export const notFound = (what: string, id?: string) =>
  new AppError('not_found', id ? `${what} ${id} was not found` : `${what} was not found`);
export const forbidden = (message = 'You do not have permission to do this') =>
  new AppError('forbidden', message);

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [k: string]: unknown;
}

export function toProblem(err: AppError, instance?: string): Problem {
  return {
    type: `https://citywall.dev/problems/${err.kind.replaceAll('_', '-')}`,
    title: ERROR_KINDS[err.kind].title,
    status: err.status,
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...(err.errors ? { errors: err.errors } : {}),
    ...(err.extra ?? {}),
  };
}
