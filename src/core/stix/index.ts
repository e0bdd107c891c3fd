/**
 * STIX 2.1 library: types, validation (with a lenient STIX 2.0 upgrade), deterministic SCO ids, TLP markings,
 * versioning rules and the patterning language (parser and matcher). Pure functions, no I/O.
 */

export {
  hasDeterministicId,
  isStixId,
  isStixType,
  newId,
  SCO_ID_CONTRIBUTING_PROPERTIES,
  SCO_ID_NAMESPACE,
  scoId,
  scoIdContributions,
  typeOfId,
  uuidOfId,
  uuidVersion,
} from './ids.js';
export * from './patterns/index.js';
export { type PropKind, type PropSpec, SCHEMAS, SCO_EXTENSIONS, type TypeSchema } from './schema.js';
export {
  compareTimestamps,
  isTimestamp,
  nowTimestamp,
  type ParsedTimestamp,
  parseTimestamp,
} from './time.js';
export {
  compareTlp,
  isTlpMarkingId,
  strictestTlp,
  TLP_EXTENSION_ID,
  TLP_LEVELS,
  TLP_MARKINGS,
  TLP1_MARKING_IDS,
  TLP1_MARKINGS,
  TLP2_MARKING_IDS,
  type TlpLevel,
  type TlpOfOptions,
  tlpLevelOfMarking,
  tlpOf,
  tlpVersionOfMarking,
  toTlp2MarkingId,
} from './tlp.js';
export type * from './types.js';
export {
  categoryOf,
  isMetaType,
  isScoType,
  isSdoType,
  isSroType,
  META_TYPES,
  SCO_TYPES,
  SDO_TYPES,
  SRO_TYPES,
} from './types.js';
export { looksLikeStix20, type UpgradeChange, type UpgradeResult, upgradeFrom20 } from './upgrade.js';
export {
  type BundleValidationResult,
  type Issue,
  type ObjectValidationResult,
  resolveSelector,
  type ValidateOptions,
  type ValidationResult,
  validateBundle,
  validateObject,
} from './validate.js';
export {
  checkNewVersion,
  compareVersions,
  isRevoked,
  isVersioned,
  isVersionedObject,
  latestVersion,
  revocationViolations,
  sortVersions,
  stableStringify,
  type VersionCheck,
  type VersionedLike,
  type VersionProblem,
} from './versioning.js';
export {
  COMMON_RELATIONSHIP_TYPES,
  SPEC_RELATIONSHIPS,
  VOCABULARIES,
  type Vocabulary,
  type VocabularyName,
} from './vocab.js';
