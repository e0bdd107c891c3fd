import { describe, expect, it } from 'vitest';
import { CSF_CATEGORY_IDS, isCsfCategory } from './csf.js';
import { dueInjects, SHIPPED_SCENARIOS, validateScenario } from './exercises.js';
import { SHIPPED_PLAYBOOKS, unknownNiceRoleMappings, validatePlaybook } from './playbooks.js';

describe('CSF categories', () => {
  it('lists the 22 CSF 2.0 categories across the six functions', () => {
    expect(CSF_CATEGORY_IDS).toHaveLength(22);
    expect(new Set(CSF_CATEGORY_IDS.map((c) => c.slice(0, 2)))).toEqual(
      new Set(['GV', 'ID', 'PR', 'DE', 'RS', 'RC']),
    );
    expect(isCsfCategory('RS.MA')).toBe(true);
    expect(isCsfCategory('RS.RP')).toBe(false);
  });
});

describe('shipped playbooks', () => {
  it('cover the five required incident types', () => {
    expect(SHIPPED_PLAYBOOKS.map((p) => p.incidentType).sort()).toEqual(
      ['account-compromise', 'data-breach', 'ddos', 'ot-compromise', 'ransomware'].sort(),
    );
  });

  it.each(SHIPPED_PLAYBOOKS.map((p) => [p.id, p] as const))(
    '%s is valid and ordered by phase',
    (_id, playbook) => {
      expect(validatePlaybook(playbook)).toEqual([]);
      for (const t of playbook.tasks) expect(isCsfCategory(t.csf)).toBe(true);
    },
  );

  it('use unique playbook ids and globally unique task ids', () => {
    expect(new Set(SHIPPED_PLAYBOOKS.map((p) => p.id)).size).toBe(SHIPPED_PLAYBOOKS.length);
    const taskIds = SHIPPED_PLAYBOOKS.flatMap((p) => p.tasks.map((t) => t.id));
    expect(new Set(taskIds).size).toBe(taskIds.length);
  });

  it('each playbook covers detection, response and recovery functions and ends with a review', () => {
    for (const p of SHIPPED_PLAYBOOKS) {
      const fns = new Set(p.tasks.map((t) => t.csf.slice(0, 2)));
      expect(fns, p.id).toContain('DE');
      expect(fns, p.id).toContain('RS');
      expect(fns, p.id).toContain('RC');
      expect(p.tasks.at(-1)?.csf, p.id).toBe('ID.IM');
    }
  });

  it('map responder roles to NICE work roles that exist', () => {
    expect(unknownNiceRoleMappings()).toEqual([]);
  });

  it('reports bad playbooks precisely', () => {
    const base = SHIPPED_PLAYBOOKS[0];
    const bad = {
      ...base,
      version: '1.0',
      tasks: [{ ...base.tasks[0], csf: 'RS.XX' }, base.tasks[1], { ...base.tasks[0] }],
    };
    const problems = validatePlaybook(bad);
    expect(problems).toContainEqual(expect.stringMatching(/^version: version must be semantic/));
    expect(problems).toContainEqual(expect.stringMatching(/^tasks\.0\.csf: /));
    const dup = validatePlaybook({ ...base, tasks: [base.tasks[1], base.tasks[0], base.tasks[1]] });
    expect(dup).toContain('tasks[2].id: duplicate task id "rw-02"');
    expect(dup).toContainEqual(
      expect.stringMatching(/^tasks\[1\] \(rw-01\): phase detected comes after a task in triage/),
    );
  });
});

describe('tabletop scenarios', () => {
  it('ship ransomware at city hall and tampering at the water plant, both valid', () => {
    expect(SHIPPED_SCENARIOS.map((s) => s.id)).toEqual(['ransomware-city-hall', 'water-plant-tampering']);
    for (const s of SHIPPED_SCENARIOS) {
      expect(validateScenario(s)).toEqual([]);
      expect(SHIPPED_PLAYBOOKS.some((p) => p.id === s.playbookId)).toBe(true);
    }
  });

  it('releases injects by exercise time, skipping those the facilitator released early', () => {
    const s = SHIPPED_SCENARIOS[1];
    expect(dueInjects(s, 0).map((i) => i.id)).toEqual(['wp-i01']);
    expect(dueInjects(s, 50, new Set(['wp-i01'])).map((i) => i.id)).toEqual(['wp-i02', 'wp-i03']);
    expect(() => dueInjects(s, -1)).toThrow(/non-negative/);
  });

  it('reports out-of-order injects, audience outside the participants and overruns', () => {
    const s = SHIPPED_SCENARIOS[1];
    const problems = validateScenario({
      ...s,
      durationMinutes: 100,
      injects: [s.injects[1], { ...s.injects[0], audience: ['legal-counsel'] }, s.injects[4]],
    });
    expect(problems).toEqual([
      'injects[1] (wp-i01): offset 0 min is before the previous inject',
      'injects[1] (wp-i01): audience "legal-counsel" is not a participant',
      'injects[2] (wp-i05): offset 110 min is after the end (100 min)',
    ]);
  });
});
