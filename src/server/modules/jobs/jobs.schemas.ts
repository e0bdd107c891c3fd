import { z } from 'zod';
import { JOB_STATUSES } from '../../db/schema/jobs.js';
import { Timestamp } from '../../http/types.js';

export const Job = z.object({
  id: z.number().int(),
  name: z.string(),
  orgId: z.uuid().nullable(),
  payload: z.unknown(),
  status: z.enum(JOB_STATUSES),
  runAt: Timestamp,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  progress: z.unknown(),
  result: z.unknown(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});

export const JobQuery = z.strictObject({
  status: z.enum(JOB_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const JobPage = z.object({
  items: z.array(Job),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const Schedule = z.object({
  name: z.string(),
  jobName: z.string(),
  intervalSeconds: z.number().int(),
  nextRunAt: Timestamp,
  lastRunAt: Timestamp.nullable(),
});
