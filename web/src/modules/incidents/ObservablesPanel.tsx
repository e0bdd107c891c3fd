import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, formatDate, get, post } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { HASH_ALGORITHMS, OBSERVABLE_TYPES, type ObservablePage } from './types';

const TLP_COLORS: Record<string, string> = {
  clear: 'gray',
  green: 'green',
  amber: 'orange',
  'amber+strict': 'orange',
  red: 'red',
};

/** Observables of an incident and the indicators they match, among those this organization may read. */
export function ObservablesPanel({
  orgId,
  base,
  incidentId,
  writable,
}: {
  orgId: string;
  base: string;
  incidentId: string;
  writable: boolean;
}) {
  const { t } = useTranslation('incidents');
  const qc = useQueryClient();
  const [type, setType] = useState<string>('ipv4-addr');
  const [value, setValue] = useState('');
  const [hashAlgorithm, setHashAlgorithm] = useState<string>('SHA-256');
  const [note, setNote] = useState('');
  const q = useQuery({
    queryKey: ['incident', incidentId, 'observables'],
    queryFn: () => get<ObservablePage>(`${base}/observables?limit=500`),
  });
  const add = useMutation({
    mutationFn: () =>
      post(`${base}/observables`, { type, value, note, ...(type === 'file' ? { hashAlgorithm } : {}) }),
    onSuccess: () => {
      setValue('');
      setNote('');
      qc.invalidateQueries({ queryKey: ['incident', incidentId] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`${base}/observables/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['incident', incidentId] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  const page = q.data;
  return (
    <Stack>
      <ErrorAlert error={q.error ?? add.error ?? remove.error} />
      {writable && (
        <form onSubmit={submit}>
          <Group align="flex-end">
            <Select
              label={t('observables.type')}
              data={OBSERVABLE_TYPES.map((x) => ({ value: x, label: t(`observables.types.${x}`) }))}
              value={type}
              onChange={(v) => v && setType(v)}
              allowDeselect={false}
              w={200}
              data-testid="observable-type"
            />
            {type === 'file' && (
              <Select
                label={t('observables.hashAlgorithm')}
                data={[...HASH_ALGORITHMS]}
                value={hashAlgorithm}
                onChange={(v) => v && setHashAlgorithm(v)}
                allowDeselect={false}
                w={140}
              />
            )}
            <TextInput
              label={t('observables.value')}
              value={value}
              onChange={(e) => setValue(e.currentTarget.value)}
              required
              w={320}
            />
            <TextInput
              label={t('observables.note')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              w={240}
            />
            <Button type="submit" loading={add.isPending}>
              {t('observables.add')}
            </Button>
          </Group>
        </form>
      )}
      {page && (
        <Text size="sm" c="dimmed">
          {t('observables.checked', { count: page.check.indicators, n: formatNumber(page.check.indicators) })}
          {page.check.truncated ? ` ${t('observables.truncated')}` : ''}
          {page.check.unusable > 0
            ? ` ${t('observables.unusable', { count: page.check.unusable, n: formatNumber(page.check.unusable) })}`
            : ''}
        </Text>
      )}
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('observables.type')}</Table.Th>
            <Table.Th>{t('observables.value')}</Table.Th>
            <Table.Th>{t('observables.seen')}</Table.Th>
            <Table.Th>{t('observables.hits')}</Table.Th>
            {writable && <Table.Th>{t('observables.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {page?.items.map((o) => (
            <Table.Tr key={o.id} data-testid="observable">
              <Table.Td>{t(`observables.types.${o.type}`)}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {o.value}
                </Text>
                {o.note && (
                  <Text size="xs" c="dimmed">
                    {o.note}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{formatDate(o.seenAt)}</Table.Td>
              <Table.Td>
                {o.hits.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('observables.noHits')}
                  </Text>
                ) : (
                  <Stack gap={4}>
                    {o.hits.map((h) => (
                      <Group key={h.indicatorId} gap={6} data-testid="indicator-hit">
                        <Badge color={TLP_COLORS[h.tlp] ?? 'gray'} variant="filled" size="sm">
                          TLP:{h.tlp.toUpperCase()}
                        </Badge>
                        <Anchor
                          component={Link}
                          to={`/orgs/${orgId}/intel/${encodeURIComponent(h.indicatorId)}`}
                          size="sm"
                        >
                          {h.name ?? h.pattern}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {t('observables.source', { name: h.source.name })}
                        </Text>
                        {h.expired && (
                          <Badge color="gray" size="xs">
                            {t('observables.expired')}
                          </Badge>
                        )}
                      </Group>
                    ))}
                  </Stack>
                )}
              </Table.Td>
              {writable && (
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => remove.mutate(o.id)}
                    aria-label={t('observables.remove', { value: o.value })}
                  >
                    {t('observables.removeShort')}
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {page?.items.length === 0 && <Text c="dimmed">{t('observables.none')}</Text>}
    </Stack>
  );
}
