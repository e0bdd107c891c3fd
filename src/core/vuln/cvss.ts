/**
 * CVSS vector validation and scoring. The scoring library (ae-cvss-calculator) quietly scores a vector with
 * missing base metrics as 0, so every vector is checked here against the metric tables of its version first:
 * known metrics, known values, no duplicates, all mandatory base metrics present, and for 4.0 the order the
 * specification prescribes.
 */
import cvssLib from 'ae-cvss-calculator';

export type CvssVectorVersion = '2.0' | '3.0' | '3.1' | '4.0';
export type CvssSeverity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export class CvssVectorError extends Error {
  override readonly name = 'CvssVectorError';
  constructor(
    message: string,
    readonly vector: string,
    readonly metric?: string,
  ) {
    super(message);
  }
}

type MetricTable = { key: string; values: string[]; base: boolean }[];

const m = (key: string, values: string, base = false) => ({ key, values: values.split(','), base });

const V2: MetricTable = [
  m('AV', 'L,A,N', true),
  m('AC', 'H,M,L', true),
  m('Au', 'M,S,N', true),
  m('C', 'N,P,C', true),
  m('I', 'N,P,C', true),
  m('A', 'N,P,C', true),
  m('E', 'U,POC,F,H,ND'),
  m('RL', 'OF,TF,W,U,ND'),
  m('RC', 'UC,UR,C,ND'),
  m('CDP', 'N,L,LM,MH,H,ND'),
  m('TD', 'N,L,M,H,ND'),
  m('CR', 'L,M,H,ND'),
  m('IR', 'L,M,H,ND'),
  m('AR', 'L,M,H,ND'),
];

const V3: MetricTable = [
  m('AV', 'N,A,L,P', true),
  m('AC', 'L,H', true),
  m('PR', 'N,L,H', true),
  m('UI', 'N,R', true),
  m('S', 'U,C', true),
  m('C', 'H,L,N', true),
  m('I', 'H,L,N', true),
  m('A', 'H,L,N', true),
  m('E', 'X,H,F,P,U'),
  m('RL', 'X,U,W,T,O'),
  m('RC', 'X,C,R,U'),
  m('CR', 'X,H,M,L'),
  m('IR', 'X,H,M,L'),
  m('AR', 'X,H,M,L'),
  m('MAV', 'X,N,A,L,P'),
  m('MAC', 'X,L,H'),
  m('MPR', 'X,N,L,H'),
  m('MUI', 'X,N,R'),
  m('MS', 'X,U,C'),
  m('MC', 'X,H,L,N'),
  m('MI', 'X,H,L,N'),
  m('MA', 'X,H,L,N'),
];

const V4: MetricTable = [
  m('AV', 'N,A,L,P', true),
  m('AC', 'L,H', true),
  m('AT', 'N,P', true),
  m('PR', 'N,L,H', true),
  m('UI', 'N,P,A', true),
  m('VC', 'H,L,N', true),
  m('VI', 'H,L,N', true),
  m('VA', 'H,L,N', true),
  m('SC', 'H,L,N', true),
  m('SI', 'H,L,N', true),
  m('SA', 'H,L,N', true),
  m('E', 'X,A,P,U'),
  m('CR', 'X,H,M,L'),
  m('IR', 'X,H,M,L'),
  m('AR', 'X,H,M,L'),
  m('MAV', 'X,N,A,L,P'),
  m('MAC', 'X,L,H'),
  m('MAT', 'X,N,P'),
  m('MPR', 'X,N,L,H'),
  m('MUI', 'X,N,P,A'),
  m('MVC', 'X,H,L,N'),
  m('MVI', 'X,H,L,N'),
  m('MVA', 'X,H,L,N'),
  m('MSC', 'X,H,L,N'),
  m('MSI', 'X,S,H,L,N'),
  m('MSA', 'X,S,H,L,N'),
  m('S', 'X,N,P'),
  m('AU', 'X,N,Y'),
  m('R', 'X,A,U,I'),
  m('V', 'X,D,C'),
  m('RE', 'X,L,M,H'),
  m('U', 'X,Clear,Green,Amber,Red'),
];

export interface ParsedCvssVector {
  version: CvssVectorVersion;
  /** Metric → value, in the order given. */
  metrics: Record<string, string>;
  vector: string;
}

/** Detects the version of a vector: `CVSS:3.x/` and `CVSS:4.0/` prefixes; v2 vectors have none (`(…)` allowed). */
export function cvssVersionOf(vector: string): CvssVectorVersion | null {
  const p = /^CVSS:(\d\.\d)\//.exec(vector);
  if (p) return ['3.0', '3.1', '4.0'].includes(p[1]) ? (p[1] as CvssVectorVersion) : null;
  return /^\(?AV:[LAN]\//.test(vector) ? '2.0' : null;
}

/** Strict parse: throws CvssVectorError naming the offending metric. */
export function parseCvssVector(vector: string): ParsedCvssVector {
  if (typeof vector !== 'string' || vector.trim() === '') {
    throw new CvssVectorError('CVSS vector is empty', String(vector));
  }
  const v = vector.trim();
  const version = cvssVersionOf(v);
  if (!version) {
    const p = /^CVSS:([^/]*)\//.exec(v);
    throw new CvssVectorError(
      p
        ? `unsupported CVSS version "${p[1]}" (2.0, 3.0, 3.1, 4.0 are known)`
        : 'not a CVSS vector (no CVSS: prefix, not v2)',
      vector,
    );
  }
  let body = version === '2.0' ? v : v.slice(v.indexOf('/') + 1);
  if (version === '2.0' && body.startsWith('(')) {
    if (!body.endsWith(')')) throw new CvssVectorError('CVSS v2 vector has an unclosed "("', vector);
    body = body.slice(1, -1);
  }
  const table = version === '2.0' ? V2 : version === '4.0' ? V4 : V3;
  const byKey = new Map(table.map((d, i) => [d.key, { ...d, order: i }]));
  const metrics: Record<string, string> = {};
  let lastOrder = -1;
  for (const part of body.split('/')) {
    if (part === '')
      throw new CvssVectorError('CVSS vector has an empty metric ("//" or a trailing "/")', vector);
    const colon = part.indexOf(':');
    if (colon <= 0 || colon === part.length - 1) {
      throw new CvssVectorError(`CVSS metric "${part}" is not of the form KEY:VALUE`, vector, part);
    }
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const def = byKey.get(key);
    if (!def) throw new CvssVectorError(`unknown CVSS ${version} metric "${key}"`, vector, key);
    if (key in metrics) throw new CvssVectorError(`CVSS metric "${key}" appears twice`, vector, key);
    if (!def.values.includes(value)) {
      throw new CvssVectorError(
        `CVSS ${version} metric ${key} has invalid value "${value}" (allowed: ${def.values.join(', ')})`,
        vector,
        key,
      );
    }
    if (version === '4.0' && def.order < lastOrder) {
      throw new CvssVectorError(
        `CVSS 4.0 metric ${key} is out of order (the specification fixes the order)`,
        vector,
        key,
      );
    }
    lastOrder = def.order;
    metrics[key] = value;
  }
  const missing = table.filter((d) => d.base && !(d.key in metrics)).map((d) => d.key);
  if (missing.length) {
    throw new CvssVectorError(
      `CVSS ${version} vector lacks base metric(s) ${missing.join(', ')}`,
      vector,
      missing[0],
    );
  }
  return { version, metrics, vector: v };
}

export interface CvssValidation {
  valid: boolean;
  version: CvssVectorVersion | null;
  error?: string;
  metric?: string;
}

export function validateCvssVector(vector: string): CvssValidation {
  try {
    const p = parseCvssVector(vector);
    return { valid: true, version: p.version };
  } catch (e) {
    const err = e as CvssVectorError;
    return {
      valid: false,
      version: cvssVersionOf(String(vector ?? '').trim()),
      error: err.message,
      metric: err.metric,
    };
  }
}

/** Qualitative severity: v3/v4 ratings from the specifications; v2 uses NVD's Low / Medium / High bands. */
export function cvssSeverity(score: number, version: CvssVectorVersion): CvssSeverity {
  if (version === '2.0') return score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

export interface CvssScore {
  version: CvssVectorVersion;
  vector: string;
  metrics: Record<string, string>;
  /** Score of the base metrics alone (CVSS-B for 4.0). */
  baseScore: number;
  baseSeverity: CvssSeverity;
  /** Score with every metric given (temporal/threat, environmental) — equals baseScore for a base-only vector. */
  overallScore: number;
  overallSeverity: CvssSeverity;
  /** For 4.0: CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE, naming what `overallScore` includes. */
  nomenclature?: string;
}

type ScoreResult = { base?: number; baseMetricsOnly?: number; overall: number };

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvssLib;

/** Validates, then scores. Throws CvssVectorError for an invalid vector. */
export function scoreCvss(vector: string): CvssScore {
  const p = parseCvssVector(vector);
  let result: ScoreResult;
  try {
    const calc =
      p.version === '2.0'
        ? new Cvss2(p.vector.replace(/^\(|\)$/g, ''))
        : p.version === '3.0'
          ? new Cvss3P0(p.vector)
          : p.version === '3.1'
            ? new Cvss3P1(p.vector)
            : new Cvss4P0(p.vector);
    result = calc.calculateScores() as ScoreResult;
  } catch (e) {
    throw new CvssVectorError(
      `CVSS ${p.version} vector could not be scored: ${(e as Error).message}`,
      vector,
    );
  }
  const baseScore = p.version === '4.0' ? (result.baseMetricsOnly ?? result.base ?? 0) : (result.base ?? 0);
  const overallScore = result.overall;
  let nomenclature: string | undefined;
  if (p.version === '4.0') {
    const set = (keys: string[]) => keys.some((k) => p.metrics[k] !== undefined && p.metrics[k] !== 'X');
    const t = set(['E']);
    const e = set([
      'CR',
      'IR',
      'AR',
      'MAV',
      'MAC',
      'MAT',
      'MPR',
      'MUI',
      'MVC',
      'MVI',
      'MVA',
      'MSC',
      'MSI',
      'MSA',
    ]);
    nomenclature = `CVSS-B${t ? 'T' : ''}${e ? 'E' : ''}`;
  }
  return {
    version: p.version,
    vector: p.vector,
    metrics: p.metrics,
    baseScore,
    baseSeverity: cvssSeverity(baseScore, p.version),
    overallScore,
    overallSeverity: cvssSeverity(overallScore, p.version),
    ...(nomenclature ? { nomenclature } : {}),
  };
}
