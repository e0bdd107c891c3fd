import { describe, expect, it } from 'vitest';
import { jsonArrayItems } from './json-items.js';

async function items(text: string, chunk: number) {
  // Byte chunks: multi-byte characters are split across chunks too.
  const bytes = Buffer.from(text);
  const chunks = function* () {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  };
  const out: unknown[] = [];
  for await (const it of jsonArrayItems(
    (async function* () {
      yield* chunks();
    })(),
    'vulnerabilities',
  )) {
    out.push(it.value);
  }
  return out;
}

describe('jsonArrayItems', () => {
  const doc = {
    resultsPerPage: 3,
    format: 'NVD_CVE',
    vulnerabilities: [
      { cve: { id: 'CVE-1', d: 'quote " and ] and } and \\ and \\" and ñ€😀' } },
      1,
      'text \\',
      [2, [3]],
      null,
    ],
    after: '"vulnerabilities": [',
  };
  const text = JSON.stringify(doc);

  it('yields every item of the member array, whatever the chunk size', async () => {
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      expect(await items(text, size)).toEqual(doc.vulnerabilities);
    }
  });

  it('ignores an array of that name below the top level, and an empty array', async () => {
    expect(await items('{"x":{"vulnerabilities":[1]}}', 4)).toEqual([]);
    expect(await items('{"vulnerabilities":[]}', 4)).toEqual([]);
  });

  it('fails like a full parse on malformed or truncated documents', async () => {
    const bad = [
      '{"vulnerabilities":[1,]}',
      '{"vulnerabilities":[,1]}',
      '{"vulnerabilities":[1',
      '{"vulnerabilities":[{"a":1}',
      '{"vulnerabilities":[{"a":1}],',
      '{"vulnerabilities":[{"a":1} {"b":2}]}',
      '{"vulnerabilities":[{"a":tru}]}',
      '{"a":tru,"vulnerabilities":[]}',
      '{"vulnerabilities":["abc',
      'hello',
      '[1,2]',
    ];
    for (const b of bad) {
      for (const size of [1, 5, 1000]) await expect(items(b, size), b).rejects.toThrow(SyntaxError);
    }
  });

  it('yields the items read before a truncation', async () => {
    const got: unknown[] = [];
    await expect(
      (async () => {
        for await (const it of jsonArrayItems(
          (async function* () {
            yield '{"vulnerabilities":[{"a":1},{"b":2},{"c":';
          })(),
          'vulnerabilities',
        )) {
          got.push(it);
        }
      })(),
    ).rejects.toThrow(/end of JSON/);
    expect(got).toEqual([
      { key: 0, value: { a: 1 } },
      { key: 1, value: { b: 2 } },
    ]);
  });
});
