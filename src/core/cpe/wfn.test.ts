import { describe, expect, it } from 'vitest';
import {
  ANY,
  bindFs,
  CpeParseError,
  hasWildcards,
  NA,
  normalizeCpe,
  parseCpe,
  parseFs,
  parseUri,
  quoteWfnText,
  valueText,
  wfnToString,
} from './wfn.js';

function parseError(s: string): CpeParseError {
  try {
    parseCpe(s);
  } catch (e) {
    expect(e).toBeInstanceOf(CpeParseError);
    return e as CpeParseError;
  }
  throw new Error(`expected ${s} to fail`);
}

describe('formatted string unbinding (NISTIR 7695 §6.2.3)', () => {
  it('unbinds ANY, NA and quotes punctuation in the WFN', () => {
    const w = parseFs('cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*');
    expect(w.part).toBe('a');
    expect(w.vendor).toBe('microsoft');
    expect(w.product).toBe('internet_explorer');
    expect(w.version).toBe('8\\.0\\.6001');
    expect(w.update).toBe('beta');
    expect(w.edition).toBe(ANY);
    const na = parseFs('cpe:2.3:o:microsoft:windows_xp:-:sp2:*:*:*:*:*:*');
    expect(na.version).toBe(NA);
  });

  it('keeps escapes: \\( \\) \\: \\\\ and unescaped . - become quoted', () => {
    const w = parseFs('cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*');
    expect(w.target_sw).toBe('win2003');
    const e = parseFs('cpe:2.3:a:foo\\:bar:prod\\(x\\):1.0-beta:*:*:*:*:*:*:*');
    expect(e.vendor).toBe('foo\\:bar');
    expect(e.product).toBe('prod\\(x\\)');
    expect(e.version).toBe('1\\.0\\-beta');
    expect(valueText(e.vendor)).toBe('foo:bar');
    const bs = parseFs('cpe:2.3:a:a\\\\:b:*:*:*:*:*:*:*:*');
    expect(bs.vendor).toBe('a\\\\');
    expect(bs.product).toBe('b');
  });

  it('accepts wildcards only at the ends', () => {
    expect(parseFs('cpe:2.3:a:*soft:*:1.*:*:*:*:*:*:*:*').vendor).toBe('*soft');
    expect(parseFs('cpe:2.3:a:foo:bar:??1:*:*:*:*:*:*:*').version).toBe('??1');
    expect(parseFs('cpe:2.3:a:foo:bar:1.??:*:*:*:*:*:*:*').version).toBe('1\\.??');
    expect(hasWildcards(parseFs('cpe:2.3:a:foo:bar:1.*:*:*:*:*:*:*:*').version)).toBe(true);
    expect(hasWildcards(parseFs('cpe:2.3:a:foo:bar:1\\*:*:*:*:*:*:*:*').version)).toBe(false);
    const e = parseError('cpe:2.3:a:foo:b*r:*:*:*:*:*:*:*:*');
    expect(e.code).toBe('bad-wildcard');
    expect(e.field).toBe('product');
    expect(e.message).toMatch(/product/);
    expect(parseError('cpe:2.3:a:foo:bar:1?2:*:*:*:*:*:*:*').field).toBe('version');
  });

  it('rejects bad escapes with the field named', () => {
    const lone = parseError('cpe:2.3:a:foo:bar\\:*:*:*:*:*:*:*:*');
    // "bar\:" escapes the separator, so the name is one field short.
    expect(lone.code).toBe('field-count');
    const end = parseError('cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:x\\');
    expect(end.code).toBe('bad-escape');
    expect(end.field).toBe('other');
    const alnum = parseError('cpe:2.3:a:fo\\o:bar:*:*:*:*:*:*:*:*');
    expect(alnum.code).toBe('bad-escape');
    expect(alnum.field).toBe('vendor');
    expect(alnum.message).toMatch(/vendor/);
  });

  it('rejects unescaped punctuation, spaces and non-ASCII', () => {
    expect(parseError('cpe:2.3:a:foo:bar(x):*:*:*:*:*:*:*:*').code).toBe('bad-character');
    expect(parseError('cpe:2.3:a:foo:bar x:*:*:*:*:*:*:*:*').message).toMatch(/product.*U\+0020/);
    expect(parseError('cpe:2.3:a:foö:bar:*:*:*:*:*:*:*:*').field).toBe('vendor');
  });

  it('rejects wrong part, wrong prefix, empty values and wrong field counts', () => {
    const part = parseError('cpe:2.3:x:foo:bar:*:*:*:*:*:*:*:*');
    expect(part.code).toBe('bad-part');
    expect(part.field).toBe('part');
    expect(part.message).toMatch(/part/);
    expect(parseError('cpe:2.3:-:foo:bar:*:*:*:*:*:*:*:*').code).toBe('bad-part');
    expect(parseError('cpe:2.2:a:foo:bar:*:*:*:*:*:*:*:*').code).toBe('prefix');
    expect(parseError('cpe:2.3:a::bar:*:*:*:*:*:*:*:*').field).toBe('vendor');
    const few = parseError('cpe:2.3:a:foo:bar:1.0');
    expect(few.code).toBe('field-count');
    expect(few.message).toMatch(/too few fields: 4 of 11.*update/);
    const many = parseError('cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:*:extra');
    expect(many.message).toMatch(/too many fields: 12/);
  });

  it('is case-insensitive for part and keeps value case for binding', () => {
    expect(parseFs('CPE:2.3:A:Foo:Bar:*:*:*:*:*:*:*:*').part).toBe('a');
    expect(normalizeCpe('cpe:2.3:A:Foo:Bar:1.0:*:*:*:*:*:*:*')).toBe('cpe:2.3:a:foo:bar:1.0:*:*:*:*:*:*:*');
  });
});

describe('binding back to a formatted string (NISTIR 7695 §6.2.2)', () => {
  it('round-trips', () => {
    for (const s of [
      'cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*',
      'cpe:2.3:a:foo\\:bar:prod\\(x\\):1.0-beta:*:*:*:*:*:x64:*',
      'cpe:2.3:o:microsoft:windows_xp:-:sp2:*:*:*:*:*:*',
      'cpe:2.3:a:*soft:??prod:1.*:*:*:*:*:*:*:*',
      'cpe:2.3:a:a\\\\:b\\!:c\\@d:*:*:*:*:*:*:*',
    ]) {
      expect(bindFs(parseFs(s))).toBe(s);
    }
  });

  it('normalises needless escapes of . and -', () => {
    expect(bindFs(parseFs('cpe:2.3:a:foo:bar:1\\.0\\-rc1:*:*:*:*:*:*:*'))).toBe(
      'cpe:2.3:a:foo:bar:1.0-rc1:*:*:*:*:*:*:*',
    );
  });

  it('prints the WFN notation', () => {
    expect(wfnToString(parseFs('cpe:2.3:a:microsoft:ie:8.0:-:*:*:*:*:*:*'))).toBe(
      'wfn:[part="a",vendor="microsoft",product="ie",version="8\\.0",update=NA]',
    );
  });

  it('quotes free text', () => {
    expect(quoteWfnText('Exchange Server 2016')).toBe('Exchange_Server_2016');
    expect(quoteWfnText('1.0*')).toBe('1\\.0\\*');
  });
});

describe('CPE 2.2 URI unbinding (NISTIR 7695 §6.1.3)', () => {
  it('unbinds plain, empty (ANY) and - (NA) components', () => {
    const w = parseUri('cpe:/a:microsoft:internet_explorer:8.0.6001:beta');
    expect(w.version).toBe('8\\.0\\.6001');
    expect(w.update).toBe('beta');
    expect(w.edition).toBe(ANY);
    const w2 = parseUri('cpe:/o:microsoft:windows_xp::sp2');
    expect(w2.version).toBe(ANY);
    expect(parseUri('cpe:/a:foo:bar:-').version).toBe(NA);
  });

  it('decodes percent-encoding and wildcards %01 %02', () => {
    const w = parseUri('cpe:/a:foo%21bar:baz:1.%02');
    expect(w.vendor).toBe('foo\\!bar');
    expect(w.version).toBe('1\\.*');
    expect(() => parseUri('cpe:/a:foo:ba%02r')).toThrow(CpeParseError);
    expect(() => parseUri('cpe:/a:foo:ba%zz')).toThrow(/bad percent-encoding/);
  });

  it('unpacks the edition', () => {
    const w = parseUri('cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~');
    expect(w.sw_edition).toBe('online');
    expect(w.target_sw).toBe('win2003');
    expect(w.target_hw).toBe('x64');
    expect(w.edition).toBe(ANY);
    expect(bindFs(w)).toBe('cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*');
  });

  it('is reached through parseCpe', () => {
    expect(parseCpe('cpe:/a:foo:bar').product).toBe('bar');
    expect(() => parseCpe('cpe:/a:foo:bar:1:2:3:4:5')).toThrow(/too many components/);
  });
});
