import {
  Badge,
  Button,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { can, get, type Page, post } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';

export interface Partner {
  id: string;
  name: string;
  category: string;
  sector: string;
  services: string[];
  website: string;
}

interface Agreement {
  id: string;
  partnerName: string;
  kind: string;
  title: string;
  startsAt: string;
  endsAt: string | null;
  autoRenews: boolean;
  scope: string;
  tlp: string;
  status: 'active' | 'expiring' | 'expired' | 'open-ended' | 'not-started';
  daysToExpiry: number | null;
  documents: { title: string; url: string }[];
}

const CATEGORIES = [
  'utility',
  'isp',
  'cloud',
  'vendor',
  'university',
  'cert',
  'isac',
  'city',
  'law-enforcement',
  'insurer',
  'government',
  'other',
];
const KINDS = ['mou', 'nda', 'data-sharing', 'mutual-aid', 'research', 'service', 'other'];
const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : '—');

function ExpiryBadge({ a }: { a: Agreement }) {
  const label =
    a.status === 'expiring'
      ? `Expires in ${a.daysToExpiry} days`
      : a.status === 'expired'
        ? 'Expired'
        : a.status === 'open-ended'
          ? 'No end date'
          : a.status === 'not-started'
            ? 'Not started'
            : 'Active';
  const color = {
    expiring: 'orange',
    expired: 'red',
    'open-ended': 'gray',
    'not-started': 'blue',
    active: 'green',
  }[a.status];
  return (
    <Badge color={color} data-testid={`expiry-${a.title}`}>
      {label}
    </Badge>
  );
}

export function PartnersPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const write = can(org, 'data.write');
  const qc = useQueryClient();
  const partners = useQuery({
    queryKey: ['partners', orgId],
    queryFn: () => get<Page<Partner>>(`/orgs/${orgId}/partners?limit=500`),
  });
  const agreements = useQuery({
    queryKey: ['agreements', orgId],
    queryFn: () => get<Page<Agreement>>(`/orgs/${orgId}/agreements?limit=500`),
  });
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ['partners', orgId] });
    qc.invalidateQueries({ queryKey: ['agreements', orgId] });
  };
  return (
    <>
      <PageHeader
        title="Partners and agreements"
        description="Organizations outside the city, what they provide, and the agreements with them."
      />
      <ErrorAlert error={partners.error ?? agreements.error} />
      <Title order={2} size="h4" mb="sm">
        Agreements
      </Title>
      <Table withTableBorder striped mb="xl" data-testid="agreements">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Agreement</Table.Th>
            <Table.Th>Partner</Table.Th>
            <Table.Th>Scope</Table.Th>
            <Table.Th>Period</Table.Th>
            <Table.Th>Expiry</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {agreements.data?.items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {a.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {a.kind}
                  {a.autoRenews ? ' · renews automatically' : ''}
                </Text>
                {a.documents.map((d) => (
                  <Text key={d.url} size="xs">
                    <a href={d.url}>{d.title}</a>
                  </Text>
                ))}
              </Table.Td>
              <Table.Td>{a.partnerName}</Table.Td>
              <Table.Td>
                <Text size="sm">{a.scope}</Text>
                <Badge variant="outline" size="sm">
                  TLP:{a.tlp.toUpperCase()}
                </Badge>
              </Table.Td>
              <Table.Td>
                {day(a.startsAt)} – {day(a.endsAt)}
              </Table.Td>
              <Table.Td>
                <ExpiryBadge a={a} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={2} size="h4" mb="sm">
        Partners
      </Title>
      <Table withTableBorder striped mb="xl">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Partner</Table.Th>
            <Table.Th>Category</Table.Th>
            <Table.Th>Sector</Table.Th>
            <Table.Th>Services to the city</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {partners.data?.items.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>{p.website ? <a href={p.website}>{p.name}</a> : p.name}</Table.Td>
              <Table.Td>{p.category}</Table.Td>
              <Table.Td>{p.sector}</Table.Td>
              <Table.Td>{p.services.join(', ')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {write && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <NewPartner orgId={orgId} onCreated={refresh} />
          <NewAgreement orgId={orgId} partners={partners.data?.items ?? []} onCreated={refresh} />
        </SimpleGrid>
      )}
    </>
  );
}

function NewPartner({ orgId, onCreated }: { orgId: string; onCreated(): void }) {
  const [name, setName] = useState('');
  const [category, setCategory] = useState('utility');
  const [sector, setSector] = useState('');
  const [services, setServices] = useState('');
  const create = useMutation({
    mutationFn: () =>
      post(`/orgs/${orgId}/partners`, {
        name,
        category,
        sector,
        services: services
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      }),
    onSuccess: () => {
      setName('');
      setServices('');
      onCreated();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <Title order={2} size="h4">
          New partner
        </Title>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Select label="Category" data={CATEGORIES} value={category} onChange={(v) => v && setCategory(v)} />
        <TextInput label="Sector" value={sector} onChange={(e) => setSector(e.currentTarget.value)} />
        <TextInput
          label="Services (comma-separated)"
          value={services}
          onChange={(e) => setServices(e.currentTarget.value)}
        />
        <ErrorAlert error={create.error} />
        <Group>
          <Button type="submit">Add partner</Button>
        </Group>
      </Stack>
    </form>
  );
}

function NewAgreement({
  orgId,
  partners,
  onCreated,
}: {
  orgId: string;
  partners: Partner[];
  onCreated(): void;
}) {
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [kind, setKind] = useState('mou');
  const [title, setTitle] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [reminderDays, setReminderDays] = useState<number>(60);
  const [notifyEmail, setNotifyEmail] = useState('');
  const [scope, setScope] = useState('');
  const [tlp, setTlp] = useState('amber');
  const create = useMutation({
    mutationFn: () =>
      post(`/orgs/${orgId}/agreements`, {
        partnerId,
        kind,
        title,
        startsAt: start ? new Date(`${start}T00:00:00Z`).toISOString() : '',
        endsAt: end ? new Date(`${end}T00:00:00Z`).toISOString() : null,
        reminderDays,
        notifyEmail,
        scope,
        tlp,
      }),
    onSuccess: () => {
      setTitle('');
      onCreated();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <Title order={2} size="h4">
          New agreement
        </Title>
        <Select
          label="Partner"
          required
          data={partners.map((p) => ({ value: p.id, label: p.name }))}
          value={partnerId}
          onChange={setPartnerId}
          searchable
        />
        <Select label="Kind" data={KINDS} value={kind} onChange={(v) => v && setKind(v)} />
        <TextInput
          label="Agreement title"
          required
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <Group grow>
          <TextInput
            label="Starts"
            type="date"
            required
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
          />
          <TextInput label="Ends" type="date" value={end} onChange={(e) => setEnd(e.currentTarget.value)} />
        </Group>
        <Group grow>
          <NumberInput
            label="Remind days before"
            min={1}
            value={reminderDays}
            onChange={(v) => setReminderDays(Number(v))}
          />
          <TextInput
            label="Remind by email"
            type="email"
            value={notifyEmail}
            onChange={(e) => setNotifyEmail(e.currentTarget.value)}
          />
        </Group>
        <Group grow>
          <TextInput label="Scope" value={scope} onChange={(e) => setScope(e.currentTarget.value)} />
          <Select
            label="TLP"
            data={['clear', 'green', 'amber', 'amber+strict', 'red']}
            value={tlp}
            onChange={(v) => v && setTlp(v)}
          />
        </Group>
        <ErrorAlert error={create.error} />
        <Group>
          <Button type="submit" loading={create.isPending}>
            Add agreement
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
