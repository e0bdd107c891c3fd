import { resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  CITYWALL_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  CITYWALL_HOST: z.string().default('0.0.0.0'),
  CITYWALL_DATA_DIR: z.string().default('./data'),
  CITYWALL_PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  CITYWALL_SAMPLE: bool.optional(),
  CITYWALL_ADMIN_EMAIL: z.email().optional(),
  CITYWALL_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  CITYWALL_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CITYWALL_SESSION_HOURS: z.coerce.number().positive().default(12),
  CITYWALL_BODY_LIMIT_MB: z.coerce.number().positive().default(10),
  CITYWALL_TAXII_MAX_CONTENT_LENGTH: z.coerce
    .number()
    .int()
    .min(1024 * 1024, 'at least 1 MiB (1048576 bytes)')
    .default(64 * 1024 * 1024),
  CITYWALL_WORKER: bool.default(true),
  CITYWALL_TRUST_PROXY: bool.default(false),
  CITYWALL_OIDC_ISSUER: z.url().optional(),
  CITYWALL_OIDC_CLIENT_ID: z.string().optional(),
  CITYWALL_OIDC_CLIENT_SECRET: z.string().optional(),
  CITYWALL_OIDC_ROLE_CLAIM: z.string().default('groups'),
  CITYWALL_OIDC_ROLE_MAP: z.string().default(''),
  CITYWALL_OIDC_ORG: z.string().optional(),
  CITYWALL_OIDC_LABEL: z.string().default('Single sign-on'),
  CITYWALL_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  CITYWALL_MAIL_FROM: z.string().default('Citywall <citywall@localhost>'),
  CITYWALL_SECRET_KEY: z.string().optional(),
  CITYWALL_VULN_FEEDS: bool.default(false),
  CITYWALL_NVD_API_URL: z.url().default('https://services.nvd.nist.gov/rest/json/cves/2.0'),
  CITYWALL_NVD_API_KEY: z.string().optional(),
  CITYWALL_KEV_URL: z
    .url()
    .default('https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json'),
  CITYWALL_EPSS_URL: z.url().default('https://epss.empiricalsecurity.com/epss_scores-current.csv.gz'),
  CITYWALL_OUTBOUND_ALLOW_PRIVATE: bool.default(true),
});

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  roleClaim: string;
  /** claim value → role */
  roleMap: Record<string, string>;
  /** slug of the organization in which mapped roles are granted */
  orgSlug?: string;
  label: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl?: string;
  databaseUrl?: string;
  sample?: boolean;
  adminEmail?: string;
  adminPassword?: string;
  logLevel: string;
  sessionHours: number;
  bodyLimitBytes: number;
  /** The TAXII server's max_content_length: the largest POST body it takes, in bytes (advertised in each API root). */
  taxiiMaxContentLength: number;
  worker: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (rate limits are per address). */
  trustProxy: boolean;
  oidc?: OidcConfig;
  /** Outgoing mail (agreement reminders); without a URL no mail is sent. */
  smtpUrl?: string;
  mailFrom: string;
  /** Key that seals stored secrets (see secrets.ts); without it, secret.key in the data folder. */
  secretKey?: string;
  /** Download the vulnerability feeds on a schedule (off by default: many city networks need a proxy rule first). */
  vulnFeeds: { enabled: boolean; nvdApiUrl: string; nvdApiKey?: string; kevUrl: string; epssUrl: string };
  /** Outgoing requests to addresses people enter (gophish): may they reach loopback and private networks? */
  outbound: { allowPrivate: boolean };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (DATABASE_URL= in a shell or a compose file) means "not set".
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AppError('bad_request', `Configuration error: ${String(first.path[0])} ${first.message}`);
  }
  const e = parsed.data;
  let oidc: OidcConfig | undefined;
  if (e.CITYWALL_OIDC_ISSUER) {
    if (!e.CITYWALL_OIDC_CLIENT_ID) {
      throw new AppError(
        'bad_request',
        'Configuration error: CITYWALL_OIDC_CLIENT_ID is required with CITYWALL_OIDC_ISSUER',
      );
    }
    const roleMap: Record<string, string> = {};
    for (const pair of e.CITYWALL_OIDC_ROLE_MAP.split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [claim, role] = pair.split('=').map((s) => s.trim());
      if (!claim || !['admin', 'analyst', 'contributor', 'viewer', 'auditor'].includes(role)) {
        throw new AppError(
          'bad_request',
          `Configuration error: CITYWALL_OIDC_ROLE_MAP entry "${pair}" must be claim=role`,
        );
      }
      roleMap[claim] = role;
    }
    oidc = {
      issuer: e.CITYWALL_OIDC_ISSUER,
      clientId: e.CITYWALL_OIDC_CLIENT_ID,
      clientSecret: e.CITYWALL_OIDC_CLIENT_SECRET,
      roleClaim: e.CITYWALL_OIDC_ROLE_CLAIM,
      roleMap,
      orgSlug: e.CITYWALL_OIDC_ORG,
      label: e.CITYWALL_OIDC_LABEL,
    };
  }
  return {
    port: e.CITYWALL_PORT,
    host: e.CITYWALL_HOST,
    dataDir: resolve(e.CITYWALL_DATA_DIR),
    publicUrl: e.CITYWALL_PUBLIC_URL?.replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    sample: e.CITYWALL_SAMPLE,
    adminEmail: e.CITYWALL_ADMIN_EMAIL,
    adminPassword: e.CITYWALL_ADMIN_PASSWORD,
    logLevel: e.CITYWALL_LOG_LEVEL,
    sessionHours: e.CITYWALL_SESSION_HOURS,
    bodyLimitBytes: Math.round(e.CITYWALL_BODY_LIMIT_MB * 1024 * 1024),
    taxiiMaxContentLength: e.CITYWALL_TAXII_MAX_CONTENT_LENGTH,
    worker: e.CITYWALL_WORKER,
    trustProxy: e.CITYWALL_TRUST_PROXY,
    oidc,
    smtpUrl: e.CITYWALL_SMTP_URL,
    mailFrom: e.CITYWALL_MAIL_FROM,
    secretKey: e.CITYWALL_SECRET_KEY,
    vulnFeeds: {
      enabled: e.CITYWALL_VULN_FEEDS,
      nvdApiUrl: e.CITYWALL_NVD_API_URL,
      nvdApiKey: e.CITYWALL_NVD_API_KEY,
      kevUrl: e.CITYWALL_KEV_URL,
      epssUrl: e.CITYWALL_EPSS_URL,
    },
    outbound: { allowPrivate: e.CITYWALL_OUTBOUND_ALLOW_PRIVATE },
  };
}
