import {
  Badge,
  Button,
  Card,
  Group,
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
import { useState } from 'react';
import { can, get, type Page, post } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
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
  const d = dashboard.data;

  return (
    <>
      <PageHeader
        title="Workforce"
        description="Staff, their NICE Framework work roles, the roles the city needs, and awareness figures by department."
      />
      <ErrorAlert error={dashboard.error ?? roles.error ?? people.error} />
      <SimpleGrid cols={{ base: 2, md: 5 }} mb="lg">
        <Stat label="Staff" value={d?.people ?? '—'} />
        <Stat label="Role coverage" value={pct(d?.roleCoverage)} testId="role-coverage" />
        <Stat label="Open role slots" value={d?.roleGap ?? '—'} />
        <Stat label="Training completion" value={pct(d?.trainingCompletion)} />
        <Stat label="Overdue trainings" value={d?.overdue ?? '—'} />
      </SimpleGrid>

      <Title order={2} size="h4" mb="sm">
        By department
      </Title>
      <Table withTableBorder striped mb="lg">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Department</Table.Th>
            <Table.Th>Staff</Table.Th>
            <Table.Th>Training completion</Table.Th>
            <Table.Th>Phish-prone (click rate)</Table.Th>
            <Table.Th>Report rate</Table.Th>
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
        Work roles needed
      </Title>
      <Table withTableBorder striped mb="lg" data-testid="role-gaps">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>NICE work role</Table.Th>
            <Table.Th>Needed</Table.Th>
            <Table.Th>Qualified staff</Table.Th>
            <Table.Th>Filled</Table.Th>
            <Table.Th>Gap</Table.Th>
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
          No needed roles are set yet (PUT {base}/roles).
        </Text>
      )}

      <Title order={2} size="h4" mb="sm">
        Staff
      </Title>
      <TextInput
        label="Search"
        placeholder="Name, user name, email or job title"
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
            <Table.Th>Person</Table.Th>
            <Table.Th>Job title</Table.Th>
            <Table.Th>Department</Table.Th>
            <Table.Th>Work roles</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {people.data?.items.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {p.displayName} {!p.active && <Badge color="gray">inactive</Badge>}{' '}
                  {p.otStaff && <Badge color="grape">OT</Badge>}
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
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {people.data && <Pager total={people.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />}

      {write && (
        <Stack mt="xl" maw={800}>
          <Title order={2} size="h4">
            Import staff from CSV
          </Title>
          <Text size="sm" c="dimmed">
            Columns: user_name, email, display_name, job_title, department, manager, work_roles, competencies,
            ot_staff. Preview first; an import writes every row or none.
          </Text>
          <Textarea
            label="CSV"
            autosize
            minRows={4}
            value={csv}
            onChange={(e) => setCsv(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          <Group>
            <Button variant="default" disabled={!csv} onClick={() => importer.mutate(false)}>
              Preview
            </Button>
            <Button disabled={!csv} onClick={() => importer.mutate(true)} loading={importer.isPending}>
              Import
            </Button>
          </Group>
          <ErrorAlert error={importer.error} />
          {importer.data && (
            <Text size="sm" role="status">
              {importer.data.committed ? 'Imported' : 'Preview'}: {importer.data.rows} rows,{' '}
              {importer.data.created} new, {importer.data.updated} updated, {importer.data.errors.length}{' '}
              errors.
              {importer.data.errors.map((e) => ` Row ${e.row} ${e.column}: ${e.message}.`).join('')}
            </Text>
          )}
        </Stack>
      )}
    </>
  );
}
