import type { Clock } from './engine.js';
import {
  DRAFT_PLACEHOLDERS,
  type DraftPlaceholder,
  type IncidentFacts,
  type Rule,
  templatePlaceholders,
} from './rules.js';
import { formatLocal } from './time.js';

export type DraftValue = string | number | Date | null | undefined;

export interface DraftContext {
  values?: Partial<Record<DraftPlaceholder, DraftValue>>;
  /** Fills start and deadline from the computed clock. */
  clock?: Clock;
  /** Fills resident and individual counts from the incident facts. */
  facts?: IncidentFacts;
  /** Zone in which dates are written; defaults to UTC. */
  timeZone?: string;
}

export interface Draft {
  ruleId: string;
  subject: string;
  body: string;
  /** Placeholders nobody filled; they appear in the text as `[missing: name]` so a reviewer cannot miss them. */
  missing: DraftPlaceholder[];
}

function stateOf(rule: Rule): string | undefined {
  const m = /^US-([A-Z]{2})$/.exec(rule.jurisdiction);
  return m ? m[1] : undefined;
}

/** Fills a rule's notification template. Values given explicitly win over those derived from rule, clock and facts. */
export function renderDraft(rule: Rule, context: DraftContext = {}): Draft {
  const timeZone = context.timeZone ?? 'UTC';
  const state = stateOf(rule);
  const byState = context.facts?.residentsAffectedByState;
  const derived: Partial<Record<DraftPlaceholder, DraftValue>> = {
    citation: rule.citation,
    regime: rule.regime,
    recipient: rule.recipients.map((r) => r.name).join('; '),
    state,
    startAt: context.clock?.start,
    deadlineAt: context.clock?.dueAt,
    residentsAffected: state && byState ? byState[state] : undefined,
    individualsAffected: byState ? Object.values(byState).reduce((a, b) => a + b, 0) || undefined : undefined,
  };
  if (rule.start.event === 'notificationSent' && context.clock?.start) {
    derived.earlierNotificationAt = context.clock.start;
  }
  const values = { ...derived, ...context.values };
  const missing = new Set<DraftPlaceholder>();

  const render = (text: string) =>
    text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_whole, rawName: string) => {
      const name = rawName as DraftPlaceholder;
      if (!(DRAFT_PLACEHOLDERS as readonly string[]).includes(name)) {
        throw new Error(`rule "${rule.id}" uses unknown placeholder "{{${rawName}}}"`);
      }
      const v = values[name];
      if (v === undefined || v === null || v === '') {
        missing.add(name);
        return `[missing: ${name}]`;
      }
      if (v instanceof Date) return formatLocal(v, timeZone);
      return String(v);
    });

  const subject = render(rule.draft.subject);
  const body = render(rule.draft.body);
  const order = [...templatePlaceholders(rule.draft.subject), ...templatePlaceholders(rule.draft.body)];
  return {
    ruleId: rule.id,
    subject,
    body,
    missing: [...missing].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
  };
}
