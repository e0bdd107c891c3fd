import {
  evaluateCondition,
  type IncidentFacts,
  KNOWN_FACTS,
  type KnownFacts,
  parseRules,
  type Rule,
  type StartEvent,
} from './rules.js';
import { addDuration, assertTimeZone, type CalendarOptions } from './time.js';

export interface IncidentEvents {
  /** When the organization became aware of the incident (NIS2, GDPR). */
  awareness?: Date;
  /** When the organization discovered or determined that a breach occurred (US state laws). */
  breachDetermined?: Date;
  /** When the organization reasonably believed a covered cyber incident occurred (CIRCIA). */
  reasonableBelief?: Date;
  /** When a ransom was paid (CIRCIA). */
  ransomPaid?: Date;
  /** When the notification of each clock (by rule id) was sent; completes that clock and starts chained ones. */
  notificationSent?: Record<string, Date>;
}

export type ClockStatus = 'waiting-for-start-event' | 'running' | 'met' | 'overdue';

export interface Clock {
  /** Same as the rule id: one rule, one notification duty, one clock. */
  id: string;
  rule: Rule;
  startEvent: StartEvent;
  start: Date | null;
  /** The statutory deadline; null for "without undue delay" duties. */
  deadline: Date | null;
  /** Internal target for duties without a statutory deadline. */
  target: Date | null;
  /** `deadline ?? target`: the instant the countdown runs to. */
  dueAt: Date | null;
  statutory: boolean;
  /** ms from `now` to `dueAt` (negative when past); null while waiting or when there is nothing to count to. */
  remainingMs: number | null;
  status: ClockStatus;
  sentAt: Date | null;
  /** Sent after `dueAt`. */
  late: boolean;
}

export interface ClockOptions extends CalendarOptions {
  /** Facts catalogue used to check rules and facts; defaults to the shipped one. */
  knownFacts?: KnownFacts;
}

export interface ClockReport {
  clocks: Clock[];
  /** The open clock (running or overdue) due first, or null when none is open. */
  earliest: Clock | null;
  overdue: Clock[];
}

export class FactsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid incident facts: ${problems.join('; ')}`);
    this.name = 'FactsError';
  }
}

/** Rejects facts the catalogue does not know and values of the wrong type, naming each. */
export function checkFacts(facts: IncidentFacts, knownFacts: KnownFacts = KNOWN_FACTS): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(facts)) {
    if (value === undefined) continue;
    const spec = Object.hasOwn(knownFacts, name) ? knownFacts[name] : undefined;
    if (!spec) {
      problems.push(`unknown fact "${name}"`);
      continue;
    }
    switch (spec.type) {
      case 'boolean':
        if (typeof value !== 'boolean') problems.push(`fact "${name}" must be true or false`);
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          problems.push(`fact "${name}" must be a non-negative number`);
        }
        break;
      case 'enum':
        if (typeof value !== 'string' || !spec.values.includes(value)) {
          problems.push(`fact "${name}" must be one of ${spec.values.join(', ')}`);
        }
        break;
      case 'countByKey':
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          problems.push(`fact "${name}" must be an object of counts, e.g. { "CA": 1200 }`);
          break;
        }
        for (const [key, n] of Object.entries(value as Record<string, unknown>)) {
          if (!spec.keyPattern.test(key))
            problems.push(`fact "${name}": key "${key}" does not match ${spec.keyPattern}`);
          if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
            problems.push(`fact "${name}.${key}" must be a non-negative integer`);
          }
        }
        break;
    }
  }
  return problems;
}

function validDate(d: Date | undefined, what: string): Date | undefined {
  if (d === undefined) return undefined;
  if (!(d instanceof Date) || Number.isNaN(d.getTime()))
    throw new RangeError(`event "${what}" is not a valid Date`);
  return d;
}

/**
 * Computes every clock that the incident's facts trigger. Deadlines are computed in `timeZone` (the zone of the
 * obligated organization): hours as absolute durations, days and months on the local calendar.
 */
export function applicableClocks(
  rules: readonly Rule[],
  facts: IncidentFacts,
  events: IncidentEvents,
  now: Date,
  timeZone: string,
  options: ClockOptions = {},
): ClockReport {
  assertTimeZone(timeZone);
  validDate(now, 'now');
  const knownFacts = options.knownFacts ?? KNOWN_FACTS;
  const checked = parseRules(rules, knownFacts);
  const factProblems = checkFacts(facts, knownFacts);
  if (factProblems.length > 0) throw new FactsError(factProblems);

  const base: Record<Exclude<StartEvent, 'notificationSent'>, Date | undefined> = {
    awareness: validDate(events.awareness, 'awareness'),
    breachDetermined: validDate(events.breachDetermined, 'breachDetermined'),
    reasonableBelief: validDate(events.reasonableBelief, 'reasonableBelief'),
    ransomPaid: validDate(events.ransomPaid, 'ransomPaid'),
  };
  const sent = events.notificationSent ?? {};
  for (const [id, at] of Object.entries(sent)) validDate(at, `notificationSent.${id}`);

  const clocks: Clock[] = [];
  for (const rule of checked) {
    if (!evaluateCondition(rule.when, facts)) continue;
    const start = rule.start.event === 'notificationSent' ? sent[rule.start.after] : base[rule.start.event];
    const statutory = rule.deadline.type === 'fixed';
    const deadline =
      start && rule.deadline.type === 'fixed'
        ? addDuration(start, rule.deadline.duration, timeZone, options)
        : null;
    const target =
      start && rule.deadline.type === 'withoutUndueDelay' && rule.deadline.target
        ? addDuration(start, rule.deadline.target, timeZone, options)
        : null;
    const dueAt = deadline ?? target;
    const sentAt = sent[rule.id] ?? null;

    let status: ClockStatus;
    if (sentAt) status = 'met';
    else if (!start) status = 'waiting-for-start-event';
    // Past the internal target of an undue-delay duty counts as overdue too: the legal standard is stricter
    // than any window we chose, so the alert must not wait for a deadline that does not exist.
    else if (dueAt && now.getTime() > dueAt.getTime()) status = 'overdue';
    else status = 'running';

    clocks.push({
      id: rule.id,
      rule,
      startEvent: rule.start.event,
      start: start ?? null,
      deadline,
      target,
      dueAt,
      statutory,
      remainingMs: start && dueAt && !sentAt ? dueAt.getTime() - now.getTime() : null,
      status,
      sentAt,
      late: Boolean(sentAt && dueAt && sentAt.getTime() > dueAt.getTime()),
    });
  }

  const open = clocks.filter((c) => (c.status === 'running' || c.status === 'overdue') && c.dueAt);
  const earliest = open.reduce<Clock | null>(
    (best, c) => (best === null || (c.dueAt as Date).getTime() < (best.dueAt as Date).getTime() ? c : best),
    null,
  );
  return { clocks, earliest, overdue: clocks.filter((c) => c.status === 'overdue') };
}
