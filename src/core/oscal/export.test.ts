import { describe, expect, it } from 'vitest';
import { profileOf, smallCatalog } from './__fixtures__/small.js';
import { OscalError } from './errors.js';
import { exportCatalog, exportProfile, roundTripCatalog, roundTripProfile, toOscalJson } from './export.js';
import { parseCatalog, parseProfile } from './parse.js';
import { resolveProfile } from './resolve.js';

describe('export and round trip', () => {
  it('import → export → import gives the same catalog, unknown fields included', () => {
    const source = smallCatalog() as ReturnType<typeof smallCatalog> & Record<string, unknown>;
    source['x-extension'] = { note: 'kept' };
    const first = parseCatalog(JSON.stringify({ catalog: source }));
    const text = toOscalJson(exportCatalog(first));
    expect(JSON.parse(text)).toEqual({ catalog: first });
    expect(parseCatalog(text)).toEqual(first);
    expect(roundTripCatalog({ catalog: source })).toEqual(first);
  });

  it('round-trips profiles and resolved profiles', () => {
    const profile = profileOf(
      [{ href: 'cat.json', 'include-controls': [{ 'with-ids': ['ac-2'], 'with-child-controls': 'yes' }] }],
      {
        merge: { 'as-is': true },
        modify: { 'set-parameters': [{ 'param-id': 'ac-2_prm_1', values: ['weekly'] }] },
      },
    );
    expect(roundTripProfile({ profile })).toEqual(parseProfile({ profile }));
    expect(parseProfile(toOscalJson(exportProfile(profile)))).toEqual(profile);
    const resolved = resolveProfile(profile, () => smallCatalog(), { now: new Date('2026-01-01T00:00:00Z') });
    expect(roundTripCatalog(toOscalJson(exportCatalog(resolved)))).toEqual(resolved);
  });

  it('refuses to export an edited catalog that is no longer valid', () => {
    const catalog = smallCatalog();
    (catalog.groups?.[0].controls?.[0] as unknown as Record<string, unknown>).title = null;
    expect(() => exportCatalog(catalog)).toThrow(OscalError);
    try {
      exportCatalog(catalog);
    } catch (err) {
      expect((err as OscalError).issues[0].path).toBe('catalog.groups[0].controls[0].title');
    }
  });

  it('returns a copy, so later edits do not leak into the exported document', () => {
    const catalog = smallCatalog();
    const doc = exportCatalog(catalog);
    catalog.metadata.title = 'changed';
    expect(doc.catalog.metadata.title).toBe('Small catalog');
  });
});
