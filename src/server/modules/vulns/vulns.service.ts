import {
  type CompiledConfigurations,
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
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import type { FindingStatus, VulnerabilityRow } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { assetsService } from '../assets/assets.service.js';
import { auditService } from '../audit/audit.service.js';
import { orgsService } from '../orgs/orgs.service.js';
import {
  epssRepository,
  type FindingFilter,
  type FindingInsert,
  type FindingView,
  feedRunsRepository,
  findingsRepository,
  type KevRow,
  kevRepository,
  vulnerabilitiesRepository,
} from './vulns.repository.js';

/** Notes Citywall writes when it closes a finding itself; such findings reopen when they match again. */
export const NOTE_NO_LONGER_MATCHES = 'Closed by Citywall: the CVE no longer matches this system';
export const NOTE_REJECTED = 'Closed by Citywall: NVD rejected (withdrew) this CVE';
const AUTO_NOTES = new Set([NOTE_NO_LONGER_MATCHES, NOTE_REJECTED]);
const ACTIVE: FindingStatus[] = ['open', 'in_progress'];

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

async function matchOrg(db: DbOrTx, orgId: string) {
  const systems = await assetsService.systemsWithDependentServices(db, orgId);
  const compiled = systems.map((s) => {
    const c = compileSystem({
      ...(s.cpe ? { cpe: s.cpe } : {}),
      ...(s.vendor ? { vendor: s.vendor } : {}),
      ...(s.product ? { product: s.product } : {}),
      ...(s.version ? { version: s.version } : {}),
    });
    return { s, c, keys: systemCandidateKeys(c) };
  });
  const exact = new Set<string>();
  const loose = new Set<string>();
  for (const x of compiled) for (const k of x.keys) (x.c.mode === 'cpe' ? exact : loose).add(k);
  const candidates = await vulnerabilitiesRepository.candidates(db, [...exact], [...loose]);
  const byExact = new Map<string, VulnerabilityRow[]>();
  const byLoose = new Map<string, VulnerabilityRow[]>();
  const put = (m: Map<string, VulnerabilityRow[]>, k: string, v: VulnerabilityRow) => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  for (const v of candidates) {
    for (const k of v.cpeKeys) put(byExact, k, v);
    for (const k of v.looseKeys) put(byLoose, k, v);
  }
  const configs = new Map<string, CompiledConfigurations>();
  const matches: { system: SystemInput; vuln: VulnerabilityRow; match: Match }[] = [];
  for (const { s, c, keys } of compiled) {
    const index = c.mode === 'cpe' ? byExact : byLoose;
    const seen = new Set<string>();
    for (const k of keys) {
      for (const v of index.get(k) ?? []) {
        if (seen.has(v.cveId)) continue;
        seen.add(v.cveId);
        let cc = configs.get(v.cveId);
        if (!cc) {
          cc = compileConfigurations(v.configurations as NvdConfiguration[]);
          configs.set(v.cveId, cc);
        }
        const match = evaluateConfigurations(cc, c);
        if (match) matches.push({ system: s, vuln: v, match });
      }
    }
  }
  return { systems, candidates: candidates.length, matches };
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

  /** The work of `rematch` inside the caller's transaction, for callers that checked access (the sample). */
  async rematchIn(tx: DbOrTx, ctx: Pick<Ctx, 'actor' | 'requestId'>, orgId: string) {
    {
      const { systems, candidates, matches } = await matchOrg(tx, orgId);
      const kev = new Map(
        (await kevRepository.byIds(tx, [...new Set(matches.map((m) => m.vuln.cveId))])).map((k) => [
          k.cveId,
          k,
        ]),
      );
      const existing = new Map(
        (await findingsRepository.all(tx, orgId)).map((f) => [`${f.systemId}|${f.cveId}`, f]),
      );
      const counts = {
        systems: systems.length,
        candidates,
        matched: matches.length,
        new: 0,
        updated: 0,
        reopened: 0,
        closed: 0,
      };
      const fresh: FindingInsert[] = [];
      const updates: Parameters<typeof findingsRepository.updateMatched>[2] = [];
      const now = new Date();
      const matchedKeys = new Set<string>();
      for (const { system, vuln, match } of matches) {
        const key = `${system.id}|${vuln.cveId}`;
        matchedKeys.add(key);
        const k = kev.get(vuln.cveId);
        const ssvc = ssvcFor(vuln, k, system.services);
        const trace = {
          system: {
            cpe: system.cpe,
            vendor: system.vendor,
            product: system.product,
            version: system.version,
          },
          confidence: match.confidence,
          configurationIndex: match.configurationIndex,
          witness: match.witness,
          trace: match.trace,
          alsoMatched: match.alsoMatched,
        };
        const values = {
          confidence: match.confidence,
          trace,
          ssvcDecision: ssvc.decision,
          ssvcInputs: ssvc.inputs,
          inKev: !!k,
          dueDate: k?.dueDate ?? null,
        };
        const prev = existing.get(key);
        if (!prev) {
          fresh.push({
            orgId,
            systemId: system.id,
            cveId: vuln.cveId,
            status: 'open',
            firstSeen: now,
            ...values,
          });
          counts.new++;
        } else {
          const reopen = !ACTIVE.includes(prev.status) && AUTO_NOTES.has(prev.statusNote);
          updates.push({
            id: prev.id,
            ...values,
            status: reopen ? 'open' : null,
            statusNote: reopen ? '' : null,
          });
          if (reopen) counts.reopened++;
          else counts.updated++;
        }
      }
      await findingsRepository.updateMatched(tx, orgId, updates);
      for (let i = 0; i < fresh.length; i += 500)
        await findingsRepository.insert(tx, fresh.slice(i, i + 500));
      const stale = [...existing.entries()].filter(
        ([k, f]) => !matchedKeys.has(k) && ACTIVE.includes(f.status),
      );
      const rejected = new Set(
        await vulnerabilitiesRepository.rejectedAmong(
          tx,
          stale.map(([, f]) => f.cveId),
        ),
      );
      for (const [, f] of stale) {
        const isRejected = rejected.has(f.cveId);
        await findingsRepository.update(tx, orgId, f.id, {
          status: isRejected ? 'false_positive' : 'mitigated',
          statusNote: isRejected ? NOTE_REJECTED : NOTE_NO_LONGER_MATCHES,
        });
        counts.closed++;
      }
      await auditService.record(tx, ctx, {
        orgId,
        action: 'vulns.rematch',
        targetType: 'organization',
        targetId: orgId,
        after: counts,
      });
      return counts;
    }
  },

  async listFindings(ctx: Ctx, orgId: string, f: FindingFilter, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await findingsRepository.list(ctx.db, orgId, f, limit, offset);
    const names = await assetsService.systemNames(ctx.db, orgId);
    return { items: items.map((v) => publicFinding(v, names.get(v.f.systemId))), total, limit, offset };
  },

  async getFinding(ctx: Ctx, orgId: string, id: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const v = await findingsRepository.get(ctx.db, orgId, id);
    if (!v) throw notFound('Finding', id);
    const [names, kev] = await Promise.all([
      assetsService.systemNames(ctx.db, orgId),
      kevRepository.get(ctx.db, v.f.cveId),
    ]);
    return {
      ...publicFinding(v, names.get(v.f.systemId)),
      trace: v.f.trace as Record<string, unknown>,
      ssvcInputs: v.f.ssvcInputs as Record<string, unknown>,
      kev: kev ? publicKev(kev) : null,
    };
  },

  async setStatus(
    ctx: Ctx,
    orgId: string,
    id: string,
    input: { status: FindingStatus; note?: string | undefined; acceptedUntil?: Date | undefined },
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
    await ctx.db.transaction(async (tx) => {
      const before = await findingsRepository.get(tx, orgId, id);
      if (!before) throw notFound('Finding', id);
      const after = await findingsRepository.update(tx, orgId, id, {
        status: input.status,
        statusNote: input.note ?? '',
        acceptedBy: accepting ? ctx.actor.userId : null,
        acceptedUntil: accepting ? input.acceptedUntil! : null,
      });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'finding.status',
        targetType: 'finding',
        targetId: id,
        before: { status: before.f.status, note: before.f.statusNote },
        after: {
          status: after.status,
          note: after.statusNote,
          acceptedBy: after.acceptedBy,
          acceptedUntil: after.acceptedUntil,
        },
      });
    });
    return vulnsService.getFinding(ctx, orgId, id);
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

  async listFeedRuns(ctx: Ctx, limit: number, offset: number) {
    if (!ctx.actor.isInstanceAdmin)
      throw new AppError('forbidden', 'Only an instance administrator sees feed runs');
    const { items, total } = await feedRunsRepository.list(ctx.db, limit, offset);
    return { items, total, limit, offset };
  },
};
