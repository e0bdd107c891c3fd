import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/errors.js';
import { checkOutboundUrl, classifyAddress, outboundFetch } from '../../src/server/http/outbound.js';
import { type TestEnv, testEnv } from '../helpers/app.js';

let server: Server;
let port: number;
const hits: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const allow = { allowPrivate: true };
const deny = { allowPrivate: false };

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('outbound address policy', () => {
  it('classifies metadata, link-local, private, loopback and public addresses', () => {
    expect(classifyAddress('169.254.169.254')).toBe('forbidden');
    expect(classifyAddress('169.254.1.1')).toBe('forbidden');
    expect(classifyAddress('fd00:ec2::254')).toBe('forbidden');
    expect(classifyAddress('fe80::1')).toBe('forbidden');
    expect(classifyAddress('0.0.0.0')).toBe('forbidden');
    expect(classifyAddress('::')).toBe('forbidden');
    expect(classifyAddress('224.0.0.1')).toBe('forbidden');
    expect(classifyAddress('100.100.100.200')).toBe('forbidden');
    // IPv4 carried in IPv6 is judged as IPv4
    expect(classifyAddress('::ffff:169.254.169.254')).toBe('forbidden');
    expect(classifyAddress('::ffff:a9fe:a9fe')).toBe('forbidden');
    expect(classifyAddress('::ffff:127.0.0.1')).toBe('private');
    expect(classifyAddress('127.0.0.1')).toBe('private');
    expect(classifyAddress('::1')).toBe('private');
    expect(classifyAddress('10.1.2.3')).toBe('private');
    expect(classifyAddress('172.16.0.1')).toBe('private');
    expect(classifyAddress('172.32.0.1')).toBe('public');
    expect(classifyAddress('192.168.10.1')).toBe('private');
    expect(classifyAddress('100.64.0.1')).toBe('private');
    expect(classifyAddress('fd12:3456::1')).toBe('private');
    expect(classifyAddress('8.8.8.8')).toBe('public');
    expect(classifyAddress('2001:4860:4860::8888')).toBe('public');
  });

  it('refuses metadata and link-local addresses even when private networks are allowed', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://0.0.0.0:1/',
    ]) {
      const e = await refusal(checkOutboundUrl(url, allow, 'baseUrl'));
      expect(e.kind, url).toBe('validation');
      expect(e.message).toMatch(/link-local, metadata or reserved/);
      expect(e.errors?.[0].path).toBe('baseUrl');
    }
  });

  it('refuses other schemes and URLs with credentials', async () => {
    expect((await refusal(checkOutboundUrl('file:///etc/passwd', allow))).message).toMatch(/http and https/);
    expect((await refusal(checkOutboundUrl('gopher://127.0.0.1/', allow))).message).toMatch(/http and https/);
    expect((await refusal(checkOutboundUrl('http://u:p@127.0.0.1/', allow))).message).toMatch(/user name/);
  });

  it('reaches a local server when private networks are allowed, by address and by name', async () => {
    const res = await outboundFetch(`http://127.0.0.1:${port}/x`, allow);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    const byName = await outboundFetch(`http://localhost:${port}/by-name`, allow);
    expect(byName.status).toBe(200);
    expect(hits).toContain('/by-name');
  });

  it('refuses loopback by address and by resolved name when private networks are not allowed', async () => {
    const before = hits.length;
    const literal = await refusal(outboundFetch(`http://127.0.0.1:${port}/nope`, deny));
    expect(literal.message).toMatch(/127\.0\.0\.1 is a loopback or private address/);
    const named = await refusal(outboundFetch(`http://localhost:${port}/nope`, deny));
    expect(named.message).toMatch(/loopback or private address/);
    expect(named.message).toContain('CITYWALL_OUTBOUND_ALLOW_PRIVATE');
    expect(hits.length).toBe(before);
  });

  it('does not follow a redirect to a metadata address', async () => {
    const res = await outboundFetch(`http://127.0.0.1:${port}/redirect`, allow);
    expect(res.status).toBe(302);
    expect(res.ok).toBe(false);
  });
});

describe('gophish import under the outbound policy', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv({ CITYWALL_OUTBOUND_ALLOW_PRIVATE: 'false' });
  });
  afterAll(() => env?.close());

  it('refuses a gophish server on a private or metadata address with a problem naming baseUrl', async () => {
    const c = await env.org('Outbound City');
    const admin = await env.user('outbound-admin@test.local', { orgId: c.id, role: 'admin' });
    const url = `/api/v1/orgs/${c.id}/workforce/phishing/import-gophish`;
    const before = hits.length;
    for (const baseUrl of [
      `http://127.0.0.1:${port}`,
      `http://localhost:${port}`,
      'http://169.254.169.254',
    ]) {
      const res = await env.call(admin, {
        method: 'POST',
        url,
        payload: { baseUrl, apiKey: 'k', campaignId: 1 },
      });
      expect(res.statusCode, baseUrl).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors[0].path).toBe('baseUrl');
    }
    expect(hits.length).toBe(before);
    const campaigns = await env.call(admin, {
      method: 'GET',
      url: `/api/v1/orgs/${c.id}/workforce/phishing`,
    });
    expect(campaigns.json().total).toBe(0);
  });
});
