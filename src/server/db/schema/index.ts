export * from './audit.js';
export * from './jobs.js';
export * from './orgs.js';
export * from './partners.js';
export * from './workforce.js';
