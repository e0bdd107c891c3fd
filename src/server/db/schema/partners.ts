import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea } from './columns.js';
import { organizations } from './orgs.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const PARTNER_CATEGORIES = [
  'utility',
  'isp',
  'cloud',
  'vendor',
  'university',
  'cert',
  'isac',
  'city',
  'law-enforcement',
  'insurer',
  'government',
  'other',
] as const;
export const AGREEMENT_KINDS = [
  'mou',
  'nda',
  'data-sharing',
  'mutual-aid',
  'research',
  'service',
  'other',
] as const;

/**
 * An organization outside the city as the city sees it: tenant data of the city (org_id), optionally linked to
 * the partner's own node in the organization tree (a utility or partner under the region) when it has one.
 */
export const partners = pgTable(
  'partners',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    partnerOrgId: uuid('partner_org_id').references(() => organizations.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    category: text('category').$type<(typeof PARTNER_CATEGORIES)[number]>().notNull(),
    sector: text('sector').notNull().default(''),
    services: jsonb('services').$type<string[]>().notNull().default([]),
    website: text('website').notNull().default(''),
    notes: text('notes').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('partners_org_idx').on(t.orgId, t.name)],
);

/** A person to reach; with an escalation order it is on the crisis roster for a service and incident type. */
export const partnerContacts = pgTable(
  'partner_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    partnerId: uuid('partner_id').references(() => partners.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    title: text('title').notNull().default(''),
    email: text('email').notNull().default(''),
    phone: text('phone').notNull().default(''),
    phone24x7: text('phone_24x7').notNull().default(''),
    service: text('service').notNull().default(''),
    incidentType: text('incident_type').notNull().default(''),
    escalationOrder: integer('escalation_order'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('partner_contacts_org_idx').on(t.orgId, t.service, t.escalationOrder)],
);

export const agreements = pgTable(
  'partner_agreements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<(typeof AGREEMENT_KINDS)[number]>().notNull(),
    title: text('title').notNull(),
    otherParties: jsonb('other_parties').$type<string[]>().notNull().default([]),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at'),
    autoRenews: boolean('auto_renews').notNull().default(false),
    reminderDays: integer('reminder_days').notNull().default(60),
    notifyEmail: text('notify_email').notNull().default(''),
    scope: text('scope').notNull().default(''),
    tlp: text('tlp').notNull().default('amber'),
    documents: jsonb('documents').$type<{ title: string; url: string }[]>().notNull().default([]),
    // The end date a reminder was last sent for: a renewed agreement (new end) is reminded again.
    remindedForEnd: ts('reminded_for_end'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('partner_agreements_org_idx').on(t.orgId, t.endsAt),
    index('partner_agreements_end_idx').on(t.endsAt),
  ],
);

/** A signed agreement or annex, kept in the database so exports and backups carry it. */
export const agreementDocuments = pgTable(
  'partner_agreement_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('partner_agreement_documents_org_idx').on(t.orgId, t.agreementId)],
);

export const ACTIVITY_KINDS = ['exercise', 'research', 'internship', 'information-sharing', 'other'] as const;
export const ACTIVITY_STATUSES = ['planned', 'ongoing', 'completed', 'cancelled'] as const;

/**
 * Cooperation with partners: joint exercises, research projects, student internships, information-sharing
 * meetings, with their outcomes. A community of the intel module (an organization of kind community the city is a
 * member of) may be named, when the activity takes place in it.
 */
export const cooperationActivities = pgTable(
  'cooperation_activities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<(typeof ACTIVITY_KINDS)[number]>().notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status').$type<(typeof ACTIVITY_STATUSES)[number]>().notNull().default('planned'),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    communityOrgId: uuid('community_org_id').references(() => organizations.id, { onDelete: 'set null' }),
    outcomes: text('outcomes').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('cooperation_activities_org_idx').on(t.orgId, t.startsOn),
    check('cooperation_activities_dates_check', sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
  ],
);

/** The partners taking part in an activity. */
export const cooperationActivityPartners = pgTable(
  'cooperation_activity_partners',
  {
    activityId: uuid('activity_id')
      .notNull()
      .references(() => cooperationActivities.id, { onDelete: 'cascade' }),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.activityId, t.partnerId] }),
    index('cooperation_activity_partners_partner_idx').on(t.partnerId),
  ],
);
