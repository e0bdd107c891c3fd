import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, can, del, formatDate, get, type Page, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { Chart } from '../../ui/Chart';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { indicatorShare, KpiBar, LevelBadge, StepsChart, useFormatValue } from './parts';
import type {
  Criterion,
  Indicator,
  MaturityReport,
  ObjectiveProgress,
  Snapshot,
  StepMaturity,
} from './types';

function criterionText(
  c: Criterion,
  t: (k: string, o?: Record<string, unknown>) => string,
  fmt: ReturnType<typeof useFormatValue>,
  unit: string,
) {
  const label = t(`indicators.${c.indicatorKey}.label`);
  if (c.comparison === '<=' && c.threshold === 0) return t('criteria.none', { label });
  if (unit === 'percent' && c.comparison === '>=' && c.threshold === 100) return t('criteria.all', { label });
  if (unit === 'percent' && c.comparison === '<=' && c.threshold === 100)
    return t('criteria.measured', { label });
  const value = fmt(c.threshold, unit);
  return c.comparison === '>='
    ? t('criteria.atLeast', { label, value })
    : t('criteria.atMost', { label, value });
}

function IndicatorsTable({ indicators }: { indicators: Indicator[] }) {
  const { t } = useTranslation('strategy');
  const fmt = useFormatValue();
  return (
    <Table withTableBorder striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('columns.indicator')}</Table.Th>
          <Table.Th>{t('columns.value')}</Table.Th>
          <Table.Th>{t('columns.how')}</Table.Th>
          <Table.Th>{t('columns.source')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {indicators.map((i) => (
          <Table.Tr key={i.key} data-testid={`indicator-${i.key}`}>
            <Table.Td>{t(`indicators.${i.key}.label`)}</Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <Text size="sm" fw={600} c={i.value === null ? 'dimmed' : undefined}>
                {fmt(i.value, i.unit)}
              </Text>
              {indicatorShare(i, t) && (
                <Text size="xs" c="dimmed">
                  {indicatorShare(i, t)}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="xs">{t(`indicators.${i.key}.how`)}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="xs">
                {t(`modules.${i.source.module}`)} · {t(`indicators.${i.key}.source`)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function OverrideForm({ orgId, step }: { orgId: string; step: StepMaturity }) {
  const { t } = useTranslation('strategy');
  const qc = useQueryClient();
  const [level, setLevel] = useState<string | null>(String(step.override?.level ?? step.computedLevel));
  const [justification, setJustification] = useState('');
  const [error, setError] = useState<string | null>(null);
  const done = (r: MaturityReport) => {
    qc.setQueryData(['strategy-maturity', orgId], r);
    void qc.invalidateQueries({ queryKey: ['strategy-dashboard', orgId] });
    setJustification('');
    setError(null);
  };
  const save = useMutation({
    mutationFn: () =>
      api<MaturityReport>('PUT', `/orgs/${orgId}/strategy/steps/${step.step}/override`, {
        level: Number(level),
        justification,
      }),
    onSuccess: done,
    onError: (e) =>
      setError(
        e instanceof ApiError && e.errors?.some((x) => x.path.includes('justification'))
          ? t('override.tooShort')
          : e.message,
      ),
  });
  const clear = useMutation({
    mutationFn: () => del<MaturityReport>(`/orgs/${orgId}/strategy/steps/${step.step}/override`),
    onSuccess: done,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} aria-label={t('override.title')}>
      <Stack gap="xs">
        <Title order={4} size="h6">
          {t('override.title')}
        </Title>
        <Group align="flex-end" gap="sm">
          <Select
            label={t('override.level')}
            data={[1, 2, 3, 4, 5].map((l) => ({
              value: String(l),
              label: t('levelBadge', { level: l, name: t(`levels.${l}`) }),
            }))}
            value={level}
            onChange={setLevel}
            allowDeselect={false}
            w={220}
          />
        </Group>
        <Textarea
          label={t('override.justification')}
          description={t('override.help')}
          value={justification}
          onChange={(e) => setJustification(e.currentTarget.value)}
          minRows={2}
          autosize
          required
          error={error}
        />
        <Group gap="sm">
          <Button
            type="submit"
            size="xs"
            loading={save.isPending}
            disabled={justification.trim().length === 0}
          >
            {t('override.save')}
          </Button>
          {step.override && (
            <Button size="xs" variant="default" loading={clear.isPending} onClick={() => clear.mutate()}>
              {t('override.clear')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

function StepCard({ orgId, step, canOverride }: { orgId: string; step: StepMaturity; canOverride: boolean }) {
  const { t } = useTranslation('strategy');
  const fmt = useFormatValue();
  const units = new Map(step.indicators.map((i) => [i.key, i.unit]));
  return (
    <Card withBorder id={`step-${step.step}`}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={2} size="h4">
          {t('stepShort', { step: step.step, title: t(`steps.${step.key}`) })}
        </Title>
        <LevelBadge level={step.level} testId={`maturity-level-${step.step}`} />
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('computedLevel', { level: step.computedLevel })}
      </Text>
      {step.override && (
        <Alert color="blue" variant="light" mb="sm" title={t('overridden')}>
          <Text size="sm">
            {t('override.by', {
              level: step.override.level,
              name: step.override.by.name,
              date: formatDate(step.override.at),
            })}
          </Text>
          <Text size="sm" fs="italic">
            {step.override.justification}
          </Text>
        </Alert>
      )}
      <Title order={3} size="h5" mb="xs">
        {t('indicatorsTitle')}
      </Title>
      <IndicatorsTable indicators={step.indicators} />
      <Title order={3} size="h5" mt="md" mb="xs">
        {t('criteria.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('criteria.level1')}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {[2, 3, 4, 5].map((level) => (
          <Stack key={level} gap={2}>
            <Text size="sm" fw={600}>
              {t('levelBadge', { level, name: t(`levels.${level}`) })}
            </Text>
            <List size="sm" spacing={2}>
              {step.criteria
                .filter((c) => c.level === level)
                .map((c) => (
                  <List.Item
                    key={c.key}
                    icon={
                      <Badge
                        size="xs"
                        color={c.met ? 'green' : 'gray'}
                        variant={c.met ? 'filled' : 'outline'}
                      >
                        {c.met ? t('criteria.met') : t('criteria.unmet')}
                      </Badge>
                    }
                  >
                    {criterionText(c, t, fmt, units.get(c.indicatorKey) ?? 'count')}
                  </List.Item>
                ))}
            </List>
          </Stack>
        ))}
      </SimpleGrid>
      {canOverride && (
        <Stack mt="md">
          <OverrideForm orgId={orgId} step={step} />
        </Stack>
      )}
    </Card>
  );
}

function History({ orgId, canSnapshot }: { orgId: string; canSnapshot: boolean }) {
  const { t } = useTranslation('strategy');
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['strategy-history', orgId],
    queryFn: () => get<Page<Snapshot>>(`/orgs/${orgId}/strategy/snapshots?limit=40`),
  });
  const take = useMutation({
    mutationFn: () => post<Snapshot>(`/orgs/${orgId}/strategy/snapshots`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['strategy-history', orgId] }),
  });
  const items = useMemo(() => [...(q.data?.items ?? [])].reverse(), [q.data]);
  const option = useMemo(
    () => ({
      grid: { left: 8, right: 16, top: 40, bottom: 24, containLabel: true },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: items.map((s) => `${s.quarter} · ${formatDate(s.takenAt)}`) },
      yAxis: { type: 'value', min: 1, max: 5, interval: 1 },
      series: [1, 2, 3, 4, 5, 6, 7].map((n) => {
        const key = items[0]?.steps.find((s) => s.step === n)?.key;
        return {
          type: 'line',
          name: key ? t('stepShort', { step: n, title: t(`steps.${key}`) }) : String(n),
          data: items.map((s) => s.steps.find((x) => x.step === n)?.level ?? null),
        };
      }),
    }),
    [items, t],
  );
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('history.title')}
        </Title>
        {canSnapshot && (
          <Button size="xs" variant="light" loading={take.isPending} onClick={() => take.mutate()}>
            {t('history.take')}
          </Button>
        )}
      </Group>
      {take.error && <ErrorAlert error={take.error} />}
      {q.error && <ErrorAlert error={q.error} />}
      {q.data && items.length === 0 && <Text c="dimmed">{t('history.empty')}</Text>}
      {items.length > 0 && (
        <>
          <Chart option={option} height={280} label={t('history.chartLabel')} />
          <Text size="xs" c="dimmed">
            {t('history.count', { count: q.data?.total ?? 0 })}
          </Text>
        </>
      )}
    </Card>
  );
}

function Objectives({ orgId }: { orgId: string }) {
  const { t } = useTranslation('strategy');
  const fmt = useFormatValue();
  const q = useQuery({
    queryKey: ['strategy-objectives', orgId],
    queryFn: () => get<{ items: ObjectiveProgress[] }>(`/orgs/${orgId}/strategy/objectives`),
  });
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('objectives.title')}
        </Title>
        <Anchor component={Link} to={`/orgs/${orgId}/plan`} size="sm">
          {t('dashboard.plan')}
        </Anchor>
      </Group>
      {q.error && <ErrorAlert error={q.error} />}
      {q.data?.items.length === 0 && <Text c="dimmed">{t('objectives.empty')}</Text>}
      <Stack gap="md">
        {q.data?.items.map((o) => (
          <Stack key={o.id} gap="xs">
            <Group justify="space-between">
              <Title order={3} size="h5">
                {o.title}
              </Title>
              <Text size="xs" c="dimmed">
                {[
                  o.owner ? t('objectives.owner', { owner: o.owner }) : null,
                  o.dueDate ? t('objectives.due', { date: o.dueDate }) : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </Group>
            <Table withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('kpi.name')}</Table.Th>
                  <Table.Th>{t('kpi.current')}</Table.Th>
                  <Table.Th>{t('kpi.target')}</Table.Th>
                  <Table.Th>{t('kpi.how')}</Table.Th>
                  <Table.Th w={140}>{t('kpi.progressTitle')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {o.kpis.map((k) => (
                  <Table.Tr key={k.id}>
                    <Table.Td>{k.name}</Table.Td>
                    <Table.Td>{fmt(k.current, k.unit)}</Table.Td>
                    <Table.Td>
                      {k.direction === 'increase'
                        ? t('kpi.atLeast', { value: fmt(k.target, k.unit) })
                        : t('kpi.atMost', { value: fmt(k.target, k.unit) })}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">
                        {k.indicatorKey
                          ? t('kpi.measured', { indicator: t(`indicators.${k.indicatorKey}.label`) })
                          : t('kpi.declared')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <KpiBar progress={k.progress} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="sm" fw={500}>
              {t('objectives.actions')}
            </Text>
            {o.actions.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('objectives.noActions')}
              </Text>
            ) : (
              <List size="sm">
                {o.actions.map((a) => (
                  <List.Item key={a.id}>
                    {a.title} · {t(`actionStatus.${a.status}`)}
                    {a.dueDate ? ` · ${t('objectives.due', { date: a.dueDate })}` : ''}
                  </List.Item>
                ))}
              </List>
            )}
          </Stack>
        ))}
      </Stack>
    </Card>
  );
}

export function StrategyPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const { t } = useTranslation('strategy');
  const org = useOrg(orgId);
  const q = useQuery({
    queryKey: ['strategy-maturity', orgId],
    queryFn: () => get<MaturityReport>(`/orgs/${orgId}/strategy/maturity`),
  });
  const analyze = can(org, 'data.analyze');
  return (
    <>
      <PageHeader
        title={t('page.title')}
        description={t('page.description')}
        actions={
          q.data && (
            <Badge size="lg">
              {t('dashboard.overall', { value: formatNumber(q.data.overall, { maximumFractionDigits: 1 }) })}
            </Badge>
          )
        }
      />
      {q.error && <ErrorAlert error={q.error} />}
      {!q.data && !q.error && <Text c="dimmed">{t('common:state.loading')}</Text>}
      {q.data && (
        <Stack gap="lg">
          <Card withBorder>
            <Text size="xs" c="dimmed" mb="xs">
              {t('page.computedAt', { date: formatDate(q.data.computedAt) })}
            </Text>
            <StepsChart steps={q.data.steps} />
            <Group gap="xs" mt="xs">
              {q.data.steps.map((s) => (
                <Anchor key={s.step} href={`#step-${s.step}`} size="sm">
                  {t('stepNumber', { step: s.step })}
                </Anchor>
              ))}
            </Group>
          </Card>
          {q.data.steps.map((s) => (
            <StepCard key={s.step} orgId={orgId} step={s} canOverride={analyze} />
          ))}
          <History orgId={orgId} canSnapshot={analyze} />
          <Objectives orgId={orgId} />
        </Stack>
      )}
    </>
  );
}
