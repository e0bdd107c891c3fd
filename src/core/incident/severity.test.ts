import { describe, expect, it } from 'vitest';
import {
  levelForScore,
  type SeverityInput,
  SeverityInputError,
  scoreSeverity,
  severityHintsFromCascade,
  WEIGHTS,
} from './severity.js';

const minimal: SeverityInput = {
  functionalImpact: 'no-impact',
  informationImpact: 'no-impact',
  recoverability: 'regular',
  locationLevel: 1,
  crossSectorDependency: 'none',
  populationAffected: 0,
};

const maximal: SeverityInput = {
  functionalImpact: 'denial-of-critical-services',
  informationImpact: 'destruction-of-critical-system',
  recoverability: 'not-recoverable',
  locationLevel: 7,
  crossSectorDependency: 'high',
  populationAffected: 2_000_000,
};

describe('scoreSeverity', () => {
  it('weights sum to 100', () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('scores the extremes 0 (Baseline) and 100 (Emergency)', () => {
    expect(scoreSeverity(minimal)).toMatchObject({ score: 0, level: { name: 'Baseline', color: 'white' } });
    expect(scoreSeverity(maximal)).toMatchObject({
      score: 100,
      level: { name: 'Emergency', color: 'black' },
    });
  });

  it('rates a phishing-compromised mailbox Low and a city-hall ransomware outage High', () => {
    const mailbox = scoreSeverity({
      ...minimal,
      functionalImpact: 'no-impact-to-services',
      informationImpact: 'privacy-data-breach',
      locationLevel: 2,
      populationAffected: 40,
    });
    expect(mailbox.level.name).toBe('Low');
    const ransomware = scoreSeverity({
      functionalImpact: 'denial-of-non-critical-services',
      informationImpact: 'core-credential-compromise',
      recoverability: 'extended',
      locationLevel: 3,
      crossSectorDependency: 'low',
      populationAffected: 90_000,
    });
    expect(ransomware.level.name).toBe('High');
    expect(ransomware.score).toBeGreaterThanOrEqual(50);
    expect(ransomware.score).toBeLessThan(65);
  });

  it('explains each factor, largest contribution first, summing to the score', () => {
    const r = scoreSeverity({
      ...minimal,
      functionalImpact: 'denial-of-critical-services',
      populationAffected: 999,
    });
    expect(r.explanation).toHaveLength(6);
    expect(r.explanation[0]).toMatchObject({
      factor: 'functionalImpact',
      weight: 25,
      normalized: 1,
      points: 25,
    });
    const pop = r.explanation.find((e) => e.factor === 'populationAffected');
    expect(pop).toMatchObject({ input: 999, normalized: 0.5, points: 7.5 });
    expect(r.explanation.reduce((s, e) => s + e.points, 0)).toBeCloseTo(r.score, 1);
    for (let i = 1; i < r.explanation.length; i++) {
      expect(r.explanation[i - 1].points).toBeGreaterThanOrEqual(r.explanation[i].points);
    }
  });

  it('scores an unknown location at the midpoint and says so', () => {
    const r = scoreSeverity({ ...minimal, locationLevel: 'unknown' });
    const loc = r.explanation.find((e) => e.factor === 'locationOfActivity');
    expect(loc).toMatchObject({ normalized: 0.5, points: 10 });
    expect(loc?.note).toMatch(/unknown/i);
  });

  it('raises safety-system activity with critical-service impact to at least Severe', () => {
    const r = scoreSeverity({
      ...minimal,
      functionalImpact: 'significant-impact-to-critical-services',
      locationLevel: 7,
      populationAffected: 12_000,
    });
    expect(r.score).toBeLessThan(65);
    expect(r.level.name).toBe('Severe');
    expect(r.overrides).toHaveLength(1);
  });

  it('maps score boundaries to levels', () => {
    expect(levelForScore(9.9).name).toBe('Baseline');
    expect(levelForScore(10).name).toBe('Low');
    expect(levelForScore(30).name).toBe('Medium');
    expect(levelForScore(50).name).toBe('High');
    expect(levelForScore(65).name).toBe('Severe');
    expect(levelForScore(80).name).toBe('Emergency');
  });

  it('rejects bad input with precise messages', () => {
    const attempt = (input: unknown) => {
      try {
        scoreSeverity(input);
      } catch (e) {
        expect(e).toBeInstanceOf(SeverityInputError);
        return (e as SeverityInputError).issues;
      }
      throw new Error('expected an error');
    };
    expect(attempt({ ...minimal, populationAffected: -3 })).toEqual([
      'populationAffected: must not be negative',
    ]);
    expect(attempt({ ...minimal, populationAffected: 2.5 })).toEqual([
      'populationAffected: must be a whole number of people',
    ]);
    expect(attempt({ ...minimal, locationLevel: 9 })).toEqual(['locationLevel: must be 1–7 or "unknown"']);
    expect(attempt({ ...minimal, recoverability: 'eventually' })[0]).toMatch(
      /^recoverability: must be one of "regular", "supplemented", "extended", "not-recoverable"$/,
    );
    expect(attempt({ ...minimal, color: 'red' })[0]).toMatch(/color/);
    const { functionalImpact: _omit, ...missing } = minimal;
    expect(attempt(missing)[0]).toMatch(/^functionalImpact: /);
  });
});

describe('severity hints from a cascade', () => {
  it('takes the largest stopped population and counts distinct sectors', () => {
    expect(severityHintsFromCascade([])).toEqual({
      populationAffected: 0,
      crossSectorDependency: 'none',
      sectors: [],
    });
    expect(
      severityHintsFromCascade([
        { sector: 'Water', population: 200_000 },
        { sector: 'Water', population: 5_000 },
      ]),
    ).toEqual({ populationAffected: 200_000, crossSectorDependency: 'none', sectors: ['Water'] });
    const four = severityHintsFromCascade([
      { sector: 'Water', population: 200_000 },
      { sector: 'Emergency Services', population: 210_000 },
      { sector: 'Transportation', population: 90_000 },
      { sector: null, population: 10 },
    ]);
    expect(four.populationAffected).toBe(210_000);
    expect(four.crossSectorDependency).toBe('high');
    expect(four.sectors).toEqual(['Emergency Services', 'Transportation', 'Water']);
    expect(
      severityHintsFromCascade([
        { sector: 'Water', population: 1 },
        { sector: ' ', population: 1 },
      ]).crossSectorDependency,
    ).toBe('low');
  });
});
