import { describe, expect, it } from 'vitest';
import { looksLikeStix20, upgradeFrom20 } from './upgrade.js';
import { validateBundle, validateObject } from './validate.js';

const malware20 = {
  type: 'malware',
  id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
  created: '2016-04-06T20:07:09Z',
  modified: '2016-04-06T20:07:09.000Z',
  name: 'Poison Ivy',
  labels: ['remote-access-trojan'],
};

describe('upgradeFrom20', () => {
  it('converts a 2.0 malware object and lists the changes', () => {
    const { object, changes, upgraded } = upgradeFrom20(malware20);
    expect(upgraded).toBe(true);
    expect(object).toEqual({
      type: 'malware',
      spec_version: '2.1',
      id: malware20.id,
      created: '2016-04-06T20:07:09.000Z',
      modified: '2016-04-06T20:07:09.000Z',
      name: 'Poison Ivy',
      malware_types: ['remote-access-trojan'],
      is_family: true,
    });
    expect(changes.map((c) => [c.path, c.action])).toEqual([
      ['spec_version', 'added'],
      ['created', 'converted'],
      ['labels', 'renamed'],
      ['is_family', 'added'],
    ]);
    expect(changes.every((c) => c.objectId === malware20.id)).toBe(true);
    expect(validateObject(object).errors).toEqual([]);
    expect(malware20).toHaveProperty('labels');
  });

  it('moves labels of tools, indicators, threat actors and reports', () => {
    for (const [type, prop] of [
      ['tool', 'tool_types'],
      ['threat-actor', 'threat_actor_types'],
      ['report', 'report_types'],
    ]) {
      const { object } = upgradeFrom20<Record<string, unknown>>({
        type,
        id: `${type}--31b940d4-6f7f-459a-80ea-9c1f17b5891b`,
        created: '2016-04-06T20:07:09.000Z',
        labels: ['x'],
      });
      expect(object[prop]).toEqual(['x']);
      expect(object.labels).toBeUndefined();
    }
    const campaign = upgradeFrom20({
      type: 'campaign',
      id: 'campaign--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
      created: '2016-04-06T20:07:09.000Z',
      labels: ['x'],
    });
    expect(campaign.object.labels).toEqual(['x']);
  });

  it('gives indicators a pattern_type and timestamp literals for START/STOP', () => {
    const { object, changes } = upgradeFrom20<Record<string, unknown>>({
      type: 'indicator',
      id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2016-04-06T20:03:48.000Z',
      modified: '2016-04-06T20:03:48.000Z',
      labels: ['malicious-activity'],
      pattern: "[file:name = 'x'] START '2016-01-01T00:00:00Z' STOP '2016-02-01T00:00:00Z'",
      valid_from: '2016-01-01T00:00:00Z',
    });
    expect(object.pattern).toBe(
      "[file:name = 'x'] START t'2016-01-01T00:00:00Z' STOP t'2016-02-01T00:00:00Z'",
    );
    expect(object.pattern_type).toBe('stix');
    expect(object.indicator_types).toEqual(['malicious-activity']);
    expect(changes.map((c) => c.path)).toContain('pattern');
    expect(validateObject(object).errors).toEqual([]);
  });

  it('keeps observed-data objects, renames 2.0 SCO properties and notes the deprecation', () => {
    const { object, changes } = upgradeFrom20({
      type: 'observed-data',
      id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
      created: '2016-04-06T19:58:16.000Z',
      modified: '2016-04-06T19:58:16.000Z',
      first_observed: '2015-12-21T19:00:00Z',
      last_observed: '2015-12-21T19:00:00Z',
      number_observed: 1,
      objects: { 0: { type: 'file', name: 'a.exe', created: '2015-12-21T19:00:00Z' } },
    });
    expect((object.objects as Record<string, Record<string, unknown>>)['0']).toEqual({
      type: 'file',
      name: 'a.exe',
      ctime: '2015-12-21T19:00:00Z',
    });
    expect(changes.map((c) => [c.path, c.action])).toEqual([
      ['spec_version', 'added'],
      ['objects.0.created', 'renamed'],
      ['objects', 'note'],
    ]);
    const r = validateObject(object);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.rule)).toEqual(['deprecated']);
  });

  it('leaves 2.1 content alone', () => {
    const obj = { ...malware20, spec_version: '2.1' };
    const r = upgradeFrom20(obj);
    expect(r.upgraded).toBe(false);
    expect(r.object).toBe(obj);
    expect(looksLikeStix20({ type: 'ipv4-addr', value: '1.2.3.4' })).toBe(false);
  });

  it('upgrades bundles in lenient validation and reports what changed', () => {
    const bundle20 = {
      type: 'bundle',
      id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982',
      spec_version: '2.0',
      objects: [malware20],
    };
    const strict = validateBundle(bundle20);
    expect(strict.valid).toBe(false);
    const lenient = validateBundle(bundle20, { lenient: true });
    expect(lenient.errors).toEqual([]);
    expect(lenient.changes.map((c) => c.path)).toEqual([
      'spec_version',
      'spec_version',
      'created',
      'labels',
      'is_family',
    ]);
    expect((lenient.bundle as { spec_version?: string }).spec_version).toBeUndefined();
    const single = validateObject(malware20, { lenient: true });
    expect(single.valid).toBe(true);
    expect(single.changes).toHaveLength(4);
    expect((single.object as Record<string, unknown>).malware_types).toEqual(['remote-access-trojan']);
  });
});
