export * from './assets.js';
export * from './audit.js';
export * from './jobs.js';
export * from './orgs.js';
export * from './risks.js';
