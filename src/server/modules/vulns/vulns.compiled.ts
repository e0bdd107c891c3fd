import {
  type CompiledConfigurations,
  compileConfigurations,
  type NvdConfiguration,
} from '../../../core/vuln/index.js';
import type { DbOrTx } from '../../db/client.js';
import { type Candidate, vulnerabilitiesRepository } from './vulns.repository.js';

/**
 * Compiled NVD configurations by CVE, kept across rematches while the CVE's row is unchanged (its stamp): a
 * system edit then reads and compiles only what changed. Bounded; the oldest entries go first.
 */
const COMPILED_LIMIT = 50_000;
const compiledCache = new Map<string, { stamp: string; compiled: CompiledConfigurations }>();

export async function compiledConfigurations(
  db: DbOrTx,
  candidates: Candidate[],
): Promise<Map<string, CompiledConfigurations>> {
  const out = new Map<string, CompiledConfigurations>();
  const missing: string[] = [];
  for (const v of candidates) {
    const hit = compiledCache.get(v.cveId);
    if (hit && hit.stamp === v.stamp) out.set(v.cveId, hit.compiled);
    else missing.push(v.cveId);
  }
  for (const r of await vulnerabilitiesRepository.configurations(db, missing)) {
    const compiled = compileConfigurations(r.configurations as NvdConfiguration[]);
    out.set(r.cveId, compiled);
    compiledCache.delete(r.cveId);
    compiledCache.set(r.cveId, { stamp: r.stamp, compiled });
  }
  while (compiledCache.size > COMPILED_LIMIT)
    compiledCache.delete(compiledCache.keys().next().value as string);
  return out;
}

/**
 * Keeps what an ingest compiled anyway (to index a CVE's keys) for the CVE row it wrote, under that row's stamp:
 * the rematch that follows a feed sync in the same process then reads and compiles no configuration again.
 */
export function rememberCompiled(cveId: string, stamp: string, compiled: CompiledConfigurations) {
  compiledCache.delete(cveId);
  compiledCache.set(cveId, { stamp, compiled });
  while (compiledCache.size > COMPILED_LIMIT)
    compiledCache.delete(compiledCache.keys().next().value as string);
}
