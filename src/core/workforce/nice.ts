/**
 * NICE Workforce Framework for Cybersecurity, components v2.0.0 (March 2025): work role categories, the 41 work
 * roles, and the 11 competency areas. v2.0.0 removed the Cyberspace Effects and Cyberspace Intelligence categories
 * (12 roles now kept in the DoD Cyber Workforce Framework) and added OT Cybersecurity Engineering (DD-WRL-009),
 * which a city with a water utility needs.
 */

export const NICE_VERSION = '2.0.0';

export const NICE_CATEGORIES = {
  OG: 'Oversight and Governance',
  DD: 'Design and Development',
  IO: 'Implementation and Operation',
  PD: 'Protection and Defense',
  IN: 'Investigation',
} as const;

export type NiceCategory = keyof typeof NICE_CATEGORIES;

export interface NiceWorkRole {
  id: string;
  name: string;
  category: NiceCategory;
}

const roles = (category: NiceCategory, names: string[]): NiceWorkRole[] =>
  names.map((name, i) => ({ id: `${category}-WRL-${String(i + 1).padStart(3, '0')}`, name, category }));

export const NICE_WORK_ROLES: readonly NiceWorkRole[] = [
  ...roles('OG', [
    'Communications Security (COMSEC) Management',
    'Cybersecurity Policy and Planning',
    'Cybersecurity Workforce Management',
    'Cybersecurity Curriculum Development',
    'Cybersecurity Instruction',
    'Cybersecurity Legal Advice',
    'Executive Cybersecurity Leadership',
    'Privacy Compliance',
    'Product Support Management',
    'Program Management',
    'Secure Project Management',
    'Security Control Assessment',
    'Systems Authorization',
    'Systems Security Management',
    'Technology Portfolio Management',
    'Technology Program Auditing',
  ]),
  ...roles('DD', [
    'Cybersecurity Architecture',
    'Enterprise Architecture',
    'Secure Software Development',
    'Secure Systems Development',
    'Software Security Assessment',
    'Systems Requirements Planning',
    'Systems Testing and Evaluation',
    'Technology Research and Development',
    'Operational Technology (OT) Cybersecurity Engineering',
  ]),
  ...roles('IO', [
    'Data Analysis',
    'Database Administration',
    'Knowledge Management',
    'Network Operations',
    'Systems Administration',
    'Systems Security Analysis',
    'Technical Support',
  ]),
  ...roles('PD', [
    'Defensive Cybersecurity',
    'Digital Forensics',
    'Incident Response',
    'Infrastructure Support',
    'Insider Threat Analysis',
    'Threat Analysis',
    'Vulnerability Analysis',
  ]),
  ...roles('IN', ['Cybercrime Investigation', 'Digital Evidence Analysis']),
];

export const NICE_WORK_ROLE_ID_PATTERN = /^(OG|DD|IO|PD|IN)-WRL-\d{3}$/;

export interface NiceCompetencyArea {
  id: string;
  name: string;
}

export const NICE_COMPETENCY_AREAS: readonly NiceCompetencyArea[] = [
  'Access Controls',
  'Artificial Intelligence (AI) Security',
  'Asset Management',
  'Cloud Security',
  'Communications Security',
  'Cryptography',
  'Cyber Resiliency',
  'DevSecOps',
  'Operating Systems (OS) Security',
  'Operational Technology (OT) Security',
  'Supply Chain Security',
].map((name, i) => ({ id: `NF-COM-${String(i + 1).padStart(3, '0')}`, name }));

const ROLE_BY_ID = new Map(NICE_WORK_ROLES.map((r) => [r.id, r]));

export function niceWorkRole(id: string): NiceWorkRole | undefined {
  return ROLE_BY_ID.get(id);
}

export interface RoleNeed {
  roleId: string;
  count: number;
}

export interface StaffMember {
  id?: string;
  roleIds: readonly string[];
}

export interface RoleGap {
  roleId: string;
  name: string;
  needed: number;
  /** Staff who hold the role at all (a person with several roles counts for each). */
  qualified: number;
  /** Slots filled when each person fills at most one slot across all roles. */
  assigned: number;
  gap: number;
}

export class RoleGapError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid workforce input: ${problems.join('; ')}`);
    this.name = 'RoleGapError';
  }
}

/**
 * Compares needed headcount per NICE work role with the staff who can fill it. A person qualified for several
 * roles is one person: `assigned` comes from a maximum matching of people to slots, so the total gap is what the
 * city must actually hire or train for, not an optimistic count that reuses the same generalist everywhere.
 * When people are scarce, needs listed first are filled first.
 */
export function roleGaps(needed: readonly RoleNeed[], staff: readonly StaffMember[]): RoleGap[] {
  const problems: string[] = [];
  const seenNeeds = new Set<string>();
  needed.forEach((n, i) => {
    if (!ROLE_BY_ID.has(n.roleId)) problems.push(`needed[${i}].roleId: unknown NICE work role "${n.roleId}"`);
    if (!Number.isInteger(n.count) || n.count < 0)
      problems.push(`needed[${i}].count must be a non-negative integer`);
    if (seenNeeds.has(n.roleId)) problems.push(`needed[${i}].roleId: "${n.roleId}" listed twice`);
    seenNeeds.add(n.roleId);
  });
  staff.forEach((s, i) => {
    s.roleIds.forEach((r, j) => {
      if (!ROLE_BY_ID.has(r)) problems.push(`staff[${i}].roleIds[${j}]: unknown NICE work role "${r}"`);
    });
  });
  if (problems.length > 0) throw new RoleGapError(problems);

  // One slot per needed position, in the order the needs are listed: that order is the priority. Matching from
  // the slot side (Kuhn's augmenting paths) never unfills a slot once filled, so earlier needs keep their people
  // while the total stays maximal.
  const slots: string[] = needed.flatMap((n) => Array.from({ length: n.count }, () => n.roleId));
  const staffRoles = staff.map((s) => new Set(s.roleIds));
  const slotOfPerson = new Array<number>(staff.length).fill(-1);
  const personOfSlot = new Array<number>(slots.length).fill(-1);
  const tryFill = (slot: number, visited: boolean[]): boolean => {
    for (let person = 0; person < staff.length; person++) {
      if (visited[person] || !staffRoles[person].has(slots[slot])) continue;
      visited[person] = true;
      if (slotOfPerson[person] === -1 || tryFill(slotOfPerson[person], visited)) {
        slotOfPerson[person] = slot;
        personOfSlot[slot] = person;
        return true;
      }
    }
    return false;
  };
  for (let slot = 0; slot < slots.length; slot++) tryFill(slot, new Array<boolean>(staff.length).fill(false));

  return needed.map((n) => {
    const assigned = slots.filter((r, i) => r === n.roleId && personOfSlot[i] !== -1).length;
    return {
      roleId: n.roleId,
      name: (ROLE_BY_ID.get(n.roleId) as NiceWorkRole).name,
      needed: n.count,
      qualified: staffRoles.filter((set) => set.has(n.roleId)).length,
      assigned,
      gap: n.count - assigned,
    };
  });
}
