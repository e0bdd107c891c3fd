import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { BenchResult } from './index.js';

const root = new URL('../', import.meta.url).pathname;
const PASSWORD = 'benchmark-password-123';

/** Starts `citywall start` as a user would and returns once it prints its address. */
function start(dataDir: string, env: Record<string, string>) {
  return new Promise<{ proc: ChildProcess; url: string; ms: number }>((resolve, reject) => {
    const t0 = performance.now();
    const proc = spawn(process.execPath, [join(root, 'bin/citywall.js'), 'start'], {
      cwd: root,
      env: {
        ...process.env,
        CITYWALL_DATA_DIR: dataDir,
        CITYWALL_PORT: '0',
        CITYWALL_HOST: '127.0.0.1',
        CITYWALL_LOG_LEVEL: 'warn',
        CITYWALL_ADMIN_EMAIL: 'bench@citywall.local',
        CITYWALL_ADMIN_PASSWORD: PASSWORD,
        DATABASE_URL: '',
        ...env,
      },
    });
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/running at (http:\/\/\S+)/);
      if (m) resolve({ proc, url: m[1], ms: performance.now() - t0 });
    });
    proc.stderr!.on('data', (d) => (out += d));
    proc.on('exit', (code) => reject(new Error(`citywall exited with ${code}: ${out}`)));
  });
}

async function stop(proc: ChildProcess) {
  const done = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await done;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const sample of ['false', 'true']) {
    const dir = mkdtempSync(join(tmpdir(), 'cw-bench-'));
    try {
      const first = await start(dir, { CITYWALL_SAMPLE: sample });
      await stop(first.proc);
      const second = await start(dir, { CITYWALL_SAMPLE: sample });
      await stop(second.proc);
      const label = sample === 'true' ? 'sample' : 'empty';
      results.push({
        name: `first start, ${label} embedded database (create, migrate${sample === 'true' ? ', load sample' : ''})`,
        value: first.ms,
        unit: 'ms',
      });
      results.push({
        name: `start, existing ${label} embedded database`,
        value: second.ms,
        unit: 'ms',
        note: 'process start to listening, including TypeScript loading',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-'));
  const server = await start(dir, { CITYWALL_SAMPLE: 'true' });
  try {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@citywall.local', password: PASSWORD }),
    });
    const session = (await login.json()) as {
      csrfToken: string;
      organizations: { id: string; slug: string }[];
    };
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const created = await fetch(`${server.url}/api/v1/me/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({ name: 'bench', scope: 'read' }),
    });
    const { token } = (await created.json()) as { token: string };
    const city = session.organizations.find((o) => o.slug === 'example-city')!;
    const url = `${server.url}/api/v1/orgs/${city.id}/members?limit=50`;
    const check = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (check.status !== 200) throw new Error(`list endpoint answered ${check.status}`);
    const r = await autocannon({
      url,
      connections: 50,
      duration: 10,
      headers: { authorization: `Bearer ${token}` },
    });
    results.push({
      name: 'GET /api/v1/orgs/:orgId/members (bearer token, 50 connections, 10 s, embedded database)',
      value: r.requests.average,
      unit: 'req/s',
      note: `p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.non2xx} non-2xx`,
    });
  } finally {
    await stop(server.proc);
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
