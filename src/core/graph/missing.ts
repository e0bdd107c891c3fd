export interface ServiceRecord {
  id: string;
  name?: string;
  owner?: string | null;
  rtoHours?: number | null;
}

export type MissingField = 'owner' | 'rto' | 'dependency';

export interface MissingDataEntry {
  id: string;
  name?: string;
  missing: MissingField[];
}

/**
 * Services that cannot be analysed properly: no owner (nobody to call), no RTO (no urgency in a cascade) or no
 * known dependency (a cascade can never reach them, which would understate impact).
 */
export function servicesMissingData(
  services: readonly ServiceRecord[],
  edges: readonly { from: string }[],
): MissingDataEntry[] {
  const hasDependency = new Set<string>();
  for (const e of edges) hasDependency.add(e.from);
  const out: MissingDataEntry[] = [];
  for (const s of services) {
    const missing: MissingField[] = [];
    if (typeof s.owner !== 'string' || s.owner.trim() === '') missing.push('owner');
    if (typeof s.rtoHours !== 'number' || !Number.isFinite(s.rtoHours) || s.rtoHours < 0) missing.push('rto');
    if (!hasDependency.has(s.id)) missing.push('dependency');
    if (missing.length > 0) {
      const entry: MissingDataEntry = { id: s.id, missing };
      if (s.name !== undefined) entry.name = s.name;
      out.push(entry);
    }
  }
  return out;
}
