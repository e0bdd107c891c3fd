import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  cascade,
  detectCycles,
  type GraphEdge,
  GraphError,
  type GraphNode,
  servicesMissingData,
  singlePointsOfFailure,
} from './index.js';

const nodes: GraphNode[] = [
  { id: 'power', kind: 'provider' },
  { id: 'isp-a', kind: 'provider' },
  { id: 'isp-b', kind: 'provider' },
  { id: 'dc', kind: 'system', bufferHours: 4 },
  { id: 'core-net', kind: 'system' },
  { id: 'idp', kind: 'system' },
  { id: 'cad', kind: 'system' },
  { id: 'scada', kind: 'system' },
  { id: '911', kind: 'service', population: 300_000, criticalityTier: 1, rtoHours: 1, owner: 'police' },
  { id: 'water', kind: 'service', population: 250_000, criticalityTier: 1, rtoHours: 12, owner: 'utilities' },
  { id: 'permits', kind: 'service', population: 20_000, criticalityTier: 3 },
];

const edges: GraphEdge[] = [
  { from: 'dc', to: 'power', type: 'powered-by' },
  { from: 'core-net', to: 'isp-a', type: 'network', redundancyGroup: 'uplink' },
  { from: 'core-net', to: 'isp-b', type: 'network', redundancyGroup: 'uplink' },
  { from: 'core-net', to: 'dc', type: 'runs-on' },
  { from: 'idp', to: 'core-net', type: 'network' },
  { from: 'cad', to: 'idp', type: 'authenticates-with' },
  { from: 'cad', to: 'core-net', type: 'network' },
  { from: 'scada', to: 'power', type: 'powered-by' },
  { from: '911', to: 'cad', type: 'runs-on' },
  { from: 'water', to: 'scada', type: 'runs-on' },
  { from: 'permits', to: 'idp', type: 'authenticates-with' },
  { from: 'permits', to: 'idp', type: 'authenticates-with' },
];

describe('buildGraph', () => {
  it('builds CSR adjacency and merges duplicate edges', () => {
    const g = buildGraph(nodes, edges);
    expect(g.nodes.length).toBe(11);
    expect(g.edgeCount).toBe(11);
    expect(g.groupSize[0]).toBe(2);
  });
  it('reports dependencies on deleted or unknown nodes precisely', () => {
    let err: unknown;
    try {
      buildGraph(nodes.slice(1), [...edges, { from: 'cad', to: 'ghost' }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GraphError);
    const issues = (err as GraphError).issues;
    expect(issues).toContainEqual({
      field: 'edges[0].to',
      message: 'unknown node "power" (deleted or never added)',
    });
    expect(issues).toContainEqual({
      field: 'edges[12].to',
      message: 'unknown node "ghost" (deleted or never added)',
    });
  });
  it('rejects bad nodes', () => {
    expect(() => buildGraph([{ id: 'a', kind: 'server' as never }], [])).toThrow('nodes[0].kind');
    expect(() =>
      buildGraph(
        [
          { id: 'a', kind: 'system' },
          { id: 'a', kind: 'system' },
        ],
        [],
      ),
    ).toThrow('nodes[1].id: duplicate node id "a"');
    expect(() => buildGraph([{ id: 's', kind: 'service', rtoHours: -1 }], [])).toThrow('nodes[0].rtoHours');
  });
});

describe('cascade', () => {
  const g = buildGraph(nodes, edges);
  it('propagates through required dependencies with paths, depth and time to impact', () => {
    const r = cascade(g, ['power']);
    const ids = r.impacted.map((x) => x.id).sort();
    expect(ids).toEqual(['911', 'cad', 'core-net', 'dc', 'idp', 'permits', 'power', 'scada', 'water'].sort());
    const cad = r.impacted.find((x) => x.id === 'cad')!;
    expect(cad.path).toEqual(['power', 'dc', 'core-net', 'cad']);
    expect(cad.depth).toBe(3);
    expect(cad.cause).toEqual({ via: 'core-net', edgeType: 'network' });
    // The data centre's UPS buys 4 hours; SCADA has none.
    expect(cad.timeToImpactHours).toBe(4);
    expect(r.impacted.find((x) => x.id === 'water')!.timeToImpactHours).toBe(0);
    // Most urgent first: 911 breaches its 1 h RTO at 5 h, water its 12 h RTO at 12 h, permits has no RTO.
    expect(r.services.map((s) => [s.id, s.rtoBreachHours])).toEqual([
      ['911', 5],
      ['water', 12],
      ['permits', null],
    ]);
    expect(r.populationAffected).toBe(570_000);
    expect(r.largestPopulation).toBe(300_000);
    expect(r.counts).toEqual({ service: 3, system: 5, provider: 1 });
  });
  it('honours redundancy: one ISP down does not cascade, both do', () => {
    expect(cascade(g, ['isp-a']).impacted.map((x) => x.id)).toEqual(['isp-a']);
    const both = cascade(g, ['isp-a', 'isp-b']);
    const net = both.impacted.find((x) => x.id === 'core-net')!;
    expect(net.cause?.redundancyGroup).toBe('uplink');
    expect(net.cause?.groupMembers).toEqual(['isp-a', 'isp-b']);
    expect(both.services.map((s) => s.id).sort()).toEqual(['911', 'permits']);
  });
  it('handles cycles with least-fixpoint semantics', () => {
    const cyc = buildGraph(
      [
        { id: 'a', kind: 'system' },
        { id: 'b', kind: 'system' },
        { id: 'c', kind: 'system' },
        { id: 'ext', kind: 'provider' },
        { id: 'svc', kind: 'service' },
      ],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
        { from: 'b', to: 'c', redundancyGroup: 'g' },
        { from: 'b', to: 'ext', redundancyGroup: 'g' },
        { from: 'svc', to: 'a' },
        { from: 'c', to: 'c' },
      ],
    );
    // c alone: b keeps ext, so the cycle a ⇄ b survives.
    expect(cascade(cyc, ['c']).impacted.map((x) => x.id)).toEqual(['c']);
    const r = cascade(cyc, ['c', 'ext']);
    expect(r.impacted.map((x) => x.id).sort()).toEqual(['a', 'b', 'c', 'ext', 'svc']);
    expect(
      cascade(cyc, ['a'])
        .impacted.map((x) => x.id)
        .sort(),
    ).toEqual(['a', 'b', 'svc']);
    const report = detectCycles(cyc);
    expect(report.components.map((c) => c.sort())).toContainEqual(['a', 'b']);
    expect(report.cycles).toContainEqual(['c', 'c']);
    expect(report.cycles.find((c) => c.length === 3)).toEqual(['a', 'b', 'a']);
  });
  it('rejects unknown or deleted ids precisely', () => {
    expect(() => cascade(g, ['power', 'old-server'])).toThrow(
      'failedNodeIds[1]: unknown node "old-server" (deleted or never added)',
    );
  });
  it('can skip paths', () => {
    expect(cascade(g, ['power'], { includePaths: false }).impacted.every((x) => x.path.length === 0)).toBe(
      true,
    );
  });
});

describe('singlePointsOfFailure', () => {
  const g = buildGraph(nodes, edges);
  it('ranks by weighted services stopped; redundant members are not SPOFs', () => {
    const s = singlePointsOfFailure(g);
    expect(s[0].id).toBe('power');
    expect(s[0].servicesStopped.sort()).toEqual(['911', 'permits', 'water']);
    expect(s[0].population).toBe(570_000);
    expect(s.find((x) => x.id === 'isp-a')).toBeUndefined();
    const cad = s.find((x) => x.id === 'cad')!;
    expect(cad.servicesStopped).toEqual(['911']);
    expect(cad.score).toBe(300_000 * 8);
    expect(cad.nodesStopped).toBe(2);
  });
  it('matches brute-force cascades on random graphs (chain shortcut included)', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    for (let t = 0; t < 30; t++) {
      const n = 12 + Math.floor(rand() * 20);
      const ns: GraphNode[] = Array.from({ length: n }, (_, i) =>
        i < 4 ? { id: `s${i}`, kind: 'service', population: 10 * (i + 1) } : { id: `n${i}`, kind: 'system' },
      );
      const es: GraphEdge[] = [];
      for (let k = 0; k < n * 1.3; k++) {
        const a = Math.floor(rand() * n);
        const b = 4 + Math.floor(rand() * (n - 4));
        es.push(
          rand() < 0.3
            ? { from: ns[a].id, to: ns[b].id, redundancyGroup: `g${a % 2}` }
            : { from: ns[a].id, to: ns[b].id },
        );
      }
      const gr = buildGraph(ns, es);
      const weight = () => 1;
      const got = new Map(singlePointsOfFailure(gr, { weight }).map((e) => [e.id, e]));
      for (const node of ns) {
        if (node.kind === 'service') continue;
        const expected = cascade(gr, [node.id], { includePaths: false });
        const svc = expected.services.map((x) => x.id).sort();
        const entry = got.get(node.id);
        expect(entry?.servicesStopped.slice().sort() ?? [], `graph ${t} node ${node.id}`).toEqual(svc);
        if (entry) expect(entry.nodesStopped, `graph ${t} node ${node.id}`).toBe(expected.impacted.length);
      }
    }
  });
  it('accepts explicit candidates and a limit', () => {
    const s = singlePointsOfFailure(g, { candidates: ['cad', 'scada'], limit: 1 });
    expect(s.map((x) => x.id)).toEqual(['cad']);
    expect(() => singlePointsOfFailure(g, { candidates: ['nope'] })).toThrow('candidates[0]');
  });
});

describe('servicesMissingData', () => {
  it('lists services without owner, RTO or dependency', () => {
    const services = nodes.filter((x) => x.kind === 'service');
    const extra = { id: 'parks', owner: ' ', rtoHours: 48 };
    expect(servicesMissingData([...services, extra], edges)).toEqual([
      { id: 'permits', missing: ['owner', 'rto'] },
      { id: 'parks', missing: ['owner', 'dependency'] },
    ]);
  });
});
