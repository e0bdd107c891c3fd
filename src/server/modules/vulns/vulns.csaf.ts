import {
  type CsafMatchConfidence,
  type CsafProduct,
  type CsafVulnerability,
  csafProductStatus,
  csafVendorKey,
  matchCsafProduct,
} from '../../../core/vuln/index.js';
import type { DbOrTx } from '../../db/client.js';
import type { CsafAdvisoryRow } from '../../db/schema/index.js';
import { cpeVendor } from './vulns.ingest.js';
import { csafRepository } from './vulns.repository.js';

/** What one advisory says about one CVE on one system, and why the advisory's product is taken to be it. */
export interface CsafHit {
  advisory: { id: string; trackingId: string; version: string; publisher: string; title: string };
  productId: string;
  productName: string;
  confidence: CsafMatchConfidence;
  reasons: string[];
  status: 'affected' | 'not_affected' | 'fixed';
  /** The VEX justification (flag label) for a product not affected. */
  justification?: string;
  remediations: { category: string; details: string; url?: string }[];
  cvssVectors: string[];
}

export interface CsafSystemInput {
  id: string;
  cpe: string | null;
  vendor: string | null;
  product: string | null;
  version: string | null;
}

/** The vendor a system is known by: its vendor text, else the vendor of its CPE name. */
const vendorOf = (s: CsafSystemInput) => s.vendor || cpeVendor(s.cpe);

/** The keys advisories of a system's vendor are found under: from its vendor text and from its CPE. */
function systemVendorKeys(s: CsafSystemInput): string[] {
  const keys = [s.vendor, cpeVendor(s.cpe)].filter((v): v is string => !!v).map(csafVendorKey);
  return [...new Set(keys.filter(Boolean))];
}

/**
 * Every CSAF statement about the systems: each system is compared with the products of the advisories of its
 * vendor, and for each matching product the status it has under each CVE (affected, not affected with its VEX
 * justification, fixed). Keyed by `systemId|CVE`.
 */
export async function csafHits(db: DbOrTx, systems: CsafSystemInput[]): Promise<Map<string, CsafHit[]>> {
  const keysOf = new Map(systems.map((s) => [s.id, systemVendorKeys(s)]));
  const hits = new Map<string, CsafHit[]>();
  const allKeys = new Set([...keysOf.values()].flat());
  if (!allKeys.size) return hits;
  const advisories = await csafRepository.byVendorKeys(db, [...allKeys]);
  const byVendor = new Map<string, CsafAdvisoryRow[]>();
  for (const a of advisories) {
    for (const k of a.vendorKeys) {
      const l = byVendor.get(k);
      if (l) l.push(a);
      else byVendor.set(k, [a]);
    }
  }
  for (const s of systems) {
    const own = new Set<CsafAdvisoryRow>();
    for (const k of keysOf.get(s.id) ?? []) for (const a of byVendor.get(k) ?? []) own.add(a);
    if (!own.size) continue;
    const target = {
      ...(s.cpe ? { cpe: s.cpe } : {}),
      ...(vendorOf(s) ? { vendor: vendorOf(s) as string } : {}),
      ...(s.product ? { product: s.product } : {}),
      ...(s.version ? { version: s.version } : {}),
    };
    for (const a of own) {
      const vulns = a.vulnerabilities as CsafVulnerability[];
      for (const p of a.products as CsafProduct[]) {
        const m = matchCsafProduct(p, target);
        if (!m.matched || !m.confidence) continue;
        for (const v of vulns) {
          if (!v.cve) continue;
          const st = csafProductStatus(v, p.productId);
          if (st.status !== 'affected' && st.status !== 'not_affected' && st.status !== 'fixed') continue;
          const hit: CsafHit = {
            advisory: {
              id: a.id,
              trackingId: a.trackingId,
              version: a.version,
              publisher: a.publisher,
              title: a.title,
            },
            productId: p.productId,
            productName: p.name,
            confidence: m.confidence,
            reasons: m.reasons,
            status: st.status,
            ...(st.justification ? { justification: st.justification } : {}),
            remediations: st.remediations.map((r) => ({
              category: r.category,
              details: r.details,
              ...(r.url ? { url: r.url } : {}),
            })),
            cvssVectors: v.cvssVectors,
          };
          const k = `${s.id}|${v.cve}`;
          const l = hits.get(k);
          if (l) l.push(hit);
          else hits.set(k, [hit]);
        }
      }
    }
  }
  return hits;
}

/** Why a CVE does not apply according to the advisories (when none says it is affected), else null. */
export function vexClosure(hits: CsafHit[]): string | null {
  if (hits.some((h) => h.status === 'affected')) return null;
  const h = hits.find((x) => x.status === 'not_affected') ?? hits.find((x) => x.status === 'fixed');
  if (!h) return null;
  const why =
    h.status === 'fixed'
      ? 'the version in use is fixed'
      : `not affected${h.justification ? ` (${h.justification.replaceAll('_', ' ')})` : ''}`;
  return `${h.advisory.publisher} advisory ${h.advisory.trackingId} (${h.productName}): ${why}`;
}
