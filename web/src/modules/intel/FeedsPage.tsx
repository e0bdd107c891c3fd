import { ActionIcon, Badge, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, del, formatDate, get, post } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert, fieldError } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';

interface Feed {
  id: string;
  name: string;
  apiRoot: string;
  collectionId: string;
  hasToken: boolean;
  addedAfter: string | null;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastMessage: string | null;
}

export function FeedsPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const manage = can(org, 'data.write');
  const qc = useQueryClient();
  const { t } = useTranslation('intel');
  const feeds = useQuery({
    queryKey: ['feeds', orgId],
    queryFn: () => get<{ items: Feed[] }>(`/orgs/${orgId}/intel/feeds`),
  });
  const [form, setForm] = useState({ name: '', apiRoot: '', collectionId: '', token: '' });
  const refresh = () => qc.invalidateQueries({ queryKey: ['feeds', orgId] });
  const create = useMutation({
    mutationFn: () => post(`/orgs/${orgId}/intel/feeds`, { ...form, token: form.token || undefined }),
    onSuccess: () => {
      setForm({ name: '', apiRoot: '', collectionId: '', token: '' });
      refresh();
    },
  });
  const run = useMutation({
    mutationFn: (id: string) => post(`/orgs/${orgId}/intel/feeds/${id}/run`),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/orgs/${orgId}/intel/feeds/${id}`),
    onSuccess: refresh,
  });
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [k]: e.currentTarget.value });

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }

  return (
    <>
      <PageHeader title={t('feeds.title')} description={t('feeds.description')} />
      <ErrorAlert error={feeds.error ?? run.error ?? remove.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('feeds.feed')}</Table.Th>
            <Table.Th>{t('feeds.lastRun')}</Table.Th>
            <Table.Th>{t('feeds.result')}</Table.Th>
            {manage && <Table.Th aria-label={t('actions')} />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {feeds.data?.items.map((f) => (
            <Table.Tr key={f.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {f.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('feeds.where', { apiRoot: f.apiRoot, collection: f.collectionId })}
                  {f.addedAfter ? ` · ${t('feeds.upTo', { date: f.addedAfter })}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>{formatDate(f.lastRunAt)}</Table.Td>
              <Table.Td>
                {f.lastStatus && (
                  <Badge color={f.lastStatus === 'ok' ? 'green' : 'red'}>
                    {t(`feeds.status.${f.lastStatus}`, { defaultValue: f.lastStatus })}
                  </Badge>
                )}
                <Text size="xs">{f.lastMessage}</Text>
              </Table.Td>
              {manage && (
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" variant="light" onClick={() => run.mutate(f.id)}>
                      {t('feeds.runNow')}
                    </Button>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('remove', { name: f.name })}
                      onClick={() =>
                        window.confirm(t('feeds.removeConfirm', { name: f.name })) && remove.mutate(f.id)
                      }
                    >
                      ✕
                    </ActionIcon>
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {feeds.data?.items.length === 0 && (
        <Text c="dimmed" mt="md">
          {t('feeds.none')}
        </Text>
      )}
      {manage && (
        <form onSubmit={submit}>
          <Stack maw={520} mt="xl">
            <Title order={2} size="h4">
              {t('feeds.addTitle')}
            </Title>
            <TextInput
              label={t('list.name')}
              value={form.name}
              onChange={set('name')}
              required
              error={fieldError(create.error, 'name')}
            />
            <TextInput
              label={t('feeds.apiRoot')}
              placeholder="https://taxii.example.org/api1/"
              value={form.apiRoot}
              onChange={set('apiRoot')}
              required
              error={fieldError(create.error, 'apiRoot')}
            />
            <TextInput
              label={t('feeds.collectionId')}
              value={form.collectionId}
              onChange={set('collectionId')}
              required
            />
            <TextInput label={t('feeds.token')} type="password" value={form.token} onChange={set('token')} />
            <ErrorAlert error={create.error} />
            <Group>
              <Button type="submit" loading={create.isPending}>
                {t('feeds.add')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </>
  );
}
