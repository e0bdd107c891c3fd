import { Alert, Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditEvent, can, formatDate, get, type Organization } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Countdown, KpiBar, StepsChart, StepsList, useFormatValue } from '../strategy/parts';
import type { Dashboard } from '../strategy/types';

interface Overview {
  organization: Organization;
  children: Organization[];
  memberCount: number | null;
  recentActivity: AuditEvent[] | null;
}

function Panel({
  title,
  link,
  children,
  testId,
}: {
  title: string;
  link?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Card withBorder data-testid={testId}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={3} size="h5">
          {title}
        </Title>
        {link}
      </Group>
      {children}
    </Card>
  );
}

function StrategyDashboard({ orgId }: { orgId: string }) {
  const { t } = useTranslation('strategy');
  const fmt = useFormatValue();
  const q = useQuery({
    queryKey: ['strategy-dashboard', orgId],
    queryFn: () => get<Dashboard>(`/orgs/${orgId}/strategy/dashboard`),
  });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text c="dimmed">{t('common:state.loading')}</Text>;
  const d = q.data;
  const to = (path: string) => `/orgs/${orgId}${path}`;
  const more = (path: string, label: string) => (
    <Anchor component={Link} to={to(path)} size="sm">
      {label}
    </Anchor>
  );
  return (
    <Stack gap="lg" mb="lg">
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Stack gap={0}>
            <Title order={2} size="h4">
              {t('dashboard.maturityTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('dashboard.overall', { value: formatNumber(d.overall, { maximumFractionDigits: 1 }) })}
            </Text>
          </Stack>
          {more('/strategy', t('dashboard.openMaturity'))}
        </Group>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <StepsChart steps={d.steps} />
          <StepsList steps={d.steps} />
        </SimpleGrid>
      </Card>

      <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }}>
        <Panel title={t('dashboard.topRisks')} link={more('/risks', t('dashboard.allRisks'))}>
          {d.topRisks.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('dashboard.noRisks')}
            </Text>
          ) : (
            <Stack gap={6}>
              {d.topRisks.map((r) => (
                <Group key={r.id} justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" lineClamp={2}>
                    {r.title}
                  </Text>
                  <Badge color={r.colour} variant="light" style={{ flexShrink: 0 }}>
                    {r.levelName} · {r.score}
                  </Badge>
                </Group>
              ))}
            </Stack>
          )}
        </Panel>

        <Panel title={t('dashboard.kev')} link={more('/findings', t('dashboard.findings'))}>
          <SimpleGrid cols={2} spacing="xs">
            <div>
              <Text size="xl" fw={700} c={d.kev.open > 0 ? 'red' : undefined}>
                {formatNumber(d.kev.open)}
              </Text>
              <Text size="xs" c="dimmed">
                {t('dashboard.kevOpen')}
              </Text>
            </div>
            <div>
              <Text size="xl" fw={700} c={d.kev.overdue > 0 ? 'red' : undefined}>
                {formatNumber(d.kev.overdue)}
              </Text>
              <Text size="xs" c="dimmed">
                {t('dashboard.kevOverdue')}
              </Text>
            </div>
            <div>
              <Text size="xl" fw={700}>
                {formatNumber(d.kev.systems)}
              </Text>
              <Text size="xs" c="dimmed">
                {t('dashboard.kevSystems')}
              </Text>
            </div>
            <div>
              <Text size="xl" fw={700}>
                {fmt(d.kev.medianDaysToRemediate, 'days')}
              </Text>
              <Text size="xs" c="dimmed">
                {t('dashboard.kevMedian')}
              </Text>
            </div>
          </SimpleGrid>
        </Panel>

        <Panel
          title={t('dashboard.incidents')}
          link={more('/incidents', t('dashboard.allIncidents'))}
          testId="dashboard-incidents"
        >
          {d.incidents.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('dashboard.noIncidents')}
            </Text>
          ) : (
            <Stack gap="xs">
              {d.incidents.map((i) => (
                <Stack key={i.id} gap={0}>
                  <Anchor component={Link} to={to(`/incidents/${i.id}`)} size="sm" fw={500}>
                    {i.title}
                  </Anchor>
                  {i.nextClock ? (
                    <Countdown dueAt={i.nextClock.dueAt} clock={i.nextClock.title} />
                  ) : (
                    <Text size="xs" c="dimmed">
                      {t('dashboard.noClock')}
                    </Text>
                  )}
                </Stack>
              ))}
            </Stack>
          )}
        </Panel>

        <Panel title={t('dashboard.training')} link={more('/trainings', t('dashboard.trainings'))}>
          {d.training.completion === null ? (
            <Text c="dimmed" size="sm">
              {t('dashboard.noTraining')}
            </Text>
          ) : (
            <Stack gap={4}>
              <Text size="xl" fw={700}>
                {fmt(d.training.completion, 'percent')}
              </Text>
              <KpiBar progress={d.training.completion / 100} />
              <Text size="xs" c="dimmed">
                {t('dashboard.trainingOf', {
                  completed: formatNumber(d.training.completed),
                  assigned: formatNumber(d.training.assigned),
                })}
              </Text>
            </Stack>
          )}
        </Panel>

        <Panel title={t('dashboard.agreements')} link={more('/partners', t('dashboard.allPartners'))}>
          {d.expiringAgreements.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('dashboard.noAgreements')}
            </Text>
          ) : (
            <Stack gap={6}>
              {d.expiringAgreements.map((a) => (
                <Stack key={a.id} gap={0}>
                  <Text size="sm" fw={500}>
                    {a.title}
                  </Text>
                  <Text size="xs" c={a.daysToExpiry <= 30 ? 'orange' : 'dimmed'}>
                    {a.partnerName} · {t('dashboard.endsIn', { count: a.daysToExpiry })}
                    {a.autoRenews ? ` · ${t('dashboard.autoRenews')}` : ''}
                  </Text>
                </Stack>
              ))}
            </Stack>
          )}
        </Panel>

        <Panel title={t('dashboard.objectives')} link={more('/plan', t('dashboard.plan'))}>
          {d.objectives.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('objectives.empty')}
            </Text>
          ) : (
            <Stack gap="xs">
              {d.objectives.map((o) => (
                <Stack key={o.id} gap={4}>
                  <Text size="sm" fw={500}>
                    {o.title}
                    {o.dueDate && (
                      <Text span size="xs" c="dimmed">
                        {' · '}
                        {t('objectives.due', { date: o.dueDate })}
                      </Text>
                    )}
                  </Text>
                  {o.kpis.map((k) => (
                    <Stack key={k.id} gap={2}>
                      <Group justify="space-between" wrap="nowrap" gap="xs">
                        <Text size="xs">{k.name}</Text>
                        <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                          {t('kpi.valueOfTarget', {
                            value: fmt(k.current, k.unit),
                            target: fmt(k.target, k.unit),
                          })}
                        </Text>
                      </Group>
                      <KpiBar progress={k.progress} />
                    </Stack>
                  ))}
                </Stack>
              ))}
            </Stack>
          )}
        </Panel>
      </SimpleGrid>
    </Stack>
  );
}

export function HomePage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const { t } = useTranslation('strategy');
  const q = useQuery({
    queryKey: ['overview', orgId],
    queryFn: () => get<Overview>(`/orgs/${orgId}/overview`),
  });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text c="dimmed">{t('common:state.loading')}</Text>;
  const { organization: org, children, memberCount, recentActivity } = q.data;
  return (
    <>
      <PageHeader
        title={org.name}
        description={org.description || t('home.kindDescription', { kind: t(`kinds.${org.kind}`) })}
        actions={<Badge variant="light">{t(`kinds.${org.kind}`)}</Badge>}
      />
      {org.isSample && (
        <Alert color="orange" variant="light" mb="lg" title={t('home.sampleTitle')} py="xs">
          <Text size="sm">{t('home.sampleBody')}</Text>
        </Alert>
      )}
      {can(org, 'data.read') && <StrategyDashboard orgId={org.id} />}
      <Card withBorder mb="lg">
        <Title order={2} size="h5" mb="xs">
          {t('home.organization')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              {t('home.roles')}
            </Text>
            <Group gap={6}>
              {org.roles.map((r) => (
                <Badge key={r} size="sm">
                  {t(`roles.${r}`)}
                </Badge>
              ))}
            </Group>
          </Stack>
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              {t('home.people')}
            </Text>
            <Group gap="xs">
              <Text fw={700}>{memberCount === null ? '—' : formatNumber(memberCount)}</Text>
              {memberCount !== null && (
                <Anchor component={Link} to={`/orgs/${org.id}/members`} size="sm">
                  {t('home.manageMembers')}
                </Anchor>
              )}
            </Group>
          </Stack>
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              {t('home.below', { count: children.length })}
            </Text>
            <Group gap={6}>
              {children.map((c) => (
                <Anchor key={c.id} component={Link} to={`/orgs/${c.id}`} size="sm" title={c.description}>
                  {c.name}
                </Anchor>
              ))}
            </Group>
          </Stack>
        </SimpleGrid>
      </Card>
      {recentActivity && (
        <Stack>
          <Title order={2} size="h5">
            {t('home.recent')}
          </Title>
          {recentActivity.length === 0 ? (
            <Text c="dimmed">{t('home.nothingChanged')}</Text>
          ) : (
            <Table withTableBorder>
              <Table.Tbody>
                {recentActivity.slice(0, 5).map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td w={200}>{formatDate(e.at)}</Table.Td>
                    <Table.Td>{e.actorLabel}</Table.Td>
                    <Table.Td>
                      <Badge variant="outline">{e.action}</Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </>
  );
}
