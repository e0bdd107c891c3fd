import { z } from 'zod';
import {
  HASH_ALGORITHMS,
  INCIDENT_TYPES,
  OBSERVABLE_TYPES,
  PHASES,
  PlaybookSchema,
  SeverityInputSchema,
} from '../../../core/incident/index.js';
import { Timestamp } from '../../http/types.js';
import { ImpactOut } from '../assets/assets.schemas.js';
import { AttackTechniqueId } from '../intel/intel.techniques.js';

export const IncidentType = z.enum(INCIDENT_TYPES);
export const Phase = z.enum(PHASES);
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export const Tlp = z.enum(TLP_LEVELS);
export const TASK_STATUSES = ['open', 'in-progress', 'done', 'cancelled'] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export const CONTACT_ROLES = [
  'law-enforcement',
  'insurer',
  'counsel',
  'vendor',
  'regulator',
  'csirt',
  'public',
  'media',
  'internal',
  'other',
] as const;

export const AffectedRef = z.object({
  kind: z.enum(['service', 'system']),
  /** The id of the service or system in the city model (assets module). */
  ref: z.string(),
  /** Its name when it was linked, kept should it later leave the model. */
  name: z.string(),
});

/** A service or system of the organization's city model; its name is read from the model. */
export const AffectedInput = z.strictObject({
  kind: z.enum(['service', 'system']),
  ref: z.uuid(),
});

/** Facts are checked against the clock catalogue in the service, so an unknown fact is named in the error. */
export const Facts = z.record(z.string(), z.unknown());

const events = {
  occurredAt: Timestamp.nullable().optional(),
  awarenessAt: Timestamp.nullable().optional(),
  breachDeterminedAt: Timestamp.nullable().optional(),
  reasonableBeliefAt: Timestamp.nullable().optional(),
  ransomPaidAt: Timestamp.nullable().optional(),
};

export const CreateIncident = z.strictObject({
  title: z.string().trim().min(3).max(300),
  summary: z.string().max(20_000).default(''),
  type: IncidentType,
  tlp: Tlp.default('amber'),
  exercise: z.boolean().default(false),
  /** A shipped playbook id (e.g. "ransomware-city") or the id of an organization's playbook version. */
  playbook: z.string().min(1).max(100).optional(),
  leadId: z.uuid().nullable().default(null),
  team: z.array(z.uuid()).max(100).default([]),
  attackTechniques: z.array(AttackTechniqueId).max(100).default([]),
  affected: z.array(AffectedInput).max(200).default([]),
  facts: Facts.default({}),
  timeZone: z.string().min(1).max(64).default('UTC'),
  severity: SeverityInputSchema.nullable().default(null),
  detectedAt: Timestamp.optional(),
  ...events,
});

export const UpdateIncident = z.strictObject({
  title: z.string().trim().min(3).max(300).optional(),
  summary: z.string().max(20_000).optional(),
  type: IncidentType.optional(),
  tlp: Tlp.optional(),
  leadId: z.uuid().nullable().optional(),
  team: z.array(z.uuid()).max(100).optional(),
  attackTechniques: z.array(AttackTechniqueId).max(100).optional(),
  affected: z.array(AffectedInput).max(200).optional(),
  facts: Facts.optional(),
  timeZone: z.string().min(1).max(64).optional(),
  severity: SeverityInputSchema.nullable().optional(),
  detectedAt: Timestamp.optional(),
  ...events,
});

export const ChangeStatus = z.strictObject({
  to: Phase,
  reason: z.string().trim().max(2000).optional(),
  at: Timestamp.optional(),
});

const SeverityOut = z.object({
  input: z.unknown(),
  score: z.number(),
  level: z.number().int(),
  name: z.string(),
  explanation: z.unknown(),
});

const Metrics = z.object({
  timeToDetectMs: z.number().nullable(),
  timeToAcknowledgeMs: z.number().nullable(),
  timeToContainMs: z.number().nullable(),
  timeToRecoverMs: z.number().nullable(),
});

const Person = z.object({ id: z.uuid(), name: z.string(), email: z.string() });

export const Incident = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  title: z.string(),
  summary: z.string(),
  type: IncidentType,
  status: Phase,
  tlp: Tlp,
  exercise: z.boolean(),
  lead: Person.nullable(),
  team: z.array(Person),
  attackTechniques: z.array(z.string()),
  affected: z.array(AffectedRef),
  facts: Facts,
  timeZone: z.string(),
  severity: SeverityOut.nullable(),
  playbookRef: z.string().nullable(),
  playbookVersion: z.string().nullable(),
  occurredAt: Timestamp.nullable(),
  detectedAt: Timestamp,
  awarenessAt: Timestamp.nullable(),
  breachDeterminedAt: Timestamp.nullable(),
  reasonableBeliefAt: Timestamp.nullable(),
  ransomPaidAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  metrics: Metrics,
  nextPhases: z.object({
    forward: Phase.nullable(),
    back: z.array(Phase),
    skips: z.array(z.object({ to: Phase, label: z.string() })),
  }),
});

export const IncidentSummary = Incident.pick({
  id: true,
  title: true,
  type: true,
  status: true,
  tlp: true,
  exercise: true,
  lead: true,
  attackTechniques: true,
  detectedAt: true,
  closedAt: true,
  updatedAt: true,
}).extend({ severityName: z.string().nullable(), severityLevel: z.number().int().nullable() });

export const IncidentListQuery = z.strictObject({
  q: z.string().max(200).optional(),
  status: Phase.optional(),
  type: IncidentType.optional(),
  /** Only incidents that name this ATT&CK technique. */
  technique: AttackTechniqueId.optional(),
  /** Exercises are never counted as real incidents unless asked for. */
  exercises: z.enum(['exclude', 'include', 'only']).default('exclude'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const MetricsQuery = z.strictObject({
  by: z.enum(['type', 'month']).default('type'),
  timeZone: z.string().min(1).max(64).default('UTC'),
  exercises: z.enum(['exclude', 'only']).default('exclude'),
});

export const MetricsGroup = z.object({
  key: z.string(),
  incidents: z.number().int(),
  median: Metrics,
  samples: z.record(z.string(), z.number().int()),
});

export const Task = z.object({
  id: z.uuid(),
  incidentId: z.uuid(),
  position: z.number().int(),
  playbookTaskId: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  phase: z.string().nullable(),
  csf: z.string().nullable(),
  role: z.string().nullable(),
  assigneeId: z.uuid().nullable(),
  dueAt: Timestamp.nullable(),
  status: TaskStatus,
  checklist: z.array(z.object({ text: z.string(), done: z.boolean() })),
  completedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const ChecklistInput = z
  .array(z.strictObject({ text: z.string().trim().min(1).max(500), done: z.boolean() }))
  .max(100);

export const CreateTask = z.strictObject({
  title: z.string().trim().min(3).max(300),
  description: z.string().max(10_000).default(''),
  phase: Phase.nullable().default(null),
  assigneeId: z.uuid().nullable().default(null),
  dueAt: Timestamp.nullable().default(null),
  checklist: ChecklistInput.default([]),
});

export const UpdateTask = z.strictObject({
  title: z.string().trim().min(3).max(300).optional(),
  description: z.string().max(10_000).optional(),
  assigneeId: z.uuid().nullable().optional(),
  dueAt: Timestamp.nullable().optional(),
  status: TaskStatus.optional(),
  checklist: ChecklistInput.optional(),
});

export const TimelineEntry = z.object({
  id: z.uuid(),
  kind: z.string(),
  text: z.string(),
  ref: z.string().nullable(),
  occurredAt: Timestamp,
  recordedAt: Timestamp,
  actorLabel: z.string(),
});

export const CreateTimelineEntry = z.strictObject({
  text: z.string().trim().min(1).max(5000),
  occurredAt: Timestamp,
});

export const ClockOut = z.object({
  ruleId: z.string(),
  title: z.string(),
  regime: z.string(),
  jurisdiction: z.string(),
  citation: z.string(),
  notes: z.string().nullable(),
  recipients: z.array(z.object({ name: z.string(), kind: z.string() })),
  startEvent: z.string(),
  start: Timestamp.nullable(),
  deadline: Timestamp.nullable(),
  target: Timestamp.nullable(),
  dueAt: Timestamp.nullable(),
  dueAtLocal: z.string().nullable(),
  statutory: z.boolean(),
  remainingMs: z.number().nullable(),
  status: z.enum(['waiting-for-start-event', 'running', 'met', 'overdue']),
  sentAt: Timestamp.nullable(),
  late: z.boolean(),
  draft: z.object({ subject: z.string(), body: z.string(), missing: z.array(z.string()) }),
});

export const ClockReport = z.object({
  timeZone: z.string(),
  now: Timestamp,
  clocks: z.array(ClockOut),
  earliest: z.string().nullable(),
});

export const MarkSent = z.strictObject({
  sentAt: Timestamp,
  reference: z.string().max(500).default(''),
});

export const OverdueClock = z.object({
  incidentId: z.uuid(),
  incidentTitle: z.string(),
  ruleId: z.string(),
  title: z.string(),
  regime: z.string(),
  dueAt: Timestamp,
  overdueMs: z.number(),
});

export const PlaybookOut = z.object({
  /** The shipped id, or the uuid of the organization's version. */
  ref: z.string(),
  source: z.enum(['shipped', 'organization']),
  readOnly: z.boolean(),
  createdAt: Timestamp.nullable(),
  playbook: PlaybookSchema,
});

export const CreatePlaybook = z.strictObject({
  /** Copy a shipped playbook (or an organization version) under a new key, or give a whole playbook. */
  from: z.string().min(1).max(100).optional(),
  playbook: z.unknown().optional(),
});

export const UpdatePlaybook = z.strictObject({ playbook: z.unknown() });

export const Evidence = z.object({
  id: z.uuid(),
  incidentId: z.uuid(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  description: z.string(),
  custodian: z.string(),
  uploadedAt: Timestamp,
});

export const CustodyEvent = z.object({
  id: z.uuid(),
  action: z.enum(['uploaded', 'viewed', 'downloaded', 'transferred']),
  note: z.string(),
  at: Timestamp,
  actorLabel: z.string(),
});

export const TransferEvidence = z.strictObject({
  to: z.string().trim().min(2).max(300),
  note: z.string().max(2000).default(''),
});

export const Communication = z.object({
  id: z.uuid(),
  incidentId: z.uuid(),
  direction: z.enum(['inbound', 'outbound', 'internal']),
  channel: z.string(),
  contactName: z.string(),
  contactRole: z.enum(CONTACT_ROLES),
  contactDetail: z.string(),
  summary: z.string(),
  occurredAt: Timestamp,
  recordedAt: Timestamp,
});

export const CreateCommunication = z.strictObject({
  direction: z.enum(['inbound', 'outbound', 'internal']),
  channel: z.string().trim().min(2).max(100),
  contactName: z.string().trim().min(1).max(300),
  contactRole: z.enum(CONTACT_ROLES),
  contactDetail: z.string().max(500).default(''),
  summary: z.string().trim().min(1).max(10_000),
  occurredAt: Timestamp,
});

export const IncidentParams = z.strictObject({ orgId: z.uuid(), incidentId: z.uuid() });
export const TaskParams = IncidentParams.extend({ taskId: z.uuid() });
export const EvidenceParams = IncidentParams.extend({ evidenceId: z.uuid() });
export const ClockParams = IncidentParams.extend({
  ruleId: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(100),
});
export const ObservableParams = IncidentParams.extend({ observableId: z.uuid() });
export const PlaybookParams = z.strictObject({ orgId: z.uuid(), playbookId: z.uuid() });
export const PageQuery = z.strictObject({
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The cascade of the incident's affected services and systems through the city model: who else stops. */
export const IncidentImpact = z.object({
  affected: z.array(AffectedRef.extend({ inModel: z.boolean() })),
  cascade: ImpactOut,
  /** Stopped services not listed as affected: the ones the incident takes down with it. */
  alsoStopped: z.array(z.object({ id: z.string(), name: z.string(), population: z.number() })),
  severityHints: z.object({
    populationAffected: z.number().int(),
    crossSectorDependency: z.enum(['none', 'low', 'medium', 'high']),
    sectors: z.array(z.string()),
  }),
});

export const CreateObservable = z.strictObject({
  type: z.enum(OBSERVABLE_TYPES),
  value: z.string().max(4000),
  /** For a file: the algorithm of the hash given as value. */
  hashAlgorithm: z.enum(Object.keys(HASH_ALGORITHMS) as [keyof typeof HASH_ALGORITHMS]).optional(),
  note: z.string().max(2000).default(''),
  /** When it was seen (defaults to now); not in the future. */
  seenAt: Timestamp.optional(),
});

export const IndicatorHit = z.object({
  indicatorId: z.string(),
  name: z.string().nullable(),
  pattern: z.string(),
  tlp: Tlp,
  /** The organization whose copy of the indicator the reader sees: where it came from. */
  source: z.object({ orgId: z.uuid(), name: z.string() }),
  createdByRef: z.string().nullable(),
  validUntil: z.string().nullable(),
  expired: z.boolean(),
});

export const Observable = z.object({
  id: z.uuid(),
  incidentId: z.uuid(),
  type: z.enum(OBSERVABLE_TYPES),
  value: z.string(),
  stixId: z.string(),
  object: z.record(z.string(), z.unknown()),
  note: z.string(),
  seenAt: Timestamp,
  createdAt: Timestamp,
  hits: z.array(IndicatorHit),
});

export const ObservablePage = z.object({
  items: z.array(Observable),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  /** Visible indicators checked, whether more existed than were checked, and patterns that could not be used. */
  check: z.object({ indicators: z.number().int(), truncated: z.boolean(), unusable: z.number().int() }),
});

const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** What to strip from a shared incident; the TLP may be the incident's own or stricter. */
const shareChoices = {
  tlp: Tlp.optional(),
  description: z.boolean().default(true),
  observables: z.boolean().default(true),
  indicators: z.boolean().default(true),
  sightings: z.boolean().default(true),
  excludeObservables: z.array(z.string().max(200)).max(2000).default([]),
};

export const StixExportQuery = z.strictObject({
  tlp: Tlp.optional(),
  description: queryBool.default(true),
  observables: queryBool.default(true),
  indicators: queryBool.default(true),
  sightings: queryBool.default(true),
  /** Comma-separated SCO ids of observables to keep private. */
  exclude: z.string().max(100_000).default(''),
});

export const ShareIncident = z.strictObject({ communityId: z.uuid(), ...shareChoices });

export const StixBundle = z.object({
  type: z.literal('bundle'),
  id: z.string(),
  objects: z.array(z.unknown()),
});

export const ShareResult = z.object({
  bundleId: z.string(),
  community: z.object({ id: z.uuid(), name: z.string() }),
  tlp: Tlp,
  objects: z.number().int(),
  imported: z.number().int(),
  shared: z.number().int(),
  stripped: z.object({
    observables: z.number().int(),
    indicators: z.number().int(),
    description: z.boolean(),
  }),
});

export const PlanExercise = z.strictObject({
  scenarioId: z.string().min(1).max(100),
  title: z.string().trim().min(3).max(300).optional(),
  facilitatorId: z.uuid().nullable().default(null),
  participants: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(200),
        role: z.string().min(1).max(100),
        userId: z.uuid().nullable().optional(),
      }),
    )
    .max(200)
    .default([]),
  /** Exercise minutes per real minute. */
  timeScale: z.number().min(0.1).max(1440).default(1),
  timeZone: z.string().min(1).max(64).default('UTC'),
  facts: Facts.default({}),
});

const REVIEW_KINDS = ['worked', 'gap', 'decision', 'action'] as const;

export const ReviewItem = z.object({
  id: z.uuid(),
  incidentId: z.uuid(),
  kind: z.enum(REVIEW_KINDS),
  text: z.string(),
  assigneeId: z.uuid().nullable(),
  dueAt: Timestamp.nullable(),
  status: z.enum(['open', 'in-progress', 'done']).nullable(),
  completedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateReviewItem = z.strictObject({
  kind: z.enum(REVIEW_KINDS),
  text: z.string().trim().min(3).max(5000),
  assigneeId: z.uuid().nullable().optional(),
  dueAt: Timestamp.nullable().optional(),
});

export const UpdateReviewItem = z.strictObject({
  text: z.string().trim().min(3).max(5000).optional(),
  assigneeId: z.uuid().nullable().optional(),
  dueAt: Timestamp.nullable().optional(),
  status: z.enum(['open', 'in-progress', 'done']).optional(),
});

export const ExerciseView = z.object({
  incidentId: z.uuid(),
  scenario: z.unknown(),
  facilitatorId: z.uuid().nullable(),
  participants: z.array(z.object({ name: z.string(), role: z.string(), userId: z.uuid().nullable() })),
  timeScale: z.number(),
  state: z.enum(['planned', 'running', 'ended']),
  startedAt: Timestamp.nullable(),
  endedAt: Timestamp.nullable(),
  exerciseNow: Timestamp.nullable(),
  elapsedMinutes: z.number(),
  injects: z.array(
    z.object({
      id: z.string(),
      offsetMinutes: z.number(),
      title: z.string(),
      text: z.string(),
      audience: z.array(z.string()),
      expectedDecisions: z.array(z.string()),
      status: z.enum(['pending', 'due', 'released']),
      releasedAt: Timestamp.nullable(),
      releasedMode: z.enum(['schedule', 'facilitator']).nullable(),
      exerciseMinute: z.number().nullable(),
    }),
  ),
  review: z.array(ReviewItem),
  actions: z.object({ open: z.number().int(), done: z.number().int() }),
});

export const InjectParams = IncidentParams.extend({ injectId: z.string().regex(/^[a-z]+-i\d{2}$/) });
export const ReviewItemParams = IncidentParams.extend({ itemId: z.uuid() });
export const ActionsQuery = z.strictObject({
  status: z.enum(['open', 'done', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
