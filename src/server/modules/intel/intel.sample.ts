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
  const objects = [actor, malware, phishing, c2, rel(actor, malware, 'uses'), rel(c2, malware, 'indicates')];
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
