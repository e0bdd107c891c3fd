import { randomUUID } from 'node:crypto';
import {
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  notInArray,
  or,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import { type DbOrTx, containsLike as like, rows as queryRows } from '../../db/client.js';
import {
  type CsafAdvisoryRow,
  csafAdvisories,
  type DuePolicy,
  epssScores,
  type FeedRunRow,
  type FindingRow,
  type FindingStatus,
  feedRuns,
  findings,
  kevEntries,
  systems,
  type TrendCounts,
  type VulnerabilityRow,
  vulnerabilities,
  vulnFeedState,
  vulnPolicies,
  vulnSsvcInputs,
  vulnTrendSnapshots,
} from '../../db/schema/index.js';

export type VulnerabilityInsert = typeof vulnerabilities.$inferInsert;
export type KevInsert = typeof kevEntries.$inferInsert;
export type KevRow = typeof kevEntries.$inferSelect;
export type EpssInsert = typeof epssScores.$inferInsert;
export type FindingInsert = typeof findings.$inferInsert;
export type Candidate = Pick<VulnerabilityRow, 'cveId' | 'cvssVector' | 'cpeKeys' | 'looseKeys'> & {
  stamp: string;
};

/** Above this many vendor:product keys, candidates are found in one pass over the CVEs, not by the GIN indexes. */
const MANY_KEYS = 2000;

/** Changes whenever a CVE row is written (every upsert sets updated_at), for caching what is derived from it. */
const CVE_STAMP = sql<string>`${vulnerabilities.updatedAt}::text || '|' || coalesce(${vulnerabilities.lastModified}::text, '')`;

/** What a rematch writes for a finding; `trace` is JSON text (stored as text), `ssvcKey` names its SSVC inputs. */
export interface FindingWrite {
  systemId: string;
  cveId: string;
  confidence: string;
  trace: string;
  ssvcDecision: string;
  ssvcKey: string;
  inKev: boolean;
  dueDate: string | null;
}
export interface FindingRematch extends Omit<FindingWrite, 'systemId' | 'cveId'> {
  id: string;
  /** Set when the finding reopens (with its note); null keeps status and note. */
  status: FindingStatus | null;
  statusNote: string | null;
}

/** Rows a rematch writes per statement (each as one JSON parameter). */
const WRITE_BATCH = 2000;

/**
 * One column of a batch as a single text: each value preceded by a record separator (U+001E), null written as a
 * unit separator (U+001F). Neither occurs in what a rematch writes (identifiers, codes, dates, and JSON, which
 * escapes control characters); a value holding one is refused rather than split wrongly.
 */
function joinColumn(values: (string | null)[]): string {
  let out = '';
  for (const v of values) {
    if (v !== null && (v.includes('\x1e') || v.includes('\x1f')))
      throw new Error('A finding value holds a control character (U+001E or U+001F)');
    out += `\x1e${v ?? '\x1f'}`;
  }
  return out;
}
/** The values of a `joinColumn` text, as a text array (the leading separator leaves an empty first element). */
const splitColumn = (column: string) => sql`(string_to_array(${column}::text, chr(30), chr(31)))[2:]`;

/** `unnest(…)` of a batch, one `joinColumn` text parameter per column (each the values `column` gives). */
function unnestColumns<T>(rows: T[], columns: ((r: T) => string | null)[]): SQL {
  return sql`unnest(${sql.join(
    columns.map((column) => splitColumn(joinColumn(rows.map(column)))),
    sql`, `,
  )})`;
}

/** What a rematch writes for every finding it keeps, new or not: confidence … due_date, in this order. */
const MATCHED_COLUMNS: ((r: Omit<FindingWrite, 'systemId' | 'cveId'>) => string | null)[] = [
  (r) => r.confidence,
  (r) => r.trace,
  (r) => r.ssvcDecision,
  (r) => r.ssvcKey,
  (r) => (r.inKev ? 't' : 'f'),
  (r) => r.dueDate,
];

const j = JSON.stringify;

/** Newest EPSS score of a CVE, as a correlated subquery. */
const latestEpss = (col: 'score' | 'percentile') =>
  sql<
    number | null
  >`(select e.${sql.raw(col)} from ${epssScores} e where e.cve_id = ${findings.cveId} order by e.score_date desc limit 1)`;

const SSVC_RANK = sql`case ${findings.ssvcDecision} when 'Act' then 0 when 'Attend' then 1 when 'Track*' then 2 else 3 end`;

export const vulnerabilitiesRepository = {
  /**
   * Inserts or updates CVEs in one statement with a single JSON parameter (no per-column parameters to bind:
   * binding thousands of parameters costs more than the rows themselves).
   */
  /** Answers the stamp of each row written (what `candidates` reports for it until it changes). */
  async upsert(db: DbOrTx, rows: VulnerabilityInsert[]): Promise<{ cveId: string; stamp: string }[]> {
    if (!rows.length) return [];
    const records = rows.map((r) => ({
      cve_id: r.cveId,
      summary: r.summary ?? '',
      published: r.published ? r.published.toISOString() : null,
      last_modified: r.lastModified ? r.lastModified.toISOString() : null,
      status: r.status,
      rejected: r.rejected ?? false,
      cvss: r.cvss ?? [],
      cvss_score: r.cvssScore ?? null,
      cvss_vector: r.cvssVector ?? null,
      cwes: r.cwes ?? [],
      configurations: r.configurations ?? [],
      cpe_keys: r.cpeKeys ?? [],
      loose_keys: r.looseKeys ?? [],
    }));
    return queryRows<{ cveId: string; stamp: string }>(
      db,
      sql`
      insert into ${vulnerabilities} (cve_id, summary, published, last_modified, status, rejected, cvss, cvss_score,
        cvss_vector, cwes, configurations, cpe_keys, loose_keys)
      select cve_id, summary, published, last_modified, status, rejected, cvss, cvss_score, cvss_vector, cwes,
        configurations, cpe_keys, loose_keys
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(cve_id text, summary text,
        published timestamptz, last_modified timestamptz, status text, rejected boolean, cvss jsonb,
        cvss_score double precision, cvss_vector text, cwes jsonb, configurations jsonb, cpe_keys text[],
        loose_keys text[])
      on conflict (cve_id) do update set
        summary = excluded.summary,
        published = excluded.published,
        last_modified = excluded.last_modified,
        status = excluded.status,
        rejected = excluded.rejected,
        cvss = excluded.cvss,
        cvss_score = excluded.cvss_score,
        cvss_vector = excluded.cvss_vector,
        cwes = excluded.cwes,
        configurations = excluded.configurations,
        cpe_keys = excluded.cpe_keys,
        loose_keys = excluded.loose_keys,
        updated_at = now()
      returning cve_id as "cveId", ${CVE_STAMP} as stamp`,
    );
  },
  async get(db: DbOrTx, cveId: string): Promise<VulnerabilityRow | undefined> {
    const [row] = await db.select().from(vulnerabilities).where(eq(vulnerabilities.cveId, cveId));
    return row;
  },
  /**
   * CVEs whose vulnerable criteria name one of these exact or loose vendor:product keys: what matching needs of
   * them first (their configurations are read apart, only when not already compiled for this stamp).
   */
  async candidates(db: DbOrTx, exactKeys: string[], looseKeys: string[]): Promise<Candidate[]> {
    if (!exactKeys.length && !looseKeys.length) return [];
    const columns = {
      cveId: vulnerabilities.cveId,
      cvssVector: vulnerabilities.cvssVector,
      cpeKeys: vulnerabilities.cpeKeys,
      looseKeys: vulnerabilities.looseKeys,
      stamp: CVE_STAMP,
    };
    if (exactKeys.length + looseKeys.length > MANY_KEYS) {
      // Thousands of keys (an organization-wide match): one GIN search per key costs seconds. One pass over the
      // CVEs costs a fraction of that: each CVE's keys are looked up in the keys given (a hashed `= any`, the
      // list being a constant of the statement), and only candidates come back.
      const hit = (column: SQLWrapper, keys: string[]) =>
        sql`exists (select 1 from unnest(${column}) k where k = any(${sql.param(keys)}::text[]))`;
      return db
        .select(columns)
        .from(vulnerabilities)
        .where(
          and(
            eq(vulnerabilities.rejected, false),
            or(hit(vulnerabilities.cpeKeys, exactKeys), hit(vulnerabilities.looseKeys, looseKeys)),
          ),
        );
    }
    const conds: SQL[] = [];
    if (exactKeys.length) conds.push(sql`${vulnerabilities.cpeKeys} && ${sql.param(exactKeys)}::text[]`);
    if (looseKeys.length) conds.push(sql`${vulnerabilities.looseKeys} && ${sql.param(looseKeys)}::text[]`);
    return db
      .select(columns)
      .from(vulnerabilities)
      .where(and(eq(vulnerabilities.rejected, false), or(...conds)));
  },
  /**
   * Merges the entries an ingest queued in the GIN indexes' pending lists into the indexes: until then every
   * candidate lookup scans the whole queue (tens of milliseconds for a single system's rematch).
   */
  async mergeKeyIndexes(db: DbOrTx): Promise<void> {
    await db.execute(sql`select gin_clean_pending_list('vulnerabilities_cpe_keys_idx'::regclass),
      gin_clean_pending_list('vulnerabilities_loose_keys_idx'::regclass)`);
  },
  /** The configurations of these CVEs, with the stamp of the row they were read from. */
  async configurations(db: DbOrTx, cveIds: string[]) {
    if (!cveIds.length) return [];
    return db
      .select({
        cveId: vulnerabilities.cveId,
        stamp: CVE_STAMP,
        configurations: vulnerabilities.configurations,
      })
      .from(vulnerabilities)
      .where(sql`${vulnerabilities.cveId} = any(${sql.param(cveIds)}::text[])`);
  },
  async byIds(db: DbOrTx, cveIds: string[]): Promise<VulnerabilityRow[]> {
    if (!cveIds.length) return [];
    return db.select().from(vulnerabilities).where(inArray(vulnerabilities.cveId, cveIds));
  },
  async rejectedAmong(db: DbOrTx, cveIds: string[]): Promise<string[]> {
    if (!cveIds.length) return [];
    const rows = await db
      .select({ id: vulnerabilities.cveId })
      .from(vulnerabilities)
      .where(and(inArray(vulnerabilities.cveId, cveIds), eq(vulnerabilities.rejected, true)));
    return rows.map((r) => r.id);
  },
};

export const kevRepository = {
  async all(db: DbOrTx): Promise<KevRow[]> {
    return db.select().from(kevEntries);
  },
  async byIds(db: DbOrTx, cveIds: string[]): Promise<KevRow[]> {
    if (!cveIds.length) return [];
    // One array parameter: a rematch asks for every candidate CVE (tens of thousands).
    return db
      .select()
      .from(kevEntries)
      .where(sql`${kevEntries.cveId} = any(${sql.param(cveIds)}::text[])`);
  },
  async get(db: DbOrTx, cveId: string): Promise<KevRow | undefined> {
    const [row] = await db.select().from(kevEntries).where(eq(kevEntries.cveId, cveId));
    return row;
  },
  async upsert(db: DbOrTx, rows: KevInsert[]): Promise<void> {
    if (!rows.length) return;
    await db
      .insert(kevEntries)
      .values(rows)
      .onConflictDoUpdate({
        target: kevEntries.cveId,
        set: {
          vendorProject: sql`excluded.vendor_project`,
          product: sql`excluded.product`,
          name: sql`excluded.name`,
          dateAdded: sql`excluded.date_added`,
          dueDate: sql`excluded.due_date`,
          requiredAction: sql`excluded.required_action`,
          ransomwareUse: sql`excluded.ransomware_use`,
          catalogVersion: sql`excluded.catalog_version`,
          entry: sql`excluded.entry`,
        },
      });
  },
  async removeExcept(db: DbOrTx, keep: string[]): Promise<void> {
    if (!keep.length) await db.delete(kevEntries);
    else await db.delete(kevEntries).where(notInArray(kevEntries.cveId, keep));
  },
};

export const epssRepository = {
  async upsert(db: DbOrTx, rows: EpssInsert[]): Promise<void> {
    if (!rows.length) return;
    await db
      .insert(epssScores)
      .values(rows)
      .onConflictDoUpdate({
        target: [epssScores.cveId, epssScores.scoreDate],
        set: { score: sql`excluded.score`, percentile: sql`excluded.percentile` },
      });
  },
  async history(db: DbOrTx, cveId: string) {
    return db
      .select({ date: epssScores.scoreDate, score: epssScores.score, percentile: epssScores.percentile })
      .from(epssScores)
      .where(eq(epssScores.cveId, cveId))
      .orderBy(desc(epssScores.scoreDate));
  },
};

export const feedRunsRepository = {
  async start(db: DbOrTx, feed: FeedRunRow['feed'], source: string): Promise<FeedRunRow> {
    const [row] = await db.insert(feedRuns).values({ feed, source, status: 'running' }).returning();
    return row;
  },
  async finish(
    db: DbOrTx,
    id: string,
    patch: Pick<FeedRunRow, 'status' | 'counts' | 'added' | 'errors' | 'error'>,
  ): Promise<FeedRunRow> {
    const [row] = await db
      .update(feedRuns)
      .set({ ...patch, finishedAt: new Date() })
      .where(eq(feedRuns.id, id))
      .returning();
    return row;
  },
  async list(db: DbOrTx, limit: number, offset: number) {
    const [items, [{ n }]] = await Promise.all([
      db.select().from(feedRuns).orderBy(desc(feedRuns.startedAt)).limit(limit).offset(offset),
      db.select({ n: count() }).from(feedRuns),
    ]);
    return { items, total: Number(n) };
  },
};

export interface FindingFilter {
  status?: FindingStatus;
  ssvc?: string;
  kev?: boolean;
  systemId?: string;
  /** Findings of these systems only (an empty list matches nothing). */
  systemIds?: string[];
  cveId?: string;
  since?: Date;
  q?: string;
}

const findingColumns = {
  f: findings,
  summary: vulnerabilities.summary,
  cvssScore: vulnerabilities.cvssScore,
  cvssVector: vulnerabilities.cvssVector,
  published: vulnerabilities.published,
  epss: latestEpss('score'),
  epssPercentile: latestEpss('percentile'),
};
export type FindingView = {
  f: FindingRow;
  summary: string | null;
  cvssScore: number | null;
  cvssVector: string | null;
  published: Date | null;
  epss: number | null;
  epssPercentile: number | null;
};

export const findingsRepository = {
  where(orgId: string, f: FindingFilter): SQL | undefined {
    return and(
      eq(findings.orgId, orgId),
      f.status ? eq(findings.status, f.status) : undefined,
      f.ssvc ? eq(findings.ssvcDecision, f.ssvc) : undefined,
      f.kev !== undefined ? eq(findings.inKev, f.kev) : undefined,
      f.systemId ? eq(findings.systemId, f.systemId) : undefined,
      f.systemIds ? (f.systemIds.length ? inArray(findings.systemId, f.systemIds) : sql`false`) : undefined,
      f.cveId ? eq(findings.cveId, f.cveId) : undefined,
      f.since ? gte(findings.firstSeen, f.since) : undefined,
      f.q ? or(ilike(findings.cveId, like(f.q)), ilike(vulnerabilities.summary, like(f.q))) : undefined,
    );
  },
  async list(db: DbOrTx, orgId: string, f: FindingFilter, limit: number, offset: number) {
    const where = findingsRepository.where(orgId, f);
    const [items, [{ n }]] = await Promise.all([
      db
        .select(findingColumns)
        .from(findings)
        .leftJoin(vulnerabilities, eq(vulnerabilities.cveId, findings.cveId))
        .where(where)
        .orderBy(
          asc(SSVC_RANK),
          desc(findings.inKev),
          sql`${vulnerabilities.cvssScore} desc nulls last`,
          asc(findings.cveId),
          asc(findings.id),
        )
        .limit(limit)
        .offset(offset),
      db
        .select({ n: count() })
        .from(findings)
        .leftJoin(vulnerabilities, eq(vulnerabilities.cveId, findings.cveId))
        .where(where),
    ]);
    return { items: items as FindingView[], total: Number(n) };
  },
  async get(db: DbOrTx, orgId: string, id: string): Promise<FindingView | undefined> {
    const [row] = await db
      .select(findingColumns)
      .from(findings)
      .leftJoin(vulnerabilities, eq(vulnerabilities.cveId, findings.cveId))
      .where(and(eq(findings.orgId, orgId), eq(findings.id, id)));
    return row as FindingView | undefined;
  },
  /** Open and in-progress findings per system: counts by SSVC decision, in KEV, and overdue on `today`. */
  async activeCountsBySystem(db: DbOrTx, orgId: string, today: string) {
    const rows = await db
      .select({
        systemId: findings.systemId,
        open: count(),
        Act: sql<number>`count(*) filter (where ${findings.ssvcDecision} = 'Act')`,
        Attend: sql<number>`count(*) filter (where ${findings.ssvcDecision} = 'Attend')`,
        'Track*': sql<number>`count(*) filter (where ${findings.ssvcDecision} = 'Track*')`,
        Track: sql<number>`count(*) filter (where ${findings.ssvcDecision} = 'Track')`,
        kev: sql<number>`count(*) filter (where ${findings.inKev})`,
        overdue: sql<number>`count(*) filter (where ${findings.dueDate} < ${today})`,
      })
      .from(findings)
      .where(and(eq(findings.orgId, orgId), inArray(findings.status, ['open', 'in_progress'])))
      .groupBy(findings.systemId);
    return rows.map((r) => ({
      systemId: r.systemId,
      counts: {
        open: Number(r.open),
        Act: Number(r.Act),
        Attend: Number(r.Attend),
        'Track*': Number(r['Track*']),
        Track: Number(r.Track),
        kev: Number(r.kev),
        overdue: Number(r.overdue),
      },
    }));
  },
  async byIds(db: DbOrTx, orgId: string, ids: string[]): Promise<FindingRow[]> {
    if (!ids.length) return [];
    return db
      .select()
      .from(findings)
      .where(and(eq(findings.orgId, orgId), inArray(findings.id, ids)));
  },
  async all(db: DbOrTx, orgId: string, systemId?: string): Promise<FindingRow[]> {
    return db
      .select()
      .from(findings)
      .where(and(eq(findings.orgId, orgId), systemId ? eq(findings.systemId, systemId) : undefined));
  },
  /** What a rematch compares with: the findings of the organization (or of one system), without their traces. */
  async matchState(db: DbOrTx, orgId: string, systemId?: string) {
    return db
      .select({
        id: findings.id,
        systemId: findings.systemId,
        cveId: findings.cveId,
        status: findings.status,
        statusNote: findings.statusNote,
        suppressionKey: findings.suppressionKey,
        firstSeen: findings.firstSeen,
      })
      .from(findings)
      .where(and(eq(findings.orgId, orgId), systemId ? eq(findings.systemId, systemId) : undefined));
  },
  /**
   * New findings of a rematch, first seen `now`: one statement per batch, each column one text parameter (see
   * `joinColumn`; binding a dozen parameters per row, or parsing the rows as JSON, cost more than the rows). Ids
   * are drawn here: gen_random_uuid() per row is slow in the embedded database.
   */
  async insertMatched(db: DbOrTx, orgId: string, now: Date, rows: FindingWrite[]): Promise<void> {
    const seen = now.toISOString();
    // The next batch is built while the database writes the previous one.
    let writing: Promise<unknown> | undefined;
    for (let i = 0; i < rows.length; i += WRITE_BATCH) {
      const columns = unnestColumns(rows.slice(i, i + WRITE_BATCH), [
        () => randomUUID(),
        (r) => r.systemId,
        (r) => r.cveId,
        ...MATCHED_COLUMNS,
      ]);
      await writing;
      writing = db.execute(sql`
        insert into ${findings} (id, org_id, system_id, cve_id, status, confidence, trace, ssvc_decision, ssvc_key,
          in_kev, kev_since, due_date, first_seen)
        select x.id::uuid, ${orgId}::uuid, x.system_id::uuid, x.cve_id, 'open', x.confidence, x.trace,
          x.ssvc_decision, x.ssvc_key, x.in_kev::boolean, case when x.in_kev = 't' then ${seen}::timestamptz end,
          x.due_date::date, ${seen}::timestamptz
        from ${columns} as x(id, system_id, cve_id, confidence, trace, ssvc_decision, ssvc_key, in_kev, due_date)`);
    }
    await writing;
  },
  /**
   * Until `checkSystemsAfterWrites`, findings are written without the per-row check of their foreign key to
   * the system (`session_replication_role`, for this transaction only). Only on the embedded database, where no
   * other session exists to delete a system meanwhile; one statement then checks every system written for.
   */
  async suspendSystemChecks(db: DbOrTx): Promise<void> {
    await db.execute(sql`set local session_replication_role = replica`);
  },
  /** Ends `suspendSystemChecks`: every later statement of the transaction is checked row by row again. */
  async resumeSystemChecks(db: DbOrTx): Promise<void> {
    await db.execute(sql`set local session_replication_role = origin`);
  },
  /**
   * Ends `suspendSystemChecks` and checks, in one statement, that every system the findings were written for
   * is a system of the organization; throws a foreign-key violation (23503) when one is not.
   */
  async checkSystemsAfterWrites(db: DbOrTx, orgId: string, systemIds: string[]): Promise<void> {
    await findingsRepository.resumeSystemChecks(db);
    const [missing] = await queryRows<{ id: string }>(
      db,
      sql`select x.id from unnest(${sql.param(systemIds)}::uuid[]) as x(id)
        where not exists (select 1 from ${systems} s where s.org_id = ${orgId} and s.id = x.id) limit 1`,
    );
    if (missing) {
      throw Object.assign(new Error(`Findings name system ${missing.id}, which is not the organization's`), {
        code: '23503',
        constraint: 'findings_system_fk',
      });
    }
  },
  /** Holds, until the transaction ends, the organization's rematch lock. */
  async lockRematch(db: DbOrTx, orgId: string): Promise<void> {
    await db.execute(sql`select pg_advisory_xact_lock(hashtext('vulns.rematch'), hashtext(${orgId}::text))`);
  },
  /** Stores SSVC readings (key → inputs JSON text) of the organization that are not stored yet. */
  async saveSsvcInputs(db: DbOrTx, orgId: string, readings: Map<string, string>): Promise<void> {
    const all = [...readings];
    for (let i = 0; i < all.length; i += WRITE_BATCH) {
      await db.execute(sql`
        insert into ${vulnSsvcInputs} (org_id, key, inputs)
        select ${orgId}::uuid, r->>0, r->>1 from jsonb_array_elements(${j(all.slice(i, i + WRITE_BATCH))}::jsonb) r
        on conflict do nothing`);
    }
  },
  /** The SSVC inputs (JSON text) stored under this key, or null. */
  async ssvcInputs(db: DbOrTx, orgId: string, key: string): Promise<string | null> {
    const [row] = await db
      .select({ inputs: vulnSsvcInputs.inputs })
      .from(vulnSsvcInputs)
      .where(and(eq(vulnSsvcInputs.orgId, orgId), eq(vulnSsvcInputs.key, key)));
    return row?.inputs ?? null;
  },
  /**
   * Drops the organization's SSVC readings no finding names any more (after a full rematch, when findings
   * of other readings may have been rewritten).
   */
  async pruneSsvcInputs(db: DbOrTx, orgId: string): Promise<void> {
    await db.execute(sql`delete from ${vulnSsvcInputs} r where r.org_id = ${orgId}
      and r.key not in (select distinct f.ssvc_key from ${findings} f where f.org_id = ${orgId})`);
  },
  /** Many rematch updates in one statement per batch (status and note only where given). */
  async updateMatched(db: DbOrTx, orgId: string, rows: FindingRematch[]): Promise<void> {
    for (let i = 0; i < rows.length; i += WRITE_BATCH) {
      const columns = unnestColumns(rows.slice(i, i + WRITE_BATCH), [
        (r) => r.id,
        ...MATCHED_COLUMNS,
        (r) => r.status,
        (r) => r.statusNote,
      ]);
      await db.execute(sql`
        update ${findings} f set
          confidence = u.confidence,
          trace = u.trace,
          ssvc_decision = u.ssvc_decision,
          ssvc_key = u.ssvc_key,
          in_kev = u.in_kev::boolean,
          kev_since = case when u.in_kev = 'f' then null else coalesce(f.kev_since, now()) end,
          due_date = u.due_date::date,
          status = coalesce(u.status, f.status),
          status_note = coalesce(u.status_note, f.status_note),
          updated_at = now()
        from ${columns} as u(id, confidence, trace, ssvc_decision, ssvc_key, in_kev, due_date, status, status_note)
        where f.id = u.id::uuid and f.org_id = ${orgId}`);
    }
  },
  /** Findings a rematch closes, with the status and note of each, in one statement per batch. */
  async closeMany(
    db: DbOrTx,
    orgId: string,
    rows: { id: string; status: FindingStatus; statusNote: string }[],
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += WRITE_BATCH) {
      await db.execute(sql`
        update ${findings} f set status = u.status, status_note = u."statusNote", updated_at = now()
        from jsonb_to_recordset(${j(rows.slice(i, i + WRITE_BATCH))}::jsonb) as u(
          id uuid, status text, "statusNote" text)
        where f.id = u.id and f.org_id = ${orgId}`);
    }
  },
  async update(db: DbOrTx, orgId: string, id: string, patch: Partial<FindingInsert>): Promise<FindingRow> {
    const [row] = await db
      .update(findings)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(findings.orgId, orgId), eq(findings.id, id)))
      .returning();
    return row;
  },
};

export type CsafAdvisoryInsert = typeof csafAdvisories.$inferInsert;

export const csafRepository = {
  /** Stores the advisory unless a revision released later is already kept; true when stored. */
  async upsertIfNewer(db: DbOrTx, row: CsafAdvisoryInsert): Promise<boolean> {
    const stored = await db
      .insert(csafAdvisories)
      .values(row)
      .onConflictDoUpdate({
        target: [csafAdvisories.publisherNamespace, csafAdvisories.trackingId],
        set: {
          publisher: row.publisher,
          version: row.version,
          category: row.category,
          title: row.title,
          releaseDate: row.releaseDate,
          products: row.products,
          vulnerabilities: row.vulnerabilities,
          cves: row.cves,
          vendorKeys: row.vendorKeys,
          updatedAt: sql`now()`,
        },
        setWhere: sql`${csafAdvisories.releaseDate} <= excluded.release_date`,
      })
      .returning({ id: csafAdvisories.id });
    return stored.length > 0;
  },
  async byVendorKeys(db: DbOrTx, keys: string[]): Promise<CsafAdvisoryRow[]> {
    if (!keys.length) return [];
    return db
      .select()
      .from(csafAdvisories)
      .where(sql`${csafAdvisories.vendorKeys} && ${sql.param(keys)}::text[]`);
  },
  async list(db: DbOrTx, q: string | undefined, limit: number, offset: number) {
    const where = q
      ? or(
          ilike(csafAdvisories.title, like(q)),
          ilike(csafAdvisories.trackingId, like(q)),
          sql`${q.toUpperCase()} = any(${csafAdvisories.cves})`,
        )
      : undefined;
    const [items, [{ n }]] = await Promise.all([
      db
        .select({
          id: csafAdvisories.id,
          publisher: csafAdvisories.publisher,
          trackingId: csafAdvisories.trackingId,
          version: csafAdvisories.version,
          category: csafAdvisories.category,
          title: csafAdvisories.title,
          releaseDate: csafAdvisories.releaseDate,
          cves: csafAdvisories.cves,
        })
        .from(csafAdvisories)
        .where(where)
        .orderBy(desc(csafAdvisories.releaseDate), asc(csafAdvisories.trackingId))
        .limit(limit)
        .offset(offset),
      db.select({ n: count() }).from(csafAdvisories).where(where),
    ]);
    return { items, total: n };
  },
};

export const vulnPoliciesRepository = {
  async get(db: DbOrTx, orgId: string): Promise<DuePolicy | null> {
    const [row] = await db.select().from(vulnPolicies).where(eq(vulnPolicies.orgId, orgId));
    return row?.dueDays ?? null;
  },
  async set(db: DbOrTx, orgId: string, dueDays: DuePolicy | null): Promise<void> {
    if (dueDays === null) {
      await db.delete(vulnPolicies).where(eq(vulnPolicies.orgId, orgId));
      return;
    }
    await db
      .insert(vulnPolicies)
      .values({ orgId, dueDays })
      .onConflictDoUpdate({ target: vulnPolicies.orgId, set: { dueDays, updatedAt: sql`now()` } });
  },
};

export const feedStateRepository = {
  async get<T extends Record<string, unknown>>(db: DbOrTx, feed: string): Promise<T | null> {
    const [row] = await db.select().from(vulnFeedState).where(eq(vulnFeedState.feed, feed));
    return (row?.state as T | undefined) ?? null;
  },
  async set(db: DbOrTx, feed: string, state: Record<string, unknown>): Promise<void> {
    await db
      .insert(vulnFeedState)
      .values({ feed, state })
      .onConflictDoUpdate({ target: vulnFeedState.feed, set: { state, updatedAt: sql`now()` } });
  },
};

export const trendRepository = {
  /** Today's counts of open and in-progress findings by SSVC decision, stored as the organization's snapshot. */
  async snapshot(db: DbOrTx, orgId: string, day: string): Promise<TrendCounts> {
    const [r] = await db
      .select({
        open: count(),
        Act: sql<number>`count(*) filter (where ${findings.ssvcDecision} = 'Act')`,
        Attend: sql<number>`count(*) filter (where ${findings.ssvcDecision} = 'Attend')`,
        'Track*': sql<number>`count(*) filter (where ${findings.ssvcDecision} = 'Track*')`,
        Track: sql<number>`count(*) filter (where ${findings.ssvcDecision} = 'Track')`,
        kev: sql<number>`count(*) filter (where ${findings.inKev})`,
      })
      .from(findings)
      .where(and(eq(findings.orgId, orgId), inArray(findings.status, ['open', 'in_progress'])));
    const counts: TrendCounts = {
      open: Number(r?.open ?? 0),
      Act: Number(r?.Act ?? 0),
      Attend: Number(r?.Attend ?? 0),
      'Track*': Number(r?.['Track*'] ?? 0),
      Track: Number(r?.Track ?? 0),
      kev: Number(r?.kev ?? 0),
    };
    await db
      .insert(vulnTrendSnapshots)
      .values({ orgId, day, counts })
      .onConflictDoUpdate({
        target: [vulnTrendSnapshots.orgId, vulnTrendSnapshots.day],
        set: { counts, takenAt: sql`now()` },
      });
    return counts;
  },
  async list(db: DbOrTx, orgId: string, from: string) {
    return db
      .select({ day: vulnTrendSnapshots.day, counts: vulnTrendSnapshots.counts })
      .from(vulnTrendSnapshots)
      .where(and(eq(vulnTrendSnapshots.orgId, orgId), gte(vulnTrendSnapshots.day, from)))
      .orderBy(asc(vulnTrendSnapshots.day));
  },
};
