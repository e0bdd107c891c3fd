import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, formatDate, get, patch, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import type { ExerciseView, ReviewItem } from './types';

const INJECT_COLORS = { pending: 'gray', due: 'orange', released: 'green' } as const;
const KINDS = ['worked', 'gap', 'decision', 'action'] as const;

/** The facilitator's view of a tabletop exercise: exercise time, injects, and the after-action report. */
export function ExercisePage() {
  const { t } = useTranslation('incidents');
  const { orgId, incidentId } = useParams({ strict: false }) as { orgId: string; incidentId: string };
  const org = useOrg(orgId);
  const writable = can(org, 'data.write');
  const url = `/orgs/${orgId}/incidents/${incidentId}/exercise`;
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['incident', incidentId, 'exercise'],
    queryFn: () => get<ExerciseView>(url),
    refetchInterval: 15_000,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['incident', incidentId] });
  const act = useMutation({ mutationFn: (path: string) => post(`${url}/${path}`), onSuccess: refresh });
  const [tick, setTick] = useState(Date.now());
  useEffect(() => {
    const h = setInterval(() => setTick(Date.now()), 1000);
    return () => clearInterval(h);
  }, []);
  const ex = q.data;
  if (!ex) return <ErrorAlert error={q.error} />;
  // Exercise time between refreshes: the server's reading plus the real time since, at the exercise's scale.
  const fetchedAt = q.dataUpdatedAt || tick;
  const minutes =
    ex.state === 'running'
      ? ex.elapsedMinutes + ((tick - fetchedAt) / 60_000) * ex.timeScale
      : ex.elapsedMinutes;
  return (
    <>
      <PageHeader
        title={t('exercise.title', { scenario: ex.scenario.title })}
        description={
          <Anchor component={Link} to={`/orgs/${orgId}/incidents/${incidentId}`}>
            {t('exercise.incident')}
          </Anchor>
        }
        actions={
          <Badge size="lg" data-testid="exercise-state">
            {t(`exercise.state.${ex.state}`)}
          </Badge>
        }
      />
      <ErrorAlert error={act.error} />
      <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            {t('exercise.clock')}
          </Title>
          <Text size="xl" fw={700} data-testid="exercise-time">
            {t('exercise.elapsed', { minutes: formatNumber(Math.floor(minutes)) })}
          </Text>
          <Text size="sm" c="dimmed">
            {t('exercise.scale', { scale: formatNumber(ex.timeScale) })}
            {ex.startedAt ? ` · ${t('exercise.started', { at: formatDate(ex.startedAt) })}` : ''}
          </Text>
          {writable && (
            <Group mt="sm">
              {ex.state === 'planned' && (
                <Button onClick={() => act.mutate('start')} loading={act.isPending}>
                  {t('exercise.start')}
                </Button>
              )}
              {ex.state === 'running' && (
                <Button color="red" variant="light" onClick={() => act.mutate('end')} loading={act.isPending}>
                  {t('exercise.end')}
                </Button>
              )}
            </Group>
          )}
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            {t('exercise.participants')}
          </Title>
          {ex.participants.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('exercise.noParticipants')}
            </Text>
          ) : (
            ex.participants.map((p) => (
              <Text size="sm" key={`${p.role}-${p.name}`}>
                {p.name} · {p.role}
              </Text>
            ))
          )}
          <Text size="sm" mt="xs">
            {t('exercise.actions', {
              open: formatNumber(ex.actions.open),
              done: formatNumber(ex.actions.done),
            })}
          </Text>
        </Card>
      </SimpleGrid>
      <Title order={2} size="h4" mb="sm">
        {t('exercise.injects')}
      </Title>
      <Table mb="lg">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exercise.at')}</Table.Th>
            <Table.Th>{t('exercise.inject')}</Table.Th>
            <Table.Th>{t('exercise.injectStatus')}</Table.Th>
            {writable && <Table.Th>{t('exercise.release')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ex.injects.map((i) => (
            <Table.Tr key={i.id} data-testid="inject">
              <Table.Td>{t('exercise.offset', { minutes: formatNumber(i.offsetMinutes) })}</Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {i.title}
                </Text>
                {i.status === 'released' && (
                  <>
                    <Text size="sm">{i.text}</Text>
                    <Text size="xs" c="dimmed">
                      {t('exercise.expected', { decisions: i.expectedDecisions.join('; ') })}
                    </Text>
                  </>
                )}
              </Table.Td>
              <Table.Td>
                <Badge color={INJECT_COLORS[i.status]} variant="light">
                  {t(`exercise.injectState.${i.status}`)}
                </Badge>
                {i.releasedMode && (
                  <Text size="xs" c="dimmed">
                    {t(`exercise.mode.${i.releasedMode}`)}
                  </Text>
                )}
              </Table.Td>
              {writable && (
                <Table.Td>
                  {ex.state === 'running' && i.status !== 'released' && (
                    <Button
                      size="compact-sm"
                      variant="light"
                      onClick={() => act.mutate(`injects/${i.id}/release`)}
                      aria-label={t('exercise.releaseOne', { title: i.title })}
                    >
                      {t('exercise.release')}
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <AfterAction url={url} items={ex.review} writable={writable} onChange={refresh} />
    </>
  );
}

function AfterAction({
  url,
  items,
  writable,
  onChange,
}: {
  url: string;
  items: ReviewItem[];
  writable: boolean;
  onChange: () => void;
}) {
  const { t } = useTranslation('incidents');
  const [kind, setKind] = useState<string>('worked');
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: () => post(`${url}/review`, { kind, text }),
    onSuccess: () => {
      setText('');
      onChange();
    },
  });
  const update = useMutation({
    mutationFn: ({ id, status }: { id: string; status: string }) => patch(`${url}/review/${id}`, { status }),
    onSuccess: onChange,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {t('exercise.afterAction')}
      </Title>
      <ErrorAlert error={add.error ?? update.error} />
      {writable && (
        <form onSubmit={submit}>
          <Group align="flex-end" mb="md">
            <Select
              label={t('exercise.kind')}
              data={KINDS.map((k) => ({ value: k, label: t(`exercise.kinds.${k}`) }))}
              value={kind}
              onChange={(v) => v && setKind(v)}
              allowDeselect={false}
              w={200}
              data-testid="review-kind"
            />
            <TextInput
              label={t('exercise.text')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              w={420}
              required
            />
            <Button type="submit" loading={add.isPending}>
              {t('exercise.add')}
            </Button>
          </Group>
        </form>
      )}
      <Stack gap="md">
        {KINDS.map((k) => {
          const list = items.filter((i) => i.kind === k);
          if (!list.length) return null;
          return (
            <div key={k}>
              <Title order={3} size="h5" mb={4}>
                {t(`exercise.kinds.${k}`)}
              </Title>
              {list.map((i) => (
                <Group key={i.id} gap="xs" data-testid="review-item">
                  <Text size="sm">{i.text}</Text>
                  {i.kind === 'action' && (
                    <>
                      {i.dueAt && (
                        <Text size="xs" c="dimmed">
                          {t('exercise.due', { at: formatDate(i.dueAt) })}
                        </Text>
                      )}
                      <Select
                        aria-label={t('exercise.actionStatus', { text: i.text })}
                        data={(['open', 'in-progress', 'done'] as const).map((s) => ({
                          value: s,
                          label: t(`exercise.actionState.${s}`),
                        }))}
                        value={i.status}
                        onChange={(v) => v && update.mutate({ id: i.id, status: v })}
                        disabled={!writable}
                        allowDeselect={false}
                        size="xs"
                        w={140}
                      />
                    </>
                  )}
                </Group>
              ))}
            </div>
          );
        })}
      </Stack>
    </Card>
  );
}
