import { SYSTEM_ACTOR } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import type { SampleContext } from '../../sample/example-city.js';
import { auditService } from '../audit/audit.service.js';
import { agreementsRepository, contactsRepository, partnersRepository } from './partners.repository.js';

const DAY = 86_400_000;
const daysFromNow = (d: number) => new Date(Date.now() + d * DAY);

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
  for (const a of agreementsData) await agreementsRepository.insert(tx, { orgId, ...a });
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
  await auditService.record(
    tx,
    { actor: SYSTEM_ACTOR },
    { orgId, action: 'partners.sample', targetType: 'organization', targetId: orgId, after: { partners: 4 } },
  );
}
