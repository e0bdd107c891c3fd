import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  createEpssParser,
  csafProductStatus,
  csafVulnerabilities,
  diffKev,
  FeedParseError,
  flattenProductTree,
  matchCsafProduct,
  parseEpssCsv,
  parseEpssCsvLine,
  parseEpssHeader,
  parseKevCatalog,
  parseVersionRange,
  versionInRange,
} from './feeds.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const shared = (p: string) => fileURLToPath(new URL(`../../../../shared/data/${p}`, import.meta.url));

describe('KEV', () => {
  it('parses a catalog and reports bad entries precisely, keeping the rest', () => {
    const r = parseKevCatalog(fixture('kev-new.json'));
    expect(r.catalog.catalogVersion).toBe('2099.02.01');
    expect(r.catalog.vulnerabilities.map((v) => v.cveID)).toEqual(['CVE-2099-0001', 'CVE-2099-0002']);
    expect(r.catalog.vulnerabilities[0].cwes).toEqual(['CWE-787']);
    expect(r.errors).toEqual([
      { location: 'vulnerabilities[3].cveID', message: 'cveID "CVE-99-1" is not CVE-YYYY-NNNN' },
      {
        location: 'vulnerabilities[4] (CVE-2099-0009).dueDate',
        message: 'dueDate "2099-02-30" is not a YYYY-MM-DD date',
      },
    ]);
    expect(r.warnings.map((w) => w.location)).toEqual(['vulnerabilities[2] (CVE-2099-0002).cveID']);
  });

  it('throws on input that is not a catalog', () => {
    expect(() => parseKevCatalog('{"catalogVersion":"1","dateReleased":"x","vulner')).toThrow(/truncated/);
    expect(() => parseKevCatalog('')).toThrow(/empty/);
    expect(() => parseKevCatalog('<html>')).toThrow(/not JSON/);
    expect(() => parseKevCatalog([])).toThrow(FeedParseError);
    expect(() => parseKevCatalog({ catalogVersion: '1', dateReleased: 'x' })).toThrow(
      /"vulnerabilities" is missing/,
    );
    expect(() => parseKevCatalog({ dateReleased: 'x', vulnerabilities: [] })).toThrow(/"catalogVersion"/);
  });

  it('warns on a count mismatch', () => {
    const r = parseKevCatalog({ catalogVersion: '1', dateReleased: 'x', count: 3, vulnerabilities: [] });
    expect(r.warnings[0].message).toMatch(/count says 3 but the catalog lists 0/);
  });

  it('diffs two releases', () => {
    const before = parseKevCatalog(fixture('kev-old.json')).catalog;
    const after = parseKevCatalog(fixture('kev-new.json')).catalog;
    const d = diffKev(before, after);
    expect(d.fromVersion).toBe('2099.01.01');
    expect(d.added.map((v) => v.cveID)).toEqual(['CVE-2099-0002']);
    expect(d.removed.map((v) => v.cveID)).toEqual(['CVE-2099-0005']);
    expect(d.changed).toEqual([
      {
        cveID: 'CVE-2099-0001',
        changes: [
          { field: 'knownRansomwareCampaignUse', old: 'Unknown', new: 'Known' },
          { field: 'cwes', old: [], new: ['CWE-787'] },
        ],
      },
    ]);
    expect(diffKev(null, before).added).toHaveLength(2);
  });

  const kevFile = shared('kev/known_exploited_vulnerabilities.json');
  const kevOld = shared('kev/history/known_exploited_vulnerabilities_2023.04.10.json');
  it.skipIf(!existsSync(kevFile) || !existsSync(kevOld))('reads the shared catalogs and diffs them', () => {
    const now = parseKevCatalog(readFileSync(kevFile, 'utf8'));
    expect(now.errors).toEqual([]);
    expect(now.catalog.vulnerabilities).toHaveLength(1404);
    const then = parseKevCatalog(readFileSync(kevOld, 'utf8'));
    expect(then.catalog.vulnerabilities).toHaveLength(913);
    const d = diffKev(then.catalog, now.catalog);
    expect(d.added.length).toBeGreaterThan(400);
    expect(913 + d.added.length - d.removed.length).toBe(1404);
  });
});

describe('EPSS', () => {
  it('parses the model header and lines', () => {
    expect(parseEpssHeader('#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000')).toEqual({
      comment: 'model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000',
      modelVersion: 'v2023.03.01',
      scoreDate: '2024-01-01T00:00:00+0000',
    });
    expect(parseEpssCsvLine('cve,epss,percentile')).toEqual({ kind: 'header' });
    expect(parseEpssCsvLine('')).toEqual({ kind: 'blank' });
    expect(parseEpssCsvLine('CVE-1999-0001,0.03351,0.87650\r')).toEqual({
      kind: 'score',
      score: { cve: 'CVE-1999-0001', epss: 0.03351, percentile: 0.8765 },
    });
    expect(parseEpssCsvLine('CVE-2020-0001,1.2e-4,0.1')).toMatchObject({ score: { epss: 0.00012 } });
  });

  it('rejects bad lines with their line number', () => {
    expect(() => parseEpssCsvLine('CVE-1999-0001,0.5', 7)).toThrow(/3 columns.*line 7/);
    expect(() => parseEpssCsvLine('CVE-X,0.5,0.5')).toThrow(/not a CVE id/);
    expect(() => parseEpssCsvLine('CVE-1999-0001,1.5,0.5')).toThrow(/epss "1.5"/);
    expect(() => parseEpssCsvLine('CVE-1999-0001,abc,0.5')).toThrow(/not a number/);
  });

  it('streams with a stateful parser', () => {
    const r = parseEpssCsv(
      '#model_version:v2025.03.14,score_date:2025-08-25\ncve,epss,percentile\nCVE-2021-44228,0.94,0.99\nbad\n',
    );
    expect(r.meta?.modelVersion).toBe('v2025.03.14');
    expect(r.scores).toHaveLength(1);
    expect(r.errors).toEqual([{ location: 'line 4', message: expect.stringMatching(/3 columns/) }]);
    const p = createEpssParser();
    expect(p.push('#comment only')).toBeNull();
    expect(p.state.meta?.comment).toBe('comment only');
  });

  const epss = shared('epss/epss_scores.csv.gz');
  it.skipIf(!existsSync(epss))('reads the shared EPSS file', () => {
    const r = parseEpssCsv(gunzipSync(readFileSync(epss)).toString('utf8'));
    expect(r.errors).toEqual([]);
    expect(r.scores.length).toBe(360_142);
    expect(r.meta?.comment).toMatch(/reconstructed/);
  });
});

describe('CSAF', () => {
  const doc = JSON.parse(fixture('csaf-sample.json'));

  it('flattens branches, full product names and relationships', () => {
    const { products, errors } = flattenProductTree(doc);
    expect(errors).toEqual([]);
    expect(products.map((p) => p.productId)).toEqual([
      'CSAFPID-0001',
      'CSAFPID-0002',
      'CSAFPID-0003',
      'CSAFPID-0004',
      'CSAFPID-0005',
    ]);
    expect(products[0]).toMatchObject({
      vendor: 'Example Automation AG',
      productName: 'ExamplePLC 1500',
      productVersionRange: '>= V2.3.0 < V2.3.4',
      models: ['6EX7 515-2AM01'],
      source: 'branch',
    });
    expect(products[1].productVersion).toBe('V3.0');
    expect(products[3]).toMatchObject({
      source: 'full_product_name',
      helper: { cpe: 'cpe:2.3:h:example:gateway:4.2:*:*:*:*:*:*:*' },
    });
    expect(products[4]).toMatchObject({
      source: 'relationship',
      productName: 'Example HMI',
      platform: 'ExamplePLC 1500 V3.0',
      relationship: { category: 'installed_on', productReference: 'CSAFPID-0003' },
    });
  });

  it('reports a broken tree and keeps what it can', () => {
    const broken = {
      product_tree: {
        branches: [
          { category: 'vendor', name: 'V', branches: [{ category: 'product_name', name: 'P' }] },
          { category: 'nonsense', name: 'X', branches: [] },
          { category: 'vendor', branches: [] },
          {
            category: 'vendor',
            name: 'W',
            branches: [
              { category: 'product_version', name: '1', product: { product_id: 'A', name: 'W 1' } },
              { category: 'product_version', name: '2', product: { product_id: 'A', name: 'W 2' } },
              { category: 'product_version', name: '3', product: { name: 'no id' } },
            ],
          },
        ],
        relationships: [
          {
            category: 'installed_on',
            product_reference: 'A',
            relates_to_product_reference: 'MISSING',
            full_product_name: { product_id: 'R', name: 'r' },
          },
        ],
      },
    };
    const { products, errors } = flattenProductTree(broken);
    expect(products.map((p) => p.productId)).toEqual(['A', 'R']);
    expect(errors.map((e) => e.path)).toEqual([
      'product_tree.branches[0].branches[0]',
      'product_tree.branches[1].category',
      'product_tree.branches[2].name',
      'product_tree.branches[3].branches[1].product',
      'product_tree.branches[3].branches[2].product.product_id',
      'product_tree.relationships[0].relates_to_product_reference',
    ]);
    expect(errors[0].message).toBe('branch has neither branches nor product');
    expect(errors[3].message).toBe('duplicate product_id "A"');
    expect(() => flattenProductTree('nope')).toThrow(/JSON object/);
    expect(flattenProductTree({}).errors[0].message).toBe('no product_tree');
  });

  it('reads vulnerabilities with status, VEX flags and remediations', () => {
    const { vulnerabilities, errors } = csafVulnerabilities(doc);
    expect(errors).toEqual([]);
    const v = vulnerabilities[0];
    expect(v).toMatchObject({
      cve: 'CVE-2099-1000',
      cwe: { id: 'CWE-287' },
      summary: 'Authentication can be bypassed.',
      cvssVectors: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    });
    expect(v.remediations[0].productIds).toEqual(['CSAFPID-0001', 'CSAFPID-0003']);
    expect(csafProductStatus(v, 'CSAFPID-0001')).toMatchObject({
      status: 'affected',
      statuses: ['known_affected'],
    });
    expect(csafProductStatus(v, 'CSAFPID-0001').remediations.map((r) => r.category)).toEqual([
      'vendor_fix',
      'mitigation',
    ]);
    expect(csafProductStatus(v, 'CSAFPID-0002').status).toBe('fixed');
    expect(csafProductStatus(v, 'CSAFPID-0004')).toMatchObject({
      status: 'not_affected',
      justification: 'vulnerable_code_not_present',
    });
    expect(csafProductStatus(v, 'nope').status).toBe('unknown');
  });

  it('parses version ranges in vers: and CISA free text', () => {
    const inR = (v: string, r: string) => versionInRange(v, parseVersionRange(r)!);
    expect(inR('2.3.2', '>= V2.3.0 < V2.3.4')).toBe(true);
    expect(inR('2.3.4', '>= V2.3.0 < V2.3.4')).toBe(false);
    expect(inR('1.0', 'vers:all/*')).toBe(true);
    expect(inR('1.0', 'vers:generic/<V1.1')).toBe(true);
    expect(inR('1.5', 'vers:generic/>=1.0|<2.0|>=3.0|<4.0')).toBe(true);
    expect(inR('2.5', 'vers:generic/>=1.0|<2.0|>=3.0|<4.0')).toBe(false);
    expect(inR('15.1 Update 7', 'All versions < V15.1 Update 8')).toBe(true);
    expect(inR('9.3.7', '>= 9.3.0 -  but not including 9.3.8')).toBe(true);
    expect(inR('9.3.8', '>= 9.3.0 -  but not including 9.3.8')).toBe(false);
    expect(inR('6.4.0.0', '<= 6.4.0.0 (CVE-2022-37434 only)')).toBe(true);
    expect(inR('2.6.2', '2.6.2')).toBe(true);
    expect(inR('5.0', '4.2 and earlier')).toBe(false);
    expect(inR('R2', '< 10.1')).toBeNull();
    expect(parseVersionRange('unknown')).toBeNull();
  });

  it('matches products to systems with a stated confidence', () => {
    const { products } = flattenProductTree(doc);
    const [plcRange, plcV3, hmi, gateway] = products;
    const vendor = 'Example Automation';
    expect(matchCsafProduct(plcRange, { vendor, model: '6EX7515-2AM01', version: 'V2.3.1' })).toMatchObject({
      matched: true,
      confidence: 'exact',
    });
    expect(matchCsafProduct(plcRange, { vendor, model: '6EX7 999', version: '2.3.1' }).matched).toBe(false);
    expect(
      matchCsafProduct(plcRange, {
        vendor: 'Example Automation AG',
        product: 'ExamplePLC 1500',
        version: '2.3.1',
      }),
    ).toMatchObject({
      matched: true,
      confidence: 'vendor-product-version',
    });
    expect(matchCsafProduct(plcRange, { vendor, product: 'ExamplePLC 1500', version: '2.3.5' }).matched).toBe(
      false,
    );
    expect(matchCsafProduct(plcRange, { vendor, product: 'ExamplePLC 1500' }).confidence).toBe(
      'vendor-product',
    );
    expect(matchCsafProduct(plcV3, { vendor, product: 'examplePLC-1500', version: '3.0.0' }).confidence).toBe(
      'vendor-product-version',
    );
    expect(matchCsafProduct(hmi, { vendor, product: 'HMI', version: '9' })).toMatchObject({
      matched: true,
      confidence: 'vendor-product-version',
    });
    expect(matchCsafProduct(hmi, { vendor: 'Other', product: 'Example HMI' }).matched).toBe(false);
    expect(matchCsafProduct(gateway, { cpe: 'cpe:2.3:h:example:gateway:4.2:*:*:*:*:*:*:*' }).confidence).toBe(
      'exact',
    );
    expect(matchCsafProduct(gateway, { cpe: 'cpe:2.3:h:example:gateway:4.3:*:*:*:*:*:*:*' }).matched).toBe(
      false,
    );
    expect(matchCsafProduct(plcRange, { vendor, product: 'ExamplePLC 1500', version: 'R2' }).confidence).toBe(
      'vendor-product',
    );
  });

  const csafDir = shared('csaf/ot-2023/');
  it.skipIf(!existsSync(csafDir))('reads every shared CISA ICS advisory', () => {
    let products = 0;
    let vulns = 0;
    let unparsedRanges = 0;
    let ranges = 0;
    for (const f of readdirSync(csafDir).filter((x) => x.endsWith('.json'))) {
      const d = JSON.parse(readFileSync(csafDir + f, 'utf8'));
      const t = flattenProductTree(d);
      expect(t.errors, f).toEqual([]);
      products += t.products.length;
      for (const p of t.products) {
        if (!p.productVersionRange) continue;
        ranges++;
        if (!parseVersionRange(p.productVersionRange)) unparsedRanges++;
      }
      const v = csafVulnerabilities(d);
      vulns += v.vulnerabilities.length;
    }
    expect(products).toBeGreaterThan(3000);
    expect(vulns).toBeGreaterThan(1000);
    // Free-text ranges vary; most must still be understood.
    expect(unparsedRanges / ranges).toBeLessThan(0.1);
  });
});
