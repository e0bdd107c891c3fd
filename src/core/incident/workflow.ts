import { assertTimeZone, toLocal } from '../clocks/time.js';

/**
 * Incident status workflow and response-time metrics.
 *
 * The phases follow the response life cycle (detect, analyze, contain, eradicate, recover, learn). Moving one step
 * forward is always allowed; moving back (re-infection found during recovery, a closed incident reopened) is allowed
 * but must say why, because the timeline and the after-action review rely on it. Skipping phases hides work that
 * normally must be done, so only a few named shortcuts are allowed, each with a reason.
 */

export const PHASES = [
  'detected',
  'triage',
  'containment',
  'eradication',
  'recovery',
  'post-incident-review',
  'closed',
] as const;
export type Phase = (typeof PHASES)[number];

export interface AllowedSkip {
  from: Phase;
  to: Phase;
  label: string;
}

export const ALLOWED_SKIPS: readonly AllowedSkip[] = [
  { from: 'detected', to: 'closed', label: 'duplicate of another incident or obvious false positive' },
  { from: 'triage', to: 'closed', label: 'false positive or not a security incident' },
  {
    from: 'containment',
    to: 'recovery',
    label: 'nothing to eradicate (e.g. volumetric DDoS absorbed upstream)',
  },
];

export type TransitionKind = 'forward' | 'back' | 'allowed-skip';

export interface Transition {
  from: Phase;
  to: Phase;
  kind: TransitionKind;
  reason?: string;
  /** For an allowed skip, the phases passed over. */
  skipped: Phase[];
}

export type WorkflowErrorCode = 'unknown-phase' | 'same-phase' | 'reason-required' | 'skip-not-allowed';

export class WorkflowError extends Error {
  constructor(
    readonly code: WorkflowErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WorkflowError';
  }
}

const indexOf = (p: Phase) => PHASES.indexOf(p);

function assertPhase(p: unknown, role: string): asserts p is Phase {
  if (typeof p !== 'string' || !(PHASES as readonly string[]).includes(p)) {
    throw new WorkflowError(
      'unknown-phase',
      `${role} phase "${String(p)}" is unknown; phases: ${PHASES.join(' → ')}`,
    );
  }
}

/** Phases reachable from `current` without a special permission. */
export function nextPhases(current: Phase): { forward: Phase | null; back: Phase[]; skips: AllowedSkip[] } {
  const i = indexOf(current);
  return {
    forward: PHASES[i + 1] ?? null,
    back: PHASES.slice(0, i) as Phase[],
    skips: ALLOWED_SKIPS.filter((s) => s.from === current),
  };
}

/**
 * Validates a status change. Returns the transition to record, or throws a `WorkflowError` whose message names
 * what is wrong and what would be allowed instead.
 */
export function transition(current: Phase, next: Phase, options: { reason?: string } = {}): Transition {
  assertPhase(current, 'current');
  assertPhase(next, 'next');
  const reason = options.reason?.trim() || undefined;
  const from = indexOf(current);
  const to = indexOf(next);
  if (from === to) throw new WorkflowError('same-phase', `the incident is already in ${current}`);
  if (to === from + 1) return { from: current, to: next, kind: 'forward', reason, skipped: [] };
  if (to < from) {
    if (!reason) {
      throw new WorkflowError(
        'reason-required',
        `going back from ${current} to ${next} needs a reason (e.g. "re-infection found during recovery")`,
      );
    }
    return { from: current, to: next, kind: 'back', reason, skipped: [] };
  }
  const skipped = PHASES.slice(from + 1, to) as Phase[];
  const allowed = ALLOWED_SKIPS.find((s) => s.from === current && s.to === next);
  if (!allowed) {
    const shortcuts = nextPhases(current).skips.map((s) => `${s.to} (${s.label})`);
    throw new WorkflowError(
      'skip-not-allowed',
      `cannot go from ${current} to ${next}: it skips ${skipped.join(', ')}. Next allowed: ${PHASES[from + 1]}` +
        (shortcuts.length ? `; with a reason: ${shortcuts.join(', ')}` : ''),
    );
  }
  if (!reason) {
    throw new WorkflowError(
      'reason-required',
      `going from ${current} straight to ${next} (${allowed.label}) skips ${skipped.join(', ')} and needs a reason`,
    );
  }
  return { from: current, to: next, kind: 'allowed-skip', reason, skipped };
}

// ---------------------------------------------------------------------------------------------------------------
// Metrics

export interface IncidentTimeline {
  id?: string;
  type: string;
  /** When the incident began, if known (often only estimated by forensics). */
  occurredAt?: Date;
  detectedAt: Date;
  /** Status changes in any order; the first entry into a phase counts, reopenings do not reset metrics. */
  transitions: ReadonlyArray<{ to: Phase; at: Date }>;
}

export interface IncidentMetrics {
  /** occurred → detected */
  timeToDetectMs: number | null;
  /** detected → first entry into triage or beyond */
  timeToAcknowledgeMs: number | null;
  /** detected → containment finished (first entry into a phase after containment) */
  timeToContainMs: number | null;
  /** detected → recovery finished (first entry into a phase after recovery) */
  timeToRecoverMs: number | null;
}

export const METRIC_KEYS = [
  'timeToDetectMs',
  'timeToAcknowledgeMs',
  'timeToContainMs',
  'timeToRecoverMs',
] as const;

function checkDate(d: Date, what: string) {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError(`${what} must be a valid Date`);
}

/** First instant the incident reached a phase later than `after`. */
function firstBeyond(t: IncidentTimeline, after: Phase): Date | null {
  const limit = indexOf(after);
  let best: Date | null = null;
  for (const tr of t.transitions) {
    if (indexOf(tr.to) > limit && (best === null || tr.at.getTime() < best.getTime())) best = tr.at;
  }
  return best;
}

export function metrics(t: IncidentTimeline): IncidentMetrics {
  checkDate(t.detectedAt, 'detectedAt');
  if (t.occurredAt) checkDate(t.occurredAt, 'occurredAt');
  t.transitions.forEach((tr, i) => {
    assertPhase(tr.to, `transitions[${i}].to`);
    checkDate(tr.at, `transitions[${i}].at`);
  });
  const since = (d: Date | null) => (d ? d.getTime() - t.detectedAt.getTime() : null);
  return {
    timeToDetectMs: t.occurredAt ? t.detectedAt.getTime() - t.occurredAt.getTime() : null,
    timeToAcknowledgeMs: since(firstBeyond(t, 'detected')),
    timeToContainMs: since(firstBeyond(t, 'containment')),
    timeToRecoverMs: since(firstBeyond(t, 'recovery')),
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface MetricsGroup {
  /** Incident type, or `YYYY-MM` of detection in the given time zone. */
  key: string;
  incidents: number;
  /** Median per metric over the incidents that have it; null when none has. */
  median: IncidentMetrics;
  /** How many incidents contributed to each median. */
  samples: Record<(typeof METRIC_KEYS)[number], number>;
}

/**
 * Medians rather than means: one incident that took months to recover would otherwise hide how the city usually
 * performs. Months are bucketed by detection date in `timeZone` so a late-evening incident lands in the local month.
 */
export function aggregateMetrics(
  list: readonly IncidentTimeline[],
  by: 'type' | 'month',
  timeZone = 'UTC',
): MetricsGroup[] {
  if (by !== 'type' && by !== 'month')
    throw new RangeError(`cannot group by "${String(by)}"; use "type" or "month"`);
  if (by === 'month') assertTimeZone(timeZone);
  const groups = new Map<string, IncidentMetrics[]>();
  for (const t of list) {
    let key = t.type;
    if (by === 'month') {
      checkDate(t.detectedAt, 'detectedAt');
      const l = toLocal(t.detectedAt, timeZone);
      key = `${l.year}-${String(l.month).padStart(2, '0')}`;
    }
    const arr = groups.get(key) ?? [];
    arr.push(metrics(t));
    groups.set(key, arr);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, ms]) => {
      const med = {} as IncidentMetrics;
      const samples = {} as MetricsGroup['samples'];
      for (const k of METRIC_KEYS) {
        const vals = ms.map((m) => m[k]).filter((v): v is number => v !== null);
        med[k] = median(vals);
        samples[k] = vals.length;
      }
      return { key, incidents: ms.length, median: med, samples };
    });
}
