import { type SQL, sql } from 'drizzle-orm';
import {
  compareTlp,
  strictestTlp,
  TLP_LEVELS,
  TLP2_MARKING_IDS,
  type TlpLevel,
  tlpOf,
} from '../../../core/stix/index.js';

/**
 * Who may read a stored STIX object, by TLP 2.0. Readers act as one organization (the one in the request path);
 * an object has an owner (the organization that imported or created it) and recipients it was shared to: a
 * community (its member organizations become recipients) or a named organization.
 *
 *  - CLEAR: every signed-in reader.
 *  - GREEN: everything AMBER allows, and every community the owner belongs to (members and their subtrees)
 *    without an explicit share: GREEN is meant to circulate within the community.
 *  - AMBER: the owner and every recipient organization, each with its subtree ("those it must tell").
 *  - AMBER+STRICT: the owner and the recipient organizations themselves, never their subtrees.
 *  - RED: the owner and organizations named as recipients; a community share does not carry RED.
 *
 * The same rules exist twice: `canSee` for one object held in memory and `visibleSql` for queries. The
 * policy tests check that both always agree.
 */

export interface Clearance {
  /** The organization the reader acts as. */
  orgId: string;
  /** That organization and its ancestors (the subtrees it sits in). */
  lineage: string[];
  /** Communities the organization itself is a member of. */
  communities: string[];
  /** Communities the organization or one of its ancestors is a member of. */
  lineageCommunities: string[];
}

export interface ObjectAccess {
  ownerOrgId: string;
  tlp: TlpLevel;
  /** Organizations the object was shared to: communities and named organizations. */
  shareTargets: readonly string[];
  /** Communities the owner is a member of. */
  ownerCommunities: readonly string[];
}

export function canSee(obj: ObjectAccess, c: Clearance): boolean {
  if (obj.tlp === 'clear' || obj.ownerOrgId === c.orgId) return true;
  const targets = obj.shareTargets;
  switch (obj.tlp) {
    case 'red':
      return targets.includes(c.orgId);
    case 'amber+strict':
      return targets.some((t) => t === c.orgId || c.communities.includes(t));
    case 'green':
      if (obj.ownerCommunities.some((t) => c.lineage.includes(t) || c.lineageCommunities.includes(t)))
        return true;
      return (
        c.lineage.includes(obj.ownerOrgId) ||
        targets.some((t) => c.lineage.includes(t) || c.lineageCommunities.includes(t))
      );
    case 'amber':
      return (
        c.lineage.includes(obj.ownerOrgId) ||
        targets.some((t) => c.lineage.includes(t) || c.lineageCommunities.includes(t))
      );
    default:
      return false;
  }
}

const arr = (ids: readonly string[]) =>
  ids.length
    ? sql`array[${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}]`
    : sql`array[]::uuid[]`;

/**
 * The policy as a condition on a `stix_objects` row (aliased `alias`; shares looked up by its owner and id).
 */
export function visibleSql(c: Clearance, alias = 'o'): SQL {
  const o = sql.raw(alias);
  const share = (cond: SQL) =>
    sql`exists (select 1 from stix_shares s where s.org_id = ${o}.org_id and s.stix_id = ${o}.stix_id and ${cond})`;
  return sql`(${o}.tlp = 'clear' or ${o}.org_id = ${c.orgId}::uuid
    or (${o}.tlp = 'red' and ${share(sql`s.target_org_id = ${c.orgId}::uuid`)})
    or (${o}.tlp = 'amber+strict' and ${share(sql`s.target_org_id = any(${arr([c.orgId, ...c.communities])})`)})
    or (${o}.tlp in ('amber', 'green') and (${o}.org_id = any(${arr(c.lineage)})
      or ${share(sql`s.target_org_id = any(${arr([...c.lineage, ...c.lineageCommunities])})`)}))
    or (${o}.tlp = 'green' and exists (select 1 from community_members cm where cm.member_org_id = ${o}.org_id
      and cm.org_id = any(${arr([...c.lineage, ...c.lineageCommunities])}))))`;
}

/**
 * Whether an owner may push a stored object version to a remote collection through a feed whose maximum is
 * `max`: the strictest of the version's stored level, its latest version's level (a newer, stricter marking
 * closes older versions too) and the markings in the object itself must be at most `max`, and TLP:RED is never
 * pushed, whatever the maximum.
 */
export function mayPush(levels: readonly (TlpLevel | undefined | null)[], max: TlpLevel): boolean {
  const known = levels.filter((l): l is TlpLevel => !!l);
  // Nothing known, or a level this policy does not know: held back.
  if (!known.length || known.some((l) => !TLP_LEVELS.includes(l))) return false;
  const effective = strictestTlp(known) as TlpLevel;
  return effective !== 'red' && max !== 'red' && compareTlp(effective, max) <= 0;
}

/**
 * An object as it leaves this instance (TAXII, export, push): one without a TLP marking of its own, or with one
 * laxer than the level it is held at here (an older version whose object has since been marked stricter), also
 * gets the TLP 2.0 marking of that level, so the recipient applies it (the strictest marking wins) instead of
 * its default for unmarked content or the older, laxer marking. Marking definitions are not marked.
 */
export function markedAs(object: Record<string, unknown>, level: TlpLevel): Record<string, unknown> {
  if (object.type === 'marking-definition') return object;
  const own = tlpOf(object);
  if (own && compareTlp(own, level) >= 0) return object;
  const refs = Array.isArray(object.object_marking_refs) ? object.object_marking_refs : [];
  return { ...object, object_marking_refs: [...refs, TLP2_MARKING_IDS[level]] };
}
