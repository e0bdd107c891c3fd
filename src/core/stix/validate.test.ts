import { describe, expect, it } from 'vitest';
import { scoId } from './ids.js';
import { TLP2_MARKING_IDS } from './tlp.js';
import { type Issue, resolveSelector, validateBundle, validateObject } from './validate.js';

const IDENTITY = 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff';
const MARKING = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';

const indicator = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created_by_ref: IDENTITY,
  created: '2016-04-06T20:03:48.000Z',
  modified: '2016-04-06T20:03:48.000Z',
  indicator_types: ['malicious-activity'],
  name: 'Poison Ivy Malware',
  description: 'This file is part of Poison Ivy',
  pattern: "[ file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877' ]",
  pattern_type: 'stix',
  valid_from: '2016-01-01T00:00:00Z',
  ...extra,
});

const rules = (issues: Issue[]) => issues.map((i) => i.rule);
const errorAt = (obj: unknown, path: string) => validateObject(obj).errors.find((e) => e.path === path);

describe('validateObject: a valid object', () => {
  it('passes without issues', () => {
    const r = validateObject(indicator());
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.changes).toEqual([]);
  });

  it('names the object, path and rule in issues', () => {
    const r = validateObject(indicator({ external_references: [{ source_name: 'x', url: 'not a url' }] }));
    expect(r.valid).toBe(false);
    expect(r.errors[0]).toMatchObject({
      objectId: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      path: 'external_references[0].url',
      rule: 'invalid-url',
    });
  });

  it('rejects non-objects', () => {
    expect(rules(validateObject(null).errors)).toEqual(['not-an-object']);
    expect(rules(validateObject([]).errors)).toEqual(['not-an-object']);
    expect(rules(validateObject('indicator').errors)).toEqual(['not-an-object']);
  });
});

describe('ids', () => {
  it.each([
    ['indicator8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'invalid-id'],
    ['indicator--8e2e2d2b-17d4-4cbf-938f', 'invalid-id'],
    ['indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f', 'invalid-uuid'],
    ['indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f', 'invalid-uuid'],
    ['malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'id-type-mismatch'],
    [42, 'invalid-id'],
  ])('rejects id %s (%s)', (id, rule) => {
    expect(errorAt(indicator({ id }), 'id')?.rule).toBe(rule);
  });

  it('requires an id', () => {
    const obj = indicator();
    delete obj.id;
    expect(errorAt(obj, 'id')?.rule).toBe('missing-property');
  });

  it('warns about non-UUIDv4 and upper-case ids (SHOULD rules), errors in strict mode', () => {
    const v1 = indicator({ id: 'indicator--8e2e2d2b-17d4-14cb-938f-98ee46b3cd3f' });
    expect(rules(validateObject(v1).warnings)).toContain('id-not-uuidv4');
    expect(validateObject(v1).valid).toBe(true);
    expect(rules(validateObject(v1, { strictIds: true }).errors)).toContain('id-not-uuidv4');
    const upper = indicator({ id: 'indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F' });
    expect(rules(validateObject(upper).warnings)).toContain('id-uppercase');
  });

  it('checks the type name form', () => {
    expect(rules(validateObject({ type: 'Bad_Type', id: 'x' }).errors)).toContain('invalid-type');
    expect(rules(validateObject({ id: 'x' }).errors)).toEqual(['missing-property']);
  });

  it('warns when an SCO id is not the deterministic one', () => {
    const sco = {
      type: 'domain-name',
      id: 'domain-name--ecb120bf-2694-4902-a737-62b74539a41b',
      value: 'example.com',
    };
    expect(rules(validateObject(sco).warnings)).toEqual(['sco-id-not-deterministic']);
    const good = { ...sco, id: scoId(sco) };
    expect(validateObject(good).warnings).toEqual([]);
  });
});

describe('timestamps', () => {
  it.each([
    '2016-04-06 20:03:48.000Z',
    '2016-04-06T20:03:48.000',
    '2016-04-06T20:03:48.000+00:00',
    '2016-04-06t20:03:48.000z',
    '2016-02-30T00:00:00.000Z',
    '2015-02-29T00:00:00.000Z',
    '2016-13-01T00:00:00.000Z',
    '2016-04-06T24:00:00.000Z',
    '2016-04-06T20:60:00.000Z',
    '16-04-06T20:03:48.000Z',
    '2016-04-06T20:03:48.Z',
    '',
  ])('rejects %j', (ts) => {
    expect(errorAt(indicator({ valid_from: ts }), 'valid_from')?.rule).toBe('invalid-timestamp');
  });

  it('accepts leap days, leap seconds and any fraction length', () => {
    for (const ts of ['2016-02-29T00:00:00Z', '2016-12-31T23:59:60Z', '2016-01-01T00:00:00.123456789Z']) {
      expect(validateObject(indicator({ valid_from: ts })).errors).toEqual([]);
    }
  });

  it('requires millisecond precision on created and modified', () => {
    const r = validateObject(
      indicator({ created: '2016-04-06T20:03:48Z', modified: '2016-04-06T20:03:48.1Z' }),
    );
    expect(r.errors.map((e) => [e.path, e.rule])).toEqual([
      ['created', 'timestamp-precision'],
      ['modified', 'timestamp-precision'],
    ]);
  });

  it('requires modified >= created', () => {
    expect(errorAt(indicator({ modified: '2016-04-06T20:03:47.999Z' }), 'modified')?.rule).toBe(
      'modified-before-created',
    );
    expect(validateObject(indicator({ modified: '2016-04-06T20:03:48.0001Z' })).valid).toBe(true);
  });

  it('requires valid_until after valid_from, and ordered first/last seen', () => {
    expect(errorAt(indicator({ valid_until: '2016-01-01T00:00:00Z' }), 'valid_until')?.rule).toBe(
      'time-order',
    );
    const campaign = {
      type: 'campaign',
      spec_version: '2.1',
      id: 'campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
      created: '2016-05-12T08:17:27.000Z',
      modified: '2016-05-12T08:17:27.000Z',
      name: 'x',
      first_seen: '2016-05-12T08:17:27.000Z',
      last_seen: '2016-05-11T08:17:27.000Z',
    };
    expect(errorAt(campaign, 'last_seen')?.rule).toBe('time-order');
  });
});

describe('required, forbidden and unknown properties', () => {
  it('reports missing required properties per type', () => {
    const r = validateObject({
      type: 'report',
      spec_version: '2.1',
      id: 'report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3',
      created: '2015-12-21T19:59:11.000Z',
      modified: '2015-12-21T19:59:11.000Z',
    });
    expect(r.errors.filter((e) => e.rule === 'missing-property').map((e) => e.path)).toEqual([
      'name',
      'published',
      'object_refs',
    ]);
  });

  it('requires spec_version "2.1" on SDOs, not on SCOs', () => {
    const obj = indicator();
    delete obj.spec_version;
    expect(errorAt(obj, 'spec_version')?.message).toMatch(/STIX 2\.0/);
    expect(errorAt(indicator({ spec_version: '2.0' }), 'spec_version')?.rule).toBe('spec-version');
    expect(errorAt(indicator({ spec_version: 2.1 }), 'spec_version')?.rule).toBe('spec-version');
    const sco = { type: 'mutex', id: scoId({ type: 'mutex', name: 'm' }), name: 'm' };
    expect(validateObject(sco).errors).toEqual([]);
    expect(errorAt({ ...sco, spec_version: '2.0' }, 'spec_version')?.rule).toBe('spec-version');
  });

  it('forbids versioning properties on SCOs and marking definitions', () => {
    const sco = {
      type: 'mutex',
      id: scoId({ type: 'mutex', name: 'm' }),
      name: 'm',
      created_by_ref: IDENTITY,
      revoked: true,
    };
    expect(validateObject(sco).errors.map((e) => [e.path, e.rule])).toEqual([
      ['created_by_ref', 'forbidden-property'],
      ['revoked', 'forbidden-property'],
    ]);
    const marking = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168',
      created: '2017-06-01T00:00:00.000Z',
      modified: '2017-06-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'Copyright' },
    };
    expect(errorAt(marking, 'modified')?.rule).toBe('forbidden-property');
  });

  it('accepts x_ custom properties and warns about other unknown ones', () => {
    const r = validateObject(indicator({ x_acme_score: 5, acme_score: 5 }));
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => [w.path, w.rule])).toEqual([['acme_score', 'unknown-property']]);
  });

  it('rejects malformed custom property names', () => {
    expect(errorAt(indicator({ 'X-Bad': 1 }), 'X-Bad')?.rule).toBe('custom-property-name');
    expect(errorAt(indicator({ x: 1 }), 'x')?.rule).toBe('custom-property-name');
  });

  it('accepts properties of a toplevel-property-extension', () => {
    const ext = 'extension-definition--a932fcc6-e032-476c-826f-cb970a5a1ade';
    const r = validateObject(
      indicator({ rank: 5, extensions: { [ext]: { extension_type: 'toplevel-property-extension' } } }),
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('checks value kinds', () => {
    expect(errorAt(indicator({ name: 5 }), 'name')?.rule).toBe('invalid-value');
    expect(errorAt(indicator({ revoked: 'yes' }), 'revoked')?.rule).toBe('invalid-value');
    expect(errorAt(indicator({ labels: 'a' }), 'labels')?.rule).toBe('invalid-value');
    expect(errorAt(indicator({ labels: [] }), 'labels')?.rule).toBe('empty-list');
    expect(errorAt(indicator({ labels: ['a', 3] }), 'labels[1]')?.rule).toBe('invalid-value');
  });
});

describe('confidence', () => {
  it.each([0, 50, 100])('accepts %d', (c) => {
    expect(validateObject(indicator({ confidence: c })).valid).toBe(true);
  });
  it.each([-1, 101, 50.5, '50'])('rejects %j', (c) => {
    expect(errorAt(indicator({ confidence: c }), 'confidence')?.rule).toMatch(
      /confidence-range|invalid-value/,
    );
  });
});

describe('references', () => {
  it('checks created_by_ref points to an identity', () => {
    const e = errorAt(
      indicator({ created_by_ref: 'malware--fdd60b30-b67c-41e3-b0b9-f01faf20d111' }),
      'created_by_ref',
    );
    expect(e?.rule).toBe('reference-type');
    expect(e?.message).toMatch(/identity/);
    expect(errorAt(indicator({ created_by_ref: 'ACME' }), 'created_by_ref')?.rule).toBe('invalid-reference');
  });

  it('checks object_marking_refs point to marking definitions', () => {
    expect(
      errorAt(indicator({ object_marking_refs: [MARKING, IDENTITY] }), 'object_marking_refs[1]')?.rule,
    ).toBe('reference-type');
  });

  it('checks relationship endpoints are SDOs or SCOs', () => {
    const rel = {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad',
      created: '2016-04-06T20:06:37.000Z',
      modified: '2016-04-06T20:06:37.000Z',
      relationship_type: 'indicates',
      source_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      target_ref: 'malware--fdd60b30-b67c-41e3-b0b9-f01faf20d111',
    };
    expect(validateObject(rel).valid).toBe(true);
    expect(errorAt({ ...rel, target_ref: MARKING }, 'target_ref')?.rule).toBe('reference-type');
    expect(
      errorAt({ ...rel, source_ref: 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad' }, 'source_ref')
        ?.rule,
    ).toBe('reference-type');
    expect(
      validateObject({ ...rel, target_ref: 'ipv4-addr--2b3e2c17-3144-5591-9c88-a605220f8c0c' }).valid,
    ).toBe(true);
    expect(
      validateObject({ ...rel, target_ref: 'x-mitre-asset--2b3e2c17-3144-4591-9c88-a605220f8c0c' }).warnings,
    ).toEqual([]);
    const odd = validateObject({ ...rel, target_ref: 'identity--2b3e2c17-3144-4591-9c88-a605220f8c0c' });
    expect(odd.valid).toBe(true);
    expect(rules(odd.warnings)).toEqual(['relationship-type']);
  });

  it('checks sighting references', () => {
    const sighting = {
      type: 'sighting',
      spec_version: '2.1',
      id: 'sighting--ee20065d-2555-424f-ad9e-0f8428623c75',
      created: '2016-04-06T20:08:31.000Z',
      modified: '2016-04-06T20:08:31.000Z',
      sighting_of_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      where_sighted_refs: [
        'identity--b67d30ff-02ac-498a-92f9-32f845f448ff',
        'location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64',
      ],
      observed_data_refs: ['observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf'],
      count: 0,
    };
    expect(validateObject(sighting).errors).toEqual([]);
    expect(errorAt({ ...sighting, where_sighted_refs: [MARKING] }, 'where_sighted_refs[0]')?.rule).toBe(
      'reference-type',
    );
    expect(errorAt({ ...sighting, observed_data_refs: [IDENTITY] }, 'observed_data_refs[0]')?.rule).toBe(
      'reference-type',
    );
    expect(errorAt({ ...sighting, count: 1_000_000_000 }, 'count')?.rule).toBe('range');
  });

  it('checks SCO reference targets', () => {
    const from = 'email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3';
    const msg = {
      type: 'email-message',
      id: 'email-message--0c57a381-2a17-5e61-8754-5ef96efb286c',
      is_multipart: false,
      from_ref: from,
    };
    expect(validateObject(msg).errors).toEqual([]);
    expect(
      errorAt({ ...msg, from_ref: 'ipv4-addr--2b3e2c17-3144-5591-9c88-a605220f8c0c' }, 'from_ref')?.rule,
    ).toBe('reference-type');
    const traffic = {
      type: 'network-traffic',
      id: 'network-traffic--2568d22a-8998-58eb-99ec-3c8ca74f527d',
      dst_ref: 'url--2b3e2c17-3144-5591-9c88-a605220f8c0c',
      protocols: ['tcp'],
    };
    expect(errorAt(traffic, 'dst_ref')?.rule).toBe('reference-type');
    const multipart = {
      ...msg,
      is_multipart: true,
      body_multipart: [{ body_raw_ref: 'ipv4-addr--2b3e2c17-3144-5591-9c88-a605220f8c0c' }],
    };
    expect(errorAt(multipart, 'body_multipart[0].body_raw_ref')?.rule).toBe('reference-type');
  });
});

describe('vocabularies', () => {
  it('warns on open vocabularies', () => {
    const r = validateObject(indicator({ indicator_types: ['malicious-activity', 'spicy'] }));
    expect(r.valid).toBe(true);
    expect(r.warnings.map((w) => [w.path, w.rule])).toEqual([['indicator_types[1]', 'open-vocabulary']]);
    expect(
      validateObject(indicator({ indicator_types: ['spicy'] }), { quietOpenVocabularies: true }).warnings,
    ).toEqual([]);
  });

  it('fails on closed vocabularies', () => {
    const opinion = {
      type: 'opinion',
      spec_version: '2.1',
      id: 'opinion--b01efc25-77b4-4003-b18b-f6e24b5cd9f7',
      created: '2016-05-12T08:17:27.000Z',
      modified: '2016-05-12T08:17:27.000Z',
      object_refs: ['relationship--16d2358f-3b0d-4c88-b047-0da2f7ed4471'],
      opinion: 'mostly-agree',
    };
    expect(errorAt(opinion, 'opinion')?.rule).toBe('closed-vocabulary');
    const key = {
      type: 'windows-registry-key',
      id: 'windows-registry-key--2ba37ae7-2745-5082-9dfd-9486dad41016',
      key: 'k',
      values: [{ name: 'a', data_type: 'REG_TEXT' }],
    };
    expect(errorAt(key, 'values[0].data_type')?.rule).toBe('closed-vocabulary');
  });
});

describe('granular markings', () => {
  const marked = (granular_markings: unknown) =>
    indicator({
      external_references: [{ source_name: 'capec', url: 'https://capec.mitre.org' }],
      granular_markings,
    });

  it('resolves selectors against the object', () => {
    const r = validateObject(
      marked([
        {
          marking_ref: MARKING,
          selectors: ['description', 'external_references.[0].url', 'indicator_types.[0]'],
        },
        { lang: 'de', selectors: ['name'] },
      ]),
    );
    expect(r.errors).toEqual([]);
  });

  it.each([
    ['missing property', 'title', /does not have/],
    ['index past the end', 'external_references.[1].url', /past the end/],
    ['index on a non-list', 'description.[0]', /no list/],
    ['property of a string', 'description.text', /no object/],
    ['JavaScript-style index', 'external_references[0].url', /does not have/],
    ['empty selector', '', /empty/],
  ])('rejects %s', (_label, selector, message) => {
    const e = errorAt(
      marked([{ marking_ref: MARKING, selectors: [selector] }]),
      'granular_markings[0].selectors[0]',
    );
    expect(e?.rule).toBe('granular-selector');
    expect(e?.message).toMatch(message);
  });

  it('requires exactly one of marking_ref and lang', () => {
    expect(errorAt(marked([{ selectors: ['name'] }]), 'granular_markings[0]')?.rule).toBe('granular-marking');
    expect(
      errorAt(marked([{ lang: 'en', marking_ref: MARKING, selectors: ['name'] }]), 'granular_markings[0]')
        ?.rule,
    ).toBe('granular-marking');
    expect(
      errorAt(marked([{ marking_ref: IDENTITY, selectors: ['name'] }]), 'granular_markings[0].marking_ref')
        ?.rule,
    ).toBe('reference-type');
  });

  it('exposes the selector resolver', () => {
    expect(resolveSelector({ a: [{ b: 1 }] }, 'a.[0].b')).toBeUndefined();
    expect(resolveSelector({ a: [{ b: 1 }] }, 'a.[0].c')).toMatch(/does not have/);
  });
});

describe('extensions', () => {
  const file = (extensions: unknown) => ({
    type: 'file',
    id: 'file--fb0419a8-f09c-57f8-be64-71a80417591c',
    name: 'a.zip',
    extensions,
  });
  const dir = 'directory--93c0a9b0-520d-545d-9094-1a08ddf46b05';

  it('accepts predefined SCO extensions on their type and checks them', () => {
    expect(validateObject(file({ 'archive-ext': { contains_refs: [dir] } })).errors).toEqual([]);
    expect(errorAt(file({ 'archive-ext': {} }), 'extensions.archive-ext.contains_refs')?.rule).toBe(
      'missing-property',
    );
    expect(
      errorAt(
        file({ 'archive-ext': { contains_refs: [IDENTITY] } }),
        'extensions.archive-ext.contains_refs[0]',
      )?.rule,
    ).toBe('reference-type');
    expect(
      errorAt(file({ 'socket-ext': { address_family: 'AF_INET' } }), 'extensions.socket-ext')?.rule,
    ).toBe('extension-key');
  });

  it('accepts extension-definition ids and checks extension_type', () => {
    const key = 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e';
    expect(validateObject(file({ [key]: { extension_type: 'property-extension', rank: 5 } })).errors).toEqual(
      [],
    );
    expect(
      errorAt(file({ [key]: { extension_type: 'sidecar' } }), `extensions.${key}.extension_type`)?.rule,
    ).toBe('closed-vocabulary');
    expect(errorAt(file({ 'my-ext': {} }), 'extensions.my-ext')?.rule).toBe('extension-key');
    expect(rules(validateObject(file({ 'x-acme-ext': { a: 1 } })).warnings)).toContain(
      'deprecated-custom-extension',
    );
  });

  it('validates extension definitions', () => {
    const def = {
      type: 'extension-definition',
      spec_version: '2.1',
      id: 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e',
      created_by_ref: IDENTITY,
      created: '2014-02-20T09:16:08.989Z',
      modified: '2014-02-20T09:16:08.989Z',
      name: 'New SDO 1',
      schema: 'https://www.example.com/schema-my-favorite-sdo-1/v1/',
      version: '1.2.1',
      extension_types: ['new-sdo'],
    };
    expect(validateObject(def).errors).toEqual([]);
    expect(errorAt({ ...def, extension_types: ['new-thing'] }, 'extension_types[0]')?.rule).toBe(
      'closed-vocabulary',
    );
    expect(errorAt({ ...def, extension_properties: ['a'] }, 'extension_properties')?.rule).toBe(
      'forbidden-property',
    );
    const noCreator: Record<string, unknown> = { ...def };
    delete noCreator.created_by_ref;
    expect(errorAt(noCreator, 'created_by_ref')?.rule).toBe('missing-property');
  });
});

describe('type-specific rules', () => {
  const base = (type: string, uuid: string) => ({
    type,
    spec_version: '2.1',
    id: `${type}--${uuid}`,
    created: '2016-04-06T20:03:48.000Z',
    modified: '2016-04-06T20:03:48.000Z',
  });

  it('malware needs a name when is_family is true', () => {
    const m = { ...base('malware', 'fdd60b30-b67c-41e3-b0b9-f01faf20d111'), is_family: true };
    expect(errorAt(m, 'name')?.rule).toBe('missing-property');
    expect(validateObject({ ...m, is_family: false }).valid).toBe(true);
  });

  it('location needs region, country or coordinates', () => {
    const loc = base('location', 'a6e9345f-5a15-4c29-8bb3-7dcc5d168d64');
    expect(errorAt(loc, 'region')?.rule).toBe('at-least-one');
    expect(errorAt({ ...loc, latitude: 48.8566 }, 'longitude')?.rule).toBe('missing-property');
    expect(errorAt({ ...loc, latitude: 91, longitude: 0 }, 'latitude')?.rule).toBe('range');
    expect(validateObject({ ...loc, latitude: 48.8566, longitude: 2.3522, precision: 1000 }).valid).toBe(
      true,
    );
  });

  it('observed-data needs exactly one of object_refs and objects', () => {
    const od = {
      ...base('observed-data', 'b67d30ff-02ac-498a-92f9-32f845f448cf'),
      first_observed: '2015-12-21T19:00:00Z',
      last_observed: '2015-12-21T19:00:00Z',
      number_observed: 50,
    };
    expect(errorAt(od, 'object_refs')?.rule).toBe('missing-property');
    const refs = ['ipv4-addr--2b3e2c17-3144-5591-9c88-a605220f8c0c'];
    expect(validateObject({ ...od, object_refs: refs }).valid).toBe(true);
    expect(errorAt({ ...od, object_refs: [IDENTITY] }, 'object_refs[0]')?.rule).toBe('reference-type');
    expect(errorAt({ ...od, object_refs: refs, objects: { 0: { type: 'file' } } }, 'objects')?.rule).toBe(
      'mutually-exclusive',
    );
    expect(errorAt({ ...od, object_refs: refs, number_observed: 0 }, 'number_observed')?.rule).toBe('range');
  });

  it('artifact needs exactly one of payload_bin and url, and hashes with url', () => {
    const art = { type: 'artifact', id: 'artifact--6f437177-6e48-5cf8-9d9e-872a2bddd641' };
    expect(errorAt(art, 'payload_bin')?.rule).toBe('mutually-exclusive');
    expect(errorAt({ ...art, url: 'https://example.com/a' }, 'hashes')?.rule).toBe('missing-property');
    expect(errorAt({ ...art, payload_bin: 'not base64!' }, 'payload_bin')?.rule).toBe('invalid-value');
    expect(
      validateObject({ ...art, mime_type: 'image/jpeg', payload_bin: 'VBORw0KGgoAAAANSUhEUgAAADI==' }).errors,
    ).toEqual([]);
  });

  it('checks SCO values', () => {
    const ip = (value: string) => ({ type: 'ipv4-addr', id: scoId({ type: 'ipv4-addr', value }), value });
    expect(validateObject(ip('198.51.100.0/24')).valid).toBe(true);
    expect(errorAt(ip('198.51.100.256'), 'value')?.rule).toBe('invalid-value');
    expect(errorAt(ip('2001:db8::1'), 'value')?.rule).toBe('invalid-value');
    const mac = {
      type: 'mac-addr',
      id: 'mac-addr--f72d7d00-86bd-5cd2-8c86-52f7a83bef62',
      value: 'A1:B2:C3:D4:E5:F6',
    };
    expect(errorAt(mac, 'value')?.rule).toBe('invalid-value');
    expect(
      errorAt({ type: 'file', id: 'file--fb0419a8-f09c-57f8-be64-71a80417591c', size: 5 }, 'name')?.rule,
    ).toBe('at-least-one');
    expect(
      errorAt({ type: 'process', id: 'process--f52a906a-0dfc-40bd-92f1-e7778ead38a9' }, 'type')?.rule,
    ).toBe('at-least-one');
    const traffic = {
      type: 'network-traffic',
      id: 'network-traffic--2568d22a-8998-58eb-99ec-3c8ca74f527d',
      protocols: ['tcp'],
    };
    expect(errorAt(traffic, 'src_ref')?.rule).toBe('at-least-one');
    expect(
      errorAt(
        { ...traffic, src_ref: 'ipv4-addr--2b3e2c17-3144-5591-9c88-a605220f8c0c', dst_port: 70000 },
        'dst_port',
      )?.rule,
    ).toBe('range');
    const hashed = { type: 'file', id: 'file--fb0419a8-f09c-57f8-be64-71a80417591c', hashes: { MD5: 'abc' } };
    expect(errorAt(hashed, 'hashes.MD5')?.rule).toBe('invalid-value');
  });

  it('parses stix indicator patterns and reports the position', () => {
    const e = errorAt(indicator({ pattern: "[file:name = 'a' AND]" }), 'pattern');
    expect(e?.rule).toBe('invalid-pattern');
    expect(e?.message).toMatch(/column 21/);
    expect(validateObject(indicator({ pattern: 'not checked', pattern_type: 'sigma' })).valid).toBe(true);
    expect(validateObject(indicator({ pattern: '[broken' }), { checkPatterns: false }).valid).toBe(true);
  });

  it('checks language content', () => {
    const lc = {
      ...base('language-content', 'b86bd89f-98bb-4fa9-8cb2-9ad421da981d'),
      object_ref: 'campaign--12a111f0-b824-4baf-a224-83b80237a094',
      object_modified: '2017-02-08T21:31:22.007Z',
      contents: { de: { name: 'Bank Angriff 1' }, 'fr-CA': { name: 'Attaque Banque 1' } },
    };
    expect(validateObject(lc).errors).toEqual([]);
    expect(errorAt({ ...lc, contents: { 'not a lang': { name: 'x' } } }, 'contents.not a lang')?.rule).toBe(
      'invalid-lang',
    );
  });

  it('accepts custom object types and checks their common properties', () => {
    const custom = {
      type: 'x-mitre-tactic',
      spec_version: '2.1',
      id: 'x-mitre-tactic--69da72d2-f550-41c5-ab9e-e8255707f28a',
      created: '2018-10-17T00:14:20.652Z',
      modified: '2022-04-25T14:00:00.188Z',
      created_by_ref: IDENTITY,
      name: 'Exfiltration',
      x_mitre_shortname: 'exfiltration',
      tactic_refs: ['x-mitre-tactic--69da72d2-f550-41c5-ab9e-e8255707f28a'],
    };
    expect(validateObject(custom).errors).toEqual([]);
    expect(errorAt({ ...custom, created_by_ref: MARKING }, 'created_by_ref')?.rule).toBe('reference-type');
    expect(errorAt({ ...custom, modified: '2018-10-17T00:14:20.651Z' }, 'modified')?.rule).toBe(
      'modified-before-created',
    );
    expect(
      rules(
        validateObject({
          ...custom,
          type: 'acme-thing',
          id: 'acme-thing--69da72d2-f550-41c5-ab9e-e8255707f28a',
        }).warnings,
      ),
    ).toContain('custom-object-type');
  });
});

describe('validateBundle', () => {
  const bundle = (objects: unknown[], extra: Record<string, unknown> = {}) => ({
    type: 'bundle',
    id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982',
    objects,
    ...extra,
  });
  const identity = {
    type: 'identity',
    spec_version: '2.1',
    id: IDENTITY,
    created: '2016-08-08T15:50:10.983Z',
    modified: '2016-08-08T15:50:10.983Z',
    name: 'ACME',
    identity_class: 'organization',
  };

  it('validates every object and reports its index', () => {
    const r = validateBundle(bundle([identity, indicator({ confidence: 200 })]));
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([
      expect.objectContaining({ index: 1, path: 'confidence', rule: 'confidence-range' }),
    ]);
  });

  it('warns about references that do not resolve, unless known', () => {
    const r = validateBundle(bundle([indicator()]));
    expect(r.warnings.map((w) => [w.path, w.rule])).toEqual([['created_by_ref', 'unresolved-reference']]);
    expect(validateBundle(bundle([indicator()]), { knownIds: new Set([IDENTITY]) }).warnings).toEqual([]);
    expect(validateBundle(bundle([indicator()]), { knownIds: (id) => id === IDENTITY }).warnings).toEqual([]);
    expect(validateBundle(bundle([indicator()]), { unresolvedReferences: 'error' }).valid).toBe(false);
    expect(validateBundle(bundle([indicator()]), { unresolvedReferences: 'ignore' }).warnings).toEqual([]);
    expect(
      validateBundle(bundle([identity, indicator({ object_marking_refs: [TLP2_MARKING_IDS.amber] })]))
        .warnings,
    ).toEqual([]);
  });

  it('checks the bundle envelope', () => {
    expect(rules(validateBundle({ type: 'bundle', id: 'bundle--nope' }).errors)).toEqual(['invalid-id']);
    expect(rules(validateBundle(bundle([identity], { spec_version: '2.0' })).errors)).toEqual([
      'forbidden-property',
    ]);
    expect(rules(validateBundle(bundle([])).errors)).toEqual(['empty-list']);
    expect(rules(validateBundle(bundle([identity], { objects: {} })).errors)).toEqual(['invalid-value']);
    expect(
      rules(validateBundle({ type: 'indicator', id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982' }).errors),
    ).toEqual(['invalid-type']);
    expect(rules(validateBundle(bundle([42])).errors)).toEqual(['not-an-object']);
    expect(rules(validateBundle('x').errors)).toEqual(['not-an-object']);
  });

  it('flags duplicates, conflicting copies and un-revocation', () => {
    const v1 = indicator();
    const dup = validateBundle(bundle([identity, v1, { ...v1 }]));
    expect(rules(dup.warnings)).toEqual(['duplicate-object']);
    const conflict = validateBundle(bundle([identity, v1, { ...v1, name: 'other' }]));
    expect(rules(conflict.errors)).toEqual(['version-conflict']);
    const revoked = indicator({ modified: '2017-01-01T00:00:00.000Z', revoked: true });
    const unrevoked = indicator({ modified: '2018-01-01T00:00:00.000Z', revoked: false });
    const r = validateBundle(bundle([identity, v1, revoked, unrevoked]));
    expect(r.errors).toEqual([expect.objectContaining({ index: 3, rule: 'revoked-is-final' })]);
  });
});
