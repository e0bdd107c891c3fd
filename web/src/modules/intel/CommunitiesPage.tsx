import {
  ActionIcon,
  Anchor,
  Button,
  Code,
  CopyButton,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, can, del, formatDate, get, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg, useSession } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { TlpBadge } from './TlpBadge';
import { type Community, type CommunityMember, type TaxiiOverview, TLPS, type Tlp } from './types';

export function CommunitiesPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const { session } = useSession();
  const qc = useQueryClient();
  const { t } = useTranslation('intel');
  const kind = (k: string) => t(`orgs:settings.kinds.${k}`, { defaultValue: k });
  const isCommunity = org?.kind === 'community';
  const manage = isCommunity && can(org, 'org.manage');
  const memberOf = useQuery({
    queryKey: ['communities-of', orgId],
    queryFn: () => get<{ items: Community[] }>(`/orgs/${orgId}/communities`),
    enabled: can(org, 'data.read'),
  });
  const members = useQuery({
    queryKey: ['community-members', orgId],
    queryFn: () => get<{ items: CommunityMember[] }>(`/orgs/${orgId}/community-members`),
    enabled: isCommunity,
  });
  const settings = useQuery({
    queryKey: ['community-settings', orgId],
    queryFn: () => get<{ defaultTlp: Tlp | null }>(`/orgs/${orgId}/community-settings`),
    enabled: isCommunity,
  });
  const saveSettings = useMutation({
    mutationFn: (defaultTlp: Tlp) => api('PATCH', `/orgs/${orgId}/community-settings`, { defaultTlp }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['community-settings', orgId] }),
  });
  const taxii = useQuery({
    queryKey: ['taxii-overview', orgId],
    queryFn: () => get<TaxiiOverview>(`/orgs/${orgId}/taxii`),
    enabled: can(org, 'data.read'),
  });
  const [choice, setChoice] = useState<string | null>(null);
  const [pasted, setPasted] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: ['community-members', orgId] });
  const add = useMutation({
    mutationFn: (memberOrgId: string) => post(`/orgs/${orgId}/community-members`, { memberOrgId }),
    onSuccess: () => {
      setChoice(null);
      setPasted('');
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (memberOrgId: string) => del(`/orgs/${orgId}/community-members/${memberOrgId}`),
    onSuccess: refresh,
  });
  const candidates = (session?.organizations ?? [])
    .filter((o) => o.id !== orgId && !members.data?.items.some((m) => m.orgId === o.id))
    .map((o) => ({ value: o.id, label: `${o.name} (${kind(o.kind)})` }));

  return (
    <>
      <PageHeader title={t('communities.title')} description={t('communities.description')} />
      <ErrorAlert
        error={
          memberOf.error ??
          members.error ??
          settings.error ??
          taxii.error ??
          add.error ??
          remove.error ??
          saveSettings.error
        }
      />
      <Stack gap="xl">
        {!isCommunity && (
          <section>
            <Title order={2} size="h4" mb="xs">
              {t('communities.memberOf', { org: org?.name ?? '' })}
            </Title>
            {memberOf.data?.items.length === 0 && (
              <Text c="dimmed" size="sm">
                {t('communities.noneYet')}
              </Text>
            )}
            {memberOf.data?.items.map((c) => (
              <Group key={c.id} gap="xs">
                <Text size="sm">
                  {session?.organizations.some((o) => o.id === c.id) ? (
                    <Anchor component={Link} to={`/orgs/${c.id}/communities`}>
                      {c.name}
                    </Anchor>
                  ) : (
                    c.name
                  )}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('communities.unmarkedAs')}
                </Text>
                <TlpBadge tlp={c.defaultTlp} />
              </Group>
            ))}
          </section>
        )}
        {isCommunity && settings.data?.defaultTlp && (
          <section aria-labelledby="community-default-tlp">
            <Title order={2} size="h4" mb="xs" id="community-default-tlp">
              {t('communities.defaultTlp')}
            </Title>
            <Text size="sm" c="dimmed" mb="xs">
              {t('communities.defaultTlpHelp')}
            </Text>
            {manage ? (
              <Select
                label={t('communities.defaultTlpLabel')}
                data={TLPS.filter((l) => l !== 'red' && l !== 'clear').map((l) => ({
                  value: l,
                  label: `TLP:${l.toUpperCase()}`,
                }))}
                value={settings.data.defaultTlp}
                onChange={(v) => v && v !== settings.data?.defaultTlp && saveSettings.mutate(v as Tlp)}
                disabled={saveSettings.isPending}
                allowDeselect={false}
                w={240}
              />
            ) : (
              <TlpBadge tlp={settings.data.defaultTlp} />
            )}
          </section>
        )}
        {isCommunity && (
          <section>
            <Title order={2} size="h4" mb="xs">
              {t('communities.members')}
            </Title>
            <Table withTableBorder striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('communities.organization')}</Table.Th>
                  <Table.Th>{t('communities.kind')}</Table.Th>
                  <Table.Th>{t('communities.since')}</Table.Th>
                  {manage && <Table.Th aria-label={t('actions')} />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.data?.items.map((m) => (
                  <Table.Tr key={m.orgId}>
                    <Table.Td>{m.name}</Table.Td>
                    <Table.Td>{kind(m.kind)}</Table.Td>
                    <Table.Td>{formatDate(m.createdAt)}</Table.Td>
                    {manage && (
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('remove', { name: m.name })}
                          onClick={() =>
                            window.confirm(
                              t('communities.removeConfirm', { name: m.name, org: org?.name }),
                            ) && remove.mutate(m.orgId)
                          }
                        >
                          ✕
                        </ActionIcon>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {members.data?.items.length === 0 && (
              <Text c="dimmed" size="sm" mt="xs">
                {t('communities.noMembers')}
              </Text>
            )}
            {manage && (
              <Group mt="md" align="flex-end">
                <Select
                  label={t('communities.add')}
                  placeholder={t('communities.addPlaceholder')}
                  data={candidates}
                  value={choice}
                  onChange={setChoice}
                  searchable
                  w={320}
                />
                <TextInput
                  label={t('communities.orId')}
                  placeholder="00000000-0000-…"
                  value={pasted}
                  onChange={(e) => setPasted(e.currentTarget.value.trim())}
                  w={320}
                />
                <Button
                  disabled={!choice && !pasted}
                  loading={add.isPending}
                  onClick={() => add.mutate(pasted || choice!)}
                >
                  {t('common:actions.add')}
                </Button>
              </Group>
            )}
          </section>
        )}
        {taxii.data && <TaxiiPanel overview={taxii.data} />}
      </Stack>
    </>
  );
}

function CopyUrl({ value, name }: { value: string; name: string }) {
  const { t } = useTranslation('intel');
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={copy}
          aria-label={t('communities.copyOne', { name })}
        >
          {copied ? t('communities.copied') : t('communities.copy')}
        </Button>
      )}
    </CopyButton>
  );
}

/** Where this organization's TAXII 2.1 server is, and what each of its collections serves to it. */
function TaxiiPanel({ overview }: { overview: TaxiiOverview }) {
  const { t } = useTranslation('intel');
  return (
    <section aria-labelledby="taxii-heading" data-testid="taxii-server">
      <Title order={2} size="h4" mb="xs" id="taxii-heading">
        {t('communities.taxii')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('communities.taxiiIntro')}
      </Text>
      <Stack gap={4} mb="md">
        {(
          [
            ['discovery', overview.discoveryUrl],
            ['apiRoot', overview.apiRootUrl],
          ] as const
        ).map(([key, url]) => (
          <Group key={key} gap="xs">
            <Text size="sm" fw={500} w={140}>
              {t(`communities.${key}`)}
            </Text>
            <Code>{url}</Code>
            <CopyUrl value={url} name={t(`communities.${key}`)} />
          </Group>
        ))}
        <Text size="xs" c="dimmed">
          {t('communities.maxContent', {
            size: formatNumber(Math.round(overview.maxContentLength / 1024 / 1024)),
          })}
        </Text>
      </Stack>
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('communities.collection')}</Table.Th>
            <Table.Th>{t('communities.collectionUrl')}</Table.Th>
            <Table.Th>{t('communities.access')}</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>{t('communities.objects')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {overview.collections.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {c.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {c.kind === 'all' ? t('communities.kindAll') : t('communities.kindCommunity')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Code>{c.url}</Code>
                  <CopyUrl value={c.url} name={c.title} />
                </Group>
              </Table.Td>
              <Table.Td>{c.canWrite ? t('communities.readWrite') : t('communities.readOnly')}</Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>{formatNumber(c.objects)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </section>
  );
}
