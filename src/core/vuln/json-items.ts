/**
 * Streams the items of one array member of a top-level JSON object (`{"vulnerabilities": [ … ], …}`) without
 * holding the document: the text is scanned for the array's items, each item is parsed with JSON.parse on its
 * own, and everything outside the items (small for a feed file) is parsed at the end, so a document that is not
 * valid JSON, or is truncated, throws like a full parse would. Much faster than a token-by-token parser because
 * the per-character work is a scan for quotes and brackets.
 */

const QUOTE = 34; // "
const BACKSLASH = 92;
const OPEN_OBJ = 123; // {
const CLOSE_OBJ = 125;
const OPEN_ARR = 91; // [
const CLOSE_ARR = 93;
const COMMA = 44;
const COLON = 58;

/** The text outside the items is at most this long (a feed file's header); more means it is not such a file. */
const MAX_OUTSIDE = 64 * 1024 * 1024;

export interface JsonItem {
  /** Position in the array. */
  key: number;
  value: unknown;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Yields `{ key, value }` for each item of `doc[member]` where `doc` is the top-level object of the stream.
 * Throws a SyntaxError when the document is not valid JSON or ends early (after the items read so far).
 */
export async function* jsonArrayItems(
  source: AsyncIterable<Buffer | string>,
  member: string,
): AsyncGenerator<JsonItem> {
  const decoder = new TextDecoder('utf-8');
  let depth = 0;
  let inString = false;
  // Inside a string: whether the previous character was an unpaired backslash.
  let escaped = false;
  // The text of the string being read at depth 1 (a candidate member name), and the last one completed.
  let collecting = false;
  let stringStart = 0;
  let pendingString = '';
  let lastString: string | null = null;
  let memberName: string | null = null;
  /** 0 outside the array; 1 inside it between items; 2 inside an item. */
  let inArray = 0;
  let arrayDone = false;
  let expectItem = true;
  let item = '';
  let itemStart = 0;
  let itemDepth = 0;
  let index = 0;
  let outside = '';
  let outsideStart = 0;

  const parseItem = (text: string): JsonItem => {
    const value = JSON.parse(text) as unknown;
    return { key: index++, value };
  };

  for await (const chunk of source) {
    const s = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const n = s.length;
    outsideStart = 0;
    itemStart = 0;
    stringStart = 0;
    let i = 0;
    while (i < n) {
      if (inString) {
        // Jump to the next quote; it ends the string unless an odd run of backslashes precedes it.
        let q = s.indexOf('"', i);
        while (q >= 0 && backslashesBefore(s, q, i, escaped) % 2 === 1) q = s.indexOf('"', q + 1);
        if (q < 0) {
          // The string goes on in the next chunk.
          escaped =
            s.charCodeAt(n - 1) === BACKSLASH ? !trailingEvenBackslashes(s, n - 1, escaped, i) : false;
          if (collecting) pendingString += s.slice(stringStart, n);
          i = n;
          break;
        }
        inString = false;
        escaped = false;
        if (collecting) {
          lastString = pendingString + s.slice(stringStart, q);
          pendingString = '';
          collecting = false;
        }
        i = q + 1;
        continue;
      }
      const c = s.charCodeAt(i);
      if (inArray === 2) {
        // Inside an item: follow nesting until it closes (or, for a scalar item, until the separator).
        if (c === QUOTE) {
          inString = true;
          escaped = false;
        } else if (c === OPEN_OBJ || c === OPEN_ARR) {
          itemDepth++;
        } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
          if (itemDepth === 0) {
            // A scalar item ended by the array's close.
            item += s.slice(itemStart, i);
            yield parseItem(item);
            item = '';
            inArray = 0;
            arrayDone = true;
            depth--;
            outsideStart = i;
            i++;
            continue;
          }
          itemDepth--;
          if (itemDepth === 0) {
            item += s.slice(itemStart, i + 1);
            yield parseItem(item);
            item = '';
            inArray = 1;
            expectItem = false;
            i++;
            continue;
          }
        } else if (c === COMMA && itemDepth === 0) {
          item += s.slice(itemStart, i);
          yield parseItem(item);
          item = '';
          inArray = 1;
          expectItem = true;
        }
        i++;
        continue;
      }
      if (inArray === 1) {
        if (isSpace(c)) {
          i++;
          continue;
        }
        if (c === CLOSE_ARR) {
          if (expectItem && index > 0) throw new SyntaxError(`Unexpected "]" after "," in ${member}`);
          inArray = 0;
          arrayDone = true;
          depth--;
          outsideStart = i;
          i++;
          continue;
        }
        if (c === COMMA) {
          if (expectItem) throw new SyntaxError(`Unexpected "," in ${member}`);
          expectItem = true;
          i++;
          continue;
        }
        if (!expectItem) throw new SyntaxError(`Expected "," or "]" after item ${index - 1} of ${member}`);
        inArray = 2;
        itemStart = i;
        itemDepth = 0;
        if (c === QUOTE) {
          inString = true;
          escaped = false;
        } else if (c === OPEN_OBJ || c === OPEN_ARR) itemDepth = 1;
        i++;
        continue;
      }
      // Outside the array.
      if (c === QUOTE) {
        inString = true;
        escaped = false;
        if (depth === 1) {
          collecting = true;
          stringStart = i + 1;
          pendingString = '';
        }
      } else if (c === OPEN_OBJ || c === OPEN_ARR) {
        depth++;
        if (c === OPEN_ARR && depth === 2 && memberName === member && !arrayDone) {
          outside += s.slice(outsideStart, i + 1);
          if (outside.length > MAX_OUTSIDE) throw new SyntaxError(`No "${member}" array near the start`);
          inArray = 1;
          expectItem = true;
          i++;
          continue;
        }
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        depth--;
      } else if (c === COLON && depth === 1) {
        memberName = lastString;
      } else if (c === COMMA && depth === 1) {
        memberName = null;
      }
      i++;
    }
    if (inArray === 2) item += s.slice(itemStart, n);
    else if (inArray === 0) {
      outside += s.slice(outsideStart, n);
      if (outside.length > MAX_OUTSIDE) throw new SyntaxError(`No "${member}" array near the start`);
    }
  }
  const tail = decoder.decode();
  if (tail) outside += tail;
  if (inArray !== 0 || inString) throw new SyntaxError(`Unexpected end of JSON input in ${member}`);
  // The rest of the document, with the items left out: parsing it checks it is one valid JSON object.
  const rest = JSON.parse(outside) as unknown;
  if (rest === null || typeof rest !== 'object' || Array.isArray(rest))
    throw new SyntaxError('The document is not a JSON object');
}

/** Backslashes immediately before position q (counting from `from`, plus the carried-over one). */
function backslashesBefore(s: string, q: number, from: number, carried: boolean): number {
  let k = 0;
  let j = q - 1;
  while (j >= from && s.charCodeAt(j) === BACKSLASH) {
    k++;
    j--;
  }
  if (j < from && carried) k++;
  return k;
}

/** Whether the run of backslashes ending at `end` (plus the carried one) is even: then none escapes what follows. */
function trailingEvenBackslashes(s: string, end: number, carried: boolean, from: number): boolean {
  return backslashesBefore(s, end + 1, from, carried) % 2 === 0;
}
