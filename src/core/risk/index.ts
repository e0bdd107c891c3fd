export * from './distributions.js';
export * from './fair.js';
export * from './matrix.js';
export * from './optimize.js';
export { createRng, deriveSeed, normalizeSeed, Rng } from './random.js';
export { sortFloat64 } from './sort.js';
export { gammaP, gammaQ, incompleteBeta, lnGamma, normalCdf, normalQuantile } from './special.js';
