/**
 * Runs every benchmark in this folder (files named *.bench.ts, each exporting `run()`), one after the other so
 * they do not compete for the two cores, and prints what each measured. Record results in docs/performance.md.
 *   npm run bench                 all benchmarks
 *   npm run bench -- platform     only those whose file name contains "platform"
 */
import { readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: string;
  note?: string;
}

const filter = process.argv[2];
const dir = new URL('.', import.meta.url).pathname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();

console.log(
  `Citywall benchmarks on Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
);
const all: BenchResult[] = [];
for (const f of files) {
  const mod = (await import(`./${f}`)) as { run(): Promise<BenchResult[]> };
  console.log(`\n## ${f}`);
  for (const r of await mod.run()) {
    all.push(r);
    console.log(
      `${r.name}: ${r.value.toFixed(r.value < 10 ? 2 : 0)} ${r.unit}${r.target ? ` (target ${r.target})` : ''}${r.note ? ` — ${r.note}` : ''}`,
    );
  }
}
if (!all.length) console.log('No benchmark matched.');
