import { describe, expect, it } from 'vitest';
import {
  type AssessmentResultsInput,
  assessmentResultsSchema,
  buildAssessmentResults,
  buildPoam,
  findingForStatus,
  poamSchema,
} from './assessment.js';
import { OscalError } from './errors.js';
import { UUID_PATTERN } from './schema.js';

const input: AssessmentResultsInput = {
  title: 'Example City — Water department, 2026',
  start: '2026-02-01T09:00:00Z',
  end: new Date('2026-02-03T17:00:00Z'),
  assessor: 'Dana Reyes',
  organization: 'Example City',
  observations: [
    {
      key: 'obs-mfa',
      description: 'MFA is enforced for all email accounts.',
      methods: ['EXAMINE', 'TEST'],
      collected: '2026-02-01T10:00:00Z',
      expires: '2027-02-01T10:00:00Z',
      evidence: [{ href: 'https://evidence.example/mfa.pdf', description: 'Conditional access export' }],
    },
    {
      key: 'obs-vpn',
      description: 'The SCADA vendor has an always-on remote-access tool.',
      collected: '2026-02-02T10:00:00Z',
    },
  ],
  risks: [
    {
      key: 'risk-vpn',
      title: 'Uncontrolled vendor access to PLCs',
      description: 'The integrator can reach PLCs at any time.',
      statement: 'A compromise of the vendor gives direct control of treatment.',
      likelihood: 'moderate',
      impact: 'high',
      remediation: {
        title: 'Gateway with MFA',
        description: 'Route vendor access through the city gateway.',
        owner: 'Sam Ortiz',
        due: '2026-06-30',
      },
      observationKeys: ['obs-vpn'],
    },
  ],
  findings: [
    { controlId: 'CWB-PR-01', ...findingForStatus('implemented'), observationKeys: ['obs-mfa'] },
    {
      controlId: 'CWB-PR-15',
      ...findingForStatus('not-implemented'),
      reason: 'vendor tool always on',
      observationKeys: ['obs-vpn'],
      riskKeys: ['risk-vpn'],
    },
    { controlId: 'CWB-PR-07', ...findingForStatus('partially-implemented') },
  ],
};

function allUuids(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) allUuids(v, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'uuid' && typeof v === 'string') out.push(v);
      else allUuids(v, out);
    }
  }
  return out;
}

describe('buildAssessmentResults', () => {
  const doc = buildAssessmentResults(input, { now: new Date('2026-02-04T08:00:00Z') });
  const ar = (doc as { 'assessment-results': Record<string, unknown> })['assessment-results'];
  const result = (ar.results as Record<string, unknown>[])[0];

  it('produces a document with the required OSCAL structure', () => {
    expect(assessmentResultsSchema.safeParse(doc).success).toBe(true);
    expect(ar.metadata).toMatchObject({
      'last-modified': '2026-02-04T08:00:00.000Z',
      'oscal-version': '1.1.2',
    });
    expect((ar.metadata as Record<string, unknown>).roles).toEqual([
      { id: 'assessed-organization', title: 'Assessed organization' },
      { id: 'assessor', title: 'Assessor' },
      { id: 'action-owner', title: 'Action owner' },
    ]);
    expect(result).toMatchObject({ start: '2026-02-01T09:00:00Z', end: '2026-02-03T17:00:00.000Z' });
    expect(result['reviewed-controls']).toEqual({
      'control-selections': [
        {
          'include-controls': [
            { 'control-id': 'CWB-PR-01' },
            { 'control-id': 'CWB-PR-15' },
            { 'control-id': 'CWB-PR-07' },
          ],
        },
      ],
    });
  });

  it('gives every object a distinct version 4 uuid', () => {
    const uuids = allUuids(doc);
    expect(uuids.length).toBeGreaterThan(8);
    expect(new Set(uuids).size).toBe(uuids.length);
    expect(uuids.every((u) => UUID_PATTERN.test(u))).toBe(true);
  });

  it('links findings to their observations and risks, with statuses', () => {
    const observations = result.observations as { uuid: string; methods: string[] }[];
    const risks = result.risks as Record<string, unknown>[];
    const findings = result.findings as Record<string, unknown>[];
    expect(findings[1]).toMatchObject({
      target: {
        type: 'objective-id',
        'target-id': 'CWB-PR-15',
        status: { state: 'not-satisfied', reason: 'vendor tool always on' },
      },
      'related-observations': [{ 'observation-uuid': observations[1].uuid }],
      'related-risks': [{ 'risk-uuid': risks[0].uuid }],
    });
    expect(findings[0]).toMatchObject({
      target: { status: { state: 'satisfied' }, 'implementation-status': { state: 'implemented' } },
    });
    expect(findings[2]).toMatchObject({ target: { 'implementation-status': { state: 'partial' } } });
    expect(observations[1].methods).toEqual(['EXAMINE']);
    expect(risks[0]).toMatchObject({
      status: 'open',
      'related-observations': [{ 'observation-uuid': observations[1].uuid }],
    });
    const task = (
      (risks[0].remediations as Record<string, unknown>[])[0].tasks as Record<string, unknown>[]
    )[0];
    expect(task).toMatchObject({
      type: 'milestone',
      timing: { 'on-date': { date: '2026-06-30T00:00:00Z' } },
    });
  });

  it('rejects dangling keys and timestamps without a zone', () => {
    expect(() =>
      buildAssessmentResults({
        ...input,
        findings: [{ controlId: 'x', state: 'satisfied', observationKeys: ['nope'] }],
      }),
    ).toThrow('findings[0].observationKeys[0]: no observation with key "nope"');
    expect(() => buildAssessmentResults({ ...input, start: '2026-02-01 09:00' })).toThrow(OscalError);
  });
});

describe('buildPoam', () => {
  it('makes one item per unsatisfied finding, linked to findings and risks', () => {
    const doc = buildPoam(
      {
        title: 'Water POA&M',
        systemId: 'example-city-water',
        findings: input.findings,
        observations: input.observations,
        risks: input.risks,
      },
      { now: new Date('2026-02-04T08:00:00Z') },
    );
    expect(poamSchema.safeParse(doc).success).toBe(true);
    const poam = (doc as { 'plan-of-action-and-milestones': Record<string, unknown> })[
      'plan-of-action-and-milestones'
    ];
    const items = poam['poam-items'] as Record<string, unknown>[];
    expect(items.map((i) => i.title)).toEqual(['Close the gap in CWB-PR-15', 'Close the gap in CWB-PR-07']);
    const findings = poam.findings as { uuid: string }[];
    expect(items[0]['related-findings']).toEqual([{ 'finding-uuid': findings[1].uuid }]);
    expect(items[0]['related-risks']).toHaveLength(1);
    expect(poam['system-id']).toEqual({ id: 'example-city-water' });
  });

  it('turns owner and due date of an explicit item into a risk with a planned remediation', () => {
    const doc = buildPoam({
      title: 'Gaps',
      systemId: '77777777-7777-4777-8777-777777777777',
      sspHref: 'ssp.json',
      items: [
        {
          title: 'Offline backups',
          description: 'Add an immutable copy.',
          controlId: 'CWB-PR-07',
          owner: 'Lee Park',
          due: new Date('2026-09-30T00:00:00Z'),
        },
      ],
    });
    expect(poamSchema.safeParse(doc).success).toBe(true);
    const poam = (doc as { 'plan-of-action-and-milestones': Record<string, unknown> })[
      'plan-of-action-and-milestones'
    ];
    expect(poam['system-id']).toEqual({
      'identifier-type': 'http://ietf.org/rfc/rfc4122',
      id: '77777777-7777-4777-8777-777777777777',
    });
    expect(poam['import-ssp']).toEqual({ href: 'ssp.json' });
    const risk = (poam.risks as Record<string, unknown>[])[0];
    expect(risk).toMatchObject({ deadline: '2026-09-30T00:00:00.000Z', status: 'open' });
    const task = ((risk.remediations as Record<string, unknown>[])[0].tasks as Record<string, unknown>[])[0];
    const party = ((poam.metadata as Record<string, unknown>).parties as { uuid: string; name: string }[])[0];
    expect(party.name).toBe('Lee Park');
    expect(task['responsible-roles']).toEqual([{ 'role-id': 'action-owner', 'party-uuids': [party.uuid] }]);
    expect((poam['poam-items'] as Record<string, unknown>[])[0]['related-risks']).toEqual([
      { 'risk-uuid': risk.uuid },
    ]);
  });
});
