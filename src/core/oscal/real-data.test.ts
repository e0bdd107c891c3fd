import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CSF2_SUBCATEGORY_IDS } from '../baseline/csf2.js';
import { exportCatalog, toOscalJson } from './export.js';
import { flattenCatalog } from './flatten.js';
import { parseCatalog, parseProfile } from './parse.js';
import { resolveProfile } from './resolve.js';
import type { Catalog } from './types.js';

// Public NIST content beside the project (../shared/data/oscal); a fresh clone has none, so these skip.
const dir = new URL('../../../../shared/data/oscal/', import.meta.url);
const file = (name: string) => fileURLToPath(new URL(name, dir));
const CATALOG = 'NIST_SP-800-53_rev5_catalog.json';
const CSF = 'NIST_CSF_v2.0_catalog.json';
const absent = !existsSync(file(CATALOG));
const read = (name: string) => readFileSync(file(name), 'utf8');

describe.skipIf(absent)('NIST SP 800-53 rev5 and its baselines (shared data)', () => {
  let catalog: Catalog;

  it('parses and flattens the full catalog quickly', () => {
    const text = read(CATALOG);
    const t0 = performance.now();
    catalog = parseCatalog(text);
    const flat = flattenCatalog(catalog);
    const ms = performance.now() - t0;
    console.info(`SP 800-53 rev5 parse + flatten: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(3000);
    expect(flat).toHaveLength(1189);
    expect(flat.filter((c) => c.withdrawn)).toHaveLength(182);
    expect(flat.filter((c) => c.depth === 1)).toHaveLength(1189 - 322);
    const ac2_1 = flat.find((c) => c.id === 'ac-2.1');
    expect(ac2_1).toMatchObject({ parentId: 'ac-2', groupId: 'ac', label: 'AC-2(1)', depth: 1 });
    expect(ac2_1?.statement).toBe(
      'Support the management of system accounts using [Assignment: organization-defined automated mechanisms].',
    );
    expect(flat.find((c) => c.id === 'ac-1')?.statement).toContain(
      '1. [Selection (one or more): Organization-level; Mission/business process-level; System-level] access control policy that:',
    );
    expect(flat.every((c) => !c.statement.includes('{{'))).toBe(true);
  });

  it('round-trips the catalog unchanged', () => {
    expect(parseCatalog(toOscalJson(exportCatalog(catalog)))).toEqual(catalog);
  });

  it('keeps OSCAL 1.0 fields of the NIST release in lenient mode and names them in strict mode', () => {
    expect(() => parseCatalog(read(CATALOG), { strict: true })).toThrow(/Unrecognized key: "depends-on"/);
  });

  it.each([
    ['LOW', 149],
    ['MODERATE', 287],
    ['HIGH', 370],
  ])('resolves the %s baseline to %i controls and enhancements', (level, count) => {
    const profile = parseProfile(read(`NIST_SP-800-53_rev5_${level}-baseline_profile.json`));
    const t0 = performance.now();
    const resolved = resolveProfile(profile, (href, { resource }) => {
      expect(href.startsWith('#')).toBe(true);
      expect(resource?.rlinks?.some((l) => l.href.endsWith(CATALOG))).toBe(true);
      return catalog;
    });
    const flat = flattenCatalog(resolved);
    const ms = performance.now() - t0;
    console.info(`SP 800-53 rev5 ${level} resolve + flatten: ${ms.toFixed(0)} ms`);
    if (level === 'MODERATE') expect(ms).toBeLessThan(1000);
    expect(flat.filter((c) => !c.implicit)).toHaveLength(count);
    expect(flat.filter((c) => c.implicit)).toHaveLength(0);
    expect(flat.some((c) => c.withdrawn)).toBe(false);
    expect(resolved.groups?.map((g) => g.id)).toContain('ac');
    expect(parseCatalog(resolved)).toEqual(resolved);
  });
});

describe.skipIf(!existsSync(file(CSF)))('NIST CSF 2.0 catalog (shared data)', () => {
  it('has 106 live subcategories, exactly the ids Citywall ships', () => {
    const flat = flattenCatalog(parseCatalog(read(CSF)));
    const live = flat.filter((c) => c.class === 'subcategory' && c.partNames.includes('example'));
    expect(live).toHaveLength(106);
    expect(live.map((c) => c.id)).toEqual([...CSF2_SUBCATEGORY_IDS]);
    // The 79 CSF 1.1 subcategories this release still carries are not marked withdrawn.
    expect(flat.filter((c) => c.class === 'subcategory' && !c.partNames.includes('example'))).toHaveLength(
      79,
    );
    expect(
      flat.filter((c) => c.class === 'category' && c.childIds.some((id) => live.some((l) => l.id === id))),
    ).toHaveLength(22);
  });
});
