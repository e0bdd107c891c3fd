import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/client.js';

const root = new URL('../../', import.meta.url).pathname;

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [join(root, 'bin/citywall.js'), ...args], {
      env: { ...process.env, ...env, DATABASE_URL: '' },
      cwd: root,
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('embedded database folder lock', () => {
  it('refuses a second process with a clear message, and frees the folder on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-lock-'));
    const first = await openDatabase({ dataDir: dir });
    try {
      const second = await runCli(['org', 'list'], { CITYWALL_DATA_DIR: dir });
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr).toMatch(/already open in process \d+/);
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/already open in this process/);
    } finally {
      await first.close();
    }
    const reopened = await openDatabase({ dataDir: dir });
    await reopened.close();
  }, 120_000);

  it('takes over a lock left by a process that died', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-lock-'));
    writeFileSync(join(dir, 'citywall.lock'), '999999');
    const db = await openDatabase({ dataDir: dir });
    await db.close();
  });
});

describe('CLI', () => {
  it('creates a user and prints a token alone on the last line; errors are one line with a non-zero exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-cli-'));
    const env = { CITYWALL_DATA_DIR: dir };
    const created = await runCli(['user', 'create', '--email', 'cli@city.test', '--name', 'CLI'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/One-time password: \S+/);
    const token = await runCli(
      ['token', 'create', '--email', 'cli@city.test', '--name', 'automation', '--scope', 'write'],
      env,
    );
    expect(token.code).toBe(0);
    const lines = token.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^cw_[A-Za-z0-9_-]{40,}$/);
    const listed = await runCli(['token', 'list', '--email', 'cli@city.test'], env);
    expect(listed.stdout).toMatch(/automation/);
    expect(listed.stdout).not.toContain(lines[lines.length - 1]);
    const id = listed.stdout.split('\t')[0];
    const revoked = await runCli(['token', 'revoke', '--id', id], env);
    expect(revoked.stdout).toMatch(/Revoked/);
    const missing = await runCli(['token', 'create', '--email', 'nobody@city.test', '--name', 'x'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('citywall: No user with email nobody@city.test\n');
    const badScope = await runCli(
      ['token', 'create', '--email', 'cli@city.test', '--name', 'x', '--scope', 'admin'],
      env,
    );
    expect(badScope.code).toBe(1);
    const verify = await runCli(['audit', 'verify'], env);
    expect(verify.stdout).toMatch(/intact: \d+ events/);
    const importMissing = await runCli(['import', join(dir, 'nope.citywall')], env);
    expect(importMissing.code).toBe(1);
    expect(importMissing.stderr).toMatch(/No such file/);
  }, 120_000);
});

describe('CLI while the server holds the embedded database', () => {
  it('runs the command inside the server over its local socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-sock-'));
    const { startServer } = await import('../../src/server/main.js');
    const { loadConfig } = await import('../../src/server/config.js');
    const server = await startServer(
      loadConfig({
        CITYWALL_DATA_DIR: dir,
        CITYWALL_PORT: '0',
        CITYWALL_HOST: '127.0.0.1',
        CITYWALL_LOG_LEVEL: 'silent',
        CITYWALL_SAMPLE: 'true',
        CITYWALL_WORKER: 'false',
      }),
      () => {},
    );
    try {
      const env = { CITYWALL_DATA_DIR: dir };
      const created = await runCli(
        ['user', 'create', '--email', 'live@city.test', '--org', 'example-city', '--role', 'analyst'],
        env,
      );
      expect(created.stderr).toBe('');
      expect(created.stdout).toMatch(/Created live@city.test \(analyst in example-city\)/);
      const token = await runCli(['token', 'create', '--email', 'live@city.test', '--name', 'live'], env);
      const secret = token.stdout.trim().split('\n').pop()!;
      expect(secret).toMatch(/^cw_/);
      const res = await fetch(`${server.url}/api/v1/orgs`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(res.status).toBe(200);
      const again = await runCli(['start'], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already open in process \d+/);
      const bad = await runCli(['token', 'create', '--email', 'nobody@city.test', '--name', 'x'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe('citywall: No user with email nobody@city.test\n');
    } finally {
      await server.stop();
    }
  }, 180_000);
});
