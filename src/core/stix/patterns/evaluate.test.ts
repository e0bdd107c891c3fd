import { describe, expect, it } from 'vitest';
import { PatternEvaluationError } from './errors.js';
import { likeToRegExp, matchPattern, type PatternObservation } from './evaluate.js';
import { compilePcre } from './regex.js';

const T0 = '2024-01-01T00:00:00Z';

function obs(
  objects: Record<string, unknown>[],
  first = T0,
  last = first,
  number_observed = 1,
): PatternObservation {
  return { objects, first_observed: first, last_observed: last, number_observed };
}

const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, seconds)).toISOString();

const matches = (pattern: string, observations: PatternObservation[]) =>
  matchPattern(pattern, observations).matched;

const FILE = {
  type: 'file',
  id: 'file--1',
  name: 'report.exe',
  size: 371712,
  hashes: {
    'SHA-256': 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f',
    MD5: 'cead3f77f6cda6ec00f57d76c9a6879f',
  },
  magic_number_hex: 'FFD8E0',
  mime_type: 'application/x-pdf',
  ctime: '2014-01-13T07:03:17.000Z',
  extensions: { 'windows-pebinary-ext': { pe_type: 'exe', sections: [{ entropy: 5.1 }, { entropy: 7.5 }] } },
};

describe('comparisons', () => {
  const one = [obs([FILE])];

  it('compares strings, numbers and quoted hash keys', () => {
    expect(
      matches(
        "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        one,
      ),
    ).toBe(true);
    expect(matches("[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a69faa']", one)).toBe(false);
    expect(matches('[file:size = 371712]', one)).toBe(true);
    expect(matches('[file:size = 371712.0]', one)).toBe(true);
    expect(matches("[file:size = '371712']", one)).toBe(false);
    expect(matches('[file:size > 371711 AND file:size <= 371712]', one)).toBe(true);
    expect(matches("[file:name > 'a' AND file:name < 's']", one)).toBe(true);
    expect(matches("[file:name != 'other.exe']", one)).toBe(true);
  });

  it('applies NOT to the operator but never matches a missing property', () => {
    expect(matches("[file:name NOT = 'report.exe']", one)).toBe(false);
    expect(matches("[file:name NOT = 'x']", one)).toBe(true);
    expect(matches("[file:missing NOT = 'x']", one)).toBe(false);
    expect(matches("[file:missing != 'x']", one)).toBe(false);
  });

  it('supports IN sets', () => {
    expect(matches("[file:name IN ('a.exe', 'report.exe')]", one)).toBe(true);
    expect(matches("[file:name NOT IN ('a.exe', 'report.exe')]", one)).toBe(false);
    expect(matches('[file:size IN ()]', one)).toBe(false);
    expect(matches('[file:size NOT IN ()]', one)).toBe(true);
  });

  it('supports LIKE with % and _', () => {
    expect(matches("[file:name LIKE 'rep%.exe']", one)).toBe(true);
    expect(matches("[file:name LIKE 'report._xe']", one)).toBe(true);
    expect(matches("[file:name LIKE 'report.e']", one)).toBe(false);
    expect(matches("[file:name LIKE 'REPORT%']", one)).toBe(false);
    expect(matches("[file:name NOT LIKE '%.dll']", one)).toBe(true);
    expect(likeToRegExp('a.b(c)%').test('a.b(c)\nxyz')).toBe(true);
    expect(likeToRegExp('a.b').test('axb')).toBe(false);
    expect(likeToRegExp('_').test('😀')).toBe(true);
  });

  it('supports MATCHES (searching, not anchored)', () => {
    expect(matches("[file:name MATCHES 'port\\\\.ex']", one)).toBe(true);
    expect(matches("[file:name MATCHES '^Report']", one)).toBe(false);
    expect(matches("[file:name MATCHES '(?i)^Report']", one)).toBe(true);
    expect(matches("[file:size MATCHES '37']", one)).toBe(false);
  });

  it('compares timestamps across precisions', () => {
    expect(matches("[file:ctime = t'2014-01-13T07:03:17Z']", one)).toBe(true);
    expect(matches("[file:ctime > t'2014-01-13T07:03:16.999999Z']", one)).toBe(true);
    expect(matches("[file:ctime IN (t'2014-01-13T07:03:17.000000Z')]", one)).toBe(true);
    expect(matches("[file:name = t'2014-01-13T07:03:17Z']", one)).toBe(false);
  });

  it('compares _hex and _bin properties as bytes', () => {
    expect(matches("[file:magic_number_hex = h'ffd8e0']", one)).toBe(true);
    expect(matches("[file:magic_number_hex = h'ffd8']", one)).toBe(false);
    expect(matches("[file:magic_number_hex > h'ffd8']", one)).toBe(true);
    expect(matches("[file:magic_number_hex = '\u00ff\u00d8\u00e0']", one)).toBe(true);
    const pcap = obs([
      {
        type: 'artifact',
        mime_type: 'application/vnd.tcpdump.pcap',
        payload_bin: Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 9]).toString('base64'),
      },
    ]);
    expect(
      matches(
        "[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']",
        [pcap],
      ),
    ).toBe(true);
    expect(matches("[artifact:payload_bin = b'1MOyoQIABAAJ']", [pcap])).toBe(true);
    expect(matches("[artifact:payload_bin MATCHES '\u0100']", [pcap])).toBe(false);
  });

  it('walks list indexes and [*]', () => {
    expect(matches("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]", one)).toBe(true);
    expect(matches("[file:extensions.'windows-pebinary-ext'.sections[0].entropy > 7.0]", one)).toBe(false);
    expect(matches("[file:extensions.'windows-pebinary-ext'.sections[1].entropy > 7.0]", one)).toBe(true);
    expect(matches("[file:extensions.'windows-pebinary-ext'.sections[2].entropy > 0]", one)).toBe(false);
    expect(matches("[file:extensions.'windows-pebinary-ext'.sections.entropy > 0]", one)).toBe(false);
  });

  it('supports EXISTS', () => {
    expect(matches('[EXISTS file:mime_type]', one)).toBe(true);
    expect(matches('[EXISTS file:parent_directory_ref]', one)).toBe(false);
  });

  it('requires AND-ed comparisons to hold for the same object; OR takes either', () => {
    const two = [
      obs([
        { type: 'file', name: 'a.exe', size: 1 },
        { type: 'file', name: 'b.exe', size: 2 },
      ]),
    ];
    expect(matches("[file:name = 'a.exe' AND file:size = 1]", two)).toBe(true);
    expect(matches("[file:name = 'a.exe' AND file:size = 2]", two)).toBe(false);
    expect(matches("[file:name = 'a.exe' OR file:size = 2]", two)).toBe(true);
    expect(matches("[(file:name = 'a.exe' OR file:name = 'b.exe') AND file:size = 2]", two)).toBe(true);
    expect(
      matches("[file:name = 'a.exe' AND url:value = 'x']", [
        obs([
          { type: 'file', name: 'a.exe' },
          { type: 'url', value: 'x' },
        ]),
      ]),
    ).toBe(false);
  });

  it('normalises strings to NFC before comparing', () => {
    const decomposed = obs([{ type: 'file', name: 'cafe\u0301.txt' }]);
    expect(matches("[file:name = 'caf\u00e9.txt']", [decomposed])).toBe(true);
  });
});

describe('references', () => {
  const email = obs([
    {
      type: 'email-message',
      id: 'email-message--1',
      is_multipart: true,
      from_ref: 'email-addr--1',
      sender_ref: 'email-addr--2',
      subject: 'Conference Info',
      body_multipart: [{ body_raw_ref: 'file--1' }, { body: 'hi' }],
    },
    { type: 'email-addr', id: 'email-addr--1', value: 'jdoe@example.com' },
    { type: 'email-addr', id: 'email-addr--2', value: 'boss@example.org' },
    { type: 'file', id: 'file--1', name: 'Final Report 2024.exe' },
  ]);

  it('dereferences _ref properties within the observation', () => {
    expect(
      matches(
        "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
        [email],
      ),
    ).toBe(true);
    expect(
      matches(
        "[email-message:sender_ref.value = 'jdoe@example.com' AND email-message:subject = 'Conference Info']",
        [email],
      ),
    ).toBe(false);
    expect(
      matches(
        "[email-message:sender_ref.value = 'boss@example.org' AND email-message:subject = 'Conference Info']",
        [email],
      ),
    ).toBe(true);
    expect(matches("[email-message:from_ref = 'email-addr--1']", [email])).toBe(false);
  });

  it('dereferences _refs lists and network traffic endpoints', () => {
    const net = obs([
      { type: 'network-traffic', id: 'nt', dst_ref: 'ip6', src_ref: 'missing', protocols: ['tcp'] },
      { type: 'ipv6-addr', id: 'ip6', value: '2001:db8:dead:beef::1' },
      { type: 'domain-name', id: 'd', value: 'www.5z8.info', resolves_to_refs: ['ip4', 'gone'] },
      { type: 'ipv4-addr', id: 'ip4', value: '198.51.100.1' },
    ]);
    expect(
      matches("[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']", [net]),
    ).toBe(true);
    expect(matches("[network-traffic:dst_ref.type = 'ipv6-addr']", [net])).toBe(true);
    expect(matches("[network-traffic:src_ref.value = 'x']", [net])).toBe(false);
    expect(
      matches(
        "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value ISSUBSET '198.51.100.1/32']",
        [net],
      ),
    ).toBe(true);
    expect(matches("[domain-name:resolves_to_refs[1].value = '198.51.100.1']", [net])).toBe(false);
    expect(matches("[network-traffic:protocols[*] = 'tcp']", [net])).toBe(true);
  });

  it('resolves STIX 2.0 style dictionaries of objects by key', () => {
    const old = {
      objects: {
        0: { type: 'email-addr', value: 'a@example.com' },
        1: { type: 'email-message', from_ref: '0' },
      },
      first_observed: T0,
      last_observed: T0,
      number_observed: 1,
    };
    expect(matches("[email-message:from_ref.value = 'a@example.com']", [old])).toBe(true);
  });
});

describe('observation operators and qualifiers', () => {
  const fileObs = (name: string, s: number, n = 1, last = s) =>
    obs([{ type: 'file', name }], at(s), at(last), n);
  const pattern = (p: string, observations: PatternObservation[]) => matchPattern(p, observations);

  it('AND needs distinct observations', () => {
    expect(matches("[file:name = 'a'] AND [file:name = 'a']", [fileObs('a', 0)])).toBe(false);
    expect(matches("[file:name = 'a'] AND [file:name = 'a']", [fileObs('a', 0), fileObs('a', 5)])).toBe(true);
    expect(matches("[file:name = 'a'] AND [file:name = 'b']", [fileObs('a', 0), fileObs('b', 5)])).toBe(true);
    expect(matches("[file:name = 'a'] AND [file:name = 'c']", [fileObs('a', 0), fileObs('b', 5)])).toBe(
      false,
    );
  });

  it('OR matches either side and reports which observations matched', () => {
    const r = pattern("[file:name = 'x'] OR [file:name = 'b']", [fileObs('a', 0), fileObs('b', 5)]);
    expect(r.matched).toBe(true);
    expect(r.observations).toEqual([1]);
  });

  it('FOLLOWEDBY respects order', () => {
    const p = "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']";
    expect(pattern(p, [fileObs('a', 0), fileObs('b', 5)]).observations).toEqual([0, 1]);
    expect(matches(p, [fileObs('b', 0), fileObs('a', 5)])).toBe(false);
    expect(matches(p, [fileObs('b', 0, 1, 10), fileObs('a', 5)])).toBe(true);
    expect(matches(p, [fileObs('a', 5), fileObs('b', 5)])).toBe(true);
  });

  it('WITHIN limits the span of the bound observations', () => {
    const p = "([file:name = 'a'] FOLLOWEDBY [file:name = 'b']) WITHIN 300 SECONDS";
    expect(matches(p, [fileObs('a', 0), fileObs('b', 300)])).toBe(true);
    expect(matches(p, [fileObs('a', 0), fileObs('b', 301)])).toBe(false);
    expect(matches(p, [fileObs('a', 0), fileObs('b', 301), fileObs('b', 200)])).toBe(true);
    expect(matches("[file:name = 'a'] WITHIN 0.5 SECONDS", [fileObs('a', 0)])).toBe(true);
  });

  it('REPEATS counts distinct observations, including number_observed', () => {
    const p = "[file:name = 'a'] REPEATS 3 TIMES";
    expect(matches(p, [fileObs('a', 0), fileObs('a', 1)])).toBe(false);
    expect(matches(p, [fileObs('a', 0), fileObs('a', 1), fileObs('a', 2)])).toBe(true);
    expect(matches(p, [fileObs('a', 0, 3)])).toBe(true);
    expect(matches(p, [fileObs('a', 0, 999_999_999)])).toBe(true);
  });

  it('REPEATS … WITHIN finds a window among many observations', () => {
    const p =
      "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS";
    const hit = (s: number) =>
      obs(
        [
          { type: 'network-traffic', id: 'n', dst_ref: 'd', protocols: ['tcp'] },
          { type: 'domain-name', id: 'd', value: 'example.com' },
        ],
        at(s),
      );
    const spread = Array.from({ length: 40 }, (_, i) => hit(i * 1000));
    expect(matches(p, spread)).toBe(false);
    const burst = [...spread, hit(100_000), hit(100_100), hit(100_200), hit(100_300)];
    expect(matches(p, burst)).toBe(false);
    burst.push(hit(101_800));
    expect(matches(p, burst)).toBe(true);
  });

  it('START/STOP includes the start and excludes the stop', () => {
    const p = "[file:name = 'a'] START t'2024-01-01T00:01:00Z' STOP t'2024-01-01T00:02:00Z'";
    expect(matches(p, [fileObs('a', 60)])).toBe(true);
    expect(matches(p, [fileObs('a', 119)])).toBe(true);
    expect(matches(p, [fileObs('a', 120)])).toBe(false);
    expect(matches(p, [fileObs('a', 0, 1, 59)])).toBe(false);
    expect(matches(p, [fileObs('a', 0, 1, 60)])).toBe(true);
    expect(
      matches("[file:name = 'a'] START t'2024-01-01T00:02:00Z' STOP t'2024-01-01T00:01:00Z'", [
        fileObs('a', 90),
      ]),
    ).toBe(false);
  });

  it('matches the spec example combining AND and OR', () => {
    const p =
      "([file:name = 'foo.dll'] AND [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR [process:name = 'fooproc' OR process:name = 'procfoo']";
    expect(matches(p, [obs([{ type: 'process', name: 'procfoo' }])])).toBe(true);
    expect(matches(p, [obs([{ type: 'file', name: 'foo.dll' }])])).toBe(false);
    expect(
      matches(p, [
        obs([{ type: 'file', name: 'foo.dll' }]),
        obs([{ type: 'win-registry-key', key: 'HKEY_LOCAL_MACHINE\\foo\\bar' }]),
      ]),
    ).toBe(true);
  });

  it('caps the number of bindings', () => {
    const many = Array.from({ length: 30 }, (_, i) => fileObs('a', i));
    const r = matchPattern("[file:name = 'a'] AND [file:name = 'a']", many, { maxBindings: 7 });
    expect(r.matched).toBe(true);
    expect(r.bindings).toHaveLength(7);
  });

  it('matches nothing against no observations', () => {
    expect(pattern("[file:name = 'a']", [])).toEqual({ matched: false, observations: [], bindings: [] });
  });
});

describe('errors', () => {
  it('rejects bad observation data', () => {
    expect(() => matchPattern("[file:name = 'a']", [obs([], 'yesterday')])).toThrow(PatternEvaluationError);
    expect(() => matchPattern("[file:name = 'a']", [obs([], at(5), at(0))])).toThrow(/ends before/);
    expect(() => matchPattern("[file:name = 'a']", [obs([], T0, T0, 0)])).toThrow(/number_observed/);
  });

  it('rejects MATCHES regexes JavaScript cannot run, before matching', () => {
    expect(() => matchPattern("[file:name MATCHES 'a\\\\Kb']", [])).toThrow(PatternEvaluationError);
    expect(() => matchPattern("[file:name MATCHES '(?>a)']", [])).toThrow(/not supported/);
    expect(() => matchPattern("[file:name MATCHES '(?x) a']", [])).toThrow(/inline flag/);
  });
});

describe('PCRE translation', () => {
  it('gives $ the PCRE meaning (end or before a final newline)', () => {
    expect(compilePcre('abc$').test('abc\n')).toBe(true);
    expect(compilePcre('abc$').test('abc\nx')).toBe(false);
    expect(compilePcre('abc\\z').test('abc\n')).toBe(false);
    expect(compilePcre('abc\\Z').test('abc\n')).toBe(true);
    expect(compilePcre('\\Aabc').test('x\nabc')).toBe(false);
    expect(compilePcre('(?m)^abc$').test('x\nabc\ny')).toBe(true);
  });

  it('translates \\Q…\\E, \\h, \\v, POSIX classes and named groups', () => {
    expect(compilePcre('\\Qa.b*c\\E').test('a.b*c')).toBe(true);
    expect(compilePcre('\\Qa.b*c\\E').test('axbbc')).toBe(false);
    expect(compilePcre('a\\hb').test('a\tb')).toBe(true);
    expect(compilePcre('a\\vb').test('a\nb')).toBe(true);
    expect(compilePcre('^[[:digit:]]+$').test('123')).toBe(true);
    expect(compilePcre('^[[:alpha:]_]+$').test('ab_c')).toBe(true);
    expect(compilePcre('(?P<x>a)(?P=x)').test('aa')).toBe(true);
    expect(compilePcre('[]a]').test(']')).toBe(true);
    expect(compilePcre('(?is)^a.b').test('A\nB')).toBe(true);
    expect(compilePcre('.+\\@example\\.com$').test('jdoe@example.com')).toBe(true);
  });
});
