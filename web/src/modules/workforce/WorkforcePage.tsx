import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, del, get, type Page, patch, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg, useSession } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { DeleteButton, EditButton } from '../../ui/RowActions';
import { type Dashboard, type Person, pct, type RoleCoverage } from './types';

const LIMIT = 25;

interface ImportResult {
  committed: boolean;
  rows: number;
  created: number;
  updated: number;
  errors: { row: number; column: string; message: string }[];
}

export function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

export function WorkforcePage() {
  const { t } = useTranslation('workforce');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const write = can(org, 'data.write');
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [offset, setOffset] = useState(0);
  const [csv, setCsv] = useState('');
  const base = `/orgs/${orgId}/workforce`;
  const dashboard = useQuery({
    queryKey: ['wf-dashboard', orgId],
    queryFn: () => get<Dashboard>(`${base}/dashboard`),
  });
  const roles = useQuery({
    queryKey: ['wf-roles', orgId],
    queryFn: () => get<RoleCoverage>(`${base}/roles`),
  });
  const people = useQuery({
    queryKey: ['wf-people', orgId, q, offset],
    queryFn: () =>
      get<Page<Person>>(
        `${base}/people?limit=${LIMIT}&offset=${offset}${q ? `&q=${encodeURIComponent(q)}` : ''}`,
      ),
    placeholderData: keepPreviousData,
  });
  const importer = useMutation({
    mutationFn: (commit: boolean) => post<ImportResult>(`${base}/people/import`, { csv, commit }),
    onSuccess: (r) => {
      if (r.committed) {
        setCsv('');
        qc.invalidateQueries({ queryKey: ['wf-people', orgId] });
        qc.invalidateQueries({ queryKey: ['wf-roles', orgId] });
        qc.invalidateQueries({ queryKey: ['wf-dashboard', orgId] });
      }
    },
  });
  const refreshPeople = () =>
    qc.invalidateQueries({
      predicate: (x) => ['wf-people', 'wf-roles', 'wf-dashboard'].includes(String(x.queryKey[0])),
    });
  const [editing, setEditing] = useState<Person | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => del(`${base}/people/${id}`),
    onSuccess: refreshPeople,
  });
  const d = dashboard.data;

  return (
    <>
      <PageHeader title={t('people.title')} description={t('people.description')} />
      <ErrorAlert error={dashboard.error ?? roles.error ?? people.error ?? remove.error} />
      <SimpleGrid cols={{ base: 2, md: 5 }} mb="lg">
        <Stat label={t('people.staff')} value={d ? formatNumber(d.people) : '—'} />
        <Stat label={t('people.roleCoverage')} value={pct(d?.roleCoverage)} testId="role-coverage" />
        <Stat label={t('people.openSlots')} value={d ? formatNumber(d.roleGap) : '—'} />
        <Stat label={t('people.completion')} value={pct(d?.trainingCompletion)} />
        <Stat label={t('people.overdue')} value={d ? formatNumber(d.overdue) : '—'} />
      </SimpleGrid>

      <Title order={2} size="h4" mb="sm">
        {t('people.byDepartment')}
      </Title>
      <Table withTableBorder striped mb="lg">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('department')}</Table.Th>
            <Table.Th>{t('people.staff')}</Table.Th>
            <Table.Th>{t('people.completion')}</Table.Th>
            <Table.Th>{t('people.phishProne')}</Table.Th>
            <Table.Th>{t('phishing.reportRate')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {d?.byDepartment.map((r) => (
            <Table.Tr key={r.departmentOrgId ?? 'none'}>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td>{r.people}</Table.Td>
              <Table.Td>{pct(r.completion)}</Table.Td>
              <Table.Td>{pct(r.clickRate)}</Table.Td>
              <Table.Td>{pct(r.reportRate)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={2} size="h4" mb="sm">
        {t('people.rolesNeeded')}
      </Title>
      <Table withTableBorder striped mb="lg" data-testid="role-gaps">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('people.niceRole')}</Table.Th>
            <Table.Th>{t('people.needed')}</Table.Th>
            <Table.Th>{t('people.qualified')}</Table.Th>
            <Table.Th>{t('people.filled')}</Table.Th>
            <Table.Th>{t('people.gap')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {roles.data?.gaps.map((g) => (
            <Table.Tr key={g.roleId}>
              <Table.Td>
                <Text size="sm">{g.name}</Text>
                <Text size="xs" c="dimmed">
                  {g.roleId}
                </Text>
              </Table.Td>
              <Table.Td>{g.needed}</Table.Td>
              <Table.Td>{g.qualified}</Table.Td>
              <Table.Td>{g.assigned}</Table.Td>
              <Table.Td>
                {g.gap > 0 ? <Badge color="red">{g.gap}</Badge> : <Badge color="green">0</Badge>}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {roles.data?.gaps.length === 0 && (
        <Text c="dimmed" mb="lg">
          {t('people.noNeeds')}
        </Text>
      )}

      <Title order={2} size="h4" mb="sm">
        {t('people.staff')}
      </Title>
      <TextInput
        label={t('people.search')}
        placeholder={t('people.searchHint')}
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setOffset(0);
        }}
        mb="md"
        maw={360}
      />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('person')}</Table.Th>
            <Table.Th>{t('people.jobTitle')}</Table.Th>
            <Table.Th>{t('department')}</Table.Th>
            <Table.Th>{t('people.workRoles')}</Table.Th>
            {write && <Table.Th>{t('actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {people.data?.items.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {p.displayName} {!p.active && <Badge color="gray">{t('people.inactive')}</Badge>}{' '}
                  {p.otStaff && <Badge color="grape">{t('people.ot')}</Badge>}
                </Text>
                <Text size="xs" c="dimmed">
                  {p.email || p.userName}
                </Text>
              </Table.Td>
              <Table.Td>{p.jobTitle}</Table.Td>
              <Table.Td>{p.departmentName ?? '—'}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {p.workRoleIds.map((r) => (
                    <Badge key={r} variant="light">
                      {r}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              {write && (
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <EditButton label={t('editOne', { name: p.displayName })} onClick={() => setEditing(p)} />
                    <DeleteButton
                      label={t('deleteOne', { name: p.displayName })}
                      confirm={t('people.confirmDelete', { name: p.displayName })}
                      onConfirm={() => remove.mutate(p.id)}
                    />
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {people.data && <Pager total={people.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />}

      {write && (
        <Stack mt="xl" maw={800}>
          <Title order={2} size="h4">
            {t('people.new')}
          </Title>
          <PersonForm orgId={orgId} onDone={refreshPeople} />
          <Title order={2} size="h4" mt="lg">
            {t('people.importTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('people.importHelp')}
          </Text>
          <Textarea
            label={t('people.csv')}
            autosize
            minRows={4}
            value={csv}
            onChange={(e) => setCsv(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          <Group>
            <Button variant="default" disabled={!csv} onClick={() => importer.mutate(false)}>
              {t('people.preview')}
            </Button>
            <Button disabled={!csv} onClick={() => importer.mutate(true)} loading={importer.isPending}>
              {t('common:actions.import')}
            </Button>
          </Group>
          <ErrorAlert error={importer.error} />
          {importer.data && (
            <Text size="sm" role="status">
              {t(importer.data.committed ? 'people.importDone' : 'people.previewDone', {
                rows: importer.data.rows,
                created: importer.data.created,
                updated: importer.data.updated,
                errors: importer.data.errors.length,
              })}
              {importer.data.errors
                .map((e) => ` ${t('people.rowError', { row: e.row, column: e.column, message: e.message })}`)
                .join('')}
            </Text>
          )}
        </Stack>
      )}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={t('people.editTitle')} size="lg">
        {editing && (
          <PersonForm
            orgId={orgId}
            person={editing}
            onDone={() => {
              setEditing(null);
              refreshPeople();
            }}
          />
        )}
      </Modal>
    </>
  );
}

function PersonForm({ orgId, person, onDone }: { orgId: string; person?: Person; onDone(): void }) {
  const { t } = useTranslation('workforce');
  const { session } = useSession();
  const departments = (session?.organizations ?? []).filter(
    (o) => o.parentId === orgId && o.kind === 'department',
  );
  const nice = useQuery({
    queryKey: ['wf-nice'],
    queryFn: () => get<{ workRoles: { id: string; name: string }[] }>('/workforce/nice'),
  });
  const [displayName, setDisplayName] = useState(person?.displayName ?? '');
  const [userName, setUserName] = useState(person?.userName ?? '');
  const [email, setEmail] = useState(person?.email ?? '');
  const [jobTitle, setJobTitle] = useState(person?.jobTitle ?? '');
  const [departmentOrgId, setDepartmentOrgId] = useState<string | null>(person?.departmentOrgId ?? null);
  const [workRoleIds, setWorkRoleIds] = useState<string[]>(person?.workRoleIds ?? []);
  const [otStaff, setOtStaff] = useState(person?.otStaff ?? false);
  const [active, setActive] = useState(person?.active ?? true);
  const base = `/orgs/${orgId}/workforce/people`;
  const save = useMutation({
    mutationFn: () => {
      const body = { displayName, userName, email, jobTitle, departmentOrgId, workRoleIds, otStaff, active };
      return person ? patch(`${base}/${person.id}`, body) : post(base, body);
    },
    onSuccess: () => {
      if (!person) {
        setDisplayName('');
        setUserName('');
        setEmail('');
        setJobTitle('');
        setWorkRoleIds([]);
      }
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <Group grow>
          <TextInput
            label={t('people.displayName')}
            required
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
          />
          <TextInput
            label={t('people.userName')}
            required
            value={userName}
            onChange={(e) => setUserName(e.currentTarget.value)}
          />
        </Group>
        <Group grow>
          <TextInput
            label={t('people.email')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <TextInput
            label={t('people.jobTitle')}
            value={jobTitle}
            onChange={(e) => setJobTitle(e.currentTarget.value)}
          />
        </Group>
        <Select
          label={t('department')}
          data={departments.map((o) => ({ value: o.id, label: o.name }))}
          value={departmentOrgId}
          onChange={setDepartmentOrgId}
          clearable
        />
        <MultiSelect
          label={t('people.workRoles')}
          data={(nice.data?.workRoles ?? []).map((r) => ({ value: r.id, label: `${r.id} ${r.name}` }))}
          value={workRoleIds}
          onChange={setWorkRoleIds}
          searchable
        />
        <Group>
          <Checkbox
            label={t('people.otStaff')}
            checked={otStaff}
            onChange={(e) => setOtStaff(e.currentTarget.checked)}
          />
          <Checkbox
            label={t('people.active')}
            checked={active}
            onChange={(e) => setActive(e.currentTarget.checked)}
          />
        </Group>
        <ErrorAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {person ? t('common:actions.save') : t('people.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
