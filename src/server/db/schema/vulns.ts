import {
  boolean,
  date,
  doublePrecision,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { systems } from './assets.js';
import { organizations } from './orgs.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const FINDING_STATUSES = [
  'open',
  'in_progress',
  'mitigated',
  'risk_accepted',
  'false_positive',
] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const SSVC_DECISIONS = ['Track', 'Track*', 'Attend', 'Act'] as const;
export const FEED_NAMES = ['nvd', 'kev', 'epss', 'csaf'] as const;
export type FeedName = (typeof FEED_NAMES)[number];

/** One CVE as NVD publishes it. Public data, instance-wide: not tenant data. */
export const vulnerabilities = pgTable(
  'vulnerabilities',
  {
    cveId: text('cve_id').primaryKey(),
    summary: text('summary').notNull().default(''),
    published: ts('published'),
    lastModified: ts('last_modified'),
    status: text('status').notNull(),
    rejected: boolean('rejected').notNull().default(false),
    /** Every CVSS metric (extractCvssMetrics) and the preferred one. */
    cvss: jsonb('cvss').$type<unknown>().notNull().default([]),
    cvssScore: doublePrecision('cvss_score'),
    cvssVector: text('cvss_vector'),
    cwes: jsonb('cwes').$type<string[]>().notNull().default([]),
    configurations: jsonb('configurations').$type<unknown>().notNull().default([]),
    /** vendor:product keys of the vulnerable criteria (cpeKeysOfCve), for prefiltering. */
    cpeKeys: text('cpe_keys').array().notNull().default([]),
    /** Loose keys (looseKeysOfCve), for systems known only by vendor / product text. */
    looseKeys: text('loose_keys').array().notNull().default([]),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('vulnerabilities_cpe_keys_idx').using('gin', t.cpeKeys),
    index('vulnerabilities_loose_keys_idx').using('gin', t.looseKeys),
  ],
);

/** CISA KEV entries of the newest catalog ingested (with the version that first listed them). */
export const kevEntries = pgTable('kev_entries', {
  cveId: text('cve_id').primaryKey(),
  vendorProject: text('vendor_project').notNull(),
  product: text('product').notNull(),
  name: text('name').notNull(),
  dateAdded: date('date_added', { mode: 'string' }).notNull(),
  dueDate: date('due_date', { mode: 'string' }).notNull(),
  requiredAction: text('required_action').notNull(),
  ransomwareUse: text('ransomware_use').notNull(),
  catalogVersion: text('catalog_version').notNull(),
  /** The catalog version in which Citywall first saw this CVE listed. */
  firstSeenVersion: text('first_seen_version').notNull(),
  /** The entry as published, for diffing the next release. */
  entry: jsonb('entry').$type<unknown>().notNull(),
});

/** FIRST EPSS scores, one row per CVE and score date (history). */
export const epssScores = pgTable(
  'epss_scores',
  {
    cveId: text('cve_id').notNull(),
    scoreDate: date('score_date', { mode: 'string' }).notNull(),
    score: doublePrecision('score').notNull(),
    percentile: doublePrecision('percentile').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cveId, t.scoreDate] })],
);

/** One run of a feed: what it read, what it kept, what went wrong. */
export const feedRuns = pgTable(
  'feed_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    feed: text('feed').$type<FeedName>().notNull(),
    source: text('source').notNull(),
    startedAt: ts('started_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
    status: text('status').$type<'running' | 'succeeded' | 'failed'>().notNull(),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    /** KEV: CVEs newly added by this release. */
    added: jsonb('added').$type<string[]>().notNull().default([]),
    errors: jsonb('errors').$type<string[]>().notNull().default([]),
    error: text('error'),
  },
  (t) => [index('feed_runs_feed_started_idx').on(t.feed, t.startedAt)],
);

/**
 * Where an incremental feed stands (the NVD API: synced until when, and the window and index reached by a run
 * that stopped), so the next run resumes instead of starting over.
 */
export const vulnFeedState = pgTable('vuln_feed_state', {
  feed: text('feed').primaryKey(),
  state: jsonb('state').$type<Record<string, unknown>>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A CVE that applies to one of the organization's systems. */
export const findings = pgTable(
  'findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Both checked by one foreign key (below): the system exists and belongs to the organization.
    orgId: uuid('org_id').notNull(),
    systemId: uuid('system_id').notNull(),
    cveId: text('cve_id').notNull(),
    status: text('status').$type<FindingStatus>().notNull().default('open'),
    confidence: text('confidence').notNull(),
    /**
     * JSON text of the trace in its stored form (see vulns.trace.ts): never queried inside SQL, so kept as text;
     * converting it to jsonb was most of the cost of writing an organization's first findings.
     */
    trace: text('trace').notNull(),
    ssvcDecision: text('ssvc_decision').notNull(),
    /** The SSVC inputs the decision was taken on: a row of `vuln_ssvc_inputs`, shared by the findings alike. */
    ssvcKey: text('ssvc_key').notNull(),
    inKev: boolean('in_kev').notNull().default(false),
    /** When the CVE of this finding was first seen listed in CISA KEV (news for the digest). */
    kevSince: ts('kev_since'),
    dueDate: date('due_date', { mode: 'string' }),
    statusNote: text('status_note').notNull().default(''),
    /**
     * Set when a person marks the finding a false positive: the matching criterion and the system's identity at
     * that time. The finding reopens when a later match rests on different data.
     */
    suppressionKey: text('suppression_key'),
    acceptedBy: uuid('accepted_by'),
    acceptedUntil: ts('accepted_until'),
    firstSeen: ts('first_seen').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // Also serves every per-organization query (status filters read the organization's findings in any case).
    uniqueIndex('findings_org_system_cve_key').on(t.orgId, t.systemId, t.cveId),
    index('findings_org_cve_idx').on(t.orgId, t.cveId),
    foreignKey({
      name: 'findings_system_fk',
      columns: [t.orgId, t.systemId],
      foreignColumns: [systems.orgId, systems.id],
    }).onDelete('cascade'),
  ],
);

/**
 * The inputs of an SSVC decision as shown with a finding (values and reasons, JSON text), stored once per
 * organization for all the findings they apply to (10,000 systems gave 148,000 findings and a few hundred
 * distinct readings). `key` is derived from the text (see `ssvcKeyOf`).
 */
export const vulnSsvcInputs = pgTable(
  'vuln_ssvc_inputs',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    inputs: text('inputs').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.key] })],
);

/**
 * A CSAF 2.0 advisory (e.g. a CISA ICS advisory) as read: its products flattened and its vulnerabilities with
 * product status, VEX flags and remediations. Public data, instance-wide: only TLP:CLEAR advisories are kept.
 */
export const csafAdvisories = pgTable(
  'csaf_advisories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    publisherNamespace: text('publisher_namespace').notNull(),
    publisher: text('publisher').notNull(),
    trackingId: text('tracking_id').notNull(),
    version: text('version').notNull(),
    category: text('category').notNull(),
    title: text('title').notNull(),
    releaseDate: ts('release_date').notNull(),
    products: jsonb('products').$type<unknown[]>().notNull(),
    vulnerabilities: jsonb('vulnerabilities').$type<unknown[]>().notNull(),
    cves: text('cves').array().notNull().default([]),
    /** Normalised vendor names of the products, for prefiltering against systems. */
    vendorKeys: text('vendor_keys').array().notNull().default([]),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('csaf_advisories_publisher_tracking_key').on(t.publisherNamespace, t.trackingId),
    index('csaf_advisories_vendor_keys_idx').using('gin', t.vendorKeys),
    index('csaf_advisories_cves_idx').using('gin', t.cves),
  ],
);

/** Days from first sight to the due date, per SSVC decision (null: no due date); KEV due dates win when earlier. */
export type DuePolicy = Record<(typeof SSVC_DECISIONS)[number], number | null>;
export const DEFAULT_DUE_POLICY: DuePolicy = { Act: 7, Attend: 30, 'Track*': 90, Track: null };

export const vulnPolicies = pgTable('vuln_policies', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  dueDays: jsonb('due_days').$type<DuePolicy>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A webhook for vulnerability news: its signing secret is sealed (secrets.ts). */
export interface VulnWebhook {
  id: string;
  url: string;
  secret: string;
}

/**
 * Who hears about new KEV hits and overdue findings: each system's owner when the owner is an email address, the
 * listed recipients for the rest (and a copy of everything), and webhooks. `lastSentAt` bounds what is new.
 */
export const vulnNotifications = pgTable('vuln_notifications', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(true),
  recipients: text('recipients').array().notNull().default([]),
  webhooks: jsonb('webhooks').$type<VulnWebhook[]>().notNull().default([]),
  lastSentAt: ts('last_sent_at'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Open and in-progress findings of an organization on a day, by SSVC decision: taken by the daily job
 * `vulns.trend-snapshot` (and refreshed by every organization-wide rematch), the history behind the trends view.
 */
export const vulnTrendSnapshots = pgTable(
  'vuln_trend_snapshots',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    counts: jsonb('counts').$type<TrendCounts>().notNull(),
    takenAt: ts('taken_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day] })],
);
export interface TrendCounts {
  open: number;
  Act: number;
  Attend: number;
  'Track*': number;
  Track: number;
  kev: number;
}

export type CsafAdvisoryRow = typeof csafAdvisories.$inferSelect;
export type VulnerabilityRow = typeof vulnerabilities.$inferSelect;
export type FindingRow = typeof findings.$inferSelect;
export type FeedRunRow = typeof feedRuns.$inferSelect;
