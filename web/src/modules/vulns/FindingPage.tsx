import {
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { can, formatDate, get, patch } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { type Finding, FindingBadges, STATUSES, statusLabel } from './FindingsPage';

interface Derived {
  value: string;
  reason: string;
}
interface BoundTrace {
  bound: string;
  value: string;
  version: string | null;
  satisfied: boolean | null;
  reason?: string;
}
interface CriterionTrace {
  node: number;
  cpeMatch: number;
  criteria: string;
  vulnerable: boolean;
  role: 'system' | 'platform';
  matchedCpe: string | null;
  result: string;
  relations: Record<string, string>;
  versionBounds: BoundTrace[];
  assumptions: string[];
  notes: string[];
}
interface FindingDetail extends Finding {
  trace: {
    system: { cpe: string | null; vendor: string | null; product: string | null; version: string | null };
    confidence: string;
    configurationIndex: number;
    witness: CriterionTrace;
    trace: {
      operator: string;
      negate: boolean;
      criteria: CriterionTrace[];
      nodes: { node: number; operator: string; negate: boolean; result: string }[];
    };
    alsoMatched: { configuration: number; confidence: string }[];
  };
  ssvcInputs: {
    exploitation: Derived;
    automatable: Derived;
    technicalImpact: Derived;
    missionWellbeing: Derived & { service: { id: string; name: string } | null };
    table: string;
  };
  kev: {
    name: string;
    dateAdded: string;
    dueDate: string;
    requiredAction: string;
    ransomwareUse: string;
    catalogVersion: string;
  } | null;
}

const BOUND_TEXT: Record<string, string> = {
  versionStartIncluding: '≥',
  versionStartExcluding: '>',
  versionEndIncluding: '≤',
  versionEndExcluding: '<',
};

function Why({ d }: { d: FindingDetail }) {
  const t = d.trace;
  const w = t.witness;
  const sys = t.system.cpe ?? [t.system.vendor, t.system.product, t.system.version].filter(Boolean).join(' ');
  return (
    <Card withBorder mb="lg" data-testid="trace">
      <Title order={2} size="h4" mb="xs">
        Why is this on my list?
      </Title>
      <Text size="sm" mb="xs">
        The system <b>{d.systemName}</b> is identified as <Code>{sys}</Code>. Configuration{' '}
        {t.configurationIndex + 1} of {d.cveId} lists the vulnerable criterion <Code>{w.criteria}</Code>,
        which it matches with confidence{' '}
        <Badge size="sm" variant="light">
          {t.confidence}
        </Badge>
        .
      </Text>
      {w.versionBounds.length > 0 && (
        <Text size="sm" mb="xs" data-testid="bounds">
          Version {w.versionBounds[0]?.version ?? '?'}:{' '}
          {w.versionBounds
            .map(
              (b) =>
                `${BOUND_TEXT[b.bound] ?? b.bound} ${b.value} ${b.satisfied === true ? '✓' : b.satisfied === false ? '✗' : '?'}${b.reason ? ` (${b.reason})` : ''}`,
            )
            .join(', ')}
        </Text>
      )}
      {[...w.assumptions, ...w.notes].map((n) => (
        <Text key={n} size="xs" c="dimmed">
          {n}
        </Text>
      ))}
      <Table mt="sm" withTableBorder fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Node</Table.Th>
            <Table.Th>Criterion</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Matched</Table.Th>
            <Table.Th>Result</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {t.trace.criteria.map((c) => (
            <Table.Tr key={`${c.node}-${c.cpeMatch}-${c.role}`}>
              <Table.Td>{c.node + 1}</Table.Td>
              <Table.Td>
                <Code>{c.criteria}</Code>
                {!c.vulnerable && ' (running on)'}
              </Table.Td>
              <Table.Td>{c.role}</Table.Td>
              <Table.Td>{c.matchedCpe ? <Code>{c.matchedCpe}</Code> : '—'}</Table.Td>
              <Table.Td>{c.result}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {t.alsoMatched.length > 0 && (
        <Text size="xs" c="dimmed" mt="xs">
          Also matched:{' '}
          {t.alsoMatched.map((m) => `configuration ${m.configuration + 1} (${m.confidence})`).join(', ')}
        </Text>
      )}
    </Card>
  );
}

function Ssvc({ d }: { d: FindingDetail }) {
  const i = d.ssvcInputs;
  const rows: [string, Derived][] = [
    ['Exploitation', i.exploitation],
    ['Automatable', i.automatable],
    ['Technical impact', i.technicalImpact],
    ['Mission & well-being', i.missionWellbeing],
  ];
  return (
    <Card withBorder data-testid="ssvc-inputs">
      <Title order={2} size="h4" mb="xs">
        SSVC: {d.ssvcDecision}
      </Title>
      <Table fz="sm">
        <Table.Tbody>
          {rows.map(([label, v]) => (
            <Table.Tr key={label}>
              <Table.Td fw={500}>{label}</Table.Td>
              <Table.Td>{v.value}</Table.Td>
              <Table.Td c="dimmed">{v.reason}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="xs">
        {i.table}
      </Text>
    </Card>
  );
}

function Triage({ d, orgId }: { d: FindingDetail; orgId: string }) {
  const org = useOrg(orgId);
  const qc = useQueryClient();
  const [status, setStatus] = useState<string | null>(d.status);
  const [note, setNote] = useState(d.statusNote);
  const [until, setUntil] = useState('');
  const save = useMutation({
    mutationFn: () =>
      patch<FindingDetail>(`/orgs/${orgId}/findings/${d.id}`, {
        status,
        note,
        ...(status === 'risk_accepted' && until
          ? { acceptedUntil: new Date(`${until}T23:59:59Z`).toISOString() }
          : {}),
      }),
    onSuccess: (f) => {
      qc.setQueryData(['finding', orgId, d.id], f);
      qc.invalidateQueries({ queryKey: ['findings', orgId] });
    },
  });
  const statuses = STATUSES.filter((s) => s.value !== 'risk_accepted' || can(org, 'data.analyze'));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  if (!can(org, 'data.write')) return null;
  return (
    <Card withBorder data-testid="triage">
      <Title order={2} size="h4" mb="xs">
        Triage
      </Title>
      <form onSubmit={submit}>
        <Stack gap="xs">
          <ErrorAlert error={save.error} />
          <Select label="Status" data={statuses} value={status} onChange={setStatus} allowDeselect={false} />
          <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {status === 'risk_accepted' && (
            <TextInput
              label="Accepted until"
              type="date"
              required
              value={until}
              onChange={(e) => setUntil(e.currentTarget.value)}
            />
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save status
            </Button>
            {save.isSuccess && (
              <Text size="sm" c="green">
                Saved
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

export function FindingPage() {
  const { orgId, findingId } = useParams({ strict: false }) as { orgId: string; findingId: string };
  const finding = useQuery({
    queryKey: ['finding', orgId, findingId],
    queryFn: () => get<FindingDetail>(`/orgs/${orgId}/findings/${findingId}`),
  });
  const d = finding.data;
  return (
    <>
      <PageHeader
        title={d ? `${d.cveId} on ${d.systemName}` : 'Finding'}
        description={d?.summary}
        actions={
          <Anchor component={Link} to={`/orgs/${orgId}/findings`} size="sm">
            All findings
          </Anchor>
        }
      />
      <ErrorAlert error={finding.error} />
      {d && (
        <>
          <Group mb="md">
            <FindingBadges f={d} />
            <Badge variant="light" data-testid="status">
              {statusLabel(d.status)}
            </Badge>
            {d.cvssScore !== null && (
              <Text size="sm">
                CVSS {d.cvssScore} <Code>{d.cvssVector}</Code>
              </Text>
            )}
            <Text size="sm" c="dimmed">
              First seen {formatDate(d.firstSeen)}
            </Text>
          </Group>
          {d.kev && (
            <Card withBorder mb="lg" data-testid="kev">
              <Text size="sm" fw={600}>
                CISA KEV: {d.kev.name}
              </Text>
              <Text size="sm">
                Added {d.kev.dateAdded}, due {d.kev.dueDate}; ransomware use: {d.kev.ransomwareUse}.
              </Text>
              <Text size="sm" c="dimmed">
                {d.kev.requiredAction}
              </Text>
            </Card>
          )}
          <Why d={d} />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Ssvc d={d} />
            <Triage key={d.status + d.statusNote} d={d} orgId={orgId} />
          </SimpleGrid>
          {d.acceptedUntil && (
            <Text size="sm" mt="sm">
              Risk accepted until {formatDate(d.acceptedUntil)}.
            </Text>
          )}
        </>
      )}
    </>
  );
}
