import type { Catalog, Profile } from '../types.js';

// A small catalog that exercises what SP 800-53 uses: groups, enhancements nested in controls, a nested group,
// parameters with label / values / selections (one nesting another), a withdrawn control and back-matter.
export const CATALOG_UUID = '11111111-1111-4111-8111-111111111111';
export const RESOURCE_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const RESOURCE_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

export function smallCatalog(): Catalog {
  return {
    uuid: CATALOG_UUID,
    metadata: {
      title: 'Small catalog',
      'last-modified': '2025-01-01T00:00:00Z',
      version: '1',
      'oscal-version': '1.1.2',
    },
    groups: [
      {
        id: 'ac',
        class: 'family',
        title: 'Access',
        controls: [
          {
            id: 'ac-1',
            title: 'Policy',
            params: [
              { id: 'ac-1_prm_1', label: 'organization-defined roles' },
              {
                id: 'ac-1_prm_2',
                select: {
                  'how-many': 'one-or-more',
                  choice: ['yearly', 'after {{ insert: param, ac-1_prm_3 }}'],
                },
              },
              { id: 'ac-1_prm_3', label: 'organization-defined events' },
            ],
            props: [
              { name: 'label', value: 'AC-1' },
              { name: 'sort-id', value: 'ac-01' },
            ],
            links: [{ href: `#${RESOURCE_A}`, rel: 'reference' }],
            parts: [
              {
                id: 'ac-1_smt',
                name: 'statement',
                parts: [
                  {
                    id: 'ac-1_smt.a',
                    name: 'item',
                    props: [{ name: 'label', value: 'a.' }],
                    prose: 'Give the policy to {{ insert: param, ac-1_prm_1 }}; and',
                  },
                  {
                    id: 'ac-1_smt.b',
                    name: 'item',
                    props: [{ name: 'label', value: 'b.' }],
                    prose: 'Review it {{insert: param, ac-1_prm_2}}.',
                  },
                ],
              },
              { id: 'ac-1_gdn', name: 'guidance', prose: 'Policies matter.' },
            ],
          },
          {
            id: 'ac-2',
            title: 'Accounts',
            params: [{ id: 'ac-2_prm_1', label: 'frequency', values: ['monthly'] }],
            props: [{ name: 'label', value: 'AC-2' }],
            parts: [
              {
                id: 'ac-2_smt',
                name: 'statement',
                prose: 'Review accounts {{ insert: param, ac-2_prm_1 }}.',
              },
            ],
            controls: [
              {
                id: 'ac-2.1',
                title: 'Automation',
                props: [{ name: 'label', value: 'AC-2(1)' }],
                parts: [{ id: 'ac-2.1_smt', name: 'statement', prose: 'Automate account management.' }],
                controls: [
                  {
                    id: 'ac-2.1.1',
                    title: 'Deep enhancement',
                    parts: [{ id: 'ac-2.1.1_smt', name: 'statement', prose: 'Go deeper.' }],
                  },
                ],
              },
              {
                id: 'ac-2.2',
                title: 'Withdrawn enhancement',
                props: [
                  { name: 'label', value: 'AC-2(2)' },
                  { name: 'status', value: 'withdrawn' },
                ],
                links: [{ href: '#ac-2.1', rel: 'incorporated-into' }],
              },
            ],
          },
        ],
      },
      {
        id: 'ir',
        title: 'Incidents',
        groups: [
          {
            id: 'ir-sub',
            title: 'Incident sub-family',
            controls: [
              {
                id: 'ir-1',
                title: 'Plan',
                links: [{ href: `#${RESOURCE_B}`, rel: 'reference' }],
                parts: [{ id: 'ir-1_smt', name: 'statement', prose: 'Have a plan.' }],
              },
            ],
          },
        ],
      },
    ],
    'back-matter': {
      resources: [
        { uuid: RESOURCE_A, title: 'Reference A' },
        { uuid: RESOURCE_B, title: 'Reference B' },
      ],
    },
  };
}

export const PROFILE_UUID = '22222222-2222-4222-8222-222222222222';

export function profileOf(
  imports: Profile['imports'],
  extra: Partial<Profile> = {},
  uuid = PROFILE_UUID,
): Profile {
  return {
    uuid,
    metadata: {
      title: `Profile ${uuid.slice(0, 4)}`,
      'last-modified': '2025-01-01T00:00:00Z',
      version: '1',
      'oscal-version': '1.1.2',
    },
    imports,
    ...extra,
  };
}
