import type { Rule } from './rules.js';

/**
 * Shipped notification rules. Each cites its source; windows were checked against the statute text or its
 * amending act (see the `citation` and `notes` of each rule). They are defaults for review by the city's
 * counsel, not legal advice: scope questions (is a city a "business" under a given state law? is it a NIS2
 * entity under national transposition?) are answered through the incident facts, which a person sets.
 */

const personalDataOfState = (state: string, min = 1) => ({
  all: [
    { fact: 'personalDataAffected', eq: true },
    { fact: 'residentsAffectedByState', key: state, gte: min },
  ],
});

const stateResidentDraft = (stateName: string) => ({
  subject: 'Notice of Data Breach – {{organizationName}}',
  body: `Dear {{state}} resident,

We are writing to tell you about a security incident at {{organizationName}} that involved some of your personal information.

What happened: {{incidentSummary}}
When: the incident occurred on or about {{occurredAt}} and was discovered on {{startAt}}.
What information was involved: {{dataCategories}}
What we are doing: {{measuresTaken}}
What you can do: review your account statements and credit reports; you may place a fraud alert or security freeze with the consumer reporting agencies free of charge.

For more information contact {{contactName}} at {{contactEmail}} or {{contactPhone}}.

This notice is provided under ${stateName} law ({{citation}}).`,
});

const regulatorDraft = {
  subject: 'Security breach notification – {{organizationName}} – {{residentsAffected}} {{state}} residents',
  body: `To: {{recipient}}

{{organizationName}} reports a breach of security of personal information under {{citation}}.

Incident reference: {{incidentId}}
Description: {{incidentSummary}}
Date of breach: {{occurredAt}}
Date of discovery / determination: {{startAt}}
Residents of {{state}} affected: {{residentsAffected}}
Categories of information: {{dataCategories}}
Measures taken and planned: {{measuresTaken}}
Law enforcement involvement: {{lawEnforcementContacted}}
Date notice to individuals was sent: {{earlierNotificationAt}}

Contact: {{contactName}}, {{contactEmail}}, {{contactPhone}}`,
};

export const SHIPPED_RULES: Rule[] = [
  // ------------------------------------------------------------------------------------------ EU NIS2 Art. 23
  {
    id: 'eu-nis2-early-warning',
    jurisdiction: 'EU',
    regime: 'NIS2',
    title: 'NIS2 early warning',
    citation: 'Directive (EU) 2022/2555 (NIS2), Art. 23(4)(a)',
    notes:
      'Say whether the incident is suspected to be unlawful or malicious and whether it could have a cross-border impact. National transposition law names the CSIRT or authority.',
    when: {
      all: [
        { fact: 'significantIncident', eq: true },
        { fact: 'entityType', in: ['essential', 'important'] },
      ],
    },
    start: { event: 'awareness' },
    deadline: { type: 'fixed', duration: { unit: 'hours', value: 24 } },
    recipients: [{ name: 'National CSIRT or competent authority', kind: 'csirt' }],
    draft: {
      subject: 'NIS2 early warning – {{organizationName}} – {{incidentId}}',
      body: `To: {{recipient}}

Early warning under {{citation}}.

Entity: {{organizationName}}
Became aware of the significant incident at: {{startAt}}
Summary: {{incidentSummary}}
Affected services: {{affectedServices}}
Suspected unlawful or malicious act: to be confirmed – see summary.
Possible cross-border impact: {{crossBorderImpact}}

An incident notification will follow by {{deadlineAt}} at the latest.
Contact: {{contactName}}, {{contactEmail}}, {{contactPhone}}`,
    },
  },
  {
    id: 'eu-nis2-incident-notification',
    jurisdiction: 'EU',
    regime: 'NIS2',
    title: 'NIS2 incident notification',
    citation: 'Directive (EU) 2022/2555 (NIS2), Art. 23(4)(b)',
    notes:
      'Update the early warning with an initial assessment (severity, impact) and indicators of compromise where available. Trust service providers: 24 hours.',
    when: {
      all: [
        { fact: 'significantIncident', eq: true },
        { fact: 'entityType', in: ['essential', 'important'] },
      ],
    },
    start: { event: 'awareness' },
    deadline: { type: 'fixed', duration: { unit: 'hours', value: 72 } },
    recipients: [{ name: 'National CSIRT or competent authority', kind: 'csirt' }],
    draft: {
      subject: 'NIS2 incident notification – {{organizationName}} – {{incidentId}}',
      body: `To: {{recipient}}

Incident notification under {{citation}}, updating the early warning of {{earlierNotificationAt}}.

Entity: {{organizationName}}
Became aware at: {{startAt}}
Initial assessment (severity and impact): {{incidentSummary}}
Affected services: {{affectedServices}}
Likely consequences: {{likelyConsequences}}
Measures taken: {{measuresTaken}}
Cross-border impact: {{crossBorderImpact}}
Indicators of compromise: attached where available.

Contact: {{contactName}}, {{contactEmail}}, {{contactPhone}}`,
    },
  },
  {
    id: 'eu-nis2-final-report',
    jurisdiction: 'EU',
    regime: 'NIS2',
    title: 'NIS2 final report',
    citation: 'Directive (EU) 2022/2555 (NIS2), Art. 23(4)(d)–(e)',
    notes:
      'Counted from the submission of the incident notification. If the incident is still ongoing then, send a progress report instead and the final report within one month of handling the incident.',
    when: {
      all: [
        { fact: 'significantIncident', eq: true },
        { fact: 'entityType', in: ['essential', 'important'] },
      ],
    },
    start: { event: 'notificationSent', after: 'eu-nis2-incident-notification' },
    deadline: { type: 'fixed', duration: { unit: 'months', value: 1 } },
    recipients: [{ name: 'National CSIRT or competent authority', kind: 'csirt' }],
    draft: {
      subject: 'NIS2 final report – {{organizationName}} – {{incidentId}}',
      body: `To: {{recipient}}

Final report under {{citation}}; incident notification submitted on {{startAt}}.

(a) Detailed description, severity and impact: {{incidentSummary}}
(b) Type of threat or root cause that likely triggered the incident: see description.
(c) Mitigation measures applied and ongoing: {{measuresTaken}}
(d) Cross-border impact: {{crossBorderImpact}}

Contact: {{contactName}}, {{contactEmail}}, {{contactPhone}}`,
    },
  },

  // ------------------------------------------------------------------------------------------ GDPR
  {
    id: 'eu-gdpr-art33-supervisory-authority',
    jurisdiction: 'EU',
    regime: 'GDPR',
    title: 'GDPR personal data breach notification to the supervisory authority',
    citation: 'Regulation (EU) 2016/679 (GDPR), Art. 33(1) and (3)',
    notes:
      'Not required when the breach is unlikely to result in a risk to individuals (document that assessment, Art. 33(5)). A late notification must give the reasons for the delay; information may be provided in phases (Art. 33(4)).',
    when: {
      all: [
        { fact: 'subjectToGdpr', eq: true },
        { fact: 'personalDataAffected', eq: true },
        { not: { fact: 'riskToIndividualsUnlikely', eq: true } },
      ],
    },
    start: { event: 'awareness' },
    deadline: { type: 'fixed', duration: { unit: 'hours', value: 72 } },
    recipients: [{ name: 'Competent data protection supervisory authority', kind: 'supervisory-authority' }],
    draft: {
      subject: 'Personal data breach notification (GDPR Art. 33) – {{organizationName}}',
      body: `To: {{recipient}}

{{organizationName}}, as controller, notifies a personal data breach under {{citation}}.

Became aware at: {{startAt}}
Nature of the breach: {{incidentSummary}}
Categories of personal data: {{dataCategories}}
Approximate number of data subjects: {{individualsAffected}}
Likely consequences: {{likelyConsequences}}
Measures taken or proposed, including mitigation: {{measuresTaken}}
Data protection officer / contact point: {{contactName}}, {{contactEmail}}, {{contactPhone}}`,
    },
  },
  {
    id: 'eu-gdpr-art34-data-subjects',
    jurisdiction: 'EU',
    regime: 'GDPR',
    title: 'GDPR communication of a personal data breach to data subjects',
    citation: 'Regulation (EU) 2016/679 (GDPR), Art. 34(1)–(2)',
    notes:
      'Required without undue delay when the breach is likely to result in a high risk; not required if the data was unintelligible (e.g. encrypted), the risk no longer likely, or (with public communication instead) disproportionate effort (Art. 34(3)). The 72-hour target is our policy, not the law.',
    when: {
      all: [
        { fact: 'subjectToGdpr', eq: true },
        { fact: 'personalDataAffected', eq: true },
        { fact: 'highRiskToIndividuals', eq: true },
      ],
    },
    start: { event: 'awareness' },
    deadline: { type: 'withoutUndueDelay', target: { unit: 'hours', value: 72 } },
    recipients: [{ name: 'Affected data subjects', kind: 'individuals' }],
    draft: {
      subject: 'Important information about your personal data – {{organizationName}}',
      body: `Dear resident,

We are informing you of a breach affecting your personal data held by {{organizationName}}.

What happened: {{incidentSummary}}
Likely consequences for you: {{likelyConsequences}}
What we have done and will do: {{measuresTaken}}

Our data protection officer, {{contactName}}, can answer your questions at {{contactEmail}} or {{contactPhone}}.`,
    },
  },

  // ------------------------------------------------------------------------------------------ US CIRCIA
  {
    id: 'us-circia-covered-incident',
    jurisdiction: 'US',
    regime: 'CIRCIA',
    title: 'CIRCIA covered cyber incident report to CISA',
    citation: '6 U.S.C. § 681b(a)(1) (Cyber Incident Reporting for Critical Infrastructure Act of 2022)',
    notes:
      'Reporting obligations apply from the effective date of CISA’s final rule; confirm that date and the covered-entity criteria before relying on this clock.',
    when: {
      all: [
        { fact: 'coveredEntity', eq: true },
        { fact: 'coveredCyberIncident', eq: true },
      ],
    },
    start: { event: 'reasonableBelief' },
    deadline: { type: 'fixed', duration: { unit: 'hours', value: 72 } },
    recipients: [{ name: 'Cybersecurity and Infrastructure Security Agency (CISA)', kind: 'authority' }],
    draft: {
      subject: 'CIRCIA covered cyber incident report – {{organizationName}}',
      body: `To: {{recipient}}

Covered cyber incident report under {{citation}}.

Covered entity: {{organizationName}}
Reasonable belief that a covered cyber incident occurred: {{startAt}}
Description, including affected systems and services: {{incidentSummary}}
Affected services: {{affectedServices}}
Estimated date range of the incident: from {{occurredAt}}
Impact on operations: {{likelyConsequences}}
Response and mitigation measures: {{measuresTaken}}
Law enforcement engaged: {{lawEnforcementContacted}}

Contact: {{contactName}}, {{contactEmail}}, {{contactPhone}}`,
    },
  },
  {
    id: 'us-circia-ransom-payment',
    jurisdiction: 'US',
    regime: 'CIRCIA',
    title: 'CIRCIA ransom payment report to CISA',
    citation: '6 U.S.C. § 681b(a)(2)',
    notes:
      'Due even when the ransomware attack is not itself a covered cyber incident. Applies from the effective date of CISA’s final rule.',
    when: {
      all: [
        { fact: 'coveredEntity', eq: true },
        { fact: 'ransomPaid', eq: true },
      ],
    },
    start: { event: 'ransomPaid' },
    deadline: { type: 'fixed', duration: { unit: 'hours', value: 24 } },
    recipients: [{ name: 'Cybersecurity and Infrastructure Security Agency (CISA)', kind: 'authority' }],
    draft: {
      subject: 'CIRCIA ransom payment report – {{organizationName}}',
      body: `To: {{recipient}}

Ransom payment report under {{citation}}.

Covered entity: {{organizationName}}
Date of payment: {{ransomPaidAt}}
Amount and form of payment: {{ransomAmount}}
Ransomware attack description: {{incidentSummary}}
Affected services: {{affectedServices}}
Law enforcement engaged: {{lawEnforcementContacted}}

Contact: {{contactName}}, {{contactEmail}}, {{contactPhone}}`,
    },
  },

  // ------------------------------------------------------------------------------------------ US states
  {
    id: 'us-ca-residents',
    jurisdiction: 'US-CA',
    regime: 'California data breach law',
    title: 'California: notify affected residents',
    citation: 'Cal. Civ. Code § 1798.82(a), as amended by SB 446 (2025), in force 1 January 2026',
    notes:
      'Within 30 calendar days of discovery or notification of the breach; delay allowed for law enforcement or to determine scope and restore integrity. State agencies fall under § 1798.29, which keeps "most expedient time possible and without unreasonable delay".',
    when: personalDataOfState('CA'),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 30 } },
    recipients: [{ name: 'Affected California residents', kind: 'individuals' }],
    draft: stateResidentDraft('California'),
  },
  {
    id: 'us-ca-attorney-general',
    jurisdiction: 'US-CA',
    regime: 'California data breach law',
    title: 'California: sample notice to the Attorney General (more than 500 residents)',
    citation: 'Cal. Civ. Code § 1798.82(f), as amended by SB 446 (2025)',
    notes: 'Submit one sample copy electronically within 15 calendar days of notifying the residents.',
    when: personalDataOfState('CA', 501),
    start: { event: 'notificationSent', after: 'us-ca-residents' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 15 } },
    recipients: [{ name: 'California Attorney General', kind: 'attorney-general' }],
    draft: regulatorDraft,
  },
  {
    id: 'us-co-residents',
    jurisdiction: 'US-CO',
    regime: 'Colorado data breach law',
    title: 'Colorado: notify affected residents',
    citation: 'C.R.S. § 6-1-716(2) (covered entities); § 24-73-103(2) (governmental entities)',
    notes: 'Not later than 30 days after the determination that a security breach occurred.',
    when: personalDataOfState('CO'),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 30 } },
    recipients: [{ name: 'Affected Colorado residents', kind: 'individuals' }],
    draft: stateResidentDraft('Colorado'),
  },
  {
    id: 'us-co-attorney-general',
    jurisdiction: 'US-CO',
    regime: 'Colorado data breach law',
    title: 'Colorado: notify the Attorney General (500 or more residents)',
    citation: 'C.R.S. § 6-1-716(2) (covered entities); § 24-73-103(2) (governmental entities)',
    when: personalDataOfState('CO', 500),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 30 } },
    recipients: [{ name: 'Colorado Attorney General', kind: 'attorney-general' }],
    draft: regulatorDraft,
  },
  {
    id: 'us-fl-individuals',
    jurisdiction: 'US-FL',
    regime: 'Florida Information Protection Act',
    title: 'Florida: notify affected individuals',
    citation: 'Fla. Stat. § 501.171(4)(a)',
    notes:
      'No later than 30 days after the determination of a breach or reason to believe one occurred; up to 15 more days if good cause is given in writing to the Department of Legal Affairs within the 30 days.',
    when: personalDataOfState('FL'),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 30 } },
    recipients: [{ name: 'Affected Florida residents', kind: 'individuals' }],
    draft: stateResidentDraft('Florida'),
  },
  {
    id: 'us-fl-department-of-legal-affairs',
    jurisdiction: 'US-FL',
    regime: 'Florida Information Protection Act',
    title: 'Florida: notify the Department of Legal Affairs (500 or more individuals)',
    citation: 'Fla. Stat. § 501.171(3)(a)',
    notes: 'Up to 15 additional days if good cause for delay is provided in writing within the 30 days.',
    when: personalDataOfState('FL', 500),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 30 } },
    recipients: [{ name: 'Florida Department of Legal Affairs', kind: 'attorney-general' }],
    draft: regulatorDraft,
  },
  {
    id: 'us-wa-residents',
    jurisdiction: 'US-WA',
    regime: 'Washington data breach law',
    title: 'Washington: notify affected residents',
    citation: 'RCW 19.255.010 (persons and businesses); RCW 42.56.590 (agencies)',
    notes:
      'No more than 30 calendar days after the breach was discovered, unless law enforcement asks for delay.',
    when: personalDataOfState('WA'),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 30 } },
    recipients: [{ name: 'Affected Washington residents', kind: 'individuals' }],
    draft: stateResidentDraft('Washington'),
  },
  {
    id: 'us-wa-attorney-general',
    jurisdiction: 'US-WA',
    regime: 'Washington data breach law',
    title: 'Washington: notify the Attorney General (more than 500 residents)',
    citation: 'RCW 19.255.010 (persons and businesses); RCW 42.56.590 (agencies)',
    when: personalDataOfState('WA', 501),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 30 } },
    recipients: [{ name: 'Washington Attorney General', kind: 'attorney-general' }],
    draft: regulatorDraft,
  },
  {
    id: 'us-tx-individuals',
    jurisdiction: 'US-TX',
    regime: 'Texas Identity Theft Enforcement and Protection Act',
    title: 'Texas: notify affected individuals',
    citation: 'Tex. Bus. & Com. Code § 521.053(b)',
    notes: 'Without unreasonable delay and not later than the 60th day after the breach is determined.',
    when: personalDataOfState('TX'),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 60 } },
    recipients: [{ name: 'Affected Texas residents', kind: 'individuals' }],
    draft: stateResidentDraft('Texas'),
  },
  {
    id: 'us-tx-attorney-general',
    jurisdiction: 'US-TX',
    regime: 'Texas Identity Theft Enforcement and Protection Act',
    title: 'Texas: notify the Attorney General (250 or more residents)',
    citation: 'Tex. Bus. & Com. Code § 521.053(i), as amended by SB 768 (2023)',
    notes:
      'Electronic form on the Attorney General’s website; not later than the 30th day after determination.',
    when: personalDataOfState('TX', 250),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 30 } },
    recipients: [{ name: 'Texas Attorney General', kind: 'attorney-general' }],
    draft: regulatorDraft,
  },
  {
    id: 'us-oh-residents',
    jurisdiction: 'US-OH',
    regime: 'Ohio data breach law',
    title: 'Ohio: notify affected residents',
    citation: 'Ohio Rev. Code § 1349.19(B)(2); public agencies: § 1347.12',
    notes:
      'Most expedient time possible but not later than 45 days following discovery or notification of the breach.',
    when: personalDataOfState('OH'),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 45 } },
    recipients: [{ name: 'Affected Ohio residents', kind: 'individuals' }],
    draft: stateResidentDraft('Ohio'),
  },
  {
    id: 'us-me-residents',
    jurisdiction: 'US-ME',
    regime: 'Maine Notice of Risk to Personal Data Act',
    title: 'Maine: notify affected residents',
    citation: '10 M.R.S. § 1348(1)',
    notes:
      'No more than 30 days after becoming aware of the breach and identifying its scope; if law enforcement delayed notice, within 7 business days after it allows notice. The Attorney General (or the regulator) must also be notified.',
    when: personalDataOfState('ME'),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 30 } },
    recipients: [{ name: 'Affected Maine residents', kind: 'individuals' }],
    draft: stateResidentDraft('Maine'),
  },
  {
    id: 'us-vt-attorney-general-preliminary',
    jurisdiction: 'US-VT',
    regime: 'Vermont Security Breach Notice Act',
    title: 'Vermont: preliminary notice to the Attorney General',
    citation: '9 V.S.A. § 2435(b)(3)(A)(i)',
    notes:
      'Within 14 business days of discovery, or when consumers are notified if that is sooner. Entities regulated by the Department of Financial Regulation notify the Department instead.',
    when: personalDataOfState('VT'),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'businessDays', value: 14 } },
    recipients: [{ name: 'Vermont Attorney General', kind: 'attorney-general' }],
    draft: regulatorDraft,
  },
  {
    id: 'us-vt-consumers',
    jurisdiction: 'US-VT',
    regime: 'Vermont Security Breach Notice Act',
    title: 'Vermont: notify affected consumers',
    citation: '9 V.S.A. § 2435(b)(1)',
    notes: 'Most expedient time possible, not later than 45 days after discovery or notification.',
    when: personalDataOfState('VT'),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 45 } },
    recipients: [{ name: 'Affected Vermont residents', kind: 'individuals' }],
    draft: stateResidentDraft('Vermont'),
  },
  {
    id: 'us-ny-residents',
    jurisdiction: 'US-NY',
    regime: 'New York SHIELD Act',
    title: 'New York: notify affected residents',
    citation: 'N.Y. Gen. Bus. Law § 899-aa(2), as amended December 2024 (S2659B)',
    notes:
      'Within 30 days after discovery; only the legitimate needs of law enforcement justify delay. Also notify the Attorney General, Department of State, Division of State Police and Department of Financial Services. State entities: State Technology Law § 208.',
    when: personalDataOfState('NY'),
    start: { event: 'breachDetermined' },
    deadline: { type: 'fixed', duration: { unit: 'calendarDays', value: 30 } },
    recipients: [{ name: 'Affected New York residents', kind: 'individuals' }],
    draft: stateResidentDraft('New York'),
  },
  {
    id: 'us-il-residents',
    jurisdiction: 'US-IL',
    regime: 'Illinois Personal Information Protection Act',
    title: 'Illinois: notify affected residents',
    citation: '815 ILCS 530/10(a)',
    notes:
      'The statute says "in the most expedient time possible and without unreasonable delay" with no fixed window; the 30-day target is our policy.',
    when: personalDataOfState('IL'),
    start: { event: 'breachDetermined' },
    deadline: { type: 'withoutUndueDelay', target: { unit: 'calendarDays', value: 30 } },
    recipients: [{ name: 'Affected Illinois residents', kind: 'individuals' }],
    draft: stateResidentDraft('Illinois'),
  },
];
