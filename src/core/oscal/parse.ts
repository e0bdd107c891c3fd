import type { z } from 'zod';
import { formatPath, OscalError, type OscalIssue } from './errors.js';
import { oscalSchemas } from './schema.js';
import type { Catalog, Control, Group, Parameter, Part, Profile } from './types.js';

export interface ParseOptions {
  /** Reject fields that OSCAL 1.1 does not define instead of keeping them. Default false. */
  strict?: boolean;
  /** Largest accepted JSON text in bytes (UTF-8). Default 32 MiB; SP 800-53 rev5 is about 3 MB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

type DocumentType = 'catalog' | 'profile';

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function readJson(input: unknown, maxBytes: number): unknown {
  if (typeof input !== 'string') return input;
  // A UTF-8 text is never shorter in bytes than in UTF-16 code units, so counting is only needed near the limit.
  const size = input.length > maxBytes ? input.length : input.length * 3 > maxBytes ? utf8Length(input) : 0;
  if (size > maxBytes) {
    throw new OscalError('too-large', [
      { path: '', message: `the document is at least ${size} bytes; the limit is ${maxBytes} bytes` },
    ]);
  }
  try {
    return JSON.parse(input);
  } catch (err) {
    throw new OscalError('invalid-json', [
      { path: '', message: `not valid JSON: ${(err as Error).message}` },
    ]);
  }
}

function unwrap(doc: unknown, type: DocumentType): unknown {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new OscalError('wrong-document-type', [
      { path: '', message: `expected a JSON object holding an OSCAL ${type}` },
    ]);
  }
  const record = doc as Record<string, unknown>;
  if (type in record) return record[type];
  const other = [
    'catalog',
    'profile',
    'component-definition',
    'system-security-plan',
    'assessment-plan',
    'assessment-results',
    'plan-of-action-and-milestones',
    'mapping-collection',
  ].find((k) => k in record);
  if (other) {
    throw new OscalError('wrong-document-type', [
      { path: '', message: `expected an OSCAL ${type} document, got ${other}` },
    ]);
  }
  // A bare model object (without the `{ "catalog": … }` wrapper) is accepted: editors and APIs often pass one.
  if ('uuid' in record && 'metadata' in record) return record;
  throw new OscalError('wrong-document-type', [
    { path: '', message: `expected an OSCAL ${type} document: no "${type}" property` },
  ]);
}

function zodIssues(root: string, error: z.ZodError): OscalIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(root, issue.path), message: issue.message }));
}

function validate<T>(type: DocumentType, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new OscalError('invalid-document', zodIssues(type, result.error));
  return result.data;
}

/** Finds ids used twice: OSCAL requires control, group and part ids (one index) and param ids to be unique. */
export function checkCatalogIds(catalog: Catalog): void {
  const seen = new Map<string, string>();
  const seenParams = new Map<string, string>();
  const issues: OscalIssue[] = [];
  const note = (index: Map<string, string>, id: string | undefined, path: string, what: string) => {
    if (id === undefined) return;
    const first = index.get(id);
    if (first) issues.push({ path, message: `duplicate ${what} id "${id}" (first used at ${first})` });
    else index.set(id, path);
  };
  const params = (list: Parameter[] | undefined, path: string) => {
    list?.forEach((p, i) => {
      note(seenParams, p.id, `${path}.params[${i}]`, 'parameter');
    });
  };
  const parts = (list: Part[] | undefined, path: string) =>
    list?.forEach((p, i) => {
      const here = `${path}.parts[${i}]`;
      note(seen, p.id, here, 'part');
      parts(p.parts, here);
    });
  const controls = (list: Control[] | undefined, path: string) =>
    list?.forEach((c, i) => {
      const here = `${path}.controls[${i}]`;
      note(seen, c.id, here, 'control');
      params(c.params, here);
      parts(c.parts, here);
      controls(c.controls, here);
    });
  const groups = (list: Group[] | undefined, path: string) =>
    list?.forEach((g, i) => {
      const here = `${path}.groups[${i}]`;
      note(seen, g.id, here, 'group');
      params(g.params, here);
      parts(g.parts, here);
      groups(g.groups, here);
      controls(g.controls, here);
    });
  params(catalog.params, 'catalog');
  controls(catalog.controls, 'catalog');
  groups(catalog.groups, 'catalog');
  if (issues.length) throw new OscalError('duplicate-id', issues);
}

/** Parses an OSCAL 1.1 JSON catalog (text or parsed JSON, with or without the `catalog` wrapper). */
export function parseCatalog(json: unknown, options: ParseOptions = {}): Catalog {
  const doc = unwrap(readJson(json, options.maxBytes ?? DEFAULT_MAX_BYTES), 'catalog');
  const catalog = validate('catalog', oscalSchemas(options.strict).catalog, doc);
  checkCatalogIds(catalog);
  return catalog;
}

/** Parses an OSCAL 1.1 JSON profile (text or parsed JSON, with or without the `profile` wrapper). */
export function parseProfile(json: unknown, options: ParseOptions = {}): Profile {
  const doc = unwrap(readJson(json, options.maxBytes ?? DEFAULT_MAX_BYTES), 'profile');
  return validate('profile', oscalSchemas(options.strict).profile, doc);
}

/** Parses either model, telling which one it was. */
export function parseOscal(
  json: unknown,
  options: ParseOptions = {},
): { type: 'catalog'; catalog: Catalog } | { type: 'profile'; profile: Profile } {
  const doc = readJson(json, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (doc !== null && typeof doc === 'object' && 'profile' in doc) {
    return { type: 'profile', profile: parseProfile(doc, options) };
  }
  return { type: 'catalog', catalog: parseCatalog(doc, options) };
}

export function isProfile(doc: Catalog | Profile): doc is Profile {
  return Array.isArray((doc as Profile).imports);
}
