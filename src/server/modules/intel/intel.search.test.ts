import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_WORD_LENGTH, searchQuery, searchVector, searchWords } from './intel.search.js';

describe('search words', () => {
  it('splits on everything but letters, marks and digits, lower-cased and distinct', () => {
    expect(searchWords('CVE-2021-44228: Log4Shell, log4shell; evil.example/x_y T1059.001')).toEqual([
      'cve',
      '2021',
      '44228',
      'log4shell',
      'evil',
      'example',
      'x',
      'y',
      't1059',
      '001',
    ]);
    expect(searchWords('')).toEqual([]);
    expect(searchWords(' -- !! ')).toEqual([]);
  });

  it('reads composed and decomposed accents, compatibility forms and other scripts alike', () => {
    expect(searchWords('Mu\u0308ller')).toEqual(searchWords('MÜLLER'));
    expect(searchWords('ｆｕｌｌ　ｗｉｄｔｈ')).toEqual(['full', 'width']);
    expect(searchWords('東京 Ελλάδα')).toEqual(['東京', 'ελλάδα']);
  });

  it('reads ASCII text by the same rule as any other', () => {
    const rule = (text: string) => [
      ...new Set(
        text
          .normalize('NFKC')
          .toLowerCase()
          .split(/[^\p{L}\p{M}\p{N}]+/u)
          .filter((w) => w && w.length <= MAX_WORD_LENGTH),
      ),
    ];
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), (text) => {
        expect(searchWords(text)).toEqual(rule(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves out runs too long to be words', () => {
    const long = 'a'.repeat(MAX_WORD_LENGTH + 1);
    expect(searchWords(`${long} ${'b'.repeat(MAX_WORD_LENGTH)}`)).toEqual(['b'.repeat(MAX_WORD_LENGTH)]);
  });
});

describe('searchVector', () => {
  it('holds the words of the name and the description, as tsvector input', () => {
    expect(searchVector('malware', 'Emotet', 'A banking trojan, Emotet')).toBe(
      "'emotet' 'a' 'banking' 'trojan'",
    );
    expect(searchVector('indicator', null, 'Only a description')).toBe("'only' 'a' 'description'");
  });

  it('is null for relationships, sightings and objects without words', () => {
    expect(searchVector('relationship', null, 'uses the thing')).toBeNull();
    expect(searchVector('sighting', 'x', 'y')).toBeNull();
    expect(searchVector('malware', null, null)).toBeNull();
    expect(searchVector('malware', '', '...')).toBeNull();
  });

  it('stays within what PostgreSQL stores for a huge description', () => {
    const words = Array.from({ length: 200_000 }, (_, i) => `w${i}`).join(' ');
    const vector = searchVector('report', 'big', words) ?? '';
    expect(vector.length).toBeLessThanOrEqual(256 * 1024);
    expect(vector.startsWith("'big' 'w0' 'w1'")).toBe(true);
  });
});

describe('searchQuery', () => {
  it('asks for every word as a word start', () => {
    expect(searchQuery('Cobalt str')).toBe("'cobalt':* & 'str':*");
    expect(searchQuery("it's")).toBe("'it':* & 's':*");
  });

  it('is null without words, so the query operators of tsquery never reach the database', () => {
    expect(searchQuery('& | ! : * ( )')).toBeNull();
    expect(searchQuery('')).toBeNull();
  });
});
