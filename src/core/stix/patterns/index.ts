export type * from './ast.js';
export { blockContains, type IpBlock, isSubset, isSuperset, parseIpBlock } from './cidr.js';
export { PatternEvaluationError, PatternSyntaxError } from './errors.js';
export {
  likeToRegExp,
  type MatchOptions,
  type MatchResult,
  matchPattern,
  type PatternObservation,
} from './evaluate.js';
export { type Token, type TokenKind, tokenize } from './lexer.js';
export { checkPattern, type PatternCheck, parsePattern } from './parser.js';
export { compilePcre, type PcreOptions } from './regex.js';
export { stringifyLiteral, stringifyPath, stringifyPattern } from './stringify.js';
