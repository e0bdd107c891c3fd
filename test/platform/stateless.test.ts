import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { bootstrap } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { type Database, openDatabase } from '../../src/server/db/client.js';
import { dbKind, freshDatabase } from '../helpers/db.js';

/** Two server processes on one PostgreSQL: a session made on one is honoured by the other. */
describe.skipIf(dbKind !== 'postgres')('two servers on one PostgreSQL', () => {
  let first: Awaited<ReturnType<typeof freshDatabase>>;
  let second: Database;
  const env = {
    CITYWALL_DATA_DIR: '/nonexistent',
    CITYWALL_ADMIN_EMAIL: 'two@servers.test',
    CITYWALL_ADMIN_PASSWORD: 'two servers password',
  };

  beforeAll(async () => {
    first = await freshDatabase();
    // The second opens the same database and runs the migrations again: they must be a no-op.
    second = await openDatabase({ url: first.url });
  });
  afterAll(async () => {
    await second?.close();
    await first?.drop();
  });

  it('bootstraps once and shares sessions and data', async () => {
    const config = loadConfig(env);
    const [a, b] = await Promise.all([bootstrap(first, config), bootstrap(second, config)]);
    expect([a.adminCreated, b.adminCreated].filter(Boolean)).toHaveLength(1);
    const appA = await buildApp({ db: first, config });
    const appB = await buildApp({ db: second, config });
    try {
      const login = await appA.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: env.CITYWALL_ADMIN_EMAIL, password: env.CITYWALL_ADMIN_PASSWORD },
      });
      const cookie = String(login.headers['set-cookie']).split(';')[0];
      const headers = { cookie, 'x-csrf-token': login.json().csrfToken };
      const created = await appB.inject({
        method: 'POST',
        url: '/api/v1/orgs',
        headers,
        payload: { kind: 'city', name: 'Twin City' },
      });
      expect(created.statusCode).toBe(201);
      const listed = await appA.inject({ method: 'GET', url: '/api/v1/orgs', headers });
      expect(listed.json().items.map((o: { name: string }) => o.name)).toContain('Twin City');
    } finally {
      await appA.close();
      await appB.close();
    }
  });
});
