import { describe, expect, it } from 'vitest';
import { isSubset, isSuperset, parseIpBlock } from './cidr.js';

describe('parseIpBlock', () => {
  it('parses IPv4 addresses and blocks, clearing host bits', () => {
    expect(parseIpBlock('10.1.2.3')).toEqual({ family: 4, network: 0x0a010203n, prefix: 32 });
    expect(parseIpBlock('10.1.2.3/8')).toEqual({ family: 4, network: 0x0a000000n, prefix: 8 });
    expect(parseIpBlock('0.0.0.0/0')).toEqual({ family: 4, network: 0n, prefix: 0 });
  });

  it('parses IPv6 forms: full, compressed, embedded IPv4', () => {
    expect(parseIpBlock('2001:0db8:dead:beef:0000:0000:0000:0000/64')).toEqual(
      parseIpBlock('2001:db8:dead:beef::/64'),
    );
    expect(parseIpBlock('::')?.network).toBe(0n);
    expect(parseIpBlock('::1')?.network).toBe(1n);
    expect(parseIpBlock('::ffff:192.0.2.1')?.network).toBe(0xffffc0000201n);
    expect(parseIpBlock('1::')?.network).toBe(1n << 112n);
  });

  it.each([
    '256.1.1.1',
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    '1.2.3.4/33',
    '1.2.3.4/',
    '1.2.3.4/-1',
    '1.2.3.4/08',
    'a.b.c.d',
    '2001:db8::1::2',
    '2001:db8:1:2:3:4:5:6:7',
    '2001:db8::/129',
    '12345::',
    'fe80::1%eth0',
    '',
  ])('rejects %j', (text) => {
    expect(parseIpBlock(text)).toBeUndefined();
  });
});

describe('ISSUBSET / ISSUPERSET', () => {
  it('contains addresses within the prefix, including both ends', () => {
    expect(isSubset('198.51.100.0', '198.51.100.0/24')).toBe(true);
    expect(isSubset('198.51.100.255', '198.51.100.0/24')).toBe(true);
    expect(isSubset('198.51.101.0', '198.51.100.0/24')).toBe(false);
    expect(isSubset('198.51.99.255', '198.51.100.0/24')).toBe(false);
  });

  it('compares blocks by prefix length', () => {
    expect(isSubset('10.1.0.0/16', '10.0.0.0/8')).toBe(true);
    expect(isSubset('10.0.0.0/8', '10.0.0.0/8')).toBe(true);
    expect(isSubset('10.0.0.0/7', '10.0.0.0/8')).toBe(false);
    expect(isSubset('203.0.113.33', '203.0.113.33/32')).toBe(true);
    expect(isSubset('1.2.3.4', '0.0.0.0/0')).toBe(true);
  });

  it('handles IPv6 and never mixes families', () => {
    expect(isSubset('2001:db8:dead:beef::1', '2001:0db8:dead:beef:0000:0000:0000:0000/64')).toBe(true);
    expect(isSubset('2001:db8:dead:bef0::1', '2001:db8:dead:beef::/64')).toBe(false);
    expect(isSubset('::ffff:10.0.0.1', '10.0.0.0/8')).toBe(false);
    expect(isSubset('10.0.0.1', '::/0')).toBe(false);
    expect(isSubset('::1', '::/0')).toBe(true);
  });

  it('treats ISSUPERSET as the converse', () => {
    expect(isSuperset('10.0.0.0/8', '10.2.3.4')).toBe(true);
    expect(isSuperset('10.2.3.4', '10.0.0.0/8')).toBe(false);
    expect(isSuperset('garbage', '10.0.0.0/8')).toBe(false);
  });
});
