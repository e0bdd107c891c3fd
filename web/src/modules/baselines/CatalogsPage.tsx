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
import { useTranslation } from 'react-i18next';
import { api, can, formatDate, get, type Page, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { type BaselineDocument, type Control, FUNCTIONS, TIERS } from './types';

const LIMIT = 50;

export function CatalogsPage() {
  const { t } = useTranslation('baselines');
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
        throw new Error(t('catalogs.notJson', { name: file.name, error: (e as Error).message }));
      }
      return post<BaselineDocument>(`/orgs/${orgId}/catalogs?name=${encodeURIComponent(file.name)}`, body);
    },
    onSuccess: refresh,
  });
  const current = docs.data?.items.find((d) => d.id === selected);
  return (
    <>
      <PageHeader
        title={t('catalogs.title')}
        description={t('catalogs.description')}
        actions={
          admin && (
            <Button onClick={() => install.mutate()} loading={install.isPending} variant="light">
              {t('catalogs.install')}
            </Button>
          )
        }
      />
      <ErrorAlert error={docs.error ?? install.error} />
      {admin && (
        <Stack gap="xs" mb="md" maw={480}>
          <FileInput
            label={t('catalogs.import')}
            description={t('catalogs.importHelp')}
            accept="application/json,.json"
            placeholder={t('catalogs.chooseFile')}
            value={null}
            onChange={(f) => f && importDoc.mutate(f)}
            disabled={importDoc.isPending}
          />
          <ErrorAlert error={importDoc.error} title={t('catalogs.importRefused')} />
          {importDoc.data && <Text size="sm">{t('catalogs.imported', { title: importDoc.data.title })}</Text>}
        </Stack>
      )}
      <Table withTableBorder striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('catalogs.columns.title')}</Table.Th>
            <Table.Th>{t('catalogs.columns.kind')}</Table.Th>
            <Table.Th>{t('catalogs.columns.version')}</Table.Th>
            <Table.Th>{t('catalogs.columns.controls')}</Table.Th>
            <Table.Th>{t('catalogs.columns.imported')}</Table.Th>
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
                    {t('catalogs.shipped')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{t(`docKinds.${d.kind}`)}</Table.Td>
              <Table.Td>{d.version}</Table.Td>
              <Table.Td>{formatNumber(d.controlCount)}</Table.Td>
              <Table.Td>{formatDate(d.createdAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Anchor href={`/api/v1/orgs/${orgId}/catalogs/${d.id}/oscal`} download size="sm">
                    {t('catalogs.export')}
                  </Anchor>
                  {d.kind === 'profile' && (
                    <Anchor href={`/api/v1/orgs/${orgId}/catalogs/${d.id}/resolved`} download size="sm">
                      {t('catalogs.resolved')}
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
          {admin ? t('catalogs.emptyAdmin') : t('catalogs.empty')}
        </Text>
      )}
      {current && <Mappings orgId={orgId} doc={current} docs={docs.data?.items ?? []} admin={admin} />}
      {current && <Controls orgId={orgId} doc={current} />}
    </>
  );
}

function Controls({ orgId, doc }: { orgId: string; doc: BaselineDocument }) {
  const { t } = useTranslation('baselines');
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
        {t('catalogs.controlsOf', { title: doc.title })}
      </Text>
      <Group>
        <TextInput
          label={t('catalogs.search')}
          placeholder={t('catalogs.searchPlaceholder')}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setOffset(0);
          }}
        />
        <Select
          label={t('filters.function')}
          data={FUNCTIONS.map((f) => ({ value: f, label: `${f} ${t(`functions.${f}`)}` }))}
          value={fn}
          onChange={(v) => {
            setFn(v);
            setOffset(0);
          }}
          clearable
        />
        <Select
          label={t('filters.tier')}
          data={TIERS.map((x) => ({ value: x, label: t(`tiers.${x}`) }))}
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
            <Table.Th>{t('catalogs.columns.id')}</Table.Th>
            <Table.Th>{t('catalogs.columns.title')}</Table.Th>
            <Table.Th>{t('catalogs.columns.group')}</Table.Th>
            <Table.Th>{t('catalogs.columns.tier')}</Table.Th>
            <Table.Th>{t('catalogs.columns.statement')}</Table.Th>
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
              <Table.Td>{c.tier ? t(`tiers.${c.tier}`, { defaultValue: c.tier }) : ''}</Table.Td>
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

interface MappingTarget {
  documentId: string;
  title: string;
  count: number;
}

/** NIST OLIR mappings from the selected document to others: listed, imported from a JSON file, removed. */
function Mappings({
  orgId,
  doc,
  docs,
  admin,
}: {
  orgId: string;
  doc: BaselineDocument;
  docs: BaselineDocument[];
  admin: boolean;
}) {
  const { t } = useTranslation('baselines');
  const qc = useQueryClient();
  const [target, setTarget] = useState<string | null>(null);
  const targets = useQuery({
    queryKey: ['mapping-targets', orgId, doc.id],
    queryFn: () => get<{ items: MappingTarget[] }>(`/orgs/${orgId}/catalogs/${doc.id}/mapping-targets`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['mapping-targets', orgId, doc.id] });
  const importFile = useMutation({
    mutationFn: async (file: File) => {
      let body: unknown;
      try {
        body = JSON.parse(await file.text());
      } catch (e) {
        throw new Error(t('catalogs.notJson', { name: file.name, error: (e as Error).message }));
      }
      const mappings = Array.isArray(body) ? body : (body as { mappings?: unknown }).mappings;
      return post<{ imported: number }>(`/orgs/${orgId}/catalogs/${doc.id}/mappings`, {
        targetDocumentId: target,
        mappings,
      });
    },
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (targetId: string) =>
      api('DELETE', `/orgs/${orgId}/catalogs/${doc.id}/mappings?targetDocumentId=${targetId}`),
    onSuccess: refresh,
  });
  return (
    <Stack mt="xl" gap="sm">
      <Text fw={600} size="lg" component="h2">
        {t('mappings.title', { title: doc.title })}
      </Text>
      <Text size="sm" c="dimmed">
        {t('mappings.help')}
      </Text>
      <ErrorAlert error={targets.error ?? remove.error} />
      {targets.data?.items.length === 0 && <Text size="sm">{t('mappings.none')}</Text>}
      {targets.data?.items.map((m) => (
        <Group key={m.documentId} gap="xs">
          <Text size="sm">{t('mappings.to', { title: m.title, count: m.count })}</Text>
          {admin && (
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              onClick={() => remove.mutate(m.documentId)}
            >
              {t('mappings.remove')}
            </Button>
          )}
        </Group>
      ))}
      {admin && (
        <Group align="flex-end" maw={720}>
          <Select
            label={t('mappings.target')}
            data={docs.filter((d) => d.id !== doc.id).map((d) => ({ value: d.id, label: d.title }))}
            value={target}
            onChange={setTarget}
          />
          <FileInput
            label={t('mappings.file')}
            description={t('mappings.fileHelp')}
            accept="application/json,.json"
            placeholder={t('catalogs.chooseFile')}
            value={null}
            onChange={(f) => f && importFile.mutate(f)}
            disabled={!target || importFile.isPending}
          />
        </Group>
      )}
      <ErrorAlert error={importFile.error} title={t('mappings.refused')} />
      {importFile.data && (
        <Text size="sm">{t('mappings.imported', { count: importFile.data.imported })}</Text>
      )}
    </Stack>
  );
}
