import { describe, expect, it } from 'vitest';
import { SHIPPED_RULES } from './data.js';
import { renderDraft } from './draft.js';
import { applicableClocks, FactsError } from './engine.js';
import { type Rule, RuleValidationError, validateRules } from './rules.js';

const HOUR = 3_600_000;
const BXL = 'Europe/Brussels';
const NY = 'America/New_York';
const byId = (report: ReturnType<typeof applicableClocks>, id: string) => {
  const c = report.clocks.find((x) => x.id === id);
  if (!c) throw new Error(`no clock ${id}`);
  return c;
};

describe('shipped rules', () => {
  it('are valid against the known facts', () => {
    expect(validateRules(SHIPPED_RULES)).toEqual([]);
  });

  it('cover NIS2, GDPR, CIRCIA and 8–12 US states, each with a citation', () => {
    const regimes = new Set(SHIPPED_RULES.map((r) => r.regime));
    expect(regimes).toContain('NIS2');
    expect(regimes).toContain('GDPR');
    expect(regimes).toContain('CIRCIA');
    const states = new Set(
      SHIPPED_RULES.filter((r) => r.jurisdiction.startsWith('US-')).map((r) => r.jurisdiction),
    );
    expect(states.size).toBeGreaterThanOrEqual(8);
    expect(states.size).toBeLessThanOrEqual(12);
    for (const r of SHIPPED_RULES) expect(r.citation.length).toBeGreaterThan(5);
  });
});

describe('NIS2 chain', () => {
  const facts = { significantIncident: true, entityType: 'essential' as const };
  const awareness = new Date('2026-01-30T09:00:00Z'); // 10:00 Brussels

  it('runs the 24 h and 72 h clocks from awareness and waits for the notification before the final report', () => {
    const now = new Date('2026-01-30T12:00:00Z');
    const r = applicableClocks(SHIPPED_RULES, facts, { awareness }, now, BXL);
    const early = byId(r, 'eu-nis2-early-warning');
    expect(early.deadline?.toISOString()).toBe('2026-01-31T09:00:00.000Z');
    expect(early.status).toBe('running');
    expect(early.remainingMs).toBe(21 * HOUR);
    expect(byId(r, 'eu-nis2-incident-notification').deadline?.toISOString()).toBe('2026-02-02T09:00:00.000Z');
    const final = byId(r, 'eu-nis2-final-report');
    expect(final.status).toBe('waiting-for-start-event');
    expect(final.start).toBeNull();
    expect(final.remainingMs).toBeNull();
    expect(r.earliest?.id).toBe('eu-nis2-early-warning');
  });

  it('starts the final report one month after the incident notification was sent (clamped to month end)', () => {
    const sentNotification = new Date('2026-01-31T15:00:00Z'); // 16:00 Brussels, 31 January
    const now = new Date('2026-02-10T00:00:00Z');
    const r = applicableClocks(
      SHIPPED_RULES,
      facts,
      {
        awareness,
        notificationSent: {
          'eu-nis2-early-warning': new Date('2026-01-30T20:00:00Z'),
          'eu-nis2-incident-notification': sentNotification,
        },
      },
      now,
      BXL,
    );
    expect(byId(r, 'eu-nis2-early-warning').status).toBe('met');
    expect(byId(r, 'eu-nis2-incident-notification')).toMatchObject({ status: 'met', late: false });
    const final = byId(r, 'eu-nis2-final-report');
    expect(final.status).toBe('running');
    expect(final.start?.toISOString()).toBe(sentNotification.toISOString());
    expect(final.deadline?.toISOString()).toBe('2026-02-28T15:00:00.000Z');
    expect(r.earliest?.id).toBe('eu-nis2-final-report');
  });

  it('marks a missed early warning overdue and a late notification as met but late', () => {
    const r = applicableClocks(
      SHIPPED_RULES,
      facts,
      { awareness, notificationSent: { 'eu-nis2-incident-notification': new Date('2026-02-03T09:00:00Z') } },
      new Date('2026-02-04T00:00:00Z'),
      BXL,
    );
    expect(byId(r, 'eu-nis2-early-warning').status).toBe('overdue');
    expect(byId(r, 'eu-nis2-early-warning').remainingMs).toBeLessThan(0);
    expect(byId(r, 'eu-nis2-incident-notification')).toMatchObject({ status: 'met', late: true });
    expect(r.overdue.map((c) => c.id)).toEqual(['eu-nis2-early-warning']);
  });

  it('does not apply to entities outside NIS2', () => {
    const r = applicableClocks(
      SHIPPED_RULES,
      { significantIncident: true, entityType: 'none' },
      { awareness },
      awareness,
      BXL,
    );
    expect(r.clocks.filter((c) => c.rule.regime === 'NIS2')).toEqual([]);
  });
});

describe('GDPR', () => {
  const awareness = new Date('2026-03-27T10:00:00Z'); // Friday before the Brussels spring change

  it('runs Art. 33 for 72 absolute hours and Art. 34 against an internal target when high risk', () => {
    const r = applicableClocks(
      SHIPPED_RULES,
      { subjectToGdpr: true, personalDataAffected: true, highRiskToIndividuals: true },
      { awareness },
      awareness,
      BXL,
    );
    const art33 = byId(r, 'eu-gdpr-art33-supervisory-authority');
    expect(art33.deadline?.toISOString()).toBe('2026-03-30T10:00:00.000Z');
    expect(art33.statutory).toBe(true);
    const art34 = byId(r, 'eu-gdpr-art34-data-subjects');
    expect(art34.deadline).toBeNull();
    expect(art34.statutory).toBe(false);
    expect(art34.target?.toISOString()).toBe('2026-03-30T10:00:00.000Z');
  });

  it('skips Art. 33 when a documented assessment says risk is unlikely, and Art. 34 without high risk', () => {
    const r = applicableClocks(
      SHIPPED_RULES,
      { subjectToGdpr: true, personalDataAffected: true, riskToIndividualsUnlikely: true },
      { awareness },
      awareness,
      BXL,
    );
    expect(r.clocks.filter((c) => c.rule.regime === 'GDPR')).toEqual([]);
  });
});

describe('CIRCIA', () => {
  it('reports a ransom payment within 24 h of payment, separate from the 72 h incident report', () => {
    const belief = new Date('2026-11-01T04:00:00Z'); // 00:00 EDT, the night clocks fall back
    const paid = new Date('2026-11-02T18:30:00Z');
    const r = applicableClocks(
      SHIPPED_RULES,
      { coveredEntity: true, coveredCyberIncident: true, ransomPaid: true },
      { reasonableBelief: belief, ransomPaid: paid },
      new Date('2026-11-03T12:00:00Z'),
      NY,
    );
    expect(byId(r, 'us-circia-covered-incident').deadline?.toISOString()).toBe('2026-11-04T04:00:00.000Z');
    const ransom = byId(r, 'us-circia-ransom-payment');
    expect(ransom.deadline?.toISOString()).toBe('2026-11-03T18:30:00.000Z');
    expect(ransom.remainingMs).toBe(6.5 * HOUR);
    expect(r.earliest?.id).toBe('us-circia-ransom-payment');
  });

  it('waits for the payment event when the ransom fact is set but no time recorded', () => {
    const r = applicableClocks(
      SHIPPED_RULES,
      { coveredEntity: true, ransomPaid: true },
      {},
      new Date('2026-11-03T12:00:00Z'),
      NY,
    );
    expect(byId(r, 'us-circia-ransom-payment').status).toBe('waiting-for-start-event');
    expect(r.earliest).toBeNull();
  });
});

describe('US state rules', () => {
  const determined = new Date('2026-06-01T16:00:00Z');
  const now = new Date('2026-06-02T00:00:00Z');
  const clocksFor = (residentsAffectedByState: Record<string, number>) =>
    applicableClocks(
      SHIPPED_RULES,
      { personalDataAffected: true, residentsAffectedByState },
      { breachDetermined: determined },
      now,
      NY,
    );

  it('applies attorney-general thresholds exactly at their boundary', () => {
    const ids = (m: Record<string, number>) => clocksFor(m).clocks.map((c) => c.id);
    expect(ids({ TX: 249 })).toEqual(['us-tx-individuals']);
    expect(ids({ TX: 250 })).toEqual(['us-tx-individuals', 'us-tx-attorney-general']);
    expect(ids({ CO: 499 })).not.toContain('us-co-attorney-general');
    expect(ids({ CO: 500 })).toContain('us-co-attorney-general');
    expect(ids({ WA: 500 })).not.toContain('us-wa-attorney-general');
    expect(ids({ WA: 501 })).toContain('us-wa-attorney-general');
    expect(ids({ CA: 500 })).not.toContain('us-ca-attorney-general');
    expect(ids({ CA: 501 })).toContain('us-ca-attorney-general');
    expect(ids({ FL: 500 })).toContain('us-fl-department-of-legal-affairs');
    expect(ids({ OH: 0 })).toEqual([]);
  });

  it('requires personal data to be affected', () => {
    const r = applicableClocks(
      SHIPPED_RULES,
      { residentsAffectedByState: { CA: 1200 } },
      { breachDetermined: determined },
      now,
      NY,
    );
    expect(r.clocks).toEqual([]);
  });

  it('computes each state window from the determination of the breach', () => {
    const r = clocksFor({ TX: 300, OH: 10, VT: 3, IL: 5, FL: 20 });
    expect(byId(r, 'us-tx-individuals').deadline?.toISOString()).toBe('2026-07-31T16:00:00.000Z');
    expect(byId(r, 'us-tx-attorney-general').deadline?.toISOString()).toBe('2026-07-01T16:00:00.000Z');
    expect(byId(r, 'us-oh-residents').deadline?.toISOString()).toBe('2026-07-16T16:00:00.000Z');
    expect(byId(r, 'us-fl-individuals').deadline?.toISOString()).toBe('2026-07-01T16:00:00.000Z');
    // Vermont's preliminary AG notice counts business days: Mon 1 June + 14 = Fri 19 June.
    expect(byId(r, 'us-vt-attorney-general-preliminary').deadline?.toISOString()).toBe(
      '2026-06-19T16:00:00.000Z',
    );
    expect(byId(r, 'us-vt-consumers').deadline?.toISOString()).toBe('2026-07-16T16:00:00.000Z');
    const il = byId(r, 'us-il-residents');
    expect(il).toMatchObject({ statutory: false, deadline: null });
    expect(r.earliest?.id).toBe('us-vt-attorney-general-preliminary');
  });

  it('chains the California AG sample notice to the resident notice', () => {
    const sent = new Date('2026-06-20T18:00:00Z');
    const r = applicableClocks(
      SHIPPED_RULES,
      { personalDataAffected: true, residentsAffectedByState: { CA: 1200 } },
      { breachDetermined: determined, notificationSent: { 'us-ca-residents': sent } },
      now,
      'America/Los_Angeles',
    );
    expect(byId(r, 'us-ca-residents').status).toBe('met');
    expect(byId(r, 'us-ca-attorney-general').deadline?.toISOString()).toBe('2026-07-05T18:00:00.000Z');
  });
});

describe('rule validation', () => {
  const base: Rule = SHIPPED_RULES.find((r) => r.id === 'us-tx-attorney-general') as Rule;

  it('names the rule, the path and the unknown fact', () => {
    const bad = {
      ...base,
      id: 'custom-rule',
      when: {
        all: [
          { fact: 'personalDataAffected', eq: true },
          { fact: 'residentsByState', key: 'TX', gte: 250 },
        ],
      },
    };
    const issues = validateRules([bad]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ ruleId: 'custom-rule', path: 'when.all[1].fact' });
    expect(issues[0].message).toMatch(
      /unknown fact "residentsByState"; known facts: .*residentsAffectedByState/,
    );
  });

  it('checks operators against the fact type', () => {
    const issues = validateRules([
      { ...base, id: 'a', when: { fact: 'ransomPaid', gte: 1 } },
      { ...base, id: 'b', when: { fact: 'entityType', eq: 'huge' } },
      { ...base, id: 'c', when: { fact: 'residentsAffectedByState', gte: 1 } },
      { ...base, id: 'd', when: { fact: 'residentsAffectedByState', key: 'Texas', gte: 1 } },
    ]);
    expect(issues.map((i) => `${i.ruleId} ${i.path}`)).toEqual([
      'a when',
      'b when.eq',
      'c when',
      'd when.key',
    ]);
  });

  it('rejects duplicate ids, dangling chains, loops, unknown placeholders and schema errors', () => {
    const issues = validateRules([
      { ...base, id: 'x', start: { event: 'notificationSent', after: 'y' } },
      { ...base, id: 'y', start: { event: 'notificationSent', after: 'x' } },
      { ...base, id: 'z', start: { event: 'notificationSent', after: 'nope' } },
      { ...base, id: 'w', draft: { subject: 'Hi {{mayorName}}', body: 'x' } },
      { ...base, id: 'w' },
      { ...base, id: 'v', deadline: { type: 'fixed', duration: { unit: 'weeks', value: 2 } } },
    ]);
    const text = issues.map((i) => `${i.ruleId} ${i.path}: ${i.message}`);
    expect(text).toContainEqual(expect.stringMatching(/^x start\.after: notification chain loops/));
    expect(text).toContainEqual(expect.stringMatching(/^z start\.after: no rule with id "nope"/));
    expect(text).toContainEqual(
      expect.stringMatching(/^w draft\.subject: unknown placeholder "\{\{mayorName\}\}"/),
    );
    expect(text).toContainEqual('w id: duplicate rule id (2 rules use it)');
    expect(text).toContainEqual(expect.stringMatching(/^v deadline\.duration\.unit: /));
  });

  it('refuses to compute clocks from invalid rules or unknown facts', () => {
    const now = new Date();
    expect(() =>
      applicableClocks([{ ...base, when: { fact: 'nope', eq: true } }], {}, {}, now, 'UTC'),
    ).toThrow(RuleValidationError);
    expect(() => applicableClocks(SHIPPED_RULES, { personalDataAfected: true }, {}, now, 'UTC')).toThrow(
      /unknown fact "personalDataAfected"/,
    );
    expect(() =>
      applicableClocks(SHIPPED_RULES, { residentsAffectedByState: { CA: -4 } }, {}, now, 'UTC'),
    ).toThrow(FactsError);
    expect(() => applicableClocks(SHIPPED_RULES, {}, {}, now, 'Europe/Atlantis')).toThrow(
      /unknown time zone/,
    );
  });
});

describe('renderDraft', () => {
  it('fills rule, clock and fact values and flags what is missing', () => {
    const rule = SHIPPED_RULES.find((r) => r.id === 'us-tx-attorney-general') as Rule;
    const facts = { personalDataAffected: true, residentsAffectedByState: { TX: 312 } };
    const report = applicableClocks(
      SHIPPED_RULES,
      facts,
      { breachDetermined: new Date('2026-06-01T16:00:00Z') },
      new Date('2026-06-02T00:00:00Z'),
      'America/Chicago',
    );
    const draft = renderDraft(rule, {
      clock: byId(report, 'us-tx-attorney-general'),
      facts,
      timeZone: 'America/Chicago',
      values: {
        organizationName: 'City of Example',
        incidentSummary: 'Ransomware on the utility billing server.',
      },
    });
    expect(draft.subject).toBe('Security breach notification – City of Example – 312 TX residents');
    expect(draft.body).toContain('To: Texas Attorney General');
    expect(draft.body).toContain('Tex. Bus. & Com. Code § 521.053(i)');
    expect(draft.body).toContain(
      'Date of discovery / determination: 2026-06-01 11:00 (UTC-05:00, America/Chicago)',
    );
    expect(draft.body).toContain('[missing: contactName]');
    expect(draft.missing).toContain('measuresTaken');
    expect(draft.missing).not.toContain('organizationName');
  });
});
