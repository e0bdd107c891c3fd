export * from './assessment.js';
export * from './errors.js';
export * from './export.js';
export * from './flatten.js';
export * from './parse.js';
export * from './resolve.js';
export * from './schema.js';
export type * from './types.js';
