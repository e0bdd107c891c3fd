// CISA Cross-Sector Cybersecurity Performance Goals, version 1.0.1 (March 2023), grouped by the CSF functions
// Identify (1), Protect (2), Detect (3), Respond (4), Recover (5). CISA published CPG 2.0 in late 2025 with a
// Govern function and renumbered goals, but its goal ids could not be confirmed from a CISA source when this
// list was written, so the Citywall City Baseline cites the 1.0.1 ids. Every reference says which version.

export const CPG_VERSION = '1.0.1';

export const CPG_GOALS = [
  { id: '1.A', title: 'Asset Inventory' },
  { id: '1.B', title: 'Organizational Cybersecurity Leadership' },
  { id: '1.C', title: 'OT Cybersecurity Leadership' },
  { id: '1.D', title: 'Improving IT and OT Cybersecurity Relationships' },
  { id: '1.E', title: 'Mitigating Known Vulnerabilities' },
  { id: '1.F', title: 'Third-Party Validation of Cybersecurity Control Effectiveness' },
  { id: '1.G', title: 'Supply Chain Incident Reporting' },
  { id: '1.H', title: 'Supply Chain Vulnerability Disclosure' },
  { id: '1.I', title: 'Vendor/Supplier Cybersecurity Requirements' },
  { id: '2.A', title: 'Changing Default Passwords' },
  { id: '2.B', title: 'Minimum Password Strength' },
  { id: '2.C', title: 'Unique Credentials' },
  { id: '2.D', title: 'Revoking Credentials for Departing Employees' },
  { id: '2.E', title: 'Separating User and Privileged Accounts' },
  { id: '2.F', title: 'Network Segmentation' },
  { id: '2.G', title: 'Detection of Unsuccessful (Automated) Login Attempts' },
  { id: '2.H', title: 'Phishing-Resistant Multifactor Authentication (MFA)' },
  { id: '2.I', title: 'Basic Cybersecurity Training' },
  { id: '2.J', title: 'OT Cybersecurity Training' },
  { id: '2.K', title: 'Strong and Agile Encryption' },
  { id: '2.L', title: 'Secure Sensitive Data' },
  { id: '2.M', title: 'Email Security' },
  { id: '2.N', title: 'Disable Macros by Default' },
  { id: '2.O', title: 'Document Device Configurations' },
  { id: '2.P', title: 'Document Network Topology' },
  { id: '2.Q', title: 'Hardware and Software Approval Process' },
  { id: '2.R', title: 'System Backups' },
  { id: '2.S', title: 'Incident Response (IR) Plans' },
  { id: '2.T', title: 'Log Collection' },
  { id: '2.U', title: 'Secure Log Storage' },
  { id: '2.V', title: 'Prohibit Connection of Unauthorized Devices' },
  { id: '2.W', title: 'No Exploitable Services on the Internet' },
  { id: '2.X', title: 'Limit OT Connections to Public Internet' },
  { id: '3.A', title: 'Detecting Relevant Threats and TTPs' },
  { id: '4.A', title: 'Incident Reporting' },
  { id: '4.B', title: 'Vulnerability Disclosure/Reporting' },
  { id: '4.C', title: 'Deploy Security.TXT Files' },
  { id: '5.A', title: 'Incident Planning and Preparedness' },
] as const;

export type CpgGoalId = (typeof CPG_GOALS)[number]['id'];

const GOAL_SET: ReadonlySet<string> = new Set(CPG_GOALS.map((g) => g.id));

export function isCpgGoalId(id: string): id is CpgGoalId {
  return GOAL_SET.has(id);
}
