import { compareTimestamps } from './time.js';
import { categoryOf } from './types.js';

/**
 * Versioning rules of STIX 2.1 section 3.6: SDOs, SROs, language content and extension definitions are
 * versioned by `modified` under one id; marking definitions and SCOs are not. Once a version is revoked, every
 * later version must stay revoked.
 */

export interface VersionedLike {
  id: string;
  type?: string;
  created?: string;
  modified?: string;
  revoked?: boolean;
  [k: string]: unknown;
}

/**
 * Whether objects of this type carry versions. Custom object types count as versioned because custom
 * objects follow the SDO rules; a custom SCO type cannot be told apart by name, so check `isVersionedObject`.
 */
export function isVersioned(type: string): boolean {
  const category = categoryOf(type);
  if (category === 'sco' || category === 'bundle') return false;
  return type !== 'marking-definition';
}

/** Like isVersioned, but for custom types decides by the presence of `modified`. */
export function isVersionedObject(obj: { type?: unknown; modified?: unknown }): boolean {
  if (typeof obj.type !== 'string') return false;
  if (categoryOf(obj.type) === 'custom') return typeof obj.modified === 'string';
  return isVersioned(obj.type);
}

/** Orders two versions of one object by `modified` (sub-millisecond digits included). */
export function compareVersions(a: VersionedLike, b: VersionedLike): number {
  return compareTimestamps(a.modified, b.modified) ?? 0;
}

/** Versions sorted oldest first (stable for equal `modified`). */
export function sortVersions<T extends VersionedLike>(versions: readonly T[]): T[] {
  return [...versions].sort(compareVersions);
}

/** The version with the greatest `modified`; on a tie the revoked one wins, then the later in the input. */
export function latestVersion<T extends VersionedLike>(versions: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const v of versions) {
    if (!best) {
      best = v;
      continue;
    }
    const cmp = compareVersions(v, best);
    if (cmp > 0 || (cmp === 0 && (v.revoked === true || best.revoked !== true))) best = v;
  }
  return best;
}

/** Whether the object (given all its known versions) is revoked: revocation is final. */
export function isRevoked(versions: readonly VersionedLike[]): boolean {
  return versions.some((v) => v.revoked === true);
}

export type VersionProblem =
  | 'id-mismatch'
  | 'type-mismatch'
  | 'not-versioned'
  | 'created-changed'
  | 'missing-modified'
  | 'duplicate'
  | 'conflict'
  | 'revoked-is-final';

export type VersionCheck =
  | { ok: true; duplicate?: boolean }
  | { ok: false; problem: VersionProblem; message: string };

/**
 * Whether `candidate` may join the stored `versions` of the same object. It need not be the newest: history
 * may arrive out of order, but it must agree with revocation (no non-revoked version after a revoked one, and a
 * revoked candidate cannot precede a later non-revoked version). An identical resend is reported as a duplicate.
 */
export function checkNewVersion(versions: readonly VersionedLike[], candidate: VersionedLike): VersionCheck {
  if (versions.length === 0) return { ok: true };
  const first = versions[0];
  if (versions.some((v) => v.id !== candidate.id)) {
    return { ok: false, problem: 'id-mismatch', message: 'versions must share the same id' };
  }
  if (candidate.type !== undefined && first.type !== undefined && candidate.type !== first.type) {
    return {
      ok: false,
      problem: 'type-mismatch',
      message: `type ${candidate.type} differs from ${first.type}`,
    };
  }
  const sameContent = versions.find((v) => stableStringify(v) === stableStringify(candidate));
  if (sameContent) return { ok: true, duplicate: true };
  if (!isVersionedObject(candidate)) {
    return {
      ok: false,
      problem: 'not-versioned',
      message: `${candidate.type ?? 'this object'} cannot be versioned; a changed copy needs a new id`,
    };
  }
  if (typeof candidate.modified !== 'string') {
    return { ok: false, problem: 'missing-modified', message: 'a new version needs a modified timestamp' };
  }
  if (first.created !== undefined && candidate.created !== first.created) {
    return { ok: false, problem: 'created-changed', message: 'created must stay the same across versions' };
  }
  if (versions.some((v) => compareVersions(v, candidate) === 0)) {
    return {
      ok: false,
      problem: 'conflict',
      message: `another version with modified ${candidate.modified} and different content exists`,
    };
  }
  const revokedBefore = versions.some((v) => v.revoked === true && compareVersions(v, candidate) < 0);
  if (revokedBefore && candidate.revoked !== true) {
    return {
      ok: false,
      problem: 'revoked-is-final',
      message: 'the object was revoked; later versions must stay revoked',
    };
  }
  const liveAfter = versions.some((v) => v.revoked !== true && compareVersions(v, candidate) > 0);
  if (candidate.revoked === true && liveAfter) {
    return {
      ok: false,
      problem: 'revoked-is-final',
      message: 'a revoked version cannot precede a later non-revoked version',
    };
  }
  return { ok: true };
}

/** Indexes (into the input) of versions that break "revoked is final" within one object's history. */
export function revocationViolations(versions: readonly VersionedLike[]): number[] {
  const order = versions.map((v, i) => ({ v, i })).sort((a, b) => compareVersions(a.v, b.v));
  const bad: number[] = [];
  let revokedAt: string | undefined;
  for (const { v, i } of order) {
    if (
      revokedAt !== undefined &&
      v.revoked !== true &&
      (compareTimestamps(v.modified, revokedAt) ?? 0) > 0
    ) {
      bad.push(i);
    }
    if (v.revoked === true && revokedAt === undefined) revokedAt = v.modified;
  }
  return bad.sort((a, b) => a - b);
}

/** JSON with sorted keys, so two copies of an object compare equal whatever their key order. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}
