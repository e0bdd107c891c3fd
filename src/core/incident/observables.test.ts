import { describe, expect, it } from 'vitest';
import { validateObject } from '../stix/index.js';
import { matchIndicators, ObservableError, toSco } from './observables.js';

describe('observables as STIX SCOs', () => {
  it('gives the same deterministic id to the same observable and a valid SCO for each type', () => {
    const a = toSco({ type: 'domain-name', value: 'Evil.Example.COM.' });
    const b = toSco({ type: 'domain-name', value: 'evil.example.com' });
    expect(a.sco.id).toBe(b.sco.id);
    expect(a.value).toBe('evil.example.com');
    expect(a.sco.id).toMatch(/^domain-name--[0-9a-f-]{36}$/);
    const samples = [
      toSco({ type: 'ipv4-addr', value: '198.51.100.7' }),
      toSco({ type: 'ipv4-addr', value: '198.51.100.0/24' }),
      toSco({ type: 'ipv6-addr', value: '2001:DB8::1' }),
      toSco({ type: 'url', value: 'https://evil.example.com/login?x=1' }),
      toSco({ type: 'email-addr', value: 'ceo@Example.org' }),
      toSco({ type: 'mac-addr', value: 'AA-BB-CC-DD-EE-FF' }),
      toSco({ type: 'file', value: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' }),
      toSco({ type: 'file', value: 'd41d8cd98f00b204e9800998ecf8427e', hashAlgorithm: 'MD5' }),
    ];
    for (const s of samples) expect(validateObject(s.sco).valid, JSON.stringify(s.sco)).toBe(true);
    expect(samples[4].value).toBe('ceo@example.org');
    expect(samples[5].value).toBe('aa:bb:cc:dd:ee:ff');
    expect(samples[6].sco.hashes).toEqual({
      'SHA-256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
  });

  it('refuses malformed values with the reason', () => {
    const bad: [Parameters<typeof toSco>[0], RegExp][] = [
      [{ type: 'ipv4-addr', value: '300.1.1.1' }, /not an IPv4/],
      [{ type: 'ipv4-addr', value: '2001:db8::1' }, /not an IPv4/],
      [{ type: 'ipv6-addr', value: '10.0.0.1' }, /not an IPv6/],
      [{ type: 'domain-name', value: 'not a domain' }, /not a domain/],
      [{ type: 'url', value: '/relative/path' }, /absolute URL/],
      [{ type: 'email-addr', value: 'nobody' }, /email/],
      [{ type: 'file', value: 'abc' }, /SHA-256 hash is 64/],
      [
        { type: 'file', value: 'e3b0c44298fc1c149afbf4c8996fb924', hashAlgorithm: 'SHA-1' },
        /SHA-1 hash is 40/,
      ],
      [{ type: 'domain-name', value: '   ' }, /empty/],
    ];
    for (const [input, re] of bad) {
      expect(() => toSco(input), JSON.stringify(input)).toThrow(ObservableError);
      expect(() => toSco(input)).toThrow(re);
    }
  });

  it('matches indicator patterns with the STIX evaluator, across observables when a pattern joins several', () => {
    const seenAt = new Date('2026-03-01T10:00:00Z');
    const obs = [
      { sco: toSco({ type: 'ipv4-addr', value: '198.51.100.7' }).sco, seenAt },
      { sco: toSco({ type: 'domain-name', value: 'evil.example.com' }).sco, seenAt },
      {
        sco: toSco({
          type: 'file',
          value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        }).sco,
        seenAt,
      },
    ];
    const patterns = [
      "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      "[domain-name:value = 'other.example.com']",
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
      "[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value LIKE '%.example.com']",
      "[url:value = 'https://x.example/']",
      '[ipv4-addr:value = ',
      "[ipv4-addr:value = '198.51.100.7'] START t'2027-01-01T00:00:00Z' STOP t'2027-02-01T00:00:00Z'",
    ];
    const { hits, unusable } = matchIndicators(obs, patterns);
    expect([...hits.entries()].sort()).toEqual([
      [0, [0]],
      [2, [2]],
      [3, [0, 1]],
    ]);
    expect(unusable.map((u) => u.index)).toEqual([5]);
    expect(matchIndicators([], patterns).hits.size).toBe(0);
  });
});
