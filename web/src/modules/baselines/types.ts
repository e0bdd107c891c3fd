export interface BaselineDocument {
  id: string;
  kind: 'catalog' | 'profile';
  oscalUuid: string;
  title: string;
  version: string;
  sourceName: string | null;
  builtIn: boolean;
  controlCount: number;
  createdAt: string;
}

export interface Control {
  controlId: string;
  label: string | null;
  title: string;
  class: string | null;
  parentId: string | null;
  groupId: string | null;
  groupTitle: string | null;
  depth: number;
  withdrawn: boolean;
  csfFunction: string | null;
  tier: string | null;
  statement: string;
  guidance: string;
}

export interface Assessment {
  id: string;
  documentId: string;
  previousId: string | null;
  title: string;
  departmentIds: string[];
  targetTier: string | null;
  targetMaturity: number | null;
  status: 'open' | 'closed';
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface Evidence {
  id: string;
  kind: 'file' | 'link';
  title: string;
  url: string | null;
  fileName: string | null;
  mediaType: string | null;
  size: number | null;
  sha256: string | null;
  effectiveDate: string;
  expiresAt: string | null;
  expired: boolean;
  uploadedBy: string;
}

export interface Result {
  id: string;
  requirementId: string;
  departmentId: string | null;
  status: string;
  effectiveStatus: string;
  downgradeReason: string | null;
  maturity: number | null;
  notApplicableReason: string | null;
  notes: string;
  assessor: string | null;
  assessedAt: string | null;
  actionOwner: string | null;
  actionDue: string | null;
  evidence: Evidence[];
}

export interface Requirement {
  id: string;
  label: string | null;
  title: string;
  function: string;
  tier: string;
  statement: string;
  guidance: string;
}

export interface Department {
  id: string | null;
  name: string;
}

export interface AssessmentDetail {
  assessment: Assessment;
  document: BaselineDocument;
  departments: Department[];
  requirements: Requirement[];
  results: Result[];
  progress: { answered: number; total: number };
}

export interface Bucket {
  total: number;
  applicable: number;
  implementationScore: number | null;
  averageMaturity: number | null;
  counts: Record<string, number>;
}

export interface Score {
  overall: Bucket;
  byFunction: Record<string, Bucket>;
  byTier: Record<string, Bucket>;
  byDepartment: (Department & { score: Bucket })[];
  heatMap: {
    departmentId: string | null;
    department: string;
    function: string;
    implementationScore: number | null;
  }[];
}

export interface Gap {
  requirementId: string;
  title: string | null;
  departmentId: string | null;
  department: string;
  function: string;
  tier: string;
  status: string;
  maturity: number | null;
  targetMaturity: number | null;
  reasons: string[];
  severity: 'critical' | 'high' | 'medium' | 'low';
  actionOwner: string | null;
  actionDue: string | null;
}

export const FUNCTIONS = [
  { value: 'GV', label: 'Govern' },
  { value: 'ID', label: 'Identify' },
  { value: 'PR', label: 'Protect' },
  { value: 'DE', label: 'Detect' },
  { value: 'RS', label: 'Respond' },
  { value: 'RC', label: 'Recover' },
];
export const TIERS = ['foundational', 'intermediate', 'advanced'];
export const STATUSES = [
  { value: 'implemented', label: 'Implemented', color: 'green' },
  { value: 'partially-implemented', label: 'Partially implemented', color: 'yellow' },
  { value: 'planned', label: 'Planned', color: 'blue' },
  { value: 'not-implemented', label: 'Not implemented', color: 'red' },
  { value: 'not-applicable', label: 'Not applicable', color: 'gray' },
];
export const STATUS_COLOR: Record<string, string> = {
  ...Object.fromEntries(STATUSES.map((s) => [s.value, s.color])),
  'needs-review': 'orange',
};
export const MATURITY = ['Partial', 'Risk Informed', 'Repeatable', 'Adaptive'];
export const SEVERITY_COLOR: Record<string, string> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'gray',
};
