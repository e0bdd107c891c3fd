import { z } from 'zod';
import { TLP_LEVELS } from '../../../core/stix/index.js';
import { DEPENDENCY_TYPES, DEPENDENT_KINDS } from '../../db/schema/assets.js';
import {
  ACTIVITY_KINDS,
  ACTIVITY_STATUSES,
  AGREEMENT_KINDS,
  PARTNER_CATEGORIES,
} from '../../db/schema/partners.js';
import { Timestamp } from '../../http/types.js';

export { ListQuery, OrgParams, page } from '../orgs/orgs.schemas.js';

const text = (max: number) => z.string().trim().max(max);

export const Partner = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  partnerOrgId: z.uuid().nullable(),
  name: z.string(),
  category: z.enum(PARTNER_CATEGORIES),
  sector: z.string(),
  services: z.array(z.string()),
  website: z.string(),
  notes: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreatePartner = z.strictObject({
  partnerOrgId: z.uuid().nullable().default(null),
  name: text(200).min(1),
  category: z.enum(PARTNER_CATEGORIES),
  sector: text(200).default(''),
  services: z.array(text(200).min(1)).max(50).default([]),
  website: z.union([z.url().max(500), z.literal('')]).default(''),
  notes: text(5000).default(''),
});

export const UpdatePartner = z.strictObject({
  partnerOrgId: z.uuid().nullable().optional(),
  name: text(200).min(1).optional(),
  category: z.enum(PARTNER_CATEGORIES).optional(),
  sector: text(200).optional(),
  services: z.array(text(200).min(1)).max(50).optional(),
  website: z.union([z.url().max(500), z.literal('')]).optional(),
  notes: text(5000).optional(),
});

export const Contact = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  partnerId: z.uuid().nullable(),
  partnerName: z.string().nullable(),
  name: z.string(),
  title: z.string(),
  email: z.string(),
  phone: z.string(),
  phone24x7: z.string(),
  service: z.string(),
  incidentType: z.string(),
  escalationOrder: z.number().int().nullable(),
  createdAt: Timestamp,
});

const phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^[+0-9 ()./-]*$/, 'digits, spaces, + ( ) . / - only');

const contactFields = {
  partnerId: z.uuid().nullable(),
  name: text(200).min(1),
  title: text(200),
  email: z.union([z.email().max(254), z.literal('')]),
  phone,
  phone24x7: phone,
  service: text(200),
  incidentType: text(200),
  escalationOrder: z.number().int().min(1).max(99).nullable(),
};

export const CreateContact = z.strictObject({
  ...contactFields,
  partnerId: contactFields.partnerId.default(null),
  title: contactFields.title.default(''),
  email: contactFields.email.default(''),
  phone: phone.default(''),
  phone24x7: phone.default(''),
  service: contactFields.service.default(''),
  incidentType: contactFields.incidentType.default(''),
  escalationOrder: contactFields.escalationOrder.default(null),
});
export const UpdateContact = z.strictObject(contactFields).partial();

export const AgreementStatus = z.enum(['active', 'expiring', 'expired', 'open-ended', 'not-started']);

export const Agreement = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  partnerId: z.uuid(),
  partnerName: z.string(),
  kind: z.enum(AGREEMENT_KINDS),
  title: z.string(),
  otherParties: z.array(z.string()),
  startsAt: Timestamp,
  endsAt: Timestamp.nullable(),
  autoRenews: z.boolean(),
  reminderDays: z.number().int(),
  notifyEmail: z.string(),
  scope: z.string(),
  tlp: z.enum(TLP_LEVELS as [string, ...string[]]),
  documents: z.array(z.object({ title: z.string(), url: z.string() })),
  files: z.array(z.lazy(() => AgreementDocument)),
  status: AgreementStatus,
  daysToExpiry: z.number().int().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const agreementFields = {
  partnerId: z.uuid(),
  kind: z.enum(AGREEMENT_KINDS),
  title: text(300).min(1),
  otherParties: z.array(text(200).min(1)).max(20),
  startsAt: Timestamp,
  endsAt: Timestamp.nullable(),
  autoRenews: z.boolean(),
  reminderDays: z.number().int().min(1).max(730),
  notifyEmail: z.union([z.email().max(254), z.literal('')]),
  scope: text(5000),
  tlp: z.enum(TLP_LEVELS as [string, ...string[]]),
  documents: z.array(z.strictObject({ title: text(300).min(1), url: z.url() })).max(50),
};

const endsAfterStart = { path: ['endsAt'], message: 'must be after startsAt' };

export const CreateAgreement = z
  .strictObject({
    ...agreementFields,
    otherParties: agreementFields.otherParties.default([]),
    endsAt: agreementFields.endsAt.default(null),
    autoRenews: agreementFields.autoRenews.default(false),
    reminderDays: agreementFields.reminderDays.default(60),
    notifyEmail: agreementFields.notifyEmail.default(''),
    scope: agreementFields.scope.default(''),
    tlp: agreementFields.tlp.default('amber'),
    documents: agreementFields.documents.default([]),
  })
  .refine((a) => !a.endsAt || a.endsAt > a.startsAt, endsAfterStart);

/** Changes to an agreement; the dates are checked together with the stored ones by the service. */
export const UpdateAgreement = z
  .strictObject(agreementFields)
  .partial()
  .refine((a) => !a.endsAt || !a.startsAt || a.endsAt > a.startsAt, endsAfterStart);

export const AgreementDocument = z.object({
  id: z.uuid(),
  agreementId: z.uuid(),
  title: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.string(),
  createdAt: Timestamp,
});

export const AgreementDocumentFields = z.strictObject({
  title: text(300).min(1),
});

export const AgreementQuery = z.strictObject({
  q: z.string().max(200).optional(),
  status: AgreementStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const isoDate = z.iso.date();

export const Activity = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  kind: z.enum(ACTIVITY_KINDS),
  title: z.string(),
  description: z.string(),
  status: z.enum(ACTIVITY_STATUSES),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  communityOrgId: z.uuid().nullable(),
  communityName: z.string().nullable(),
  partners: z.array(z.object({ id: z.uuid(), name: z.string() })),
  outcomes: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const activityFields = {
  kind: z.enum(ACTIVITY_KINDS),
  title: text(300).min(1),
  description: text(10_000),
  status: z.enum(ACTIVITY_STATUSES),
  startsOn: isoDate,
  endsOn: isoDate.nullable(),
  communityOrgId: z.uuid().nullable(),
  partnerIds: z.array(z.uuid()).max(50),
  outcomes: text(10_000),
};
const endsOnAfterStart = { path: ['endsOn'], message: 'must not be before startsOn' };

export const CreateActivity = z
  .strictObject({
    ...activityFields,
    description: activityFields.description.default(''),
    status: activityFields.status.default('planned'),
    endsOn: activityFields.endsOn.default(null),
    communityOrgId: activityFields.communityOrgId.default(null),
    partnerIds: activityFields.partnerIds.default([]),
    outcomes: activityFields.outcomes.default(''),
  })
  .refine((a) => !a.endsOn || a.endsOn >= a.startsOn, endsOnAfterStart);

export const UpdateActivity = z
  .strictObject(activityFields)
  .partial()
  .refine((a) => !a.endsOn || !a.startsOn || a.endsOn >= a.startsOn, endsOnAfterStart);

export const ActivityQuery = z.strictObject({
  q: z.string().max(200).optional(),
  kind: z.enum(ACTIVITY_KINDS).optional(),
  status: z.enum(ACTIVITY_STATUSES).optional(),
  partnerId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** A dependency of the city model on this partner: a service or system that relies on what it provides. */
export const AddPartnerDependent = z.strictObject({
  fromKind: z.enum(DEPENDENT_KINDS),
  fromId: z.uuid(),
  type: z.enum(DEPENDENCY_TYPES),
  redundancyGroup: z.string().trim().min(1).max(100).nullable().default(null),
  description: text(2000).default(''),
});
