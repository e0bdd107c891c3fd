import { z } from 'zod';
import { FEED_NAMES, FINDING_STATUSES, SSVC_DECISIONS } from '../../db/schema/vulns.js';
import { Timestamp } from '../../http/types.js';

export { OrgParams, page } from '../orgs/orgs.schemas.js';

const Json = z.record(z.string(), z.unknown());

export const FindingQuery = z.strictObject({
  q: z.string().max(200).optional(),
  status: z.enum(FINDING_STATUSES).optional(),
  ssvc: z.enum(SSVC_DECISIONS).optional(),
  kev: z.enum(['true', 'false']).optional(),
  systemId: z.uuid().optional(),
  /** Only findings of systems this service depends on (directly or through other systems). */
  serviceId: z.uuid().optional(),
  /** Only findings first seen at or after this instant (e.g. seven days ago: "new this week"). */
  since: Timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const Counts = z.object({
  open: z.number().int(),
  Act: z.number().int(),
  Attend: z.number().int(),
  'Track*': z.number().int(),
  Track: z.number().int(),
  kev: z.number().int(),
  overdue: z.number().int(),
});
export const ServiceFindings = z.object({
  /** null: systems no service depends on. */
  service: z
    .object({ id: z.uuid(), name: z.string(), criticalityTier: z.number().int().nullable() })
    .nullable(),
  systems: z.number().int(),
  /** Open and in-progress findings of the systems the service depends on. */
  counts: Counts,
});
export const ByServiceOut = z.object({ items: z.array(ServiceFindings) });

export const BulkStatus = z.strictObject({
  ids: z
    .array(z.uuid())
    .min(1)
    .max(500)
    .refine((ids) => new Set(ids).size === ids.length, 'each finding only once'),
  status: z.enum(FINDING_STATUSES),
  note: z.string().trim().max(2000).optional(),
  acceptedUntil: Timestamp.optional(),
});
export const BulkStatusResult = z.object({ updated: z.number().int() });

export const Finding = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  systemId: z.uuid(),
  systemName: z.string(),
  cveId: z.string(),
  summary: z.string(),
  status: z.enum(FINDING_STATUSES),
  statusNote: z.string(),
  confidence: z.string(),
  ssvcDecision: z.string(),
  inKev: z.boolean(),
  dueDate: z.string().nullable(),
  cvssScore: z.number().nullable(),
  cvssVector: z.string().nullable(),
  epss: z.number().nullable(),
  epssPercentile: z.number().nullable(),
  acceptedBy: z.uuid().nullable(),
  acceptedUntil: Timestamp.nullable(),
  firstSeen: Timestamp,
  updatedAt: Timestamp,
});

export const Kev = z.object({
  cveId: z.string(),
  vendorProject: z.string(),
  product: z.string(),
  name: z.string(),
  dateAdded: z.string(),
  dueDate: z.string(),
  requiredAction: z.string(),
  ransomwareUse: z.string(),
  catalogVersion: z.string(),
  firstSeenVersion: z.string(),
});

export const FindingDetail = Finding.extend({ trace: Json, ssvcInputs: Json, kev: Kev.nullable() });

export const UpdateFindingStatus = z.strictObject({
  status: z.enum(FINDING_STATUSES),
  note: z.string().trim().max(2000).optional(),
  acceptedUntil: Timestamp.optional(),
});

export const RematchResult = z.object({
  systems: z.number().int(),
  candidates: z.number().int(),
  matched: z.number().int(),
  new: z.number().int(),
  updated: z.number().int(),
  reopened: z.number().int(),
  closed: z.number().int(),
  fromAdvisories: z.number().int(),
  notAffected: z.number().int(),
});

const Days = z.number().int().min(0).max(3650).nullable();
export const DuePolicyIn = z.strictObject({
  /** Days from first sight to the due date per SSVC decision (null: none); null resets to the defaults. */
  dueDays: z.strictObject({ Act: Days, Attend: Days, 'Track*': Days, Track: Days }).nullable(),
});
export const DuePolicyOut = z.object({
  dueDays: z.object({ Act: Days, Attend: Days, 'Track*': Days, Track: Days }),
  source: z.enum(['own', 'default']),
});
export const AdvisoryQuery = z.strictObject({
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const Advisory = z.object({
  id: z.uuid(),
  publisher: z.string(),
  trackingId: z.string(),
  version: z.string(),
  category: z.string(),
  title: z.string(),
  releaseDate: Timestamp,
  cves: z.array(z.string()),
});

export const CvePage = z.object({
  cve: z.object({
    id: z.string(),
    summary: z.string(),
    published: Timestamp.nullable(),
    lastModified: Timestamp.nullable(),
    status: z.string(),
    rejected: z.boolean(),
    cvss: z.array(Json),
    cvssScore: z.number().nullable(),
    cvssVector: z.string().nullable(),
    cwes: z.array(z.string()),
    configurations: z.array(Json),
  }),
  kev: Kev.nullable(),
  epss: z.array(z.object({ date: z.string(), score: z.number(), percentile: z.number() })),
  findings: z.array(Finding),
});

export const FeedRun = z.object({
  id: z.uuid(),
  feed: z.enum(FEED_NAMES),
  source: z.string(),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  status: z.enum(['running', 'succeeded', 'failed']),
  counts: z.record(z.string(), z.number()),
  added: z.array(z.string()),
  errors: z.array(z.string()),
  error: z.string().nullable(),
});

export const FeedParams = z.strictObject({ feed: z.enum(FEED_NAMES) });
export const CveParams = z.strictObject({ orgId: z.uuid(), cveId: z.string().regex(/^CVE-\d{4}-\d{4,19}$/) });
export const FindingParams = z.strictObject({ orgId: z.uuid(), findingId: z.uuid() });
export const FeedRunQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const NotificationsIn = z.strictObject({
  enabled: z.boolean(),
  recipients: z.array(z.email()).max(50),
  webhooks: z
    .array(
      z.strictObject({
        /** Keeps the stored secret of an existing webhook when no new secret is given. */
        id: z.uuid().optional(),
        url: z.url({ protocol: /^https?$/ }).max(2000),
        secret: z.string().min(16).max(200).optional(),
      }),
    )
    .max(5),
});
export const NotificationsOut = z.object({
  enabled: z.boolean(),
  recipients: z.array(z.string()),
  webhooks: z.array(z.object({ id: z.uuid(), url: z.string() })),
  lastSentAt: Timestamp.nullable(),
});
export const DigestResult = z.object({
  items: z.number().int(),
  emails: z.number().int(),
  webhooks: z.array(
    z.object({ url: z.string(), status: z.number().int().nullable(), error: z.string().optional() }),
  ),
  errors: z.array(z.string()).optional(),
  skipped: z.string().optional(),
});

/** Without a vendor or a product there is nothing to go by: the answer has no items. */
export const CpeSuggestQuery = z.strictObject({
  vendor: z.string().trim().max(200).optional(),
  product: z.string().trim().max(200).optional(),
  version: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export const CpeSuggestions = z.object({
  items: z.array(
    z.object({
      /** A complete CPE 2.3 name: the suggested vendor and product with the system's version. */
      cpe: z.string(),
      part: z.enum(['a', 'o', 'h']),
      vendor: z.string(),
      product: z.string(),
      score: z.number(),
      reasons: z.array(z.string()),
    }),
  ),
  /** How many vendor:product pairs the ingested NVD data names. */
  dictionarySize: z.number().int(),
});

export const TrendQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(730).default(90) });
export const TrendsOut = z.object({
  /** The first day asked for; days without a snapshot have no point. */
  from: z.string(),
  items: z.array(
    z.object({
      day: z.string(),
      open: z.number().int(),
      Act: z.number().int(),
      Attend: z.number().int(),
      'Track*': z.number().int(),
      Track: z.number().int(),
      kev: z.number().int(),
    }),
  ),
});
