import { Button, Group, Modal, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, can, get } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';

const DECISIONS = ['Act', 'Attend', 'Track*', 'Track'] as const;
type Decision = (typeof DECISIONS)[number];
type Days = Record<Decision, number | null>;
interface Policy {
  dueDays: Days;
  source: 'own' | 'default';
}

/** The organization's due-date policy per SSVC decision; administrators change it. */
export function DuePolicyButton({ orgId }: { orgId: string }) {
  const { t } = useTranslation('vulns');
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        {t('policy.button')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('policy.title')}>
        {open && <PolicyForm orgId={orgId} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  );
}

function PolicyForm({ orgId, onDone }: { orgId: string; onDone(): void }) {
  const { t } = useTranslation('vulns');
  const qc = useQueryClient();
  const editable = can(useOrg(orgId), 'data.admin');
  const q = useQuery({
    queryKey: ['due-policy', orgId],
    queryFn: () => get<Policy>(`/orgs/${orgId}/vulns/policy`),
  });
  const [days, setDays] = useState<Days | null>(null);
  const save = useMutation({
    mutationFn: (dueDays: Days | null) => api<Policy>('PUT', `/orgs/${orgId}/vulns/policy`, { dueDays }),
    onSuccess: (p) => {
      qc.setQueryData(['due-policy', orgId], p);
      void qc.invalidateQueries({ queryKey: ['findings', orgId] });
      onDone();
    },
  });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text c="dimmed">{t('common:state.loading')}</Text>;
  const value = days ?? q.data.dueDays;
  return (
    <Stack>
      <Text size="sm">{t(`policy.source.${q.data.source}`)}</Text>
      <ErrorAlert error={save.error} />
      <SimpleGrid cols={2}>
        {DECISIONS.map((d) => (
          <NumberInput
            key={d}
            label={t('policy.days', { decision: d })}
            placeholder={t('policy.none')}
            min={0}
            max={3650}
            allowDecimal={false}
            readOnly={!editable}
            value={value[d] ?? ''}
            onChange={(x) => setDays({ ...value, [d]: x === '' ? null : Number(x) })}
          />
        ))}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('policy.help')}
      </Text>
      {editable && (
        <Group justify="space-between">
          <Button
            variant="subtle"
            color="gray"
            disabled={q.data.source === 'default'}
            onClick={() => save.mutate(null)}
          >
            {t('policy.reset')}
          </Button>
          <Button onClick={() => save.mutate(value)} loading={save.isPending}>
            {t('policy.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
