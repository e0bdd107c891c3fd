import { benchAssets } from './assets.bench.js';

console.log('# assets');
await benchAssets();
