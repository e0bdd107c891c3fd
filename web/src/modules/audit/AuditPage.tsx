import { Badge, Button, Code, Group, Switch, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditEvent, formatDate, get } from '../../api';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';

/** The audit log of one organization, or of the whole instance when no organization is in the path. */
export function AuditPage() {
  const { orgId } = useParams({ strict: false }) as { orgId?: string };
  const { t } = useTranslation('audit');
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [below, setBelow] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [filters] = useDebouncedValue({ action, actor, from, to, below }, 300);
  const base = orgId ? `/orgs/${orgId}/audit` : '/audit';
  const q = useInfiniteQuery({
    queryKey: ['audit', base, filters],
    initialPageParam: 0,
    queryFn: ({ pageParam }) => {
      const p = new URLSearchParams({ limit: '50' });
      if (filters.action) p.set('action', filters.action);
      if (filters.actor) p.set('actor', filters.actor);
      if (filters.from) p.set('from', new Date(filters.from).toISOString());
      if (filters.to) p.set('to', new Date(filters.to).toISOString());
      if (orgId && filters.below) p.set('includeDescendants', 'true');
      if (pageParam) p.set('before', String(pageParam));
      return get<{ items: AuditEvent[]; nextBefore: number | null }>(`${base}?${p}`);
    },
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader title={orgId ? t('title') : t('titleInstance')} description={t('description')} />
      <Group align="flex-end" mb="md">
        <TextInput
          label={t('filters.action')}
          placeholder={t('filters.actionPlaceholder')}
          value={action}
          onChange={(e) => setAction(e.currentTarget.value)}
        />
        <TextInput
          label={t('filters.actor')}
          placeholder={t('filters.actorPlaceholder')}
          value={actor}
          onChange={(e) => setActor(e.currentTarget.value)}
        />
        <TextInput
          label={t('filters.from')}
          type="datetime-local"
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          label={t('filters.to')}
          type="datetime-local"
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
        {orgId && (
          <Switch
            label={t('filters.below')}
            checked={below}
            onChange={(e) => setBelow(e.currentTarget.checked)}
          />
        )}
      </Group>
      <ErrorAlert error={q.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('columns.when')}</Table.Th>
            <Table.Th>{t('columns.who')}</Table.Th>
            <Table.Th>{t('columns.action')}</Table.Th>
            <Table.Th>{t('columns.target')}</Table.Th>
            <Table.Th aria-label={t('details')} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((e) => (
            <Fragment key={e.id}>
              <Table.Tr>
                <Table.Td>{formatDate(e.at)}</Table.Td>
                <Table.Td>{e.actorLabel}</Table.Td>
                <Table.Td>
                  <Badge variant="outline">{e.action}</Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {e.targetType}{' '}
                    <Text span c="dimmed" size="xs">
                      {e.targetId}
                    </Text>
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => setOpen(open === e.id ? null : e.id)}
                    aria-expanded={open === e.id}
                  >
                    {open === e.id ? t('hide') : t('details')}
                  </Button>
                </Table.Td>
              </Table.Tr>
              {open === e.id && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Group align="flex-start" grow>
                      <div>
                        <Text size="xs" fw={700}>
                          {t('before')}
                        </Text>
                        <Code block>{JSON.stringify(e.before, null, 2)}</Code>
                      </div>
                      <div>
                        <Text size="xs" fw={700}>
                          {t('after')}
                        </Text>
                        <Code block>{JSON.stringify(e.after, null, 2)}</Code>
                      </div>
                    </Group>
                    <Text size="xs" c="dimmed" mt={4}>
                      {t('request', { request: e.requestId ?? '—', seq: e.seq })}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
      {!q.isLoading && items.length === 0 && (
        <Text c="dimmed" mt="md">
          {t('none')}
        </Text>
      )}
      {q.hasNextPage && (
        <Button mt="md" variant="default" onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('older')}
        </Button>
      )}
    </>
  );
}
