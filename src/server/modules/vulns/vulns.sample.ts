import { readFileSync } from 'node:fs';
import { type NvdCve, parseKevCatalog } from '../../../core/vuln/index.js';
import { SYSTEM_ACTOR } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import type { SampleContext } from '../../sample/example-city.js';
import { kevRow, vulnerabilityRow } from './vulns.ingest.js';
import { kevRepository, vulnerabilitiesRepository } from './vulns.repository.js';
import { vulnsService } from './vulns.service.js';

/**
 * Example City: five public CVEs that hit the sample's systems (hand-written excerpts of their NVD records and
 * KEV entries, in sample-cves.json), then a rematch so the city starts with findings, traces and SSVC decisions.
 */
export async function loadVulnsSample(tx: DbOrTx, s: SampleContext): Promise<void> {
  const data = JSON.parse(readFileSync(new URL('./sample-cves.json', import.meta.url), 'utf8')) as {
    nvd: { vulnerabilities: { cve: NvdCve }[] };
    kev: unknown;
  };
  await vulnerabilitiesRepository.upsert(
    tx,
    data.nvd.vulnerabilities.map((v) => vulnerabilityRow(v.cve)),
  );
  const { catalog } = parseKevCatalog(data.kev);
  await kevRepository.upsert(
    tx,
    catalog.vulnerabilities.map((v) => kevRow(v, catalog.catalogVersion)),
  );
  await vulnsService.rematchIn(tx, { actor: SYSTEM_ACTOR }, s.orgIds.city);
}
