import { existsSync, readFileSync } from 'node:fs';
import { buildGraph, cascade, type GraphEdge, type GraphNode } from '../src/core/graph/index.js';
import { parseCatalog, parseProfile, resolveProfile } from '../src/core/oscal/index.js';
import { lognormal90, pert } from '../src/core/risk/distributions.js';
import { type FairScenario, simulate } from '../src/core/risk/fair.js';
import { createRng } from '../src/core/risk/random.js';
import type { BenchResult } from './index.js';

const shared = new URL('../../shared/data/', import.meta.url).pathname;

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

function fair(): BenchResult {
  const scenarios: FairScenario[] = Array.from({ length: 50 }, (_, i) => ({
    id: `s${i}`,
    threatEventFrequency: pert(0.5 + i / 10, 2 + i / 5, 12 + i),
    vulnerability: pert(0.05, 0.2, 0.5),
    primaryLoss: lognormal90(20_000 * (1 + i), 2_000_000 * (1 + i / 10)),
    secondaryLoss: { probability: pert(0.1, 0.3, 0.6), magnitude: lognormal90(10_000, 5_000_000) },
  }));
  const [, ms] = time(() => scenarios.map((s, i) => simulate(s, { trials: 100_000, seed: i + 1 })));
  return {
    name: 'FAIR Monte Carlo, 50 scenarios × 100,000 trials',
    value: ms,
    unit: 'ms',
    target: '< 2000 ms',
  };
}

function graph(): BenchResult[] {
  const rng = createRng(42);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const SYSTEMS = 50_000;
  for (let i = 0; i < 20; i++) nodes.push({ id: `p${i}`, kind: 'provider' });
  for (let i = 0; i < SYSTEMS; i++) nodes.push({ id: `y${i}`, kind: 'system' });
  for (let i = 0; i < 500; i++)
    nodes.push({
      id: `v${i}`,
      kind: 'service',
      population: 1000 + i * 50,
      criticalityTier: 1 + (i % 4),
      rtoHours: 1 + (i % 72),
    });
  // Systems depend on lower-numbered systems (a layered estate) and on providers; some pairs are redundant.
  for (let i = 1; i < SYSTEMS; i++) {
    for (let k = 0; k < 4; k++) {
      const to = Math.floor(rng.next() * i);
      edges.push({ from: `y${i}`, to: `y${to}`, redundancyGroup: k >= 2 ? `g${i}` : undefined });
    }
  }
  for (let i = 0; i < SYSTEMS; i += 25) edges.push({ from: `y${i}`, to: `p${i % 20}` });
  for (let i = 0; i < 500; i++)
    for (let k = 0; k < 5; k++) edges.push({ from: `v${i}`, to: `y${Math.floor(rng.next() * SYSTEMS)}` });
  const [g, buildMs] = time(() => buildGraph(nodes, edges));
  const [result, ms] = time(() => cascade(g, ['p0', 'y10', 'y100']));
  return [
    {
      name: `dependency graph build, ${SYSTEMS.toLocaleString()} systems / ${edges.length.toLocaleString()} dependencies`,
      value: buildMs,
      unit: 'ms',
    },
    {
      name: 'cascade analysis over that graph (3 failed nodes)',
      value: ms,
      unit: 'ms',
      target: '< 1000 ms',
      note: `${result.services?.length ?? 0} services impacted`,
    },
  ];
}

function oscal(): BenchResult[] {
  const catalogFile = `${shared}oscal/NIST_SP-800-53_rev5_catalog.json`;
  const profileFile = `${shared}oscal/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json`;
  if (!existsSync(catalogFile) || !existsSync(profileFile))
    return [{ name: 'OSCAL (skipped: ../shared/data/oscal absent)', value: 0, unit: '' }];
  const text = readFileSync(catalogFile, 'utf8');
  const [catalog, parseMs] = time(() => parseCatalog(text));
  const profile = parseProfile(readFileSync(profileFile, 'utf8'));
  const [, resolveMs] = time(() => resolveProfile(profile, () => catalog));
  return [
    { name: 'parse SP 800-53 rev5 OSCAL catalog (in memory)', value: parseMs, unit: 'ms' },
    { name: 'resolve the MODERATE profile (in memory)', value: resolveMs, unit: 'ms', target: '< 1000 ms' },
  ];
}

export async function run(): Promise<BenchResult[]> {
  return [fair(), ...graph(), ...oscal()];
}
