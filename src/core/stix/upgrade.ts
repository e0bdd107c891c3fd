import { categoryOf } from './types.js';

/**
 * Lenient import: converts STIX 2.0 content to 2.1 and says what changed. Only mechanical, lossless-or-declared
 * conversions are done; anything needing judgement is reported as a `note` and left as it was.
 */

export interface UpgradeChange {
  /** Id of the object changed (the bundle id for bundle-level changes). */
  objectId?: string;
  /** Property path inside the object, e.g. `labels` or `objects.0.created`. */
  path: string;
  action: 'added' | 'removed' | 'renamed' | 'converted' | 'note';
  message: string;
}

export interface UpgradeResult<T = Record<string, unknown>> {
  object: T;
  changes: UpgradeChange[];
  /** False when the input already looked like STIX 2.1 and nothing was changed. */
  upgraded: boolean;
}

/** In 2.0, the type-like `labels` of these SDOs carried what 2.1 moved to a dedicated property. */
const LABELS_TO: Readonly<Record<string, string>> = {
  malware: 'malware_types',
  tool: 'tool_types',
  indicator: 'indicator_types',
  'threat-actor': 'threat_actor_types',
  report: 'report_types',
};

/** 2.0 SCO properties renamed in 2.1 (section 6 of each spec). */
const SCO_RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  file: { created: 'ctime', modified: 'mtime', accessed: 'atime' },
  directory: { created: 'ctime', modified: 'mtime', accessed: 'atime' },
  process: { created: 'created_time' },
  'windows-registry-key': { modified: 'modified_time' },
  'user-account': { password_last_changed: 'credential_last_changed' },
};

/** 2.0 SCO properties that have no 2.1 counterpart. */
const SCO_DROPPED: Readonly<Record<string, readonly string[]>> = {
  file: ['is_encrypted', 'encryption_algorithm', 'decryption_key'],
  process: ['name', 'arguments'],
};

const MS_PRECISION_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,2}))?Z$/;

/** True when an object (or bundle) looks like STIX 2.0: no `spec_version` where 2.1 requires one, or "2.0". */
export function looksLikeStix20(obj: Record<string, unknown>): boolean {
  if (obj.spec_version === '2.0') return true;
  if (obj.type === 'bundle') return obj.spec_version !== undefined;
  const category = typeof obj.type === 'string' ? categoryOf(obj.type) : 'custom';
  if (category === 'sco') return false;
  return obj.spec_version === undefined && typeof obj.created === 'string';
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function padMillis(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = MS_PRECISION_RE.exec(value);
  if (!m) return undefined;
  return `${m[1]}.${(m[2] ?? '').padEnd(3, '0')}Z`;
}

function upgradeSco(
  sco: Record<string, unknown>,
  prefix: string,
  objectId: string | undefined,
  changes: UpgradeChange[],
): void {
  const type = typeof sco.type === 'string' ? sco.type : '';
  for (const [from, to] of Object.entries(SCO_RENAMES[type] ?? {})) {
    if (sco[from] !== undefined && sco[to] === undefined) {
      sco[to] = sco[from];
      delete sco[from];
      changes.push({
        objectId,
        path: `${prefix}${from}`,
        action: 'renamed',
        message: `${type}.${from} is ${to} in 2.1`,
      });
    }
  }
  for (const prop of SCO_DROPPED[type] ?? []) {
    if (sco[prop] !== undefined) {
      changes.push({
        objectId,
        path: `${prefix}${prop}`,
        action: 'note',
        message: `${type}.${prop} does not exist in STIX 2.1; kept as-is, will be reported as an unknown property`,
      });
    }
  }
}

function upgradePattern(pattern: string): string {
  // 2.0 wrote START/STOP bounds as plain strings; 2.1 requires timestamp literals.
  return pattern.replace(
    /\b(START|STOP)(\s+)'(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)'/gi,
    (_m, kw: string, ws: string, ts: string) => `${kw}${ws}t'${ts}'`,
  );
}

function upgradeOne(input: Record<string, unknown>, changes: UpgradeChange[]): Record<string, unknown> {
  const obj = clone(input);
  const type = typeof obj.type === 'string' ? obj.type : '';
  const id = typeof obj.id === 'string' ? obj.id : undefined;
  const category = categoryOf(type);

  if (category === 'sco') {
    if (obj.spec_version === '2.0') {
      obj.spec_version = '2.1';
      changes.push({
        objectId: id,
        path: 'spec_version',
        action: 'converted',
        message: 'spec_version 2.0 → 2.1',
      });
    }
    upgradeSco(obj, '', id, changes);
    return obj;
  }

  if (obj.spec_version === undefined || obj.spec_version === '2.0') {
    const had = obj.spec_version;
    obj.spec_version = '2.1';
    changes.push({
      objectId: id,
      path: 'spec_version',
      action: had === undefined ? 'added' : 'converted',
      message: had === undefined ? 'added spec_version "2.1"' : 'spec_version 2.0 → 2.1',
    });
  }

  for (const prop of ['created', 'modified']) {
    const padded = padMillis(obj[prop]);
    if (padded !== undefined && padded !== obj[prop]) {
      changes.push({
        objectId: id,
        path: prop,
        action: 'converted',
        message: `${prop} padded to millisecond precision (${String(obj[prop])} → ${padded})`,
      });
      obj[prop] = padded;
    }
  }

  const target = LABELS_TO[type];
  if (target && Array.isArray(obj.labels) && obj[target] === undefined) {
    obj[target] = obj.labels;
    delete obj.labels;
    changes.push({ objectId: id, path: 'labels', action: 'renamed', message: `labels moved to ${target}` });
  }

  if (type === 'malware' && obj.is_family === undefined) {
    obj.is_family = true;
    changes.push({
      objectId: id,
      path: 'is_family',
      action: 'added',
      message: 'is_family set to true (2.0 malware objects described families)',
    });
  }

  if (type === 'indicator') {
    if (obj.pattern_type === undefined) {
      obj.pattern_type = 'stix';
      changes.push({
        objectId: id,
        path: 'pattern_type',
        action: 'added',
        message: 'pattern_type set to "stix"',
      });
    }
    if (typeof obj.pattern === 'string' && obj.pattern_type === 'stix') {
      const converted = upgradePattern(obj.pattern);
      if (converted !== obj.pattern) {
        obj.pattern = converted;
        changes.push({
          objectId: id,
          path: 'pattern',
          action: 'converted',
          message: "START/STOP bounds rewritten as timestamp literals t'…'",
        });
      }
    }
  }

  if (
    type === 'observed-data' &&
    obj.objects &&
    typeof obj.objects === 'object' &&
    !Array.isArray(obj.objects)
  ) {
    for (const [key, sco] of Object.entries(obj.objects as Record<string, unknown>)) {
      if (sco && typeof sco === 'object')
        upgradeSco(sco as Record<string, unknown>, `objects.${key}.`, id, changes);
    }
    changes.push({
      objectId: id,
      path: 'objects',
      action: 'note',
      message:
        'observed-data keeps the embedded "objects" dictionary, deprecated in 2.1; ' +
        'publish the SCOs as top-level objects and list them in object_refs when re-sharing',
    });
  }

  if (type === 'identity' && obj.identity_class === 'unspecified') {
    changes.push({
      objectId: id,
      path: 'identity_class',
      action: 'note',
      message: 'identity_class "unspecified" is not in the 2.1 vocabulary ("unknown" is)',
    });
  }

  return obj;
}

/**
 * Converts one STIX 2.0 object, or a 2.0 bundle with all its objects, to STIX 2.1. The input is not modified.
 * Objects that already are 2.1 come back unchanged with `upgraded: false`.
 */
export function upgradeFrom20<T extends Record<string, unknown>>(input: T): UpgradeResult<T> {
  const changes: UpgradeChange[] = [];
  if (input.type === 'bundle') {
    const bundle = { ...input } as Record<string, unknown>;
    const id = typeof bundle.id === 'string' ? bundle.id : undefined;
    if (bundle.spec_version !== undefined) {
      changes.push({
        objectId: id,
        path: 'spec_version',
        action: 'removed',
        message: `bundle spec_version "${String(bundle.spec_version)}" removed (2.1 bundles have none)`,
      });
      delete bundle.spec_version;
    }
    if (Array.isArray(bundle.objects)) {
      bundle.objects = bundle.objects.map((o: unknown) =>
        o && typeof o === 'object' && looksLikeStix20(o as Record<string, unknown>)
          ? upgradeOne(o as Record<string, unknown>, changes)
          : o,
      );
    }
    return { object: bundle as T, changes, upgraded: changes.length > 0 };
  }
  if (!looksLikeStix20(input)) return { object: input, changes, upgraded: false };
  const object = upgradeOne(input, changes) as T;
  return { object, changes, upgraded: true };
}
