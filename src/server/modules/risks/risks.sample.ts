import { simulate } from '../../../core/risk/index.js';
import { SYSTEM_ACTOR } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import type { SampleContext } from '../../sample/example-city.js';
import { servicesRepository, systemsRepository } from '../assets/assets.repository.js';
import { auditService } from '../audit/audit.service.js';
import { RISK_LIBRARY } from './risks.library.js';
import { actionsRepository, objectivesRepository, risksRepository } from './risks.repository.js';

const SAMPLE_SEED = 20_260_101;

/** Which services and systems of the sample inventory each library scenario concerns. */
const LINKS: Record<string, { services: string[]; systems: string[]; owner: string }> = {
  'ransomware-911-cad': {
    services: ['911 emergency dispatch'],
    systems: ['911 CAD (primary)', '911 CAD (backup PSAP)', 'Active Directory'],
    owner: '911 Director',
  },
  'water-scada-compromise': {
    services: ['Drinking water supply'],
    systems: ['WTP SCADA HMI', 'WTP filtration PLCs'],
    owner: 'Director of Water and Wastewater',
  },
  'fare-card-breach': {
    services: ['Transit fare collection'],
    systems: ['Transit fare back office'],
    owner: 'Transit revenue manager',
  },
  'identity-outage': {
    services: ['Payroll', 'Staff email and calendars', 'Building permits'],
    systems: ['Active Directory', 'DNS and DHCP (Infoblox)'],
    owner: 'Chief Information Officer',
  },
  'bec-payroll-fraud': {
    services: ['Payroll'],
    systems: ['Email (Exchange)', 'Payroll (PeopleSoft HCM)'],
    owner: 'Payroll manager',
  },
};

export async function loadRisksSample(tx: DbOrTx, s: SampleContext): Promise<void> {
  const orgId = s.orgIds.city;
  const riskIds: Record<string, string> = {};
  for (const item of RISK_LIBRARY) {
    const link = LINKS[item.key];
    if (!link) continue;
    const serviceIds: string[] = [];
    const systemIds: string[] = [];
    for (const n of link.services) {
      const r = await servicesRepository.byName(tx, orgId, n);
      if (r) serviceIds.push(r.id);
    }
    for (const n of link.systems) {
      const r = await systemsRepository.byName(tx, orgId, n);
      if (r) systemIds.push(r.id);
    }
    const risk = await risksRepository.insert(tx, {
      orgId,
      title: item.title,
      threat: item.threat,
      scenario: item.scenario,
      attackTechniques: item.attackTechniques,
      serviceIds,
      systemIds,
      owner: link.owner,
      status: 'open',
      inherentLikelihood: item.inherentLikelihood,
      inherentImpact: item.inherentImpact,
      residualLikelihood: Math.max(1, item.inherentLikelihood - 1),
      residualImpact: item.inherentImpact,
      treatment: 'mitigate',
      fair: item.fair,
      libraryKey: item.key,
    });
    const sim = simulate({ id: risk.id, ...item.fair }, { seed: SAMPLE_SEED, trials: 10_000 });
    await risksRepository.update(tx, risk.id, {
      simulation: {
        seed: sim.seed,
        trials: sim.trials,
        meanAnnualLoss: sim.meanAnnualLoss,
        stdev: sim.stdev,
        min: sim.min,
        max: sim.max,
        percentiles: sim.percentiles,
        lossExceedanceCurve: sim.lossExceedanceCurve,
        probabilityOfEvent: sim.frequency.probabilityOfEvent,
        meanEvents: sim.frequency.meanEvents,
        ranAt: new Date().toISOString(),
      },
    });
    await risksRepository.addEvent(tx, {
      orgId,
      riskId: risk.id,
      actorLabel: 'system',
      action: 'created',
      toStatus: 'open',
      note: 'Sample risk from the starter library',
    });
    riskIds[item.key] = risk.id;
  }
  const lifeSafety = await objectivesRepository.insert(tx, {
    orgId,
    title: 'Keep life-safety services running through a cyber attack',
    description: 'Water and 911 keep operating, manually if needed, whatever happens to IT.',
    owner: 'City Manager',
    dueDate: '2027-12-31',
    kpis: [
      {
        id: crypto.randomUUID(),
        name: 'Tier-1 services with a tested manual fallback',
        unit: '%',
        target: 100,
        current: 50,
        direction: 'increase',
        source: 'manual',
        sourceModule: null,
      },
      {
        id: crypto.randomUUID(),
        name: 'Known exploited vulnerabilities open past their due date',
        unit: 'count',
        target: 0,
        current: null,
        direction: 'decrease',
        source: 'pending',
        sourceModule: 'vulns',
        indicatorKey: 'kevFindingsOverdue',
      },
      {
        id: crypto.randomUUID(),
        name: 'Median time to contain an incident',
        unit: 'hours',
        target: 24,
        current: null,
        direction: 'decrease',
        source: 'pending',
        sourceModule: 'incidents',
        indicatorKey: 'medianHoursToContain',
      },
    ],
  });
  const people = await objectivesRepository.insert(tx, {
    orgId,
    title: 'Every employee recognises and reports phishing',
    description: 'Staff complete their awareness training and report suspicious email rather than act on it.',
    owner: 'Chief Information Security Officer',
    dueDate: '2027-06-30',
    kpis: [
      {
        id: crypto.randomUUID(),
        name: 'Training completion',
        unit: '%',
        target: 95,
        current: null,
        direction: 'increase',
        source: 'pending',
        sourceModule: 'workforce',
        indicatorKey: 'trainingCompletion',
      },
      {
        id: crypto.randomUUID(),
        name: 'Phishing simulation report rate',
        unit: '%',
        target: 60,
        current: null,
        direction: 'increase',
        source: 'pending',
        sourceModule: 'workforce',
        indicatorKey: 'phishingReportRate',
      },
    ],
  });
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const action = (a: Parameters<typeof actionsRepository.insert>[1]) => actionsRepository.insert(tx, a);
  const mfa = await action({
    orgId,
    title: 'Phishing-resistant MFA for all staff and remote access',
    cost: 120_000,
    effortDays: 60,
    owner: 'Identity administrator',
    riskIds: [riskIds['bec-payroll-fraud'], riskIds['ransomware-911-cad'], riskIds['water-scada-compromise']],
    objectiveIds: [lifeSafety.id, people.id],
    status: 'in_progress',
    dueDate: inDays(75),
    frequencyReduction: { low: 0.3, high: 0.6 },
  });
  await action({
    orgId,
    title: 'Immutable offline backups and a tested CAD rebuild',
    cost: 90_000,
    effortDays: 40,
    owner: 'Infrastructure lead',
    riskIds: [riskIds['ransomware-911-cad'], riskIds['identity-outage']],
    objectiveIds: [lifeSafety.id],
    status: 'in_progress',
    dueDate: inDays(-20),
    magnitudeReduction: { low: 0.3, high: 0.6 },
  });
  await action({
    orgId,
    title: 'Segment the water plant OT network and broker remote access',
    cost: 250_000,
    effortDays: 120,
    owner: 'Plant control systems engineer',
    riskIds: [riskIds['water-scada-compromise']],
    objectiveIds: [lifeSafety.id],
    dueDate: inDays(270),
    requires: [mfa.id],
    frequencyReduction: { low: 0.5, high: 0.8 },
  });
  await action({
    orgId,
    title: 'Out-of-band verification of bank detail changes',
    cost: 15_000,
    effortDays: 10,
    owner: 'Payroll manager',
    riskIds: [riskIds['bec-payroll-fraud']],
    objectiveIds: [people.id],
    status: 'done',
    dueDate: inDays(-45),
    frequencyReduction: { low: 0.6, high: 0.9 },
  });
  await action({
    orgId,
    title: 'PCI DSS scoping review with the fare vendor',
    cost: 40_000,
    effortDays: 20,
    owner: 'Transit revenue manager',
    riskIds: [riskIds['fare-card-breach']],
    magnitudeReduction: { low: 0.1, high: 0.3 },
  });
  await auditService.record(
    tx,
    { actor: SYSTEM_ACTOR },
    {
      orgId,
      action: 'risks.sample',
      targetType: 'organization',
      targetId: orgId,
      after: { risks: Object.keys(riskIds).length },
    },
  );
}
