import {
  Badge,
  Button,
  Group,
  Modal,
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
import { useTranslation } from 'react-i18next';
import { can, del, formatDay, get, type Page, patch, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg, useSession } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { DeleteButton, EditButton } from '../../ui/RowActions';
import type { Assignment, Training } from './types';

interface Overdue {
  items: Assignment[];
  byDepartment: { departmentOrgId: string | null; name: string; overdue: number }[];
  byManager: { managerId: string | null; name: string; overdue: number }[];
}

export function TrainingsPage() {
  const { t } = useTranslation('workforce');
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
  const current = trainings.data?.items.find((tr) => tr.id === selected);
  const [editing, setEditing] = useState<Training | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => del(`${base}/trainings/${id}`),
    onSuccess: () => {
      setSelected(null);
      refresh();
    },
  });

  return (
    <>
      <PageHeader title={t('trainings.title')} description={t('trainings.description')} />
      <ErrorAlert
        error={trainings.error ?? overdue.error ?? assign.error ?? complete.error ?? remove.error}
      />
      <Table withTableBorder striped highlightOnHover mb="lg">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('trainings.training')}</Table.Th>
            <Table.Th>{t('trainings.audience')}</Table.Th>
            <Table.Th>{t('trainings.due')}</Table.Th>
            <Table.Th>{t('trainings.completed')}</Table.Th>
            <Table.Th>{t('trainings.overdue')}</Table.Th>
            <Table.Th aria-label={t('actions')} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {trainings.data?.items.map((tr) => (
            <Table.Tr key={tr.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {tr.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {[
                    tr.topic,
                    t(`delivery.${tr.delivery}`),
                    t('minutes', { n: formatNumber(tr.durationMinutes) }),
                    tr.recurrence === 'annual' ? t('recurrence.annual') : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              </Table.Td>
              <Table.Td>{t(`audience.${tr.audienceKind}`)}</Table.Td>
              <Table.Td>{formatDay(tr.dueAt)}</Table.Td>
              <Table.Td>
                {t('trainings.ofAssigned', {
                  done: formatNumber(tr.completed),
                  of: formatNumber(tr.assigned),
                })}
              </Table.Td>
              <Table.Td>{tr.overdue > 0 ? <Badge color="red">{tr.overdue}</Badge> : 0}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="default" onClick={() => setSelected(tr.id)}>
                    {t('trainings.assignments')}
                  </Button>
                  {write && (
                    <>
                      <Button size="xs" variant="light" onClick={() => assign.mutate(tr.id)}>
                        {t('trainings.assign')}
                      </Button>
                      <EditButton label={t('editOne', { name: tr.title })} onClick={() => setEditing(tr)} />
                      <DeleteButton
                        label={t('deleteOne', { name: tr.title })}
                        confirm={t('trainings.confirmDelete', { name: tr.title })}
                        onConfirm={() => remove.mutate(tr.id)}
                      />
                    </>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {assign.data && (
        <Text size="sm" role="status" mb="md">
          {t('trainings.assigned', { count: assign.data.created })}
        </Text>
      )}

      {current && (
        <Stack mb="xl">
          <Title order={2} size="h4">
            {t('trainings.assignmentsOf', { title: current.title })}
          </Title>
          <Table withTableBorder striped data-testid="assignments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('person')}</Table.Th>
                <Table.Th>{t('department')}</Table.Th>
                <Table.Th>{t('trainings.due')}</Table.Th>
                <Table.Th>{t('trainings.completed')}</Table.Th>
                <Table.Th aria-label={t('actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {assignments.data?.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{a.personName}</Table.Td>
                  <Table.Td>{a.departmentName ?? '—'}</Table.Td>
                  <Table.Td>{formatDay(a.dueAt)}</Table.Td>
                  <Table.Td>
                    {a.completedAt
                      ? t('trainings.completedVia', {
                          date: formatDay(a.completedAt),
                          source: t(`source.${a.completionSource ?? 'manual'}`),
                        })
                      : '—'}
                  </Table.Td>
                  <Table.Td>
                    {write && !a.completedAt && (
                      <Button
                        size="xs"
                        aria-label={t('trainings.markOne', { name: a.personName })}
                        onClick={() => complete.mutate({ trainingId: a.trainingId, personId: a.personId })}
                      >
                        {t('trainings.mark')}
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
        {t('trainings.overdue')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('department')}</Table.Th>
              <Table.Th>{t('trainings.overdue')}</Table.Th>
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
              <Table.Th>{t('manager')}</Table.Th>
              <Table.Th>{t('trainings.overdue')}</Table.Th>
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
            <Table.Th>{t('person')}</Table.Th>
            <Table.Th>{t('trainings.training')}</Table.Th>
            <Table.Th>{t('manager')}</Table.Th>
            <Table.Th>{t('trainings.wasDue')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {overdue.data?.items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{a.personName}</Table.Td>
              <Table.Td>{a.trainingTitle}</Table.Td>
              <Table.Td>{a.managerName ?? '—'}</Table.Td>
              <Table.Td>{formatDay(a.dueAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {write && <TrainingForm orgId={orgId} onDone={refresh} />}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={t('trainings.editTitle')} size="lg">
        {editing && (
          <TrainingForm
            orgId={orgId}
            training={editing}
            onDone={() => {
              setEditing(null);
              refresh();
            }}
          />
        )}
      </Modal>
    </>
  );
}

function TrainingForm({ orgId, training, onDone }: { orgId: string; training?: Training; onDone(): void }) {
  const { t } = useTranslation('workforce');
  const { session } = useSession();
  const departments = (session?.organizations ?? []).filter(
    (o) => o.parentId === orgId && o.kind === 'department',
  );
  const nice = useQuery({
    queryKey: ['wf-nice'],
    queryFn: () => get<{ workRoles: { id: string; name: string }[] }>('/workforce/nice'),
  });
  const [title, setTitle] = useState(training?.title ?? '');
  const [topic, setTopic] = useState(training?.topic ?? '');
  const [delivery, setDelivery] = useState<string>(training?.delivery ?? 'internal');
  const [duration, setDuration] = useState<number>(training?.durationMinutes ?? 30);
  const [audience, setAudience] = useState<string>(training?.audienceKind ?? 'everyone');
  const [departmentId, setDepartmentId] = useState<string | null>(training?.audienceDepartmentOrgId ?? null);
  const [roleId, setRoleId] = useState<string | null>(training?.audienceRoleId ?? null);
  const [due, setDue] = useState(training ? training.dueAt.slice(0, 10) : '');
  const [recurrence, setRecurrence] = useState<string>(training?.recurrence ?? 'none');
  const save = useMutation({
    mutationFn: () => {
      const body = {
        title,
        topic,
        delivery,
        durationMinutes: duration,
        audienceKind: audience,
        audienceDepartmentOrgId: audience === 'department' ? departmentId : null,
        audienceRoleId: audience === 'role' ? roleId : null,
        dueAt: due ? new Date(`${due}T23:59:59Z`).toISOString() : '',
        recurrence,
      };
      return training
        ? patch(`/orgs/${orgId}/workforce/trainings/${training.id}`, body)
        : post(`/orgs/${orgId}/workforce/trainings`, body);
    },
    onSuccess: () => {
      if (!training) setTitle('');
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack maw={600}>
        {!training && (
          <Title order={2} size="h4">
            {t('trainings.new')}
          </Title>
        )}
        <TextInput
          label={t('trainings.titleInput')}
          required
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <TextInput
          label={t('trainings.topic')}
          value={topic}
          onChange={(e) => setTopic(e.currentTarget.value)}
        />
        <Group grow>
          <Select
            label={t('trainings.delivery')}
            data={['internal', 'external'].map((v) => ({ value: v, label: t(`delivery.${v}`) }))}
            value={delivery}
            onChange={(v) => v && setDelivery(v)}
          />
          <NumberInput
            label={t('trainings.duration')}
            min={1}
            value={duration}
            onChange={(v) => setDuration(Number(v))}
          />
        </Group>
        <Group grow>
          <Select
            label={t('trainings.audience')}
            data={['everyone', 'department', 'role', 'ot'].map((v) => ({
              value: v,
              label: t(`audience.${v}`),
            }))}
            value={audience}
            onChange={(v) => v && setAudience(v)}
          />
          {audience === 'department' && (
            <Select
              label={t('department')}
              required
              data={departments.map((d) => ({ value: d.id, label: d.name }))}
              value={departmentId}
              onChange={setDepartmentId}
            />
          )}
          {audience === 'role' && (
            <Select
              label={t('trainings.workRole')}
              required
              searchable
              data={(nice.data?.workRoles ?? []).map((r) => ({ value: r.id, label: `${r.id} ${r.name}` }))}
              value={roleId}
              onChange={setRoleId}
            />
          )}
        </Group>
        <Group grow>
          <TextInput
            label={t('trainings.dueDate')}
            type="date"
            required
            value={due}
            onChange={(e) => setDue(e.currentTarget.value)}
          />
          <Select
            label={t('trainings.recurrence')}
            data={['none', 'annual'].map((v) => ({ value: v, label: t(`recurrence.${v}`) }))}
            value={recurrence}
            onChange={(v) => v && setRecurrence(v)}
          />
        </Group>
        <ErrorAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {training ? t('common:actions.save') : t('trainings.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
