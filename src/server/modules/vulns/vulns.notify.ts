import { createHmac, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { SYSTEM_ACTOR } from '../../context.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { type VulnWebhook, vulnNotifications } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { checkOutboundUrl, DEFAULT_OUTBOUND, type OutboundPolicy, policyFetch } from '../../http/outbound.js';
import type { Mailer } from '../../mail.js';
import { openSecret, sealSecret } from '../../secrets.js';
import { auditService } from '../audit/audit.service.js';
import { orgsDirectory, orgsService } from '../orgs/orgs.service.js';

/** One line of a digest: a finding that is news (a new KEV hit) or late (past its due date). */
export interface DigestItem {
  findingId: string;
  cveId: string;
  systemName: string;
  owner: string | null;
  ssvcDecision: string;
  dueDate: string | null;
  kevName: string | null;
  reason: 'new-kev' | 'overdue';
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const MAX_ITEMS = 500;

async function settingsRow(db: DbOrTx, orgId: string) {
  const [row] = await db.select().from(vulnNotifications).where(eq(vulnNotifications.orgId, orgId));
  return row ?? null;
}

const publicSettings = (row: Awaited<ReturnType<typeof settingsRow>>) => ({
  enabled: row?.enabled ?? true,
  recipients: row?.recipients ?? [],
  webhooks: (row?.webhooks ?? []).map(({ id, url }) => ({ id, url })),
  lastSentAt: row?.lastSentAt ?? null,
});

/** Findings that are news since `since` (KEV hits) or past due on `today`, with the system and its owner. */
export async function digestItems(db: DbOrTx, orgId: string, sinceDate: Date | null, today: string) {
  const since = sinceDate ? sinceDate.toISOString() : null;
  const r = await db.execute(sql`
    select f.id as "findingId", f.cve_id as "cveId", s.name as "systemName", s.owner, f.ssvc_decision as "ssvcDecision",
           f.due_date::text as "dueDate", k.name as "kevName",
           case when f.due_date < ${today}::date then 'overdue' else 'new-kev' end as reason
      from findings f
      join systems s on s.id = f.system_id
      left join kev_entries k on k.cve_id = f.cve_id
     where f.org_id = ${orgId} and f.status in ('open', 'in_progress')
       and (f.due_date < ${today}::date
            or (f.in_kev and (${since}::timestamptz is null or f.kev_since > ${since}::timestamptz)))
     order by (f.due_date < ${today}::date) desc, f.due_date nulls last, f.cve_id
     limit ${MAX_ITEMS}`);
  return (r as unknown as { rows: DigestItem[] }).rows;
}

function digestText(orgName: string, items: DigestItem[]): string {
  const line = (i: DigestItem) =>
    `- ${i.cveId} on ${i.systemName} (SSVC ${i.ssvcDecision}${i.dueDate ? `, due ${i.dueDate}` : ''})${i.kevName ? `: ${i.kevName}` : ''}`;
  const kev = items.filter((i) => i.reason === 'new-kev');
  const late = items.filter((i) => i.reason === 'overdue');
  return [
    `Vulnerability news for ${orgName}.`,
    '',
    ...(kev.length ? [`Newly known to be exploited (CISA KEV), ${kev.length}:`, ...kev.map(line), ''] : []),
    ...(late.length ? [`Past their due date, ${late.length}:`, ...late.map(line), ''] : []),
    'Open Citywall (Vulnerabilities) for the trace, the SSVC inputs and triage.',
    '',
    '— Citywall',
  ].join('\n');
}

/** The HMAC-SHA256 signature of a webhook body, as sent in X-Citywall-Signature. */
export const signBody = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export const vulnNotifyService = {
  async get(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    return publicSettings(await settingsRow(ctx.db, orgId));
  },

  /**
   * Replaces the settings. A webhook given with its id and without a secret keeps the secret it has; secrets are
   * sealed and never returned.
   */
  async set(
    ctx: Ctx,
    orgId: string,
    policy: OutboundPolicy,
    input: {
      enabled: boolean;
      recipients: string[];
      webhooks: { id?: string | undefined; url: string; secret?: string | undefined }[];
    },
  ) {
    await orgsService.access(ctx, orgId, 'data.admin');
    for (const [i, w] of input.webhooks.entries())
      await checkOutboundUrl(w.url, policy, `webhooks.${i}.url`, { allowUnresolved: true });
    await ctx.db.transaction(async (tx) => {
      const before = await settingsRow(tx, orgId);
      const old = new Map((before?.webhooks ?? []).map((w) => [w.id, w]));
      const webhooks: VulnWebhook[] = input.webhooks.map((w, i) => {
        const kept = w.id ? old.get(w.id) : undefined;
        if (w.id && !kept) {
          throw new AppError('validation', `Webhook ${w.id} does not exist`, {
            errors: [
              { path: `webhooks.${i}.id`, message: 'unknown webhook (leave it out to add a new one)' },
            ],
          });
        }
        if (!w.secret && !kept) {
          throw new AppError('validation', 'A new webhook needs a secret to sign its requests', {
            errors: [{ path: `webhooks.${i}.secret`, message: 'required for a new webhook' }],
          });
        }
        return {
          id: kept?.id ?? randomUUID(),
          url: w.url,
          secret: w.secret ? sealSecret(w.secret) : kept!.secret,
        };
      });
      const recipients = [...new Set(input.recipients.map((r) => r.trim().toLowerCase()))];
      await tx
        .insert(vulnNotifications)
        .values({ orgId, enabled: input.enabled, recipients, webhooks })
        .onConflictDoUpdate({
          target: vulnNotifications.orgId,
          set: { enabled: input.enabled, recipients, webhooks, updatedAt: sql`now()` },
        });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'vulns.notifications.update',
        targetType: 'organization',
        targetId: orgId,
        before: before ? publicSettings(before) : null,
        after: { enabled: input.enabled, recipients, webhooks: webhooks.map((w) => w.url) },
      });
    });
    return vulnNotifyService.get(ctx, orgId);
  },

  /** Sends now what is new since the last digest (the API's "send now" and the daily job both come here). */
  async sendNow(ctx: Ctx, orgId: string, mailer: Mailer | undefined, fetchFn?: FetchLike) {
    await orgsService.access(ctx, orgId, 'data.admin');
    return vulnNotifyService.send(ctx.db as Db, orgId, mailer, fetchFn);
  },

  /**
   * One organization's digest: each system owner with an email address gets the lines of their systems, the
   * listed recipients get all of them, each webhook gets them as JSON signed with its secret. Nothing new sends
   * nothing. The window moves on only after delivery was attempted, and every attempt is audited.
   */
  async send(
    db: Db,
    orgId: string,
    mailer: Mailer | undefined,
    fetchFn: FetchLike = policyFetch(DEFAULT_OUTBOUND),
    now = new Date(),
  ) {
    const row = await settingsRow(db, orgId);
    if (row && !row.enabled) return { items: 0, emails: 0, webhooks: [], skipped: 'notifications are off' };
    const org = await orgsDirectory.byId(db, orgId);
    if (!org) throw new AppError('not_found', `Organization ${orgId} not found`);
    const items = await digestItems(db, orgId, row?.lastSentAt ?? null, now.toISOString().slice(0, 10));
    const byRecipient = new Map<string, DigestItem[]>();
    const add = (to: string, i: DigestItem) => {
      const l = byRecipient.get(to);
      if (l) l.push(i);
      else byRecipient.set(to, [i]);
    };
    for (const i of items) {
      const owner = i.owner?.trim().toLowerCase();
      if (owner && EMAIL.test(owner)) add(owner, i);
      for (const r of row?.recipients ?? []) if (r !== owner) add(r, i);
    }
    let emails = 0;
    const errors: string[] = [];
    if (items.length && byRecipient.size) {
      if (!mailer) errors.push('no SMTP server configured (CITYWALL_SMTP_URL): no email sent');
      else {
        for (const [to, list] of byRecipient) {
          await mailer({
            to,
            subject: `Citywall: ${list.length} vulnerability finding${list.length === 1 ? '' : 's'} need attention (${org.name})`,
            text: digestText(org.name, list),
          });
          emails++;
        }
      }
    }
    const webhooks: { url: string; status: number | null; error?: string }[] = [];
    if (items.length) {
      const body = JSON.stringify({
        event: 'citywall.vulns.digest',
        organization: { id: org.id, name: org.name },
        sentAt: now.toISOString(),
        newKev: items.filter((i) => i.reason === 'new-kev'),
        overdue: items.filter((i) => i.reason === 'overdue'),
      });
      for (const w of row?.webhooks ?? []) {
        try {
          const res = await fetchFn(w.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-citywall-event': 'vulns.digest',
              'x-citywall-signature': signBody(openSecret(w.secret), body),
            },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          webhooks.push({
            url: w.url,
            status: res.status,
            ...(res.ok ? {} : { error: `HTTP ${res.status}` }),
          });
        } catch (e) {
          webhooks.push({ url: w.url, status: null, error: e instanceof Error ? e.message : String(e) });
        }
      }
    }
    await db.transaction(async (tx) => {
      await tx
        .insert(vulnNotifications)
        .values({ orgId, lastSentAt: now })
        .onConflictDoUpdate({ target: vulnNotifications.orgId, set: { lastSentAt: now } });
      await auditService.record(
        tx,
        { actor: SYSTEM_ACTOR },
        {
          orgId,
          action: 'vulns.digest',
          targetType: 'organization',
          targetId: orgId,
          after: { items: items.length, emails, webhooks, errors },
        },
      );
    });
    return { items: items.length, emails, webhooks, errors };
  },

  /** The daily job: every organization with findings and notifications on. */
  async sendAll(db: Db, mailer: Mailer | undefined, fetchFn?: FetchLike) {
    const r = await db.execute(sql`
      select distinct f.org_id as "orgId" from findings f
      left join vuln_notifications n on n.org_id = f.org_id
      where n.enabled is distinct from false`);
    const orgs = (r as unknown as { rows: { orgId: string }[] }).rows;
    let items = 0;
    for (const { orgId } of orgs) items += (await vulnNotifyService.send(db, orgId, mailer, fetchFn)).items;
    return { organizations: orgs.length, items };
  },
};
