import { v4 as uuidv4 } from 'uuid';
import { z } from 'zod';
import { OscalError } from './errors.js';
import { DATE_TIME_WITH_TZ_PATTERN, UUID_PATTERN } from './schema.js';

// Builders for the two OSCAL 1.1 documents an assessment is exported as: assessment-results (what was found)
// and plan-of-action-and-milestones (what will be done about it). The input model is deliberately small; the
// builders assign the uuids, link observations and risks to findings, and stamp the timestamps.

export type ObservationMethod = 'EXAMINE' | 'INTERVIEW' | 'TEST' | 'UNKNOWN';
export type FindingState = 'satisfied' | 'not-satisfied';
export type ImplementationState = 'implemented' | 'partial' | 'planned' | 'alternative' | 'not-applicable';
export type RiskStatus =
  | 'open'
  | 'investigating'
  | 'remediating'
  | 'deviation-requested'
  | 'deviation-approved'
  | 'closed';

export interface ObservationInput {
  /** Local key, used by findings and risks to refer to this observation. */
  key: string;
  title?: string;
  description: string;
  methods?: ObservationMethod[];
  collected: string | Date;
  expires?: string | Date;
  evidence?: { href?: string; description: string }[];
}

export interface RemediationInput {
  title: string;
  description: string;
  owner?: string;
  due?: string | Date;
  lifecycle?: 'recommendation' | 'planned' | 'completed';
}

export interface RiskInput {
  key: string;
  title: string;
  description: string;
  statement: string;
  status?: RiskStatus;
  likelihood?: string;
  impact?: string;
  deadline?: string | Date;
  remediation?: RemediationInput;
  observationKeys?: string[];
}

export interface FindingInput {
  key?: string;
  controlId: string;
  title?: string;
  description?: string;
  state: FindingState;
  implementation?: ImplementationState;
  reason?: string;
  observationKeys?: string[];
  riskKeys?: string[];
}

export interface AssessmentResultsInput {
  title: string;
  description?: string;
  version?: string;
  /** `import-ap` is required by OSCAL; without a real plan, an internal reference is written. */
  assessmentPlanHref?: string;
  start: string | Date;
  end?: string | Date;
  assessor?: string;
  organization?: string;
  findings: FindingInput[];
  observations?: ObservationInput[];
  risks?: RiskInput[];
}

export interface PoamItemInput {
  key?: string;
  title: string;
  description: string;
  controlId?: string;
  owner?: string;
  due?: string | Date;
  findingKeys?: string[];
  observationKeys?: string[];
  riskKeys?: string[];
}

export interface PoamInput {
  title: string;
  version?: string;
  /** Identifier of the system or organization unit the plan is for. */
  systemId: string;
  sspHref?: string;
  organization?: string;
  /** Items; when absent, one item is made for every finding that is not satisfied. */
  items?: PoamItemInput[];
  findings?: FindingInput[];
  observations?: ObservationInput[];
  risks?: RiskInput[];
}

export interface BuildOptions {
  now?: Date;
  newUuid?: () => string;
}

type Json = Record<string, unknown>;

function time(value: string | Date, path: string): string {
  const text = value instanceof Date ? value.toISOString() : value;
  if (!DATE_TIME_WITH_TZ_PATTERN.test(text)) {
    throw new OscalError('invalid-document', [
      { path, message: `"${text}" must be an RFC 3339 date-time with a time zone` },
    ]);
  }
  return text;
}

function dateOnly(value: string | Date): string {
  return (value instanceof Date ? value.toISOString() : value).slice(0, 10);
}

class Builder {
  readonly newUuid: () => string;
  readonly now: string;
  readonly roles = new Map<string, string>();
  readonly parties = new Map<string, { uuid: string; type: string; name: string }>();
  readonly responsible = new Map<string, Set<string>>();
  readonly observationUuids = new Map<string, string>();
  readonly riskUuids = new Map<string, string>();
  readonly findingUuids = new Map<string, string>();

  constructor(options: BuildOptions) {
    this.newUuid = options.newUuid ?? uuidv4;
    this.now = (options.now ?? new Date()).toISOString();
  }

  party(name: string, type: 'person' | 'organization', role: string, roleTitle: string): string {
    const key = `${type}:${name}`;
    let party = this.parties.get(key);
    if (!party) {
      party = { uuid: this.newUuid(), type, name };
      this.parties.set(key, party);
    }
    this.roles.set(role, roleTitle);
    const set = this.responsible.get(role) ?? new Set<string>();
    set.add(party.uuid);
    this.responsible.set(role, set);
    return party.uuid;
  }

  metadata(title: string, version: string): Json {
    const meta: Json = { title, 'last-modified': this.now, version, 'oscal-version': '1.1.2' };
    if (this.roles.size) meta.roles = [...this.roles].map(([id, t]) => ({ id, title: t }));
    if (this.parties.size) meta.parties = [...this.parties.values()];
    if (this.responsible.size) {
      meta['responsible-parties'] = [...this.responsible].map(([role, uuids]) => ({
        'role-id': role,
        'party-uuids': [...uuids],
      }));
    }
    return meta;
  }

  ref(map: Map<string, string>, key: string, path: string, what: string): string {
    const uuid = map.get(key);
    if (!uuid) throw new OscalError('invalid-document', [{ path, message: `no ${what} with key "${key}"` }]);
    return uuid;
  }

  observations(list: ObservationInput[] | undefined): Json[] {
    return (list ?? []).map((o, i) => {
      const uuid = this.newUuid();
      this.observationUuids.set(o.key, uuid);
      const obs: Json = {
        uuid,
        description: o.description,
        methods: o.methods?.length ? o.methods : ['EXAMINE'],
      };
      if (o.title) obs.title = o.title;
      if (o.evidence?.length) {
        obs['relevant-evidence'] = o.evidence.map((e) =>
          e.href ? { href: e.href, description: e.description } : { description: e.description },
        );
      }
      obs.collected = time(o.collected, `observations[${i}].collected`);
      if (o.expires) obs.expires = time(o.expires, `observations[${i}].expires`);
      return obs;
    });
  }

  remediation(r: RemediationInput, path: string): Json {
    const response: Json = {
      uuid: this.newUuid(),
      lifecycle: r.lifecycle ?? 'planned',
      title: r.title,
      description: r.description,
    };
    if (r.due || r.owner) {
      const task: Json = {
        uuid: this.newUuid(),
        type: 'milestone',
        title: r.due ? `Due ${dateOnly(r.due)}` : r.title,
      };
      if (r.due)
        task.timing = {
          'on-date': {
            date: time(r.due instanceof Date ? r.due : `${dateOnly(r.due)}T00:00:00Z`, `${path}.due`),
          },
        };
      if (r.owner) {
        task['responsible-roles'] = [
          {
            'role-id': 'action-owner',
            'party-uuids': [this.party(r.owner, 'person', 'action-owner', 'Action owner')],
          },
        ];
      }
      response.tasks = [task];
    }
    return response;
  }

  risks(list: RiskInput[] | undefined): Json[] {
    for (const r of list ?? []) this.riskUuids.set(r.key, this.newUuid());
    return (list ?? []).map((r, i) => {
      const path = `risks[${i}]`;
      const risk: Json = {
        uuid: this.riskUuids.get(r.key),
        title: r.title,
        description: r.description,
        statement: r.statement,
        status: r.status ?? 'open',
      };
      // Likelihood and impact as namespaced props: OSCAL's characterization needs an origin actor that a
      // self-assessment does not have.
      const props: Json[] = [];
      if (r.likelihood) props.push({ name: 'likelihood', ns: 'urn:citywall:oscal', value: r.likelihood });
      if (r.impact) props.push({ name: 'impact', ns: 'urn:citywall:oscal', value: r.impact });
      if (props.length) risk.props = props;
      if (r.deadline) risk.deadline = time(r.deadline, `${path}.deadline`);
      if (r.remediation) risk.remediations = [this.remediation(r.remediation, `${path}.remediation`)];
      if (r.observationKeys?.length) {
        risk['related-observations'] = r.observationKeys.map((k, j) => ({
          'observation-uuid': this.ref(
            this.observationUuids,
            k,
            `${path}.observationKeys[${j}]`,
            'observation',
          ),
        }));
      }
      return risk;
    });
  }

  findings(list: FindingInput[] | undefined): Json[] {
    return (list ?? []).map((f, i) => {
      const path = `findings[${i}]`;
      const uuid = this.newUuid();
      this.findingUuids.set(f.key ?? f.controlId, uuid);
      const status: Json = { state: f.state };
      if (f.reason) status.reason = f.reason;
      const target: Json = { type: 'objective-id', 'target-id': f.controlId, status };
      if (f.implementation) target['implementation-status'] = { state: f.implementation };
      const finding: Json = {
        uuid,
        title: f.title ?? `Finding for ${f.controlId}`,
        description:
          f.description ?? `${f.controlId}: ${f.state === 'satisfied' ? 'satisfied' : 'not satisfied'}.`,
        target,
      };
      if (f.observationKeys?.length) {
        finding['related-observations'] = f.observationKeys.map((k, j) => ({
          'observation-uuid': this.ref(
            this.observationUuids,
            k,
            `${path}.observationKeys[${j}]`,
            'observation',
          ),
        }));
      }
      if (f.riskKeys?.length) {
        finding['related-risks'] = f.riskKeys.map((k, j) => ({
          'risk-uuid': this.ref(this.riskUuids, k, `${path}.riskKeys[${j}]`, 'risk'),
        }));
      }
      return finding;
    });
  }
}

/** An OSCAL 1.1 assessment-results document with one result holding the findings, observations and risks. */
export function buildAssessmentResults(input: AssessmentResultsInput, options: BuildOptions = {}): Json {
  const b = new Builder(options);
  if (input.organization)
    b.party(input.organization, 'organization', 'assessed-organization', 'Assessed organization');
  if (input.assessor) b.party(input.assessor, 'person', 'assessor', 'Assessor');
  const observations = b.observations(input.observations);
  const risks = b.risks(input.risks);
  const findings = b.findings(input.findings);
  const controlIds = [...new Set(input.findings.map((f) => f.controlId))];
  const result: Json = {
    uuid: b.newUuid(),
    title: input.title,
    description: input.description ?? input.title,
    start: time(input.start, 'start'),
  };
  if (input.end) result.end = time(input.end, 'end');
  result['reviewed-controls'] = {
    'control-selections': [
      controlIds.length
        ? { 'include-controls': controlIds.map((id) => ({ 'control-id': id })) }
        : { 'include-all': {} },
    ],
  };
  if (observations.length) result.observations = observations;
  if (risks.length) result.risks = risks;
  if (findings.length) result.findings = findings;
  const uuid = b.newUuid();
  const doc: Json = {
    uuid,
    metadata: b.metadata(input.title, input.version ?? '1.0'),
    'import-ap': { href: input.assessmentPlanHref ?? `urn:uuid:${uuid}` },
    results: [result],
  };
  return { 'assessment-results': doc };
}

/** An OSCAL 1.1 plan-of-action-and-milestones document: one poam-item per gap, with owners and due dates. */
export function buildPoam(input: PoamInput, options: BuildOptions = {}): Json {
  const b = new Builder(options);
  if (input.organization) b.party(input.organization, 'organization', 'system-owner', 'System owner');
  const observations = b.observations(input.observations);
  const givenRisks = b.risks(input.risks);
  const findings = b.findings(input.findings);
  const items =
    input.items ??
    (input.findings ?? [])
      .filter((f) => f.state === 'not-satisfied')
      .map<PoamItemInput>((f) => ({
        title: f.title ?? `Close the gap in ${f.controlId}`,
        description: f.description ?? f.reason ?? `${f.controlId} is not satisfied.`,
        controlId: f.controlId,
        findingKeys: [f.key ?? f.controlId],
        observationKeys: f.observationKeys,
        riskKeys: f.riskKeys,
      }));
  const madeRisks: Json[] = [];
  const poamItems = items.map((item, i) => {
    const path = `items[${i}]`;
    const poamItem: Json = { uuid: b.newUuid(), title: item.title, description: item.description };
    if (item.controlId)
      poamItem.props = [{ name: 'control-id', ns: 'urn:citywall:oscal', value: item.controlId }];
    const riskUuids = (item.riskKeys ?? []).map((k, j) =>
      b.ref(b.riskUuids, k, `${path}.riskKeys[${j}]`, 'risk'),
    );
    // An owner and a due date live on a risk's remediation in OSCAL, so an item that has them gets a risk.
    if (!riskUuids.length && (item.owner || item.due)) {
      const risk: Json = {
        uuid: b.newUuid(),
        title: item.title,
        description: item.description,
        statement: item.description,
        status: 'open',
      };
      if (item.due)
        risk.deadline = time(
          item.due instanceof Date ? item.due : `${dateOnly(item.due)}T00:00:00Z`,
          `${path}.due`,
        );
      risk.remediations = [
        b.remediation(
          { title: item.title, description: item.description, owner: item.owner, due: item.due },
          path,
        ),
      ];
      madeRisks.push(risk);
      riskUuids.push(risk.uuid as string);
    }
    if (item.findingKeys?.length) {
      poamItem['related-findings'] = item.findingKeys.map((k, j) => ({
        'finding-uuid': b.ref(b.findingUuids, k, `${path}.findingKeys[${j}]`, 'finding'),
      }));
    }
    if (item.observationKeys?.length) {
      poamItem['related-observations'] = item.observationKeys.map((k, j) => ({
        'observation-uuid': b.ref(b.observationUuids, k, `${path}.observationKeys[${j}]`, 'observation'),
      }));
    }
    if (riskUuids.length) poamItem['related-risks'] = riskUuids.map((u) => ({ 'risk-uuid': u }));
    return poamItem;
  });
  const doc: Json = { uuid: b.newUuid(), metadata: b.metadata(input.title, input.version ?? '1.0') };
  if (input.sspHref) doc['import-ssp'] = { href: input.sspHref };
  doc['system-id'] = UUID_PATTERN.test(input.systemId)
    ? { 'identifier-type': 'http://ietf.org/rfc/rfc4122', id: input.systemId }
    : { id: input.systemId };
  if (observations.length) doc.observations = observations;
  const risks = [...givenRisks, ...madeRisks];
  if (risks.length) doc.risks = risks;
  if (findings.length) doc.findings = findings;
  doc['poam-items'] = poamItems;
  return { 'plan-of-action-and-milestones': doc };
}

// Schemas of the required parts of both documents, for consumers that want to check what they send out.
const uuidString = z.string().regex(UUID_PATTERN);
const dateTime = z.string().regex(DATE_TIME_WITH_TZ_PATTERN);
const metadataSchema = z.looseObject({
  title: z.string().min(1),
  'last-modified': dateTime,
  version: z.string().min(1),
  'oscal-version': z.string().min(1),
});
const observationSchema = z.looseObject({
  uuid: uuidString,
  description: z.string(),
  methods: z.array(z.enum(['EXAMINE', 'INTERVIEW', 'TEST', 'UNKNOWN'])).min(1),
  collected: dateTime,
  expires: dateTime.optional(),
});
const riskSchema = z.looseObject({
  uuid: uuidString,
  title: z.string(),
  description: z.string(),
  statement: z.string(),
  status: z.enum([
    'open',
    'investigating',
    'remediating',
    'deviation-requested',
    'deviation-approved',
    'closed',
  ]),
  deadline: dateTime.optional(),
});
const findingSchema = z.looseObject({
  uuid: uuidString,
  title: z.string(),
  description: z.string(),
  target: z.looseObject({
    type: z.enum(['statement-id', 'objective-id']),
    'target-id': z.string(),
    status: z.looseObject({ state: z.enum(['satisfied', 'not-satisfied']) }),
  }),
});

export const assessmentResultsSchema = z.looseObject({
  'assessment-results': z.looseObject({
    uuid: uuidString,
    metadata: metadataSchema,
    'import-ap': z.looseObject({ href: z.string().min(1) }),
    results: z
      .array(
        z.looseObject({
          uuid: uuidString,
          title: z.string(),
          description: z.string(),
          start: dateTime,
          end: dateTime.optional(),
          'reviewed-controls': z.looseObject({ 'control-selections': z.array(z.looseObject({})).min(1) }),
          observations: z.array(observationSchema).optional(),
          risks: z.array(riskSchema).optional(),
          findings: z.array(findingSchema).optional(),
        }),
      )
      .min(1),
  }),
});

export const poamSchema = z.looseObject({
  'plan-of-action-and-milestones': z.looseObject({
    uuid: uuidString,
    metadata: metadataSchema,
    'system-id': z.looseObject({ id: z.string().min(1) }).optional(),
    observations: z.array(observationSchema).optional(),
    risks: z.array(riskSchema).optional(),
    findings: z.array(findingSchema).optional(),
    'poam-items': z.array(z.looseObject({ uuid: uuidString, title: z.string(), description: z.string() })),
  }),
});

/** How a Citywall requirement status reads as an OSCAL finding. */
export function findingForStatus(status: string): {
  state: FindingState;
  implementation?: ImplementationState;
} {
  switch (status) {
    case 'implemented':
      return { state: 'satisfied', implementation: 'implemented' };
    case 'not-applicable':
      return { state: 'satisfied', implementation: 'not-applicable' };
    case 'partially-implemented':
      return { state: 'not-satisfied', implementation: 'partial' };
    case 'planned':
      return { state: 'not-satisfied', implementation: 'planned' };
    default:
      return { state: 'not-satisfied' };
  }
}
