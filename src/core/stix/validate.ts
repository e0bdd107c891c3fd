import {
  hasRfc4122Variant,
  isStixType,
  scoId,
  scoIdContributions,
  typeOfId,
  uuidOfId,
  uuidVersion,
} from './ids.js';
import { parseIpBlock } from './patterns/cidr.js';
import { checkPattern } from './patterns/parser.js';
import { type PropSpec, SCHEMAS, SCO_EXTENSIONS, SDO_COMMON } from './schema.js';
import { compareTimestamps, parseTimestamp } from './time.js';
import { isTlpMarkingId, TLP_EXTENSION_ID, TLP_LEVELS, TLP1_MARKING_IDS, TLP2_MARKING_IDS } from './tlp.js';
import { categoryOf, isScoType, type ObjectCategory } from './types.js';
import { looksLikeStix20, type UpgradeChange, upgradeFrom20 } from './upgrade.js';
import { revocationViolations, stableStringify } from './versioning.js';
import { COMMON_RELATIONSHIP_TYPES, SPEC_RELATIONSHIPS, VOCABULARIES } from './vocab.js';

/** One finding. `path` is a JavaScript-style property path such as `external_references[0].url`. */
export interface Issue {
  /** Id of the object the issue is about (undefined when the object has no usable id). */
  objectId?: string;
  /** Index of the object in the bundle's `objects`, for bundle validation. */
  index?: number;
  path: string;
  /** Stable machine-readable rule code, e.g. `missing-property`, `reference-type`. */
  rule: string;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
}

export interface ObjectValidationResult extends ValidationResult {
  /** The validated object: the input, or its 2.1 upgrade in lenient mode. */
  object: unknown;
  /** What lenient mode changed (empty otherwise). */
  changes: UpgradeChange[];
}

export interface BundleValidationResult extends ValidationResult {
  bundle: unknown;
  changes: UpgradeChange[];
}

export interface ValidateOptions {
  /** Upgrade STIX 2.0 content to 2.1 before validating, reporting the changes (default false). */
  lenient?: boolean;
  /** Parse `stix` indicator patterns (default true). */
  checkPatterns?: boolean;
  /**
   * References to objects that are neither in the bundle nor known: `warn` (default), `error` or `ignore`.
   * Applies to validateBundle only; validateObject cannot see other objects.
   */
  unresolvedReferences?: 'warn' | 'error' | 'ignore';
  /** Ids known to exist elsewhere (e.g. already stored); references to them count as resolved. */
  knownIds?: ReadonlySet<string> | ((id: string) => boolean);
  /** Report non-UUIDv4 ids of SDOs, SROs, meta objects and bundles as errors instead of warnings. */
  strictIds?: boolean;
  /** Treat open-vocabulary misses as silent rather than warnings (default false). */
  quietOpenVocabularies?: boolean;
}

const CUSTOM_PROPERTY_RE = /^[a-z0-9_]{3,250}$/;
const LANG_RE = /^[a-zA-Z]{2,8}(?:-[a-zA-Z0-9]{1,8})*$/;
const MAC_RE = /^(?:[0-9a-f]{2}:){5}[0-9a-f]{2}$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const KILL_CHAIN_NAME_RE = /^[a-z0-9-]+$/;

interface Reference {
  path: string;
  id: string;
}

/** Collects issues for one object. */
class ObjectChecker {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  readonly references: Reference[] = [];
  readonly objectId: string | undefined;
  readonly type: string;
  readonly category: ObjectCategory;

  constructor(
    readonly obj: Record<string, unknown>,
    private readonly options: ValidateOptions,
    readonly index?: number,
  ) {
    this.objectId = typeof obj.id === 'string' ? obj.id : undefined;
    this.type = typeof obj.type === 'string' ? obj.type : '';
    this.category = categoryOf(this.type);
  }

  error(path: string, rule: string, message: string): void {
    this.errors.push(this.issue(path, rule, message));
  }

  warn(path: string, rule: string, message: string): void {
    this.warnings.push(this.issue(path, rule, message));
  }

  private issue(path: string, rule: string, message: string): Issue {
    const issue: Issue = { objectId: this.objectId, path, rule, message };
    if (this.index !== undefined) issue.index = this.index;
    return issue;
  }

  run(): void {
    const { obj } = this;
    if (typeof obj.type !== 'string') {
      this.error('type', 'missing-property', 'type is required and must be a string');
      return;
    }
    if (!isStixType(this.type)) {
      this.error(
        'type',
        'invalid-type',
        `type "${this.type}" must match [a-z][a-z0-9-]+[a-z0-9] (3–250 characters)`,
      );
    }
    if (this.type === 'bundle') {
      this.error('type', 'nested-bundle', 'a bundle cannot be validated as an object (use validateBundle)');
      return;
    }
    this.checkId();
    this.checkSpecVersion();
    const schema = SCHEMAS[this.type];
    if (schema) {
      this.checkProperties(obj, schema.props, '', this.type);
      for (const prop of schema.forbidden ?? []) {
        if (obj[prop] !== undefined) {
          this.error(prop, 'forbidden-property', `${prop} is not allowed on ${this.type}`);
        }
      }
      this.checkUnknownProperties(schema.props);
    } else {
      this.checkCustomObject();
    }
    this.checkCreatedModified();
    this.checkTypeRules();
  }

  // ------------------------------------------------------------------------------------- identity

  private checkId(): void {
    const id = this.obj.id;
    if (id === undefined) {
      this.error('id', 'missing-property', 'id is required');
      return;
    }
    if (typeof id !== 'string') {
      this.error('id', 'invalid-id', 'id must be a string');
      return;
    }
    const idType = typeOfId(id);
    const uuid = uuidOfId(id);
    if (!idType || !uuid) {
      this.error('id', 'invalid-id', `id "${id}" is not of the form <type>--<UUID>`);
      return;
    }
    if (idType !== this.type) {
      this.error('id', 'id-type-mismatch', `id type "${idType}" does not match object type "${this.type}"`);
    }
    if (uuid !== uuid.toLowerCase()) {
      this.warn('id', 'id-uppercase', 'UUIDs should be written in lower case (RFC 4122)');
    }
    const version = uuidVersion(uuid) ?? 0;
    if (!hasRfc4122Variant(uuid) || version < 1 || version > 5) {
      this.error('id', 'invalid-uuid', `"${uuid}" is not an RFC 4122 UUID (version 1–5, variant 10xx)`);
      return;
    }
    if (this.category === 'sco') {
      this.checkScoId(id);
    } else if (version !== 4) {
      // Section 2.9: SDOs, SROs, meta objects and bundles SHOULD (not must) use UUIDv4.
      const message = `${this.type} ids should use UUIDv4, found UUIDv${version}`;
      if (this.options.strictIds) this.error('id', 'id-not-uuidv4', message);
      else this.warn('id', 'id-not-uuidv4', message);
    }
  }

  private checkScoId(id: string): void {
    if (!scoIdContributions(this.obj)) return;
    try {
      const expected = scoId(this.obj as { type: string });
      if (expected !== id.toLowerCase()) {
        this.warn(
          'id',
          'sco-id-not-deterministic',
          `SCO id should be the deterministic UUIDv5 ${expected} for its id-contributing properties`,
        );
      }
    } catch {
      // Non-serialisable contributing properties are reported by the property checks.
    }
  }

  private checkSpecVersion(): void {
    const sv = this.obj.spec_version;
    const required = this.category !== 'sco';
    if (sv === undefined) {
      if (required && this.category !== 'custom') {
        const hint = looksLikeStix20(this.obj)
          ? ' (this looks like STIX 2.0; use lenient mode to upgrade)'
          : '';
        this.error('spec_version', 'spec-version', `spec_version is required${hint}`);
      } else if (this.category === 'custom' && typeof this.obj.created === 'string') {
        this.warn('spec_version', 'spec-version', 'custom objects should carry spec_version "2.1"');
      }
      return;
    }
    if (sv !== '2.1') {
      const hint = sv === '2.0' ? ' (use lenient mode to upgrade STIX 2.0 content)' : '';
      this.error(
        'spec_version',
        'spec-version',
        `spec_version must be "2.1", found ${JSON.stringify(sv)}${hint}`,
      );
    }
  }

  private checkCreatedModified(): void {
    for (const prop of ['created', 'modified']) {
      const v = this.obj[prop];
      // SCOs have no versioning timestamps; a `created` on one is reported as forbidden instead.
      if (typeof v !== 'string' || this.category === 'sco') continue;
      const parsed = parseTimestamp(v);
      if (parsed && parsed.fraction.length < 3) {
        this.error(prop, 'timestamp-precision', `${prop} must be precise to the millisecond (e.g. .000Z)`);
      }
    }
    const order = compareTimestamps(this.obj.modified, this.obj.created);
    if (order !== undefined && order < 0) {
      this.error('modified', 'modified-before-created', 'modified must be later than or equal to created');
    }
  }

  // ----------------------------------------------------------------------------------- properties

  private checkProperties(
    container: Record<string, unknown>,
    specs: Readonly<Record<string, PropSpec>>,
    prefix: string,
    owner: string,
  ): void {
    for (const [name, spec] of Object.entries(specs)) {
      const value = container[name];
      const path = prefix + name;
      if (value === undefined) {
        if (spec.required) this.error(path, 'missing-property', `${name} is required on ${owner}`);
        continue;
      }
      if (name === 'type' || name === 'id' || name === 'spec_version') continue;
      this.checkValue(value, spec, path, name);
    }
  }

  private checkValue(value: unknown, spec: PropSpec, path: string, name: string): void {
    switch (spec.kind) {
      case 'string':
        if (typeof value !== 'string') {
          this.error(path, 'invalid-value', `${name} must be a string`);
          return;
        }
        if (spec.vocab) this.checkVocab(value, spec.vocab, path);
        if (name === 'lang' && !LANG_RE.test(value)) {
          this.warn(path, 'invalid-lang', `lang "${value}" is not an RFC 5646 language tag`);
        }
        return;
      case 'boolean':
        if (typeof value !== 'boolean') this.error(path, 'invalid-value', `${name} must be a boolean`);
        return;
      case 'integer':
      case 'number': {
        const ok =
          typeof value === 'number' &&
          Number.isFinite(value) &&
          (spec.kind === 'number' || Number.isInteger(value));
        if (!ok) {
          const expected = spec.kind === 'integer' ? 'an integer' : 'a number';
          this.error(path, 'invalid-value', `${name} must be ${expected}`);
          return;
        }
        const n = value as number;
        if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
          const rule = name === 'confidence' ? 'confidence-range' : 'range';
          const range = `${spec.min ?? '-∞'}–${spec.max ?? '∞'}`;
          this.error(path, rule, `${name} must be in the range ${range}, found ${n}`);
        }
        return;
      }
      case 'timestamp':
        if (!parseTimestamp(value)) {
          this.error(
            path,
            'invalid-timestamp',
            `${name} must be an RFC 3339 UTC timestamp (…Z), found ${JSON.stringify(value)}`,
          );
        }
        return;
      case 'ref':
        this.checkReference(value, spec.refs ?? ['@any'], path, name);
        return;
      case 'refs':
        if (!this.checkList(value, path, name)) return;
        for (const [i, v] of (value as unknown[]).entries()) {
          this.checkReference(v, spec.refs ?? ['@any'], `${path}[${i}]`, name);
        }
        return;
      case 'strings':
        if (!this.checkList(value, path, name)) return;
        (value as unknown[]).forEach((v, i) => {
          if (typeof v !== 'string')
            this.error(`${path}[${i}]`, 'invalid-value', `${name} must contain strings`);
          else if (spec.vocab) this.checkVocab(v, spec.vocab, `${path}[${i}]`);
        });
        return;
      case 'dict':
        if (!isRecord(value)) this.error(path, 'invalid-value', `${name} must be an object (dictionary)`);
        else if (Object.keys(value).length === 0)
          this.error(path, 'empty-dictionary', `${name} must not be empty`);
        return;
      case 'hashes':
        this.checkHashes(value, path);
        return;
      case 'external-references':
        this.checkExternalReferences(value, path);
        return;
      case 'kill-chain-phases':
        this.checkKillChainPhases(value, path);
        return;
      case 'granular-markings':
        this.checkGranularMarkings(value, path);
        return;
      case 'extensions':
        this.checkExtensions(value, path);
        return;
      case 'binary':
        if (typeof value !== 'string' || !BASE64_RE.test(value)) {
          this.error(path, 'invalid-value', `${name} must be base64-encoded binary`);
        }
        return;
      case 'hex':
        if (typeof value !== 'string' || !HEX_RE.test(value)) {
          this.error(path, 'invalid-value', `${name} must be an even-length hex string`);
        }
        return;
      case 'objects':
        if (!this.checkList(value, path, name)) return;
        for (const [i, item] of (value as unknown[]).entries()) {
          if (isRecord(item)) this.checkProperties(item, spec.items ?? {}, `${path}[${i}].`, name);
          else this.error(`${path}[${i}]`, 'invalid-value', `${name} must contain objects`);
        }
        return;
      case 'any':
        return;
    }
  }

  /** Lists must be arrays and, per section 2.7, never empty. */
  private checkList(value: unknown, path: string, name: string): boolean {
    if (!Array.isArray(value)) {
      this.error(path, 'invalid-value', `${name} must be a list`);
      return false;
    }
    if (value.length === 0) {
      this.error(path, 'empty-list', `${name} must not be an empty list (omit the property instead)`);
      return false;
    }
    return true;
  }

  private checkVocab(value: string, vocabName: keyof typeof VOCABULARIES, path: string): void {
    const vocab = VOCABULARIES[vocabName];
    if (vocab.values.has(value)) return;
    if (vocab.open) {
      if (!this.options.quietOpenVocabularies) {
        this.warn(path, 'open-vocabulary', `"${value}" is not in the ${vocabName} vocabulary`);
      }
    } else {
      this.error(
        path,
        'closed-vocabulary',
        `"${value}" is not one of ${[...vocab.values].join(', ')} (${vocabName})`,
      );
    }
  }

  private checkReference(value: unknown, targets: readonly string[], path: string, name: string): void {
    const refType = typeOfId(value);
    if (typeof value !== 'string' || !refType) {
      this.error(
        path,
        'invalid-reference',
        `${name} must be a STIX identifier, found ${JSON.stringify(value)}`,
      );
      return;
    }
    if (!refTypeAllowed(refType, targets)) {
      this.error(
        path,
        'reference-type',
        `${name} must reference ${describeTargets(targets)}, not ${refType}`,
      );
      return;
    }
    this.references.push({ path, id: value });
  }

  private checkHashes(value: unknown, path: string): void {
    if (!isRecord(value) || Object.keys(value).length === 0) {
      this.error(path, 'invalid-value', 'hashes must be a non-empty dictionary of algorithm → hash');
      return;
    }
    for (const [algo, hash] of Object.entries(value)) {
      if (typeof hash !== 'string' || hash.length === 0) {
        this.error(`${path}.${algo}`, 'invalid-value', 'hash values must be non-empty strings');
      }
      if (!VOCABULARIES['hashing-algorithm-ov'].values.has(algo)) {
        if (!this.options.quietOpenVocabularies) {
          this.warn(
            `${path}.${algo}`,
            'open-vocabulary',
            `hash algorithm "${algo}" is not in hashing-algorithm-ov`,
          );
        }
      } else if (typeof hash === 'string' && !validHashLength(algo, hash)) {
        this.error(`${path}.${algo}`, 'invalid-value', `"${hash}" is not a valid ${algo} hash`);
      }
    }
  }

  private checkExternalReferences(value: unknown, path: string): void {
    if (!this.checkList(value, path, 'external_references')) return;
    (value as unknown[]).forEach((ref, i) => {
      const p = `${path}[${i}]`;
      if (!isRecord(ref)) {
        this.error(p, 'invalid-value', 'external references must be objects');
        return;
      }
      if (typeof ref.source_name !== 'string') {
        this.error(
          `${p}.source_name`,
          'missing-property',
          'source_name is required on an external reference',
        );
      }
      if (ref.description === undefined && ref.url === undefined && ref.external_id === undefined) {
        this.error(p, 'external-reference', 'an external reference needs description, url or external_id');
      }
      for (const prop of ['description', 'external_id'] as const) {
        if (ref[prop] !== undefined && typeof ref[prop] !== 'string') {
          this.error(`${p}.${prop}`, 'invalid-value', `${prop} must be a string`);
        }
      }
      if (ref.url !== undefined) {
        if (typeof ref.url !== 'string' || !URL.canParse(ref.url)) {
          this.error(`${p}.url`, 'invalid-url', `url ${JSON.stringify(ref.url)} is not a valid URL`);
        }
      }
      if (ref.hashes !== undefined) this.checkHashes(ref.hashes, `${p}.hashes`);
    });
  }

  private checkKillChainPhases(value: unknown, path: string): void {
    if (!this.checkList(value, path, 'kill_chain_phases')) return;
    (value as unknown[]).forEach((phase, i) => {
      const p = `${path}[${i}]`;
      if (!isRecord(phase)) {
        this.error(p, 'invalid-value', 'kill chain phases must be objects');
        return;
      }
      for (const prop of ['kill_chain_name', 'phase_name'] as const) {
        const v = phase[prop];
        if (typeof v !== 'string') this.error(`${p}.${prop}`, 'missing-property', `${prop} is required`);
        else if (!KILL_CHAIN_NAME_RE.test(v)) {
          this.warn(
            `${p}.${prop}`,
            'kill-chain-phase',
            `${prop} should be lower case with hyphens, found "${v}"`,
          );
        }
      }
    });
  }

  private checkGranularMarkings(value: unknown, path: string): void {
    if (!this.checkList(value, path, 'granular_markings')) return;
    (value as unknown[]).forEach((gm, i) => {
      const p = `${path}[${i}]`;
      if (!isRecord(gm)) {
        this.error(p, 'invalid-value', 'granular markings must be objects');
        return;
      }
      const hasRef = gm.marking_ref !== undefined;
      const hasLang = gm.lang !== undefined;
      if (hasRef === hasLang) {
        this.error(p, 'granular-marking', 'a granular marking needs exactly one of marking_ref and lang');
      }
      if (hasRef)
        this.checkReference(gm.marking_ref, ['marking-definition'], `${p}.marking_ref`, 'marking_ref');
      if (hasLang && (typeof gm.lang !== 'string' || !LANG_RE.test(gm.lang))) {
        this.error(`${p}.lang`, 'invalid-lang', 'lang must be an RFC 5646 language tag');
      }
      if (!this.checkList(gm.selectors, `${p}.selectors`, 'selectors')) return;
      (gm.selectors as unknown[]).forEach((sel, j) => {
        const sp = `${p}.selectors[${j}]`;
        if (typeof sel !== 'string') {
          this.error(sp, 'invalid-value', 'selectors must be strings');
          return;
        }
        const problem = resolveSelector(this.obj, sel);
        if (problem) this.error(sp, 'granular-selector', `selector "${sel}" ${problem}`);
      });
    });
  }

  private checkExtensions(value: unknown, path: string): void {
    if (!isRecord(value) || Object.keys(value).length === 0) {
      this.error(path, 'invalid-value', 'extensions must be a non-empty dictionary');
      return;
    }
    for (const [key, ext] of Object.entries(value)) {
      const p = `${path}.${key}`;
      if (!isRecord(ext)) {
        this.error(p, 'invalid-value', 'each extension must be an object');
        continue;
      }
      if (key.startsWith('extension-definition--')) {
        if (typeOfId(key) !== 'extension-definition') {
          this.error(p, 'extension-key', `"${key}" is not a valid extension-definition id`);
        }
        if (ext.extension_type !== undefined) {
          if (typeof ext.extension_type !== 'string') {
            this.error(`${p}.extension_type`, 'invalid-value', 'extension_type must be a string');
          } else {
            this.checkVocab(ext.extension_type, 'extension-type-enum', `${p}.extension_type`);
          }
        }
        if (key === TLP_EXTENSION_ID) this.checkTlpExtension(ext, p);
        continue;
      }
      const predefined = SCO_EXTENSIONS[key];
      if (predefined) {
        if (predefined.on !== this.type) {
          this.error(p, 'extension-key', `${key} is defined for ${predefined.on}, not ${this.type}`);
          continue;
        }
        this.checkProperties(ext, predefined.props, `${p}.`, key);
        for (const prop of Object.keys(ext)) {
          if (!(prop in predefined.props) && !prop.startsWith('x_')) {
            this.warn(`${p}.${prop}`, 'unknown-property', `${prop} is not a property of ${key}`);
          }
        }
        continue;
      }
      if (key.startsWith('x-')) {
        this.warn(
          p,
          'deprecated-custom-extension',
          `custom extension "${key}" is deprecated; use an extension-definition`,
        );
        continue;
      }
      this.error(
        p,
        'extension-key',
        `"${key}" is neither an extension-definition id nor a predefined extension`,
      );
    }
  }

  private checkTlpExtension(ext: Record<string, unknown>, path: string): void {
    const level = ext.tlp_2_0;
    if (typeof level !== 'string' || !(TLP_LEVELS as readonly string[]).includes(level)) {
      this.error(`${path}.tlp_2_0`, 'closed-vocabulary', `tlp_2_0 must be one of ${TLP_LEVELS.join(', ')}`);
      return;
    }
    if (
      this.type === 'marking-definition' &&
      this.objectId !== TLP2_MARKING_IDS[level as keyof typeof TLP2_MARKING_IDS]
    ) {
      this.error(
        'id',
        'tlp-marking',
        `TLP 2.0 ${level} must use the id ${TLP2_MARKING_IDS[level as keyof typeof TLP2_MARKING_IDS]}`,
      );
    }
  }

  private checkUnknownProperties(props: Readonly<Record<string, PropSpec>>): void {
    const toplevelExtension = hasToplevelExtension(this.obj);
    for (const name of Object.keys(this.obj)) {
      if (name in props) continue;
      if (!CUSTOM_PROPERTY_RE.test(name)) {
        this.error(
          name,
          'custom-property-name',
          `property name "${name}" must be 3–250 characters of a–z, 0–9 and _`,
        );
        continue;
      }
      if (name.startsWith('x_')) {
        this.checkCustomReference(name);
        continue;
      }
      if (this.category === 'sco' && (SCHEMAS[this.type]?.forbidden ?? []).includes(name)) continue;
      if (toplevelExtension) continue;
      this.warn(
        name,
        'unknown-property',
        `${name} is not a STIX 2.1 property of ${this.type}; custom properties should start with x_`,
      );
    }
  }

  /** `_ref`/`_refs` custom properties should still hold identifiers; only warn since their meaning is private. */
  private checkCustomReference(name: string): void {
    const value = this.obj[name];
    if (name.endsWith('_ref')) {
      if (typeOfId(value)) this.references.push({ path: name, id: value as string });
      else this.warn(name, 'invalid-reference', `${name} should hold a STIX identifier`);
    } else if (name.endsWith('_refs')) {
      if (Array.isArray(value) && value.every((v) => typeOfId(v))) {
        for (const [i, v] of value.entries())
          this.references.push({ path: `${name}[${i}]`, id: v as string });
      } else {
        this.warn(name, 'invalid-reference', `${name} should hold a list of STIX identifiers`);
      }
    }
  }

  /** Custom object types: check the common properties they have; everything else is theirs to define. */
  private checkCustomObject(): void {
    if (!this.type.startsWith('x-') && !hasNewObjectExtension(this.obj)) {
      this.warn(
        'type',
        'custom-object-type',
        `"${this.type}" is not a STIX 2.1 type; custom object types should start with x-`,
      );
    }
    for (const name of Object.keys(this.obj)) {
      const spec = SDO_COMMON[name];
      if (name === 'type' || name === 'id' || name === 'spec_version') continue;
      if (spec) {
        this.checkValue(this.obj[name], spec, name, name);
      } else if (!CUSTOM_PROPERTY_RE.test(name)) {
        this.error(
          name,
          'custom-property-name',
          `property name "${name}" must be 3–250 characters of a–z, 0–9 and _`,
        );
      } else {
        this.checkCustomReference(name);
      }
    }
  }

  // ------------------------------------------------------------------------------ per-type rules

  private checkTypeRules(): void {
    const o = this.obj;
    switch (this.type) {
      case 'campaign':
      case 'intrusion-set':
      case 'threat-actor':
      case 'infrastructure':
      case 'malware':
        this.checkOrder('first_seen', 'last_seen');
        break;
      case 'sighting':
        this.checkOrder('first_seen', 'last_seen');
        break;
      case 'observed-data':
        this.checkOrder('first_observed', 'last_observed');
        break;
      case 'relationship':
        this.checkOrder('start_time', 'stop_time', true);
        break;
      case 'network-traffic':
        this.checkOrder('start', 'end');
        break;
      case 'x509-certificate':
        this.checkOrder('validity_not_before', 'validity_not_after');
        break;
    }
    switch (this.type) {
      case 'indicator':
        this.checkIndicator();
        break;
      case 'malware':
        if (o.is_family === true && o.name === undefined) {
          this.error('name', 'missing-property', 'name is required when is_family is true');
        }
        break;
      case 'malware-analysis':
        if (o.result === undefined && o.analysis_sco_refs === undefined) {
          this.error('result', 'at-least-one', 'malware-analysis needs result or analysis_sco_refs');
        }
        break;
      case 'location':
        this.checkLocation();
        break;
      case 'observed-data':
        this.checkObservedData();
        break;
      case 'relationship':
        this.checkRelationship();
        break;
      case 'marking-definition':
        this.checkMarkingDefinition();
        break;
      case 'extension-definition':
        this.checkExtensionDefinition();
        break;
      case 'language-content':
        this.checkLanguageContent();
        break;
      default:
        if (isScoType(this.type)) this.checkScoRules();
    }
  }

  private checkOrder(earlier: string, later: string, strict = false): void {
    const order = compareTimestamps(this.obj[later], this.obj[earlier]);
    if (order === undefined) return;
    if (order < 0 || (strict && order === 0)) {
      this.error(later, 'time-order', `${later} must be ${strict ? 'later than' : 'at or after'} ${earlier}`);
    }
  }

  private checkIndicator(): void {
    const o = this.obj;
    const order = compareTimestamps(o.valid_until, o.valid_from);
    if (order !== undefined && order <= 0) {
      this.error('valid_until', 'time-order', 'valid_until must be later than valid_from');
    }
    if (this.options.checkPatterns === false) return;
    if (o.pattern_type === 'stix' && typeof o.pattern === 'string') {
      const check = checkPattern(o.pattern);
      if (!check.valid) this.error('pattern', 'invalid-pattern', `pattern: ${check.error.message}`);
    }
  }

  private checkLocation(): void {
    const o = this.obj;
    const hasLat = o.latitude !== undefined;
    const hasLong = o.longitude !== undefined;
    if (hasLat !== hasLong) {
      this.error(hasLat ? 'longitude' : 'latitude', 'missing-property', 'latitude and longitude go together');
    }
    if (o.precision !== undefined && !(hasLat && hasLong)) {
      this.error('precision', 'missing-property', 'precision needs latitude and longitude');
    }
    if (o.region === undefined && o.country === undefined && !(hasLat && hasLong)) {
      this.error('region', 'at-least-one', 'location needs region, country, or latitude and longitude');
    }
  }

  private checkObservedData(): void {
    const o = this.obj;
    if (o.objects !== undefined && o.object_refs !== undefined) {
      this.error('objects', 'mutually-exclusive', 'objects and object_refs cannot both be present');
    } else if (o.objects === undefined && o.object_refs === undefined) {
      this.error(
        'object_refs',
        'missing-property',
        'observed-data needs object_refs (or the deprecated objects)',
      );
    } else if (o.objects !== undefined) {
      this.warn(
        'objects',
        'deprecated',
        'the embedded objects property is deprecated in 2.1; use object_refs',
      );
      if (isRecord(o.objects)) {
        for (const [key, sco] of Object.entries(o.objects)) {
          if (!isRecord(sco) || typeof sco.type !== 'string') {
            this.error(`objects.${key}`, 'invalid-value', 'embedded observables must be objects with a type');
          }
        }
      }
    }
  }

  private checkRelationship(): void {
    const o = this.obj;
    const rt = o.relationship_type;
    if (typeof rt !== 'string') return;
    if (!/^[a-z0-9-]+$/.test(rt)) {
      this.warn(
        'relationship_type',
        'relationship-type',
        'relationship_type should be lower case with hyphens',
      );
    }
    const source = typeOfId(o.source_ref);
    const target = typeOfId(o.target_ref);
    if (!source || !target || COMMON_RELATIONSHIP_TYPES.has(rt)) {
      if ((rt === 'derived-from' || rt === 'duplicate-of') && source && target && source !== target) {
        this.warn('target_ref', 'relationship-type', `${rt} should connect objects of the same type`);
      }
      return;
    }
    const allowed = SPEC_RELATIONSHIPS[source]?.[rt];
    if (!allowed || categoryOf(target) === 'custom') return;
    const ok = allowed.includes(target) || (allowed.includes('@sco') && categoryOf(target) === 'sco');
    if (!ok) {
      this.warn(
        'target_ref',
        'relationship-type',
        `the specification defines ${source} ${rt} → ${allowed.join(', ')}; ${target} is unusual`,
      );
    }
  }

  private checkMarkingDefinition(): void {
    const o = this.obj;
    const hasExtensions = o.extensions !== undefined;
    if (!hasExtensions && (o.definition_type === undefined || o.definition === undefined)) {
      this.error(
        'definition',
        'missing-property',
        'definition_type and definition are required unless extensions is present',
      );
    }
    if ((o.definition_type === undefined) !== (o.definition === undefined)) {
      this.error('definition_type', 'missing-property', 'definition_type and definition go together');
    }
    if (isRecord(o.definition)) {
      if (o.definition_type === 'tlp') {
        const level = o.definition.tlp;
        if (typeof level !== 'string' || !['white', 'green', 'amber', 'red'].includes(level)) {
          this.error(
            'definition.tlp',
            'closed-vocabulary',
            'a TLP definition needs tlp: white, green, amber or red',
          );
        } else if (this.objectId !== TLP1_MARKING_IDS[level as keyof typeof TLP1_MARKING_IDS]) {
          // Section 7.2.1.4: only the four predefined TLP objects may be used.
          this.error(
            'id',
            'tlp-marking',
            `TLP:${level.toUpperCase()} must use the id ${TLP1_MARKING_IDS[level as keyof typeof TLP1_MARKING_IDS]}`,
          );
        }
      } else if (o.definition_type === 'statement' && typeof o.definition.statement !== 'string') {
        this.error(
          'definition.statement',
          'missing-property',
          'a statement definition needs a statement string',
        );
      }
    }
    if (isTlpMarkingId(this.objectId) && o.definition_type !== 'tlp' && !hasExtensions) {
      this.error('definition_type', 'tlp-marking', 'this id is reserved for a TLP marking definition');
    }
  }

  private checkExtensionDefinition(): void {
    const o = this.obj;
    const types = Array.isArray(o.extension_types) ? o.extension_types : [];
    if (o.extension_properties !== undefined && !types.includes('toplevel-property-extension')) {
      this.error(
        'extension_properties',
        'forbidden-property',
        'extension_properties is only allowed with the toplevel-property-extension type',
      );
    }
  }

  private checkLanguageContent(): void {
    const contents = this.obj.contents;
    if (!isRecord(contents)) return;
    for (const [lang, props] of Object.entries(contents)) {
      if (!LANG_RE.test(lang))
        this.error(`contents.${lang}`, 'invalid-lang', `"${lang}" is not a language tag`);
      if (!isRecord(props))
        this.error(`contents.${lang}`, 'invalid-value', 'each language maps to an object');
    }
  }

  private checkScoRules(): void {
    const o = this.obj;
    const own = Object.keys(o).filter(
      (k) =>
        !['type', 'id', 'spec_version', 'object_marking_refs', 'granular_markings', 'defanged'].includes(k),
    );
    switch (this.type) {
      case 'artifact':
        if ((o.payload_bin === undefined) === (o.url === undefined)) {
          this.error(
            'payload_bin',
            'mutually-exclusive',
            'artifact needs exactly one of payload_bin and url',
          );
        }
        if (o.url !== undefined && o.hashes === undefined) {
          this.error('hashes', 'missing-property', 'hashes is required when url is present');
        }
        if (o.decryption_key !== undefined && o.encryption_algorithm === undefined) {
          this.error('decryption_key', 'forbidden-property', 'decryption_key needs encryption_algorithm');
        }
        break;
      case 'email-message':
        if (o.is_multipart === true && o.body !== undefined) {
          this.error(
            'body',
            'forbidden-property',
            'body is not allowed when is_multipart is true (use body_multipart)',
          );
        }
        if (o.is_multipart === false && o.body_multipart !== undefined) {
          this.error('body_multipart', 'forbidden-property', 'body_multipart needs is_multipart true');
        }
        break;
      case 'file':
        if (o.hashes === undefined && o.name === undefined) {
          this.error('name', 'at-least-one', 'file needs hashes or name');
        }
        break;
      case 'network-traffic':
        if (o.src_ref === undefined && o.dst_ref === undefined) {
          this.error('src_ref', 'at-least-one', 'network-traffic needs src_ref or dst_ref');
        }
        if (o.is_active === true && o.end !== undefined) {
          this.error('end', 'forbidden-property', 'end is not allowed when is_active is true');
        }
        break;
      case 'ipv4-addr':
      case 'ipv6-addr': {
        const block = typeof o.value === 'string' ? parseIpBlock(o.value) : undefined;
        const family = this.type === 'ipv4-addr' ? 4 : 6;
        if (typeof o.value === 'string' && block?.family !== family) {
          this.error('value', 'invalid-value', `"${o.value}" is not an IPv${family} address or CIDR block`);
        }
        break;
      }
      case 'mac-addr':
        if (typeof o.value === 'string' && !MAC_RE.test(o.value)) {
          this.error(
            'value',
            'invalid-value',
            'mac-addr value must be a lower-case, colon-separated MAC-48 address',
          );
        }
        break;
      case 'url':
        if (typeof o.value === 'string' && !URL.canParse(o.value)) {
          this.error('value', 'invalid-value', `"${o.value}" is not a valid URL`);
        }
        break;
      case 'process':
      case 'user-account':
      case 'windows-registry-key':
      case 'x509-certificate':
        if (own.length === 0)
          this.error('type', 'at-least-one', `${this.type} needs at least one property of its own`);
        break;
    }
  }
}

// ------------------------------------------------------------------------------------------------- helpers

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const HASH_LENGTHS: Readonly<Record<string, number>> = {
  MD5: 32,
  'SHA-1': 40,
  'SHA-256': 64,
  'SHA-512': 128,
  'SHA3-256': 64,
  'SHA3-512': 128,
};

function validHashLength(algo: string, hash: string): boolean {
  const len = HASH_LENGTHS[algo];
  return len === undefined || (hash.length === len && /^[0-9a-fA-F]+$/.test(hash));
}

function refTypeAllowed(refType: string, targets: readonly string[]): boolean {
  const category = categoryOf(refType);
  for (const t of targets) {
    if (t === refType || t === '@any') return true;
    if (t === '@sdo' && (category === 'sdo' || category === 'custom')) return true;
    if (t === '@sco' && (category === 'sco' || category === 'custom')) return true;
    if (t === '@sro' && category === 'sro') return true;
  }
  return false;
}

function describeTargets(targets: readonly string[]): string {
  return targets
    .map((t) => ({ '@any': 'any object', '@sdo': 'an SDO', '@sco': 'an SCO', '@sro': 'an SRO' })[t] ?? t)
    .join(' or ');
}

function hasToplevelExtension(obj: Record<string, unknown>): boolean {
  return (
    isRecord(obj.extensions) &&
    Object.values(obj.extensions).some(
      (e) => isRecord(e) && e.extension_type === 'toplevel-property-extension',
    )
  );
}

function hasNewObjectExtension(obj: Record<string, unknown>): boolean {
  return (
    isRecord(obj.extensions) &&
    Object.values(obj.extensions).some(
      (e) => isRecord(e) && typeof e.extension_type === 'string' && e.extension_type.startsWith('new-'),
    )
  );
}

/**
 * Resolves a granular-marking selector (section 7.2.3.1): property names separated by dots, list positions as
 * their own `[n]` step, e.g. `external_references.[0].url`. Returns a problem description, or undefined.
 */
export function resolveSelector(obj: Record<string, unknown>, selector: string): string | undefined {
  if (selector === '') return 'is empty';
  let current: unknown = obj;
  for (const step of selector.split('.')) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index) {
      if (!Array.isArray(current)) return `has list index ${step} where there is no list`;
      const i = Number(index[1]);
      if (i >= current.length) return `has list index ${step} past the end of the list`;
      current = current[i];
    } else {
      if (!isRecord(current)) return `has property "${step}" where there is no object`;
      if (!Object.hasOwn(current, step)) return `names property "${step}", which the object does not have`;
      current = current[step];
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------- public API

function finish<T extends object>(errors: Issue[], warnings: Issue[], extra: T): ValidationResult & T {
  return { valid: errors.length === 0, errors, warnings, ...extra };
}

function validateOne(
  input: unknown,
  options: ValidateOptions,
  index?: number,
): {
  checker?: ObjectChecker;
  errors: Issue[];
  warnings: Issue[];
  object: unknown;
  changes: UpgradeChange[];
} {
  if (!isRecord(input)) {
    const issue: Issue = { path: '', rule: 'not-an-object', message: 'a STIX object must be a JSON object' };
    if (index !== undefined) issue.index = index;
    return { errors: [issue], warnings: [], object: input, changes: [] };
  }
  let object: Record<string, unknown> = input;
  let changes: UpgradeChange[] = [];
  if (options.lenient && looksLikeStix20(input)) {
    const up = upgradeFrom20(input);
    object = up.object;
    changes = up.changes;
  }
  const checker = new ObjectChecker(object, options, index);
  checker.run();
  return { checker, errors: checker.errors, warnings: checker.warnings, object, changes };
}

/**
 * Validates one STIX 2.1 object on its own. References are checked for form and target type; whether they
 * resolve needs the other objects (see validateBundle).
 */
export function validateObject(obj: unknown, options: ValidateOptions = {}): ObjectValidationResult {
  const { errors, warnings, object, changes } = validateOne(obj, options);
  return finish(errors, warnings, { object, changes });
}

/**
 * Validates a bundle and every object in it, then the cross-object rules: references that do not resolve,
 * duplicate or conflicting copies, and revocation being final across versions.
 */
export function validateBundle(bundle: unknown, options: ValidateOptions = {}): BundleValidationResult {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  let changes: UpgradeChange[] = [];
  if (!isRecord(bundle)) {
    errors.push({ path: '', rule: 'not-an-object', message: 'a bundle must be a JSON object' });
    return finish(errors, warnings, { bundle, changes });
  }
  let b: Record<string, unknown> = bundle;
  if (options.lenient && b.spec_version !== undefined) {
    const up = upgradeFrom20(b);
    b = up.object;
    changes = up.changes;
  }
  const bundleId = typeof b.id === 'string' ? b.id : undefined;
  const bundleIssue = (path: string, rule: string, message: string): Issue => ({
    objectId: bundleId,
    path,
    rule,
    message,
  });
  if (b.type !== 'bundle') errors.push(bundleIssue('type', 'invalid-type', 'type must be "bundle"'));
  if (typeof b.id !== 'string' || typeOfId(b.id) !== 'bundle') {
    errors.push(bundleIssue('id', 'invalid-id', 'id must be bundle--<UUIDv4>'));
  } else {
    const uuid = uuidOfId(b.id) ?? '';
    const version = uuidVersion(uuid) ?? 0;
    if (!hasRfc4122Variant(uuid) || version < 1 || version > 5) {
      errors.push(bundleIssue('id', 'invalid-uuid', `"${uuid}" is not an RFC 4122 UUID`));
    } else if (version !== 4) {
      (options.strictIds ? errors : warnings).push(
        bundleIssue('id', 'id-not-uuidv4', `bundle ids should use UUIDv4, found UUIDv${version}`),
      );
    }
  }
  for (const key of Object.keys(b)) {
    if (key === 'type' || key === 'id' || key === 'objects') continue;
    if (key === 'spec_version') {
      errors.push(
        bundleIssue(key, 'forbidden-property', 'STIX 2.1 bundles have no spec_version (STIX 2.0 content?)'),
      );
    } else if (key.startsWith('x_')) {
    } else {
      warnings.push(bundleIssue(key, 'unknown-property', `${key} is not a bundle property`));
    }
  }
  if (b.objects === undefined) return finish(errors, warnings, { bundle: b, changes });
  if (!Array.isArray(b.objects)) {
    errors.push(bundleIssue('objects', 'invalid-value', 'objects must be a list'));
    return finish(errors, warnings, { bundle: b, changes });
  }
  if (b.objects.length === 0) {
    errors.push(bundleIssue('objects', 'empty-list', 'objects must not be an empty list (omit it instead)'));
  }

  const upgradedObjects: unknown[] = [];
  const checkers: ObjectChecker[] = [];
  const byId = new Map<string, { index: number; obj: Record<string, unknown> }[]>();
  b.objects.forEach((item: unknown, index: number) => {
    const r = validateOne(item, options, index);
    errors.push(...r.errors);
    warnings.push(...r.warnings);
    changes.push(...r.changes);
    upgradedObjects.push(r.object);
    if (!r.checker) return;
    checkers.push(r.checker);
    const id = r.checker.objectId;
    if (id !== undefined) {
      const list = byId.get(id) ?? [];
      list.push({ index, obj: r.checker.obj });
      byId.set(id, list);
    }
  });
  if (changes.length > 0) b = { ...b, objects: upgradedObjects };

  const mode = options.unresolvedReferences ?? 'warn';
  if (mode !== 'ignore') {
    const known = options.knownIds;
    const isKnown = (id: string): boolean =>
      byId.has(id) ||
      isTlpMarkingId(id) ||
      (typeof known === 'function' ? known(id) : (known?.has(id) ?? false));
    for (const checker of checkers) {
      for (const ref of checker.references) {
        if (isKnown(ref.id)) continue;
        const issue: Issue = {
          objectId: checker.objectId,
          index: checker.index,
          path: ref.path,
          rule: 'unresolved-reference',
          message: `${ref.id} is not in the bundle`,
        };
        if (issue.index === undefined) delete issue.index;
        (mode === 'error' ? errors : warnings).push(issue);
      }
    }
  }

  for (const [id, copies] of byId) {
    if (copies.length < 2) continue;
    checkCopies(id, copies, errors, warnings);
  }
  return finish(errors, warnings, { bundle: b, changes });
}

function checkCopies(
  id: string,
  copies: { index: number; obj: Record<string, unknown> }[],
  errors: Issue[],
  warnings: Issue[],
): void {
  const type = typeOfId(id) ?? '';
  const versioned = categoryOf(type) !== 'sco' && type !== 'marking-definition';
  const seen = new Map<string, { index: number; text: string }>();
  for (const { index, obj } of copies) {
    const key = versioned ? String(obj.modified) : '';
    const text = stableStringify(obj);
    const earlier = seen.get(key);
    if (!earlier) {
      seen.set(key, { index, text });
      continue;
    }
    if (earlier.text === text) {
      warnings.push({
        objectId: id,
        index,
        path: '',
        rule: 'duplicate-object',
        message: `same as objects[${earlier.index}]`,
      });
    } else if (versioned) {
      errors.push({
        objectId: id,
        index,
        path: 'modified',
        rule: 'version-conflict',
        message: `objects[${earlier.index}] has the same id and modified but different content`,
      });
    } else {
      const issue: Issue = {
        objectId: id,
        index,
        path: '',
        rule: 'version-conflict',
        message: `${type} objects cannot be versioned, but objects[${earlier.index}] has the same id and different content`,
      };
      (type === 'marking-definition' ? errors : warnings).push(issue);
    }
  }
  if (versioned) {
    const list = copies.map((c) => c.obj as { id: string; modified?: string; revoked?: boolean });
    for (const bad of revocationViolations(list)) {
      errors.push({
        objectId: id,
        index: copies[bad].index,
        path: 'revoked',
        rule: 'revoked-is-final',
        message: 'a later version of a revoked object must stay revoked',
      });
    }
  }
}
