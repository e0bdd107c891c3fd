import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { can, formatDate, get, type Page, post } from '../../api';
import { useOrg, useSession } from '../../session';
import { ErrorAlert, fieldError } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { type Assessment, type BaselineDocument, type Evidence, MATURITY, TIERS } from './types';

const LIMIT = 25;

interface Expiring extends Evidence {
  requirementId: string;
  assessmentId: string;
  assessmentTitle: string;
}

export function AssessmentsPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const write = can(org, 'data.write');
  const [offset, setOffset] = useState(0);
  const [opened, { open, close }] = useDisclosure(false);
  const list = useQuery({
    queryKey: ['assessments', orgId, offset],
    queryFn: () => get<Page<Assessment>>(`/orgs/${orgId}/assessments?limit=${LIMIT}&offset=${offset}`),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title="Assessments"
        description="Assessments of the organization and its departments against a baseline or profile: answers, evidence, gaps and scores."
        actions={write && <Button onClick={open}>New assessment</Button>}
      />
      <ErrorAlert error={list.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Title</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Target</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Last change</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                <Anchor component={Link} to={`/orgs/${orgId}/baselines/assessments/${a.id}`}>
                  {a.title}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={a.status === 'open' ? 'blue' : 'gray'}>
                  {a.status}
                </Badge>
              </Table.Td>
              <Table.Td>
                {a.targetTier ?? 'all tiers'}
                {a.targetMaturity ? `, maturity ${MATURITY[a.targetMaturity - 1]}` : ''}
              </Table.Td>
              <Table.Td>{formatDate(a.createdAt)}</Table.Td>
              <Table.Td>{formatDate(a.updatedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data?.items.length === 0 && (
        <Text c="dimmed" mt="md">
          No assessments yet.
        </Text>
      )}
      {list.data && <Pager total={list.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />}
      <ExpiringEvidence orgId={orgId} />
      <Modal opened={opened} onClose={close} title="New assessment">
        {opened && <CreateAssessment orgId={orgId} previous={list.data?.items ?? []} onDone={close} />}
      </Modal>
    </>
  );
}

function CreateAssessment({
  orgId,
  previous,
  onDone,
}: {
  orgId: string;
  previous: Assessment[];
  onDone(): void;
}) {
  const { session } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const docs = useQuery({
    queryKey: ['catalogs', orgId],
    queryFn: () => get<Page<BaselineDocument>>(`/orgs/${orgId}/catalogs?limit=200`),
  });
  const departments = (session?.organizations ?? []).filter((o) => o.parentId === orgId);
  const [title, setTitle] = useState('');
  const [documentId, setDocumentId] = useState<string | null>(null);
  const [departmentIds, setDepartmentIds] = useState<string[]>([]);
  const [targetTier, setTargetTier] = useState<string | null>('foundational');
  const [targetMaturity, setTargetMaturity] = useState<string | null>('3');
  const [previousId, setPreviousId] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      post<Assessment>(`/orgs/${orgId}/assessments`, {
        title,
        documentId,
        departmentIds,
        targetTier,
        targetMaturity: targetMaturity ? Number(targetMaturity) : null,
        previousId,
      }),
    onSuccess: (a) => {
      qc.invalidateQueries({ queryKey: ['assessments', orgId] });
      onDone();
      navigate({ to: `/orgs/${orgId}/baselines/assessments/${a.id}` });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <ErrorAlert error={create.error} />
        <TextInput
          label="Title"
          required
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={fieldError(create.error, 'title')}
        />
        <Select
          label="Baseline or profile"
          required
          data={(docs.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.title} (${d.kind})` }))}
          value={documentId}
          onChange={setDocumentId}
          error={fieldError(create.error, 'documentId')}
        />
        <MultiSelect
          label="Departments"
          description="None: the organization as a whole"
          data={departments.map((d) => ({ value: d.id, label: d.name }))}
          value={departmentIds}
          onChange={setDepartmentIds}
        />
        <Group grow>
          <Select label="Target tier" data={TIERS} value={targetTier} onChange={setTargetTier} clearable />
          <Select
            label="Target maturity"
            data={MATURITY.map((m, i) => ({ value: String(i + 1), label: `${i + 1} ${m}` }))}
            value={targetMaturity}
            onChange={setTargetMaturity}
            clearable
          />
        </Group>
        <Select
          label="Start from an earlier cycle"
          description="Answers and evidence carry over; you confirm or change them."
          data={previous.map((a) => ({ value: a.id, label: a.title }))}
          value={previousId}
          onChange={(v) => {
            setPreviousId(v);
            const p = previous.find((a) => a.id === v);
            if (p) {
              setDocumentId(p.documentId);
              setDepartmentIds(p.departmentIds);
            }
          }}
          clearable
        />
        <Button type="submit" loading={create.isPending}>
          Start
        </Button>
      </Stack>
    </form>
  );
}

function ExpiringEvidence({ orgId }: { orgId: string }) {
  const [days, setDays] = useState<string | null>('90');
  const list = useQuery({
    queryKey: ['evidence-expiring', orgId, days],
    queryFn: () => get<Page<Expiring>>(`/orgs/${orgId}/evidence/expiring?days=${days ?? 90}&limit=100`),
  });
  return (
    <Stack mt="xl" gap="sm">
      <Group justify="space-between">
        <Text fw={600} size="lg" component="h2">
          Evidence expiring
        </Text>
        <Select
          aria-label="Within"
          data={[
            { value: '30', label: 'Within 30 days' },
            { value: '90', label: 'Within 90 days' },
            { value: '365', label: 'Within a year' },
          ]}
          value={days}
          onChange={setDays}
          maw={180}
        />
      </Group>
      <ErrorAlert error={list.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Evidence</Table.Th>
            <Table.Th>Requirement</Table.Th>
            <Table.Th>Assessment</Table.Th>
            <Table.Th>Expires</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{e.title}</Table.Td>
              <Table.Td>{e.requirementId}</Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/orgs/${orgId}/baselines/assessments/${e.assessmentId}`}>
                  {e.assessmentTitle}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {formatDate(e.expiresAt)}{' '}
                {e.expired && (
                  <Badge color="red" size="sm">
                    expired
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data?.items.length === 0 && <Text c="dimmed">Nothing expires in that window.</Text>}
    </Stack>
  );
}
