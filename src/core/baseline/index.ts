export * from './catalog.js';
export * from './cpg.js';
export * from './csf2.js';
export * from './mappings.js';
export * from './requirements.js';
export * from './scoring.js';
