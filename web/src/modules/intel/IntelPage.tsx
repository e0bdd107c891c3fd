import { Anchor, Badge, Button, Group, MultiSelect, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { can, formatDate, get, type Page } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { TlpBadge } from './TlpBadge';
import { type ObjectSummary, TLPS } from './types';

const LIMIT = 25;
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
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [types, setTypes] = useState<string[]>([]);
  const [tlps, setTlps] = useState<string[]>([]);
  const [offset, setOffset] = useState(0);
  const params = new URLSearchParams({ limit: String(LIMIT), offset: String(offset) });
  if (q) params.set('q', q);
  if (types.length) params.set('type', types.join(','));
  if (tlps.length) params.set('tlp', tlps.join(','));
  const list = useQuery({
    queryKey: ['intel', orgId, params.toString()],
    queryFn: () => get<Page<ObjectSummary>>(`/orgs/${orgId}/intel/objects?${params}`),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title="Threat intelligence"
        description={`STIX objects ${org?.name ?? 'this organization'} may see under the Traffic Light Protocol: its own, and what its communities share.`}
        actions={
          can(org, 'data.write') && (
            <Button component={Link} to={`/orgs/${orgId}/intel/import`}>
              Import a bundle
            </Button>
          )
        }
      />
      <Group mb="md" align="flex-end">
        <TextInput
          label="Search"
          placeholder="Name, description or STIX id"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setOffset(0);
          }}
          w={320}
        />
        <MultiSelect
          label="Type"
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
          data={TLPS.map((t) => ({ value: t, label: `TLP:${t.toUpperCase()}` }))}
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
      <Table striped withTableBorder highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>TLP</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Modified</Table.Th>
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
                    revoked
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
          {q || types.length || tlps.length
            ? 'Nothing you may see matches these filters.'
            : 'No threat intelligence yet: import a STIX bundle to start.'}
        </Text>
      )}
      {list.data && <Pager total={list.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />}
    </>
  );
}
