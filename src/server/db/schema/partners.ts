import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
