import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../http/ctx.js';
import { OrgParams } from '../orgs/orgs.schemas.js';
import { feedsService } from './intel.feeds.js';
import {
  AddCommunityMember,
  Community,
  CommunityMember,
  CommunityMemberParams,
  CommunitySettings,
  CreateFeed,
  CreateShare,
  ExportQuery,
  Feed,
  FeedParams,
  FeedRunPage,
  FeedRunQuery,
  Graph,
  GraphQuery,
  ImportQuery,
  ImportReport,
  ObjectDetail,
  ObjectPage,
  ObjectParams,
  ObjectQuery,
  Share,
  ShareParams,
  UpdateFeed,
  VersionList,
} from './intel.schemas.js';
import { communitiesService, intelService } from './intel.service.js';

const tags = ['intel'];

export async function intelRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/orgs/:orgId/intel/objects',
    {
      schema: {
        tags,
        summary: 'Latest versions of the STIX objects this organization may see under TLP',
        params: OrgParams,
        querystring: ObjectQuery,
        response: { 200: ObjectPage },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => {
      const { limit, offset, ...filter } = req.query;
      return intelService.list(ctxOf(req), req.params.orgId, filter, limit, offset);
    },
  );

  app.get(
    '/orgs/:orgId/intel/bundle',
    {
      schema: {
        tags,
        summary: 'A STIX bundle of the visible objects matching the filters',
        description:
          'At most `limit` objects (default 10,000), oldest added first. The response says whether the bundle ' +
          'was cut at that limit: `X-Citywall-Truncated` is `true` when more objects match (narrow the filters, ' +
          'e.g. with `addedAfter`, or raise `limit`), `false` otherwise; `X-Citywall-Limit` repeats the limit.',
        params: OrgParams,
        querystring: ExportQuery,
        response: {
          200: z.object({ type: z.literal('bundle'), id: z.string(), objects: z.array(z.unknown()) }),
        },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req, reply) => {
      const { limit, ...filter } = req.query;
      const ctx = ctxOf(req);
      const bundle = await intelService.exportBundle(ctx, req.params.orgId, filter, limit);
      const truncated =
        bundle.objects.length >= limit &&
        (await intelService.exportExceeds(ctx, req.params.orgId, filter, limit));
      reply.header('x-citywall-truncated', String(truncated)).header('x-citywall-limit', String(limit));
      return bundle;
    },
  );

  app.get(
    '/orgs/:orgId/intel/objects/:stixId',
    {
      schema: { tags, params: ObjectParams, response: { 200: ObjectDetail } },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => intelService.get(ctxOf(req), req.params.orgId, req.params.stixId),
  );

  app.get(
    '/orgs/:orgId/intel/objects/:stixId/versions',
    {
      schema: { tags, params: ObjectParams, response: { 200: VersionList } },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => intelService.versions(ctxOf(req), req.params.orgId, req.params.stixId),
  );

  app.get(
    '/orgs/:orgId/intel/objects/:stixId/graph',
    {
      schema: {
        tags,
        summary: 'Objects within N hops over relationships and sightings',
        params: ObjectParams,
        querystring: GraphQuery,
        response: { 200: Graph },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) =>
      intelService.graph(ctxOf(req), req.params.orgId, req.params.stixId, req.query.depth, req.query.limit),
  );

  app.post(
    '/orgs/:orgId/intel/objects/:stixId/shares',
    {
      schema: {
        tags,
        params: ObjectParams,
        body: CreateShare,
        response: { 201: z.object({ items: z.array(Share) }) },
      },
      config: { authz: { permission: 'data.analyze' } },
    },
    async (req, reply) =>
      reply.status(201).send({
        items: await intelService.share(
          ctxOf(req),
          req.params.orgId,
          req.params.stixId,
          req.body.targetOrgId,
        ),
      }),
  );

  app.delete(
    '/orgs/:orgId/intel/objects/:stixId/shares/:targetOrgId',
    {
      schema: { tags, params: ShareParams, response: { 204: z.null() } },
      config: { authz: { permission: 'data.analyze' } },
    },
    async (req, reply) => {
      await intelService.unshare(ctxOf(req), req.params.orgId, req.params.stixId, req.params.targetOrgId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/orgs/:orgId/communities',
    {
      schema: {
        tags: ['communities'],
        summary: 'Communities this organization is a member of',
        params: OrgParams,
        response: { 200: z.object({ items: z.array(Community) }) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => communitiesService.communitiesOf(ctxOf(req), req.params.orgId),
  );

  app.get(
    '/orgs/:orgId/community-settings',
    {
      schema: {
        tags: ['communities'],
        summary: "A community's settings (defaultTlp null for an organization that is not a community)",
        params: OrgParams,
        response: { 200: z.object({ defaultTlp: CommunitySettings.shape.defaultTlp.nullable() }) },
      },
      config: { authz: { permission: 'org.read' } },
    },
    async (req) => communitiesService.settings(ctxOf(req), req.params.orgId),
  );

  app.patch(
    '/orgs/:orgId/community-settings',
    {
      schema: {
        tags: ['communities'],
        summary: "Changes a community's settings",
        params: OrgParams,
        body: CommunitySettings,
        response: { 200: CommunitySettings },
      },
      config: { authz: { permission: 'org.manage' } },
    },
    async (req) => communitiesService.updateSettings(ctxOf(req), req.params.orgId, req.body),
  );

  app.get(
    '/orgs/:orgId/community-members',
    {
      schema: {
        tags: ['communities'],
        summary: 'Member organizations of a community',
        params: OrgParams,
        response: { 200: z.object({ items: z.array(CommunityMember) }) },
      },
      config: { authz: { permission: 'org.read' } },
    },
    async (req) => communitiesService.members(ctxOf(req), req.params.orgId),
  );

  app.post(
    '/orgs/:orgId/community-members',
    {
      schema: {
        tags: ['communities'],
        params: OrgParams,
        body: AddCommunityMember,
        response: { 201: CommunityMember },
      },
      config: { authz: { permission: 'org.manage' } },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await communitiesService.addMember(ctxOf(req), req.params.orgId, req.body.memberOrgId)),
  );

  app.delete(
    '/orgs/:orgId/community-members/:memberOrgId',
    {
      schema: { tags: ['communities'], params: CommunityMemberParams, response: { 204: z.null() } },
      config: { authz: { permission: 'org.manage' } },
    },
    async (req, reply) => {
      await communitiesService.removeMember(ctxOf(req), req.params.orgId, req.params.memberOrgId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/orgs/:orgId/intel/feeds',
    {
      schema: {
        tags,
        summary: 'Remote TAXII collections this organization pulls from or pushes to',
        params: OrgParams,
        response: { 200: z.object({ items: z.array(Feed) }) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => feedsService.list(ctxOf(req), req.params.orgId),
  );

  app.post(
    '/orgs/:orgId/intel/feeds',
    {
      schema: {
        tags,
        summary: 'Add a feed: pull from a remote collection, or push own objects up to a maximum TLP',
        params: OrgParams,
        body: CreateFeed,
        response: { 201: Feed },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await feedsService.create(ctxOf(req), req.params.orgId, req.body, app.citywall.config.outbound),
        ),
  );

  app.patch(
    '/orgs/:orgId/intel/feeds/:feedId',
    {
      schema: {
        tags,
        summary: 'Change a feed (a new maximum TLP sends again, from the start, what it now allows)',
        params: FeedParams,
        body: UpdateFeed,
        response: { 200: Feed },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) =>
      feedsService.update(
        ctxOf(req),
        req.params.orgId,
        req.params.feedId,
        req.body,
        app.citywall.config.outbound,
      ),
  );

  app.get(
    '/orgs/:orgId/intel/feeds/:feedId/runs',
    {
      schema: {
        tags,
        summary: 'Run history of a feed, newest first',
        params: FeedParams,
        querystring: FeedRunQuery,
        response: { 200: FeedRunPage },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) =>
      feedsService.runs(ctxOf(req), req.params.orgId, req.params.feedId, req.query.limit, req.query.offset),
  );

  app.delete(
    '/orgs/:orgId/intel/feeds/:feedId',
    {
      schema: { tags, params: FeedParams, response: { 204: z.null() } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) => {
      await feedsService.remove(ctxOf(req), req.params.orgId, req.params.feedId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/orgs/:orgId/intel/feeds/:feedId/run',
    {
      schema: {
        tags,
        summary: 'Queue a run of the feed now (a pull or a push)',
        params: FeedParams,
        response: { 202: z.object({ jobId: z.number().int() }) },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) =>
      reply.status(202).send(await feedsService.runNow(ctxOf(req), req.params.orgId, req.params.feedId)),
  );

  // The bundle arrives as a raw stream: no body parser may buffer it, whatever its declared type.
  await app.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    child.withTypeProvider<ZodTypeProvider>().post(
      '/orgs/:orgId/intel/bundles',
      {
        schema: {
          tags,
          summary: 'Import a STIX 2.1 bundle (streamed); ?atomic=true imports all or nothing',
          params: OrgParams,
          querystring: ImportQuery,
          response: { 200: ImportReport },
        },
        config: { authz: { permission: 'data.write' } },
      },
      async (req) =>
        intelService.importBundle(ctxOf(req), req.params.orgId, req.body as Readable, {
          atomic: req.query.atomic,
          tlp: req.query.tlp,
        }),
    );
  });
}
