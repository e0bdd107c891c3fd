import { createHash } from 'node:crypto';
import { type BaselineRequirement, CITY_BASELINE_REQUIREMENTS } from '../../../core/baseline/index.js';
import { SYSTEM_ACTOR } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import type { SampleContext } from '../../sample/example-city.js';
import { auditService } from '../audit/audit.service.js';
import { orgsRepository } from '../orgs/orgs.repository.js';
import { assessmentsRepository } from './baselines.repository.js';
import { createAssessmentIn, installCityBaselineIn } from './baselines.service.js';

const DAY = 86_400_000;
const ctx = { actor: SYSTEM_ACTOR };

type Answer = { status: string; maturity: number | null; reason?: string; notes: string };

const MATURITY: Record<string, number | null> = {
  implemented: 3,
  'partially-implemented': 2,
  planned: 1,
  'not-implemented': 1,
};

const NOTES: Record<string, string> = {
  implemented: 'In place and checked during the walkthrough.',
  'partially-implemented': 'Covers the main systems; gaps remain on older equipment.',
  planned: 'Budgeted for next fiscal year; owner named.',
  'not-implemented': 'Not started; needs funding and an owner.',
};

function answer(status: string, notes = NOTES[status]): Answer {
  return { status, maturity: MATURITY[status] ?? null, notes };
}

// IT has worked through the foundational and intermediate tiers; advanced is still open.
function itAnswer(r: BaselineRequirement, i: number): Answer | null {
  if (r.ot.length) {
    return {
      status: 'not-applicable',
      maturity: null,
      reason: 'Operational technology is run by Water and Wastewater and by Transportation.',
      notes: '',
    };
  }
  if (r.tier === 'foundational') {
    return answer(['implemented', 'implemented', 'partially-implemented', 'implemented', 'planned'][i % 5]);
  }
  if (r.tier === 'intermediate') {
    return answer(['partially-implemented', 'planned', 'not-implemented', 'implemented'][i % 4]);
  }
  return null;
}

// Water started with the foundational tier and its own OT requirements.
function waterAnswer(r: BaselineRequirement, i: number): Answer | null {
  if (r.ot.length && !r.ot.includes('water')) {
    return {
      status: 'not-applicable',
      maturity: null,
      reason: 'No transit systems in this department.',
      notes: '',
    };
  }
  if (r.ot.includes('water')) {
    return answer(['partially-implemented', 'planned', 'not-implemented'][i % 3]);
  }
  if (r.tier === 'foundational') {
    return answer(['implemented', 'partially-implemented', 'not-implemented', 'planned'][i % 4]);
  }
  return null;
}

// A year earlier some answers stood one step lower: the 2026 cycle shows what improved since.
const ONE_STEP_LOWER: Record<string, string> = {
  implemented: 'partially-implemented',
  'partially-implemented': 'planned',
  planned: 'not-implemented',
};

function lastYear(a: Answer, i: number): Answer {
  const lower = i % 3 === 0 ? ONE_STEP_LOWER[a.status] : undefined;
  return lower ? answer(lower) : a;
}

/**
 * Example City: the City Baseline, assessed for IT and for Water and Wastewater, partly complete; the 2026
 * cycle follows a closed 2025 one, so trends and changes have something to show.
 */
export async function loadBaselinesSample(tx: DbOrTx, s: SampleContext) {
  const city = await orgsRepository.byId(tx, s.orgIds.city);
  if (!city) return;
  const [catalog] = (await installCityBaselineIn(tx, ctx, city.id)).items;
  const now = Date.now();
  const previous = await createAssessmentIn(tx, ctx, city, {
    title: 'Sample: City Baseline self-assessment 2025 (IT and Water)',
    documentId: catalog.id,
    departmentIds: [s.orgIds.it, s.orgIds.water],
    systemId: null,
    targetTier: 'intermediate',
    targetMaturity: 3,
    previousId: null,
  });
  const assessment = await createAssessmentIn(tx, ctx, city, {
    title: 'Sample: City Baseline self-assessment 2026 (IT and Water)',
    documentId: catalog.id,
    departmentIds: [s.orgIds.it, s.orgIds.water],
    systemId: null,
    targetTier: 'intermediate',
    targetMaturity: 3,
    previousId: null,
  });
  const rows = [];
  const previousRows = [];
  for (const [dept, assessor, pick] of [
    [s.orgIds.it, 'Dana Whitfield (sample IT security officer)', itAnswer],
    [s.orgIds.water, 'Luis Ortega (sample water operations lead)', waterAnswer],
  ] as const) {
    for (const [i, r] of CITY_BASELINE_REQUIREMENTS.entries()) {
      const a = pick(r, i);
      if (!a) continue;
      const before = lastYear(a, i);
      previousRows.push({
        orgId: city.id,
        assessmentId: previous.id,
        requirementId: r.id,
        departmentId: dept,
        status: before.status,
        maturity: before.maturity,
        notApplicableReason: before.reason ?? null,
        notes: before.notes,
        assessor,
        assessedAt: new Date(now - (365 + (i % 20)) * DAY),
        actionOwner: before.status === 'planned' ? assessor : null,
        actionDue: before.status === 'planned' ? new Date(now - 30 * DAY) : null,
      });
      rows.push({
        orgId: city.id,
        assessmentId: assessment.id,
        requirementId: r.id,
        departmentId: dept,
        status: a.status,
        maturity: a.maturity,
        notApplicableReason: a.reason ?? null,
        notes: a.notes,
        assessor,
        assessedAt: new Date(now - ((i % 20) + 1) * DAY),
        // Planned work has someone who answers for it and a date.
        actionOwner: a.status === 'planned' ? assessor : null,
        actionDue: a.status === 'planned' ? new Date(now + (90 + (i % 4) * 30) * DAY) : null,
      });
    }
  }
  await assessmentsRepository.insertResults(tx, previousRows);
  // The earlier cycle is closed and dated a year back; the current one was started from it.
  await assessmentsRepository.update(tx, previous.id, {
    status: 'closed',
    createdAt: new Date(now - 380 * DAY),
  });
  await assessmentsRepository.update(tx, assessment.id, {
    previousId: previous.id,
    createdAt: new Date(now - 25 * DAY),
  });
  const results = await assessmentsRepository.insertResults(tx, rows);
  const implemented = (dept: string) =>
    results.filter((r) => r.departmentId === dept && r.status === 'implemented');
  const [itFirst, itSecond] = implemented(s.orgIds.it);
  const [waterFirst] = implemented(s.orgIds.water);
  const register = Buffer.from(
    'Sample data: remote access register, Example City water SCADA\nvendor,account,MFA,reviewed\nExample Controls Inc.,vendor-support,yes,2026-02-01\n',
  );
  await assessmentsRepository.insertEvidence(tx, [
    {
      orgId: city.id,
      resultId: itFirst.id,
      kind: 'link',
      title: 'Sample: backup restore test report',
      url: 'https://intranet.example-city.test/it/backup-restore-test',
      effectiveDate: new Date(now - 60 * DAY),
      expiresAt: new Date(now + 305 * DAY),
      uploadedBy: 'sample@citywall.local',
    },
    {
      // Lapsed on purpose: the sample shows a claim downgraded to needs review.
      orgId: city.id,
      resultId: itSecond.id,
      kind: 'link',
      title: 'Sample: phishing exercise results',
      url: 'https://intranet.example-city.test/it/phishing-exercise',
      effectiveDate: new Date(now - 400 * DAY),
      expiresAt: new Date(now - 35 * DAY),
      uploadedBy: 'sample@citywall.local',
    },
    {
      orgId: city.id,
      resultId: waterFirst.id,
      kind: 'file',
      title: 'Sample: SCADA remote access register',
      fileName: 'scada-remote-access-register.csv',
      mediaType: 'text/csv',
      size: register.length,
      sha256: createHash('sha256').update(register).digest('hex'),
      content: register,
      effectiveDate: new Date(now - 20 * DAY),
      expiresAt: new Date(now + 20 * DAY),
      uploadedBy: 'sample@citywall.local',
    },
  ]);
  await auditService.record(tx, ctx, {
    orgId: city.id,
    action: 'baselines.assessment.sample',
    targetType: 'assessment',
    targetId: assessment.id,
    after: { results: results.length, previousId: previous.id, previousResults: previousRows.length },
  });
}
