import { describe, expect, it } from 'vitest';
import { smallCatalog } from './__fixtures__/small.js';
import { OscalError } from './errors.js';
import { parseCatalog, parseOscal, parseProfile } from './parse.js';

function issuesOf(fn: () => unknown): OscalError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OscalError);
    return err as OscalError;
  }
  throw new Error('expected an OscalError');
}

describe('parseCatalog', () => {
  it('accepts the document wrapper, a bare catalog and JSON text alike', () => {
    const catalog = smallCatalog();
    expect(parseCatalog({ catalog })).toEqual(catalog);
    expect(parseCatalog(catalog)).toEqual(catalog);
    expect(parseCatalog(JSON.stringify({ catalog }))).toEqual(catalog);
  });

  it('reports a wrong type with its exact path', () => {
    const catalog = smallCatalog() as unknown as { groups: { controls: { title: unknown }[] }[] };
    catalog.groups[0].controls[1].title = 42;
    const err = issuesOf(() => parseCatalog({ catalog }));
    expect(err.code).toBe('invalid-document');
    expect(err.issues).toContainEqual({
      path: 'catalog.groups[0].controls[1].title',
      message: expect.stringContaining('expected string'),
    });
  });

  it('reports wrong types deep inside nested controls and parts', () => {
    const catalog = smallCatalog() as unknown as Record<string, unknown>;
    const groups = catalog.groups as { controls: { controls: { parts: { prose: unknown }[] }[] }[] }[];
    groups[0].controls[1].controls[0].parts[0].prose = ['not', 'text'];
    (catalog.metadata as Record<string, unknown>)['last-modified'] = '2025-01-01';
    const err = issuesOf(() => parseCatalog(catalog));
    const paths = err.issues.map((i) => i.path);
    expect(paths).toContain('catalog.groups[0].controls[1].controls[0].parts[0].prose');
    expect(paths).toContain('catalog.metadata.last-modified');
    expect(err.message).toContain('catalog.metadata.last-modified');
  });

  it('rejects a missing required field, a bad uuid and a bad select', () => {
    const catalog = smallCatalog() as unknown as Record<string, unknown>;
    catalog.uuid = 'not-a-uuid';
    const groups = catalog.groups as { controls: Record<string, unknown>[] }[];
    delete groups[0].controls[0].id;
    (groups[0].controls[0].params as Record<string, unknown>[])[1].select = { 'how-many': 'several' };
    const paths = issuesOf(() => parseCatalog(catalog)).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'catalog.uuid',
        'catalog.groups[0].controls[0].id',
        'catalog.groups[0].controls[0].params[1].select.how-many',
      ]),
    );
  });

  it('keeps unknown fields by default and rejects them in strict mode', () => {
    const catalog = smallCatalog() as unknown as Record<string, unknown>;
    const control = (catalog.groups as { controls: Record<string, unknown>[] }[])[0].controls[0];
    (control.params as Record<string, unknown>[])[0]['depends-on'] = 'ac-1_prm_2';
    control['x-city-note'] = { kept: true };
    const parsed = parseCatalog(catalog);
    expect(parsed.groups?.[0].controls?.[0]['x-city-note']).toEqual({ kept: true });
    expect(parsed.groups?.[0].controls?.[0].params?.[0]['depends-on']).toBe('ac-1_prm_2');
    const err = issuesOf(() => parseCatalog(catalog, { strict: true }));
    expect(err.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['catalog.groups[0].controls[0]', 'catalog.groups[0].controls[0].params[0]']),
    );
  });

  it('finds duplicate ids across groups, controls and parts', () => {
    const catalog = smallCatalog();
    catalog.groups?.[1].groups?.[0].controls?.push({ id: 'ac-2.1', title: 'Clash' });
    const err = issuesOf(() => parseCatalog(catalog));
    expect(err.code).toBe('duplicate-id');
    expect(err.issues[0]).toEqual({
      path: 'catalog.groups[1].groups[0].controls[1]',
      message: 'duplicate control id "ac-2.1" (first used at catalog.groups[0].controls[1].controls[0])',
    });
  });

  it('rejects invalid JSON, oversized text and the wrong document type', () => {
    expect(issuesOf(() => parseCatalog('{"catalog": ')).code).toBe('invalid-json');
    const big = JSON.stringify({ catalog: smallCatalog() });
    const tooLarge = issuesOf(() => parseCatalog(big, { maxBytes: 1000 }));
    expect(tooLarge.code).toBe('too-large');
    expect(tooLarge.message).toContain('limit is 1000 bytes');
    // Multi-byte text near the limit is measured in UTF-8 bytes, not characters.
    expect(issuesOf(() => parseCatalog(`"${'é'.repeat(600)}"`, { maxBytes: 1000 })).code).toBe('too-large');
    const wrong = issuesOf(() => parseCatalog({ profile: {} }));
    expect(wrong.code).toBe('wrong-document-type');
    expect(wrong.message).toContain('got profile');
    expect(issuesOf(() => parseCatalog([1, 2])).code).toBe('wrong-document-type');
  });
});

describe('parseProfile', () => {
  const base = {
    uuid: '22222222-2222-4222-8222-222222222222',
    metadata: { title: 'P', 'last-modified': '2025-01-01T00:00:00Z', version: '1', 'oscal-version': '1.1.2' },
  };

  it('parses imports, merge and modify', () => {
    const profile = {
      ...base,
      imports: [
        {
          href: 'catalog.json',
          'include-controls': [
            { 'with-ids': ['ac-1'], 'with-child-controls': 'yes' },
            { matching: [{ pattern: 'ir-*' }] },
          ],
          'exclude-controls': [{ 'with-ids': ['ac-2.2'] }],
        },
      ],
      merge: { combine: { method: 'use-first' }, 'as-is': true },
      modify: {
        'set-parameters': [{ 'param-id': 'ac-1_prm_1', values: ['the clerk'] }],
        alters: [
          {
            'control-id': 'ac-1',
            removes: [{ 'by-name': 'guidance' }],
            adds: [{ position: 'ending', parts: [{ name: 'guidance', prose: 'x' }] }],
          },
        ],
      },
    };
    expect(parseProfile({ profile })).toEqual(profile);
    expect(parseOscal(JSON.stringify({ profile })).type).toBe('profile');
  });

  it('requires an import and rejects include-all together with include-controls', () => {
    expect(issuesOf(() => parseProfile({ ...base, imports: [] })).issues[0].path).toBe('profile.imports');
    const err = issuesOf(() =>
      parseProfile({
        ...base,
        imports: [{ href: 'x', 'include-all': {}, 'include-controls': [{ 'with-ids': ['a'] }] }],
      }),
    );
    expect(err.issues[0]).toEqual({
      path: 'profile.imports[0]',
      message: 'an import takes either include-all or include-controls, not both',
    });
  });

  it('reports wrong types in selections and alterations by path', () => {
    const err = issuesOf(() =>
      parseProfile({
        ...base,
        imports: [{ href: 'x', 'include-controls': [{ 'with-ids': 'ac-1', 'with-child-controls': true }] }],
        modify: { alters: [{ 'control-id': 'ac-1', adds: [{ position: 'middle' }] }] },
      }),
    );
    expect(err.issues.map((i) => i.path)).toEqual([
      'profile.imports[0].include-controls[0].with-child-controls',
      'profile.imports[0].include-controls[0].with-ids',
      'profile.modify.alters[0].adds[0].position',
    ]);
  });
});
