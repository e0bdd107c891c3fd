export { SHIPPED_RULES } from './data.js';
export { type Draft, type DraftContext, type DraftValue, renderDraft } from './draft.js';
export {
  applicableClocks,
  type Clock,
  type ClockOptions,
  type ClockReport,
  type ClockStatus,
  checkFacts,
  FactsError,
  type IncidentEvents,
} from './engine.js';
export {
  type Condition,
  DRAFT_PLACEHOLDERS,
  type DraftPlaceholder,
  evaluateCondition,
  type FactSpec,
  type IncidentFacts,
  KNOWN_FACTS,
  type KnownFacts,
  parseRules,
  type Rule,
  type RuleIssue,
  RuleSchema,
  RuleValidationError,
  START_EVENTS,
  type StartEvent,
  validateRules,
} from './rules.js';
export {
  addDuration,
  assertTimeZone,
  type CalendarOptions,
  type Duration,
  type DurationUnit,
  formatLocal,
  fromLocal,
  type LocalDateTime,
  offsetMs,
  toLocal,
} from './time.js';
