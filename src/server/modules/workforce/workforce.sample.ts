import { SYSTEM_ACTOR } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import type { SampleContext } from '../../sample/example-city.js';
import { auditService } from '../audit/audit.service.js';
import {
  assignmentsRepository,
  awarenessRepository,
  peopleRepository,
  phishingRepository,
  roleNeedsRepository,
  trainingsRepository,
} from './workforce.repository.js';

const DAY = 86_400_000;
const daysFromNow = (d: number) => new Date(Date.now() + d * DAY);

// [userName, name, title, department key, manager userName, NICE roles, OT staff]
const STAFF: [string, string, string, string, string | null, string[], boolean][] = [
  [
    'maria.chen',
    'Maria Chen',
    'Chief Information Security Officer',
    'it',
    null,
    ['OG-WRL-007', 'OG-WRL-002'],
    false,
  ],
  ['omar.haddad', 'Omar Haddad', 'Security Analyst', 'it', 'maria.chen', ['PD-WRL-001', 'PD-WRL-003'], false],
  ['lena.novak', 'Lena Novak', 'Network Engineer', 'it', 'maria.chen', ['IO-WRL-004'], false],
  ['sam.okafor', 'Sam Okafor', 'Systems Administrator', 'it', 'maria.chen', ['IO-WRL-005'], false],
  ['jorge.silva', 'Jorge Silva', 'SCADA Engineer', 'water', 'ruth.adams', ['DD-WRL-009'], true],
  ['ruth.adams', 'Ruth Adams', 'Water Operations Manager', 'water', null, [], true],
  ['kim.tran', 'Kim Tran', 'Plant Operator', 'water', 'ruth.adams', [], true],
  ['dev.patel', 'Dev Patel', '911 Shift Supervisor', 'ecc', null, [], false],
  ['ana.lopez', 'Ana Lopez', 'Dispatcher', 'ecc', 'dev.patel', [], false],
  ['tom.berg', 'Tom Berg', 'Traffic Systems Technician', 'transport', null, [], true],
  ['grace.kim', 'Grace Kim', 'Payroll Officer', 'finance', null, [], false],
  ['ivan.petrov', 'Ivan Petrov', 'Accounts Payable Clerk', 'finance', 'grace.kim', [], false],
];

/** Example City staff, two training programmes part-way done, one phishing campaign and one public campaign. */
export async function loadWorkforceSample(tx: DbOrTx, s: SampleContext) {
  const orgId = s.orgIds.city;
  const ids = new Map<string, string>();
  for (const [userName, displayName, jobTitle, dept, , roles, ot] of STAFF) {
    const [givenName, familyName] = displayName.split(' ');
    const p = await peopleRepository.insert(tx, {
      orgId,
      userName: `${userName}@example-city.test`,
      email: `${userName}@example-city.test`,
      givenName,
      familyName,
      displayName,
      jobTitle,
      departmentOrgId: s.orgIds[dept],
      workRoleIds: roles,
      competencyIds: ot ? ['NF-COM-010'] : [],
      otStaff: ot,
    });
    ids.set(userName, p.id);
  }
  for (const [userName, , , , manager] of STAFF) {
    if (manager)
      await peopleRepository.update(tx, ids.get(userName) as string, { managerId: ids.get(manager) });
  }
  await roleNeedsRepository.replace(tx, orgId, [
    { roleId: 'OG-WRL-007', count: 1 },
    { roleId: 'PD-WRL-001', count: 2 },
    { roleId: 'PD-WRL-003', count: 1 },
    { roleId: 'DD-WRL-009', count: 2 },
    { roleId: 'IO-WRL-004', count: 1 },
  ]);

  const awareness = await trainingsRepository.insert(tx, {
    orgId,
    title: 'Annual security awareness',
    topic: 'Phishing, passwords and reporting',
    delivery: 'internal',
    durationMinutes: 45,
    audienceKind: 'everyone',
    dueAt: daysFromNow(-20),
    recurrence: 'annual',
  });
  const ics = await trainingsRepository.insert(tx, {
    orgId,
    title: 'ICS/SCADA security fundamentals',
    topic: 'OT security',
    delivery: 'external',
    durationMinutes: 480,
    audienceKind: 'ot',
    dueAt: daysFromNow(60),
    recurrence: 'none',
  });
  const people = [...ids.entries()];
  await assignmentsRepository.insertMany(
    tx,
    people.map(([, personId], i) => ({
      orgId,
      trainingId: awareness.id,
      personId,
      dueAt: awareness.dueAt,
      // Two thirds done, through the LMS export; the rest are overdue.
      ...(i % 3 !== 2 ? { completedAt: daysFromNow(-40 + i), completionSource: 'lms' as const } : {}),
    })),
  );
  const otStaff = STAFF.filter((r) => r[6]).map((r) => ids.get(r[0]) as string);
  await assignmentsRepository.insertMany(
    tx,
    otStaff.map((personId, i) => ({
      orgId,
      trainingId: ics.id,
      personId,
      dueAt: ics.dueAt,
      ...(i === 0 ? { completedAt: daysFromNow(-5), completionSource: 'manual' as const } : {}),
    })),
  );

  const sent = daysFromNow(-35);
  const at = (minutes: number) => new Date(sent.getTime() + minutes * 60_000);
  const campaign = await phishingRepository.insertCampaign(tx, {
    orgId,
    name: 'Sample: payroll update lure',
    source: 'gophish-results-csv',
    launchedAt: sent,
  });
  // [userName, opened, clicked, submitted, reported] minutes after sending
  const outcomes: [string, number | null, number | null, number | null, number | null][] = [
    ['maria.chen', 5, null, null, 7],
    ['omar.haddad', 2, null, null, 3],
    ['lena.novak', 30, null, null, null],
    ['sam.okafor', null, null, null, null],
    ['jorge.silva', 12, 13, null, null],
    ['ruth.adams', 50, null, null, 55],
    ['kim.tran', 8, 9, 10, null],
    ['dev.patel', null, null, null, null],
    ['ana.lopez', 15, 16, null, 40],
    ['tom.berg', 20, null, null, null],
    ['grace.kim', 3, 4, 5, null],
    ['ivan.petrov', 6, 7, null, null],
  ];
  const deptOf = new Map(STAFF.map((r) => [r[0], s.orgIds[r[3]]]));
  await phishingRepository.insertResults(
    tx,
    outcomes.map(([u, opened, clicked, submitted, reported]) => ({
      orgId,
      campaignId: campaign.id,
      personId: ids.get(u),
      email: `${u}@example-city.test`,
      departmentOrgId: deptOf.get(u),
      sentAt: sent,
      openedAt: opened === null ? null : at(opened),
      clickedAt: clicked === null ? null : at(clicked),
      submittedAt: submitted === null ? null : at(submitted),
      reportedAt: reported === null ? null : at(reported),
    })),
  );

  await awarenessRepository.insert(tx, {
    orgId,
    title: 'Sample: Cyber Safe Seniors',
    audience: 'Residents over 65 and their families',
    channels: ['library talks', 'local radio', 'leaflets at pharmacies'],
    startsAt: daysFromNow(-90),
    endsAt: daysFromNow(-60),
    reach: 18500,
    engagement: 640,
    materials: [{ title: 'Leaflet: spotting scam calls', url: 'https://example.org/cyber-safe-seniors.pdf' }],
  });
  await auditService.record(
    tx,
    { actor: SYSTEM_ACTOR },
    {
      orgId,
      action: 'workforce.sample',
      targetType: 'organization',
      targetId: orgId,
      after: { people: STAFF.length },
    },
  );
}
