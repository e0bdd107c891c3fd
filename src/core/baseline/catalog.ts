import { CITYWALL_NS } from '../oscal/flatten.js';
import { type ResolveOptions, resolveProfile } from '../oscal/resolve.js';
import type { Catalog, Control, Group, Profile, Property } from '../oscal/types.js';
import { CPG_VERSION } from './cpg.js';
import { CSF2_FUNCTIONS } from './csf2.js';
import {
  BASELINE_VERSION,
  type BaselineRequirement,
  CITY_BASELINE_REQUIREMENTS,
  PROFILE_PARAMETER_VALUES,
  TIERS,
  type Tier,
} from './requirements.js';

// Fixed identities: the baseline ships with the product, so every installation must produce the same
// catalog and profiles, and an exported copy must be recognisable as (an edit of) this one.
export const CITY_BASELINE_CATALOG_UUID = '5d0c8a3e-7f1b-4c52-9e6a-1f3b2c4d5e60';
export const CITY_BASELINE_CATALOG_HREF = 'citywall-city-baseline_catalog.json';
const CATALOG_RESOURCE_UUID = '8a6f2d1c-3b4e-4f5a-8c7d-9e0f1a2b3c4d';
const CSF_RESOURCE_UUID = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';
const CPG_RESOURCE_UUID = 'd2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f60';
const PROFILE_UUIDS: Record<Tier, string> = {
  foundational: '1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  intermediate: '2a1b3c4d-5e6f-4a7b-9c8d-e9f0a1b2c3d4',
  advanced: '3b2c4d5e-6f7a-4b8c-ad9e-f0a1b2c3d4e5',
};
const LAST_MODIFIED = '2026-11-22T00:00:00Z';

const TIER_TITLES: Record<Tier, string> = {
  foundational: 'Foundational',
  intermediate: 'Foundational and Intermediate',
  advanced: 'All tiers (Foundational, Intermediate and Advanced)',
};

function cw(name: string, value: string, cls?: string): Property {
  return cls ? { name, ns: CITYWALL_NS, value, class: cls } : { name, ns: CITYWALL_NS, value };
}

function requirementControl(r: BaselineRequirement): Control {
  const props: Property[] = [
    { name: 'label', value: r.id },
    { name: 'sort-id', value: r.id.toLowerCase() },
    cw('tier', r.tier),
    ...r.ot.map((d) => cw('ot-domain', d)),
    ...Object.keys(r.csf).map((id) => cw('csf-subcategory', id, 'nist-csf-2.0')),
    ...r.cpg.map((id) => cw('cpg-goal', id, `cisa-cpg-${CPG_VERSION}`)),
  ];
  const control: Control = { id: r.id, class: 'requirement', title: r.title };
  if (r.params?.length) {
    control.params = r.params.map((p) => ({
      id: p.id,
      label: p.label,
      guidelines: [{ prose: p.guideline }],
    }));
  }
  control.props = props;
  control.links = [{ href: `#${CSF_RESOURCE_UUID}`, rel: 'reference' }];
  if (r.cpg.length) control.links.push({ href: `#${CPG_RESOURCE_UUID}`, rel: 'reference' });
  control.parts = [
    { id: `${r.id}_smt`, name: 'statement', prose: r.statement },
    { id: `${r.id}_gdn`, name: 'guidance', prose: r.guidance },
    { id: `${r.id}_start`, name: 'starting-point', ns: CITYWALL_NS, prose: r.startingPoint },
  ];
  return control;
}

/** The Citywall City Baseline as an OSCAL 1.1 catalog: one group per CSF 2.0 function. */
export function cityBaselineCatalog(
  requirements: readonly BaselineRequirement[] = CITY_BASELINE_REQUIREMENTS,
): Catalog {
  const groups: Group[] = CSF2_FUNCTIONS.map((f) => ({
    id: f.id,
    class: 'function',
    title: f.name,
    props: [{ name: 'label', value: f.id }],
    controls: requirements.filter((r) => r.function === f.id).map(requirementControl),
  })).filter((g) => g.controls.length > 0);
  return {
    uuid: CITY_BASELINE_CATALOG_UUID,
    metadata: {
      title: 'Citywall City Baseline',
      'last-modified': LAST_MODIFIED,
      version: BASELINE_VERSION,
      'oscal-version': '1.1.2',
      props: [cw('cpg-version', CPG_VERSION)],
      remarks:
        'A minimum ICT and OT security baseline for cities, written for Citywall. Requirements are grouped by the NIST CSF 2.0 functions and tiered foundational, intermediate and advanced. CISA CPG goal ids are those of CPG version 1.0.1.',
    },
    groups,
    'back-matter': {
      resources: [
        {
          uuid: CSF_RESOURCE_UUID,
          title: 'NIST Cybersecurity Framework (CSF) 2.0',
          citation: { text: 'NIST CSWP 29, The NIST Cybersecurity Framework (CSF) 2.0, February 2024.' },
          rlinks: [{ href: 'https://doi.org/10.6028/NIST.CSWP.29' }],
        },
        {
          uuid: CPG_RESOURCE_UUID,
          title: `CISA Cross-Sector Cybersecurity Performance Goals ${CPG_VERSION}`,
          rlinks: [{ href: 'https://www.cisa.gov/cross-sector-cybersecurity-performance-goals' }],
        },
      ],
    },
  };
}

function tiersUpTo(tier: Tier): Tier[] {
  return TIERS.slice(0, TIERS.indexOf(tier) + 1);
}

function tierProfile(tier: Tier, requirements: readonly BaselineRequirement[]): Profile {
  const included = tiersUpTo(tier);
  const values = PROFILE_PARAMETER_VALUES[tier];
  const ids = requirements.filter((r) => included.includes(r.tier)).map((r) => r.id);
  const params = new Set(
    requirements.filter((r) => ids.includes(r.id)).flatMap((r) => r.params?.map((p) => p.id) ?? []),
  );
  return {
    uuid: PROFILE_UUIDS[tier],
    metadata: {
      title: `Citywall City Baseline — ${TIER_TITLES[tier]}`,
      'last-modified': LAST_MODIFIED,
      version: BASELINE_VERSION,
      'oscal-version': '1.1.2',
      props: [cw('tier', tier)],
    },
    imports: [{ href: `#${CATALOG_RESOURCE_UUID}`, 'include-controls': [{ 'with-ids': ids }] }],
    merge: { 'as-is': true },
    modify: {
      'set-parameters': Object.entries(values)
        .filter(([id]) => params.has(id))
        .map(([id, value]) => ({ 'param-id': id, values: [value] })),
    },
    'back-matter': {
      resources: [
        {
          uuid: CATALOG_RESOURCE_UUID,
          title: 'Citywall City Baseline catalog',
          rlinks: [{ href: CITY_BASELINE_CATALOG_HREF, 'media-type': 'application/oscal.catalog+json' }],
        },
      ],
    },
  };
}

/** The three tiered profiles: foundational; foundational + intermediate; all requirements. */
export function cityBaselineProfiles(
  requirements: readonly BaselineRequirement[] = CITY_BASELINE_REQUIREMENTS,
): Record<Tier, Profile> {
  return {
    foundational: tierProfile('foundational', requirements),
    intermediate: tierProfile('intermediate', requirements),
    advanced: tierProfile('advanced', requirements),
  };
}

/** Resolves one of the tiered profiles against the shipped catalog. */
export function resolveCityBaselineProfile(tier: Tier, options: ResolveOptions = {}): Catalog {
  const catalog = cityBaselineCatalog();
  return resolveProfile(
    cityBaselineProfiles()[tier],
    (href, { resource }) =>
      href === CITY_BASELINE_CATALOG_HREF ||
      resource?.rlinks?.some((l) => l.href === CITY_BASELINE_CATALOG_HREF)
        ? catalog
        : undefined,
    options,
  );
}
