import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n';
import { Chart } from '../../ui/Chart';
import type { Indicator, StepKey, Unit } from './types';

export const LEVEL_COLOURS = ['', '#c62828', '#ef6c00', '#f9a825', '#7cb342', '#2e7d32'];

/** An indicator's value in the reader's language, with its unit; "No data" when there is none. */
export function useFormatValue() {
  const { t } = useTranslation('strategy');
  return (value: number | null, unit: Unit | string) => {
    if (value === null) return t('noData');
    const n = formatNumber(value, { maximumFractionDigits: 1 });
    switch (unit) {
      case 'percent':
        return t('units.percent', { value: n });
      case 'days':
        return t('units.days', { value: n });
      case 'hours':
        return t('units.hours', { value: n });
      case 'score':
        return t('units.score', { value: n });
      case 'count':
        return n;
      default:
        return `${n} ${unit}`;
    }
  };
}

export function indicatorShare(i: Indicator, t: (k: string, o?: Record<string, unknown>) => string) {
  return i.numerator !== null && i.denominator !== null
    ? t('share', { numerator: formatNumber(i.numerator), denominator: formatNumber(i.denominator) })
    : null;
}

export function LevelBadge({ level, testId }: { level: number; testId?: string }) {
  const { t } = useTranslation('strategy');
  return (
    <Badge color={LEVEL_COLOURS[level]} variant="filled" data-testid={testId}>
      {t('levelBadge', { level, name: t(`levels.${level}`) })}
    </Badge>
  );
}

/** The seven steps as horizontal bars, levels 1–5. */
export function StepsChart({ steps }: { steps: { step: number; key: StepKey; level: number }[] }) {
  const { t } = useTranslation('strategy');
  const option = useMemo(
    () => ({
      grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 5, interval: 1 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: steps.map((s) => t('stepShort', { step: s.step, title: t(`steps.${s.key}`) })),
        axisLabel: { width: 260, overflow: 'truncate' },
      },
      tooltip: { trigger: 'axis' },
      series: [
        {
          type: 'bar',
          name: t('level'),
          data: steps.map((s) => ({ value: s.level, itemStyle: { color: LEVEL_COLOURS[s.level] } })),
          label: { show: true, position: 'right' },
        },
      ],
    }),
    [steps, t],
  );
  return <Chart option={option} height={260} label={t('dashboard.chartLabel')} />;
}

/** The steps as a list: readable without the chart, and what tests and screen readers read. */
export function StepsList({
  steps,
}: {
  steps: { step: number; key: StepKey; level: number; overridden?: boolean }[];
}) {
  const { t } = useTranslation('strategy');
  return (
    <Stack gap={6}>
      {steps.map((s) => (
        <Group key={s.step} justify="space-between" wrap="nowrap" gap="xs">
          <Text size="sm">{t('stepShort', { step: s.step, title: t(`steps.${s.key}`) })}</Text>
          <Group gap={4} wrap="nowrap">
            {s.overridden && (
              <Badge size="xs" variant="outline">
                {t('overridden')}
              </Badge>
            )}
            <LevelBadge level={s.level} testId={`step-level-${s.step}`} />
          </Group>
        </Group>
      ))}
    </Stack>
  );
}

function duration(ms: number, t: (k: string, o?: Record<string, unknown>) => string) {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d === 0) return t('time.hm', { h, m });
  return t('time.dh', { d, h });
}

/** A deadline counting down (or up, once passed), refreshed every 30 seconds. */
export function Countdown({ dueAt, clock }: { dueAt: string; clock: string }) {
  const { t } = useTranslation('strategy');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);
  const left = new Date(dueAt).getTime() - now;
  return (
    <Text
      size="sm"
      c={left < 0 ? 'red' : left < 6 * 3600_000 ? 'orange' : undefined}
      fw={500}
      data-testid="countdown"
    >
      {left < 0
        ? t('dashboard.overdueBy', { clock, time: duration(-left, t) })
        : t('dashboard.dueIn', { clock, time: duration(left, t) })}
    </Text>
  );
}

export function KpiBar({ progress }: { progress: number | null }) {
  const { t } = useTranslation('strategy');
  if (progress === null) return null;
  return (
    <Progress
      value={progress * 100}
      color={progress >= 1 ? 'green' : 'blue'}
      size="sm"
      aria-label={t('kpi.progress', { value: formatNumber(progress * 100, { maximumFractionDigits: 0 }) })}
    />
  );
}
