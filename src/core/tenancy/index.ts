/**
 * The vocabulary of tenancy that server and web share: kinds of organization, roles, and what each role may
 * do. The server enforces it; the web client reads it only to hide what would be refused.
 */
export const ORG_KINDS = [
  'nation',
  'region',
  'city',
  'department',
  'utility',
  'partner',
  'community',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ROLES = ['admin', 'analyst', 'contributor', 'viewer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'org.read',
  'org.manage',
  'members.read',
  'members.manage',
  'audit.read',
  'jobs.read',
  'jobs.manage',
  'data.read',
  'data.write',
  'data.analyze',
  'data.admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What each role may do in an organization it holds the role in. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['org.read', 'data.read'],
  contributor: ['org.read', 'data.read', 'data.write'],
  analyst: ['org.read', 'members.read', 'jobs.read', 'data.read', 'data.write', 'data.analyze'],
  auditor: ['org.read', 'members.read', 'audit.read', 'jobs.read', 'data.read'],
  admin: PERMISSIONS,
};

export function roleAllows(roles: Iterable<Role>, permission: Permission): boolean {
  for (const r of roles) if (ROLE_PERMISSIONS[r].includes(permission)) return true;
  return false;
}
