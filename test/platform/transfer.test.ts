import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { openDatabase } from '../../src/server/db/client.js';
import { enqueue } from '../../src/server/jobs/runner.js';
import { auditService } from '../../src/server/modules/audit/audit.service.js';
import { usersRepository } from '../../src/server/modules/orgs/orgs.repository.js';
import { loadExampleCity } from '../../src/server/sample/example-city.js';
import { exportTo, importFrom } from '../../src/server/transfer/transfer.js';
import { dbKind, freshDatabase } from '../helpers/db.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-transfer-'));
/** The data lines of an export: everything but the header's timestamp. */
const body = (file: string) =>
  gunzipSync(readFileSync(file)).toString('utf8').split('\n').slice(1).join('\n');

let source: Awaited<ReturnType<typeof openDatabase>>;
beforeAll(async () => {
  // The source is always the embedded database: the path a city takes when it outgrows one machine.
  source = await openDatabase({});
  const admin = await usersRepository.insert(source.db, {
    email: 'admin@x.test',
    name: 'A',
    passwordHash: 'scrypt$x',
  });
  await source.db.transaction((tx) => loadExampleCity(tx, admin.id));
  await enqueue(source.db, 'transfer.test', { unicode: 'Zürich – 東京 \u2028' });
  await auditService.record(
    source.db,
    { actor: SYSTEM_ACTOR },
    { orgId: null, action: 'test.quote', targetType: 't', after: { text: 'O\'Brien "quoted" \\ back' } },
  );
});
afterAll(() => source?.close());

describe(`export and import (PGlite → file → ${dbKind} → file)`, () => {
  it('round-trips every row identically', async () => {
    const a = join(dir, 'a.citywall');
    const exported = await exportTo(source.db, a);
    expect(exported.rows).toBeGreaterThan(20);
    const target = await freshDatabase();
    try {
      const imported = await importFrom(target.db, a);
      expect(imported.rows).toBe(exported.rows);
      const b = join(dir, 'b.citywall');
      await exportTo(target.db, b);
      expect(body(b)).toBe(body(a));
      expect((await auditService.verify(target.db)).ok).toBe(true);
      // Sequences continue after the imported rows.
      const job = await enqueue(target.db, 'after.import');
      expect(job.id).toBeGreaterThan(1);
      const again = await importFrom(target.db, a).catch((e: Error) => e);
      expect(String(again)).toMatch(/not empty/);
      const restored = await importFrom(target.db, a, { replace: true });
      expect(restored.rows).toBe(exported.rows);
    } finally {
      await target.drop();
    }
  });

  it('refuses a damaged, truncated or foreign file and writes nothing', async () => {
    const a = join(dir, 'good.citywall');
    await exportTo(source.db, a);
    const lines = gunzipSync(readFileSync(a)).toString('utf8').trimEnd().split('\n');
    const tampered = join(dir, 'tampered.citywall');
    // Rows come in primary-key (random uuid) order, so look for a row that surely holds the word.
    const at = lines.findIndex((l, i) => i > 0 && l.includes('Example City'));
    writeFileSync(
      tampered,
      gzipSync(
        [...lines.slice(0, at), lines[at].replace('Example', 'Exampel'), ...lines.slice(at + 1)].join('\n'),
      ),
    );
    const truncated = join(dir, 'truncated.citywall');
    writeFileSync(truncated, gzipSync(lines.slice(0, -1).join('\n')));
    const notGzip = join(dir, 'plain.citywall');
    writeFileSync(notGzip, 'hello');
    const foreign = join(dir, 'foreign.citywall');
    writeFileSync(foreign, gzipSync('{"format":"something-else"}\n'));
    const target = await openDatabase({});
    try {
      await expect(importFrom(target.db, tampered)).rejects.toThrow(/damaged/);
      await expect(importFrom(target.db, truncated)).rejects.toThrow(/truncated/);
      await expect(importFrom(target.db, notGzip)).rejects.toThrow(/not a Citywall export/);
      await expect(importFrom(target.db, foreign)).rejects.toThrow(/not a Citywall export/);
      const count = (
        (await target.db.execute('select count(*)::int as n from organizations' as never)) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0].n;
      expect(count).toBe(0);
    } finally {
      await target.close();
    }
  });
});
