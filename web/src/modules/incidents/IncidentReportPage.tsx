import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { formatDate, get, type Page } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';
import type {
  ClockReport,
  Communication,
  Evidence,
  Incident,
  IncidentImpact,
  ObservablePage,
  Task,
  TimelineEntry,
} from './types';

/** Every page of a list (lists answer at most 500 at a time). */
async function all<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await get<Page<T>>(`${path}${path.includes('?') ? '&' : '?'}limit=500&offset=${offset}`);
    out.push(...page.items);
    if (out.length >= page.total || page.items.length === 0) return out;
  }
}

/** The incident as a report to print (or save as PDF from the browser's print dialog). */
export function IncidentReportPage() {
  const { t } = useTranslation('incidents');
  const { orgId, incidentId } = useParams({ strict: false }) as { orgId: string; incidentId: string };
  const base = `/orgs/${orgId}/incidents/${incidentId}`;
  const q = useQuery({
    queryKey: ['incident', incidentId, 'report'],
    queryFn: async () => {
      const [incident, impact, clocks, tasks, timeline, observables, evidence, communications] =
        await Promise.all([
          get<Incident>(base),
          get<IncidentImpact>(`${base}/impact`),
          get<ClockReport>(`${base}/clocks`),
          all<Task>(`${base}/tasks`),
          all<TimelineEntry>(`${base}/timeline`),
          get<ObservablePage>(`${base}/observables?limit=500`),
          all<Evidence>(`${base}/evidence`),
          all<Communication>(`${base}/communications`),
        ]);
      return { incident, impact, clocks, tasks, timeline, observables, evidence, communications };
    },
  });
  if (!q.data) return <ErrorAlert error={q.error} />;
  const { incident: i, impact, clocks, tasks, timeline, observables, evidence, communications } = q.data;
  const section = (title: string, body: React.ReactNode) => (
    <section style={{ breakInside: 'avoid-page' }}>
      <Title order={2} size="h3" mt="lg" mb="xs">
        {title}
      </Title>
      {body}
    </section>
  );
  return (
    <Stack gap={0} data-testid="incident-report">
      <style>
        {
          '@media print { nav, header, aside, .no-print { display: none !important; } main { padding: 0 !important; } }'
        }
      </style>
      <Group justify="space-between" className="no-print" mb="md">
        <Anchor component={Link} to={`/orgs/${orgId}/incidents/${incidentId}`}>
          {t('report.back')}
        </Anchor>
        <Button onClick={() => window.print()}>{t('report.print')}</Button>
      </Group>
      <Text size="sm" fw={700}>
        TLP:{i.tlp.toUpperCase()}
      </Text>
      <Title order={1}>{i.title}</Title>
      <Text size="sm" c="dimmed">
        {t('report.generated', { at: formatDate(new Date().toISOString()) })}
      </Text>
      {section(
        t('report.summary'),
        <Table withRowBorders={false}>
          <Table.Tbody>
            {[
              [t('report.type'), i.type],
              [t('report.status'), i.status],
              [t('report.exercise'), i.exercise ? t('report.yes') : t('report.no')],
              [
                t('report.severity'),
                i.severity ? `${i.severity.name} (${formatNumber(i.severity.score)})` : '—',
              ],
              [t('report.lead'), i.lead?.name ?? '—'],
              [t('report.team'), i.team.map((p) => p.name).join(', ') || '—'],
              [t('techniques.title'), i.attackTechniques.join(', ') || '—'],
              [t('report.detected'), formatDate(i.detectedAt)],
              [t('report.closed'), formatDate(i.closedAt)],
              [t('report.timeZone'), i.timeZone],
            ].map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Td fw={600} w={220}>
                  {k}
                </Table.Td>
                <Table.Td>{v}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>,
      )}
      {i.summary && <Text style={{ whiteSpace: 'pre-wrap' }}>{i.summary}</Text>}
      {section(
        t('report.impact'),
        <Text size="sm">
          {impact.affected.map((a) => a.name).join(', ') || '—'}
          {impact.cascade.services.length > 0 &&
            ` · ${t('impact.summary', {
              services: formatNumber(impact.cascade.services.length),
              population: formatNumber(impact.cascade.largestPopulation),
            })}`}
        </Text>,
      )}
      {section(
        t('report.clocks'),
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('report.obligation')}</Table.Th>
              <Table.Th>{t('report.due')}</Table.Th>
              <Table.Th>{t('report.sent')}</Table.Th>
              <Table.Th>{t('report.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {clocks.clocks.map((c) => (
              <Table.Tr key={c.ruleId}>
                <Table.Td>{c.title}</Table.Td>
                <Table.Td>{c.dueAtLocal ?? '—'}</Table.Td>
                <Table.Td>{formatDate(c.sentAt)}</Table.Td>
                <Table.Td>{c.status}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>,
      )}
      {section(
        t('report.tasks'),
        <Table>
          <Table.Tbody>
            {tasks.map((task) => (
              <Table.Tr key={task.id}>
                <Table.Td>{task.title}</Table.Td>
                <Table.Td>{task.csf ?? ''}</Table.Td>
                <Table.Td>{task.status}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>,
      )}
      {section(
        t('report.timeline'),
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('report.when')}</Table.Th>
              <Table.Th>{t('report.who')}</Table.Th>
              <Table.Th>{t('report.what')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {timeline.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{formatDate(e.occurredAt)}</Table.Td>
                <Table.Td>{e.actorLabel}</Table.Td>
                <Table.Td>{e.text}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>,
      )}
      {section(
        t('report.observables'),
        <Table>
          <Table.Tbody>
            {observables.items.map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td>{t(`observables.types.${o.type}`)}</Table.Td>
                <Table.Td ff="monospace">{o.value}</Table.Td>
                <Table.Td>
                  {o.hits
                    .map((h) => `${h.name ?? h.indicatorId} (TLP:${h.tlp.toUpperCase()}, ${h.source.name})`)
                    .join('; ')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>,
      )}
      {section(
        t('report.evidence'),
        <Table>
          <Table.Tbody>
            {evidence.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{e.fileName}</Table.Td>
                <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {e.sha256}
                </Table.Td>
                <Table.Td>{e.custodian}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>,
      )}
      {section(
        t('report.communications'),
        <Table>
          <Table.Tbody>
            {communications.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{formatDate(c.occurredAt)}</Table.Td>
                <Table.Td>
                  {c.contactName} ({c.contactRole})
                </Table.Td>
                <Table.Td>{c.summary}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>,
      )}
    </Stack>
  );
}
