import type { Page } from '../../api';

/** Shapes of the incidents API as the web client reads them (see src/server/modules/incidents/*.schemas.ts). */
export const PHASES = [
  'detected',
  'triage',
  'containment',
  'eradication',
  'recovery',
  'post-incident-review',
  'closed',
] as const;
export type Phase = (typeof PHASES)[number];

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
export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'];
export const SEVERITY_COLORS: Record<string, string> = {
  Baseline: 'gray',
  Low: 'green',
  Medium: 'yellow',
  High: 'orange',
  Severe: 'red',
  Emergency: 'dark',
};

export interface Person {
  id: string;
  name: string;
  email: string;
}

export interface IncidentSummary {
  id: string;
  title: string;
  type: string;
  status: Phase;
  tlp: string;
  exercise: boolean;
  lead: Person | null;
  detectedAt: string;
  closedAt: string | null;
  severityName: string | null;
  severityLevel: number | null;
}

export interface Contribution {
  factor: string;
  input: string | number;
  weight: number;
  points: number;
  note: string;
}

export interface Incident extends IncidentSummary {
  orgId: string;
  summary: string;
  team: Person[];
  attackTechniques: string[];
  affected: { kind: string; ref: string; name: string }[];
  facts: Record<string, unknown>;
  timeZone: string;
  severity: {
    score: number;
    level: number;
    name: string;
    explanation: { contributions: Contribution[]; overrides: string[]; meaning: string };
  } | null;
  playbookRef: string | null;
  playbookVersion: string | null;
  metrics: Record<string, number | null>;
  nextPhases: { forward: Phase | null; back: Phase[]; skips: { to: Phase; label: string }[] };
}

export interface Task {
  id: string;
  title: string;
  description: string;
  phase: string | null;
  csf: string | null;
  role: string | null;
  assigneeId: string | null;
  dueAt: string | null;
  status: 'open' | 'in-progress' | 'done' | 'cancelled';
  checklist: { text: string; done: boolean }[];
}

export interface TimelineEntry {
  id: string;
  kind: string;
  text: string;
  occurredAt: string;
  recordedAt: string;
  actorLabel: string;
}

export interface Clock {
  ruleId: string;
  title: string;
  regime: string;
  jurisdiction: string;
  citation: string;
  notes: string | null;
  start: string | null;
  dueAt: string | null;
  dueAtLocal: string | null;
  statutory: boolean;
  remainingMs: number | null;
  status: 'waiting-for-start-event' | 'running' | 'met' | 'overdue';
  startEvent: string;
  sentAt: string | null;
  late: boolean;
  draft: { subject: string; body: string; missing: string[] };
}

export interface ClockReport {
  timeZone: string;
  now: string;
  clocks: Clock[];
  earliest: string | null;
}

export interface Evidence {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  description: string;
  custodian: string;
  uploadedAt: string;
}

export interface Communication {
  id: string;
  direction: string;
  channel: string;
  contactName: string;
  contactRole: string;
  summary: string;
  occurredAt: string;
}

export interface PlaybookOut {
  ref: string;
  source: 'shipped' | 'organization';
  readOnly: boolean;
  playbook: {
    id: string;
    version: string;
    title: string;
    incidentType: string;
    summary: string;
    tasks: unknown[];
  };
}

export type IncidentPage = Page<IncidentSummary>;

/**
 * "2 d 03 h 12 min" — what a responder reads at a glance; negative values are shown as overdue by the caller.
 * A countdown adds seconds so that it visibly runs.
 */
export function formatDuration(ms: number, withSeconds = false): string {
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const sec = withSeconds ? ` ${String(s).padStart(2, '0')} s` : '';
  if (d > 0) return `${d} d ${String(h).padStart(2, '0')} h ${String(m).padStart(2, '0')} min${sec}`;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min${sec}`;
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

export interface IncidentImpact {
  affected: { kind: 'service' | 'system'; ref: string; name: string; inModel: boolean }[];
  cascade: {
    services: {
      id: string;
      name: string;
      sector: string | null;
      population: number;
      timeToImpactHours: number;
      rtoBreachHours: number | null;
      lifeSafetyImpact: boolean;
    }[];
    populationAffected: number;
    largestPopulation: number;
    counts: { service: number; system: number; provider: number };
  };
  alsoStopped: { id: string; name: string; population: number }[];
  severityHints: {
    populationAffected: number;
    crossSectorDependency: 'none' | 'low' | 'medium' | 'high';
    sectors: string[];
  };
}

export const OBSERVABLE_TYPES = [
  'ipv4-addr',
  'ipv6-addr',
  'domain-name',
  'url',
  'email-addr',
  'mac-addr',
  'file',
] as const;
export const HASH_ALGORITHMS = ['SHA-256', 'SHA-1', 'MD5', 'SHA-512'] as const;

export interface IndicatorHit {
  indicatorId: string;
  name: string | null;
  pattern: string;
  tlp: string;
  source: { orgId: string; name: string };
  createdByRef: string | null;
  validUntil: string | null;
  expired: boolean;
}

export interface Observable {
  id: string;
  type: (typeof OBSERVABLE_TYPES)[number];
  value: string;
  stixId: string;
  note: string;
  seenAt: string;
  hits: IndicatorHit[];
}

export interface ObservablePage extends Page<Observable> {
  check: { indicators: number; truncated: boolean; unusable: number };
}

export interface Scenario {
  id: string;
  version: string;
  title: string;
  incidentType: string;
  durationMinutes: number;
  objectives: string[];
  participants: string[];
  injects: { id: string; offsetMinutes: number; title: string }[];
}

export interface ReviewItem {
  id: string;
  kind: 'worked' | 'gap' | 'decision' | 'action';
  text: string;
  assigneeId: string | null;
  dueAt: string | null;
  status: 'open' | 'in-progress' | 'done' | null;
  completedAt: string | null;
}

export interface ExerciseView {
  incidentId: string;
  scenario: Scenario;
  participants: { name: string; role: string; userId: string | null }[];
  timeScale: number;
  state: 'planned' | 'running' | 'ended';
  startedAt: string | null;
  endedAt: string | null;
  exerciseNow: string | null;
  elapsedMinutes: number;
  injects: {
    id: string;
    offsetMinutes: number;
    title: string;
    text: string;
    audience: string[];
    expectedDecisions: string[];
    status: 'pending' | 'due' | 'released';
    releasedAt: string | null;
    releasedMode: 'schedule' | 'facilitator' | null;
  }[];
  review: ReviewItem[];
  actions: { open: number; done: number };
}
