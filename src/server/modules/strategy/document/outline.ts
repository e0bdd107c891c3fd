import { allCharts, type Chart } from './charts.js';
import type { DocumentData, SourceNote } from './model.js';
import { type BlockKey, CODE_NAMES, fill, LABELS, type Labels } from './text.js';

/**
 * The document as a list of blocks, built once from the data and rendered by each format (DOCX, PDF, HTML), so
 * the three say the same thing in the same order.
 */
export type Block =
  | { type: 'h1'; text: string }
  | { type: 'h2'; text: string }
  | { type: 'p'; text: string }
  | { type: 'facts'; items: { label: string; value: string }[]; source: SourceNote }
  | {
      type: 'table';
      columns: string[];
      rows: string[][];
      numeric: boolean[];
      /** null only for the list of sources itself. */
      source: SourceNote | null;
      widths?: number[];
      /** Name the source by reference only: it was given in full just before. */
      brief?: boolean;
    }
  | { type: 'figure'; chart: Chart; source: SourceNote };

export interface Outline {
  title: string;
  subtitle: string;
  lang: DocumentData['lang'];
  orgName: string;
  blocks: Block[];
  labels: Labels;
}

export function formatters(lang: DocumentData['lang']) {
  const locale = lang === 'es' ? 'es-ES' : 'en-US';
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, useGrouping: true });
  const one = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
  const dateTime = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  });
  const t = LABELS[lang];
  const pctSign = lang === 'es' ? '\u00a0%' : '%';
  // Spanish groups thousands only from five digits by CLDR rule; a council document groups every amount.
  const grouped = (x: number) =>
    lang === 'es' ? int.format(x).replace(/^(-?\d)(\d{3})(?!\d)/, '$1.$2') : int.format(x);
  return {
    money: (x: number | null | undefined) => (x == null ? t.notAvailable : grouped(Math.round(x))),
    num: (x: number | null | undefined) => (x == null ? t.notAvailable : grouped(x)),
    dec: (x: number | null | undefined) => (x == null ? t.notAvailable : one.format(x)),
    pct: (x: number | null | undefined) => (x == null ? t.notAvailable : `${one.format(x * 100)}${pctSign}`),
    pct100: (x: number | null | undefined) => (x == null ? t.notAvailable : `${one.format(x)}${pctSign}`),
    date: (d: Date | string | null | undefined) =>
      d == null
        ? t.notAvailable
        : date.format(typeof d === 'string' ? new Date(`${d.slice(0, 10)}T00:00:00Z`) : d),
    dateTime: (d: Date) => dateTime.format(d),
    /** A KPI value with its unit ("50%", "24 hours"). */
    measure: (x: number, unit: string) =>
      unit === '%' ? `${one.format(x)}${pctSign}` : `${one.format(x)} ${unit}`,
    hours: (h: number | null) => (h == null ? t.notAvailable : fill(t.hours, { n: one.format(h) })),
  };
}

export function yearsText(d: DocumentData) {
  return d.years.from === d.years.to ? `${d.years.from}` : `${d.years.from}–${d.years.to}`;
}

export function sourceLine(d: DocumentData, s: SourceNote, brief = false): string {
  const t = LABELS[d.lang];
  if (brief) return `${t.sourceLabel} ${s.id}`;
  const f = formatters(d.lang);
  return `${t.sourceLabel} ${s.id}: ${s.module} — ${s.filter}; ${f.dateTime(s.computedAt)}`;
}

export function buildOutline(d: DocumentData): Outline {
  const t = LABELS[d.lang];
  const names = CODE_NAMES[d.lang];
  const code = (c: string) => names[c] ?? c;
  const f = formatters(d.lang);
  const duration = (value: number | null, unit: string | null) =>
    `${value} ${code(value === 1 ? `${unit}_1` : (unit ?? ''))}`;
  const charts = allCharts(d);
  const blocks: Block[] = [];
  const para = (key: BlockKey) => {
    for (const p of d.blocks[key].split(/\n\s*\n/)) if (p.trim()) blocks.push({ type: 'p', text: p.trim() });
  };
  const table = (
    columns: string[],
    rows: string[][],
    source: SourceNote,
    numeric: boolean[] = columns.map(() => false),
    widths?: number[],
  ) => {
    if (rows.length)
      blocks.push({ type: 'table', columns, rows, numeric, source, ...(widths ? { widths } : {}) });
    else blocks.push({ type: 'p', text: t.none });
  };
  const years = yearsText(d);

  // 1. Context and scope
  blocks.push({ type: 'h1', text: t.s1 });
  para('introduction');
  blocks.push({ type: 'h2', text: t.vision });
  para('vision');
  blocks.push({ type: 'h2', text: t.keyFigures });
  const c = d.context;
  blocks.push({
    type: 'facts',
    items: [
      { label: t.departments, value: f.num(c.departments.length) },
      { label: t.services, value: f.num(c.totals.services) },
      { label: t.criticalServices, value: f.num(c.totals.critical) },
      { label: t.systems, value: f.num(c.totals.systems) },
      {
        label: t.population,
        value:
          c.totals.maxPopulation == null ? t.notAvailable : `${f.num(c.totals.maxPopulation)} ${t.residents}`,
      },
    ],
    source: c.source,
  });
  blocks.push({ type: 'h2', text: t.departments });
  table(
    [t.department, t.servicesCount],
    c.departments.map((x) => [x.name, f.num(x.services)]),
    c.source,
    [false, true],
    [4, 1],
  );
  blocks.push({ type: 'h2', text: t.services });
  table(
    [t.service, t.department, t.tier, t.populationServed, t.lifeSafety],
    c.services.map((s) => [
      s.name,
      s.department ?? '—',
      s.tier == null ? '—' : String(s.tier),
      f.num(s.populationServed),
      s.lifeSafety ? t.yes : t.no,
    ]),
    c.source,
    [false, false, true, true, false],
    [3, 2.2, 0.7, 1.4, 1.1],
  );

  // 2. Risk picture
  const r = d.risks;
  blocks.push({ type: 'h1', text: t.s2 });
  para('riskApproach');
  blocks.push({
    type: 'facts',
    items: [
      { label: t.risksTotal, value: f.num(r.total) },
      { label: t.risksQuantified, value: f.num(r.quantified) },
      { label: t.portfolioMean, value: r.portfolio ? f.money(r.portfolio.meanAnnualLoss) : t.notAvailable },
      { label: t.portfolioP90, value: r.portfolio ? f.money(r.portfolio.p90) : t.notAvailable },
    ],
    source: r.portfolioSource,
  });
  blocks.push({ type: 'h2', text: t.topRisks });
  table(
    [t.risk, t.level, t.status, t.ale, t.p90],
    r.top.map((x) => [x.title, x.levelName, code(x.status), f.money(x.annualLoss), f.money(x.p90)]),
    r.source,
    [false, false, false, true, true],
    [3.6, 1, 1.2, 1.3, 1.3],
  );
  blocks.push({ type: 'p', text: t.moneyNote });
  if (charts.heatmap) {
    blocks.push({ type: 'h2', text: t.heatMap });
    blocks.push({ type: 'figure', chart: charts.heatmap, source: r.source });
  }
  blocks.push({ type: 'h2', text: t.lec });
  if (charts.lec) blocks.push({ type: 'figure', chart: charts.lec, source: r.portfolioSource });
  else blocks.push({ type: 'p', text: t.noQuantified });

  // 3. Priorities and roadmap
  const pr = d.priorities;
  blocks.push({ type: 'h1', text: t.s3 });
  para('priorities');
  blocks.push({ type: 'h2', text: t.budgetPlan });
  blocks.push({
    type: 'facts',
    items: [
      { label: t.budget, value: f.money(pr.plan.budget) },
      { label: t.totalCost, value: f.money(pr.plan.totalCost) },
      { label: t.totalReduction, value: f.money(pr.plan.totalReduction) },
    ],
    source: pr.source,
  });
  blocks.push({ type: 'h2', text: t.roadmap });
  table(
    [t.quarter, t.actionsCol, t.cost],
    pr.plan.roadmap.map((q) => [q.quarter, q.actions.map((a) => a.title).join('; '), f.money(q.cost)]),
    pr.source,
    [false, false, true],
    [1, 5, 1.2],
  );
  blocks.push({ type: 'h2', text: t.treatmentActions });
  table(
    [t.action, t.owner, t.due, t.status, t.cost, t.reduction],
    pr.actions.map((a) => [
      a.title,
      a.owner ?? '—',
      a.dueDate ? f.date(a.dueDate) : '—',
      code(a.status),
      f.money(a.cost),
      f.money(a.reduction),
    ]),
    pr.source,
    [false, false, false, false, true, true],
    [3, 1.8, 1.3, 1, 1, 1.2],
  );
  blocks.push({ type: 'h2', text: t.objectives });
  for (const o of pr.objectives) {
    blocks.push({
      type: 'p',
      text: `${o.title}${o.owner ? ` — ${t.owner}: ${o.owner}` : ''}${o.dueDate ? `, ${t.due}: ${f.date(o.dueDate)}` : ''}.${o.description ? ` ${o.description}` : ''}`,
    });
  }
  const kpiRows = pr.kpis.map((k) => [
    k.objective,
    k.name,
    k.current == null ? t.notAvailable : f.measure(k.current, k.unit),
    f.measure(k.target, k.unit),
    k.progress == null ? t.notAvailable : f.pct(k.progress),
    k.measuredBy === 'manual'
      ? t.manual
      : k.measuredBy.startsWith('pending:')
        ? fill(t.pendingFrom, { module: k.measuredBy.slice(8) })
        : k.measuredBy.replace(/^indicator:/, ''),
  ]);
  table(
    [t.objective, t.kpi, t.current, t.target, t.progress, t.measuredBy],
    kpiRows,
    pr.objectivesSource,
    [false, false, true, true, true, false],
    [2.2, 2.6, 1, 1, 0.9, 1.3],
  );

  // 4. Baseline
  const b = d.baseline.assessment;
  blocks.push({ type: 'h1', text: t.s4 });
  para('baseline');
  if (!b) blocks.push({ type: 'p', text: t.noAssessment });
  else {
    blocks.push({
      type: 'facts',
      items: [
        { label: t.assessment, value: `${b.title} (${f.date(b.updatedAt)})` },
        { label: t.overallScore, value: f.pct100(b.overall) },
        { label: t.applicable, value: f.num(b.applicable) },
        { label: t.implemented, value: f.num(b.implemented) },
        {
          label: t.gaps,
          value: ['high', 'medium', 'low'].map((s) => `${code(s)}: ${f.num(b.gapCounts[s] ?? 0)}`).join(', '),
        },
      ],
      source: d.baseline.source,
    });
    if (charts.baseline) {
      blocks.push({ type: 'h2', text: t.byFunction });
      blocks.push({ type: 'figure', chart: charts.baseline, source: d.baseline.source });
    }
    table(
      [t.function, t.score, t.applicable, t.implemented],
      b.byFunction.map((x) => [
        `${code(x.id)} (${x.id})`,
        f.pct100(x.score),
        f.num(x.applicable),
        f.num(x.implemented),
      ]),
      d.baseline.source,
      [false, true, true, true],
    );
    blocks.push({ type: 'h2', text: t.topGaps });
    table(
      [t.requirement, t.department, t.function, t.severity],
      b.topGaps.map((g) => [
        `${g.requirementId}${g.title ? ` ${g.title}` : ''}`,
        g.department,
        code(g.function),
        code(g.severity),
      ]),
      d.baseline.source,
      undefined,
      [4, 2, 1.2, 1],
    );
  }

  // 5. Information sharing
  const s = d.sharing;
  blocks.push({ type: 'h1', text: t.s5 });
  para('sharing');
  blocks.push({ type: 'h2', text: t.communities });
  table(
    [t.community],
    s.communities.map((x) => [x]),
    s.source,
  );
  blocks.push({ type: 'h2', text: t.feeds });
  table(
    [t.feed, t.lastRun, t.status],
    s.feeds.map((x) => [x.name, x.lastRunAt ? f.date(x.lastRunAt) : '—', x.lastStatus ?? '—']),
    s.source,
  );
  blocks.push({ type: 'h2', text: t.intelHoldings });
  table(
    [t.tlp, t.objects],
    s.intelByTlp.map((x) => [`TLP:${x.tlp.toUpperCase()}`, f.num(x.count)]),
    s.source,
    [false, true],
    [2, 1],
  );
  blocks.push({ type: 'h2', text: t.kevExposure });
  blocks.push({
    type: 'facts',
    items: [
      { label: t.openFindings, value: f.num(s.kev.openFindings) },
      { label: t.openKev, value: f.num(s.kev.openKev) },
      { label: t.kevSystems, value: f.num(s.kev.kevSystems) },
      { label: t.kevOverdue, value: f.num(s.kev.kevOverdue) },
    ],
    source: s.kevSource,
  });

  // 6. Incident response
  const inc = d.incidents;
  blocks.push({ type: 'h1', text: t.s6 });
  para('incidentResponse');
  blocks.push({ type: 'h2', text: t.incidents12 });
  table(
    [t.incidentType, t.count, t.medianDetect, t.medianContain, t.medianRecover],
    inc.byType.map((x) => [
      code(x.type),
      f.num(x.count),
      f.hours(x.detectH),
      f.hours(x.containH),
      f.hours(x.recoverH),
    ]),
    inc.source,
    [false, true, true, true, true],
    [2.2, 1, 1.3, 1.3, 1.4],
  );
  blocks.push({ type: 'h2', text: t.exercises });
  table(
    [t.exercise, t.date],
    inc.exercises.map((x) => [x.title, f.date(x.date)]),
    inc.source,
    undefined,
    [4, 1.3],
  );
  blocks.push({ type: 'h2', text: t.playbooks });
  table(
    [t.playbook, t.source],
    inc.playbooks.map((x) => [x.title, x.own ? t.own : t.shipped]),
    inc.source,
    undefined,
    [4, 1.6],
  );
  blocks.push({ type: 'h2', text: t.regimes });
  table(
    [t.regime, t.jurisdiction, t.rule, t.due],
    inc.regimes.map((x) => [
      x.regime,
      x.jurisdiction,
      x.title,
      x.deadline.fixed
        ? duration(x.deadline.value, x.deadline.unit)
        : `${code('withoutUndueDelay')}${x.deadline.value ? ` (${code('internalTarget')}: ${duration(x.deadline.value, x.deadline.unit)})` : ''}`,
    ]),
    inc.source,
    undefined,
    [1.2, 1, 3, 2],
  );

  // 7. Workforce
  const w = d.workforce;
  blocks.push({ type: 'h1', text: t.s7 });
  para('workforce');
  blocks.push({
    type: 'facts',
    items: [
      { label: t.people, value: f.num(w.people) },
      { label: t.trainingCompletion, value: f.pct(w.trainingCompletion) },
      { label: t.trainingOverdue, value: f.num(w.overdue) },
      { label: t.clickRate, value: f.pct(w.clickRate) },
      { label: t.reportRate, value: f.pct(w.reportRate) },
      { label: t.roleCoverage, value: f.pct(w.roleCoverage) },
    ],
    source: w.source,
  });
  blocks.push({ type: 'h2', text: t.byDepartment });
  table(
    [t.department, t.people, t.trainingCompletion, t.clickRate, t.reportRate],
    w.byDepartment.map((x) => [
      x.name,
      f.num(x.people),
      f.pct(x.completion),
      f.pct(x.clickRate),
      f.pct(x.reportRate),
    ]),
    w.source,
    [false, true, true, true, true],
    [2.6, 0.8, 1.3, 1.2, 1.2],
  );
  blocks.push({ type: 'h2', text: t.roleCoverage });
  table(
    [t.role, t.needed, t.assigned],
    w.roles.map((x) => [x.role, f.num(x.needed), f.num(x.assigned)]),
    w.source,
    [false, true, true],
    [4, 1, 1],
  );

  // 8. Partnerships
  const pa = d.partners;
  blocks.push({ type: 'h1', text: t.s8 });
  para('partnerships');
  blocks.push({ type: 'h2', text: t.partners });
  table(
    [t.partner, t.category, t.services],
    pa.partners.map((x) => [x.name, code(x.category), x.services || '—']),
    pa.source,
    undefined,
    [2.2, 1.2, 3],
  );
  blocks.push({ type: 'h2', text: t.agreements });
  table(
    [t.agreement, t.partner, t.kind, t.status, t.ends],
    pa.agreements.map((x) => [
      x.title,
      x.partner,
      code(x.kind),
      code(x.status),
      x.endsAt ? f.date(x.endsAt) : '—',
    ]),
    pa.source,
    undefined,
    [3, 2, 1, 1.1, 1.4],
  );
  blocks.push({ type: 'h2', text: t.rosterContacts });
  blocks.push({
    type: 'facts',
    items: [
      { label: t.contacts, value: f.num(pa.roster.contacts) },
      { label: t.contacts247, value: f.num(pa.roster.contacts247) },
      { label: t.servicesCovered, value: f.num(pa.roster.services) },
    ],
    source: pa.source,
  });

  // 9. Governance
  blocks.push({ type: 'h1', text: t.s9 });
  blocks.push({ type: 'h2', text: t.governance });
  para('governance');
  blocks.push({ type: 'h2', text: t.indicatorsSummary });
  table(
    [t.kpi, t.current, t.target, t.due],
    pr.kpis.map((k) => [
      k.name,
      k.current == null ? t.notAvailable : f.measure(k.current, k.unit),
      f.measure(k.target, k.unit),
      k.dueDate ? f.date(k.dueDate) : '—',
    ]),
    pr.objectivesSource,
    [false, true, true, false],
    [4, 1.2, 1.2, 1.4],
  );
  blocks.push({ type: 'h2', text: t.reviewCycle });
  para('reviewCycle');

  // 10. Maturity of the seven steps
  blocks.push({ type: 'h1', text: t.sMaturity });
  const mat = d.maturity;
  if (!mat) blocks.push({ type: 'p', text: t.maturityMissing });
  else {
    blocks.push({ type: 'p', text: t.maturityIntro });
    blocks.push({
      type: 'facts',
      items: [{ label: t.overallMaturity, value: f.dec(mat.overall) }],
      source: mat.source,
    });
    if (charts.maturity) blocks.push({ type: 'figure', chart: charts.maturity, source: mat.source });
    table(
      [t.step, t.level],
      mat.steps.map((x) => [`${x.step}. ${x.name}`, `${x.level}${x.overridden ? ` (${t.overridden})` : ''}`]),
      mat.source,
      [false, true],
      [5, 1.4],
    );
    for (const st of mat.steps) {
      blocks.push({ type: 'h2', text: `${st.step}. ${st.name}: ${t.level.toLowerCase()} ${st.level}` });
      blocks.push({
        type: 'table',
        columns: [t.indicator, t.value, t.source],
        rows: st.indicators.map((i) => [i.name, i.value, i.source]),
        numeric: [false, true, false],
        widths: [3.2, 1.3, 2.6],
        source: mat.source,
        brief: true,
      });
    }
  }

  // Appendix
  blocks.push({ type: 'h1', text: t.sSources });
  blocks.push({ type: 'p', text: t.sourcesIntro });
  blocks.push({
    type: 'table',
    columns: [t.sourceId, t.module, t.filter, t.computedAt],
    rows: d.sources.map((x) => [x.id, x.module, x.filter, f.dateTime(x.computedAt)]),
    numeric: [false, false, false, false],
    widths: [0.6, 1, 4.4, 1.8],
    source: null,
  });

  return {
    title: fill(t.title, { city: d.org.name, years }),
    subtitle: fill(t.subtitle, { date: f.date(d.generatedAt) }),
    lang: d.lang,
    orgName: d.org.name,
    blocks,
    labels: t,
  };
}
