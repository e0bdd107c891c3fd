import { describe, expect, it } from 'vitest';
import { CvssVectorError, cvssSeverity, parseCvssVector, scoreCvss, validateCvssVector } from './cvss.js';

describe('CVSS validation', () => {
  it('accepts valid vectors of every version', () => {
    for (const v of [
      'AV:N/AC:L/Au:N/C:P/I:P/A:P',
      '(AV:N/AC:L/Au:N/C:C/I:C/A:C)',
      'AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:OF/RC:C',
      'CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C/MAV:A',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/MSI:S/U:Red',
    ]) {
      expect(validateCvssVector(v), v).toMatchObject({ valid: true });
    }
  });

  it('rejects what the scoring library would silently score as 0', () => {
    const cases: [string, RegExp, string?][] = [
      ['CVSS:3.1/AV:N/AC:L', /lacks base metric\(s\) PR, UI, S, C, I, A/, 'PR'],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q', /metric A has invalid value "Q"/, 'A'],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H', /appears twice/, 'A'],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y', /unknown CVSS 3.1 metric "XX"/, 'XX'],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/', /empty metric/],
      ['CVSS:3.2/AV:N', /unsupported CVSS version "3.2"/],
      ['hello', /not a CVSS vector/],
      ['', /empty/],
      ['CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /out of order/, 'AV'],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /UI has invalid value "R"/, 'UI'],
      ['AV:N/AC:L/Au:N/C:P/I:P', /lacks base metric\(s\) A/, 'A'],
      ['(AV:N/AC:L/Au:N/C:P/I:P/A:P', /unclosed/],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/AH', /KEY:VALUE/],
    ];
    for (const [v, msg, metric] of cases) {
      const r = validateCvssVector(v);
      expect(r.valid, v).toBe(false);
      expect(r.error, v).toMatch(msg);
      if (metric) expect(r.metric, v).toBe(metric);
      expect(() => scoreCvss(v)).toThrow(CvssVectorError);
    }
    expect(() => parseCvssVector('CVSS:3.1/AV:N/AC:L')).toThrow(/lacks base metric/);
  });
});

describe('CVSS scoring', () => {
  it('scores base and overall with severities', () => {
    expect(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toMatchObject({
      version: '3.1',
      baseScore: 9.8,
      baseSeverity: 'CRITICAL',
      overallScore: 9.8,
    });
    expect(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U')).toMatchObject({
      baseScore: 9.8,
      overallScore: 9,
      overallSeverity: 'CRITICAL',
    });
    expect(scoreCvss('CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N').baseScore).toBe(7.1);
    expect(scoreCvss('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toMatchObject({
      version: '2.0',
      baseScore: 7.5,
      baseSeverity: 'HIGH',
    });
    expect(scoreCvss('(AV:N/AC:L/Au:N/C:P/I:P/A:P)').baseScore).toBe(7.5);
    const v4 = scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U');
    expect(v4).toMatchObject({
      baseScore: 9.3,
      overallScore: 8.1,
      nomenclature: 'CVSS-BT',
      overallSeverity: 'HIGH',
    });
    expect(scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N')).toMatchObject({
      baseScore: 0,
      baseSeverity: 'NONE',
      nomenclature: 'CVSS-B',
    });
  });

  it('maps severities per version', () => {
    expect(cvssSeverity(0, '3.1')).toBe('NONE');
    expect(cvssSeverity(3.9, '3.1')).toBe('LOW');
    expect(cvssSeverity(4, '4.0')).toBe('MEDIUM');
    expect(cvssSeverity(7, '3.0')).toBe('HIGH');
    expect(cvssSeverity(9, '3.1')).toBe('CRITICAL');
    expect(cvssSeverity(10, '2.0')).toBe('HIGH');
    expect(cvssSeverity(0, '2.0')).toBe('LOW');
  });
});
