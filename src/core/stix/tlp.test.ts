import { describe, expect, it } from 'vitest';
import {
  compareTlp,
  strictestTlp,
  TLP_EXTENSION_ID,
  TLP_LEVELS,
  TLP_MARKINGS,
  TLP1_MARKING_IDS,
  TLP1_MARKINGS,
  TLP2_MARKING_IDS,
  tlpLevelOfMarking,
  tlpOf,
  tlpVersionOfMarking,
  toTlp2MarkingId,
} from './tlp.js';
import { validateObject } from './validate.js';

describe('TLP marking ids', () => {
  it('has the official TLP 2.0 ids', () => {
    expect(TLP2_MARKING_IDS).toEqual({
      clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
      green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
      amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
      'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
      red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
    });
  });

  it('maps TLP 1.0 to the TLP 2.0 equivalents', () => {
    expect(tlpLevelOfMarking(TLP1_MARKING_IDS.white)).toBe('clear');
    expect(tlpLevelOfMarking(TLP1_MARKING_IDS.green)).toBe('green');
    expect(tlpLevelOfMarking(TLP1_MARKING_IDS.amber)).toBe('amber');
    expect(tlpLevelOfMarking(TLP1_MARKING_IDS.red)).toBe('red');
    expect(toTlp2MarkingId(TLP1_MARKING_IDS.white)).toBe(TLP2_MARKING_IDS.clear);
    expect(toTlp2MarkingId(TLP2_MARKING_IDS.red)).toBe(TLP2_MARKING_IDS.red);
    expect(tlpVersionOfMarking(TLP1_MARKING_IDS.red)).toBe(1);
    expect(tlpVersionOfMarking(TLP2_MARKING_IDS.red)).toBe(2);
    expect(tlpLevelOfMarking('marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ec')).toBeUndefined();
    expect(toTlp2MarkingId('identity--5e57c739-391a-4eb3-b6be-7d15ca92d5ed')).toBeUndefined();
  });
});

describe('ordering', () => {
  it('orders CLEAR < GREEN < AMBER < AMBER+STRICT < RED', () => {
    expect(TLP_LEVELS).toEqual(['clear', 'green', 'amber', 'amber+strict', 'red']);
    expect(compareTlp('amber', 'amber+strict')).toBeLessThan(0);
    expect(compareTlp('red', 'clear')).toBeGreaterThan(0);
    expect(strictestTlp(['green', 'amber+strict', 'amber'])).toBe('amber+strict');
    expect(strictestTlp([])).toBeUndefined();
  });
});

describe('tlpOf', () => {
  it('returns the strictest TLP among object markings', () => {
    expect(
      tlpOf({
        object_marking_refs: [
          TLP2_MARKING_IDS.green,
          TLP2_MARKING_IDS['amber+strict'],
          TLP2_MARKING_IDS.amber,
        ],
      }),
    ).toBe('amber+strict');
  });

  it('mixes TLP 1.0 and 2.0 and ignores non-TLP markings', () => {
    expect(
      tlpOf({
        object_marking_refs: [
          TLP1_MARKING_IDS.red,
          TLP2_MARKING_IDS.amber,
          'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168',
        ],
      }),
    ).toBe('red');
    expect(
      tlpOf({ object_marking_refs: ['marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168'] }),
    ).toBeUndefined();
    expect(tlpOf({})).toBeUndefined();
  });

  it('counts granular markings unless told otherwise', () => {
    const obj = {
      object_marking_refs: [TLP2_MARKING_IDS.green],
      granular_markings: [
        { marking_ref: TLP2_MARKING_IDS.red, selectors: ['description'] },
        { lang: 'en', selectors: ['name'] },
      ],
    };
    expect(tlpOf(obj)).toBe('red');
    expect(tlpOf(obj, { includeGranular: false })).toBe('green');
  });

  it('tolerates malformed marking lists', () => {
    expect(tlpOf({ object_marking_refs: 'nope', granular_markings: [null, 3] })).toBeUndefined();
  });
});

describe('marking objects', () => {
  it('publishes valid TLP 2.0 and 1.0 marking definitions', () => {
    for (const level of TLP_LEVELS) {
      const marking = TLP_MARKINGS[level];
      expect(marking.id).toBe(TLP2_MARKING_IDS[level]);
      expect(marking.extensions?.[TLP_EXTENSION_ID]?.tlp_2_0).toBe(level);
      const result = validateObject(marking);
      expect(result.errors).toEqual([]);
    }
    for (const marking of Object.values(TLP1_MARKINGS)) {
      expect(validateObject(marking).errors).toEqual([]);
    }
    expect(TLP_MARKINGS['amber+strict'].name).toBe('TLP:AMBER+STRICT');
  });

  it('rejects a TLP definition under a non-standard id', () => {
    const fake = { ...TLP1_MARKINGS.red, id: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ec' };
    expect(validateObject(fake).errors.map((e) => e.rule)).toContain('tlp-marking');
    const wrongLevel = {
      ...TLP_MARKINGS.green,
      extensions: { [TLP_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'red' } },
    };
    expect(validateObject(wrongLevel).errors.map((e) => e.rule)).toContain('tlp-marking');
  });
});
