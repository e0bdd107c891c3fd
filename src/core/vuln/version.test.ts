import { describe, expect, it } from 'vitest';
import { compareVersions, explainVersionCompare, parseVersion } from './version.js';

const lt = (a: string, b: string) => {
  expect(compareVersions(a, b), `${a} < ${b}`).toBe(-1);
  expect(compareVersions(b, a), `${b} > ${a}`).toBe(1);
};
const eq = (a: string, b: string) => {
  expect(compareVersions(a, b), `${a} = ${b}`).toBe(0);
  expect(compareVersions(b, a), `${b} = ${a}`).toBe(0);
};

describe('compareVersions', () => {
  it('compares dotted numbers by their parts, not as text', () => {
    lt('1.9', '1.10');
    lt('2.4.9', '2.4.49');
    lt('1.2', '1.2.1');
    eq('1.0', '1.0.0');
    eq('01.002', '1.2');
    lt('99999999999999999998', '99999999999999999999');
  });

  it('puts letters after numbers above the release (OpenSSL style)', () => {
    lt('1.0.1', '1.0.1f');
    lt('1.0.1e', '1.0.1f');
    lt('1.0.1f', '1.0.2');
    lt('0.9.8za', '0.9.8zb');
    lt('5.01i', '5.01o');
  });

  it('puts pre-releases below the release, alpha < beta < rc', () => {
    lt('24.7.0rc1', '24.7.0');
    lt('24.7.0rc1', '24.7.0rc2');
    lt('1.0-alpha', '1.0-beta');
    lt('1.0-beta.2', '1.0-rc.1');
    lt('1.0a1', '1.0b1');
    lt('1.0b2', '1.0rc1');
    lt('1.0.0-rc.1', '1.0.0');
    lt('2.0.0-dev', '2.0.0-alpha');
    lt('1.0~rc1', '1.0');
    lt('1.0rc1', '1.0.1');
    eq('1.0-final', '1.0');
    eq('1.0a1', '1.0alpha1');
  });

  it('orders Alpine and Debian revisions numerically', () => {
    lt('1.36.1-r2', '1.36.1-r18');
    lt('1.36.1', '1.36.1-r0');
    lt('7.4', '7.4p1');
    lt('7.4p1', '7.5');
  });

  it('ignores a leading v, honours epochs and ignores semver build metadata', () => {
    eq('v1.2.3', '1.2.3');
    eq('V2.3.0', '2.3.0');
    lt('1:0.9', '2:0.1');
    lt('9.9', '1:0.1');
    eq('1.2.3+build.5', '1.2.3');
    eq('1.2.3+build.5', '1.2.3+build.9');
  });

  it('handles vendor oddities', () => {
    lt('12.2(55)SE', '12.2(58)SE');
    lt('10.0(1)', '10.0(1)SE');
    lt('15.0(2)SE', '15.0(2)SE1');
    eq('1_2_3', '1.2.3');
    lt('R2', 'R3');
    lt('V6.0 SP9 Upd4', 'V6.0 SP10');
    lt('2010-05-12', '2010-06-01');
  });

  it('says when it cannot compare, and why', () => {
    expect(compareVersions('', '1.0')).toBeNull();
    expect(compareVersions('*', '1.0')).toBeNull();
    expect(compareVersions('-', '1.0')).toBeNull();
    expect(compareVersions('latest', '1.0')).toBeNull();
    expect(compareVersions('R2', '10.1')).toBeNull();
    expect(compareVersions('a3f5c9e1d', '1.0')).toBeNull();
    expect(compareVersions('20100512', '2.1')).toBeNull();
    expect(explainVersionCompare('R2', '10.1').reason).toMatch(/different schemes/);
    expect(explainVersionCompare('latest', '1.0').reason).toMatch(/no digits/);
    expect(explainVersionCompare('a3f5c9e1d', '1.0').reason).toMatch(/hash/);
    expect(explainVersionCompare('20100512', '2.1').reason).toMatch(/date/);
    expect(explainVersionCompare('*', '1').reason).toMatch(/not a version/);
  });

  it('explains results', () => {
    expect(explainVersionCompare('1.9', '1.10')).toEqual({ result: -1, reason: 'part 2: 9 < 10' });
    expect(explainVersionCompare('24.7.0rc1', '24.7.0').reason).toMatch(/pre-release/);
    expect(explainVersionCompare('1.0.1f', '1.0.1').reason).toMatch(/later/);
    expect(explainVersionCompare('1.0', '1.0.0').result).toBe(0);
  });

  it('treats equal strings as equal and exposes tokens', () => {
    expect(compareVersions('foo', 'foo')).toBe(0);
    expect(parseVersion('2:1.0.1f').epoch).toBe(2);
    expect(parseVersion('1.0').invalid).toBeUndefined();
  });

  it('is a total order on a mixed sample', () => {
    const sorted = [
      '0.9',
      '1.0a1',
      '1.0b1',
      '1.0rc1',
      '1.0',
      '1.0.1',
      '1.0.1f',
      '1.0.2-r2',
      '1.0.2-r18',
      '1.1',
      '1:0.1',
    ];
    const shuffled = [...sorted].reverse();
    shuffled.sort((a, b) => compareVersions(a, b) ?? 0);
    expect(shuffled).toEqual(sorted);
  });
});
