import {
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, del, formatDay, get, type Page, patch, post } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { DeleteButton, EditButton } from '../../ui/RowActions';
import { ACTIVITY_KINDS, ACTIVITY_STATUSES, type Activity, type Partner } from './types';

const PAGE = 25;
const STATUS_COLOR: Record<string, string> = {
  planned: 'blue',
  ongoing: 'orange',
  completed: 'green',
  cancelled: 'gray',
};

export function ActivitiesPage() {
  const { t } = useTranslation('partners');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const write = can(org, 'data.write');
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  if (q) params.set('q', q);
  if (kind) params.set('kind', kind);
  const activities = useQuery({
    queryKey: ['activities', orgId, q, kind, offset],
    queryFn: () => get<Page<Activity>>(`/orgs/${orgId}/activities?${params}`),
    placeholderData: keepPreviousData,
  });
  const partners = useQuery({
    queryKey: ['partners', orgId],
    queryFn: () => get<Page<Partner>>(`/orgs/${orgId}/partners?limit=500`),
  });
  const communities = useQuery({
    queryKey: ['activity-communities', orgId],
    queryFn: () => get<{ items: { id: string; name: string }[] }>(`/orgs/${orgId}/activities/communities`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['activities', orgId] });
  const [editing, setEditing] = useState<Activity | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => del(`/orgs/${orgId}/activities/${id}`),
    onSuccess: refresh,
  });
  const formProps = {
    orgId,
    partners: partners.data?.items ?? [],
    communities: communities.data?.items ?? [],
  };
  return (
    <>
      <PageHeader title={t('activities.title')} description={t('activities.description')} />
      <Group mb="md" align="end">
        <TextInput
          label={t('activities.search')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setOffset(0);
          }}
        />
        <Select
          label={t('activities.kind')}
          data={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activityKind.${k}`) }))}
          value={kind}
          onChange={(v) => {
            setKind(v);
            setOffset(0);
          }}
          clearable
        />
      </Group>
      <ErrorAlert error={activities.error ?? remove.error} />
      <Table withTableBorder striped mb="md" data-testid="activities">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('activities.activity')}</Table.Th>
            <Table.Th>{t('activities.partners')}</Table.Th>
            <Table.Th>{t('activities.dates')}</Table.Th>
            <Table.Th>{t('activities.status')}</Table.Th>
            <Table.Th>{t('activities.outcomes')}</Table.Th>
            {write && <Table.Th>{t('actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {activities.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={write ? 6 : 5}>
                <Text c="dimmed">{t('activities.none')}</Text>
              </Table.Td>
            </Table.Tr>
          )}
          {activities.data?.items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {a.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {t(`activityKind.${a.kind}`)}
                  {a.communityName ? ` · ${t('activities.inCommunity', { name: a.communityName })}` : ''}
                </Text>
                {a.description && <Text size="xs">{a.description}</Text>}
              </Table.Td>
              <Table.Td>{a.partners.map((p) => p.name).join(', ')}</Table.Td>
              <Table.Td>
                {a.endsOn && a.endsOn !== a.startsOn
                  ? t('activities.range', { from: formatDay(a.startsOn), to: formatDay(a.endsOn) })
                  : formatDay(a.startsOn)}
              </Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[a.status]}>{t(`activityStatus.${a.status}`)}</Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{a.outcomes}</Text>
              </Table.Td>
              {write && (
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <EditButton
                      label={t('activities.editOne', { title: a.title })}
                      onClick={() => setEditing(a)}
                    />
                    <DeleteButton
                      label={t('activities.deleteOne', { title: a.title })}
                      confirm={t('activities.confirmDelete', { title: a.title })}
                      onConfirm={() => remove.mutate(a.id)}
                    />
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {activities.data && (
        <Pager total={activities.data.total} limit={PAGE} offset={offset} onChange={setOffset} />
      )}
      {write && (
        <Stack mt="xl" maw={700}>
          <Title order={2} size="h4">
            {t('activities.new')}
          </Title>
          <ActivityForm {...formProps} onDone={refresh} />
        </Stack>
      )}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={t('activities.editTitle')} size="lg">
        {editing && (
          <ActivityForm
            {...formProps}
            activity={editing}
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

function ActivityForm({
  orgId,
  partners,
  communities,
  activity,
  onDone,
}: {
  orgId: string;
  partners: Partner[];
  communities: { id: string; name: string }[];
  activity?: Activity;
  onDone(): void;
}) {
  const { t } = useTranslation('partners');
  const [kind, setKind] = useState(activity?.kind ?? 'exercise');
  const [title, setTitle] = useState(activity?.title ?? '');
  const [description, setDescription] = useState(activity?.description ?? '');
  const [status, setStatus] = useState(activity?.status ?? 'planned');
  const [startsOn, setStartsOn] = useState(activity?.startsOn ?? '');
  const [endsOn, setEndsOn] = useState(activity?.endsOn ?? '');
  const [partnerIds, setPartnerIds] = useState<string[]>(activity?.partners.map((p) => p.id) ?? []);
  const [communityOrgId, setCommunityOrgId] = useState<string | null>(activity?.communityOrgId ?? null);
  const [outcomes, setOutcomes] = useState(activity?.outcomes ?? '');
  const save = useMutation({
    mutationFn: () => {
      const body = {
        kind,
        title,
        description,
        status,
        startsOn,
        endsOn: endsOn || null,
        partnerIds,
        communityOrgId,
        outcomes,
      };
      return activity
        ? patch(`/orgs/${orgId}/activities/${activity.id}`, body)
        : post(`/orgs/${orgId}/activities`, body);
    },
    onSuccess: () => {
      if (!activity) {
        setTitle('');
        setDescription('');
        setOutcomes('');
        setPartnerIds([]);
      }
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  // A community the organization has left stays selectable on the activity that names it.
  const communityOptions = [
    ...communities.map((c) => ({ value: c.id, label: c.name })),
    ...(activity?.communityOrgId && !communities.some((c) => c.id === activity.communityOrgId)
      ? [{ value: activity.communityOrgId, label: activity.communityName ?? activity.communityOrgId }]
      : []),
  ];
  return (
    <form onSubmit={submit}>
      <Stack>
        <Group grow>
          <Select
            label={t('activities.kind')}
            data={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activityKind.${k}`) }))}
            value={kind}
            onChange={(v) => v && setKind(v)}
          />
          <Select
            label={t('activities.status')}
            data={ACTIVITY_STATUSES.map((s) => ({ value: s, label: t(`activityStatus.${s}`) }))}
            value={status}
            onChange={(v) => v && setStatus(v)}
          />
        </Group>
        <TextInput
          label={t('activities.titleInput')}
          required
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <Textarea
          label={t('activities.descriptionInput')}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <Group grow>
          <TextInput
            label={t('activities.startsOn')}
            type="date"
            required
            value={startsOn}
            onChange={(e) => setStartsOn(e.currentTarget.value)}
          />
          <TextInput
            label={t('activities.endsOn')}
            type="date"
            value={endsOn}
            onChange={(e) => setEndsOn(e.currentTarget.value)}
          />
        </Group>
        <MultiSelect
          label={t('activities.partners')}
          data={partners.map((p) => ({ value: p.id, label: p.name }))}
          value={partnerIds}
          onChange={setPartnerIds}
          searchable
        />
        <Select
          label={t('activities.community')}
          description={t('activities.communityHelp')}
          data={communityOptions}
          value={communityOrgId}
          onChange={setCommunityOrgId}
          clearable
        />
        <Textarea
          label={t('activities.outcomesInput')}
          value={outcomes}
          onChange={(e) => setOutcomes(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <ErrorAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {activity ? t('common:actions.save') : t('activities.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
