/** A pattern that does not follow the STIX 2.1 patterning grammar. Line and column are 1-based. */
export class PatternSyntaxError extends Error {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** The message without the position suffix. */
  readonly reason: string;

  constructor(reason: string, source: string, offset: number) {
    const { line, column } = lineAndColumn(source, offset);
    super(`${reason} at line ${line}, column ${column} (offset ${offset})`);
    this.name = 'PatternSyntaxError';
    this.reason = reason;
    this.offset = offset;
    this.line = line;
    this.column = column;
  }
}

/** Raised while matching, for inputs the evaluator cannot interpret (e.g. a bad timestamp in an observation). */
export class PatternEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternEvaluationError';
  }
}

export function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    const c = source.charCodeAt(i);
    // \r\n counts once; a lone \r is a line break as well.
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
