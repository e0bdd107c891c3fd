import { createServer } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { bootstrap } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { mapRole } from '../../src/server/modules/auth/oidc.service.js';
import {
  membershipsRepository,
  orgsRepository,
  usersRepository,
} from '../../src/server/modules/orgs/orgs.repository.js';
import { ensureWebBuilt, hasChromium, launchChromium } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/db.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('OIDC role mapping', () => {
  const cfg = {
    issuer: 'http://x',
    clientId: 'c',
    roleClaim: 'groups',
    roleMap: { 'cw-admins': 'admin', 'cw-analysts': 'analyst', staff: 'viewer' },
    label: 'SSO',
  };
  it('takes the strongest mapped role from an array or a string claim', () => {
    expect(mapRole(cfg, { groups: ['staff', 'cw-analysts'] })).toBe('analyst');
    expect(mapRole(cfg, { groups: 'staff cw-admins' })).toBe('admin');
    expect(mapRole(cfg, { groups: ['unrelated'] })).toBeNull();
    expect(mapRole(cfg, {})).toBeNull();
  });
});

describe.skipIf(!hasChromium)('OpenID Connect sign-in against a real local provider', () => {
  let close: () => Promise<void>;
  let citywallUrl: string;
  let db: Awaited<ReturnType<typeof freshDatabase>>;

  beforeAll(async () => {
    ensureWebBuilt();
    const providerPort = await freePort();
    const issuer = `http://127.0.0.1:${providerPort}`;
    db = await freshDatabase();
    const config = loadConfig({
      CITYWALL_DATA_DIR: '/nonexistent',
      CITYWALL_SAMPLE: 'true',
      CITYWALL_ADMIN_PASSWORD: 'oidc-test-admin-password',
      CITYWALL_OIDC_ISSUER: issuer,
      CITYWALL_OIDC_CLIENT_ID: 'citywall',
      CITYWALL_OIDC_CLIENT_SECRET: 'a-long-client-secret-for-tests',
      CITYWALL_OIDC_ROLE_MAP: 'cw-analysts=analyst,cw-admins=admin',
      CITYWALL_OIDC_ORG: 'example-city',
      CITYWALL_OIDC_LABEL: 'Sign in with City ID',
    });
    await bootstrap(db, config);
    const app = await buildApp({ db, config });
    citywallUrl = await app.listen({ port: 0, host: '127.0.0.1' });

    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'citywall',
          client_secret: 'a-long-client-secret-for-tests',
          redirect_uris: [`${citywallUrl}/api/v1/auth/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
      findAccount: async (_ctx: unknown, id: string) => ({
        accountId: id,
        claims: async () => ({
          sub: id,
          email: `${id}@city.example`,
          email_verified: true,
          name: `Officer ${id}`,
          groups: ['cw-analysts'],
        }),
      }),
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
    });
    const providerServer = provider.listen(providerPort);
    close = async () => {
      await new Promise((r) => providerServer.close(r));
      await app.close();
      await db.drop();
    };
  }, 120_000);
  afterAll(() => close?.());

  it('signs a new person in through the provider and grants the mapped role', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${citywallUrl}/login`);
      await page.getByRole('link', { name: 'Sign in with City ID' }).click();
      // The provider's own login and consent pages.
      await page.locator('input[name=login]').fill('jdoe');
      await page.locator('input[name=password]').fill('anything');
      await page.locator('button[type=submit]').click();
      await page.locator('button[type=submit]').click();
      await page.getByRole('heading', { name: 'Example City', level: 1 }).waitFor();

      const user = await usersRepository.byEmail(db.db, 'jdoe@city.example');
      expect(user?.oidcSubject).toContain('#jdoe');
      const city = await orgsRepository.bySlug(db.db, 'example-city');
      const m = await membershipsRepository.find(db.db, user!.id, city!.id);
      expect(m?.role).toBe('analyst');
      const session = (await page.evaluate(() => fetch('/api/v1/auth/session').then((r) => r.json()))) as {
        user: { email: string };
      };
      expect(session.user.email).toBe('jdoe@city.example');
    } finally {
      await browser.close();
    }
  });
});
