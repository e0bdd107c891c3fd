export {
  type CascadeOptions,
  type CascadeResult,
  cascade,
  type FailureCause,
  type ImpactedNode,
  type ImpactedService,
} from './cascade.js';
export { type CycleReport, detectCycles, stronglyConnectedComponents } from './cycles.js';
export {
  buildGraph,
  type DependencyGraph,
  type GraphEdge,
  GraphError,
  type GraphIssue,
  type GraphNode,
  NODE_KINDS,
  type NodeKind,
} from './graph.js';
export {
  type MissingDataEntry,
  type MissingField,
  type ServiceRecord,
  servicesMissingData,
} from './missing.js';
export { defaultServiceWeight, type SpofEntry, type SpofOptions, singlePointsOfFailure } from './spof.js';
