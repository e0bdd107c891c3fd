/**
 * The 22 categories of NIST CSF 2.0. SP 800-61r3 organizes incident-response recommendations by these categories,
 * so a playbook task tagged with one can be traced to that guidance and to the city's CSF profile.
 */
export const CSF_CATEGORIES = {
  'GV.OC': 'Organizational Context',
  'GV.RM': 'Risk Management Strategy',
  'GV.RR': 'Roles, Responsibilities, and Authorities',
  'GV.PO': 'Policy',
  'GV.OV': 'Oversight',
  'GV.SC': 'Cybersecurity Supply Chain Risk Management',
  'ID.AM': 'Asset Management',
  'ID.RA': 'Risk Assessment',
  'ID.IM': 'Improvement',
  'PR.AA': 'Identity Management, Authentication, and Access Control',
  'PR.AT': 'Awareness and Training',
  'PR.DS': 'Data Security',
  'PR.PS': 'Platform Security',
  'PR.IR': 'Technology Infrastructure Resilience',
  'DE.CM': 'Continuous Monitoring',
  'DE.AE': 'Adverse Event Analysis',
  'RS.MA': 'Incident Management',
  'RS.AN': 'Incident Analysis',
  'RS.CO': 'Incident Response Reporting and Communication',
  'RS.MI': 'Incident Mitigation',
  'RC.RP': 'Incident Recovery Plan Execution',
  'RC.CO': 'Incident Recovery Communication',
} as const;

export type CsfCategory = keyof typeof CSF_CATEGORIES;

export const CSF_CATEGORY_IDS = Object.keys(CSF_CATEGORIES) as CsfCategory[];

export function isCsfCategory(id: string): id is CsfCategory {
  return Object.hasOwn(CSF_CATEGORIES, id);
}
