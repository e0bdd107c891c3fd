import {
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Select,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { can, get, type Page, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
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
  const params = new URLSearchParams({ limit: String(LIMIT), offset: String(offset) });
  if (status) params.set('status', status);
  if (ssvc) params.set('ssvc', ssvc);
  if (kevOnly) params.set('kev', 'true');
  if (q.trim()) params.set('q', q.trim());
  const findings = useQuery({
    queryKey: ['findings', orgId, params.toString()],
    queryFn: () => get<Page<Finding>>(`/orgs/${orgId}/findings?${params}`),
  });
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
      {findings.data?.total === 0 && (
        <Text c="dimmed" mt="md">
          <Trans t={t} i18nKey="none" components={{ code: <Code /> }} />
        </Text>
      )}
      {findings.data && (
        <Pager total={findings.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
      )}
    </>
  );
}
