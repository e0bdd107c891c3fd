import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { DocumentData } from './model.js';
import { CODE_NAMES, LABELS } from './text.js';

const require = createRequire(import.meta.url);
const fontDir = dirname(require.resolve('@expo-google-fonts/noto-sans/package.json'));

/** Noto Sans, shipped as an npm package: the same glyphs on every machine, Spanish included. */
export const FONTS = {
  regular: join(fontDir, '400Regular/NotoSans_400Regular.ttf'),
  bold: join(fontDir, '700Bold/NotoSans_700Bold.ttf'),
  italic: join(fontDir, '400Regular_Italic/NotoSans_400Regular_Italic.ttf'),
};
const FAMILY = 'Noto Sans';

export interface Chart {
  key: 'heatmap' | 'lec' | 'baseline' | 'maturity';
  title: string;
  /** Width and height in CSS pixels; the PNG is rendered at twice that. */
  width: number;
  height: number;
  svg: string;
  png: Buffer;
}

function render(option: echarts.EChartsCoreOption, width: number, height: number) {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FAMILY, color: '#1f2933' },
    ...option,
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: false, fontFiles: [FONTS.regular, FONTS.bold], defaultFontFamily: FAMILY },
    background: '#ffffff',
  })
    .render()
    .asPng();
  return { svg, png: Buffer.from(png) };
}

const compact = (lang: string) => (v: number) =>
  new Intl.NumberFormat(lang === 'es' ? 'es-ES' : 'en-US', {
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(v);

export function heatMapChart(d: DocumentData): Chart | null {
  const t = LABELS[d.lang];
  const h = d.risks.heatMap;
  if (!h.likelihoods.length || !h.impacts.length) return null;
  const data = h.likelihoods.flatMap((_, l) =>
    h.impacts.map((_, i) => ({
      value: [i, l, h.counts[l][i]],
      itemStyle: {
        color: h.colours[l][i],
        opacity: h.counts[l][i] ? 1 : 0.35,
        borderColor: '#fff',
        borderWidth: 2,
      },
    })),
  );
  const width = 640;
  const height = 360;
  return {
    key: 'heatmap',
    title: t.heatMap,
    width,
    height,
    ...render(
      {
        grid: { left: 120, right: 20, top: 20, bottom: 60 },
        xAxis: {
          type: 'category',
          data: h.impacts,
          name: t.impact,
          nameLocation: 'middle',
          nameGap: 38,
          axisLabel: { interval: 0, fontSize: 11 },
        },
        yAxis: {
          type: 'category',
          data: h.likelihoods,
          name: t.likelihood,
          nameLocation: 'middle',
          nameGap: 105,
          axisLabel: { fontSize: 11 },
        },
        // Cells take the colours of the city's matrix (set per item); the visual map only satisfies the series.
        visualMap: { show: false, min: 0, max: 1, dimension: 2, inRange: { opacity: 1 } },
        series: [
          {
            type: 'heatmap',
            data,
            label: {
              show: true,
              fontSize: 15,
              fontWeight: 'bold',
              color: '#111',
              formatter: (p: { value: number[] }) => (p.value[2] ? String(p.value[2]) : ''),
            },
          },
        ],
      },
      width,
      height,
    ),
  };
}

export function lecChart(d: DocumentData): Chart | null {
  const p = d.risks.portfolio;
  if (!p || p.curve.length < 2) return null;
  const t = LABELS[d.lang];
  const fmt = compact(d.lang);
  const width = 640;
  const height = 340;
  return {
    key: 'lec',
    title: t.lec,
    width,
    height,
    ...render(
      {
        grid: { left: 70, right: 30, top: 20, bottom: 55 },
        xAxis: {
          type: 'log',
          name: t.annualLoss,
          nameLocation: 'middle',
          nameGap: 32,
          axisLabel: { formatter: fmt },
        },
        yAxis: {
          type: 'value',
          min: 0,
          max: 1,
          name: t.probability,
          nameLocation: 'middle',
          nameGap: 48,
          axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
        },
        series: [
          {
            type: 'line',
            showSymbol: false,
            smooth: false,
            lineStyle: { width: 2.5, color: '#1c5d99' },
            areaStyle: { color: 'rgba(28,93,153,0.12)' },
            data: p.curve.filter((c) => c.loss > 0).map((c) => [c.loss, c.probability]),
            markLine: {
              symbol: 'none',
              label: { formatter: (x: { name: string }) => x.name, fontSize: 10, position: 'insideEndTop' },
              lineStyle: { type: 'dashed', color: '#b54708' },
              data: [{ name: `P90 ${fmt(p.p90)}`, xAxis: p.p90 }],
            },
          },
        ],
      },
      width,
      height,
    ),
  };
}

export function baselineChart(d: DocumentData): Chart | null {
  const a = d.baseline.assessment;
  if (!a) return null;
  const t = LABELS[d.lang];
  const names = CODE_NAMES[d.lang];
  const width = 640;
  const height = 280;
  return {
    key: 'baseline',
    title: t.byFunction,
    width,
    height,
    ...render(
      {
        grid: { left: 100, right: 50, top: 10, bottom: 30 },
        xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        yAxis: {
          type: 'category',
          inverse: true,
          data: a.byFunction.map((f) => `${names[f.id] ?? f.id} (${f.id})`),
        },
        series: [
          {
            type: 'bar',
            barWidth: 22,
            data: a.byFunction.map((f) => ({
              value: f.score ?? 0,
              itemStyle: {
                color: (f.score ?? 0) >= 75 ? '#2f855a' : (f.score ?? 0) >= 50 ? '#d69e2e' : '#c53030',
              },
            })),
            label: {
              show: true,
              position: 'right',
              formatter: (p: { dataIndex: number }) =>
                a.byFunction[p.dataIndex].score === null
                  ? t.notAvailable
                  : `${a.byFunction[p.dataIndex].score}%`,
            },
          },
        ],
      },
      width,
      height,
    ),
  };
}

export function maturityChart(d: DocumentData): Chart | null {
  const m = d.maturity;
  if (!m?.steps.length) return null;
  const t = LABELS[d.lang];
  const width = 680;
  const height = 300;
  return {
    key: 'maturity',
    title: t.maturity,
    width,
    height,
    ...render(
      {
        grid: { left: 300, right: 40, top: 10, bottom: 30 },
        xAxis: { type: 'value', min: 0, max: 5, interval: 1 },
        yAxis: {
          type: 'category',
          inverse: true,
          data: m.steps.map((s) => `${s.step}. ${s.name}`),
          axisLabel: { fontSize: 11, width: 290, overflow: 'truncate' },
        },
        series: [
          {
            type: 'bar',
            barWidth: 18,
            data: m.steps.map((s) => ({
              value: s.level,
              itemStyle: {
                color: ['#c53030', '#dd6b20', '#d69e2e', '#38a169', '#2f855a'][
                  Math.max(0, Math.min(4, s.level - 1))
                ],
              },
            })),
            label: { show: true, position: 'right', fontWeight: 'bold' },
          },
        ],
      },
      width,
      height,
    ),
  };
}

export function allCharts(d: DocumentData): Partial<Record<Chart['key'], Chart>> {
  const out: Partial<Record<Chart['key'], Chart>> = {};
  for (const c of [heatMapChart(d), lecChart(d), baselineChart(d), maturityChart(d)]) if (c) out[c.key] = c;
  return out;
}
