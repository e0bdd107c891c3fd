import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { hashPassword } from '../../src/server/auth/secrets.js';
import { loadConfig } from '../../src/server/config.js';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import type { Database, Db } from '../../src/server/db/client.js';
import type { Role } from '../../src/server/db/schema/orgs.js';
import { authService } from '../../src/server/modules/auth/auth.service.js';
import { membershipsRepository, usersRepository } from '../../src/server/modules/orgs/orgs.repository.js';
import { orgsService } from '../../src/server/modules/orgs/orgs.service.js';
import { freshDatabase } from './db.js';

/** A fixed key for sealing stored secrets in tests (never used outside them). */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export const PASSWORD = 'correct horse battery staple';
let hashed: Promise<string> | undefined;

export interface TestUser {
  id: string;
  email: string;
  token: string;
  headers: Record<string, string>;
}

export interface TestEnv {
  app: FastifyInstance;
  database: Database & { drop(): Promise<void> };
  admin: TestUser;
  close(): Promise<void>;
  /** A user with a write token; holding `role` in `orgId` when given. */
  user(
    email: string,
    grant?: { orgId: string; role: Role; inherit?: boolean },
    scope?: 'read' | 'write',
  ): Promise<TestUser>;
  org(
    name: string,
    kind?: 'city' | 'department' | 'region' | 'nation',
    parentId?: string | null,
  ): Promise<{ id: string; path: string; slug: string }>;
  /**
   * One request as `user`: through `app.inject` by default, over a real socket to the listening server when the
   * environment was opened with `{ http: true }`. Both answer with the same shape.
   */
  call(user: TestUser | null, opts: InjectOptions): Promise<TestResponse>;
  /** The server's base address (`http://127.0.0.1:<port>`) when it listens (`{ http: true }`). */
  url: string | undefined;
}

/** What tests read from an answer: the part of light-my-request's response both transports give. */
export type TestResponse = Pick<
  LightMyRequestResponse,
  | 'statusCode'
  | 'statusMessage'
  | 'headers'
  | 'body'
  | 'payload'
  | 'rawPayload'
  | 'json'
  | 'stream'
  | 'cookies'
>;

export interface TestEnvOptions {
  /** Listen on 127.0.0.1 (a free port) and send every `call` over HTTP instead of `app.inject`. */
  http: boolean;
  /** Configuration variables, as for `testEnv(env)`. */
  env?: Record<string, string>;
}

type Cookie = LightMyRequestResponse['cookies'][number];

/** The cookies a response sets, as light-my-request reports them. */
function parseSetCookie(header: string | string[] | undefined): Cookie[] {
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.map((line) => {
    const [pair = '', ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    const cookie: Cookie = {
      name: pair.slice(0, eq).trim(),
      value: decodeURIComponent(pair.slice(eq + 1).trim()),
    };
    for (const attr of attrs) {
      const [k = '', ...rest] = attr.split('=');
      const v = rest.join('=').trim();
      const key = k.trim().toLowerCase();
      if (key === 'expires') cookie.expires = new Date(v);
      else if (key === 'max-age') cookie.maxAge = Number(v);
      else if (key === 'secure') cookie.secure = true;
      else if (key === 'httponly') cookie.httpOnly = true;
      else if (key === 'samesite') cookie.sameSite = v;
      else if (key === 'path' || key === 'domain') cookie[key] = v;
    }
    return cookie;
  });
}

/** The request line's target: `url` (or `path`) with its query and `opts.query` merged in. */
function targetOf(opts: InjectOptions): string {
  const u = opts.url ?? opts.path ?? '/';
  const target = new URL(typeof u === 'string' ? u : u.pathname, 'http://localhost');
  const add = (q: string | Record<string, string | string[]> | undefined) => {
    if (q === undefined) return;
    const params = typeof q === 'string' ? new URLSearchParams(q) : undefined;
    if (params) for (const [k, v] of params) target.searchParams.append(k, v);
    else
      for (const [k, v] of Object.entries(q as Record<string, string | string[]>))
        for (const one of Array.isArray(v) ? v : [v]) target.searchParams.append(k, one);
  };
  if (typeof u !== 'string') add(u.query);
  add(opts.query);
  return `${target.pathname}${target.search}`;
}

/** The request body as bytes, serialized the way `app.inject` does (objects as JSON). */
async function bodyOf(
  payload: InjectOptions['payload'],
  headers: Record<string, string | string[] | number | undefined>,
): Promise<Buffer | undefined> {
  if (payload === undefined || payload === null) return undefined;
  if (Buffer.isBuffer(payload)) return payload;
  if (typeof payload === 'string') return Buffer.from(payload);
  if (typeof (payload as NodeJS.ReadableStream).pipe === 'function') {
    const parts: Buffer[] = [];
    for await (const chunk of payload as AsyncIterable<Buffer | string>)
      parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(parts);
  }
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  return Buffer.from(JSON.stringify(payload));
}

/** Sends one request to `base` over a real socket and answers like `app.inject`. */
async function overHttp(base: string, agent: Agent, opts: InjectOptions): Promise<TestResponse> {
  const headers = { ...(opts.headers ?? {}) } as Record<string, string | string[] | number | undefined>;
  const body = await bodyOf(opts.payload ?? opts.body, headers);
  if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length'))
    headers['content-length'] = body.length;
  if (opts.cookies) {
    const pairs: [string, string][] = Array.isArray(opts.cookies)
      ? opts.cookies.map((c) => [c.name, c.value])
      : Object.entries(opts.cookies).map(([k, v]) => [k, typeof v === 'string' ? v : String(v.value)]);
    const jar = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    headers.cookie = [headers.cookie, ...jar].filter(Boolean).join('; ');
  }
  const { hostname, port } = new URL(base);
  const answer = await new Promise<{
    status: number;
    message: string;
    headers: IncomingHttpHeaders;
    raw: Buffer;
  }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method: opts.method ?? 'GET',
        path: targetOf(opts),
        headers: headers as Record<string, string | string[] | number>,
        agent,
        signal: opts.signal as AbortSignal | undefined,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            message: res.statusMessage ?? '',
            headers: res.headers,
            raw: Buffer.concat(parts),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  const text = answer.raw.toString('utf8');
  return {
    statusCode: answer.status,
    statusMessage: answer.message,
    headers: answer.headers,
    rawPayload: answer.raw,
    body: text,
    payload: text,
    json: () => JSON.parse(text),
    stream: () => Readable.from([answer.raw]),
    cookies: parseSetCookie(answer.headers['set-cookie']),
  };
}

let counter = 0;

/**
 * A user (password `PASSWORD`) with an API token of `scope`, holding `role` in `orgId` when a grant is given: for
 * any database a test opened, including a browser test's server.
 */
export async function createUser(
  db: Db,
  email: string,
  grant?: { orgId: string; role: Role; inherit?: boolean },
  scope: 'read' | 'write' = 'write',
  instanceAdmin = false,
): Promise<TestUser> {
  hashed ??= hashPassword(PASSWORD);
  const u = await usersRepository.insert(db, {
    email,
    name: email.split('@')[0],
    passwordHash: await hashed,
    isInstanceAdmin: instanceAdmin,
  });
  if (grant)
    await membershipsRepository.insert(db, {
      userId: u.id,
      orgId: grant.orgId,
      role: grant.role,
      inherit: grant.inherit ?? false,
    });
  const { token } = await authService.createToken(
    { db, actor: { ...SYSTEM_ACTOR, isInstanceAdmin: true } },
    { name: 'test', scope, expiresInDays: 1 },
    u.id,
  );
  return { id: u.id, email, token, headers: { authorization: `Bearer ${token}` } };
}

/**
 * A fresh database and app. `testEnv(env)` sets configuration variables; `testEnv({ http: true, env })` also
 * makes the server listen and sends `call` over real HTTP.
 */
export async function testEnv(options: Record<string, string> | TestEnvOptions = {}): Promise<TestEnv> {
  const http = typeof (options as TestEnvOptions).http === 'boolean';
  const opts: TestEnvOptions = http
    ? (options as TestEnvOptions)
    : { http: false, env: options as Record<string, string> };
  const env = opts.env ?? {};
  const database = await freshDatabase();
  const config = loadConfig({
    CITYWALL_DATA_DIR: '/nonexistent',
    CITYWALL_SECRET_KEY: TEST_SECRET_KEY,
    ...env,
  });
  const app = await buildApp({ db: database, config });
  const ctx = { db: database.db, actor: SYSTEM_ACTOR };

  const user = (
    email: string,
    grant?: { orgId: string; role: Role; inherit?: boolean },
    scope: 'read' | 'write' = 'write',
    instanceAdmin = false,
  ) => createUser(database.db, email, grant, scope, instanceAdmin);
  const admin = await user('root@test.local', undefined, 'write', true);
  const url = opts.http ? await app.listen({ port: 0, host: '127.0.0.1' }) : undefined;
  const agent = new Agent({ keepAlive: true });
  return {
    url,
    app,
    database,
    admin,
    user: (email, grant, scope) => user(email, grant, scope),
    async org(name, kind = 'city', parentId = null) {
      const o = await orgsService.create(ctx, {
        name,
        kind,
        parentId,
        slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${++counter}`,
        description: '',
      });
      return { id: o.id, path: o.path, slug: o.slug };
    },
    call(u, req) {
      const withUser = { ...req, headers: { ...(u?.headers ?? {}), ...(req.headers ?? {}) } };
      return url ? overHttp(url, agent, withUser) : app.inject(withUser);
    },
    async close() {
      agent.destroy();
      await app.close();
      await database.drop();
    },
  };
}
