/** Typed syntax tree of a STIX 2.1 pattern (STIX 2.1 section 9). Offsets are UTF-16 indexes into the source. */

export interface Span {
  start: number;
  end: number;
}

export type Literal =
  | { type: 'string'; value: string; span: Span }
  | { type: 'int'; value: number; span: Span }
  | { type: 'float'; value: number; span: Span }
  | { type: 'bool'; value: boolean; span: Span }
  /** The timestamp text between the quotes, already checked to be a valid RFC 3339 UTC timestamp. */
  | { type: 'timestamp'; value: string; span: Span }
  /** `b'…'`: base64 text as written, and the decoded bytes. */
  | { type: 'binary'; value: Uint8Array; text: string; span: Span }
  /** `h'…'`: hex text as written, and the decoded bytes. */
  | { type: 'hex'; value: Uint8Array; text: string; span: Span };

export type LiteralType = Literal['type'];

export type PathStep = { kind: 'key'; name: string } | { kind: 'index'; index: number | '*' };

export interface ObjectPath {
  objectType: string;
  steps: PathStep[];
  span: Span;
}

export type ComparisonOperator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'IN'
  | 'LIKE'
  | 'MATCHES'
  | 'ISSUBSET'
  | 'ISSUPERSET'
  | 'EXISTS';

export type Comparison =
  | {
      kind: 'comparison';
      path: ObjectPath;
      operator: Exclude<ComparisonOperator, 'IN' | 'EXISTS'>;
      negated: boolean;
      value: Literal;
      span: Span;
    }
  | { kind: 'comparison'; path: ObjectPath; operator: 'IN'; negated: boolean; value: Literal[]; span: Span }
  | { kind: 'comparison'; path: ObjectPath; operator: 'EXISTS'; negated: false; value: null; span: Span };

export interface BooleanComparison {
  kind: 'comparison-boolean';
  operator: 'AND' | 'OR';
  left: ComparisonExpression;
  right: ComparisonExpression;
  span: Span;
}

export type ComparisonExpression = Comparison | BooleanComparison;

export type Qualifier =
  | { kind: 'within'; seconds: number; span: Span }
  | { kind: 'repeats'; times: number; span: Span }
  | { kind: 'startstop'; start: string; stop: string; span: Span };

export interface Observation {
  kind: 'observation';
  comparison: ComparisonExpression;
  span: Span;
}

export interface ObservationOperation {
  kind: 'observation-operation';
  operator: 'AND' | 'OR' | 'FOLLOWEDBY';
  left: ObservationExpression;
  right: ObservationExpression;
  span: Span;
}

export interface QualifiedObservation {
  kind: 'qualified';
  expression: ObservationExpression;
  qualifier: Qualifier;
  span: Span;
}

export type ObservationExpression = Observation | ObservationOperation | QualifiedObservation;

/** A parsed pattern: its root observation expression and the source it came from. */
export interface Pattern {
  kind: 'pattern';
  root: ObservationExpression;
  source: string;
}
