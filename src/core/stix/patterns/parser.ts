import type {
  Comparison,
  ComparisonExpression,
  ComparisonOperator,
  Literal,
  ObjectPath,
  ObservationExpression,
  PathStep,
  Pattern,
  Qualifier,
  Span,
} from './ast.js';
import { PatternSyntaxError } from './errors.js';
import { type Token, type TokenKind, tokenize } from './lexer.js';

/*
 * Recursive-descent parser for the STIX 2.1 patterning grammar (section 9 and the OASIS ANTLR grammar):
 *
 *   pattern        := obsFollowedBy EOF
 *   obsFollowedBy  := obsOr ('FOLLOWEDBY' obsOr)*              -- loosest, left-associative
 *   obsOr          := obsAnd ('OR' obsAnd)*
 *   obsAnd         := obsQualified ('AND' obsQualified)*
 *   obsQualified   := obsPrimary qualifier*
 *   obsPrimary     := '[' compOr ']' | '(' obsFollowedBy ')'
 *   qualifier      := 'WITHIN' number 'SECONDS' | 'REPEATS' int 'TIMES' | 'START' t'…' 'STOP' t'…'
 *   compOr         := compAnd ('OR' compAnd)*
 *   compAnd        := propTest ('AND' propTest)*
 *   propTest       := '(' compOr ')' | 'EXISTS' path | path 'NOT'? operator operand
 *   path           := type ':' (ident | string) ('.' (ident | string) | '[' (int | '*') ']')*
 *
 * Keywords are case-insensitive, as in the reference grammar. They are recognised by position, so a property
 * may still be called e.g. `in` or `start`.
 */

const ORDER_OPERATORS = new Set(['<', '<=', '>', '>=']);
const WORD_OPERATORS = new Set(['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);

class Parser {
  private pos = 0;
  private readonly tokens: Token[];

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parse(): Pattern {
    if (this.peek().kind === 'eof') this.fail('empty pattern', this.peek());
    const root = this.obsFollowedBy();
    const next = this.peek();
    if (next.kind !== 'eof') this.fail(`unexpected ${describe(next)} after the end of the pattern`, next);
    return { kind: 'pattern', root, source: this.source };
  }

  // -------------------------------------------------------------------------------------------- helpers

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'word' && t.text.toUpperCase() === word;
  }

  private expect(kind: TokenKind, what: string): Token {
    const t = this.peek();
    if (t.kind !== kind) this.fail(`expected ${what} but found ${describe(t)}`, t);
    return this.next();
  }

  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) this.fail(`expected ${word} but found ${describe(this.peek())}`, this.peek());
    return this.next();
  }

  private fail(reason: string, at: Token | number): never {
    throw new PatternSyntaxError(reason, this.source, typeof at === 'number' ? at : at.start);
  }

  private span(start: number): Span {
    return { start, end: this.tokens[this.pos - 1]?.end ?? start };
  }

  // -------------------------------------------------------------------------------- observation level

  private obsFollowedBy(): ObservationExpression {
    return this.leftAssoc(
      () => this.obsOr(),
      'FOLLOWEDBY',
      (left, right, start) => ({
        kind: 'observation-operation',
        operator: 'FOLLOWEDBY',
        left,
        right,
        span: this.span(start),
      }),
    );
  }

  private obsOr(): ObservationExpression {
    return this.leftAssoc(
      () => this.obsAnd(),
      'OR',
      (left, right, start) => ({
        kind: 'observation-operation',
        operator: 'OR',
        left,
        right,
        span: this.span(start),
      }),
    );
  }

  private obsAnd(): ObservationExpression {
    return this.leftAssoc(
      () => this.obsQualified(),
      'AND',
      (left, right, start) => ({
        kind: 'observation-operation',
        operator: 'AND',
        left,
        right,
        span: this.span(start),
      }),
    );
  }

  private leftAssoc<T extends { span: Span }>(
    operand: () => T,
    keyword: string,
    build: (left: T, right: T, start: number) => T,
  ): T {
    const start = this.peek().start;
    let left = operand();
    while (this.isKeyword(keyword)) {
      this.next();
      const right = operand();
      left = build(left, right, start);
    }
    return left;
  }

  private obsQualified(): ObservationExpression {
    const start = this.peek().start;
    let expression = this.obsPrimary();
    for (;;) {
      const qualifier = this.qualifier();
      if (!qualifier) return expression;
      expression = { kind: 'qualified', expression, qualifier, span: this.span(start) };
    }
  }

  private obsPrimary(): ObservationExpression {
    const t = this.peek();
    if (t.kind === '[') {
      this.next();
      if (this.peek().kind === ']') this.fail('empty observation expression', this.peek());
      const comparison = this.compOr();
      this.expect(']', "']' to close the observation expression");
      return { kind: 'observation', comparison, span: this.span(t.start) };
    }
    if (t.kind === '(') {
      this.next();
      const inner = this.obsFollowedBy();
      this.expect(')', "')'");
      return inner;
    }
    if (t.kind === 'eof') this.fail("unexpected end of pattern: expected '[' or '('", t);
    return this.fail(`expected '[' or '(' to start an observation expression but found ${describe(t)}`, t);
  }

  private qualifier(): Qualifier | undefined {
    const t = this.peek();
    if (this.isKeyword('WITHIN')) {
      this.next();
      const n = this.peek();
      if ((n.kind !== 'int' && n.kind !== 'float') || (n.value as number) <= 0 || n.text.startsWith('+')) {
        this.fail(`WITHIN needs a positive number of seconds but found ${describe(n)}`, n);
      }
      this.next();
      this.expectKeyword('SECONDS');
      return { kind: 'within', seconds: n.value as number, span: this.span(t.start) };
    }
    if (this.isKeyword('REPEATS')) {
      this.next();
      const n = this.peek();
      if (n.kind !== 'int' || (n.value as number) < 1 || n.text.startsWith('+')) {
        this.fail(`REPEATS needs a positive integer but found ${describe(n)}`, n);
      }
      this.next();
      this.expectKeyword('TIMES');
      return { kind: 'repeats', times: n.value as number, span: this.span(t.start) };
    }
    if (this.isKeyword('START')) {
      this.next();
      const start = this.timestampOperand('START');
      this.expectKeyword('STOP');
      const stop = this.timestampOperand('STOP');
      return { kind: 'startstop', start, stop, span: this.span(t.start) };
    }
    return undefined;
  }

  private timestampOperand(keyword: string): string {
    const t = this.peek();
    if (t.kind !== 'timestamp') {
      this.fail(`${keyword} needs a timestamp literal t'YYYY-MM-DDTHH:MM:SSZ' but found ${describe(t)}`, t);
    }
    this.next();
    return t.value as string;
  }

  // --------------------------------------------------------------------------------- comparison level

  private compOr(): ComparisonExpression {
    return this.leftAssoc<ComparisonExpression>(
      () => this.compAnd(),
      'OR',
      (left, right, start) => ({
        kind: 'comparison-boolean',
        operator: 'OR',
        left,
        right,
        span: this.span(start),
      }),
    );
  }

  private compAnd(): ComparisonExpression {
    return this.leftAssoc<ComparisonExpression>(
      () => this.propTest(),
      'AND',
      (left, right, start) => ({
        kind: 'comparison-boolean',
        operator: 'AND',
        left,
        right,
        span: this.span(start),
      }),
    );
  }

  private propTest(): ComparisonExpression {
    const t = this.peek();
    if (t.kind === '(') {
      this.next();
      const inner = this.compOr();
      this.expect(')', "')'");
      return inner;
    }
    // `EXISTS` followed by ':' would be an object type named "exists".
    if (this.isKeyword('EXISTS') && this.peek(1).kind !== ':') {
      this.next();
      const path = this.objectPath();
      return {
        kind: 'comparison',
        path,
        operator: 'EXISTS',
        negated: false,
        value: null,
        span: this.span(t.start),
      };
    }
    const path = this.objectPath();
    let negated = false;
    if (this.isKeyword('NOT')) {
      this.next();
      negated = true;
    }
    const opToken = this.peek();
    const operator = this.operator(opToken);
    this.next();
    return this.operand(path, operator, negated, t.start);
  }

  private operator(t: Token): Exclude<ComparisonOperator, 'EXISTS'> {
    if (t.kind === '=' || t.kind === '!=' || ORDER_OPERATORS.has(t.kind)) {
      return t.kind as Exclude<ComparisonOperator, 'EXISTS'>;
    }
    if (t.kind === 'word') {
      const upper = t.text.toUpperCase();
      if (WORD_OPERATORS.has(upper)) return upper as Exclude<ComparisonOperator, 'EXISTS'>;
      if (upper === 'EXISTS') this.fail('EXISTS goes before the object path (EXISTS type:property)', t);
    }
    return this.fail(`expected a comparison operator but found ${describe(t)}`, t);
  }

  private operand(
    path: ObjectPath,
    operator: Exclude<ComparisonOperator, 'EXISTS'>,
    negated: boolean,
    start: number,
  ): Comparison {
    if (operator === 'IN') {
      const values = this.setLiteral();
      return { kind: 'comparison', path, operator, negated, value: values, span: this.span(start) };
    }
    const t = this.peek();
    let value: Literal;
    if (
      operator === 'LIKE' ||
      operator === 'MATCHES' ||
      operator === 'ISSUBSET' ||
      operator === 'ISSUPERSET'
    ) {
      if (t.kind !== 'string') this.fail(`${operator} needs a string literal but found ${describe(t)}`, t);
      value = this.literal();
    } else if (ORDER_OPERATORS.has(operator)) {
      value = this.literal();
      if (value.type === 'bool') this.fail(`${operator} cannot compare with a boolean`, t);
    } else {
      value = this.literal();
    }
    return { kind: 'comparison', path, operator, negated, value, span: this.span(start) };
  }

  private setLiteral(): Literal[] {
    this.expect('(', "'(' to start the IN set");
    const values: Literal[] = [];
    if (this.peek().kind === ')') {
      this.next();
      return values;
    }
    for (;;) {
      const lit = this.literal();
      if (values.length > 0 && !sameSetType(values[0], lit)) {
        this.fail(`IN set mixes ${values[0].type} and ${lit.type} values`, lit.span.start);
      }
      values.push(lit);
      const sep = this.peek();
      if (sep.kind === ',') {
        this.next();
        continue;
      }
      if (sep.kind === ')') {
        this.next();
        return values;
      }
      this.fail(`expected ',' or ')' in the IN set but found ${describe(sep)}`, sep);
    }
  }

  private literal(): Literal {
    const t = this.peek();
    const span = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'string':
        this.next();
        return { type: 'string', value: t.value as string, span };
      case 'int':
        this.next();
        return { type: 'int', value: t.value as number, span };
      case 'float':
        this.next();
        return { type: 'float', value: t.value as number, span };
      case 'timestamp':
        this.next();
        return { type: 'timestamp', value: t.value as string, span };
      case 'binary':
        this.next();
        return { type: 'binary', value: t.value as Uint8Array, text: t.text.slice(2, -1), span };
      case 'hex':
        this.next();
        return { type: 'hex', value: t.value as Uint8Array, text: t.text.slice(2, -1), span };
      case 'word': {
        const upper = t.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') {
          this.next();
          return { type: 'bool', value: upper === 'TRUE', span };
        }
        break;
      }
    }
    return this.fail(`expected a literal value but found ${describe(t)}`, t);
  }

  private objectPath(): ObjectPath {
    const typeToken = this.peek();
    if (typeToken.kind !== 'word') {
      this.fail(`expected an object path (type:property) but found ${describe(typeToken)}`, typeToken);
    }
    this.next();
    this.expect(':', `':' after the object type '${typeToken.text}'`);
    const steps: PathStep[] = [{ kind: 'key', name: this.propertyName() }];
    for (;;) {
      const t = this.peek();
      if (t.kind === '.') {
        this.next();
        steps.push({ kind: 'key', name: this.propertyName() });
      } else if (t.kind === '[') {
        this.next();
        const idx = this.peek();
        if (idx.kind === '*') {
          this.next();
          steps.push({ kind: 'index', index: '*' });
        } else if (idx.kind === 'int') {
          this.next();
          steps.push({ kind: 'index', index: idx.value as number });
        } else {
          this.fail(`expected a list index or '*' but found ${describe(idx)}`, idx);
        }
        this.expect(']', "']' to close the list index");
      } else {
        break;
      }
    }
    return { objectType: typeToken.text, steps, span: this.span(typeToken.start) };
  }

  private propertyName(): string {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return t.value as string;
    }
    if (t.kind === 'word') {
      if (t.text.includes('-')) {
        this.fail(`property name '${t.text}' contains '-': quote it as '${t.text}'`, t);
      }
      this.next();
      return t.text;
    }
    return this.fail(`expected a property name but found ${describe(t)}`, t);
  }
}

function sameSetType(a: Literal, b: Literal): boolean {
  const numeric = (l: Literal) => l.type === 'int' || l.type === 'float';
  const bytes = (l: Literal) => l.type === 'binary' || l.type === 'hex';
  return a.type === b.type || (numeric(a) && numeric(b)) || (bytes(a) && bytes(b));
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of pattern';
  if (t.kind === 'word') return `'${t.text}'`;
  if (t.kind === 'string') return `string ${t.text}`;
  return `'${t.text}'`;
}

/** Parses a STIX 2.1 pattern. Throws PatternSyntaxError (message, offset, line, column) on invalid input. */
export function parsePattern(source: string): Pattern {
  return new Parser(source).parse();
}

export type PatternCheck =
  | { valid: true; pattern: Pattern }
  | { valid: false; error: { message: string; offset: number; line: number; column: number } };

/** Like parsePattern, but returns the error instead of throwing. */
export function checkPattern(source: string): PatternCheck {
  try {
    return { valid: true, pattern: parsePattern(source) };
  } catch (e) {
    if (e instanceof PatternSyntaxError) {
      return {
        valid: false,
        error: { message: e.message, offset: e.offset, line: e.line, column: e.column },
      };
    }
    throw e;
  }
}
