import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  exploitationFromEvidence,
  missionWellbeing,
  missionWellbeingFromService,
  ssvcDecide,
  ssvcFromCvss,
  ssvcTable,
} from './ssvc.js';

const csvPath = fileURLToPath(
  new URL('../../../../shared/data/ssvc/cisa_coordinator_2_0_3.csv', import.meta.url),
);

describe('SSVC decision table', () => {
  it('has 36 rows and echoes inputs', () => {
    expect(ssvcTable()).toHaveLength(36);
    const r = ssvcDecide({
      exploitation: 'active',
      automatable: 'yes',
      technicalImpact: 'total',
      missionWellbeing: 'high',
    });
    expect(r).toEqual({
      decision: 'Act',
      inputs: {
        exploitation: 'active',
        automatable: 'yes',
        technicalImpact: 'total',
        missionWellbeing: 'high',
      },
      row: 35,
      table: 'CISA Coordinator 2.0.3',
    });
    expect(
      ssvcDecide({
        exploitation: 'none',
        automatable: 'no',
        technicalImpact: 'total',
        missionWellbeing: 'high',
      }).decision,
    ).toBe('Track*');
    expect(
      ssvcDecide({
        exploitation: 'public-poc',
        automatable: 'yes',
        technicalImpact: 'partial',
        missionWellbeing: 'high',
      }).decision,
    ).toBe('Attend');
  });

  it('rejects values outside the table', () => {
    expect(() =>
      ssvcDecide({
        exploitation: 'maybe' as never,
        automatable: 'no',
        technicalImpact: 'total',
        missionWellbeing: 'high',
      }),
    ).toThrow(/exploitation must be one of none, public-poc, active/);
  });

  it.skipIf(!existsSync(csvPath))('matches every row of the published CSV', () => {
    const lines = readFileSync(csvPath, 'utf8').trim().split(/\r?\n/).slice(1);
    expect(lines).toHaveLength(36);
    const name = { track: 'Track', 'track*': 'Track*', attend: 'Attend', act: 'Act' } as const;
    for (const line of lines) {
      const [row, e, a, t, m, outcome] = line.split(',');
      const r = ssvcDecide({
        exploitation: e === 'public poc' ? 'public-poc' : (e as 'none' | 'active'),
        automatable: a as 'yes' | 'no',
        technicalImpact: t as 'partial' | 'total',
        missionWellbeing: m as 'low' | 'medium' | 'high',
      });
      expect(r.row, line).toBe(Number(row));
      expect(r.decision, line).toBe(name[outcome as keyof typeof name]);
    }
  });
});

describe('deriving SSVC inputs', () => {
  it('exploitation from KEV and PoC evidence', () => {
    expect(exploitationFromEvidence({ inKev: true, publicPoc: true }).value).toBe('active');
    expect(exploitationFromEvidence({ activeExploitation: true }).value).toBe('active');
    expect(exploitationFromEvidence({ publicPoc: true })).toEqual({
      value: 'public-poc',
      reason: 'public proof of concept exists',
    });
    expect(exploitationFromEvidence({}).value).toBe('none');
  });

  it('automatable and technical impact from CVSS 3.1, 4.0 and 2.0', () => {
    const v31 = ssvcFromCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(v31?.automatable.value).toBe('yes');
    expect(v31?.technicalImpact.value).toBe('total');
    expect(v31?.automatable.reason).toBe('CVSS 3.1 has AV:N/AC:L/PR:N/UI:N');
    const ui = ssvcFromCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:L/A:H');
    expect(ui?.automatable.value).toBe('no');
    expect(ui?.technicalImpact.value).toBe('partial');
    const v4 = ssvcFromCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    expect([v4?.automatable.value, v4?.technicalImpact.value]).toEqual(['yes', 'total']);
    const v4at = ssvcFromCvss('CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:H/SC:N/SI:N/SA:N');
    expect([v4at?.automatable.value, v4at?.technicalImpact.value]).toEqual(['no', 'partial']);
    expect(ssvcFromCvss('AV:N/AC:L/Au:N/C:C/I:C/A:C')?.technicalImpact.value).toBe('total');
    expect(ssvcFromCvss('CVSS:3.1/AV:N')).toBeNull();
    expect(ssvcFromCvss('junk')).toBeNull();
  });

  it('mission & well-being per CISA', () => {
    expect(missionWellbeing('essential', 'minimal').value).toBe('high');
    expect(missionWellbeing('minimal', 'irreversible').value).toBe('high');
    expect(missionWellbeing('minimal', 'minimal').value).toBe('low');
    expect(missionWellbeing('support', 'minimal').value).toBe('medium');
    expect(missionWellbeing('minimal', 'material').value).toBe('medium');
    expect(
      missionWellbeingFromService({ criticality: 'critical', publicSafetyImpact: 'none' }),
    ).toMatchObject({
      value: 'high',
      prevalence: 'essential',
    });
    expect(missionWellbeingFromService({ criticality: 'low', publicSafetyImpact: 'none' }).value).toBe('low');
    expect(missionWellbeingFromService({ criticality: 'high', publicSafetyImpact: 'material' }).value).toBe(
      'medium',
    );
    expect(
      missionWellbeingFromService({ criticality: 'low', publicSafetyImpact: 'irreversible' }).value,
    ).toBe('high');
  });
});
