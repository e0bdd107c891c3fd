import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { rows } from '../../src/server/db/client.js';
import { intelRepository } from '../../src/server/modules/intel/intel.repository.js';
import { searchVector } from '../../src/server/modules/intel/intel.search.js';
import { toRow } from '../../src/server/modules/intel/intel.service.js';
import { orgsService } from '../../src/server/modules/orgs/orgs.service.js';
import { freshDatabase } from '../helpers/db.js';
import { indicator } from '../helpers/stix.js';

let database: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.drop());

/** The statement of migration 0025 that gives the objects stored before it their words. */
const backfill = readFileSync(
  new URL('../../src/server/db/migrations/0025_intel_search_words.sql', import.meta.url),
  'utf8',
)
  .split('--> statement-breakpoint')
  .map((s) => s.trim())
  .find((s) => s.includes('UPDATE'));

const lexemes = (vector: string | null) =>
  vector === null ? null : [...vector.matchAll(/'([^']*)'/g)].map((m) => m[1]).sort();

describe('search words of objects stored before the search column', () => {
  it('are the words the server gives new objects', async () => {
    expect(backfill).toBeDefined();
    const ctx = { db: database.db, actor: SYSTEM_ACTOR };
    const org = await orgsService.create(ctx, {
      name: 'Backfill City',
      kind: 'city',
      parentId: null,
      slug: 'backfill-city',
      description: '',
    });
    const texts: [string, string | undefined][] = [
      ['CVE-2021-44228 exploitation', 'Callbacks to evil.example, port 1389; T1059.001 and x_y'],
      ['Mu\u0308ller campaign', 'MÜLLER, müller, Ελλάδα, 東京, ｆｕｌｌ　ｗｉｄｔｈ'],
      ['Only a name', undefined],
      [`${'a'.repeat(257)} ${'b'.repeat(256)}`, '-- !! --'],
    ];
    const objects = texts.map(([name, description]) => indicator(name, 'amber', { description }));
    const relationship = { ...indicator('x'), type: 'relationship', description: 'uses things' };
    // Stored as an older version of the server stored them: without words.
    await intelRepository.insertMany(
      database.db,
      [...objects, relationship].map((o) => ({ ...toRow(org.id, o, 'amber'), search: null })),
    );
    await database.db.execute(sql.raw(backfill as string));
    const stored = await rows<{ stix_id: string; search: string | null }>(
      database.db,
      sql`select stix_id, search::text as search from stix_objects where org_id = ${org.id}`,
    );
    const byId = new Map(stored.map((r) => [r.stix_id, r.search]));
    for (const [i, o] of objects.entries()) {
      const [name, description] = texts[i];
      expect(lexemes(byId.get(o.id) ?? null), name).toEqual(
        lexemes(searchVector('indicator', name, description)),
      );
    }
    expect(byId.get(relationship.id)).toBeNull();
  });
});
