import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { organizations } from './orgs.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Staff of an organization. A person is not a Citywall account: most staff never sign in, they are trained,
 * phished and counted. The department is an organization of the tree below the person's organization.
 */
export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    departmentOrgId: uuid('department_org_id').references(() => organizations.id, { onDelete: 'set null' }),
    userName: text('user_name').notNull(),
    externalId: text('external_id'),
    email: text('email').notNull().default(''),
    givenName: text('given_name').notNull().default(''),
    familyName: text('family_name').notNull().default(''),
    displayName: text('display_name').notNull(),
    jobTitle: text('job_title').notNull().default(''),
    // No foreign key: export/import orders rows by id, and a manager may sort after their reports. The service
    // clears it when the manager is deleted.
    managerId: uuid('manager_id'),
    workRoleIds: jsonb('work_role_ids').$type<string[]>().notNull().default([]),
    competencyIds: jsonb('competency_ids').$type<string[]>().notNull().default([]),
    otStaff: boolean('ot_staff').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('people_org_username_key').on(t.orgId, t.userName),
    index('people_org_dept_idx').on(t.orgId, t.departmentOrgId),
  ],
);

/** Headcount the organization needs per NICE work role; the list order is the priority for role gaps. */
export const roleNeeds = pgTable(
  'role_needs',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    roleId: text('role_id').notNull(),
    count: integer('count').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [uniqueIndex('role_needs_org_role_key').on(t.orgId, t.roleId)],
);

export const AUDIENCE_KINDS = ['everyone', 'department', 'role', 'ot'] as const;
export const RECURRENCES = ['none', 'annual'] as const;

export const trainings = pgTable(
  'trainings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    topic: text('topic').notNull().default(''),
    delivery: text('delivery').$type<'internal' | 'external'>().notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    audienceKind: text('audience_kind').$type<(typeof AUDIENCE_KINDS)[number]>().notNull(),
    audienceDepartmentOrgId: uuid('audience_department_org_id').references(() => organizations.id, {
      onDelete: 'set null',
    }),
    audienceRoleId: text('audience_role_id'),
    dueAt: ts('due_at').notNull(),
    recurrence: text('recurrence').$type<(typeof RECURRENCES)[number]>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('trainings_org_idx').on(t.orgId)],
);

/** One person's duty to complete one training by one date; an annual training adds next year's row on completion. */
export const trainingAssignments = pgTable(
  'training_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    trainingId: uuid('training_id')
      .notNull()
      .references(() => trainings.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    dueAt: ts('due_at').notNull(),
    reason: text('reason').notNull().default('audience'),
    completedAt: ts('completed_at'),
    completionSource: text('completion_source').$type<'manual' | 'lms' | 'api'>(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('training_assignments_key').on(t.trainingId, t.personId, t.dueAt),
    index('training_assignments_org_idx').on(t.orgId, t.dueAt),
  ],
);

export const phishingCampaigns = pgTable(
  'phishing_campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    source: text('source').$type<'gophish-results-csv' | 'gophish-events-csv' | 'gophish-api'>().notNull(),
    launchedAt: ts('launched_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('phishing_campaigns_org_idx').on(t.orgId, t.launchedAt)],
);

/** One recipient's outcome. Whatever a recipient typed into the landing page is never stored. */
export const phishingResults = pgTable(
  'phishing_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => phishingCampaigns.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').references(() => people.id, { onDelete: 'set null' }),
    email: text('email').notNull(),
    // The department at the time of the campaign, so later moves do not rewrite history.
    departmentOrgId: uuid('department_org_id').references(() => organizations.id, { onDelete: 'set null' }),
    sentAt: ts('sent_at'),
    openedAt: ts('opened_at'),
    clickedAt: ts('clicked_at'),
    submittedAt: ts('submitted_at'),
    reportedAt: ts('reported_at'),
  },
  (t) => [
    uniqueIndex('phishing_results_campaign_email_key').on(t.campaignId, t.email),
    index('phishing_results_org_idx').on(t.orgId),
  ],
);

export const awarenessCampaigns = pgTable(
  'awareness_campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    audience: text('audience').notNull(),
    channels: jsonb('channels').$type<string[]>().notNull().default([]),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    reach: integer('reach').notNull().default(0),
    engagement: integer('engagement').notNull().default(0),
    materials: jsonb('materials').$type<{ title: string; url: string }[]>().notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('awareness_campaigns_org_idx').on(t.orgId, t.startsAt)],
);
