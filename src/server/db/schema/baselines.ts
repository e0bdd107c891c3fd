import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { MaturityScale } from '../../../core/baseline/scoring.js';
import { systems } from './assets.js';
import { bytea } from './columns.js';
import { organizations } from './orgs.js';

export type BaselineDocKind = 'catalog' | 'profile';

/** OSCAL catalogs and profiles of an organization, kept whole so they export exactly as imported. */
export const baselineDocuments = pgTable(
  'baseline_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<BaselineDocKind>().notNull(),
    oscalUuid: uuid('oscal_uuid').notNull(),
    title: text('title').notNull(),
    version: text('version').notNull(),
    // The file name the document was published under: profiles name their catalogs by it.
    sourceName: text('source_name'),
    builtIn: boolean('built_in').notNull().default(false),
    document: jsonb('document').notNull(),
    controlCount: integer('control_count').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('baseline_documents_org_uuid_key').on(t.orgId, t.oscalUuid),
    index('baseline_documents_org_idx').on(t.orgId, t.title),
  ],
);

/** Controls of a catalog, or of a profile as resolved at import, flattened for listing and search. */
export const baselineControls = pgTable(
  'baseline_controls',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => baselineDocuments.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    controlId: text('control_id').notNull(),
    sortOrder: integer('sort_order').notNull(),
    label: text('label'),
    title: text('title').notNull(),
    class: text('class'),
    parentId: text('parent_id'),
    groupId: text('group_id'),
    groupTitle: text('group_title'),
    depth: integer('depth').notNull(),
    withdrawn: boolean('withdrawn').notNull(),
    // CSF 2.0 function and City Baseline tier, when the control carries them.
    csfFunction: text('csf_function'),
    tier: text('tier'),
    statement: text('statement').notNull(),
    guidance: text('guidance').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.documentId, t.controlId] }),
    index('baseline_controls_org_idx').on(t.orgId, t.documentId, t.sortOrder),
  ],
);

export type AssessmentStatus = 'open' | 'closed';

export const assessments = pgTable(
  'assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => baselineDocuments.id, { onDelete: 'restrict' }),
    previousId: uuid('previous_id'),
    title: text('title').notNull(),
    // Departments assessed (organizations below org_id); empty means the organization as a whole.
    departmentIds: jsonb('department_ids').$type<string[]>().notNull(),
    // A system of the organization (assets module) assessed on its own; its name is kept should it be deleted.
    systemId: uuid('system_id').references(() => systems.id, { onDelete: 'set null' }),
    systemName: text('system_name'),
    // The maturity scale answers are given on, fixed when the assessment starts; null means CSF tiers 1–4.
    maturityScale: jsonb('maturity_scale').$type<MaturityScale>(),
    targetTier: text('target_tier'),
    targetMaturity: integer('target_maturity'),
    status: text('status').$type<AssessmentStatus>().notNull().default('open'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('assessments_org_idx').on(t.orgId, t.createdAt)],
);

export const assessmentResults = pgTable(
  'assessment_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    requirementId: text('requirement_id').notNull(),
    departmentId: uuid('department_id').references(() => organizations.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    maturity: integer('maturity'),
    notApplicableReason: text('not_applicable_reason'),
    notes: text('notes').notNull().default(''),
    assessor: text('assessor'),
    // The action that closes the gap, when the requirement is below target.
    actionOwner: text('action_owner'),
    actionDue: timestamp('action_due', { withTimezone: true, mode: 'date' }),
    assessedAt: timestamp('assessed_at', { withTimezone: true, mode: 'date' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('assessment_results_key').on(
      t.assessmentId,
      t.requirementId,
      sql`coalesce(${t.departmentId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
    ),
    index('assessment_results_org_idx').on(t.orgId, t.assessmentId),
  ],
);

export const assessmentEvidence = pgTable(
  'assessment_evidence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    resultId: uuid('result_id')
      .notNull()
      .references(() => assessmentResults.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<'file' | 'link'>().notNull(),
    title: text('title').notNull(),
    url: text('url'),
    fileName: text('file_name'),
    mediaType: text('media_type'),
    size: integer('size'),
    sha256: text('sha256'),
    // Kept in the database so exports and backups carry the evidence with the assessment.
    content: bytea('content'),
    effectiveDate: timestamp('effective_date', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('assessment_evidence_org_idx').on(t.orgId, t.expiresAt),
    index('assessment_evidence_result_idx').on(t.resultId),
  ],
);

/** Per-organization settings of the baselines module: the maturity scale new assessments use. */
export const baselineSettings = pgTable('baseline_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  maturityScale: jsonb('maturity_scale').$type<MaturityScale>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export type OlirRelationship = 'subset-of' | 'intersects-with' | 'equal-to' | 'superset-of';

/**
 * NIST OLIR relationships from the controls of one catalog or profile to those of another, read
 * "source <relationship> target": an assessment against the source shows coverage of the target.
 */
export const baselineMappings = pgTable(
  'baseline_mappings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    sourceDocumentId: uuid('source_document_id')
      .notNull()
      .references(() => baselineDocuments.id, { onDelete: 'cascade' }),
    targetDocumentId: uuid('target_document_id')
      .notNull()
      .references(() => baselineDocuments.id, { onDelete: 'cascade' }),
    sourceId: text('source_id').notNull(),
    targetId: text('target_id').notNull(),
    relationship: text('relationship').$type<OlirRelationship>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('baseline_mappings_key').on(t.sourceDocumentId, t.targetDocumentId, t.sourceId, t.targetId),
    index('baseline_mappings_org_idx').on(t.orgId, t.sourceDocumentId, t.targetDocumentId),
  ],
);
