import { Alert, Button, Group, List, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, can, get } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';

export interface SectorList {
  sectors: string[];
  source: 'default' | 'own' | 'inherited';
  fromOrgId: string | null;
  unlisted: { sector: string; services: number }[];
}

function useSectors(orgId: string) {
  return useQuery({
    queryKey: ['sectors', orgId],
    queryFn: () => get<SectorList>(`/orgs/${orgId}/assets/sectors`),
  });
}

/** The sector of a service, chosen from the organization's list (a value no longer listed stays shown). */
export function SectorSelect({
  orgId,
  value,
  onChange,
}: {
  orgId: string;
  value: string;
  onChange(value: string): void;
}) {
  const { t } = useTranslation('sectors');
  const q = useSectors(orgId);
  const options = q.data?.sectors ?? [];
  const data = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <Select
      label={t('field')}
      data={data}
      value={value || null}
      onChange={(x) => onChange(x ?? '')}
      searchable
      clearable
      nothingFoundMessage={t('noMatch')}
    />
  );
}

/** Shows the organization's sector list and lets an administrator replace it. */
export function SectorsButton({ orgId }: { orgId: string }) {
  const { t } = useTranslation('sectors');
  const org = useOrg(orgId);
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        {t('button')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('title')} size="lg">
        {open && (
          <SectorsEditor orgId={orgId} editable={can(org, 'data.admin')} onDone={() => setOpen(false)} />
        )}
      </Modal>
    </>
  );
}

function SectorsEditor({ orgId, editable, onDone }: { orgId: string; editable: boolean; onDone(): void }) {
  const { t } = useTranslation('sectors');
  const qc = useQueryClient();
  const q = useSectors(orgId);
  const [text, setText] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (sectors: string[] | null) =>
      api<SectorList>('PUT', `/orgs/${orgId}/assets/sectors`, { sectors }),
    onSuccess: (data) => {
      qc.setQueryData(['sectors', orgId], data);
      setText(null);
      onDone();
    },
  });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text c="dimmed">{t('common:state.loading')}</Text>;
  const list = q.data;
  const value = text ?? list.sectors.join('\n');
  const lines = value
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  return (
    <Stack>
      <Text size="sm">{t(`source.${list.source}`)}</Text>
      {list.unlisted.length > 0 && (
        <Alert color="yellow" variant="light" title={t('unlistedTitle')}>
          <List size="sm">
            {list.unlisted.map((u) => (
              <List.Item key={u.sector}>
                {t('unlistedItem', { sector: u.sector, count: u.services, n: formatNumber(u.services) })}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <ErrorAlert error={save.error} />
      <Textarea
        label={t('listLabel')}
        description={t('listHelp')}
        autosize
        minRows={8}
        maxRows={20}
        value={value}
        readOnly={!editable}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      {editable && (
        <Group justify="space-between">
          <Button
            variant="subtle"
            color="gray"
            disabled={list.source !== 'own'}
            loading={save.isPending && save.variables === null}
            onClick={() => save.mutate(null)}
          >
            {t('reset')}
          </Button>
          <Button onClick={() => save.mutate(lines)} loading={save.isPending && save.variables !== null}>
            {t('save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
