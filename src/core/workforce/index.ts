export * from './nice.js';
