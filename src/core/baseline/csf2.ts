// NIST CSF 2.0 core identifiers, generated once from NIST's OSCAL CSF 2.0 catalog (usnistgov/oscal-content).
// That release still carries 79 CSF 1.1 subcategories without a withdrawn mark; only the live CSF 2.0
// subcategories (the ones with `example` parts) are listed here, so the list is usable without the data folder.

export const CSF2_FUNCTIONS = [
  { id: 'GV', name: 'Govern' },
  { id: 'ID', name: 'Identify' },
  { id: 'PR', name: 'Protect' },
  { id: 'DE', name: 'Detect' },
  { id: 'RS', name: 'Respond' },
  { id: 'RC', name: 'Recover' },
] as const;

export type CsfFunctionId = (typeof CSF2_FUNCTIONS)[number]['id'];

export const CSF2_CATEGORIES = [
  { id: 'GV.OC', function: 'GV', name: 'Organizational Context' },
  { id: 'GV.OV', function: 'GV', name: 'Oversight' },
  { id: 'GV.PO', function: 'GV', name: 'Policy' },
  { id: 'GV.RM', function: 'GV', name: 'Risk Management Strategy' },
  { id: 'GV.RR', function: 'GV', name: 'Roles, Responsibilities, and Authorities' },
  { id: 'GV.SC', function: 'GV', name: 'Cybersecurity Supply Chain Risk Management' },
  { id: 'ID.AM', function: 'ID', name: 'Asset Management' },
  { id: 'ID.IM', function: 'ID', name: 'Improvement' },
  { id: 'ID.RA', function: 'ID', name: 'Risk Assessment' },
  { id: 'PR.AA', function: 'PR', name: 'Identity Management, Authentication, and Access Control' },
  { id: 'PR.AT', function: 'PR', name: 'Awareness and Training' },
  { id: 'PR.DS', function: 'PR', name: 'Data Security' },
  { id: 'PR.IR', function: 'PR', name: 'Technology Infrastructure Resilience' },
  { id: 'PR.PS', function: 'PR', name: 'Platform Security' },
  { id: 'DE.AE', function: 'DE', name: 'Adverse Event Analysis' },
  { id: 'DE.CM', function: 'DE', name: 'Continuous Monitoring' },
  { id: 'RS.AN', function: 'RS', name: 'Incident Analysis' },
  { id: 'RS.CO', function: 'RS', name: 'Incident Response Reporting and Communication' },
  { id: 'RS.MA', function: 'RS', name: 'Incident Management' },
  { id: 'RS.MI', function: 'RS', name: 'Incident Mitigation' },
  { id: 'RC.CO', function: 'RC', name: 'Incident Recovery Communication' },
  { id: 'RC.RP', function: 'RC', name: 'Incident Recovery Plan Execution' },
] as const;

export type CsfCategoryId = (typeof CSF2_CATEGORIES)[number]['id'];

export const CSF2_SUBCATEGORY_IDS = [
  'GV.OC-01',
  'GV.OC-02',
  'GV.OC-03',
  'GV.OC-04',
  'GV.OC-05',
  'GV.OV-01',
  'GV.OV-02',
  'GV.OV-03',
  'GV.PO-01',
  'GV.PO-02',
  'GV.RM-01',
  'GV.RM-02',
  'GV.RM-03',
  'GV.RM-04',
  'GV.RM-05',
  'GV.RM-06',
  'GV.RM-07',
  'GV.RR-01',
  'GV.RR-02',
  'GV.RR-03',
  'GV.RR-04',
  'GV.SC-01',
  'GV.SC-02',
  'GV.SC-03',
  'GV.SC-04',
  'GV.SC-05',
  'GV.SC-06',
  'GV.SC-07',
  'GV.SC-08',
  'GV.SC-09',
  'GV.SC-10',
  'ID.AM-01',
  'ID.AM-02',
  'ID.AM-03',
  'ID.AM-04',
  'ID.AM-05',
  'ID.AM-07',
  'ID.AM-08',
  'ID.IM-01',
  'ID.IM-02',
  'ID.IM-03',
  'ID.IM-04',
  'ID.RA-01',
  'ID.RA-02',
  'ID.RA-03',
  'ID.RA-04',
  'ID.RA-05',
  'ID.RA-06',
  'ID.RA-07',
  'ID.RA-08',
  'ID.RA-09',
  'ID.RA-10',
  'PR.AA-01',
  'PR.AA-02',
  'PR.AA-03',
  'PR.AA-04',
  'PR.AA-05',
  'PR.AA-06',
  'PR.AT-01',
  'PR.AT-02',
  'PR.DS-01',
  'PR.DS-02',
  'PR.DS-10',
  'PR.DS-11',
  'PR.IR-01',
  'PR.IR-02',
  'PR.IR-03',
  'PR.IR-04',
  'PR.PS-01',
  'PR.PS-02',
  'PR.PS-03',
  'PR.PS-04',
  'PR.PS-05',
  'PR.PS-06',
  'DE.AE-02',
  'DE.AE-03',
  'DE.AE-04',
  'DE.AE-06',
  'DE.AE-07',
  'DE.AE-08',
  'DE.CM-01',
  'DE.CM-02',
  'DE.CM-03',
  'DE.CM-06',
  'DE.CM-09',
  'RS.AN-03',
  'RS.AN-06',
  'RS.AN-07',
  'RS.AN-08',
  'RS.CO-02',
  'RS.CO-03',
  'RS.MA-01',
  'RS.MA-02',
  'RS.MA-03',
  'RS.MA-04',
  'RS.MA-05',
  'RS.MI-01',
  'RS.MI-02',
  'RC.CO-03',
  'RC.CO-04',
  'RC.RP-01',
  'RC.RP-02',
  'RC.RP-03',
  'RC.RP-04',
  'RC.RP-05',
  'RC.RP-06',
] as const;
export type Csf2SubcategoryId = (typeof CSF2_SUBCATEGORY_IDS)[number];

const SUBCATEGORY_SET: ReadonlySet<string> = new Set(CSF2_SUBCATEGORY_IDS);

export function isCsf2SubcategoryId(id: string): id is Csf2SubcategoryId {
  return SUBCATEGORY_SET.has(id);
}

/** `PR.AA-01` → `PR.AA`. */
export function csf2CategoryOf(subcategoryId: Csf2SubcategoryId): CsfCategoryId {
  return subcategoryId.slice(0, subcategoryId.indexOf('-')) as CsfCategoryId;
}

/** `PR.AA-01` → `PR`. */
export function csf2FunctionOf(id: Csf2SubcategoryId | CsfCategoryId): CsfFunctionId {
  return id.slice(0, 2) as CsfFunctionId;
}

/** CSF 2.0 implementation tiers, the default maturity scale of assessments. */
export const CSF2_TIERS = [
  { value: 1, label: 'Partial' },
  { value: 2, label: 'Risk Informed' },
  { value: 3, label: 'Repeatable' },
  { value: 4, label: 'Adaptive' },
] as const;
