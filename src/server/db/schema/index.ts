export * from './assets.js';
export * from './audit.js';
export * from './baselines.js';
export * from './incidents.js';
export * from './intel.js';
export * from './jobs.js';
export * from './orgs.js';
export * from './risks.js';
