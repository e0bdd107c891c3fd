/**
 * The words of the object search: one tokenizer for the stored vector (`search` column) and for the query, so
 * what a reader types matches what was indexed. A word is a run of letters, combining marks and digits, after
 * NFKC normalization and lower-casing; everything else separates words. So `CVE-2021-44228` is the words `cve`,
 * `2021` and `44228`, `T1059.001` is `t1059` and `001`, and `Müller` matches `müller` whether its `ü` was written
 * as one character or two. (PostgreSQL's own parser would keep `-2021` as a signed number and `evil.com` as one
 * host name, so a search for `2021` or `evil` would miss them; and computing the vector here takes that parsing
 * off the database's share of an import.)
 */

const SEPARATORS = /[^\p{L}\p{M}\p{N}]+/u;
/** The same rule for text that is all ASCII (which NFKC leaves as it is), without Unicode tables. */
const ASCII_SEPARATORS = /[^a-z0-9]+/;
const NON_ASCII = /[^\x00-\x7f]/;

/** Longer runs (encoded blobs, not words) are not indexed; PostgreSQL refuses lexemes of 2 KB or more. */
export const MAX_WORD_LENGTH = 256;

/** A vector stops growing here, well below PostgreSQL's 1 MB limit on a tsvector. */
const MAX_VECTOR_LENGTH = 256 * 1024;

/** The distinct words of `text`, in order of first appearance. */
export function searchWords(text: string): string[] {
  const words = new Set<string>();
  const parts = NON_ASCII.test(text)
    ? text.normalize('NFKC').toLowerCase().split(SEPARATORS)
    : text.toLowerCase().split(ASCII_SEPARATORS);
  for (const word of parts) {
    if (word && word.length <= MAX_WORD_LENGTH) words.add(word);
  }
  return [...words];
}

/** A word as a lexeme of the tsvector and tsquery input syntax (a word holds no quote or backslash to escape). */
const lexeme = (word: string) => `'${word}'`;

/**
 * The `search` column of an object: its name's and description's words as tsvector input, or null when it has
 * none (or is not searched: relationships and sightings are found through the objects they connect).
 */
export function searchVector(
  type: string,
  name: string | null | undefined,
  description: string | null | undefined,
): string | null {
  if (type === 'relationship' || type === 'sighting' || (!name && !description)) return null;
  const lexemes: string[] = [];
  let length = 0;
  for (const word of searchWords(description ? `${name ?? ''} ${description}` : (name ?? ''))) {
    length += word.length + 3;
    if (length > MAX_VECTOR_LENGTH) break;
    lexemes.push(lexeme(word));
  }
  return lexemes.length ? lexemes.join(' ') : null;
}

/**
 * The tsquery (input syntax) matching objects that hold every word of `q`, each as a word or the start of one;
 * null when `q` has no words.
 */
export function searchQuery(q: string): string | null {
  const words = searchWords(q);
  return words.length ? words.map((w) => `${lexeme(w)}:*`).join(' & ') : null;
}
