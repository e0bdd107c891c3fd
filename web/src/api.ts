import { type Permission, type Role, roleAllows } from '../../src/core/tenancy/index';
import { currentLanguage } from './i18n';

/** The web client of the Citywall API: JSON in and out, the CSRF header on writes, problems as errors. */
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

let onUnauthenticated: () => void = () => {};
export function setOnUnauthenticated(fn: () => void) {
  onUnauthenticated = fn;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'The Citywall server cannot be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    if (res.status === 401 && path !== '/auth/login') onUnauthenticated();
    throw new ApiError(res.status, data?.detail ?? `Request failed (${res.status})`, data?.errors ?? []);
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

export { ORG_KINDS, ROLES, type Role } from '../../src/core/tenancy/index';

export interface Organization {
  id: string;
  parentId: string | null;
  kind: string;
  name: string;
  slug: string;
  description: string;
  isSample: boolean;
  depth: number;
  roles: Role[];
  createdAt: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  isInstanceAdmin: boolean;
  disabled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface SessionInfo {
  user: User;
  csrfToken: string | null;
  via: string;
  organizations: Organization[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface AuditEvent {
  seq: number;
  id: string;
  at: string;
  actorLabel: string;
  orgId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export function can(org: Organization | undefined, permission: Permission): boolean {
  return !!org && roleAllows(org.roles, permission);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** A calendar day (a due date, an agreement's end, an evidence date), without a time, in the reader's language. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`) : new Date(iso);
  return d.toLocaleDateString(currentLanguage(), { dateStyle: 'medium', timeZone: 'UTC' });
}

/** Sends a file as the raw request body (e.g. a STIX bundle), so the server can stream it. */
export async function uploadBody<T = unknown>(path: string, file: Blob): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(`/api/v1${path}`, {
    method: 'POST',
    headers,
    body: file,
    credentials: 'same-origin',
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    throw Object.assign(
      new ApiError(res.status, data?.detail ?? `Upload failed (${res.status})`, data?.errors ?? []),
      { body: data },
    );
  }
  return data as T;
}

/** Sends a multipart form (a file upload) with the same session, CSRF and error handling as `api`. */
export async function uploadForm<T = unknown>(path: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method: 'POST', headers, body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'The Citywall server cannot be reached. Check your connection and try again.');
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok)
    throw new ApiError(res.status, data?.detail ?? `Upload failed (${res.status})`, data?.errors ?? []);
  return data as T;
}
