import { z } from 'zod';
import { NICE_COMPETENCY_AREAS, niceWorkRole } from '../../../core/workforce/index.js';
import { AUDIENCE_KINDS, RECURRENCES } from '../../db/schema/workforce.js';
import { Timestamp } from '../../http/types.js';

export { ListQuery, OrgParams, page } from '../orgs/orgs.schemas.js';

const COMPETENCY_IDS = new Set(NICE_COMPETENCY_AREAS.map((c) => c.id));

export const WorkRoleId = z
  .string()
  .refine((id) => niceWorkRole(id) !== undefined, { message: 'not a NICE Framework 2.0 work role id' });
export const CompetencyId = z
  .string()
  .refine((id) => COMPETENCY_IDS.has(id), { message: 'not a NICE Framework competency area id' });

export const Person = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  departmentOrgId: z.uuid().nullable(),
  departmentName: z.string().nullable(),
  userName: z.string(),
  externalId: z.string().nullable(),
  email: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  displayName: z.string(),
  jobTitle: z.string(),
  managerId: z.uuid().nullable(),
  workRoleIds: z.array(z.string()),
  competencyIds: z.array(z.string()),
  otStaff: z.boolean(),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const text = (max: number) => z.string().trim().max(max);

export const CreatePerson = z.strictObject({
  userName: z.string().trim().min(1).max(254),
  externalId: text(200).nullable().default(null),
  email: z.union([z.email().max(254), z.literal('')]).default(''),
  givenName: text(200).default(''),
  familyName: text(200).default(''),
  displayName: text(200).min(1),
  jobTitle: text(200).default(''),
  departmentOrgId: z.uuid().nullable().default(null),
  managerId: z.uuid().nullable().default(null),
  workRoleIds: z.array(WorkRoleId).max(20).default([]),
  competencyIds: z.array(CompetencyId).max(20).default([]),
  otStaff: z.boolean().default(false),
  active: z.boolean().default(true),
});

export const UpdatePerson = z.strictObject({
  userName: z.string().trim().min(1).max(254).optional(),
  externalId: text(200).nullable().optional(),
  email: z.union([z.email().max(254), z.literal('')]).optional(),
  givenName: text(200).optional(),
  familyName: text(200).optional(),
  displayName: text(200).min(1).optional(),
  jobTitle: text(200).optional(),
  departmentOrgId: z.uuid().nullable().optional(),
  managerId: z.uuid().nullable().optional(),
  workRoleIds: z.array(WorkRoleId).max(20).optional(),
  competencyIds: z.array(CompetencyId).max(20).optional(),
  otStaff: z.boolean().optional(),
  active: z.boolean().optional(),
});

export const PeopleQuery = z.strictObject({
  q: z.string().max(200).optional(),
  departmentOrgId: z.uuid().optional(),
  active: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const RoleNeedsBody = z.strictObject({
  needs: z.array(z.strictObject({ roleId: WorkRoleId, count: z.number().int().min(0).max(1000) })).max(100),
});

export const RoleCoverage = z.object({
  needs: z.array(z.object({ roleId: z.string(), count: z.number().int() })),
  gaps: z.array(
    z.object({
      roleId: z.string(),
      name: z.string(),
      needed: z.number().int(),
      qualified: z.number().int(),
      assigned: z.number().int(),
      gap: z.number().int(),
    }),
  ),
  totalNeeded: z.number().int(),
  totalAssigned: z.number().int(),
  coverage: z.number().nullable(),
});

export const ImportPeopleBody = z
  .strictObject({
    csv: z.string().max(5_000_000).optional(),
    xlsxBase64: z.string().max(7_000_000).optional(),
    commit: z.boolean().default(false),
  })
  .refine((b) => (b.csv === undefined) !== (b.xlsxBase64 === undefined), {
    message: 'send exactly one of csv or xlsxBase64',
  });

export const ImportPreview = z.object({
  committed: z.boolean(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
  preview: z.array(
    z.object({
      row: z.number().int(),
      userName: z.string(),
      displayName: z.string(),
      department: z.string().nullable(),
      action: z.enum(['create', 'update']),
    }),
  ),
});

export const Training = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  title: z.string(),
  topic: z.string(),
  delivery: z.enum(['internal', 'external']),
  durationMinutes: z.number().int(),
  audienceKind: z.enum(AUDIENCE_KINDS),
  audienceDepartmentOrgId: z.uuid().nullable(),
  audienceRoleId: z.string().nullable(),
  dueAt: Timestamp,
  recurrence: z.enum(RECURRENCES),
  assigned: z.number().int(),
  completed: z.number().int(),
  overdue: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateTraining = z
  .strictObject({
    title: text(300).min(1),
    topic: text(200).default(''),
    delivery: z.enum(['internal', 'external']),
    durationMinutes: z.number().int().min(1).max(100_000),
    audienceKind: z.enum(AUDIENCE_KINDS),
    audienceDepartmentOrgId: z.uuid().nullable().default(null),
    audienceRoleId: WorkRoleId.nullable().default(null),
    dueAt: Timestamp,
    recurrence: z.enum(RECURRENCES).default('none'),
  })
  .superRefine((t, ctx) => {
    if (t.audienceKind === 'department' && !t.audienceDepartmentOrgId)
      ctx.addIssue({
        code: 'custom',
        path: ['audienceDepartmentOrgId'],
        message: 'required for a department',
      });
    if (t.audienceKind === 'role' && !t.audienceRoleId)
      ctx.addIssue({ code: 'custom', path: ['audienceRoleId'], message: 'required for a role audience' });
  });

/** Changes to a training; the audience is checked together with the stored one by the service. */
export const UpdateTraining = z.strictObject({
  title: text(300).min(1).optional(),
  topic: text(200).optional(),
  delivery: z.enum(['internal', 'external']).optional(),
  durationMinutes: z.number().int().min(1).max(100_000).optional(),
  audienceKind: z.enum(AUDIENCE_KINDS).optional(),
  audienceDepartmentOrgId: z.uuid().nullable().optional(),
  audienceRoleId: WorkRoleId.nullable().optional(),
  dueAt: Timestamp.optional(),
  recurrence: z.enum(RECURRENCES).optional(),
});

export const Assignment = z.object({
  id: z.uuid(),
  trainingId: z.uuid(),
  trainingTitle: z.string(),
  personId: z.uuid(),
  personName: z.string(),
  email: z.string(),
  departmentOrgId: z.uuid().nullable(),
  departmentName: z.string().nullable(),
  managerId: z.uuid().nullable(),
  managerName: z.string().nullable(),
  dueAt: Timestamp,
  reason: z.string(),
  completedAt: Timestamp.nullable(),
  completionSource: z.string().nullable(),
});

export const AssignResult = z.object({ created: z.number().int() });

export const CompletionBody = z.strictObject({
  personId: z.uuid().optional(),
  userName: z.string().max(254).optional(),
  completedAt: Timestamp.optional(),
});

export const LmsImportBody = z.strictObject({ csv: z.string().min(1).max(5_000_000) });
export const LmsImportResult = z.object({
  completed: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
});

export const OverdueReport = z.object({
  items: z.array(Assignment),
  byDepartment: z.array(
    z.object({ departmentOrgId: z.uuid().nullable(), name: z.string(), overdue: z.number() }),
  ),
  byManager: z.array(z.object({ managerId: z.uuid().nullable(), name: z.string(), overdue: z.number() })),
});

export const PhishingImportBody = z.strictObject({
  name: z.string().trim().min(1).max(300),
  csv: z.string().min(1).max(20_000_000),
  enrollTrainingId: z.uuid().optional(),
});

export const GophishApiImportBody = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/ }).max(500),
  apiKey: z.string().min(1).max(200),
  campaignId: z.number().int().min(1),
  name: z.string().trim().min(1).max(300).optional(),
  enrollTrainingId: z.uuid().optional(),
});

export const PhishingCampaign = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  name: z.string(),
  source: z.string(),
  launchedAt: Timestamp,
  createdAt: Timestamp,
  recipients: z.number().int(),
  clicked: z.number().int(),
  reported: z.number().int(),
});

const Rates = {
  recipients: z.number().int(),
  opened: z.number().int(),
  clicked: z.number().int(),
  submitted: z.number().int(),
  reported: z.number().int(),
  clickRate: z.number().nullable(),
  reportRate: z.number().nullable(),
  medianMinutesToReport: z.number().nullable(),
};

export const PhishingMetrics = z.object({
  overall: z.object(Rates),
  byDepartment: z.array(z.object({ departmentOrgId: z.uuid().nullable(), name: z.string(), ...Rates })),
  overTime: z.array(z.object({ campaignId: z.uuid(), name: z.string(), launchedAt: Timestamp, ...Rates })),
});

export const PhishingImportResult = z.object({
  campaign: PhishingCampaign,
  unmatched: z.array(z.string()),
  droppedColumns: z.array(z.string()),
  enrolled: z.number().int(),
});

export const AwarenessCampaign = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  title: z.string(),
  audience: z.string(),
  channels: z.array(z.string()),
  startsAt: Timestamp,
  endsAt: Timestamp,
  reach: z.number().int(),
  engagement: z.number().int(),
  materials: z.array(z.object({ title: z.string(), url: z.string() })),
  createdAt: Timestamp,
});

export const CreateAwarenessCampaign = z
  .strictObject({
    title: text(300).min(1),
    audience: text(300).min(1),
    channels: z.array(text(100).min(1)).max(20).default([]),
    startsAt: Timestamp,
    endsAt: Timestamp,
    reach: z.number().int().min(0).default(0),
    engagement: z.number().int().min(0).default(0),
    materials: z
      .array(z.strictObject({ title: text(300).min(1), url: z.url() }))
      .max(50)
      .default([]),
  })
  .refine((c) => c.endsAt >= c.startsAt, { path: ['endsAt'], message: 'must not be before startsAt' });

/** Changes to a public awareness campaign; dates are checked together with the stored ones by the service. */
export const UpdateAwarenessCampaign = z.strictObject({
  title: text(300).min(1).optional(),
  audience: text(300).min(1).optional(),
  channels: z.array(text(100).min(1)).max(20).optional(),
  startsAt: Timestamp.optional(),
  endsAt: Timestamp.optional(),
  reach: z.number().int().min(0).optional(),
  engagement: z.number().int().min(0).optional(),
  materials: z
    .array(z.strictObject({ title: text(300).min(1), url: z.url() }))
    .max(50)
    .optional(),
});

/** An imported campaign's results are what gophish recorded; only its name may change. */
export const UpdatePhishingCampaign = z.strictObject({ name: z.string().trim().min(1).max(300) });

export const Dashboard = z.object({
  people: z.number().int(),
  roleCoverage: z.number().nullable(),
  roleGap: z.number().int(),
  trainingCompletion: z.number().nullable(),
  overdue: z.number().int(),
  byDepartment: z.array(
    z.object({
      departmentOrgId: z.uuid().nullable(),
      name: z.string(),
      people: z.number().int(),
      completion: z.number().nullable(),
      clickRate: z.number().nullable(),
      reportRate: z.number().nullable(),
    }),
  ),
  phishingTrend: z.array(
    z.object({
      name: z.string(),
      launchedAt: Timestamp,
      clickRate: z.number().nullable(),
      reportRate: z.number().nullable(),
    }),
  ),
});
