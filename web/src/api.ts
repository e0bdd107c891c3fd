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

export type Role = 'admin' | 'analyst' | 'contributor' | 'viewer' | 'auditor';
export const ROLES: Role[] = ['admin', 'analyst', 'contributor', 'viewer', 'auditor'];
export const ORG_KINDS = [
  'nation',
  'region',
  'city',
  'department',
  'utility',
  'partner',
  'community',
] as const;

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

/** What each role may do; mirrors the server's table so the UI only offers what will be allowed. */
const PERMS: Record<Role, string[]> = {
  viewer: ['org.read', 'data.read'],
  contributor: ['org.read', 'data.read', 'data.write'],
  analyst: ['org.read', 'members.read', 'jobs.read', 'data.read', 'data.write', 'data.analyze'],
  auditor: ['org.read', 'members.read', 'audit.read', 'jobs.read', 'data.read'],
  admin: [
    'org.read',
    'org.manage',
    'members.read',
    'members.manage',
    'audit.read',
    'jobs.read',
    'jobs.manage',
    'data.read',
    'data.write',
    'data.analyze',
    'data.admin',
  ],
};
export function can(org: Organization | undefined, permission: string): boolean {
  return !!org?.roles.some((r) => PERMS[r].includes(permission));
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Sends a multipart form (a file upload) with the same session, CSRF and error handling as `api`. */
export async function upload<T = unknown>(path: string, form: FormData): Promise<T> {
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
