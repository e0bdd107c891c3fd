import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, rows } from '../../src/server/db/client.js';

describe('embedded database', () => {
  it('creates a new folder, reopens it with its data, and passes large text, json and jsonb parameters intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'citywall-db-'));
    try {
      // Several kinds of characters, well above the size at which parameters go as UTF-8 bytes.
      const text = `${'Año 2026 — ciudad ✓ 🚦 "quoted" \\ back\nslash\t'.repeat(300)}end`;
      const doc = { text, list: [1, 2.5, null, true], nested: { ñ: 'ü' } };
      const first = await openDatabase({ dataDir: dir });
      try {
        const [r] = await rows<{ t: string; n: number; j: unknown; jb: unknown; empty: string }>(
          first.db,
          sql`select ${text}::text as t, length(${text}::text) as n, ${JSON.stringify(doc)}::json as j,
            ${JSON.stringify(doc)}::jsonb as jb, ${''}::text as empty`,
        );
        expect(r).toEqual({ t: text, n: [...text].length, j: doc, jb: doc, empty: '' });
        // Arrays with long elements, and dates as text, as PGlite's own serializers give them.
        const when = new Date('2026-11-22T10:00:00.000Z');
        const [a] = await rows<{ n: number; first: string; last: string; d: string }>(
          first.db,
          sql`select cardinality(${sql.param([text, 'a'])}::text[]) as n, (${sql.param([text, 'a'])}::text[])[1] as first,
            (${sql.param([{ text }, { b: 1 }])}::jsonb[])[2]->>'b' as last, ${when}::text as d`,
        );
        expect(a).toEqual({ n: 2, first: text, last: '1', d: '2026-11-22T10:00:00.000Z' });
        await first.db.execute(sql`create table kept (v text)`);
        await first.db.execute(sql`insert into kept values (${text})`);
        // A malformed jsonb parameter is refused by the database, as from text.
        await expect(first.db.execute(sql`select ${`{${'x'.repeat(5000)}`}::jsonb`)).rejects.toThrow();
      } finally {
        await first.close();
      }
      const again = await openDatabase({ dataDir: dir });
      try {
        expect(await rows(again.db, sql`select v from kept`)).toEqual([{ v: text }]);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
