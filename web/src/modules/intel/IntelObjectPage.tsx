import { ActionIcon, Anchor, Badge, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, del, formatDate, get, post } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { ObjectJson, ObjectProperties } from './ObjectProperties';
import { RelationshipGraph } from './RelationshipGraph';
import { TechniqueUsage, techniqueIdOf } from './Techniques';
import { TlpBadge } from './TlpBadge';
import type { Community, CommunityMember, ObjectDetail } from './types';

export function IntelObjectPage() {
  const { orgId, stixId } = useParams({ strict: false }) as { orgId: string; stixId: string };
  const org = useOrg(orgId);
  const qc = useQueryClient();
  const { t } = useTranslation('intel');
  const detail = useQuery({
    queryKey: ['intel-object', orgId, stixId],
    queryFn: () => get<ObjectDetail>(`/orgs/${orgId}/intel/objects/${stixId}`),
  });
  const d = detail.data;
  const mayShare = !!d?.owned && can(org, 'data.analyze');
  const communities = useQuery({
    queryKey: ['communities-of', orgId],
    queryFn: () => get<{ items: Community[] }>(`/orgs/${orgId}/communities`),
    enabled: mayShare,
  });
  const [target, setTarget] = useState<string | null>(null);
  const members = useQuery({
    queryKey: ['share-targets', orgId, communities.data?.items.map((c) => c.id).join()],
    queryFn: async () => {
      const all: CommunityMember[] = [];
      for (const c of communities.data?.items ?? []) {
        const r = await get<{ items: CommunityMember[] }>(`/orgs/${c.id}/community-members`).catch(() => ({
          items: [],
        }));
        all.push(...r.items.filter((m) => m.orgId !== orgId));
      }
      return all;
    },
    enabled: mayShare && !!communities.data,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['intel-object', orgId, stixId] });
  const share = useMutation({
    mutationFn: (targetOrgId: string) =>
      post(`/orgs/${orgId}/intel/objects/${stixId}/shares`, { targetOrgId }),
    onSuccess: () => {
      setTarget(null);
      refresh();
    },
  });
  const unshare = useMutation({
    mutationFn: (targetOrgId: string) => del(`/orgs/${orgId}/intel/objects/${stixId}/shares/${targetOrgId}`),
    onSuccess: refresh,
  });
  const shareOptions = [
    ...(communities.data?.items ?? []).map((c) => ({
      value: c.id,
      label: t('object.communityOption', { name: c.name }),
    })),
    ...(members.data ?? []).map((m) => ({
      value: m.orgId,
      label: t('object.recipientOption', { name: m.name }),
    })),
  ].filter((o, i, all) => all.findIndex((x) => x.value === o.value) === i);

  return (
    <>
      <PageHeader
        title={(d?.object.name as string | undefined) ?? stixId}
        description={
          d && (
            <Group gap="xs" component="span">
              <TlpBadge tlp={d.tlp} />
              <Badge variant="light">{d.type}</Badge>
              {d.revoked && <Badge color="gray">{t('revoked')}</Badge>}
              <Text span size="sm" c="dimmed">
                {t('object.ownedBy', { org: d.ownerOrgName, date: formatDate(d.dateAdded) })}
              </Text>
            </Group>
          )
        }
        actions={
          <Anchor component={Link} to={`/orgs/${orgId}/intel`}>
            {t('object.back')}
          </Anchor>
        }
      />
      <ErrorAlert error={detail.error ?? share.error ?? unshare.error} />
      {d && (
        <Stack gap="xl">
          <ObjectProperties orgId={orgId} object={d.object} />
          {d.type === 'attack-pattern' && techniqueIdOf(d.object) && (
            <TechniqueUsage orgId={orgId} techniqueId={techniqueIdOf(d.object)!} />
          )}
          <RelationshipGraph
            orgId={orgId}
            stixId={stixId}
            name={(d.object.name as string | undefined) ?? stixId}
          />
          <section>
            <Title order={2} size="h4" mb="xs">
              {t('object.versions')}
            </Title>
            <Table withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('list.modified')}</Table.Th>
                  <Table.Th>TLP</Table.Th>
                  <Table.Th>{t('object.added')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.versions.map((v) => (
                  <Table.Tr key={v.version}>
                    <Table.Td>
                      <Text size="sm">
                        {v.version || t('object.unversioned')}{' '}
                        {v.revoked && <Badge color="gray">{t('revoked')}</Badge>}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <TlpBadge tlp={v.tlp} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDate(v.dateAdded)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </section>
          {d.owned && (
            <section>
              <Title order={2} size="h4" mb="xs">
                {t('object.sharedWith')}
              </Title>
              {d.shares.length === 0 && (
                <Text size="sm" c="dimmed">
                  {d.tlp === 'amber' || d.tlp === 'green'
                    ? t('object.notSharedBelow', { org: d.ownerOrgName })
                    : d.tlp === 'clear'
                      ? t('object.notSharedClear', { org: d.ownerOrgName })
                      : t('object.notShared', { org: d.ownerOrgName })}
                </Text>
              )}
              {d.shares.map((s) => (
                <Group key={s.targetOrgId} gap="xs">
                  <Text size="sm">
                    {s.targetName}{' '}
                    <Text span c="dimmed" size="xs">
                      {t(`orgs:settings.kinds.${s.targetKind}`, { defaultValue: s.targetKind })}
                    </Text>
                  </Text>
                  {mayShare && (
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('object.stopSharing', { name: s.targetName })}
                      onClick={() => unshare.mutate(s.targetOrgId)}
                    >
                      ✕
                    </ActionIcon>
                  )}
                </Group>
              ))}
              {mayShare && shareOptions.length > 0 && (
                <Group mt="sm" align="flex-end">
                  <Select
                    label={t('object.shareWith')}
                    placeholder={t('object.sharePlaceholder')}
                    data={shareOptions}
                    value={target}
                    onChange={setTarget}
                    w={360}
                  />
                  <Button
                    disabled={!target}
                    loading={share.isPending}
                    onClick={() => target && share.mutate(target)}
                  >
                    {t('object.share')}
                  </Button>
                </Group>
              )}
            </section>
          )}
          <ObjectJson object={d.object} />
        </Stack>
      )}
    </>
  );
}
