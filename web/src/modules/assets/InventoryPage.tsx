import {
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, get, type Page, patch, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { CpeSuggest } from '../vulns/CpeSuggest';
import { SectorSelect, SectorsButton } from './Sectors';

export interface Service {
  id: string;
  name: string;
  description: string;
  departmentName: string | null;
  owner: string | null;
  sector: string | null;
  populationServed: number | null;
  criticalityTier: number | null;
  rtoHours: number | null;
  lifeSafetyImpact: boolean;
  publicSafetyImpact: boolean;
  dependencyCount: number;
}

export interface System {
  id: string;
  name: string;
  kind: string;
  vendor: string | null;
  product: string | null;
  version: string | null;
  cpe: string | null;
  site: string | null;
  owner: string | null;
  internetExposed: boolean;
  endOfSupport: string | null;
  dependentCount: number;
}

const LIMIT = 25;
export const SYSTEM_KINDS = ['it', 'ot', 'cloud', 'iot', 'network'];

function SortHeader({
  field,
  sort,
  onSort,
  children,
}: {
  field: string;
  sort: string;
  onSort(s: string): void;
  children: ReactNode;
}) {
  const active = sort.replace('-', '') === field;
  const desc = sort.startsWith('-');
  return (
    <Table.Th aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => onSort(active && !desc ? `-${field}` : field)} fw={700} fz="sm">
        {children} {active ? (desc ? '▼' : '▲') : ''}
      </UnstyledButton>
    </Table.Th>
  );
}

const num = (v: string | number) => (v === '' || v === undefined ? null : Number(v));

function SystemForm({ orgId, system, onDone }: { orgId: string; system?: System; onDone(): void }) {
  const { t } = useTranslation('assets');
  const [v, setV] = useState({
    name: system?.name ?? '',
    kind: system?.kind ?? 'it',
    vendor: system?.vendor ?? '',
    product: system?.product ?? '',
    version: system?.version ?? '',
    cpe: system?.cpe ?? '',
    site: system?.site ?? '',
    owner: system?.owner ?? '',
    endOfSupport: system?.endOfSupport ?? '',
    internetExposed: system?.internetExposed ?? false,
  });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        ...v,
        cpe: v.cpe || null,
        endOfSupport: v.endOfSupport || null,
      };
      return system
        ? patch(`/orgs/${orgId}/assets/systems/${system.id}`, body)
        : post(`/orgs/${orgId}/assets/systems`, body);
    },
    onSuccess: onDone,
  });
  const set = (k: keyof typeof v) => (e: { currentTarget: { value: string } }) =>
    setV({ ...v, [k]: e.currentTarget.value });
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <ErrorAlert error={save.error} />
        <TextInput label={t('fields.name')} required value={v.name} onChange={set('name')} />
        <Select
          label={t('fields.kind')}
          data={SYSTEM_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
          value={v.kind}
          onChange={(k) => k && setV({ ...v, kind: k })}
          allowDeselect={false}
        />
        <Group grow>
          <TextInput label={t('fields.vendor')} value={v.vendor} onChange={set('vendor')} />
          <TextInput label={t('fields.product')} value={v.product} onChange={set('product')} />
          <TextInput label={t('fields.version')} value={v.version} onChange={set('version')} />
        </Group>
        <TextInput
          label="CPE 2.3"
          description="cpe:2.3:part:vendor:product:version:…"
          value={v.cpe}
          onChange={set('cpe')}
        />
        <CpeSuggest
          orgId={orgId}
          vendor={v.vendor}
          product={v.product}
          version={v.version}
          onPick={(cpe) => setV({ ...v, cpe })}
        />
        <Group grow>
          <TextInput label={t('fields.site')} value={v.site} onChange={set('site')} />
          <TextInput label={t('fields.owner')} value={v.owner} onChange={set('owner')} />
        </Group>
        <TextInput
          label={t('fields.endOfSupport')}
          placeholder={t('fields.datePlaceholder')}
          value={v.endOfSupport}
          onChange={set('endOfSupport')}
        />
        <Checkbox
          label={t('fields.internetExposed')}
          checked={v.internetExposed}
          onChange={(e) => setV({ ...v, internetExposed: e.currentTarget.checked })}
        />
        <Button type="submit" loading={save.isPending}>
          {t('common:actions.save')}
        </Button>
      </Stack>
    </form>
  );
}

function ServiceForm({ orgId, service, onDone }: { orgId: string; service?: Service; onDone(): void }) {
  const { t } = useTranslation('assets');
  const [v, setV] = useState({
    name: service?.name ?? '',
    owner: service?.owner ?? '',
    sector: service?.sector ?? '',
    populationServed: service?.populationServed ?? ('' as number | ''),
    criticalityTier: service?.criticalityTier ? String(service.criticalityTier) : null,
    rtoHours: service?.rtoHours ?? ('' as number | ''),
    lifeSafetyImpact: service?.lifeSafetyImpact ?? false,
  });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: v.name,
        owner: v.owner || null,
        sector: v.sector || null,
        populationServed: num(v.populationServed),
        criticalityTier: v.criticalityTier ? Number(v.criticalityTier) : null,
        rtoHours: num(v.rtoHours),
        lifeSafetyImpact: v.lifeSafetyImpact,
      };
      return service
        ? patch(`/orgs/${orgId}/assets/services/${service.id}`, body)
        : post(`/orgs/${orgId}/assets/services`, body);
    },
    onSuccess: onDone,
  });
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <ErrorAlert error={save.error} />
        <TextInput
          label={t('fields.name')}
          required
          value={v.name}
          onChange={(e) => setV({ ...v, name: e.currentTarget.value })}
        />
        <Group grow>
          <TextInput
            label={t('fields.owner')}
            value={v.owner}
            onChange={(e) => setV({ ...v, owner: e.currentTarget.value })}
          />
          <SectorSelect orgId={orgId} value={v.sector} onChange={(sector) => setV({ ...v, sector })} />
        </Group>
        <Group grow>
          <NumberInput
            label={t('fields.populationServed')}
            min={0}
            value={v.populationServed}
            onChange={(x) => setV({ ...v, populationServed: x === '' ? '' : Number(x) })}
          />
          <Select
            label={t('fields.criticalityTier')}
            data={['1', '2', '3', '4']}
            value={v.criticalityTier}
            onChange={(x) => setV({ ...v, criticalityTier: x })}
          />
          <NumberInput
            label={t('fields.rtoHours')}
            min={0}
            value={v.rtoHours}
            onChange={(x) => setV({ ...v, rtoHours: x === '' ? '' : Number(x) })}
          />
        </Group>
        <Checkbox
          label={t('fields.lifeSafetyImpact')}
          checked={v.lifeSafetyImpact}
          onChange={(e) => setV({ ...v, lifeSafetyImpact: e.currentTarget.checked })}
        />
        <Button type="submit" loading={save.isPending}>
          {t('common:actions.save')}
        </Button>
      </Stack>
    </form>
  );
}

function useList<T>(kind: 'services' | 'systems', orgId: string, params: Record<string, string | number>) {
  const qs = Object.entries(params)
    .filter(([, x]) => x !== '' && x !== undefined)
    .map(([k, x]) => `${k}=${encodeURIComponent(String(x))}`)
    .join('&');
  return useQuery({
    queryKey: ['assets', kind, orgId, qs],
    queryFn: () => get<Page<T>>(`/orgs/${orgId}/assets/${kind}?${qs}`),
    placeholderData: keepPreviousData,
  });
}

function SystemsTab({ orgId, write }: { orgId: string; write: boolean }) {
  const { t } = useTranslation('assets');
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [kind, setKind] = useState<string | null>(null);
  const [sort, setSort] = useState('name');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<System | 'new' | null>(null);
  const list = useList<System>('systems', orgId, { q, kind: kind ?? '', sort, limit: LIMIT, offset });
  const onSort = (s: string) => {
    setSort(s);
    setOffset(0);
  };
  return (
    <>
      <Group mb="md" align="flex-end">
        <TextInput
          label={t('systems.search')}
          placeholder={t('systems.searchPlaceholder')}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setOffset(0);
          }}
          w={320}
        />
        <Select
          label={t('fields.kind')}
          data={SYSTEM_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
          value={kind}
          onChange={(k) => {
            setKind(k);
            setOffset(0);
          }}
          clearable
          w={140}
        />
        {write && <Button onClick={() => setEditing('new')}>{t('systems.add')}</Button>}
      </Group>
      <ErrorAlert error={list.error} />
      <Table striped withTableBorder highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <SortHeader field="name" sort={sort} onSort={onSort}>
              {t('fields.name')}
            </SortHeader>
            <SortHeader field="kind" sort={sort} onSort={onSort}>
              {t('fields.kind')}
            </SortHeader>
            <SortHeader field="vendor" sort={sort} onSort={onSort}>
              {t('systems.vendorProduct')}
            </SortHeader>
            <Table.Th>CPE</Table.Th>
            <SortHeader field="owner" sort={sort} onSort={onSort}>
              {t('fields.owner')}
            </SortHeader>
            <SortHeader field="endOfSupport" sort={sort} onSort={onSort}>
              {t('fields.endOfSupport')}
            </SortHeader>
            <Table.Th>{t('systems.dependedOnBy')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                {write ? (
                  <UnstyledButton onClick={() => setEditing(s)} c="blue.7" fz="sm">
                    {s.name}
                  </UnstyledButton>
                ) : (
                  s.name
                )}{' '}
                {s.internetExposed && (
                  <Badge color="orange" size="xs">
                    {t('systems.internet')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{t(`kinds.${s.kind}`, { defaultValue: s.kind })}</Table.Td>
              <Table.Td>{[s.vendor, s.product, s.version].filter(Boolean).join(' ')}</Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace">
                  {s.cpe}
                </Text>
              </Table.Td>
              <Table.Td>{s.owner}</Table.Td>
              <Table.Td>{s.endOfSupport}</Table.Td>
              <Table.Td>{s.dependentCount}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data?.items.length === 0 && (
        <Text c="dimmed" mt="md">
          {t('systems.none')}
        </Text>
      )}
      {list.data && <Pager total={list.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('systems.add') : t('systems.edit')}
        size="lg"
      >
        {editing !== null && (
          <SystemForm
            orgId={orgId}
            system={editing === 'new' ? undefined : editing}
            onDone={() => {
              setEditing(null);
              qc.invalidateQueries({ queryKey: ['assets'] });
            }}
          />
        )}
      </Modal>
    </>
  );
}

function ServicesTab({ orgId, write }: { orgId: string; write: boolean }) {
  const { t } = useTranslation('assets');
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [tier, setTier] = useState<string | null>(null);
  const [sort, setSort] = useState('criticalityTier');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<Service | 'new' | null>(null);
  const list = useList<Service>('services', orgId, { q, tier: tier ?? '', sort, limit: LIMIT, offset });
  const onSort = (s: string) => {
    setSort(s);
    setOffset(0);
  };
  return (
    <>
      <Group mb="md" align="flex-end">
        <TextInput
          label={t('services.search')}
          placeholder={t('services.searchPlaceholder')}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setOffset(0);
          }}
          w={320}
        />
        <Select
          label={t('services.tier')}
          data={['1', '2', '3', '4']}
          value={tier}
          onChange={(x) => {
            setTier(x);
            setOffset(0);
          }}
          clearable
          w={100}
        />
        {write && <Button onClick={() => setEditing('new')}>{t('services.add')}</Button>}
      </Group>
      <ErrorAlert error={list.error} />
      <Table striped withTableBorder highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <SortHeader field="name" sort={sort} onSort={onSort}>
              {t('fields.name')}
            </SortHeader>
            <Table.Th>{t('services.department')}</Table.Th>
            <SortHeader field="owner" sort={sort} onSort={onSort}>
              {t('fields.owner')}
            </SortHeader>
            <SortHeader field="criticalityTier" sort={sort} onSort={onSort}>
              {t('services.tier')}
            </SortHeader>
            <SortHeader field="populationServed" sort={sort} onSort={onSort}>
              {t('services.residents')}
            </SortHeader>
            <SortHeader field="rtoHours" sort={sort} onSort={onSort}>
              {t('services.rtoShort')}
            </SortHeader>
            <Table.Th>{t('services.dependencies')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                {write ? (
                  <UnstyledButton onClick={() => setEditing(s)} c="blue.7" fz="sm">
                    {s.name}
                  </UnstyledButton>
                ) : (
                  s.name
                )}{' '}
                {s.lifeSafetyImpact && (
                  <Badge color="red" size="xs">
                    {t('services.lifeSafety')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{s.departmentName}</Table.Td>
              <Table.Td>
                {s.owner ?? (
                  <Text c="red" size="sm">
                    {t('services.missing')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{s.criticalityTier}</Table.Td>
              <Table.Td>{s.populationServed == null ? null : formatNumber(s.populationServed)}</Table.Td>
              <Table.Td>
                {s.rtoHours === null ? (
                  <Text c="red" size="sm">
                    {t('services.missing')}
                  </Text>
                ) : (
                  formatNumber(s.rtoHours)
                )}
              </Table.Td>
              <Table.Td>{s.dependencyCount}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data && <Pager total={list.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('services.add') : t('services.edit')}
        size="lg"
      >
        {editing !== null && (
          <ServiceForm
            orgId={orgId}
            service={editing === 'new' ? undefined : editing}
            onDone={() => {
              setEditing(null);
              qc.invalidateQueries({ queryKey: ['assets'] });
            }}
          />
        )}
      </Modal>
    </>
  );
}

export function InventoryPage() {
  const { t } = useTranslation('assets');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const write = can(org, 'data.write');
  const [tab, setTab] = useState<string | null>('services');
  return (
    <>
      <PageHeader
        title={t('inventory.title')}
        description={t('inventory.description')}
        actions={
          <>
            <Button component={Link} to={`/orgs/${orgId}/assets/graph`} variant="light">
              {t('inventory.graph')}
            </Button>
            <SectorsButton orgId={orgId} />
            {write && (
              <Button component={Link} to={`/orgs/${orgId}/assets/import`} variant="light">
                {t('common:actions.import')}
              </Button>
            )}
            <Button
              component="a"
              href={`/api/v1/orgs/${orgId}/assets/export?kind=${tab}&format=xlsx`}
              variant="default"
            >
              {t('inventory.exportXlsx')}
            </Button>
          </>
        }
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="services">{t('inventory.services')}</Tabs.Tab>
          <Tabs.Tab value="systems">{t('inventory.systems')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="services">
          <ServicesTab orgId={orgId} write={write} />
        </Tabs.Panel>
        <Tabs.Panel value="systems">
          <SystemsTab orgId={orgId} write={write} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
