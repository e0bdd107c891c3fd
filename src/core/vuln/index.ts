export * from './csaf.js';
export * from './cvss.js';
export {
  createEpssParser,
  diffKev,
  type EpssLine,
  type EpssMeta,
  type EpssScore,
  type FeedIssue,
  FeedParseError,
  type KevCatalog,
  type KevChange,
  type KevDiff,
  type KevEntry,
  type KevParseResult,
  parseEpssCsv,
  parseEpssCsvLine,
  parseEpssHeader,
  parseKevCatalog,
} from './feeds.js';
export * from './json-items.js';
export * from './nvd.js';
export * from './nvd-api.js';
export * from './ssvc.js';
export * from './version.js';
