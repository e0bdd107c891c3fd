import type { Readable } from 'node:stream';
import { AppError } from '../../errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const OBJECTS = Buffer.from('objects');

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

const invalid = (detail: string) => new AppError('bad_request', `The bundle is not valid JSON: ${detail}`);

/**
 * Cuts the elements of the root object's `objects` array out of a JSON byte stream, without decoding the rest:
 * it follows only strings (with their escapes) and nesting, and jumps over string contents with `indexOf`, so
 * each element costs one `JSON.parse` of its own text. What lies outside the elements (the skeleton, with
 * each element replaced by `0`) is kept and parsed at the end, so a document malformed anywhere is still
 * refused.
 */
class BundleSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Inside the root object, before a key: the next string is a key. */
  private expectKey = false;
  private key: Buffer[] | undefined;
  /** The key holds an escape: it is not compared (a bundle spells `objects` plainly). */
  private keyEscaped = false;
  private lastKeyIsObjects = false;
  /** The next value at depth 1 is the `objects` member. */
  private objectsValue = false;
  /** Inside the `objects` array (its elements sit at depth 2). */
  private inObjects = false;
  private objectsSeen = false;
  /** Parts of the element being read, from its first byte. */
  private element: Buffer[] | undefined;
  private elementStart = 0;
  private skeleton: Buffer[] = [];
  private skeletonStart = 0;
  private rootSeen = false;
  private rootIsObject = false;

  /** Feeds one chunk; returns the texts of the elements it completed. */
  push(buf: Buffer): string[] {
    const out: string[] = [];
    if (this.rootSeen && !this.rootIsObject) return out;
    const n = buf.length;
    let i = 0;
    this.skeletonStart = 0;
    if (this.element) this.elementStart = 0;
    let nextBackslash = -2;
    while (i < n) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        const q = buf.indexOf(QUOTE, i);
        if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = buf.indexOf(BACKSLASH, i);
        if (nextBackslash !== -1 && (q === -1 || nextBackslash < q)) {
          if (this.key) this.keyEscaped = true;
          this.escaped = true;
          i = nextBackslash + 1;
          continue;
        }
        if (q === -1) {
          if (this.key) this.key.push(buf.subarray(i));
          i = n;
          continue;
        }
        if (this.key) {
          this.key.push(buf.subarray(i, q));
          this.lastKeyIsObjects = !this.keyEscaped && Buffer.concat(this.key).equals(OBJECTS);
          this.key = undefined;
        }
        this.inString = false;
        i = q + 1;
        continue;
      }
      const c = buf[i];
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (!this.rootSeen) {
        this.rootSeen = true;
        this.rootIsObject = c === OPEN_BRACE;
        // Not an object: not a bundle, whatever else it is.
        if (!this.rootIsObject) return out;
      }
      if (this.inObjects && this.depth === 2 && !this.element && c !== COMMA && c !== CLOSE_BRACKET) {
        // An element starts: the skeleton keeps a 0 in its place.
        this.skeleton.push(buf.subarray(this.skeletonStart, i), Buffer.from('0'));
        this.element = [];
        this.elementStart = i;
      }
      if (this.element && this.depth === 2 && (c === COMMA || c === CLOSE_BRACKET)) {
        this.element.push(buf.subarray(this.elementStart, i));
        out.push(Buffer.concat(this.element).toString('utf8'));
        this.element = undefined;
        this.skeletonStart = i;
      }
      switch (c) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1 && this.expectKey) {
            this.key = [];
            this.keyEscaped = false;
            this.expectKey = false;
          }
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          if (this.depth === 1 && this.objectsValue && c === OPEN_BRACKET && !this.objectsSeen) {
            this.inObjects = true;
            this.objectsSeen = true;
          }
          this.objectsValue = false;
          this.depth++;
          if (this.depth === 1) this.expectKey = true;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.depth--;
          if (this.depth === 1) this.inObjects = false;
          if (this.depth < 0) throw invalid(`unexpected ${String.fromCharCode(c)}`);
          break;
        case COMMA:
          if (this.depth === 1) this.expectKey = true;
          break;
        case COLON:
          if (this.depth === 1) {
            this.objectsValue = this.lastKeyIsObjects;
            this.lastKeyIsObjects = false;
          }
          break;
        default:
          this.objectsValue = false;
      }
      i++;
    }
    if (this.element) this.element.push(buf.subarray(this.elementStart));
    else if (this.rootIsObject) this.skeleton.push(buf.subarray(this.skeletonStart));
    return out;
  }

  /** Checks the document is complete and well formed outside the elements. */
  end() {
    if (!this.rootIsObject) return;
    if (this.element || this.inString || this.depth !== 0) throw invalid('unexpected end of the document');
    try {
      JSON.parse(Buffer.concat(this.skeleton).toString('utf8'));
    } catch (e) {
      // Positions count each object of the array as one character.
      throw invalid(`outside the objects: ${(e as Error).message}`);
    }
  }
}

/**
 * Streams the `objects` of a STIX bundle one at a time, so a bundle of any size costs the memory of its largest
 * object, not of the whole file. Each object comes with `text`, the JSON it was parsed from. Yields nothing for a
 * JSON document without `objects` (or not an object); the caller decides what that means. Malformed JSON and
 * oversize input fail with a precise AppError.
 */
export async function* bundleObjects(
  source: Readable,
  maxBytes: number,
): AsyncGenerator<{ index: number; value: unknown; text: string }> {
  const splitter = new BundleSplitter();
  let bytes = 0;
  let index = 0;
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buf.length;
    if (bytes > maxBytes) throw new AppError('payload_too_large', `The bundle exceeds ${maxBytes} bytes`);
    for (const text of splitter.push(buf)) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw invalid(`object ${index}: ${(e as Error).message}`);
      }
      yield { index: index++, value, text };
    }
  }
  splitter.end();
}
