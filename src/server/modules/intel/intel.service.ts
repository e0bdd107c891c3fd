import type { Readable } from 'node:stream';
import type { z } from 'zod';
import {
  checkNewVersion,
  compareVersions,
  type TlpLevel,
  type VersionedLike,
} from '../../../core/stix/index.js';
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { AppError, notFound } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import type { OrgRow } from '../orgs/orgs.repository.js';
import { orgsDirectory, orgsService } from '../orgs/orgs.service.js';
import { type PreparedItem, prepareBatches, preparedObject } from './intel.prepare.js';
import {
  communitiesRepository,
  feedsRepository,
  intelRepository,
  type ObjectFilter,
  type StixRow,
  type SummaryRow,
} from './intel.repository.js';
import type { ImportFailure, ImportReport, ImportUpgrade, ImportWarning } from './intel.schemas.js';
import { type Clearance, markedAs } from './tlp-policy.js';

const BATCH = 2500;
/** Failures, warnings and upgrades beyond this many are counted, not listed. */
const MAX_LISTED_FAILURES = 1000;

export { toRow } from './intel.prepare.js';
export const MAX_BUNDLE_BYTES = 200 * 1024 * 1024;

const toDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

/** The organizations and communities whose data a reader acting as `org` may reach under TLP. */
export async function clearanceOf(db: DbOrTx, org: Pick<OrgRow, 'id' | 'path'>): Promise<Clearance> {
  const lineage = org.path.split('/').filter(Boolean);
  const lineageCommunities = await communitiesRepository.communitiesOf(db, lineage);
  const own = await communitiesRepository.communitiesOf(db, [org.id]);
  return {
    orgId: org.id,
    lineage,
    communities: own.map((c) => c.id),
    lineageCommunities: lineageCommunities.map((c) => c.id),
  };
}

function summary(r: SummaryRow) {
  return {
    stixId: r.stix_id,
    type: r.type,
    name: r.name,
    description: r.description,
    tlp: r.tlp as TlpLevel,
    labels: r.labels ?? [],
    createdByRef: r.created_by_ref,
    modified: toDate(r.modified),
    revoked: r.revoked,
    dateAdded: toDate(r.date_added) as Date,
    ownerOrgId: r.org_id,
    ownerOrgName: r.org_name,
  };
}

const versionInfo = (r: StixRow) => ({
  version: r.version,
  modified: r.modified,
  revoked: r.revoked,
  tlp: r.tlp as TlpLevel,
  dateAdded: r.dateAdded,
});

/**
 * Why TLP 2.0 does not let an owned object go to a share target, or undefined when it may: what was received
 * from another organization's server under AMBER, AMBER+STRICT or RED stays with this organization (and, for
 * AMBER, its own clients), and RED goes to named organizations only, never to a whole community.
 */
export function shareRefusal(
  state: { tlp: string; received_tlp: string | null },
  toCommunity: boolean,
): { rule: 'received' | 'red-to-community'; message: string } | undefined {
  if (state.received_tlp)
    return {
      rule: 'received',
      message: `Received from another organization under TLP:${state.received_tlp.toUpperCase()}: TLP 2.0 does not let it be passed on`,
    };
  if (toCommunity && state.tlp === 'red')
    return {
      rule: 'red-to-community',
      message:
        'TLP:RED goes to named organizations only: share it with a member organization, not a community',
    };
  return undefined;
}

export const intelService = {
  async clearance(ctx: Ctx, orgId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    return clearanceOf(ctx.db, org);
  },

  async list(ctx: Ctx, orgId: string, filter: ObjectFilter, limit: number, offset: number) {
    const c = await intelService.clearance(ctx, orgId);
    const { items, total } = await intelRepository.list(ctx.db, c, filter, limit, offset);
    return { items: items.map(summary), total, limit, offset };
  },

  /**
   * The STIX-pattern indicators a reader acting as `orgId` may see under TLP, for matching observables: only
   * those whose pattern names one of `scoTypes`, newest first, at most `limit` (`truncated` says more exist).
   */
  async visibleIndicators(ctx: Ctx, orgId: string, scoTypes: readonly string[], limit = 50_000) {
    const c = await intelService.clearance(ctx, orgId);
    const found = await intelRepository.visibleIndicators(ctx.db, c, scoTypes, limit);
    return {
      truncated: found.length > limit,
      items: found.slice(0, limit).map((r) => ({
        stixId: r.stix_id,
        tlp: r.tlp as TlpLevel,
        ownerOrgId: r.org_id,
        ownerOrgName: r.org_name,
        object: r.object,
      })),
    };
  },

  async exportBundle(ctx: Ctx, orgId: string, filter: ObjectFilter, limit: number) {
    const c = await intelService.clearance(ctx, orgId);
    const objects = await intelRepository.exportObjects(ctx.db, c, filter, limit);
    return {
      type: 'bundle' as const,
      id: `bundle--${crypto.randomUUID()}`,
      // Unmarked objects leave with the marking of the level they are held at (see markedAs).
      objects: objects.map((o) => markedAs(o.object, o.tlp as TlpLevel)),
    };
  },

  /** Whether an export of `limit` objects with this filter leaves matching objects out. */
  async exportExceeds(ctx: Ctx, orgId: string, filter: ObjectFilter, limit: number) {
    const c = await intelService.clearance(ctx, orgId);
    return intelRepository.exportExceeds(ctx.db, c, filter, limit);
  },

  /** The owner whose copy of the object the reader sees, or 404 when none is visible. */
  async resolve(ctx: Ctx, orgId: string, stixId: string) {
    const c = await intelService.clearance(ctx, orgId);
    const [owner] = await intelRepository.visibleOwners(ctx.db, c, stixId);
    if (!owner) throw notFound('STIX object', stixId);
    return { c, owner };
  },

  async get(ctx: Ctx, orgId: string, stixId: string) {
    const { c, owner } = await intelService.resolve(ctx, orgId, stixId);
    // An older version under a stricter marking stays hidden even when the latest is open to the reader.
    const versions = await intelRepository.versions(ctx.db, owner.org_id, stixId, c);
    const latest = versions.find((v) => v.isLatest) ?? versions[versions.length - 1];
    const owned = owner.org_id === orgId;
    return {
      stixId,
      type: latest.type,
      tlp: latest.tlp as TlpLevel,
      revoked: versions.some((v) => v.revoked),
      ownerOrgId: owner.org_id,
      ownerOrgName: owner.org_name,
      owned,
      dateAdded: latest.dateAdded,
      object: latest.object as Record<string, unknown>,
      versions: versions.map(versionInfo),
      shares: owned ? await intelRepository.sharesOf(ctx.db, orgId, stixId) : [],
    };
  },

  async versions(ctx: Ctx, orgId: string, stixId: string) {
    const { c, owner } = await intelService.resolve(ctx, orgId, stixId);
    const versions = await intelRepository.versions(ctx.db, owner.org_id, stixId, c);
    return {
      items: versions.map((v) => ({ ...versionInfo(v), object: v.object as Record<string, unknown> })),
    };
  },

  /**
   * Everything within `depth` hops of an object over visible relationships and embedded relationships: the
   * references a report, grouping, opinion or note makes in `object_refs`, observed data in `object_refs`, and a
   * sighting in `sighting_of_ref`, `where_sighted_refs` and `observed_data_refs`. An embedded relationship is an
   * edge from the holder to the referenced object, of type `embedded`, labelled with the property name, with the
   * id `<holder>/<property>/<referenced id>`. An edge is kept only when the reader may see both ends and, for an
   * embedded one, the holder (which is its source).
   */
  async graph(ctx: Ctx, orgId: string, stixId: string, depth: number, limit: number) {
    const { c } = await intelService.resolve(ctx, orgId, stixId);
    const hops = new Map<string, number>([[stixId, 0]]);
    const edges = new Map<
      string,
      { id: string; type: string; relationshipType: string | null; source: string; target: string }
    >();
    let frontier = [stixId];
    const nodes = await intelRepository.nodes(ctx.db, c, frontier);
    let truncated = false;
    for (let hop = 1; hop <= depth && frontier.length; hop++) {
      const [relationships, embedded] = await Promise.all([
        intelRepository.edgesTouching(ctx.db, c, frontier, limit + 1),
        intelRepository.embeddedTouching(ctx.db, c, frontier, limit + 1),
      ]);
      if (relationships.length > limit || embedded.length > limit) truncated = true;
      const found = [
        ...relationships.slice(0, limit).map((e) => ({
          id: e.stix_id,
          type: e.type,
          relationshipType: e.relationship_type,
          source: e.source_ref,
          target: e.target_ref,
        })),
        ...embedded.slice(0, limit).map((e) => ({
          id: `${e.holder}/${e.property}/${e.ref}`,
          type: 'embedded',
          relationshipType: e.property,
          source: e.holder,
          target: e.ref,
        })),
      ];
      const next: string[] = [];
      for (const e of found) {
        if (edges.has(e.id)) continue;
        if (edges.size >= limit) {
          truncated = true;
          break;
        }
        edges.set(e.id, e);
        for (const end of [e.source, e.target]) {
          if (!hops.has(end)) {
            hops.set(end, hop);
            next.push(end);
          }
        }
      }
      // Ends the reader may not see are dropped with the edges that reach them, and not walked through.
      const visible = await intelRepository.nodes(ctx.db, c, next);
      nodes.push(...visible);
      frontier = visible.map((n) => n.stix_id);
    }
    const seen = new Set(nodes.map((n) => n.stix_id));
    return {
      root: stixId,
      depth,
      truncated,
      nodes: nodes.map((n) => ({
        id: n.stix_id,
        type: n.type,
        name: n.name,
        tlp: n.tlp as TlpLevel,
        hops: hops.get(n.stix_id) ?? 0,
      })),
      edges: [...edges.values()].filter((e) => seen.has(e.source) && seen.has(e.target)),
    };
  },

  /**
   * Imports a bundle streamed from `source`, in batches of multi-row inserts inside one transaction. Invalid
   * objects are reported and skipped, or, when `atomic`, any failure rolls the whole import back (422).
   * New versions must respect the stored history (same `created`, revocation is final).
   */
  async importBundle(
    ctx: Ctx,
    orgId: string,
    source: Readable,
    opts: {
      atomic?: boolean;
      tlp?: TlpLevel;
      maxBytes?: number;
      /** Receives the id and version of every object stored or already present (TAXII status successes). */
      successes?: { id: string; version: string }[];
      /**
       * The pull feed the bundle came from: what it stored or already held is recorded as received from another
       * organization's server (`intel_received`, which TLP keeps from being passed on) in the same transaction.
       */
      receivedFrom?: string;
    } = {},
  ): Promise<z.infer<typeof ImportReport>> {
    await orgsService.access(ctx, orgId, 'data.write');
    const started = performance.now();
    const atomic = opts.atomic ?? false;
    const defaultTlp = opts.tlp ?? 'amber';
    const successes = opts.successes ?? [];
    const failures: z.infer<typeof ImportFailure>[] = [];
    let failed = 0;
    let total = 0;
    let imported = 0;
    let duplicates = 0;
    let upgraded = 0;
    const upgrades: z.infer<typeof ImportUpgrade>[] = [];
    let warned = 0;
    const warnings: z.infer<typeof ImportWarning>[] = [];
    const fail = (f: z.infer<typeof ImportFailure>) => {
      failed++;
      if (failures.length < MAX_LISTED_FAILURES) failures.push(f);
    };
    const warn = (w: z.infer<typeof ImportWarning>) => {
      warned++;
      if (warnings.length < MAX_LISTED_FAILURES) warnings.push(w);
    };
    /** What validation said of an accepted object: its STIX 2.0 upgrade and the remarks worth reporting. */
    const noteAccepted = (p: PreparedItem) => {
      if (p.changes) {
        upgraded++;
        if (upgrades.length < MAX_LISTED_FAILURES)
          upgrades.push({ index: p.index, id: p.id, changes: p.changes });
      }
      if (p.warnings) for (const w of p.warnings) warn({ index: p.index, id: p.id, ...w });
    };

    // Rows offered for insertion so far: each row's date_added follows from its position (see insertRecords).
    let positioned = 0;
    const flush = async (tx: DbOrTx, batch: PreparedItem[]) => {
      if (!batch.length) return;
      // Known versions of the batch's ids (stored before, or earlier in this import); an id seen once and
      // nowhere else needs no check and its object is never parsed back.
      const history = new Map<string, VersionedLike[]>();
      for (const r of await intelRepository.versionsOf(
        tx,
        orgId,
        batch.map((p) => p.id),
      )) {
        const list = history.get(r.stixId) ?? [];
        list.push(r.object as VersionedLike);
        history.set(r.stixId, list);
      }
      const firstSeen = new Map<string, PreparedItem>();
      const rows: PreparedItem[] = [];
      const versioned = new Set<string>();
      for (const p of batch) {
        let known = history.get(p.id);
        if (!known) {
          const earlier = firstSeen.get(p.id);
          if (!earlier) {
            firstSeen.set(p.id, p);
            rows.push(p);
            continue;
          }
          known = [preparedObject(earlier) as VersionedLike];
          history.set(p.id, known);
        }
        const object = preparedObject(p) as VersionedLike;
        const check = checkNewVersion(known, object);
        if (!check.ok) {
          fail({
            index: p.index,
            id: p.id,
            ...(p.version ? { version: p.version } : {}),
            errors: [{ path: 'modified', rule: check.problem, message: check.message }],
          });
          continue;
        }
        if (check.duplicate) {
          duplicates++;
          successes.push({ id: p.id, version: p.version });
          continue;
        }
        // Every version is kept; one older than the latest known is history, and the report says so.
        let latest: VersionedLike | undefined;
        for (const v of known)
          if (compareVersions(v, object) > 0 && (!latest || compareVersions(v, latest) > 0)) latest = v;
        if (latest) {
          warn({
            index: p.index,
            id: p.id,
            path: 'modified',
            rule: 'older-version',
            message: `kept as history; the latest stays ${latest.modified}`,
          });
        }
        known.push(object);
        versioned.add(p.id);
        rows.push(p);
      }
      imported += await intelRepository.insertChecked(tx, rows, positioned);
      positioned += rows.length;
      for (const r of rows) successes.push({ id: r.id, version: r.version });
      // A row is inserted as the latest; only ids that now hold several versions need the flag recomputed.
      await intelRepository.refreshLatest(tx, orgId, [...versioned]);
    };

    const report = await ctx.db.transaction(async (tx) => {
      await intelRepository.beginBulkLoad(tx);
      const batches = prepareBatches(source, {
        orgId,
        defaultTlp,
        maxBytes: opts.maxBytes ?? MAX_BUNDLE_BYTES,
        batchSize: BATCH,
      });
      // While one batch is written, the next is parsed and validated: with PostgreSQL the two run at once.
      let writing: Promise<void> | undefined;
      for await (const prepared of batches) {
        await writing;
        total = prepared.total;
        for (const f of prepared.failures) fail(f);
        for (const p of prepared.items) if (p.changes || p.warnings) noteAccepted(p);
        if (atomic && failed) continue;
        writing = flush(tx, prepared.items);
        // Awaited before the next batch or after the last; a failure is raised there.
        writing.catch(() => {});
      }
      await writing;
      if (total === 0) {
        throw new AppError(
          'validation',
          'Not a STIX bundle: expected a JSON object with a non-empty "objects" array',
          {
            errors: [{ path: 'objects', message: 'missing or empty' }],
          },
        );
      }
      const result = {
        total,
        imported,
        duplicates,
        failed,
        failures,
        failuresTruncated: failed > failures.length,
        warned,
        // Remarks of the validation and of the version check come at different times: listed in bundle order.
        warnings: warnings.sort((a, b) => a.index - b.index),
        warningsTruncated: warned > warnings.length,
        upgraded,
        upgrades,
        upgradesTruncated: upgraded > upgrades.length,
        atomic,
        elapsedMs: Math.round(performance.now() - started),
      };
      if (atomic && failed) {
        throw new AppError('validation', `${failed} of ${total} objects are invalid: nothing was imported`, {
          extra: { report: { ...result, imported: 0 } },
        });
      }
      if (opts.receivedFrom) await feedsRepository.markReceived(tx, orgId, opts.receivedFrom, successes);
      await intelRepository.endBulkLoad(tx);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'intel.import',
        targetType: 'stix-bundle',
        after: { total, imported, duplicates, failed, defaultTlp },
      });
      return result;
    });
    return report;
  },

  async share(ctx: Ctx, orgId: string, stixId: string, targetOrgId: string) {
    await orgsService.access(ctx, orgId, 'data.analyze');
    return ctx.db.transaction(async (tx) => {
      const [state] = await intelRepository.shareStates(tx, orgId, [stixId]);
      if (!state) throw notFound('STIX object', stixId);
      const target = await orgsDirectory.byId(tx, targetOrgId);
      if (!target || !(await intelService.mayShareTo(tx, orgId, target))) {
        throw new AppError(
          'validation',
          'Share to a community this organization belongs to, or to a member organization of one of them',
          {
            errors: [
              { path: 'targetOrgId', message: 'not a community or community member of this organization' },
            ],
          },
        );
      }
      const refusal = shareRefusal(state, target.kind === 'community');
      if (refusal?.rule === 'received')
        throw new AppError('forbidden', refusal.message, {
          errors: [{ path: 'stixId', message: refusal.message }],
        });
      if (refusal)
        throw new AppError('validation', refusal.message, {
          errors: [{ path: 'targetOrgId', message: refusal.message }],
        });
      await intelRepository.addShare(tx, { orgId, stixId, targetOrgId, sharedBy: ctx.actor.userId });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'intel.share',
        targetType: 'stix-object',
        targetId: stixId,
        after: { targetOrgId, targetName: target.name },
      });
      return intelRepository.sharesOf(tx, orgId, stixId);
    });
  },

  /**
   * Shares many owned objects to one community in one change (TAXII POST to a community collection). Objects
   * TLP does not let go to a community are left out; they are returned with the reason.
   */
  async shareMany(
    ctx: Ctx,
    orgId: string,
    stixIds: readonly string[],
    targetOrgId: string,
  ): Promise<{ id: string; message: string }[]> {
    await orgsService.access(ctx, orgId, 'data.analyze');
    if (!stixIds.length) return [];
    return ctx.db.transaction(async (tx) => {
      const target = await orgsDirectory.byId(tx, targetOrgId);
      if (!target || !(await intelService.mayShareTo(tx, orgId, target))) {
        throw new AppError('forbidden', 'This organization may not share to that community');
      }
      const refused: { id: string; message: string }[] = [];
      let shared = 0;
      for (const state of await intelRepository.shareStates(tx, orgId, [...new Set(stixIds)])) {
        const refusal = shareRefusal(state, target.kind === 'community');
        if (refusal) {
          refused.push({ id: state.stix_id, message: refusal.message });
          continue;
        }
        const added = await intelRepository.addShare(tx, {
          orgId,
          stixId: state.stix_id,
          targetOrgId,
          sharedBy: ctx.actor.userId,
        });
        if (added) shared++;
      }
      await auditService.record(tx, ctx, {
        orgId,
        action: 'intel.share',
        targetType: 'stix-object',
        after: { targetOrgId, targetName: target.name, count: shared, refused: refused.length },
      });
      return refused;
    });
  },

  /** Deletes versions of an owned object (all of them, or those matching TAXII's match[version]). */
  async deleteVersions(ctx: Ctx, orgId: string, stixId: string, versions: string[] | undefined) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const deleted = await intelRepository.deleteVersions(tx, orgId, stixId, versions);
      if (!deleted) throw notFound('STIX object', stixId);
      await intelRepository.refreshLatest(tx, orgId, [stixId]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'intel.delete',
        targetType: 'stix-object',
        targetId: stixId,
        before: { versions: versions ?? ['all'], deleted },
      });
    });
  },

  /** Sharing stays within the owner's communities: the community itself or one of its members by name. */
  async mayShareTo(db: DbOrTx, orgId: string, target: OrgRow) {
    const communities = await communitiesRepository.communitiesOf(db, [orgId]);
    if (communities.some((c) => c.id === target.id)) return true;
    for (const c of communities) if (await communitiesRepository.isMember(db, c.id, target.id)) return true;
    return false;
  },

  async unshare(ctx: Ctx, orgId: string, stixId: string, targetOrgId: string) {
    await orgsService.access(ctx, orgId, 'data.analyze');
    await ctx.db.transaction(async (tx) => {
      const removed = await intelRepository.removeShare(tx, orgId, stixId, targetOrgId);
      if (!removed) throw notFound('Share of', stixId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'intel.unshare',
        targetType: 'stix-object',
        targetId: stixId,
        before: { targetOrgId },
      });
    });
  },
};

/** A community's default level: one that keeps what it covers within the community (see CommunitySettings). */
type CommunityTlp = 'green' | 'amber' | 'amber+strict';

const notACommunity = (name: string) =>
  new AppError(
    'conflict',
    `${name} is not a community: only communities have members and community settings`,
  );

export const communitiesService = {
  /** Communities the organization is a member of (where it can share). */
  async communitiesOf(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    return { items: await communitiesRepository.communitiesOf(ctx.db, [orgId]) };
  },

  /** Members of a community organization (none for other kinds of organization). */
  async members(ctx: Ctx, communityId: string) {
    await orgsService.access(ctx, communityId, 'org.read');
    return { items: await communitiesRepository.members(ctx.db, communityId) };
  },

  /**
   * A community's settings: the level of objects published to it without a TLP marking (null for an
   * organization of another kind, which has no community settings, as it has no members).
   */
  async settings(ctx: Ctx, communityId: string): Promise<{ defaultTlp: CommunityTlp | null }> {
    const community = await orgsService.access(ctx, communityId, 'org.read');
    if (community.kind !== 'community') return { defaultTlp: null };
    return { defaultTlp: (await communitiesRepository.defaultTlp(ctx.db, communityId)) as CommunityTlp };
  },

  async updateSettings(ctx: Ctx, communityId: string, input: { defaultTlp: CommunityTlp }) {
    const community = await orgsService.access(ctx, communityId, 'org.manage');
    if (community.kind !== 'community') throw notACommunity(community.name);
    return ctx.db.transaction(async (tx) => {
      const before = await communitiesRepository.defaultTlp(tx, communityId);
      await communitiesRepository.setDefaultTlp(tx, communityId, input.defaultTlp);
      await auditService.record(tx, ctx, {
        orgId: communityId,
        action: 'community.settings.update',
        targetType: 'organization',
        targetId: communityId,
        before: { defaultTlp: before },
        after: { defaultTlp: input.defaultTlp },
      });
      return { defaultTlp: input.defaultTlp };
    });
  },

  async addMember(ctx: Ctx, communityId: string, memberOrgId: string) {
    const community = await orgsService.access(ctx, communityId, 'org.manage');
    if (community.kind !== 'community') throw notACommunity(community.name);
    return ctx.db.transaction(async (tx) => {
      const member = await orgsDirectory.byId(tx, memberOrgId);
      if (!member || member.id === communityId) {
        throw new AppError('validation', 'The member must be another existing organization', {
          errors: [{ path: 'memberOrgId', message: 'unknown organization' }],
        });
      }
      const added = await communitiesRepository.add(tx, communityId, memberOrgId);
      if (!added) throw new AppError('conflict', `${member.name} is already a member`);
      await auditService.record(tx, ctx, {
        orgId: communityId,
        action: 'community.member.add',
        targetType: 'organization',
        targetId: memberOrgId,
        after: { memberOrgId, name: member.name },
      });
      return {
        orgId: member.id,
        name: member.name,
        slug: member.slug,
        kind: member.kind,
        createdAt: added.createdAt,
      };
    });
  },

  async removeMember(ctx: Ctx, communityId: string, memberOrgId: string) {
    await orgsService.access(ctx, communityId, 'org.manage');
    await ctx.db.transaction(async (tx) => {
      const removed = await communitiesRepository.remove(tx, communityId, memberOrgId);
      if (!removed) throw notFound('Community member', memberOrgId);
      await auditService.record(tx, ctx, {
        orgId: communityId,
        action: 'community.member.remove',
        targetType: 'organization',
        targetId: memberOrgId,
        before: { memberOrgId },
      });
    });
  },
};
