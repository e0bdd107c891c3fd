import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { ctxOf } from '../../http/ctx.js';
import { OrgParams, page } from '../orgs/orgs.schemas.js';
import { exercisesService as ex } from './exercises.service.js';
import {
  ActionsQuery,
  ChangeStatus,
  ClockParams,
  ClockReport,
  Communication,
  CreateCommunication,
  CreateIncident,
  CreateObservable,
  CreatePlaybook,
  CreateReviewItem,
  CreateTask,
  CreateTimelineEntry,
  CustodyEvent,
  Evidence,
  EvidenceParams,
  ExerciseView,
  Incident,
  IncidentImpact,
  IncidentListQuery,
  IncidentParams,
  IncidentSummary,
  InjectParams,
  MarkSent,
  MetricsGroup,
  MetricsQuery,
  Observable,
  ObservablePage,
  ObservableParams,
  OverdueClock,
  PageQuery,
  PlanExercise,
  PlaybookOut,
  PlaybookParams,
  ReviewItem,
  ReviewItemParams,
  ShareIncident,
  ShareResult,
  StixBundle,
  StixExportQuery,
  Task,
  TaskParams,
  TimelineEntry,
  TransferEvidence,
  UpdateIncident,
  UpdatePlaybook,
  UpdateReviewItem,
  UpdateTask,
} from './incidents.schemas.js';
import { EVIDENCE_MAX_BYTES, incidentsService as svc } from './incidents.service.js';

const tags = ['incidents'];
const read = { authz: { permission: 'data.read' as const } };
const write = { authz: { permission: 'data.write' as const } };
const admin = { authz: { permission: 'data.admin' as const } };
const base = '/orgs/:orgId/incidents/:incidentId';

export async function incidentsRoutes(fastify: FastifyInstance) {
  // One file per upload, capped one byte above the limit so an oversized file is detected, not silently cut.
  await fastify.register(multipart, { limits: { files: 1, fields: 5, fileSize: EVIDENCE_MAX_BYTES + 1 } });
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/orgs/:orgId/incidents',
    {
      schema: {
        tags,
        summary: 'Incidents (exercises excluded unless asked for)',
        params: OrgParams,
        querystring: IncidentListQuery,
        response: { 200: page(IncidentSummary) },
      },
      config: read,
    },
    async (req) => svc.list(ctxOf(req), req.params.orgId, req.query),
  );
  app.post(
    '/orgs/:orgId/incidents',
    {
      schema: {
        tags,
        summary: 'Open an incident, with its tasks from a playbook',
        params: OrgParams,
        body: CreateIncident,
        response: { 201: Incident },
      },
      config: write,
    },
    async (req, reply) => reply.status(201).send(await svc.create(ctxOf(req), req.params.orgId, req.body)),
  );
  app.get(
    base,
    { schema: { tags, params: IncidentParams, response: { 200: Incident } }, config: read },
    async (req) => svc.get(ctxOf(req), req.params.orgId, req.params.incidentId),
  );
  app.get(
    `${base}/impact`,
    {
      schema: {
        tags,
        summary: 'Who else stops: the cascade of the affected services and systems through the city model',
        params: IncidentParams,
        response: { 200: IncidentImpact },
      },
      config: read,
    },
    async (req) => svc.impact(ctxOf(req), req.params.orgId, req.params.incidentId),
  );
  app.get(
    `${base}/observables`,
    {
      schema: {
        tags,
        summary: 'Observables (STIX SCOs) with the visible indicators they match',
        params: IncidentParams,
        querystring: PageQuery,
        response: { 200: ObservablePage },
      },
      config: read,
    },
    async (req) =>
      svc.observables(
        ctxOf(req),
        req.params.orgId,
        req.params.incidentId,
        req.query.q,
        req.query.limit,
        req.query.offset,
      ),
  );
  app.post(
    `${base}/observables`,
    {
      schema: { tags, params: IncidentParams, body: CreateObservable, response: { 201: Observable } },
      config: write,
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await svc.addObservable(ctxOf(req), req.params.orgId, req.params.incidentId, req.body)),
  );
  app.delete(
    `${base}/observables/:observableId`,
    { schema: { tags, params: ObservableParams, response: { 204: z.null() } }, config: write },
    async (req, reply) => {
      await svc.removeObservable(
        ctxOf(req),
        req.params.orgId,
        req.params.incidentId,
        req.params.observableId,
      );
      return reply.status(204).send(null);
    },
  );
  app.get(
    `${base}/stix`,
    {
      schema: {
        tags,
        summary: 'The incident as a STIX 2.1 bundle (Incident Core Extension), stripped by TLP and choice',
        params: IncidentParams,
        querystring: StixExportQuery,
        response: { 200: StixBundle },
      },
      config: read,
    },
    async (req) => {
      const { exclude, ...q } = req.query;
      return svc.stixBundle(ctxOf(req), req.params.orgId, req.params.incidentId, {
        ...q,
        excludeObservables: exclude
          ? exclude
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean)
          : [],
      });
    },
  );
  app.post(
    `${base}/share`,
    {
      schema: {
        tags,
        summary: 'Publish the incident to a community as STIX (through the intel store and its sharing)',
        params: IncidentParams,
        body: ShareIncident,
        response: { 200: ShareResult },
      },
      config: { authz: { permission: 'data.analyze' as const } },
    },
    async (req) => svc.share(ctxOf(req), req.params.orgId, req.params.incidentId, req.body),
  );
  app.get(
    '/orgs/:orgId/exercise-scenarios',
    {
      schema: {
        tags,
        summary: 'Tabletop exercise scenarios shipped with Citywall',
        params: OrgParams,
        response: { 200: z.object({ items: z.array(z.unknown()) }) },
      },
      config: read,
    },
    async (req) => ex.scenarios(ctxOf(req), req.params.orgId),
  );
  app.post(
    '/orgs/:orgId/exercises',
    {
      schema: {
        tags,
        summary: 'Plan a tabletop exercise: an incident in exercise mode from a scenario',
        params: OrgParams,
        body: PlanExercise,
        response: { 201: ExerciseView },
      },
      config: write,
    },
    async (req, reply) => reply.status(201).send(await ex.plan(ctxOf(req), req.params.orgId, req.body)),
  );
  app.get(
    '/orgs/:orgId/exercise-actions',
    {
      schema: {
        tags,
        summary: 'Improvement actions from after-action reports, to track them to completion',
        params: OrgParams,
        querystring: ActionsQuery,
        response: { 200: page(ReviewItem) },
      },
      config: read,
    },
    async (req) =>
      ex.actions(ctxOf(req), req.params.orgId, req.query.status, req.query.limit, req.query.offset),
  );
  app.get(
    `${base}/exercise`,
    { schema: { tags, params: IncidentParams, response: { 200: ExerciseView } }, config: read },
    async (req) => ex.view(ctxOf(req), req.params.orgId, req.params.incidentId),
  );
  for (const [path, fn, summary] of [
    ['start', ex.start, 'Start the exercise clock'],
    ['end', ex.end, 'End the exercise (closes its incident)'],
  ] as const) {
    app.post(
      `${base}/exercise/${path}`,
      { schema: { tags, summary, params: IncidentParams, response: { 200: ExerciseView } }, config: write },
      async (req) => fn(ctxOf(req), req.params.orgId, req.params.incidentId),
    );
  }
  app.post(
    `${base}/exercise/injects/:injectId/release`,
    {
      schema: {
        tags,
        summary: 'Release an inject now (the facilitator), ahead of its schedule',
        params: InjectParams,
        response: { 200: ExerciseView },
      },
      config: write,
    },
    async (req) => ex.release(ctxOf(req), req.params.orgId, req.params.incidentId, req.params.injectId),
  );
  app.post(
    `${base}/exercise/review`,
    {
      schema: { tags, params: IncidentParams, body: CreateReviewItem, response: { 201: ReviewItem } },
      config: write,
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await ex.addReviewItem(ctxOf(req), req.params.orgId, req.params.incidentId, req.body)),
  );
  app.patch(
    `${base}/exercise/review/:itemId`,
    {
      schema: { tags, params: ReviewItemParams, body: UpdateReviewItem, response: { 200: ReviewItem } },
      config: write,
    },
    async (req) =>
      ex.updateReviewItem(ctxOf(req), req.params.orgId, req.params.incidentId, req.params.itemId, req.body),
  );
  app.patch(
    base,
    {
      schema: { tags, params: IncidentParams, body: UpdateIncident, response: { 200: Incident } },
      config: write,
    },
    async (req) => svc.update(ctxOf(req), req.params.orgId, req.params.incidentId, req.body),
  );
  app.post(
    `${base}/status`,
    {
      schema: {
        tags,
        summary: 'Move the incident through its workflow',
        params: IncidentParams,
        body: ChangeStatus,
        response: { 200: Incident },
      },
      config: write,
    },
    async (req) => svc.changeStatus(ctxOf(req), req.params.orgId, req.params.incidentId, req.body),
  );

  app.get(
    `${base}/tasks`,
    { schema: { tags, params: IncidentParams, response: { 200: page(Task) } }, config: read },
    async (req) => svc.listTasks(ctxOf(req), req.params.orgId, req.params.incidentId),
  );
  app.post(
    `${base}/tasks`,
    { schema: { tags, params: IncidentParams, body: CreateTask, response: { 201: Task } }, config: write },
    async (req, reply) =>
      reply
        .status(201)
        .send(await svc.createTask(ctxOf(req), req.params.orgId, req.params.incidentId, req.body)),
  );
  app.patch(
    `${base}/tasks/:taskId`,
    { schema: { tags, params: TaskParams, body: UpdateTask, response: { 200: Task } }, config: write },
    async (req) =>
      svc.updateTask(ctxOf(req), req.params.orgId, req.params.incidentId, req.params.taskId, req.body),
  );

  app.get(
    `${base}/timeline`,
    {
      schema: {
        tags,
        params: IncidentParams,
        querystring: PageQuery,
        response: { 200: page(TimelineEntry) },
      },
      config: read,
    },
    async (req) =>
      svc.timeline(
        ctxOf(req),
        req.params.orgId,
        req.params.incidentId,
        req.query.q,
        req.query.limit,
        req.query.offset,
      ),
  );
  app.post(
    `${base}/timeline`,
    {
      schema: {
        tags,
        summary: 'Write an entry by hand (when it happened is separate from when it is written)',
        params: IncidentParams,
        body: CreateTimelineEntry,
        response: { 201: TimelineEntry },
      },
      config: write,
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await svc.addTimelineEntry(ctxOf(req), req.params.orgId, req.params.incidentId, req.body)),
  );
  app.get(
    `${base}/timeline.csv`,
    { schema: { tags, summary: 'The timeline as CSV', params: IncidentParams }, config: read },
    async (req, reply) => {
      const csv = await svc.timelineCsv(ctxOf(req), req.params.orgId, req.params.incidentId);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="incident-${req.params.incidentId}-timeline.csv"`,
        )
        .send(csv);
    },
  );

  app.get(
    `${base}/clocks`,
    {
      schema: {
        tags,
        summary: 'Every applicable regulatory clock, with a notification draft per regime',
        params: IncidentParams,
        response: { 200: ClockReport },
      },
      config: read,
    },
    async (req) => svc.clocks(ctxOf(req), req.params.orgId, req.params.incidentId),
  );
  app.post(
    `${base}/clocks/:ruleId/sent`,
    {
      schema: {
        tags,
        summary: 'Record that a notification was sent',
        params: ClockParams,
        body: MarkSent,
        response: { 200: ClockReport },
      },
      config: write,
    },
    async (req) =>
      svc.markSent(ctxOf(req), req.params.orgId, req.params.incidentId, req.params.ruleId, req.body),
  );
  app.get(
    '/orgs/:orgId/incident-clocks/overdue',
    {
      schema: {
        tags,
        summary: 'Overdue notification clocks of real incidents',
        params: OrgParams,
        response: { 200: page(OverdueClock) },
      },
      config: read,
    },
    async (req) => svc.overdueClocks(ctxOf(req), req.params.orgId),
  );
  app.get(
    '/orgs/:orgId/incident-metrics',
    {
      schema: {
        tags,
        summary: 'Median response times by type or month',
        params: OrgParams,
        querystring: MetricsQuery,
        response: { 200: z.object({ items: z.array(MetricsGroup) }) },
      },
      config: read,
    },
    async (req) => svc.metrics(ctxOf(req), req.params.orgId, req.query),
  );

  app.get(
    '/orgs/:orgId/incident-playbooks',
    {
      schema: {
        tags,
        summary: 'Shipped playbooks (read-only) and the organization’s versions',
        params: OrgParams,
        response: { 200: z.object({ items: z.array(PlaybookOut) }) },
      },
      config: read,
    },
    async (req) => svc.listPlaybooks(ctxOf(req), req.params.orgId),
  );
  app.post(
    '/orgs/:orgId/incident-playbooks',
    {
      schema: { tags, params: OrgParams, body: CreatePlaybook, response: { 201: PlaybookOut } },
      config: admin,
    },
    async (req, reply) =>
      reply.status(201).send(await svc.createPlaybook(ctxOf(req), req.params.orgId, req.body)),
  );
  app.put(
    '/orgs/:orgId/incident-playbooks/:playbookId',
    {
      schema: {
        tags,
        summary: 'Save a new version of an organization playbook',
        params: PlaybookParams,
        body: UpdatePlaybook,
        response: { 201: PlaybookOut },
      },
      config: admin,
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await svc.updatePlaybook(ctxOf(req), req.params.orgId, req.params.playbookId, req.body.playbook),
        ),
  );

  app.get(
    `${base}/evidence`,
    { schema: { tags, params: IncidentParams, response: { 200: page(Evidence) } }, config: read },
    async (req) => svc.listEvidence(ctxOf(req), req.params.orgId, req.params.incidentId),
  );
  app.post(
    `${base}/evidence`,
    {
      schema: {
        tags,
        summary: 'Upload an evidence file (multipart: optional "description" field, then "file")',
        params: IncidentParams,
        response: { 201: Evidence },
      },
      config: write,
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      if (!req.isMultipart())
        throw new AppError('unsupported_media_type', 'Send the evidence as multipart/form-data');
      const part = await req.file();
      if (!part)
        throw new AppError('validation', 'No file in the upload', {
          errors: [{ path: 'file', message: 'required' }],
        });
      let content: Buffer;
      try {
        content = await part.toBuffer();
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new AppError(
            'payload_too_large',
            `Evidence files are limited to ${EVIDENCE_MAX_BYTES / 1024 / 1024} MiB`,
          );
        }
        throw e;
      }
      const d = part.fields.description;
      const description = d && !Array.isArray(d) && d.type === 'field' ? String(d.value).slice(0, 5000) : '';
      const ev = await svc.uploadEvidence(ctx, req.params.orgId, req.params.incidentId, {
        fileName: part.filename,
        content,
        description,
      });
      return reply.status(201).send(ev);
    },
  );
  app.get(
    `${base}/evidence/:evidenceId/content`,
    {
      schema: {
        tags,
        summary: 'Download an evidence file (recorded in its chain of custody)',
        params: EvidenceParams,
      },
      config: read,
    },
    async (req, reply) => {
      const { meta, content } = await svc.downloadEvidence(
        ctxOf(req),
        req.params.orgId,
        req.params.incidentId,
        req.params.evidenceId,
      );
      return reply
        .type(meta.contentType)
        .header('content-disposition', `attachment; filename="${meta.fileName.replace(/["\\\r\n]/g, '_')}"`)
        .header('x-content-sha256', meta.sha256)
        .send(content);
    },
  );
  app.get(
    `${base}/evidence/:evidenceId/custody`,
    {
      schema: {
        tags,
        summary: 'Chain of custody of an evidence file',
        params: EvidenceParams,
        response: { 200: z.object({ evidence: Evidence, items: z.array(CustodyEvent) }) },
      },
      config: read,
    },
    async (req) => svc.custody(ctxOf(req), req.params.orgId, req.params.incidentId, req.params.evidenceId),
  );
  app.post(
    `${base}/evidence/:evidenceId/transfers`,
    {
      schema: {
        tags,
        summary: 'Hand an evidence file to another custodian',
        params: EvidenceParams,
        body: TransferEvidence,
        response: { 200: Evidence },
      },
      config: write,
    },
    async (req) =>
      svc.transferEvidence(
        ctxOf(req),
        req.params.orgId,
        req.params.incidentId,
        req.params.evidenceId,
        req.body,
      ),
  );

  app.get(
    `${base}/communications`,
    {
      schema: {
        tags,
        params: IncidentParams,
        querystring: PageQuery,
        response: { 200: page(Communication) },
      },
      config: read,
    },
    async (req) =>
      svc.communications(
        ctxOf(req),
        req.params.orgId,
        req.params.incidentId,
        req.query.q,
        req.query.limit,
        req.query.offset,
      ),
  );
  app.post(
    `${base}/communications`,
    {
      schema: { tags, params: IncidentParams, body: CreateCommunication, response: { 201: Communication } },
      config: write,
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await svc.addCommunication(ctxOf(req), req.params.orgId, req.params.incidentId, req.body)),
  );
}
