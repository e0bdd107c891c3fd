import {
  Button,
  FileInput,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, del, formatDay, get, type Page, patch, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { Chart } from '../../ui/Chart';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { DeleteButton } from '../../ui/RowActions';
import { type PhishingMetrics, pct, type Training } from './types';
import { Stat } from './WorkforcePage';

interface Campaign {
  id: string;
  name: string;
  source: string;
  launchedAt: string;
  recipients: number;
  clicked: number;
  reported: number;
}

interface ImportResult {
  campaign: Campaign;
  unmatched: string[];
  droppedColumns: string[];
  enrolled: number;
}

const asPct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

export function PhishingPage() {
  const { t } = useTranslation('workforce');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const write = can(org, 'data.write');
  const qc = useQueryClient();
  const base = `/orgs/${orgId}/workforce`;
  const metrics = useQuery({
    queryKey: ['wf-phishing-metrics', orgId],
    queryFn: () => get<PhishingMetrics>(`${base}/phishing-metrics`),
  });
  const campaigns = useQuery({
    queryKey: ['wf-phishing', orgId],
    queryFn: () => get<Page<Campaign>>(`${base}/phishing?limit=100`),
  });
  const trainings = useQuery({
    queryKey: ['wf-trainings', orgId],
    queryFn: () => get<Page<Training>>(`${base}/trainings?limit=200`),
  });
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [enroll, setEnroll] = useState<string>('');
  const importer = useMutation({
    mutationFn: async () =>
      post<ImportResult>(`${base}/phishing/import`, {
        name,
        csv: file ? await file.text() : '',
        ...(enroll ? { enrollTrainingId: enroll } : {}),
      }),
    onSuccess: () => {
      setName('');
      setFile(null);
      qc.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('wf-') });
    },
  });
  const [renaming, setRenaming] = useState<Campaign | null>(null);
  const [newName, setNewName] = useState('');
  const refresh = () => qc.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('wf-') });
  const rename = useMutation({
    mutationFn: () => patch(`${base}/phishing/${renaming?.id}`, { name: newName }),
    onSuccess: () => {
      setRenaming(null);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`${base}/phishing/${id}`),
    onSuccess: refresh,
  });
  const m = metrics.data;
  const byDept = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 40, right: 10, bottom: 60 },
      xAxis: { type: 'category', data: m?.byDepartment.map((d) => d.name) ?? [], axisLabel: { rotate: 20 } },
      yAxis: { type: 'value', name: '%', max: 100 },
      series: [
        {
          name: t('phishing.clickRate'),
          type: 'bar',
          data: m?.byDepartment.map((d) => asPct(d.clickRate)) ?? [],
        },
        {
          name: t('phishing.reportRate'),
          type: 'bar',
          data: m?.byDepartment.map((d) => asPct(d.reportRate)) ?? [],
        },
      ],
    }),
    [m, t],
  );
  const overTime = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 40, right: 10 },
      xAxis: {
        type: 'category',
        data: m?.overTime.map((c) => `${c.name} (${formatDay(c.launchedAt)})`) ?? [],
      },
      yAxis: { type: 'value', name: '%', max: 100 },
      series: [
        {
          name: t('phishing.clickRate'),
          type: 'line',
          data: m?.overTime.map((c) => asPct(c.clickRate)) ?? [],
        },
        {
          name: t('phishing.reportRate'),
          type: 'line',
          data: m?.overTime.map((c) => asPct(c.reportRate)) ?? [],
        },
      ],
    }),
    [m, t],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    importer.mutate();
  };

  return (
    <>
      <PageHeader title={t('phishing.title')} description={t('phishing.description')} />
      <ErrorAlert error={metrics.error ?? campaigns.error ?? remove.error} />
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="lg">
        <Stat label={t('phishing.recipients')} value={m ? formatNumber(m.overall.recipients) : '—'} />
        <Stat label={t('phishing.clickRate')} value={pct(m?.overall.clickRate)} testId="click-rate" />
        <Stat label={t('phishing.reportRate')} value={pct(m?.overall.reportRate)} testId="report-rate" />
        <Stat
          label={t('phishing.medianToReport')}
          value={
            m?.overall.medianMinutesToReport === null || !m
              ? '—'
              : t('minutes', { n: formatNumber(m.overall.medianMinutesToReport) })
          }
        />
      </SimpleGrid>
      {m && m.overall.recipients > 0 && (
        <SimpleGrid cols={{ base: 1, md: 2 }} mb="lg">
          <Stack gap={4}>
            <Title order={2} size="h5">
              {t('phishing.byDepartment')}
            </Title>
            <Chart option={byDept} label={t('phishing.byDepartmentChart')} />
          </Stack>
          <Stack gap={4}>
            <Title order={2} size="h5">
              {t('phishing.overTime')}
            </Title>
            <Chart option={overTime} label={t('phishing.overTimeChart')} />
          </Stack>
        </SimpleGrid>
      )}
      <Table withTableBorder striped mb="xl" data-testid="campaigns">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('phishing.campaign')}</Table.Th>
            <Table.Th>{t('phishing.launched')}</Table.Th>
            <Table.Th>{t('phishing.recipients')}</Table.Th>
            <Table.Th>{t('phishing.clicked')}</Table.Th>
            <Table.Th>{t('phishing.reported')}</Table.Th>
            {write && <Table.Th>{t('actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {campaigns.data?.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.name}</Table.Td>
              <Table.Td>{formatDay(c.launchedAt)}</Table.Td>
              <Table.Td>{formatNumber(c.recipients)}</Table.Td>
              <Table.Td>{formatNumber(c.clicked)}</Table.Td>
              <Table.Td>{formatNumber(c.reported)}</Table.Td>
              {write && (
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={t('phishing.renameOne', { name: c.name })}
                      onClick={() => {
                        setRenaming(c);
                        setNewName(c.name);
                      }}
                    >
                      {t('phishing.rename')}
                    </Button>
                    <DeleteButton
                      label={t('deleteOne', { name: c.name })}
                      confirm={t('phishing.confirmDelete', { name: c.name })}
                      onConfirm={() => remove.mutate(c.id)}
                    />
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {write && (
        <form onSubmit={submit}>
          <Stack maw={600}>
            <Title order={2} size="h4">
              {t('phishing.importTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('phishing.importHelp')}
            </Text>
            <TextInput
              label={t('phishing.campaignName')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <FileInput
              label={t('phishing.file')}
              accept=".csv,text/csv"
              required
              value={file}
              onChange={setFile}
            />
            <select
              aria-label={t('phishing.enroll')}
              value={enroll}
              onChange={(e) => setEnroll(e.currentTarget.value)}
              style={{ padding: 6 }}
            >
              <option value="">{t('phishing.noEnroll')}</option>
              {trainings.data?.items.map((tr) => (
                <option key={tr.id} value={tr.id}>
                  {t('phishing.enrollIn', { title: tr.title })}
                </option>
              ))}
            </select>
            <ErrorAlert error={importer.error} />
            {importer.data && (
              <Text size="sm" role="status">
                {t('phishing.imported', {
                  recipients: importer.data.campaign.recipients,
                  enrolled: importer.data.enrolled,
                  unmatched: importer.data.unmatched.length,
                })}
                {importer.data.droppedColumns.length
                  ? ` ${t('phishing.dropped', { columns: importer.data.droppedColumns.join(', ') })}`
                  : ''}
              </Text>
            )}
            <Group>
              <Button type="submit" loading={importer.isPending}>
                {t('common:actions.import')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {write && <GophishServerImport base={base} trainings={trainings.data?.items ?? []} onDone={refresh} />}
      <Modal opened={!!renaming} onClose={() => setRenaming(null)} title={t('phishing.renameTitle')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            rename.mutate();
          }}
        >
          <Stack>
            <TextInput
              label={t('phishing.campaignName')}
              required
              value={newName}
              onChange={(e) => setNewName(e.currentTarget.value)}
            />
            <ErrorAlert error={rename.error} />
            <Group>
              <Button type="submit" loading={rename.isPending}>
                {t('common:actions.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** Reads a campaign straight from the gophish server's REST API; the key is used once and not kept. */
function GophishServerImport({
  base,
  trainings,
  onDone,
}: {
  base: string;
  trainings: Training[];
  onDone(): void;
}) {
  const { t } = useTranslation('workforce');
  const [baseUrl, setBaseUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [campaignId, setCampaignId] = useState('');
  const [enroll, setEnroll] = useState('');
  const importer = useMutation({
    mutationFn: () =>
      post<ImportResult>(`${base}/phishing/import-gophish`, {
        baseUrl,
        apiKey,
        campaignId: Number(campaignId),
        ...(enroll ? { enrollTrainingId: enroll } : {}),
      }),
    onSuccess: () => {
      setApiKey('');
      onDone();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        importer.mutate();
      }}
    >
      <Stack maw={600} mt="xl">
        <Title order={2} size="h4">
          {t('phishing.serverTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('phishing.serverHelp')}
        </Text>
        <TextInput
          label={t('phishing.serverUrl')}
          type="url"
          required
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.currentTarget.value)}
        />
        <Group grow>
          <TextInput
            label={t('phishing.apiKey')}
            type="password"
            required
            value={apiKey}
            onChange={(e) => setApiKey(e.currentTarget.value)}
          />
          <TextInput
            label={t('phishing.campaignId')}
            inputMode="numeric"
            required
            value={campaignId}
            onChange={(e) => setCampaignId(e.currentTarget.value)}
          />
        </Group>
        <select
          aria-label={t('phishing.enroll')}
          value={enroll}
          onChange={(e) => setEnroll(e.currentTarget.value)}
          style={{ padding: 6 }}
        >
          <option value="">{t('phishing.noEnroll')}</option>
          {trainings.map((tr) => (
            <option key={tr.id} value={tr.id}>
              {t('phishing.enrollIn', { title: tr.title })}
            </option>
          ))}
        </select>
        <ErrorAlert error={importer.error} />
        {importer.data && (
          <Text size="sm" role="status">
            {t('phishing.imported', {
              recipients: importer.data.campaign.recipients,
              enrolled: importer.data.enrolled,
              unmatched: importer.data.unmatched.length,
            })}
          </Text>
        )}
        <Group>
          <Button type="submit" variant="default" loading={importer.isPending}>
            {t('phishing.serverImport')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
