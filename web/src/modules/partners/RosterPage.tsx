import {
  Anchor,
  Button,
  Group,
  NumberInput,
  Select,
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
import type { Partner } from './PartnersPage';

interface Contact {
  id: string;
  partnerName: string | null;
  name: string;
  title: string;
  email: string;
  phone: string;
  phone24x7: string;
  service: string;
  incidentType: string;
  escalationOrder: number | null;
}

export function RosterPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const qc = useQueryClient();
  const roster = useQuery({
    queryKey: ['roster', orgId],
    queryFn: () => get<{ items: Contact[] }>(`/orgs/${orgId}/roster`),
  });
  const partners = useQuery({
    queryKey: ['partners', orgId],
    queryFn: () => get<Page<Partner>>(`/orgs/${orgId}/partners?limit=500`),
  });
  return (
    <>
      <PageHeader
        title="Crisis contact roster"
        description="Who to call, in which order, for each service and incident type. Print it or keep the vCards offline: networks may be down when you need it."
        actions={
          <>
            <Button component="a" variant="default" href={`/api/v1/orgs/${orgId}/roster.csv`} download>
              CSV
            </Button>
            <Button component="a" variant="default" href={`/api/v1/orgs/${orgId}/roster.vcf`} download>
              vCard
            </Button>
            <Button variant="default" onClick={() => window.print()}>
              Print
            </Button>
          </>
        }
      />
      <ErrorAlert error={roster.error} />
      <Table withTableBorder striped mb="xl" data-testid="roster">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Service</Table.Th>
            <Table.Th>Incident type</Table.Th>
            <Table.Th>Order</Table.Th>
            <Table.Th>Contact</Table.Th>
            <Table.Th>24/7</Table.Th>
            <Table.Th>Other</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {roster.data?.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.service || 'Any'}</Table.Td>
              <Table.Td>{c.incidentType || 'Any'}</Table.Td>
              <Table.Td>{c.escalationOrder}</Table.Td>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {c.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {[c.title, c.partnerName].filter(Boolean).join(', ')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Anchor href={`tel:${c.phone24x7.replace(/\s/g, '')}`}>{c.phone24x7}</Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{c.phone}</Text>
                <Text size="xs">{c.email}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {can(org, 'data.write') && (
        <NewContact
          orgId={orgId}
          partners={partners.data?.items ?? []}
          onCreated={() => qc.invalidateQueries({ queryKey: ['roster', orgId] })}
        />
      )}
    </>
  );
}

function NewContact({
  orgId,
  partners,
  onCreated,
}: {
  orgId: string;
  partners: Partner[];
  onCreated(): void;
}) {
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [phone24x7, setPhone24x7] = useState('');
  const [email, setEmail] = useState('');
  const [service, setService] = useState('');
  const [incidentType, setIncidentType] = useState('');
  const [order, setOrder] = useState<number>(1);
  const create = useMutation({
    mutationFn: () =>
      post(`/orgs/${orgId}/contacts`, {
        partnerId,
        name,
        title,
        phone24x7,
        email,
        service,
        incidentType,
        escalationOrder: order,
      }),
    onSuccess: () => {
      setName('');
      onCreated();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit} className="no-print">
      <Stack maw={600}>
        <Title order={2} size="h4">
          Add to the roster
        </Title>
        <Select
          label="Organization (empty: the city)"
          data={partners.map((p) => ({ value: p.id, label: p.name }))}
          value={partnerId}
          onChange={setPartnerId}
          clearable
        />
        <Group grow>
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        </Group>
        <Group grow>
          <TextInput
            label="24/7 phone"
            required
            value={phone24x7}
            onChange={(e) => setPhone24x7(e.currentTarget.value)}
          />
          <TextInput
            label="Email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
        </Group>
        <Group grow>
          <TextInput label="Service" value={service} onChange={(e) => setService(e.currentTarget.value)} />
          <TextInput
            label="Incident type"
            value={incidentType}
            onChange={(e) => setIncidentType(e.currentTarget.value)}
          />
          <NumberInput
            label="Escalation order"
            min={1}
            max={99}
            value={order}
            onChange={(v) => setOrder(Number(v))}
          />
        </Group>
        <ErrorAlert error={create.error} />
        <Group>
          <Button type="submit">Add contact</Button>
        </Group>
      </Stack>
    </form>
  );
}
