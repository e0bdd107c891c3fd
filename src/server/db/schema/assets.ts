import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
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

export const SYSTEM_KINDS = ['it', 'ot', 'cloud', 'iot', 'network'] as const;
export const DATA_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export const HOSTINGS = ['on_premises', 'cloud', 'hybrid', 'saas', 'colocation'] as const;
export const DEPENDENCY_TYPES = [
  'runs_on',
  'needs_data_from',
  'powered_by',
  'connected_by',
  'hosted_by',
  'authenticates_with',
  'backed_up_by',
  'supported_by',
  'other',
] as const;
export const DEPENDENT_KINDS = ['service', 'system'] as const;
export const DEPENDENCY_TARGET_KINDS = ['service', 'system', 'provider'] as const;
/** The 16 US critical-infrastructure sectors (PPD-21); an organization may use its own labels instead. */
export const CI_SECTORS = [
  'Chemical',
  'Commercial Facilities',
  'Communications',
  'Critical Manufacturing',
  'Dams',
  'Defense Industrial Base',
  'Emergency Services',
  'Energy',
  'Financial Services',
  'Food and Agriculture',
  'Government Facilities',
  'Healthcare and Public Health',
  'Information Technology',
  'Nuclear Reactors, Materials, and Waste',
  'Transportation Systems',
  'Water and Wastewater Systems',
] as const;

export type SystemKind = (typeof SYSTEM_KINDS)[number];
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];
export type Hosting = (typeof HOSTINGS)[number];
export type DependencyType = (typeof DEPENDENCY_TYPES)[number];
export type DependentKind = (typeof DEPENDENT_KINDS)[number];
export type DependencyTargetKind = (typeof DEPENDENCY_TARGET_KINDS)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A service residents rely on (drinking water, 911 dispatch, permits). */
export const services = pgTable(
  'services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** The department (an organization below the owner of the inventory) that runs the service. */
    departmentOrgId: uuid('department_org_id').references(() => organizations.id, { onDelete: 'set null' }),
    owner: text('owner'),
    sector: text('sector'),
    populationServed: integer('population_served'),
    /** 1 = most critical … 4 = least. */
    criticalityTier: integer('criticality_tier'),
    rtoHours: doublePrecision('rto_hours'),
    rpoHours: doublePrecision('rpo_hours'),
    mtdHours: doublePrecision('mtd_hours'),
    publicSafetyImpact: boolean('public_safety_impact').notNull().default(false),
    lifeSafetyImpact: boolean('life_safety_impact').notNull().default(false),
    dataHandled: jsonb('data_handled').$type<string[]>().notNull().default([]),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('services_org_name_key').on(t.orgId, sql`lower(${t.name})`),
    check('services_tier_check', sql`${t.criticalityTier} between 1 and 4`),
  ],
);

/** Something the city runs or uses: a server, a PLC, a SaaS, a network segment. */
export const systems = pgTable(
  'systems',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    kind: text('kind').$type<SystemKind>().notNull(),
    vendor: text('vendor'),
    product: text('product'),
    version: text('version'),
    /** CPE 2.3 formatted string, normalized. */
    cpe: text('cpe'),
    /** Package URL (pkg:type/namespace/name@version). */
    purl: text('purl'),
    site: text('site'),
    internetExposed: boolean('internet_exposed').notNull().default(false),
    owner: text('owner'),
    dataClassification: text('data_classification').$type<DataClassification>(),
    hosting: text('hosting').$type<Hosting>(),
    hostingProvider: text('hosting_provider'),
    /** Who is responsible for what (shared responsibility with a cloud or managed-service provider). */
    responsibility: text('responsibility'),
    endOfSupport: date('end_of_support', { mode: 'string' }),
    /** Hours the system keeps working after what it depends on fails (UPS, cache, manual fallback). */
    bufferHours: doublePrecision('buffer_hours').notNull().default(0),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('systems_org_name_key').on(t.orgId, sql`lower(${t.name})`),
    index('systems_org_cpe_idx').on(t.orgId, t.cpe),
    // Target of the findings' foreign key (organization, system): one check covers both columns.
    uniqueIndex('systems_org_id_key').on(t.orgId, t.id),
  ],
);

/**
 * "from depends on to". The dependent is a service or a system; what it depends on is a service, a system or an
 * external provider (an organization of kind utility or partner). Dependencies sharing a redundancy group are
 * alternatives: the dependent stops only when all of them fail.
 */
export const dependencies = pgTable(
  'dependencies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    fromKind: text('from_kind').$type<DependentKind>().notNull(),
    fromServiceId: uuid('from_service_id').references(() => services.id, { onDelete: 'cascade' }),
    fromSystemId: uuid('from_system_id').references(() => systems.id, { onDelete: 'cascade' }),
    toKind: text('to_kind').$type<DependencyTargetKind>().notNull(),
    toServiceId: uuid('to_service_id').references(() => services.id, { onDelete: 'cascade' }),
    toSystemId: uuid('to_system_id').references(() => systems.id, { onDelete: 'cascade' }),
    toProviderOrgId: uuid('to_provider_org_id').references(() => organizations.id, { onDelete: 'cascade' }),
    type: text('type').$type<DependencyType>().notNull(),
    redundancyGroup: text('redundancy_group'),
    description: text('description').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('dependencies_org_idx').on(t.orgId),
    uniqueIndex('dependencies_edge_key').on(
      t.orgId,
      sql`coalesce(${t.fromServiceId}, ${t.fromSystemId})`,
      sql`coalesce(${t.toServiceId}, ${t.toSystemId}, ${t.toProviderOrgId})`,
      t.type,
    ),
    index('dependencies_from_system_idx').on(t.fromSystemId),
    index('dependencies_from_service_idx').on(t.fromServiceId),
    index('dependencies_to_system_idx').on(t.toSystemId),
    index('dependencies_to_service_idx').on(t.toServiceId),
    index('dependencies_to_provider_idx').on(t.toProviderOrgId),
    check(
      'dependencies_from_check',
      sql`(${t.fromKind} = 'service' and ${t.fromServiceId} is not null and ${t.fromSystemId} is null) or (${t.fromKind} = 'system' and ${t.fromSystemId} is not null and ${t.fromServiceId} is null)`,
    ),
    check(
      'dependencies_to_check',
      sql`num_nonnulls(${t.toServiceId}, ${t.toSystemId}, ${t.toProviderOrgId}) = 1`,
    ),
  ],
);

/**
 * One row per organization with an inventory: `version` is bumped in the same transaction as every write to its
 * services, systems and dependencies, so a server process can tell with one query whether a dependency graph it
 * built earlier is still current (see `assetsService.loadGraph`).
 */
export const inventoryVersions = pgTable('inventory_versions', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  version: integer('version').notNull().default(0),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * An organization's own list of critical-infrastructure sectors for its services. Without a row, the nearest
 * ancestor's list applies, and without any, the 16 US sectors.
 */
export const assetSettings = pgTable('asset_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  sectors: jsonb('sectors').$type<string[]>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
