export * from './csf.js';
export * from './exercises.js';
export * from './observables.js';
export * from './playbooks.js';
export * from './severity.js';
export * from './sharing.js';
export * from './workflow.js';
