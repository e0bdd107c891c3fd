import { z } from 'zod';
import { TLP_LEVELS } from '../../../core/stix/index.js';
import { Timestamp } from '../../http/types.js';

export const TlpLevel = z.enum(TLP_LEVELS as unknown as ['clear', 'green', 'amber', 'amber+strict', 'red']);

const stixId = z
  .string()
  .max(300)
  .regex(/^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F-]{36}$/, 'a STIX id: <type>--<UUID>');

export const ObjectParams = z.strictObject({ orgId: z.uuid(), stixId });
export const ShareParams = z.strictObject({ orgId: z.uuid(), stixId, targetOrgId: z.uuid() });
export const CommunityMemberParams = z.strictObject({ orgId: z.uuid(), memberOrgId: z.uuid() });

const csv = z
  .string()
  .max(1000)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

export const ObjectQuery = z.strictObject({
  q: z.string().max(200).optional(),
  type: csv.optional(),
  tlp: csv.pipe(z.array(TlpLevel)).optional(),
  label: z.string().max(200).optional(),
  createdByRef: stixId.optional(),
  addedAfter: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  includeRevoked: z
    .enum(['true', 'false'])
    .transform((s) => s === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ExportQuery = ObjectQuery.omit({ limit: true, offset: true }).extend({
  limit: z.coerce.number().int().min(1).max(50_000).default(10_000),
});

export const ObjectSummary = z.object({
  stixId: z.string(),
  type: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  tlp: TlpLevel,
  labels: z.array(z.string()),
  createdByRef: z.string().nullable(),
  modified: Timestamp.nullable(),
  revoked: z.boolean(),
  dateAdded: Timestamp,
  ownerOrgId: z.uuid(),
  ownerOrgName: z.string(),
});

export const ObjectPage = z.object({
  items: z.array(ObjectSummary),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const VersionInfo = z.object({
  version: z.string(),
  modified: Timestamp.nullable(),
  revoked: z.boolean(),
  tlp: TlpLevel,
  dateAdded: Timestamp,
});

export const Share = z.object({
  targetOrgId: z.uuid(),
  targetName: z.string(),
  targetKind: z.string(),
  createdAt: Timestamp,
});

export const ObjectDetail = z.object({
  stixId: z.string(),
  type: z.string(),
  tlp: TlpLevel,
  revoked: z.boolean(),
  ownerOrgId: z.uuid(),
  ownerOrgName: z.string(),
  owned: z.boolean(),
  dateAdded: Timestamp,
  object: z.record(z.string(), z.unknown()),
  versions: z.array(VersionInfo),
  /** Only the owner sees where its object went. */
  shares: z.array(Share),
});

export const VersionList = z.object({
  items: z.array(VersionInfo.extend({ object: z.record(z.string(), z.unknown()) })),
});

export const GraphQuery = z.strictObject({
  depth: z.coerce.number().int().min(1).max(3).default(2),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});

export const Graph = z.object({
  root: z.string(),
  depth: z.number().int(),
  truncated: z.boolean(),
  nodes: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      name: z.string().nullable(),
      tlp: TlpLevel,
      hops: z.number().int(),
    }),
  ),
  edges: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      relationshipType: z.string().nullable(),
      source: z.string(),
      target: z.string(),
    }),
  ),
});

export const ImportQuery = z.strictObject({
  atomic: z
    .enum(['true', 'false'])
    .transform((s) => s === 'true')
    .optional(),
  tlp: TlpLevel.optional(),
});

export const ImportFailure = z.object({
  index: z.number().int(),
  id: z.string().nullable(),
  /** The object's `modified`, else its `created`, when it has one. */
  version: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), rule: z.string(), message: z.string() })),
});

/** A remark on an object that was accepted: stored (or already present) as it is, with something to know. */
export const ImportWarning = z.object({
  index: z.number().int(),
  id: z.string(),
  path: z.string(),
  rule: z.string(),
  message: z.string(),
});

/** What the lenient validation changed to read an object written in STIX 2.0 as STIX 2.1. */
export const ImportUpgrade = z.object({
  index: z.number().int(),
  id: z.string(),
  changes: z.array(
    z.object({
      path: z.string(),
      action: z.enum(['added', 'removed', 'renamed', 'converted', 'note']),
      message: z.string(),
    }),
  ),
});

export const ImportReport = z.object({
  total: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  failed: z.number().int(),
  failures: z.array(ImportFailure),
  /** Failures beyond the first thousand are counted, not listed. */
  failuresTruncated: z.boolean(),
  /** Remarks on accepted objects (an unknown type, an older version kept as history…), in bundle order. */
  warned: z.number().int(),
  warnings: z.array(ImportWarning),
  /** Warnings beyond the first thousand are counted, not listed. */
  warningsTruncated: z.boolean(),
  /** Objects upgraded from STIX 2.0, with what changed in each (the first thousand are listed). */
  upgraded: z.number().int(),
  upgrades: z.array(ImportUpgrade),
  upgradesTruncated: z.boolean(),
  atomic: z.boolean(),
  elapsedMs: z.number(),
});

export const CreateShare = z.strictObject({ targetOrgId: z.uuid() });

export const Community = z.object({ id: z.uuid(), name: z.string(), slug: z.string(), defaultTlp: TlpLevel });
export const CommunitySettings = z.strictObject({
  // Within the community: not CLEAR (every signed-in reader of the instance), and not RED (named organizations
  // only). A member marks an object CLEAR explicitly when it is meant for everyone.
  defaultTlp: z
    .enum(['green', 'amber', 'amber+strict'])
    .describe(
      'The level of objects published to the community without a TLP marking: GREEN, AMBER or AMBER+STRICT',
    ),
});
export const CommunityMember = z.object({
  orgId: z.uuid(),
  name: z.string(),
  slug: z.string(),
  kind: z.string(),
  createdAt: Timestamp,
});
export const AddCommunityMember = z.strictObject({ memberOrgId: z.uuid() });

export const FeedParams = z.strictObject({ orgId: z.uuid(), feedId: z.uuid() });
/** The most restrictive TLP a push feed may send: TLP:RED never leaves its owner by a feed. */
export const PUSH_TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict'] as const;
export const PushMaxTlp = z.enum(PUSH_TLP_LEVELS, {
  error: 'one of clear, green, amber, amber+strict (TLP:RED is never pushed)',
});
export const FeedDirection = z.enum(['pull', 'push']);

const feedName = z.string().trim().min(1).max(200);
const feedApiRoot = z.url({ protocol: /^https?$/ }).max(2000);
const feedCollection = z.string().min(1).max(200);

export const CreateFeed = z
  .strictObject({
    name: feedName,
    apiRoot: feedApiRoot,
    collectionId: feedCollection,
    token: z.string().min(1).max(500).optional(),
    /** `pull` (the default) imports from the remote collection; `push` sends the organization's own objects. */
    direction: FeedDirection.default('pull'),
    /** Push only: the most restrictive TLP sent (default TLP:GREEN). */
    maxTlp: PushMaxTlp.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.direction === 'pull' && f.maxTlp !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['maxTlp'], message: 'only a push feed has a maximum TLP' });
    }
  });

export const UpdateFeed = z.strictObject({
  name: feedName.optional(),
  apiRoot: feedApiRoot.optional(),
  collectionId: feedCollection.optional(),
  /** A new token, or null to remove it. */
  token: z.string().min(1).max(500).nullable().optional(),
  maxTlp: PushMaxTlp.optional(),
});

export const Feed = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  name: z.string(),
  apiRoot: z.string(),
  collectionId: z.string(),
  direction: FeedDirection,
  maxTlp: PushMaxTlp.nullable(),
  hasToken: z.boolean(),
  addedAfter: z.string().nullable(),
  pushCursor: z.object({ dateAdded: z.string(), stixId: z.string(), version: z.string() }).nullable(),
  lastRunAt: Timestamp.nullable(),
  lastStatus: z.string().nullable(),
  lastMessage: z.string().nullable(),
  createdAt: Timestamp,
});

export const FeedRunQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const FeedRun = z.object({
  id: z.uuid(),
  feedId: z.uuid(),
  direction: FeedDirection,
  startedAt: Timestamp,
  finishedAt: Timestamp,
  status: z.enum(['ok', 'failed']),
  /** Pull: objects received; push: objects sent. */
  objects: z.number().int(),
  /** Pull: objects stored; push: objects the remote accepted. */
  succeeded: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  /** Push: object versions held back because their TLP is above the feed's maximum. */
  withheld: z.number().int(),
  pages: z.number().int(),
  message: z.string().nullable(),
  failures: z.array(z.object({ id: z.string(), version: z.string(), message: z.string() })),
});

export const FeedRunPage = z.object({
  items: z.array(FeedRun),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
