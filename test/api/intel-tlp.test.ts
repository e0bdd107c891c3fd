import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  strictestTlp,
  TLP_LEVELS,
  TLP1_MARKING_IDS,
  TLP2_MARKING_IDS,
  type TlpLevel,
  tlpLevelOfMarking,
} from '../../src/core/stix/index.js';
import { type Ctx, SYSTEM_ACTOR } from '../../src/server/context.js';
import { stixObjects } from '../../src/server/db/schema/index.js';
import { intelRepository } from '../../src/server/modules/intel/intel.repository.js';
import { clearanceOf, communitiesService } from '../../src/server/modules/intel/intel.service.js';
import { canSee, mayPush, type ObjectAccess } from '../../src/server/modules/intel/tlp-policy.js';
import { orgsService } from '../../src/server/modules/orgs/orgs.service.js';
import { taxiiService } from '../../src/server/taxii/taxii.service.js';
import { type TestEnv, testEnv } from '../helpers/app.js';
import { bundleOf, indicator, T0 } from '../helpers/stix.js';

/**
 * Generated worlds of organization trees, communities, objects, markings and shares: every read path (the list,
 * the search, the export, TAXII collections, an object's page and its graph) must show a reader exactly what the
 * in-memory policy allows, and the in-memory policy must keep the TLP invariants. Objects enter through the real
 * import over HTTP, so their stored level is the one their markings (TLP 2.0 or 1.0) or the import's default say.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await testEnv({ http: true });
});
afterAll(() => env?.close());

type Reader = { id: string; path: string };

/** Every TLP marking id a producer may use: TLP 2.0's five and TLP 1.0's four. */
const MARKING_IDS = [...Object.values(TLP2_MARKING_IDS), ...Object.values(TLP1_MARKING_IDS)];

/**
 * A world: organizations, each the child of an earlier one or a root, with the TLP its imports give unmarked
 * objects; communities (each maybe under an organization) and their member organizations; objects, each with an
 * owner, zero to two TLP markings, the communities and organizations it is shared to (indexes into communities
 * then organizations), maybe a relationship between two earlier objects instead of an indicator, and the reader
 * who opens it and its graph. Indexes are taken modulo the lengths they point into, so every value is valid and
 * shrinks to 0.
 */
const world = fc.record({
  orgs: fc.array(
    fc.record({ parent: fc.option(fc.nat(), { nil: null }), defaultTlp: fc.constantFrom(...TLP_LEVELS) }),
    { minLength: 2, maxLength: 7 },
  ),
  communities: fc.array(
    fc.record({
      parent: fc.option(fc.nat(), { nil: null }),
      members: fc.uniqueArray(fc.nat({ max: 6 }), { maxLength: 4 }),
    }),
    { maxLength: 3 },
  ),
  objects: fc.array(
    fc.record({
      owner: fc.nat(),
      markings: fc.uniqueArray(fc.constantFrom(...MARKING_IDS), { maxLength: 2 }),
      targets: fc.uniqueArray(fc.nat({ max: 9 }), { maxLength: 3 }),
      relationship: fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: null }),
      reader: fc.nat(),
    }),
    { minLength: 1, maxLength: 16 },
  ),
});

interface Obj extends ObjectAccess {
  stixId: string;
  ends: [string, string] | null;
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

describe('TLP policy over generated worlds', () => {
  it('every read path shows exactly what the in-memory policy allows, and the policy keeps TLP (fast-check)', async () => {
    const db = env.database.db;
    const ctx: Ctx = { db, actor: SYSTEM_ACTOR };
    const api = (url: string) => env.call(env.admin, { method: 'GET', url: `/api/v1/orgs/${url}` });
    let run = 0;

    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        // Each run builds its own organizations; its objects carry a label and a word of their name of their own.
        const tag = `gw${++run}x`;
        const orgs: Reader[] = [];
        for (const [i, o] of w.orgs.entries()) {
          const parent = i > 0 && o.parent !== null ? orgs[o.parent % i]! : null;
          orgs.push(await env.org(`${tag} org ${i}`, parent ? 'department' : 'city', parent?.id ?? null));
        }
        const communities: Reader[] = [];
        const members = new Map<string, string[]>();
        for (const [i, c] of w.communities.entries()) {
          const parent = c.parent === null ? null : orgs[c.parent % orgs.length]!;
          const created = await orgsService.create(ctx, {
            kind: 'community',
            name: `${tag} community ${i}`,
            slug: `${tag}-community-${i}`,
            parentId: parent?.id ?? null,
            description: '',
          });
          communities.push(created);
          const ids = [...new Set(c.members.map((m) => orgs[m % orgs.length]!.id))];
          for (const m of ids) await communitiesService.addMember(ctx, created.id, m);
          members.set(created.id, ids);
        }
        const readers = [...orgs, ...communities];
        const inSubtree = (reader: Reader, of: string) => reader.path.includes(`/${of}/`);

        // The objects, imported per owner through the API, each unmarked one at its owner's default.
        const objects: Obj[] = [];
        const bundles = new Map<number, unknown[]>();
        for (const [i, o] of w.objects.entries()) {
          const ownerIndex = o.owner % orgs.length;
          const owner = orgs[ownerIndex]!.id;
          const shareTo = [...communities.map((c) => c.id), ...orgs.map((x) => x.id)];
          const targets = [...new Set(o.targets.map((t) => shareTo[t % shareTo.length]!))].filter(
            (t) => t !== owner,
          );
          const levels = o.markings.map((m) => tlpLevelOfMarking(m)!);
          const tlp = strictestTlp(levels) ?? w.orgs[ownerIndex]!.defaultTlp;
          const indicators = objects.filter((x) => !x.ends);
          const rel = o.relationship;
          const ends =
            rel && indicators.length >= 2 && rel[0] % indicators.length !== rel[1] % indicators.length
              ? ([
                  indicators[rel[0] % indicators.length]!.stixId,
                  indicators[rel[1] % indicators.length]!.stixId,
                ] as [string, string])
              : null;
          const marks = o.markings.length ? { object_marking_refs: o.markings } : {};
          const stix = ends
            ? {
                type: 'relationship',
                spec_version: '2.1',
                id: `relationship--${randomUUID()}`,
                created: T0,
                modified: T0,
                relationship_type: 'related-to',
                source_ref: ends[0],
                target_ref: ends[1],
                labels: [tag],
                ...marks,
              }
            : { ...indicator(`${tag} object ${i}`, undefined, { labels: [tag] }), ...marks };
          bundles.set(ownerIndex, [...(bundles.get(ownerIndex) ?? []), stix]);
          const ownerCommunities = communities
            .filter((c) => members.get(c.id)?.includes(owner))
            .map((c) => c.id);
          objects.push({
            stixId: stix.id,
            ownerOrgId: owner,
            tlp,
            shareTargets: targets,
            ownerCommunities,
            ends,
          });
        }
        for (const [ownerIndex, list] of bundles) {
          const imported = await env.call(env.admin, {
            method: 'POST',
            url: `/api/v1/orgs/${orgs[ownerIndex]!.id}/intel/bundles?atomic=true&tlp=${encodeURIComponent(
              w.orgs[ownerIndex]!.defaultTlp,
            )}`,
            payload: bundleOf(list),
          });
          expect(imported.statusCode, imported.body).toBe(200);
          expect(imported.json().imported).toBe(list.length);
        }
        // The stored level is the one the markings (or the default) say.
        const stored = await db
          .select({ stixId: stixObjects.stixId, tlp: stixObjects.tlp })
          .from(stixObjects)
          .where(
            inArray(
              stixObjects.stixId,
              objects.map((o) => o.stixId),
            ),
          );
        expect(new Map(stored.map((r) => [r.stixId, r.tlp]))).toEqual(
          new Map(objects.map((o) => [o.stixId, o.tlp])),
        );
        // Shares are stored rows: the policy must hold for any of them, whatever the sharing rules of the day.
        for (const o of objects)
          for (const t of o.shareTargets)
            await intelRepository.addShare(db, { orgId: o.ownerOrgId, stixId: o.stixId, targetOrgId: t });

        const byId = new Map(objects.map((o) => [o.stixId, o]));
        const ids = objects.map((o) => o.stixId);
        for (const reader of readers) {
          const c = await clearanceOf(db, reader);
          const visible = objects.filter((o) => canSee(o, c));
          const expected = sorted(visible.map((o) => o.stixId));
          const who = `reader ${reader.id}`;

          const list = await api(`${reader.id}/intel/objects?label=${tag}&limit=500`);
          expect(sorted(list.json().items.map((i: { stixId: string }) => i.stixId)), `list, ${who}`).toEqual(
            expected,
          );
          expect(list.json().total).toBe(expected.length);
          // The search leaves relationships out (they are found through the graph).
          const search = await api(`${reader.id}/intel/objects?q=${tag}&limit=500`);
          expect(
            sorted(search.json().items.map((i: { stixId: string }) => i.stixId)),
            `search, ${who}`,
          ).toEqual(sorted(visible.filter((o) => !o.ends).map((o) => o.stixId)));
          const bundle = await api(`${reader.id}/intel/bundle?label=${tag}`);
          expect(sorted(bundle.json().objects.map((o: { id: string }) => o.id)), `export, ${who}`).toEqual(
            expected,
          );

          // TAXII: the collection of everything the reader may see, and one per community it belongs to, which
          // serves what was shared to the community and the CLEAR and GREEN objects of its members.
          const collections = [
            { id: reader.id, serves: (_o: Obj) => true },
            ...c.communities.map((cid) => ({
              id: cid,
              serves: (o: Obj) =>
                o.shareTargets.includes(cid) ||
                (['clear', 'green'].includes(o.tlp) && o.ownerCommunities.includes(cid)),
            })),
          ];
          for (const col of collections) {
            const page = await taxiiService.page(ctx, reader.id, col.id, 'objects', {
              match: { id: ids },
              limit: 1000,
            });
            expect(sorted(page.items.map((r) => r.stix_id)), `TAXII collection ${col.id}, ${who}`).toEqual(
              sorted(visible.filter(col.serves).map((o) => o.stixId)),
            );
          }

          // The in-memory policy keeps TLP: what a reader sees, it sees through the owner, a share or a community.
          const sharedVia = (o: Obj) => [
            ...o.shareTargets,
            ...o.shareTargets.flatMap((t) => members.get(t) ?? []),
          ];
          for (const o of visible) {
            const own = o.ownerOrgId === reader.id;
            if (o.tlp === 'red') expect(own || o.shareTargets.includes(reader.id), `RED, ${who}`).toBe(true);
            if (o.tlp === 'amber+strict')
              expect(own || sharedVia(o).includes(reader.id), `AMBER+STRICT, ${who}`).toBe(true);
            if (o.tlp === 'amber')
              expect(
                [o.ownerOrgId, ...sharedVia(o)].some((r) => inSubtree(reader, r)),
                `AMBER, ${who}`,
              ).toBe(true);
            if (o.tlp === 'green') {
              const circle = [
                o.ownerOrgId,
                ...sharedVia(o),
                ...o.ownerCommunities,
                ...o.ownerCommunities.flatMap((t) => members.get(t) ?? []),
              ];
              expect(
                circle.some((r) => inSubtree(reader, r)),
                `GREEN, ${who}`,
              ).toBe(true);
            }
          }
          // And it does not hold back what TLP lets through.
          for (const o of objects) {
            const named = o.ownerOrgId === reader.id || o.shareTargets.includes(reader.id);
            const viaCommunity = o.shareTargets.some((t) => members.get(t)?.includes(reader.id));
            const must =
              o.tlp === 'clear' ||
              named ||
              (o.tlp !== 'red' && viaCommunity) ||
              (['green', 'amber'].includes(o.tlp) &&
                sharedVia(o)
                  .concat(o.ownerOrgId)
                  .some((r) => inSubtree(reader, r))) ||
              (o.tlp === 'green' && o.ownerCommunities.some((t) => members.get(t)?.includes(reader.id)));
            if (must) expect(canSee(o, c), `${o.tlp} withheld, ${who}`).toBe(true);
          }
        }

        // An object's page, and its graph one hop out, for the reader each object names.
        for (const [i, o] of objects.entries()) {
          const reader = readers[w.objects[i]!.reader % readers.length]!;
          const c = await clearanceOf(db, reader);
          const who = `${o.stixId} read by ${reader.id}`;
          const got = await api(`${reader.id}/intel/objects/${o.stixId}`);
          if (!canSee(o, c)) {
            expect(got.statusCode, who).toBe(404);
            expect((await api(`${reader.id}/intel/objects/${o.stixId}/graph?depth=1`)).statusCode, who).toBe(
              404,
            );
            continue;
          }
          expect(got.statusCode, who).toBe(200);
          expect([got.json().tlp, got.json().ownerOrgId], who).toEqual([o.tlp, o.ownerOrgId]);
          if (o.ends) continue;
          const graph = (await api(`${reader.id}/intel/objects/${o.stixId}/graph?depth=1`)).json();
          const edges = objects.filter(
            (e) =>
              e.ends?.includes(o.stixId) && canSee(e, c) && e.ends.every((end) => canSee(byId.get(end)!, c)),
          );
          expect(sorted(graph.edges.map((e: { id: string }) => e.id)), `graph edges, ${who}`).toEqual(
            sorted(edges.map((e) => e.stixId)),
          );
          const reached = objects
            .filter((e) => e.ends?.includes(o.stixId) && canSee(e, c))
            .flatMap((e) => e.ends!);
          expect(sorted(graph.nodes.map((n: { id: string }) => n.id)), `graph nodes, ${who}`).toEqual(
            sorted(new Set([o.stixId, ...reached.filter((end) => canSee(byId.get(end)!, c))])),
          );
        }
      }),
      // Each run builds a world and reads it some 50 times over HTTP: 25 runs, and shrinking a counterexample
      // stops after 100 s with the smallest one found so far.
      { numRuns: 25, interruptAfterTimeLimit: 100_000, markInterruptAsFailure: false },
    );
  }, 150_000);
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
