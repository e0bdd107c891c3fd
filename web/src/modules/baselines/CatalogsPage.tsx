import {
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { can, formatDate, get, type Page, post } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { type BaselineDocument, type Control, FUNCTIONS, TIERS } from './types';

const LIMIT = 50;

export function CatalogsPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const admin = can(org, 'data.admin');
  const qc = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const docs = useQuery({
    queryKey: ['catalogs', orgId],
    queryFn: () => get<Page<BaselineDocument>>(`/orgs/${orgId}/catalogs?limit=200`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['catalogs', orgId] });
  const install = useMutation({
    mutationFn: () => post(`/orgs/${orgId}/catalogs/city-baseline`),
    onSuccess: refresh,
  });
  const importDoc = useMutation({
    mutationFn: async (file: File) => {
      let body: unknown;
      try {
        body = JSON.parse(await file.text());
      } catch (e) {
        throw new Error(`${file.name} is not JSON: ${(e as Error).message}`);
      }
      return post<BaselineDocument>(`/orgs/${orgId}/catalogs?name=${encodeURIComponent(file.name)}`, body);
    },
    onSuccess: refresh,
  });
  const current = docs.data?.items.find((d) => d.id === selected);
  return (
    <>
      <PageHeader
        title="Catalogs and profiles"
        description="OSCAL catalogs and profiles this organization assesses against. Import NIST content or your own; the Citywall City Baseline ships with the product."
        actions={
          admin && (
            <Button onClick={() => install.mutate()} loading={install.isPending} variant="light">
              Install the City Baseline
            </Button>
          )
        }
      />
      <ErrorAlert error={docs.error ?? install.error} />
      {admin && (
        <Stack gap="xs" mb="md" maw={480}>
          <FileInput
            label="Import an OSCAL JSON catalog or profile"
            description="A profile is resolved against the catalogs already here; any error leaves everything unchanged."
            accept="application/json,.json"
            placeholder="Choose a file"
            value={null}
            onChange={(f) => f && importDoc.mutate(f)}
            disabled={importDoc.isPending}
          />
          <ErrorAlert error={importDoc.error} title="Import refused" />
          {importDoc.data && <Text size="sm">Imported {importDoc.data.title}.</Text>}
        </Stack>
      )}
      <Table withTableBorder striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Title</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Controls</Table.Th>
            <Table.Th>Imported</Table.Th>
            <Table.Th>OSCAL</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {docs.data?.items.map((d) => (
            <Table.Tr key={d.id} bg={d.id === selected ? 'var(--mantine-color-blue-light)' : undefined}>
              <Table.Td>
                <Anchor component="button" onClick={() => setSelected(d.id)}>
                  {d.title}
                </Anchor>
                {d.builtIn && (
                  <Badge ml="xs" size="xs" variant="light">
                    shipped
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{d.kind}</Table.Td>
              <Table.Td>{d.version}</Table.Td>
              <Table.Td>{d.controlCount}</Table.Td>
              <Table.Td>{formatDate(d.createdAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Anchor href={`/api/v1/orgs/${orgId}/catalogs/${d.id}/oscal`} download size="sm">
                    Export
                  </Anchor>
                  {d.kind === 'profile' && (
                    <Anchor href={`/api/v1/orgs/${orgId}/catalogs/${d.id}/resolved`} download size="sm">
                      Resolved
                    </Anchor>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {docs.data?.items.length === 0 && (
        <Text c="dimmed" mt="md">
          No catalogs yet.{admin ? ' Install the City Baseline or import an OSCAL file.' : ''}
        </Text>
      )}
      {current && <Controls orgId={orgId} doc={current} />}
    </>
  );
}

function Controls({ orgId, doc }: { orgId: string; doc: BaselineDocument }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [fn, setFn] = useState<string | null>(null);
  const [tier, setTier] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const controls = useQuery({
    queryKey: ['controls', orgId, doc.id, q, fn, tier, offset],
    queryFn: () => {
      const p = new URLSearchParams({ limit: String(LIMIT), offset: String(offset) });
      if (q) p.set('q', q);
      if (fn) p.set('function', fn);
      if (tier) p.set('tier', tier);
      return get<Page<Control>>(`/orgs/${orgId}/catalogs/${doc.id}/controls?${p}`);
    },
    placeholderData: keepPreviousData,
  });
  return (
    <Stack mt="xl" gap="sm">
      <Text fw={600} size="lg">
        Controls of {doc.title}
      </Text>
      <Group>
        <TextInput
          label="Search"
          placeholder="Id, title or text"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setOffset(0);
          }}
        />
        <Select
          label="CSF function"
          data={FUNCTIONS}
          value={fn}
          onChange={(v) => {
            setFn(v);
            setOffset(0);
          }}
          clearable
        />
        <Select
          label="Tier"
          data={TIERS}
          value={tier}
          onChange={(v) => {
            setTier(v);
            setOffset(0);
          }}
          clearable
        />
      </Group>
      <ErrorAlert error={controls.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Id</Table.Th>
            <Table.Th>Title</Table.Th>
            <Table.Th>Group</Table.Th>
            <Table.Th>Tier</Table.Th>
            <Table.Th>Statement</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {controls.data?.items.map((c) => (
            <Table.Tr key={c.controlId}>
              <Table.Td style={{ whiteSpace: 'nowrap', paddingLeft: 8 + c.depth * 16 }}>
                {c.label ?? c.controlId}
              </Table.Td>
              <Table.Td>{c.title}</Table.Td>
              <Table.Td>{c.groupTitle}</Table.Td>
              <Table.Td>{c.tier}</Table.Td>
              <Table.Td>
                <Text size="xs" lineClamp={3} style={{ whiteSpace: 'pre-line' }}>
                  {c.statement}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {controls.data && (
        <Pager total={controls.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
      )}
    </Stack>
  );
}
