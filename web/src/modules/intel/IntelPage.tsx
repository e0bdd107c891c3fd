import { Anchor, Badge, Button, Group, MultiSelect, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, formatDate, get, type Page } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { TlpBadge } from './TlpBadge';
import { type ObjectSummary, TLPS } from './types';

const LIMIT = 25;
/** What GET …/intel/bundle returns at most by default; more is cut (the response says so). */
const EXPORT_LIMIT = 10_000;
const TYPES = [
  'attack-pattern',
  'campaign',
  'course-of-action',
  'identity',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'malware',
  'relationship',
  'report',
  'sighting',
  'threat-actor',
  'tool',
  'vulnerability',
];

export function IntelPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const { t } = useTranslation('intel');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [types, setTypes] = useState<string[]>([]);
  const [tlps, setTlps] = useState<string[]>([]);
  const [offset, setOffset] = useState(0);
  const params = new URLSearchParams({ limit: String(LIMIT), offset: String(offset) });
  if (q) params.set('q', q);
  if (types.length) params.set('type', types.join(','));
  if (tlps.length) params.set('tlp', tlps.join(','));
  // The export takes the same filters as the list, without its page.
  const exportParams = new URLSearchParams(params);
  exportParams.delete('limit');
  exportParams.delete('offset');
  const list = useQuery({
    queryKey: ['intel', orgId, params.toString()],
    queryFn: () => get<Page<ObjectSummary>>(`/orgs/${orgId}/intel/objects?${params}`),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title={t('list.title')}
        description={org?.name ? t('list.description', { org: org.name }) : t('list.descriptionThisOrg')}
        actions={
          <Group>
            <Button
              component="a"
              variant="default"
              href={`/api/v1/orgs/${orgId}/intel/bundle?${exportParams}`}
              download="citywall-intel.stix.json"
            >
              {t('list.export')}
            </Button>
            {can(org, 'data.write') && (
              <Button component={Link} to={`/orgs/${orgId}/intel/import`}>
                {t('list.import')}
              </Button>
            )}
          </Group>
        }
      />
      <Group mb="md" align="flex-end">
        <TextInput
          label={t('common:actions.search')}
          placeholder={t('list.searchPlaceholder')}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setOffset(0);
          }}
          w={320}
        />
        <MultiSelect
          label={t('list.type')}
          data={TYPES}
          value={types}
          onChange={(v) => {
            setTypes(v);
            setOffset(0);
          }}
          clearable
          searchable
          w={260}
        />
        <MultiSelect
          label="TLP"
          data={TLPS.map((x) => ({ value: x, label: `TLP:${x.toUpperCase()}` }))}
          value={tlps}
          onChange={(v) => {
            setTlps(v);
            setOffset(0);
          }}
          clearable
          w={260}
        />
      </Group>
      <ErrorAlert error={list.error} />
      {list.data && list.data.total > EXPORT_LIMIT && (
        <Text size="sm" c="dimmed" mb="xs">
          {t('list.exportCut', {
            limit: formatNumber(EXPORT_LIMIT),
            total: formatNumber(list.data.total),
          })}
        </Text>
      )}
      <Table striped withTableBorder highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('list.name')}</Table.Th>
            <Table.Th>{t('list.type')}</Table.Th>
            <Table.Th>TLP</Table.Th>
            <Table.Th>{t('list.owner')}</Table.Th>
            <Table.Th>{t('list.modified')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((o) => (
            <Table.Tr key={`${o.ownerOrgId}:${o.stixId}`}>
              <Table.Td>
                <Anchor component={Link} to={`/orgs/${orgId}/intel/${o.stixId}`} size="sm" fw={500}>
                  {o.name || o.stixId}
                </Anchor>
                {o.revoked && (
                  <Badge color="gray" ml="xs">
                    {t('revoked')}
                  </Badge>
                )}
                {o.description && (
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {o.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{o.type}</Text>
              </Table.Td>
              <Table.Td>
                <TlpBadge tlp={o.tlp} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{o.ownerOrgName}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDate(o.modified)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data?.items.length === 0 && (
        <Text c="dimmed" mt="md">
          {q || types.length || tlps.length ? t('list.noMatch') : t('list.none')}
        </Text>
      )}
      {list.data && <Pager total={list.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />}
    </>
  );
}
