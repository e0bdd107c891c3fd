import { and, asc, count, desc, eq, ilike, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import type { MaturityScale } from '../../../core/baseline/scoring.js';
import type { DbOrTx } from '../../db/client.js';
import {
  assessmentEvidence,
  assessmentResults,
  assessments,
  baselineControls,
  baselineDocuments,
  baselineMappings,
  baselineSettings,
} from '../../db/schema/index.js';

export type DocumentRow = typeof baselineDocuments.$inferSelect;
export type ControlRow = typeof baselineControls.$inferSelect;
export type AssessmentRow = typeof assessments.$inferSelect;
export type ResultRow = typeof assessmentResults.$inferSelect;
export type EvidenceRow = typeof assessmentEvidence.$inferSelect;
export type EvidenceMeta = Omit<EvidenceRow, 'content'>;
export type MappingRow = typeof baselineMappings.$inferSelect;

// PostgreSQL allows 65,535 bind parameters per statement; 16 columns × 1,000 rows stays well inside.
const CONTROL_BATCH = 1000;

const documentSummary = {
  id: baselineDocuments.id,
  orgId: baselineDocuments.orgId,
  kind: baselineDocuments.kind,
  oscalUuid: baselineDocuments.oscalUuid,
  title: baselineDocuments.title,
  version: baselineDocuments.version,
  sourceName: baselineDocuments.sourceName,
  builtIn: baselineDocuments.builtIn,
  controlCount: baselineDocuments.controlCount,
  createdAt: baselineDocuments.createdAt,
  updatedAt: baselineDocuments.updatedAt,
};
export type DocumentSummary = Omit<DocumentRow, 'document'>;

const evidenceMeta = {
  id: assessmentEvidence.id,
  orgId: assessmentEvidence.orgId,
  resultId: assessmentEvidence.resultId,
  kind: assessmentEvidence.kind,
  title: assessmentEvidence.title,
  url: assessmentEvidence.url,
  fileName: assessmentEvidence.fileName,
  mediaType: assessmentEvidence.mediaType,
  size: assessmentEvidence.size,
  sha256: assessmentEvidence.sha256,
  effectiveDate: assessmentEvidence.effectiveDate,
  expiresAt: assessmentEvidence.expiresAt,
  uploadedBy: assessmentEvidence.uploadedBy,
  createdAt: assessmentEvidence.createdAt,
};

export const documentsRepository = {
  async list(db: DbOrTx, orgId: string, q: string | undefined, limit: number, offset: number) {
    const where = and(
      eq(baselineDocuments.orgId, orgId),
      q
        ? or(ilike(baselineDocuments.title, `%${q}%`), ilike(baselineDocuments.sourceName, `%${q}%`))
        : undefined,
    );
    const items = await db
      .select(documentSummary)
      .from(baselineDocuments)
      .where(where)
      .orderBy(asc(baselineDocuments.title), asc(baselineDocuments.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(baselineDocuments).where(where);
    return { items, total: n };
  },
  async all(db: DbOrTx, orgId: string): Promise<DocumentRow[]> {
    return db.select().from(baselineDocuments).where(eq(baselineDocuments.orgId, orgId));
  },
  async summary(db: DbOrTx, orgId: string, id: string): Promise<DocumentSummary | undefined> {
    const [row] = await db
      .select(documentSummary)
      .from(baselineDocuments)
      .where(and(eq(baselineDocuments.orgId, orgId), eq(baselineDocuments.id, id)));
    return row;
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<DocumentRow | undefined> {
    const [row] = await db
      .select()
      .from(baselineDocuments)
      .where(and(eq(baselineDocuments.orgId, orgId), eq(baselineDocuments.id, id)));
    return row;
  },
  async byOscalUuid(db: DbOrTx, orgId: string, oscalUuid: string): Promise<DocumentSummary | undefined> {
    const [row] = await db
      .select(documentSummary)
      .from(baselineDocuments)
      .where(and(eq(baselineDocuments.orgId, orgId), eq(baselineDocuments.oscalUuid, oscalUuid)));
    return row;
  },
  async insert(db: DbOrTx, row: typeof baselineDocuments.$inferInsert): Promise<DocumentSummary> {
    const [created] = await db.insert(baselineDocuments).values(row).returning(documentSummary);
    return created;
  },
  async delete(db: DbOrTx, orgId: string, id: string) {
    await db
      .delete(baselineDocuments)
      .where(and(eq(baselineDocuments.orgId, orgId), eq(baselineDocuments.id, id)));
  },
  /**
   * One JSON parameter per batch instead of 16 bind parameters per row: PGlite parses one value, and a
   * catalog of SP 800-53's size goes in two statements.
   */
  async insertControls(db: DbOrTx, rows: (typeof baselineControls.$inferInsert)[]) {
    for (let i = 0; i < rows.length; i += CONTROL_BATCH) {
      const batch = rows.slice(i, i + CONTROL_BATCH).map((r) => ({
        document_id: r.documentId,
        org_id: r.orgId,
        control_id: r.controlId,
        sort_order: r.sortOrder,
        label: r.label,
        title: r.title,
        class: r.class,
        parent_id: r.parentId,
        group_id: r.groupId,
        group_title: r.groupTitle,
        depth: r.depth,
        withdrawn: r.withdrawn,
        csf_function: r.csfFunction,
        tier: r.tier,
        statement: r.statement,
        guidance: r.guidance,
      }));
      await db.execute(
        sql`insert into baseline_controls select * from jsonb_populate_recordset(null::baseline_controls, ${JSON.stringify(batch)}::jsonb)`,
      );
    }
  },
  async controls(
    db: DbOrTx,
    orgId: string,
    documentId: string,
    filter: { q?: string; csfFunction?: string; tier?: string; includeWithdrawn?: boolean },
    limit: number,
    offset: number,
  ) {
    const where = and(
      eq(baselineControls.orgId, orgId),
      eq(baselineControls.documentId, documentId),
      filter.q
        ? or(
            ilike(baselineControls.controlId, `%${filter.q}%`),
            ilike(baselineControls.label, `%${filter.q}%`),
            ilike(baselineControls.title, `%${filter.q}%`),
            ilike(baselineControls.statement, `%${filter.q}%`),
          )
        : undefined,
      filter.csfFunction ? eq(baselineControls.csfFunction, filter.csfFunction) : undefined,
      filter.tier ? eq(baselineControls.tier, filter.tier) : undefined,
      filter.includeWithdrawn ? undefined : eq(baselineControls.withdrawn, false),
    );
    const items = await db
      .select()
      .from(baselineControls)
      .where(where)
      .orderBy(asc(baselineControls.sortOrder))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(baselineControls).where(where);
    return { items, total: n };
  },
  async allControls(db: DbOrTx, orgId: string, documentId: string): Promise<ControlRow[]> {
    return db
      .select()
      .from(baselineControls)
      .where(and(eq(baselineControls.orgId, orgId), eq(baselineControls.documentId, documentId)))
      .orderBy(asc(baselineControls.sortOrder));
  },
  async usedByAssessments(db: DbOrTx, orgId: string, documentId: string): Promise<number> {
    const [{ n }] = await db
      .select({ n: count() })
      .from(assessments)
      .where(and(eq(assessments.orgId, orgId), eq(assessments.documentId, documentId)));
    return n;
  },
};

export const assessmentsRepository = {
  async list(db: DbOrTx, orgId: string, q: string | undefined, limit: number, offset: number) {
    const where = and(eq(assessments.orgId, orgId), q ? ilike(assessments.title, `%${q}%`) : undefined);
    const items = await db
      .select()
      .from(assessments)
      .where(where)
      .orderBy(desc(assessments.createdAt), asc(assessments.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(assessments).where(where);
    return { items, total: n };
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<AssessmentRow | undefined> {
    const [row] = await db
      .select()
      .from(assessments)
      .where(and(eq(assessments.orgId, orgId), eq(assessments.id, id)));
    return row;
  },
  async insert(db: DbOrTx, row: typeof assessments.$inferInsert): Promise<AssessmentRow> {
    const [created] = await db.insert(assessments).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<typeof assessments.$inferInsert>) {
    const [row] = await db
      .update(assessments)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(assessments.id, id))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(assessments).where(eq(assessments.id, id));
  },
  async results(db: DbOrTx, orgId: string, assessmentId: string): Promise<ResultRow[]> {
    return db
      .select()
      .from(assessmentResults)
      .where(and(eq(assessmentResults.orgId, orgId), eq(assessmentResults.assessmentId, assessmentId)))
      .orderBy(asc(assessmentResults.requirementId));
  },
  async findResult(
    db: DbOrTx,
    assessmentId: string,
    requirementId: string,
    departmentId: string | null,
  ): Promise<ResultRow | undefined> {
    const [row] = await db
      .select()
      .from(assessmentResults)
      .where(
        and(
          eq(assessmentResults.assessmentId, assessmentId),
          eq(assessmentResults.requirementId, requirementId),
          departmentId === null
            ? sql`${assessmentResults.departmentId} is null`
            : eq(assessmentResults.departmentId, departmentId),
        ),
      );
    return row;
  },
  async insertResults(db: DbOrTx, rows: (typeof assessmentResults.$inferInsert)[]): Promise<ResultRow[]> {
    if (!rows.length) return [];
    return db.insert(assessmentResults).values(rows).returning();
  },
  async updateResult(db: DbOrTx, id: string, patch: Partial<typeof assessmentResults.$inferInsert>) {
    const [row] = await db
      .update(assessmentResults)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(assessmentResults.id, id))
      .returning();
    return row;
  },
  async evidenceOfAssessment(db: DbOrTx, orgId: string, assessmentId: string): Promise<EvidenceMeta[]> {
    return db
      .select(evidenceMeta)
      .from(assessmentEvidence)
      .innerJoin(assessmentResults, eq(assessmentResults.id, assessmentEvidence.resultId))
      .where(and(eq(assessmentEvidence.orgId, orgId), eq(assessmentResults.assessmentId, assessmentId)))
      .orderBy(asc(assessmentEvidence.createdAt));
  },
  async evidenceWithContent(db: DbOrTx, resultIds: string[]): Promise<EvidenceRow[]> {
    if (!resultIds.length) return [];
    return db.select().from(assessmentEvidence).where(inArray(assessmentEvidence.resultId, resultIds));
  },
  async evidence(db: DbOrTx, orgId: string, assessmentId: string, id: string) {
    const [row] = await db
      .select({ e: assessmentEvidence, requirementId: assessmentResults.requirementId })
      .from(assessmentEvidence)
      .innerJoin(assessmentResults, eq(assessmentResults.id, assessmentEvidence.resultId))
      .where(
        and(
          eq(assessmentEvidence.orgId, orgId),
          eq(assessmentResults.assessmentId, assessmentId),
          eq(assessmentEvidence.id, id),
        ),
      );
    return row;
  },
  async insertEvidence(
    db: DbOrTx,
    rows: (typeof assessmentEvidence.$inferInsert)[],
  ): Promise<EvidenceMeta[]> {
    if (!rows.length) return [];
    return db.insert(assessmentEvidence).values(rows).returning(evidenceMeta);
  },
  async deleteEvidence(db: DbOrTx, id: string) {
    await db.delete(assessmentEvidence).where(eq(assessmentEvidence.id, id));
  },
  /** Evidence of the organization that has expired or expires before `until`, soonest first. */
  async expiring(db: DbOrTx, orgId: string, until: Date, limit: number, offset: number) {
    const where = and(
      eq(assessmentEvidence.orgId, orgId),
      isNotNull(assessmentEvidence.expiresAt),
      lte(assessmentEvidence.expiresAt, until),
    );
    const items = await db
      .select({
        evidence: evidenceMeta,
        requirementId: assessmentResults.requirementId,
        departmentId: assessmentResults.departmentId,
        assessmentId: assessments.id,
        assessmentTitle: assessments.title,
      })
      .from(assessmentEvidence)
      .innerJoin(assessmentResults, eq(assessmentResults.id, assessmentEvidence.resultId))
      .innerJoin(assessments, eq(assessments.id, assessmentResults.assessmentId))
      .where(where)
      .orderBy(asc(assessmentEvidence.expiresAt), asc(assessmentEvidence.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(assessmentEvidence).where(where);
    return { items, total: n };
  },
};

export const settingsRepository = {
  async maturityScale(db: DbOrTx, orgId: string): Promise<MaturityScale | undefined> {
    const [row] = await db
      .select({ s: baselineSettings.maturityScale })
      .from(baselineSettings)
      .where(eq(baselineSettings.orgId, orgId));
    return row?.s;
  },
  async setMaturityScale(db: DbOrTx, orgId: string, scale: MaturityScale) {
    await db
      .insert(baselineSettings)
      .values({ orgId, maturityScale: scale })
      .onConflictDoUpdate({
        target: baselineSettings.orgId,
        set: { maturityScale: scale, updatedAt: new Date() },
      });
  },
};

const MAPPING_BATCH = 1000;

export const mappingsRepository = {
  /** Replaces the mappings from one document to another with these. */
  async replace(
    db: DbOrTx,
    orgId: string,
    sourceDocumentId: string,
    targetDocumentId: string,
    rows: { sourceId: string; targetId: string; relationship: MappingRow['relationship'] }[],
  ): Promise<number> {
    const removed = await db
      .delete(baselineMappings)
      .where(
        and(
          eq(baselineMappings.orgId, orgId),
          eq(baselineMappings.sourceDocumentId, sourceDocumentId),
          eq(baselineMappings.targetDocumentId, targetDocumentId),
        ),
      )
      .returning({ id: baselineMappings.id });
    for (let i = 0; i < rows.length; i += MAPPING_BATCH) {
      await db
        .insert(baselineMappings)
        .values(
          rows.slice(i, i + MAPPING_BATCH).map((r) => ({ ...r, orgId, sourceDocumentId, targetDocumentId })),
        );
    }
    return removed.length;
  },
  async list(
    db: DbOrTx,
    orgId: string,
    sourceDocumentId: string,
    filter: { targetDocumentId?: string; q?: string },
    limit: number,
    offset: number,
  ) {
    const where = and(
      eq(baselineMappings.orgId, orgId),
      eq(baselineMappings.sourceDocumentId, sourceDocumentId),
      filter.targetDocumentId ? eq(baselineMappings.targetDocumentId, filter.targetDocumentId) : undefined,
      filter.q
        ? or(
            ilike(baselineMappings.sourceId, `%${filter.q}%`),
            ilike(baselineMappings.targetId, `%${filter.q}%`),
          )
        : undefined,
    );
    const items = await db
      .select()
      .from(baselineMappings)
      .where(where)
      .orderBy(asc(baselineMappings.sourceId), asc(baselineMappings.targetId))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(baselineMappings).where(where);
    return { items, total: n };
  },
  async forPair(db: DbOrTx, orgId: string, sourceDocumentId: string, targetDocumentId: string) {
    return db
      .select()
      .from(baselineMappings)
      .where(
        and(
          eq(baselineMappings.orgId, orgId),
          eq(baselineMappings.sourceDocumentId, sourceDocumentId),
          eq(baselineMappings.targetDocumentId, targetDocumentId),
        ),
      );
  },
  /** The documents the source maps to, with how many relationships each. */
  async targets(db: DbOrTx, orgId: string, sourceDocumentId: string) {
    return db
      .select({
        documentId: baselineMappings.targetDocumentId,
        title: baselineDocuments.title,
        count: count(),
      })
      .from(baselineMappings)
      .innerJoin(baselineDocuments, eq(baselineDocuments.id, baselineMappings.targetDocumentId))
      .where(and(eq(baselineMappings.orgId, orgId), eq(baselineMappings.sourceDocumentId, sourceDocumentId)))
      .groupBy(baselineMappings.targetDocumentId, baselineDocuments.title)
      .orderBy(asc(baselineDocuments.title));
  },
};
