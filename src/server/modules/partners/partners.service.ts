import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import { type Ctx, SYSTEM_ACTOR } from '../../context.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { AppError, notFound } from '../../errors.js';
import { checkDocumentFile, sha256Hex } from '../../files.js';
import type { UploadedFile } from '../../http/upload.js';
import type { Mailer } from '../../mail.js';
import { assetsService } from '../assets/assets.service.js';
import { auditService } from '../audit/audit.service.js';
import { communitiesService } from '../intel/intel.service.js';
import { orgsDirectory, orgsService } from '../orgs/orgs.service.js';
import {
  type ActivityFilter,
  type ActivityRow,
  type AgreementRow,
  activitiesRepository,
  agreementsRepository,
  type ContactRow,
  contactsRepository,
  type DocumentMeta,
  documentsRepository,
  type PartnerRow,
  partnersRepository,
} from './partners.repository.js';
import type {
  AddPartnerDependent,
  AgreementStatus,
  CreateActivity,
  CreateAgreement,
  CreateContact,
  CreatePartner,
  UpdateActivity,
  UpdateAgreement,
  UpdateContact,
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

/** Signed agreements and annexes: PDF, Word, images, text. */
export const AGREEMENT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

function agreementView(a: AgreementRow, partnerName: string, now: Date, files: DocumentMeta[] = []) {
  return { ...a, partnerName, files, ...agreementStatus(a, now) };
}

function filesByAgreement(files: DocumentMeta[]) {
  const m = new Map<string, DocumentMeta[]>();
  for (const f of files) m.set(f.agreementId, [...(m.get(f.agreementId) ?? []), f]);
  return m;
}

async function checkPartnerOrg(db: DbOrTx, orgId: string, partnerOrgId: string | null | undefined) {
  if (!partnerOrgId) return;
  const o = await orgsDirectory.byId(db, partnerOrgId);
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

function contactNeedsPhone(c: { escalationOrder: number | null; phone: string; phone24x7: string }) {
  if (c.escalationOrder !== null && !c.phone24x7 && !c.phone) {
    throw new AppError('validation', 'A contact on the crisis roster needs a phone number', {
      errors: [{ path: 'phone24x7', message: 'required with an escalation order' }],
    });
  }
}

async function requirePartners(db: DbOrTx, orgId: string, ids: string[]) {
  const known = new Set((await partnersRepository.all(db, orgId)).map((p) => p.id));
  const errors = ids
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !known.has(id))
    .map(({ id, i }) => ({ path: `partnerIds.${i}`, message: `unknown partner ${id}` }));
  if (errors.length) {
    throw new AppError('validation', 'Some partners are not partners of this organization', { errors });
  }
}

/** The communities (intel module) this organization is a member of, read through that module's service. */
async function communitiesOf(ctx: Ctx, orgId: string) {
  return new Map((await communitiesService.communitiesOf(ctx, orgId)).items.map((c) => [c.id, c.name]));
}

async function activityViews(ctx: Ctx, orgId: string, rows: ActivityRow[]) {
  const partnerRows = await activitiesRepository.partnersOf(
    ctx.db,
    orgId,
    rows.map((r) => r.id),
  );
  const communities = rows.some((r) => r.communityOrgId) ? await communitiesOf(ctx, orgId) : new Map();
  const names = new Map<string, string | null>();
  for (const r of rows) {
    if (!r.communityOrgId || names.has(r.communityOrgId)) continue;
    // A community the city has left keeps its name on past activities.
    names.set(
      r.communityOrgId,
      communities.get(r.communityOrgId) ?? (await orgsDirectory.byId(ctx.db, r.communityOrgId))?.name ?? null,
    );
  }
  return rows.map((r) => ({
    ...r,
    communityName: r.communityOrgId ? (names.get(r.communityOrgId) ?? null) : null,
    partners: partnerRows.filter((p) => p.activityId === r.id).map((p) => ({ id: p.id, name: p.name })),
  }));
}

async function checkCommunity(ctx: Ctx, orgId: string, communityOrgId: string | null | undefined) {
  if (!communityOrgId) return;
  if (!(await communitiesOf(ctx, orgId)).has(communityOrgId)) {
    throw new AppError('validation', 'The community must be one this organization is a member of', {
      errors: [{ path: 'communityOrgId', message: 'not a community of this organization' }],
    });
  }
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

/** The partner's organization, and whether the assets module accepts it as a provider of this tree. */
async function providerOf(ctx: Ctx, orgId: string, partner: PartnerRow) {
  if (!partner.partnerOrgId) return { org: null, eligible: false };
  const candidates = (await assetsService.providers(ctx, orgId)).items;
  const hit = candidates.find((c) => c.id === partner.partnerOrgId);
  if (hit) return { org: { id: hit.id, name: hit.name, kind: hit.kind }, eligible: true };
  const o = await orgsDirectory.byId(ctx.db, partner.partnerOrgId);
  return { org: o ? { id: o.id, name: o.name, kind: o.kind } : null, eligible: false };
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
    await checkPartnerOrg(ctx.db, orgId, input.partnerOrgId);
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
    await checkPartnerOrg(ctx.db, orgId, patch.partnerOrgId);
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
    contactNeedsPhone(input);
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

  async updateContact(ctx: Ctx, orgId: string, contactId: string, patch: z.infer<typeof UpdateContact>) {
    await orgsService.access(ctx, orgId, 'data.write');
    const row = await ctx.db.transaction(async (tx) => {
      const before = await contactsRepository.byId(tx, orgId, contactId);
      if (!before) throw notFound('Contact', contactId);
      contactNeedsPhone({ ...before, ...patch });
      if (patch.partnerId) await requirePartner(tx, orgId, patch.partnerId);
      const after = await contactsRepository.update(tx, contactId, patch);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'contact.update',
        targetType: 'contact',
        targetId: contactId,
        before,
        after,
      });
      return after;
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
    const items = all.slice(offset, offset + limit);
    const files = filesByAgreement(
      await documentsRepository.meta(
        ctx.db,
        orgId,
        items.map((a) => a.id),
      ),
    );
    return {
      items: items.map((a) => ({ ...a, files: files.get(a.id) ?? [] })),
      total: all.length,
      limit,
      offset,
    };
  },

  async getAgreement(ctx: Ctx, orgId: string, agreementId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const a = await agreementsRepository.byId(ctx.db, orgId, agreementId);
    if (!a) throw notFound('Agreement', agreementId);
    const partner = await partnersRepository.byId(ctx.db, orgId, a.partnerId);
    const files = await documentsRepository.meta(ctx.db, orgId, [a.id]);
    return agreementView(a, partner?.name ?? '', new Date(), files);
  },

  async updateAgreement(
    ctx: Ctx,
    orgId: string,
    agreementId: string,
    patch: z.infer<typeof UpdateAgreement>,
  ) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await agreementsRepository.byId(tx, orgId, agreementId);
      if (!before) throw notFound('Agreement', agreementId);
      const startsAt = patch.startsAt ?? before.startsAt;
      const endsAt = patch.endsAt === undefined ? before.endsAt : patch.endsAt;
      if (endsAt && endsAt <= startsAt) {
        throw new AppError(
          'validation',
          `The agreement would end (${endsAt.toISOString().slice(0, 10)}) before it starts (${startsAt.toISOString().slice(0, 10)})`,
          { errors: [{ path: patch.endsAt ? 'endsAt' : 'startsAt', message: 'must be after startsAt' }] },
        );
      }
      if (patch.partnerId) await requirePartner(tx, orgId, patch.partnerId);
      const after = await agreementsRepository.update(tx, agreementId, patch);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'agreement.update',
        targetType: 'agreement',
        targetId: agreementId,
        before,
        after,
      });
    });
    return partnersService.getAgreement(ctx, orgId, agreementId);
  },

  // ---- agreement documents ----
  async addDocument(ctx: Ctx, orgId: string, agreementId: string, title: string, file: UploadedFile) {
    await orgsService.access(ctx, orgId, 'data.write');
    checkDocumentFile('The agreement document', file.fileName, file.mediaType, file.content);
    if (file.content.length > AGREEMENT_DOCUMENT_MAX_BYTES) {
      throw new AppError(
        'payload_too_large',
        `The agreement document is larger than ${AGREEMENT_DOCUMENT_MAX_BYTES / 1024 / 1024} MiB`,
        { errors: [{ path: 'file', message: 'too large' }] },
      );
    }
    return ctx.db.transaction(async (tx) => {
      if (!(await agreementsRepository.byId(tx, orgId, agreementId)))
        throw notFound('Agreement', agreementId);
      const doc = await documentsRepository.insert(tx, {
        orgId,
        agreementId,
        title,
        fileName: file.fileName,
        mediaType: file.mediaType,
        size: file.content.length,
        sha256: sha256Hex(file.content),
        content: file.content,
        uploadedBy: ctx.actor.email,
      });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'agreement.document.add',
        targetType: 'agreement',
        targetId: agreementId,
        after: doc,
      });
      return doc;
    });
  },

  async documentContent(ctx: Ctx, orgId: string, agreementId: string, documentId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const d = await documentsRepository.byId(ctx.db, orgId, agreementId, documentId);
    if (!d) throw notFound('Document', documentId);
    return d;
  },

  async removeDocument(ctx: Ctx, orgId: string, agreementId: string, documentId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const d = await documentsRepository.byId(tx, orgId, agreementId, documentId);
      if (!d) throw notFound('Document', documentId);
      await documentsRepository.delete(tx, documentId);
      const { content: _content, ...before } = d;
      await auditService.record(tx, ctx, {
        orgId,
        action: 'agreement.document.delete',
        targetType: 'agreement',
        targetId: agreementId,
        before,
      });
    });
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

  // ---- cooperation activities ----
  async listActivities(ctx: Ctx, orgId: string, f: ActivityFilter, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await activitiesRepository.list(ctx.db, orgId, f, limit, offset);
    return { items: await activityViews(ctx, orgId, items), total, limit, offset };
  },

  async getActivity(ctx: Ctx, orgId: string, activityId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const row = await activitiesRepository.byId(ctx.db, orgId, activityId);
    if (!row) throw notFound('Activity', activityId);
    return (await activityViews(ctx, orgId, [row]))[0];
  },

  async createActivity(ctx: Ctx, orgId: string, input: z.infer<typeof CreateActivity>) {
    await orgsService.access(ctx, orgId, 'data.write');
    await checkCommunity(ctx, orgId, input.communityOrgId);
    const { partnerIds, ...fields } = input;
    const partnerSet = [...new Set(partnerIds)];
    const row = await ctx.db.transaction(async (tx) => {
      await requirePartners(tx, orgId, partnerSet);
      const a = await activitiesRepository.insert(tx, { ...fields, orgId });
      await activitiesRepository.setPartners(tx, orgId, a.id, partnerSet);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'activity.create',
        targetType: 'activity',
        targetId: a.id,
        after: { ...a, partnerIds: partnerSet },
      });
      return a;
    });
    return (await activityViews(ctx, orgId, [row]))[0];
  },

  async updateActivity(ctx: Ctx, orgId: string, activityId: string, patch: z.infer<typeof UpdateActivity>) {
    await orgsService.access(ctx, orgId, 'data.write');
    await checkCommunity(ctx, orgId, patch.communityOrgId);
    const { partnerIds, ...fields } = patch;
    const row = await ctx.db.transaction(async (tx) => {
      const before = await activitiesRepository.byId(tx, orgId, activityId);
      if (!before) throw notFound('Activity', activityId);
      const startsOn = fields.startsOn ?? before.startsOn;
      const endsOn = fields.endsOn === undefined ? before.endsOn : fields.endsOn;
      if (endsOn && endsOn < startsOn) {
        throw new AppError(
          'validation',
          `The activity would end (${endsOn}) before it starts (${startsOn})`,
          {
            errors: [{ path: fields.endsOn ? 'endsOn' : 'startsOn', message: 'must not be before startsOn' }],
          },
        );
      }
      const beforePartners = (await activitiesRepository.partnersOf(tx, orgId, [activityId])).map(
        (p) => p.id,
      );
      const after = await activitiesRepository.update(tx, activityId, fields);
      let afterPartners = beforePartners;
      if (partnerIds) {
        afterPartners = [...new Set(partnerIds)];
        await requirePartners(tx, orgId, afterPartners);
        await activitiesRepository.setPartners(tx, orgId, activityId, afterPartners);
      }
      await auditService.record(tx, ctx, {
        orgId,
        action: 'activity.update',
        targetType: 'activity',
        targetId: activityId,
        before: { ...before, partnerIds: beforePartners },
        after: { ...after, partnerIds: afterPartners },
      });
      return after;
    });
    return (await activityViews(ctx, orgId, [row]))[0];
  },

  async removeActivity(ctx: Ctx, orgId: string, activityId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await activitiesRepository.byId(tx, orgId, activityId);
      if (!before) throw notFound('Activity', activityId);
      const partnerIds = (await activitiesRepository.partnersOf(tx, orgId, [activityId])).map((p) => p.id);
      await activitiesRepository.delete(tx, activityId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'activity.delete',
        targetType: 'activity',
        targetId: activityId,
        before: { ...before, partnerIds },
      });
    });
  },

  /** Communities an activity may name: those this organization is a member of. */
  async activityCommunities(ctx: Ctx, orgId: string) {
    return communitiesService.communitiesOf(ctx, orgId);
  },

  // ---- the partner in the city model ----
  /**
   * What of the city depends on this partner: the dependencies of the assets inventory whose target is the
   * partner's organization (a utility or partner organization of the tree), and the cascade if the partner
   * fails. A partner not linked to such an organization is not in the city model yet.
   */
  async dependents(ctx: Ctx, orgId: string, partnerId: string) {
    const partner = await partnersService.get(ctx, orgId, partnerId);
    const provider = await providerOf(ctx, orgId, partner);
    if (!provider.eligible || !partner.partnerOrgId) {
      return { provider: provider.org, eligible: false, dependencies: [], impact: null };
    }
    const deps = await assetsService.listDependencies(ctx, orgId, { nodeId: partner.partnerOrgId }, 1000, 0);
    const dependencies = deps.items.filter((d) => d.to.id === partner.partnerOrgId);
    const impact = dependencies.length
      ? await assetsService.impact(ctx, orgId, [partner.partnerOrgId], true)
      : null;
    return { provider: provider.org, eligible: true, dependencies, impact };
  },

  /** Records that a service or system of the city depends on this partner (a dependency of the assets module). */
  async addDependent(ctx: Ctx, orgId: string, partnerId: string, input: z.infer<typeof AddPartnerDependent>) {
    const partner = await partnersService.get(ctx, orgId, partnerId);
    const provider = await providerOf(ctx, orgId, partner);
    if (!provider.eligible || !partner.partnerOrgId) {
      throw new AppError(
        'conflict',
        `${partner.name} is not linked to a utility or partner organization of this tree, so nothing can depend on it in the city model yet: link it first (partnerOrgId)`,
      );
    }
    return assetsService.createDependency(ctx, orgId, {
      fromKind: input.fromKind,
      fromId: input.fromId,
      toKind: 'provider',
      toId: partner.partnerOrgId,
      type: input.type,
      redundancyGroup: input.redundancyGroup ?? undefined,
      description: input.description,
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
