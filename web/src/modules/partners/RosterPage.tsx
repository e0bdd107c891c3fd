import {
  Anchor,
  Button,
  Group,
  Modal,
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
import { useTranslation } from 'react-i18next';
import { can, del, get, type Page, patch, post } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { DeleteButton, EditButton } from '../../ui/RowActions';
import type { Contact, Partner } from './types';

export function RosterPage() {
  const { t } = useTranslation('partners');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const write = can(org, 'data.write');
  const qc = useQueryClient();
  const roster = useQuery({
    queryKey: ['roster', orgId],
    queryFn: () => get<{ items: Contact[] }>(`/orgs/${orgId}/roster`),
  });
  const partners = useQuery({
    queryKey: ['partners', orgId],
    queryFn: () => get<Page<Partner>>(`/orgs/${orgId}/partners?limit=500`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['roster', orgId] });
  const [editing, setEditing] = useState<Contact | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => del(`/orgs/${orgId}/contacts/${id}`),
    onSuccess: refresh,
  });
  return (
    <>
      <PageHeader
        title={t('roster.title')}
        description={t('roster.description')}
        actions={
          <>
            <Button component="a" variant="default" href={`/api/v1/orgs/${orgId}/roster.csv`} download>
              {t('roster.csv')}
            </Button>
            <Button component="a" variant="default" href={`/api/v1/orgs/${orgId}/roster.vcf`} download>
              {t('roster.vcard')}
            </Button>
            <Button variant="default" onClick={() => window.print()}>
              {t('roster.print')}
            </Button>
          </>
        }
      />
      <ErrorAlert error={roster.error ?? remove.error} />
      <Table withTableBorder striped mb="xl" data-testid="roster">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('roster.service')}</Table.Th>
            <Table.Th>{t('roster.incidentType')}</Table.Th>
            <Table.Th>{t('roster.order')}</Table.Th>
            <Table.Th>{t('roster.contact')}</Table.Th>
            <Table.Th>{t('roster.phone24x7')}</Table.Th>
            <Table.Th>{t('roster.other')}</Table.Th>
            {write && <Table.Th className="no-print">{t('actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {roster.data?.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.service || t('roster.any')}</Table.Td>
              <Table.Td>{c.incidentType || t('roster.any')}</Table.Td>
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
              {write && (
                <Table.Td className="no-print">
                  <Group gap="xs" wrap="nowrap">
                    <EditButton label={t('roster.editOne', { name: c.name })} onClick={() => setEditing(c)} />
                    <DeleteButton
                      label={t('roster.deleteOne', { name: c.name })}
                      confirm={t('roster.confirmDelete', { name: c.name })}
                      onConfirm={() => remove.mutate(c.id)}
                    />
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {write && <ContactForm orgId={orgId} partners={partners.data?.items ?? []} onDone={refresh} />}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={t('roster.editTitle')} size="lg">
        {editing && (
          <ContactForm
            orgId={orgId}
            partners={partners.data?.items ?? []}
            contact={editing}
            onDone={() => {
              setEditing(null);
              refresh();
            }}
          />
        )}
      </Modal>
    </>
  );
}

function ContactForm({
  orgId,
  partners,
  contact,
  onDone,
}: {
  orgId: string;
  partners: Partner[];
  contact?: Contact;
  onDone(): void;
}) {
  const { t } = useTranslation('partners');
  const [partnerId, setPartnerId] = useState<string | null>(contact?.partnerId ?? null);
  const [name, setName] = useState(contact?.name ?? '');
  const [title, setTitle] = useState(contact?.title ?? '');
  const [phone24x7, setPhone24x7] = useState(contact?.phone24x7 ?? '');
  const [phone, setPhone] = useState(contact?.phone ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [service, setService] = useState(contact?.service ?? '');
  const [incidentType, setIncidentType] = useState(contact?.incidentType ?? '');
  const [order, setOrder] = useState<number>(contact?.escalationOrder ?? 1);
  const save = useMutation({
    mutationFn: () => {
      const body = {
        partnerId,
        name,
        title,
        phone24x7,
        phone,
        email,
        service,
        incidentType,
        escalationOrder: order,
      };
      return contact
        ? patch(`/orgs/${orgId}/contacts/${contact.id}`, body)
        : post(`/orgs/${orgId}/contacts`, body);
    },
    onSuccess: () => {
      if (!contact) setName('');
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} className="no-print">
      <Stack maw={600}>
        {!contact && (
          <Title order={2} size="h4">
            {t('roster.add')}
          </Title>
        )}
        <Select
          label={t('roster.organization')}
          data={partners.map((p) => ({ value: p.id, label: p.name }))}
          value={partnerId}
          onChange={setPartnerId}
          clearable
        />
        <Group grow>
          <TextInput
            label={t('roster.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <TextInput
            label={t('roster.jobTitle')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
        </Group>
        <Group grow>
          <TextInput
            label={t('roster.phone24x7Input')}
            required
            value={phone24x7}
            onChange={(e) => setPhone24x7(e.currentTarget.value)}
          />
          <TextInput
            label={t('roster.phone')}
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
          />
          <TextInput
            label={t('roster.email')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
        </Group>
        <Group grow>
          <TextInput
            label={t('roster.service')}
            value={service}
            onChange={(e) => setService(e.currentTarget.value)}
          />
          <TextInput
            label={t('roster.incidentType')}
            value={incidentType}
            onChange={(e) => setIncidentType(e.currentTarget.value)}
          />
          <NumberInput
            label={t('roster.escalationOrder')}
            min={1}
            max={99}
            value={order}
            onChange={(v) => setOrder(Number(v))}
          />
        </Group>
        <ErrorAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {contact ? t('common:actions.save') : t('roster.addButton')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
