import { describe, expect, it } from 'vitest';
import {
  aggregateMetrics,
  type IncidentTimeline,
  median,
  metrics,
  nextPhases,
  type Phase,
  transition,
  WorkflowError,
} from './workflow.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkflowError);
    return { code: (e as WorkflowError).code, message: (e as WorkflowError).message };
  }
  throw new Error('expected a WorkflowError');
};

describe('transition', () => {
  it('allows each single step forward without a reason', () => {
    const path: Phase[] = [
      'detected',
      'triage',
      'containment',
      'eradication',
      'recovery',
      'post-incident-review',
      'closed',
    ];
    for (let i = 0; i < path.length - 1; i++) {
      expect(transition(path[i], path[i + 1])).toMatchObject({ kind: 'forward', skipped: [] });
    }
  });

  it('allows going back only with a reason', () => {
    expect(codeOf(() => transition('recovery', 'containment'))).toMatchObject({ code: 'reason-required' });
    expect(codeOf(() => transition('closed', 'triage', { reason: '   ' }))).toMatchObject({
      code: 'reason-required',
    });
    expect(
      transition('recovery', 'containment', { reason: 'beacon found on restored server' }),
    ).toMatchObject({
      kind: 'back',
      reason: 'beacon found on restored server',
    });
  });

  it('rejects a skip and says which phases it would skip and what is allowed', () => {
    const err = codeOf(() => transition('triage', 'recovery', { reason: 'hurry' }));
    expect(err.code).toBe('skip-not-allowed');
    expect(err.message).toBe(
      'cannot go from triage to recovery: it skips containment, eradication. Next allowed: containment; with a reason: closed (false positive or not a security incident)',
    );
  });

  it('allows a false-positive closure from triage only with a reason', () => {
    expect(codeOf(() => transition('triage', 'closed'))).toMatchObject({
      code: 'reason-required',
      message: expect.stringMatching(
        /skips containment, eradication, recovery, post-incident-review and needs a reason/,
      ),
    });
    const t = transition('triage', 'closed', { reason: 'alert was an authorized penetration test' });
    expect(t.kind).toBe('allowed-skip');
    expect(t.skipped).toEqual(['containment', 'eradication', 'recovery', 'post-incident-review']);
  });

  it('rejects the same phase and unknown phases', () => {
    expect(codeOf(() => transition('triage', 'triage'))).toMatchObject({ code: 'same-phase' });
    expect(codeOf(() => transition('triage', 'resolved' as Phase))).toMatchObject({
      code: 'unknown-phase',
      message: expect.stringMatching(/next phase "resolved" is unknown/),
    });
  });

  it('lists the options from a phase', () => {
    expect(nextPhases('containment')).toMatchObject({ forward: 'eradication', back: ['detected', 'triage'] });
    expect(nextPhases('containment').skips.map((s) => s.to)).toEqual(['recovery']);
    expect(nextPhases('closed').forward).toBeNull();
  });
});

const H = 3_600_000;
const at = (base: string, hours: number) => new Date(new Date(base).getTime() + hours * H);

function incident(
  type: string,
  detected: string,
  hours: Partial<Record<Phase, number>>,
  occurredHoursBefore?: number,
) {
  const t: IncidentTimeline = {
    type,
    detectedAt: new Date(detected),
    occurredAt: occurredHoursBefore === undefined ? undefined : at(detected, -occurredHoursBefore),
    transitions: Object.entries(hours).map(([to, h]) => ({ to: to as Phase, at: at(detected, h as number) })),
  };
  return t;
}

describe('metrics', () => {
  it('measures detect, acknowledge, contain and recover from the timeline', () => {
    const m = metrics(
      incident(
        'ransomware',
        '2026-02-10T08:00:00Z',
        {
          triage: 0.5,
          containment: 2,
          eradication: 10,
          recovery: 30,
          'post-incident-review': 100,
          closed: 200,
        },
        48,
      ),
    );
    expect(m).toEqual({
      timeToDetectMs: 48 * H,
      timeToAcknowledgeMs: 0.5 * H,
      timeToContainMs: 10 * H,
      timeToRecoverMs: 100 * H,
    });
  });

  it('counts the first time a milestone was passed, ignoring reopenings, and handles allowed skips', () => {
    const reopened: IncidentTimeline = {
      type: 'ddos',
      detectedAt: new Date('2026-02-10T08:00:00Z'),
      transitions: [
        { to: 'triage', at: at('2026-02-10T08:00:00Z', 1) },
        { to: 'containment', at: at('2026-02-10T08:00:00Z', 2) },
        { to: 'recovery', at: at('2026-02-10T08:00:00Z', 5) }, // allowed skip of eradication
        { to: 'containment', at: at('2026-02-10T08:00:00Z', 6) }, // attack resumed
        { to: 'recovery', at: at('2026-02-10T08:00:00Z', 9) },
      ],
    };
    expect(metrics(reopened)).toEqual({
      timeToDetectMs: null,
      timeToAcknowledgeMs: H,
      timeToContainMs: 5 * H,
      timeToRecoverMs: null,
    });
  });

  it('rejects invalid dates and phases', () => {
    expect(() => metrics({ type: 'x', detectedAt: new Date('nope'), transitions: [] })).toThrow(
      /detectedAt must be a valid Date/,
    );
    expect(() =>
      metrics({ type: 'x', detectedAt: new Date(), transitions: [{ to: 'done' as Phase, at: new Date() }] }),
    ).toThrow(/transitions\[0\]\.to phase "done" is unknown/);
  });
});

describe('aggregateMetrics', () => {
  const list = [
    incident(
      'ransomware',
      '2026-01-05T12:00:00Z',
      { triage: 1, eradication: 4, 'post-incident-review': 40 },
      10,
    ),
    incident(
      'ransomware',
      '2026-01-20T12:00:00Z',
      { triage: 3, eradication: 8, 'post-incident-review': 80 },
      30,
    ),
    incident('ransomware', '2026-02-02T12:00:00Z', { triage: 2, eradication: 30 }),
    incident('ddos', '2026-02-01T04:30:00Z', { triage: 0.25, recovery: 2 }),
  ];

  it('takes medians per type, counting only incidents that reached each milestone', () => {
    const groups = aggregateMetrics(list, 'type');
    expect(groups.map((g) => g.key)).toEqual(['ddos', 'ransomware']);
    const rw = groups[1];
    expect(rw.incidents).toBe(3);
    expect(rw.median.timeToAcknowledgeMs).toBe(2 * H);
    expect(rw.median.timeToContainMs).toBe(8 * H);
    expect(rw.median.timeToRecoverMs).toBe(60 * H);
    expect(rw.median.timeToDetectMs).toBe(20 * H);
    expect(rw.samples).toEqual({
      timeToDetectMs: 2,
      timeToAcknowledgeMs: 3,
      timeToContainMs: 3,
      timeToRecoverMs: 2,
    });
    expect(groups[0].median.timeToContainMs).toBe(2 * H);
  });

  it('buckets months by the local detection date', () => {
    expect(aggregateMetrics(list, 'month').map((g) => [g.key, g.incidents])).toEqual([
      ['2026-01', 2],
      ['2026-02', 2],
    ]);
    // 04:30 UTC on 1 February is still 31 January in New York.
    expect(aggregateMetrics(list, 'month', 'America/New_York').map((g) => [g.key, g.incidents])).toEqual([
      ['2026-01', 3],
      ['2026-02', 1],
    ]);
  });

  it('rejects an unknown grouping or time zone', () => {
    expect(() => aggregateMetrics(list, 'week' as 'type')).toThrow(/cannot group by "week"/);
    expect(() => aggregateMetrics(list, 'month', 'Moon/Base')).toThrow(/unknown time zone/);
  });

  it('median handles even, odd and empty lists', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
