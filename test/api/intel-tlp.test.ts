import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import fc from 'fast-check';
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

type Reader = { id: string; path: string; parentId: string | null };

/**
 * A world over fixed organizations (a region's three cities and a department of each) and two communities: who
 * belongs to each community, and objects, each with an owner (an index into the organizations), a TLP level and
 * the organizations and communities it is shared to (indexes into communities then organizations).
 */
const ORGS = 6;
const COMMUNITIES = 2;
const world = fc.record({
  members: fc.array(fc.subarray([...Array(ORGS).keys()]), { minLength: COMMUNITIES, maxLength: COMMUNITIES }),
  objects: fc.array(
    fc.record({
      owner: fc.nat({ max: ORGS - 1 }),
      tlp: fc.constantFrom(...TLP_LEVELS),
      targets: fc.uniqueArray(fc.nat({ max: COMMUNITIES + ORGS - 1 }), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 30 },
  ),
});

describe('TLP policy over generated worlds', () => {
  it('SQL and in-memory decisions agree, and no reader sees what its clearance forbids (fast-check)', async () => {
    const db = env.database.db;
    const region = await env.org('Gen Region', 'region');
    const orgs: Reader[] = [];
    for (let i = 0; i < ORGS / 2; i++) {
      const city = await env.org(`Gen City ${i}`, 'city', region.id);
      orgs.push({ ...city, parentId: region.id });
      const dept = await env.org(`Gen Dept ${i}`, 'department', city.id);
      orgs.push({ ...dept, parentId: city.id });
    }
    const communities: string[] = [];
    for (let i = 0; i < COMMUNITIES; i++) {
      const c = await env.call(env.admin, {
        method: 'POST',
        url: '/api/v1/orgs',
        payload: { kind: 'community', name: `Gen Community ${i}` },
      });
      communities.push(c.json().id);
    }
    const readers: Reader[] = [
      ...orgs,
      ...communities.map((id) => ({ id, path: `/${id}/`, parentId: null })),
    ];
    let run = 0;

    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        // Each run has its own objects (found by a word of their name) and sets the communities' members anew.
        const tag = `genworld${++run}`;
        const members = new Map(communities.map((c, i) => [c, w.members[i]!.map((m) => orgs[m]!.id)]));
        await db.delete(communityMembers).where(inArray(communityMembers.orgId, communities));
        for (const [c, ms] of members)
          if (ms.length)
            await db.insert(communityMembers).values(ms.map((m) => ({ orgId: c, memberOrgId: m })));
        const objects: (ObjectAccess & { stixId: string })[] = [];
        for (const o of w.objects) {
          const owner = orgs[o.owner]!.id;
          const targets = o.targets
            .map((t) => [...communities, ...orgs.map((x) => x.id)][t]!)
            .filter((t) => t !== owner);
          const stixId = `indicator--${randomUUID()}`;
          await db.insert(stixObjects).values({
            orgId: owner,
            stixId,
            version: '2026-01-01T00:00:00.000Z',
            type: 'indicator',
            tlp: o.tlp,
            name: `gen ${tag}`,
            object: { id: stixId },
          });
          if (targets.length)
            await db
              .insert(stixShares)
              .values(targets.map((t) => ({ orgId: owner, stixId, targetOrgId: t })));
          const ownerCommunities = communities.filter((c) => members.get(c)?.includes(owner));
          objects.push({ stixId, ownerOrgId: owner, tlp: o.tlp, shareTargets: targets, ownerCommunities });
        }
        for (const reader of readers) {
          const c = await clearanceOf(db, reader);
          const { items } = await intelRepository.list(db, c, { q: tag }, 500, 0);
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
      }),
      { numRuns: 60 },
    );
  });
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
