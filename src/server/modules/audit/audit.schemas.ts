import { z } from 'zod';
import { Timestamp } from '../../http/types.js';

export const AuditEvent = z.object({
  seq: z.number().int(),
  id: z.uuid(),
  at: Timestamp,
  actorId: z.uuid().nullable(),
  actorLabel: z.string(),
  orgId: z.uuid().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  hash: z.string(),
});

export const AuditQuery = z.strictObject({
  action: z.string().max(100).optional(),
  actor: z.string().max(200).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  q: z.string().max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  includeDescendants: z.enum(['true', 'false']).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const AuditPage = z.object({ items: z.array(AuditEvent), nextBefore: z.number().int().nullable() });
export const AuditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  problems: z.array(z.string()),
});
