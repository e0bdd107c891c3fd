import { readFileSync } from 'node:fs';
import type { Ctx } from '../../../context.js';
import { strategyService } from '../strategy.service.js';
import type { MaturityInput, SourceNote } from './model.js';
import { formatters } from './outline.js';
import { type Lang, SOURCE_TEXT } from './text.js';

interface StrategyStrings {
  noData: string;
  steps: Record<string, string>;
  indicators: Record<string, { label: string; source?: string }>;
}

const cache = new Map<Lang, StrategyStrings | null>();

/**
 * The names of steps and indicators as the web UI translates them (web/src/i18n/locales/<lang>/strategy.json), so
 * the document and the maturity page say the same thing; null when the file is not there (English from the
 * service is used then).
 */
function strategyStrings(lang: Lang): StrategyStrings | null {
  if (!cache.has(lang)) {
    try {
      const url = new URL(`../../../../../web/src/i18n/locales/${lang}/strategy.json`, import.meta.url);
      cache.set(lang, JSON.parse(readFileSync(url, 'utf8')) as StrategyStrings);
    } catch {
      cache.set(lang, null);
    }
  }
  return cache.get(lang) ?? null;
}

export function indicatorLabel(lang: Lang, key: string, fallback: string): string {
  return strategyStrings(lang)?.indicators?.[key]?.label ?? fallback;
}

/** The maturity of the seven steps for the document, read through the strategy module as the caller. */
export async function loadMaturity(ctx: Ctx, orgId: string, lang: Lang): Promise<MaturityInput> {
  const report = await strategyService.maturity(ctx, orgId);
  const s = strategyStrings(lang);
  const f = formatters(lang);
  const noData = s?.noData ?? (lang === 'es' ? 'Sin datos' : 'No data');
  const value = (i: (typeof report.steps)[number]['indicators'][number]) => {
    if (i.value === null) return noData;
    const v =
      i.unit === 'percent'
        ? f.pct100(i.value)
        : i.unit === 'hours'
          ? f.hours(i.value)
          : i.unit === 'days'
            ? `${f.dec(i.value)} ${lang === 'es' ? 'días' : 'days'}`
            : i.unit === 'score'
              ? `${f.dec(i.value)}/100`
              : f.num(i.value);
    return i.numerator !== null && i.denominator !== null
      ? `${v} (${f.num(i.numerator)}/${f.num(i.denominator)})`
      : v;
  };
  const source: SourceNote = {
    id: '',
    module: 'strategy',
    filter: SOURCE_TEXT[lang].maturity,
    computedAt: report.computedAt,
  };
  return {
    computedAt: report.computedAt,
    overall: report.overall,
    steps: report.steps.map((st) => ({
      step: st.step,
      name: s?.steps?.[st.key] ?? st.title,
      level: st.level,
      overridden: st.override !== null,
      indicators: st.indicators.map((i) => ({
        name: s?.indicators?.[i.key]?.label ?? i.label,
        value: value(i),
        source: `${i.source.module}: ${i.source.records}`,
      })),
    })),
    source,
  };
}

/** KPI values measured from the indicators, by KPI id, with the label of the indicator measuring each. */
export async function measuredKpis(ctx: Ctx, orgId: string, lang: Lang) {
  const objectives = await strategyService.objectives(ctx, orgId);
  const out = new Map<string, { current: number | null; progress: number | null; measuredBy: string }>();
  for (const o of objectives) {
    for (const k of o.kpis) {
      if (!k.indicatorKey) continue;
      out.set(k.id, {
        current: k.current,
        progress: k.progress,
        measuredBy: indicatorLabel(lang, k.indicatorKey, k.indicatorKey),
      });
    }
  }
  return out;
}
