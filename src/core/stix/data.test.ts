import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parsePattern } from './patterns/parser.js';
import { validateBundle, validateObject } from './validate.js';

// Shared data lives next to the project (../shared/data from the project root) and may be absent.
const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const OASIS = join(DATA, 'stix/oasis-examples');
const ICS = join(DATA, 'attack/ics-attack-18.1.json');
const ENTERPRISE = join(DATA, 'attack/enterprise-attack-18.1.json.gz');

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

const oasisFiles = jsonFiles(OASIS);

describe('OASIS example content', () => {
  it.skipIf(oasisFiles.length === 0).each(oasisFiles.map((f) => [f.slice(OASIS.length + 1), f]))(
    '%s is valid STIX 2.1',
    (_name, file) => {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      const result = json.type === 'bundle' ? validateBundle(json) : validateObject(json);
      expect(result.errors).toEqual([]);
    },
  );

  it.skipIf(oasisFiles.length === 0)(
    'reports only the genuine problems of the infrastructure example as warnings',
    () => {
      const json = JSON.parse(readFileSync(join(OASIS, 'infrastructure.json'), 'utf8'));
      const rules = validateBundle(json).warnings.map((w) => `${w.objectId} ${w.rule}`);
      // Its SCOs carry random instead of deterministic ids, and one relationship id has upper-case hex digits.
      expect(rules.sort()).toEqual([
        'domain-name--ecb120bf-2694-4902-a737-62b74539a41b sco-id-not-deterministic',
        'ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956 sco-id-not-deterministic',
        'relationship--81f12913-1372-4c96-85ec-E9034ac98aba id-uppercase',
      ]);
    },
  );

  it.skipIf(oasisFiles.length === 0)('every indicator pattern in the examples parses', () => {
    let count = 0;
    for (const file of oasisFiles) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      for (const obj of json.objects ?? []) {
        if (obj.type === 'indicator' && obj.pattern_type === 'stix') {
          expect(() => parsePattern(obj.pattern)).not.toThrow();
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(40);
  });
});

describe('MITRE ATT&CK', () => {
  it.skipIf(!existsSync(ICS))(
    'the ICS bundle validates without errors (x_mitre custom content accepted)',
    () => {
      const bundle = JSON.parse(readFileSync(ICS, 'utf8'));
      const result = validateBundle(bundle);
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
      // The only warnings: data components whose x_mitre_data_source_ref is an empty string.
      expect(new Set(result.warnings.map((w) => w.rule))).toEqual(new Set(['invalid-reference']));
    },
  );

  it.skipIf(!existsSync(ENTERPRISE))('the Enterprise bundle validates without errors', () => {
    const bundle = JSON.parse(gunzipSync(readFileSync(ENTERPRISE)).toString('utf8'));
    const result = validateBundle(bundle);
    expect(result.errors).toEqual([]);
    expect(bundle.objects.length).toBeGreaterThan(20_000);
  });
});
