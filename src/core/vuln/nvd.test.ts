import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileConfigurations,
  compileSystem,
  cpeKeysOfCve,
  cveSummary,
  evaluateConfigurations,
  extractCvssMetrics,
  looseKeysOfCve,
  type NvdApiResponse,
  type NvdConfiguration,
  systemCandidateKeys,
  vendorProductOnly,
} from './nvd.js';

const sample = JSON.parse(
  readFileSync(new URL('./fixtures/nvd-sample.json', import.meta.url), 'utf8'),
) as NvdApiResponse;
const cve = (id: string) => {
  const v = sample.vulnerabilities.find((x) => x.cve.id === id);
  if (!v) throw new Error(id);
  return v.cve;
};
const fs = (vendor: string, product: string, version = '*', targetHw = '*', update = '*') =>
  `cpe:2.3:a:${vendor}:${product}:${version}:${update}:*:*:*:*:${targetHw}:*`;
const one = (
  criteria: string,
  extra: Record<string, unknown> = {},
  vulnerable = true,
): NvdConfiguration[] => [
  { nodes: [{ operator: 'OR', negate: false, cpeMatch: [{ vulnerable, criteria, ...extra }] }] },
];

describe('cveSummary and extractCvssMetrics', () => {
  it('summarises a record', () => {
    const s = cveSummary(cve('CVE-2099-0001'));
    expect(s).toMatchObject({
      id: 'CVE-2099-0001',
      published: '2099-01-02T10:00:00.000',
      lastModified: '2099-01-03T10:00:00.000',
      vulnStatus: 'Analyzed',
      description: 'Buffer overflow in Example HTTPd before 2.4.50.',
      cwes: ['CWE-787'],
      rejected: false,
    });
    expect(s.references).toEqual([
      { url: 'https://example.org/advisory/1', source: 'cve@example.org', tags: ['Vendor Advisory'] },
    ]);
    expect(cveSummary(cve('CVE-2099-0003')).rejected).toBe(true);
    expect(
      cveSummary({ ...cve('CVE-2099-0004'), descriptions: [{ lang: 'en', value: '** REJECT ** dup' }] })
        .rejected,
    ).toBe(true);
  });

  it('extracts CVSS metrics and prefers the newest primary', () => {
    const m = extractCvssMetrics(cve('CVE-2099-0001'));
    expect(m.metrics.map((x) => x.version)).toEqual(['3.1', '2.0']);
    expect(m.preferred).toMatchObject({
      version: '3.1',
      baseScore: 9.8,
      baseSeverity: 'CRITICAL',
      exploitabilityScore: 3.9,
    });
    expect(m.metrics[1].baseSeverity).toBe('HIGH');
    expect(extractCvssMetrics(cve('CVE-2099-0002')).preferred).toBeNull();
  });
});

describe('evaluateConfigurations: version ranges', () => {
  const cfg = cve('CVE-2099-0001').configurations;

  it('matches inside the range, with a full trace', () => {
    const m = evaluateConfigurations(cfg, { cpe: fs('example', 'httpd', '2.4.49') });
    expect(m?.confidence).toBe('exact');
    expect(m?.configurationIndex).toBe(0);
    expect(m?.witness).toMatchObject({
      configuration: 0,
      node: 0,
      cpeMatch: 0,
      criteria: 'cpe:2.3:a:example:httpd:*:*:*:*:*:*:*:*',
      matchCriteriaId: '11111111-1111-1111-1111-111111111111',
      role: 'system',
      result: 'exact',
      matchedCpe: fs('example', 'httpd', '2.4.49'),
    });
    expect(m?.witness.versionBounds).toEqual([
      {
        bound: 'versionStartIncluding',
        value: '2.4.0',
        version: '2.4.49',
        comparison: 1,
        satisfied: true,
        reason: 'part 3: 49 > 0',
      },
      {
        bound: 'versionEndExcluding',
        value: '2.4.50',
        version: '2.4.49',
        comparison: -1,
        satisfied: true,
        reason: 'part 3: 49 < 50',
      },
    ]);
    expect(m?.trace.nodes).toEqual([{ node: 0, operator: 'OR', negate: false, result: 'exact' }]);
  });

  it('honours inclusive and exclusive bounds', () => {
    expect(evaluateConfigurations(cfg, { cpe: fs('example', 'httpd', '2.4.0') })?.confidence).toBe('exact');
    expect(evaluateConfigurations(cfg, { cpe: fs('example', 'httpd', '2.4.50') })).toBeNull();
    expect(evaluateConfigurations(cfg, { cpe: fs('example', 'httpd', '2.3.9') })).toBeNull();
    // Lexically "2.4.100" < "2.4.50"; by parts it is above the range.
    expect(evaluateConfigurations(cfg, { cpe: fs('example', 'httpd', '2.4.100') })).toBeNull();
    expect(evaluateConfigurations(cfg, { cpe: fs('example', 'httpd', '2.4.50-rc1') })?.confidence).toBe(
      'exact',
    );
  });

  it('matches an exact version criterion (range bounds do not apply there)', () => {
    const m = evaluateConfigurations(cfg, { cpe: fs('example', 'httpd', '2.2.34') });
    expect(m?.witness.cpeMatch).toBe(1);
    expect(m?.witness.versionBounds).toEqual([]);
  });

  it('an unknown system version gives vendor-product confidence, an uncomparable one too', () => {
    const m = evaluateConfigurations(cfg, { cpe: fs('example', 'httpd') });
    expect(m?.confidence).toBe('vendor-product');
    expect(m?.witness.assumptions.join()).toMatch(/version of system is unknown/);
    const odd = evaluateConfigurations(cfg, { cpe: fs('example', 'httpd', 'R2') });
    expect(odd?.confidence).toBe('vendor-product');
    expect(odd?.witness.versionBounds[0]).toMatchObject({ comparison: null, satisfied: null });
    expect(odd?.witness.versionBounds[0].reason).toMatch(/different schemes/);
  });

  it('ANY in the system attributes does not hide a match; extra system detail does not either', () => {
    expect(evaluateConfigurations(cfg, { cpe: fs('example', 'httpd', '2.4.49', 'x64') })?.confidence).toBe(
      'exact',
    );
    expect(
      evaluateConfigurations(cfg, { cpe: 'cpe:2.3:a:example:httpd:2.4.49:-:*:*:*:linux:*:*' })?.confidence,
    ).toBe('exact');
  });

  it('does not match other products or bad system CPEs', () => {
    expect(evaluateConfigurations(cfg, { cpe: fs('example', 'httpd2', '2.4.49') })).toBeNull();
    expect(evaluateConfigurations(cfg, { cpe: 'cpe:2.3:o:example:httpd:2.4.49:*:*:*:*:*:*:*' })).toBeNull();
    expect(evaluateConfigurations(cfg, { cpe: 'not a cpe' })).toBeNull();
    expect(compileSystem({ cpe: 'cpe:2.3:a:x' }).errors[0]).toMatch(/too few fields/);
  });
});

describe('evaluateConfigurations: running-on platforms', () => {
  const cfg = cve('CVE-2099-0002').configurations;
  const viewer = fs('example', 'viewer', '3.0');
  const windows = 'cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*';

  it('is exact when the platform is declared', () => {
    const m = evaluateConfigurations(cfg, { cpe: viewer, platforms: [windows] });
    expect(m?.confidence).toBe('exact');
    const platform = m?.trace.criteria.find((t) => t.role === 'platform');
    expect(platform).toMatchObject({ node: 1, vulnerable: false, matchedCpe: windows, result: 'exact' });
    expect(m?.witness.node).toBe(0);
  });

  it('is platform-conditional when the system has not declared that kind of platform', () => {
    const none = evaluateConfigurations(cfg, { cpe: viewer });
    expect(none?.confidence).toBe('platform-conditional');
    expect(none?.trace.criteria.find((t) => t.role === 'platform')?.notes[0]).toMatch(
      /declares no platforms/,
    );
    const hwOnly = evaluateConfigurations(cfg, {
      cpe: viewer,
      platforms: ['cpe:2.3:h:dell:optiplex:-:*:*:*:*:*:*:*'],
    });
    expect(hwOnly?.confidence).toBe('platform-conditional');
  });

  it('is no match when the declared OS is another one', () => {
    expect(
      evaluateConfigurations(cfg, {
        cpe: viewer,
        platforms: ['cpe:2.3:o:linux:linux_kernel:5.10:*:*:*:*:*:*:*'],
      }),
    ).toBeNull();
  });

  it('never makes a finding of the platform itself', () => {
    expect(evaluateConfigurations(cfg, { cpe: windows })).toBeNull();
    expect(evaluateConfigurations(cfg, { cpe: windows, platforms: [viewer] })).toBeNull();
  });

  it('still checks the vulnerable version', () => {
    expect(
      evaluateConfigurations(cfg, { cpe: fs('example', 'viewer', '3.2'), platforms: [windows] }),
    ).toBeNull();
  });

  it('older NVD data marks both parts of an AND vulnerable: the platform side may be declared', () => {
    const old: NvdConfiguration[] = [
      {
        operator: 'AND',
        nodes: [
          {
            operator: 'OR',
            cpeMatch: [
              {
                vulnerable: true,
                criteria: 'cpe:2.3:a:novell:netware_ftp_server:*:*:*:*:*:*:*:*',
                versionEndIncluding: '5.01i',
              },
            ],
          },
          {
            operator: 'OR',
            cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:o:novell:netware:5.1:sp3:*:*:*:*:*:*' }],
          },
        ],
      },
    ];
    const ftp = 'cpe:2.3:a:novell:netware_ftp_server:5.01h:*:*:*:*:*:*:*';
    const os = 'cpe:2.3:o:novell:netware:5.1:sp3:*:*:*:*:*:*';
    expect(evaluateConfigurations(old, { cpe: ftp, platforms: [os] })?.confidence).toBe('exact');
    expect(evaluateConfigurations(old, { cpe: ftp })?.confidence).toBe('platform-conditional');
    expect(
      evaluateConfigurations(old, {
        cpe: 'cpe:2.3:a:novell:netware_ftp_server:5.01o:*:*:*:*:*:*:*',
        platforms: [os],
      }),
    ).toBeNull();
    expect(
      evaluateConfigurations(old, { cpe: ftp, platforms: ['cpe:2.3:o:novell:netware:6.0:*:*:*:*:*:*:*'] }),
    ).toBeNull();
  });
});

describe('evaluateConfigurations: AND / OR / negate and attribute pitfalls', () => {
  it('negate excludes a version ("all but 2.0")', () => {
    const cfg: NvdConfiguration[] = [
      {
        operator: 'AND',
        nodes: [
          { operator: 'OR', cpeMatch: [{ vulnerable: true, criteria: fs('acme', 'tool') }] },
          {
            operator: 'OR',
            negate: true,
            cpeMatch: [{ vulnerable: true, criteria: fs('acme', 'tool', '2.0') }],
          },
        ],
      },
    ];
    expect(evaluateConfigurations(cfg, { cpe: fs('acme', 'tool', '1.0') })?.confidence).toBe('exact');
    expect(evaluateConfigurations(cfg, { cpe: fs('acme', 'tool', '2.0') })).toBeNull();
    const m = evaluateConfigurations(cfg, { cpe: fs('acme', 'tool', '1.0') });
    expect(m?.trace.nodes[1]).toEqual({ node: 1, operator: 'OR', negate: true, result: 'exact' });
    expect(m?.witness.node).toBe(0);
    // Unknown version: the negated node stays uncertain, so does the result.
    expect(evaluateConfigurations(cfg, { cpe: fs('acme', 'tool') })?.confidence).toBe('vendor-product');
  });

  it('an AND node needs all its criteria', () => {
    const cfg: NvdConfiguration[] = [
      {
        nodes: [
          {
            operator: 'AND',
            cpeMatch: [
              { vulnerable: true, criteria: fs('acme', 'suite', '*'), versionStartIncluding: '1.0' },
              { vulnerable: true, criteria: fs('acme', 'suite', '*'), versionEndExcluding: '2.0' },
            ],
          },
        ],
      },
    ];
    expect(evaluateConfigurations(cfg, { cpe: fs('acme', 'suite', '1.5') })?.confidence).toBe('exact');
    expect(evaluateConfigurations(cfg, { cpe: fs('acme', 'suite', '2.5') })).toBeNull();
  });

  it('picks the best configuration and lists the others', () => {
    const cfg: NvdConfiguration[] = [
      ...one(fs('acme', 'tool'), { versionEndExcluding: '3' }),
      ...one(fs('acme', 'tool', '1.0')),
    ];
    const m = evaluateConfigurations(cfg, { cpe: fs('acme', 'tool', '1.0') });
    expect(m?.configurationIndex).toBe(0);
    expect(m?.alsoMatched).toEqual([{ configuration: 1, confidence: 'exact' }]);
  });

  it('target_hw matters: a 32-bit-only flaw on a 64-bit system', () => {
    const cfg = cve('CVE-2099-0004').configurations;
    expect(evaluateConfigurations(cfg, { cpe: fs('example', 'agent', '5.0', 'x64') })).toBeNull();
    expect(evaluateConfigurations(cfg, { cpe: fs('example', 'agent', '5.0', 'x86') })?.confidence).toBe(
      'exact',
    );
    const unknown = evaluateConfigurations(cfg, { cpe: fs('example', 'agent', '5.0') });
    expect(unknown?.confidence).toBe('platform-conditional');
    expect(unknown?.witness.assumptions[0]).toMatch(/target_hw of system is \*; criterion needs "x86"/);
  });

  it('- (NA) versions match NA only', () => {
    const cfg = one('cpe:2.3:o:microsoft:windows_xp:-:sp2:*:*:*:*:*:*');
    expect(
      evaluateConfigurations(cfg, { cpe: 'cpe:2.3:o:microsoft:windows_xp:-:sp2:*:*:*:*:*:*' })?.confidence,
    ).toBe('exact');
    expect(
      evaluateConfigurations(cfg, { cpe: 'cpe:2.3:o:microsoft:windows_xp:5.1:sp2:*:*:*:*:*:*' }),
    ).toBeNull();
    expect(
      evaluateConfigurations(cfg, { cpe: 'cpe:2.3:o:microsoft:windows_xp:-:sp3:*:*:*:*:*:*' }),
    ).toBeNull();
    expect(
      evaluateConfigurations(cfg, { cpe: 'cpe:2.3:o:microsoft:windows_xp:-:*:*:*:*:*:*:*' })?.confidence,
    ).toBe('platform-conditional');
    // A range criterion against a system that says it has no version at all.
    expect(
      evaluateConfigurations(one(fs('a', 'b'), { versionEndExcluding: '2' }), { cpe: fs('a', 'b', '-') }),
    ).toBeNull();
  });

  it('a vendor wildcard with a product the system leaves open is no match', () => {
    const cfg = one('cpe:2.3:a:*:libxml2:*:*:*:*:*:*:*:*');
    expect(evaluateConfigurations(cfg, { cpe: 'cpe:2.3:a:xmlsoft:*:2.9:*:*:*:*:*:*:*' })).toBeNull();
    expect(
      evaluateConfigurations(cfg, { cpe: 'cpe:2.3:a:xmlsoft:libxml2:2.9:*:*:*:*:*:*:*' })?.confidence,
    ).toBe('exact');
  });

  it('equal versions spelled differently still match an exact criterion', () => {
    const m = evaluateConfigurations(one(fs('acme', 'tool', '2.0')), { cpe: fs('acme', 'tool', '2.0.0') });
    expect(m?.confidence).toBe('exact');
    expect(m?.witness.notes[0]).toMatch(/by version comparison/);
    expect(
      evaluateConfigurations(one(fs('acme', 'tool', '2.0')), { cpe: fs('acme', 'tool', '2.1') }),
    ).toBeNull();
  });

  it('vulnerable:false criteria alone are never a finding', () => {
    expect(
      evaluateConfigurations(one(fs('acme', 'tool'), {}, false), { cpe: fs('acme', 'tool', '1') }),
    ).toBeNull();
  });
});

describe('vendor/product-only matching', () => {
  const cfg = cve('CVE-2099-0001').configurations;
  it('matches normalised text with vendor-product confidence and checks the version', () => {
    const m = vendorProductOnly(cfg, { vendor: 'Example, Inc.', product: 'HTTPd', version: '2.4.49' });
    expect(m?.confidence).toBe('vendor-product');
    expect(m?.witness.notes.join()).toMatch(/vendor\/product text/);
    expect(
      vendorProductOnly(cfg, { vendor: 'Example', product: 'Example HTTPd', version: '2.4.50' }),
    ).toBeNull();
    expect(vendorProductOnly(cfg, { vendor: 'Example', product: 'httpd' })?.confidence).toBe(
      'vendor-product',
    );
    expect(vendorProductOnly(cfg, { vendor: 'Other', product: 'httpd', version: '2.4.49' })).toBeNull();
    expect(
      evaluateConfigurations(cfg, { vendor: 'example', product: 'httpd', version: '2.2.34' })?.witness
        .cpeMatch,
    ).toBe(1);
  });
});

describe('index helpers', () => {
  it('gives vendor:product keys of vulnerable criteria and the keys a system looks up', () => {
    expect(cpeKeysOfCve(cve('CVE-2099-0002'))).toEqual(['example:viewer']);
    expect(cpeKeysOfCve(compileConfigurations(cve('CVE-2099-0001').configurations))).toEqual([
      'example:httpd',
    ]);
    expect(cpeKeysOfCve({ configurations: one('cpe:2.3:a:*:libxml2:*:*:*:*:*:*:*:*') })).toEqual([
      '*:libxml2',
    ]);
    expect(systemCandidateKeys({ cpe: fs('example', 'httpd', '1') })).toEqual([
      'example:httpd',
      'example:*',
      '*:httpd',
      '*:*',
    ]);
    expect(looseKeysOfCve(cve('CVE-2099-0001'))).toEqual(['example:httpd']);
    expect(systemCandidateKeys({ vendor: 'Example Inc', product: 'HTTP-d' })).toEqual(['example:httpd']);
  });

  it('reports criteria that do not parse and keeps the rest', () => {
    const c = compileConfigurations([
      {
        nodes: [
          {
            operator: 'OR',
            cpeMatch: [
              { vulnerable: true, criteria: 'cpe:2.3:a:bad:pro*duct:*:*:*:*:*:*:*:*' },
              { vulnerable: true, criteria: fs('good', 'product') },
            ],
          },
        ],
      },
    ]);
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0]).toMatch(/configuration 0 node 0 cpeMatch 0: .*product/);
    expect(evaluateConfigurations(c, { cpe: fs('good', 'product', '1') })?.confidence).toBe('exact');
  });
});
