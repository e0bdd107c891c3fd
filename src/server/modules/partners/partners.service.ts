import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import { type Ctx, SYSTEM_ACTOR } from '../../context.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { AppError, notFound } from '../../errors.js';
import type { Mailer } from '../../mail.js';
import { auditService } from '../audit/audit.service.js';
import { orgsDirectory, orgsService } from '../orgs/orgs.service.js';
import {
  type AgreementRow,
  agreementsRepository,
  type ContactRow,
  contactsRepository,
  type PartnerRow,
  partnersRepository,
} from './partners.repository.js';
import type {
  AgreementStatus,
  CreateAgreement,
  CreateContact,
  CreatePartner,
  UpdatePartner,
} from './partners.schemas.js';

const DAY = 86_400_000;
const PARTNER_ORG_KINDS = new Set(['partner', 'utility', 'community', 'city', 'region', 'nation']);

export function agreementStatus(a: Pick<AgreementRow, 'startsAt' | 'endsAt' | 'reminderDays'>, now: Date) {
  const daysToExpiry = a.endsAt ? Math.ceil((a.endsAt.getTime() - now.getTime()) / DAY) : null;
  let status: z.infer<typeof AgreementStatus>;
  if (a.startsAt > now) status = 'not-started';
  else if (!a.endsAt || daysToExpiry === null) status = 'open-ended';
  else if (a.endsAt <= now) status = 'expired';
  else if (daysToExpiry <= a.reminderDays) status = 'expiring';
  else status = 'active';
  return { status, daysToExpiry };
}

function agreementView(a: AgreementRow, partnerName: string, now: Date) {
  return { ...a, partnerName, ...agreementStatus(a, now) };
}

function contactView(c: ContactRow, names: Map<string, string>) {
  return { ...c, partnerName: c.partnerId ? (names.get(c.partnerId) ?? null) : null };
}

async function partnerNames(db: DbOrTx, orgId: string) {
  return new Map((await partnersRepository.all(db, orgId)).map((p) => [p.id, p.name]));
}

async function requirePartner(
  db: DbOrTx,
  orgId: string,
  partnerId: string,
  path = 'partnerId',
): Promise<PartnerRow> {
  const p = await partnersRepository.byId(db, orgId, partnerId);
  if (!p)
    throw new AppError('validation', 'No such partner in this organization', {
      errors: [{ path, message: 'unknown partner' }],
    });
  return p;
}

/** vCard 3.0 escaping (RFC 2426): backslash, comma, semicolon and newlines. */
const vEscape = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/([,;])/g, '\\$1');

export function rosterVcards(rows: ReturnType<typeof contactView>[]): string {
  return rows
    .map((c) =>
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        `FN:${vEscape(c.name)}`,
        `N:${vEscape(c.name)};;;;`,
        c.partnerName ? `ORG:${vEscape(c.partnerName)}` : '',
        c.title ? `TITLE:${vEscape(c.title)}` : '',
        c.phone24x7 ? `TEL;TYPE=VOICE,PREF:${c.phone24x7}` : '',
        c.phone ? `TEL;TYPE=WORK,VOICE:${c.phone}` : '',
        c.email ? `EMAIL;TYPE=INTERNET:${c.email}` : '',
        `NOTE:${vEscape(`Escalation ${c.escalationOrder ?? '-'} for ${c.service || 'any service'} / ${c.incidentType || 'any incident'}`)}`,
        'END:VCARD',
      ]
        .filter(Boolean)
        .join('\r\n'),
    )
    .join('\r\n')
    .concat(rows.length ? '\r\n' : '');
}

export const partnersService = {
  async list(ctx: Ctx, orgId: string, q: string | undefined, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    return { ...(await partnersRepository.list(ctx.db, orgId, q, limit, offset)), limit, offset };
  },

  async get(ctx: Ctx, orgId: string, partnerId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const p = await partnersRepository.byId(ctx.db, orgId, partnerId);
    if (!p) throw notFound('Partner', partnerId);
    return p;
  },

  async create(ctx: Ctx, orgId: string, input: z.infer<typeof CreatePartner>) {
    await orgsService.access(ctx, orgId, 'data.write');
    if (input.partnerOrgId) {
      const o = await orgsDirectory.byId(ctx.db, input.partnerOrgId);
      if (!o || !PARTNER_ORG_KINDS.has(o.kind) || o.id === orgId) {
        throw new AppError(
          'validation',
          'The linked organization must be a partner, utility or another public body',
          {
            errors: [{ path: 'partnerOrgId', message: 'not a partner organization' }],
          },
        );
      }
    }
    return ctx.db.transaction(async (tx) => {
      const row = await partnersRepository.insert(tx, { ...input, orgId });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'partner.create',
        targetType: 'partner',
        targetId: row.id,
        after: row,
      });
      return row;
    });
  },

  async update(ctx: Ctx, orgId: string, partnerId: string, patch: z.infer<typeof UpdatePartner>) {
    await orgsService.access(ctx, orgId, 'data.write');
    return ctx.db.transaction(async (tx) => {
      const before = await partnersRepository.byId(tx, orgId, partnerId);
      if (!before) throw notFound('Partner', partnerId);
      const after = await partnersRepository.update(tx, partnerId, patch);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'partner.update',
        targetType: 'partner',
        targetId: partnerId,
        before,
        after,
      });
      return after;
    });
  },

  async remove(ctx: Ctx, orgId: string, partnerId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await partnersRepository.byId(tx, orgId, partnerId);
      if (!before) throw notFound('Partner', partnerId);
      await partnersRepository.delete(tx, partnerId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'partner.delete',
        targetType: 'partner',
        targetId: partnerId,
        before,
      });
    });
  },

  async listContacts(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const names = await partnerNames(ctx.db, orgId);
    return { items: (await contactsRepository.list(ctx.db, orgId)).map((c) => contactView(c, names)) };
  },

  async createContact(ctx: Ctx, orgId: string, input: z.infer<typeof CreateContact>) {
    await orgsService.access(ctx, orgId, 'data.write');
    if (input.escalationOrder !== null && !input.phone24x7 && !input.phone) {
      throw new AppError('validation', 'A contact on the crisis roster needs a phone number', {
        errors: [{ path: 'phone24x7', message: 'required with an escalation order' }],
      });
    }
    const row = await ctx.db.transaction(async (tx) => {
      if (input.partnerId) await requirePartner(tx, orgId, input.partnerId);
      const c = await contactsRepository.insert(tx, { ...input, orgId });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'contact.create',
        targetType: 'contact',
        targetId: c.id,
        after: c,
      });
      return c;
    });
    return contactView(row, await partnerNames(ctx.db, orgId));
  },

  async removeContact(ctx: Ctx, orgId: string, contactId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await contactsRepository.byId(tx, orgId, contactId);
      if (!before) throw notFound('Contact', contactId);
      await contactsRepository.delete(tx, contactId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'contact.delete',
        targetType: 'contact',
        targetId: contactId,
        before,
      });
    });
  },

  async roster(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const names = await partnerNames(ctx.db, orgId);
    return (await contactsRepository.roster(ctx.db, orgId)).map((c) => contactView(c, names));
  },

  async rosterCsv(ctx: Ctx, orgId: string) {
    const rows = await partnersService.roster(ctx, orgId);
    return stringify(
      rows.map((c) => [
        c.service,
        c.incidentType,
        c.escalationOrder,
        c.name,
        c.partnerName ?? '',
        c.title,
        c.phone24x7,
        c.phone,
        c.email,
      ]),
      {
        header: true,
        columns: [
          'service',
          'incident_type',
          'escalation_order',
          'name',
          'organization',
          'title',
          'phone_24x7',
          'phone',
          'email',
        ],
      },
    );
  },

  async rosterVcf(ctx: Ctx, orgId: string) {
    return rosterVcards(await partnersService.roster(ctx, orgId));
  },

  async listAgreements(
    ctx: Ctx,
    orgId: string,
    q: string | undefined,
    status: string | undefined,
    limit: number,
    offset: number,
  ) {
    await orgsService.access(ctx, orgId, 'data.read');
    const names = await partnerNames(ctx.db, orgId);
    const now = new Date();
    const all = (await agreementsRepository.list(ctx.db, orgId, q))
      .map((a) => agreementView(a, names.get(a.partnerId) ?? '', now))
      .filter((a) => !status || a.status === status);
    return { items: all.slice(offset, offset + limit), total: all.length, limit, offset };
  },

  async createAgreement(ctx: Ctx, orgId: string, input: z.infer<typeof CreateAgreement>) {
    await orgsService.access(ctx, orgId, 'data.write');
    return ctx.db.transaction(async (tx) => {
      const partner = await requirePartner(tx, orgId, input.partnerId);
      const row = await agreementsRepository.insert(tx, { ...input, orgId });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'agreement.create',
        targetType: 'agreement',
        targetId: row.id,
        after: row,
      });
      return agreementView(row, partner.name, new Date());
    });
  },

  async removeAgreement(ctx: Ctx, orgId: string, agreementId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await agreementsRepository.byId(tx, orgId, agreementId);
      if (!before) throw notFound('Agreement', agreementId);
      await agreementsRepository.delete(tx, agreementId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'agreement.delete',
        targetType: 'agreement',
        targetId: agreementId,
        before,
      });
    });
  },

  /**
   * The scheduled reminder: one email per agreement entering its reminder window, sent once per end date. Each
   * agreement is marked only after its mail went out, so a failing SMTP server makes the job retry the rest.
   */
  async sendExpiryReminders(db: Db, mailer: Mailer | undefined, now = new Date()) {
    if (!mailer) return { sent: 0, skipped: 'no SMTP server configured (CITYWALL_SMTP_URL)' };
    const due = await agreementsRepository.due(db, now);
    let sent = 0;
    for (const a of due) {
      const partner = await partnersRepository.byId(db, a.orgId, a.partnerId);
      const org = await orgsDirectory.byId(db, a.orgId);
      const { daysToExpiry } = agreementStatus(a, now);
      const end = (a.endsAt as Date).toISOString().slice(0, 10);
      await mailer({
        to: a.notifyEmail,
        subject: `Agreement expiring in ${daysToExpiry} days: ${a.title}`,
        text: [
          `The ${a.kind} agreement "${a.title}" between ${org?.name ?? 'your organization'} and ${partner?.name ?? 'a partner'} ends on ${end}.`,
          a.autoRenews
            ? 'It renews automatically; check that renewal is still wanted.'
            : 'It does not renew by itself: start the renewal now if it is still needed.',
          a.scope ? `Scope: ${a.scope} (TLP:${a.tlp.toUpperCase()})` : `TLP:${a.tlp.toUpperCase()}`,
          '',
          '— Citywall',
        ].join('\n'),
      });
      await db.transaction(async (tx) => {
        await agreementsRepository.markReminded(tx, a.id, a.endsAt as Date);
        await auditService.record(
          tx,
          { actor: SYSTEM_ACTOR },
          {
            orgId: a.orgId,
            action: 'agreement.reminder',
            targetType: 'agreement',
            targetId: a.id,
            after: { to: a.notifyEmail, endsAt: a.endsAt },
          },
        );
      });
      sent++;
    }
    return { sent };
  },
};
