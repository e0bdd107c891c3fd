import { and, desc, eq, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { strategyOverrides, strategySnapshots } from '../../db/schema/strategy.js';

/**
 * All SQL of the strategy module. The measures read the other modules' tables with aggregates only (counts,
 * medians), always filtered by the organization; nothing here writes outside the strategy tables.
 */

/** Services of tier 1 or 2 are the critical ones (1 = most critical … 4 = least). */
export const CRITICAL_TIERS = [1, 2] as const;
const critical = sql`s.criticality_tier in (1, 2)`;

const int = (v: unknown): number => Number(v ?? 0);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export type OverrideRow = typeof strategyOverrides.$inferSelect;
export type SnapshotRow = typeof strategySnapshots.$inferSelect;

export const measuresRepository = {
  async assets(db: DbOrTx, orgId: string) {
    const [r] = await rows<Record<string, unknown>>(
      db,
      sql`select
        (select count(*) from services s where s.org_id = ${orgId} and ${critical})::int as critical,
        (select count(*) from services s where s.org_id = ${orgId} and ${critical}
           and nullif(trim(s.owner), '') is not null)::int as with_owner,
        (select count(*) from services s where s.org_id = ${orgId} and ${critical}
           and s.rto_hours is not null)::int as with_rto,
        (select count(*) from services s where s.org_id = ${orgId} and ${critical}
           and exists (select 1 from dependencies d where d.org_id = s.org_id and d.from_service_id = s.id))::int
           as with_deps,
        (select count(*) from systems y where y.org_id = ${orgId})::int as systems,
        (select count(*) from systems y where y.org_id = ${orgId} and y.cpe is not null)::int as with_cpe`,
    );
    return {
      critical: int(r.critical),
      withOwner: int(r.with_owner),
      withRto: int(r.with_rto),
      withDeps: int(r.with_deps),
      systems: int(r.systems),
      withCpe: int(r.with_cpe),
    };
  },

  async riskCoverage(db: DbOrTx, orgId: string) {
    const [r] = await rows<Record<string, unknown>>(
      db,
      sql`select
        (select count(*) from risks r where r.org_id = ${orgId})::int as risks,
        (select count(*) from services s where s.org_id = ${orgId} and ${critical}
           and exists (select 1 from risks r where r.org_id = s.org_id and r.status <> 'closed'
                       and r.service_ids ? s.id::text))::int as with_risk,
        (select count(*) from services s where s.org_id = ${orgId} and ${critical}
           and exists (select 1 from risks r where r.org_id = s.org_id and r.status <> 'closed'
                       and r.fair is not null and r.service_ids ? s.id::text))::int as with_fair`,
    );
    return { risks: int(r.risks), withRisk: int(r.with_risk), withFair: int(r.with_fair) };
  },

  /** What the review cadence needs: the current rating and the last review of every risk not closed. */
  async reviewInputs(db: DbOrTx, orgId: string) {
    return rows<{
      id: string;
      likelihood: number;
      impact: number;
      reviewedFrom: Date | string;
    }>(
      db,
      sql`select id,
        coalesce(residual_likelihood, inherent_likelihood) as likelihood,
        coalesce(residual_impact, inherent_impact) as impact,
        coalesce(last_reviewed_at, created_at) as "reviewedFrom"
        from risks where org_id = ${orgId} and status <> 'closed'`,
    );
  },

  async actionsOnTime(db: DbOrTx, orgId: string, today: string) {
    const [r] = await rows<Record<string, unknown>>(
      db,
      sql`select count(*)::int as dated,
        count(*) filter (where status = 'done' or due_date >= ${today}::date)::int as on_time
        from treatment_actions where org_id = ${orgId} and status <> 'cancelled' and due_date is not null`,
    );
    return { dated: int(r.dated), onTime: int(r.on_time) };
  },

  async latestAssessment(db: DbOrTx, orgId: string) {
    const [r] = await rows<{ id: string; title: string }>(
      db,
      sql`select id, title from assessments where org_id = ${orgId} order by created_at desc, id limit 1`,
    );
    return r ?? null;
  },

  async expiredEvidence(db: DbOrTx, orgId: string, assessmentId: string, now: Date) {
    const [r] = await rows<Record<string, unknown>>(
      db,
      sql`select count(*)::int as n from assessment_evidence e
        join assessment_results r on r.id = e.result_id
        where e.org_id = ${orgId} and r.assessment_id = ${assessmentId}
          and e.expires_at is not null and e.expires_at <= ${now.toISOString()}::timestamptz`,
    );
    return int(r.n);
  },

  async sharing(db: DbOrTx, orgId: string, since: Date) {
    const [r] = await rows<Record<string, unknown>>(
      db,
      sql`select
        (select count(*) from community_members m where m.member_org_id = ${orgId})::int as memberships,
        (select count(distinct stix_id) from stix_shares x where x.org_id = ${orgId}
           and x.created_at >= ${since.toISOString()}::timestamptz)::int as shared`,
    );
    return { memberships: int(r.memberships), shared: int(r.shared) };
  },

  async kev(db: DbOrTx, orgId: string, today: string) {
    const [r] = await rows<Record<string, unknown>>(
      db,
      sql`select
        count(*) filter (where status in ('open', 'in_progress'))::int as open,
        count(*) filter (where status in ('open', 'in_progress') and due_date < ${today}::date)::int as overdue,
        count(distinct system_id) filter (where status in ('open', 'in_progress'))::int as systems,
        count(*) filter (where status = 'mitigated')::int as remediated,
        percentile_cont(0.5) within group (order by extract(epoch from (updated_at - first_seen)) / 86400.0)
          filter (where status = 'mitigated') as median_days
        from findings where org_id = ${orgId} and in_kev`,
    );
    return {
      open: int(r.open),
      overdue: int(r.overdue),
      systems: int(r.systems),
      remediated: int(r.remediated),
      medianDays: numOrNull(r.median_days),
    };
  },

  async incidents(db: DbOrTx, orgId: string, since: Date) {
    const from = since.toISOString();
    const [r] = await rows<Record<string, unknown>>(
      db,
      sql`select
        (select count(*) from (
           select key from incident_playbooks p where p.org_id = ${orgId}
           union
           select playbook_ref from incidents i where i.org_id = ${orgId} and i.playbook_ref is not null
             and i.detected_at >= ${from}::timestamptz
             and not exists (select 1 from incident_playbooks p2 where p2.org_id = i.org_id
                             and p2.id::text = i.playbook_ref)
         ) k)::int as playbooks,
        (select count(distinct key) from incident_playbooks p where p.org_id = ${orgId})::int as own_playbooks,
        (select count(*) from incidents i where i.org_id = ${orgId} and i.exercise
           and i.detected_at >= ${from}::timestamptz)::int as exercises,
        (select count(*) from incidents i where i.org_id = ${orgId} and not i.exercise
           and i.detected_at >= ${from}::timestamptz)::int as real_incidents,
        (select count(*) from incidents i where i.org_id = ${orgId} and not i.exercise
           and i.detected_at >= ${from}::timestamptz and i.playbook_ref is not null)::int as from_playbook,
        (select percentile_cont(0.5) within group (order by hours) from (
           select extract(epoch from (min(t.at) - i.detected_at)) / 3600.0 as hours
           from incidents i join incident_transitions t on t.incident_id = i.id and t.org_id = i.org_id
           where i.org_id = ${orgId} and not i.exercise and i.detected_at >= ${from}::timestamptz
             and t.to_status in ('eradication', 'recovery', 'post-incident-review', 'closed')
           group by i.id, i.detected_at) c) as median_contain,
        (select count(*) from (
           select i.id from incidents i join incident_transitions t on t.incident_id = i.id and t.org_id = i.org_id
           where i.org_id = ${orgId} and not i.exercise and i.detected_at >= ${from}::timestamptz
             and t.to_status in ('eradication', 'recovery', 'post-incident-review', 'closed')
           group by i.id) c)::int as contained`,
    );
    return {
      playbooks: int(r.playbooks),
      ownPlaybooks: int(r.own_playbooks),
      exercises: int(r.exercises),
      realIncidents: int(r.real_incidents),
      fromPlaybook: int(r.from_playbook),
      medianHoursToContain: numOrNull(r.median_contain),
      contained: int(r.contained),
    };
  },

  async openIncidentIds(db: DbOrTx, orgId: string) {
    const r = await rows<{ id: string }>(
      db,
      sql`select id from incidents where org_id = ${orgId} and not exercise and status <> 'closed'
        order by detected_at desc limit 50`,
    );
    return r.map((x) => x.id);
  },

  async workforce(db: DbOrTx, orgId: string, since: Date, now: Date) {
    const from = since.toISOString();
    const to = now.toISOString();
    const [r] = await rows<Record<string, unknown>>(
      db,
      sql`select
        (select count(*) from training_assignments a join people p on p.id = a.person_id
           where a.org_id = ${orgId} and p.active and a.due_at >= ${from}::timestamptz
             and a.due_at <= ${to}::timestamptz)::int as due,
        (select count(*) from training_assignments a join people p on p.id = a.person_id
           where a.org_id = ${orgId} and p.active and a.due_at >= ${from}::timestamptz
             and a.due_at <= ${to}::timestamptz and a.completed_at is not null)::int as completed,
        (select count(*) from phishing_results x join phishing_campaigns c on c.id = x.campaign_id
           where x.org_id = ${orgId} and c.launched_at >= ${from}::timestamptz and x.sent_at is not null)::int
           as sent,
        (select count(*) from phishing_results x join phishing_campaigns c on c.id = x.campaign_id
           where x.org_id = ${orgId} and c.launched_at >= ${from}::timestamptz and x.sent_at is not null
             and x.clicked_at is not null)::int as clicked,
        (select count(*) from phishing_results x join phishing_campaigns c on c.id = x.campaign_id
           where x.org_id = ${orgId} and c.launched_at >= ${from}::timestamptz and x.sent_at is not null
             and x.reported_at is not null)::int as reported,
        (select coalesce(sum(n.count), 0) from role_needs n where n.org_id = ${orgId})::int as roles_needed,
        (select coalesce(sum(least(n.count, (select count(*) from people p where p.org_id = n.org_id
             and p.active and p.work_role_ids ? n.role_id))), 0)
           from role_needs n where n.org_id = ${orgId})::int as roles_filled`,
    );
    return {
      due: int(r.due),
      completed: int(r.completed),
      sent: int(r.sent),
      clicked: int(r.clicked),
      reported: int(r.reported),
      rolesNeeded: int(r.roles_needed),
      rolesFilled: int(r.roles_filled),
    };
  },

  async cooperation(db: DbOrTx, orgId: string, now: Date, horizon: Date) {
    const n = now.toISOString();
    const h = horizon.toISOString();
    const [r] = await rows<Record<string, unknown>>(
      db,
      sql`select
        (select count(*) from partners p where p.org_id = ${orgId})::int as partners,
        (select count(*) from partner_agreements a where a.org_id = ${orgId} and a.starts_at <= ${n}::timestamptz
           and (a.ends_at is null or a.ends_at > ${n}::timestamptz))::int as active,
        (select count(*) from partner_agreements a where a.org_id = ${orgId} and a.starts_at <= ${n}::timestamptz
           and (a.ends_at is null or a.ends_at > ${n}::timestamptz) and a.kind = 'mutual-aid')::int as mutual_aid,
        (select count(*) from partner_agreements a where a.org_id = ${orgId} and a.ends_at > ${n}::timestamptz
           and a.ends_at <= ${h}::timestamptz)::int as expiring,
        (select count(*) from services s where s.org_id = ${orgId} and ${critical})::int as critical,
        (select count(*) from services s where s.org_id = ${orgId} and ${critical}
           and exists (select 1 from partner_contacts c where c.org_id = s.org_id
                       and c.escalation_order is not null
                       and lower(trim(c.service)) = lower(trim(s.name))))::int as on_roster`,
    );
    return {
      partners: int(r.partners),
      active: int(r.active),
      mutualAid: int(r.mutual_aid),
      expiring: int(r.expiring),
      critical: int(r.critical),
      onRoster: int(r.on_roster),
    };
  },

  async expiringAgreements(db: DbOrTx, orgId: string, now: Date, horizon: Date) {
    return rows<{
      id: string;
      title: string;
      partnerId: string;
      partnerName: string;
      endsAt: Date | string;
      autoRenews: boolean;
    }>(
      db,
      sql`select a.id, a.title, a.partner_id as "partnerId", p.name as "partnerName", a.ends_at as "endsAt",
          a.auto_renews as "autoRenews"
        from partner_agreements a join partners p on p.id = a.partner_id
        where a.org_id = ${orgId} and a.ends_at > ${now.toISOString()}::timestamptz
          and a.ends_at <= ${horizon.toISOString()}::timestamptz
        order by a.ends_at, a.title limit 10`,
    );
  },

  async objectivesWithActions(db: DbOrTx, orgId: string) {
    return rows<{
      id: string;
      title: string;
      status: string;
      dueDate: string | null;
      objectiveIds: string[];
    }>(
      db,
      sql`select id, title, status, due_date::text as "dueDate", objective_ids as "objectiveIds"
        from treatment_actions where org_id = ${orgId} and jsonb_array_length(objective_ids) > 0
        order by due_date nulls last, title`,
    );
  },
};

export const overridesRepository = {
  async all(db: DbOrTx, orgId: string): Promise<OverrideRow[]> {
    return db.select().from(strategyOverrides).where(eq(strategyOverrides.orgId, orgId));
  },
  async get(db: DbOrTx, orgId: string, step: number): Promise<OverrideRow | undefined> {
    const [r] = await db
      .select()
      .from(strategyOverrides)
      .where(and(eq(strategyOverrides.orgId, orgId), eq(strategyOverrides.step, step)));
    return r;
  },
  async upsert(db: DbOrTx, row: typeof strategyOverrides.$inferInsert): Promise<OverrideRow> {
    const [r] = await db
      .insert(strategyOverrides)
      .values(row)
      .onConflictDoUpdate({
        target: [strategyOverrides.orgId, strategyOverrides.step],
        set: {
          level: row.level,
          justification: row.justification,
          byUserId: row.byUserId,
          byName: row.byName,
          at: row.at,
        },
      })
      .returning();
    return r;
  },
  async delete(db: DbOrTx, orgId: string, step: number) {
    await db
      .delete(strategyOverrides)
      .where(and(eq(strategyOverrides.orgId, orgId), eq(strategyOverrides.step, step)));
  },
};

export const snapshotsRepository = {
  async insert(db: DbOrTx, row: typeof strategySnapshots.$inferInsert): Promise<SnapshotRow> {
    const [r] = await db.insert(strategySnapshots).values(row).returning();
    return r;
  },
  async list(db: DbOrTx, orgId: string, quarter: string | undefined, limit: number, offset: number) {
    const where = quarter
      ? and(eq(strategySnapshots.orgId, orgId), sql`${strategySnapshots.quarter} ilike ${`%${quarter}%`}`)
      : eq(strategySnapshots.orgId, orgId);
    const items = await db
      .select()
      .from(strategySnapshots)
      .where(where)
      .orderBy(desc(strategySnapshots.takenAt), desc(strategySnapshots.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(strategySnapshots).where(where);
    return { items, total: Number(n) };
  },
  async hasQuarter(db: DbOrTx, orgId: string, quarter: string): Promise<boolean> {
    const r = await db
      .select({ id: strategySnapshots.id })
      .from(strategySnapshots)
      .where(and(eq(strategySnapshots.orgId, orgId), eq(strategySnapshots.quarter, quarter)))
      .limit(1);
    return r.length > 0;
  },
};
