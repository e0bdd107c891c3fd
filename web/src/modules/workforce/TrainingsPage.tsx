import {
  Badge,
  Button,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { can, get, type Page, post } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { type Assignment, day, type Training } from './types';

interface Overdue {
  items: Assignment[];
  byDepartment: { departmentOrgId: string | null; name: string; overdue: number }[];
  byManager: { managerId: string | null; name: string; overdue: number }[];
}

export function TrainingsPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const write = can(org, 'data.write');
  const qc = useQueryClient();
  const base = `/orgs/${orgId}/workforce`;
  const [selected, setSelected] = useState<string | null>(null);
  const trainings = useQuery({
    queryKey: ['wf-trainings', orgId],
    queryFn: () => get<Page<Training>>(`${base}/trainings?limit=200`),
  });
  const overdue = useQuery({
    queryKey: ['wf-overdue', orgId],
    queryFn: () => get<Overdue>(`${base}/overdue`),
  });
  const assignments = useQuery({
    queryKey: ['wf-assignments', orgId, selected],
    queryFn: () => get<{ items: Assignment[] }>(`${base}/trainings/${selected}/assignments`),
    enabled: !!selected,
  });
  const refresh = () => qc.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('wf-') });
  const assign = useMutation({
    mutationFn: (id: string) => post<{ created: number }>(`${base}/trainings/${id}/assign`),
    onSuccess: refresh,
  });
  const complete = useMutation({
    mutationFn: (v: { trainingId: string; personId: string }) =>
      post(`${base}/trainings/${v.trainingId}/completions`, { personId: v.personId }),
    onSuccess: refresh,
  });
  const current = trainings.data?.items.find((t) => t.id === selected);

  return (
    <>
      <PageHeader
        title="Training programmes"
        description="Courses, who must take them by when, completions and what is overdue."
      />
      <ErrorAlert error={trainings.error ?? overdue.error ?? assign.error ?? complete.error} />
      <Table withTableBorder striped highlightOnHover mb="lg">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Training</Table.Th>
            <Table.Th>Audience</Table.Th>
            <Table.Th>Due</Table.Th>
            <Table.Th>Completed</Table.Th>
            <Table.Th>Overdue</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {trainings.data?.items.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {t.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {t.topic} · {t.delivery} · {t.durationMinutes} min
                  {t.recurrence === 'annual' ? ' · annual' : ''}
                </Text>
              </Table.Td>
              <Table.Td>{t.audienceKind}</Table.Td>
              <Table.Td>{day(t.dueAt)}</Table.Td>
              <Table.Td>
                {t.completed} / {t.assigned}
              </Table.Td>
              <Table.Td>{t.overdue > 0 ? <Badge color="red">{t.overdue}</Badge> : 0}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="default" onClick={() => setSelected(t.id)}>
                    Assignments
                  </Button>
                  {write && (
                    <Button size="xs" variant="light" onClick={() => assign.mutate(t.id)}>
                      Assign audience
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {assign.data && (
        <Text size="sm" role="status" mb="md">
          {assign.data.created} new assignment(s).
        </Text>
      )}

      {current && (
        <Stack mb="xl">
          <Title order={2} size="h4">
            Assignments: {current.title}
          </Title>
          <Table withTableBorder striped data-testid="assignments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Person</Table.Th>
                <Table.Th>Department</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th>Completed</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {assignments.data?.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{a.personName}</Table.Td>
                  <Table.Td>{a.departmentName ?? '—'}</Table.Td>
                  <Table.Td>{day(a.dueAt)}</Table.Td>
                  <Table.Td>{a.completedAt ? `${day(a.completedAt)} (${a.completionSource})` : '—'}</Table.Td>
                  <Table.Td>
                    {write && !a.completedAt && (
                      <Button
                        size="xs"
                        aria-label={`Mark ${a.personName} complete`}
                        onClick={() => complete.mutate({ trainingId: a.trainingId, personId: a.personId })}
                      >
                        Mark complete
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}

      <Title order={2} size="h4" mb="sm">
        Overdue
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Department</Table.Th>
              <Table.Th>Overdue</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {overdue.data?.byDepartment.map((g) => (
              <Table.Tr key={g.departmentOrgId ?? 'none'}>
                <Table.Td>{g.name}</Table.Td>
                <Table.Td>{g.overdue}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Manager</Table.Th>
              <Table.Th>Overdue</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {overdue.data?.byManager.map((g) => (
              <Table.Tr key={g.managerId ?? 'none'}>
                <Table.Td>{g.name}</Table.Td>
                <Table.Td>{g.overdue}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </SimpleGrid>
      <Table withTableBorder striped mb="xl" data-testid="overdue">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Person</Table.Th>
            <Table.Th>Training</Table.Th>
            <Table.Th>Manager</Table.Th>
            <Table.Th>Was due</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {overdue.data?.items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{a.personName}</Table.Td>
              <Table.Td>{a.trainingTitle}</Table.Td>
              <Table.Td>{a.managerName ?? '—'}</Table.Td>
              <Table.Td>{day(a.dueAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {write && <NewTraining orgId={orgId} onCreated={refresh} />}
    </>
  );
}

function NewTraining({ orgId, onCreated }: { orgId: string; onCreated(): void }) {
  const [title, setTitle] = useState('');
  const [topic, setTopic] = useState('');
  const [delivery, setDelivery] = useState<string>('internal');
  const [duration, setDuration] = useState<number>(30);
  const [audience, setAudience] = useState<string>('everyone');
  const [due, setDue] = useState('');
  const [recurrence, setRecurrence] = useState<string>('none');
  const create = useMutation({
    mutationFn: () =>
      post(`/orgs/${orgId}/workforce/trainings`, {
        title,
        topic,
        delivery,
        durationMinutes: duration,
        audienceKind: audience,
        dueAt: due ? new Date(`${due}T23:59:59Z`).toISOString() : '',
        recurrence,
      }),
    onSuccess: () => {
      setTitle('');
      onCreated();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack maw={600}>
        <Title order={2} size="h4">
          New training
        </Title>
        <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <TextInput label="Topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value)} />
        <Group grow>
          <Select
            label="Delivery"
            data={['internal', 'external']}
            value={delivery}
            onChange={(v) => v && setDelivery(v)}
          />
          <NumberInput
            label="Duration (minutes)"
            min={1}
            value={duration}
            onChange={(v) => setDuration(Number(v))}
          />
        </Group>
        <Group grow>
          <Select
            label="Audience"
            data={[
              { value: 'everyone', label: 'Everyone' },
              { value: 'ot', label: 'OT staff' },
            ]}
            value={audience}
            onChange={(v) => v && setAudience(v)}
          />
          <TextInput
            label="Due date"
            type="date"
            required
            value={due}
            onChange={(e) => setDue(e.currentTarget.value)}
          />
          <Select
            label="Recurrence"
            data={['none', 'annual']}
            value={recurrence}
            onChange={(v) => v && setRecurrence(v)}
          />
        </Group>
        <ErrorAlert error={create.error} />
        <Group>
          <Button type="submit" loading={create.isPending}>
            Create training
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
