import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { type AuditRow, auditRepository } from './audit.repository.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  orgId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_KEYS = /password|secret|token_?hash|tokenHash|csrf|idHash/i;

/** Secrets never enter the audit log, even hashed. Dates become ISO strings so the stored JSON hashes stably. */
export function scrub(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(
    JSON.stringify(value, (k, v) => (k && SECRET_KEYS.test(k) ? (v == null ? v : '[redacted]') : v)),
  );
}

function contentOf(e: Omit<AuditRow, 'seq' | 'hash' | 'prevHash'>): string {
  return canonicalize({
    id: e.id,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    orgId: e.orgId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: e.requestId,
  }) as string;
}

export function hashEvent(prevHash: string, e: Omit<AuditRow, 'seq' | 'hash' | 'prevHash'>): string {
  return createHash('sha256').update(prevHash).update('\n').update(contentOf(e)).digest('hex');
}

export const auditService = {
  /** Appends one event to the chain. Call inside the transaction that makes the change it records. */
  async record(tx: DbOrTx, ctx: Pick<Ctx, 'actor' | 'requestId'>, input: AuditInput): Promise<void> {
    await auditRepository.lockChain(tx);
    const head = await auditRepository.head(tx);
    const prevHash = head?.hash ?? GENESIS_HASH;
    const event = {
      id: randomUUID(),
      // Millisecond precision: what JavaScript and the hash see is what the database keeps.
      at: new Date(),
      actorId: ctx.actor.via === 'system' ? null : ctx.actor.userId,
      actorLabel: ctx.actor.via === 'system' ? 'system' : ctx.actor.email,
      orgId: input.orgId,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      before: scrub(input.before),
      after: scrub(input.after),
      requestId: ctx.requestId ?? null,
    };
    await auditRepository.insert(tx, { ...event, prevHash, hash: hashEvent(prevHash, event) });
  },

  /**
   * Recomputes the chain. An edited event breaks its own hash; a deleted or reordered one breaks the next
   * event's link; a deleted tail no longer reaches the recorded head.
   */
  async verify(db: DbOrTx): Promise<{ ok: boolean; checked: number; problems: string[] }> {
    const problems: string[] = [];
    let prev = GENESIS_HASH;
    let checked = 0;
    let last: AuditRow | undefined;
    for await (const row of auditRepository.walk(db)) {
      checked++;
      if (row.prevHash !== prev)
        problems.push(
          `event #${row.seq} (${row.id}) does not follow the event before it: an event was deleted or reordered`,
        );
      const expected = hashEvent(row.prevHash, row);
      if (expected !== row.hash)
        problems.push(`event #${row.seq} (${row.id}) was edited: its content no longer matches its hash`);
      prev = row.hash;
      last = row;
    }
    const head = await auditRepository.head(db);
    if (head && (!last || last.seq !== head.seq || last.hash !== head.hash)) {
      problems.push(
        `the chain ends at #${last?.seq ?? 0} but the recorded head is #${head.seq}: events at the end were deleted`,
      );
    }
    if (!head && last) problems.push('the chain head record is missing');
    return { ok: problems.length === 0, checked, problems };
  },
};

export interface AuditFilter {
  action?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  q?: string;
  from?: string;
  to?: string;
  before?: number;
  limit: number;
}

export async function listAudit(db: DbOrTx, orgIds: string[] | null, f: AuditFilter) {
  const items = await auditRepository.list(db, {
    ...f,
    orgIds,
    from: f.from ? new Date(f.from) : undefined,
    to: f.to ? new Date(f.to) : undefined,
    beforeSeq: f.before,
  });
  return { items, nextBefore: items.length === f.limit ? items[items.length - 1].seq : null };
}
