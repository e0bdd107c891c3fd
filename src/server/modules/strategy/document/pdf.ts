import PDFDocument from 'pdfkit';
import { FONTS } from './charts.js';
import type { DocumentData } from './model.js';
import { type Block, buildOutline, formatters, type Outline, sourceLine, yearsText } from './outline.js';
import { fill, LABELS } from './text.js';

type Pdf = InstanceType<typeof PDFDocument>;

const MARGIN = { top: 60, bottom: 64, left: 60, right: 60 };
const INK = '#1f2933';
const NAVY = '#12355b';
const BLUE = '#1c5d99';
const MUTED = '#616e7c';
const RULE = '#cbd2d9';
const HEAD_FILL = '#e4ecf5';

export interface PdfOptions {
  /** Leave streams uncompressed (for inspection). */
  compress?: boolean;
}

function newPdf(title: string, lang: string, opts: PdfOptions): Pdf {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    compress: opts.compress ?? true,
    lang,
    displayTitle: true,
    info: { Title: title, Creator: 'Citywall', Producer: 'Citywall' },
  });
  doc.registerFont('body', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  doc.registerFont('italic', FONTS.italic);
  doc.font('body').fontSize(10).fillColor(INK);
  return doc;
}

function toBuffer(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

const bottom = (doc: Pdf) => doc.page.height - MARGIN.bottom;
const width = (doc: Pdf) => doc.page.width - MARGIN.left - MARGIN.right;

function ensure(doc: Pdf, needed: number) {
  if (doc.y + needed > bottom(doc)) doc.addPage();
}

function sourceNote(doc: Pdf, text: string) {
  doc.moveDown(0.2);
  doc
    .font('italic')
    .fontSize(7.5)
    .fillColor(MUTED)
    .text(text, MARGIN.left, doc.y, { width: width(doc) });
  doc.font('body').fontSize(10).fillColor(INK);
  doc.moveDown(0.9);
}

function table(
  doc: Pdf,
  columns: string[],
  rows: string[][],
  numeric: boolean[],
  weights: number[] | undefined,
  fontSize = 8.5,
  pad = 4,
) {
  const total = width(doc);
  const w = weights && weights.length === columns.length ? weights : columns.map(() => 1);
  const sum = w.reduce((a, b) => a + b, 0);
  const cols = w.map((x) => (total * x) / sum);
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(fontSize);
    return Math.max(...cells.map((c, k) => doc.heightOfString(c, { width: cols[k] - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], header: boolean) => {
    const font = header ? 'bold' : 'body';
    const h = rowHeight(cells, font);
    const y = doc.y;
    let x = MARGIN.left;
    cells.forEach((c, k) => {
      if (header) doc.rect(x, y, cols[k], h).fill(HEAD_FILL);
      doc.rect(x, y, cols[k], h).lineWidth(0.5).strokeColor(RULE).stroke();
      doc
        .font(font)
        .fontSize(fontSize)
        .fillColor(header ? NAVY : INK)
        .text(c, x + pad, y + pad, { width: cols[k] - 2 * pad, align: numeric[k] ? 'right' : 'left' });
      x += cols[k];
    });
    doc.x = MARGIN.left;
    doc.y = y + h;
  };
  const headerHeight = rowHeight(columns, 'bold');
  ensure(doc, headerHeight + (rows[0] ? rowHeight(rows[0], 'body') : 0));
  drawRow(columns, true);
  for (const r of rows) {
    const h = rowHeight(r, 'body');
    if (doc.y + h > bottom(doc)) {
      doc.addPage();
      drawRow(columns, true);
    }
    drawRow(r, false);
  }
  doc.font('body').fontSize(10).fillColor(INK);
}

/** Label and value pairs, the label shaded, as a compact two-column box. */
function facts(doc: Pdf, items: { label: string; value: string }[]) {
  const labelW = width(doc) * 0.62;
  const valueW = width(doc) * 0.38;
  const pad = 4;
  for (const i of items) {
    doc.font('body').fontSize(9);
    const h =
      Math.max(
        doc.heightOfString(i.label, { width: labelW - 2 * pad }),
        doc.heightOfString(i.value, { width: valueW - 2 * pad }),
      ) +
      2 * pad;
    ensure(doc, h);
    const y = doc.y;
    doc.rect(MARGIN.left, y, labelW, h).fill('#f5f7fa');
    doc
      .rect(MARGIN.left, y, labelW + valueW, h)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc
      .moveTo(MARGIN.left + labelW, y)
      .lineTo(MARGIN.left + labelW, y + h)
      .stroke();
    doc
      .font('body')
      .fontSize(9)
      .fillColor(INK)
      .text(i.label, MARGIN.left + pad, y + pad, { width: labelW - 2 * pad });
    doc
      .font('bold')
      .fontSize(9)
      .fillColor(NAVY)
      .text(i.value, MARGIN.left + labelW + pad, y + pad, { width: valueW - 2 * pad, align: 'right' });
    doc.x = MARGIN.left;
    doc.y = y + h;
  }
  doc.font('body').fontSize(10).fillColor(INK);
}

function paragraph(doc: Pdf, text: string) {
  doc.font('body').fontSize(10).fillColor(INK);
  ensure(doc, doc.heightOfString(text, { width: width(doc), lineGap: 2 }) > 60 ? 40 : 20);
  doc.text(text, MARGIN.left, doc.y, { width: width(doc), align: 'justify', lineGap: 2 });
  doc.moveDown(0.6);
}

/** Draws the footer (title and "Page n of m") on every page but the cover. */
function footers(doc: Pdf, title: string, pageLabel: string, skipFirst: boolean) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    if (skipFirst && i === range.start) continue;
    doc.switchToPage(i);
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN.bottom + 24;
    doc
      .moveTo(MARGIN.left, y - 6)
      .lineTo(doc.page.width - MARGIN.right, y - 6)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.font('body').fontSize(7.5).fillColor(MUTED);
    doc.text(title, MARGIN.left, y, { width: width(doc) * 0.7, lineBreak: false });
    doc.text(fill(pageLabel, { n: i + 1, total: range.count }), MARGIN.left, y, {
      width: width(doc),
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = saved;
  }
}

interface Layout {
  /** Page number (1-based) of each section heading, by text. */
  pages: Map<string, number>;
}

function renderInto(doc: Pdf, d: DocumentData, outline: Outline, layout: Layout | null): Layout {
  const t = outline.labels;
  const pages = new Map<string, number>();
  // Cover
  doc.rect(0, 0, doc.page.width, 16).fill(BLUE);
  doc.y = 220;
  doc
    .font('bold')
    .fontSize(28)
    .fillColor(NAVY)
    .text(outline.title, MARGIN.left, doc.y, { width: width(doc) });
  doc.moveDown(0.6);
  doc
    .moveTo(MARGIN.left, doc.y)
    .lineTo(MARGIN.left + 120, doc.y)
    .lineWidth(3)
    .strokeColor(BLUE)
    .stroke();
  doc.moveDown(1);
  doc
    .font('body')
    .fontSize(13)
    .fillColor('#52606d')
    .text(t.preparedFor, MARGIN.left, doc.y, { width: width(doc) });
  doc.moveDown(0.3);
  doc.fontSize(11).text(outline.subtitle, { width: width(doc) });
  doc.moveDown(0.3);
  doc.fontSize(10).text(fill(t.generatedBy, { name: d.generatedBy }), { width: width(doc) });

  // Contents: section titles and the pages the previous pass found them on.
  doc.addPage();
  doc.font('bold').fontSize(18).fillColor(NAVY).text(t.contents, MARGIN.left, doc.y);
  doc.moveDown(0.8);
  for (const b of outline.blocks) {
    if (b.type !== 'h1') continue;
    const y = doc.y;
    doc
      .font('body')
      .fontSize(11)
      .fillColor(INK)
      .text(b.text, MARGIN.left, y, { width: width(doc) - 40 });
    const page = layout?.pages.get(b.text);
    doc.text(page ? String(page) : '', MARGIN.left, y, { width: width(doc), align: 'right' });
    doc.moveDown(0.35);
  }

  outline.blocks.forEach((b, k) => {
    renderBlock(doc, d, b, pages, outline.blocks[k + 1]);
  });
  return { pages };
}

function figureSize(doc: Pdf, b: Extract<Block, { type: 'figure' }>) {
  const w = Math.min(width(doc), 460);
  return { w, h: (b.chart.height / b.chart.width) * w };
}

function renderBlock(
  doc: Pdf,
  d: DocumentData,
  b: Block,
  pages: Map<string, number>,
  next: Block | undefined,
) {
  switch (b.type) {
    case 'h1': {
      doc.addPage();
      pages.set(b.text, doc.bufferedPageRange().count);
      doc.outline.addItem(b.text);
      doc
        .font('bold')
        .fontSize(18)
        .fillColor(NAVY)
        .text(b.text, MARGIN.left, doc.y, { width: width(doc) });
      doc
        .moveTo(MARGIN.left, doc.y + 2)
        .lineTo(doc.page.width - MARGIN.right, doc.y + 2)
        .lineWidth(1)
        .strokeColor(RULE)
        .stroke();
      doc.moveDown(0.9);
      break;
    }
    case 'h2':
      // A heading stays with what follows it: a whole figure, or the start of a table or paragraph.
      ensure(doc, next?.type === 'figure' ? figureSize(doc, next).h + 60 : 110);
      doc.moveDown(0.3);
      doc
        .font('bold')
        .fontSize(12.5)
        .fillColor(BLUE)
        .text(b.text, MARGIN.left, doc.y, { width: width(doc) });
      doc.moveDown(0.4);
      break;
    case 'p':
      paragraph(doc, b.text);
      break;
    case 'facts':
      facts(doc, b.items);
      sourceNote(doc, sourceLine(d, b.source));
      break;
    case 'table':
      table(doc, b.columns, b.rows, b.numeric, b.widths);
      if (b.source) sourceNote(doc, sourceLine(d, b.source, b.brief));
      else doc.moveDown(0.9);
      break;
    case 'figure': {
      const { w, h } = figureSize(doc, b);
      ensure(doc, h + 30);
      doc.image(b.chart.png, MARGIN.left + (width(doc) - w) / 2, doc.y, { width: w, height: h });
      doc.y += h + 2;
      sourceNote(doc, sourceLine(d, b.source));
      break;
    }
  }
}

/** The full strategy as a PDF, A4, with a contents page, bookmarks, page numbers and the charts as images. */
export async function renderPdf(
  d: DocumentData,
  opts: PdfOptions = {},
  outline: Outline = buildOutline(d),
): Promise<Buffer> {
  // First pass finds the page of every section for the contents page; the second writes it.
  const probe = newPdf(outline.title, d.lang, opts);
  const layout = renderInto(probe, d, outline, null);
  probe.end();
  const doc = newPdf(outline.title, d.lang, opts);
  renderInto(doc, d, outline, layout);
  footers(doc, outline.title, outline.labels.page, true);
  return toBuffer(doc);
}

/** The one-page board summary: headline figures, top risks, priorities and the decision asked of the council. */
export async function renderBoardSummary(d: DocumentData, opts: PdfOptions = {}): Promise<Buffer> {
  const t = LABELS[d.lang];
  const f = formatters(d.lang);
  const years = yearsText(d);
  const title = fill(t.boardTitle, { city: d.org.name, years });
  const doc = newPdf(title, d.lang, opts);
  doc.rect(0, 0, doc.page.width, 10).fill(BLUE);
  doc.y = MARGIN.top - 20;
  doc
    .font('bold')
    .fontSize(16)
    .fillColor(NAVY)
    .text(title, MARGIN.left, doc.y, { width: width(doc) });
  doc
    .font('body')
    .fontSize(8.5)
    .fillColor(MUTED)
    .text(fill(t.subtitle, { date: f.date(d.generatedAt) }), { width: width(doc) });
  doc.moveDown(0.6);

  const heading = (text: string) => {
    doc.moveDown(0.3);
    doc
      .font('bold')
      .fontSize(11)
      .fillColor(BLUE)
      .text(text, MARGIN.left, doc.y, { width: width(doc) });
    doc.moveDown(0.25);
  };
  heading(t.boardHeadline);
  const b = d.baseline.assessment;
  const kpiBoxes: [string, string][] = [
    [t.portfolioMean, d.risks.portfolio ? f.money(d.risks.portfolio.meanAnnualLoss) : t.notAvailable],
    [t.overallScore, b ? f.pct100(b.overall) : t.notAvailable],
    [t.openKev, f.num(d.sharing.kev.openKev)],
    [t.trainingCompletion, f.pct(d.workforce.trainingCompletion)],
    [t.clickRate, f.pct(d.workforce.clickRate)],
    [t.criticalServices, f.num(d.context.totals.critical)],
  ];
  const boxW = (width(doc) - 2 * 8) / 3;
  const boxH = 38;
  const top = doc.y;
  kpiBoxes.forEach(([label, value], k) => {
    const x = MARGIN.left + (k % 3) * (boxW + 8);
    const y = top + Math.floor(k / 3) * (boxH + 8);
    doc.rect(x, y, boxW, boxH).fill('#f0f4f8');
    doc
      .font('bold')
      .fontSize(15)
      .fillColor(NAVY)
      .text(value, x + 8, y + 6, { width: boxW - 16, lineBreak: false });
    doc
      .font('body')
      .fontSize(7.5)
      .fillColor(MUTED)
      .text(label, x + 8, y + 27, { width: boxW - 16, height: 18, ellipsis: true });
  });
  doc.x = MARGIN.left;
  doc.y = top + 2 * (boxH + 8);

  if (d.maturity) {
    heading(t.maturity);
    table(
      doc,
      [t.step, t.level],
      d.maturity.steps.map((s) => [`${s.step}. ${s.name}`, String(s.level)]),
      [false, true],
      [6, 1],
      7.5,
      2.5,
    );
  }

  heading(t.boardRisks);
  table(
    doc,
    [t.risk, t.level, t.ale],
    d.risks.top.slice(0, 5).map((r) => [r.title, r.levelName, f.money(r.annualLoss)]),
    [false, false, true],
    [4, 1, 1.3],
    8,
    2.5,
  );
  heading(t.boardPriorities);
  const chosen = d.priorities.actions.filter((a) => a.chosen).slice(0, 4);
  table(
    doc,
    [t.action, t.quarter, t.cost, t.reduction],
    chosen.map((a) => [a.title, a.quarter ?? '—', f.money(a.cost), f.money(a.reduction)]),
    [false, false, true, true],
    [3.6, 1.3, 1, 1.2],
    8,
    2.5,
  );
  if (d.priorities.kpis.length) {
    heading(t.indicatorsSummary);
    table(
      doc,
      [t.kpi, t.current, t.target],
      d.priorities.kpis
        .slice(0, 4)
        .map((k) => [
          k.name,
          k.current == null ? t.notAvailable : f.measure(k.current, k.unit),
          f.measure(k.target, k.unit),
        ]),
      [false, true, true],
      [4, 1, 1],
      8,
      2.5,
    );
  }
  heading(t.boardAsk);
  doc
    .font('body')
    .fontSize(9.5)
    .fillColor(INK)
    .text(fill(t.boardAskText, { city: d.org.name, years }), MARGIN.left, doc.y, {
      width: width(doc),
    });
  // The sources line sits in the bottom margin, so it never pushes the summary onto a second page.
  doc.page.margins.bottom = 0;
  doc
    .font('italic')
    .fontSize(7)
    .fillColor(MUTED)
    .text(
      `${t.sourceLabel}: ${d.sources.map((s) => `${s.id} ${s.module}`).join(', ')}. ${t.moneyNote}`,
      MARGIN.left,
      doc.page.height - MARGIN.bottom + 8,
      { width: width(doc) },
    );
  return toBuffer(doc);
}
