import type { ComparisonExpression, Literal, ObjectPath, ObservationExpression, Pattern } from './ast.js';

const PLAIN_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function stringifyLiteral(lit: Literal): string {
  switch (lit.type) {
    case 'string':
      return quote(lit.value);
    case 'int':
      return String(lit.value);
    case 'float':
      // Keep a decimal point so the literal stays a float when parsed again.
      return Number.isInteger(lit.value) ? lit.value.toFixed(1) : String(lit.value);
    case 'bool':
      return lit.value ? 'true' : 'false';
    case 'timestamp':
      return `t'${lit.value}'`;
    case 'binary':
      return `b'${lit.text}'`;
    case 'hex':
      return `h'${lit.text || hex(lit.value)}'`;
  }
}

export function stringifyPath(path: ObjectPath): string {
  let out = `${path.objectType}:`;
  path.steps.forEach((step, i) => {
    if (step.kind === 'index') out += `[${step.index}]`;
    else out += `${i === 0 ? '' : '.'}${PLAIN_NAME.test(step.name) ? step.name : quote(step.name)}`;
  });
  return out;
}

const CMP_RANK = { OR: 0, AND: 1 } as const;

function comparison(expr: ComparisonExpression, minRank: number): string {
  if (expr.kind === 'comparison-boolean') {
    const rank = CMP_RANK[expr.operator];
    // Left-associative: the right operand needs parentheses at equal rank.
    const text = `${comparison(expr.left, rank)} ${expr.operator} ${comparison(expr.right, rank + 1)}`;
    return rank < minRank ? `(${text})` : text;
  }
  const path = stringifyPath(expr.path);
  if (expr.operator === 'EXISTS') return `EXISTS ${path}`;
  const not = expr.negated ? 'NOT ' : '';
  const value =
    expr.operator === 'IN'
      ? `(${expr.value.map(stringifyLiteral).join(', ')})`
      : stringifyLiteral(expr.value);
  return `${path} ${not}${expr.operator} ${value}`;
}

const OBS_RANK = { FOLLOWEDBY: 0, OR: 1, AND: 2 } as const;

function observation(expr: ObservationExpression, minRank: number): string {
  switch (expr.kind) {
    case 'observation':
      return `[${comparison(expr.comparison, 0)}]`;
    case 'qualified': {
      const q = expr.qualifier;
      const suffix =
        q.kind === 'within'
          ? `WITHIN ${q.seconds} SECONDS`
          : q.kind === 'repeats'
            ? `REPEATS ${q.times} TIMES`
            : `START t'${q.start}' STOP t'${q.stop}'`;
      return `${observation(expr.expression, 3)} ${suffix}`;
    }
    case 'observation-operation': {
      const rank = OBS_RANK[expr.operator];
      // Left-associative: the right operand needs parentheses at equal rank.
      const text = `${observation(expr.left, rank)} ${expr.operator} ${observation(expr.right, rank + 1)}`;
      return rank < minRank ? `(${text})` : text;
    }
  }
}

/** Canonical text of a parsed pattern; parsing it again yields the same tree (spans aside). */
export function stringifyPattern(pattern: Pattern | ObservationExpression): string {
  return observation(pattern.kind === 'pattern' ? pattern.root : pattern, 0);
}
