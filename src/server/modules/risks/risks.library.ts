import type { FairInputs } from '../../db/schema/risks.js';

export interface LibraryScenario {
  key: string;
  title: string;
  threat: string;
  scenario: string;
  attackTechniques: string[];
  /** Tags of the services or systems the scenario usually concerns, to help a city pick its own. */
  appliesTo: string[];
  inherentLikelihood: number;
  inherentImpact: number;
  fair: FairInputs;
}

/**
 * Starter scenarios for a municipality. Figures are starting points for a mid-sized city (about 250,000
 * residents), in its currency; each city adapts them to its own estimates before relying on them.
 */
export const RISK_LIBRARY: LibraryScenario[] = [
  {
    key: 'ransomware-911-cad',
    title: 'Ransomware on 911 dispatch',
    threat: 'Criminal ransomware group',
    scenario:
      'Ransomware encrypts the computer-aided dispatch servers and the workstations of the answering point; dispatchers fall back to paper cards and radio while CAD is rebuilt.',
    attackTechniques: ['T1486', 'T1190', 'T1078', 'T1490'],
    appliesTo: ['911'],
    inherentLikelihood: 3,
    inherentImpact: 5,
    fair: {
      lossEventFrequency: { kind: 'pert', low: 0.02, mode: 0.08, high: 0.3 },
      primaryLoss: { kind: 'lognormal', low: 250_000, high: 4_000_000 },
      secondaryLoss: {
        probability: { kind: 'pert', low: 0.1, mode: 0.3, high: 0.6 },
        magnitude: { kind: 'lognormal', low: 100_000, high: 3_000_000 },
      },
    },
  },
  {
    key: 'water-scada-compromise',
    title: 'Compromise of water treatment control',
    threat: 'State-sponsored or hacktivist actor targeting internet-exposed OT',
    scenario:
      'An attacker reaches the water plant HMI through remote access and changes chemical dosing set points; operators detect it and run the plant manually, with a boil-water advisory.',
    attackTechniques: ['T0883', 'T0886', 'T0836', 'T0831'],
    appliesTo: ['water', 'scada'],
    inherentLikelihood: 2,
    inherentImpact: 5,
    fair: {
      threatEventFrequency: { kind: 'pert', low: 0.5, mode: 2, high: 6 },
      vulnerability: { kind: 'pert', low: 0.01, mode: 0.05, high: 0.15 },
      primaryLoss: { kind: 'lognormal', low: 200_000, high: 5_000_000 },
      secondaryLoss: {
        probability: { kind: 'pert', low: 0.2, mode: 0.5, high: 0.8 },
        magnitude: { kind: 'lognormal', low: 500_000, high: 10_000_000 },
      },
    },
  },
  {
    key: 'fare-card-breach',
    title: 'Payment card breach at the fare system',
    threat: 'Financially motivated intruder',
    scenario:
      'Card data of transit riders is skimmed from the fare back office or its integrations; the city pays for forensics, card reissue and PCI assessments.',
    attackTechniques: ['T1190', 'T1005', 'T1041'],
    appliesTo: ['pci', 'transit'],
    inherentLikelihood: 2,
    inherentImpact: 4,
    fair: {
      lossEventFrequency: { kind: 'pert', low: 0.02, mode: 0.1, high: 0.25 },
      primaryLoss: { kind: 'lognormal', low: 100_000, high: 1_500_000 },
      secondaryLoss: {
        probability: { kind: 'pert', low: 0.3, mode: 0.6, high: 0.9 },
        magnitude: { kind: 'lognormal', low: 150_000, high: 4_000_000 },
      },
    },
  },
  {
    key: 'identity-outage',
    title: 'Outage of the identity provider',
    threat: 'Failure, misconfiguration or destructive attack on Active Directory',
    scenario:
      'Domain controllers become unavailable; staff cannot sign in to email, payroll, permits or dispatch support systems until the directory is restored.',
    attackTechniques: ['T1485', 'T1489', 'T1078.002'],
    appliesTo: ['identity'],
    inherentLikelihood: 3,
    inherentImpact: 4,
    fair: {
      lossEventFrequency: { kind: 'pert', low: 0.1, mode: 0.3, high: 1 },
      primaryLoss: { kind: 'lognormal', low: 50_000, high: 800_000 },
    },
  },
  {
    key: 'bec-payroll-fraud',
    title: 'Business email compromise diverting payroll or vendor payments',
    threat: 'Fraudster using a compromised or look-alike mailbox',
    scenario:
      'A phished mailbox is used to change an employee’s or a vendor’s bank details; one or more payments go to the fraudster before it is noticed.',
    attackTechniques: ['T1566.002', 'T1114', 'T1534'],
    appliesTo: ['finance'],
    inherentLikelihood: 4,
    inherentImpact: 3,
    fair: {
      threatEventFrequency: { kind: 'pert', low: 5, mode: 20, high: 60 },
      vulnerability: { kind: 'pert', low: 0.005, mode: 0.02, high: 0.06 },
      primaryLoss: { kind: 'lognormal', low: 10_000, high: 400_000 },
    },
  },
  {
    key: 'permits-portal-ddos',
    title: 'Denial of service on the permits and payments portals',
    threat: 'Hacktivist DDoS campaign',
    scenario:
      'Online permits and payments are unreachable for a day or more; counters absorb the demand and deadlines are extended.',
    attackTechniques: ['T1498', 'T1499'],
    appliesTo: ['internet-facing'],
    inherentLikelihood: 3,
    inherentImpact: 2,
    fair: {
      lossEventFrequency: { kind: 'pert', low: 0.2, mode: 1, high: 3 },
      primaryLoss: { kind: 'pert', low: 5_000, mode: 25_000, high: 150_000 },
    },
  },
  {
    key: 'traffic-signal-tampering',
    title: 'Tampering with traffic signal controllers',
    threat: 'Intruder exploiting exposed controller management interfaces',
    scenario:
      'Signal timing is changed or controllers are put into flash at several intersections; crews reset them on site.',
    attackTechniques: ['T0855', 'T0836', 'T0813'],
    appliesTo: ['traffic'],
    inherentLikelihood: 2,
    inherentImpact: 4,
    fair: {
      lossEventFrequency: { kind: 'pert', low: 0.02, mode: 0.1, high: 0.4 },
      primaryLoss: { kind: 'lognormal', low: 20_000, high: 600_000 },
      secondaryLoss: {
        probability: { kind: 'pert', low: 0.05, mode: 0.15, high: 0.4 },
        magnitude: { kind: 'lognormal', low: 100_000, high: 5_000_000 },
      },
    },
  },
];
