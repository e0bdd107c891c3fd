import type { VocabularyName } from './vocab.js';

/*
 * Property tables of STIX 2.1 objects: value kind, required-ness, allowed reference targets and vocabularies.
 * Cross-property rules (at least one of, mutually exclusive, ordering) live in validate.ts.
 */

export type PropKind =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'number'
  | 'timestamp'
  | 'ref'
  | 'refs'
  | 'strings'
  | 'dict'
  | 'hashes'
  | 'external-references'
  | 'kill-chain-phases'
  | 'granular-markings'
  | 'extensions'
  | 'binary'
  | 'hex'
  | 'objects'
  | 'any';

/**
 * Reference targets: type names, or `@sdo`, `@sco`, `@sro`, `@any` for whole categories. Custom object types
 * satisfy `@sdo` and `@sco`, since their category cannot be told from the name.
 */
export type RefTarget = string;

export interface PropSpec {
  kind: PropKind;
  required?: boolean;
  refs?: readonly RefTarget[];
  vocab?: VocabularyName;
  min?: number;
  max?: number;
  /** Properties of each element, for `objects`. */
  items?: Readonly<Record<string, PropSpec>>;
}

export interface TypeSchema {
  props: Readonly<Record<string, PropSpec>>;
  /** Properties that must not appear (e.g. versioning properties on unversioned objects). */
  forbidden?: readonly string[];
}

const p = (kind: PropKind, extra: Omit<PropSpec, 'kind'> = {}): PropSpec => ({ kind, ...extra });
const req = (spec: PropSpec): PropSpec => ({ ...spec, required: true });
const str = (vocab?: VocabularyName) => p('string', vocab ? { vocab } : {});
const strs = (vocab?: VocabularyName) => p('strings', vocab ? { vocab } : {});
const bool = () => p('boolean');
const int = (min?: number, max?: number) => p('integer', { min, max });
const num = (min?: number, max?: number) => p('number', { min, max });
const ts = () => p('timestamp');
const ref = (...refs: RefTarget[]) => p('ref', { refs });
const refs = (...targets: RefTarget[]) => p('refs', { refs: targets });
const dict = () => p('dict');
const hashes = () => p('hashes');

/** Common properties of SDOs and SROs (section 3.2). */
export const SDO_COMMON: Readonly<Record<string, PropSpec>> = {
  type: req(str()),
  spec_version: req(str()),
  id: req(str()),
  created_by_ref: ref('identity'),
  created: req(ts()),
  modified: req(ts()),
  revoked: bool(),
  labels: strs(),
  confidence: int(0, 100),
  lang: str(),
  external_references: p('external-references'),
  object_marking_refs: refs('marking-definition'),
  granular_markings: p('granular-markings'),
  extensions: p('extensions'),
};

const SCO_COMMON: Record<string, PropSpec> = {
  type: req(str()),
  spec_version: str(),
  id: req(str()),
  object_marking_refs: refs('marking-definition'),
  granular_markings: p('granular-markings'),
  defanged: bool(),
  extensions: p('extensions'),
};

/** SDO common properties that have no meaning on SCOs (STIX 2.1 section 3.2, "not applicable"). */
export const SCO_FORBIDDEN = [
  'created_by_ref',
  'revoked',
  'labels',
  'confidence',
  'lang',
  'external_references',
  'created',
  'modified',
] as const;

const sdo = (props: Record<string, PropSpec>): TypeSchema => ({ props: { ...SDO_COMMON, ...props } });
const sco = (props: Record<string, PropSpec>): TypeSchema => ({
  props: { ...SCO_COMMON, ...props },
  forbidden: SCO_FORBIDDEN,
});

const KILL_CHAIN = p('kill-chain-phases');

export const SCHEMAS: Readonly<Record<string, TypeSchema>> = {
  // ------------------------------------------------------------------------------------------ SDOs
  'attack-pattern': sdo({
    name: req(str()),
    description: str(),
    aliases: strs(),
    kill_chain_phases: KILL_CHAIN,
  }),
  campaign: sdo({
    name: req(str()),
    description: str(),
    aliases: strs(),
    first_seen: ts(),
    last_seen: ts(),
    objective: str(),
  }),
  'course-of-action': sdo({ name: req(str()), description: str() }),
  grouping: sdo({
    name: str(),
    description: str(),
    context: req(str('grouping-context-ov')),
    object_refs: req(refs('@any')),
  }),
  identity: sdo({
    name: req(str()),
    description: str(),
    roles: strs(),
    identity_class: str('identity-class-ov'),
    sectors: strs('industry-sector-ov'),
    contact_information: str(),
  }),
  incident: sdo({ name: req(str()), description: str(), kill_chain_phases: KILL_CHAIN }),
  indicator: sdo({
    name: str(),
    description: str(),
    indicator_types: strs('indicator-type-ov'),
    pattern: req(str()),
    pattern_type: req(str('pattern-type-ov')),
    pattern_version: str(),
    valid_from: req(ts()),
    valid_until: ts(),
    kill_chain_phases: KILL_CHAIN,
  }),
  infrastructure: sdo({
    name: req(str()),
    description: str(),
    infrastructure_types: strs('infrastructure-type-ov'),
    aliases: strs(),
    kill_chain_phases: KILL_CHAIN,
    first_seen: ts(),
    last_seen: ts(),
  }),
  'intrusion-set': sdo({
    name: req(str()),
    description: str(),
    aliases: strs(),
    first_seen: ts(),
    last_seen: ts(),
    goals: strs(),
    resource_level: str('attack-resource-level-ov'),
    primary_motivation: str('attack-motivation-ov'),
    secondary_motivations: strs('attack-motivation-ov'),
  }),
  location: sdo({
    name: str(),
    description: str(),
    latitude: num(-90, 90),
    longitude: num(-180, 180),
    precision: num(0),
    region: str('region-ov'),
    country: str(),
    administrative_area: str(),
    city: str(),
    street_address: str(),
    postal_code: str(),
  }),
  malware: sdo({
    name: str(),
    description: str(),
    malware_types: strs('malware-type-ov'),
    is_family: req(bool()),
    aliases: strs(),
    kill_chain_phases: KILL_CHAIN,
    first_seen: ts(),
    last_seen: ts(),
    operating_system_refs: refs('software'),
    architecture_execution_envs: strs('processor-architecture-ov'),
    implementation_languages: strs('implementation-language-ov'),
    capabilities: strs('malware-capabilities-ov'),
    sample_refs: refs('file', 'artifact'),
  }),
  'malware-analysis': sdo({
    product: req(str()),
    version: str(),
    host_vm_ref: ref('software'),
    operating_system_ref: ref('software'),
    installed_software_refs: refs('software'),
    configuration_version: str(),
    modules: strs(),
    analysis_engine_version: str(),
    analysis_definition_version: str(),
    submitted: ts(),
    analysis_started: ts(),
    analysis_ended: ts(),
    result_name: str(),
    result: str('malware-result-ov'),
    analysis_sco_refs: refs('@sco'),
    sample_ref: ref('file', 'network-traffic', 'artifact'),
  }),
  note: sdo({ abstract: str(), content: req(str()), authors: strs(), object_refs: req(refs('@any')) }),
  'observed-data': sdo({
    first_observed: req(ts()),
    last_observed: req(ts()),
    number_observed: req(int(1, 999_999_999)),
    objects: dict(),
    object_refs: refs('@sco', 'relationship'),
  }),
  opinion: sdo({
    explanation: str(),
    authors: strs(),
    opinion: req(str('opinion-enum')),
    object_refs: req(refs('@any')),
  }),
  report: sdo({
    name: req(str()),
    description: str(),
    report_types: strs('report-type-ov'),
    published: req(ts()),
    object_refs: req(refs('@any')),
  }),
  'threat-actor': sdo({
    name: req(str()),
    description: str(),
    threat_actor_types: strs('threat-actor-type-ov'),
    aliases: strs(),
    first_seen: ts(),
    last_seen: ts(),
    roles: strs('threat-actor-role-ov'),
    goals: strs(),
    sophistication: str('threat-actor-sophistication-ov'),
    resource_level: str('attack-resource-level-ov'),
    primary_motivation: str('attack-motivation-ov'),
    secondary_motivations: strs('attack-motivation-ov'),
    personal_motivations: strs('attack-motivation-ov'),
  }),
  tool: sdo({
    name: req(str()),
    description: str(),
    tool_types: strs('tool-type-ov'),
    aliases: strs(),
    kill_chain_phases: KILL_CHAIN,
    tool_version: str(),
  }),
  vulnerability: sdo({ name: req(str()), description: str() }),

  // ------------------------------------------------------------------------------------------ SROs
  relationship: sdo({
    relationship_type: req(str()),
    description: str(),
    source_ref: req(ref('@sdo', '@sco')),
    target_ref: req(ref('@sdo', '@sco')),
    start_time: ts(),
    stop_time: ts(),
  }),
  sighting: sdo({
    description: str(),
    first_seen: ts(),
    last_seen: ts(),
    count: int(0, 999_999_999),
    sighting_of_ref: req(ref('@sdo')),
    observed_data_refs: refs('observed-data'),
    where_sighted_refs: refs('identity', 'location'),
    summary: bool(),
  }),

  // ------------------------------------------------------------------------------------------ SCOs
  artifact: sco({
    mime_type: str(),
    payload_bin: p('binary'),
    url: str(),
    hashes: hashes(),
    encryption_algorithm: str('encryption-algorithm-enum'),
    decryption_key: str(),
  }),
  'autonomous-system': sco({ number: req(int(0)), name: str(), rir: str() }),
  directory: sco({
    path: req(str()),
    path_enc: str(),
    ctime: ts(),
    mtime: ts(),
    atime: ts(),
    contains_refs: refs('file', 'directory'),
  }),
  'domain-name': sco({ value: req(str()), resolves_to_refs: refs('ipv4-addr', 'ipv6-addr', 'domain-name') }),
  'email-addr': sco({ value: req(str()), display_name: str(), belongs_to_ref: ref('user-account') }),
  'email-message': sco({
    is_multipart: req(bool()),
    date: ts(),
    content_type: str(),
    from_ref: ref('email-addr'),
    sender_ref: ref('email-addr'),
    to_refs: refs('email-addr'),
    cc_refs: refs('email-addr'),
    bcc_refs: refs('email-addr'),
    message_id: str(),
    subject: str(),
    received_lines: strs(),
    additional_header_fields: dict(),
    body: str(),
    body_multipart: p('objects', {
      items: {
        body: str(),
        body_raw_ref: ref('artifact', 'file'),
        content_type: str(),
        content_disposition: str(),
      },
    }),
    raw_email_ref: ref('artifact'),
  }),
  file: sco({
    hashes: hashes(),
    size: int(0),
    name: str(),
    name_enc: str(),
    magic_number_hex: p('hex'),
    mime_type: str(),
    ctime: ts(),
    mtime: ts(),
    atime: ts(),
    parent_directory_ref: ref('directory'),
    contains_refs: refs('@sco'),
    content_ref: ref('artifact'),
  }),
  'ipv4-addr': sco({
    value: req(str()),
    resolves_to_refs: refs('mac-addr'),
    belongs_to_refs: refs('autonomous-system'),
  }),
  'ipv6-addr': sco({
    value: req(str()),
    resolves_to_refs: refs('mac-addr'),
    belongs_to_refs: refs('autonomous-system'),
  }),
  'mac-addr': sco({ value: req(str()) }),
  mutex: sco({ name: req(str()) }),
  'network-traffic': sco({
    start: ts(),
    end: ts(),
    is_active: bool(),
    src_ref: ref('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'),
    dst_ref: ref('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'),
    src_port: int(0, 65535),
    dst_port: int(0, 65535),
    protocols: req(strs()),
    src_byte_count: int(0),
    dst_byte_count: int(0),
    src_packets: int(0),
    dst_packets: int(0),
    ipfix: dict(),
    src_payload_ref: ref('artifact'),
    dst_payload_ref: ref('artifact'),
    encapsulates_refs: refs('network-traffic'),
    encapsulated_by_ref: ref('network-traffic'),
  }),
  process: sco({
    is_hidden: bool(),
    pid: int(),
    created_time: ts(),
    cwd: str(),
    command_line: str(),
    environment_variables: dict(),
    opened_connection_refs: refs('network-traffic'),
    creator_user_ref: ref('user-account'),
    image_ref: ref('file'),
    parent_ref: ref('process'),
    child_refs: refs('process'),
  }),
  software: sco({
    name: req(str()),
    cpe: str(),
    swid: str(),
    languages: strs(),
    vendor: str(),
    version: str(),
  }),
  url: sco({ value: req(str()) }),
  'user-account': sco({
    user_id: str(),
    credential: str(),
    account_login: str(),
    account_type: str('account-type-ov'),
    display_name: str(),
    is_service_account: bool(),
    is_privileged: bool(),
    can_escalate_privs: bool(),
    is_disabled: bool(),
    account_created: ts(),
    account_expires: ts(),
    credential_last_changed: ts(),
    account_first_login: ts(),
    account_last_login: ts(),
  }),
  'windows-registry-key': sco({
    key: str(),
    values: p('objects', {
      items: { name: str(), data: str(), data_type: str('windows-registry-datatype-enum') },
    }),
    modified_time: ts(),
    creator_user_ref: ref('user-account'),
    number_of_subkeys: int(0),
  }),
  'x509-certificate': sco({
    is_self_signed: bool(),
    hashes: hashes(),
    version: str(),
    serial_number: str(),
    signature_algorithm: str(),
    issuer: str(),
    validity_not_before: ts(),
    validity_not_after: ts(),
    subject: str(),
    subject_public_key_algorithm: str(),
    subject_public_key_modulus: str(),
    subject_public_key_exponent: int(0),
    x509_v3_extensions: dict(),
  }),

  // ------------------------------------------------------------------------------------------ meta
  'language-content': {
    props: {
      ...SDO_COMMON,
      object_ref: req(ref('@any')),
      object_modified: ts(),
      contents: req(dict()),
    },
    forbidden: ['lang'],
  },
  'marking-definition': {
    props: {
      type: req(str()),
      spec_version: req(str()),
      id: req(str()),
      created_by_ref: ref('identity'),
      created: req(ts()),
      external_references: p('external-references'),
      object_marking_refs: refs('marking-definition'),
      granular_markings: p('granular-markings'),
      extensions: p('extensions'),
      name: str(),
      definition_type: str('marking-definition-type'),
      definition: dict(),
    },
    // Marking definitions cannot be versioned (section 7.2.1), so versioning properties are meaningless.
    forbidden: ['modified', 'revoked', 'labels', 'confidence', 'lang'],
  },
  'extension-definition': {
    props: {
      ...SDO_COMMON,
      created_by_ref: req(ref('identity')),
      name: req(str()),
      description: str(),
      schema: req(str()),
      version: req(str()),
      extension_types: req(strs('extension-type-enum')),
      extension_properties: strs(),
    },
    forbidden: ['lang', 'confidence', 'extensions'],
  },
};

/** Predefined SCO extensions (STIX 2.1 section 6) and the SCO types they belong to. */
export const SCO_EXTENSIONS: Readonly<
  Record<string, { on: string; props: Readonly<Record<string, PropSpec>> }>
> = {
  'archive-ext': { on: 'file', props: { contains_refs: req(refs('file', 'directory')), comment: str() } },
  'ntfs-ext': {
    on: 'file',
    props: {
      sid: str(),
      alternate_data_streams: p('objects', { items: { name: req(str()), hashes: hashes(), size: int(0) } }),
    },
  },
  'pdf-ext': {
    on: 'file',
    props: { version: str(), is_optimized: bool(), document_info_dict: dict(), pdfid0: str(), pdfid1: str() },
  },
  'raster-image-ext': {
    on: 'file',
    props: { image_height: int(0), image_width: int(0), bits_per_pixel: int(0), exif_tags: dict() },
  },
  'windows-pebinary-ext': {
    on: 'file',
    props: {
      pe_type: req(str('windows-pebinary-type-ov')),
      imphash: str(),
      machine_hex: p('hex'),
      number_of_sections: int(0),
      time_date_stamp: ts(),
      pointer_to_symbol_table_hex: p('hex'),
      number_of_symbols: int(0),
      size_of_optional_header: int(0),
      characteristics_hex: p('hex'),
      file_header_hashes: hashes(),
      optional_header: dict(),
      sections: p('objects', {
        items: { name: str(), size: int(0), entropy: num(), hashes: hashes() },
      }),
    },
  },
  'http-request-ext': {
    on: 'network-traffic',
    props: {
      request_method: req(str()),
      request_value: req(str()),
      request_version: str(),
      request_header: dict(),
      message_body_length: int(0),
      message_body_data_ref: ref('artifact'),
    },
  },
  'icmp-ext': {
    on: 'network-traffic',
    props: { icmp_type_hex: req(p('hex')), icmp_code_hex: req(p('hex')) },
  },
  'socket-ext': {
    on: 'network-traffic',
    props: {
      address_family: req(str('network-socket-address-family-enum')),
      is_blocking: bool(),
      is_listening: bool(),
      options: dict(),
      socket_type: str('network-socket-type-enum'),
      socket_descriptor: int(0),
      socket_handle: int(),
    },
  },
  'tcp-ext': { on: 'network-traffic', props: { src_flags_hex: p('hex'), dst_flags_hex: p('hex') } },
  'unix-account-ext': {
    on: 'user-account',
    props: { gid: int(), groups: strs(), home_dir: str(), shell: str() },
  },
  'windows-process-ext': {
    on: 'process',
    props: {
      aslr_enabled: bool(),
      dep_enabled: bool(),
      priority: str(),
      owner_sid: str(),
      window_title: str(),
      startup_info: dict(),
      integrity_level: str('windows-integrity-level-enum'),
    },
  },
  'windows-service-ext': {
    on: 'process',
    props: {
      service_name: str(),
      descriptions: strs(),
      display_name: str(),
      group_name: str(),
      start_type: str('windows-service-start-type-enum'),
      service_dll_refs: refs('file'),
      service_type: str('windows-service-type-enum'),
      service_status: str('windows-service-status-enum'),
    },
  },
};
