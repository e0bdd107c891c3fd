/**
 * Benchmarks of the baselines module on an in-memory PGlite, through the module's service (as the API and the
 * CLI use it): importing the NIST SP 800-53 rev5 catalog (1,189 controls), importing its MODERATE profile
 * (resolved at import), resolving that profile again and exporting the result, and scoring plus writing the DOCX
 * report of a City Baseline assessment. Needs ../shared/data/oscal/; skips what is absent.
 * Run: npm run bench -- baselines
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SYSTEM_ACTOR } from '../src/server/context.js';
import { openDatabase } from '../src/server/db/client.js';
import { baselinesService } from '../src/server/modules/baselines/baselines.service.js';
import { orgsService } from '../src/server/modules/orgs/orgs.service.js';
import type { BenchResult } from './index.js';

const DATA = new URL('../../shared/data/oscal/', import.meta.url);
const CATALOG = 'NIST_SP-800-53_rev5_catalog.json';
const MODERATE = 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json';
const RUNS = 3;

async function time<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<BenchResult[]> {
  const catalogPath = fileURLToPath(new URL(CATALOG, DATA));
  const moderatePath = fileURLToPath(new URL(MODERATE, DATA));
  if (!existsSync(catalogPath) || !existsSync(moderatePath)) {
    console.log(`skipped: ${CATALOG} or ${MODERATE} not in ../shared/data/oscal/`);
    return [];
  }
  const catalogText = readFileSync(catalogPath, 'utf8');
  const moderateText = readFileSync(moderatePath, 'utf8');
  const database = await openDatabase({});
  const ctx = { db: database.db, actor: SYSTEM_ACTOR, requestId: 'bench' };
  const imports: number[] = [];
  const profiles: number[] = [];
  const resolves: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const org = await orgsService.create(ctx, {
        name: `Bench Baseline City ${i}`,
        kind: 'city',
        parentId: null,
        description: '',
      });
      // Parsing the JSON text is part of the import, as it is over the API.
      const cat = await time(() =>
        baselinesService.importDocument(ctx, org.id, JSON.parse(catalogText), CATALOG),
      );
      if (cat.value.controlCount !== 1189)
        throw new Error(`expected 1,189 controls, got ${cat.value.controlCount}`);
      imports.push(cat.ms);
      const prof = await time(() =>
        baselinesService.importDocument(ctx, org.id, JSON.parse(moderateText), MODERATE),
      );
      profiles.push(prof.ms);
      const res = await time(async () => {
        const r = await baselinesService.resolveDocument(ctx, org.id, prof.value.id);
        return JSON.stringify(r.document);
      });
      resolves.push(res.ms);
      console.log(
        `run ${i + 1}: catalog ${cat.ms.toFixed(0)} ms, MODERATE import ${prof.ms.toFixed(0)} ms, resolve + export ${res.ms.toFixed(0)} ms`,
      );
    }

    const org = await orgsService.create(ctx, {
      name: 'Bench Report City',
      kind: 'city',
      parentId: null,
      description: '',
    });
    const [catalog] = (await baselinesService.installCityBaseline(ctx, org.id)).items;
    const assessment = await baselinesService.createAssessment(ctx, org.id, {
      title: 'Bench assessment',
      documentId: catalog.id,
      departmentIds: [],
      systemId: null,
      targetTier: 'intermediate',
      targetMaturity: 3,
      previousId: null,
    });
    const detail = await baselinesService.getAssessment(ctx, org.id, assessment.id);
    const statuses = ['implemented', 'partially-implemented', 'planned', 'not-implemented'];
    for (const [i, r] of detail.requirements.entries()) {
      await baselinesService.answer(ctx, org.id, assessment.id, {
        requirementId: r.id,
        departmentId: null,
        status: statuses[i % 4],
        maturity: (i % 4) + 1,
        notApplicableReason: null,
        notes: '',
        actionOwner: null,
        actionDue: null,
      });
    }
    const report = await time(() => baselinesService.reportDocx(ctx, org.id, assessment.id, 'en'));
    console.log(`DOCX report of ${detail.requirements.length} answers: ${report.value.length} bytes`);
    return [
      {
        name: 'import SP 800-53 rev5 catalog (median of 3)',
        value: median(imports) / 1000,
        unit: 's',
        target: '< 3 s',
      },
      {
        name: 'import MODERATE profile, resolved at import (median of 3)',
        value: median(profiles) / 1000,
        unit: 's',
      },
      {
        name: 'resolve MODERATE now and export it (median of 3)',
        value: median(resolves) / 1000,
        unit: 's',
        target: '< 1 s',
      },
      { name: 'DOCX assessment report, City Baseline fully answered', value: report.ms / 1000, unit: 's' },
    ];
  } finally {
    await database.close();
  }
}
