import { createHash } from 'node:crypto';
import { compareTlp, TLP_MARKINGS, TLP2_MARKING_IDS, type TlpLevel } from '../stix/index.js';

/**
 * An incident as a STIX 2.1 bundle: an `incident` SDO carrying the Incident Core Extension, the reporting
 * organization as an identity, each observable as an SCO inside an observed-data, the indicators it matched, and
 * a sighting per matched indicator (where: the organization; what: the observed-data).
 *
 * What leaves, and what is stripped:
 *  - Every object the bundle creates is marked with the chosen TLP, which may be the incident's own or stricter,
 *    never looser (loosening is a change of the incident's TLP, made on the incident).
 *  - An indicator of this organization travels when its TLP is no stricter than the chosen one.
 *  - An indicator of another organization travels only when it is TLP:CLEAR, or TLP:GREEN in a bundle that is not
 *    itself CLEAR (GREEN may circulate in the community, never in public; AMBER and stricter are not passed on);
 *    otherwise it and its sightings are left out.
 *  - The person exporting chooses further: without the summary (description), without observables (then no
 *    sightings either), without indicators (then no sightings), without sightings, or leaving named observables
 *    out. Notes on observables, tasks, the timeline, evidence and communications never travel.
 */

export const INCIDENT_CORE_EXTENSION_ID = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';

export interface ShareOptions {
  tlp: TlpLevel;
  description: boolean;
  observables: boolean;
  indicators: boolean;
  sightings: boolean;
  /** Observable SCO ids to keep private. */
  excludeObservables: readonly string[];
}

export interface BundleIncident {
  id: string;
  title: string;
  summary: string;
  type: string;
  status: string;
  tlp: TlpLevel;
  exercise: boolean;
  severityScore: number | null;
  severityName: string | null;
  recoverability: string | null;
  /** MITRE ATT&CK technique ids (T1486, T1078.002) seen in the incident. */
  attackTechniques?: readonly string[];
  detectedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface BundleObservable {
  /** A stable uuid of the observable record, used for its observed-data. */
  recordId: string;
  sco: Record<string, unknown>;
  seenAt: Date;
  /** Ids of the indicators it matched. */
  hits: readonly string[];
}

export interface BundleIndicator {
  object: Record<string, unknown>;
  tlp: TlpLevel;
  /** Whether the exporting organization owns it. */
  own: boolean;
}

export class ShareError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ShareError';
  }
}

/** A stable id of the v4 form for objects derived from others, so a second export names them the same. */
export function derivedId(type: string, ...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\n')).digest('hex');
  const variant = ((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${type}--${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Whether an indicator may travel in a bundle marked `tlp`. */
export function indicatorTravels(ind: BundleIndicator, tlp: TlpLevel): boolean {
  if (ind.own) return compareTlp(ind.tlp, tlp) <= 0;
  // Another organization's GREEN circulates in the community but is never published as CLEAR.
  return ind.tlp === 'clear' || (ind.tlp === 'green' && tlp !== 'clear');
}

const ts = (d: Date) => d.toISOString();

/** The external reference ATT&CK itself uses for a technique: T1078.002 lives at /techniques/T1078/002/. */
export function attackReference(techniqueId: string) {
  return {
    source_name: 'mitre-attack',
    external_id: techniqueId,
    url: `https://attack.mitre.org/techniques/${techniqueId.replace('.', '/')}/`,
  };
}

const INVESTIGATION: Record<string, string> = { detected: 'new', closed: 'closed' };

export function buildIncidentBundle(input: {
  /** The reporting organization; its identity's `created` is the organization's, so it never needs a new version. */
  organization: { id: string; name: string; createdAt: Date };
  incident: BundleIncident;
  observables: readonly BundleObservable[];
  indicators: readonly BundleIndicator[];
  options: ShareOptions;
  /** A fixed bundle id (tests); random otherwise. */
  bundleId?: string;
}) {
  const { incident: i, options: o } = input;
  if (compareTlp(o.tlp, i.tlp) < 0) {
    throw new ShareError(
      'tlp',
      `the incident is TLP:${i.tlp.toUpperCase()}; a bundle may be marked as strictly or more strictly, not TLP:${o.tlp.toUpperCase()}`,
    );
  }
  const marking = [TLP2_MARKING_IDS[o.tlp]];
  const identityId = `identity--${input.organization.id}`;
  const created = ts(i.createdAt);
  const modified = ts(i.updatedAt);
  const orgCreated = ts(input.organization.createdAt);
  const identity = {
    type: 'identity',
    spec_version: '2.1',
    id: identityId,
    created: orgCreated,
    modified: orgCreated,
    name: input.organization.name,
    identity_class: 'organization',
    sectors: ['government-local'],
    object_marking_refs: marking,
  };
  const incidentId = `incident--${i.id}`;
  const ext: Record<string, unknown> = {
    extension_type: 'property-extension',
    determination: i.status === 'detected' || i.status === 'triage' ? 'suspected' : 'confirmed',
    investigation_status: INVESTIGATION[i.status] ?? 'open',
    incident_types: [i.type],
  };
  if (i.severityScore !== null) {
    ext.criticality = Math.max(0, Math.min(100, Math.round(i.severityScore)));
    ext.scores = [
      {
        name: 'citywall-severity',
        value: i.severityScore,
        description: `${i.severityName ?? ''} on the Citywall severity scale (NCISS-style, 0–100)`.trim(),
      },
    ];
  }
  if (i.recoverability) ext.recoverability = i.recoverability;
  const incident: Record<string, unknown> = {
    type: 'incident',
    spec_version: '2.1',
    id: incidentId,
    created,
    modified,
    created_by_ref: identityId,
    name: i.title,
    ...(o.description && i.summary ? { description: i.summary } : {}),
    ...(i.exercise ? { labels: ['exercise'] } : {}),
    ...(i.attackTechniques?.length ? { external_references: i.attackTechniques.map(attackReference) } : {}),
    object_marking_refs: marking,
    extensions: { [INCIDENT_CORE_EXTENSION_ID]: ext },
  };

  const excluded = new Set(o.excludeObservables);
  const observables = o.observables ? input.observables.filter((x) => !excluded.has(String(x.sco.id))) : [];
  const indicators = o.indicators ? input.indicators.filter((x) => indicatorTravels(x, o.tlp)) : [];
  const travelling = new Set(indicators.map((x) => String(x.object.id)));

  const objects: Record<string, unknown>[] = [identity, incident];
  const related = (target: string) => ({
    type: 'relationship',
    spec_version: '2.1',
    id: derivedId('relationship', incidentId, 'related-to', target),
    created,
    modified: created,
    created_by_ref: identityId,
    relationship_type: 'related-to',
    source_ref: incidentId,
    target_ref: target,
    object_marking_refs: marking,
  });
  const observedDataOf = new Map<string, string>();
  for (const ob of observables) {
    objects.push({ ...ob.sco, object_marking_refs: marking });
    const odId = `observed-data--${ob.recordId}`;
    observedDataOf.set(ob.recordId, odId);
    objects.push({
      type: 'observed-data',
      spec_version: '2.1',
      id: odId,
      created: ts(ob.seenAt),
      modified: ts(ob.seenAt),
      created_by_ref: identityId,
      first_observed: ts(ob.seenAt),
      last_observed: ts(ob.seenAt),
      number_observed: 1,
      object_refs: [ob.sco.id],
      object_marking_refs: marking,
    });
    objects.push(related(odId));
  }
  for (const ind of indicators) {
    objects.push(ind.object);
    objects.push(related(String(ind.object.id)));
  }
  if (o.sightings) {
    for (const ind of indicators) {
      const indId = String(ind.object.id);
      const seen = observables.filter((ob) => ob.hits.includes(indId));
      if (!seen.length) continue;
      const times = seen.map((ob) => ob.seenAt.getTime());
      objects.push({
        type: 'sighting',
        spec_version: '2.1',
        id: derivedId('sighting', incidentId, indId),
        created,
        modified,
        created_by_ref: identityId,
        sighting_of_ref: indId,
        observed_data_refs: seen.map((ob) => observedDataOf.get(ob.recordId) as string),
        where_sighted_refs: [identityId],
        first_seen: ts(new Date(Math.min(...times))),
        last_seen: ts(new Date(Math.max(...times))),
        count: seen.length,
        object_marking_refs: marking,
      });
    }
  }
  // The TLP marking definitions every marked object refers to.
  const used = new Set<string>();
  for (const obj of objects) {
    for (const ref of (obj.object_marking_refs as string[] | undefined) ?? []) used.add(ref);
  }
  const markings = Object.values(TLP_MARKINGS).filter((m) => used.has(m.id));
  return {
    type: 'bundle' as const,
    id: input.bundleId ?? `bundle--${crypto.randomUUID()}`,
    objects: [...markings, ...objects],
    /** What was left out, for the person sharing. */
    stripped: {
      observables: input.observables.length - observables.length,
      indicators: input.indicators.length - indicators.length,
      description: !o.description && !!i.summary,
    },
    travelling: [...travelling],
  };
}
