import { Badge, Button, Card, Group, MultiSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page, patch } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';
import type { Incident, IncidentImpact } from './types';

interface Named {
  id: string;
  name: string;
}

/** The incident's affected services and systems from the city model, and the cascade: who else stops. */
export function ImpactPanel({
  incident: i,
  writable,
  onSaved,
}: {
  incident: Incident;
  writable: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation('incidents');
  const qc = useQueryClient();
  const base = `/orgs/${i.orgId}/incidents/${i.id}`;
  const impact = useQuery({
    queryKey: ['incident', i.id, 'impact'],
    queryFn: () => get<IncidentImpact>(`${base}/impact`),
  });
  const [editing, setEditing] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  useEffect(() => setPicked(i.affected.map((a) => `${a.kind}:${a.ref}`)), [i.affected]);
  const model = useQuery({
    queryKey: ['assets-model', i.orgId],
    enabled: editing,
    queryFn: async () => {
      const [services, systems] = await Promise.all([
        get<Page<Named>>(`/orgs/${i.orgId}/assets/services?limit=500`),
        get<Page<Named>>(`/orgs/${i.orgId}/assets/systems?limit=500`),
      ]);
      return { services: services.items, systems: systems.items };
    },
  });
  const save = useMutation({
    mutationFn: () =>
      patch(base, {
        affected: picked.map((v) => {
          const [kind, ref] = v.split(':') as [string, string];
          return { kind, ref };
        }),
      }),
    onSuccess: () => {
      setEditing(false);
      qc.invalidateQueries({ queryKey: ['incident', i.id] });
      onSaved();
    },
  });
  const applyHints = useMutation({
    mutationFn: () => {
      const h = impact.data?.severityHints;
      const input = Object.fromEntries(
        (i.severity?.explanation.contributions ?? []).map((c) => [c.factor, c.input]),
      );
      return patch(base, {
        severity: {
          functionalImpact: input.functionalImpact,
          informationImpact: input.informationImpact,
          recoverability: input.recoverability,
          locationLevel: input.locationOfActivity,
          crossSectorDependency: h?.crossSectorDependency,
          populationAffected: h?.populationAffected,
        },
      });
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['incident', i.id] });
      onSaved();
    },
  });
  const d = impact.data;
  const options = model.data
    ? [
        {
          group: t('impact.services'),
          items: model.data.services.map((s) => ({ value: `service:${s.id}`, label: s.name })),
        },
        {
          group: t('impact.systems'),
          items: model.data.systems.map((s) => ({ value: `system:${s.id}`, label: s.name })),
        },
      ]
    : [];
  return (
    <Card withBorder mb="md" data-testid="impact">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('impact.title')}
        </Title>
        {writable && !editing && (
          <Button size="compact-sm" variant="light" onClick={() => setEditing(true)}>
            {t('impact.edit')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={impact.error ?? save.error ?? applyHints.error ?? model.error} />
      {editing ? (
        <Stack>
          <MultiSelect
            label={t('impact.pick')}
            data={options}
            value={picked}
            onChange={setPicked}
            searchable
            comboboxProps={{ withinPortal: true }}
          />
          <Group>
            <Button onClick={() => save.mutate()} loading={save.isPending}>
              {t('impact.save')}
            </Button>
            <Button variant="default" onClick={() => setEditing(false)}>
              {t('impact.cancel')}
            </Button>
          </Group>
        </Stack>
      ) : !d || d.affected.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('impact.none')}
        </Text>
      ) : (
        <>
          <Group gap="xs" mb="sm">
            {d.affected.map((a) => (
              <Badge key={a.ref} variant="light" color={a.inModel ? 'blue' : 'gray'}>
                {t(a.kind === 'service' ? 'impact.service' : 'impact.system', { name: a.name })}
                {a.inModel ? '' : ` · ${t('impact.notInModel')}`}
              </Badge>
            ))}
          </Group>
          <Text size="sm" data-testid="impact-summary">
            {t('impact.summary', {
              services: formatNumber(d.cascade.services.length),
              population: formatNumber(d.cascade.largestPopulation),
            })}
          </Text>
          {d.alsoStopped.length > 0 ? (
            <Table mt="sm" data-testid="also-stopped">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('impact.alsoStopped')}</Table.Th>
                  <Table.Th>{t('impact.sector')}</Table.Th>
                  <Table.Th>{t('impact.population')}</Table.Th>
                  <Table.Th>{t('impact.after')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.cascade.services
                  .filter((s) => d.alsoStopped.some((x) => x.id === s.id))
                  .map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>
                        {s.name}
                        {s.lifeSafetyImpact && (
                          <Badge ml="xs" size="xs" color="red">
                            {t('impact.lifeSafety')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>{s.sector ?? '—'}</Table.Td>
                      <Table.Td>{formatNumber(s.population)}</Table.Td>
                      <Table.Td>{t('impact.hours', { hours: formatNumber(s.timeToImpactHours) })}</Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text size="sm" mt="xs">
              {t('impact.noneElse')}
            </Text>
          )}
          <Text size="sm" mt="sm" c="dimmed">
            {t('impact.hints', {
              population: formatNumber(d.severityHints.populationAffected),
              crossSector: t(`impact.crossSector.${d.severityHints.crossSectorDependency}`),
              sectors: d.severityHints.sectors.join(', ') || '—',
            })}
          </Text>
          {writable && i.severity && (
            <Button
              mt="xs"
              size="compact-sm"
              variant="light"
              onClick={() => applyHints.mutate()}
              loading={applyHints.isPending}
            >
              {t('impact.applyHints')}
            </Button>
          )}
        </>
      )}
    </Card>
  );
}
