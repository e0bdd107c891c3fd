import { describe, expect, it } from 'vitest';
import {
  checkNewVersion,
  isRevoked,
  isVersioned,
  isVersionedObject,
  latestVersion,
  revocationViolations,
  sortVersions,
  stableStringify,
} from './versioning.js';

const id = 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061';
const v = (modified: string, extra: Record<string, unknown> = {}) => ({
  type: 'malware',
  id,
  created: '2020-01-01T00:00:00.000Z',
  modified,
  ...extra,
});

describe('isVersioned', () => {
  it('knows which types carry versions', () => {
    expect(isVersioned('indicator')).toBe(true);
    expect(isVersioned('relationship')).toBe(true);
    expect(isVersioned('language-content')).toBe(true);
    expect(isVersioned('extension-definition')).toBe(true);
    expect(isVersioned('marking-definition')).toBe(false);
    expect(isVersioned('ipv4-addr')).toBe(false);
    expect(isVersioned('bundle')).toBe(false);
    expect(isVersioned('x-mitre-tactic')).toBe(true);
    expect(isVersionedObject({ type: 'x-custom-sco' })).toBe(false);
    expect(isVersionedObject({ type: 'x-custom-sdo', modified: '2020-01-01T00:00:00.000Z' })).toBe(true);
  });
});

describe('ordering and latest', () => {
  it('sorts by modified, including sub-millisecond digits', () => {
    const a = v('2020-01-02T00:00:00.000Z');
    const b = v('2020-01-01T00:00:00.0001Z');
    const c = v('2020-01-01T00:00:00.000Z');
    expect(sortVersions([a, b, c])).toEqual([c, b, a]);
    expect(latestVersion([c, a, b])).toBe(a);
    expect(latestVersion([])).toBeUndefined();
  });

  it('prefers the revoked copy on a tie', () => {
    const live = v('2020-01-02T00:00:00.000Z');
    const revoked = v('2020-01-02T00:00:00.000Z', { revoked: true });
    expect(latestVersion([revoked, live])).toBe(revoked);
    expect(latestVersion([live, revoked])).toBe(revoked);
  });
});

describe('revocation is final', () => {
  it('rejects a later version that un-revokes', () => {
    const history = [v('2020-01-01T00:00:00.000Z'), v('2020-01-02T00:00:00.000Z', { revoked: true })];
    const check = checkNewVersion(history, v('2020-01-03T00:00:00.000Z', { revoked: false }));
    expect(check).toMatchObject({ ok: false, problem: 'revoked-is-final' });
    expect(checkNewVersion(history, v('2020-01-03T00:00:00.000Z', { revoked: true }))).toEqual({ ok: true });
    expect(isRevoked(history)).toBe(true);
  });

  it('rejects a revoked version inserted before a later live one', () => {
    const history = [v('2020-01-01T00:00:00.000Z'), v('2020-01-03T00:00:00.000Z')];
    expect(checkNewVersion(history, v('2020-01-02T00:00:00.000Z', { revoked: true }))).toMatchObject({
      ok: false,
      problem: 'revoked-is-final',
    });
  });

  it('accepts older history that is not revoked', () => {
    const history = [v('2020-01-03T00:00:00.000Z', { revoked: true })];
    expect(checkNewVersion(history, v('2020-01-02T00:00:00.000Z'))).toEqual({ ok: true });
  });

  it('lists violations within a history', () => {
    const history = [
      v('2020-01-03T00:00:00.000Z'),
      v('2020-01-02T00:00:00.000Z', { revoked: true }),
      v('2020-01-01T00:00:00.000Z'),
      v('2020-01-04T00:00:00.000Z', { revoked: true }),
    ];
    expect(revocationViolations(history)).toEqual([0]);
  });
});

describe('checkNewVersion', () => {
  const history = [v('2020-01-01T00:00:00.000Z', { name: 'a' })];

  it('detects identical resends whatever the key order', () => {
    const copy = {
      name: 'a',
      modified: '2020-01-01T00:00:00.000Z',
      created: '2020-01-01T00:00:00.000Z',
      id,
      type: 'malware',
    };
    expect(checkNewVersion(history, copy)).toEqual({ ok: true, duplicate: true });
  });

  it('rejects a different object under the same modified', () => {
    expect(checkNewVersion(history, v('2020-01-01T00:00:00.000Z', { name: 'b' }))).toMatchObject({
      problem: 'conflict',
    });
  });

  it('rejects a changed created, id or type', () => {
    expect(
      checkNewVersion(history, { ...v('2020-02-01T00:00:00.000Z'), created: '2019-01-01T00:00:00.000Z' }),
    ).toMatchObject({
      problem: 'created-changed',
    });
    expect(
      checkNewVersion(history, {
        ...v('2020-02-01T00:00:00.000Z'),
        id: 'malware--1c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
      }),
    ).toMatchObject({
      problem: 'id-mismatch',
    });
    expect(checkNewVersion(history, { ...v('2020-02-01T00:00:00.000Z'), type: 'tool' })).toMatchObject({
      problem: 'type-mismatch',
    });
  });

  it('refuses to version unversioned objects', () => {
    const marking = {
      type: 'marking-definition',
      id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
      name: 'a',
    };
    expect(checkNewVersion([marking], { ...marking, name: 'b' })).toMatchObject({ problem: 'not-versioned' });
    expect(checkNewVersion([marking], { ...marking })).toEqual({ ok: true, duplicate: true });
  });

  it('accepts the first version', () => {
    expect(checkNewVersion([], v('2020-01-01T00:00:00.000Z'))).toEqual({ ok: true });
  });
});

describe('stableStringify', () => {
  it('sorts keys recursively and drops undefined', () => {
    expect(stableStringify({ b: 1, a: [{ d: 2, c: undefined, e: null }] })).toBe(
      '{"a":[{"d":2,"e":null}],"b":1}',
    );
  });
});
