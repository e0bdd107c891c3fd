import { randomUUID } from 'node:crypto';
import { TLP2_MARKING_IDS, type TlpLevel, validateObject } from '../../../core/stix/index.js';
import { SYSTEM_ACTOR } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { auditService } from '../audit/audit.service.js';
import { orgsRepository } from '../orgs/orgs.repository.js';
import { toRow } from './intel.prepare.js';
import { communitiesRepository, intelRepository } from './intel.repository.js';

const CREATED = '2026-01-15T09:00:00.000Z';

/**
 * The ATT&CK techniques the sample risks and incidents name (ATT&CK v18: Enterprise and ICS), so their names show
 * before anyone imports the full bundle. An import of ATT&CK later supersedes them in lookups (newest first).
 */
const SAMPLE_TECHNIQUES: [id: string, name: string, domain: 'enterprise' | 'ics', phases: string[]][] = [
  ['T0813', 'Denial of Control', 'ics', ['impact']],
  ['T0831', 'Manipulation of Control', 'ics', ['impact']],
  ['T0836', 'Modify Parameter', 'ics', ['impair-process-control']],
  ['T0855', 'Unauthorized Command Message', 'ics', ['impair-process-control']],
  ['T0866', 'Exploitation of Remote Services', 'ics', ['initial-access', 'lateral-movement']],
  ['T0883', 'Internet Accessible Device', 'ics', ['initial-access']],
  ['T0886', 'Remote Services', 'ics', ['initial-access', 'lateral-movement']],
  ['T1005', 'Data from Local System', 'enterprise', ['collection']],
  ['T1041', 'Exfiltration Over C2 Channel', 'enterprise', ['exfiltration']],
  [
    'T1078',
    'Valid Accounts',
    'enterprise',
    ['defense-evasion', 'persistence', 'privilege-escalation', 'initial-access'],
  ],
  [
    'T1078.002',
    'Domain Accounts',
    'enterprise',
    ['defense-evasion', 'persistence', 'privilege-escalation', 'initial-access'],
  ],
  ['T1114', 'Email Collection', 'enterprise', ['collection']],
  ['T1133', 'External Remote Services', 'enterprise', ['persistence', 'initial-access']],
  ['T1190', 'Exploit Public-Facing Application', 'enterprise', ['initial-access']],
  ['T1485', 'Data Destruction', 'enterprise', ['impact']],
  ['T1486', 'Data Encrypted for Impact', 'enterprise', ['impact']],
  ['T1489', 'Service Stop', 'enterprise', ['impact']],
  ['T1490', 'Inhibit System Recovery', 'enterprise', ['impact']],
  ['T1498', 'Network Denial of Service', 'enterprise', ['impact']],
  ['T1499', 'Endpoint Denial of Service', 'enterprise', ['impact']],
  ['T1534', 'Internal Spearphishing', 'enterprise', ['lateral-movement']],
  ['T1566', 'Phishing', 'enterprise', ['initial-access']],
  ['T1566.001', 'Spearphishing Attachment', 'enterprise', ['initial-access']],
  ['T1566.002', 'Spearphishing Link', 'enterprise', ['initial-access']],
];

/** ATT&CK's own identity and copyright statement, as its bundles carry them. */
const MITRE_MARKING = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168',
  created: '2017-06-01T00:00:00.000Z',
  created_by_ref: 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5',
  definition_type: 'statement',
  definition: {
    statement:
      'Copyright 2015-2025, The MITRE Corporation. MITRE ATT&CK and ATT&CK are registered trademarks of The MITRE Corporation.',
  },
};
const MITRE_IDENTITY = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5',
  created: '2017-06-01T00:00:00.000Z',
  modified: '2025-03-19T15:00:40.855Z',
  name: 'The MITRE Corporation',
  description: '',
  identity_class: 'organization',
  object_marking_refs: [MITRE_MARKING.id],
  x_mitre_attack_spec_version: '3.2.0',
};

function samplePatterns() {
  return SAMPLE_TECHNIQUES.map(([externalId, name, domain, phases]) => ({
    type: 'attack-pattern',
    spec_version: '2.1',
    id: `attack-pattern--${randomUUID()}`,
    created: CREATED,
    modified: CREATED,
    created_by_ref: MITRE_IDENTITY.id,
    name,
    kill_chain_phases: phases.map((phase_name) => ({
      kill_chain_name: domain === 'ics' ? 'mitre-ics-attack' : 'mitre-attack',
      phase_name,
    })),
    external_references: [
      {
        source_name: 'mitre-attack',
        external_id: externalId,
        url: `https://attack.mitre.org/techniques/${externalId.replace('.', '/')}`,
      },
    ],
    x_mitre_domains: [domain === 'ics' ? 'ics-attack' : 'enterprise-attack'],
    object_marking_refs: [TLP2_MARKING_IDS.clear, MITRE_MARKING.id],
  }));
}

/**
 * The Example City's threat intelligence: a regional sharing community it belongs to, a handful of fictitious
 * threat objects under different TLP markings, one of them shared to the community. Every object says it is sample
 * data (`x_citywall_sample`), so nobody mistakes it for a real indicator.
 */
export async function loadIntelSample(tx: DbOrTx, s: { orgIds: Record<string, string> }) {
  const region = await orgsRepository.byId(tx, s.orgIds.region);
  if (!region) return;
  const communityId = randomUUID();
  const community = await orgsRepository.insert(tx, {
    id: communityId,
    path: `${region.path}${communityId}/`,
    parentId: region.id,
    kind: 'community',
    name: 'Example Region Cyber Community',
    slug: 'example-region-cyber-community',
    description: 'Sample data: the cities and utilities of the Example Region sharing threat information.',
    isSample: true,
  });
  await communitiesRepository.add(tx, communityId, s.orgIds.city);
  await auditService.record(
    tx,
    { actor: SYSTEM_ACTOR },
    {
      orgId: communityId,
      action: 'org.create.sample',
      targetType: 'organization',
      targetId: communityId,
      after: community,
    },
  );

  const id = (type: string) => `${type}--${randomUUID()}`;
  const base = (type: string, tlp: TlpLevel) => ({
    type,
    spec_version: '2.1',
    id: id(type),
    created: CREATED,
    modified: CREATED,
    object_marking_refs: [TLP2_MARKING_IDS[tlp]],
    x_citywall_sample: true,
  });
  const actor = {
    ...base('intrusion-set', 'amber'),
    name: 'Sample: Harbor Spider',
    description:
      'Sample data: a fictitious ransomware crew targeting municipal water utilities in the region.',
    aliases: ['Sample Harbor Group'],
  };
  const malware = {
    ...base('malware', 'amber'),
    name: 'Sample: WaterLock',
    description: 'Sample data: fictitious ransomware that encrypts SCADA historian servers.',
    is_family: true,
    malware_types: ['ransomware'],
  };
  const phishing = {
    ...base('indicator', 'green'),
    name: 'Sample: invoice phishing domain',
    description: 'Sample data: domain used in fictitious invoice phishing against city finance staff.',
    pattern: "[domain-name:value = 'invoices-example-city.example']",
    pattern_type: 'stix',
    valid_from: CREATED,
    indicator_types: ['malicious-activity'],
  };
  const c2 = {
    ...base('indicator', 'amber+strict'),
    name: 'Sample: WaterLock command and control',
    description: 'Sample data: a documentation-range address standing in for a C2 server.',
    pattern: "[ipv4-addr:value = '203.0.113.45']",
    pattern_type: 'stix',
    valid_from: CREATED,
    indicator_types: ['malicious-activity'],
  };
  const rel = (source: { id: string }, target: { id: string }, kind: string) => ({
    ...base('relationship', 'amber'),
    relationship_type: kind,
    source_ref: source.id,
    target_ref: target.id,
  });
  const patterns = samplePatterns();
  const technique = (externalId: string) =>
    patterns.find((p) => p.external_references[0].external_id === externalId) as { id: string };
  const objects = [
    actor,
    malware,
    phishing,
    c2,
    rel(actor, malware, 'uses'),
    rel(c2, malware, 'indicates'),
    MITRE_MARKING,
    MITRE_IDENTITY,
    ...patterns,
    rel(actor, technique('T1566.002'), 'uses'),
    rel(malware, technique('T1486'), 'uses'),
    rel(malware, technique('T1490'), 'uses'),
  ];
  for (const o of objects) {
    const v = validateObject(o);
    if (!v.valid) throw new Error(`sample STIX object ${o.id} is invalid: ${v.errors[0]?.message}`);
  }
  await intelRepository.insertMany(
    tx,
    objects.map((o) => toRow(s.orgIds.city, o, 'amber')),
  );
  await intelRepository.addShare(tx, { orgId: s.orgIds.city, stixId: malware.id, targetOrgId: communityId });
}
