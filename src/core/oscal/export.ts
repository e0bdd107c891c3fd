import { formatPath, OscalError } from './errors.js';
import { type ParseOptions, parseCatalog, parseProfile } from './parse.js';
import { oscalSchemas } from './schema.js';
import type { Catalog, Profile } from './types.js';

function checked<T>(type: 'catalog' | 'profile', value: T): T {
  const result = oscalSchemas(false)[type].safeParse(value);
  if (!result.success) {
    throw new OscalError(
      'invalid-document',
      result.error.issues.map((i) => ({ path: formatPath(type, i.path), message: i.message })),
    );
  }
  return value;
}

/** The catalog as an OSCAL JSON document object (`{ catalog }`), validated so an edit cannot export garbage. */
export function exportCatalog(catalog: Catalog): { catalog: Catalog } {
  return { catalog: structuredClone(checked('catalog', catalog)) };
}

export function exportProfile(profile: Profile): { profile: Profile } {
  return { profile: structuredClone(checked('profile', profile)) };
}

/** OSCAL JSON text, two-space indented like NIST's published content. */
export function toOscalJson(
  document: { catalog: Catalog } | { profile: Profile } | Record<string, unknown>,
): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Import → export → import; the result equals the first import when nothing was lost on the way. */
export function roundTripCatalog(json: unknown, options?: ParseOptions): Catalog {
  return parseCatalog(toOscalJson(exportCatalog(parseCatalog(json, options))), options);
}

export function roundTripProfile(json: unknown, options?: ParseOptions): Profile {
  return parseProfile(toOscalJson(exportProfile(parseProfile(json, options))), options);
}
