import { Alert, Anchor, Button, Checkbox, Group, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { type Incident, TLPS } from './types';

interface ShareResult {
  bundleId: string;
  community: { id: string; name: string };
  tlp: string;
  objects: number;
  shared: number;
  stripped: { observables: number; indicators: number; description: boolean };
}

/** Export the incident as a STIX bundle, or publish it to a community, choosing what stays private. */
export function SharePanel({ incident: i, canShare }: { incident: Incident; canShare: boolean }) {
  const { t } = useTranslation('incidents');
  const base = `/orgs/${i.orgId}/incidents/${i.id}`;
  // Only the incident's own marking or a stricter one.
  const levels = TLPS.slice(TLPS.indexOf(i.tlp));
  const [tlp, setTlp] = useState(i.tlp);
  const [choice, setChoice] = useState({
    description: true,
    observables: true,
    indicators: true,
    sightings: true,
  });
  const [communityId, setCommunityId] = useState<string | null>(null);
  const communities = useQuery({
    queryKey: ['communities', i.orgId],
    queryFn: () => get<{ items: { id: string; name: string }[] }>(`/orgs/${i.orgId}/communities`),
    enabled: canShare,
  });
  const publish = useMutation({
    mutationFn: () => post<ShareResult>(`${base}/share`, { communityId, tlp, ...choice }),
  });
  const query = new URLSearchParams({
    tlp,
    ...Object.fromEntries(Object.entries(choice).map(([k, v]) => [k, String(v)])),
  });
  const box = (key: keyof typeof choice) => (
    <Checkbox
      label={t(`share.include.${key}`)}
      checked={choice[key]}
      onChange={(e) => setChoice({ ...choice, [key]: e.currentTarget.checked })}
    />
  );
  return (
    <Stack>
      <Text size="sm">{t('share.intro')}</Text>
      <Select
        label={t('share.tlp')}
        data={levels.map((l) => ({ value: l, label: `TLP:${l.toUpperCase()}` }))}
        value={tlp}
        onChange={(v) => v && setTlp(v)}
        allowDeselect={false}
        w={220}
      />
      <Group>
        {box('description')}
        {box('observables')}
        {box('indicators')}
        {box('sightings')}
      </Group>
      <Group>
        <Anchor href={`/api/v1${base}/stix?${query.toString()}`} download={`incident-${i.id}.stix.json`}>
          {t('share.download')}
        </Anchor>
      </Group>
      {canShare && !i.exercise && (
        <Group align="flex-end">
          <Select
            label={t('share.community')}
            data={(communities.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={communityId}
            onChange={setCommunityId}
            w={280}
            data-testid="share-community"
          />
          <Button
            onClick={() => publish.mutate()}
            loading={publish.isPending}
            disabled={!communityId || tlp === 'red'}
          >
            {t('share.publish')}
          </Button>
        </Group>
      )}
      {canShare && tlp === 'red' && (
        <Text size="sm" c="dimmed">
          {t('share.noRed')}
        </Text>
      )}
      {i.exercise && (
        <Text size="sm" c="dimmed">
          {t('share.noExercise')}
        </Text>
      )}
      <ErrorAlert error={communities.error ?? publish.error} />
      {publish.data && (
        <Alert color="green" data-testid="share-result">
          {t('share.done', {
            community: publish.data.community.name,
            tlp: publish.data.tlp.toUpperCase(),
            objects: formatNumber(publish.data.objects),
            observables: formatNumber(publish.data.stripped.observables),
            indicators: formatNumber(publish.data.stripped.indicators),
          })}
        </Alert>
      )}
    </Stack>
  );
}
