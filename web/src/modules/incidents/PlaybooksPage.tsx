import {
  Badge,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CSF_CATEGORY_IDS } from '../../../../src/core/incident/csf';
import { RESPONDER_ROLES } from '../../../../src/core/incident/playbooks';
import { PHASES } from '../../../../src/core/incident/workflow';
import { api, can, formatDate, get, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';

interface EditableTask {
  id: string;
  title: string;
  description: string;
  phase: string;
  csf: string;
  role: string;
  checklist: string[];
}

interface Playbook {
  id: string;
  version: string;
  title: string;
  incidentType: string;
  summary: string;
  tasks: EditableTask[];
}

interface PlaybookOut {
  ref: string;
  source: 'shipped' | 'organization';
  readOnly: boolean;
  createdAt: string | null;
  playbook: Playbook;
}

/** The next patch version: 1.2.3 → 1.2.4. */
function bump(v: string): string {
  const [a, b, c] = v.split('.').map(Number);
  return `${a}.${b}.${(c ?? 0) + 1}`;
}

/** Playbooks: the shipped ones (read-only, copied to edit) and the organization's own, each save a new version. */
export function PlaybooksPage() {
  const { t } = useTranslation('incidents');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const admin = can(org, 'data.admin');
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: ['incident-playbooks', orgId],
    queryFn: () => get<{ items: PlaybookOut[] }>(`/orgs/${orgId}/incident-playbooks`),
  });
  const [editing, setEditing] = useState<{ ref: string; playbook: Playbook } | null>(null);
  const copy = useMutation({
    mutationFn: (from: string) => post<PlaybookOut>(`/orgs/${orgId}/incident-playbooks`, { from }),
    onSuccess: (p) => {
      qc.invalidateQueries({ queryKey: ['incident-playbooks', orgId] });
      setEditing({ ref: p.ref, playbook: { ...p.playbook, version: bump(p.playbook.version) } });
    },
  });
  return (
    <>
      <PageHeader title={t('playbooks.title')} description={t('playbooks.description')} />
      <ErrorAlert error={list.error ?? copy.error} />
      {editing && (
        <Editor
          orgId={orgId}
          start={editing}
          onDone={() => {
            setEditing(null);
            qc.invalidateQueries({ queryKey: ['incident-playbooks', orgId] });
          }}
        />
      )}
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('playbooks.playbook')}</Table.Th>
            <Table.Th>{t('playbooks.version')}</Table.Th>
            <Table.Th>{t('playbooks.source')}</Table.Th>
            <Table.Th>{t('playbooks.tasks')}</Table.Th>
            {admin && <Table.Th>{t('playbooks.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((p) => (
            <Table.Tr key={p.ref} data-testid="playbook-row">
              <Table.Td>{p.playbook.title}</Table.Td>
              <Table.Td>{p.playbook.version}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={p.source === 'shipped' ? 'gray' : 'blue'}>
                  {t(`playbooks.sources.${p.source}`)}
                </Badge>
                {p.createdAt && (
                  <Text size="xs" c="dimmed">
                    {formatDate(p.createdAt)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{formatNumber(p.playbook.tasks.length)}</Table.Td>
              {admin && (
                <Table.Td>
                  {p.source === 'shipped' ? (
                    <Button
                      size="compact-sm"
                      variant="light"
                      onClick={() => copy.mutate(p.ref)}
                      loading={copy.isPending}
                    >
                      {t('playbooks.copy')}
                    </Button>
                  ) : (
                    <Button
                      size="compact-sm"
                      variant="light"
                      onClick={() =>
                        setEditing({
                          ref: p.ref,
                          playbook: { ...p.playbook, version: bump(p.playbook.version) },
                        })
                      }
                    >
                      {t('playbooks.edit')}
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

function Editor({
  orgId,
  start,
  onDone,
}: {
  orgId: string;
  start: { ref: string; playbook: Playbook };
  onDone: () => void;
}) {
  const { t } = useTranslation('incidents');
  const [p, setP] = useState<Playbook>(start.playbook);
  const save = useMutation({
    mutationFn: () => api('PUT', `/orgs/${orgId}/incident-playbooks/${start.ref}`, { playbook: p }),
    onSuccess: onDone,
  });
  const setTask = (k: number, patch: Partial<EditableTask>) =>
    setP({ ...p, tasks: p.tasks.map((x, j) => (j === k ? { ...x, ...patch } : x)) });
  const prefix = p.tasks[0]?.id.split('-')[0] ?? 'pb';
  const nextId = () => {
    const n = Math.max(0, ...p.tasks.map((x) => Number(x.id.split('-')[1]) || 0)) + 1;
    return `${prefix}-${String(n).padStart(2, '0')}`;
  };
  const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));
  return (
    <Card withBorder mb="lg" data-testid="playbook-editor">
      <Title order={2} size="h4" mb="sm">
        {t('playbooks.editing', { title: start.playbook.title })}
      </Title>
      <Stack>
        <Group grow>
          <TextInput
            label={t('playbooks.titleField')}
            value={p.title}
            onChange={(e) => setP({ ...p, title: e.currentTarget.value })}
          />
          <TextInput
            label={t('playbooks.newVersion')}
            value={p.version}
            onChange={(e) => setP({ ...p, version: e.currentTarget.value })}
          />
        </Group>
        <Textarea
          label={t('playbooks.summary')}
          value={p.summary}
          onChange={(e) => setP({ ...p, summary: e.currentTarget.value })}
          autosize
        />
        {p.tasks.map((task, k) => (
          <Card key={task.id} withBorder data-testid="playbook-task">
            <Group grow align="flex-end">
              <TextInput
                label={t('playbooks.taskTitle', { id: task.id })}
                value={task.title}
                onChange={(e) => setTask(k, { title: e.currentTarget.value })}
              />
              <Select
                label={t('playbooks.phase')}
                data={options(PHASES)}
                value={task.phase}
                onChange={(v) => v && setTask(k, { phase: v })}
                allowDeselect={false}
              />
              <Select
                label={t('playbooks.csf')}
                data={options(CSF_CATEGORY_IDS)}
                value={task.csf}
                onChange={(v) => v && setTask(k, { csf: v })}
                allowDeselect={false}
                searchable
              />
              <Select
                label={t('playbooks.role')}
                data={Object.entries(RESPONDER_ROLES).map(([value, r]) => ({ value, label: r.name }))}
                value={task.role}
                onChange={(v) => v && setTask(k, { role: v })}
                allowDeselect={false}
              />
            </Group>
            <Textarea
              label={t('playbooks.taskDescription')}
              value={task.description}
              onChange={(e) => setTask(k, { description: e.currentTarget.value })}
              autosize
              mt="xs"
            />
            <Textarea
              label={t('playbooks.checklist')}
              value={task.checklist.join('\n')}
              onChange={(e) => setTask(k, { checklist: e.currentTarget.value.split('\n') })}
              autosize
              mt="xs"
            />
            <Group justify="flex-end" mt="xs">
              <Button
                size="compact-sm"
                variant="subtle"
                color="red"
                onClick={() => setP({ ...p, tasks: p.tasks.filter((_, j) => j !== k) })}
              >
                {t('playbooks.removeTask')}
              </Button>
            </Group>
          </Card>
        ))}
        <Group>
          <Button
            variant="light"
            onClick={() =>
              setP({
                ...p,
                tasks: [
                  ...p.tasks,
                  {
                    id: nextId(),
                    title: '',
                    description: '',
                    phase: 'post-incident-review',
                    csf: CSF_CATEGORY_IDS[0] ?? 'RS.MA',
                    role: 'incident-lead',
                    checklist: [],
                  },
                ],
              })
            }
          >
            {t('playbooks.addTask')}
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t('playbooks.save')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('playbooks.cancel')}
          </Button>
        </Group>
        <ErrorAlert error={save.error} />
      </Stack>
    </Card>
  );
}
