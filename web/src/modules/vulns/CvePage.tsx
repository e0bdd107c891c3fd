import { Anchor, Badge, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDay, get } from '../../api';
import { formatNumber } from '../../i18n';
import { Chart } from '../../ui/Chart';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { confidenceLabel, type Finding, FindingBadges, statusLabel } from './FindingsPage';

interface CvssMetric {
  version: string;
  source: string;
  type: string;
  vectorString: string;
  baseScore: number;
  baseSeverity: string;
}
interface CveDetail {
  cve: {
    id: string;
    summary: string;
    published: string | null;
    lastModified: string | null;
    status: string;
    rejected: boolean;
    cvss: CvssMetric[];
    cvssScore: number | null;
    cvssVector: string | null;
    cwes: string[];
  };
  kev: {
    vendorProject: string;
    product: string;
    name: string;
    dateAdded: string;
    dueDate: string;
    requiredAction: string;
    ransomwareUse: string;
    catalogVersion: string;
  } | null;
  epss: { date: string; score: number; percentile: number }[];
  findings: Finding[];
}

const pct = (v: number) =>
  formatNumber(v, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

function EpssHistory({ epss }: { epss: CveDetail['epss'] }) {
  const { t } = useTranslation('vulns');
  const option = useMemo(() => {
    const rows = [...epss].sort((a, b) => a.date.localeCompare(b.date));
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => pct(v) },
      legend: { data: [t('cve.epssScore'), t('cve.epssPercentile')] },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: rows.map((r) => formatDay(r.date)) },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => pct(v) } },
      series: [
        { name: t('cve.epssScore'), type: 'line', data: rows.map((r) => r.score) },
        { name: t('cve.epssPercentile'), type: 'line', data: rows.map((r) => r.percentile) },
      ],
    };
  }, [epss, t]);
  const latest = epss[0];
  return (
    <Card withBorder data-testid="epss">
      <Title order={2} size="h4" mb="xs">
        {t('cve.epssTitle')}
      </Title>
      {!latest ? (
        <Text size="sm" c="dimmed">
          {t('cve.noEpss')}
        </Text>
      ) : (
        <>
          <Text size="sm" mb="xs">
            {t('cve.epssLatest', {
              date: formatDay(latest.date),
              score: pct(latest.score),
              percentile: pct(latest.percentile),
            })}
          </Text>
          {epss.length > 1 && <Chart option={option} label={t('cve.epssChart')} height={220} />}
        </>
      )}
    </Card>
  );
}

export function CvePage() {
  const { orgId, cveId } = useParams({ strict: false }) as { orgId: string; cveId: string };
  const { t } = useTranslation('vulns');
  const cve = useQuery({
    queryKey: ['cve', orgId, cveId],
    queryFn: () => get<CveDetail>(`/orgs/${orgId}/cves/${cveId}`),
  });
  const d = cve.data;
  return (
    <>
      <PageHeader
        title={cveId}
        description={d?.cve.summary}
        actions={
          <Anchor component={Link} to={`/orgs/${orgId}/findings`} size="sm">
            {t('finding.all')}
          </Anchor>
        }
      />
      <ErrorAlert error={cve.error} />
      {d && (
        <Stack gap="lg">
          <Group>
            {d.cve.rejected && (
              <Badge color="gray" variant="filled">
                {t('cve.rejected')}
              </Badge>
            )}
            {d.kev && (
              <Badge color="red" variant="outline">
                KEV
              </Badge>
            )}
            <Text size="sm" c="dimmed">
              {t('cve.dates', {
                published: formatDay(d.cve.published),
                modified: formatDay(d.cve.lastModified),
                status: d.cve.status,
              })}
            </Text>
          </Group>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder data-testid="cvss">
              <Title order={2} size="h4" mb="xs">
                CVSS
              </Title>
              {d.cve.cvss.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('cve.noCvss')}
                </Text>
              ) : (
                <Table fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('cve.cvssVersion')}</Table.Th>
                      <Table.Th>{t('cve.cvssScore')}</Table.Th>
                      <Table.Th>{t('cve.cvssVector')}</Table.Th>
                      <Table.Th>{t('cve.cvssSource')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.cve.cvss.map((m) => (
                      <Table.Tr key={`${m.version}-${m.source}-${m.vectorString}`}>
                        <Table.Td>{m.version}</Table.Td>
                        <Table.Td>
                          {formatNumber(m.baseScore)}{' '}
                          <Text span size="xs" c="dimmed">
                            {m.baseSeverity}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Code>{m.vectorString}</Code>
                        </Table.Td>
                        <Table.Td>{m.source}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <Text size="sm" mt="xs" data-testid="cwes">
                {t('cve.cwes')}{' '}
                {d.cve.cwes.length === 0
                  ? t('cve.noCwes')
                  : d.cve.cwes.map((c) => (
                      <Badge key={c} variant="light" mr={4}>
                        {c}
                      </Badge>
                    ))}
              </Text>
            </Card>
            <EpssHistory epss={d.epss} />
          </SimpleGrid>
          <Card withBorder data-testid="kev">
            <Title order={2} size="h4" mb="xs">
              {t('cve.kevTitle')}
            </Title>
            {d.kev ? (
              <>
                <Text size="sm" fw={600}>
                  {d.kev.name} ({d.kev.vendorProject} {d.kev.product})
                </Text>
                <Text size="sm">
                  {t('finding.kevDates', {
                    added: d.kev.dateAdded,
                    due: d.kev.dueDate,
                    ransomware: t(`finding.ransomware.${d.kev.ransomwareUse}`, {
                      defaultValue: d.kev.ransomwareUse,
                    }),
                  })}
                </Text>
                <Text size="sm" c="dimmed">
                  {d.kev.requiredAction}
                </Text>
              </>
            ) : (
              <Text size="sm" c="dimmed">
                {t('cve.notInKev')}
              </Text>
            )}
          </Card>
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">
              {t('cve.findingsTitle')}
            </Title>
            {d.findings.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('cve.noFindings')}
              </Text>
            ) : (
              <Table withTableBorder data-testid="cve-findings">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('columns.system')}</Table.Th>
                    <Table.Th>{t('columns.priority')}</Table.Th>
                    <Table.Th>{t('columns.due')}</Table.Th>
                    <Table.Th>{t('columns.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.findings.map((f) => (
                    <Table.Tr key={f.id}>
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
                      <Table.Td>{f.dueDate ? formatDay(f.dueDate) : '—'}</Table.Td>
                      <Table.Td>{statusLabel(t, f.status)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        </Stack>
      )}
    </>
  );
}
