import { z } from 'zod';
import { TLP_LEVELS } from '../../../core/stix/index.js';
import { AGREEMENT_KINDS, PARTNER_CATEGORIES } from '../../db/schema/partners.js';
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

export const CreateContact = z.strictObject({
  partnerId: z.uuid().nullable().default(null),
  name: text(200).min(1),
  title: text(200).default(''),
  email: z.union([z.email().max(254), z.literal('')]).default(''),
  phone: phone.default(''),
  phone24x7: phone.default(''),
  service: text(200).default(''),
  incidentType: text(200).default(''),
  escalationOrder: z.number().int().min(1).max(99).nullable().default(null),
});

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
  status: AgreementStatus,
  daysToExpiry: z.number().int().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateAgreement = z
  .strictObject({
    partnerId: z.uuid(),
    kind: z.enum(AGREEMENT_KINDS),
    title: text(300).min(1),
    otherParties: z.array(text(200).min(1)).max(20).default([]),
    startsAt: Timestamp,
    endsAt: Timestamp.nullable().default(null),
    autoRenews: z.boolean().default(false),
    reminderDays: z.number().int().min(1).max(730).default(60),
    notifyEmail: z.union([z.email().max(254), z.literal('')]).default(''),
    scope: text(5000).default(''),
    tlp: z.enum(TLP_LEVELS as [string, ...string[]]).default('amber'),
    documents: z
      .array(z.strictObject({ title: text(300).min(1), url: z.url() }))
      .max(50)
      .default([]),
  })
  .refine((a) => !a.endsAt || a.endsAt > a.startsAt, { path: ['endsAt'], message: 'must be after startsAt' });

export const AgreementQuery = z.strictObject({
  q: z.string().max(200).optional(),
  status: AgreementStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
