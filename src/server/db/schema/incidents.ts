import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea } from './columns.js';
import { organizations, users } from './orgs.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export interface AffectedRef {
  kind: 'service' | 'system';
  /** Id in the city model once it exists; kept as given until then. */
  ref: string;
  name: string;
}

export interface ChecklistItem {
  text: string;
  done: boolean;
}

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    type: text('type').notNull(),
    status: text('status').notNull().default('detected'),
    tlp: text('tlp').notNull().default('amber'),
    exercise: boolean('exercise').notNull().default(false),
    leadId: uuid('lead_id').references(() => users.id, { onDelete: 'set null' }),
    team: jsonb('team').$type<string[]>().notNull().default([]),
    /** MITRE ATT&CK technique ids (T1486, T0883) the responders have seen in the incident. */
    attackTechniques: jsonb('attack_techniques').$type<string[]>().notNull().default([]),
    affected: jsonb('affected').$type<AffectedRef[]>().notNull().default([]),
    facts: jsonb('facts').$type<Record<string, unknown>>().notNull().default({}),
    timeZone: text('time_zone').notNull().default('UTC'),
    severityInput: jsonb('severity_input'),
    severityScore: real('severity_score'),
    severityLevel: integer('severity_level'),
    severityName: text('severity_name'),
    severityExplanation: jsonb('severity_explanation'),
    playbookRef: text('playbook_ref'),
    playbookVersion: text('playbook_version'),
    occurredAt: ts('occurred_at'),
    detectedAt: ts('detected_at').notNull(),
    awarenessAt: ts('awareness_at'),
    breachDeterminedAt: ts('breach_determined_at'),
    reasonableBeliefAt: ts('reasonable_belief_at'),
    ransomPaidAt: ts('ransom_paid_at'),
    closedAt: ts('closed_at'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('incidents_org_status_idx').on(t.orgId, t.status),
    index('incidents_org_detected_idx').on(t.orgId, t.detectedAt),
  ],
);

/** Every status change, kept apart from the timeline so metrics never depend on free-text entries. */
export const incidentTransitions = pgTable(
  'incident_transitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    kind: text('kind').notNull(),
    reason: text('reason'),
    at: ts('at').notNull(),
    actorId: uuid('actor_id'),
  },
  (t) => [index('incident_transitions_org_incident_idx').on(t.orgId, t.incidentId)],
);

export const incidentTasks = pgTable(
  'incident_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    playbookTaskId: text('playbook_task_id'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    phase: text('phase'),
    csf: text('csf'),
    role: text('role'),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    dueAt: ts('due_at'),
    status: text('status').$type<'open' | 'in-progress' | 'done' | 'cancelled'>().notNull().default('open'),
    checklist: jsonb('checklist').$type<ChecklistItem[]>().notNull().default([]),
    completedAt: ts('completed_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('incident_tasks_org_incident_idx').on(t.orgId, t.incidentId, t.position)],
);

export const incidentTimeline = pgTable(
  'incident_timeline',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    /** What the entry is about (a task, a clock rule, an evidence file), so automatic alerts are not repeated. */
    ref: text('ref'),
    occurredAt: ts('occurred_at').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorLabel: text('actor_label').notNull(),
  },
  (t) => [index('incident_timeline_org_incident_idx').on(t.orgId, t.incidentId, t.occurredAt)],
);

export const incidentNotifications = pgTable(
  'incident_notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    ruleId: text('rule_id').notNull(),
    sentAt: ts('sent_at').notNull(),
    reference: text('reference').notNull().default(''),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
    actorId: uuid('actor_id'),
  },
  (t) => [
    index('incident_notifications_org_idx').on(t.orgId),
    uniqueIndex('incident_notifications_rule_key').on(t.incidentId, t.ruleId),
  ],
);

/** Org-owned playbooks: one row per version, so incidents keep pointing at the version they were opened from. */
export const incidentPlaybooks = pgTable(
  'incident_playbooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    version: text('version').notNull(),
    title: text('title').notNull(),
    incidentType: text('incident_type').notNull(),
    body: jsonb('body').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('incident_playbooks_version_key').on(t.orgId, t.key, t.version)],
);

export const incidentEvidence = pgTable(
  'incident_evidence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    description: text('description').notNull().default(''),
    content: bytea('content').notNull(),
    custodian: text('custodian').notNull(),
    uploadedBy: uuid('uploaded_by'),
    uploadedAt: ts('uploaded_at').notNull().defaultNow(),
  },
  (t) => [index('incident_evidence_org_incident_idx').on(t.orgId, t.incidentId)],
);

export const evidenceCustody = pgTable(
  'incident_evidence_custody',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    evidenceId: uuid('evidence_id')
      .notNull()
      .references(() => incidentEvidence.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    note: text('note').notNull().default(''),
    at: ts('at').notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorLabel: text('actor_label').notNull(),
  },
  (t) => [index('incident_evidence_custody_org_idx').on(t.orgId, t.evidenceId, t.at)],
);

export const incidentCommunications = pgTable(
  'incident_communications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    direction: text('direction').$type<'inbound' | 'outbound' | 'internal'>().notNull(),
    channel: text('channel').notNull(),
    contactName: text('contact_name').notNull(),
    contactRole: text('contact_role')
      .$type<
        | 'law-enforcement'
        | 'insurer'
        | 'counsel'
        | 'vendor'
        | 'regulator'
        | 'csirt'
        | 'public'
        | 'media'
        | 'internal'
        | 'other'
      >()
      .notNull(),
    contactDetail: text('contact_detail').notNull().default(''),
    summary: text('summary').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
    actorId: uuid('actor_id'),
  },
  (t) => [index('incident_communications_org_incident_idx').on(t.orgId, t.incidentId, t.occurredAt)],
);

/** Observables of an incident, each stored as a STIX 2.1 cyber-observable object with its deterministic id. */
export const incidentObservables = pgTable(
  'incident_observables',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    /** The SCO type: ipv4-addr, ipv6-addr, domain-name, url, email-addr, file, … */
    type: text('type').notNull(),
    /** What people read: the address, name or URL, or for a file "SHA-256:…". */
    value: text('value').notNull(),
    stixId: text('stix_id').notNull(),
    object: jsonb('object').$type<Record<string, unknown>>().notNull(),
    note: text('note').notNull().default(''),
    /** When it was seen, for sightings. */
    seenAt: ts('seen_at').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('incident_observables_org_incident_idx').on(t.orgId, t.incidentId),
    uniqueIndex('incident_observables_sco_key').on(t.incidentId, t.stixId),
  ],
);

export interface ExerciseParticipant {
  name: string;
  role: string;
  userId: string | null;
}

/** A tabletop exercise: an incident in exercise mode run from a scenario, its clock running in exercise time. */
export const incidentExercises = pgTable(
  'incident_exercises',
  {
    incidentId: uuid('incident_id')
      .primaryKey()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    scenarioId: text('scenario_id').notNull(),
    scenarioVersion: text('scenario_version').notNull(),
    /** The scenario as it was when the exercise was planned. */
    scenario: jsonb('scenario').notNull(),
    facilitatorId: uuid('facilitator_id').references(() => users.id, { onDelete: 'set null' }),
    participants: jsonb('participants').$type<ExerciseParticipant[]>().notNull().default([]),
    /** Exercise minutes per real minute (1 = real time; 6 = one hour of scenario in ten minutes). */
    timeScale: real('time_scale').notNull().default(1),
    startedAt: ts('started_at'),
    endedAt: ts('ended_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('incident_exercises_org_idx').on(t.orgId, t.startedAt)],
);

export const exerciseInjects = pgTable(
  'incident_exercise_injects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidentExercises.incidentId, { onDelete: 'cascade' }),
    injectId: text('inject_id').notNull(),
    /** How it came out: by the schedule, or released by the facilitator. */
    mode: text('mode').$type<'schedule' | 'facilitator'>().notNull(),
    releasedAt: ts('released_at').notNull(),
    /** Minutes of exercise time at release. */
    exerciseMinute: real('exercise_minute').notNull(),
    releasedBy: uuid('released_by'),
  },
  (t) => [
    index('incident_exercise_injects_org_idx').on(t.orgId, t.incidentId),
    uniqueIndex('incident_exercise_injects_key').on(t.incidentId, t.injectId),
  ],
);

/** The after-action report: what worked, gaps, decisions, and improvement actions tracked to completion. */
export const exerciseReviewItems = pgTable(
  'incident_exercise_review_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidentExercises.incidentId, { onDelete: 'cascade' }),
    kind: text('kind').$type<'worked' | 'gap' | 'decision' | 'action'>().notNull(),
    text: text('text').notNull(),
    /** Improvement actions only. */
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    dueAt: ts('due_at'),
    status: text('status').$type<'open' | 'in-progress' | 'done'>(),
    completedAt: ts('completed_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('incident_exercise_review_org_idx').on(t.orgId, t.incidentId)],
);
