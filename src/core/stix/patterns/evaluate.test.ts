import { describe, expect, it } from 'vitest';
import { SPEC_PATTERN_EXAMPLES, specPattern } from './__fixtures__/spec-examples.js';
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

  it('compares strings by code point without normalizing; LIKE and MATCHES normalize to NFC', () => {
    // Section 9.6.2: "Unicode normalization MUST NOT be performed" for = != < > <= >=.
    const decomposed = [obs([{ type: 'file', name: 'cafe\u0301.txt' }])];
    expect(matches("[file:name = 'caf\u00e9.txt']", decomposed)).toBe(false);
    expect(matches("[file:name != 'caf\u00e9.txt']", decomposed)).toBe(true);
    expect(matches("[file:name IN ('caf\u00e9.txt')]", decomposed)).toBe(false);
    expect(matches("[file:name = 'cafe\u0301.txt']", decomposed)).toBe(true);
    // 'e' U+0065 + U+0301 sorts before 'é' U+00E9 by code point.
    expect(matches("[file:name < 'caf\u00e9.txt']", decomposed)).toBe(true);
    expect(matches("[file:name LIKE 'caf\u00e9%']", decomposed)).toBe(true);
    expect(matches("[file:name MATCHES '^caf\u00e9\\\\.']", decomposed)).toBe(true);
  });

  it('MATCHES uses DOTALL', () => {
    const multiline = [obs([{ type: 'file', name: 'a\nb' }])];
    expect(matches("[file:name MATCHES '^a.b$']", multiline)).toBe(true);
    expect(matches("[file:name MATCHES '^a..b$']", multiline)).toBe(false);
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
    expect(matches("[domain-name:resolves_to_refs[0].value = '198.51.100.1']", [net])).toBe(true);
    expect(matches("[network-traffic:protocols[*] = 'tcp']", [net])).toBe(true);
  });

  it('counts list positions as written when a reference in a _refs list does not resolve', () => {
    const net = obs([
      { type: 'domain-name', value: 'example.com', resolves_to_refs: ['ipv4-addr--gone', 'ipv4-addr--1'] },
      { type: 'ipv4-addr', id: 'ipv4-addr--1', value: '198.51.100.1' },
    ]);
    expect(matches("[domain-name:resolves_to_refs[1].value = '198.51.100.1']", [net])).toBe(true);
    expect(matches("[domain-name:resolves_to_refs[0].value = '198.51.100.1']", [net])).toBe(false);
    expect(matches("[domain-name:resolves_to_refs[0].value != '198.51.100.1']", [net])).toBe(false);
    expect(matches("[domain-name:resolves_to_refs[*].value = '198.51.100.1']", [net])).toBe(true);
  });

  it('compares IPv6 blocks with ISSUBSET and ISSUPERSET', () => {
    const block = (value: string) => [obs([{ type: 'ipv6-addr', value }])];
    expect(
      matches("[ipv6-addr:value ISSUPERSET '2001:db8:dead:beef::1']", block('2001:db8:dead:beef::/64')),
    ).toBe(true);
    expect(
      matches("[ipv6-addr:value ISSUPERSET '2001:db8:dead:beef::/64']", block('2001:db8:dead:beef::/64')),
    ).toBe(true);
    expect(
      matches("[ipv6-addr:value ISSUPERSET '2001:db8:dead:beef:8000::1']", block('2001:db8:dead:beef::/65')),
    ).toBe(false);
    expect(
      matches("[ipv6-addr:value ISSUPERSET '2001:db8:dead:beee::/63']", block('2001:db8:dead:beef::/64')),
    ).toBe(false);
    expect(
      matches("[ipv6-addr:value ISSUBSET '::ffff:198.51.100.0/120']", block('::ffff:198.51.100.7')),
    ).toBe(true);
    expect(matches("[ipv6-addr:value ISSUBSET '198.51.100.0/24']", block('::ffff:198.51.100.7'))).toBe(false);
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
    expect(matches(p, [fileObs('a', 0), fileObs('b', 299)])).toBe(true);
    // Section 9.5.1: the latest must be earlier than the earliest plus the window, not equal to it.
    expect(matches(p, [fileObs('a', 0), fileObs('b', 300)])).toBe(false);
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
    expect(matches(p, burst)).toBe(false);
    burst.push(hit(101_799));
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

  it('scopes qualifiers as section 9.5.2 describes', () => {
    const b = (s: number) => fileObs('b', s);
    const c = (s: number) => fileObs('c', s);
    // REPEATS binds to [c] only: one b, then three c's all after it.
    const right = "[file:name = 'b'] FOLLOWEDBY [file:name = 'c'] REPEATS 3 TIMES";
    expect(pattern(right, [b(0), c(1), c(2), c(3)]).observations).toEqual([0, 1, 2, 3]);
    expect(matches(right, [c(0), b(1), c(2), c(3)])).toBe(false);
    // With parentheses it repeats the pair: three b's, each followed by a c.
    const pairs = "([file:name = 'b'] FOLLOWEDBY [file:name = 'c']) REPEATS 3 TIMES";
    expect(matches(pairs, [b(0), c(1), c(2), c(3)])).toBe(false);
    expect(matches(pairs, [b(0), c(1), b(2), c(3), b(4), c(5)])).toBe(true);
    expect(matches(pairs, [c(0), b(1), c(2), b(3), c(4), b(5)])).toBe(false);
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

/*
 * Every example pattern of STIX 2.1 section 9.8, evaluated against observed data built for it: observation sets
 * that match and the closest ones that must not. The list of examples comes from one fixture module, shared
 * with parser.test.ts; the test below fails if an example has no cases here.
 */
describe('STIX 2.1 example patterns against observed data', () => {
  interface Case {
    why: string;
    observations: PatternObservation[];
    /** Observations (input indexes) the first binding must use. */
    bound?: number[];
  }
  interface ExampleCase {
    title: string;
    matches: Case[];
    misses: Case[];
  }

  const SHA256_A = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f';
  const SHA256_B = 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c';
  const MD5_C = 'cead3f77f6cda6ec00f57d76c9a6879f';
  const MD5_REG = '79054025255fb1a26e4bc422aef54eb4';
  const REG_KEY = 'HKEY_LOCAL_MACHINE\\foo\\bar';
  const PCAP_LE = [0xd4, 0xc3, 0xb2, 0xa1, 0x02, 0x00, 0x04, 0x00];
  const ROOT_CMD = 'certmgr.exe >-add GlobalSign.cer -c -s -r localMachine Root';
  const PUBLISHER_CMD = 'certmgr.exe >-add GlobalSign.cer -c -s -r localMachineTrustedPublisher';

  const file = (props: Record<string, unknown>) => ({ type: 'file', ...props });
  const email = (from: string, attachment: string, referenced = true) =>
    obs([
      {
        type: 'email-message',
        id: 'email-message--1',
        is_multipart: true,
        from_ref: 'email-addr--1',
        body_multipart: [
          { content_type: 'text/plain', body: 'See the attachment.' },
          { content_type: 'application/octet-stream', body_raw_ref: referenced ? 'file--1' : 'file--2' },
        ],
      },
      { type: 'email-addr', id: 'email-addr--1', value: from },
      { type: 'file', id: 'file--1', name: attachment },
      { type: 'file', id: 'file--2', name: 'notes.txt' },
    ]);
  const account = (userId: string, login: string, accountType = 'unix') => ({
    type: 'user-account',
    account_type: accountType,
    user_id: userId,
    account_login: login,
  });
  const artifact = (bytes: number[], mime = 'application/vnd.tcpdump.pcap') =>
    obs([{ type: 'artifact', mime_type: mime, payload_bin: Buffer.from(bytes).toString('base64') }]);
  const dll = (referenced: string) =>
    obs([
      file({ id: 'file--1', name: 'foo.dll', parent_directory_ref: referenced }),
      { type: 'directory', id: 'directory--1', path: 'C:\\Windows\\System32' },
      { type: 'directory', id: 'directory--2', path: 'C:\\Windows\\SysWOW64' },
    ]);
  const traffic = (src: Record<string, unknown>, dst: Record<string, unknown>, s = 0, n = 1) =>
    obs(
      [
        {
          type: 'network-traffic',
          id: 'network-traffic--1',
          src_ref: 'src',
          dst_ref: 'dst',
          protocols: ['tcp'],
        },
        { ...src, id: 'src' },
        { ...dst, id: 'dst' },
      ],
      at(s),
      at(s),
      n,
    );
  const ipv4 = (value: string) => ({ type: 'ipv4-addr', value });
  const ipv6 = (value: string) => ({ type: 'ipv6-addr', value });
  const beacon = (s: number, domain = 'example.com', n = 1) =>
    traffic(ipv4('192.0.2.10'), { type: 'domain-name', value: domain }, s, n);
  const resolving = (refs: string[], name = 'www.5z8.info') =>
    obs([
      { type: 'domain-name', id: 'domain-name--1', value: name, resolves_to_refs: refs },
      { type: 'ipv4-addr', id: 'ipv4-addr--1', value: '198.51.100.2/32' },
      { type: 'ipv4-addr', id: 'ipv4-addr--2', value: '198.51.100.1/32' },
    ]);
  const one = (object: Record<string, unknown>, s = 0) => obs([object], at(s));
  const sender = (senderValue: string, fromValue: string, subject = 'Conference Info') =>
    obs([
      {
        type: 'email-message',
        is_multipart: false,
        sender_ref: 'email-addr--s',
        from_ref: 'email-addr--f',
        subject,
      },
      { type: 'email-addr', id: 'email-addr--s', value: senderValue },
      { type: 'email-addr', id: 'email-addr--f', value: fromValue },
    ]);
  const process = (s: number, commandLine: string) => one({ type: 'process', command_line: commandLine }, s);
  const launched = (image: string) =>
    obs([
      { type: 'process', id: 'process--1', pid: 4242, image_ref: 'file--img' },
      file({ id: 'file--img', name: image }),
    ]);

  const CASES: ExampleCase[] = [
    {
      title: 'Matching a File with a SHA-256 hash',
      matches: [
        { why: 'the file has the hash', observations: [one(file({ hashes: { 'SHA-256': SHA256_A } }))] },
      ],
      misses: [
        {
          why: 'the last hex digit differs',
          observations: [one(file({ hashes: { 'SHA-256': `${SHA256_A.slice(0, -1)}e` } }))],
        },
        {
          why: 'the same value under another hash key',
          observations: [one(file({ hashes: { 'SHA-1': SHA256_A } }))],
        },
      ],
    },
    {
      title:
        'Matching an Email Message with a particular From Email Address and Attachment File Name Using a Regular Expression',
      matches: [
        {
          why: 'sender at example.com, attachment in the second MIME part ([*] tries every part)',
          observations: [email('jdoe@example.com', 'Final Report 2024.exe')],
        },
      ],
      misses: [
        {
          why: 'the address ends one letter short',
          observations: [email('jdoe@example.co', 'Final Report 2024.exe')],
        },
        {
          why: "'.+' needs at least one character between 'Final Report' and '.exe'",
          observations: [email('jdoe@example.com', 'Final Report.exe')],
        },
        {
          why: 'the matching file is in the observation but no MIME part references it',
          observations: [email('jdoe@example.com', 'Final Report 2024.exe', false)],
        },
      ],
    },
    {
      title: 'Matching a File with a SHA-256 hash and a PDF MIME type',
      matches: [
        {
          why: 'one file with both',
          observations: [one(file({ hashes: { 'SHA-256': SHA256_A }, mime_type: 'application/x-pdf' }))],
        },
      ],
      misses: [
        {
          why: 'another PDF MIME type',
          observations: [one(file({ hashes: { 'SHA-256': SHA256_A }, mime_type: 'application/pdf' }))],
        },
        {
          why: 'hash and MIME type on two different files of one observation',
          observations: [
            obs([file({ hashes: { 'SHA-256': SHA256_A } }), file({ mime_type: 'application/x-pdf' })]),
          ],
        },
      ],
    },
    {
      title:
        'Matching a File with SHA-256 or a MD5 hash (e.g., for the case of two different end point tools generating either an MD5 or a SHA-256), and a different File that has a different SHA-256 hash, against two different Observations',
      matches: [
        {
          why: 'MD5 in one observation, the other SHA-256 in another',
          observations: [
            one(file({ hashes: { MD5: MD5_C } })),
            one(file({ hashes: { 'SHA-256': SHA256_A } }), 5),
          ],
          bound: [0, 1],
        },
        {
          why: 'the first SHA-256 instead of the MD5, observations in any order',
          observations: [
            one(file({ hashes: { 'SHA-256': SHA256_A } })),
            one(file({ hashes: { 'SHA-256': SHA256_B } }), 5),
          ],
          bound: [0, 1],
        },
      ],
      misses: [
        {
          why: 'both files in one observation (AND needs two different observations)',
          observations: [obs([file({ hashes: { MD5: MD5_C } }), file({ hashes: { 'SHA-256': SHA256_A } })])],
        },
        {
          why: 'the MD5 differs in its last digit',
          observations: [
            one(file({ hashes: { MD5: `${MD5_C.slice(0, -1)}e` } })),
            one(file({ hashes: { 'SHA-256': SHA256_A } }), 5),
          ],
        },
      ],
    },
    {
      title:
        'Matching a File with a MD5 hash, followed by (temporally) a Registry Key object that matches a value, within 5 minutes',
      matches: [
        {
          why: 'the key 299 s after the file',
          observations: [
            one(file({ hashes: { MD5: MD5_REG } })),
            one({ type: 'windows-registry-key', key: REG_KEY }, 299),
          ],
          bound: [0, 1],
        },
        {
          why: 'at the same instant (FOLLOWEDBY is >=)',
          observations: [
            one({ type: 'windows-registry-key', key: REG_KEY }),
            one(file({ hashes: { MD5: MD5_REG } })),
          ],
          bound: [0, 1],
        },
        {
          why: 'a file seen from 0 to 100 s, the key at 350 s: 250 s apart at the closest',
          observations: [
            obs([file({ hashes: { MD5: MD5_REG } })], at(0), at(100)),
            one({ type: 'windows-registry-key', key: REG_KEY }, 350),
          ],
        },
      ],
      misses: [
        {
          why: 'the key exactly 300 s after the file (the window excludes its end)',
          observations: [
            one(file({ hashes: { MD5: MD5_REG } })),
            one({ type: 'windows-registry-key', key: REG_KEY }, 300),
          ],
        },
        {
          why: 'the key one second before the file',
          observations: [
            one({ type: 'windows-registry-key', key: REG_KEY }, 9),
            one(file({ hashes: { MD5: MD5_REG } }), 10),
          ],
        },
        {
          why: 'the STIX 2.0 type name win-registry-key',
          observations: [
            one(file({ hashes: { MD5: MD5_REG } })),
            one({ type: 'win-registry-key', key: REG_KEY }, 1),
          ],
        },
      ],
    },
    {
      title: 'Matching three different, but specific Unix User Accounts',
      matches: [
        {
          why: 'three observations, one account each',
          observations: [
            one(account('1007', 'Peter')),
            one(account('1008', 'Paul'), 1),
            one(account('1009', 'Mary'), 2),
          ],
          bound: [0, 1, 2],
        },
      ],
      misses: [
        {
          why: "Mary's account is not a unix account",
          observations: [
            one(account('1007', 'Peter')),
            one(account('1008', 'Paul'), 1),
            one(account('1009', 'Mary', 'windows-local'), 2),
          ],
        },
        {
          why: 'all three accounts in a single observation',
          observations: [obs([account('1007', 'Peter'), account('1008', 'Paul'), account('1009', 'Mary')])],
        },
        {
          why: "Mary's id and login on two different accounts",
          observations: [
            one(account('1007', 'Peter')),
            one(account('1008', 'Paul'), 1),
            obs([account('1009', 'mary2'), account('1010', 'Mary')], at(2)),
          ],
        },
      ],
    },
    {
      title: 'Matching an Artifact object PCAP payload header',
      matches: [
        {
          why: 'a little-endian pcap 2.4 header',
          observations: [artifact([...PCAP_LE, 0, 0, 0, 0, 0xff, 0xff])],
        },
        {
          why: 'MATCHES searches: the bytes may follow others',
          observations: [artifact([0x0a, ...PCAP_LE])],
        },
      ],
      misses: [
        {
          why: 'version 2.3: one byte differs',
          observations: [artifact([0xd4, 0xc3, 0xb2, 0xa1, 0x02, 0x00, 0x03, 0x00])],
        },
        {
          why: 'big-endian magic number',
          observations: [artifact([0xa1, 0xb2, 0xc3, 0xd4, 0x00, 0x02, 0x00, 0x04])],
        },
        { why: 'another MIME type', observations: [artifact(PCAP_LE, 'application/octet-stream')] },
      ],
    },
    {
      title: 'Matching a File object with a Windows file path',
      matches: [
        { why: 'the parent directory reference resolves to System32', observations: [dll('directory--1')] },
      ],
      misses: [
        {
          why: 'the file is in SysWOW64 (System32 is in the observation, but not its parent)',
          observations: [dll('directory--2')],
        },
        { why: 'the reference does not resolve', observations: [dll('directory--9')] },
      ],
    },
    {
      title: 'Matching on a Windows PE File with high section entropy',
      matches: [
        {
          why: 'the second section is above 7.0',
          observations: [
            one(
              file({
                extensions: {
                  'windows-pebinary-ext': { pe_type: 'exe', sections: [{ entropy: 5.1 }, { entropy: 7.5 }] },
                },
              }),
            ),
          ],
        },
      ],
      misses: [
        {
          why: '7.0 is not greater than 7.0',
          observations: [
            one(
              file({
                extensions: {
                  'windows-pebinary-ext': { pe_type: 'exe', sections: [{ entropy: 7.0 }, { entropy: 6.2 }] },
                },
              }),
            ),
          ],
        },
        {
          why: 'an entropy written as a string is not a number',
          observations: [
            one(file({ extensions: { 'windows-pebinary-ext': { sections: [{ entropy: '7.5' }] } } })),
          ],
        },
      ],
    },
    {
      title: 'Matching on a mismatch between a File object magic number and mime type',
      matches: [
        {
          why: 'a JPEG magic number (hex digits in any case) on a BMP',
          observations: [one(file({ mime_type: 'image/bmp', magic_number_hex: 'FFD8' }))],
        },
      ],
      misses: [
        {
          why: 'a longer magic number is not equal',
          observations: [one(file({ mime_type: 'image/bmp', magic_number_hex: 'FFD8FF' }))],
        },
        {
          why: 'one byte differs',
          observations: [one(file({ mime_type: 'image/bmp', magic_number_hex: 'FFD9' }))],
        },
        {
          why: 'really a JPEG',
          observations: [one(file({ mime_type: 'image/jpeg', magic_number_hex: 'FFD8' }))],
        },
      ],
    },
    {
      title: 'Matching on Network Traffic with a particular destination',
      matches: [
        {
          why: 'the destination is that address',
          observations: [traffic(ipv4('198.51.100.7'), ipv4('203.0.113.33/32'))],
        },
      ],
      misses: [
        {
          why: 'it is the source, not the destination',
          observations: [traffic(ipv4('203.0.113.33/32'), ipv4('198.51.100.7'))],
        },
        {
          why: "'=' compares the strings exactly; the address without /32 is another string (ISSUBSET compares addresses)",
          observations: [traffic(ipv4('198.51.100.7'), ipv4('203.0.113.33'))],
        },
        {
          why: 'the destination is an IPv6 address object',
          observations: [traffic(ipv4('198.51.100.7'), ipv6('203.0.113.33/32'))],
        },
      ],
    },
    {
      title: 'Matching on Malware Beaconing to a Domain Name',
      matches: [
        {
          why: 'five beacons within 1799 s',
          observations: [beacon(0), beacon(400), beacon(800), beacon(1200), beacon(1799)],
          bound: [0, 1, 2, 3, 4],
        },
        {
          why: 'one observed-data record with number_observed 5',
          observations: [beacon(0, 'example.com', 5)],
        },
      ],
      misses: [
        { why: 'four beacons: one short', observations: [beacon(0), beacon(400), beacon(800), beacon(1200)] },
        {
          why: 'the fifth beacon exactly 1800 s after the first',
          observations: [beacon(0), beacon(400), beacon(800), beacon(1200), beacon(1800)],
        },
        {
          why: 'one record with number_observed 4 and a fifth beacon to another domain',
          observations: [beacon(0, 'example.com', 4), beacon(10, 'example.org')],
        },
      ],
    },
    {
      title: 'Matching on a Domain Name with IPv4 Resolution',
      matches: [
        {
          why: 'the second resolved address (any list element)',
          observations: [resolving(['ipv4-addr--1', 'ipv4-addr--2'])],
        },
      ],
      misses: [
        {
          why: 'the address is in the observation, but the domain does not resolve to it',
          observations: [resolving(['ipv4-addr--1'])],
        },
        { why: 'the reference does not resolve', observations: [resolving(['ipv4-addr--9'])] },
        { why: 'another domain name', observations: [resolving(['ipv4-addr--2'], 'www.5z8.info.')] },
      ],
    },
    {
      title: 'Matching on a URL',
      matches: [
        { why: 'the first URL', observations: [one({ type: 'url', value: 'http://example.com/foo' })] },
        { why: 'the second URL', observations: [one({ type: 'url', value: 'http://example.com/bar' })] },
      ],
      misses: [
        { why: 'a trailing slash', observations: [one({ type: 'url', value: 'http://example.com/foo/' })] },
        { why: 'https', observations: [one({ type: 'url', value: 'https://example.com/bar' })] },
      ],
    },
    {
      title: 'Matching on an X509 Certificate',
      matches: [
        {
          why: 'issuer and serial on one certificate',
          observations: [
            one({
              type: 'x509-certificate',
              issuer: 'CN=WEBMAIL',
              serial_number: '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28',
            }),
          ],
        },
      ],
      misses: [
        {
          why: 'the serial differs in its last digit',
          observations: [
            one({
              type: 'x509-certificate',
              issuer: 'CN=WEBMAIL',
              serial_number: '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:29',
            }),
          ],
        },
        {
          why: 'issuer and serial on two certificates of one observation',
          observations: [
            obs([
              { type: 'x509-certificate', issuer: 'CN=WEBMAIL', serial_number: '01' },
              {
                type: 'x509-certificate',
                issuer: 'CN=Other',
                serial_number: '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28',
              },
            ]),
          ],
        },
      ],
    },
    {
      title: 'Matching on a Windows Registry Key',
      matches: [
        {
          why: 'the first key',
          observations: [
            one({ type: 'windows-registry-key', key: 'HKEY_CURRENT_USER\\Software\\CryptoLocker\\Files' }),
          ],
        },
        {
          why: 'the second key',
          observations: [
            one({
              type: 'windows-registry-key',
              key: 'HKEY_CURRENT_USER\\Software\\Microsoft\\CurrentVersion\\Run\\CryptoLocker_0388',
            }),
          ],
        },
      ],
      misses: [
        {
          why: 'one character short',
          observations: [
            one({ type: 'windows-registry-key', key: 'HKEY_CURRENT_USER\\Software\\CryptoLocker\\File' }),
          ],
        },
        {
          why: "'=' is case-sensitive",
          observations: [
            one({ type: 'windows-registry-key', key: 'HKEY_CURRENT_USER\\Software\\Cryptolocker\\Files' }),
          ],
        },
      ],
    },
    {
      title: 'Matching on a File with a set of properties',
      matches: [
        { why: 'by name', observations: [one(file({ name: 'pdf.exe', created: '2014-01-13T07:03:17Z' }))] },
        {
          why: 'by size, with the time written to the millisecond',
          observations: [one(file({ name: 'x.bin', size: 371712, created: '2014-01-13T07:03:17.000Z' }))],
        },
      ],
      misses: [
        {
          why: 'created one second later',
          observations: [one(file({ name: 'pdf.exe', created: '2014-01-13T07:03:18Z' }))],
        },
        {
          why: 'a size written as a string is not the integer',
          observations: [one(file({ name: 'x.bin', size: '371712', created: '2014-01-13T07:03:17Z' }))],
        },
        { why: 'no creation time', observations: [one(file({ name: 'pdf.exe', size: 371712 }))] },
      ],
    },
    {
      title: 'Matching on an Email Message with specific Sender and Subject',
      matches: [
        { why: 'sender and subject', observations: [sender('jdoe@example.com', 'boss@example.com')] },
      ],
      misses: [
        {
          why: 'jdoe is the From address, not the Sender',
          observations: [sender('assistant@example.com', 'jdoe@example.com')],
        },
        {
          why: 'the subject differs in case',
          observations: [sender('jdoe@example.com', 'jdoe@example.com', 'Conference info')],
        },
      ],
    },
    {
      title: 'Matching on a Custom USB Device',
      matches: [
        {
          why: 'the nested serial number',
          observations: [
            one({ type: 'x-usb-device', usbdrive: { serial_number: '575833314133343231313937' } }),
          ],
        },
      ],
      misses: [
        {
          why: 'the serial number is not under usbdrive',
          observations: [one({ type: 'x-usb-device', serial_number: '575833314133343231313937' })],
        },
        {
          why: 'the last digit differs',
          observations: [
            one({ type: 'x-usb-device', usbdrive: { serial_number: '575833314133343231313938' } }),
          ],
        },
      ],
    },
    {
      title:
        'Matching on Two Processes Launched with a Specific Set of Command Line Arguments Within a Certain Time Window',
      matches: [
        {
          why: 'root store, then trusted publishers',
          observations: [process(0, ROOT_CMD), process(120, PUBLISHER_CMD)],
          bound: [0, 1],
        },
        {
          why: 'WITHIN qualifies only the second observation expression, so an hour apart still matches',
          observations: [process(0, ROOT_CMD), process(3600, PUBLISHER_CMD)],
        },
        {
          why: "DOTALL: '.+' runs across a line break in the command line",
          observations: [process(0, `cmd.exe /c\r\n${ROOT_CMD}`), process(10, PUBLISHER_CMD)],
        },
      ],
      misses: [
        { why: 'the wrong order', observations: [process(0, PUBLISHER_CMD), process(1, ROOT_CMD)] },
        {
          why: "the first command names 'Roots'",
          observations: [process(0, `${ROOT_CMD}s`), process(10, PUBLISHER_CMD)],
        },
        { why: 'only one of the two', observations: [process(0, ROOT_CMD)] },
      ],
    },
    {
      title: 'Matching on a Network Traffic IP that is part of a particular Subnet',
      matches: [
        {
          why: 'an address in compressed form',
          observations: [traffic(ipv6('2001:db8:1::1'), ipv6('2001:db8:dead:beef::1'))],
        },
        {
          why: 'the last address of the /64, in upper case',
          observations: [traffic(ipv6('2001:db8:1::1'), ipv6('2001:0DB8:DEAD:BEEF:FFFF:FFFF:FFFF:FFFF'))],
        },
        {
          why: 'a /65 inside it',
          observations: [traffic(ipv6('2001:db8:1::1'), ipv6('2001:db8:dead:beef:8000::/65'))],
        },
        {
          why: 'the identical /64',
          observations: [traffic(ipv6('2001:db8:1::1'), ipv6('2001:db8:dead:beef::/64'))],
        },
      ],
      misses: [
        {
          why: 'the first address after the /64',
          observations: [traffic(ipv6('2001:db8:1::1'), ipv6('2001:db8:dead:bef0::'))],
        },
        {
          why: 'the last address before it',
          observations: [traffic(ipv6('2001:db8:1::1'), ipv6('2001:db8:dead:beee:ffff:ffff:ffff:ffff'))],
        },
        {
          why: 'the /63 around it',
          observations: [traffic(ipv6('2001:db8:1::1'), ipv6('2001:db8:dead:beee::/63'))],
        },
        {
          why: 'the source is in the subnet, not the destination',
          observations: [traffic(ipv6('2001:db8:dead:beef::1'), ipv6('2001:db8:1::1'))],
        },
        { why: 'an IPv4 destination', observations: [traffic(ipv6('2001:db8:1::1'), ipv4('203.0.113.1'))] },
      ],
    },
    {
      title:
        'Matching on several different combinations of Malware Artifacts. Note the following pattern requires that both a file and registry key exist, or that one of two processes exist.',
      matches: [
        { why: 'a process whose image is procfoo', observations: [launched('procfoo')], bound: [0] },
        {
          why: 'the file and the key in two observations',
          observations: [
            one(file({ name: 'foo.dll' })),
            one({ type: 'windows-registry-key', key: REG_KEY }, 1),
          ],
          bound: [0, 1],
        },
      ],
      misses: [
        {
          why: 'the file and the key in one observation',
          observations: [obs([file({ name: 'foo.dll' }), { type: 'windows-registry-key', key: REG_KEY }])],
        },
        { why: 'the image is fooproc.exe', observations: [launched('fooproc.exe')] },
        {
          why: 'a STIX 2.0 process with its own name and no image',
          observations: [one({ type: 'process', name: 'fooproc' })],
        },
        { why: 'only the file', observations: [one(file({ name: 'foo.dll' }))] },
      ],
    },
  ];

  it('covers every example of the specification, in order', () => {
    expect(CASES.map((c) => c.title)).toEqual(SPEC_PATTERN_EXAMPLES.map((e) => e.title));
    for (const c of CASES) {
      expect(c.matches.length, c.title).toBeGreaterThan(0);
      expect(c.misses.length, c.title).toBeGreaterThan(0);
    }
  });

  describe.each(CASES.map((c, i) => ({ n: i + 1, ...c })))(
    'example $n: $title',
    ({ title, matches: hits, misses }) => {
      const pattern = specPattern(title);

      it.each(hits)('matches: $why', ({ observations, bound }) => {
        const result = matchPattern(pattern, observations);
        expect(result.matched).toBe(true);
        if (bound) expect(result.observations).toEqual(bound);
      });

      it.each(misses)('does not match: $why', ({ observations }) => {
        expect(matchPattern(pattern, observations)).toMatchObject({ matched: false, bindings: [] });
      });
    },
  );
});
