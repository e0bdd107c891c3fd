import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configureSecrets, openSecret, parseSecretKey, sealSecret } from './secrets.js';

describe('stored secrets', () => {
  it('seals with AES-256-GCM: random per value, opened with the key, refused with another or when altered', () => {
    configureSecrets({ dataDir: '/nonexistent', secretKey: Buffer.alloc(32, 1).toString('base64') });
    const a = sealSecret('bearer-token-123');
    const b = sealSecret('bearer-token-123');
    expect(a).toMatch(/^cw1:/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('bearer');
    expect(openSecret(a)).toBe('bearer-token-123');
    const tampered = `${a.slice(0, -4)}AAA=`;
    expect(() => openSecret(tampered)).toThrow(/cannot be opened with this server's key/);
    configureSecrets({ dataDir: '/nonexistent', secretKey: Buffer.alloc(32, 2).toString('hex') });
    expect(() => openSecret(a)).toThrow(/cannot be opened/);
    // A value stored before sealing existed is read as it is.
    expect(openSecret('legacy-clear-token')).toBe('legacy-clear-token');
  });

  it('keeps a generated key in the data folder, owner-only, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-secret-'));
    configureSecrets({ dataDir: dir });
    const sealed = sealSecret('x');
    const file = join(dir, 'secret.key');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseSecretKey(readFileSync(file, 'utf8'))).toHaveLength(32);
    configureSecrets({ dataDir: dir });
    expect(openSecret(sealed)).toBe('x');
  });

  it('says what to do when there is no key, and refuses a key of the wrong size', () => {
    configureSecrets({ dataDir: '/nonexistent/folder' });
    expect(() => sealSecret('x')).toThrow(/set CITYWALL_SECRET_KEY/);
    expect(() => parseSecretKey('c2hvcnQ=')).toThrow(/must be 32 bytes/);
  });
});
