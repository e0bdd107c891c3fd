import { formatNumber } from '../../i18n';

export interface Person {
  id: string;
  userName: string;
  email: string;
  displayName: string;
  jobTitle: string;
  departmentOrgId: string | null;
  departmentName: string | null;
  managerId: string | null;
  workRoleIds: string[];
  otStaff: boolean;
  active: boolean;
}

export interface RoleCoverage {
  gaps: { roleId: string; name: string; needed: number; qualified: number; assigned: number; gap: number }[];
  totalNeeded: number;
  totalAssigned: number;
  coverage: number | null;
}

export interface Dashboard {
  people: number;
  roleCoverage: number | null;
  roleGap: number;
  trainingCompletion: number | null;
  overdue: number;
  byDepartment: {
    departmentOrgId: string | null;
    name: string;
    people: number;
    completion: number | null;
    clickRate: number | null;
    reportRate: number | null;
  }[];
  phishingTrend: { name: string; launchedAt: string; clickRate: number | null; reportRate: number | null }[];
}

export interface Training {
  id: string;
  title: string;
  topic: string;
  delivery: 'internal' | 'external';
  durationMinutes: number;
  audienceKind: 'everyone' | 'department' | 'role' | 'ot';
  audienceDepartmentOrgId: string | null;
  audienceRoleId: string | null;
  dueAt: string;
  recurrence: 'none' | 'annual';
  assigned: number;
  completed: number;
  overdue: number;
}

export interface Assignment {
  id: string;
  trainingId: string;
  trainingTitle: string;
  personId: string;
  personName: string;
  departmentName: string | null;
  managerName: string | null;
  dueAt: string;
  reason: string;
  completedAt: string | null;
  completionSource: string | null;
}

export interface Rates {
  recipients: number;
  opened: number;
  clicked: number;
  submitted: number;
  reported: number;
  clickRate: number | null;
  reportRate: number | null;
  medianMinutesToReport: number | null;
}

export interface PhishingMetrics {
  overall: Rates;
  byDepartment: (Rates & { name: string })[];
  overTime: (Rates & { campaignId: string; name: string; launchedAt: string })[];
}

/** A rate as a percentage with one decimal, in the reader's language (41.7% or 41,7 %). */
export const pct = (r: number | null | undefined) =>
  r === null || r === undefined
    ? '—'
    : formatNumber(r, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
