export type Tlp = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';
export const TLPS: Tlp[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

export interface ObjectSummary {
  stixId: string;
  type: string;
  name: string | null;
  description: string | null;
  tlp: Tlp;
  labels: string[];
  modified: string | null;
  revoked: boolean;
  dateAdded: string;
  ownerOrgId: string;
  ownerOrgName: string;
}

export interface VersionInfo {
  version: string;
  modified: string | null;
  revoked: boolean;
  tlp: Tlp;
  dateAdded: string;
}

export interface ObjectDetail {
  stixId: string;
  type: string;
  tlp: Tlp;
  revoked: boolean;
  ownerOrgId: string;
  ownerOrgName: string;
  owned: boolean;
  dateAdded: string;
  object: Record<string, unknown>;
  versions: VersionInfo[];
  shares: { targetOrgId: string; targetName: string; targetKind: string; createdAt: string }[];
}

export interface Graph {
  root: string;
  truncated: boolean;
  nodes: { id: string; type: string; name: string | null; tlp: Tlp; hops: number }[];
  edges: { id: string; type: string; relationshipType: string | null; source: string; target: string }[];
}

export interface ImportReport {
  total: number;
  imported: number;
  duplicates: number;
  failed: number;
  failures: { index: number; id: string | null; errors: { path: string; rule: string; message: string }[] }[];
  failuresTruncated: boolean;
  warned: number;
  warnings: { index: number; id: string; path: string; rule: string; message: string }[];
  warningsTruncated: boolean;
  upgraded: number;
  upgrades: { index: number; id: string; changes: { path: string; action: string; message: string }[] }[];
  upgradesTruncated: boolean;
  atomic: boolean;
  elapsedMs: number;
}

export interface Community {
  id: string;
  name: string;
  slug: string;
  /** The level of objects published to the community without a TLP marking. */
  defaultTlp: Tlp;
}

export interface CommunityMember {
  orgId: string;
  name: string;
  slug: string;
  kind: string;
  createdAt: string;
}

export interface TaxiiOverview {
  discoveryUrl: string;
  apiRootUrl: string;
  maxContentLength: number;
  collections: {
    id: string;
    kind: 'all' | 'community';
    title: string;
    description: string;
    canRead: boolean;
    canWrite: boolean;
    url: string;
    objects: number;
  }[];
}
