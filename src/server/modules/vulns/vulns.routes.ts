import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctxOf } from '../../http/ctx.js';
import { smtpMailer } from '../../mail.js';
import { cpeSuggestService } from './vulns.cpe.js';
import { INGESTERS } from './vulns.ingest.js';
import { vulnNotifyService } from './vulns.notify.js';
import {
  Advisory,
  AdvisoryQuery,
  BulkStatus,
  BulkStatusResult,
  ByServiceOut,
  CpeSuggestions,
  CpeSuggestQuery,
  CvePage,
  CveParams,
  DigestResult,
  DuePolicyIn,
  DuePolicyOut,
  FeedParams,
  FeedRun,
  FeedRunQuery,
  Finding,
  FindingDetail,
  FindingParams,
  FindingQuery,
  NotificationsIn,
  NotificationsOut,
  OrgParams,
  page,
  RematchResult,
  TrendQuery,
  TrendsOut,
  UpdateFindingStatus,
} from './vulns.schemas.js';
import { vulnsService } from './vulns.service.js';

const tags = ['vulns'];
const read = { authz: { permission: 'data.read' as const } };
const write = { authz: { permission: 'data.write' as const } };
const admin = { authz: { instanceAdmin: true } };

export async function vulnsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const base = '/orgs/:orgId';

  app.get(
    `${base}/findings`,
    {
      schema: {
        tags,
        summary: 'Findings: CVEs that apply to the organization’s systems, most urgent first',
        params: OrgParams,
        querystring: FindingQuery,
        response: { 200: page(Finding) },
      },
      config: read,
    },
    async (req) => {
      const { limit, offset, kev, ...f } = req.query;
      return vulnsService.listFindings(
        ctxOf(req),
        req.params.orgId,
        { ...f, ...(kev ? { kev: kev === 'true' } : {}) },
        limit,
        offset,
      );
    },
  );
  app.get(
    `${base}/findings/by-service`,
    {
      schema: {
        tags,
        summary:
          'Open findings by the services that depend on each system (a finding counts under every such service)',
        params: OrgParams,
        response: { 200: ByServiceOut },
      },
      config: read,
    },
    async (req) => vulnsService.findingsByService(ctxOf(req), req.params.orgId),
  );
  app.get(
    `${base}/findings/trends`,
    {
      schema: {
        tags,
        summary: 'Open findings by SSVC decision per day, from daily snapshots (the last `days` days)',
        params: OrgParams,
        querystring: TrendQuery,
        response: { 200: TrendsOut },
      },
      config: read,
    },
    async (req) => vulnsService.trends(ctxOf(req), req.params.orgId, req.query.days),
  );
  app.post(
    `${base}/findings/bulk-status`,
    {
      schema: {
        tags,
        summary:
          'Triage several findings at once: all or none (an id not of this organization fails the request)',
        params: OrgParams,
        body: BulkStatus,
        response: { 200: BulkStatusResult },
      },
      config: write,
    },
    async (req) => vulnsService.bulkSetStatus(ctxOf(req), req.params.orgId, req.body),
  );
  app.get(
    `${base}/findings/:findingId`,
    {
      schema: {
        tags,
        summary: 'One finding with its match trace and SSVC inputs',
        params: FindingParams,
        response: { 200: FindingDetail },
      },
      config: read,
    },
    async (req) => vulnsService.getFinding(ctxOf(req), req.params.orgId, req.params.findingId),
  );
  app.patch(
    `${base}/findings/:findingId`,
    {
      schema: {
        tags,
        summary: 'Triage: change a finding’s status (risk_accepted needs data.analyze and an expiry)',
        params: FindingParams,
        body: UpdateFindingStatus,
        response: { 200: FindingDetail },
      },
      config: write,
    },
    async (req) => vulnsService.setStatus(ctxOf(req), req.params.orgId, req.params.findingId, req.body),
  );
  app.post(
    `${base}/findings/rematch`,
    {
      schema: {
        tags,
        summary: 'Match the organization’s systems against every ingested CVE',
        params: OrgParams,
        response: { 200: RematchResult },
      },
      config: write,
    },
    async (req) => vulnsService.rematch(ctxOf(req), req.params.orgId),
  );
  app.get(
    `${base}/cves/:cveId`,
    {
      schema: {
        tags,
        summary: 'A CVE: NVD, KEV and EPSS data, and this organization’s findings for it',
        params: CveParams,
        response: { 200: CvePage },
      },
      config: read,
    },
    async (req) => vulnsService.getCve(ctxOf(req), req.params.orgId, req.params.cveId),
  );
  app.get(
    `${base}/vulns/cpe-suggestions`,
    {
      schema: {
        tags,
        summary:
          'CPE names for a system from its vendor / product text, from the names in the ingested NVD data',
        params: OrgParams,
        querystring: CpeSuggestQuery,
        response: { 200: CpeSuggestions },
      },
      config: read,
    },
    async (req) => cpeSuggestService.suggest(ctxOf(req), req.params.orgId, req.query),
  );
  app.get(
    `${base}/vulns/policy`,
    {
      schema: {
        tags,
        summary: 'Days to the due date per SSVC decision (KEV due dates win when earlier)',
        params: OrgParams,
        response: { 200: DuePolicyOut },
      },
      config: read,
    },
    async (req) => vulnsService.getPolicy(ctxOf(req), req.params.orgId),
  );
  app.put(
    `${base}/vulns/policy`,
    {
      schema: {
        tags,
        summary: 'Set the due-date policy (null: the defaults); due dates are recomputed at once',
        params: OrgParams,
        body: DuePolicyIn,
        response: { 200: DuePolicyOut },
      },
      config: { authz: { permission: 'data.admin' as const } },
    },
    async (req) => vulnsService.setPolicy(ctxOf(req), req.params.orgId, req.body.dueDays),
  );
  app.get(
    `${base}/vulns/advisories`,
    {
      schema: {
        tags,
        summary: 'CSAF advisories kept (search by title, tracking id or CVE), newest first',
        params: OrgParams,
        querystring: AdvisoryQuery,
        response: { 200: page(Advisory) },
      },
      config: read,
    },
    async (req) =>
      vulnsService.listAdvisories(
        ctxOf(req),
        req.params.orgId,
        req.query.q,
        req.query.limit,
        req.query.offset,
      ),
  );
  app.get(
    `${base}/vulns/notifications`,
    {
      schema: {
        tags,
        summary: 'Who hears about new KEV hits and overdue findings (system owners, recipients, webhooks)',
        params: OrgParams,
        response: { 200: NotificationsOut },
      },
      config: read,
    },
    async (req) => vulnNotifyService.get(ctxOf(req), req.params.orgId),
  );
  app.put(
    `${base}/vulns/notifications`,
    {
      schema: {
        tags,
        summary:
          'Set recipients and webhooks (each webhook signs its requests with its secret: X-Citywall-Signature)',
        params: OrgParams,
        body: NotificationsIn,
        response: { 200: NotificationsOut },
      },
      config: { authz: { permission: 'data.admin' as const } },
    },
    async (req) =>
      vulnNotifyService.set(ctxOf(req), req.params.orgId, fastify.citywall.config.outbound, req.body),
  );
  app.post(
    `${base}/vulns/notifications/send`,
    {
      schema: {
        tags,
        summary: 'Send the digest now: what is new since the last one (otherwise sent daily)',
        params: OrgParams,
        response: { 200: DigestResult },
      },
      config: { authz: { permission: 'data.admin' as const } },
    },
    async (req) =>
      vulnNotifyService.sendNow(ctxOf(req), req.params.orgId, smtpMailer(fastify.citywall.config)),
  );
  app.get(
    '/vulns/feed-runs',
    {
      schema: {
        tags,
        summary: 'Feed runs, newest first (instance administrators)',
        querystring: FeedRunQuery,
        response: { 200: page(FeedRun) },
      },
      config: admin,
    },
    async (req) => vulnsService.listFeedRuns(ctxOf(req), req.query.limit, req.query.offset),
  );

  // Feed files arrive as raw streams (JSON, CSV or gzip): no body parser may buffer them.
  await app.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    child.withTypeProvider<ZodTypeProvider>().post(
      '/vulns/feeds/:feed',
      {
        schema: {
          tags,
          summary:
            'Ingest a feed file: nvd (CVE API 2.0 JSON), kev (catalog JSON), epss (CSV), csaf (one CSAF 2.0 advisory); gzip accepted',
          params: FeedParams,
          response: { 200: FeedRun },
        },
        config: admin,
        bodyLimit: 1024 * 1024 * 1024,
      },
      async (req) =>
        INGESTERS[req.params.feed](ctxOf(req), req.body as Readable, `upload:${req.params.feed}`),
    );
  });
}
