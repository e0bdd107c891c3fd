import { z } from 'zod';
import { bindFs, CpeParseError, parseFs } from '../../../core/cpe/index.js';
import {
  DATA_CLASSIFICATIONS,
  DEPENDENCY_TARGET_KINDS,
  DEPENDENCY_TYPES,
  DEPENDENT_KINDS,
  HOSTINGS,
  SYSTEM_KINDS,
} from '../../db/schema/assets.js';
import { Timestamp } from '../../http/types.js';

export const SystemKind = z.enum(SYSTEM_KINDS);
export const DataClassification = z.enum(DATA_CLASSIFICATIONS);
export const Hosting = z.enum(HOSTINGS);
export const DependencyType = z.enum(DEPENDENCY_TYPES);

const text = (max: number) => z.string().trim().max(max);
const optText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v));
const hours = z.number().finite().min(0).max(1_000_000);
const stringList = z.array(z.string().trim().min(1).max(100)).max(50);

/** A CPE 2.3 formatted string, validated with the NISTIR 7695 binding rules and stored normalized. */
export const CpeString = z
  .string()
  .trim()
  .max(1000)
  .transform((s, ctx) => {
    try {
      if (!s.startsWith('cpe:2.3:')) {
        ctx.addIssue({
          code: 'custom',
          message: `not a CPE 2.3 formatted string: it must start with "cpe:2.3:" (got "${s.slice(0, 40)}")`,
        });
        return z.NEVER;
      }
      return bindFs(parseFs(s));
    } catch (e) {
      ctx.addIssue({
        code: 'custom',
        message: e instanceof CpeParseError ? `invalid CPE 2.3: ${e.message}` : 'invalid CPE 2.3',
      });
      return z.NEVER;
    }
  });

/** Package URL: pkg:type/[namespace/]name[@version][?qualifiers][#subpath]. */
export const PurlString = z
  .string()
  .trim()
  .max(1000)
  .regex(
    /^pkg:[a-zA-Z][a-zA-Z0-9.+-]*\/[^\s@?#]+(@[^\s?#]+)?(\?[^\s#]*)?(#\S*)?$/,
    'invalid package URL: expected pkg:type/namespace/name@version (e.g. pkg:npm/lodash@4.17.21)',
  );

const isoDate = z.iso.date();

export const ServiceFields = {
  name: text(200).min(1),
  description: text(5000).optional(),
  departmentOrgId: z.uuid().nullable().optional(),
  owner: optText(200),
  sector: optText(100),
  populationServed: z.number().int().min(0).max(100_000_000).nullable().optional(),
  criticalityTier: z.number().int().min(1).max(4).nullable().optional(),
  rtoHours: hours.nullable().optional(),
  rpoHours: hours.nullable().optional(),
  mtdHours: hours.nullable().optional(),
  publicSafetyImpact: z.boolean().optional(),
  lifeSafetyImpact: z.boolean().optional(),
  dataHandled: stringList.optional(),
  tags: stringList.optional(),
};

export const CreateService = z.strictObject(ServiceFields);
export const UpdateService = z.strictObject({ ...ServiceFields, name: ServiceFields.name.optional() });

export const Service = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  name: z.string(),
  description: z.string(),
  departmentOrgId: z.uuid().nullable(),
  departmentName: z.string().nullable(),
  owner: z.string().nullable(),
  sector: z.string().nullable(),
  populationServed: z.number().int().nullable(),
  criticalityTier: z.number().int().nullable(),
  rtoHours: z.number().nullable(),
  rpoHours: z.number().nullable(),
  mtdHours: z.number().nullable(),
  publicSafetyImpact: z.boolean(),
  lifeSafetyImpact: z.boolean(),
  dataHandled: z.array(z.string()),
  tags: z.array(z.string()),
  dependencyCount: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const SystemFields = {
  name: text(200).min(1),
  description: text(5000).optional(),
  kind: SystemKind,
  vendor: optText(200),
  product: optText(200),
  version: optText(100),
  cpe: CpeString.nullable().optional(),
  purl: PurlString.nullable().optional(),
  site: optText(200),
  internetExposed: z.boolean().optional(),
  owner: optText(200),
  dataClassification: DataClassification.nullable().optional(),
  hosting: Hosting.nullable().optional(),
  hostingProvider: optText(200),
  responsibility: optText(2000),
  endOfSupport: isoDate.nullable().optional(),
  bufferHours: hours.optional(),
  tags: stringList.optional(),
};

export const CreateSystem = z.strictObject(SystemFields);
export const UpdateSystem = z.strictObject({
  ...SystemFields,
  name: SystemFields.name.optional(),
  kind: SystemKind.optional(),
});

export const System = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  name: z.string(),
  description: z.string(),
  kind: SystemKind,
  vendor: z.string().nullable(),
  product: z.string().nullable(),
  version: z.string().nullable(),
  cpe: z.string().nullable(),
  purl: z.string().nullable(),
  site: z.string().nullable(),
  internetExposed: z.boolean(),
  owner: z.string().nullable(),
  dataClassification: DataClassification.nullable(),
  hosting: Hosting.nullable(),
  hostingProvider: z.string().nullable(),
  responsibility: z.string().nullable(),
  endOfSupport: z.string().nullable(),
  bufferHours: z.number(),
  tags: z.array(z.string()),
  dependencyCount: z.number().int(),
  dependentCount: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateDependency = z.strictObject({
  fromKind: z.enum(DEPENDENT_KINDS),
  fromId: z.uuid(),
  toKind: z.enum(DEPENDENCY_TARGET_KINDS),
  toId: z.uuid(),
  type: DependencyType,
  redundancyGroup: optText(100),
  description: text(2000).optional(),
});

export const UpdateDependency = z.strictObject({
  type: DependencyType.optional(),
  redundancyGroup: optText(100),
  description: text(2000).optional(),
});

const End = z.object({
  kind: z.enum(DEPENDENCY_TARGET_KINDS),
  id: z.uuid(),
  name: z.string(),
});

export const Dependency = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  from: End,
  to: End,
  type: DependencyType,
  redundancyGroup: z.string().nullable(),
  description: z.string(),
  createdAt: Timestamp,
});

const sortParam = (fields: readonly string[]) =>
  z
    .string()
    .regex(
      new RegExp(`^-?(${fields.join('|')})$`),
      `sort by one of ${fields.join(', ')}; prefix with - for descending`,
    )
    .optional();

export const SERVICE_SORTS = [
  'name',
  'owner',
  'sector',
  'populationServed',
  'criticalityTier',
  'rtoHours',
  'updatedAt',
] as const;
export const SYSTEM_SORTS = [
  'name',
  'kind',
  'vendor',
  'product',
  'owner',
  'site',
  'endOfSupport',
  'updatedAt',
] as const;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const paging = {
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

export const ServiceListQuery = z.strictObject({
  ...paging,
  sort: sortParam(SERVICE_SORTS),
  tier: z.coerce.number().int().min(1).max(4).optional(),
  sector: z.string().max(100).optional(),
  departmentOrgId: z.uuid().optional(),
  lifeSafety: bool.optional(),
});

export const SystemListQuery = z.strictObject({
  ...paging,
  sort: sortParam(SYSTEM_SORTS),
  kind: SystemKind.optional(),
  internetExposed: bool.optional(),
  hosting: Hosting.optional(),
  dataClassification: DataClassification.optional(),
  tag: z.string().max(100).optional(),
  /** Systems whose end of support is on or before this date (already unsupported or about to be). */
  endOfSupportBefore: isoDate.optional(),
});

export const DependencyListQuery = z.strictObject({
  ...paging,
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  /** Dependencies touching this node (as dependent or as what is depended on). */
  nodeId: z.uuid().optional(),
});

export const Provider = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.string(),
  slug: z.string(),
});

export const GraphNodeOut = z.object({
  id: z.string(),
  kind: z.enum(['service', 'system', 'provider']),
  name: z.string(),
  populationServed: z.number().nullable().optional(),
  criticalityTier: z.number().nullable().optional(),
  rtoHours: z.number().nullable().optional(),
  bufferHours: z.number().optional(),
  systemKind: z.string().optional(),
});

export const GraphOut = z.object({
  nodes: z.array(GraphNodeOut),
  edges: z.array(
    z.object({
      id: z.string(),
      from: z.string(),
      to: z.string(),
      type: z.string(),
      redundancyGroup: z.string().nullable(),
    }),
  ),
  cycles: z.array(z.array(z.string())),
});

export const ImpactQuery = z.strictObject({
  /** Comma-separated ids of the systems, services or providers that fail or are compromised. */
  nodes: z.string().max(20_000).default(''),
  paths: bool.optional(),
});

const Cause = z.object({
  via: z.string(),
  viaName: z.string().optional(),
  edgeType: z.string().optional(),
  redundancyGroup: z.string().optional(),
  groupMembers: z.array(z.string()).optional(),
});

export const ImpactOut = z.object({
  initial: z.array(z.object({ id: z.string(), kind: z.string(), name: z.string() })),
  services: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      sector: z.string().nullable(),
      population: z.number(),
      criticalityTier: z.number().optional(),
      rtoHours: z.number().optional(),
      timeToImpactHours: z.number(),
      rtoBreachHours: z.number().nullable(),
      depth: z.number().int(),
      cause: Cause.nullable(),
      path: z.array(z.string()),
      lifeSafetyImpact: z.boolean(),
      publicSafetyImpact: z.boolean(),
    }),
  ),
  impacted: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      name: z.string(),
      depth: z.number().int(),
      timeToImpactHours: z.number(),
      cause: Cause.nullable(),
    }),
  ),
  populationAffected: z.number(),
  largestPopulation: z.number(),
  counts: z.object({ service: z.number(), system: z.number(), provider: z.number() }),
});

export const SpofQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(20),
});

export const SpofOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      name: z.string(),
      score: z.number(),
      population: z.number(),
      nodesStopped: z.number().int(),
      servicesStopped: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),
});

export const GapsOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      missing: z.array(z.enum(['owner', 'rto', 'dependency'])),
    }),
  ),
  total: z.number().int(),
});

export const IMPORT_KINDS = ['systems', 'services', 'dependencies'] as const;
export const ImportKind = z.enum(IMPORT_KINDS);
export const FileFormat = z.enum(['csv', 'xlsx']);

export const ImportRequest = z.strictObject({
  kind: ImportKind,
  format: FileFormat.optional(),
  fileName: z.string().max(300).optional(),
  /** The file, base64-encoded. */
  content: z.string().min(1),
  /** Source column → field name (or null to ignore the column). Unmapped columns are matched by name. */
  mapping: z.record(z.string(), z.string().nullable()).optional(),
  /** XLSX: the worksheet to read (default the first). */
  sheet: z.string().max(100).optional(),
});

export const ImportIssue = z.object({
  line: z.number().int(),
  column: z.string().nullable(),
  field: z.string().nullable(),
  reason: z.string(),
});

export const ImportPreview = z.object({
  kind: ImportKind,
  format: FileFormat,
  columns: z.array(z.string()),
  mapping: z.record(z.string(), z.string().nullable()),
  fields: z.array(
    z.object({ name: z.string(), label: z.string(), required: z.boolean(), description: z.string() }),
  ),
  rows: z.number().int(),
  validRows: z.number().int(),
  toCreate: z.number().int(),
  toUpdate: z.number().int(),
  errors: z.array(ImportIssue),
  errorCount: z.number().int(),
  sample: z.array(z.record(z.string(), z.unknown())),
});

export const ImportResult = z.object({
  kind: ImportKind,
  created: z.number().int(),
  updated: z.number().int(),
  rows: z.number().int(),
});

export const ExportQuery = z.strictObject({
  kind: ImportKind.default('systems'),
  format: FileFormat.default('csv'),
});

export const SectorsIn = z.strictObject({
  /** The organization's own list; null returns to the inherited or built-in list. */
  sectors: z.array(z.string().max(100)).min(1).max(200).nullable(),
});
export const SectorsOut = z.object({
  sectors: z.array(z.string()),
  source: z.enum(['default', 'own', 'inherited']),
  fromOrgId: z.uuid().nullable(),
  unlisted: z.array(z.object({ sector: z.string(), services: z.number().int() })),
});
