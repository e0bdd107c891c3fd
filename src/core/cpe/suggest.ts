/**
 * CPE assistance: from a system's vendor / product free text, rank the vendor:product pairs seen in the feeds.
 * The index is built once (posting lists per token) so that each query touches only entries sharing a token,
 * which keeps a query in the sub-millisecond to low-millisecond range on ~100k pairs.
 */

export interface DictionaryEntry {
  part?: 'a' | 'o' | 'h';
  vendor: string;
  product: string;
  /** How often the pair occurs in the feeds; breaks ties towards names NVD actually uses. */
  count?: number;
}

export interface CpeSuggestion {
  part: 'a' | 'o' | 'h';
  vendor: string;
  product: string;
  /** `cpe:2.3:part:vendor:product` — complete it with version and `*` for the rest. */
  prefix: string;
  /** 0..1, higher is better. */
  score: number;
  vendorScore: number;
  productScore: number;
  reasons: string[];
}

// Corporate forms carry no identity: "Siemens AG" and "siemens" are one vendor in CPE. Words such as "systems"
// are only dropped while another token remains, so a vendor never normalises to nothing.
const CORPORATE_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'ltd',
  'limited',
  'llc',
  'llp',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'kk',
  'pty',
  'pte',
  'kg',
  'se',
  'the',
  'group',
  'holdings',
  'foundation',
  'project',
  'technologies',
  'technology',
  'software',
  'systems',
]);

/** Lowercase, `&` → and, punctuation and spaces → `_`, collapsed. The shape of CPE dictionary names. */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, '_and_')
    .replace(/[\s,;:/()[\]{}"'!+]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_.-]+|[_.-]+$/g, '');
}

/** Vendor text → CPE-style vendor: normalised, corporate suffixes removed ("Siemens AG" → "siemens"). */
export function normalizeVendor(text: string): string {
  const tokens = normalizeName(text.replace(/\./g, ' ')).split('_').filter(Boolean);
  while (tokens.length > 1 && CORPORATE_SUFFIXES.has(tokens[tokens.length - 1])) {
    tokens.pop();
  }
  return tokens.join('_');
}

function tokensOf(name: string): string[] {
  return name.split(/[_\-.]+/).filter((t) => t.length > 0);
}

interface IndexedEntry {
  part: 'a' | 'o' | 'h';
  vendor: string;
  product: string;
  count: number;
  vendorTokens: string[];
  productTokens: string[];
  vendorJoined: string;
  productJoined: string;
}

export interface CpeSuggestIndex {
  readonly size: number;
  suggest(vendor: string, product: string, limit?: number): CpeSuggestion[];
}

function parseEntry(e: DictionaryEntry | string): DictionaryEntry | null {
  if (typeof e !== 'string') return e.vendor && e.product ? e : null;
  const bits = e.replace(/^cpe:2\.3:/i, '').split(':');
  if (bits.length >= 3 && /^[aoh]$/.test(bits[0])) {
    return { part: bits[0] as 'a' | 'o' | 'h', vendor: bits[1], product: bits[2] };
  }
  if (bits.length >= 2) return { vendor: bits[0], product: bits[1] };
  return null;
}

/** Dice coefficient over token sets, with a joined-form bonus ("open ssl" = "openssl"). */
function tokenSimilarity(
  q: string[],
  qJoined: string,
  c: string[],
  cJoined: string,
  idf: (t: string) => number,
) {
  if (qJoined === cJoined) return 1;
  let inter = 0;
  let qw = 0;
  let cw = 0;
  for (const t of q) qw += idf(t);
  for (const t of c) cw += idf(t);
  const cs = new Set(c);
  for (const t of q) {
    if (cs.has(t)) {
      inter += idf(t);
    } else {
      // A query token that is a prefix of a candidate token ("micro" / "microsoft") counts for part of it.
      for (const u of c) {
        if (t.length >= 3 && u.startsWith(t)) {
          inter += idf(t) * (t.length / u.length);
          break;
        }
      }
    }
  }
  const dice = qw + cw === 0 ? 0 : (2 * inter) / (qw + cw);
  if (dice < 1 && (cJoined.includes(qJoined) || qJoined.includes(cJoined))) {
    const ratio = Math.min(qJoined.length, cJoined.length) / Math.max(qJoined.length, cJoined.length);
    return Math.max(dice, 0.5 + 0.4 * ratio);
  }
  return dice;
}

/** Builds the suggestion index once; duplicates are merged (their counts add up). */
export function buildCpeSuggestIndex(dictionary: ReadonlyArray<DictionaryEntry | string>): CpeSuggestIndex {
  const byKey = new Map<string, IndexedEntry>();
  for (const raw of dictionary) {
    const e = parseEntry(raw);
    if (!e) continue;
    const vendor = e.vendor.toLowerCase();
    const product = e.product.toLowerCase();
    const part = e.part ?? 'a';
    const key = `${part}:${vendor}:${product}`;
    const prev = byKey.get(key);
    if (prev) {
      prev.count += e.count ?? 1;
      continue;
    }
    const vendorTokens = tokensOf(vendor.replace(/\\/g, ''));
    const productTokens = tokensOf(product.replace(/\\/g, ''));
    byKey.set(key, {
      part,
      vendor,
      product,
      count: e.count ?? 1,
      vendorTokens,
      productTokens,
      vendorJoined: vendorTokens.join(''),
      productJoined: productTokens.join(''),
    });
  }
  const entries = [...byKey.values()];
  // Posting lists: token → entry ids, for vendor tokens, product tokens and the joined forms.
  const vendorPost = new Map<string, number[]>();
  const productPost = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, t: string, id: number) => {
    const l = m.get(t);
    if (!l) m.set(t, [id]);
    else if (l[l.length - 1] !== id) l.push(id);
  };
  entries.forEach((e, id) => {
    for (const t of e.vendorTokens) push(vendorPost, t, id);
    push(vendorPost, e.vendorJoined, id);
    for (const t of e.productTokens) push(productPost, t, id);
    push(productPost, e.productJoined, id);
  });
  const sortedProductTokens = [...productPost.keys()].sort();
  const sortedVendorTokens = [...vendorPost.keys()].sort();
  const n = Math.max(entries.length, 1);
  const idfOf = (m: Map<string, number[]>) => (t: string) => Math.log(1 + n / ((m.get(t)?.length ?? 0) + 1));
  const vendorIdf = idfOf(vendorPost);
  const productIdf = idfOf(productPost);
  // Very common tokens ("server", "the") would make a query scan a large share of the index; they still score,
  // but only candidates found through rarer tokens are considered.
  const maxPosting = Math.max(2000, Math.ceil(n * 0.02));

  function prefixed(sorted: string[], prefix: string, limit: number): string[] {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < sorted.length && out.length < limit && sorted[i].startsWith(prefix); i++) {
      out.push(sorted[i]);
    }
    return out;
  }

  function suggest(vendorText: string, productText: string, limit = 10): CpeSuggestion[] {
    const vendor = normalizeVendor(vendorText ?? '');
    let product = normalizeName(productText ?? '');
    // Product text often repeats the vendor ("Microsoft Exchange Server"); CPE products do not.
    if (vendor && product.startsWith(`${vendor}_`)) product = product.slice(vendor.length + 1);
    const qv = tokensOf(vendor);
    const qp = tokensOf(product);
    const qvJoined = qv.join('');
    const qpJoined = qp.join('');
    if (qv.length === 0 && qp.length === 0) return [];

    const candidates = new Set<number>();
    const collect = (post: Map<string, number[]>, sorted: string[], tokens: string[]) => {
      const lists: number[][] = [];
      for (const t of tokens) {
        const l = post.get(t);
        if (l) lists.push(l);
        else if (t.length >= 3) for (const p of prefixed(sorted, t, 20)) lists.push(post.get(p)!);
      }
      const rare = lists.filter((l) => l.length <= maxPosting);
      for (const l of rare.length > 0 ? rare : lists.slice(0, 1)) for (const id of l) candidates.add(id);
    };
    collect(vendorPost, sortedVendorTokens, [...qv, qvJoined]);
    collect(productPost, sortedProductTokens, [...qp, qpJoined]);

    const scored: CpeSuggestion[] = [];
    for (const id of candidates) {
      const e = entries[id];
      const vs = qv.length ? tokenSimilarity(qv, qvJoined, e.vendorTokens, e.vendorJoined, vendorIdf) : 0;
      const ps = qp.length ? tokenSimilarity(qp, qpJoined, e.productTokens, e.productJoined, productIdf) : 0;
      // Product identity weighs more than vendor spelling; with only one side given, score on it alone.
      let score = qv.length && qp.length ? 0.4 * vs + 0.6 * ps : qv.length ? vs : ps;
      if (qv.length && qp.length && (vs === 0 || ps === 0)) score *= 0.5;
      if (score <= 0.15) continue;
      score = Math.min(1, score + Math.min(0.02, Math.log10(1 + e.count) / 200));
      const reasons: string[] = [];
      if (vs === 1) reasons.push('vendor matches');
      else if (vs > 0) reasons.push(`vendor similar (${vs.toFixed(2)})`);
      if (ps === 1) reasons.push('product matches');
      else if (ps > 0) reasons.push(`product similar (${ps.toFixed(2)})`);
      scored.push({
        part: e.part,
        vendor: e.vendor,
        product: e.product,
        prefix: `cpe:2.3:${e.part}:${e.vendor}:${e.product}`,
        score: Math.round(score * 1000) / 1000,
        vendorScore: Math.round(vs * 1000) / 1000,
        productScore: Math.round(ps * 1000) / 1000,
        reasons,
      });
    }
    scored.sort(
      (a, b) => b.score - a.score || a.vendor.localeCompare(b.vendor) || a.product.localeCompare(b.product),
    );
    return scored.slice(0, limit);
  }

  return { size: entries.length, suggest };
}

/** One-off convenience; build the index once with `buildCpeSuggestIndex` when answering many queries. */
export function suggestCpes(
  vendor: string,
  product: string,
  dictionary: ReadonlyArray<DictionaryEntry | string>,
  limit = 10,
): CpeSuggestion[] {
  return buildCpeSuggestIndex(dictionary).suggest(vendor, product, limit);
}
