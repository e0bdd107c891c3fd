import { z } from 'zod';
import { Timestamp } from '../../http/types.js';
import { OrganizationWithRoles, User } from '../orgs/orgs.schemas.js';

export const Login = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(512),
});

export const ChangePassword = z.strictObject({
  currentPassword: z.string().min(1).max(512),
  newPassword: z.string().min(1).max(512),
});

export const SessionInfo = z.object({
  user: User,
  csrfToken: z.string().nullable(),
  via: z.enum(['session', 'token', 'cli', 'system']),
  organizations: z.array(OrganizationWithRoles),
});

export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scope: z.enum(['read', 'write']),
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});

export const CreateToken = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scope: z.enum(['read', 'write']).default('read'),
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(90),
});

export const CreatedToken = z.object({ token: z.string(), apiToken: ApiToken });

export const AuthConfig = z.object({
  oidc: z.object({ enabled: z.boolean(), label: z.string() }),
  sample: z.boolean(),
});
