import { SYSTEM_ACTOR } from '../../context.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { sha256Hex } from '../../files.js';
import type { SampleContext } from '../../sample/example-city.js';
import { auditService } from '../audit/audit.service.js';
import { communitiesService } from '../intel/intel.service.js';
import {
  activitiesRepository,
  agreementsRepository,
  contactsRepository,
  documentsRepository,
  partnersRepository,
} from './partners.repository.js';

const DAY = 86_400_000;
const daysFromNow = (d: number) => new Date(Date.now() + d * DAY);
const isoDaysFromNow = (d: number) => daysFromNow(d).toISOString().slice(0, 10);

/** Example City partners (a power utility, an ISP, a university, the state fusion center), agreements and roster. */
export async function loadPartnersSample(tx: DbOrTx, s: SampleContext) {
  const orgId = s.orgIds.city;
  const power = await partnersRepository.insert(tx, {
    orgId,
    partnerOrgId: s.orgIds.power,
    name: 'Example Power & Light',
    category: 'utility',
    sector: 'Energy',
    services: ['Electricity to the water plant', 'Electricity to the 911 centre'],
    notes: 'Sample data.',
  });
  const isp = await partnersRepository.insert(tx, {
    orgId,
    partnerOrgId: s.orgIds.isp,
    name: 'Example Fiber',
    category: 'isp',
    sector: 'Telecommunications',
    services: ['City WAN', 'Internet uplink', 'SCADA backhaul'],
    notes: 'Sample data.',
  });
  const university = await partnersRepository.insert(tx, {
    orgId,
    name: 'Example State University',
    category: 'university',
    sector: 'Education and research',
    services: ['Student interns for the SOC', 'OT security research'],
    notes: 'Sample data.',
  });
  const fusion = await partnersRepository.insert(tx, {
    orgId,
    name: 'Example State Fusion Center',
    category: 'government',
    sector: 'Public safety',
    services: ['Threat intelligence sharing', 'Incident coordination'],
    notes: 'Sample data.',
  });
  const agreementsData = [
    {
      partnerId: power.id,
      kind: 'mutual-aid' as const,
      title: 'Sample: priority restoration for critical sites',
      startsAt: daysFromNow(-700),
      endsAt: daysFromNow(35),
      reminderDays: 60,
      notifyEmail: 'legal@example-city.test',
      scope: 'Outage status and restoration priorities for the water plant and 911 centre',
      tlp: 'amber',
    },
    {
      partnerId: isp.id,
      kind: 'service' as const,
      title: 'Sample: city network service agreement',
      startsAt: daysFromNow(-400),
      endsAt: daysFromNow(330),
      autoRenews: true,
      scope: 'Availability, incident notification within 1 hour',
      tlp: 'amber',
    },
    {
      partnerId: university.id,
      kind: 'research' as const,
      title: 'Sample: OT security research partnership',
      startsAt: daysFromNow(-100),
      endsAt: daysFromNow(630),
      scope: 'Anonymised SCADA network captures',
      tlp: 'amber+strict',
    },
    {
      partnerId: fusion.id,
      kind: 'data-sharing' as const,
      title: 'Sample: threat information sharing MoU',
      startsAt: daysFromNow(-900),
      endsAt: null,
      scope: 'Indicators and incident reports',
      tlp: 'green',
    },
  ];
  const created = [];
  for (const a of agreementsData) created.push(await agreementsRepository.insert(tx, { orgId, ...a }));
  const mou = Buffer.from(
    [
      'Sample data.',
      'Memorandum of understanding on threat information sharing',
      'between the Example City and the Example State Fusion Center.',
      'Scope: indicators and incident reports, shared under TLP:GREEN unless marked otherwise.',
      '',
    ].join('\n'),
  );
  await documentsRepository.insert(tx, {
    orgId,
    agreementId: created[3].id,
    title: 'Sample: signed MoU',
    fileName: 'sample-sharing-mou.txt',
    mediaType: 'text/plain',
    size: mou.length,
    sha256: sha256Hex(mou),
    content: mou,
    uploadedBy: SYSTEM_ACTOR.email,
  });
  const roster = [
    {
      partnerId: power.id,
      name: 'Grid Control Room',
      phone24x7: '+1 555 0100',
      service: 'Electricity',
      incidentType: 'Outage',
      escalationOrder: 1,
    },
    {
      partnerId: power.id,
      name: 'Alex Moreno',
      title: 'Key account manager',
      phone24x7: '+1 555 0101',
      email: 'alex.moreno@example-power.test',
      service: 'Electricity',
      incidentType: 'Outage',
      escalationOrder: 2,
    },
    {
      partnerId: isp.id,
      name: 'Example Fiber NOC',
      phone24x7: '+1 555 0200',
      email: 'noc@example-fiber.test',
      service: 'Network',
      incidentType: 'Outage',
      escalationOrder: 1,
    },
    {
      partnerId: fusion.id,
      name: 'Fusion Center Watch Desk',
      phone24x7: '+1 555 0300',
      email: 'watch@example-fusion.test',
      service: 'Any',
      incidentType: 'Cyber attack',
      escalationOrder: 1,
    },
    {
      partnerId: null,
      name: 'Maria Chen',
      title: 'CISO, Example City',
      phone24x7: '+1 555 0001',
      email: 'maria.chen@example-city.test',
      service: 'Any',
      incidentType: 'Cyber attack',
      escalationOrder: 2,
    },
    {
      partnerId: null,
      name: 'Water plant duty operator',
      title: 'Water and Wastewater',
      phone24x7: '+1 555 0010',
      email: 'plant.duty@example-city.test',
      service: 'Drinking water supply',
      incidentType: 'Cyber attack',
      escalationOrder: 1,
    },
    {
      partnerId: null,
      name: 'PSAP shift supervisor',
      title: 'Emergency Communications (911)',
      phone24x7: '+1 555 0011',
      email: 'psap.supervisor@example-city.test',
      service: '911 emergency dispatch',
      incidentType: 'Cyber attack',
      escalationOrder: 1,
    },
  ];
  for (const c of roster) await contactsRepository.insert(tx, { orgId, ...c });

  const community = (await communitiesService.communitiesOf({ db: tx as Db, actor: SYSTEM_ACTOR }, orgId))
    .items[0];
  const activities = [
    {
      kind: 'exercise' as const,
      title: 'Sample: regional ransomware tabletop exercise',
      description:
        'A ransomware attack on the water plant SCADA during a heat wave, played with the utility and ISP.',
      status: 'completed' as const,
      startsOn: isoDaysFromNow(-60),
      endsOn: isoDaysFromNow(-60),
      communityOrgId: community?.id ?? null,
      outcomes:
        'The utility had no after-hours contact for the plant: added to the roster. Manual operation of the plant tested for 4 hours.',
      partnerIds: [power.id, isp.id, fusion.id],
    },
    {
      kind: 'research' as const,
      title: 'Sample: anomaly detection on SCADA traffic',
      description:
        'The university analyses anonymised captures of the OT network under the research agreement.',
      status: 'ongoing' as const,
      startsOn: isoDaysFromNow(-90),
      endsOn: isoDaysFromNow(275),
      communityOrgId: null,
      outcomes: '',
      partnerIds: [university.id],
    },
    {
      kind: 'internship' as const,
      title: 'Sample: two SOC interns for the summer',
      description: 'Students of the university work in the city SOC on alert triage and asset inventory.',
      status: 'planned' as const,
      startsOn: isoDaysFromNow(150),
      endsOn: isoDaysFromNow(240),
      communityOrgId: null,
      outcomes: '',
      partnerIds: [university.id],
    },
    {
      kind: 'information-sharing' as const,
      title: 'Sample: quarterly threat briefing',
      description: 'The fusion center briefs the region on current campaigns against local governments.',
      status: 'completed' as const,
      startsOn: isoDaysFromNow(-20),
      endsOn: null,
      communityOrgId: community?.id ?? null,
      outcomes: 'Three indicators shared to the community; phishing lure added to the awareness programme.',
      partnerIds: [fusion.id],
    },
  ];
  for (const { partnerIds, ...a } of activities) {
    const row = await activitiesRepository.insert(tx, { orgId, ...a });
    await activitiesRepository.setPartners(tx, orgId, row.id, partnerIds);
  }
  await auditService.record(
    tx,
    { actor: SYSTEM_ACTOR },
    {
      orgId,
      action: 'partners.sample',
      targetType: 'organization',
      targetId: orgId,
      after: { partners: 4, activities: activities.length },
    },
  );
}
