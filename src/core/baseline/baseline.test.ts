import { describe, expect, it } from 'vitest';
import { flattenCatalog } from '../oscal/flatten.js';
import { parseCatalog, parseProfile } from '../oscal/parse.js';
import { resolveProfile } from '../oscal/resolve.js';
import {
  CITY_BASELINE_CATALOG_HREF,
  CITY_BASELINE_CATALOG_UUID,
  cityBaselineCatalog,
  cityBaselineProfiles,
  resolveCityBaselineProfile,
} from './catalog.js';
import { CPG_GOALS, CPG_VERSION, isCpgGoalId } from './cpg.js';
import {
  CSF2_CATEGORIES,
  CSF2_FUNCTIONS,
  CSF2_SUBCATEGORY_IDS,
  csf2CategoryOf,
  csf2FunctionOf,
  isCsf2SubcategoryId,
} from './csf2.js';
import { checkMappings, cityBaselineMappings, coverage, csf2Coverage, MappingError } from './mappings.js';
import { CITY_BASELINE_REQUIREMENTS as REQS, TIERS } from './requirements.js';

describe('CSF 2.0 reference list', () => {
  it('has 6 functions, 22 categories and 106 subcategories that belong to them', () => {
    expect(CSF2_FUNCTIONS.map((f) => f.id)).toEqual(['GV', 'ID', 'PR', 'DE', 'RS', 'RC']);
    expect(CSF2_CATEGORIES).toHaveLength(22);
    expect(CSF2_SUBCATEGORY_IDS).toHaveLength(106);
    expect(new Set(CSF2_SUBCATEGORY_IDS).size).toBe(106);
    const categories = new Set(CSF2_CATEGORIES.map((c) => c.id));
    for (const id of CSF2_SUBCATEGORY_IDS) {
      expect(id).toMatch(/^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}$/);
      expect(categories.has(csf2CategoryOf(id))).toBe(true);
    }
    expect(csf2FunctionOf('PR.AA-01')).toBe('PR');
    expect(isCsf2SubcategoryId('PR.AC-01')).toBe(false);
    expect(CPG_GOALS).toHaveLength(38);
  });
});

describe('Citywall City Baseline requirements', () => {
  it('has 40–60 requirements with unique ids that name their function', () => {
    expect(REQS.length).toBeGreaterThanOrEqual(40);
    expect(REQS.length).toBeLessThanOrEqual(60);
    expect(new Set(REQS.map((r) => r.id)).size).toBe(REQS.length);
    for (const r of REQS) expect(r.id).toMatch(new RegExp(`^CWB-${r.function}-\\d{2}$`));
  });

  it('covers every CSF function and all three tiers', () => {
    for (const f of CSF2_FUNCTIONS)
      expect(REQS.filter((r) => r.function === f.id).length).toBeGreaterThanOrEqual(4);
    for (const t of TIERS) expect(REQS.filter((r) => r.tier === t).length).toBeGreaterThanOrEqual(5);
    // A small town starts with the foundational tier; it must be useful on its own across all functions.
    for (const f of CSF2_FUNCTIONS)
      expect(REQS.some((r) => r.function === f.id && r.tier === 'foundational')).toBe(true);
  });

  it('maps only to live CSF 2.0 subcategories and published CPG goals', () => {
    for (const r of REQS) {
      const csf = Object.keys(r.csf);
      expect(csf.length, r.id).toBeGreaterThan(0);
      for (const id of csf) expect(isCsf2SubcategoryId(id), `${r.id} → ${id}`).toBe(true);
      for (const id of r.cpg) expect(isCpgGoalId(id), `${r.id} → ${id}`).toBe(true);
    }
    expect(CPG_VERSION).toBe('1.0.1');
  });

  it('has concrete text: statement, guidance and a small-town starting point for each', () => {
    for (const r of REQS) {
      expect(r.statement.length, r.id).toBeGreaterThan(60);
      expect(r.guidance.length, r.id).toBeGreaterThan(80);
      expect(r.startingPoint.length, r.id).toBeGreaterThan(30);
      const inserted = [...r.statement.matchAll(/\{\{ insert: param, ([^ }]+) \}\}/g)].map((m) => m[1]);
      expect(inserted.sort(), r.id).toEqual((r.params ?? []).map((p) => p.id).sort());
    }
  });

  it('includes OT requirements for water and transit: segmentation, remote access, manual fallback', () => {
    const water = REQS.filter((r) => r.ot.includes('water'));
    const transit = REQS.filter((r) => r.ot.includes('transit'));
    expect(water.length).toBeGreaterThanOrEqual(8);
    expect(transit.length).toBeGreaterThanOrEqual(8);
    expect(REQS.filter((r) => r.ot.length === 1 && r.ot[0] === 'transit').length).toBeGreaterThan(0);
    const titled = (words: RegExp) =>
      REQS.filter((r) => r.ot.length && words.test(r.title)).map((r) => r.tier);
    expect(titled(/segment/i)).toEqual(['foundational']);
    expect(titled(/remote access to PLCs/i)).toEqual(['foundational']);
    expect(titled(/manual operation fallback/i)).toHaveLength(1);
    expect(titled(/OT configurations/i)).toEqual(['foundational']);
  });
});

describe('City Baseline as OSCAL', () => {
  const catalog = cityBaselineCatalog();

  it('is a strictly valid OSCAL catalog with one group per function', () => {
    expect(parseCatalog({ catalog }, { strict: true })).toEqual(catalog);
    expect(catalog.uuid).toBe(CITY_BASELINE_CATALOG_UUID);
    expect(catalog.groups?.map((g) => g.id)).toEqual(['GV', 'ID', 'PR', 'DE', 'RS', 'RC']);
    const flat = flattenCatalog(catalog);
    expect(flat).toHaveLength(REQS.length);
    const pr04 = flat.find((c) => c.id === 'CWB-PR-04');
    expect(pr04?.statement).toContain(
      'who has access to their systems [Assignment: how often access is reviewed].',
    );
    expect(pr04?.partNames).toEqual(['statement', 'guidance', 'starting-point']);
    expect(cityBaselineCatalog()).toEqual(catalog);
  });

  it('ships three profiles that resolve to cumulative tiers with tier-specific parameter values', () => {
    const profiles = cityBaselineProfiles();
    const counts = TIERS.map((t) => REQS.filter((r) => TIERS.indexOf(r.tier) <= TIERS.indexOf(t)).length);
    TIERS.forEach((tier, i) => {
      expect(parseProfile({ profile: profiles[tier] }, { strict: true })).toEqual(profiles[tier]);
      const resolved = resolveCityBaselineProfile(tier, { now: new Date('2026-01-01T00:00:00Z') });
      expect(parseCatalog(resolved, { strict: true })).toEqual(resolved);
      const flat = flattenCatalog(resolved);
      expect(flat.filter((c) => !c.implicit)).toHaveLength(counts[i]);
    });
    expect(counts[2]).toBe(REQS.length);
    const statementOf = (tier: (typeof TIERS)[number]) =>
      flattenCatalog(resolveCityBaselineProfile(tier)).find((c) => c.id === 'CWB-ID-05')?.statement;
    expect(statementOf('foundational')).toContain('within 14 days of its listing');
    expect(statementOf('advanced')).toContain('within 7 days of its listing');
  });

  it('resolves through an ordinary href resolver, as an exported copy would', () => {
    const resolved = resolveProfile(cityBaselineProfiles().intermediate, (_href, { resource }) =>
      resource?.rlinks?.[0].href === CITY_BASELINE_CATALOG_HREF ? cityBaselineCatalog() : undefined,
    );
    expect(resolved.groups).toHaveLength(6);
    expect(resolved['back-matter']?.resources?.length).toBeGreaterThan(0);
  });
});

describe('OLIR-style mappings and coverage', () => {
  const mappings = cityBaselineMappings();

  it('relates every requirement to CSF 2.0 with OLIR relationship types', () => {
    expect(new Set(mappings.map((m) => m.sourceId)).size).toBe(REQS.length);
    expect(() =>
      checkMappings(mappings, { sourceIds: REQS.map((r) => r.id), targetIds: CSF2_SUBCATEGORY_IDS }),
    ).not.toThrow();
    const kinds = new Set(mappings.map((m) => m.relationship));
    expect([...kinds].sort()).toEqual(['equal-to', 'intersects-with', 'subset-of', 'superset-of']);
  });

  it('rejects a mapping to a control that does not exist', () => {
    const bad = [
      ...mappings,
      { ...mappings[0], targetId: 'PR.AC-01' },
      { ...mappings[0], sourceId: 'CWB-XX-01' },
    ];
    try {
      checkMappings(bad, { sourceIds: REQS.map((r) => r.id), targetIds: CSF2_SUBCATEGORY_IDS });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MappingError);
      expect((err as MappingError).issues).toEqual([
        { index: mappings.length, field: 'targetId', message: '"PR.AC-01" does not exist in NIST CSF 2.0' },
        {
          index: mappings.length + 1,
          field: 'sourceId',
          message: '"CWB-XX-01" does not exist in Citywall City Baseline',
        },
      ]);
    }
  });

  it('computes target coverage from source statuses by relationship type', () => {
    const m = (
      sourceId: string,
      targetId: string,
      relationship: 'subset-of' | 'equal-to' | 'superset-of' | 'intersects-with',
    ) => ({
      sourceCatalog: 'A',
      sourceId,
      targetCatalog: 'B',
      targetId,
      relationship,
    });
    const result = coverage(
      [
        m('a1', 't1', 'equal-to'),
        m('a2', 't2', 'subset-of'),
        m('a3', 't3', 'superset-of'),
        m('a4', 't4', 'intersects-with'),
        m('a5', 't5', 'subset-of'),
        m('a6', 't6', 'subset-of'),
      ],
      {
        a1: 'implemented',
        a2: 'implemented',
        a3: 'partially-implemented',
        a4: 'planned',
        a5: 'not-applicable',
      },
      { targetIds: ['t1', 't2', 't3', 't4', 't5', 't6', 't7'] },
    );
    expect(Object.fromEntries(result.targets.map((t) => [t.targetId, t.state]))).toEqual({
      t1: 'covered',
      t2: 'partial',
      t3: 'partial',
      t4: 'not-covered',
      t5: 'not-applicable',
      t6: 'not-assessed',
      t7: 'unmapped',
    });
    // (1 covered + 2 × 0.5 partial) of the 6 targets that apply.
    expect(result.percent).toBe(33.3);
  });

  it('shows CSF 2.0 coverage of a City Baseline assessment', () => {
    const none = csf2Coverage({});
    expect(none.targets).toHaveLength(106);
    expect(none.counts.covered).toBe(0);
    const all = csf2Coverage(new Map(REQS.map((r) => [r.id, 'implemented' as const])));
    expect(all.counts.covered).toBeGreaterThan(0);
    expect(all.counts.unmapped + all.counts.covered + all.counts.partial).toBe(106);
    expect(all.counts.unmapped).toBeLessThan(15);
  });
});
