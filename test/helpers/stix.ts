import { randomUUID } from 'node:crypto';
import { TLP2_MARKING_IDS, type TlpLevel } from '../../src/core/stix/index.js';

export const T0 = '2026-01-01T00:00:00.000Z';

/** A STIX 2.1 object of `type` named `name` with a fresh id, marked with `tlp` when given. */
export const sdo = (type: string, name: string, tlp?: TlpLevel, extra: Record<string, unknown> = {}) => ({
  type,
  spec_version: '2.1',
  id: `${type}--${randomUUID()}`,
  created: T0,
  modified: T0,
  name,
  ...(tlp ? { object_marking_refs: [TLP2_MARKING_IDS[tlp]] } : {}),
  ...extra,
});

/** A valid STIX 2.1 indicator with a fresh id, marked with `tlp` when given. */
export function indicator(name: string, tlp?: TlpLevel, extra: Record<string, unknown> = {}) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: T0,
    modified: T0,
    name,
    description: `${name} seen in phishing`,
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    pattern_type: 'stix',
    valid_from: T0,
    labels: ['phishing'],
    ...(tlp ? { object_marking_refs: [TLP2_MARKING_IDS[tlp]] } : {}),
    ...extra,
  };
}

export const bundleOf = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });
