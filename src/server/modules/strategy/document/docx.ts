import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { DocumentData } from './model.js';
import { type Block, buildOutline, type Outline, sourceLine } from './outline.js';
import { fill } from './text.js';

const FONT = 'Noto Sans';
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: 'CBD2D9' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };
/** Text width of an A4 page with 2 cm margins, in twentieths of a point. */
const TEXT_WIDTH = 9638;

function cell(text: string, opts: { header?: boolean; numeric?: boolean; width: number }) {
  return new TableCell({
    borders: BORDERS,
    width: { size: opts.width, type: WidthType.DXA },
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    ...(opts.header ? { shading: { type: ShadingType.CLEAR, fill: 'E4ECF5', color: 'auto' } } : {}),
    children: [
      new Paragraph({
        alignment: opts.numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
        spacing: { after: 0 },
        children: [
          new TextRun({ text, bold: opts.header, size: 17, color: opts.header ? '12355B' : undefined }),
        ],
      }),
    ],
  });
}

function widthsOf(n: number, weights?: number[]) {
  const w = weights && weights.length === n ? weights : Array.from({ length: n }, () => 1);
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => Math.floor((TEXT_WIDTH * x) / sum));
}

function sourceParagraph(d: DocumentData, b: Extract<Block, { source: unknown }>) {
  const brief = b.type === 'table' && b.brief === true;
  return new Paragraph({
    spacing: { before: 40, after: 200 },
    children: b.source
      ? [new TextRun({ text: sourceLine(d, b.source, brief), italics: true, size: 15, color: '616E7C' })]
      : [],
  });
}

function blockChildren(d: DocumentData, b: Block): (Paragraph | Table)[] {
  switch (b.type) {
    case 'h1':
      return [new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, text: b.text })];
    case 'h2':
      return [new Paragraph({ heading: HeadingLevel.HEADING_2, text: b.text })];
    case 'p':
      return [new Paragraph({ alignment: AlignmentType.JUSTIFIED, children: [new TextRun(b.text)] })];
    case 'facts': {
      const w = widthsOf(2, [3, 1.4]);
      return [
        new Table({
          width: { size: TEXT_WIDTH, type: WidthType.DXA },
          columnWidths: w,
          rows: b.items.map(
            (i) =>
              new TableRow({
                children: [
                  cell(i.label, { header: true, width: w[0] }),
                  cell(i.value, { numeric: true, width: w[1] }),
                ],
              }),
          ),
        }),
        sourceParagraph(d, b),
      ];
    }
    case 'table': {
      const w = widthsOf(b.columns.length, b.widths);
      return [
        new Table({
          width: { size: TEXT_WIDTH, type: WidthType.DXA },
          columnWidths: w,
          rows: [
            new TableRow({
              tableHeader: true,
              children: b.columns.map((c, k) =>
                cell(c, { header: true, numeric: b.numeric[k], width: w[k] }),
              ),
            }),
            ...b.rows.map(
              (r) =>
                new TableRow({
                  cantSplit: true,
                  children: r.map((v, k) => cell(v, { numeric: b.numeric[k], width: w[k] })),
                }),
            ),
          ],
        }),
        sourceParagraph(d, b),
      ];
    }
    case 'figure': {
      // 16 cm wide at most, keeping the chart's proportions (EMU-free: docx takes pixels at 96 dpi).
      const width = 600;
      const height = Math.round((b.chart.height / b.chart.width) * width);
      return [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          keepNext: true,
          children: [
            new ImageRun({
              type: 'png',
              data: b.chart.png,
              transformation: { width, height },
              altText: { name: b.chart.key, title: b.chart.title, description: b.chart.title },
            }),
          ],
        }),
        sourceParagraph(d, b),
      ];
    }
  }
}

/** The strategy as an editable Word document: real headings (so Word builds the table of contents), tables, charts. */
export async function renderDocx(d: DocumentData, outline: Outline = buildOutline(d)): Promise<Buffer> {
  const t = outline.labels;
  const doc = new Document({
    title: outline.title,
    creator: 'Citywall',
    description: outline.subtitle,
    features: { updateFields: true },
    styles: {
      default: {
        document: { run: { font: FONT, size: 20 }, paragraph: { spacing: { after: 120, line: 288 } } },
        heading1: {
          run: { font: FONT, size: 32, bold: true, color: '12355B' },
          paragraph: { spacing: { before: 240, after: 160 } },
        },
        heading2: {
          run: { font: FONT, size: 24, bold: true, color: '1C5D99' },
          paragraph: { spacing: { before: 240, after: 100 }, keepNext: true },
        },
        title: { run: { font: FONT, size: 52, bold: true, color: '12355B' } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ text: `${outline.title} · `, size: 16, color: '616E7C' }),
                  new TextRun({ children: [PageNumber.CURRENT], size: 16, color: '616E7C' }),
                  new TextRun({ text: ' / ', size: 16, color: '616E7C' }),
                  new TextRun({ children: [PageNumber.TOTAL_PAGES], size: 16, color: '616E7C' }),
                ],
              }),
            ],
          }),
        },
        children: [
          new Paragraph({ spacing: { before: 2400 }, children: [] }),
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(outline.title)] }),
          new Paragraph({
            spacing: { before: 240 },
            children: [new TextRun({ text: t.preparedFor, size: 26, color: '52606D' })],
          }),
          new Paragraph({ children: [new TextRun({ text: outline.subtitle, size: 22, color: '52606D' })] }),
          new Paragraph({
            children: [
              new TextRun({ text: fill(t.generatedBy, { name: d.generatedBy }), size: 18, color: '52606D' }),
            ],
          }),
          new Paragraph({ children: [new PageBreak()] }),
          new Paragraph({
            children: [new TextRun({ text: t.contents, bold: true, size: 32, color: '12355B' })],
          }),
          new TableOfContents(t.contents, { hyperlink: true, headingStyleRange: '1-2' }),
          ...outline.blocks.flatMap((b) => blockChildren(d, b)),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
