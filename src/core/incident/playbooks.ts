import { z } from 'zod';
import { NICE_WORK_ROLES } from '../workforce/nice.js';
import { CSF_CATEGORY_IDS, type CsfCategory } from './csf.js';
import { PHASES, type Phase } from './workflow.js';

/**
 * Shipped incident-response playbooks. They are versioned templates: an organization copies one, edits it, and
 * bumps the version, while incidents keep the version they were opened from. Each task names the CSF 2.0
 * category it serves (as SP 800-61r3 maps response activities onto CSF 2.0), the response phase it belongs to,
 * and a responder role mapped to a NICE work role where one fits.
 */

export const RESPONDER_ROLES = {
  'incident-lead': { name: 'Incident lead', niceWorkRoleId: 'PD-WRL-003' },
  'security-analyst': { name: 'Security analyst (SOC)', niceWorkRoleId: 'PD-WRL-001' },
  forensics: { name: 'Forensic analyst', niceWorkRoleId: 'PD-WRL-002' },
  'threat-analyst': { name: 'Threat intelligence analyst', niceWorkRoleId: 'PD-WRL-006' },
  'it-operations': { name: 'IT systems administrator', niceWorkRoleId: 'IO-WRL-005' },
  'network-operations': { name: 'Network operations', niceWorkRoleId: 'IO-WRL-004' },
  'help-desk': { name: 'Service desk', niceWorkRoleId: 'IO-WRL-007' },
  'ot-engineer': { name: 'OT cybersecurity engineer', niceWorkRoleId: 'DD-WRL-009' },
  ciso: { name: 'Chief information security officer', niceWorkRoleId: 'OG-WRL-007' },
  'legal-counsel': { name: 'City attorney / legal counsel', niceWorkRoleId: 'OG-WRL-006' },
  'privacy-officer': { name: 'Privacy officer / DPO', niceWorkRoleId: 'OG-WRL-008' },
  communications: { name: 'Public information officer', niceWorkRoleId: null },
  executive: { name: 'City manager / executive sponsor', niceWorkRoleId: null },
  'plant-operator': { name: 'Water plant operations supervisor', niceWorkRoleId: null },
} as const satisfies Record<string, { name: string; niceWorkRoleId: string | null }>;

export type ResponderRole = keyof typeof RESPONDER_ROLES;
const ROLE_IDS = Object.keys(RESPONDER_ROLES) as [ResponderRole, ...ResponderRole[]];

export const INCIDENT_TYPES = [
  'ransomware',
  'ddos',
  'business-email-compromise',
  'data-breach',
  'ot-compromise',
  'account-compromise',
  'defacement',
  'other',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const PlaybookTaskSchema = z.strictObject({
  id: z.string().regex(/^[a-z]+-\d{2}$/, 'task id must look like "rw-01"'),
  title: z.string().min(3),
  description: z.string().min(10),
  phase: z.enum(PHASES),
  csf: z.enum(CSF_CATEGORY_IDS as [CsfCategory, ...CsfCategory[]]),
  role: z.enum(ROLE_IDS),
  checklist: z.array(z.string().min(3)).min(1),
});

export const PlaybookSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'version must be semantic (e.g. 1.0.0)'),
  title: z.string().min(3),
  incidentType: z.enum(INCIDENT_TYPES),
  summary: z.string().min(10),
  tasks: z.array(PlaybookTaskSchema).min(1),
});

export type PlaybookTask = z.infer<typeof PlaybookTaskSchema>;
export type Playbook = z.infer<typeof PlaybookSchema>;

/** Schema errors plus the checks a schema cannot express: unique task ids and tasks ordered by phase. */
export function validatePlaybook(input: unknown): string[] {
  const parsed = PlaybookSchema.safeParse(input);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(playbook)'}: ${i.message}`);
  }
  const p = parsed.data;
  const problems: string[] = [];
  const seen = new Set<string>();
  let lastPhase = 0;
  p.tasks.forEach((t, i) => {
    if (seen.has(t.id)) problems.push(`tasks[${i}].id: duplicate task id "${t.id}"`);
    seen.add(t.id);
    const ph = PHASES.indexOf(t.phase as Phase);
    if (ph < lastPhase) {
      problems.push(
        `tasks[${i}] (${t.id}): phase ${t.phase} comes after a task in ${PHASES[lastPhase]}; order tasks by phase`,
      );
    }
    lastPhase = Math.max(lastPhase, ph);
  });
  return problems;
}

/** Ensures every responder role points at a NICE work role that exists. */
export function unknownNiceRoleMappings(): string[] {
  const ids = new Set(NICE_WORK_ROLES.map((r) => r.id));
  return Object.entries(RESPONDER_ROLES)
    .filter(([, r]) => r.niceWorkRoleId !== null && !ids.has(r.niceWorkRoleId))
    .map(([k, r]) => `${k} → ${r.niceWorkRoleId}`);
}

type TaskTuple = [
  id: string,
  phase: Phase,
  csf: CsfCategory,
  role: ResponderRole,
  title: string,
  description: string,
  checklist: string[],
];
const tasks = (rows: TaskTuple[]): PlaybookTask[] =>
  rows.map(([id, phase, csf, role, title, description, checklist]) => ({
    id,
    phase,
    csf,
    role,
    title,
    description,
    checklist,
  }));

export const SHIPPED_PLAYBOOKS: Playbook[] = [
  {
    id: 'ransomware',
    version: '1.0.0',
    title: 'Ransomware affecting city systems',
    incidentType: 'ransomware',
    summary:
      'Encryption or extortion affecting city servers or workstations. Priorities: stop the spread, keep life-safety services (911, water, traffic) running on fallbacks, preserve evidence, and restore from known-good backups.',
    tasks: tasks([
      [
        'rw-01',
        'detected',
        'DE.AE',
        'security-analyst',
        'Confirm the ransomware event',
        'Correlate EDR alerts, ransom notes and file-share changes to confirm encryption is real and not a single misbehaving application.',
        [
          'Capture a photo or copy of the ransom note',
          'Record first alert time and source',
          'Identify patient-zero host if visible',
        ],
      ],
      [
        'rw-02',
        'triage',
        'RS.MA',
        'incident-lead',
        'Declare the incident and open the bridge',
        'Declare a ransomware incident, assign the lead and scribe, start the timeline and open a call bridge outside the possibly compromised mail and chat systems.',
        [
          'Lead, scribe and deputies named',
          'Out-of-band channel in use (phones / Signal)',
          'Severity scored and recorded',
        ],
      ],
      [
        'rw-03',
        'triage',
        'RS.AN',
        'security-analyst',
        'Scope affected hosts and accounts',
        'Determine which servers, file shares, backup systems and identities are affected, and whether data was exfiltrated before encryption.',
        [
          'List of encrypted hosts',
          'Domain admin accounts checked for misuse',
          'Egress logs reviewed for large outbound transfers',
        ],
      ],
      [
        'rw-04',
        'triage',
        'RS.CO',
        'executive',
        'Brief leadership and start regulatory clocks',
        'Brief the city manager and counsel; record awareness time so the notification clocks (CIRCIA, state breach laws, NIS2/GDPR where relevant) start correctly.',
        [
          'Leadership briefed',
          'Awareness time entered',
          'Cyber insurer hotline called before engaging vendors',
        ],
      ],
      [
        'rw-05',
        'containment',
        'RS.MI',
        'network-operations',
        'Isolate infected segments',
        'Disconnect affected VLANs and hosts from the network while keeping them powered on for memory capture; block known attacker infrastructure at the firewall.',
        [
          'Infected hosts isolated, not powered off',
          'Firewall blocks for IOCs applied',
          'Remote access (VPN/RDP) restricted to responders',
        ],
      ],
      [
        'rw-06',
        'containment',
        'RS.MI',
        'it-operations',
        'Protect backups and identity',
        'Take offline or immutable backups out of reach, disable compromised accounts, and reset privileged credentials in a planned order (tier 0 first, Kerberos krbtgt twice).',
        [
          'Backup repositories disconnected or locked',
          'Compromised accounts disabled',
          'Privileged passwords rotated',
        ],
      ],
      [
        'rw-07',
        'containment',
        'RS.AN',
        'forensics',
        'Preserve evidence',
        'Collect memory and disk images from representative hosts and export logs before retention expires; record chain of custody for every item.',
        [
          'Memory images of patient zero and one server',
          'Firewall, VPN, EDR and AD logs exported',
          'SHA-256 recorded for each evidence file',
        ],
      ],
      [
        'rw-08',
        'containment',
        'RS.CO',
        'legal-counsel',
        'Decide on law enforcement and ransom policy',
        'Report to law enforcement (FBI field office / IC3 or national police), check sanctions exposure, and document the city’s decision on any ransom contact; a payment starts the 24-hour CIRCIA clock.',
        [
          'Law enforcement report filed',
          'Sanctions check done before any negotiation',
          'Decision on payment recorded with rationale',
        ],
      ],
      [
        'rw-09',
        'eradication',
        'RS.MI',
        'it-operations',
        'Remove attacker access and persistence',
        'Remove malware, scheduled tasks, new accounts and remote-management tools the attacker installed; close the initial access vector.',
        [
          'Initial access vector closed (patch, MFA, rule change)',
          'Persistence mechanisms removed',
          'Threat hunt finds no active beacons',
        ],
      ],
      [
        'rw-10',
        'recovery',
        'RC.RP',
        'it-operations',
        'Restore services by priority',
        'Rebuild or restore systems from backups verified clean, in the order of the city’s service priorities (public safety, utilities, payments, then the rest).',
        [
          'Restore order agreed with service owners',
          'Backups scanned before restore',
          'Restored systems monitored for 72 hours',
        ],
      ],
      [
        'rw-11',
        'recovery',
        'RC.CO',
        'communications',
        'Keep residents and staff informed',
        'Publish status updates on service availability and workarounds through channels not affected by the outage; coordinate wording with counsel.',
        ['Holding statement published', 'Update schedule announced', 'Staff told what they may say'],
      ],
      [
        'rw-12',
        'post-incident-review',
        'ID.IM',
        'ciso',
        'Run the after-action review',
        'Within two weeks of recovery, review what worked, gaps and decisions; turn each gap into a tracked improvement action with an owner.',
        [
          'Review held with all teams',
          'Improvement actions assigned and dated',
          'Playbook updated and version bumped',
        ],
      ],
    ]),
  },
  {
    id: 'ddos',
    version: '1.0.0',
    title: 'Distributed denial of service against city online services',
    incidentType: 'ddos',
    summary:
      'Traffic flooding city websites, payment portals or DNS. Priorities: keep emergency information reachable, engage upstream mitigation, and tell the public where to go.',
    tasks: tasks([
      [
        'dd-01',
        'detected',
        'DE.CM',
        'network-operations',
        'Confirm the attack pattern',
        'Distinguish an attack from a legitimate surge (e.g. storm warnings) using traffic sources, protocols and request patterns.',
        [
          'Peak bandwidth / request rate recorded',
          'Attack vectors identified (volumetric, protocol, application)',
          'Legitimate surge ruled out',
        ],
      ],
      [
        'dd-02',
        'triage',
        'RS.MA',
        'incident-lead',
        'Declare and prioritize services',
        'Declare the incident and rank affected services; emergency information and 911-adjacent services come first.',
        ['Affected services listed', 'Priority order agreed', 'Severity scored'],
      ],
      [
        'dd-03',
        'triage',
        'RS.AN',
        'threat-analyst',
        'Check for a ransom demand or cover activity',
        'Look for extortion emails or hacktivist claims and check whether the flood is masking intrusion elsewhere.',
        ['Claims and demands collected', 'Authentication logs reviewed during the attack window'],
      ],
      [
        'dd-04',
        'containment',
        'RS.MI',
        'network-operations',
        'Engage upstream mitigation',
        'Activate the ISP or scrubbing/CDN provider runbook, apply rate limits and geo or ASN filters, and move DNS behind the mitigation provider if needed.',
        [
          'Provider ticket opened with reference',
          'Rate limits / WAF rules applied',
          'Origin IPs not exposed',
        ],
      ],
      [
        'dd-05',
        'containment',
        'RS.CO',
        'communications',
        'Publish alternative channels',
        'Tell residents how to reach critical services (phone lines, social media, partner sites) while the portal is degraded.',
        ['Alternative contact published', 'Call center briefed'],
      ],
      [
        'dd-06',
        'recovery',
        'RC.RP',
        'network-operations',
        'Restore normal routing',
        'Step down emergency filters carefully once traffic normalizes and verify service from outside the city network.',
        ['External availability checks pass', 'Temporary rules documented or removed'],
      ],
      [
        'dd-07',
        'recovery',
        'RC.CO',
        'communications',
        'Announce restoration',
        'Confirm to residents which services are back and whether any transactions need to be repeated.',
        ['Restoration notice published'],
      ],
      [
        'dd-08',
        'post-incident-review',
        'ID.IM',
        'ciso',
        'Review capacity and contracts',
        'Review mitigation time, provider performance and contract terms; plan always-on protection for services that failed.',
        ['Time to mitigate measured', 'Contract or architecture changes proposed'],
      ],
    ]),
  },
  {
    id: 'ot-water-utility',
    version: '1.0.0',
    title: 'OT compromise at the water utility',
    incidentType: 'ot-compromise',
    summary:
      'Unauthorized access to, or manipulation of, SCADA/HMI/PLC systems at the water or wastewater plant. Safety of drinking water comes before forensics and before availability of the control network.',
    tasks: tasks([
      [
        'ot-01',
        'detected',
        'DE.AE',
        'plant-operator',
        'Confirm abnormal process behaviour',
        'Compare HMI readings with field instruments and manual samples (chlorine residual, pH, turbidity, tank levels) to tell tampering from instrument failure.',
        [
          'Manual grab samples taken',
          'Set-point changes compared with the operator log',
          'Unexpected remote sessions noted',
        ],
      ],
      [
        'ot-02',
        'triage',
        'RS.MA',
        'incident-lead',
        'Declare and assemble the OT response team',
        'Declare an OT incident with plant operations, OT engineering, IT security and the utility director on one bridge; name who may change the process.',
        [
          'Plant supervisor has authority over process changes',
          'OT engineer and IT security on the bridge',
          'Severity scored with location level',
        ],
      ],
      [
        'ot-03',
        'triage',
        'RS.MI',
        'plant-operator',
        'Put the process in a safe state',
        'Switch affected processes to manual or local control, verify chemical dosing limits, and stop distribution from affected stages if water quality is in doubt.',
        [
          'Manual / local control in effect',
          'Chemical feed verified within limits',
          'Decision on distribution recorded',
        ],
      ],
      [
        'ot-04',
        'triage',
        'RS.CO',
        'executive',
        'Notify health and sector partners',
        'Notify the drinking-water regulator and public health department when water quality may be affected, and share indicators with WaterISAC/CISA or the national CSIRT.',
        ['Drinking-water regulator informed', 'Public health informed', 'Sector ISAC / CISA report made'],
      ],
      [
        'ot-05',
        'containment',
        'RS.MI',
        'ot-engineer',
        'Cut remote access paths',
        'Disable vendor and remote access to the control network, break the IT/OT connection at the DMZ, and change shared HMI and engineering-workstation credentials.',
        ['Remote access tools disabled', 'IT/OT conduit closed or restricted', 'Shared credentials changed'],
      ],
      [
        'ot-06',
        'containment',
        'RS.AN',
        'ot-engineer',
        'Collect OT evidence without disturbing the process',
        'Export HMI/historian logs, PLC project files and network captures from passive taps; compare running PLC logic with the last known-good backup.',
        ['Historian and HMI logs exported', 'PLC logic compared with baseline', 'Captures hashed and logged'],
      ],
      [
        'ot-07',
        'eradication',
        'RS.MI',
        'ot-engineer',
        'Restore trusted logic and configurations',
        'Reload PLC programs and HMI projects from verified offline backups, rebuild compromised engineering workstations, and remove unauthorized accounts.',
        [
          'PLC logic restored from offline backup',
          'Engineering workstations rebuilt',
          'Unauthorized accounts removed',
        ],
      ],
      [
        'ot-08',
        'recovery',
        'RC.RP',
        'plant-operator',
        'Return to automatic control in steps',
        'Bring stages back under automatic control one at a time with operators watching; keep enhanced manual sampling for several days.',
        [
          'Each stage verified before the next',
          'Sampling frequency increased',
          'Water-quality results within limits',
        ],
      ],
      [
        'ot-09',
        'recovery',
        'RC.CO',
        'communications',
        'Inform residents about water safety',
        'If water quality was affected, issue or lift boil-water or do-not-drink notices with the health department; otherwise confirm safety plainly.',
        ['Notice wording agreed with public health', 'Notice distributed through emergency alerting'],
      ],
      [
        'ot-10',
        'post-incident-review',
        'ID.IM',
        'ciso',
        'Review OT access and monitoring',
        'Review remote-access governance, segmentation and OT monitoring; update the plant’s emergency response plan.',
        ['Findings shared with utility board', 'Segmentation and access actions assigned'],
      ],
    ]),
  },
  {
    id: 'data-breach-personal-data',
    version: '1.0.0',
    title: 'Data breach involving personal data',
    incidentType: 'data-breach',
    summary:
      'Unauthorized access to or disclosure of residents’ or employees’ personal data. The legal clocks drive the work: establish scope fast, record when the breach was determined, and notify on time.',
    tasks: tasks([
      [
        'db-01',
        'detected',
        'DE.AE',
        'security-analyst',
        'Validate the report',
        'Check the report (alert, researcher, leak-site listing, misdirected email) and identify the system and data set involved.',
        ['Source of the report recorded', 'System and data set identified'],
      ],
      [
        'db-02',
        'triage',
        'RS.MA',
        'incident-lead',
        'Declare and engage privacy and counsel',
        'Declare the incident and bring in the privacy officer and counsel so privilege and notification analysis start immediately.',
        ['Privacy officer and counsel engaged', 'Severity scored'],
      ],
      [
        'db-03',
        'triage',
        'RS.AN',
        'forensics',
        'Determine scope of data and people',
        'Establish which records and data elements were accessed or taken, for how many people, and in which states or countries they live.',
        [
          'Data elements listed (SSN, licence, health, credentials)',
          'Counts per state/country entered as incident facts',
          'Encryption status of the data confirmed',
        ],
      ],
      [
        'db-04',
        'triage',
        'RS.CO',
        'privacy-officer',
        'Record the determination and start the clocks',
        'Record the time the breach was determined (or awareness under GDPR) and set the facts that trigger notification rules; review every running clock.',
        [
          'Determination / awareness time recorded',
          'Risk assessment documented',
          'Clocks reviewed with counsel',
        ],
      ],
      [
        'db-05',
        'containment',
        'RS.MI',
        'it-operations',
        'Stop the exposure',
        'Close the exposure: revoke access, remove public links, rotate exposed keys or passwords, and request takedown of leaked copies where possible.',
        ['Access path closed', 'Exposed secrets rotated', 'Takedown requests sent'],
      ],
      [
        'db-06',
        'containment',
        'RS.CO',
        'legal-counsel',
        'Notify regulators',
        'Send regulator and attorney-general notices from the pre-filled drafts before each deadline; keep copies and submission receipts.',
        ['Each notice sent before its deadline', 'Receipts stored as evidence'],
      ],
      [
        'db-07',
        'eradication',
        'RS.MI',
        'it-operations',
        'Fix the root cause',
        'Correct the misconfiguration or vulnerability that allowed the breach and check similar systems for the same flaw.',
        ['Root cause fixed', 'Similar systems checked'],
      ],
      [
        'db-08',
        'recovery',
        'RC.CO',
        'privacy-officer',
        'Notify affected individuals',
        'Send plain-language notices with what happened, what data, what the city is doing and what people can do; set up a call line and credit monitoring where appropriate.',
        ['Notices sent', 'Call line staffed', 'Credit monitoring arranged if SSNs were involved'],
      ],
      [
        'db-09',
        'post-incident-review',
        'ID.IM',
        'privacy-officer',
        'Review data minimization and retention',
        'Review why the data was held and for how long; reduce retention and access where possible.',
        ['Retention changes proposed', 'Access review scheduled'],
      ],
    ]),
  },
  {
    id: 'account-compromise',
    version: '1.0.0',
    title: 'Compromised user or administrator account',
    incidentType: 'account-compromise',
    summary:
      'A city account used by someone else (phishing, password reuse, MFA fatigue). Priorities: cut the attacker’s sessions, find what the account touched, and check for follow-on fraud.',
    tasks: tasks([
      [
        'ac-01',
        'detected',
        'DE.AE',
        'security-analyst',
        'Confirm suspicious sign-in',
        'Review impossible-travel, new-device and MFA-push alerts with the user to confirm the activity was not theirs.',
        ['User contacted by phone', 'Sign-in logs reviewed'],
      ],
      [
        'ac-02',
        'triage',
        'RS.MA',
        'incident-lead',
        'Declare and classify the account',
        'Declare the incident and note whether the account is privileged, has mailbox access to finance, or reaches OT or public-safety systems.',
        ['Account privileges recorded', 'Severity scored'],
      ],
      [
        'ac-03',
        'containment',
        'RS.MI',
        'help-desk',
        'Revoke sessions and reset credentials',
        'Disable the account, revoke tokens and sessions, reset the password and re-enrol MFA with the verified user.',
        ['Sessions and refresh tokens revoked', 'Password reset', 'MFA re-enrolled in person or by video'],
      ],
      [
        'ac-04',
        'containment',
        'RS.AN',
        'security-analyst',
        'Trace what the account did',
        'Review mailbox rules, forwarding, OAuth consents, file access and sent mail during the compromise window.',
        ['Malicious inbox rules and forwarding removed', 'OAuth grants reviewed', 'Files accessed listed'],
      ],
      [
        'ac-05',
        'eradication',
        'RS.MI',
        'it-operations',
        'Remove persistence and block the source',
        'Remove attacker-registered devices and app passwords, block sending infrastructure, and purge the phishing email from other mailboxes.',
        ['Rogue devices removed', 'Phishing message purged city-wide'],
      ],
      [
        'ac-06',
        'eradication',
        'RS.CO',
        'incident-lead',
        'Warn finance and partners about fraud',
        'If the mailbox sent invoices or payment changes, warn finance and affected vendors to verify any bank detail changes by phone.',
        ['Finance alerted', 'Affected vendors contacted'],
      ],
      [
        'ac-07',
        'recovery',
        'RC.RP',
        'help-desk',
        'Return the account to the user',
        'Re-enable the account with least privilege and monitor its sign-ins for two weeks.',
        ['Account re-enabled', 'Monitoring rule active'],
      ],
      [
        'ac-08',
        'post-incident-review',
        'ID.IM',
        'ciso',
        'Improve authentication',
        'Decide on phishing-resistant MFA for the affected group and on awareness follow-up.',
        ['Authentication improvement planned', 'Awareness follow-up scheduled'],
      ],
    ]),
  },
];
