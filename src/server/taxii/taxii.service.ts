import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { strictestTlp, type TlpLevel } from '../../core/stix/index.js';
import type { Collection, ManifestRecord, Status } from '../../core/taxii/index.js';
import { STIX_MEDIA_TYPE } from '../../core/taxii/index.js';
import { type Ctx, can } from '../context.js';
import { AppError } from '../errors.js';
import { communitiesRepository } from '../modules/intel/intel.repository.js';
import { clearanceOf, intelService } from '../modules/intel/intel.service.js';
import { markedAs } from '../modules/intel/tlp-policy.js';
import type { OrgRow } from '../modules/orgs/orgs.repository.js';
import { orgsService } from '../modules/orgs/orgs.service.js';
import { type CollectionScope, type TaxiiQuery, taxiiRepository } from './taxii.repository.js';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

/**
 * An API root is one organization: its collections are everything it may see (id = the organization's id) and
 * one per community it belongs to (id = the community's id).
 */
async function collectionsOf(ctx: Ctx, root: OrgRow): Promise<(Collection & { scope: CollectionScope })[]> {
  const media_types = [STIX_MEDIA_TYPE];
  // A read-only API token writes nowhere, whatever its user's role (the request hook refuses its POST and DELETE).
  const tokenWrites = ctx.actor.via !== 'token' || ctx.actor.tokenScope === 'write';
  const list: (Collection & { scope: CollectionScope })[] = [
    {
      id: root.id,
      title: `${root.name}: all visible intelligence`,
      description: 'Every STIX object this organization may see under TLP; objects added here belong to it.',
      can_read: true,
      can_write: tokenWrites && can(ctx.actor, root, 'data.write'),
      media_types,
      scope: { kind: 'all' },
    },
  ];
  for (const c of await communitiesRepository.communitiesOf(ctx.db, [root.id])) {
    list.push({
      id: c.id,
      title: c.name,
      description: `What members shared to ${c.name}; objects added here are shared to it.`,
      can_read: true,
      can_write: tokenWrites && can(ctx.actor, root, 'data.analyze'),
      media_types,
      scope: { kind: 'community', communityId: c.id },
    });
  }
  return list;
}

export interface PageRequest {
  addedAfter?: string;
  limit?: number;
  next?: string;
  match: { id?: string[]; type?: string[]; version?: string[]; spec_version?: string[] };
}

/** `next` is bound to the query it came from: the same filters must come with it. */
function fingerprint(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

function encodeNext(position: [string, string, string, string], fp: string) {
  return Buffer.from(JSON.stringify({ p: position, f: fp })).toString('base64url');
}

function decodeNext(next: string, fp: string): [string, string, string, string] {
  try {
    const { p, f } = JSON.parse(Buffer.from(next, 'base64url').toString('utf8'));
    if (f === fp && Array.isArray(p) && p.length === 4 && p.every((x) => typeof x === 'string'))
      return p as never;
  } catch {
    // Falls through to the error below: a damaged token is as unusable as a foreign one.
  }
  throw new AppError(
    'bad_request',
    'The next parameter does not belong to this query (same filters are required)',
  );
}

export const taxiiService = {
  async root(ctx: Ctx, rootId: string) {
    return orgsService.access(ctx, rootId, 'data.read');
  },

  async discoveryRoots(ctx: Ctx) {
    const orgs = await orgsService.listVisible(ctx);
    return orgs.filter((o) => can(ctx.actor, o, 'data.read'));
  },

  async collections(ctx: Ctx, rootId: string) {
    const root = await taxiiService.root(ctx, rootId);
    return (await collectionsOf(ctx, root)).map(({ scope: _scope, ...c }) => c);
  },

  /**
   * What an organization's people need to point a TAXII client at it: its API root and each collection with
   * what the caller may do there and how many objects it serves to the organization.
   */
  async overview(ctx: Ctx, rootId: string, base: string, maxContentLength: number) {
    const root = await taxiiService.root(ctx, rootId);
    const c = await clearanceOf(ctx.db, root);
    const apiRootUrl = `${base}/taxii2/${root.id}/`;
    const collections = [];
    for (const { scope, ...col } of await collectionsOf(ctx, root)) {
      collections.push({
        id: col.id,
        kind: scope.kind,
        title: col.title,
        description: col.description ?? '',
        canRead: col.can_read,
        canWrite: col.can_write,
        url: `${apiRootUrl}collections/${col.id}/`,
        objects: await taxiiRepository.count(ctx.db, c, scope),
      });
    }
    return {
      discoveryUrl: `${base}/taxii2/`,
      apiRootUrl,
      maxContentLength,
      collections,
    };
  },

  async collection(ctx: Ctx, rootId: string, collectionId: string) {
    const root = await taxiiService.root(ctx, rootId);
    const found = (await collectionsOf(ctx, root)).find((c) => c.id === collectionId);
    if (!found) throw new AppError('not_found', `Collection ${collectionId} was not found`);
    return { root, collection: found };
  },

  /** One page of object versions, with the headers' first and last date_added. */
  async page(
    ctx: Ctx,
    rootId: string,
    collectionId: string,
    endpoint: 'objects' | 'manifest' | 'object' | 'versions',
    req: PageRequest,
  ) {
    const { root, collection } = await taxiiService.collection(ctx, rootId, collectionId);
    const limit = Math.min(req.limit ?? DEFAULT_PAGE, MAX_PAGE);
    for (const v of req.match.version ?? []) {
      if (!['last', 'first', 'all'].includes(v) && Number.isNaN(Date.parse(v))) {
        throw new AppError(
          'bad_request',
          `match[version] must be last, first, all or a timestamp, not "${v}"`,
        );
      }
    }
    if (req.addedAfter && Number.isNaN(Date.parse(req.addedAfter))) {
      throw new AppError('bad_request', 'added_after must be an RFC 3339 timestamp');
    }
    const fp = fingerprint([rootId, collectionId, endpoint, req.addedAfter, req.match, limit]);
    const query: TaxiiQuery = {
      addedAfter: req.addedAfter,
      ids: req.match.id,
      types: req.match.type,
      versions: endpoint === 'versions' ? ['all'] : req.match.version,
      specVersions: req.match.spec_version,
      after: req.next ? decodeNext(req.next, fp) : undefined,
      limit,
    };
    const c = await clearanceOf(ctx.db, root);
    const found = await taxiiRepository.page(
      ctx.db,
      c,
      collection.scope,
      query,
      endpoint !== 'manifest' && endpoint !== 'versions',
    );
    const more = found.length > limit;
    const items = found.slice(0, limit);
    // An object leaves marked with the level it is held at (the stricter of the version's and its latest
    // version's) when its own marking is absent or laxer (see markedAs).
    for (const r of items) {
      if (!r.object || !r.tlp) continue;
      const level = strictestTlp([r.tlp, r.latest_tlp ?? r.tlp] as TlpLevel[]) as TlpLevel;
      r.object = markedAs(r.object, level);
    }
    const last = items[items.length - 1];
    return {
      items,
      more,
      next:
        more && last
          ? encodeNext([last.date_added, last.org_id, last.stix_id, last.key_version], fp)
          : undefined,
      first: items[0]?.date_added,
      last: last?.date_added,
    };
  },

  manifestRecord(r: { stix_id: string; date_added: string; version: string }): ManifestRecord {
    return { id: r.stix_id, date_added: r.date_added, version: r.version, media_type: STIX_MEDIA_TYPE };
  },

  async add(
    ctx: Ctx,
    rootId: string,
    collectionId: string,
    body: Readable,
    maxContentLength: number,
  ): Promise<Status> {
    const { root, collection } = await taxiiService.collection(ctx, rootId, collectionId);
    if (!collection.can_write) throw new AppError('forbidden', 'You may not add objects to this collection');
    const requestTimestamp = new Date().toISOString();
    const successes: { id: string; version: string }[] = [];
    // Objects without a TLP marking take the community's default level; posted to the root's own collection,
    // the import's (AMBER).
    const tlp =
      collection.scope.kind === 'community'
        ? ((await communitiesRepository.defaultTlp(ctx.db, collection.scope.communityId)) as TlpLevel)
        : undefined;
    const report = await intelService.importBundle(ctx, root.id, body, {
      tlp,
      successes,
      maxBytes: maxContentLength,
    });
    // Objects TLP keeps out of the community are stored (in the root organization's own collection) but not
    // added to the community's: failures here, saying so. So are all of them if sharing fails altogether (the
    // organization left the community meanwhile): the import has committed, and the status says what happened.
    const refused = new Map<string, string>();
    if (collection.scope.kind === 'community') {
      const notShared = (why: string) =>
        `stored in ${root.name}'s own collection, not added to this community's: ${why}`;
      try {
        const ids = successes.map((s) => s.id);
        for (const r of await intelService.shareMany(ctx, root.id, ids, collection.scope.communityId))
          refused.set(r.id, notShared(r.message));
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        for (const s of successes) refused.set(s.id, notShared(e.message));
      }
    }
    // Section 4.3.1: an object with neither modified nor created is named by a version consistent with the
    // server's, the date_added its manifest record and versions show.
    const unversioned = await taxiiRepository.unversioned(
      ctx.db,
      root.id,
      successes.filter((s) => s.version === '').map((s) => s.id),
    );
    const named = successes.map((s) => ({ id: s.id, version: s.version || (unversioned.get(s.id) ?? '') }));
    const added = named.filter((s) => !refused.has(s.id));
    const kept = named
      .filter((s) => refused.has(s.id))
      .map((s) => ({ ...s, message: refused.get(s.id) as string }));
    const status: Status = {
      id: randomUUID(),
      status: 'complete',
      request_timestamp: requestTimestamp,
      total_count: report.total,
      success_count: added.length,
      successes: added,
      failure_count: report.failed + kept.length,
      // An object without an id is named by its place in the envelope (counted from 0), which the message repeats.
      failures: [
        ...report.failures.map((f) => ({
          id: f.id ?? `index ${f.index}`,
          version: f.version ?? '',
          message: `object ${f.index}: ${f.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        })),
        ...kept,
      ],
      pending_count: 0,
      pendings: [],
    };
    await taxiiRepository.saveStatus(ctx.db, status.id, root.id, status);
    return status;
  },

  async status(ctx: Ctx, rootId: string, statusId: string) {
    const root = await taxiiService.root(ctx, rootId);
    const body = await taxiiRepository.status(ctx.db, root.id, statusId);
    if (!body) throw new AppError('not_found', `Status ${statusId} was not found`);
    return body as Status;
  },

  /** Deletes the root organization's own versions; from a community collection it withdraws the share. */
  async remove(
    ctx: Ctx,
    rootId: string,
    collectionId: string,
    objectId: string,
    versions: string[] | undefined,
  ) {
    const { root, collection } = await taxiiService.collection(ctx, rootId, collectionId);
    if (!collection.can_write) throw new AppError('forbidden', 'You may not delete from this collection');
    if (collection.scope.kind === 'community') {
      await intelService.unshare(ctx, root.id, objectId, collection.scope.communityId);
      return;
    }
    await orgsService.access(ctx, root.id, 'data.write');
    if (!(await taxiiRepository.ownsAny(ctx.db, root.id, objectId))) {
      throw new AppError('not_found', `Object ${objectId} was not found`);
    }
    await intelService.deleteVersions(ctx, root.id, objectId, versions);
  },
};
