import { Badge, Button, Select, Table, Text } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, get, type Page, post } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';

interface Job {
  id: number;
  name: string;
  status: string;
  runAt: string;
  attempts: number;
  maxAttempts: number;
  progress: { done?: number; total?: number; message?: string } | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const COLORS: Record<string, string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  cancelled: 'dark',
};

export function JobsPage() {
  const { orgId } = useParams({ strict: false }) as { orgId?: string };
  const [status, setStatus] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const qc = useQueryClient();
  const { t } = useTranslation('jobs');
  const base = orgId ? `/orgs/${orgId}/jobs` : '/jobs';
  const q = useQuery({
    queryKey: ['jobs', base, status, offset],
    queryFn: () => get<Page<Job>>(`${base}?limit=25&offset=${offset}${status ? `&status=${status}` : ''}`),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
  const retry = useMutation({
    mutationFn: (id: number) => post(`/jobs/${id}/retry`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['jobs'] }),
  });
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <Select
        label={t('status')}
        placeholder={t('all')}
        clearable
        data={Object.keys(COLORS).map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
        value={status}
        onChange={(s) => {
          setStatus(s);
          setOffset(0);
        }}
        maw={200}
        mb="md"
      />
      <ErrorAlert error={q.error ?? retry.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('columns.job')}</Table.Th>
            <Table.Th>{t('status')}</Table.Th>
            <Table.Th>{t('columns.attempts')}</Table.Th>
            <Table.Th>{t('columns.created')}</Table.Th>
            <Table.Th>{t('columns.finished')}</Table.Th>
            <Table.Th>{t('columns.error')}</Table.Th>
            <Table.Th aria-label={t('columns.actions')} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data?.items.map((j) => (
            <Table.Tr key={j.id}>
              <Table.Td>{j.id}</Table.Td>
              <Table.Td>{j.name}</Table.Td>
              <Table.Td>
                <Badge color={COLORS[j.status]}>
                  {t(`statuses.${j.status}`, { defaultValue: j.status })}
                </Badge>
                {j.progress?.total ? (
                  <Text size="xs">
                    {formatNumber((j.progress.done ?? 0) / j.progress.total, {
                      style: 'percent',
                      maximumFractionDigits: 0,
                    })}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                {j.attempts}/{j.maxAttempts}
              </Table.Td>
              <Table.Td>{formatDate(j.createdAt)}</Table.Td>
              <Table.Td>{formatDate(j.finishedAt)}</Table.Td>
              <Table.Td>
                <Text size="xs" c="red" lineClamp={2}>
                  {j.lastError}
                </Text>
              </Table.Td>
              <Table.Td>
                {(j.status === 'failed' || j.status === 'cancelled') && (
                  <Button size="compact-xs" variant="light" onClick={() => retry.mutate(j.id)}>
                    {t('retry')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {q.data?.items.length === 0 && (
        <Text c="dimmed" mt="md">
          {status ? t('noneWithStatus', { status: t(`statuses.${status}`) }) : t('none')}
        </Text>
      )}
      {q.data && <Pager total={q.data.total} limit={25} offset={offset} onChange={setOffset} />}
    </>
  );
}
