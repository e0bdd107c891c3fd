import { describe, expect, it } from 'vitest';
import {
  combineRelations,
  compareAttribute,
  compareNames,
  cpeDisjoint,
  cpeMatches,
  type Relation,
} from './match.js';
import { ANY, NA, parseFs, type WfnValue } from './wfn.js';

// Values in WFN-quoted form: i and k are plain strings, m+wild carries an unquoted wildcard.
const i = 'foo';
const k = 'bar';
const wild = 'fo*';

describe('NISTIR 7696 Table 6-2: attribute comparison (source → target)', () => {
  const rows: [number, WfnValue, WfnValue, Relation][] = [
    [1, ANY, ANY, 'EQUAL'],
    [2, ANY, NA, 'SUPERSET'],
    [3, ANY, i, 'SUPERSET'],
    [4, ANY, wild, 'UNDEFINED'],
    [5, NA, ANY, 'SUBSET'],
    [6, NA, NA, 'EQUAL'],
    [7, NA, i, 'DISJOINT'],
    [8, NA, wild, 'UNDEFINED'],
    [9, i, ANY, 'SUBSET'],
    [10, i, NA, 'DISJOINT'],
    [11, i, i, 'EQUAL'],
    [12, i, k, 'DISJOINT'],
    [13, i, wild, 'UNDEFINED'],
    [14, wild, ANY, 'SUBSET'],
    [15, wild, NA, 'DISJOINT'],
    [16, wild, i, 'SUPERSET'],
    [16, wild, k, 'DISJOINT'],
    [17, wild, 'f?o', 'UNDEFINED'],
  ];
  for (const [row, s, t, expected] of rows) {
    const show = (v: WfnValue) => (v === ANY ? 'ANY' : v === NA ? 'NA' : `"${v}"`);
    it(`row ${row}: ${show(s)} vs ${show(t)} = ${expected}`, () => {
      expect(compareAttribute(s, t)).toBe(expected);
    });
  }

  it('is case-insensitive', () => {
    expect(compareAttribute('Microsoft', 'microsoft')).toBe('EQUAL');
    expect(compareAttribute('MICRO*', 'microsoft')).toBe('SUPERSET');
  });

  it('matches wildcards as the specification pseudocode does', () => {
    expect(compareAttribute('*soft', 'microsoft')).toBe('SUPERSET');
    expect(compareAttribute('*cro*', 'microsoft')).toBe('SUPERSET');
    expect(compareAttribute('*soft', 'microsofts')).toBe('DISJOINT');
    expect(compareAttribute('8\\.0\\.*', '8\\.0\\.6001')).toBe('SUPERSET');
    expect(compareAttribute('8\\.0\\.*', '8\\.1\\.6001')).toBe('DISJOINT');
    // A run of ? bounds the number of characters at that end.
    expect(compareAttribute('??soft', 'microsoft')).toBe('DISJOINT');
    expect(compareAttribute('????soft', 'microsoft')).toBe('DISJOINT');
    expect(compareAttribute('?????soft', 'microsoft')).toBe('SUPERSET');
    expect(compareAttribute('1\\.?', '1\\.5')).toBe('SUPERSET');
    expect(compareAttribute('1\\.?', '1\\.50')).toBe('DISJOINT');
    // Quoted characters count once, not twice.
    expect(compareAttribute('?\\.0', '1\\.0')).toBe('SUPERSET');
    // A quoted * is a literal star, not a wildcard.
    expect(compareAttribute('a\\*', 'ab')).toBe('DISJOINT');
    expect(compareAttribute('a\\*', 'a\\*')).toBe('EQUAL');
  });
});

describe('NISTIR 7696 §7: name comparison', () => {
  it('combines attribute relations', () => {
    expect(combineRelations(['EQUAL', 'EQUAL'])).toBe('EQUAL');
    expect(combineRelations(['EQUAL', 'SUPERSET'])).toBe('SUPERSET');
    expect(combineRelations(['SUBSET', 'EQUAL'])).toBe('SUBSET');
    expect(combineRelations(['SUPERSET', 'SUBSET'])).toBe('UNDEFINED');
    expect(combineRelations(['SUPERSET', 'UNDEFINED'])).toBe('UNDEFINED');
    expect(combineRelations(['UNDEFINED', 'DISJOINT'])).toBe('DISJOINT');
  });

  it('compares whole names', () => {
    const src = 'cpe:2.3:a:microsoft:internet_explorer:8.*:*:*:*:*:*:*:*';
    const tgt = 'cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*';
    const r = compareNames(src, tgt);
    expect(r.relation).toBe('SUPERSET');
    expect(r.attributes.version).toBe('SUPERSET');
    expect(r.attributes.update).toBe('SUPERSET');
    expect(compareNames(tgt, src).relation).toBe('UNDEFINED');
    expect(compareNames(tgt, tgt).relation).toBe('EQUAL');
    expect(cpeMatches(src, tgt)).toBe(true);
    expect(cpeMatches(tgt, tgt)).toBe(true);
    expect(cpeDisjoint(src, 'cpe:2.3:a:microsoft:internet_explorer:7.0:*:*:*:*:*:*:*')).toBe(true);
  });

  it('takes WFNs as well as strings', () => {
    expect(
      cpeMatches(parseFs('cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:*'), parseFs('cpe:2.3:a:foo:bar:1:*:*:*:*:*:*:*')),
    ).toBe(true);
  });
});

describe('known pitfalls of CPE matching', () => {
  it('ANY in the target is SUBSET, so a strict 7696 match fails (evaluateConfigurations treats it as unknown)', () => {
    const criterion = 'cpe:2.3:a:vendor:app:1.0:*:*:*:*:*:x86:*';
    const system = 'cpe:2.3:a:vendor:app:1.0:*:*:*:*:*:*:*';
    const r = compareNames(criterion, system);
    expect(r.attributes.target_hw).toBe('SUBSET');
    expect(r.relation).toBe('SUBSET');
    expect(cpeMatches(criterion, system)).toBe(false);
    // …and ANY in the criterion never hides a match.
    expect(
      cpeMatches('cpe:2.3:a:vendor:app:1.0:*:*:*:*:*:*:*', 'cpe:2.3:a:vendor:app:1.0:*:*:*:*:*:x64:*'),
    ).toBe(true);
  });

  it('vendor wildcard ⊃ with product ⊂ is a collision, not a match', () => {
    const r = compareNames('cpe:2.3:a:*:libxml2:*:*:*:*:*:*:*:*', 'cpe:2.3:a:xmlsoft:*:*:*:*:*:*:*:*:*');
    expect(r.attributes.vendor).toBe('SUPERSET');
    expect(r.attributes.product).toBe('SUBSET');
    expect(r.relation).toBe('UNDEFINED');
    expect(cpeMatches('cpe:2.3:a:*:libxml2:*:*:*:*:*:*:*:*', 'cpe:2.3:a:xmlsoft:*:*:*:*:*:*:*:*:*')).toBe(
      false,
    );
  });

  it('target_hw matters: a 32-bit-only flaw is disjoint from a 64-bit system', () => {
    expect(
      cpeDisjoint('cpe:2.3:a:vendor:app:1.0:*:*:*:*:*:x86:*', 'cpe:2.3:a:vendor:app:1.0:*:*:*:*:*:x64:*'),
    ).toBe(true);
  });

  it('- (NA) versions: NA matches only NA', () => {
    const criterion = 'cpe:2.3:o:microsoft:windows_xp:-:sp2:*:*:*:*:*:*';
    expect(cpeMatches(criterion, 'cpe:2.3:o:microsoft:windows_xp:-:sp2:*:*:*:*:*:*')).toBe(true);
    expect(cpeMatches(criterion, 'cpe:2.3:o:microsoft:windows_xp:5.1:sp2:*:*:*:*:*:*')).toBe(false);
    expect(
      compareNames(criterion, 'cpe:2.3:o:microsoft:windows_xp:5.1:sp2:*:*:*:*:*:*').attributes.version,
    ).toBe('DISJOINT');
    expect(cpeMatches('cpe:2.3:o:microsoft:windows_xp:*:sp2:*:*:*:*:*:*', criterion)).toBe(true);
  });

  it('versions are not compared as text by 7696: that is the job of the version comparator', () => {
    expect(compareAttribute('1\\.10', '1\\.9')).toBe('DISJOINT');
  });
});
