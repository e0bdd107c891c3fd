import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv } from '../helpers/app.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => {
  await env.close();
});

describe('Example City', () => {
  it('yields varied levels measured from its sample data', async () => {
    const { loadExampleCity } = await import('../../src/server/sample/example-city.js');
    const s = await env.database.db.transaction((tx) => loadExampleCity(tx, env.admin.id));
    const res = await env.call(env.admin, {
      method: 'GET',
      url: `/api/v1/orgs/${s.orgIds.city}/strategy/maturity`,
    });
    if (res.statusCode !== 200) console.log(res.body);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    for (const st of r.steps)
      console.log(
        st.step,
        st.key,
        st.level,
        st.indicators.map((i: { key: string; value: number | null }) => `${i.key}=${i.value}`).join(' '),
        st.criteria
          .filter((c: { met: boolean }) => !c.met)
          .map((c: { text: string; level: number }) => `${c.level}:${c.text}`)
          .join(' | '),
      );
    const dash = await env.call(env.admin, {
      method: 'GET',
      url: `/api/v1/orgs/${s.orgIds.city}/strategy/dashboard`,
    });
    console.log(dash.statusCode, JSON.stringify(dash.json()).slice(0, 3000));
  });
});
