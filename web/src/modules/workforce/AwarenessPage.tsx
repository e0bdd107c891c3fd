import {
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
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
import { can, del, formatDay, get, type Page, patch, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { DeleteButton, EditButton } from '../../ui/RowActions';

interface Campaign {
  id: string;
  title: string;
  audience: string;
  channels: string[];
  startsAt: string;
  endsAt: string;
  reach: number;
  engagement: number;
  materials: { title: string; url: string }[];
}

const dayOf = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '');
const isoOf = (d: string) => (d ? new Date(`${d}T00:00:00Z`).toISOString() : '');

export function AwarenessPage() {
  const { t } = useTranslation('workforce');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const write = can(org, 'data.write');
  const qc = useQueryClient();
  const url = `/orgs/${orgId}/workforce/awareness`;
  const list = useQuery({
    queryKey: ['wf-awareness', orgId],
    queryFn: () => get<Page<Campaign>>(`${url}?limit=200`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['wf-awareness', orgId] });
  const [editing, setEditing] = useState<Campaign | null>(null);
  const remove = useMutation({ mutationFn: (id: string) => del(`${url}/${id}`), onSuccess: refresh });
  return (
    <>
      <PageHeader title={t('awareness.title')} description={t('awareness.description')} />
      <ErrorAlert error={list.error ?? remove.error} />
      <Table withTableBorder striped mb="xl" data-testid="awareness">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('awareness.campaign')}</Table.Th>
            <Table.Th>{t('awareness.audience')}</Table.Th>
            <Table.Th>{t('awareness.dates')}</Table.Th>
            <Table.Th>{t('awareness.reach')}</Table.Th>
            <Table.Th>{t('awareness.engagement')}</Table.Th>
            {write && <Table.Th>{t('actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {c.title}
                </Text>
                <Group gap={4}>
                  {c.channels.map((ch) => (
                    <Badge key={ch} variant="light" size="sm">
                      {ch}
                    </Badge>
                  ))}
                </Group>
                {c.materials.map((m) => (
                  <Text key={m.url} size="xs">
                    <a href={m.url}>{m.title}</a>
                  </Text>
                ))}
              </Table.Td>
              <Table.Td>{c.audience}</Table.Td>
              <Table.Td>{t('range', { from: formatDay(c.startsAt), to: formatDay(c.endsAt) })}</Table.Td>
              <Table.Td>{formatNumber(c.reach)}</Table.Td>
              <Table.Td>{formatNumber(c.engagement)}</Table.Td>
              {write && (
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <EditButton label={t('editOne', { name: c.title })} onClick={() => setEditing(c)} />
                    <DeleteButton
                      label={t('deleteOne', { name: c.title })}
                      confirm={t('confirmDelete', { name: c.title })}
                      onConfirm={() => remove.mutate(c.id)}
                    />
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {write && <CampaignForm url={url} onDone={refresh} />}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={t('awareness.editTitle')} size="lg">
        {editing && (
          <CampaignForm
            url={url}
            campaign={editing}
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

function CampaignForm({ url, campaign, onDone }: { url: string; campaign?: Campaign; onDone(): void }) {
  const { t } = useTranslation('workforce');
  const [title, setTitle] = useState(campaign?.title ?? '');
  const [audience, setAudience] = useState(campaign?.audience ?? '');
  const [channels, setChannels] = useState(campaign?.channels.join(', ') ?? '');
  const [start, setStart] = useState(dayOf(campaign?.startsAt));
  const [end, setEnd] = useState(dayOf(campaign?.endsAt));
  const [reach, setReach] = useState<number>(campaign?.reach ?? 0);
  const [engagement, setEngagement] = useState<number>(campaign?.engagement ?? 0);
  const save = useMutation({
    mutationFn: () => {
      const body = {
        title,
        audience,
        channels: channels
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean),
        startsAt: isoOf(start),
        endsAt: isoOf(end),
        reach,
        engagement,
      };
      return campaign ? patch(`${url}/${campaign.id}`, body) : post(url, body);
    },
    onSuccess: () => {
      if (!campaign) setTitle('');
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack maw={600}>
        {!campaign && (
          <Title order={2} size="h4">
            {t('awareness.new')}
          </Title>
        )}
        <TextInput
          label={t('awareness.titleInput')}
          required
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <TextInput
          label={t('awareness.audience')}
          required
          value={audience}
          onChange={(e) => setAudience(e.currentTarget.value)}
        />
        <TextInput
          label={t('awareness.channels')}
          value={channels}
          onChange={(e) => setChannels(e.currentTarget.value)}
        />
        <Group grow>
          <TextInput
            label={t('awareness.starts')}
            type="date"
            required
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
          />
          <TextInput
            label={t('awareness.ends')}
            type="date"
            required
            value={end}
            onChange={(e) => setEnd(e.currentTarget.value)}
          />
        </Group>
        <Group grow>
          <NumberInput
            label={t('awareness.reach')}
            min={0}
            value={reach}
            onChange={(v) => setReach(Number(v))}
          />
          <NumberInput
            label={t('awareness.engagement')}
            min={0}
            value={engagement}
            onChange={(v) => setEngagement(Number(v))}
          />
        </Group>
        <ErrorAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {campaign ? t('common:actions.save') : t('awareness.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
