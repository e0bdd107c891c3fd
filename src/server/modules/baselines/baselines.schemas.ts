import { z } from 'zod';
import { CSF2_FUNCTIONS } from '../../../core/baseline/csf2.js';
import { TIERS } from '../../../core/baseline/requirements.js';
import { REQUIREMENT_STATUSES } from '../../../core/baseline/scoring.js';
import { Timestamp } from '../../http/types.js';

export { ListQuery, OrgParams, page } from '../orgs/orgs.schemas.js';

export const CsfFunction = z.enum(CSF2_FUNCTIONS.map((f) => f.id) as [string, ...string[]]);
export const TierName = z.enum(TIERS as unknown as [string, ...string[]]);
/** What an assessor may record; needs-review is only ever derived from expired evidence. */
export const AnswerStatus = z.enum(
  REQUIREMENT_STATUSES.filter((s) => s !== 'needs-review') as [string, ...string[]],
);
export const EffectiveStatus = z.enum(REQUIREMENT_STATUSES as unknown as [string, ...string[]]);

export const DocumentParams = z.strictObject({ orgId: z.uuid(), documentId: z.uuid() });
export const AssessmentParams = z.strictObject({ orgId: z.uuid(), assessmentId: z.uuid() });
export const EvidenceParams = z.strictObject({
  orgId: z.uuid(),
  assessmentId: z.uuid(),
  evidenceId: z.uuid(),
});

export const BaselineDocument = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  kind: z.enum(['catalog', 'profile']),
  oscalUuid: z.string(),
  title: z.string(),
  version: z.string(),
  sourceName: z.string().nullable(),
  builtIn: z.boolean(),
  controlCount: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ImportQuery = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .optional()
    .describe('The file name the document is published under; profiles that import it by that name find it'),
});

export const Control = z.object({
  controlId: z.string(),
  label: z.string().nullable(),
  title: z.string(),
  class: z.string().nullable(),
  parentId: z.string().nullable(),
  groupId: z.string().nullable(),
  groupTitle: z.string().nullable(),
  depth: z.number().int(),
  withdrawn: z.boolean(),
  csfFunction: z.string().nullable(),
  tier: z.string().nullable(),
  statement: z.string(),
  guidance: z.string(),
});

export const ControlsQuery = z.strictObject({
  q: z.string().max(200).optional(),
  function: CsfFunction.optional(),
  tier: TierName.optional(),
  withdrawn: z.enum(['true', 'false']).default('false'),
  limit: z.coerce.number().int().min(1).max(2000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const MaturityLevel = z.strictObject({
  value: z.number().int().min(0).max(100),
  label: z.string().trim().min(1).max(60),
  description: z.string().trim().max(500).optional(),
});

export const MaturityScale = z.object({
  id: z.string(),
  name: z.string(),
  levels: z.array(
    z.object({ value: z.number().int(), label: z.string(), description: z.string().optional() }),
  ),
});

export const MaturityScaleInput = z.strictObject({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,59}$/, 'lower-case letters, digits, dots, dashes')
    .default('custom'),
  name: z.string().trim().min(1).max(100),
  levels: z.array(MaturityLevel).min(2).max(10),
});

export const BaselineSettings = z.object({
  maturityScale: MaturityScale,
  presets: z.array(MaturityScale).describe('Scales an organization may adopt as they are'),
});

export const UpdateBaselineSettings = z.strictObject({ maturityScale: MaturityScaleInput });

export const TargetKind = z.enum(['organization', 'department', 'system']);

export const CreateAssessment = z.strictObject({
  title: z.string().trim().min(1).max(200),
  documentId: z.uuid(),
  departmentIds: z.array(z.uuid()).max(100).default([]),
  systemId: z
    .uuid()
    .nullable()
    .default(null)
    .describe('Assess one system of the organization (assets module) instead of departments'),
  targetTier: TierName.nullable().default(null),
  targetMaturity: z
    .number()
    .int()
    .min(0)
    .max(100)
    .nullable()
    .default(null)
    .describe("A level of the organization's maturity scale"),
  previousId: z.uuid().nullable().default(null).describe('Start from this earlier cycle: answers carry over'),
});

export const UpdateAssessment = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  status: z.enum(['open', 'closed']).optional(),
  targetTier: TierName.nullable().optional(),
  targetMaturity: z.number().int().min(0).max(100).nullable().optional(),
});

export const Assessment = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  documentId: z.uuid(),
  previousId: z.uuid().nullable(),
  title: z.string(),
  departmentIds: z.array(z.uuid()),
  systemId: z.uuid().nullable(),
  systemName: z.string().nullable(),
  targetKind: TargetKind.describe('What is assessed: the organization, departments, or one system'),
  maturityScale: MaturityScale,
  targetTier: z.string().nullable(),
  targetMaturity: z.number().int().nullable(),
  status: z.enum(['open', 'closed']),
  createdBy: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const Answer = z.strictObject({
  requirementId: z.string().min(1).max(100),
  departmentId: z.uuid().nullable().default(null),
  status: AnswerStatus,
  maturity: z.number().int().nullable().default(null),
  notApplicableReason: z.string().trim().max(2000).nullable().default(null),
  notes: z.string().max(10000).default(''),
  actionOwner: z.string().trim().max(200).nullable().default(null).describe('Who closes the gap'),
  actionDue: Timestamp.nullable().default(null).describe('When the gap is to be closed'),
});

export const Evidence = z.object({
  id: z.uuid(),
  kind: z.enum(['file', 'link']),
  title: z.string(),
  url: z.string().nullable(),
  fileName: z.string().nullable(),
  mediaType: z.string().nullable(),
  size: z.number().int().nullable(),
  sha256: z.string().nullable(),
  effectiveDate: Timestamp,
  expiresAt: Timestamp.nullable(),
  expired: z.boolean(),
  uploadedBy: z.string(),
  createdAt: Timestamp,
});

export const Result = z.object({
  id: z.uuid(),
  requirementId: z.string(),
  departmentId: z.uuid().nullable(),
  status: AnswerStatus,
  effectiveStatus: EffectiveStatus,
  downgradeReason: z.string().nullable(),
  maturity: z.number().int().nullable(),
  notApplicableReason: z.string().nullable(),
  notes: z.string(),
  assessor: z.string().nullable(),
  assessedAt: Timestamp.nullable(),
  actionOwner: z.string().nullable(),
  actionDue: Timestamp.nullable(),
  evidence: z.array(Evidence),
});

export const Requirement = z.object({
  id: z.string(),
  label: z.string().nullable(),
  title: z.string(),
  function: CsfFunction,
  tier: TierName,
  statement: z.string(),
  guidance: z.string(),
});

export const Department = z.object({ id: z.uuid().nullable(), name: z.string() });

export const AssessmentDetail = z.object({
  assessment: Assessment,
  document: BaselineDocument,
  departments: z.array(Department),
  requirements: z.array(Requirement),
  results: z.array(Result),
  progress: z.object({ answered: z.number().int(), total: z.number().int() }),
});

export const LinkEvidence = z.strictObject({
  requirementId: z.string().min(1).max(100),
  departmentId: z.uuid().nullable().default(null),
  title: z.string().trim().min(1).max(300),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  effectiveDate: Timestamp,
  expiresAt: Timestamp.nullable().default(null),
});

const Bucket = z.object({
  total: z.number().int(),
  applicable: z.number().int(),
  implementationScore: z.number().nullable(),
  averageMaturity: z.number().nullable(),
  counts: z.record(z.string(), z.number().int()),
});

export const Score = z.object({
  overall: Bucket,
  byFunction: z.record(z.string(), Bucket),
  byTier: z.record(z.string(), Bucket),
  byDepartment: z.array(Department.extend({ score: Bucket })),
  heatMap: z.array(
    z.object({
      departmentId: z.uuid().nullable(),
      department: z.string(),
      function: z.string(),
      implementationScore: z.number().nullable(),
      averageMaturity: z.number().nullable(),
      applicable: z.number().int(),
    }),
  ),
  scale: MaturityScale,
});

const TrendScores = z.object({
  implementationScore: z.number().nullable(),
  averageMaturity: z.number().nullable(),
});

export const Trend = z.object({
  scale: MaturityScale.describe('The scale of the latest cycle'),
  cycles: z.array(
    z.object({
      assessmentId: z.uuid(),
      title: z.string(),
      status: z.enum(['open', 'closed']),
      createdAt: Timestamp,
      asOf: Timestamp.describe('When the cycle is judged: when the next one started, or now for the last'),
      scaleId: z.string(),
      overall: TrendScores,
      byFunction: z.record(z.string(), TrendScores),
      byTier: z.record(z.string(), TrendScores),
      byDepartment: z.array(TrendScores.extend({ id: z.uuid().nullable(), name: z.string() })),
    }),
  ),
});

export const ReportQuery = z.strictObject({
  lang: z.enum(['en', 'es']).default('en').describe('Language of the report'),
});

export const Gap = z.object({
  requirementId: z.string(),
  title: z.string().nullable(),
  departmentId: z.uuid().nullable(),
  department: z.string(),
  function: z.string(),
  tier: z.string(),
  status: z.string(),
  maturity: z.number().nullable(),
  targetMaturity: z.number().nullable(),
  reasons: z.array(z.string()),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  actionOwner: z.string().nullable(),
  actionDue: Timestamp.nullable(),
});

export const Changes = z.object({
  previousId: z.uuid(),
  summary: z.record(z.string(), z.number().int()),
  previousTitle: z.string(),
  scoreDelta: z.object({
    overall: z.number().nullable(),
    byFunction: z.record(z.string(), z.number().nullable()),
    byTier: z.record(z.string(), z.number().nullable()),
    byDepartment: z.array(
      z.object({ id: z.uuid().nullable(), name: z.string(), delta: z.number().nullable() }),
    ),
  }),
  changes: z.array(
    z.object({
      requirementId: z.string(),
      title: z.string().nullable(),
      department: z.string(),
      kind: z.string(),
      maturityDelta: z.number().nullable(),
      before: z.object({ status: z.string(), maturity: z.number().nullable() }).nullable(),
      after: z.object({ status: z.string(), maturity: z.number().nullable() }).nullable(),
    }),
  ),
});

export const ExpiringQuery = z.strictObject({
  days: z.coerce.number().int().min(0).max(3650).default(90),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ExpiringEvidence = Evidence.extend({
  requirementId: z.string(),
  departmentId: z.uuid().nullable(),
  assessmentId: z.uuid(),
  assessmentTitle: z.string(),
});

export const CsfCoverage = z.object({
  departments: z.array(
    Department.extend({
      percent: z.number().nullable(),
      counts: z.record(z.string(), z.number().int()),
      subcategories: z.array(z.object({ id: z.string(), state: z.string() })),
    }),
  ),
});

export const Relationship = z.enum(['subset-of', 'intersects-with', 'equal-to', 'superset-of']);

export const ImportMappings = z.strictObject({
  targetDocumentId: z.uuid().describe('The catalog or profile the controls are mapped to'),
  mappings: z
    .array(
      z.strictObject({
        sourceId: z.string().trim().min(1).max(100),
        targetId: z.string().trim().min(1).max(100),
        relationship: z.string().describe('NIST OLIR: subset-of, intersects-with, equal-to, superset-of'),
      }),
    )
    .min(1)
    .max(20_000)
    .describe(
      'Each read "source <relationship> target"; they replace the mappings between the two documents',
    ),
});

export const MappingsQuery = z.strictObject({
  targetDocumentId: z.uuid().optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const TargetQuery = z.strictObject({ targetDocumentId: z.uuid() });

export const Mapping = z.object({
  id: z.uuid(),
  sourceDocumentId: z.uuid(),
  targetDocumentId: z.uuid(),
  sourceId: z.string(),
  targetId: z.string(),
  relationship: Relationship,
  createdAt: Timestamp,
});

export const MappingImportResult = z.object({
  sourceDocumentId: z.uuid(),
  targetDocumentId: z.uuid(),
  imported: z.number().int(),
  replaced: z.number().int(),
});

export const MappingTargets = z.object({
  items: z.array(
    z.object({
      documentId: z.uuid(),
      title: z.string(),
      count: z.number().int(),
      /** Set when the mappings belong to a catalog this profile draws from. */
      via: z.string().optional(),
    }),
  ),
});

export const MappingTargetsQuery = z.strictObject({
  inherited: z
    .enum(['true', 'false'])
    .transform((s) => s === 'true')
    .default(false),
});

export const CoverageQuery = z.strictObject({ documentId: z.uuid().describe('The catalog mapped to') });

export const MappedCoverage = z.object({
  document: z.object({ id: z.uuid(), title: z.string() }),
  mappings: z.number().int(),
  /** The catalogs whose mappings were used, when the assessed profile has none of its own. */
  via: z.array(z.object({ id: z.uuid(), title: z.string() })),
  departments: z.array(
    Department.extend({
      percent: z.number().nullable(),
      counts: z.record(z.string(), z.number().int()),
      targets: z.array(z.object({ id: z.string(), state: z.string() })),
    }),
  ),
});
