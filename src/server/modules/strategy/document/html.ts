import type { DocumentData } from './model.js';
import { type Block, buildOutline, type Outline, sourceLine } from './outline.js';
import { fill } from './text.js';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const CSS = `
@page { size: A4; margin: 20mm 18mm 22mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Segoe UI", Arial, sans-serif; color: #1f2933; font-size: 10.5pt; line-height: 1.5;
  max-width: 820px; margin: 0 auto; padding: 32px 24px; background: #fff; }
header.cover { border-bottom: 4px solid #1c5d99; margin-bottom: 28px; padding-bottom: 16px; }
header.cover h1 { font-size: 26pt; line-height: 1.2; margin: 0 0 8px; color: #12355b; }
header.cover p { margin: 2px 0; color: #52606d; }
nav ul { padding-left: 0; list-style: none; columns: 2; }
nav a { color: #1c5d99; text-decoration: none; }
h2 { font-size: 16pt; color: #12355b; border-bottom: 1px solid #cbd2d9; padding-bottom: 4px; margin: 32px 0 12px;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 12pt; color: #1c5d99; margin: 20px 0 8px; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 10px; text-align: justify; hyphens: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 2px; font-size: 9pt; break-inside: auto; }
th, td { border: 1px solid #cbd2d9; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #e4ecf5; color: #12355b; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.facts { width: auto; min-width: 60%; }
table.facts th { background: #f5f7fa; font-weight: 600; width: 65%; }
figure { margin: 8px 0 2px; break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
.source { font-size: 8pt; color: #616e7c; margin: 2px 0 14px; font-style: italic; }
footer { margin-top: 40px; font-size: 8pt; color: #616e7c; border-top: 1px solid #cbd2d9; padding-top: 6px; }
@media print { body { max-width: none; padding: 0; } nav { break-after: page; page-break-after: always; } h2 { break-before: auto; } }
`;

function blockHtml(d: DocumentData, b: Block, ids: Map<Block, string>): string {
  switch (b.type) {
    case 'h1':
      return `<h2 id="${ids.get(b)}">${esc(b.text)}</h2>`;
    case 'h2':
      return `<h3>${esc(b.text)}</h3>`;
    case 'p':
      return `<p>${esc(b.text)}</p>`;
    case 'facts':
      return `<table class="facts"><tbody>${b.items
        .map((i) => `<tr><th scope="row">${esc(i.label)}</th><td class="num">${esc(i.value)}</td></tr>`)
        .join('')}</tbody></table><p class="source">${esc(sourceLine(d, b.source))}</p>`;
    case 'table':
      return `<table><thead><tr>${b.columns
        .map((c, k) => `<th scope="col"${b.numeric[k] ? ' class="num"' : ''}>${esc(c)}</th>`)
        .join('')}</tr></thead><tbody>${b.rows
        .map(
          (r) =>
            `<tr>${r.map((v, k) => `<td${b.numeric[k] ? ' class="num"' : ''}>${esc(v)}</td>`).join('')}</tr>`,
        )
        .join(
          '',
        )}</tbody></table>${b.source ? `<p class="source">${esc(sourceLine(d, b.source, b.brief))}</p>` : ''}`;
    case 'figure':
      return `<figure role="img" aria-label="${esc(b.chart.title)}">${b.chart.svg}</figure><p class="source">${esc(sourceLine(d, b.source))}</p>`;
  }
}

export function renderHtml(d: DocumentData, outline: Outline = buildOutline(d)): string {
  const ids = new Map<Block, string>();
  outline.blocks.forEach((b, k) => {
    if (b.type === 'h1') ids.set(b, `s${k}`);
  });
  const toc = outline.blocks
    .filter((b) => b.type === 'h1')
    .map((b) => `<li><a href="#${ids.get(b)}">${esc(b.text)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="${d.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(outline.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="cover">
<h1>${esc(outline.title)}</h1>
<p>${esc(outline.labels.preparedFor)}</p>
<p>${esc(outline.subtitle)}</p>
</header>
<nav aria-label="${esc(outline.labels.contents)}"><h2>${esc(outline.labels.contents)}</h2><ul>${toc}</ul></nav>
<main>
${outline.blocks.map((b) => blockHtml(d, b, ids)).join('\n')}
</main>
<footer>${esc(outline.title)} · ${esc(fill(outline.labels.generatedBy, { name: d.generatedBy }))}</footer>
</body>
</html>
`;
}
