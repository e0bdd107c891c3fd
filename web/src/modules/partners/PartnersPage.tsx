import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  FileInput,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, del, formatDay, get, type Page, patch, post, uploadForm } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { DeleteButton, EditButton } from '../../ui/RowActions';
import {
  AGREEMENT_KINDS,
  type Agreement,
  CATEGORIES,
  DEPENDENCY_TYPES,
  dayOf,
  isoOf,
  type Partner,
  TLPS,
} from './types';

export type { Partner } from './types';

const STATUS_COLOR = {
  expiring: 'orange',
  expired: 'red',
  'open-ended': 'gray',
  'not-started': 'blue',
  active: 'green',
} as const;

function ExpiryBadge({ a }: { a: Agreement }) {
  const { t } = useTranslation('partners');
  return (
    <Badge color={STATUS_COLOR[a.status]} data-testid={`expiry-${a.title}`}>
      {a.status === 'expiring'
        ? t('status.expiring', { count: a.daysToExpiry ?? 0 })
        : t(`status.${a.status}`)}
    </Badge>
  );
}

const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function PartnersPage() {
  const { t } = useTranslation('partners');
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
  const [editing, setEditing] = useState<Agreement | null>(null);
  const [docsOf, setDocsOf] = useState<string | null>(null);
  const [editPartner, setEditPartner] = useState<Partner | null>(null);
  const [modelOf, setModelOf] = useState<Partner | null>(null);
  const removeAgreement = useMutation({
    mutationFn: (id: string) => del(`/orgs/${orgId}/agreements/${id}`),
    onSuccess: refresh,
  });
  const removePartner = useMutation({
    mutationFn: (id: string) => del(`/orgs/${orgId}/partners/${id}`),
    onSuccess: refresh,
  });
  const docsAgreement = agreements.data?.items.find((a) => a.id === docsOf) ?? null;
  return (
    <>
      <PageHeader title={t('page.title')} description={t('page.description')} />
      <ErrorAlert
        error={partners.error ?? agreements.error ?? removeAgreement.error ?? removePartner.error}
      />
      <Title order={2} size="h4" mb="sm">
        {t('agreements.heading')}
      </Title>
      <Table withTableBorder striped mb="xl" data-testid="agreements">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('agreements.agreement')}</Table.Th>
            <Table.Th>{t('agreements.partner')}</Table.Th>
            <Table.Th>{t('agreements.scope')}</Table.Th>
            <Table.Th>{t('agreements.period')}</Table.Th>
            <Table.Th>{t('agreements.expiry')}</Table.Th>
            {write && <Table.Th>{t('actions')}</Table.Th>}
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
                  {t(`kind.${a.kind}`)}
                  {a.autoRenews ? ` · ${t('agreements.renews')}` : ''}
                </Text>
                {a.documents.map((d) => (
                  <Text key={d.url} size="xs">
                    <a href={d.url}>{d.title}</a>
                  </Text>
                ))}
                {a.files.map((f) => (
                  <Text key={f.id} size="xs">
                    <a href={`/api/v1/orgs/${orgId}/agreements/${a.id}/documents/${f.id}/content`} download>
                      {f.title}
                    </a>
                  </Text>
                ))}
              </Table.Td>
              <Table.Td>{a.partnerName}</Table.Td>
              <Table.Td>
                <Text size="sm">{a.scope}</Text>
                <Badge variant="outline" size="sm">
                  {t('tlp', { level: a.tlp.toUpperCase() })}
                </Badge>
              </Table.Td>
              <Table.Td>
                {t('agreements.range', { from: formatDay(a.startsAt), to: formatDay(a.endsAt) })}
              </Table.Td>
              <Table.Td>
                <ExpiryBadge a={a} />
              </Table.Td>
              {write && (
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <EditButton
                      label={t('agreements.editOne', { title: a.title })}
                      onClick={() => setEditing(a)}
                    />
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setDocsOf(a.id)}
                      aria-label={t('documents.of', { title: a.title })}
                    >
                      {t('documents.button')}
                    </Button>
                    <DeleteButton
                      label={t('agreements.deleteOne', { title: a.title })}
                      confirm={t('agreements.confirmDelete', { title: a.title })}
                      onConfirm={() => removeAgreement.mutate(a.id)}
                    />
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={2} size="h4" mb="sm">
        {t('partners.heading')}
      </Title>
      <Table withTableBorder striped mb="xl" data-testid="partners">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('partners.partner')}</Table.Th>
            <Table.Th>{t('partners.category')}</Table.Th>
            <Table.Th>{t('partners.sector')}</Table.Th>
            <Table.Th>{t('partners.services')}</Table.Th>
            <Table.Th>{t('actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {partners.data?.items.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>{p.website ? <a href={p.website}>{p.name}</a> : p.name}</Table.Td>
              <Table.Td>{t(`category.${p.category}`)}</Table.Td>
              <Table.Td>{p.sector}</Table.Td>
              <Table.Td>{p.services.join(', ')}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => setModelOf(p)}
                    aria-label={t('model.of', { name: p.name })}
                  >
                    {t('model.button')}
                  </Button>
                  {write && (
                    <>
                      <EditButton
                        label={t('partners.editOne', { name: p.name })}
                        onClick={() => setEditPartner(p)}
                      />
                      <DeleteButton
                        label={t('partners.deleteOne', { name: p.name })}
                        confirm={t('partners.confirmDelete', { name: p.name })}
                        onConfirm={() => removePartner.mutate(p.id)}
                      />
                    </>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {write && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <PartnerForm orgId={orgId} onDone={refresh} />
          <AgreementForm orgId={orgId} partners={partners.data?.items ?? []} onDone={refresh} />
        </SimpleGrid>
      )}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={t('agreements.editTitle')} size="lg">
        {editing && (
          <AgreementForm
            orgId={orgId}
            partners={partners.data?.items ?? []}
            agreement={editing}
            onDone={() => {
              setEditing(null);
              refresh();
            }}
          />
        )}
      </Modal>
      <Modal
        opened={!!editPartner}
        onClose={() => setEditPartner(null)}
        title={t('partners.editTitle')}
        size="lg"
      >
        {editPartner && (
          <PartnerForm
            orgId={orgId}
            partner={editPartner}
            onDone={() => {
              setEditPartner(null);
              refresh();
            }}
          />
        )}
      </Modal>
      <Modal
        opened={!!docsAgreement}
        onClose={() => setDocsOf(null)}
        title={t('documents.title', { title: docsAgreement?.title ?? '' })}
        size="lg"
      >
        {docsAgreement && <Documents orgId={orgId} agreement={docsAgreement} onChange={refresh} />}
      </Modal>
      <Modal
        opened={!!modelOf}
        onClose={() => setModelOf(null)}
        title={t('model.title', { name: modelOf?.name ?? '' })}
        size="xl"
      >
        {modelOf && <CityModel orgId={orgId} partner={modelOf} write={write} />}
      </Modal>
    </>
  );
}

function PartnerForm({ orgId, partner, onDone }: { orgId: string; partner?: Partner; onDone(): void }) {
  const { t } = useTranslation('partners');
  const [name, setName] = useState(partner?.name ?? '');
  const [category, setCategory] = useState(partner?.category ?? 'utility');
  const [sector, setSector] = useState(partner?.sector ?? '');
  const [services, setServices] = useState(partner?.services.join(', ') ?? '');
  const [website, setWebsite] = useState(partner?.website ?? '');
  const [notes, setNotes] = useState(partner?.notes ?? '');
  const [partnerOrgId, setPartnerOrgId] = useState<string | null>(partner?.partnerOrgId ?? null);
  const providers = useQuery({
    queryKey: ['providers', orgId],
    queryFn: () => get<{ items: { id: string; name: string }[] }>(`/orgs/${orgId}/assets/providers`),
  });
  const save = useMutation({
    mutationFn: () => {
      const body = { name, category, sector, services: splitList(services), website, notes, partnerOrgId };
      return partner
        ? patch(`/orgs/${orgId}/partners/${partner.id}`, body)
        : post(`/orgs/${orgId}/partners`, body);
    },
    onSuccess: () => {
      if (!partner) {
        setName('');
        setServices('');
        setSector('');
        setWebsite('');
        setNotes('');
        setPartnerOrgId(null);
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
        {!partner && (
          <Title order={2} size="h4">
            {t('partners.new')}
          </Title>
        )}
        <TextInput
          label={t('partners.name')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <Select
          label={t('partners.category')}
          data={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
          value={category}
          onChange={(v) => v && setCategory(v)}
        />
        <TextInput
          label={t('partners.sector')}
          value={sector}
          onChange={(e) => setSector(e.currentTarget.value)}
        />
        <TextInput
          label={t('partners.servicesInput')}
          value={services}
          onChange={(e) => setServices(e.currentTarget.value)}
        />
        <TextInput
          label={t('partners.website')}
          type="url"
          value={website}
          onChange={(e) => setWebsite(e.currentTarget.value)}
        />
        <Select
          label={t('partners.providerOrg')}
          description={t('partners.providerOrgHelp')}
          data={(providers.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
          value={partnerOrgId}
          onChange={setPartnerOrgId}
          clearable
        />
        <Textarea
          label={t('partners.notes')}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
        />
        <ErrorAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {partner ? t('common:actions.save') : t('partners.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function AgreementForm({
  orgId,
  partners,
  agreement,
  onDone,
}: {
  orgId: string;
  partners: Partner[];
  agreement?: Agreement;
  onDone(): void;
}) {
  const { t } = useTranslation('partners');
  const [partnerId, setPartnerId] = useState<string | null>(agreement?.partnerId ?? null);
  const [kind, setKind] = useState(agreement?.kind ?? 'mou');
  const [title, setTitle] = useState(agreement?.title ?? '');
  const [start, setStart] = useState(dayOf(agreement?.startsAt));
  const [end, setEnd] = useState(dayOf(agreement?.endsAt));
  const [autoRenews, setAutoRenews] = useState(agreement?.autoRenews ?? false);
  const [reminderDays, setReminderDays] = useState<number>(agreement?.reminderDays ?? 60);
  const [notifyEmail, setNotifyEmail] = useState(agreement?.notifyEmail ?? '');
  const [scope, setScope] = useState(agreement?.scope ?? '');
  const [tlp, setTlp] = useState(agreement?.tlp ?? 'amber');
  const save = useMutation({
    mutationFn: () => {
      const body = {
        partnerId,
        kind,
        title,
        startsAt: isoOf(start) ?? '',
        endsAt: isoOf(end),
        autoRenews,
        reminderDays,
        notifyEmail,
        scope,
        tlp,
      };
      return agreement
        ? patch(`/orgs/${orgId}/agreements/${agreement.id}`, body)
        : post(`/orgs/${orgId}/agreements`, body);
    },
    onSuccess: () => {
      if (!agreement) setTitle('');
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
        {!agreement && (
          <Title order={2} size="h4">
            {t('agreements.new')}
          </Title>
        )}
        <Select
          label={t('agreements.partner')}
          required
          data={partners.map((p) => ({ value: p.id, label: p.name }))}
          value={partnerId}
          onChange={setPartnerId}
          searchable
        />
        <Select
          label={t('agreements.kind')}
          data={AGREEMENT_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v)}
        />
        <TextInput
          label={t('agreements.title')}
          required
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <Group grow>
          <TextInput
            label={t('agreements.starts')}
            type="date"
            required
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
          />
          <TextInput
            label={t('agreements.ends')}
            type="date"
            value={end}
            onChange={(e) => setEnd(e.currentTarget.value)}
          />
        </Group>
        <Checkbox
          label={t('agreements.autoRenews')}
          checked={autoRenews}
          onChange={(e) => setAutoRenews(e.currentTarget.checked)}
        />
        <Group grow>
          <NumberInput
            label={t('agreements.reminderDays')}
            min={1}
            value={reminderDays}
            onChange={(v) => setReminderDays(Number(v))}
          />
          <TextInput
            label={t('agreements.notifyEmail')}
            type="email"
            value={notifyEmail}
            onChange={(e) => setNotifyEmail(e.currentTarget.value)}
          />
        </Group>
        <Group grow>
          <TextInput
            label={t('agreements.scopeInput')}
            value={scope}
            onChange={(e) => setScope(e.currentTarget.value)}
          />
          <Select
            label={t('agreements.tlp')}
            data={TLPS.map((l) => ({ value: l, label: t('tlp', { level: l.toUpperCase() }) }))}
            value={tlp}
            onChange={(v) => v && setTlp(v)}
          />
        </Group>
        <ErrorAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {agreement ? t('common:actions.save') : t('agreements.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Documents({
  orgId,
  agreement,
  onChange,
}: {
  orgId: string;
  agreement: Agreement;
  onChange(): void;
}) {
  const { t } = useTranslation('partners');
  const [title, setTitle] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const base = `/orgs/${orgId}/agreements/${agreement.id}/documents`;
  const upload = useMutation({
    mutationFn: () => {
      const form = new FormData();
      if (title) form.append('title', title);
      if (file) form.append('file', file, file.name);
      return uploadForm(base, form);
    },
    onSuccess: () => {
      setTitle('');
      setFile(null);
      onChange();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => del(`${base}/${id}`), onSuccess: onChange });
  return (
    <Stack>
      {agreement.files.length === 0 ? (
        <Text c="dimmed">{t('documents.none')}</Text>
      ) : (
        <Table data-testid="agreement-files">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('documents.document')}</Table.Th>
              <Table.Th>{t('documents.size')}</Table.Th>
              <Table.Th>{t('documents.sha256')}</Table.Th>
              <Table.Th>{t('actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {agreement.files.map((f) => (
              <Table.Tr key={f.id}>
                <Table.Td>
                  <Anchor href={`/api/v1${base}/${f.id}/content`} download>
                    {f.title}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {f.fileName} · {formatDay(f.createdAt)}
                  </Text>
                </Table.Td>
                <Table.Td>{t('documents.kib', { size: formatNumber(Math.ceil(f.size / 1024)) })}</Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace">
                    {f.sha256.slice(0, 16)}…
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    color="red"
                    variant="subtle"
                    aria-label={t('documents.deleteOne', { title: f.title })}
                    onClick={() => remove.mutate(f.id)}
                  >
                    {t('common:actions.delete')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Title order={3} size="h5">
        {t('documents.upload')}
      </Title>
      <TextInput
        label={t('documents.docTitle')}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
      />
      <FileInput
        label={t('documents.file')}
        description={t('documents.fileHelp')}
        value={file}
        onChange={setFile}
        accept=".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.txt,.csv,.json"
        clearable
      />
      <ErrorAlert error={upload.error ?? remove.error} />
      <Group>
        <Button onClick={() => upload.mutate()} disabled={!file} loading={upload.isPending}>
          {t('documents.uploadButton')}
        </Button>
      </Group>
    </Stack>
  );
}

interface Dependents {
  provider: { id: string; name: string; kind: string } | null;
  eligible: boolean;
  dependencies: {
    id: string;
    from: { kind: string; id: string; name: string };
    type: string;
    redundancyGroup: string | null;
  }[];
  impact: {
    services: {
      id: string;
      name: string;
      population: number;
      timeToImpactHours: number;
      rtoBreachHours: number | null;
    }[];
    impacted: { id: string; kind: string; name: string }[];
    populationAffected: number;
  } | null;
}

function CityModel({ orgId, partner, write }: { orgId: string; partner: Partner; write: boolean }) {
  const { t } = useTranslation('partners');
  const qc = useQueryClient();
  const key = ['partner-dependents', orgId, partner.id];
  const data = useQuery({
    queryKey: key,
    queryFn: () => get<Dependents>(`/orgs/${orgId}/partners/${partner.id}/dependents`),
  });
  const services = useQuery({
    queryKey: ['services-min', orgId],
    queryFn: () => get<Page<{ id: string; name: string }>>(`/orgs/${orgId}/assets/services?limit=500`),
    enabled: write,
  });
  const systems = useQuery({
    queryKey: ['systems-min', orgId],
    queryFn: () => get<Page<{ id: string; name: string }>>(`/orgs/${orgId}/assets/systems?limit=500`),
    enabled: write,
  });
  const [from, setFrom] = useState<string | null>(null);
  const [type, setType] = useState<string>('supported_by');
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const add = useMutation({
    mutationFn: () => {
      const [fromKind, fromId] = (from ?? ':').split(':');
      return post(`/orgs/${orgId}/partners/${partner.id}/dependents`, { fromKind, fromId, type });
    },
    onSuccess: () => {
      setFrom(null);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/orgs/${orgId}/assets/dependencies/${id}`),
    onSuccess: refresh,
  });
  const d = data.data;
  if (data.error) return <ErrorAlert error={data.error} />;
  if (!d) return <Text c="dimmed">{t('common:state.loading')}</Text>;
  if (!d.eligible) {
    return (
      <Text data-testid="not-in-model">
        {d.provider ? t('model.notProvider', { org: d.provider.name }) : t('model.notLinked')}
      </Text>
    );
  }
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('model.provider', { org: d.provider?.name ?? '' })}
      </Text>
      <Title order={3} size="h5">
        {t('model.dependents')}
      </Title>
      {d.dependencies.length === 0 ? (
        <Text c="dimmed">{t('model.noDependents')}</Text>
      ) : (
        <Table data-testid="partner-dependents">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('model.dependent')}</Table.Th>
              <Table.Th>{t('model.type')}</Table.Th>
              {write && <Table.Th>{t('actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.dependencies.map((x) => (
              <Table.Tr key={x.id}>
                <Table.Td>
                  {x.from.name}
                  <Text size="xs" c="dimmed">
                    {t(`model.nodeKind.${x.from.kind}`)}
                  </Text>
                </Table.Td>
                <Table.Td>{t(`depType.${x.type}`)}</Table.Td>
                {write && (
                  <Table.Td>
                    <Button
                      size="xs"
                      color="red"
                      variant="subtle"
                      aria-label={t('model.removeOne', { name: x.from.name })}
                      onClick={() => remove.mutate(x.id)}
                    >
                      {t('common:actions.delete')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {d.impact && (
        <>
          <Title order={3} size="h5">
            {t('model.cascade')}
          </Title>
          <Text data-testid="partner-cascade">
            {t('model.cascadeSummary', {
              count: d.impact.services.length,
              people: formatNumber(d.impact.populationAffected),
              nodes: formatNumber(d.impact.impacted.length),
            })}
          </Text>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('model.service')}</Table.Th>
                <Table.Th>{t('model.residents')}</Table.Th>
                <Table.Th>{t('model.timeToImpact')}</Table.Th>
                <Table.Th>{t('model.rtoBreach')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.impact.services.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.name}</Table.Td>
                  <Table.Td>{formatNumber(s.population)}</Table.Td>
                  <Table.Td>{t('model.hours', { hours: formatNumber(s.timeToImpactHours) })}</Table.Td>
                  <Table.Td>
                    {s.rtoBreachHours === null
                      ? '—'
                      : t('model.hours', { hours: formatNumber(s.rtoBreachHours) })}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      {write && (
        <>
          <Title order={3} size="h5">
            {t('model.addTitle')}
          </Title>
          <Group grow align="end">
            <Select
              label={t('model.dependent')}
              data={[
                {
                  group: t('model.services'),
                  items: (services.data?.items ?? []).map((s) => ({
                    value: `service:${s.id}`,
                    label: s.name,
                  })),
                },
                {
                  group: t('model.systems'),
                  items: (systems.data?.items ?? []).map((s) => ({ value: `system:${s.id}`, label: s.name })),
                },
              ]}
              value={from}
              onChange={setFrom}
              searchable
            />
            <Select
              label={t('model.type')}
              data={DEPENDENCY_TYPES.map((x) => ({ value: x, label: t(`depType.${x}`) }))}
              value={type}
              onChange={(v) => v && setType(v)}
            />
            <Button onClick={() => add.mutate()} disabled={!from} loading={add.isPending}>
              {t('model.add')}
            </Button>
          </Group>
        </>
      )}
      <ErrorAlert error={add.error ?? remove.error} />
    </Stack>
  );
}
