import type { MarkingDefinition } from './types.js';

/**
 * Traffic Light Protocol markings. TLP 2.0 is expressed with the OASIS marking-definition extension
 * (extension-definition--60a3c5c5-…); TLP 1.0 with the four objects of STIX 2.1 section 7.2.1.4. Both sets use
 * fixed, well-known ids that every producer must reuse, so markings are recognised by id.
 */

export type TlpLevel = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

/** Least to most restrictive. */
export const TLP_LEVELS: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

export const TLP_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const TLP2_MARKING_IDS: Readonly<Record<TlpLevel, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** TLP 1.0 has no AMBER+STRICT; WHITE is the predecessor of CLEAR. */
export const TLP1_MARKING_IDS: Readonly<Record<'white' | 'green' | 'amber' | 'red', string>> = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};

const TLP2_NAMES: Readonly<Record<TlpLevel, string>> = {
  clear: 'TLP:CLEAR',
  green: 'TLP:GREEN',
  amber: 'TLP:AMBER',
  'amber+strict': 'TLP:AMBER+STRICT',
  red: 'TLP:RED',
};

function tlp2Marking(level: TlpLevel): MarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[level],
    created: '2022-10-01T00:00:00.000Z',
    name: TLP2_NAMES[level],
    extensions: { [TLP_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

function tlp1Marking(level: 'white' | 'green' | 'amber' | 'red'): MarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP1_MARKING_IDS[level],
    created: '2017-01-20T00:00:00.000Z',
    definition_type: 'tlp',
    name: `TLP:${level.toUpperCase()}`,
    definition: { tlp: level },
  };
}

/** The official TLP 2.0 marking-definition objects (as published by OASIS). */
export const TLP_MARKINGS: Readonly<Record<TlpLevel, MarkingDefinition>> = {
  clear: tlp2Marking('clear'),
  green: tlp2Marking('green'),
  amber: tlp2Marking('amber'),
  'amber+strict': tlp2Marking('amber+strict'),
  red: tlp2Marking('red'),
};

/** The TLP 1.0 marking-definition objects of the STIX 2.1 specification. */
export const TLP1_MARKINGS: Readonly<Record<'white' | 'green' | 'amber' | 'red', MarkingDefinition>> = {
  white: tlp1Marking('white'),
  green: tlp1Marking('green'),
  amber: tlp1Marking('amber'),
  red: tlp1Marking('red'),
};

const LEVEL_BY_ID: ReadonlyMap<string, { level: TlpLevel; version: 1 | 2 }> = new Map<
  string,
  { level: TlpLevel; version: 1 | 2 }
>([
  ...TLP_LEVELS.map((level) => [TLP2_MARKING_IDS[level], { level, version: 2 as const }] as const),
  [TLP1_MARKING_IDS.white, { level: 'clear', version: 1 }],
  [TLP1_MARKING_IDS.green, { level: 'green', version: 1 }],
  [TLP1_MARKING_IDS.amber, { level: 'amber', version: 1 }],
  [TLP1_MARKING_IDS.red, { level: 'red', version: 1 }],
]);

export function isTlpMarkingId(id: unknown): boolean {
  return typeof id === 'string' && LEVEL_BY_ID.has(id);
}

/** TLP 2.0 level a marking id stands for (TLP 1.0 ids map to their 2.0 equivalent), or undefined. */
export function tlpLevelOfMarking(id: unknown): TlpLevel | undefined {
  return typeof id === 'string' ? LEVEL_BY_ID.get(id)?.level : undefined;
}

/** TLP version (1 or 2) of a marking id, or undefined when it is not a TLP marking. */
export function tlpVersionOfMarking(id: unknown): 1 | 2 | undefined {
  return typeof id === 'string' ? LEVEL_BY_ID.get(id)?.version : undefined;
}

/** The TLP 2.0 marking id equivalent to any TLP marking id (identity for 2.0 ids). */
export function toTlp2MarkingId(id: string): string | undefined {
  const level = tlpLevelOfMarking(id);
  return level ? TLP2_MARKING_IDS[level] : undefined;
}

/** Negative when `a` is less restrictive than `b`. */
export function compareTlp(a: TlpLevel, b: TlpLevel): number {
  return TLP_LEVELS.indexOf(a) - TLP_LEVELS.indexOf(b);
}

/** The most restrictive of the given levels, or undefined for none. */
export function strictestTlp(levels: Iterable<TlpLevel>): TlpLevel | undefined {
  let best: TlpLevel | undefined;
  for (const level of levels) if (!best || compareTlp(level, best) > 0) best = level;
  return best;
}

export interface TlpOfOptions {
  /**
   * Whether granular markings count (default true). They restrict only parts of the object, but a reader who
   * may see the object sees those parts too, so access decisions should include them.
   */
  includeGranular?: boolean;
}

/** The strictest TLP level marking the object, or undefined when it carries no TLP marking. */
export function tlpOf(
  obj: { object_marking_refs?: unknown; granular_markings?: unknown },
  options: TlpOfOptions = {},
): TlpLevel | undefined {
  const levels: TlpLevel[] = [];
  if (Array.isArray(obj.object_marking_refs)) {
    for (const ref of obj.object_marking_refs) {
      const level = tlpLevelOfMarking(ref);
      if (level) levels.push(level);
    }
  }
  if (options.includeGranular !== false && Array.isArray(obj.granular_markings)) {
    for (const gm of obj.granular_markings) {
      const level = tlpLevelOfMarking((gm as { marking_ref?: unknown } | null)?.marking_ref);
      if (level) levels.push(level);
    }
  }
  return strictestTlp(levels);
}
