import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_MAX_BYTES } from '../../../core/oscal/parse.js';
import { AppError } from '../../errors.js';
import { ctxOf } from '../../http/ctx.js';
import { Timestamp } from '../../http/types.js';
import { readUpload, sendDownload } from '../../http/upload.js';
import {
  Answer,
  Assessment,
  AssessmentDetail,
  AssessmentParams,
  BaselineDocument,
  BaselineSettings,
  Changes,
  Control,
  ControlsQuery,
  CoverageQuery,
  CreateAssessment,
  CsfCoverage,
  DocumentParams,
  Evidence,
  EvidenceParams,
  ExpiringEvidence,
  ExpiringQuery,
  Gap,
  ImportMappings,
  ImportQuery,
  LinkEvidence,
  ListQuery,
  MappedCoverage,
  Mapping,
  MappingImportResult,
  MappingsQuery,
  MappingTargets,
  MappingTargetsQuery,
  OrgParams,
  page,
  ReportQuery,
  Result,
  Score,
  TargetQuery,
  Trend,
  UpdateAssessment,
  UpdateBaselineSettings,
} from './baselines.schemas.js';
import { baselinesService, EVIDENCE_MAX_BYTES } from './baselines.service.js';

const catalogTags = ['catalogs'];
const tags = ['assessments'];

const download = sendDownload;

const json = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

const EvidenceFields = z.strictObject({
  requirementId: z.string().min(1).max(100),
  departmentId: z.uuid().nullable().default(null),
  title: z.string().trim().min(1).max(300),
  effectiveDate: Timestamp,
  expiresAt: Timestamp.nullable().default(null),
});

export async function baselinesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  await app.register(multipart, {
    limits: { fileSize: EVIDENCE_MAX_BYTES, files: 1, fields: 10, fieldSize: 10_000 },
  });
  // OSCAL's own media types are JSON too; editors send them.
  app.addContentTypeParser(
    /^application\/oscal(\.[a-z-]+)?\+json$/,
    { parseAs: 'string', bodyLimit: DEFAULT_MAX_BYTES },
    app.getDefaultJsonParser('error', 'error'),
  );

  // --- Catalogs and profiles ---

  app.get(
    '/orgs/:orgId/catalogs',
    {
      schema: {
        tags: catalogTags,
        summary: 'OSCAL catalogs and profiles of the organization',
        params: OrgParams,
        querystring: ListQuery,
        response: { 200: page(BaselineDocument) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) =>
      baselinesService.listDocuments(
        ctxOf(req),
        req.params.orgId,
        req.query.q,
        req.query.limit,
        req.query.offset,
      ),
  );

  app.post(
    '/orgs/:orgId/catalogs',
    {
      bodyLimit: DEFAULT_MAX_BYTES,
      schema: {
        tags: catalogTags,
        summary:
          'Import an OSCAL 1.1 JSON catalog or profile (a profile is resolved first; errors change nothing)',
        params: OrgParams,
        querystring: ImportQuery,
        body: z.unknown(),
        response: { 201: BaselineDocument },
      },
      config: { authz: { permission: 'data.admin' } },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await baselinesService.importDocument(ctxOf(req), req.params.orgId, req.body, req.query.name)),
  );

  app.post(
    '/orgs/:orgId/catalogs/city-baseline',
    {
      schema: {
        tags: catalogTags,
        summary: 'Install the Citywall City Baseline catalog and its three tier profiles (kept if present)',
        params: OrgParams,
        body: z.strictObject({}).optional(),
        response: { 200: z.object({ items: z.array(BaselineDocument) }) },
      },
      config: { authz: { permission: 'data.admin' } },
    },
    async (req) => baselinesService.installCityBaseline(ctxOf(req), req.params.orgId),
  );

  app.get(
    '/orgs/:orgId/catalogs/:documentId',
    {
      schema: { tags: catalogTags, params: DocumentParams, response: { 200: BaselineDocument } },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => baselinesService.getDocument(ctxOf(req), req.params.orgId, req.params.documentId),
  );

  app.delete(
    '/orgs/:orgId/catalogs/:documentId',
    {
      schema: { tags: catalogTags, params: DocumentParams, response: { 204: z.null() } },
      config: { authz: { permission: 'data.admin' } },
    },
    async (req, reply) => {
      await baselinesService.removeDocument(ctxOf(req), req.params.orgId, req.params.documentId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/orgs/:orgId/catalogs/:documentId/controls',
    {
      schema: {
        tags: catalogTags,
        summary:
          'Controls (of a profile: as resolved at import), searchable by id, label, title and statement',
        params: DocumentParams,
        querystring: ControlsQuery,
        response: { 200: page(Control) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) =>
      baselinesService.listControls(
        ctxOf(req),
        req.params.orgId,
        req.params.documentId,
        {
          q: req.query.q,
          csfFunction: req.query.function,
          tier: req.query.tier,
          includeWithdrawn: req.query.withdrawn === 'true',
        },
        req.query.limit,
        req.query.offset,
      ),
  );

  app.get(
    '/orgs/:orgId/catalogs/:documentId/oscal',
    {
      schema: { tags: catalogTags, summary: 'Export as OSCAL JSON', params: DocumentParams },
      config: { authz: { permission: 'data.read' } },
    },
    async (req, reply) => {
      const { name, document } = await baselinesService.exportDocument(
        ctxOf(req),
        req.params.orgId,
        req.params.documentId,
      );
      return download(reply, name, 'application/json', json(document));
    },
  );

  app.get(
    '/orgs/:orgId/catalogs/:documentId/resolved',
    {
      schema: {
        tags: catalogTags,
        summary: 'Resolve a profile now and export the resulting catalog as OSCAL JSON',
        params: DocumentParams,
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req, reply) => {
      const { name, document } = await baselinesService.resolveDocument(
        ctxOf(req),
        req.params.orgId,
        req.params.documentId,
      );
      return download(reply, name, 'application/json', json(document));
    },
  );

  // --- Mappings ---

  app.post(
    '/orgs/:orgId/catalogs/:documentId/mappings',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: catalogTags,
        summary:
          'Import NIST OLIR mappings from this document to another (they replace the ones between the two; errors change nothing)',
        params: DocumentParams,
        body: ImportMappings,
        response: { 201: MappingImportResult },
      },
      config: { authz: { permission: 'data.admin' } },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await baselinesService.importMappings(
            ctxOf(req),
            req.params.orgId,
            req.params.documentId,
            req.body,
          ),
        ),
  );

  app.get(
    '/orgs/:orgId/catalogs/:documentId/mappings',
    {
      schema: {
        tags: catalogTags,
        summary: 'Mappings from this document, optionally to one target, searchable by control id',
        params: DocumentParams,
        querystring: MappingsQuery,
        response: { 200: page(Mapping) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) =>
      baselinesService.listMappings(
        ctxOf(req),
        req.params.orgId,
        req.params.documentId,
        { targetDocumentId: req.query.targetDocumentId, q: req.query.q },
        req.query.limit,
        req.query.offset,
      ),
  );

  app.get(
    '/orgs/:orgId/catalogs/:documentId/mapping-targets',
    {
      schema: {
        tags: catalogTags,
        summary:
          'The documents this one is mapped to, with the number of relationships; ?inherited=true adds, for a profile, those of the catalogs it draws from',
        params: DocumentParams,
        querystring: MappingTargetsQuery,
        response: { 200: MappingTargets },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) =>
      baselinesService.mappingTargets(
        ctxOf(req),
        req.params.orgId,
        req.params.documentId,
        req.query.inherited,
      ),
  );

  app.delete(
    '/orgs/:orgId/catalogs/:documentId/mappings',
    {
      schema: {
        tags: catalogTags,
        summary: 'Remove the mappings from this document to one target',
        params: DocumentParams,
        querystring: TargetQuery,
        response: { 204: z.null() },
      },
      config: { authz: { permission: 'data.admin' } },
    },
    async (req, reply) => {
      await baselinesService.removeMappings(
        ctxOf(req),
        req.params.orgId,
        req.params.documentId,
        req.query.targetDocumentId,
      );
      return reply.status(204).send(null);
    },
  );

  // --- Settings ---

  app.get(
    '/orgs/:orgId/baselines/settings',
    {
      schema: {
        tags,
        summary: 'The maturity scale new assessments use, and the preset scales',
        params: OrgParams,
        response: { 200: BaselineSettings },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => baselinesService.getSettings(ctxOf(req), req.params.orgId),
  );

  app.put(
    '/orgs/:orgId/baselines/settings',
    {
      schema: {
        tags,
        summary:
          'Set the maturity scale (CSF tiers 1–4, CMMI 0–5 or levels of your own); started assessments keep theirs',
        params: OrgParams,
        body: UpdateBaselineSettings,
        response: { 200: BaselineSettings },
      },
      config: { authz: { permission: 'data.admin' } },
    },
    async (req) => baselinesService.updateSettings(ctxOf(req), req.params.orgId, req.body),
  );

  // --- Assessments ---

  app.get(
    '/orgs/:orgId/assessments',
    {
      schema: { tags, params: OrgParams, querystring: ListQuery, response: { 200: page(Assessment) } },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) =>
      baselinesService.listAssessments(
        ctxOf(req),
        req.params.orgId,
        req.query.q,
        req.query.limit,
        req.query.offset,
      ),
  );

  app.post(
    '/orgs/:orgId/assessments',
    {
      schema: {
        tags,
        summary: 'Start an assessment against a catalog or profile (or the next cycle of an earlier one)',
        params: OrgParams,
        body: CreateAssessment,
        response: { 201: Assessment },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) =>
      reply.status(201).send(await baselinesService.createAssessment(ctxOf(req), req.params.orgId, req.body)),
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId',
    {
      schema: { tags, params: AssessmentParams, response: { 200: AssessmentDetail } },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => baselinesService.getAssessment(ctxOf(req), req.params.orgId, req.params.assessmentId),
  );

  app.patch(
    '/orgs/:orgId/assessments/:assessmentId',
    {
      schema: { tags, params: AssessmentParams, body: UpdateAssessment, response: { 200: Assessment } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) =>
      baselinesService.updateAssessment(ctxOf(req), req.params.orgId, req.params.assessmentId, req.body),
  );

  app.delete(
    '/orgs/:orgId/assessments/:assessmentId',
    {
      schema: { tags, params: AssessmentParams, response: { 204: z.null() } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) => {
      await baselinesService.removeAssessment(ctxOf(req), req.params.orgId, req.params.assessmentId);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/orgs/:orgId/assessments/:assessmentId/results',
    {
      schema: {
        tags,
        summary: 'Record the answer for one requirement (and department)',
        params: AssessmentParams,
        body: Answer,
        response: { 200: Result },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) => baselinesService.answer(ctxOf(req), req.params.orgId, req.params.assessmentId, req.body),
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId/score',
    {
      schema: {
        tags,
        summary: 'Scores by CSF function, tier and department, and the function × department heat map',
        params: AssessmentParams,
        response: { 200: Score },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => baselinesService.score(ctxOf(req), req.params.orgId, req.params.assessmentId),
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId/trend',
    {
      schema: {
        tags,
        summary: 'Scores by CSF function, tier and department of every cycle up to this one (oldest first)',
        params: AssessmentParams,
        response: { 200: Trend },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => baselinesService.trend(ctxOf(req), req.params.orgId, req.params.assessmentId),
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId/coverage',
    {
      schema: {
        tags,
        summary: "Coverage of another catalog's controls per department, through the imported mappings",
        params: AssessmentParams,
        querystring: CoverageQuery,
        response: { 200: MappedCoverage },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) =>
      baselinesService.mappedCoverage(
        ctxOf(req),
        req.params.orgId,
        req.params.assessmentId,
        req.query.documentId,
      ),
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId/csf-coverage',
    {
      schema: {
        tags,
        summary: 'Coverage of the NIST CSF 2.0 subcategories per department, through the OLIR mappings',
        params: AssessmentParams,
        response: { 200: CsfCoverage },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => baselinesService.csfCoverage(ctxOf(req), req.params.orgId, req.params.assessmentId),
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId/gaps',
    {
      schema: {
        tags,
        summary: 'Requirements below the target tier and maturity, most severe first',
        params: AssessmentParams,
        response: { 200: z.object({ items: z.array(Gap) }) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => baselinesService.gaps(ctxOf(req), req.params.orgId, req.params.assessmentId),
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId/changes',
    {
      schema: {
        tags,
        summary: 'What changed since the cycle this assessment started from',
        params: AssessmentParams,
        response: { 200: Changes },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => baselinesService.changes(ctxOf(req), req.params.orgId, req.params.assessmentId),
  );

  app.post(
    '/orgs/:orgId/assessments/:assessmentId/evidence/links',
    {
      schema: { tags, params: AssessmentParams, body: LinkEvidence, response: { 201: Evidence } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await baselinesService.addLinkEvidence(
            ctxOf(req),
            req.params.orgId,
            req.params.assessmentId,
            req.body,
          ),
        ),
  );

  app.post(
    '/orgs/:orgId/assessments/:assessmentId/evidence/files',
    {
      schema: {
        tags,
        summary:
          'Upload an evidence file (multipart/form-data: requirementId, departmentId, title, effectiveDate, expiresAt, then file)',
        params: AssessmentParams,
        response: { 201: Evidence },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) => {
      const { fields, file } = await readUpload(req, {
        label: 'evidence file',
        maxBytes: EVIDENCE_MAX_BYTES,
      });
      const parsed = EvidenceFields.safeParse({
        ...fields,
        departmentId: fields.departmentId || null,
        expiresAt: fields.expiresAt || null,
      });
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new AppError(
          'validation',
          `The upload's fields are not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
          { errors },
        );
      }
      return reply.status(201).send(
        await baselinesService.addFileEvidence(ctxOf(req), req.params.orgId, req.params.assessmentId, {
          ...parsed.data,
          ...file,
        }),
      );
    },
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId/evidence/:evidenceId/content',
    {
      schema: { tags, summary: 'Download an evidence file', params: EvidenceParams },
      config: { authz: { permission: 'data.read' } },
    },
    async (req, reply) => {
      const f = await baselinesService.evidenceContent(
        ctxOf(req),
        req.params.orgId,
        req.params.assessmentId,
        req.params.evidenceId,
      );
      return download(reply, f.fileName, f.mediaType, f.content);
    },
  );

  app.delete(
    '/orgs/:orgId/assessments/:assessmentId/evidence/:evidenceId',
    {
      schema: { tags, params: EvidenceParams, response: { 204: z.null() } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) => {
      await baselinesService.removeEvidence(
        ctxOf(req),
        req.params.orgId,
        req.params.assessmentId,
        req.params.evidenceId,
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/orgs/:orgId/evidence/expiring',
    {
      schema: {
        tags,
        summary: 'Evidence that has expired or expires within the given number of days',
        params: OrgParams,
        querystring: ExpiringQuery,
        response: { 200: page(ExpiringEvidence) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) =>
      baselinesService.expiringEvidence(
        ctxOf(req),
        req.params.orgId,
        req.query.days,
        req.query.limit,
        req.query.offset,
      ),
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId/export/assessment-results',
    {
      schema: { tags, summary: 'OSCAL 1.1 assessment-results JSON', params: AssessmentParams },
      config: { authz: { permission: 'data.read' } },
    },
    async (req, reply) => {
      const doc = await baselinesService.exportAssessmentResults(
        ctxOf(req),
        req.params.orgId,
        req.params.assessmentId,
      );
      return download(
        reply,
        `assessment-results_${req.params.assessmentId}.json`,
        'application/json',
        json(doc),
      );
    },
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId/export/poam',
    {
      schema: {
        tags,
        summary: 'OSCAL 1.1 plan-of-action-and-milestones JSON, one item per gap',
        params: AssessmentParams,
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req, reply) => {
      const doc = await baselinesService.exportPoam(ctxOf(req), req.params.orgId, req.params.assessmentId);
      return download(reply, `poam_${req.params.assessmentId}.json`, 'application/json', json(doc));
    },
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId/export/report.docx',
    {
      schema: {
        tags,
        summary:
          'DOCX assessment report a council can edit: summary, scores, gaps with actions, evidence, method',
        params: AssessmentParams,
        querystring: ReportQuery,
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req, reply) => {
      const buf = await baselinesService.reportDocx(
        ctxOf(req),
        req.params.orgId,
        req.params.assessmentId,
        req.query.lang,
      );
      return download(
        reply,
        `assessment-report_${req.params.assessmentId}.docx`,
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buf,
      );
    },
  );

  app.get(
    '/orgs/:orgId/assessments/:assessmentId/export/deficiencies.xlsx',
    {
      schema: { tags, summary: 'XLSX deficiency workbook', params: AssessmentParams },
      config: { authz: { permission: 'data.read' } },
    },
    async (req, reply) => {
      const buf = await baselinesService.deficiencyWorkbook(
        ctxOf(req),
        req.params.orgId,
        req.params.assessmentId,
      );
      return download(
        reply,
        `deficiencies_${req.params.assessmentId}.xlsx`,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buf,
      );
    },
  );
}
