import { describe, expect, it } from 'vitest';
import { derivedId, indicatorTravels } from './sharing.js';

describe('incident sharing rules', () => {
  it('derives stable ids of the v4 form', () => {
    const a = derivedId('sighting', 'incident--x', 'indicator--y');
    expect(a).toBe(derivedId('sighting', 'incident--x', 'indicator--y'));
    expect(a).not.toBe(derivedId('sighting', 'incident--x', 'indicator--z'));
    expect(a).toMatch(/^sighting--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('lets own indicators travel up to the bundle marking, and others only CLEAR or (not in public) GREEN', () => {
    const ind = (tlp: 'clear' | 'green' | 'amber' | 'amber+strict' | 'red', own: boolean) => ({
      object: {},
      tlp,
      own,
    });
    expect(indicatorTravels(ind('amber', true), 'amber')).toBe(true);
    expect(indicatorTravels(ind('amber', true), 'green')).toBe(false);
    expect(indicatorTravels(ind('red', true), 'amber+strict')).toBe(false);
    expect(indicatorTravels(ind('clear', false), 'clear')).toBe(true);
    expect(indicatorTravels(ind('green', false), 'amber')).toBe(true);
    expect(indicatorTravels(ind('green', false), 'clear')).toBe(false);
    expect(indicatorTravels(ind('amber', false), 'amber')).toBe(false);
    expect(indicatorTravels(ind('red', false), 'red')).toBe(false);
  });
});
