/**
 * Generation time of the strategy document for the Example City (its sample data on PGlite in memory): collecting
 * the data from every module, then rendering DOCX, PDF, HTML and the board summary.
 */
import { writeFileSync } from 'node:fs';
import { bootstrap } from '../src/server/bootstrap.js';
import { loadConfig } from '../src/server/config.js';
import { SYSTEM_ACTOR } from '../src/server/context.js';
import { openDatabase } from '../src/server/db/client.js';
import { orgsRepository } from '../src/server/modules/orgs/orgs.repository.js';
import { strategyDocumentService } from '../src/server/modules/strategy/document/document.service.js';
import { renderBoardSummary } from '../src/server/modules/strategy/document/pdf.js';
import { EXAMPLE_CITY_SLUG } from '../src/server/sample/example-city.js';
import type { BenchResult } from './index.js';

const ROUNDS = 5;

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run(): Promise<BenchResult[]> {
  const database = await openDatabase({});
  try {
    await bootstrap(
      database,
      loadConfig({
        CITYWALL_DATA_DIR: '/nonexistent',
        CITYWALL_SAMPLE: 'true',
        CITYWALL_ADMIN_EMAIL: 'bench@example.test',
        CITYWALL_ADMIN_PASSWORD: 'bench-password-123',
      }),
    );
    const city = await orgsRepository.bySlug(database.db, EXAMPLE_CITY_SLUG);
    if (!city) throw new Error('the Example City sample did not load');
    const ctx = { db: database.db, actor: SYSTEM_ACTOR };
    const times: Record<string, number[]> = { collect: [], docx: [], pdf: [], html: [], board: [] };
    const sizes: Record<string, number> = {};
    for (let i = 0; i < ROUNDS; i++) {
      let t = performance.now();
      const data = await strategyDocumentService.data(ctx, city.id, {
        lang: 'en',
        years: { from: 2027, to: 2029 },
      });
      times.collect.push(performance.now() - t);
      for (const format of ['docx', 'pdf', 'html'] as const) {
        t = performance.now();
        const body = await strategyDocumentService.render(data, format);
        times[format].push(performance.now() - t);
        sizes[format] = body.length;
        if (process.env.STRATEGYDOC_OUT)
          writeFileSync(`${process.env.STRATEGYDOC_OUT}/example-city.${format}`, body);
      }
      t = performance.now();
      const board = await renderBoardSummary(data);
      times.board.push(performance.now() - t);
      sizes.board = board.length;
      if (process.env.STRATEGYDOC_OUT)
        writeFileSync(`${process.env.STRATEGYDOC_OUT}/example-city-board.pdf`, board);
    }
    const kb = (n: number) => `${Math.round(n / 1024)} KiB`;
    return [
      {
        name: 'strategy document: collect Example City data (median of 5)',
        value: median(times.collect),
        unit: 'ms',
      },
      {
        name: 'strategy document: render DOCX (charts included)',
        value: median(times.docx),
        unit: 'ms',
        note: kb(sizes.docx),
      },
      {
        name: 'strategy document: render PDF (charts included)',
        value: median(times.pdf),
        unit: 'ms',
        note: kb(sizes.pdf),
      },
      {
        name: 'strategy document: render HTML (charts included)',
        value: median(times.html),
        unit: 'ms',
        note: kb(sizes.html),
      },
      {
        name: 'strategy document: board summary PDF',
        value: median(times.board),
        unit: 'ms',
        note: kb(sizes.board),
      },
    ];
  } finally {
    await database.close();
  }
}
