import {
  ActionIcon,
  Badge,
  Button,
  Group,
  List,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, del, formatDate, get, patch, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert, fieldError } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { TlpBadge } from './TlpBadge';
import type { Tlp } from './types';

type Direction = 'pull' | 'push';
type PushTlp = Exclude<Tlp, 'red'>;
/** The maximum TLP a push feed may have: TLP:RED never leaves by a feed. */
const PUSH_TLPS: PushTlp[] = ['clear', 'green', 'amber', 'amber+strict'];

interface Feed {
  id: string;
  name: string;
  apiRoot: string;
  collectionId: string;
  direction: Direction;
  maxTlp: PushTlp | null;
  hasToken: boolean;
  addedAfter: string | null;
  pushCursor: { dateAdded: string } | null;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastMessage: string | null;
}

interface FeedRun {
  id: string;
  direction: Direction;
  startedAt: string;
  finishedAt: string;
  status: 'ok' | 'failed';
  objects: number;
  succeeded: number;
  failed: number;
  pending: number;
  withheld: number;
  message: string | null;
  failures: { id: string; version: string; message: string }[];
}

const EMPTY = {
  name: '',
  apiRoot: '',
  collectionId: '',
  token: '',
  direction: 'pull' as Direction,
  maxTlp: 'green' as PushTlp,
};

const tlpOptions = () => PUSH_TLPS.map((l) => ({ value: l, label: `TLP:${l.toUpperCase()}` }));

function RunHistory({ orgId, feed }: { orgId: string; feed: Feed }) {
  const { t } = useTranslation('intel');
  const runs = useQuery({
    queryKey: ['feed-runs', orgId, feed.id],
    queryFn: () => get<{ items: FeedRun[]; total: number }>(`/orgs/${orgId}/intel/feeds/${feed.id}/runs`),
  });
  if (runs.error) return <ErrorAlert error={runs.error} />;
  if (!runs.data) return null;
  if (runs.data.items.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('feeds.noRuns')}
      </Text>
    );
  const push = feed.direction === 'push';
  return (
    <Table withTableBorder data-testid={`feed-runs-${feed.id}`}>
      <Table.Caption>{t('feeds.historyCaption', { name: feed.name })}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('feeds.started')}</Table.Th>
          <Table.Th>{t('feeds.result')}</Table.Th>
          <Table.Th>{push ? t('feeds.sent') : t('feeds.received')}</Table.Th>
          <Table.Th>{push ? t('feeds.accepted') : t('feeds.stored')}</Table.Th>
          <Table.Th>{t('feeds.failed')}</Table.Th>
          {push && <Table.Th>{t('feeds.pending')}</Table.Th>}
          {push && <Table.Th>{t('feeds.withheld')}</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {runs.data.items.map((r) => (
          <Fragment key={r.id}>
            <Table.Tr>
              <Table.Td>{formatDate(r.startedAt)}</Table.Td>
              <Table.Td>
                <Badge color={r.status === 'ok' ? 'green' : 'red'}>{t(`feeds.status.${r.status}`)}</Badge>
                {r.status === 'failed' && r.message && (
                  <Text size="xs" c="dimmed">
                    {r.message}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{formatNumber(r.objects)}</Table.Td>
              <Table.Td>{formatNumber(r.succeeded)}</Table.Td>
              <Table.Td>{formatNumber(r.failed)}</Table.Td>
              {push && <Table.Td>{formatNumber(r.pending)}</Table.Td>}
              {push && <Table.Td>{formatNumber(r.withheld)}</Table.Td>}
            </Table.Tr>
            {r.failures.length > 0 && (
              <Table.Tr>
                <Table.Td colSpan={push ? 7 : 5}>
                  <Text size="xs" fw={500}>
                    {t('feeds.failures')}
                  </Text>
                  <List size="xs">
                    {r.failures.map((f) => (
                      <List.Item key={`${f.id}/${f.version}/${f.message}`}>
                        <code>{f.id}</code>: {f.message}
                      </List.Item>
                    ))}
                  </List>
                </Table.Td>
              </Table.Tr>
            )}
          </Fragment>
        ))}
      </Table.Tbody>
    </Table>
  );
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
  const [form, setForm] = useState(EMPTY);
  const [open, setOpen] = useState<string | null>(null);
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ['feeds', orgId] });
    qc.invalidateQueries({ queryKey: ['feed-runs', orgId] });
  };
  const create = useMutation({
    mutationFn: () =>
      post(`/orgs/${orgId}/intel/feeds`, {
        name: form.name,
        apiRoot: form.apiRoot,
        collectionId: form.collectionId,
        token: form.token || undefined,
        direction: form.direction,
        ...(form.direction === 'push' ? { maxTlp: form.maxTlp } : {}),
      }),
    onSuccess: () => {
      setForm(EMPTY);
      refresh();
    },
  });
  const run = useMutation({
    mutationFn: (id: string) => post(`/orgs/${orgId}/intel/feeds/${id}/run`),
    onSuccess: refresh,
  });
  const change = useMutation({
    mutationFn: ({ id, maxTlp }: { id: string; maxTlp: PushTlp }) =>
      patch(`/orgs/${orgId}/intel/feeds/${id}`, { maxTlp }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/orgs/${orgId}/intel/feeds/${id}`),
    onSuccess: refresh,
  });
  const set =
    (k: 'name' | 'apiRoot' | 'collectionId' | 'token') => (e: { currentTarget: { value: string } }) =>
      setForm({ ...form, [k]: e.currentTarget.value });

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }

  return (
    <>
      <PageHeader title={t('feeds.title')} description={t('feeds.description')} />
      <ErrorAlert error={feeds.error ?? run.error ?? remove.error ?? change.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('feeds.feed')}</Table.Th>
            <Table.Th>{t('feeds.direction')}</Table.Th>
            <Table.Th>{t('feeds.lastRun')}</Table.Th>
            <Table.Th>{t('feeds.result')}</Table.Th>
            <Table.Th aria-label={t('actions')} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {feeds.data?.items.map((f) => (
            <Fragment key={f.id}>
              <Table.Tr>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {f.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('feeds.where', { apiRoot: f.apiRoot, collection: f.collectionId })}
                    {f.direction === 'pull' && f.addedAfter
                      ? ` · ${t('feeds.upTo', { date: f.addedAfter })}`
                      : ''}
                    {f.direction === 'push' && f.pushCursor
                      ? ` · ${t('feeds.sentUpTo', { date: formatDate(f.pushCursor.dateAdded) })}`
                      : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={f.direction === 'push' ? 'violet' : 'blue'}>
                    {t(`feeds.directions.${f.direction}`)}
                  </Badge>
                  {f.direction === 'push' && f.maxTlp && (
                    <Group gap={4} mt={4} wrap="nowrap">
                      <Text size="xs" c="dimmed">
                        {t('feeds.upToTlp')}
                      </Text>
                      {manage ? (
                        <Select
                          size="xs"
                          w={150}
                          aria-label={t('feeds.maxTlpOf', { name: f.name })}
                          data={tlpOptions()}
                          value={f.maxTlp}
                          allowDeselect={false}
                          onChange={(v) => {
                            if (!v || v === f.maxTlp) return;
                            // Raising the maximum sends more, and sends everything again: ask first.
                            const raising =
                              PUSH_TLPS.indexOf(v as PushTlp) > PUSH_TLPS.indexOf(f.maxTlp as PushTlp);
                            if (
                              raising &&
                              !window.confirm(
                                t('feeds.raiseConfirm', { name: f.name, tlp: `TLP:${v.toUpperCase()}` }),
                              )
                            )
                              return;
                            change.mutate({ id: f.id, maxTlp: v as PushTlp });
                          }}
                        />
                      ) : (
                        <TlpBadge tlp={f.maxTlp} />
                      )}
                    </Group>
                  )}
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
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="subtle"
                      aria-expanded={open === f.id}
                      aria-controls={`feed-history-${f.id}`}
                      aria-label={t(open === f.id ? 'feeds.hideHistoryOf' : 'feeds.historyOf', {
                        name: f.name,
                      })}
                      onClick={() => setOpen(open === f.id ? null : f.id)}
                    >
                      {open === f.id ? t('feeds.hideHistory') : t('feeds.history')}
                    </Button>
                    {manage && (
                      <Button
                        size="xs"
                        variant="light"
                        aria-label={t('feeds.runNowOf', { name: f.name })}
                        onClick={() => run.mutate(f.id)}
                      >
                        {t('feeds.runNow')}
                      </Button>
                    )}
                    {manage && (
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
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
              {open === f.id && (
                <Table.Tr id={`feed-history-${f.id}`}>
                  <Table.Td colSpan={5}>
                    <RunHistory orgId={orgId} feed={f} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
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
            <Select
              label={t('feeds.direction')}
              data={(['pull', 'push'] as const).map((d) => ({
                value: d,
                label: t(`feeds.directionChoice.${d}`),
              }))}
              value={form.direction}
              allowDeselect={false}
              onChange={(v) => v && setForm({ ...form, direction: v as Direction })}
            />
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
              error={fieldError(create.error, 'collectionId')}
            />
            {form.direction === 'push' && (
              <Select
                label={t('feeds.maxTlp')}
                description={t('feeds.maxTlpHelp')}
                data={tlpOptions()}
                value={form.maxTlp}
                allowDeselect={false}
                onChange={(v) => v && setForm({ ...form, maxTlp: v as PushTlp })}
                error={fieldError(create.error, 'maxTlp')}
              />
            )}
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
