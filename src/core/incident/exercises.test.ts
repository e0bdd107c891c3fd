import { describe, expect, it } from 'vitest';
import { dueInjects, exerciseNow, SHIPPED_SCENARIOS, validateScenario } from './exercises.js';

describe('exercise scenarios and time', () => {
  it('ships valid scenarios for ransomware at city hall and tampering at the water plant', () => {
    expect(SHIPPED_SCENARIOS.map((s) => s.id).sort()).toEqual([
      'ransomware-city-hall',
      'water-plant-tampering',
    ]);
    for (const s of SHIPPED_SCENARIOS) expect(validateScenario(s), s.id).toEqual([]);
  });

  it('runs exercise time at its scale from the start and freezes it at the end', () => {
    const start = new Date('2026-03-29T00:30:00Z');
    const real = new Date(start.getTime() + 10 * 60_000);
    expect(exerciseNow({ startedAt: null, endedAt: null, timeScale: 6 }, real)).toBeNull();
    expect(exerciseNow({ startedAt: start, endedAt: null, timeScale: 6 }, real)?.toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    const end = new Date(start.getTime() + 5 * 60_000);
    expect(exerciseNow({ startedAt: start, endedAt: end, timeScale: 6 }, real)?.toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    // A clock read before the start counts no time.
    expect(exerciseNow({ startedAt: start, endedAt: null, timeScale: 6 }, new Date(0))?.getTime()).toBe(
      start.getTime(),
    );
  });

  it('releases injects whose offset has come, skipping those the facilitator already released', () => {
    const s = SHIPPED_SCENARIOS.find((x) => x.id === 'water-plant-tampering')!;
    const first = s.injects[0].id;
    expect(dueInjects(s, 0).map((i) => i.id)).toEqual([first]);
    expect(dueInjects(s, 0, new Set([first]))).toEqual([]);
    expect(dueInjects(s, s.durationMinutes)).toHaveLength(s.injects.length);
    expect(() => dueInjects(s, -1)).toThrow(RangeError);
  });
});
