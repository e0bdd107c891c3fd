import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  CloseButton,
  Code,
  Group,
  SegmentedControl,
  Select,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { type FormEvent, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { can, formatDay, get, type Page, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { Chart } from '../../ui/Chart';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { DuePolicyButton } from './DuePolicy';

export interface Finding {
  id: string;
  systemId: string;
  systemName: string;
  cveId: string;
  summary: string;
  status: string;
  statusNote: string;
  confidence: string;
  ssvcDecision: string;
  inKev: boolean;
  dueDate: string | null;
  cvssScore: number | null;
  cvssVector: string | null;
  epss: number | null;
  epssPercentile: number | null;
  acceptedBy: string | null;
  acceptedUntil: string | null;
  firstSeen: string;
}

export const STATUSES = ['open', 'in_progress', 'mitigated', 'risk_accepted', 'false_positive'];
export const statusLabel = (t: TFunction<'vulns'>, s: string) => t(`status.${s}`, { defaultValue: s });
/** Confidence of a match and result of a criterion: exact, platform-conditional, vendor-product, no. */
export const confidenceLabel = (t: TFunction<'vulns'>, c: string) =>
  t(`confidence.${c}`, { defaultValue: c });
const SSVC_COLOR: Record<string, string> = {
  Act: 'red',
  Attend: 'orange',
  'Track*': 'yellow',
  Track: 'gray',
};

export function SsvcBadge({ decision }: { decision: string }) {
  return (
    <Badge color={SSVC_COLOR[decision] ?? 'gray'} variant="filled" data-testid="ssvc">
      SSVC {decision}
    </Badge>
  );
}

export function FindingBadges({ f }: { f: Finding }) {
  const { t } = useTranslation('vulns');
  return (
    <Group gap={4} wrap="nowrap">
      <SsvcBadge decision={f.ssvcDecision} />
      {f.inKev && (
        <Tooltip label={f.dueDate ? t('badges.kevDue', { date: f.dueDate }) : t('badges.kev')}>
          <Badge color="red" variant="outline">
            KEV
          </Badge>
        </Tooltip>
      )}
      {f.epss !== null && (
        <Tooltip
          label={t('badges.epssPercentile', {
            value: formatNumber((f.epssPercentile ?? 0) * 100, {
              minimumFractionDigits: 1,
              maximumFractionDigits: 1,
            }),
          })}
        >
          <Badge color="grape" variant="light">
            EPSS{' '}
            {formatNumber(f.epss, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

const LIMIT = 50;
const WEEK_MS = 7 * 86_400_000;

interface ServiceGroup {
  service: { id: string; name: string; criticalityTier: number | null } | null;
  systems: number;
  counts: {
    open: number;
    Act: number;
    Attend: number;
    'Track*': number;
    Track: number;
    kev: number;
    overdue: number;
  };
}

/** Open findings by the services that depend on the systems; choosing a service lists its findings. */
function ByService({ orgId, onPick }: { orgId: string; onPick: (s: { id: string; name: string }) => void }) {
  const { t } = useTranslation('vulns');
  const groups = useQuery({
    queryKey: ['findings', orgId, 'by-service'],
    queryFn: () => get<{ items: ServiceGroup[] }>(`/orgs/${orgId}/findings/by-service`),
  });
  return (
    <>
      <ErrorAlert error={groups.error} />
      <Text size="sm" c="dimmed" mb="xs">
        {t('byService.help')}
      </Text>
      <Table withTableBorder striped data-testid="by-service">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('byService.service')}</Table.Th>
            <Table.Th>{t('byService.systems')}</Table.Th>
            <Table.Th>{t('byService.open')}</Table.Th>
            <Table.Th>{t('decisions.Act')}</Table.Th>
            <Table.Th>{t('decisions.Attend')}</Table.Th>
            <Table.Th>{t('decisions.Track*')}</Table.Th>
            <Table.Th>{t('decisions.Track')}</Table.Th>
            <Table.Th>KEV</Table.Th>
            <Table.Th>{t('byService.overdue')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.data?.items.map((g) => (
            <Table.Tr key={g.service?.id ?? 'none'}>
              <Table.Td>
                {g.service ? (
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    onClick={() => onPick({ id: g.service!.id, name: g.service!.name })}
                  >
                    {g.service.name}
                  </Anchor>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('byService.none')}
                  </Text>
                )}
                {g.service?.criticalityTier && (
                  <Text size="xs" c="dimmed">
                    {t('byService.tier', { tier: g.service.criticalityTier })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{formatNumber(g.systems)}</Table.Td>
              <Table.Td>{formatNumber(g.counts.open)}</Table.Td>
              <Table.Td>{formatNumber(g.counts.Act)}</Table.Td>
              <Table.Td>{formatNumber(g.counts.Attend)}</Table.Td>
              <Table.Td>{formatNumber(g.counts['Track*'])}</Table.Td>
              <Table.Td>{formatNumber(g.counts.Track)}</Table.Td>
              <Table.Td>{formatNumber(g.counts.kev)}</Table.Td>
              <Table.Td>{formatNumber(g.counts.overdue)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

interface TrendPoint {
  day: string;
  open: number;
  Act: number;
  Attend: number;
  'Track*': number;
  Track: number;
  kev: number;
}
const DECISIONS = ['Act', 'Attend', 'Track*', 'Track'] as const;
const DECISION_COLORS = ['#e03131', '#f76707', '#f59f00', '#868e96'];

/** Open findings by SSVC decision per day, from the daily snapshots. */
function Trends({ orgId }: { orgId: string }) {
  const { t } = useTranslation('vulns');
  const [days, setDays] = useState('90');
  const trends = useQuery({
    queryKey: ['findings', orgId, 'trends', days],
    queryFn: () => get<{ from: string; items: TrendPoint[] }>(`/orgs/${orgId}/findings/trends?days=${days}`),
  });
  const items = trends.data?.items ?? [];
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: DECISIONS.map((d) => t(`decisions.${d}`)) },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      color: DECISION_COLORS,
      xAxis: { type: 'category', data: items.map((i) => formatDay(i.day)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: DECISIONS.map((d) => ({
        name: t(`decisions.${d}`),
        type: 'line',
        stack: 'open',
        areaStyle: {},
        data: items.map((i) => i[d]),
      })),
    }),
    [items, t],
  );
  return (
    <>
      <ErrorAlert error={trends.error} />
      <Group justify="space-between" align="flex-end" mb="xs">
        <Text size="sm" c="dimmed" maw={640}>
          {t('trends.help')}
        </Text>
        <Select
          label={t('trends.period')}
          data={['30', '90', '365'].map((d) => ({ value: d, label: t('trends.days', { n: d }) }))}
          value={days}
          onChange={(v) => v && setDays(v)}
          allowDeselect={false}
          w={160}
        />
      </Group>
      {trends.data && items.length === 0 ? (
        <Text c="dimmed">{t('trends.none')}</Text>
      ) : (
        <Card withBorder data-testid="trends">
          <Chart option={option} label={t('trends.chart')} />
          {items.length > 0 && (
            <Text size="sm" mt="xs">
              {t('trends.latest', {
                date: formatDay(items[items.length - 1]!.day),
                open: formatNumber(items[items.length - 1]!.open),
                kev: formatNumber(items[items.length - 1]!.kev),
              })}
            </Text>
          )}
        </Card>
      )}
    </>
  );
}

/** Sets the status (and note) of the selected findings at once: all of them or none. */
function BulkTriage({ orgId, ids, onDone }: { orgId: string; ids: string[]; onDone: () => void }) {
  const org = useOrg(orgId);
  const qc = useQueryClient();
  const { t } = useTranslation('vulns');
  const [status, setStatus] = useState<string | null>('in_progress');
  const [note, setNote] = useState('');
  const [until, setUntil] = useState('');
  const save = useMutation({
    mutationFn: () =>
      post<{ updated: number }>(`/orgs/${orgId}/findings/bulk-status`, {
        ids,
        status,
        note,
        ...(status === 'risk_accepted' && until
          ? { acceptedUntil: new Date(`${until}T23:59:59Z`).toISOString() }
          : {}),
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['findings', orgId] });
      qc.invalidateQueries({ queryKey: ['finding', orgId] });
      setNote('');
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Card withBorder mb="md" data-testid="bulk-triage">
      <form onSubmit={submit}>
        <Title order={2} size="h5" mb="xs">
          {t('bulk.title', { count: ids.length, n: formatNumber(ids.length) })}
        </Title>
        <ErrorAlert error={save.error} />
        <Group align="flex-end">
          <Select
            label={t('columns.status')}
            data={STATUSES.filter((s) => s !== 'risk_accepted' || can(org, 'data.analyze')).map((s) => ({
              value: s,
              label: statusLabel(t, s),
            }))}
            value={status}
            onChange={setStatus}
            allowDeselect={false}
          />
          <TextInput
            label={t('triage.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            miw={280}
          />
          {status === 'risk_accepted' && (
            <TextInput
              label={t('triage.acceptedUntil')}
              type="date"
              required
              value={until}
              onChange={(e) => setUntil(e.currentTarget.value)}
            />
          )}
          <Button type="submit" loading={save.isPending}>
            {t('bulk.apply', { count: ids.length, n: formatNumber(ids.length) })}
          </Button>
        </Group>
      </form>
    </Card>
  );
}

export function FindingsPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const qc = useQueryClient();
  const { t } = useTranslation('vulns');
  const [status, setStatus] = useState<string | null>(null);
  const [ssvc, setSsvc] = useState<string | null>(null);
  const [kevOnly, setKevOnly] = useState(false);
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [view, setView] = useState<'all' | 'week' | 'services' | 'trends'>('all');
  const [since, setSince] = useState<string | null>(null);
  const [service, setService] = useState<{ id: string; name: string } | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const params = new URLSearchParams({ limit: String(LIMIT), offset: String(offset) });
  if (view === 'week' && since) params.set('since', since);
  if (service) params.set('serviceId', service.id);
  if (status) params.set('status', status);
  if (ssvc) params.set('ssvc', ssvc);
  if (kevOnly) params.set('kev', 'true');
  if (q.trim()) params.set('q', q.trim());
  const findings = useQuery({
    queryKey: ['findings', orgId, params.toString()],
    queryFn: () => get<Page<Finding>>(`/orgs/${orgId}/findings?${params}`),
    enabled: view === 'all' || view === 'week',
  });
  const writable = can(org, 'data.write');
  const pageIds = findings.data?.items.map((f) => f.id) ?? [];
  const allSelected = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const chooseView = (v: string) => {
    setView(v as typeof view);
    if (v === 'week') setSince(new Date(Date.now() - WEEK_MS).toISOString());
    setSelected(new Set());
    setOffset(0);
  };
  const rematch = useMutation({
    mutationFn: () =>
      post<{ matched: number; new: number; closed: number }>(`/orgs/${orgId}/findings/rematch`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['findings', orgId] }),
  });
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setOffset(0);
    };
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <>
            <DuePolicyButton orgId={orgId} />
            {can(org, 'data.write') && (
              <Button onClick={() => rematch.mutate()} loading={rematch.isPending} variant="light">
                {t('rematch')}
              </Button>
            )}
          </>
        }
      />
      <ErrorAlert error={findings.error ?? rematch.error} />
      {rematch.data && (
        <Text size="sm" mb="sm" data-testid="rematch-result">
          {t('rematchResult', {
            count: rematch.data.matched,
            n: formatNumber(rematch.data.matched),
            new: formatNumber(rematch.data.new),
            closed: formatNumber(rematch.data.closed),
          })}
        </Text>
      )}
      <SegmentedControl
        mb="md"
        value={view}
        onChange={chooseView}
        aria-label={t('views.label')}
        data={[
          { value: 'all', label: t('views.all') },
          { value: 'week', label: t('views.week') },
          { value: 'services', label: t('views.services') },
          { value: 'trends', label: t('views.trends') },
        ]}
      />
      {view === 'trends' ? (
        <Trends orgId={orgId} />
      ) : view === 'services' ? (
        <ByService
          orgId={orgId}
          onPick={(s) => {
            setService(s);
            setView('all');
            setSelected(new Set());
            setOffset(0);
          }}
        />
      ) : (
        <>
          {view === 'week' && (
            <Text size="sm" c="dimmed" mb="xs">
              {t('views.weekHelp')}
            </Text>
          )}
          {service && (
            <Group gap={4} mb="xs">
              <Badge variant="light" size="lg" data-testid="service-filter">
                {t('byService.filter', { service: service.name })}
              </Badge>
              <CloseButton
                size="sm"
                aria-label={t('byService.clear')}
                onClick={() => {
                  setService(null);
                  setOffset(0);
                }}
              />
            </Group>
          )}
          {writable && selected.size > 0 && (
            <BulkTriage orgId={orgId} ids={[...selected]} onDone={() => setSelected(new Set())} />
          )}
          <Group mb="md" align="flex-end">
            <TextInput
              label={t('common:actions.search')}
              placeholder={t('searchPlaceholder')}
              value={q}
              onChange={(e) => filter(setQ)(e.currentTarget.value)}
            />
            <Select
              label={t('columns.status')}
              data={STATUSES.map((s) => ({ value: s, label: statusLabel(t, s) }))}
              value={status}
              onChange={filter(setStatus)}
              clearable
            />
            <Select
              label="SSVC"
              data={['Act', 'Attend', 'Track*', 'Track']}
              value={ssvc}
              onChange={filter(setSsvc)}
              clearable
            />
            <Switch
              label={t('kevOnly')}
              checked={kevOnly}
              onChange={(e) => filter(setKevOnly)(e.currentTarget.checked)}
              mb={6}
            />
          </Group>
          <Table withTableBorder striped data-testid="findings">
            <Table.Thead>
              <Table.Tr>
                {writable && (
                  <Table.Th>
                    <Checkbox
                      aria-label={t('bulk.selectPage')}
                      checked={allSelected}
                      indeterminate={!allSelected && pageIds.some((id) => selected.has(id))}
                      onChange={(e) => {
                        const on = e.currentTarget.checked;
                        for (const id of pageIds) toggle(id, on);
                      }}
                    />
                  </Table.Th>
                )}
                <Table.Th>CVE</Table.Th>
                <Table.Th>{t('columns.system')}</Table.Th>
                <Table.Th>{t('columns.priority')}</Table.Th>
                <Table.Th>CVSS</Table.Th>
                <Table.Th>{t('columns.due')}</Table.Th>
                <Table.Th>{t('columns.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {findings.data?.items.map((f) => (
                <Table.Tr key={f.id}>
                  {writable && (
                    <Table.Td>
                      <Checkbox
                        aria-label={t('bulk.select', { cve: f.cveId, system: f.systemName })}
                        checked={selected.has(f.id)}
                        onChange={(e) => toggle(f.id, e.currentTarget.checked)}
                      />
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Anchor component={Link} to={`/orgs/${orgId}/cves/${f.cveId}`} fw={600} size="sm">
                      {f.cveId}
                    </Anchor>
                    <Text size="xs" c="dimmed" lineClamp={2} maw={420}>
                      {f.summary}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/orgs/${orgId}/findings/${f.id}`} size="sm">
                      {f.systemName}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {confidenceLabel(t, f.confidence)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <FindingBadges f={f} />
                  </Table.Td>
                  <Table.Td>{f.cvssScore === null ? '—' : formatNumber(f.cvssScore)}</Table.Td>
                  <Table.Td>{f.dueDate ?? '—'}</Table.Td>
                  <Table.Td>{statusLabel(t, f.status)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {findings.data?.total === 0 &&
            (view === 'week' || service ? (
              <Text c="dimmed" mt="md">
                {t('noneFiltered')}
              </Text>
            ) : (
              <Text c="dimmed" mt="md">
                <Trans t={t} i18nKey="none" components={{ code: <Code /> }} />
              </Text>
            ))}
          {findings.data && (
            <Pager total={findings.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
          )}
        </>
      )}
    </>
  );
}
