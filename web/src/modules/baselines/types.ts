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
  systemId: string | null;
  systemName: string | null;
  targetKind: 'organization' | 'department' | 'system';
  maturityScale: MaturityScale;
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
    averageMaturity: number | null;
    applicable: number;
  }[];
  scale: MaturityScale;
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

export interface MaturityScale {
  id: string;
  name: string;
  levels: { value: number; label: string; description?: string }[];
}

export interface Settings {
  maturityScale: MaturityScale;
  presets: MaturityScale[];
}

export interface TrendScores {
  implementationScore: number | null;
  averageMaturity: number | null;
}

export interface Trend {
  scale: MaturityScale;
  cycles: {
    assessmentId: string;
    title: string;
    status: 'open' | 'closed';
    createdAt: string;
    asOf: string;
    scaleId: string;
    overall: TrendScores;
    byFunction: Record<string, TrendScores>;
    byTier: Record<string, TrendScores>;
    byDepartment: (TrendScores & { id: string | null; name: string })[];
  }[];
}

/** CSF 2.0 function ids; their names are in the `functions` keys of the baselines translations. */
export const FUNCTIONS = ['GV', 'ID', 'PR', 'DE', 'RS', 'RC'];
export const TIERS = ['foundational', 'intermediate', 'advanced'];
/** What an assessor may record, in keyboard order (1–5); labels are under `statuses`. */
export const STATUSES = [
  { value: 'implemented', color: 'green' },
  { value: 'partially-implemented', color: 'yellow' },
  { value: 'planned', color: 'blue' },
  { value: 'not-implemented', color: 'red' },
  { value: 'not-applicable', color: 'gray' },
];
export const STATUS_COLOR: Record<string, string> = {
  ...Object.fromEntries(STATUSES.map((s) => [s.value, s.color])),
  'needs-review': 'orange',
  'not-assessed': 'gray',
};
export const SEVERITY_COLOR: Record<string, string> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'gray',
};
/** Preset scales whose level names are translated (under `scales.<key>`); other scales keep their own labels. */
export const PRESET_SCALE_KEYS: Record<string, string> = { 'csf-2.0-tiers': 'csf', 'cmmi-0-5': 'cmmi' };

/** A score colour: red at 0 %, amber in the middle, green at 100 %; grey when nothing applies. */
export function heat(score: number | null): string {
  if (score === null) return 'var(--mantine-color-gray-light)';
  const hue = Math.round((score / 100) * 120);
  return `hsl(${hue} 70% 45% / 0.55)`;
}

export const deptKey = (id: string | null) => id ?? 'organization';
