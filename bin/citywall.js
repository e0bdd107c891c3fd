#!/usr/bin/env node
// Node 20 cannot run TypeScript by itself: tsx compiles the sources on the fly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/index.ts');
await main(process.argv);
