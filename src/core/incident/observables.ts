import { matchPattern, parseIpBlock, scoId, validateObject } from '../stix/index.js';

/**
 * Incident observables as STIX 2.1 cyber-observable objects (SCOs) with deterministic ids: the same address, name
 * or hash always gets the same id, so one observable seen in two incidents (or shared by two cities) is
 * recognisably the same object.
 */

export const OBSERVABLE_TYPES = [
  'ipv4-addr',
  'ipv6-addr',
  'domain-name',
  'url',
  'email-addr',
  'mac-addr',
  'file',
] as const;
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];

/** Hash algorithms a file observable may carry, with their length in hexadecimal digits. */
export const HASH_ALGORITHMS = { MD5: 32, 'SHA-1': 40, 'SHA-256': 64, 'SHA-512': 128 } as const;
export type HashAlgorithm = keyof typeof HASH_ALGORITHMS;

export interface ObservableInput {
  type: ObservableType;
  value: string;
  /** For a file: the algorithm of the hash in `value` (default SHA-256). */
  hashAlgorithm?: HashAlgorithm;
}

export class ObservableError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ObservableError';
  }
}

const DOMAIN_RE = /^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const EMAIL_RE = /^[^\s@"(),:;<>[\\\]]{1,64}@[^\s@]+$/;
const MAC_RE = /^(?:[0-9a-f]{2}:){5}[0-9a-f]{2}$/;

/** The SCO for an observable, checked by the STIX validator, and the text people read for it. */
export function toSco(input: ObservableInput): { sco: Record<string, unknown>; value: string } {
  const raw = input.value.trim();
  if (!raw) throw new ObservableError('value', 'must not be empty');
  let body: Record<string, unknown>;
  let value: string;
  switch (input.type) {
    case 'ipv4-addr':
    case 'ipv6-addr': {
      const block = parseIpBlock(raw);
      const family = input.type === 'ipv4-addr' ? 4 : 6;
      if (!block || block.family !== family) {
        throw new ObservableError('value', `"${raw}" is not an IPv${family} address or CIDR block`);
      }
      value = family === 6 ? raw.toLowerCase() : raw;
      body = { value };
      break;
    }
    case 'domain-name': {
      value = raw.toLowerCase().replace(/\.$/, '');
      if (!DOMAIN_RE.test(value)) throw new ObservableError('value', `"${raw}" is not a domain name`);
      body = { value };
      break;
    }
    case 'url': {
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        throw new ObservableError('value', `"${raw}" is not an absolute URL`);
      }
      if (!/^[a-z][a-z0-9+.-]*:$/.test(u.protocol) || !u.host) {
        throw new ObservableError('value', `"${raw}" is not an absolute URL with a host`);
      }
      // As given: indicators match the URL text, and normalising it would change what was observed.
      value = raw;
      body = { value };
      break;
    }
    case 'email-addr': {
      const [local, domain] = [raw.slice(0, raw.lastIndexOf('@')), raw.slice(raw.lastIndexOf('@') + 1)];
      value = `${local}@${domain.toLowerCase()}`;
      if (!EMAIL_RE.test(value) || !DOMAIN_RE.test(domain.toLowerCase())) {
        throw new ObservableError('value', `"${raw}" is not an email address`);
      }
      body = { value };
      break;
    }
    case 'mac-addr': {
      value = raw.toLowerCase().replaceAll('-', ':');
      if (!MAC_RE.test(value))
        throw new ObservableError('value', `"${raw}" is not a MAC address (aa:bb:cc:dd:ee:ff)`);
      body = { value };
      break;
    }
    case 'file': {
      const algorithm = input.hashAlgorithm ?? 'SHA-256';
      const hex = raw.toLowerCase();
      const len = HASH_ALGORITHMS[algorithm];
      if (!new RegExp(`^[0-9a-f]{${len}}$`).test(hex)) {
        throw new ObservableError('value', `a ${algorithm} hash is ${len} hexadecimal digits`);
      }
      value = `${algorithm}:${hex}`;
      body = { hashes: { [algorithm]: hex } };
      break;
    }
    default:
      throw new ObservableError('type', `unsupported observable type "${String(input.type)}"`);
  }
  const withType = { type: input.type, ...body };
  const sco = { type: input.type, spec_version: '2.1', id: scoId(withType), ...body };
  const check = validateObject(sco);
  if (!check.valid) {
    throw new ObservableError('value', check.errors.map((e) => e.message).join('; '));
  }
  return { sco, value };
}

export interface ObservedSco {
  sco: Record<string, unknown>;
  seenAt: Date;
}

/**
 * Which observables each indicator's STIX pattern matches. Every observable is one observation (its SCO, seen at
 * `seenAt`), so a pattern joining several observation expressions (`[…] AND […]`, `FOLLOWEDBY`) matches when the
 * incident holds all of them. Returns, per indicator index, the indexes of the observables in any binding found;
 * indicators whose pattern cannot be parsed or evaluated are listed in `unusable` with the reason.
 */
export function matchIndicators(
  observables: readonly ObservedSco[],
  patterns: readonly string[],
): { hits: Map<number, number[]>; unusable: { index: number; reason: string }[] } {
  const hits = new Map<number, number[]>();
  const unusable: { index: number; reason: string }[] = [];
  if (!observables.length) return { hits, unusable };
  const observations = observables.map((o) => ({
    objects: [o.sco],
    first_observed: o.seenAt.toISOString(),
    last_observed: o.seenAt.toISOString(),
    number_observed: 1,
  }));
  const types = new Set(observables.map((o) => String(o.sco.type)));
  patterns.forEach((pattern, index) => {
    // Cheap pre-check: a pattern naming none of the observed types cannot match.
    if (![...types].some((t) => pattern.includes(`${t}:`))) return;
    try {
      const result = matchPattern(pattern, observations, { maxBindings: 1000 });
      if (result.matched)
        hits.set(
          index,
          [...new Set(result.bindings.flat())].sort((a, b) => a - b),
        );
    } catch (e) {
      unusable.push({ index, reason: (e as Error).message });
    }
  });
  return { hits, unusable };
}
