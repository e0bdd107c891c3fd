import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLP_LEVELS, type TlpLevel } from '../../src/core/stix/index.js';
import { communityMembers, stixObjects, stixShares } from '../../src/server/db/schema/index.js';
import { intelRepository } from '../../src/server/modules/intel/intel.repository.js';
import { clearanceOf } from '../../src/server/modules/intel/intel.service.js';
import { canSee, mayPush, type ObjectAccess } from '../../src/server/modules/intel/tlp-policy.js';
import { type TestEnv, testEnv } from '../helpers/app.js';

/**
 * Generated worlds of organizations, communities, objects, markings and shares: the SQL policy that every list,
 * search, export, graph and TAXII query uses must agree with the in-memory policy for every reader, and the
 * in-memory policy must keep the TLP invariants.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(() => env?.close());

function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('TLP policy over generated worlds', () => {
  for (const seed of [1, 2, 3]) {
    it(`SQL and in-memory decisions agree, and no reader sees what its clearance forbids (seed ${seed})`, async () => {
      const rnd = prng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
      const db = env.database.db;
      const region = await env.org(`Gen Region ${seed}`, 'region');
      const orgs: { id: string; path: string; parentId: string | null }[] = [];
      for (let i = 0; i < 3; i++) {
        const city = await env.org(`Gen City ${seed}-${i}`, 'city', region.id);
        orgs.push({ ...city, parentId: region.id });
        const dept = await env.org(`Gen Dept ${seed}-${i}`, 'department', city.id);
        orgs.push({ ...dept, parentId: city.id });
      }
      const communities: string[] = [];
      const members = new Map<string, string[]>();
      for (let i = 0; i < 2; i++) {
        const c = (
          await env.call(env.admin, {
            method: 'POST',
            url: '/api/v1/orgs',
            payload: { kind: 'community', name: `Gen Community ${seed}-${i}` },
          })
        ).json();
        communities.push(c.id);
        const ms = orgs.filter(() => rnd() < 0.4).map((o) => o.id);
        members.set(c.id, ms);
        if (ms.length)
          await db.insert(communityMembers).values(ms.map((m) => ({ orgId: c.id, memberOrgId: m })));
      }
      const objects: (ObjectAccess & { stixId: string })[] = [];
      for (let i = 0; i < 80; i++) {
        const owner = pick(orgs).id;
        const tlp = pick(TLP_LEVELS) as TlpLevel;
        const targets = [
          ...new Set([...communities, ...orgs.map((o) => o.id)].filter(() => rnd() < 0.12)),
        ].filter((t) => t !== owner);
        const stixId = `indicator--${randomUUID()}`;
        await db.insert(stixObjects).values({
          orgId: owner,
          stixId,
          version: '2026-01-01T00:00:00.000Z',
          type: 'indicator',
          tlp,
          name: `gen ${seed}`,
          object: { id: stixId },
        });
        if (targets.length)
          await db.insert(stixShares).values(targets.map((t) => ({ orgId: owner, stixId, targetOrgId: t })));
        const ownerCommunities = communities.filter((c) => members.get(c)?.includes(owner));
        objects.push({ stixId, ownerOrgId: owner, tlp, shareTargets: targets, ownerCommunities });
      }
      const readers = [...orgs, ...communities.map((id) => ({ id, path: `/${id}/`, parentId: null }))];
      for (const reader of readers) {
        const c = await clearanceOf(db, reader);
        const { items } = await intelRepository.list(db, c, { q: `gen ${seed}` }, 500, 0);
        const bySql = items.map((i) => i.stix_id).sort();
        const byMemory = objects
          .filter((o) => canSee(o, c))
          .map((o) => o.stixId)
          .sort();
        expect(bySql, `reader ${reader.id}`).toEqual(byMemory);
        for (const o of objects.filter((x) => canSee(x, c))) {
          const own = o.ownerOrgId === reader.id;
          if (o.tlp === 'red') expect(own || o.shareTargets.includes(reader.id)).toBe(true);
          if (o.tlp === 'amber+strict') {
            expect(
              own ||
                o.shareTargets.includes(reader.id) ||
                o.shareTargets.some((t) => members.get(t)?.includes(reader.id)),
            ).toBe(true);
          }
          if (o.tlp === 'amber') {
            const recipients = [
              o.ownerOrgId,
              ...o.shareTargets,
              ...o.shareTargets.flatMap((t) => members.get(t) ?? []),
            ];
            expect(recipients.some((r) => reader.path.includes(`/${r}/`))).toBe(true);
          }
        }
      }
    });
  }
});

describe('what a push feed may send', () => {
  it('never sends RED, and nothing whose stored, latest or own marking is above the maximum', () => {
    const levels = [undefined, ...TLP_LEVELS] as const;
    let allowed = 0;
    for (const stored of levels)
      for (const latest of levels)
        for (const own of levels)
          for (const max of TLP_LEVELS) {
            const marks = [stored, latest, own].filter((l): l is TlpLevel => !!l);
            const sent = mayPush([stored, latest, own], max);
            if (marks.includes('red') || max === 'red' || marks.length === 0) {
              expect(sent).toBe(false);
              continue;
            }
            const above = marks.some((l) => TLP_LEVELS.indexOf(l) > TLP_LEVELS.indexOf(max));
            expect(sent).toBe(!above);
            if (sent) allowed++;
          }
    expect(allowed).toBeGreaterThan(0);
    // A level the policy does not know is held back.
    expect(mayPush(['green', 'purple' as TlpLevel], 'amber')).toBe(false);
  });
});
