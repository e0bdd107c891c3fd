import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { organizations } from './orgs.js';

/** A tsvector column, written and read in its text form (`'word' 'other'`). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Every version of every STIX object an organization imported or created. Versions share the STIX id and
 * differ by `modified` (`version` keeps the producer's exact text, so sub-millisecond timestamps stay distinct;
 * unversioned objects use `created` or the empty string). `tlp` is the effective level after defaults, so every
 * read path filters on one indexed column.
 */
export const stixObjects = pgTable(
  'stix_objects',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    stixId: text('stix_id').notNull(),
    version: text('version').notNull(),
    type: text('type').notNull(),
    specVersion: text('spec_version'),
    modified: timestamp('modified', { withTimezone: true, mode: 'date', precision: 6 }),
    createdByRef: text('created_by_ref'),
    tlp: text('tlp').notNull(),
    markingRefs: text('marking_refs').array().notNull().default(sql`'{}'`),
    labels: text('labels').array().notNull().default(sql`'{}'`),
    name: text('name'),
    description: text('description'),
    sourceRef: text('source_ref'),
    targetRef: text('target_ref'),
    revoked: boolean('revoked').notNull().default(false),
    isLatest: boolean('is_latest').notNull().default(true),
    // Stored uncompressed (`set storage external`, migration 0025, which drizzle does not model).
    object: jsonb('object').notNull(),
    /**
     * The words of the name and description (see intel.search.ts, whose tokenizer also builds the queries); null
     * for relationships and sightings, which are found through the objects they connect, and for objects with
     * neither.
     */
    search: tsvector('search'),
    dateAdded: timestamp('date_added', { withTimezone: true, mode: 'date', precision: 6 })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.stixId, t.version] }),
    index('stix_objects_type_idx').on(t.orgId, t.type, t.isLatest),
    // With the owner, so TAXII's check for another organization's copy of a row (`servedElsewhereSql`) is two
    // index range scans that find nothing for most rows, without reading the row itself.
    index('stix_objects_id_idx').on(t.stixId, t.orgId),
    // Partial where the column is often null (every lookup is an equality, which implies not null): fewer
    // entries to maintain on import.
    index('stix_objects_creator_idx').on(t.orgId, t.createdByRef).where(sql`${t.createdByRef} is not null`),
    index('stix_objects_tlp_idx').on(t.tlp, t.isLatest),
    // The order of TAXII pages (and of exports): keyset paging walks this index.
    index('stix_objects_added_idx').on(t.dateAdded, t.orgId, t.stixId, t.version),
    // Partial: most objects carry no labels, and each would add an empty-item entry to maintain on import. A
    // label filter repeats the condition so the planner can use it (see filterSql).
    index('stix_objects_labels_idx').using('gin', t.labels).where(sql`${t.labels} <> '{}'`),
    // Partial: only rows with words (relationships and sightings, four fifths of ATT&CK's objects, have none).
    index('stix_objects_search_idx').using('gin', t.search).where(sql`${t.search} is not null`),
    index('stix_objects_source_idx').on(t.sourceRef).where(sql`${t.sourceRef} is not null`),
    index('stix_objects_target_idx').on(t.targetRef).where(sql`${t.targetRef} is not null`),
  ],
);

/**
 * An organization's object shared to a community (every member organization becomes a recipient) or to one
 * named organization (the only way TLP:RED reaches beyond its owner).
 */
export const stixShares = pgTable(
  'stix_shares',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    stixId: text('stix_id').notNull(),
    targetOrgId: uuid('target_org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    sharedBy: uuid('shared_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.stixId, t.targetOrgId] }),
    index('stix_shares_target_idx').on(t.targetOrgId),
  ],
);

/** Member organizations of an organization of kind `community`. */
export const communityMembers = pgTable(
  'community_members',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    memberOrgId: uuid('member_org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.memberOrgId] }),
    index('community_members_member_idx').on(t.memberOrgId),
  ],
);

/**
 * Settings of an organization of kind `community`. `default_tlp` is the level of objects published to the
 * community without a TLP marking of their own (TAXII POST to its collection); without a row, AMBER.
 */
export const communitySettings = pgTable('community_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  defaultTlp: text('default_tlp').notNull().default('amber'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** TAXII status resources (section 4.3): kept so a client can fetch the outcome of its POST later. */
export const taxiiStatuses = pgTable(
  'taxii_statuses',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    body: jsonb('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('taxii_statuses_org_idx').on(t.orgId, t.createdAt)],
);

/**
 * A remote TAXII 2.1 collection an organization pulls from (direction `pull`, the job `intel.taxii.poll`) or
 * pushes its own objects to (direction `push`, the job `intel.taxii.push`) on a schedule.
 */
export const taxiiFeeds = pgTable(
  'taxii_feeds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    apiRoot: text('api_root').notNull(),
    collectionId: text('collection_id').notNull(),
    // The remote server's bearer token: needed in clear to call it, never sent back by the API.
    token: text('token'),
    // Resume point: the last X-TAXII-Date-Added-Last seen, so each run asks only for what is new.
    addedAfter: text('added_after'),
    direction: text('direction').notNull().default('pull'),
    // Push only: the most restrictive TLP level sent (never red).
    maxTlp: text('max_tlp'),
    // Push only: the position (date_added, id, version) of the last object version the remote accepted a page of.
    pushCursor: jsonb('push_cursor').$type<{ dateAdded: string; stixId: string; version: string }>(),
    lastRunAt: timestamp('last_run_at', { withTimezone: true, mode: 'date' }),
    lastStatus: text('last_status'),
    lastMessage: text('last_message'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('taxii_feeds_org_idx').on(t.orgId)],
);

/**
 * Object versions an organization received from someone else's TAXII server (a pull feed). TLP 2.0 lets a
 * recipient pass AMBER or AMBER+STRICT on only within its own organization, so push feeds send these at CLEAR or
 * GREEN only.
 */
export const intelReceived = pgTable(
  'intel_received',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    stixId: text('stix_id').notNull(),
    version: text('version').notNull(),
    feedId: uuid('feed_id').references(() => taxiiFeeds.id, { onDelete: 'set null' }),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.stixId, t.version] })],
);

/** One run of a TAXII feed (pull or push) and what it moved. */
export const taxiiFeedRuns = pgTable(
  'taxii_feed_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    feedId: uuid('feed_id')
      .notNull()
      .references(() => taxiiFeeds.id, { onDelete: 'cascade' }),
    direction: text('direction').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    status: text('status').notNull(),
    // Pull: objects received; push: objects sent.
    objects: integer('objects').notNull().default(0),
    // Pull: objects stored; push: objects the remote's status resource counts as successes.
    succeeded: integer('succeeded').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    // Push: objects the remote still reported pending when the run stopped following the status.
    pending: integer('pending').notNull().default(0),
    // Push: objects over the maximum TLP that were held back.
    withheld: integer('withheld').notNull().default(0),
    pages: integer('pages').notNull().default(0),
    message: text('message'),
    // The remote's failures (id, version, message), at most the first hundred.
    failures: jsonb('failures')
      .$type<{ id: string; version: string; message: string }[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
  },
  (t) => [index('taxii_feed_runs_feed_idx').on(t.orgId, t.feedId, t.startedAt)],
);
