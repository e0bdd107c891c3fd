/**
 * TypeScript shapes of STIX 2.1 objects (OASIS STIX 2.1 OS, sections 3–7).
 *
 * These types describe well-formed content; the validator works on `unknown` input and is what decides
 * whether a parsed JSON value really is one of these. Custom `x_` properties and extensions are allowed on
 * every object, hence the index signatures.
 */

/** `<type>--<uuid>`. Kept as a plain string so ids read from JSON need no casting. */
export type Identifier = string;
/** RFC 3339 UTC timestamp with a `Z` suffix, e.g. `2016-05-12T08:17:27.000Z`. */
export type Timestamp = string;
/** Keys are hash algorithm names from the hashing-algorithm-ov (`MD5`, `SHA-256`, …) or custom names. */
export type Hashes = Record<string, string>;
export type Dictionary = Record<string, unknown>;

export interface ExternalReference {
  source_name: string;
  description?: string;
  url?: string;
  hashes?: Hashes;
  external_id?: string;
}

export interface KillChainPhase {
  kill_chain_name: string;
  phase_name: string;
}

export interface GranularMarking {
  lang?: string;
  marking_ref?: Identifier;
  selectors: string[];
}

/** Keys are extension-definition ids, or the names of predefined SCO extensions such as `archive-ext`. */
export type Extensions = Record<string, Dictionary>;

/** Properties every STIX object may carry. */
export interface StixBase {
  type: string;
  id: Identifier;
  spec_version?: string;
  object_marking_refs?: Identifier[];
  granular_markings?: GranularMarking[];
  extensions?: Extensions;
  [custom: string]: unknown;
}

/** Common properties of SDOs, SROs, language content and (partly) marking definitions. */
export interface StixCommon extends StixBase {
  spec_version: string;
  created: Timestamp;
  modified: Timestamp;
  created_by_ref?: Identifier;
  revoked?: boolean;
  labels?: string[];
  confidence?: number;
  lang?: string;
  external_references?: ExternalReference[];
}

// ---------------------------------------------------------------------------------------------------------------
// SDOs

export interface AttackPattern extends StixCommon {
  type: 'attack-pattern';
  name: string;
  description?: string;
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
}

export interface Campaign extends StixCommon {
  type: 'campaign';
  name: string;
  description?: string;
  aliases?: string[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  objective?: string;
}

export interface CourseOfAction extends StixCommon {
  type: 'course-of-action';
  name: string;
  description?: string;
}

export interface Grouping extends StixCommon {
  type: 'grouping';
  name?: string;
  description?: string;
  context: string;
  object_refs: Identifier[];
}

export interface Identity extends StixCommon {
  type: 'identity';
  name: string;
  description?: string;
  roles?: string[];
  identity_class?: string;
  sectors?: string[];
  contact_information?: string;
}

export interface Incident extends StixCommon {
  type: 'incident';
  name: string;
  description?: string;
  kill_chain_phases?: KillChainPhase[];
}

export interface Indicator extends StixCommon {
  type: 'indicator';
  name?: string;
  description?: string;
  indicator_types?: string[];
  pattern: string;
  pattern_type: string;
  pattern_version?: string;
  valid_from: Timestamp;
  valid_until?: Timestamp;
  kill_chain_phases?: KillChainPhase[];
}

export interface Infrastructure extends StixCommon {
  type: 'infrastructure';
  name: string;
  description?: string;
  infrastructure_types?: string[];
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
}

export interface IntrusionSet extends StixCommon {
  type: 'intrusion-set';
  name: string;
  description?: string;
  aliases?: string[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  goals?: string[];
  resource_level?: string;
  primary_motivation?: string;
  secondary_motivations?: string[];
}

export interface Location extends StixCommon {
  type: 'location';
  name?: string;
  description?: string;
  latitude?: number;
  longitude?: number;
  precision?: number;
  region?: string;
  country?: string;
  administrative_area?: string;
  city?: string;
  street_address?: string;
  postal_code?: string;
}

export interface Malware extends StixCommon {
  type: 'malware';
  name?: string;
  description?: string;
  malware_types?: string[];
  is_family: boolean;
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  operating_system_refs?: Identifier[];
  architecture_execution_envs?: string[];
  implementation_languages?: string[];
  capabilities?: string[];
  sample_refs?: Identifier[];
}

export interface MalwareAnalysis extends StixCommon {
  type: 'malware-analysis';
  product: string;
  version?: string;
  host_vm_ref?: Identifier;
  operating_system_ref?: Identifier;
  installed_software_refs?: Identifier[];
  configuration_version?: string;
  modules?: string[];
  analysis_engine_version?: string;
  analysis_definition_version?: string;
  submitted?: Timestamp;
  analysis_started?: Timestamp;
  analysis_ended?: Timestamp;
  result_name?: string;
  result?: string;
  analysis_sco_refs?: Identifier[];
  sample_ref?: Identifier;
}

export interface Note extends StixCommon {
  type: 'note';
  abstract?: string;
  content: string;
  authors?: string[];
  object_refs: Identifier[];
}

export interface ObservedData extends StixCommon {
  type: 'observed-data';
  first_observed: Timestamp;
  last_observed: Timestamp;
  number_observed: number;
  /** Deprecated in 2.1 (the 2.0 embedded form); mutually exclusive with `object_refs`. */
  objects?: Record<string, StixCyberObservable>;
  object_refs?: Identifier[];
}

export interface Opinion extends StixCommon {
  type: 'opinion';
  explanation?: string;
  authors?: string[];
  opinion: 'strongly-disagree' | 'disagree' | 'neutral' | 'agree' | 'strongly-agree';
  object_refs: Identifier[];
}

export interface Report extends StixCommon {
  type: 'report';
  name: string;
  description?: string;
  report_types?: string[];
  published: Timestamp;
  object_refs: Identifier[];
}

export interface ThreatActor extends StixCommon {
  type: 'threat-actor';
  name: string;
  description?: string;
  threat_actor_types?: string[];
  aliases?: string[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  roles?: string[];
  goals?: string[];
  sophistication?: string;
  resource_level?: string;
  primary_motivation?: string;
  secondary_motivations?: string[];
  personal_motivations?: string[];
}

export interface Tool extends StixCommon {
  type: 'tool';
  name: string;
  description?: string;
  tool_types?: string[];
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
  tool_version?: string;
}

export interface Vulnerability extends StixCommon {
  type: 'vulnerability';
  name: string;
  description?: string;
}

export type StixDomainObject =
  | AttackPattern
  | Campaign
  | CourseOfAction
  | Grouping
  | Identity
  | Incident
  | Indicator
  | Infrastructure
  | IntrusionSet
  | Location
  | Malware
  | MalwareAnalysis
  | Note
  | ObservedData
  | Opinion
  | Report
  | ThreatActor
  | Tool
  | Vulnerability;

// ---------------------------------------------------------------------------------------------------------------
// SROs

export interface Relationship extends StixCommon {
  type: 'relationship';
  relationship_type: string;
  description?: string;
  source_ref: Identifier;
  target_ref: Identifier;
  start_time?: Timestamp;
  stop_time?: Timestamp;
}

export interface Sighting extends StixCommon {
  type: 'sighting';
  description?: string;
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  count?: number;
  sighting_of_ref: Identifier;
  observed_data_refs?: Identifier[];
  where_sighted_refs?: Identifier[];
  summary?: boolean;
}

export type StixRelationshipObject = Relationship | Sighting;

// ---------------------------------------------------------------------------------------------------------------
// SCOs

export interface ScoBase extends StixBase {
  defanged?: boolean;
}

export interface Artifact extends ScoBase {
  type: 'artifact';
  mime_type?: string;
  payload_bin?: string;
  url?: string;
  hashes?: Hashes;
  encryption_algorithm?: string;
  decryption_key?: string;
}

export interface AutonomousSystem extends ScoBase {
  type: 'autonomous-system';
  number: number;
  name?: string;
  rir?: string;
}

export interface Directory extends ScoBase {
  type: 'directory';
  path: string;
  path_enc?: string;
  ctime?: Timestamp;
  mtime?: Timestamp;
  atime?: Timestamp;
  contains_refs?: Identifier[];
}

export interface DomainName extends ScoBase {
  type: 'domain-name';
  value: string;
  resolves_to_refs?: Identifier[];
}

export interface EmailAddress extends ScoBase {
  type: 'email-addr';
  value: string;
  display_name?: string;
  belongs_to_ref?: Identifier;
}

export interface EmailMimeComponent {
  body?: string;
  body_raw_ref?: Identifier;
  content_type?: string;
  content_disposition?: string;
}

export interface EmailMessage extends ScoBase {
  type: 'email-message';
  is_multipart: boolean;
  date?: Timestamp;
  content_type?: string;
  from_ref?: Identifier;
  sender_ref?: Identifier;
  to_refs?: Identifier[];
  cc_refs?: Identifier[];
  bcc_refs?: Identifier[];
  message_id?: string;
  subject?: string;
  received_lines?: string[];
  additional_header_fields?: Record<string, string[]>;
  body?: string;
  body_multipart?: EmailMimeComponent[];
  raw_email_ref?: Identifier;
}

export interface File extends ScoBase {
  type: 'file';
  hashes?: Hashes;
  size?: number;
  name?: string;
  name_enc?: string;
  magic_number_hex?: string;
  mime_type?: string;
  ctime?: Timestamp;
  mtime?: Timestamp;
  atime?: Timestamp;
  parent_directory_ref?: Identifier;
  contains_refs?: Identifier[];
  content_ref?: Identifier;
}

export interface Ipv4Address extends ScoBase {
  type: 'ipv4-addr';
  value: string;
  resolves_to_refs?: Identifier[];
  belongs_to_refs?: Identifier[];
}

export interface Ipv6Address extends ScoBase {
  type: 'ipv6-addr';
  value: string;
  resolves_to_refs?: Identifier[];
  belongs_to_refs?: Identifier[];
}

export interface MacAddress extends ScoBase {
  type: 'mac-addr';
  value: string;
}

export interface Mutex extends ScoBase {
  type: 'mutex';
  name: string;
}

export interface NetworkTraffic extends ScoBase {
  type: 'network-traffic';
  start?: Timestamp;
  end?: Timestamp;
  is_active?: boolean;
  src_ref?: Identifier;
  dst_ref?: Identifier;
  src_port?: number;
  dst_port?: number;
  protocols: string[];
  src_byte_count?: number;
  dst_byte_count?: number;
  src_packets?: number;
  dst_packets?: number;
  ipfix?: Record<string, string | number>;
  src_payload_ref?: Identifier;
  dst_payload_ref?: Identifier;
  encapsulates_refs?: Identifier[];
  encapsulated_by_ref?: Identifier;
}

export interface Process extends ScoBase {
  type: 'process';
  is_hidden?: boolean;
  pid?: number;
  created_time?: Timestamp;
  cwd?: string;
  command_line?: string;
  environment_variables?: Record<string, string>;
  opened_connection_refs?: Identifier[];
  creator_user_ref?: Identifier;
  image_ref?: Identifier;
  parent_ref?: Identifier;
  child_refs?: Identifier[];
}

export interface Software extends ScoBase {
  type: 'software';
  name: string;
  cpe?: string;
  swid?: string;
  languages?: string[];
  vendor?: string;
  version?: string;
}

export interface Url extends ScoBase {
  type: 'url';
  value: string;
}

export interface UserAccount extends ScoBase {
  type: 'user-account';
  user_id?: string;
  credential?: string;
  account_login?: string;
  account_type?: string;
  display_name?: string;
  is_service_account?: boolean;
  is_privileged?: boolean;
  can_escalate_privs?: boolean;
  is_disabled?: boolean;
  account_created?: Timestamp;
  account_expires?: Timestamp;
  credential_last_changed?: Timestamp;
  account_first_login?: Timestamp;
  account_last_login?: Timestamp;
}

export interface WindowsRegistryValue {
  name?: string;
  data?: string;
  data_type?: string;
}

export interface WindowsRegistryKey extends ScoBase {
  type: 'windows-registry-key';
  key?: string;
  values?: WindowsRegistryValue[];
  modified_time?: Timestamp;
  creator_user_ref?: Identifier;
  number_of_subkeys?: number;
}

export interface X509V3Extensions {
  [name: string]: string | undefined;
}

export interface X509Certificate extends ScoBase {
  type: 'x509-certificate';
  is_self_signed?: boolean;
  hashes?: Hashes;
  version?: string;
  serial_number?: string;
  signature_algorithm?: string;
  issuer?: string;
  validity_not_before?: Timestamp;
  validity_not_after?: Timestamp;
  subject?: string;
  subject_public_key_algorithm?: string;
  subject_public_key_modulus?: string;
  subject_public_key_exponent?: number;
  x509_v3_extensions?: X509V3Extensions;
}

export type StixCyberObservable =
  | Artifact
  | AutonomousSystem
  | Directory
  | DomainName
  | EmailAddress
  | EmailMessage
  | File
  | Ipv4Address
  | Ipv6Address
  | MacAddress
  | Mutex
  | NetworkTraffic
  | Process
  | Software
  | Url
  | UserAccount
  | WindowsRegistryKey
  | X509Certificate;

/** Any SCO-shaped object, including custom ones; what the pattern evaluator consumes. */
export type Sco = ScoBase;

// ---------------------------------------------------------------------------------------------------------------
// Meta objects and bundle

export interface LanguageContent extends StixCommon {
  type: 'language-content';
  object_ref: Identifier;
  object_modified?: Timestamp;
  /** Language tag → property name → translated value (string, list, or nested object). */
  contents: Record<string, Record<string, unknown>>;
}

/** TLP 1.0 levels as written in a `tlp` marking definition. */
export type Tlp1Level = 'white' | 'green' | 'amber' | 'red';

export interface MarkingDefinition extends StixBase {
  type: 'marking-definition';
  spec_version: string;
  created: Timestamp;
  created_by_ref?: Identifier;
  external_references?: ExternalReference[];
  name?: string;
  definition_type?: 'statement' | 'tlp' | string;
  definition?: { statement: string } | { tlp: Tlp1Level } | Dictionary;
}

export type ExtensionType =
  | 'new-sdo'
  | 'new-sco'
  | 'new-sro'
  | 'property-extension'
  | 'toplevel-property-extension';

export interface ExtensionDefinition extends StixCommon {
  type: 'extension-definition';
  created_by_ref: Identifier;
  name: string;
  description?: string;
  schema: string;
  version: string;
  extension_types: ExtensionType[];
  extension_properties?: string[];
}

export type StixObject =
  | StixDomainObject
  | StixRelationshipObject
  | StixCyberObservable
  | LanguageContent
  | MarkingDefinition
  | ExtensionDefinition;

export interface Bundle {
  type: 'bundle';
  id: Identifier;
  objects?: StixBase[];
  [custom: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Type name lists (runtime values: the validator and helpers switch on them)

export const SDO_TYPES = [
  'attack-pattern',
  'campaign',
  'course-of-action',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'location',
  'malware',
  'malware-analysis',
  'note',
  'observed-data',
  'opinion',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
] as const;

export const SRO_TYPES = ['relationship', 'sighting'] as const;

export const SCO_TYPES = [
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
] as const;

export const META_TYPES = ['language-content', 'marking-definition', 'extension-definition'] as const;

export type SdoType = (typeof SDO_TYPES)[number];
export type SroType = (typeof SRO_TYPES)[number];
export type ScoType = (typeof SCO_TYPES)[number];
export type MetaType = (typeof META_TYPES)[number];
export type StixType = SdoType | SroType | ScoType | MetaType;

export type ObjectCategory = 'sdo' | 'sro' | 'sco' | 'meta' | 'bundle' | 'custom';

const SDO_SET: ReadonlySet<string> = new Set(SDO_TYPES);
const SRO_SET: ReadonlySet<string> = new Set(SRO_TYPES);
const SCO_SET: ReadonlySet<string> = new Set(SCO_TYPES);
const META_SET: ReadonlySet<string> = new Set(META_TYPES);

export function isSdoType(type: string): type is SdoType {
  return SDO_SET.has(type);
}
export function isSroType(type: string): type is SroType {
  return SRO_SET.has(type);
}
export function isScoType(type: string): type is ScoType {
  return SCO_SET.has(type);
}
export function isMetaType(type: string): type is MetaType {
  return META_SET.has(type);
}

/** Category of a spec-defined type; anything else (e.g. `x-mitre-tactic`) is `custom`. */
export function categoryOf(type: string): ObjectCategory {
  if (type === 'bundle') return 'bundle';
  if (SDO_SET.has(type)) return 'sdo';
  if (SRO_SET.has(type)) return 'sro';
  if (SCO_SET.has(type)) return 'sco';
  if (META_SET.has(type)) return 'meta';
  return 'custom';
}
