import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, formatDate, get, type Page, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import type { ExerciseView, IncidentSummary, Scenario } from './types';

/** Tabletop exercises: plan one from a scenario, and the organization's past and running exercises. */
export function ExercisesPage() {
  const { t } = useTranslation('incidents');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const navigate = useNavigate();
  const scenarios = useQuery({
    queryKey: ['exercise-scenarios', orgId],
    queryFn: () => get<{ items: Scenario[] }>(`/orgs/${orgId}/exercise-scenarios`),
  });
  const list = useQuery({
    queryKey: ['incidents', orgId, 'exercises'],
    queryFn: () => get<Page<IncidentSummary>>(`/orgs/${orgId}/incidents?exercises=only&limit=200`),
  });
  const [scenarioId, setScenarioId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [timeScale, setTimeScale] = useState<number>(1);
  const [participants, setParticipants] = useState<{ name: string; role: string | null }[]>([]);
  const plan = useMutation({
    mutationFn: () =>
      post<ExerciseView>(`/orgs/${orgId}/exercises`, {
        scenarioId,
        timeScale,
        participants: participants
          .filter((p) => p.name.trim() && p.role)
          .map((p) => ({ name: p.name.trim(), role: p.role })),
        ...(title.trim() ? { title: title.trim() } : {}),
      }),
    onSuccess: (ex) => navigate({ to: `/orgs/${orgId}/incidents/${ex.incidentId}/exercise` }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    plan.mutate();
  };
  const chosen = scenarios.data?.items.find((s) => s.id === scenarioId);
  return (
    <>
      <PageHeader title={t('exercises.title')} description={t('exercises.description')} />
      <ErrorAlert error={scenarios.error ?? list.error ?? plan.error} />
      {can(org, 'data.write') && (
        <Card withBorder mb="lg">
          <Title order={2} size="h4" mb="sm">
            {t('exercises.plan')}
          </Title>
          <form onSubmit={submit}>
            <Stack>
              <Select
                label={t('exercises.scenario')}
                data={(scenarios.data?.items ?? []).map((s) => ({ value: s.id, label: s.title }))}
                value={scenarioId}
                onChange={setScenarioId}
                required
                data-testid="exercise-scenario"
              />
              {chosen && (
                <Text size="sm" c="dimmed">
                  {t('exercises.scenarioSummary', {
                    minutes: formatNumber(chosen.durationMinutes),
                    injects: formatNumber(chosen.injects.length),
                    objectives: chosen.objectives.join('; '),
                  })}
                </Text>
              )}
              <TextInput
                label={t('exercises.titleField')}
                value={title}
                onChange={(e) => setTitle(e.currentTarget.value)}
              />
              {chosen &&
                participants.map((p, k) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved
                  <Group key={k} align="flex-end">
                    <TextInput
                      label={t('exercises.participantName')}
                      value={p.name}
                      onChange={(e) => {
                        const name = e.currentTarget.value;
                        setParticipants(participants.map((x, j) => (j === k ? { ...x, name } : x)));
                      }}
                    />
                    <Select
                      label={t('exercises.participantRole')}
                      data={chosen.participants}
                      value={p.role}
                      data-testid="participant-role"
                      onChange={(role) =>
                        setParticipants(participants.map((x, j) => (j === k ? { ...x, role } : x)))
                      }
                      w={220}
                    />
                    <Button
                      variant="subtle"
                      color="red"
                      onClick={() => setParticipants(participants.filter((_, j) => j !== k))}
                    >
                      {t('exercises.removeParticipant')}
                    </Button>
                  </Group>
                ))}
              {chosen && (
                <Group>
                  <Button
                    variant="light"
                    onClick={() => setParticipants([...participants, { name: '', role: null }])}
                  >
                    {t('exercises.addParticipant')}
                  </Button>
                </Group>
              )}
              <NumberInput
                label={t('exercises.timeScale')}
                min={0.1}
                max={1440}
                value={timeScale}
                onChange={(v) => setTimeScale(Number(v) || 1)}
                w={260}
              />
              <Group>
                <Button type="submit" loading={plan.isPending} disabled={!scenarioId}>
                  {t('exercises.planButton')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
      )}
      <Title order={2} size="h4" mb="sm">
        {t('exercises.list')}
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exercises.exercise')}</Table.Th>
            <Table.Th>{t('exercises.status')}</Table.Th>
            <Table.Th>{t('exercises.opened')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>
                <Anchor component={Link} to={`/orgs/${orgId}/incidents/${i.id}/exercise`}>
                  {i.title}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Badge variant="light">{i.status}</Badge>
              </Table.Td>
              <Table.Td>{formatDate(i.detectedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data?.items.length === 0 && <Text c="dimmed">{t('exercises.none')}</Text>}
    </>
  );
}
