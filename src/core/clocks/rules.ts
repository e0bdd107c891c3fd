import { z } from 'zod';

/**
 * Regulatory notification rules are data, not code, so that a city (or a lawyer reviewing our defaults) can read,
 * change and extend them without touching the engine. This module holds their schema, the catalogue of incident
 * facts a rule may test, and the validation that keeps a rule from silently never firing.
 */

// ---------------------------------------------------------------------------------------------------------------
// Incident facts

export type FactSpec =
  | { type: 'boolean'; description: string }
  | { type: 'enum'; values: readonly string[]; description: string }
  | { type: 'number'; description: string }
  /** A count per key, e.g. residents affected per US state: `{ CA: 1200, TX: 40 }`. */
  | { type: 'countByKey'; keyPattern: RegExp; description: string };

export const KNOWN_FACTS = {
  personalDataAffected: {
    type: 'boolean',
    description:
      'Personal data / personal information was, or is reasonably believed to have been, compromised',
  },
  riskToIndividualsUnlikely: {
    type: 'boolean',
    description:
      'Documented assessment that the breach is unlikely to result in a risk to individuals (GDPR Art. 33(1))',
  },
  highRiskToIndividuals: {
    type: 'boolean',
    description:
      'The breach is likely to result in a high risk to the rights and freedoms of individuals (GDPR Art. 34)',
  },
  subjectToGdpr: { type: 'boolean', description: 'The organization is a controller subject to the GDPR' },
  significantIncident: {
    type: 'boolean',
    description: 'The incident is significant within the meaning of NIS2 Art. 23(3)',
  },
  entityType: {
    type: 'enum',
    values: ['essential', 'important', 'none'],
    description: 'NIS2 classification of the entity',
  },
  coveredEntity: { type: 'boolean', description: 'The organization is a covered entity under CIRCIA' },
  coveredCyberIncident: {
    type: 'boolean',
    description: 'The incident is a covered (substantial) cyber incident under CIRCIA',
  },
  ransomPaid: {
    type: 'boolean',
    description: 'A ransom payment was made in connection with a ransomware attack',
  },
  residentsAffectedByState: {
    type: 'countByKey',
    keyPattern: /^[A-Z]{2}$/,
    description: 'Number of affected residents per US state (two-letter postal code)',
  },
  recordsAffected: { type: 'number', description: 'Number of personal-data records affected' },
} as const satisfies Record<string, FactSpec>;

export type KnownFacts = Record<string, FactSpec>;

export interface IncidentFacts {
  personalDataAffected?: boolean;
  riskToIndividualsUnlikely?: boolean;
  highRiskToIndividuals?: boolean;
  subjectToGdpr?: boolean;
  significantIncident?: boolean;
  entityType?: 'essential' | 'important' | 'none';
  coveredEntity?: boolean;
  coveredCyberIncident?: boolean;
  ransomPaid?: boolean;
  residentsAffectedByState?: Record<string, number>;
  recordsAffected?: number;
  [fact: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { fact: string; key?: string; eq: string | number | boolean }
  | { fact: string; key?: string; in: (string | number)[] }
  | { fact: string; key?: string; gte: number }
  | { fact: string; key?: string; gt: number };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ not: ConditionSchema }),
    z.strictObject({ fact: z.string().min(1), key: z.string().min(1).optional(), eq: scalar }),
    z.strictObject({
      fact: z.string().min(1),
      key: z.string().min(1).optional(),
      in: z.array(z.union([z.string(), z.number()])).min(1),
    }),
    z.strictObject({ fact: z.string().min(1), key: z.string().min(1).optional(), gte: z.number() }),
    z.strictObject({ fact: z.string().min(1), key: z.string().min(1).optional(), gt: z.number() }),
  ]),
);

// ---------------------------------------------------------------------------------------------------------------
// Rules

export const START_EVENTS = [
  'awareness',
  'breachDetermined',
  'reasonableBelief',
  'ransomPaid',
  'notificationSent',
] as const;
export type StartEvent = (typeof START_EVENTS)[number];

export const DurationSchema = z.strictObject({
  unit: z.enum(['hours', 'calendarDays', 'businessDays', 'months']),
  value: z.number().int().positive(),
});

export const DeadlineSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fixed'), duration: DurationSchema }),
  /**
   * "Without undue/unreasonable delay": the law sets no outer limit, so the clock runs against an internal
   * target chosen by policy; the target is never presented as a statutory deadline.
   */
  z.strictObject({
    type: z.literal('withoutUndueDelay'),
    target: DurationSchema.optional(),
  }),
]);

/** Names a template may use; anything else in `{{…}}` is rejected at validation time. */
export const DRAFT_PLACEHOLDERS = [
  'organizationName',
  'contactName',
  'contactEmail',
  'contactPhone',
  'incidentId',
  'incidentTitle',
  'incidentSummary',
  'incidentType',
  'occurredAt',
  'startAt',
  'deadlineAt',
  'recipient',
  'citation',
  'regime',
  'affectedServices',
  'dataCategories',
  'individualsAffected',
  'residentsAffected',
  'state',
  'measuresTaken',
  'likelyConsequences',
  'crossBorderImpact',
  'ransomAmount',
  'ransomPaidAt',
  'lawEnforcementContacted',
  'earlierNotificationAt',
] as const;
export type DraftPlaceholder = (typeof DRAFT_PLACEHOLDERS)[number];

export const RuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'rule id must be lower-case kebab-case'),
  jurisdiction: z.string().min(2),
  regime: z.string().min(1),
  title: z.string().min(1),
  citation: z.string().min(1),
  /** A note a reviewer should see next to the clock: exceptions, extensions, scope caveats. */
  notes: z.string().optional(),
  when: ConditionSchema,
  start: z.discriminatedUnion('event', [
    z.strictObject({ event: z.literal('awareness') }),
    z.strictObject({ event: z.literal('breachDetermined') }),
    z.strictObject({ event: z.literal('reasonableBelief') }),
    z.strictObject({ event: z.literal('ransomPaid') }),
    /** Chains a report to an earlier one, e.g. the NIS2 final report counts from the incident notification. */
    z.strictObject({ event: z.literal('notificationSent'), after: z.string().min(1) }),
  ]),
  deadline: DeadlineSchema,
  recipients: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        kind: z.enum([
          'csirt',
          'authority',
          'supervisory-authority',
          'attorney-general',
          'individuals',
          'regulator',
        ]),
      }),
    )
    .min(1),
  draft: z.strictObject({ subject: z.string().min(1), body: z.string().min(1) }),
});

export type Rule = z.infer<typeof RuleSchema>;

export interface RuleIssue {
  ruleId: string;
  /** Dotted path inside the rule, e.g. `when.all[1].fact`. */
  path: string;
  message: string;
}

export class RuleValidationError extends Error {
  constructor(readonly issues: RuleIssue[]) {
    super(`invalid clock rules:\n${issues.map((i) => `  ${i.ruleId} ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'RuleValidationError';
  }
}

function pathString(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => {
    if (typeof seg === 'number') return `${acc}[${seg}]`;
    return acc ? `${acc}.${String(seg)}` : String(seg);
  }, '');
}

function checkCondition(
  cond: Condition,
  path: string,
  facts: KnownFacts,
  push: (p: string, m: string) => void,
) {
  if ('all' in cond || 'any' in cond) {
    const [op, list] = 'all' in cond ? (['all', cond.all] as const) : (['any', cond.any] as const);
    for (const [i, c] of list.entries()) checkCondition(c, `${path}.${op}[${i}]`, facts, push);
    return;
  }
  if ('not' in cond) return checkCondition(cond.not, `${path}.not`, facts, push);

  const spec = Object.hasOwn(facts, cond.fact) ? facts[cond.fact] : undefined;
  if (!spec) {
    push(`${path}.fact`, `unknown fact "${cond.fact}"; known facts: ${Object.keys(facts).sort().join(', ')}`);
    return;
  }
  if (spec.type === 'countByKey') {
    if (cond.key === undefined) {
      push(path, `fact "${cond.fact}" is a count per key and needs a "key" (e.g. "CA")`);
    } else if (!spec.keyPattern.test(cond.key)) {
      push(`${path}.key`, `key "${cond.key}" does not match ${spec.keyPattern} for fact "${cond.fact}"`);
    }
  } else if (cond.key !== undefined) {
    push(`${path}.key`, `fact "${cond.fact}" is a ${spec.type} and takes no "key"`);
  }
  const valueType = spec.type === 'countByKey' ? 'number' : spec.type;
  if ('gte' in cond || 'gt' in cond) {
    if (valueType !== 'number')
      push(path, `fact "${cond.fact}" is a ${spec.type}; gte/gt need a number fact`);
  } else if ('eq' in cond) {
    if (valueType === 'boolean' && typeof cond.eq !== 'boolean') {
      push(`${path}.eq`, `fact "${cond.fact}" is boolean; compare with true or false`);
    } else if (valueType === 'number' && typeof cond.eq !== 'number') {
      push(`${path}.eq`, `fact "${cond.fact}" is a number; compare with a number`);
    } else if (spec.type === 'enum' && !spec.values.includes(String(cond.eq))) {
      push(
        `${path}.eq`,
        `"${String(cond.eq)}" is not one of ${spec.values.join(', ')} for fact "${cond.fact}"`,
      );
    }
  } else if ('in' in cond) {
    if (spec.type === 'enum') {
      for (const [i, v] of cond.in.entries()) {
        if (!spec.values.includes(String(v))) {
          push(`${path}.in[${i}]`, `"${v}" is not one of ${spec.values.join(', ')} for fact "${cond.fact}"`);
        }
      }
    } else if (valueType === 'boolean') {
      push(path, `fact "${cond.fact}" is boolean; use eq`);
    }
  }
}

const PLACEHOLDER_RE = /\{\{\s*([^}]*?)\s*\}\}/g;

export function templatePlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1]);
}

/**
 * Checks rules against the schema and against the facts the incident model knows. Returns every problem found
 * (empty when valid) so an editor can show them all at once.
 */
export function validateRules(rules: unknown, knownFacts: KnownFacts = KNOWN_FACTS): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (!Array.isArray(rules)) {
    return [{ ruleId: '(rules)', path: '', message: 'rules must be an array' }];
  }
  const parsed: Rule[] = [];
  rules.forEach((raw, index) => {
    const ruleId =
      raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
        ? (raw as { id: string }).id
        : `(rule #${index})`;
    const result = RuleSchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({ ruleId, path: pathString(issue.path), message: issue.message });
      }
      return;
    }
    parsed.push(result.data);
  });

  const ids = new Map<string, number>();
  for (const r of parsed) ids.set(r.id, (ids.get(r.id) ?? 0) + 1);
  for (const [id, n] of ids) {
    if (n > 1) issues.push({ ruleId: id, path: 'id', message: `duplicate rule id (${n} rules use it)` });
  }

  for (const rule of parsed) {
    const push = (path: string, message: string) => issues.push({ ruleId: rule.id, path, message });
    checkCondition(rule.when, 'when', knownFacts, push);
    if (rule.start.event === 'notificationSent') {
      if (rule.start.after === rule.id) push('start.after', 'a rule cannot start from its own notification');
      else if (!ids.has(rule.start.after)) push('start.after', `no rule with id "${rule.start.after}"`);
    }
    for (const field of ['subject', 'body'] as const) {
      for (const name of templatePlaceholders(rule.draft[field])) {
        if (!(DRAFT_PLACEHOLDERS as readonly string[]).includes(name)) {
          push(
            `draft.${field}`,
            `unknown placeholder "{{${name}}}"; allowed: ${DRAFT_PLACEHOLDERS.join(', ')}`,
          );
        }
      }
    }
  }

  // A chain that loops back on itself could never start; catch it here rather than as a clock stuck waiting.
  const byId = new Map(parsed.map((r) => [r.id, r]));
  for (const rule of parsed) {
    const seen = new Set<string>([rule.id]);
    let cur: Rule | undefined = rule;
    while (cur && cur.start.event === 'notificationSent') {
      const next = cur.start.after;
      if (seen.has(next)) {
        issues.push({
          ruleId: rule.id,
          path: 'start.after',
          message: `notification chain loops through "${next}"`,
        });
        break;
      }
      seen.add(next);
      cur = byId.get(next);
    }
  }
  return issues;
}

/** Like `validateRules`, but throws a `RuleValidationError` and returns the typed rules when valid. */
export function parseRules(rules: unknown, knownFacts: KnownFacts = KNOWN_FACTS): Rule[] {
  const issues = validateRules(rules, knownFacts);
  if (issues.length > 0) throw new RuleValidationError(issues);
  return rules as Rule[];
}

function factValue(facts: IncidentFacts, fact: string, key?: string): unknown {
  const v = facts[fact];
  if (key === undefined) return v;
  if (v && typeof v === 'object') return (v as Record<string, unknown>)[key];
  return undefined;
}

/**
 * Evaluates a condition. A fact the incident does not state yet counts as false / zero / absent, so a `not`
 * over an unassessed exception (e.g. "risk unlikely") keeps the clock running: the safe side for a deadline.
 */
export function evaluateCondition(cond: Condition, facts: IncidentFacts): boolean {
  if ('all' in cond) return cond.all.every((c) => evaluateCondition(c, facts));
  if ('any' in cond) return cond.any.some((c) => evaluateCondition(c, facts));
  if ('not' in cond) return !evaluateCondition(cond.not, facts);
  const v = factValue(facts, cond.fact, cond.key);
  if ('eq' in cond) return v === cond.eq || (v === undefined && cond.eq === false);
  if ('in' in cond) return (cond.in as unknown[]).includes(v);
  const n = typeof v === 'number' ? v : 0;
  if ('gte' in cond) return n >= cond.gte;
  return n > cond.gt;
}
