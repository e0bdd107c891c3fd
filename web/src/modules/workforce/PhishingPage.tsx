import { Button, FileInput, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useMemo, useState } from 'react';
import { can, get, type Page, post } from '../../api';
import { useOrg } from '../../session';
import { Chart } from '../../ui/Chart';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { day, type PhishingMetrics, pct, type Training } from './types';
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
  const m = metrics.data;
  const byDept = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 40, right: 10, bottom: 60 },
      xAxis: { type: 'category', data: m?.byDepartment.map((d) => d.name) ?? [], axisLabel: { rotate: 20 } },
      yAxis: { type: 'value', name: '%', max: 100 },
      series: [
        { name: 'Click rate', type: 'bar', data: m?.byDepartment.map((d) => asPct(d.clickRate)) ?? [] },
        { name: 'Report rate', type: 'bar', data: m?.byDepartment.map((d) => asPct(d.reportRate)) ?? [] },
      ],
    }),
    [m],
  );
  const overTime = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 40, right: 10 },
      xAxis: { type: 'category', data: m?.overTime.map((c) => `${c.name} (${day(c.launchedAt)})`) ?? [] },
      yAxis: { type: 'value', name: '%', max: 100 },
      series: [
        { name: 'Click rate', type: 'line', data: m?.overTime.map((c) => asPct(c.clickRate)) ?? [] },
        { name: 'Report rate', type: 'line', data: m?.overTime.map((c) => asPct(c.reportRate)) ?? [] },
      ],
    }),
    [m],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    importer.mutate();
  };

  return (
    <>
      <PageHeader
        title="Phishing simulations"
        description="Results imported from gophish: who clicked, who reported, and how fast. Submitted data is never stored."
      />
      <ErrorAlert error={metrics.error ?? campaigns.error} />
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="lg">
        <Stat label="Recipients" value={m?.overall.recipients ?? '—'} />
        <Stat label="Click rate" value={pct(m?.overall.clickRate)} testId="click-rate" />
        <Stat label="Report rate" value={pct(m?.overall.reportRate)} testId="report-rate" />
        <Stat
          label="Median time to report"
          value={
            m?.overall.medianMinutesToReport === null || !m ? '—' : `${m.overall.medianMinutesToReport} min`
          }
        />
      </SimpleGrid>
      {m && m.overall.recipients > 0 && (
        <SimpleGrid cols={{ base: 1, md: 2 }} mb="lg">
          <Stack gap={4}>
            <Title order={2} size="h5">
              By department
            </Title>
            <Chart option={byDept} label="Click and report rates by department" />
          </Stack>
          <Stack gap={4}>
            <Title order={2} size="h5">
              Over time
            </Title>
            <Chart option={overTime} label="Click and report rates per campaign over time" />
          </Stack>
        </SimpleGrid>
      )}
      <Table withTableBorder striped mb="xl">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Campaign</Table.Th>
            <Table.Th>Launched</Table.Th>
            <Table.Th>Recipients</Table.Th>
            <Table.Th>Clicked</Table.Th>
            <Table.Th>Reported</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {campaigns.data?.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.name}</Table.Td>
              <Table.Td>{day(c.launchedAt)}</Table.Td>
              <Table.Td>{c.recipients}</Table.Td>
              <Table.Td>{c.clicked}</Table.Td>
              <Table.Td>{c.reported}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {write && (
        <form onSubmit={submit}>
          <Stack maw={600}>
            <Title order={2} size="h4">
              Import a gophish export
            </Title>
            <Text size="sm" c="dimmed">
              The campaign's "Export CSV" results file or its raw events file.
            </Text>
            <TextInput
              label="Campaign name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <FileInput label="gophish CSV" accept=".csv,text/csv" required value={file} onChange={setFile} />
            <select
              aria-label="Enroll clickers in"
              value={enroll}
              onChange={(e) => setEnroll(e.currentTarget.value)}
              style={{ padding: 6 }}
            >
              <option value="">Do not enroll clickers in a training</option>
              {trainings.data?.items.map((t) => (
                <option key={t.id} value={t.id}>
                  Enroll clickers in: {t.title}
                </option>
              ))}
            </select>
            <ErrorAlert error={importer.error} />
            {importer.data && (
              <Text size="sm" role="status">
                Imported {importer.data.campaign.recipients} recipients; {importer.data.enrolled} enrolled in
                training; {importer.data.unmatched.length} not matched to staff
                {importer.data.droppedColumns.length
                  ? `; dropped columns: ${importer.data.droppedColumns.join(', ')}`
                  : ''}
                .
              </Text>
            )}
            <Group>
              <Button type="submit" loading={importer.isPending}>
                Import
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </>
  );
}
