import { describe, expect, it } from 'vitest';
import { buildCpeSuggestIndex, normalizeName, normalizeVendor, suggestCpes } from './suggest.js';

const dictionary = [
  'a:microsoft:exchange_server',
  'a:microsoft:internet_explorer',
  'o:microsoft:windows_10',
  'a:apache:http_server',
  'a:apache:tomcat',
  'a:openssl:openssl',
  'h:siemens:simatic_s7-1500_cpu_1518-4_pn\\/dp',
  'a:siemens:simatic_wincc',
  'a:trendmicro:officescan',
  'a:cisco:ios',
  'o:cisco:ios_xe',
  { vendor: 'rockwellautomation', product: 'factorytalk_view', count: 12 },
];

describe('normalisation', () => {
  it('lowercases, turns spaces into _ and drops corporate suffixes', () => {
    expect(normalizeName('Exchange Server')).toBe('exchange_server');
    expect(normalizeName('  HTTP   Server ')).toBe('http_server');
    expect(normalizeVendor('Siemens AG')).toBe('siemens');
    expect(normalizeVendor('Cisco Systems, Inc.')).toBe('cisco');
    expect(normalizeVendor('Microsoft Corporation')).toBe('microsoft');
    expect(normalizeVendor('Trend Micro Inc')).toBe('trend_micro');
    expect(normalizeVendor('Systems')).toBe('systems');
    expect(normalizeName('Société Générale')).toBe('societe_generale');
  });
});

describe('CPE suggestions', () => {
  const index = buildCpeSuggestIndex(dictionary);

  it('finds the exact pair first', () => {
    const r = index.suggest('Microsoft Corporation', 'Microsoft Exchange Server');
    expect(r[0].prefix).toBe('cpe:2.3:a:microsoft:exchange_server');
    expect(r[0].score).toBeGreaterThan(0.9);
    expect(r[0].reasons).toContain('vendor matches');
  });

  it('joins split words and tolerates spacing', () => {
    expect(index.suggest('Trend Micro Inc', 'OfficeScan')[0].product).toBe('officescan');
    expect(index.suggest('OpenSSL Project', 'Open SSL')[0].prefix).toBe('cpe:2.3:a:openssl:openssl');
    expect(index.suggest('Rockwell Automation', 'FactoryTalk View SE')[0].vendor).toBe('rockwellautomation');
  });

  it('ranks partial product matches and keeps the part', () => {
    const r = index.suggest('Cisco', 'IOS XE');
    expect(r[0].prefix).toBe('cpe:2.3:o:cisco:ios_xe');
    expect(r.map((x) => x.product)).toContain('ios');
    const s = index.suggest('Siemens', 'SIMATIC S7-1500');
    expect(s[0].part).toBe('h');
  });

  it('returns nothing for empty or unrelated text', () => {
    expect(index.suggest('', '')).toEqual([]);
    expect(index.suggest('Nobody', 'Nothing')).toEqual([]);
  });

  it('merges duplicates and offers a one-off helper', () => {
    expect(buildCpeSuggestIndex(['a:x:y', 'a:x:y', 'x:y']).size).toBe(1);
    expect(suggestCpes('apache', 'tomcat', dictionary, 1)[0].product).toBe('tomcat');
  });

  it('finds the right entry among 100k', () => {
    const big: string[] = [];
    for (let v = 0; v < 5000; v++) {
      for (let p = 0; p < 20; p++) big.push(`a:vendor${v}_labs:product_${p}_server_${v % 97}`);
    }
    big.push('a:microsoft:exchange_server');
    const idx = buildCpeSuggestIndex(big);
    expect(idx.suggest('Microsoft', 'Exchange Server')[0]).toMatchObject({
      vendor: 'microsoft',
      product: 'exchange_server',
    });
    expect(idx.suggest('Vendor343 Labs', 'Product 9 Server')[0].vendor).toBe('vendor343_labs');
    expect(idx.size).toBe(100_001);
  });
});
