/**
 * SSVC prioritisation with the CISA Coordinator decision table, version 2.0.3.
 *
 * The table below is transcribed from CERT/CC's SSVC project (`cisa_coordinator_2_0_3.csv`, decision points
 * Exploitation 1.1.0, Automatable 2.0.0, Technical Impact 1.0.0, Mission and Well-Being Impact 1.0.0, outcome
 * CISA Levels 1.1.0). Copyright Carnegie Mellon University, distributed under its MIT (SEI)-style licence; it is
 * shipped as data so that decisions work with no network and no copy of the source files.
 */

export type Exploitation = 'none' | 'public-poc' | 'active';
export type Automatable = 'no' | 'yes';
export type TechnicalImpact = 'partial' | 'total';
export type MissionWellbeing = 'low' | 'medium' | 'high';
export type SsvcDecision = 'Track' | 'Track*' | 'Attend' | 'Act';

export interface SsvcInputs {
  exploitation: Exploitation;
  automatable: Automatable;
  technicalImpact: TechnicalImpact;
  missionWellbeing: MissionWellbeing;
}

export const SSVC_TABLE_VERSION = 'CISA Coordinator 2.0.3';
export const EXPLOITATION_VALUES: readonly Exploitation[] = ['none', 'public-poc', 'active'];
export const AUTOMATABLE_VALUES: readonly Automatable[] = ['no', 'yes'];
export const TECHNICAL_IMPACT_VALUES: readonly TechnicalImpact[] = ['partial', 'total'];
export const MISSION_WELLBEING_VALUES: readonly MissionWellbeing[] = ['low', 'medium', 'high'];

/**
 * Outcomes in the table's row order: Exploitation (outermost) × Automatable × Technical Impact × Mission &
 * Well-being (innermost), each in the order of the *_VALUES arrays above. Row n of the CSV is entry n.
 */
// biome-ignore format: six outcomes a line keep the table readable against the CSV
const OUTCOMES: readonly SsvcDecision[] = [
  // none
  'Track', 'Track', 'Track', 'Track', 'Track', 'Track*',
  'Track', 'Track', 'Attend', 'Track', 'Track', 'Attend',
  // public PoC
  'Track', 'Track', 'Track*', 'Track', 'Track*', 'Attend',
  'Track', 'Track', 'Attend', 'Track', 'Track*', 'Attend',
  // active
  'Track', 'Track', 'Attend', 'Track', 'Attend', 'Act',
  'Attend', 'Attend', 'Act', 'Attend', 'Act', 'Act',
];

export interface SsvcRow extends SsvcInputs {
  row: number;
  decision: SsvcDecision;
}

/** The whole table as rows, in CSV order. */
export function ssvcTable(): SsvcRow[] {
  const rows: SsvcRow[] = [];
  for (const exploitation of EXPLOITATION_VALUES) {
    for (const automatable of AUTOMATABLE_VALUES) {
      for (const technicalImpact of TECHNICAL_IMPACT_VALUES) {
        for (const missionWellbeing of MISSION_WELLBEING_VALUES) {
          const row = rows.length;
          rows.push({
            row,
            exploitation,
            automatable,
            technicalImpact,
            missionWellbeing,
            decision: OUTCOMES[row],
          });
        }
      }
    }
  }
  return rows;
}

function indexOf<T>(values: readonly T[], v: T, name: string): number {
  const i = values.indexOf(v);
  if (i < 0) throw new RangeError(`SSVC ${name} must be one of ${values.join(', ')} (got "${String(v)}")`);
  return i;
}

export interface SsvcResult {
  decision: SsvcDecision;
  inputs: SsvcInputs;
  row: number;
  table: string;
}

/** Looks the decision up; throws RangeError naming the input when a value is not in the table. */
export function ssvcDecide(inputs: SsvcInputs): SsvcResult {
  const e = indexOf(EXPLOITATION_VALUES, inputs.exploitation, 'exploitation');
  const a = indexOf(AUTOMATABLE_VALUES, inputs.automatable, 'automatable');
  const t = indexOf(TECHNICAL_IMPACT_VALUES, inputs.technicalImpact, 'technicalImpact');
  const m = indexOf(MISSION_WELLBEING_VALUES, inputs.missionWellbeing, 'missionWellbeing');
  const row = ((e * 2 + a) * 2 + t) * 3 + m;
  return {
    decision: OUTCOMES[row],
    inputs: {
      exploitation: inputs.exploitation,
      automatable: inputs.automatable,
      technicalImpact: inputs.technicalImpact,
      missionWellbeing: inputs.missionWellbeing,
    },
    row,
    table: SSVC_TABLE_VERSION,
  };
}

export interface Derived<T> {
  value: T;
  reason: string;
}

/**
 * Exploitation from evidence: KEV membership or other reported in-the-wild use → active; a public proof of
 * concept (Metasploit module, ExploitDB entry, well-known method) → public PoC; otherwise none.
 */
export function exploitationFromEvidence(evidence: {
  inKev?: boolean;
  activeExploitation?: boolean;
  publicPoc?: boolean;
}): Derived<Exploitation> {
  if (evidence.inKev) return { value: 'active', reason: 'listed in CISA KEV (known exploited)' };
  if (evidence.activeExploitation) return { value: 'active', reason: 'reported exploitation in the wild' };
  if (evidence.publicPoc) return { value: 'public-poc', reason: 'public proof of concept exists' };
  return { value: 'none', reason: 'no evidence of exploitation or public PoC' };
}

/**
 * Automatable and Technical Impact from a CVSS vector, for when nothing better is known. The heuristic:
 * - Automatable yes when the attack is network-borne, low-complexity, needs no privileges and no user action:
 *   3.x AV:N/AC:L/PR:N/UI:N; 4.0 the same plus AT:N (no attack prerequisites); 2.0 AV:N/AC:L/Au:N.
 * - Technical Impact total when the attacker gets full control of confidentiality and integrity:
 *   3.x C:H and I:H; 4.0 VC:H and VI:H; 2.0 C:C and I:C. Anything less is partial.
 * Returns null when the vector is not one of these versions or lacks the metrics.
 */
export function ssvcFromCvss(
  vector: string,
): { automatable: Derived<Automatable>; technicalImpact: Derived<TechnicalImpact> } | null {
  const v = vector.trim().replace(/^\(|\)$/g, '');
  const metrics = new Map<string, string>();
  const prefix = /^CVSS:(\d\.\d)\//.exec(v);
  const body = prefix ? v.slice(prefix[0].length) : v;
  for (const part of body.split('/')) {
    const [k, val] = part.split(':');
    if (k && val) metrics.set(k, val);
  }
  const version = prefix ? prefix[1] : metrics.has('Au') ? '2.0' : null;
  const has = (k: string, val: string) => metrics.get(k) === val;
  let auto: boolean;
  let total: boolean;
  let autoRule: string;
  let totalRule: string;
  if (version === '3.0' || version === '3.1') {
    if (!['AV', 'AC', 'PR', 'UI', 'C', 'I'].every((k) => metrics.has(k))) return null;
    auto = has('AV', 'N') && has('AC', 'L') && has('PR', 'N') && has('UI', 'N');
    autoRule = 'AV:N/AC:L/PR:N/UI:N';
    total = has('C', 'H') && has('I', 'H');
    totalRule = 'C:H and I:H';
  } else if (version === '4.0') {
    if (!['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI'].every((k) => metrics.has(k))) return null;
    auto = has('AV', 'N') && has('AC', 'L') && has('AT', 'N') && has('PR', 'N') && has('UI', 'N');
    autoRule = 'AV:N/AC:L/AT:N/PR:N/UI:N';
    total = has('VC', 'H') && has('VI', 'H');
    totalRule = 'VC:H and VI:H';
  } else if (version === '2.0') {
    if (!['AV', 'AC', 'Au', 'C', 'I'].every((k) => metrics.has(k))) return null;
    auto = has('AV', 'N') && has('AC', 'L') && has('Au', 'N');
    autoRule = 'AV:N/AC:L/Au:N';
    total = has('C', 'C') && has('I', 'C');
    totalRule = 'C:C and I:C';
  } else {
    return null;
  }
  return {
    automatable: {
      value: auto ? 'yes' : 'no',
      reason: `CVSS ${version} ${auto ? 'has' : 'lacks'} ${autoRule}`,
    },
    technicalImpact: {
      value: total ? 'total' : 'partial',
      reason: `CVSS ${version} ${total ? 'has' : 'lacks'} ${totalRule}`,
    },
  };
}

export type MissionPrevalence = 'minimal' | 'support' | 'essential';
export type PublicWellbeingImpact = 'minimal' | 'material' | 'irreversible';

/**
 * Mission & Well-being (CISA): high when the mission prevalence is essential or the public well-being impact
 * irreversible; low when both are minimal; medium otherwise.
 */
export function missionWellbeing(
  prevalence: MissionPrevalence,
  wellbeing: PublicWellbeingImpact,
): Derived<MissionWellbeing> {
  if (prevalence === 'essential' || wellbeing === 'irreversible') {
    return {
      value: 'high',
      reason: prevalence === 'essential' ? 'essential to a mission' : 'irreversible public well-being impact',
    };
  }
  if (prevalence === 'minimal' && wellbeing === 'minimal') {
    return { value: 'low', reason: 'minimal mission prevalence and minimal well-being impact' };
  }
  return {
    value: 'medium',
    reason: `mission prevalence ${prevalence}, public well-being impact ${wellbeing}`,
  };
}

export type ServiceCriticality = 'low' | 'medium' | 'high' | 'critical';

/**
 * Mission & Well-being from the city's service model: a critical service is essential to the city's mission, a
 * medium or high one supports it, a low one is minimal; public-safety impact maps to public well-being.
 * With several affected services, pass the most critical one (the decision is per vulnerability and system).
 */
export function missionWellbeingFromService(service: {
  criticality: ServiceCriticality;
  publicSafetyImpact: 'none' | 'material' | 'irreversible';
}): Derived<MissionWellbeing> & { prevalence: MissionPrevalence; wellbeing: PublicWellbeingImpact } {
  const prevalence: MissionPrevalence =
    service.criticality === 'critical' ? 'essential' : service.criticality === 'low' ? 'minimal' : 'support';
  const wellbeing: PublicWellbeingImpact =
    service.publicSafetyImpact === 'none' ? 'minimal' : service.publicSafetyImpact;
  return { ...missionWellbeing(prevalence, wellbeing), prevalence, wellbeing };
}
