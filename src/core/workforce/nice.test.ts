import { describe, expect, it } from 'vitest';
import {
  NICE_CATEGORIES,
  NICE_COMPETENCY_AREAS,
  NICE_WORK_ROLE_ID_PATTERN,
  NICE_WORK_ROLES,
  niceWorkRole,
  RoleGapError,
  roleGaps,
} from './nice.js';

describe('NICE Framework v2.0.0 data', () => {
  it('has 41 work roles with unique, well-formed ids and names', () => {
    expect(NICE_WORK_ROLES).toHaveLength(41);
    expect(new Set(NICE_WORK_ROLES.map((r) => r.id)).size).toBe(41);
    expect(new Set(NICE_WORK_ROLES.map((r) => r.name)).size).toBe(41);
    for (const r of NICE_WORK_ROLES) {
      expect(r.id).toMatch(NICE_WORK_ROLE_ID_PATTERN);
      expect(r.id.startsWith(`${r.category}-`)).toBe(true);
    }
  });

  it('has the expected count per category', () => {
    const count = (c: string) => NICE_WORK_ROLES.filter((r) => r.category === c).length;
    expect(Object.keys(NICE_CATEGORIES)).toEqual(['OG', 'DD', 'IO', 'PD', 'IN']);
    expect([count('OG'), count('DD'), count('IO'), count('PD'), count('IN')]).toEqual([16, 9, 7, 7, 2]);
  });

  it('includes the roles Citywall relies on by id', () => {
    expect(niceWorkRole('DD-WRL-009')?.name).toBe('Operational Technology (OT) Cybersecurity Engineering');
    expect(niceWorkRole('PD-WRL-003')?.name).toBe('Incident Response');
    expect(niceWorkRole('OG-WRL-001')?.name).toBe('Communications Security (COMSEC) Management');
    expect(niceWorkRole('IN-WRL-002')?.name).toBe('Digital Evidence Analysis');
    expect(niceWorkRole('CI-WRL-001')).toBeUndefined();
  });

  it('has competency areas NF-COM-001…011 with OT security at 010', () => {
    expect(NICE_COMPETENCY_AREAS.map((c) => c.id)).toEqual(
      Array.from({ length: 11 }, (_, i) => `NF-COM-${String(i + 1).padStart(3, '0')}`),
    );
    expect(NICE_COMPETENCY_AREAS[9]).toEqual({
      id: 'NF-COM-010',
      name: 'Operational Technology (OT) Security',
    });
  });
});

describe('roleGaps', () => {
  it('counts one person once across roles and fills needs in the order listed', () => {
    const gaps = roleGaps(
      [
        { roleId: 'PD-WRL-003', count: 2 },
        { roleId: 'DD-WRL-009', count: 1 },
        { roleId: 'PD-WRL-002', count: 1 },
      ],
      [
        { roleIds: ['PD-WRL-003', 'DD-WRL-009'] },
        { roleIds: ['PD-WRL-003', 'PD-WRL-002'] },
        { roleIds: ['IO-WRL-005'] },
      ],
    );
    expect(gaps.map((g) => [g.roleId, g.needed, g.qualified, g.assigned, g.gap])).toEqual([
      ['PD-WRL-003', 2, 2, 2, 0],
      ['DD-WRL-009', 1, 1, 0, 1],
      ['PD-WRL-002', 1, 1, 0, 1],
    ]);
    expect(gaps.reduce((s, g) => s + g.gap, 0)).toBe(2);
  });

  it('finds the best assignment rather than a greedy one', () => {
    // Greedy would give person 0 to the first incident-response slot and leave OT engineering empty.
    const gaps = roleGaps(
      [
        { roleId: 'PD-WRL-003', count: 1 },
        { roleId: 'DD-WRL-009', count: 1 },
      ],
      [{ roleIds: ['PD-WRL-003', 'DD-WRL-009'] }, { roleIds: ['PD-WRL-003'] }],
    );
    expect(gaps.map((g) => g.gap)).toEqual([0, 0]);
  });

  it('rejects unknown roles, bad counts and duplicates precisely', () => {
    try {
      roleGaps(
        [
          { roleId: 'CE-WRL-001', count: 1 },
          { roleId: 'PD-WRL-003', count: -1 },
          { roleId: 'PD-WRL-003', count: 1 },
        ],
        [{ roleIds: ['PD-WRL-099'] }],
      );
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(RoleGapError);
      expect((e as RoleGapError).problems).toEqual([
        'needed[0].roleId: unknown NICE work role "CE-WRL-001"',
        'needed[1].count must be a non-negative integer',
        'needed[2].roleId: "PD-WRL-003" listed twice',
        'staff[0].roleIds[0]: unknown NICE work role "PD-WRL-099"',
      ]);
    }
  });
});
