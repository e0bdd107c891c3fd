export const CATEGORIES = [
  'utility',
  'isp',
  'cloud',
  'vendor',
  'university',
  'cert',
  'isac',
  'city',
  'law-enforcement',
  'insurer',
  'government',
  'other',
] as const;
export const AGREEMENT_KINDS = [
  'mou',
  'nda',
  'data-sharing',
  'mutual-aid',
  'research',
  'service',
  'other',
] as const;
export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export const ACTIVITY_KINDS = ['exercise', 'research', 'internship', 'information-sharing', 'other'] as const;
export const ACTIVITY_STATUSES = ['planned', 'ongoing', 'completed', 'cancelled'] as const;
export const DEPENDENCY_TYPES = [
  'runs_on',
  'needs_data_from',
  'powered_by',
  'connected_by',
  'hosted_by',
  'authenticates_with',
  'backed_up_by',
  'supported_by',
  'other',
] as const;

export interface Partner {
  id: string;
  partnerOrgId: string | null;
  name: string;
  category: string;
  sector: string;
  services: string[];
  website: string;
  notes: string;
}

export interface AgreementFile {
  id: string;
  title: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface Agreement {
  id: string;
  partnerId: string;
  partnerName: string;
  kind: string;
  title: string;
  startsAt: string;
  endsAt: string | null;
  autoRenews: boolean;
  reminderDays: number;
  notifyEmail: string;
  scope: string;
  tlp: string;
  status: 'active' | 'expiring' | 'expired' | 'open-ended' | 'not-started';
  daysToExpiry: number | null;
  documents: { title: string; url: string }[];
  files: AgreementFile[];
}

export interface Contact {
  id: string;
  partnerId: string | null;
  partnerName: string | null;
  name: string;
  title: string;
  email: string;
  phone: string;
  phone24x7: string;
  service: string;
  incidentType: string;
  escalationOrder: number | null;
}

export interface Activity {
  id: string;
  kind: string;
  title: string;
  description: string;
  status: string;
  startsOn: string;
  endsOn: string | null;
  communityOrgId: string | null;
  communityName: string | null;
  partners: { id: string; name: string }[];
  outcomes: string;
}

/** `YYYY-MM-DD` of an ISO time, for date inputs. */
export const dayOf = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '');
/** Midnight UTC of a date input, or null when empty. */
export const isoOf = (day: string) => (day ? new Date(`${day}T00:00:00Z`).toISOString() : null);
