import { describe, expect, it } from 'vitest';
import { PROFILE_UUID, profileOf, RESOURCE_A, RESOURCE_B, smallCatalog } from './__fixtures__/small.js';
import { OscalError } from './errors.js';
import { flattenCatalog } from './flatten.js';
import { parseCatalog } from './parse.js';
import { type ResolveHref, resolveProfile } from './resolve.js';
import type { Catalog, Control, Profile } from './types.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const fixed = { now: NOW, newUuid: () => '33333333-3333-4333-8333-333333333333' };

function resolver(docs: Record<string, Catalog | Profile>): ResolveHref {
  return (href) => docs[href];
}

function ids(catalog: Catalog, withImplicit = false): string[] {
  return flattenCatalog(catalog)
    .filter((c) => withImplicit || !c.implicit)
    .map((c) => c.id);
}

function resolveErr(profile: Profile, docs: Record<string, Catalog | Profile>): OscalError {
  try {
    resolveProfile(profile, resolver(docs), fixed);
  } catch (err) {
    expect(err).toBeInstanceOf(OscalError);
    return err as OscalError;
  }
  throw new Error('expected an OscalError');
}

const cat = { 'cat.json': smallCatalog() };

function find(catalog: Catalog, id: string): Control {
  const found = flattenCatalog(catalog).find((c) => c.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found.control;
}

describe('resolveProfile: selection', () => {
  it('includes controls by id without their children unless asked', () => {
    const r = resolveProfile(
      profileOf([{ href: 'cat.json', 'include-controls': [{ 'with-ids': ['ac-2'] }] }]),
      resolver(cat),
      fixed,
    );
    expect(ids(r)).toEqual(['ac-2']);
    const withChildren = resolveProfile(
      profileOf([
        { href: 'cat.json', 'include-controls': [{ 'with-ids': ['ac-2'], 'with-child-controls': 'yes' }] },
      ]),
      resolver(cat),
      fixed,
    );
    // Direct children only, as the resolution specification says.
    expect(ids(withChildren)).toEqual(['ac-2', 'ac-2.1', 'ac-2.2']);
  });

  it('includes by glob pattern, includes all, and lets exclusion win', () => {
    const matching = resolveProfile(
      profileOf([{ href: 'cat.json', 'include-controls': [{ matching: [{ pattern: 'ac-2.?' }] }] }]),
      resolver(cat),
      fixed,
    );
    expect(ids(matching)).toEqual(['ac-2.1', 'ac-2.2']);
    const all = resolveProfile(
      profileOf([
        { href: 'cat.json', 'include-all': {}, 'exclude-controls': [{ matching: [{ pattern: 'ac-2*' }] }] },
      ]),
      resolver(cat),
      fixed,
    );
    expect(ids(all)).toEqual(['ac-1', 'ir-1']);
    const onlyExclusions = resolveProfile(
      profileOf([{ href: 'cat.json', 'exclude-controls': [{ 'with-ids': ['ac-1'] }] }]),
      resolver(cat),
      fixed,
    );
    expect(ids(onlyExclusions)).toEqual(['ac-2', 'ac-2.1', 'ac-2.1.1', 'ac-2.2', 'ir-1']);
  });

  it('reports every unknown control id with its path', () => {
    const err = resolveErr(
      profileOf([
        {
          href: 'cat.json',
          'include-controls': [{ 'with-ids': ['ac-1', 'ac-99'] }],
          'exclude-controls': [{ 'with-ids': ['zz-1'] }],
        },
      ]),
      cat,
    );
    expect(err.code).toBe('unknown-control');
    expect(err.issues).toEqual([
      {
        path: 'profile.imports[0].include-controls[0].with-ids[1]',
        message: 'control "ac-99" does not exist in the imported "Small catalog"',
      },
      {
        path: 'profile.imports[0].exclude-controls[0].with-ids[0]',
        message: 'control "zz-1" does not exist in the imported "Small catalog"',
      },
    ]);
  });

  it('keeps withdrawn controls visible as withdrawn when selected', () => {
    const r = resolveProfile(
      profileOf([{ href: 'cat.json', 'include-controls': [{ 'with-ids': ['ac-2.2'] }] }]),
      resolver(cat),
      fixed,
    );
    expect(flattenCatalog(r).find((c) => c.id === 'ac-2.2')?.withdrawn).toBe(true);
  });
});

describe('resolveProfile: imports', () => {
  it('resolves a profile of a profile, applying both modifications', () => {
    const inner = profileOf(
      [{ href: 'cat.json', 'include-controls': [{ 'with-ids': ['ac-1', 'ac-2', 'ir-1'] }] }],
      { modify: { 'set-parameters': [{ 'param-id': 'ac-1_prm_1', values: ['inner value'] }] } },
      '44444444-4444-4444-8444-444444444444',
    );
    const outer = profileOf([{ href: 'inner.json', 'exclude-controls': [{ 'with-ids': ['ir-1'] }] }], {
      modify: { 'set-parameters': [{ 'param-id': 'ac-2_prm_1', values: ['weekly'] }] },
    });
    const r = resolveProfile(outer, resolver({ ...cat, 'inner.json': inner }), fixed);
    expect(ids(r)).toEqual(['ac-1', 'ac-2']);
    const flat = flattenCatalog(r);
    expect(flat[0].statement).toContain('Give the policy to inner value;');
    expect(flat[1].statement).toBe('Review accounts weekly.');
  });

  it('detects circular imports with the chain in the message', () => {
    const a = profileOf([{ href: 'b.json', 'include-all': {} }], {}, 'aaaa0000-0000-4000-8000-000000000000');
    const b = profileOf([{ href: 'a.json', 'include-all': {} }], {}, 'bbbb0000-0000-4000-8000-000000000000');
    const err = resolveErr(a, { 'a.json': a, 'b.json': b });
    expect(err.code).toBe('circular-import');
    expect(err.issues[0].path).toBe('profile.imports[0](b.json).imports[0].href');
    expect(err.issues[0].message).toBe(
      'circular import: "Profile aaaa" (aaaa0000-0000-4000-8000-000000000000) → "Profile bbbb" (bbbb0000-0000-4000-8000-000000000000) → "Profile aaaa" (aaaa0000-0000-4000-8000-000000000000)',
    );
    const self = profileOf([{ href: 'self.json', 'include-all': {} }]);
    expect(resolveErr(self, { 'self.json': self }).code).toBe('circular-import');
  });

  it('allows the same profile twice when it is not circular (a diamond)', () => {
    const base = profileOf(
      [{ href: 'cat.json', 'include-controls': [{ 'with-ids': ['ac-1'] }] }],
      {},
      'cccc0000-0000-4000-8000-000000000000',
    );
    const top = profileOf([
      { href: 'base.json', 'include-all': {} },
      { href: 'base.json', 'include-all': {} },
    ]);
    expect(ids(resolveProfile(top, resolver({ ...cat, 'base.json': base }), fixed))).toEqual(['ac-1']);
  });

  it('resolves internal hrefs through back-matter and reports missing ones', () => {
    const rid = '55555555-5555-4555-8555-555555555555';
    const profile = profileOf([{ href: `#${rid}`, 'include-controls': [{ 'with-ids': ['ir-1'] }] }], {
      'back-matter': { resources: [{ uuid: rid, rlinks: [{ href: 'cat.json' }] }] },
    });
    const r = resolveProfile(
      profile,
      (href, { resource }) => (resource ? smallCatalog() : cat[href as 'cat.json']),
      fixed,
    );
    expect(ids(r)).toEqual(['ir-1']);
    const broken = profileOf([{ href: '#66666666-6666-4666-8666-666666666666', 'include-all': {} }]);
    expect(resolveErr(broken, cat)).toMatchObject({
      code: 'unresolvable-import',
      issues: [{ path: 'profile.imports[0].href' }],
    });
    expect(resolveErr(profileOf([{ href: 'missing.json', 'include-all': {} }]), cat).issues[0].message).toBe(
      '"missing.json" names no known catalog or profile',
    );
    const throwing = () => {
      throw new Error('ENOENT');
    };
    try {
      resolveProfile(profileOf([{ href: 'x.json', 'include-all': {} }]), throwing, fixed);
      expect.unreachable();
    } catch (err) {
      expect((err as OscalError).issues[0].message).toBe('cannot load "x.json": ENOENT');
    }
  });
});

describe('resolveProfile: merge and structure', () => {
  it('without a merge directive the result is flat', () => {
    const r = resolveProfile(profileOf([{ href: 'cat.json', 'include-all': {} }]), resolver(cat), fixed);
    expect(r.groups).toBeUndefined();
    expect(r.controls?.map((c) => c.id)).toEqual(['ac-1', 'ac-2', 'ac-2.1', 'ac-2.1.1', 'ac-2.2', 'ir-1']);
    expect(r.controls?.every((c) => !c.controls)).toBe(true);
  });

  it('as-is keeps groups and adds parents of selected children as implicit, title-only controls', () => {
    const r = resolveProfile(
      profileOf([{ href: 'cat.json', 'include-controls': [{ 'with-ids': ['ac-2.1.1', 'ir-1'] }] }], {
        merge: { 'as-is': true },
      }),
      resolver(cat),
      fixed,
    );
    expect(r.groups?.map((g) => g.id)).toEqual(['ac', 'ir']);
    expect(r.groups?.[1].groups?.[0].id).toBe('ir-sub');
    const flat = flattenCatalog(r);
    expect(flat.map((c) => [c.id, c.implicit])).toEqual([
      ['ac-2', true],
      ['ac-2.1', true],
      ['ac-2.1.1', false],
      ['ir-1', false],
    ]);
    expect(find(r, 'ac-2').parts).toBeUndefined();
    expect(ids(r)).toEqual(['ac-2.1.1', 'ir-1']);
  });

  it('custom structure places selected controls into the profile’s own groups', () => {
    const r = resolveProfile(
      profileOf([{ href: 'cat.json', 'include-all': {} }], {
        merge: {
          custom: {
            groups: [
              {
                id: 'first',
                title: 'First',
                'insert-controls': [
                  { order: 'descending', 'include-controls': [{ 'with-ids': ['ac-1', 'ir-1'] }] },
                ],
              },
              {
                id: 'second',
                title: 'Second',
                'insert-controls': [{ 'include-controls': [{ matching: [{ pattern: 'ac-2*' }] }] }],
              },
            ],
          },
        },
      }),
      resolver(cat),
      fixed,
    );
    expect(r.groups?.map((g) => [g.id, g.controls?.map((c) => c.id)])).toEqual([
      ['first', ['ir-1', 'ac-1']],
      ['second', ['ac-2', 'ac-2.1', 'ac-2.1.1', 'ac-2.2']],
    ]);
  });

  it('collisions: equal copies collapse, differing copies need a combine method', () => {
    const twice = (method?: 'use-first' | 'merge' | 'keep'): Profile =>
      profileOf(
        [
          { href: 'cat.json', 'include-controls': [{ 'with-ids': ['ac-1'] }] },
          { href: 'other.json', 'include-controls': [{ 'with-ids': ['ac-1'] }] },
        ],
        method ? { merge: { combine: { method } } } : {},
      );
    const other = smallCatalog();
    expect(ids(resolveProfile(twice(), resolver({ ...cat, 'other.json': other }), fixed))).toEqual(['ac-1']);
    other.groups?.[0].controls?.[0].props?.push({ name: 'extra', value: 'from other' });
    const err = resolveErr(twice(), { ...cat, 'other.json': other });
    expect(err.code).toBe('control-collision');
    expect(err.issues[0]).toMatchObject({
      path: 'profile.imports[1]',
      message: expect.stringContaining('"ac-1"'),
    });
    const first = resolveProfile(twice('use-first'), resolver({ ...cat, 'other.json': other }), fixed);
    expect(find(first, 'ac-1').props?.some((p) => p.name === 'extra')).toBe(false);
    const merged = resolveProfile(twice('merge'), resolver({ ...cat, 'other.json': other }), fixed);
    expect(find(merged, 'ac-1').props?.map((p) => p.name)).toEqual(['label', 'sort-id', 'extra']);
  });
});

describe('resolveProfile: modify', () => {
  const withModify = (modify: Profile['modify']) =>
    profileOf([{ href: 'cat.json', 'include-controls': [{ 'with-ids': ['ac-1', 'ac-2'] }] }], {
      modify,
      merge: { 'as-is': true },
    });

  it('sets parameters: a value replaces a selection; label, guidelines and props are applied', () => {
    const r = resolveProfile(
      withModify({
        'set-parameters': [
          { 'param-id': 'ac-1_prm_2', values: ['every year'] },
          {
            'param-id': 'ac-1_prm_1',
            label: 'department heads',
            guidelines: [{ prose: 'Name them.' }],
            props: [{ name: 'aggregates', value: 'x' }],
          },
        ],
      }),
      resolver(cat),
      fixed,
    );
    const params = find(r, 'ac-1').params ?? [];
    expect(params[1]).toEqual({ id: 'ac-1_prm_2', values: ['every year'] });
    expect(params[0]).toMatchObject({
      label: 'department heads',
      guidelines: [{ prose: 'Name them.' }],
      props: [{ name: 'aggregates', value: 'x' }],
    });
    expect(flattenCatalog(r)[0].statement).toContain(
      'Give the policy to [Assignment: department heads]; and\nb. Review it every year.',
    );
  });

  it('reports unknown parameters and altered controls that are not in the result', () => {
    const err = resolveErr(
      withModify({ 'set-parameters': [{ 'param-id': 'ir-1_prm_9', values: ['x'] }] }),
      cat,
    );
    expect(err).toMatchObject({
      code: 'unknown-parameter',
      issues: [{ path: 'profile.modify.set-parameters[0].param-id' }],
    });
    const alter = resolveErr(
      withModify({ alters: [{ 'control-id': 'ir-1', adds: [{ props: [{ name: 'a', value: 'b' }] }] }] }),
      cat,
    );
    expect(alter).toMatchObject({
      code: 'unknown-control',
      issues: [{ path: 'profile.modify.alters[0].control-id' }],
    });
  });

  it('removes by name, id, class and item name', () => {
    const r = resolveProfile(
      withModify({
        alters: [
          {
            'control-id': 'ac-1',
            removes: [{ 'by-name': 'guidance' }, { 'by-id': 'ac-1_smt.b' }, { 'by-item-name': 'link' }],
          },
          { 'control-id': 'ac-2', removes: [{ 'by-item-name': 'prop', 'by-name': 'label' }] },
        ],
      }),
      resolver(cat),
      fixed,
    );
    const ac1 = find(r, 'ac-1');
    expect(ac1.parts?.map((p) => p.name)).toEqual(['statement']);
    expect(ac1.parts?.[0].parts?.map((p) => p.id)).toEqual(['ac-1_smt.a']);
    expect(ac1.links).toBeUndefined();
    expect(find(r, 'ac-2').props).toBeUndefined();
  });

  it('adds before, after, at the start and at the end, relative to a part or the control', () => {
    const part = (id: string) => ({ id, name: 'item', prose: id });
    const r = resolveProfile(
      withModify({
        alters: [
          {
            'control-id': 'ac-1',
            adds: [
              { position: 'before', 'by-id': 'ac-1_smt.b', parts: [part('before-b')] },
              { position: 'after', 'by-id': 'ac-1_smt.b', parts: [part('after-b')] },
              { position: 'starting', 'by-id': 'ac-1_smt', parts: [part('first')] },
              { position: 'ending', 'by-id': 'ac-1_smt', parts: [part('last')] },
              { position: 'starting', props: [{ name: 'priority', value: 'P1' }] },
              { parts: [{ id: 'ac-1_city', name: 'guidance', prose: 'City note.' }] },
            ],
          },
        ],
      }),
      resolver(cat),
      fixed,
    );
    const ac1 = find(r, 'ac-1');
    expect(ac1.parts?.[0].parts?.map((p) => p.id)).toEqual([
      'first',
      'ac-1_smt.a',
      'before-b',
      'ac-1_smt.b',
      'after-b',
      'last',
    ]);
    expect(ac1.props?.[0]).toEqual({ name: 'priority', value: 'P1' });
    expect(ac1.parts?.map((p) => p.id)).toEqual(['ac-1_smt', 'ac-1_gdn', 'ac-1_city']);
  });

  it('reports an add relative to a part that does not exist', () => {
    const err = resolveErr(
      withModify({ alters: [{ 'control-id': 'ac-2', adds: [{ 'by-id': 'ac-2_smt.z', parts: [] }] }] }),
      cat,
    );
    expect(err).toMatchObject({
      code: 'unknown-part',
      issues: [
        {
          path: 'profile.modify.alters[0].adds[0].by-id',
          message: 'control "ac-2" has no part with id "ac-2_smt.z"',
        },
      ],
    });
  });
});

describe('resolveProfile: result document', () => {
  it('is a valid catalog with the profile’s metadata, a source link and only referenced resources', () => {
    const r = resolveProfile(
      profileOf([{ href: 'cat.json', 'include-controls': [{ 'with-ids': ['ac-1'] }] }]),
      resolver(cat),
      fixed,
    );
    expect(parseCatalog(r)).toEqual(r);
    expect(r.uuid).toBe('33333333-3333-4333-8333-333333333333');
    expect(r.metadata).toMatchObject({ title: 'Profile 2222', 'last-modified': '2026-03-01T12:00:00.000Z' });
    expect(r.metadata.links).toContainEqual({ href: `urn:uuid:${PROFILE_UUID}`, rel: 'source-profile' });
    expect(r['back-matter']?.resources?.map((x) => x.uuid)).toEqual([RESOURCE_A]);
    expect(r['back-matter']?.resources?.map((x) => x.uuid)).not.toContain(RESOURCE_B);
  });

  it('does not change its inputs', () => {
    const catalog = smallCatalog();
    const before = JSON.stringify(catalog);
    resolveProfile(
      profileOf([{ href: 'c', 'include-all': {} }], {
        modify: {
          'set-parameters': [{ 'param-id': 'ac-2_prm_1', values: ['daily'] }],
          alters: [{ 'control-id': 'ac-1', removes: [{ 'by-name': 'guidance' }] }],
        },
      }),
      () => catalog,
      fixed,
    );
    expect(JSON.stringify(catalog)).toBe(before);
  });
});
