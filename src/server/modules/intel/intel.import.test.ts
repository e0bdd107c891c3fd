import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bundleObjects } from './intel.import.js';

/** The objects of `text` read in chunks of `size` bytes (so strings, escapes and characters are cut). */
async function objectsOf(text: string, size: number) {
  const buf = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
  const out: unknown[] = [];
  for await (const { value, text: element } of bundleObjects(Readable.from(chunks), 1e9)) {
    // The text of each element is the JSON it was parsed from.
    expect(JSON.parse(element)).toEqual(value);
    out.push(value);
  }
  return out;
}

const SIZES = [1, 2, 3, 7, 1024];

describe('bundleObjects', () => {
  it('reads every element of objects, whatever the chunk boundaries', async () => {
    const text =
      '{"type":"bundle","x":{"objects":[9]},"objects" : [ {"a":"x\\"]}\\\\"}, 2 ,"s",null,[1,[2]],' +
      '{"u":"ü€😀"} ] , "z":[1]}';
    for (const size of SIZES) {
      expect(await objectsOf(text, size)).toEqual([{ a: 'x"]}\\' }, 2, 's', null, [1, [2]], { u: 'ü€😀' }]);
    }
  });

  it('finds no objects in documents that are not bundles', async () => {
    for (const size of SIZES) {
      expect(await objectsOf('{"hello":"world"}', size)).toEqual([]);
      expect(await objectsOf('[{"objects":[1]}]', size)).toEqual([]);
      expect(await objectsOf('{"objects":{"a":1}}', size)).toEqual([]);
      expect(await objectsOf('{"x\\"objects":[1],"objects":[]}', size)).toEqual([]);
    }
  });

  it('refuses malformed JSON anywhere, inside or outside the objects', async () => {
    for (const size of SIZES) {
      await expect(objectsOf('{"type":"bundle","objects":[{"a":1},{"type":', size)).rejects.toThrow(
        /not valid JSON: unexpected end/,
      );
      await expect(objectsOf('{"objects":[{"a":1,}]}', size)).rejects.toThrow(/not valid JSON: object 0/);
      await expect(objectsOf('{"objects":[{"a":1}] "x":1}', size)).rejects.toThrow(
        /not valid JSON: outside the objects/,
      );
      await expect(objectsOf('{"objects":[{"a":1}]} x', size)).rejects.toThrow(/not valid JSON/);
      await expect(objectsOf('{"objects":[{"a":1}]}}', size)).rejects.toThrow(/not valid JSON/);
    }
  });

  it('stops at the size limit', async () => {
    const big = JSON.stringify({ objects: [{ a: 'x'.repeat(1000) }] });
    await expect(
      (async () => {
        for await (const _ of bundleObjects(Readable.from([Buffer.from(big)]), 100));
      })(),
    ).rejects.toThrow(/exceeds 100 bytes/);
  });
});
