/**
 * Qualitative risk matrix: likelihood × impact on ordinal scales, cells mapped to named levels. Each organization
 * may edit labels, colours, score ranges and review cadences, so everything is validated rather than assumed.
 */

export interface ScaleStep {
  /** 1-based position on the scale (1 = lowest). */
  value: number;
  label: string;
  description?: string;
}

export interface RiskLevelDef {
  id: string;
  name: string;
  /** CSS colour (e.g. #c62828). */
  colour: string;
  /** Inclusive range of scores (likelihood × impact unless a cell override says otherwise). */
  minScore: number;
  maxScore: number;
  /** How often a risk at this level is reviewed, in days. */
  reviewDays: number;
}

export interface RiskMatrix {
  likelihoods: ScaleStep[];
  impacts: ScaleStep[];
  /** Ordered from lowest to highest severity. */
  levels: RiskLevelDef[];
  /**
   * Optional explicit level per cell, `cells[likelihood - 1][impact - 1] = levelId`, for organizations whose
   * matrix is not a function of the product (e.g. asymmetric: catastrophic impact is always high).
   */
  cells?: string[][];
}

export interface Rating {
  likelihood: number;
  impact: number;
}

export interface RatedRisk extends Rating {
  score: number;
  level: RiskLevelDef;
}

export class MatrixError extends Error {
  override readonly name = 'MatrixError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const DEFAULT_LABELS_L = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'];
const DEFAULT_LABELS_I = ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'];

/** The default 5 × 5 matrix: low 1–4, medium 5–9, high 10–16, critical 20–25 (scores are products). */
export function defaultMatrix(): RiskMatrix {
  return {
    likelihoods: DEFAULT_LABELS_L.map((label, i) => ({ value: i + 1, label })),
    impacts: DEFAULT_LABELS_I.map((label, i) => ({ value: i + 1, label })),
    levels: [
      { id: 'low', name: 'Low', colour: '#2e7d32', minScore: 1, maxScore: 4, reviewDays: 365 },
      { id: 'medium', name: 'Medium', colour: '#f9a825', minScore: 5, maxScore: 9, reviewDays: 180 },
      { id: 'high', name: 'High', colour: '#ef6c00', minScore: 10, maxScore: 16, reviewDays: 90 },
      { id: 'critical', name: 'Critical', colour: '#c62828', minScore: 17, maxScore: 25, reviewDays: 30 },
    ],
  };
}

function checkScale(steps: unknown, field: string): void {
  if (!Array.isArray(steps) || steps.length === 0)
    throw new MatrixError(field, 'must list at least one step');
  if (steps.length > 10) throw new MatrixError(field, `at most 10 steps, got ${steps.length}`);
  steps.forEach((s: ScaleStep, i) => {
    if (s?.value !== i + 1) {
      throw new MatrixError(`${field}[${i}].value`, `must be ${i + 1} (steps are numbered 1..n in order)`);
    }
    if (typeof s.label !== 'string' || s.label.trim() === '') {
      throw new MatrixError(`${field}[${i}].label`, 'must be a non-empty string');
    }
  });
}

/**
 * Checks that a matrix is usable: scales numbered 1..n, at least one level, level ranges neither overlapping nor
 * leaving a gap for any score a cell can take, and every cell mapped to exactly one level.
 */
export function validateMatrix(matrix: RiskMatrix): void {
  if (matrix === null || typeof matrix !== 'object') throw new MatrixError('matrix', 'must be an object');
  checkScale(matrix.likelihoods, 'likelihoods');
  checkScale(matrix.impacts, 'impacts');
  const levels = matrix.levels;
  if (!Array.isArray(levels) || levels.length === 0) {
    throw new MatrixError('levels', 'the matrix has no level: define at least one (e.g. low, medium, high)');
  }
  const ids = new Set<string>();
  levels.forEach((l, i) => {
    const f = `levels[${i}]`;
    if (typeof l?.id !== 'string' || l.id === '')
      throw new MatrixError(`${f}.id`, 'must be a non-empty string');
    if (ids.has(l.id)) throw new MatrixError(`${f}.id`, `duplicate level id "${l.id}"`);
    ids.add(l.id);
    if (typeof l.name !== 'string' || l.name.trim() === '')
      throw new MatrixError(`${f}.name`, 'must be non-empty');
    if (typeof l.colour !== 'string' || !/^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(l.colour)) {
      throw new MatrixError(`${f}.colour`, `must be a hex colour like #c62828, got ${String(l.colour)}`);
    }
    for (const k of ['minScore', 'maxScore'] as const) {
      if (!Number.isInteger(l[k]))
        throw new MatrixError(`${f}.${k}`, `must be an integer, got ${String(l[k])}`);
    }
    if (l.minScore > l.maxScore) {
      throw new MatrixError(`${f}.minScore`, `minScore (${l.minScore}) exceeds maxScore (${l.maxScore})`);
    }
    if (!Number.isInteger(l.reviewDays) || l.reviewDays < 1) {
      throw new MatrixError(`${f}.reviewDays`, `must be a positive integer, got ${String(l.reviewDays)}`);
    }
  });
  for (let i = 0; i < levels.length; i++) {
    for (let j = i + 1; j < levels.length; j++) {
      const a = levels[i];
      const b = levels[j];
      if (a.minScore <= b.maxScore && b.minScore <= a.maxScore) {
        throw new MatrixError(
          `levels[${j}].minScore`,
          `score range ${b.minScore}–${b.maxScore} of "${b.id}" overlaps ${a.minScore}–${a.maxScore} of "${a.id}"`,
        );
      }
    }
  }
  const nl = matrix.likelihoods.length;
  const ni = matrix.impacts.length;
  if (matrix.cells !== undefined) {
    if (!Array.isArray(matrix.cells) || matrix.cells.length !== nl) {
      throw new MatrixError('cells', `must have one row per likelihood step (${nl})`);
    }
    matrix.cells.forEach((row, li) => {
      if (!Array.isArray(row) || row.length !== ni) {
        throw new MatrixError(`cells[${li}]`, `must have one entry per impact step (${ni})`);
      }
      row.forEach((id, ii) => {
        if (!ids.has(id)) {
          throw new MatrixError(
            `cells[${li}][${ii}]`,
            `likelihood ${li + 1} × impact ${ii + 1} maps to unknown level "${String(id)}"`,
          );
        }
      });
    });
    return;
  }
  for (let l = 1; l <= nl; l++) {
    for (let i = 1; i <= ni; i++) {
      const score = l * i;
      if (!levels.some((lv) => score >= lv.minScore && score <= lv.maxScore)) {
        throw new MatrixError(
          'levels',
          `gap: likelihood ${l} × impact ${i} (score ${score}) is not covered by any level's score range`,
        );
      }
    }
  }
}

function checkRating(matrix: RiskMatrix, likelihood: number, impact: number): void {
  if (!Number.isInteger(likelihood) || likelihood < 1 || likelihood > matrix.likelihoods.length) {
    throw new MatrixError(
      'likelihood',
      `must be an integer from 1 to ${matrix.likelihoods.length}, got ${String(likelihood)}`,
    );
  }
  if (!Number.isInteger(impact) || impact < 1 || impact > matrix.impacts.length) {
    throw new MatrixError(
      'impact',
      `must be an integer from 1 to ${matrix.impacts.length}, got ${String(impact)}`,
    );
  }
}

/** Level of a likelihood × impact rating (both 1-based). The matrix is assumed valid (see validateMatrix). */
export function riskLevel(matrix: RiskMatrix, likelihood: number, impact: number): RatedRisk {
  checkRating(matrix, likelihood, impact);
  const score = likelihood * impact;
  let level: RiskLevelDef | undefined;
  if (matrix.cells !== undefined) {
    const id = matrix.cells[likelihood - 1][impact - 1];
    level = matrix.levels.find((l) => l.id === id);
  } else {
    level = matrix.levels.find((l) => score >= l.minScore && score <= l.maxScore);
  }
  if (level === undefined) {
    throw new MatrixError(
      'levels',
      `no level for likelihood ${likelihood} × impact ${impact} (score ${score})`,
    );
  }
  return { likelihood, impact, score, level };
}

/** Review interval for a level, in days. */
export function reviewCadenceDays(matrix: RiskMatrix, levelId: string): number {
  const level = matrix.levels.find((l) => l.id === levelId);
  if (level === undefined) throw new MatrixError('levelId', `unknown level "${levelId}"`);
  return level.reviewDays;
}

/** Next review date after `lastReviewed` for a risk at the given rating (UTC calendar days). */
export function nextReviewDate(matrix: RiskMatrix, rating: Rating, lastReviewed: Date): Date {
  const { level } = riskLevel(matrix, rating.likelihood, rating.impact);
  return new Date(lastReviewed.getTime() + level.reviewDays * 86_400_000);
}

export interface InherentResidual {
  inherent: RatedRisk;
  residual: RatedRisk;
  /** Positive when controls lower the score. */
  scoreReduction: number;
  /** Number of levels the controls move the risk down (0 if the level is unchanged). */
  levelsReduced: number;
  /** Residual above inherent means the ratings contradict each other (controls cannot add risk). */
  consistent: boolean;
}

/**
 * Compares inherent risk (before controls) with residual risk (after). Residual may be given directly or as the
 * number of steps controls remove from likelihood and impact (clamped at the lowest step).
 */
export function inherentVsResidual(
  matrix: RiskMatrix,
  inherent: Rating,
  residual: Rating | { likelihoodSteps?: number; impactSteps?: number },
): InherentResidual {
  const inh = riskLevel(matrix, inherent.likelihood, inherent.impact);
  let res: RatedRisk;
  if ('likelihood' in residual) {
    res = riskLevel(matrix, residual.likelihood, residual.impact);
  } else {
    const ls = residual.likelihoodSteps ?? 0;
    const is = residual.impactSteps ?? 0;
    if (!Number.isInteger(ls) || ls < 0)
      throw new MatrixError('likelihoodSteps', 'must be a non-negative integer');
    if (!Number.isInteger(is) || is < 0)
      throw new MatrixError('impactSteps', 'must be a non-negative integer');
    res = riskLevel(matrix, Math.max(1, inh.likelihood - ls), Math.max(1, inh.impact - is));
  }
  const rank = (l: RiskLevelDef) => matrix.levels.findIndex((x) => x.id === l.id);
  return {
    inherent: inh,
    residual: res,
    scoreReduction: inh.score - res.score,
    levelsReduced: Math.max(0, rank(inh.level) - rank(res.level)),
    consistent: res.likelihood <= inh.likelihood && res.impact <= inh.impact,
  };
}

/** Grid of levels for drawing a heat map: rows from highest likelihood down, as risk registers show it. */
export function heatMap(matrix: RiskMatrix): RatedRisk[][] {
  const rows: RatedRisk[][] = [];
  for (let l = matrix.likelihoods.length; l >= 1; l--) {
    const row: RatedRisk[] = [];
    for (let i = 1; i <= matrix.impacts.length; i++) row.push(riskLevel(matrix, l, i));
    rows.push(row);
  }
  return rows;
}
