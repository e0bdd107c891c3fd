import canonicalize from 'canonicalize';
import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';

/** Namespace for deterministic SCO ids (STIX 2.1 section 2.9). */
export const SCO_ID_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

const TYPE_RE = /^[a-z][a-z0-9-]+[a-z0-9]$/;
// Case-insensitive on purpose: RFC 4122 readers must accept upper case even though writers emit lower case.
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The type and UUID of `<type>--<uuid>`, or undefined when either is malformed. A type has no `--` and does not
 * end with `-`, so the first `--` is the separator. (Cut at it rather than matched with one regular expression:
 * a pattern whose type part may contain `-` backtracks over the whole UUID, and an import checks every id and
 * reference of every object.)
 */
function splitId(id: string): [type: string, uuid: string] | undefined {
  const cut = id.indexOf('--');
  if (cut < 3 || id.length !== cut + 38) return undefined;
  const type = id.slice(0, cut);
  const uuid = id.slice(cut + 2);
  return TYPE_RE.test(type) && UUID_RE.test(uuid) ? [type, uuid] : undefined;
}

/**
 * The id-contributing properties per SCO type (STIX 2.1 section 6, one table per object). `process` has none:
 * the spec recommends UUIDv4 ids for it.
 */
export const SCO_ID_CONTRIBUTING_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  artifact: ['hashes', 'payload_bin'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': [
    'start',
    'end',
    'src_ref',
    'dst_ref',
    'src_port',
    'dst_port',
    'protocols',
    'extensions',
  ],
  process: [],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'windows-registry-key': ['key', 'values'],
  'x509-certificate': ['hashes', 'serial_number'],
};

// Section 2.9: when `hashes` contributes, exactly one hash is used, picked in this order of preference.
const HASH_PREFERENCE = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

function chooseOneHash(hashes: Record<string, unknown>): Record<string, unknown> | undefined {
  for (const algo of HASH_PREFERENCE) {
    if (algo in hashes) return { [algo]: hashes[algo] };
  }
  // No preferred algorithm: the first key in document order, as the reference implementation does.
  const first = Object.keys(hashes)[0];
  return first === undefined ? undefined : { [first]: hashes[first] };
}

export function isStixType(type: unknown): type is string {
  return typeof type === 'string' && TYPE_RE.test(type) && type.length <= 250 && !type.includes('--');
}

/** True for `<type>--<uuid>` with a syntactically valid type and UUID (any version). */
export function isStixId(id: unknown, type?: string): id is string {
  if (typeof id !== 'string') return false;
  const parts = splitId(id);
  return parts !== undefined && (type === undefined || parts[0] === type);
}

/** The type part of an id, or undefined when it is not an id. */
export function typeOfId(id: unknown): string | undefined {
  return typeof id === 'string' ? splitId(id)?.[0] : undefined;
}

/** The UUID part of an id, or undefined. */
export function uuidOfId(id: unknown): string | undefined {
  return typeof id === 'string' ? splitId(id)?.[1] : undefined;
}

/** UUID version (1–8) from the version nibble, or undefined when not a UUID. */
export function uuidVersion(uuid: string): number | undefined {
  if (!UUID_RE.test(uuid)) return undefined;
  return Number.parseInt(uuid[14], 16);
}

/** RFC 4122 variant bits `10xx` (8, 9, a, b). */
export function hasRfc4122Variant(uuid: string): boolean {
  return UUID_RE.test(uuid) && /[89ab]/i.test(uuid[19]);
}

/** A fresh random id for any type (UUIDv4, as required for SDOs and SROs). */
export function newId(type: string): string {
  if (!isStixType(type)) throw new TypeError(`not a STIX type name: ${JSON.stringify(type)}`);
  return `${type}--${uuidv4()}`;
}

/**
 * The object holding exactly the id-contributing properties present on `sco`, as canonicalised for the id.
 * Undefined when the type has no contributing properties or none is present.
 */
export function scoIdContributions(sco: Record<string, unknown>): Record<string, unknown> | undefined {
  const type = sco.type;
  if (typeof type !== 'string') return undefined;
  const props = SCO_ID_CONTRIBUTING_PROPERTIES[type];
  if (!props) return undefined;
  const out: Record<string, unknown> = {};
  for (const prop of props) {
    const value = sco[prop];
    if (value === undefined || value === null) continue;
    if (prop === 'hashes') {
      if (typeof value !== 'object' || Array.isArray(value)) continue;
      const one = chooseOneHash(value as Record<string, unknown>);
      if (one) out[prop] = one;
    } else {
      out[prop] = value;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Deterministic SCO id: UUIDv5 in the STIX namespace over the RFC 8785 canonical JSON of the id-contributing
 * properties. Custom SCO types and SCOs without any contributing property get a random UUIDv4 id, as the
 * specification prescribes; pass `contributing` to give a custom type its own property list.
 */
export function scoId(sco: { type: string; [k: string]: unknown }, contributing?: readonly string[]): string {
  if (!isStixType(sco.type)) throw new TypeError(`not a STIX type name: ${JSON.stringify(sco.type)}`);
  const source = contributing
    ? Object.fromEntries(contributing.filter((p) => sco[p] !== undefined).map((p) => [p, sco[p]]))
    : scoIdContributions(sco);
  if (!source || Object.keys(source).length === 0) return `${sco.type}--${uuidv4()}`;
  const json = canonicalize(source);
  if (json === undefined) throw new TypeError('id-contributing properties are not JSON-serialisable');
  return `${sco.type}--${uuidv5(json, SCO_ID_NAMESPACE)}`;
}

/** Whether `sco.id` equals the deterministic id its contributing properties give (false for UUIDv4 types). */
export function hasDeterministicId(sco: { type: string; id?: unknown; [k: string]: unknown }): boolean {
  if (!scoIdContributions(sco)) return false;
  return typeof sco.id === 'string' && sco.id.toLowerCase() === scoId(sco);
}
