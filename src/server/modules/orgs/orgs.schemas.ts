import { z } from 'zod';
import { ORG_KINDS, ROLES } from '../../db/schema/orgs.js';
import { Timestamp } from '../../http/types.js';

export const OrgKind = z.enum(ORG_KINDS);
export const RoleName = z.enum(ROLES);

export const Organization = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  kind: OrgKind,
  name: z.string(),
  slug: z.string(),
  description: z.string(),
  isSample: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const OrganizationWithRoles = Organization.extend({
  depth: z.number().int(),
  roles: z.array(RoleName),
});

const slug = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

export const CreateOrganization = z.strictObject({
  parentId: z.uuid().nullable().default(null),
  kind: OrgKind,
  name: z.string().trim().min(1).max(200),
  slug: slug.optional(),
  description: z.string().max(5000).default(''),
});

export const UpdateOrganization = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(5000).optional(),
  kind: OrgKind.optional(),
});

export const User = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  isInstanceAdmin: z.boolean(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: Timestamp.nullable(),
  createdAt: Timestamp,
});

export const Member = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  role: RoleName,
  inherit: z.boolean(),
  createdAt: Timestamp,
  user: User.pick({ id: true, email: true, name: true, disabled: true, lastLoginAt: true }),
});

export const AddMember = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200).optional(),
  role: RoleName,
  inherit: z.boolean().default(false),
});

export const UpdateMember = z.strictObject({
  role: RoleName.optional(),
  inherit: z.boolean().optional(),
});

export const CreateUser = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  password: z.string().optional(),
  isInstanceAdmin: z.boolean().default(false),
});

export const UpdateUser = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  disabled: z.boolean().optional(),
  isInstanceAdmin: z.boolean().optional(),
  resetPassword: z.boolean().optional(),
});

export const ListQuery = z.strictObject({
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });

export const OrgParams = z.strictObject({ orgId: z.uuid() });
