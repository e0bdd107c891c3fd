import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { sql } from 'drizzle-orm';
import {
  type CriterionTrace,
  compileConfigurations,
  compileSystem,
  type Derived,
  evaluateConfigurations,
  exploitationFromEvidence,
  type Match,
  type MissionWellbeing,
  missionWellbeingFromService,
  type NvdConfiguration,
  type ServiceCriticality,
  ssvcDecide,
  ssvcFromCvss,
  systemCandidateKeys,
} from '../../../core/vuln/index.js';
import { type Ctx, SYSTEM_ACTOR } from '../../context.js';
import { type Db, type DbOrTx, isEmbedded } from '../../db/client.js';
import {
  DEFAULT_DUE_POLICY,
  type DuePolicy,
  type FindingRow,
  type FindingStatus,
  type VulnerabilityRow,
} from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { assetsService } from '../assets/assets.service.js';
import { auditService } from '../audit/audit.service.js';
import { orgsService } from '../orgs/orgs.service.js';
import { compiledConfigurations } from './vulns.compiled.js';
import { type CsafHit, csafHits, vexClosure } from './vulns.csaf.js';
import {
  type Candidate,
  csafRepository,
  epssRepository,
  type FindingFilter,
  type FindingRematch,
  type FindingView,
  type FindingWrite,
  feedRunsRepository,
  findingsRepository,
  type KevRow,
  kevRepository,
  trendRepository,
  vulnerabilitiesRepository,
  vulnPoliciesRepository,
} from './vulns.repository.js';
import {
  packTrace,
  readTraceRef,
  refTrace,
  type TraceSystem,
  traceFromRef,
  unpackTrace,
} from './vulns.trace.js';

/** Notes Citywall writes when it closes a finding itself; such findings reopen when they match again. */
const AUTO_PREFIX = 'Closed by Citywall:';
export const NOTE_NO_LONGER_MATCHES = `${AUTO_PREFIX} the CVE no longer matches this system`;
export const NOTE_REJECTED = `${AUTO_PREFIX} NVD rejected (withdrew) this CVE`;
export const NOTE_NOT_AFFECTED = `${AUTO_PREFIX} not affected according to the`;
export const NOTE_SUPPRESSION_STALE =
  'Reopened by Citywall: the data it was matched on changed since it was marked a false positive';

/** A system's identity as a trace records it (absent parts as null). */
function systemIdentity(s: Partial<TraceSystem>): TraceSystem {
  return {
    cpe: s.cpe ?? null,
    vendor: s.vendor ?? null,
    product: s.product ?? null,
    version: s.version ?? null,
  };
}

/** A system's identity compiled for matching (only the parts it has). */
function compiledIdentity(s: Partial<TraceSystem>) {
  return compileSystem({
    ...(s.cpe ? { cpe: s.cpe } : {}),
    ...(s.vendor ? { vendor: s.vendor } : {}),
    ...(s.product ? { product: s.product } : {}),
    ...(s.version ? { version: s.version } : {}),
  });
}

/**
 * What a false positive is keyed by: the system's identity and the criterion that matched it (NVD configuration,
 * criterion and its version bounds; advisory products and revisions). When a later match rests on anything
 * else, it is news. Works on a full trace and on what a trace stored by reference keeps (`storedTraceView`).
 */
export function suppressionKeyOf(trace: unknown): string {
  const t = (trace ?? {}) as Record<string, unknown>;
  const s = (t.system ?? null) as Partial<TraceSystem> | null;
  const w = t.witness as CriterionTrace | undefined;
  const basis = canonicalize({
    system: s ? systemIdentity(s) : null,
    configurationIndex: t.configurationIndex ?? null,
    criterion: w
      ? {
          criteria: w.criteria,
          vulnerable: w.vulnerable,
          role: w.role,
          bounds: w.versionBounds.map((b) => [b.bound, b.value]),
        }
      : null,
    advisories: advisoryKeys(t),
  });
  return `v2:${createHash('sha256')
    .update(basis ?? '')
    .digest('hex')}`;
}

function advisoryKeys(t: Record<string, unknown>): string[] {
  return ((t.advisories as CsafHit[] | undefined) ?? [])
    .map((h) => `${h.advisory.trackingId}@${h.advisory.version}#${h.productId}:${h.status}`)
    .sort();
}

/** The key of false positives marked before `suppressionKeyOf` (no "v2:" prefix): over the whole witness. */
export function legacySuppressionKeyOf(trace: unknown): string {
  const t = (trace ?? {}) as Record<string, unknown>;
  const basis = canonicalize({
    system: t.system ?? null,
    configurationIndex: t.configurationIndex ?? null,
    witness: t.witness ?? null,
    advisories: advisoryKeys(t),
  });
  return createHash('sha256')
    .update(basis ?? '')
    .digest('hex');
}

/** Whether a stored suppression key still holds for this (full) trace. */
function suppressionHolds(key: string, trace: unknown): boolean {
  return key === (key.startsWith('v2:') ? suppressionKeyOf(trace) : legacySuppressionKeyOf(trace));
}

/** A stored trace as far as it reads without the CVE record (see vulns.trace.ts). */
function storedTraceView(stored: string): Record<string, unknown> {
  const parsed = JSON.parse(stored) as unknown;
  const ref = readTraceRef(parsed);
  return ref ? traceFromRef(ref) : unpackTrace(parsed);
}

const boundsKey = (w: CriterionTrace) => JSON.stringify(w.versionBounds.map((b) => [b.bound, b.value]));

/** The trace of an NVD match on a system, with what advisories add. */
function nvdTrace(system: TraceSystem, match: Match, hits: CsafHit[]): Record<string, unknown> {
  return {
    source: 'nvd',
    system,
    confidence: match.confidence,
    configurationIndex: match.configurationIndex,
    witness: match.witness,
    trace: match.trace,
    alsoMatched: match.alsoMatched,
    ...(hits.length ? { advisories: hits } : {}),
  };
}

/**
 * A finding's whole trace: a trace stored by reference is evaluated again on the current CVE record; when that
 * no longer gives the same match (configuration, criterion and bounds), what the reference keeps (marked
 * `recordChanged`).
 */
async function findingTrace(db: DbOrTx, cveId: string, stored: string): Promise<Record<string, unknown>> {
  const parsed = JSON.parse(stored) as unknown;
  const ref = readTraceRef(parsed);
  if (!ref) return unpackTrace(parsed);
  const [row] = await vulnerabilitiesRepository.configurations(db, [cveId]);
  if (row) {
    const s = ref.system;
    const match = evaluateConfigurations(
      compileConfigurations(row.configurations as NvdConfiguration[]),
      compiledIdentity(s),
    );
    const w = match?.witness;
    if (
      match &&
      w &&
      match.configurationIndex === ref.configurationIndex &&
      w.node === ref.witness.node &&
      w.cpeMatch === ref.witness.cpeMatch &&
      w.criteria === ref.witness.criteria &&
      boundsKey(w) === boundsKey(ref.witness)
    )
      return nvdTrace(s, match, []);
  }
  return traceFromRef(ref);
}

/** The earlier of the KEV due date and first sight plus the policy's days for the SSVC decision. */
export function dueDate(
  policy: DuePolicy,
  decision: string,
  firstSeen: Date,
  kevDue: string | null,
): string | null {
  const days = policy[decision as keyof DuePolicy];
  const byPolicy =
    days === null || days === undefined
      ? null
      : new Date(firstSeen.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  if (!byPolicy) return kevDue;
  if (!kevDue) return byPolicy;
  return kevDue < byPolicy ? kevDue : byPolicy;
}
const ACTIVE: FindingStatus[] = ['open', 'in_progress'];

/** The key of an SSVC reading (JSON text) among an organization's (as the migration that introduced it). */
export function ssvcKeyOf(inputs: string): string {
  return createHash('md5').update(inputs).digest('hex').slice(0, 16);
}

type SystemInput = Awaited<ReturnType<typeof assetsService.systemsWithDependentServices>>[number];

const TIER_CRITICALITY: Record<number, ServiceCriticality> = {
  1: 'critical',
  2: 'high',
  3: 'medium',
  4: 'low',
};
const MW_RANK: Record<MissionWellbeing, number> = { low: 0, medium: 1, high: 2 };

export interface SsvcInputsView {
  exploitation: Derived<string>;
  automatable: Derived<string>;
  technicalImpact: Derived<string>;
  missionWellbeing: Derived<string> & { service: { id: string; name: string } | null };
  table: string;
  row: number;
}

/** The SSVC decision of one CVE on one system, with each input and where it came from. */
export function ssvcFor(
  v: Pick<VulnerabilityRow, 'cvssVector'>,
  kev: KevRow | undefined,
  services: SystemInput['services'],
): { decision: string; inputs: SsvcInputsView } {
  const exploitation = exploitationFromEvidence({ inKev: !!kev });
  const fromCvss = v.cvssVector ? ssvcFromCvss(v.cvssVector) : null;
  const automatable: Derived<'yes' | 'no'> = fromCvss?.automatable ?? {
    value: 'no',
    reason: 'no usable CVSS vector: assumed not automatable',
  };
  const technicalImpact: Derived<'partial' | 'total'> = fromCvss?.technicalImpact ?? {
    value: 'partial',
    reason: 'no usable CVSS vector: assumed partial',
  };
  let mission: SsvcInputsView['missionWellbeing'] = {
    value: 'low',
    reason: 'no service depends on this system',
    service: null,
  };
  for (const s of services) {
    const criticality = s.criticalityTier ? TIER_CRITICALITY[s.criticalityTier] : 'medium';
    const m = missionWellbeingFromService({
      criticality,
      publicSafetyImpact: s.lifeSafetyImpact ? 'irreversible' : s.publicSafetyImpact ? 'material' : 'none',
    });
    const tierText = s.criticalityTier ? `tier ${s.criticalityTier}` : 'no tier (assumed medium)';
    if (mission.service === null || MW_RANK[m.value] > MW_RANK[mission.value as MissionWellbeing]) {
      mission = {
        value: m.value,
        reason: `${s.name} (${tierText}): ${m.reason}`,
        service: { id: s.id, name: s.name },
      };
    }
  }
  const r = ssvcDecide({
    exploitation: exploitation.value,
    automatable: automatable.value,
    technicalImpact: technicalImpact.value,
    missionWellbeing: mission.value as MissionWellbeing,
  });
  return {
    decision: r.decision,
    inputs: {
      exploitation,
      automatable,
      technicalImpact,
      missionWellbeing: mission,
      table: r.table,
      row: r.row,
    },
  };
}

function publicFinding(v: FindingView, systemName: string | undefined) {
  const f = v.f;
  return {
    id: f.id,
    orgId: f.orgId,
    systemId: f.systemId,
    systemName: systemName ?? '',
    cveId: f.cveId,
    summary: v.summary ?? '',
    status: f.status,
    statusNote: f.statusNote,
    confidence: f.confidence,
    ssvcDecision: f.ssvcDecision,
    inKev: f.inKev,
    dueDate: f.dueDate,
    cvssScore: v.cvssScore,
    cvssVector: v.cvssVector,
    epss: v.epss === null ? null : Number(v.epss),
    epssPercentile: v.epssPercentile === null ? null : Number(v.epssPercentile),
    acceptedBy: f.acceptedBy,
    acceptedUntil: f.acceptedUntil,
    firstSeen: f.firstSeen,
    updatedAt: f.updatedAt,
  };
}

function publicKev(k: KevRow) {
  return {
    cveId: k.cveId,
    vendorProject: k.vendorProject,
    product: k.product,
    name: k.name,
    dateAdded: k.dateAdded,
    dueDate: k.dueDate,
    requiredAction: k.requiredAction,
    ransomwareUse: k.ransomwareUse,
    catalogVersion: k.catalogVersion,
    firstSeenVersion: k.firstSeenVersion,
  };
}

/** What decides a system's matches: systems with the same identity match the same CVEs the same way. */
function identityKey(s: SystemInput): string {
  return JSON.stringify([s.cpe, s.vendor, s.product, s.version]);
}

/**
 * Prepares matching the organization's systems (or only the one given) against the candidate CVEs of their
 * vendor:product keys. Systems are grouped by identity and each identity is evaluated once (`evaluate`); its
 * matches are shared by the systems of the group.
 */
async function prepareMatch(db: DbOrTx, orgId: string, only?: string) {
  const systems = await assetsService.systemsWithDependentServices(db, orgId, only);
  const groups = new Map<string, { identity: SystemInput; systems: SystemInput[] }>();
  for (const s of systems) {
    const k = identityKey(s);
    const g = groups.get(k);
    if (g) g.systems.push(s);
    else groups.set(k, { identity: s, systems: [s] });
  }
  const compiled = [...groups.values()].map((g) => {
    const c = compiledIdentity(g.identity);
    return { g, c, keys: systemCandidateKeys(c) };
  });
  const exact = new Set<string>();
  const loose = new Set<string>();
  for (const x of compiled) for (const k of x.keys) (x.c.mode === 'cpe' ? exact : loose).add(k);
  const candidates = await vulnerabilitiesRepository.candidates(db, [...exact], [...loose]);
  const byExact = new Map<string, Candidate[]>();
  const byLoose = new Map<string, Candidate[]>();
  const put = (m: Map<string, Candidate[]>, k: string, v: Candidate) => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  for (const v of candidates) {
    for (const k of v.cpeKeys) put(byExact, k, v);
    for (const k of v.looseKeys) put(byLoose, k, v);
  }
  const configs = await compiledConfigurations(db, candidates);
  type Group = (typeof compiled)[number];
  /** The CVEs that match the identity of this group, with how. */
  const evaluate = ({ c, keys }: Group) => {
    const out: { vuln: Candidate; match: Match }[] = [];
    const index = c.mode === 'cpe' ? byExact : byLoose;
    const seen = new Set<string>();
    for (const k of keys) {
      for (const v of index.get(k) ?? []) {
        if (seen.has(v.cveId)) continue;
        seen.add(v.cveId);
        const cc = configs.get(v.cveId);
        if (!cc) continue;
        const match = evaluateConfigurations(cc, c);
        if (match) out.push({ vuln: v, match });
      }
    }
    return out;
  };
  return { systems, candidates, groups: compiled, evaluate };
}

/** Identity groups evaluated at a time in a rematch, and rows written per queued write (see `rematchIn`). */
const EVALUATION_CHUNK = 100;
const WRITE_ROWS = 4000;

/** Who may set this status, and whether an expiry goes with it (only an accepted risk has one, in the future). */
async function checkStatusChange(
  ctx: Ctx,
  orgId: string,
  input: { status: FindingStatus; acceptedUntil?: Date | undefined },
) {
  const accepting = input.status === 'risk_accepted';
  await orgsService.access(ctx, orgId, accepting ? 'data.analyze' : 'data.write');
  if (accepting) {
    if (!input.acceptedUntil) {
      throw new AppError('validation', 'Accepting a risk needs an expiry', {
        errors: [{ path: 'acceptedUntil', message: 'required when the status is risk_accepted' }],
      });
    }
    if (input.acceptedUntil.getTime() <= Date.now()) {
      throw new AppError('validation', 'The acceptance must expire in the future', {
        errors: [{ path: 'acceptedUntil', message: 'must be in the future' }],
      });
    }
  } else if (input.acceptedUntil) {
    throw new AppError('validation', 'Only an accepted risk has an expiry', {
      errors: [{ path: 'acceptedUntil', message: 'only with status risk_accepted' }],
    });
  }
}

/** Sets a finding's status inside the caller's transaction, and audits it. */
async function applyStatus(
  tx: DbOrTx,
  ctx: Ctx,
  orgId: string,
  before: FindingRow,
  input: { status: FindingStatus; note?: string | undefined; acceptedUntil?: Date | undefined },
) {
  const accepting = input.status === 'risk_accepted';
  const after = await findingsRepository.update(tx, orgId, before.id, {
    status: input.status,
    statusNote: input.note ?? '',
    suppressionKey:
      input.status === 'false_positive' ? suppressionKeyOf(storedTraceView(before.trace)) : null,
    acceptedBy: accepting ? ctx.actor.userId : null,
    acceptedUntil: accepting ? input.acceptedUntil! : null,
  });
  await auditService.record(tx, ctx, {
    orgId,
    action: 'finding.status',
    targetType: 'finding',
    targetId: before.id,
    before: { status: before.status, note: before.statusNote },
    after: {
      status: after.status,
      note: after.statusNote,
      acceptedBy: after.acceptedBy,
      acceptedUntil: after.acceptedUntil,
    },
  });
}

export const vulnsService = {
  /**
   * Matches the organization's systems against every ingested CVE, upserts findings with their trace,
   * confidence and SSVC decision, and closes findings whose CVE was rejected or no longer matches.
   */
  async rematch(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    return ctx.db.transaction((tx) => vulnsService.rematchIn(tx, ctx, orgId));
  },

  /**
   * The work of `rematch` inside the caller's transaction, for callers that checked access (the sample, a system
   * edit). With `only`, just that system's findings are matched, kept and closed (the rest stay as they are).
   */
  async rematchIn(tx: DbOrTx, ctx: Pick<Ctx, 'actor' | 'requestId'>, orgId: string, only?: string) {
    // One rematch of an organization at a time: each reads the findings and SSVC readings the other writes.
    await findingsRepository.lockRematch(tx, orgId);
    const { systems, candidates, groups, evaluate } = await prepareMatch(tx, orgId, only);
    const csaf = await csafHits(tx, systems);
    const systemById = new Map(systems.map((s) => [s.id, s]));
    const policy = (await vulnPoliciesRepository.get(tx, orgId)) ?? DEFAULT_DUE_POLICY;
    const kev = new Map(
      (
        await kevRepository.byIds(tx, [
          ...new Set([
            ...candidates.map((v) => v.cveId),
            ...[...csaf.keys()].map((k) => k.split('|')[1] as string),
          ]),
        ])
      ).map((k) => [k.cveId, k]),
    );
    const existing = new Map(
      (await findingsRepository.matchState(tx, orgId, only)).map((f) => [`${f.systemId}|${f.cveId}`, f]),
    );

    // What applies, by system and CVE: NVD matches (with what advisories add) and advisory-only matches;
    // and what an advisory says does not apply (VEX), which closes the finding. Systems of one identity share
    // the trace of a match unless advisories name them.
    type Applies = {
      system: SystemInput;
      cveId: string;
      vuln: Pick<VulnerabilityRow, 'cvssVector'>;
      confidence: string;
      trace: Record<string, unknown>;
      /** An NVD match (its trace can then be stored by reference). */
      fromNvd: boolean;
    };
    const applies = new Map<string, Applies>();
    const vexClosed = new Map<string, string>();
    const counts = {
      systems: systems.length,
      candidates: candidates.length,
      matched: 0,
      fromAdvisories: 0,
      new: 0,
      updated: 0,
      reopened: 0,
      closed: 0,
      notAffected: 0,
    };
    // Each distinct trace and SSVC reading is serialised once, however many findings share it.
    const traceJson = new WeakMap<object, string>();
    const stored = (a: Applies) => {
      let j = traceJson.get(a.trace);
      if (j === undefined) {
        j = JSON.stringify((a.fromNvd && refTrace(a.trace)) || packTrace(a.trace));
        traceJson.set(a.trace, j);
      }
      return j;
    };
    const readings = new Map<string, string>();
    const servicesKey = new WeakMap<SystemInput, string>();
    const ssvcMemo = new Map<string, { decision: string; key: string }>();
    const ssvcOf = (a: Applies, k: KevRow | undefined) => {
      let sk = servicesKey.get(a.system);
      if (sk === undefined) {
        sk = JSON.stringify(a.system.services);
        servicesKey.set(a.system, sk);
      }
      const key = `${a.vuln.cvssVector ?? ''}|${k ? 1 : 0}|${sk}`;
      let r = ssvcMemo.get(key);
      if (!r) {
        const x = ssvcFor(a.vuln, k, a.system.services);
        const inputs = JSON.stringify(x.inputs);
        r = { decision: x.decision, key: ssvcKeyOf(inputs) };
        readings.set(r.key, inputs);
        ssvcMemo.set(key, r);
      }
      return r;
    };
    const now = new Date();

    // Writes go out while the next chunk is evaluated (with PostgreSQL the two run at once), at most one
    // queued behind the one running, so rows waiting to be written stay few. A failed write skips the rest and
    // is raised at the next wait; when evaluation fails, the queued writes are skipped and awaited before the
    // error leaves (the transaction then rolls back, with no write still to come).
    const writes: Promise<unknown>[] = [];
    let stopped = false;
    let fresh: FindingWrite[] = [];
    /** The systems new findings were written for. */
    const writtenFor = new Set<string>();
    let updates: FindingRematch[] = [];
    /** Queues the rows recorded so far (or, unless `all`, only once a statement's worth has gathered). */
    const write = (all: boolean) => {
      if (!all && fresh.length < WRITE_ROWS && updates.length < WRITE_ROWS) return;
      const f = fresh;
      const u = updates;
      fresh = [];
      updates = [];
      const next = (writes.at(-1) ?? Promise.resolve()).then(async () => {
        if (stopped) return;
        await findingsRepository.updateMatched(tx, orgId, u);
        if (stopped) return;
        await findingsRepository.insertMatched(tx, orgId, now, f);
      });
      next.catch(() => {});
      writes.push(next);
      if (writes.length > 2) writes.shift();
    };
    /** Turns what applies into new findings and updates of existing ones. */
    const record = (batch: [string, Applies][]) => {
      for (const [key, a] of batch) {
        const k = kev.get(a.cveId);
        const ssvc = ssvcOf(a, k);
        const prev = existing.get(key);
        const values = {
          confidence: a.confidence,
          trace: stored(a),
          ssvcDecision: ssvc.decision,
          ssvcKey: ssvc.key,
          inKev: !!k,
          dueDate: dueDate(policy, ssvc.decision, prev?.firstSeen ?? now, k?.dueDate ?? null),
        };
        if (!prev) {
          fresh.push({ systemId: a.system.id, cveId: a.cveId, ...values });
          writtenFor.add(a.system.id);
          counts.new++;
          continue;
        }
        const autoClosed = !ACTIVE.includes(prev.status) && prev.statusNote.startsWith(AUTO_PREFIX);
        const suppressionBroken =
          prev.status === 'false_positive' &&
          prev.suppressionKey !== null &&
          !suppressionHolds(prev.suppressionKey, a.trace);
        const reopen = autoClosed || suppressionBroken;
        updates.push({
          id: prev.id,
          ...values,
          status: reopen ? 'open' : null,
          statusNote: reopen ? (suppressionBroken ? NOTE_SUPPRESSION_STALE : '') : null,
        });
        if (reopen) counts.reopened++;
        else counts.updated++;
      }
      write(false);
    };

    /** Findings only advisories give (no NVD match) and the last writes; VEX closures of what nothing matched. */
    const writeAdvisoryOnly = async () => {
      const advisoryOnly = [...csaf.entries()].filter(
        ([key, hits]) =>
          !applies.has(key) && !vexClosed.has(key) && hits.some((h) => h.status === 'affected'),
      );
      const nvdRows = new Map(
        (
          await vulnerabilitiesRepository.byIds(tx, [
            ...new Set(advisoryOnly.map(([k]) => k.split('|')[1] as string)),
          ])
        ).map((v) => [v.cveId, v]),
      );
      const fromAdvisories: [string, Applies][] = [];
      for (const [key, hits] of advisoryOnly) {
        const [systemId, cveId] = key.split('|') as [string, string];
        const nvd = nvdRows.get(cveId);
        if (nvd?.rejected) continue;
        const affected = hits.filter((h) => h.status === 'affected');
        const best = affected.find((h) => h.confidence === 'exact') ?? affected[0]!;
        const system = systemById.get(systemId)!;
        const a: Applies = {
          system,
          cveId,
          vuln: {
            cvssVector: nvd?.cvssVector ?? best.cvssVectors.find((v) => v.startsWith('CVSS:3')) ?? null,
          },
          confidence: best.confidence === 'exact' ? 'exact' : 'vendor-product',
          trace: {
            source: 'csaf',
            system: systemIdentity(system),
            confidence: best.confidence,
            advisories: hits,
          },
          fromNvd: false,
        };
        applies.set(key, a);
        fromAdvisories.push([key, a]);
      }
      record(fromAdvisories);
      write(true);
      counts.matched = applies.size;
      counts.fromAdvisories = advisoryOnly.length;
      for (const [key, hits] of csaf) {
        if (applies.has(key) || vexClosed.has(key)) continue;
        const closure = vexClosure(hits);
        if (closure) vexClosed.set(key, closure);
      }
      await writes.at(-1);
    };

    // On the embedded database the systems read above cannot change before the transaction ends: findings are
    // written without a per-row foreign-key check, and the systems written for are checked once at the end.
    const checkOnce = isEmbedded(tx);
    if (checkOnce) await findingsRepository.suspendSystemChecks(tx);
    try {
      for (let i = 0; i < groups.length; i += EVALUATION_CHUNK) {
        const batch: [string, Applies][] = [];
        for (const group of groups.slice(i, i + EVALUATION_CHUNK)) {
          for (const { vuln, match } of evaluate(group)) {
            let shared: Record<string, unknown> | null = null;
            for (const system of group.g.systems) {
              const key = `${system.id}|${vuln.cveId}`;
              const hits = csaf.get(key) ?? [];
              const closure = vexClosure(hits);
              if (closure) {
                vexClosed.set(key, closure);
                continue;
              }
              let trace: Record<string, unknown>;
              if (hits.length) trace = nvdTrace(systemIdentity(system), match, hits);
              else {
                shared ??= nvdTrace(systemIdentity(system), match, []);
                trace = shared;
              }
              const a: Applies = {
                system,
                cveId: vuln.cveId,
                vuln,
                confidence: match.confidence,
                trace,
                fromNvd: true,
              };
              applies.set(key, a);
              batch.push([key, a]);
            }
          }
        }
        record(batch);
        if (writes.length === 2) await writes[0];
      }
      await writes.at(-1);
      await writeAdvisoryOnly();
    } catch (e) {
      stopped = true;
      await Promise.allSettled(writes);
      // The transaction may go on after the error (a caller's savepoint): it must not go on unchecked.
      if (checkOnce) await findingsRepository.resumeSystemChecks(tx).catch(() => {});
      throw e;
    }
    if (checkOnce) await findingsRepository.checkSystemsAfterWrites(tx, orgId, [...writtenFor]);
    await findingsRepository.saveSsvcInputs(tx, orgId, readings);

    // Findings that no longer apply: closed by Citywall with the reason, so they reopen if they apply again.
    const stale = [...existing.entries()].filter(([k, f]) => !applies.has(k) && ACTIVE.includes(f.status));
    const rejected = new Set(
      await vulnerabilitiesRepository.rejectedAmong(
        tx,
        stale.map(([, f]) => f.cveId),
      ),
    );
    const closures: { id: string; status: FindingStatus; statusNote: string }[] = [];
    for (const [key, f] of stale) {
      const vex = vexClosed.get(key);
      const isRejected = rejected.has(f.cveId);
      closures.push({
        id: f.id,
        status: isRejected || vex ? 'false_positive' : 'mitigated',
        statusNote: isRejected ? NOTE_REJECTED : vex ? `${NOTE_NOT_AFFECTED} ${vex}` : NOTE_NO_LONGER_MATCHES,
      });
      if (vex) counts.notAffected++;
      else counts.closed++;
    }
    await findingsRepository.closeMany(tx, orgId, closures);
    if (!only) {
      await findingsRepository.pruneSsvcInputs(tx, orgId);
      await trendRepository.snapshot(tx, orgId, now.toISOString().slice(0, 10));
    }
    await auditService.record(tx, ctx, {
      orgId,
      action: 'vulns.rematch',
      targetType: only ? 'system' : 'organization',
      targetId: only ?? orgId,
      after: counts,
    });
    return counts;
  },

  /** Rematches every organization that has systems (after a feed brought news), each in its own transaction. */
  async rematchAll(db: Db) {
    const r = await db.execute(sql`select distinct org_id as "orgId" from systems`);
    const orgs = (r as unknown as { rows: { orgId: string }[] }).rows;
    let matched = 0;
    for (const { orgId } of orgs) {
      matched += (await db.transaction((tx) => vulnsService.rematchIn(tx, { actor: SYSTEM_ACTOR }, orgId)))
        .matched;
    }
    return { organizations: orgs.length, matched };
  },

  /** The daily snapshot job: today's counts for every organization that has systems. */
  async snapshotTrends(db: Db) {
    const r = await db.execute(sql`select distinct org_id as "orgId" from systems`);
    const orgs = (r as unknown as { rows: { orgId: string }[] }).rows;
    const day = new Date().toISOString().slice(0, 10);
    for (const { orgId } of orgs) await trendRepository.snapshot(db, orgId, day);
    return { organizations: orgs.length, day };
  },

  /**
   * Open findings by SSVC decision over the last `days` days, one point per daily snapshot. History starts with
   * the first snapshot: closures by a rematch are not audited per finding, so earlier days cannot be rebuilt.
   */
  async trends(ctx: Ctx, orgId: string, days: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const from = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const items = await trendRepository.list(ctx.db, orgId, from);
    return { from, items: items.map((i) => ({ day: i.day, ...i.counts })) };
  },

  async listFindings(
    ctx: Ctx,
    orgId: string,
    filter: FindingFilter & { serviceId?: string | undefined },
    limit: number,
    offset: number,
  ) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { serviceId, ...f } = filter;
    if (serviceId) {
      const systems = await assetsService.systemsWithDependentServices(ctx.db, orgId);
      f.systemIds = systems.filter((s) => s.services.some((v) => v.id === serviceId)).map((s) => s.id);
    }
    const { items, total } = await findingsRepository.list(ctx.db, orgId, f, limit, offset);
    const names = await assetsService.systemNames(ctx.db, orgId);
    return { items: items.map((v) => publicFinding(v, names.get(v.f.systemId))), total, limit, offset };
  },

  async getFinding(ctx: Ctx, orgId: string, id: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const v = await findingsRepository.get(ctx.db, orgId, id);
    if (!v) throw notFound('Finding', id);
    const [names, kev, inputs] = await Promise.all([
      assetsService.systemNames(ctx.db, orgId),
      kevRepository.get(ctx.db, v.f.cveId),
      findingsRepository.ssvcInputs(ctx.db, orgId, v.f.ssvcKey),
    ]);
    return {
      ...publicFinding(v, names.get(v.f.systemId)),
      trace: await findingTrace(ctx.db, v.f.cveId, v.f.trace),
      ssvcInputs: (inputs === null ? {} : JSON.parse(inputs)) as Record<string, unknown>,
      kev: kev ? publicKev(kev) : null,
    };
  },

  /**
   * Open and in-progress findings by the services that depend on each system (directly or through other
   * systems): a finding counts under every such service; systems no service depends on come last (service null).
   */
  async findingsByService(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const today = new Date().toISOString().slice(0, 10);
    const [systems, counts] = await Promise.all([
      assetsService.systemsWithDependentServices(ctx.db, orgId),
      findingsRepository.activeCountsBySystem(ctx.db, orgId, today),
    ]);
    const bySystem = new Map(counts.map((c) => [c.systemId, c.counts]));
    type Group = {
      service: { id: string; name: string; criticalityTier: number | null } | null;
      systems: number;
      counts: {
        open: number;
        Act: number;
        Attend: number;
        'Track*': number;
        Track: number;
        kev: number;
        overdue: number;
      };
    };
    const groups = new Map<string | null, Group>();
    const add = (key: string | null, service: Group['service'], c: Group['counts'] | undefined) => {
      let g = groups.get(key);
      if (!g) {
        g = {
          service,
          systems: 0,
          counts: { open: 0, Act: 0, Attend: 0, 'Track*': 0, Track: 0, kev: 0, overdue: 0 },
        };
        groups.set(key, g);
      }
      g.systems++;
      if (c) for (const k of Object.keys(g.counts) as (keyof Group['counts'])[]) g.counts[k] += c[k];
    };
    for (const s of systems) {
      const c = bySystem.get(s.id);
      if (!s.services.length) add(null, null, c);
      for (const v of s.services) {
        add(v.id, { id: v.id, name: v.name, criticalityTier: v.criticalityTier }, c);
      }
    }
    const items = [...groups.values()].sort(
      (a, b) =>
        (a.service === null ? 1 : 0) - (b.service === null ? 1 : 0) ||
        b.counts.Act - a.counts.Act ||
        b.counts.Attend - a.counts.Attend ||
        b.counts.open - a.counts.open ||
        (a.service?.criticalityTier ?? 9) - (b.service?.criticalityTier ?? 9) ||
        (a.service?.name ?? '').localeCompare(b.service?.name ?? ''),
    );
    return { items };
  },

  async setStatus(
    ctx: Ctx,
    orgId: string,
    id: string,
    input: { status: FindingStatus; note?: string | undefined; acceptedUntil?: Date | undefined },
  ) {
    await checkStatusChange(ctx, orgId, input);
    await ctx.db.transaction(async (tx) => {
      const before = await findingsRepository.get(tx, orgId, id);
      if (!before) throw notFound('Finding', id);
      await applyStatus(tx, ctx, orgId, before.f, input);
    });
    return vulnsService.getFinding(ctx, orgId, id);
  },

  /**
   * Triage of several findings at once: all of them or none (an id that is not a finding of this organization
   * fails the whole request, naming it); each change audited like a single one.
   */
  async bulkSetStatus(
    ctx: Ctx,
    orgId: string,
    input: {
      ids: string[];
      status: FindingStatus;
      note?: string | undefined;
      acceptedUntil?: Date | undefined;
    },
  ) {
    await checkStatusChange(ctx, orgId, input);
    return ctx.db.transaction(async (tx) => {
      const rows = await findingsRepository.byIds(tx, orgId, input.ids);
      const found = new Set(rows.map((r) => r.id));
      const missing = input.ids.filter((id) => !found.has(id));
      if (missing.length) {
        throw new AppError(
          'validation',
          'Some findings are not findings of this organization; none was changed',
          {
            errors: missing.map((id) => ({
              path: `ids.${input.ids.indexOf(id)}`,
              message: `no finding ${id} in this organization`,
            })),
          },
        );
      }
      for (const row of rows) await applyStatus(tx, ctx, orgId, row, input);
      return { updated: rows.length };
    });
  },

  /** A CVE's public data (NVD, KEV, EPSS history) and this organization's findings for it. */
  async getCve(ctx: Ctx, orgId: string, cveId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const v = await vulnerabilitiesRepository.get(ctx.db, cveId);
    if (!v) throw notFound('CVE', cveId);
    const [kev, epss, own, names] = await Promise.all([
      kevRepository.get(ctx.db, cveId),
      epssRepository.history(ctx.db, cveId),
      findingsRepository.list(ctx.db, orgId, { cveId }, 500, 0),
      assetsService.systemNames(ctx.db, orgId),
    ]);
    return {
      cve: {
        id: v.cveId,
        summary: v.summary,
        published: v.published,
        lastModified: v.lastModified,
        status: v.status,
        rejected: v.rejected,
        cvss: v.cvss as Record<string, unknown>[],
        cvssScore: v.cvssScore,
        cvssVector: v.cvssVector,
        cwes: v.cwes,
        configurations: v.configurations as Record<string, unknown>[],
      },
      kev: kev ? publicKev(kev) : null,
      epss: epss.map((e) => ({ date: e.date, score: Number(e.score), percentile: Number(e.percentile) })),
      findings: own.items.map((x) => publicFinding(x, names.get(x.f.systemId))),
    };
  },

  /** Days to the due date per SSVC decision: the organization's own, else the defaults. */
  async getPolicy(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const own = await vulnPoliciesRepository.get(ctx.db, orgId);
    return { dueDays: own ?? DEFAULT_DUE_POLICY, source: own ? ('own' as const) : ('default' as const) };
  },

  /** Sets (or with null resets) the policy and recomputes due dates at once. */
  async setPolicy(ctx: Ctx, orgId: string, dueDays: DuePolicy | null) {
    await orgsService.access(ctx, orgId, 'data.admin');
    await ctx.db.transaction(async (tx) => {
      const before = await vulnPoliciesRepository.get(tx, orgId);
      await vulnPoliciesRepository.set(tx, orgId, dueDays);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'vulns.policy.update',
        targetType: 'organization',
        targetId: orgId,
        before,
        after: dueDays,
      });
      await vulnsService.rematchIn(tx, ctx, orgId);
    });
    return vulnsService.getPolicy(ctx, orgId);
  },

  /** CSAF advisories kept (public, instance-wide data). */
  async listAdvisories(ctx: Ctx, orgId: string, q: string | undefined, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await csafRepository.list(ctx.db, q, limit, offset);
    return { items, total, limit, offset };
  },

  async listFeedRuns(ctx: Ctx, limit: number, offset: number) {
    if (!ctx.actor.isInstanceAdmin)
      throw new AppError('forbidden', 'Only an instance administrator sees feed runs');
    const { items, total } = await feedRunsRepository.list(ctx.db, limit, offset);
    return { items, total, limit, offset };
  },
};

// A system's findings follow its edits: rematch that system in the transaction that changed it.
assetsService.systemChangeHooks.push((tx, ctx, orgId, systemId) =>
  vulnsService.rematchIn(tx, ctx, orgId, systemId),
);
