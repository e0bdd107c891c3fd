import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import type { OrgKind } from '../db/schema/orgs.js';
import { loadAssetsSample } from '../modules/assets/assets.sample.js';
import { auditService } from '../modules/audit/audit.service.js';
import { loadBaselinesSample } from '../modules/baselines/baselines.sample.js';
import { loadIncidentsSample } from '../modules/incidents/incidents.sample.js';
import { loadIntelSample } from '../modules/intel/intel.sample.js';
import { membershipsRepository, orgsRepository } from '../modules/orgs/orgs.repository.js';
import { loadPartnersSample } from '../modules/partners/partners.sample.js';
import { loadRisksSample } from '../modules/risks/risks.sample.js';
import { loadVulnsSample } from '../modules/vulns/vulns.sample.js';
import { loadWorkforceSample } from '../modules/workforce/workforce.sample.js';

export const EXAMPLE_CITY_SLUG = 'example-city';

interface SampleOrg {
  key: string;
  parent?: string;
  kind: OrgKind;
  name: string;
  slug: string;
  description: string;
}

/** The Example City: a fictitious mid-sized city with its departments, utilities and partners. */
export const SAMPLE_ORGS: SampleOrg[] = [
  {
    key: 'nation',
    kind: 'nation',
    name: 'Example Nation',
    slug: 'example-nation',
    description: 'Sample data: the national level above the Example City.',
  },
  {
    key: 'region',
    parent: 'nation',
    kind: 'region',
    name: 'Example Region',
    slug: 'example-region',
    description: 'Sample data: the region that coordinates its cities.',
  },
  {
    key: 'city',
    parent: 'region',
    kind: 'city',
    name: 'Example City',
    slug: EXAMPLE_CITY_SLUG,
    description:
      'Sample data: a city of 250,000 residents, used to explore Citywall. Delete it when you add your own city.',
  },
  {
    key: 'it',
    parent: 'city',
    kind: 'department',
    name: 'Information Technology',
    slug: 'example-city-it',
    description: 'Sample data: runs the network, identity, email, backups and the data centre.',
  },
  {
    key: 'water',
    parent: 'city',
    kind: 'department',
    name: 'Water and Wastewater',
    slug: 'example-city-water',
    description: 'Sample data: water treatment plant, pumping stations and their SCADA.',
  },
  {
    key: 'ecc',
    parent: 'city',
    kind: 'department',
    name: 'Emergency Communications (911)',
    slug: 'example-city-911',
    description: 'Sample data: the public-safety answering point and computer-aided dispatch.',
  },
  {
    key: 'transport',
    parent: 'city',
    kind: 'department',
    name: 'Transportation',
    slug: 'example-city-transport',
    description: 'Sample data: traffic signals and the transit fare system.',
  },
  {
    key: 'finance',
    parent: 'city',
    kind: 'department',
    name: 'Finance',
    slug: 'example-city-finance',
    description: 'Sample data: payroll, payments and procurement.',
  },
  {
    key: 'permits',
    parent: 'city',
    kind: 'department',
    name: 'Planning and Permits',
    slug: 'example-city-permits',
    description: 'Sample data: the online permits portal.',
  },
  {
    key: 'power',
    parent: 'region',
    kind: 'utility',
    name: 'Example Power & Light',
    slug: 'example-power',
    description: 'Sample data: the electric utility serving the Example City.',
  },
  {
    key: 'isp',
    parent: 'region',
    kind: 'partner',
    name: 'Example Fiber',
    slug: 'example-fiber',
    description: 'Sample data: the internet service provider of the city network.',
  },
];

export interface SampleContext {
  orgIds: Record<string, string>;
  adminUserId: string;
}

/** Later modules add their part of the Example City here; each runs in the sample's one transaction. */
export const SAMPLE_LOADERS: ((tx: DbOrTx, s: SampleContext) => Promise<void>)[] = [
  loadAssetsSample,
  loadRisksSample,
  loadIntelSample,
  loadIncidentsSample,
  loadBaselinesSample,
  loadWorkforceSample,
  loadPartnersSample,
  loadVulnsSample,
];

export async function loadExampleCity(tx: DbOrTx, adminUserId: string): Promise<SampleContext> {
  const orgIds: Record<string, string> = {};
  const paths: Record<string, string> = {};
  for (const o of SAMPLE_ORGS) {
    const id = randomUUID();
    const path = `${o.parent ? paths[o.parent] : '/'}${id}/`;
    orgIds[o.key] = id;
    paths[o.key] = path;
    const org = await orgsRepository.insert(tx, {
      id,
      path,
      parentId: o.parent ? orgIds[o.parent] : null,
      kind: o.kind,
      name: o.name,
      slug: o.slug,
      description: o.description,
      isSample: true,
    });
    await auditService.record(
      tx,
      { actor: SYSTEM_ACTOR },
      { orgId: id, action: 'org.create.sample', targetType: 'organization', targetId: id, after: org },
    );
  }
  await membershipsRepository.insert(tx, {
    userId: adminUserId,
    orgId: orgIds.city,
    role: 'admin',
    inherit: true,
  });
  const ctx = { orgIds, adminUserId };
  for (const load of SAMPLE_LOADERS) await load(tx, ctx);
  return ctx;
}
