import { describe, expect, it } from 'vitest';
import { SPEC_PATTERN_EXAMPLES } from './__fixtures__/spec-examples.js';
import type { Comparison, Literal, Observation, ObservationOperation, QualifiedObservation } from './ast.js';
import { PatternSyntaxError } from './errors.js';
import { checkPattern, parsePattern } from './parser.js';
import { stringifyPattern } from './stringify.js';

/** Our own fixtures: every construct of the grammar, and STIX 2.0 spellings of some of the examples. */
const FIXTURES = [
  "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
  "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
  "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS",
  "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
  "[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']",
  "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
  "[(file:name = 'pdf.exe' OR file:size = '371712') AND file:created = t'2014-01-13T07:03:17Z']",
  "[x-usb-device:usbdrive.serial_number = '575833314133343231313937']",
  "[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachine Root$'] FOLLOWEDBY [process:command_line MATCHES'^.+>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher$'] WITHIN 300 SECONDS",
  "[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']",
  "([file:name = 'foo.dll'] AND [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR [process:name = 'fooproc' OR process:name = 'procfoo']",
  "[ipv4-addr:value ISSUPERSET '198.51.100.1' AND ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']",
  "[file:size IN (1, 2, 3) AND file:name NOT IN ('a', 'b') AND file:size NOT IN ()]",
  "[file:name LIKE 'dropper_%.exe' AND file:name NOT LIKE '%.txt']",
  "[artifact:payload_bin = b'SGVsbG8=' AND artifact:payload_bin != b'']",
  '[file:size >= -1 AND file:size <= +10 AND file:size < 1.5 AND file:size > -.5 AND file:size <> 3]',
  '[process:is_hidden = true AND process:is_hidden != FALSE]',
  '[EXISTS windows-registry-key:values[0].data AND process:pid == 4]',
  "[file:name = 'a'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00.123Z'",
  '[a:b = 1] AND [c:d = 2] OR [e:f = 3] FOLLOWEDBY [g:h = 4] AND [i:j = 5]',
  "[user-account:extensions.'unix-account-ext'.groups[1] = 'wheel'] /* comment */ // trailing",
  "[file:'quoted first'.'a\\'b' = 'it\\'s \\\\ done']",
  '[ipv4-addr:in = 1 AND ipv4-addr:start = 2]',
];

describe('STIX 2.1 example patterns (section 9.8)', () => {
  it('has all 22 examples of the specification', () => {
    expect(SPEC_PATTERN_EXAMPLES).toHaveLength(22);
    expect(new Set(SPEC_PATTERN_EXAMPLES.map((e) => e.title)).size).toBe(22);
  });

  it.each(SPEC_PATTERN_EXAMPLES.map((e, i) => [i + 1, e.pattern]))('parses example %i', (_n, source) => {
    const ast = parsePattern(source as string);
    expect(ast.kind).toBe('pattern');
    const again = parsePattern(stringifyPattern(ast));
    expect(stringifyPattern(again)).toBe(stringifyPattern(ast));
  });
});

describe('fixtures', () => {
  it.each(FIXTURES)('parses and round-trips %s', (source) => {
    const ast = parsePattern(source);
    const text = stringifyPattern(ast);
    expect(stringifyPattern(parsePattern(text))).toBe(text);
  });
});

describe('AST shape', () => {
  it('binds AND tighter than OR tighter than FOLLOWEDBY, left-associatively', () => {
    const { root } = parsePattern(
      '[a:b = 1] AND [c:d = 2] OR [e:f = 3] FOLLOWEDBY [g:h = 4] FOLLOWEDBY [i:j = 5]',
    );
    const top = root as ObservationOperation;
    expect(top.operator).toBe('FOLLOWEDBY');
    expect((top.left as ObservationOperation).operator).toBe('FOLLOWEDBY');
    const or = (top.left as ObservationOperation).left as ObservationOperation;
    expect(or.operator).toBe('OR');
    expect((or.left as ObservationOperation).operator).toBe('AND');
    expect(stringifyPattern(root)).toBe(
      '[a:b = 1] AND [c:d = 2] OR [e:f = 3] FOLLOWEDBY [g:h = 4] FOLLOWEDBY [i:j = 5]',
    );
  });

  it('applies qualifiers to the closest observation expression, in order', () => {
    const { root } = parsePattern('[a:b = 1] FOLLOWEDBY [c:d = 2] REPEATS 2 TIMES WITHIN 10 SECONDS');
    const right = (root as ObservationOperation).right as QualifiedObservation;
    expect(right.qualifier).toMatchObject({ kind: 'within', seconds: 10 });
    expect((right.expression as QualifiedObservation).qualifier).toMatchObject({ kind: 'repeats', times: 2 });
  });

  it('binds comparison AND tighter than OR', () => {
    const { root } = parsePattern('[a:b = 1 OR a:c = 2 AND a:d = 3]');
    const cmp = (root as Observation).comparison;
    expect(cmp).toMatchObject({ kind: 'comparison-boolean', operator: 'OR', right: { operator: 'AND' } });
  });

  it('builds object paths with keys, quoted keys and indexes', () => {
    const { root } = parsePattern("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]");
    const cmp = (root as Observation).comparison as Comparison;
    expect(cmp.path.objectType).toBe('file');
    expect(cmp.path.steps).toEqual([
      { kind: 'key', name: 'extensions' },
      { kind: 'key', name: 'windows-pebinary-ext' },
      { kind: 'key', name: 'sections' },
      { kind: 'index', index: '*' },
      { kind: 'key', name: 'entropy' },
    ]);
    expect(cmp.value).toMatchObject({ type: 'float', value: 7 });
  });

  it('decodes every literal kind', () => {
    const lit = (src: string) =>
      ((parsePattern(`[x:y = ${src}]`).root as Observation).comparison as Comparison).value as Literal;
    expect(lit("'it\\'s'")).toMatchObject({ type: 'string', value: "it's" });
    expect(lit("'a\\\\b'")).toMatchObject({ type: 'string', value: 'a\\b' });
    expect(lit("''")).toMatchObject({ type: 'string', value: '' });
    expect(lit('-42')).toMatchObject({ type: 'int', value: -42 });
    expect(lit('0')).toMatchObject({ type: 'int', value: 0 });
    expect(lit('+.25')).toMatchObject({ type: 'float', value: 0.25 });
    expect(lit('TRUE')).toMatchObject({ type: 'bool', value: true });
    expect(lit("t'2016-01-01T00:00:00.5Z'")).toMatchObject({
      type: 'timestamp',
      value: '2016-01-01T00:00:00.5Z',
    });
    const bin = lit("b'SGk='");
    expect(bin.type).toBe('binary');
    expect([...(bin.value as Uint8Array)]).toEqual([72, 105]);
    const hex = lit("h'00fF'");
    expect([...(hex.value as Uint8Array)]).toEqual([0, 255]);
  });

  it('keeps NOT and the operator', () => {
    const cmp = (parsePattern("[x:y NOT MATCHES 'a']").root as Observation).comparison as Comparison;
    expect(cmp).toMatchObject({ operator: 'MATCHES', negated: true });
    const ex = (parsePattern('[exists x:y]').root as Observation).comparison as Comparison;
    expect(ex).toMatchObject({ operator: 'EXISTS', value: null });
  });

  it('records spans', () => {
    const src = "[a:b = 'x'] AND [c:d = 1]";
    const { root } = parsePattern(src);
    expect(root.span).toEqual({ start: 0, end: src.length });
    const right = (root as ObservationOperation).right;
    expect(src.slice(right.span.start, right.span.end)).toBe('[c:d = 1]');
  });
});

describe('syntax errors', () => {
  const errorOf = (src: string): PatternSyntaxError => {
    try {
      parsePattern(src);
    } catch (e) {
      if (e instanceof PatternSyntaxError) return e;
      throw e;
    }
    throw new Error(`expected ${JSON.stringify(src)} to fail`);
  };

  it.each([
    ['', 0, /empty pattern/],
    ['   ', 3, /empty pattern/],
    ['[]', 1, /empty observation/],
    ["[file:name = 'a'", 16, /expected '\]'/],
    ["file:name = 'a'", 0, /expected '\[' or '\('/],
    ["[file:name = 'a'] AND", 21, /unexpected end/],
    ["[file:name = 'a'] BUT [x:y = 1]", 18, /unexpected 'BUT'/],
    ["[file:name 'a']", 11, /comparison operator/],
    ["[file:name = 'a\\x']", 15, /invalid escape/],
    ["[file:name = 'abc]", 13, /unterminated string/],
    ['[file:name = a]', 13, /literal value/],
    ['[file = 1]', 6, /expected ':'/],
    ['[file:na-me = 1]', 6, /contains '-'/],
    ['[file:name[x] = 1]', 11, /list index/],
    ['[file:size = 007]', 13, /leading zero/],
    ['[file:size = 12abc]', 13, /invalid number/],
    ["[file:x = t'2016-13-01T00:00:00Z']", 10, /invalid timestamp/],
    ["[file:x = t'2016-01-01 00:00:00Z']", 10, /invalid timestamp/],
    ["[file:x = h'abc']", 10, /even number/],
    ["[file:x = b'@@@@']", 10, /base64/],
    ['[file:x < true]', 10, /boolean/],
    ['[file:x LIKE 5]', 13, /string literal/],
    ["[file:x ISSUBSET t'2016-01-01T00:00:00Z']", 17, /string literal/],
    ["[file:x IN ('a', 1)]", 17, /mixes string and int/],
    ["[file:x IN ('a' 'b')]", 16, /expected ',' or '\)'/],
    ['[file:x EXISTS]', 8, /EXISTS goes before/],
    ['[file:x = 1] WITHIN 0 SECONDS', 20, /positive number/],
    ['[file:x = 1] WITHIN -5 SECONDS', 20, /positive number/],
    ['[file:x = 1] WITHIN 5 MINUTES', 22, /expected SECONDS/],
    ['[file:x = 1] REPEATS 1.5 TIMES', 21, /positive integer/],
    ["[file:x = 1] START '2016-01-01T00:00:00Z' STOP '2016-02-01T00:00:00Z'", 19, /timestamp literal/],
    ['([file:x = 1]', 13, /expected '\)'/],
    ['[file:x = 1])', 12, /unexpected '\)'/],
    ['[file:x = 1] /* open', 13, /unterminated comment/],
    ['[file:x = 1 & 2]', 12, /unexpected character "&"/],
  ])('%j fails at offset %i', (src, offset, message) => {
    const e = errorOf(src);
    expect(e.offset).toBe(offset);
    expect(e.reason).toMatch(message);
  });

  it('reports line and column on multi-line patterns', () => {
    const e = errorOf("[file:name = 'a']\n  AND\r\n  [file:size = ]");
    expect(e.line).toBe(3);
    expect(e.column).toBe(16);
    expect(e.message).toMatch(/line 3, column 16/);
  });

  it('checkPattern returns the error instead of throwing', () => {
    const r = checkPattern('[a:b = ]');
    expect(r.valid).toBe(false);
    if (!r.valid) expect(r.error).toMatchObject({ offset: 7, line: 1, column: 8 });
    expect(checkPattern('[a:b = 1]').valid).toBe(true);
  });
});
