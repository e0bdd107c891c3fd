import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import { AppError } from './errors.js';

/**
 * Secrets Citywall must use in clear later (a TAXII server's token, a webhook's signing key) are stored sealed
 * with AES-256-GCM. The key comes from CITYWALL_SECRET_KEY (32 bytes, base64 or hex) or, without it, from
 * `secret.key` in the data folder, created on first start with owner-only permissions. Backups of the database
 * need that key to be read back: keep it with them, and give every server of one database the same key.
 */
const PREFIX = 'cw1:';
let key: Buffer | null = null;
let missing = 'no secret key configured';

export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const buf = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length !== 32) {
    throw new AppError(
      'bad_request',
      'Configuration error: CITYWALL_SECRET_KEY must be 32 bytes (base64 or hex)',
    );
  }
  return buf;
}

/** Takes the key from the configuration or the data folder (creating it there when the folder exists). */
export function configureSecrets(config: Pick<Config, 'dataDir' | 'secretKey'>): void {
  if (config.secretKey) {
    key = parseSecretKey(config.secretKey);
    return;
  }
  const file = join(config.dataDir, 'secret.key');
  if (existsSync(file)) {
    key = parseSecretKey(readFileSync(file, 'utf8'));
    return;
  }
  if (existsSync(config.dataDir)) {
    const fresh = randomBytes(32);
    writeFileSync(file, `${fresh.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    key = fresh;
    return;
  }
  key = null;
  missing = `set CITYWALL_SECRET_KEY, or create the data folder ${config.dataDir} so a key can be kept there`;
}

function needKey(): Buffer {
  if (!key) throw new AppError('bad_request', `Citywall cannot store secrets: ${missing}`);
  return key;
}

/** Seals a secret for storage. */
export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', needKey(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64')}.${cipher.getAuthTag().toString('base64')}.${body.toString('base64')}`;
}

/**
 * Opens a sealed secret. A value stored before secrets were sealed is returned as it is (and sealed on its next
 * write); a value sealed with another key is an error that says so.
 */
export function openSecret(stored: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const [iv, tag, body] = stored.slice(PREFIX.length).split('.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', needKey(), Buffer.from(iv ?? '', 'base64'));
    decipher.setAuthTag(Buffer.from(tag ?? '', 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body ?? '', 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      'conflict',
      "A stored secret cannot be opened with this server's key (was the database restored without its secret.key or CITYWALL_SECRET_KEY?)",
    );
  }
}

export const isSealed = (stored: string) => stored.startsWith(PREFIX);
