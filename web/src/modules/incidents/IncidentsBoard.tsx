import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, formatDate, get, type Page } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { type IncidentSummary, PHASES, SEVERITY_COLORS } from './types';

interface Overdue {
  incidentId: string;
  incidentTitle: string;
  ruleId: string;
  title: string;
  dueAt: string;
}

export function IncidentsBoard() {
  const { t } = useTranslation('incidents');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const [exercises, setExercises] = useState(false);
  const list = useQuery({
    queryKey: ['incidents', orgId, exercises],
    queryFn: () =>
      get<Page<IncidentSummary>>(
        `/orgs/${orgId}/incidents?limit=500&exercises=${exercises ? 'only' : 'exclude'}`,
      ),
  });
  const overdue = useQuery({
    queryKey: ['incident-clocks-overdue', orgId],
    queryFn: () => get<Page<Overdue>>(`/orgs/${orgId}/incident-clocks/overdue`),
    refetchInterval: 60_000,
  });
  return (
    <>
      <PageHeader
        title={t('board.title')}
        description={t('board.description')}
        actions={
          can(org, 'data.write') && (
            <Button component={Link} to={`/orgs/${orgId}/incidents/new`}>
              {t('board.new')}
            </Button>
          )
        }
      />
      <Switch
        label={t('board.showExercises')}
        checked={exercises}
        onChange={(e) => setExercises(e.currentTarget.checked)}
        mb="md"
      />
      <ErrorAlert error={list.error ?? overdue.error} />
      {!!overdue.data?.items.length && (
        <Card withBorder mb="md" bg="red.0" data-testid="overdue-clocks">
          <Text fw={700} c="red.8">
            {t('board.overdue')}
          </Text>
          {overdue.data.items.map((o) => (
            <Text size="sm" key={`${o.incidentId}:${o.ruleId}`}>
              <Anchor component={Link} to={`/orgs/${orgId}/incidents/${o.incidentId}`}>
                {o.incidentTitle}
              </Anchor>
              {t('board.wasDue', { title: o.title, at: formatDate(o.dueAt) })}
            </Text>
          ))}
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4, xl: 7 }} spacing="sm">
        {PHASES.map((phase) => {
          const items = list.data?.items.filter((i) => i.status === phase) ?? [];
          return (
            <Stack key={phase} gap="xs" data-testid={`column-${phase}`}>
              <Title order={2} size="h5">
                {t(`phases.${phase}`)}{' '}
                <Text span c="dimmed" size="sm">
                  {formatNumber(items.length)}
                </Text>
              </Title>
              {items.map((i) => (
                <Card key={i.id} withBorder padding="sm">
                  <Anchor component={Link} to={`/orgs/${orgId}/incidents/${i.id}`} fw={600} size="sm">
                    {i.title}
                  </Anchor>
                  <Group gap={4} mt={4}>
                    <Badge size="xs" variant="light">
                      {t(`types.${i.type}`)}
                    </Badge>
                    {i.severityName && (
                      <Badge size="xs" color={SEVERITY_COLORS[i.severityName]}>
                        {t(`severityLevels.${i.severityName}`)}
                      </Badge>
                    )}
                    <Badge size="xs" variant="outline" color="gray">
                      TLP:{i.tlp.toUpperCase()}
                    </Badge>
                  </Group>
                  <Text size="xs" c="dimmed" mt={4}>
                    {i.lead
                      ? t('board.detectedLead', { at: formatDate(i.detectedAt), lead: i.lead.name })
                      : t('board.detected', { at: formatDate(i.detectedAt) })}
                  </Text>
                </Card>
              ))}
            </Stack>
          );
        })}
      </SimpleGrid>
    </>
  );
}
