/**
 * The assessment report as a Word document a council can edit: summary, scores by CSF function (a table and a
 * bar chart), the function × department heat map, gaps with their actions, the state of the evidence, and the
 * method. Written in English or Spanish.
 */
import type { MaturityScale } from '../../../core/baseline/scoring.js';
import { barChartPng, heatColor } from './baselines.chart.js';

export type ReportLanguage = 'en' | 'es';

type Bucket = {
  total: number;
  applicable: number;
  implementationScore: number | null;
  averageMaturity: number | null;
  counts: Record<string, number>;
};

export interface ReportGap {
  requirementId: string;
  title: string | null;
  department: string;
  tier: string;
  status: string;
  severity: string;
  maturity: number | null;
  targetMaturity: number | null;
  evidenceLapsed: boolean;
  actionOwner: string | null;
  actionDue: Date | null;
}

export interface ReportEvidence {
  requirementId: string;
  department: string;
  title: string;
  kind: 'file' | 'link';
  effectiveDate: Date;
  expiresAt: Date | null;
}

export interface ReportInput {
  title: string;
  organization: string;
  targetKind: 'organization' | 'department' | 'system';
  target: string;
  document: { title: string; version: string };
  requirementCount: number;
  status: 'open' | 'closed';
  createdAt: Date;
  targetTier: string | null;
  targetMaturity: number | null;
  scale: MaturityScale;
  progress: { answered: number; total: number };
  assessors: string[];
  overall: Bucket;
  byFunction: Record<string, Bucket>;
  byTier: Record<string, Bucket>;
  departments: { name: string; score: Bucket }[];
  heatMap: { department: string; function: string; implementationScore: number | null }[];
  gaps: ReportGap[];
  evidence: ReportEvidence[];
  needsReview: number;
  previous: {
    title: string;
    overallDelta: number | null;
    summary: Record<string, number>;
    byFunction: Record<string, number | null>;
  } | null;
  now: Date;
}

const FUNCTION_IDS = ['GV', 'ID', 'PR', 'DE', 'RS', 'RC'] as const;
const STATUS_COLUMNS = [
  'implemented',
  'partially-implemented',
  'planned',
  'not-implemented',
  'not-applicable',
  'needs-review',
  'not-assessed',
] as const;
const EXPIRING_DAYS = 90;

const TEXT = {
  en: {
    subtitle: 'Cybersecurity baseline assessment report',
    organization: 'Organization',
    assessed: 'Assessed',
    against: 'Baseline',
    scale: 'Maturity scale',
    started: 'Started',
    state: 'Status',
    target: 'Target',
    open: 'open (in progress)',
    closed: 'closed',
    noTarget: 'all requirements in scope, no target maturity',
    targetText: (tier: string | null, maturity: string | null) =>
      [tier ? `${tier} tier and below` : 'all tiers', maturity ? `maturity ${maturity}` : null]
        .filter(Boolean)
        .join(', '),
    kinds: { organization: 'The organization', department: 'Departments', system: 'System' },
    summary: '1. Summary',
    overallLine: (score: string, maturity: string) =>
      `Overall implementation: ${score} of the applicable requirements (weighted), average maturity ${maturity}.`,
    progressLine: (a: number, t: number) => `${a} of ${t} answers recorded.`,
    gapsLine: (n: number, c: number, h: number, m: number, l: number) =>
      `Requirements below target: ${n} (critical ${c}, high ${h}, medium ${m}, low ${l}).`,
    strongWeak: (strong: string, weak: string) => `Strongest function: ${strong}. Weakest: ${weak}.`,
    sincePrevious: (title: string, delta: string, imp: number, reg: number) =>
      `Since the previous cycle (${title}): ${delta} percentage points overall; ${imp} requirements improved, ${reg} regressed.`,
    scores: '2. Scores by CSF function',
    chartCaption:
      'Implementation score by CSF 2.0 function (0–100 %): GV Govern, ID Identify, PR Protect, DE Detect, RS Respond, RC Recover.',
    fn: 'Function',
    score: 'Implementation',
    maturity: 'Average maturity',
    change: 'Change',
    heatMap: 'Function × department',
    department: 'Department',
    all: 'All',
    byTier: 'By tier',
    tier: 'Tier',
    gaps: '3. Gaps and actions',
    noGaps: 'No requirement is below target.',
    severity: 'Severity',
    requirement: 'Requirement',
    why: 'Why',
    owner: 'Action owner',
    due: 'Due',
    noOwner: 'not assigned',
    evidence: '4. Evidence',
    evidenceLine: (files: number, links: number, current: number, expired: number, soon: number) =>
      `Files: ${files}; links: ${links}. Current: ${current}; expired: ${expired}; expiring within ${EXPIRING_DAYS} days: ${soon}.`,
    needsReviewLine: (n: number) =>
      `Requirements claimed implemented that count as "needs review" because all their evidence has expired: ${n}.`,
    evidenceTitle: 'Evidence',
    effective: 'Effective',
    expires: 'Expires',
    expiredState: 'expired',
    soonState: 'expiring soon',
    noEvidenceIssue: 'No evidence has expired or expires soon.',
    method: '5. Method',
    methodBaseline: (doc: string, n: number) =>
      `The assessment uses ${doc}, with ${n} requirements grouped by the six NIST CSF 2.0 functions and in three tiers (foundational, intermediate, advanced).`,
    methodStatus:
      'Each requirement is given a status. The implementation score is the share of applicable requirements done: implemented counts fully, partially implemented half, planned, not implemented and needs review not at all; not applicable requirements (each with a reason) are left out, and requirements not yet assessed count as not done.',
    methodScale: (name: string, levels: string) => `Maturity is recorded on the scale "${name}": ${levels}.`,
    methodEvidence:
      'Evidence (files stored with their SHA-256, or links) has an effective date and may expire. A requirement claimed implemented whose evidence has all expired counts as "needs review" until the evidence is renewed.',
    methodGaps:
      'A gap is a requirement in the target below full implementation or below the target maturity. Its severity weighs how far it is from target and its tier, so a missing foundational requirement ranks first.',
    methodAssessors: (names: string) => `Assessors: ${names}.`,
    generated: (date: string) =>
      `Produced by Citywall on ${date}. This document may be edited freely before it is presented.`,
    reason: {
      status: (s: string) => `status is ${s}`,
      notAssessed: 'not assessed',
      lapsed: 'evidence expired',
      below: (m: string, t: string) => `maturity ${m} is below target ${t}`,
      noMaturity: (t: string) => `no maturity recorded (target ${t})`,
    },
    functions: {
      GV: 'Govern',
      ID: 'Identify',
      PR: 'Protect',
      DE: 'Detect',
      RS: 'Respond',
      RC: 'Recover',
    } as Record<string, string>,
    tiers: {
      foundational: 'foundational',
      intermediate: 'intermediate',
      advanced: 'advanced',
    } as Record<string, string>,
    statuses: {
      implemented: 'Implemented',
      'partially-implemented': 'Partially implemented',
      planned: 'Planned',
      'not-implemented': 'Not implemented',
      'not-applicable': 'Not applicable',
      'needs-review': 'Needs review',
      'not-assessed': 'Not assessed',
    } as Record<string, string>,
    severities: { critical: 'critical', high: 'high', medium: 'medium', low: 'low' } as Record<
      string,
      string
    >,
    levels: {} as Record<string, string[]>,
    scaleNames: {} as Record<string, string>,
  },
  es: {
    subtitle: 'Informe de evaluación de la línea base de ciberseguridad',
    organization: 'Organización',
    assessed: 'Objeto evaluado',
    against: 'Línea base',
    scale: 'Escala de madurez',
    started: 'Inicio',
    state: 'Estado',
    target: 'Meta',
    open: 'abierta (en curso)',
    closed: 'cerrada',
    noTarget: 'todos los requisitos del alcance, sin madurez meta',
    targetText: (tier: string | null, maturity: string | null) =>
      [tier ? `nivel ${tier} e inferiores` : 'todos los niveles', maturity ? `madurez ${maturity}` : null]
        .filter(Boolean)
        .join(', '),
    kinds: { organization: 'La organización', department: 'Dependencias', system: 'Sistema' },
    summary: '1. Resumen',
    overallLine: (score: string, maturity: string) =>
      `Implementación global: ${score} de los requisitos aplicables (ponderada); madurez promedio ${maturity}.`,
    progressLine: (a: number, t: number) => `${a} de ${t} respuestas registradas.`,
    gapsLine: (n: number, c: number, h: number, m: number, l: number) =>
      `Requisitos por debajo de la meta: ${n} (críticos: ${c}; altos: ${h}; medios: ${m}; bajos: ${l}).`,
    strongWeak: (strong: string, weak: string) => `Función más sólida: ${strong}. Más débil: ${weak}.`,
    sincePrevious: (title: string, delta: string, imp: number, reg: number) =>
      `Desde el ciclo anterior (${title}): ${delta} puntos porcentuales en total; requisitos que mejoraron: ${imp}; que retrocedieron: ${reg}.`,
    scores: '2. Puntajes por función del CSF',
    chartCaption:
      'Puntaje de implementación por función del CSF 2.0 (0–100 %): GV Gobernar, ID Identificar, PR Proteger, DE Detectar, RS Responder, RC Recuperar.',
    fn: 'Función',
    score: 'Implementación',
    maturity: 'Madurez promedio',
    change: 'Variación',
    heatMap: 'Función × dependencia',
    department: 'Dependencia',
    all: 'Todas',
    byTier: 'Por nivel',
    tier: 'Nivel',
    gaps: '3. Brechas y acciones',
    noGaps: 'Ningún requisito está por debajo de la meta.',
    severity: 'Gravedad',
    requirement: 'Requisito',
    why: 'Motivo',
    owner: 'Responsable de la acción',
    due: 'Plazo',
    noOwner: 'sin asignar',
    evidence: '4. Evidencias',
    evidenceLine: (files: number, links: number, current: number, expired: number, soon: number) =>
      `Archivos: ${files}; enlaces: ${links}. Vigentes: ${current}; vencidas: ${expired}; por vencer en los próximos ${EXPIRING_DAYS} días: ${soon}.`,
    needsReviewLine: (n: number) =>
      `Requisitos declarados implementados que cuentan como "requiere revisión" porque todas sus evidencias vencieron: ${n}.`,
    evidenceTitle: 'Evidencia',
    effective: 'Vigente desde',
    expires: 'Vence',
    expiredState: 'vencida',
    soonState: 'por vencer',
    noEvidenceIssue: 'Ninguna evidencia ha vencido ni vence pronto.',
    method: '5. Metodología',
    methodBaseline: (doc: string, n: number) =>
      `La evaluación utiliza ${doc}, con ${n} requisitos agrupados según las seis funciones del NIST CSF 2.0 y en tres niveles (fundamental, intermedio y avanzado).`,
    methodStatus:
      'Cada requisito recibe un estado. El puntaje de implementación es la proporción de requisitos aplicables cumplidos: implementado cuenta completo, parcialmente implementado la mitad, y planificado, no implementado y requiere revisión no cuentan; los requisitos que no aplican (cada uno con su justificación) quedan fuera, y los aún no evaluados cuentan como no cumplidos.',
    methodScale: (name: string, levels: string) =>
      `La madurez se registra en la escala "${name}": ${levels}.`,
    methodEvidence:
      'Las evidencias (archivos guardados con su SHA-256, o enlaces) tienen una fecha de vigencia y pueden vencer. Un requisito declarado implementado cuyas evidencias vencieron todas cuenta como "requiere revisión" hasta que se renueven.',
    methodGaps:
      'Una brecha es un requisito de la meta que no está plenamente implementado o que está por debajo de la madurez meta. Su gravedad considera la distancia a la meta y el nivel del requisito, de modo que un requisito fundamental faltante aparece primero.',
    methodAssessors: (names: string) => `Evaluadores: ${names}.`,
    generated: (date: string) =>
      `Elaborado con Citywall el ${date}. Este documento puede editarse libremente antes de presentarse.`,
    reason: {
      status: (s: string) => `estado: ${s}`,
      notAssessed: 'no evaluado',
      lapsed: 'evidencia vencida',
      below: (m: string, t: string) => `madurez ${m} inferior a la meta ${t}`,
      noMaturity: (t: string) => `sin madurez registrada (meta ${t})`,
    },
    functions: {
      GV: 'Gobernar',
      ID: 'Identificar',
      PR: 'Proteger',
      DE: 'Detectar',
      RS: 'Responder',
      RC: 'Recuperar',
    } as Record<string, string>,
    tiers: {
      foundational: 'fundamental',
      intermediate: 'intermedio',
      advanced: 'avanzado',
    } as Record<string, string>,
    statuses: {
      implemented: 'Implementado',
      'partially-implemented': 'Parcialmente implementado',
      planned: 'Planificado',
      'not-implemented': 'No implementado',
      'not-applicable': 'No aplica',
      'needs-review': 'Requiere revisión',
      'not-assessed': 'No evaluado',
    } as Record<string, string>,
    severities: { critical: 'crítica', high: 'alta', medium: 'media', low: 'baja' } as Record<string, string>,
    scaleNames: { 'csf-2.0-tiers': 'Niveles del NIST CSF 2.0', 'cmmi-0-5': 'Niveles CMMI 0–5' } as Record<
      string,
      string
    >,
    // The preset scales in Spanish; a scale of the organization's own keeps the labels it was given.
    levels: {
      'csf-2.0-tiers': ['Parcial', 'Informado por el riesgo', 'Repetible', 'Adaptativo'],
      'cmmi-0-5': [
        'Incompleto',
        'Inicial',
        'Gestionado',
        'Definido',
        'Gestionado cuantitativamente',
        'En optimización',
      ],
    } as Record<string, string[]>,
  },
};

export async function buildReportDocx(input: ReportInput, lang: ReportLanguage): Promise<Buffer> {
  // Loaded on demand, like exceljs: the server and CLI start should not pay for it.
  const {
    AlignmentType,
    Document,
    HeadingLevel,
    ImageRun,
    Packer,
    Paragraph,
    ShadingType,
    Table,
    TableCell,
    TableRow,
    TextRun,
    WidthType,
  } = await import('docx');
  const t = TEXT[lang];
  const locale = lang === 'es' ? 'es' : 'en-GB';
  const date = (d: Date | null) =>
    d ? new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d) : '—';
  const number = (n: number, digits = 1) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);
  const pct = (n: number | null) => (n === null ? '—' : `${number(n)} %`);
  const translatedLevels = t.levels[input.scale.id];
  const scaleName = t.scaleNames[input.scale.id] ?? input.scale.name;
  const levelLabel = (v: number | null) => {
    if (v === null) return null;
    const i = input.scale.levels.findIndex((l) => l.value === v);
    if (i < 0) return String(v);
    return `${v} (${translatedLevels?.[i] ?? input.scale.levels[i].label})`;
  };
  const maturity = (v: number | null) => (v === null ? '—' : number(v, 2));
  const fnName = (id: string) => `${id} ${t.functions[id] ?? id}`;

  const p = (text: string, opts: { bold?: boolean; italics?: boolean } = {}) =>
    new Paragraph({ children: [new TextRun({ text, ...opts })], spacing: { after: 120 } });
  const h = (text: string, level: 1 | 2) =>
    new Paragraph({ text, heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2 });
  const cell = (text: string, opts: { bold?: boolean; fill?: string; center?: boolean } = {}) =>
    new TableCell({
      children: [
        new Paragraph({
          children: [new TextRun({ text, bold: opts.bold, size: 18 })],
          alignment: opts.center ? AlignmentType.CENTER : undefined,
        }),
      ],
      shading: opts.fill ? { type: ShadingType.CLEAR, color: 'auto', fill: opts.fill } : undefined,
    });
  const table = (header: string[], rows: (string | ReturnType<typeof cell>)[][]) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({
          tableHeader: true,
          children: header.map((x) => cell(x, { bold: true, fill: 'DEE2E6' })),
        }),
        ...rows.map((r) => new TableRow({ children: r.map((x) => (typeof x === 'string' ? cell(x) : x)) })),
      ],
    });

  // 1. Summary
  const scored = FUNCTION_IDS.filter((f) => input.byFunction[f]?.implementationScore !== null);
  const sorted = [...scored].sort(
    (a, b) => (input.byFunction[b].implementationScore ?? 0) - (input.byFunction[a].implementationScore ?? 0),
  );
  const sev = (s: string) => input.gaps.filter((g) => g.severity === s).length;
  const summary = [
    p(
      t.overallLine(
        pct(input.overall.implementationScore),
        input.overall.averageMaturity === null
          ? '—'
          : `${maturity(input.overall.averageMaturity)} (${scaleName})`,
      ),
    ),
    p(t.progressLine(input.progress.answered, input.progress.total)),
    p(t.gapsLine(input.gaps.length, sev('critical'), sev('high'), sev('medium'), sev('low'))),
  ];
  if (sorted.length >= 2) {
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    summary.push(
      p(
        t.strongWeak(
          `${fnName(first)} (${pct(input.byFunction[first].implementationScore)})`,
          `${fnName(last)} (${pct(input.byFunction[last].implementationScore)})`,
        ),
      ),
    );
  }
  if (input.previous) {
    const d = input.previous.overallDelta;
    summary.push(
      p(
        t.sincePrevious(
          input.previous.title,
          d === null ? '—' : `${d > 0 ? '+' : ''}${number(d)}`,
          input.previous.summary.improved ?? 0,
          input.previous.summary.regressed ?? 0,
        ),
      ),
    );
  }

  // 2. Scores
  const chart = barChartPng(
    FUNCTION_IDS.map((f) => input.byFunction[f]?.implementationScore ?? null),
    [...FUNCTION_IDS],
  );
  const delta = (f: string) => {
    const v = input.previous?.byFunction[f];
    return v === null || v === undefined ? '—' : `${v > 0 ? '+' : ''}${number(v)}`;
  };
  const fnHeader = [
    t.fn,
    t.score,
    t.maturity,
    ...STATUS_COLUMNS.map((s) => t.statuses[s]),
    ...(input.previous ? [t.change] : []),
  ];
  const fnRows = FUNCTION_IDS.map((f) => {
    const b = input.byFunction[f];
    return [
      fnName(f),
      cell(pct(b.implementationScore), { fill: heatColor(b.implementationScore), center: true }),
      maturity(b.averageMaturity),
      ...STATUS_COLUMNS.map((s) => String(b.counts[s] ?? 0)),
      ...(input.previous ? [delta(f)] : []),
    ];
  });
  const heatRows = input.departments.map((d) => [
    d.name,
    ...FUNCTION_IDS.map((f) => {
      const v =
        input.heatMap.find((x) => x.department === d.name && x.function === f)?.implementationScore ?? null;
      return cell(pct(v), { fill: heatColor(v), center: true });
    }),
    cell(pct(d.score.implementationScore), { fill: heatColor(d.score.implementationScore), center: true }),
  ]);
  const tierRows = Object.entries(input.byTier).map(([tier, b]) => [
    t.tiers[tier] ?? tier,
    cell(pct(b.implementationScore), { fill: heatColor(b.implementationScore), center: true }),
    maturity(b.averageMaturity),
    String(b.counts['not-assessed'] ?? 0),
  ]);

  // 3. Gaps
  const reasons = (g: ReportGap) => {
    const out: string[] = [];
    if (g.status === 'not-assessed') out.push(t.reason.notAssessed);
    else if (g.status !== 'implemented') out.push(t.reason.status(t.statuses[g.status] ?? g.status));
    if (g.evidenceLapsed) out.push(t.reason.lapsed);
    if (g.targetMaturity !== null) {
      const target = levelLabel(g.targetMaturity) as string;
      if (g.maturity === null && g.status === 'implemented') out.push(t.reason.noMaturity(target));
      else if (g.maturity !== null && g.maturity < g.targetMaturity) {
        out.push(t.reason.below(levelLabel(g.maturity) as string, target));
      }
    }
    return out.join('; ');
  };
  const gapRows = input.gaps.map((g) => [
    t.severities[g.severity] ?? g.severity,
    `${g.requirementId} ${g.title ?? ''}`.trim(),
    g.department,
    reasons(g),
    g.actionOwner ?? t.noOwner,
    date(g.actionDue),
  ]);

  // 4. Evidence
  const nowMs = input.now.getTime();
  const soonMs = nowMs + EXPIRING_DAYS * 86_400_000;
  const expired = input.evidence.filter((e) => e.expiresAt && e.expiresAt.getTime() <= nowMs);
  const soon = input.evidence.filter(
    (e) => e.expiresAt && e.expiresAt.getTime() > nowMs && e.expiresAt.getTime() <= soonMs,
  );
  const current = input.evidence.length - expired.length;
  const evidenceRows = [...expired, ...soon].map((e) => [
    `${e.requirementId} · ${e.department}`,
    e.title,
    date(e.effectiveDate),
    date(e.expiresAt),
    expired.includes(e) ? t.expiredState : t.soonState,
  ]);

  // 5. Method
  const levels = input.scale.levels
    .map((l, i) => `${l.value} ${translatedLevels?.[i] ?? l.label}`)
    .join(', ');

  const targetText =
    input.targetTier || input.targetMaturity !== null
      ? t.targetText(
          input.targetTier ? (t.tiers[input.targetTier] ?? input.targetTier) : null,
          levelLabel(input.targetMaturity),
        )
      : t.noTarget;

  const doc = new Document({
    creator: 'Citywall',
    title: input.title,
    description: t.subtitle,
    sections: [
      {
        children: [
          new Paragraph({ text: input.title, heading: HeadingLevel.TITLE }),
          p(t.subtitle, { italics: true }),
          table(
            [t.organization, input.organization],
            [
              [t.assessed, `${t.kinds[input.targetKind]}: ${input.target}`],
              [t.against, `${input.document.title} (${input.document.version})`],
              [t.scale, scaleName],
              [t.target, targetText],
              [t.started, date(input.createdAt)],
              [t.state, input.status === 'open' ? t.open : t.closed],
            ],
          ),
          h(t.summary, 1),
          ...summary,
          h(t.scores, 1),
          new Paragraph({
            children: [
              new ImageRun({ type: 'png', data: chart.png, transformation: { width: 480, height: 240 } }),
            ],
          }),
          p(t.chartCaption, { italics: true }),
          table(fnHeader, fnRows),
          h(t.heatMap, 2),
          table([t.department, ...FUNCTION_IDS.map(fnName), t.all], heatRows),
          h(t.byTier, 2),
          table([t.tier, t.score, t.maturity, t.statuses['not-assessed']], tierRows),
          h(t.gaps, 1),
          ...(gapRows.length
            ? [table([t.severity, t.requirement, t.department, t.why, t.owner, t.due], gapRows)]
            : [p(t.noGaps)]),
          h(t.evidence, 1),
          p(
            t.evidenceLine(
              input.evidence.filter((e) => e.kind === 'file').length,
              input.evidence.filter((e) => e.kind === 'link').length,
              current,
              expired.length,
              soon.length,
            ),
          ),
          ...(input.needsReview ? [p(t.needsReviewLine(input.needsReview))] : []),
          ...(evidenceRows.length
            ? [table([t.requirement, t.evidenceTitle, t.effective, t.expires, t.state], evidenceRows)]
            : [p(t.noEvidenceIssue)]),
          h(t.method, 1),
          p(t.methodBaseline(`${input.document.title} (${input.document.version})`, input.requirementCount)),
          p(t.methodStatus),
          p(t.methodScale(scaleName, levels)),
          p(t.methodEvidence),
          p(t.methodGaps),
          ...(input.assessors.length ? [p(t.methodAssessors(input.assessors.join(', ')))] : []),
          p(t.generated(date(input.now)), { italics: true }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
