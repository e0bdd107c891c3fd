import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  AssessmentError,
  applyEvidenceExpiry,
  CITY_BASELINE_CATALOG_HREF,
  type Evidence as CoreEvidence,
  CSF_TIER_SCALE,
  CSF2_FUNCTIONS,
  type CsfFunctionId,
  carryForward,
  checkMappings,
  cityBaselineCatalog,
  cityBaselineMappings,
  cityBaselineProfiles,
  compareCycles,
  coverage,
  csf2Coverage,
  csf2FunctionOf,
  defineMaturityScale,
  gapAnalysis,
  isCsf2SubcategoryId,
  MATURITY_SCALE_PRESETS,
  MappingError,
  type MaturityScale,
  maturityLabel,
  type RequirementAssessment,
  type RequirementRef,
  type RequirementStatus,
  type ScoringContext,
  scoreAssessment,
  TIERS,
  type Tier,
  validateAssessment,
} from '../../../core/baseline/index.js';
import {
  buildAssessmentResults,
  buildPoam,
  type Catalog,
  CITYWALL_NS,
  exportCatalog,
  exportProfile,
  type FindingInput,
  findingForStatus,
  flattenCatalog,
  type ObservationInput,
  OscalError,
  type Profile,
  type Property,
  parseOscal,
  propValue,
  type ResolveHref,
  type Resource,
  resolveProfile,
} from '../../../core/oscal/index.js';
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { AppError, notFound } from '../../errors.js';
import { checkDocumentFile, DOCUMENT_TYPES, sha256Hex } from '../../files.js';
import { assetsService } from '../assets/assets.service.js';
import { auditService } from '../audit/audit.service.js';
import type { OrgRow } from '../orgs/orgs.repository.js';
import { orgsDirectory, orgsService } from '../orgs/orgs.service.js';
import { buildReportDocx, type ReportLanguage } from './baselines.report.js';
import {
  type AssessmentRow,
  assessmentsRepository,
  type ControlRow,
  type DocumentRow,
  documentsRepository,
  type EvidenceMeta,
  type MappingRow,
  mappingsRepository,
  type ResultRow,
  settingsRepository,
} from './baselines.repository.js';
import type {
  Answer,
  CreateAssessment,
  LinkEvidence,
  MaturityScaleInput,
  UpdateAssessment,
} from './baselines.schemas.js';

type AuditCtx = Pick<Ctx, 'actor' | 'requestId'>;

/** Turns a library error into a problem that names every offending place of the document. */
function oscalProblem(err: unknown): never {
  if (err instanceof OscalError) {
    throw new AppError(
      err.code === 'too-large' ? 'payload_too_large' : 'validation',
      `Invalid OSCAL: ${err.message}`,
      {
        errors: err.issues.map((i) => ({ path: i.path, message: i.message })),
        extra: { code: err.code },
      },
    );
  }
  throw err;
}

function assessmentProblem(err: unknown): never {
  if (err instanceof AssessmentError) {
    throw new AppError('validation', err.message, {
      errors: err.issues.map((i) => ({ path: i.field, message: i.message })),
    });
  }
  throw err;
}

function stem(href: string): string {
  const base = href.split(/[\\/]/).pop() ?? href;
  return base.replace(/\.(json|xml|ya?ml)$/i, '').toLowerCase();
}

function modelOf(doc: DocumentRow): Catalog | Profile {
  const d = doc.document as { catalog?: Catalog; profile?: Profile };
  return (d.catalog ?? d.profile) as Catalog | Profile;
}

/** The document a profile's import names among the organization's own: by OSCAL uuid or by file name. */
function findImported(docs: DocumentRow[], href: string, resource: Resource | undefined) {
  const candidates = [href, ...(resource?.rlinks?.map((l) => l.href) ?? [])];
  for (const c of candidates) {
    const uuid = /^urn:uuid:(.+)$/i.exec(c)?.[1]?.toLowerCase();
    const hit = uuid
      ? docs.find((d) => d.oscalUuid === uuid)
      : docs.find((d) => d.sourceName && stem(d.sourceName) === stem(c));
    if (hit) return hit;
  }
  return undefined;
}

/** Finds what a profile imports among the organization's own documents. */
function resolverFor(docs: DocumentRow[]): ResolveHref {
  return (href, { resource }) => {
    const hit = findImported(docs, href, resource);
    return hit ? modelOf(hit) : undefined;
  };
}

/**
 * The catalogs a document draws its controls from: itself for a catalog; for a profile, the catalogs of what it
 * imports, through imported profiles (a cycle, refused at import anyway, ends the walk).
 */
function catalogsOf(doc: DocumentRow, docs: DocumentRow[], seen = new Set<string>()): DocumentRow[] {
  if (doc.kind !== 'profile') return [doc];
  if (seen.has(doc.id)) return [];
  seen.add(doc.id);
  const profile = modelOf(doc) as Profile;
  return (profile.imports ?? []).flatMap((imp) => {
    const id = /^#(.+)$/.exec(imp.href)?.[1];
    const resource = id ? profile['back-matter']?.resources?.find((r) => r.uuid === id) : undefined;
    const hit = findImported(docs, imp.href, resource);
    return hit ? catalogsOf(hit, docs, seen) : [];
  });
}

/** The catalogs a profile draws its controls from (none for a catalog, which has its own mappings only). */
async function sourceCatalogs(db: DbOrTx, orgId: string, documentId: string) {
  const docs = await documentsRepository.all(db, orgId);
  const self = docs.find((d) => d.id === documentId);
  return self?.kind === 'profile' ? catalogsOf(self, docs) : [];
}

/**
 * The mappings that apply to a document towards `targetId`: its own, or for a profile without its own, those
 * stored on the catalogs it draws from (`catalogs`, read when not given; only for controls the profile keeps),
 * with the catalogs they came from.
 */
async function mappingsFor(
  db: DbOrTx,
  orgId: string,
  documentId: string,
  targetId: string,
  keep?: Set<string>,
  catalogs?: DocumentRow[],
) {
  const own = await mappingsRepository.forPair(db, orgId, documentId, targetId);
  if (own.length) return { rows: own, via: [] as { id: string; title: string }[] };
  const rows: typeof own = [];
  const via: { id: string; title: string }[] = [];
  for (const c of catalogs ?? (await sourceCatalogs(db, orgId, documentId))) {
    if (c.id === targetId || via.some((v) => v.id === c.id)) continue;
    const found = (await mappingsRepository.forPair(db, orgId, c.id, targetId)).filter(
      (r) => !keep || keep.has(r.sourceId),
    );
    if (found.length) {
      rows.push(...found);
      via.push({ id: c.id, title: c.title });
    }
  }
  return { rows, via };
}

function csfFunctionOf(groupPath: string[], props: Property[] | undefined): string | null {
  const fnIds = new Set<string>(CSF2_FUNCTIONS.map((f) => f.id));
  if (groupPath[0] && fnIds.has(groupPath[0])) return groupPath[0];
  const sub = props?.find((p) => p.name === 'csf-subcategory' && p.ns === CITYWALL_NS)?.value;
  return sub && isCsf2SubcategoryId(sub) ? csf2FunctionOf(sub) : null;
}

function controlRows(orgId: string, documentId: string, catalog: Catalog) {
  return flattenCatalog(catalog)
    .filter((c) => !c.implicit)
    .map((c) => ({
      documentId,
      orgId,
      controlId: c.id,
      sortOrder: c.sortOrder,
      label: c.label,
      title: c.title,
      class: c.class,
      parentId: c.parentId,
      groupId: c.groupId ?? null,
      groupTitle: c.groupTitle,
      depth: c.depth,
      withdrawn: c.withdrawn,
      csfFunction: csfFunctionOf(c.groupPath, c.control.props),
      tier: propValue(c.control.props, 'tier', CITYWALL_NS) ?? null,
      statement: c.statement,
      guidance: c.guidance,
    }));
}

function summary(d: Omit<DocumentRow, 'document'> & { document?: unknown }) {
  const { document: _omit, ...rest } = d;
  return rest;
}

interface Requirement extends RequirementRef {
  label: string | null;
  title: string;
  statement: string;
  guidance: string;
}

function requirementsOf(controls: ControlRow[]): { requirements: Requirement[]; unusable: string[] } {
  const requirements: Requirement[] = [];
  const unusable: string[] = [];
  for (const c of controls) {
    if (c.withdrawn) continue;
    if (!c.csfFunction || !c.tier || !TIERS.includes(c.tier as Tier)) {
      unusable.push(c.controlId);
      continue;
    }
    requirements.push({
      id: c.controlId,
      function: c.csfFunction as CsfFunctionId,
      tier: c.tier as Tier,
      label: c.label,
      title: c.title,
      statement: c.statement,
      guidance: c.guidance,
    });
  }
  return { requirements, unusable };
}

const ORGANIZATION_KEY = 'organization';

/** The scale an assessment's answers are given on. */
export function scaleOf(a: Pick<AssessmentRow, 'maturityScale'>): MaturityScale {
  return a.maturityScale ?? CSF_TIER_SCALE;
}

export type TargetKind = 'organization' | 'department' | 'system';

export function targetKindOf(a: Pick<AssessmentRow, 'systemName' | 'departmentIds'>): TargetKind {
  if (a.systemName) return 'system';
  return a.departmentIds.length ? 'department' : 'organization';
}

/** An assessment as the API shows it: with what is assessed and the scale in full. */
export function publicAssessment(a: AssessmentRow) {
  return { ...a, targetKind: targetKindOf(a), maturityScale: scaleOf(a) };
}

/** The maturity scale the organization's new assessments use. */
async function orgScale(db: DbOrTx, orgId: string): Promise<MaturityScale> {
  return (await settingsRepository.maturityScale(db, orgId)) ?? CSF_TIER_SCALE;
}

function checkTargetMaturity(scale: MaturityScale, value: number | null | undefined) {
  if (value === null || value === undefined) return;
  if (!scale.levels.some((l) => l.value === value)) {
    throw new AppError(
      'validation',
      `Target maturity ${value} is not a level of "${scale.name}" (${scale.levels.map((l) => l.value).join(', ')})`,
      { errors: [{ path: 'targetMaturity', message: `not a level of ${scale.name}` }] },
    );
  }
}

function coreEvidence(e: EvidenceMeta): CoreEvidence {
  return {
    id: e.id,
    title: e.title,
    kind: e.kind,
    effectiveDate: e.effectiveDate.toISOString(),
    expiresAt: e.expiresAt?.toISOString() ?? null,
  };
}

function entryOf(r: ResultRow, evidence: EvidenceMeta[]): RequirementAssessment {
  return {
    requirementId: r.requirementId,
    department: r.departmentId,
    status: r.status as RequirementStatus,
    maturity: r.maturity,
    notApplicableReason: r.notApplicableReason ?? undefined,
    notes: r.notes,
    assessor: r.assessor ?? undefined,
    assessedAt: r.assessedAt?.toISOString(),
    evidence: evidence.filter((e) => e.resultId === r.id).map(coreEvidence),
  };
}

function publicEvidence(e: EvidenceMeta, now: Date) {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    url: e.url,
    fileName: e.fileName,
    mediaType: e.mediaType,
    size: e.size,
    sha256: e.sha256,
    effectiveDate: e.effectiveDate,
    expiresAt: e.expiresAt,
    expired: !!e.expiresAt && e.expiresAt.getTime() <= now.getTime(),
    uploadedBy: e.uploadedBy,
    createdAt: e.createdAt,
  };
}

/** Everything an assessment's reports are computed from, loaded once. */
interface Loaded {
  org: OrgRow;
  /** The name of the whole in scope when no department is named: the system, or the organization. */
  wholeName: string;
  scale: MaturityScale;
  assessment: AssessmentRow;
  document: Omit<DocumentRow, 'document'>;
  requirements: Requirement[];
  departments: { id: string | null; name: string }[];
  results: ResultRow[];
  evidence: EvidenceMeta[];
  entries: RequirementAssessment[];
  scoring: ScoringContext;
}

async function departmentsOf(db: DbOrTx, org: OrgRow, ids: string[]) {
  if (!ids.length) return [{ id: null, name: org.name }];
  const out: { id: string | null; name: string }[] = [];
  for (const id of ids) {
    const d = await orgsDirectory.byId(db, id);
    out.push({ id, name: d?.name ?? id });
  }
  return out;
}

async function load(ctx: Ctx, org: OrgRow, assessmentId: string, asOf = new Date()): Promise<Loaded> {
  const assessment = await assessmentsRepository.byId(ctx.db, org.id, assessmentId);
  if (!assessment) throw notFound('Assessment', assessmentId);
  const document = await documentsRepository.summary(ctx.db, org.id, assessment.documentId);
  if (!document) throw notFound('Catalog', assessment.documentId);
  const controls = await documentsRepository.allControls(ctx.db, org.id, assessment.documentId);
  const { requirements } = requirementsOf(controls);
  const wholeName = assessment.systemName ?? org.name;
  const departments = assessment.systemName
    ? [{ id: null, name: wholeName }]
    : await departmentsOf(ctx.db, org, assessment.departmentIds);
  const scale = scaleOf(assessment);
  const results = await assessmentsRepository.results(ctx.db, org.id, assessmentId);
  const evidence = await assessmentsRepository.evidenceOfAssessment(ctx.db, org.id, assessmentId);
  const known = new Set(requirements.map((r) => r.id));
  const entries = results.filter((r) => known.has(r.requirementId)).map((r) => entryOf(r, evidence));
  return {
    org,
    wholeName,
    scale,
    assessment,
    document,
    requirements,
    departments,
    results,
    evidence,
    entries,
    scoring: {
      requirements,
      scale,
      asOf,
      departments: assessment.departmentIds.length ? assessment.departmentIds : [null],
    },
  };
}

function departmentName(l: Loaded, key: string): { id: string | null; name: string } {
  if (key === ORGANIZATION_KEY) return { id: null, name: l.wholeName };
  return l.departments.find((d) => d.id === key) ?? { id: key, name: key };
}

export const EVIDENCE_TYPES = Object.keys(DOCUMENT_TYPES);
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

/** Refuses a file whose declared type, name or first bytes are not those of an allowed evidence type. */
export function checkEvidenceFile(fileName: string, mediaType: string, content: Buffer): void {
  checkDocumentFile('Evidence', fileName, mediaType, content);
}

export interface FileEvidenceInput {
  requirementId: string;
  departmentId: string | null;
  title: string;
  effectiveDate: Date;
  expiresAt: Date | null;
  fileName: string;
  mediaType: string;
  content: Buffer;
}

export const baselinesService = {
  async listDocuments(ctx: Ctx, orgId: string, q: string | undefined, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await documentsRepository.list(ctx.db, orgId, q, limit, offset);
    return { items, total, limit, offset };
  },

  async getDocument(ctx: Ctx, orgId: string, documentId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const doc = await documentsRepository.summary(ctx.db, orgId, documentId);
    if (!doc) throw notFound('Catalog', documentId);
    return doc;
  },

  /**
   * Imports an OSCAL catalog or profile. A profile is resolved against the organization's documents first,
   * so an unknown control, a circular or unresolvable import refuses the upload and nothing is written.
   */
  async importDocument(ctx: Ctx, orgId: string, body: unknown, sourceName?: string) {
    await orgsService.access(ctx, orgId, 'data.admin');
    let parsed: ReturnType<typeof parseOscal>;
    try {
      parsed = parseOscal(body);
    } catch (e) {
      oscalProblem(e);
    }
    return ctx.db.transaction((tx) => importInto(tx, ctx, orgId, parsed, sourceName ?? null, false));
  },

  async installCityBaseline(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.admin');
    return ctx.db.transaction((tx) => installCityBaselineIn(tx, ctx, orgId));
  },

  async removeDocument(ctx: Ctx, orgId: string, documentId: string) {
    await orgsService.access(ctx, orgId, 'data.admin');
    await ctx.db.transaction(async (tx) => {
      const doc = await documentsRepository.summary(tx, orgId, documentId);
      if (!doc) throw notFound('Catalog', documentId);
      const used = await documentsRepository.usedByAssessments(tx, orgId, documentId);
      if (used) {
        throw new AppError('conflict', `${used} assessment(s) use this ${doc.kind}: delete them first`);
      }
      await documentsRepository.delete(tx, orgId, documentId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'baselines.document.delete',
        targetType: 'baseline_document',
        targetId: documentId,
        before: doc,
      });
    });
  },

  async listControls(
    ctx: Ctx,
    orgId: string,
    documentId: string,
    filter: { q?: string; csfFunction?: string; tier?: string; includeWithdrawn?: boolean },
    limit: number,
    offset: number,
  ) {
    await baselinesService.getDocument(ctx, orgId, documentId);
    const { items, total } = await documentsRepository.controls(
      ctx.db,
      orgId,
      documentId,
      filter,
      limit,
      offset,
    );
    return { items, total, limit, offset };
  },

  /** The document as OSCAL JSON, as imported (a profile stays a profile). */
  async exportDocument(ctx: Ctx, orgId: string, documentId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const doc = await documentsRepository.byId(ctx.db, orgId, documentId);
    if (!doc) throw notFound('Catalog', documentId);
    const model = modelOf(doc);
    try {
      return {
        name: `${stem(doc.sourceName ?? doc.title).replace(/[^a-z0-9._-]+/gi, '-')}.json`,
        document: doc.kind === 'catalog' ? exportCatalog(model as Catalog) : exportProfile(model as Profile),
      };
    } catch (e) {
      oscalProblem(e);
    }
  },

  /** A profile resolved now, against the catalogs the organization holds now, as an OSCAL catalog. */
  async resolveDocument(ctx: Ctx, orgId: string, documentId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const doc = await documentsRepository.byId(ctx.db, orgId, documentId);
    if (!doc) throw notFound('Catalog', documentId);
    if (doc.kind !== 'profile')
      throw new AppError('conflict', 'Only a profile can be resolved; this is a catalog');
    const docs = await documentsRepository.all(ctx.db, orgId);
    try {
      const resolved = resolveProfile(modelOf(doc) as Profile, resolverFor(docs), {
        profileHref: doc.sourceName ?? undefined,
      });
      return {
        name: `${stem(doc.sourceName ?? doc.title)}_resolved.json`,
        document: exportCatalog(resolved),
      };
    } catch (e) {
      oscalProblem(e);
    }
  },

  // --- Mappings ----------------------------------------------------------------------------------------

  /**
   * Imports NIST OLIR relationships from the controls of one document to those of another, replacing the ones
   * between the two. A control missing from either document, an unknown relationship or a pair given twice
   * refuses the whole import, naming each offending entry.
   */
  async importMappings(
    ctx: Ctx,
    orgId: string,
    documentId: string,
    input: {
      targetDocumentId: string;
      mappings: { sourceId: string; targetId: string; relationship: string }[];
    },
  ) {
    await orgsService.access(ctx, orgId, 'data.admin');
    return ctx.db.transaction(async (tx) => {
      const source = await documentsRepository.summary(tx, orgId, documentId);
      if (!source) throw notFound('Catalog', documentId);
      const target = await documentsRepository.summary(tx, orgId, input.targetDocumentId);
      if (!target) {
        throw new AppError('validation', 'No such catalog or profile in this organization', {
          errors: [{ path: 'targetDocumentId', message: 'not found' }],
        });
      }
      if (target.id === source.id) {
        throw new AppError('validation', 'A document cannot be mapped to itself', {
          errors: [{ path: 'targetDocumentId', message: 'must differ from the source' }],
        });
      }
      const ids = async (id: string) =>
        (await documentsRepository.allControls(tx, orgId, id)).map((c) => c.controlId);
      const seen = new Map<string, number>();
      const duplicates: { path: string; message: string }[] = [];
      input.mappings.forEach((m, i) => {
        const key = `${m.sourceId}\u0000${m.targetId}`;
        const first = seen.get(key);
        if (first !== undefined) {
          duplicates.push({ path: `mappings[${i}]`, message: `the same pair as mappings[${first}]` });
        } else seen.set(key, i);
      });
      if (duplicates.length) {
        throw new AppError('validation', `Mapping ${duplicates[0].path} is ${duplicates[0].message}`, {
          errors: duplicates,
        });
      }
      const mappings = input.mappings.map((m) => ({
        sourceCatalog: source.title,
        sourceId: m.sourceId,
        targetCatalog: target.title,
        targetId: m.targetId,
        relationship: m.relationship as MappingRow['relationship'],
      }));
      try {
        checkMappings(mappings, { sourceIds: await ids(source.id), targetIds: await ids(target.id) });
      } catch (e) {
        if (e instanceof MappingError) {
          throw new AppError(
            'validation',
            `${e.issues.length} mapping(s) refused, nothing imported: ${e.message}`,
            {
              errors: e.issues.map((i) => ({ path: `mappings[${i.index}].${i.field}`, message: i.message })),
            },
          );
        }
        throw e;
      }
      const replaced = await mappingsRepository.replace(
        tx,
        orgId,
        source.id,
        target.id,
        mappings.map((m) => ({ sourceId: m.sourceId, targetId: m.targetId, relationship: m.relationship })),
      );
      const result = {
        sourceDocumentId: source.id,
        targetDocumentId: target.id,
        imported: mappings.length,
        replaced,
      };
      await auditService.record(tx, ctx, {
        orgId,
        action: 'baselines.mappings.import',
        targetType: 'baseline_document',
        targetId: source.id,
        after: result,
      });
      return result;
    });
  },

  async listMappings(
    ctx: Ctx,
    orgId: string,
    documentId: string,
    filter: { targetDocumentId?: string; q?: string },
    limit: number,
    offset: number,
  ) {
    await baselinesService.getDocument(ctx, orgId, documentId);
    const { items, total } = await mappingsRepository.list(ctx.db, orgId, documentId, filter, limit, offset);
    return { items, total, limit, offset };
  },

  /**
   * The documents this one is mapped to. With `inherited`, a profile also lists the targets of the catalogs it
   * draws from (`via` names the catalog), which is what its assessments can measure coverage against.
   */
  async mappingTargets(ctx: Ctx, orgId: string, documentId: string, inherited = false) {
    const doc = await baselinesService.getDocument(ctx, orgId, documentId);
    const items: { documentId: string; title: string; count: number; via?: string }[] =
      await mappingsRepository.targets(ctx.db, orgId, documentId);
    if (!inherited || doc.kind !== 'profile') return { items };
    const catalogs = await sourceCatalogs(ctx.db, orgId, documentId);
    const keep = new Set(
      (await documentsRepository.allControls(ctx.db, orgId, documentId)).map((c) => c.controlId),
    );
    const candidates = new Map<string, string>();
    for (const c of catalogs) {
      for (const t of await mappingsRepository.targets(ctx.db, orgId, c.id)) {
        if (t.documentId !== documentId && !items.some((x) => x.documentId === t.documentId))
          candidates.set(t.documentId, t.title);
      }
    }
    // Counted exactly as coverage counts them: every catalog's mappings, for the controls the profile keeps.
    for (const [targetId, title] of candidates) {
      const { rows, via } = await mappingsFor(ctx.db, orgId, documentId, targetId, keep, catalogs);
      if (rows.length)
        items.push({
          documentId: targetId,
          title,
          count: rows.length,
          via: via.map((v) => v.title).join(', '),
        });
    }
    return { items };
  },

  async removeMappings(ctx: Ctx, orgId: string, documentId: string, targetDocumentId: string) {
    await orgsService.access(ctx, orgId, 'data.admin');
    await ctx.db.transaction(async (tx) => {
      if (!(await documentsRepository.summary(tx, orgId, documentId))) throw notFound('Catalog', documentId);
      const removed = await mappingsRepository.replace(tx, orgId, documentId, targetDocumentId, []);
      if (!removed) throw notFound('Mappings to', targetDocumentId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'baselines.mappings.delete',
        targetType: 'baseline_document',
        targetId: documentId,
        before: { targetDocumentId, count: removed },
      });
    });
  },

  // --- Assessments -------------------------------------------------------------------------------------

  async listAssessments(ctx: Ctx, orgId: string, q: string | undefined, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await assessmentsRepository.list(ctx.db, orgId, q, limit, offset);
    return { items: items.map(publicAssessment), total, limit, offset };
  },

  async createAssessment(ctx: Ctx, orgId: string, input: z.infer<typeof CreateAssessment>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    return publicAssessment(await ctx.db.transaction((tx) => createAssessmentIn(tx, ctx, org, input)));
  },

  /** The organization's maturity scale, and the scales it may adopt as they are. */
  async getSettings(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    return { maturityScale: await orgScale(ctx.db, orgId), presets: [...MATURITY_SCALE_PRESETS] };
  },

  /**
   * Sets the scale new assessments use. Assessments already started keep the scale they started with, so
   * their answers stay valid; the next cycle of one takes the new scale and drops maturities not on it.
   */
  async updateSettings(
    ctx: Ctx,
    orgId: string,
    input: { maturityScale: z.infer<typeof MaturityScaleInput> },
  ) {
    await orgsService.access(ctx, orgId, 'data.admin');
    const { id, name, levels } = input.maturityScale;
    const labels = levels.map((l) => l.label.toLowerCase());
    if (new Set(labels).size !== labels.length) {
      throw new AppError('validation', 'Two levels of the scale have the same label', {
        errors: [{ path: 'maturityScale.levels', message: 'labels must be distinct' }],
      });
    }
    let scale: MaturityScale;
    try {
      scale = defineMaturityScale(
        id,
        name,
        levels.map((l) => (l.description ? { ...l } : { value: l.value, label: l.label })),
      );
    } catch (e) {
      if (e instanceof AssessmentError) {
        throw new AppError('validation', `The maturity scale is not valid: ${e.message}`, {
          errors: e.issues.map((i) => ({ path: `maturityScale.${i.field}`, message: i.message })),
        });
      }
      throw e;
    }
    await ctx.db.transaction(async (tx) => {
      const before = await orgScale(tx, orgId);
      await settingsRepository.setMaturityScale(tx, orgId, scale);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'baselines.settings.update',
        targetType: 'baseline_settings',
        targetId: orgId,
        before: { maturityScale: before },
        after: { maturityScale: scale },
      });
    });
    return baselinesService.getSettings(ctx, orgId);
  },

  async updateAssessment(
    ctx: Ctx,
    orgId: string,
    assessmentId: string,
    patch: z.infer<typeof UpdateAssessment>,
  ) {
    await orgsService.access(ctx, orgId, 'data.write');
    return ctx.db.transaction(async (tx) => {
      const before = await assessmentsRepository.byId(tx, orgId, assessmentId);
      if (!before) throw notFound('Assessment', assessmentId);
      checkTargetMaturity(scaleOf(before), patch.targetMaturity);
      const after = await assessmentsRepository.update(tx, assessmentId, patch);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'baselines.assessment.update',
        targetType: 'assessment',
        targetId: assessmentId,
        before,
        after,
      });
      return publicAssessment(after);
    });
  },

  async removeAssessment(ctx: Ctx, orgId: string, assessmentId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await assessmentsRepository.byId(tx, orgId, assessmentId);
      if (!before) throw notFound('Assessment', assessmentId);
      await assessmentsRepository.delete(tx, assessmentId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'baselines.assessment.delete',
        targetType: 'assessment',
        targetId: assessmentId,
        before,
      });
    });
  },

  /** The questionnaire: requirements in scope, answers with their effective status, progress. */
  async getAssessment(ctx: Ctx, orgId: string, assessmentId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const l = await load(ctx, org, assessmentId);
    const now = l.scoring.asOf ?? new Date();
    const effective = new Map(
      applyEvidenceExpiry(l.entries, now).map((e) => [`${e.requirementId}\u0000${e.department ?? ''}`, e]),
    );
    const known = new Set(l.requirements.map((r) => r.id));
    const results = l.results
      .filter((r) => known.has(r.requirementId))
      .map((r) => {
        const e = effective.get(`${r.requirementId}\u0000${r.departmentId ?? ''}`);
        return {
          id: r.id,
          requirementId: r.requirementId,
          departmentId: r.departmentId,
          status: r.status,
          effectiveStatus: e?.status ?? r.status,
          downgradeReason: e?.downgradeReason ?? null,
          maturity: r.maturity,
          notApplicableReason: r.notApplicableReason,
          notes: r.notes,
          assessor: r.assessor,
          assessedAt: r.assessedAt,
          actionOwner: r.actionOwner,
          actionDue: r.actionDue,
          evidence: l.evidence.filter((ev) => ev.resultId === r.id).map((ev) => publicEvidence(ev, now)),
        };
      });
    return {
      assessment: publicAssessment(l.assessment),
      document: l.document,
      departments: l.departments,
      requirements: l.requirements.map((r) => ({
        id: r.id,
        label: r.label,
        title: r.title,
        function: r.function,
        tier: r.tier,
        statement: r.statement,
        guidance: r.guidance,
      })),
      results,
      progress: { answered: results.length, total: l.requirements.length * l.departments.length },
    };
  },

  /** Records one answer (save as you go): the assessor and the date are the caller and now. */
  async answer(ctx: Ctx, orgId: string, assessmentId: string, input: z.infer<typeof Answer>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    const l = await load(ctx, org, assessmentId);
    if (l.assessment.status === 'closed') {
      throw new AppError('conflict', 'This assessment is closed: reopen it or start the next cycle');
    }
    checkScope(l, input.requirementId, input.departmentId);
    const entry: RequirementAssessment = {
      requirementId: input.requirementId,
      department: input.departmentId,
      status: input.status as RequirementStatus,
      maturity: input.maturity,
      notApplicableReason: input.notApplicableReason ?? undefined,
    };
    const issues = validateAssessment([entry], l.scoring);
    if (issues.length) assessmentProblem(new AssessmentError(issues));
    const now = new Date();
    const values = {
      status: input.status,
      maturity: input.maturity,
      notApplicableReason: input.status === 'not-applicable' ? input.notApplicableReason : null,
      notes: input.notes,
      actionOwner: input.actionOwner || null,
      actionDue: input.actionDue,
      assessor: ctx.actor.name || ctx.actor.email,
      assessedAt: now,
    };
    const row = await ctx.db.transaction(async (tx) => {
      const before = await assessmentsRepository.findResult(
        tx,
        assessmentId,
        input.requirementId,
        input.departmentId,
      );
      const after = before
        ? await assessmentsRepository.updateResult(tx, before.id, values)
        : (
            await assessmentsRepository.insertResults(tx, [
              {
                orgId,
                assessmentId,
                requirementId: input.requirementId,
                departmentId: input.departmentId,
                ...values,
              },
            ])
          )[0];
      await assessmentsRepository.update(tx, assessmentId, {});
      await auditService.record(tx, ctx, {
        orgId,
        action: 'baselines.assessment.answer',
        targetType: 'assessment_result',
        targetId: after.id,
        before: before ?? null,
        after,
      });
      return after;
    });
    const evidence = l.evidence.filter((e) => e.resultId === row.id);
    const [effective] = applyEvidenceExpiry([entryOf(row, evidence)], now);
    return {
      ...row,
      effectiveStatus: effective.status,
      downgradeReason: effective.downgradeReason,
      evidence: evidence.map((e) => publicEvidence(e, now)),
    };
  },

  async score(ctx: Ctx, orgId: string, assessmentId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    return scoreReport(await load(ctx, org, assessmentId));
  },

  /**
   * Scores of every cycle up to this one, oldest first, following the chain of cycles each was started from.
   * Each cycle is judged as it stood when the next one started (evidence expiry included); the last, now.
   */
  async trend(ctx: Ctx, orgId: string, assessmentId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const chain: AssessmentRow[] = [];
    let id: string | null = assessmentId;
    while (id && chain.length < TREND_CYCLES && !chain.some((c) => c.id === id)) {
      const row = await assessmentsRepository.byId(ctx.db, orgId, id);
      if (!row) {
        if (!chain.length) throw notFound('Assessment', assessmentId);
        break;
      }
      chain.push(row);
      id = row.previousId;
    }
    chain.reverse();
    const now = new Date();
    const cycles = [];
    for (const [i, row] of chain.entries()) {
      const asOf = chain[i + 1]?.createdAt ?? now;
      const l = await load(ctx, org, row.id, asOf);
      const s = scoreOf(l);
      const pick = (b: { implementationScore: number | null; averageMaturity: number | null }) => ({
        implementationScore: b.implementationScore,
        averageMaturity: b.averageMaturity,
      });
      cycles.push({
        assessmentId: row.id,
        title: row.title,
        status: row.status,
        createdAt: row.createdAt,
        asOf,
        scaleId: l.scale.id,
        overall: pick(s.overall),
        byFunction: Object.fromEntries(Object.entries(s.byFunction).map(([k, b]) => [k, pick(b)])),
        byTier: Object.fromEntries(Object.entries(s.byTier).map(([k, b]) => [k, pick(b)])),
        byDepartment: Object.entries(s.byDepartment).map(([key, b]) => ({
          ...departmentName(l, key),
          ...pick(b),
        })),
      });
    }
    return { scale: scaleOf(chain[chain.length - 1]), cycles };
  },

  /** NIST CSF 2.0 subcategories covered, per department, through the baseline's OLIR mappings. */
  async csfCoverage(ctx: Ctx, orgId: string, assessmentId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const l = await load(ctx, org, assessmentId);
    const mapped = new Set(cityBaselineMappings().map((m) => m.sourceId));
    if (!l.requirements.some((r) => mapped.has(r.id))) {
      throw new AppError('conflict', `${l.document.title} has no mapping to NIST CSF 2.0`);
    }
    const effective = applyEvidenceExpiry(l.entries, l.scoring.asOf);
    return {
      departments: l.departments.map((d) => {
        const statuses = new Map(
          effective.filter((e) => (e.department ?? null) === d.id).map((e) => [e.requirementId, e.status]),
        );
        const c = csf2Coverage(statuses);
        return {
          ...d,
          percent: c.percent,
          counts: c.counts,
          subcategories: c.targets.map((t) => ({ id: t.targetId, state: t.state })),
        };
      }),
    };
  },

  /** Coverage of another catalog's controls, per department, through the mappings from the assessed one. */
  async mappedCoverage(ctx: Ctx, orgId: string, assessmentId: string, targetDocumentId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const l = await load(ctx, org, assessmentId);
    const target = await documentsRepository.summary(ctx.db, orgId, targetDocumentId);
    if (!target) throw notFound('Catalog', targetDocumentId);
    const { rows, via } = await mappingsFor(
      ctx.db,
      orgId,
      l.assessment.documentId,
      target.id,
      new Set(l.requirements.map((r) => r.id)),
    );
    if (!rows.length) {
      throw new AppError(
        'conflict',
        `${l.document.title} has no mapping to ${target.title}: import one first`,
      );
    }
    const mappings = rows.map((r) => ({
      sourceCatalog: l.document.title,
      sourceId: r.sourceId,
      targetCatalog: target.title,
      targetId: r.targetId,
      relationship: r.relationship,
    }));
    const targetIds = (await documentsRepository.allControls(ctx.db, orgId, target.id))
      .filter((c) => !c.withdrawn)
      .map((c) => c.controlId);
    const effective = applyEvidenceExpiry(l.entries, l.scoring.asOf);
    return {
      document: { id: target.id, title: target.title },
      mappings: rows.length,
      via,
      departments: l.departments.map((d) => {
        const statuses = new Map(
          effective.filter((e) => (e.department ?? null) === d.id).map((e) => [e.requirementId, e.status]),
        );
        const c = coverage(mappings, statuses, { targetIds });
        return {
          ...d,
          percent: c.percent,
          counts: c.counts,
          targets: c.targets.map((x) => ({ id: x.targetId, state: x.state })),
        };
      }),
    };
  },

  async gaps(ctx: Ctx, orgId: string, assessmentId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const l = await load(ctx, org, assessmentId);
    return { items: gapsOf(l) };
  },

  /** What changed since the cycle this one was started from. */
  async changes(ctx: Ctx, orgId: string, assessmentId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const l = await load(ctx, org, assessmentId);
    if (!l.assessment.previousId) {
      throw new AppError('conflict', 'This assessment was not started from an earlier cycle');
    }
    if (!(await assessmentsRepository.byId(ctx.db, orgId, l.assessment.previousId))) {
      throw new AppError('conflict', 'The cycle this assessment was started from has been deleted');
    }
    const previous = await load(ctx, org, l.assessment.previousId, l.assessment.createdAt);
    const known = new Set(l.requirements.map((r) => r.id));
    try {
      const c = compareCycles(
        previous.entries.filter((e) => known.has(e.requirementId)),
        l.entries,
        { ...l.scoring, previousAsOf: l.assessment.createdAt },
      );
      return {
        previousId: l.assessment.previousId,
        previousTitle: previous.assessment.title,
        summary: c.summary,
        scoreDelta: {
          overall: c.scoreDelta.overall,
          byFunction: c.scoreDelta.byFunction,
          byTier: c.scoreDelta.byTier,
          byDepartment: Object.entries(c.scoreDelta.byDepartment).map(([key, delta]) => ({
            ...departmentName(l, key),
            delta,
          })),
        },
        changes: c.changes
          .filter((ch) => ch.kind !== 'unchanged')
          .map((ch) => ({
            requirementId: ch.requirementId,
            title: l.requirements.find((r) => r.id === ch.requirementId)?.title ?? null,
            department: departmentName(l, ch.department).name,
            kind: ch.kind,
            maturityDelta: ch.maturityDelta,
            before: ch.before,
            after: ch.after,
          })),
      };
    } catch (e) {
      assessmentProblem(e);
    }
  },

  // --- Evidence ----------------------------------------------------------------------------------------

  async addLinkEvidence(ctx: Ctx, orgId: string, assessmentId: string, input: z.infer<typeof LinkEvidence>) {
    return addEvidence(ctx, orgId, assessmentId, input, {
      kind: 'link',
      url: input.url,
    });
  },

  async addFileEvidence(ctx: Ctx, orgId: string, assessmentId: string, input: FileEvidenceInput) {
    await orgsService.access(ctx, orgId, 'data.write');
    checkEvidenceFile(input.fileName, input.mediaType, input.content);
    return addEvidence(ctx, orgId, assessmentId, input, {
      kind: 'file',
      fileName: input.fileName,
      mediaType: input.mediaType,
      size: input.content.length,
      sha256: sha256Hex(input.content),
      content: input.content,
    });
  },

  async evidenceContent(ctx: Ctx, orgId: string, assessmentId: string, evidenceId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const hit = await assessmentsRepository.evidence(ctx.db, orgId, assessmentId, evidenceId);
    if (!hit) throw notFound('Evidence', evidenceId);
    if (hit.e.kind !== 'file' || !hit.e.content) {
      throw new AppError('conflict', 'This evidence is a link: follow its URL');
    }
    return {
      content: hit.e.content,
      mediaType: hit.e.mediaType ?? 'application/octet-stream',
      fileName: hit.e.fileName ?? 'evidence',
    };
  },

  async removeEvidence(ctx: Ctx, orgId: string, assessmentId: string, evidenceId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const hit = await assessmentsRepository.evidence(tx, orgId, assessmentId, evidenceId);
      if (!hit) throw notFound('Evidence', evidenceId);
      await assessmentsRepository.deleteEvidence(tx, evidenceId);
      const { content: _content, ...before } = hit.e;
      await auditService.record(tx, ctx, {
        orgId,
        action: 'baselines.evidence.delete',
        targetType: 'assessment_evidence',
        targetId: evidenceId,
        before,
      });
    });
  },

  /** Evidence that has expired or will within `days`, across the organization's assessments. */
  async expiringEvidence(ctx: Ctx, orgId: string, days: number, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const now = new Date();
    const until = new Date(now.getTime() + days * 86_400_000);
    const { items, total } = await assessmentsRepository.expiring(ctx.db, orgId, until, limit, offset);
    return {
      items: items.map((i) => ({
        ...publicEvidence(i.evidence, now),
        requirementId: i.requirementId,
        departmentId: i.departmentId,
        assessmentId: i.assessmentId,
        assessmentTitle: i.assessmentTitle,
      })),
      total,
      limit,
      offset,
    };
  },

  // --- Exports -----------------------------------------------------------------------------------------

  async exportAssessmentResults(ctx: Ctx, orgId: string, assessmentId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const l = await load(ctx, org, assessmentId);
    const { findings, observations } = findingsOf(l);
    try {
      return buildAssessmentResults({
        title: l.assessment.title,
        description: `Assessment of ${targetDescription(l)} against ${l.document.title}; maturity on the scale "${l.scale.name}"`,
        start: l.assessment.createdAt,
        end: l.assessment.status === 'closed' ? l.assessment.updatedAt : undefined,
        organization: org.name,
        findings,
        observations,
      });
    } catch (e) {
      oscalProblem(e);
    }
  },

  async exportPoam(ctx: Ctx, orgId: string, assessmentId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const l = await load(ctx, org, assessmentId);
    const { findings, observations } = findingsOf(l);
    const keys = new Set(findings.map((f) => f.key));
    try {
      return buildPoam({
        title: `Plan of action: ${l.assessment.title} (${targetDescription(l)})`,
        systemId: l.assessment.id,
        organization: org.name,
        findings,
        observations,
        items: gapsOf(l).map((g) => {
          const key = `${g.requirementId}@${g.departmentId ?? ORGANIZATION_KEY}`;
          return {
            title: `${g.requirementId} ${g.title ?? ''} (${g.department})`.replace(/\s+/g, ' '),
            description: `${g.severity} gap: ${g.reasons.join('; ')}`,
            controlId: g.requirementId,
            owner: g.actionOwner ?? undefined,
            due: g.actionDue ?? undefined,
            findingKeys: keys.has(key) ? [key] : undefined,
          };
        }),
      });
    } catch (e) {
      oscalProblem(e);
    }
  },

  /** The assessment report as an editable Word document, in English or Spanish. */
  async reportDocx(ctx: Ctx, orgId: string, assessmentId: string, lang: ReportLanguage): Promise<Buffer> {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const l = await load(ctx, org, assessmentId);
    const now = l.scoring.asOf ?? new Date();
    const s = scoreReport(l);
    const effective = applyEvidenceExpiry(l.entries, now);
    const lapsed = new Set(
      effective
        .filter((e) => e.downgradeReason)
        .map((e) => `${e.requirementId}\u0000${e.department ?? ORGANIZATION_KEY}`),
    );
    const previous =
      l.assessment.previousId && (await assessmentsRepository.byId(ctx.db, orgId, l.assessment.previousId))
        ? await baselinesService.changes(ctx, orgId, assessmentId)
        : null;
    const resultById = new Map(l.results.map((r) => [r.id, r]));
    return buildReportDocx(
      {
        title: l.assessment.title,
        organization: org.name,
        targetKind: targetKindOf(l.assessment),
        target: targetKindOf(l.assessment) === 'system' ? l.wholeName : targetDescription(l),
        document: { title: l.document.title, version: l.document.version },
        requirementCount: l.requirements.length,
        status: l.assessment.status,
        createdAt: l.assessment.createdAt,
        targetTier: l.assessment.targetTier,
        targetMaturity: l.assessment.targetMaturity,
        scale: l.scale,
        progress: {
          answered: l.entries.length,
          total: l.requirements.length * l.departments.length,
        },
        assessors: [...new Set(l.results.map((r) => r.assessor).filter((a): a is string => !!a))].sort(),
        overall: s.overall,
        byFunction: s.byFunction,
        byTier: s.byTier,
        departments: s.byDepartment,
        heatMap: s.heatMap,
        gaps: gapsOf(l).map((g) => ({
          ...g,
          evidenceLapsed: lapsed.has(`${g.requirementId}\u0000${g.departmentId ?? ORGANIZATION_KEY}`),
        })),
        evidence: l.evidence.map((e) => {
          const r = resultById.get(e.resultId);
          return {
            requirementId: r?.requirementId ?? '',
            department: departmentName(l, r?.departmentId ?? ORGANIZATION_KEY).name,
            title: e.title,
            kind: e.kind,
            effectiveDate: e.effectiveDate,
            expiresAt: e.expiresAt,
          };
        }),
        needsReview: lapsed.size,
        previous: previous
          ? {
              title: previous.previousTitle,
              overallDelta: previous.scoreDelta.overall,
              summary: previous.summary,
              byFunction: previous.scoreDelta.byFunction,
            }
          : null,
        now,
      },
      lang,
    );
  },

  /** The deficiencies as a workbook a council can filter: one row per gap, and the scores. */
  async deficiencyWorkbook(ctx: Ctx, orgId: string, assessmentId: string): Promise<Buffer> {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const l = await load(ctx, org, assessmentId);
    // Loaded on demand: exceljs is large, and the CLI and server start should not pay for it.
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Citywall';
    const sheet = wb.addWorksheet('Deficiencies', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [
      { header: 'Severity', key: 'severity', width: 10 },
      { header: 'Requirement', key: 'requirementId', width: 14 },
      { header: 'Title', key: 'title', width: 50 },
      { header: 'Department', key: 'department', width: 28 },
      { header: 'CSF function', key: 'function', width: 12 },
      { header: 'Tier', key: 'tier', width: 14 },
      { header: 'Status', key: 'status', width: 22 },
      { header: 'Maturity', key: 'maturity', width: 10 },
      { header: 'Maturity level', key: 'maturityLabel', width: 22 },
      { header: 'Target maturity', key: 'targetMaturity', width: 15 },
      { header: 'Target level', key: 'targetLabel', width: 22 },
      { header: 'Why', key: 'reasons', width: 70 },
      { header: 'Action owner', key: 'actionOwner', width: 24 },
      { header: 'Due', key: 'actionDue', width: 14, style: { numFmt: 'yyyy-mm-dd' } },
    ];
    sheet.getRow(1).font = { bold: true };
    for (const g of gapsOf(l)) {
      sheet.addRow({
        ...g,
        maturityLabel: maturityLabel(l.scale, g.maturity),
        targetLabel: maturityLabel(l.scale, g.targetMaturity),
        reasons: g.reasons.join('; '),
      });
    }
    sheet.autoFilter = { from: 'A1', to: 'N1' };
    const about = wb.addWorksheet('Assessment');
    about.columns = [
      { header: 'Field', key: 'k', width: 24 },
      { header: 'Value', key: 'v', width: 80 },
    ];
    about.getRow(1).font = { bold: true };
    about.addRow({ k: 'Assessment', v: l.assessment.title });
    about.addRow({ k: 'Organization', v: org.name });
    about.addRow({ k: 'Assessed', v: `${targetKindOf(l.assessment)}: ${targetDescription(l)}` });
    about.addRow({ k: 'Against', v: l.document.title });
    about.addRow({
      k: 'Maturity scale',
      v: `${l.scale.name}: ${l.scale.levels.map((x) => `${x.value} ${x.label}`).join(', ')}`,
    });
    const scores = wb.addWorksheet('Scores');
    scores.columns = [
      { header: 'Scope', key: 'scope', width: 30 },
      { header: 'Implementation score (%)', key: 'score', width: 24 },
      { header: 'Average maturity', key: 'maturity', width: 18 },
    ];
    scores.getRow(1).font = { bold: true };
    const s = scoreOf(l);
    scores.addRow({
      scope: 'Overall',
      score: s.overall.implementationScore,
      maturity: s.overall.averageMaturity,
    });
    for (const f of CSF2_FUNCTIONS) {
      const b = s.byFunction[f.id];
      scores.addRow({
        scope: `${f.id} ${f.name}`,
        score: b.implementationScore,
        maturity: b.averageMaturity,
      });
    }
    for (const [key, b] of Object.entries(s.byDepartment)) {
      scores.addRow({
        scope: departmentName(l, key).name,
        score: b.implementationScore,
        maturity: b.averageMaturity,
      });
    }
    return Buffer.from(await wb.xlsx.writeBuffer());
  },
};

const TREND_CYCLES = 20;

/** Scores, the function × department heat map (implementation and maturity) and the scale they use. */
export function scoreReport(l: Loaded) {
  const s = scoreOf(l);
  const heatMap = l.departments.flatMap((d) => {
    const own = scoreAssessment(
      l.entries.filter((e) => (e.department ?? null) === d.id),
      { ...l.scoring, departments: [d.id] },
    );
    return CSF2_FUNCTIONS.map((f) => ({
      departmentId: d.id,
      department: d.name,
      function: f.id,
      implementationScore: own.byFunction[f.id].implementationScore,
      averageMaturity: own.byFunction[f.id].averageMaturity,
      applicable: own.byFunction[f.id].applicable,
    }));
  });
  return {
    overall: s.overall,
    byFunction: s.byFunction,
    byTier: s.byTier,
    byDepartment: Object.entries(s.byDepartment).map(([key, score]) => ({
      ...departmentName(l, key),
      score,
    })),
    heatMap,
    scale: l.scale,
  };
}

function checkScope(l: Loaded, requirementId: string, departmentId: string | null) {
  if (!l.requirements.some((r) => r.id === requirementId)) {
    throw new AppError('validation', `${requirementId} is not a requirement of ${l.document.title}`, {
      errors: [{ path: 'requirementId', message: 'not a requirement of this assessment' }],
    });
  }
  if (!l.departments.some((d) => d.id === departmentId)) {
    throw new AppError('validation', 'That department is not part of this assessment', {
      errors: [{ path: 'departmentId', message: 'not assessed here' }],
    });
  }
}

function scoreOf(l: Loaded) {
  try {
    return scoreAssessment(l.entries, l.scoring);
  } catch (e) {
    assessmentProblem(e);
  }
}

function gapsOf(l: Loaded) {
  try {
    return gapAnalysis(
      l.entries,
      {
        tier: (l.assessment.targetTier as Tier | null) ?? undefined,
        targetMaturity: l.assessment.targetMaturity ?? undefined,
      },
      l.scoring,
    ).map((g) => {
      const d = departmentName(l, g.department);
      const r = l.results.find((x) => x.requirementId === g.requirementId && x.departmentId === d.id);
      return {
        ...g,
        title: g.title ?? null,
        departmentId: d.id,
        department: d.name,
        actionOwner: r?.actionOwner ?? null,
        actionDue: r?.actionDue ?? null,
      };
    });
  } catch (e) {
    assessmentProblem(e);
  }
}

/** What is assessed, in words: the system, the departments, or the organization. */
function targetDescription(l: Loaded): string {
  const kind = targetKindOf(l.assessment);
  if (kind === 'system') return `system ${l.wholeName} of ${l.org.name}`;
  return l.departments.map((d) => d.name).join(', ');
}

function findingsOf(l: Loaded): { findings: FindingInput[]; observations: ObservationInput[] } {
  const now = l.scoring.asOf ?? new Date();
  const effective = applyEvidenceExpiry(l.entries, now);
  const observations: ObservationInput[] = l.evidence.map((e) => ({
    key: e.id,
    title: e.title,
    description:
      e.kind === 'file' ? `${e.fileName} (${e.mediaType}, sha256 ${e.sha256})` : `Link to ${e.url}`,
    methods: ['EXAMINE'],
    collected: e.effectiveDate,
    expires: e.expiresAt ?? undefined,
    evidence: [{ href: e.url ?? undefined, description: e.title }],
  }));
  const findings = effective.map<FindingInput>((e) => {
    const r = l.results.find(
      (x) => x.requirementId === e.requirementId && x.departmentId === (e.department ?? null),
    );
    const { state, implementation } = findingForStatus(e.status);
    const dept = departmentName(l, e.department ?? ORGANIZATION_KEY).name;
    const req = l.requirements.find((q) => q.id === e.requirementId);
    const reason = [e.downgradeReason, e.notApplicableReason, e.notes].filter(Boolean).join('; ');
    return {
      key: `${e.requirementId}@${e.department ?? ORGANIZATION_KEY}`,
      controlId: e.requirementId,
      title: `${e.requirementId} ${req?.title ?? ''} (${dept})`.replace(/\s+/g, ' '),
      description: `Status ${e.status}${e.maturity != null ? `, maturity ${e.maturity} (${maturityLabel(l.scale, e.maturity)}, ${l.scale.name})` : ''}, assessed by ${e.assessor ?? 'unknown'}`,
      state,
      implementation,
      reason: reason || undefined,
      observationKeys: r ? l.evidence.filter((ev) => ev.resultId === r.id).map((ev) => ev.id) : undefined,
    };
  });
  return { findings, observations };
}

async function addEvidence(
  ctx: Ctx,
  orgId: string,
  assessmentId: string,
  input: {
    requirementId: string;
    departmentId: string | null;
    title: string;
    effectiveDate: Date;
    expiresAt: Date | null;
  },
  payload: {
    kind: 'file' | 'link';
    url?: string;
    fileName?: string;
    mediaType?: string;
    size?: number;
    sha256?: string;
    content?: Buffer;
  },
) {
  const org = await orgsService.access(ctx, orgId, 'data.write');
  const l = await load(ctx, org, assessmentId);
  checkScope(l, input.requirementId, input.departmentId);
  if (input.expiresAt && input.expiresAt.getTime() <= input.effectiveDate.getTime()) {
    throw new AppError('validation', 'The evidence expires before it takes effect', {
      errors: [{ path: 'expiresAt', message: 'must be after effectiveDate' }],
    });
  }
  const created = await ctx.db.transaction(async (tx) => {
    const result = await assessmentsRepository.findResult(
      tx,
      assessmentId,
      input.requirementId,
      input.departmentId,
    );
    if (!result) {
      throw new AppError('conflict', `Answer ${input.requirementId} before attaching evidence to it`);
    }
    const [row] = await assessmentsRepository.insertEvidence(tx, [
      {
        orgId,
        resultId: result.id,
        title: input.title,
        effectiveDate: input.effectiveDate,
        expiresAt: input.expiresAt,
        uploadedBy: ctx.actor.email,
        ...payload,
      },
    ]);
    await auditService.record(tx, ctx, {
      orgId,
      action: 'baselines.evidence.add',
      targetType: 'assessment_evidence',
      targetId: row.id,
      after: row,
    });
    return row;
  });
  return publicEvidence(created, new Date());
}

async function importInto(
  tx: DbOrTx,
  ctx: AuditCtx,
  orgId: string,
  parsed: ReturnType<typeof parseOscal>,
  sourceName: string | null,
  builtIn: boolean,
) {
  const model = parsed.type === 'catalog' ? parsed.catalog : parsed.profile;
  if (await documentsRepository.byOscalUuid(tx, orgId, model.uuid)) {
    throw new AppError(
      'conflict',
      `A ${parsed.type} with uuid ${model.uuid} is already imported: delete it first`,
      {
        errors: [{ path: `${parsed.type}.uuid`, message: 'already imported' }],
      },
    );
  }
  let controlsOf: Catalog;
  if (parsed.type === 'catalog') {
    controlsOf = parsed.catalog;
  } else {
    // The profile being imported is among the candidates, so an import of itself, directly or through a
    // stored profile that imports its file name, is refused as circular rather than as unknown.
    const self = {
      oscalUuid: parsed.profile.uuid.toLowerCase(),
      sourceName,
      document: { profile: parsed.profile },
    } as DocumentRow;
    try {
      controlsOf = resolveProfile(
        parsed.profile,
        resolverFor([...(await documentsRepository.all(tx, orgId)), self]),
      );
    } catch (e) {
      oscalProblem(e);
    }
  }
  const id = randomUUID();
  const rows = controlRows(orgId, id, controlsOf);
  const doc = await documentsRepository.insert(tx, {
    id,
    orgId,
    kind: parsed.type,
    oscalUuid: model.uuid.toLowerCase(),
    title: model.metadata.title,
    version: model.metadata.version,
    sourceName,
    builtIn,
    document: parsed.type === 'catalog' ? { catalog: parsed.catalog } : { profile: parsed.profile },
    controlCount: rows.length,
  });
  await documentsRepository.insertControls(tx, rows);
  await auditService.record(tx, ctx, {
    orgId,
    action: 'baselines.document.import',
    targetType: 'baseline_document',
    targetId: id,
    after: summary(doc),
  });
  return doc;
}

/** Installs the City Baseline catalog and its three tier profiles; what is already there is kept. */
export async function installCityBaselineIn(tx: DbOrTx, ctx: AuditCtx, orgId: string) {
  const out = [];
  const catalog = cityBaselineCatalog();
  out.push(
    (await documentsRepository.byOscalUuid(tx, orgId, catalog.uuid)) ??
      (await importInto(tx, ctx, orgId, { type: 'catalog', catalog }, CITY_BASELINE_CATALOG_HREF, true)),
  );
  for (const [tier, profile] of Object.entries(cityBaselineProfiles())) {
    out.push(
      (await documentsRepository.byOscalUuid(tx, orgId, profile.uuid)) ??
        (await importInto(
          tx,
          ctx,
          orgId,
          { type: 'profile', profile },
          `citywall-city-baseline_${tier}_profile.json`,
          true,
        )),
    );
  }
  return { items: out };
}

export async function createAssessmentIn(
  tx: DbOrTx,
  ctx: AuditCtx & { actor: Ctx['actor'] },
  org: OrgRow,
  input: z.infer<typeof CreateAssessment>,
) {
  const doc = await documentsRepository.summary(tx, org.id, input.documentId);
  if (!doc) {
    throw new AppError('validation', 'No such catalog or profile in this organization', {
      errors: [{ path: 'documentId', message: 'not found' }],
    });
  }
  const { requirements, unusable } = requirementsOf(
    await documentsRepository.allControls(tx, org.id, doc.id),
  );
  if (!requirements.length || unusable.length) {
    throw new AppError(
      'validation',
      `${doc.title} cannot be assessed: ${unusable.length || 'its'} control(s) carry no CSF 2.0 function and tier (e.g. ${unusable.slice(0, 3).join(', ') || 'none'})`,
      { errors: [{ path: 'documentId', message: 'controls need a CSF function and a tier' }] },
    );
  }
  const departmentIds = [...new Set(input.departmentIds)];
  let systemName: string | null = null;
  if (input.systemId) {
    if (departmentIds.length) {
      throw new AppError('validation', 'Assess either departments or one system, not both', {
        errors: [{ path: 'systemId', message: 'leave departmentIds empty to assess a system' }],
      });
    }
    systemName = (await assetsService.systemNames(tx, org.id)).get(input.systemId) ?? null;
    if (!systemName) {
      throw new AppError('validation', `System ${input.systemId} is not a system of ${org.name}`, {
        errors: [{ path: 'systemId', message: 'not a system of this organization' }],
      });
    }
  }
  const scale = await orgScale(tx, org.id);
  checkTargetMaturity(scale, input.targetMaturity);
  for (const [i, id] of departmentIds.entries()) {
    const d = await orgsDirectory.byId(tx, id);
    if (!d || d.id === org.id || !d.path.startsWith(org.path)) {
      throw new AppError('validation', `Department ${id} is not below ${org.name}`, {
        errors: [{ path: `departmentIds[${i}]`, message: 'not a department of this organization' }],
      });
    }
  }
  let previous: AssessmentRow | undefined;
  if (input.previousId) {
    previous = await assessmentsRepository.byId(tx, org.id, input.previousId);
    if (!previous) {
      throw new AppError('validation', 'The earlier cycle was not found in this organization', {
        errors: [{ path: 'previousId', message: 'not found' }],
      });
    }
  }
  const assessment = await assessmentsRepository.insert(tx, {
    orgId: org.id,
    documentId: doc.id,
    previousId: previous?.id ?? null,
    title: input.title,
    departmentIds,
    systemId: input.systemId,
    systemName,
    maturityScale: scale,
    targetTier: input.targetTier,
    targetMaturity: input.targetMaturity,
    createdBy: ctx.actor.email,
  });
  if (previous) {
    const known = new Set(requirements.map((r) => r.id));
    const inScope = new Set<string | null>(departmentIds.length ? departmentIds : [null]);
    const old = (await assessmentsRepository.results(tx, org.id, previous.id)).filter(
      (r) => known.has(r.requirementId) && inScope.has(r.departmentId),
    );
    // A maturity not on the scale the new cycle uses is dropped: the assessor gives it again.
    const onScale = new Set(scale.levels.map((l) => l.value));
    const carried = carryForward(old.map((r) => entryOf(r, []))).map((c) =>
      c.maturity != null && !onScale.has(c.maturity) ? { ...c, maturity: null } : c,
    );
    const inserted = await assessmentsRepository.insertResults(
      tx,
      carried.map((c) => ({
        orgId: org.id,
        assessmentId: assessment.id,
        requirementId: c.requirementId,
        departmentId: c.department ?? null,
        status: c.status,
        maturity: c.maturity ?? null,
        notApplicableReason: c.notApplicableReason ?? null,
        // An open action stays open in the next cycle until someone closes the gap.
        actionOwner: old.find(
          (r) => r.requirementId === c.requirementId && r.departmentId === (c.department ?? null),
        )?.actionOwner,
        actionDue: old.find(
          (r) => r.requirementId === c.requirementId && r.departmentId === (c.department ?? null),
        )?.actionDue,
      })),
    );
    const newIdOf = new Map(inserted.map((r) => [`${r.requirementId}\u0000${r.departmentId ?? ''}`, r.id]));
    const oldKey = new Map(old.map((r) => [r.id, `${r.requirementId}\u0000${r.departmentId ?? ''}`]));
    const evidence = await assessmentsRepository.evidenceWithContent(
      tx,
      old.map((r) => r.id),
    );
    await assessmentsRepository.insertEvidence(
      tx,
      evidence.map(({ id: _id, createdAt: _c, resultId, ...e }) => ({
        ...e,
        resultId: newIdOf.get(oldKey.get(resultId) ?? '') as string,
      })),
    );
  }
  await auditService.record(tx, ctx, {
    orgId: org.id,
    action: 'baselines.assessment.create',
    targetType: 'assessment',
    targetId: assessment.id,
    after: assessment,
  });
  return assessment;
}
