import { Badge, Grid, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import cytoscape, { type Core } from 'cytoscape';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';

interface GraphData {
  nodes: { id: string; kind: 'service' | 'system' | 'provider'; name: string }[];
  edges: { id: string; from: string; to: string; type: string; redundancyGroup: string | null }[];
  cycles: string[][];
}

interface Impact {
  initial: { id: string; kind: string; name: string }[];
  services: {
    id: string;
    name: string;
    population: number;
    timeToImpactHours: number;
    rtoBreachHours: number | null;
    lifeSafetyImpact: boolean;
    cause: { viaName?: string; redundancyGroup?: string } | null;
  }[];
  impacted: { id: string }[];
  populationAffected: number;
  counts: { service: number; system: number; provider: number };
}

const COLOURS = { service: '#1971c2', system: '#495057', provider: '#e8590c' };
const hours = (t: TFunction<'assets'>, h: number) =>
  h < 1
    ? t('graph.minutes', { n: formatNumber(Math.round(h * 60)) })
    : t('graph.hours', { n: formatNumber(h, { maximumFractionDigits: 1 }) });

export function GraphPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const { t } = useTranslation('assets');
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const graph = useQuery({
    queryKey: ['assets', 'graph', orgId],
    queryFn: () => get<GraphData>(`/orgs/${orgId}/assets/graph`),
  });
  const impact = useQuery({
    queryKey: ['assets', 'impact', orgId, selected],
    queryFn: () => get<Impact>(`/orgs/${orgId}/assets/impact?nodes=${selected}`),
    enabled: !!selected,
  });

  useEffect(() => {
    if (!graph.data || !box.current) return;
    const instance = cytoscape({
      container: box.current,
      elements: [
        ...graph.data.nodes.map((n) => ({ data: { id: n.id, label: n.name, kind: n.kind } })),
        ...graph.data.edges.map((e) => ({
          data: {
            id: e.id,
            source: e.from,
            target: e.to,
            label: t(`graph.edgeTypes.${e.type}`, { defaultValue: e.type }),
            redundant: e.redundancyGroup ? 1 : 0,
          },
        })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 9,
            'text-wrap': 'wrap',
            'text-max-width': '90px',
            'text-valign': 'bottom',
            'text-margin-y': 3,
            'background-color': (n: cytoscape.NodeSingular) =>
              COLOURS[n.data('kind') as keyof typeof COLOURS],
            shape: (n: cytoscape.NodeSingular) =>
              n.data('kind') === 'service'
                ? 'round-rectangle'
                : n.data('kind') === 'provider'
                  ? 'diamond'
                  : 'ellipse',
          },
        },
        {
          selector: 'edge',
          style: {
            width: 1.5,
            'curve-style': 'bezier',
            'target-arrow-shape': 'triangle',
            'line-style': (e: cytoscape.EdgeSingular) => (e.data('redundant') ? 'dashed' : 'solid'),
            'line-color': '#adb5bd',
            'target-arrow-color': '#adb5bd',
          },
        },
        {
          selector: '.failed',
          style: { 'background-color': '#e03131', 'border-width': 3, 'border-color': '#c92a2a' },
        },
        { selector: '.origin', style: { 'border-width': 5, 'border-color': '#000' } },
        { selector: '.dim', style: { opacity: 0.25 } },
      ],
      layout: { name: 'breadthfirst', directed: true, spacingFactor: 1.75, avoidOverlap: true },
    });
    instance.on('tap', 'node', (evt) => setSelected(evt.target.id()));
    instance.on('tap', (evt) => {
      if (evt.target === instance) setSelected(null);
    });
    cy.current = instance;
    return () => instance.destroy();
  }, [graph.data, t]);

  useEffect(() => {
    const c = cy.current;
    if (!c) return;
    c.elements().removeClass('failed origin dim');
    if (!selected || !impact.data) return;
    const failed = new Set(impact.data.impacted.map((n) => n.id));
    c.nodes().forEach((n) => {
      if (failed.has(n.id())) n.addClass('failed');
      else n.addClass('dim');
    });
    c.getElementById(selected).addClass('origin');
  }, [selected, impact.data]);

  const origin = graph.data?.nodes.find((n) => n.id === selected);
  return (
    <>
      <PageHeader title={t('graph.title')} description={t('graph.description')} />
      <ErrorAlert error={graph.error ?? impact.error} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder>
            <div ref={box} data-testid="dependency-graph" style={{ height: 620 }} />
          </Paper>
          {graph.data && graph.data.cycles.length > 0 && (
            <Text size="sm" c="dimmed" mt="xs">
              {t('graph.cycles', {
                count: graph.data.cycles.length,
                n: formatNumber(graph.data.cycles.length),
              })}
            </Text>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="md" data-testid="impact-panel">
            <Title order={2} size="h4" mb="sm">
              {t('graph.impact')}
            </Title>
            {!origin && <Text c="dimmed">{t('graph.selectNode')}</Text>}
            {origin && impact.data && (
              <Stack gap="xs">
                <Text>
                  <Trans
                    t={t}
                    i18nKey="graph.summary"
                    values={{
                      name: origin.name,
                      services: t('graph.servicesStop', {
                        count: impact.data.counts.service,
                        n: formatNumber(impact.data.counts.service),
                      }),
                      systems: t('graph.systemsAffected', {
                        count: impact.data.counts.system,
                        n: formatNumber(impact.data.counts.system),
                      }),
                      residents: formatNumber(impact.data.populationAffected),
                    }}
                    components={{ b: <b />, residents: <b data-testid="residents-affected" /> }}
                  />
                </Text>
                <Table fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('graph.service')}</Table.Th>
                      <Table.Th>{t('graph.stopsAfter')}</Table.Th>
                      <Table.Th>{t('graph.rtoBreached')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {impact.data.services.map((s) => (
                      <Table.Tr key={s.id}>
                        <Table.Td>
                          {s.name}{' '}
                          {s.lifeSafetyImpact && (
                            <Badge color="red" size="xs">
                              {t('services.lifeSafety')}
                            </Badge>
                          )}
                          <Text size="xs" c="dimmed">
                            {t('graph.residents', { count: s.population, n: formatNumber(s.population) })}
                            {s.cause?.viaName ? ` · ${t('graph.via', { name: s.cause.viaName })}` : ''}
                          </Text>
                        </Table.Td>
                        <Table.Td>{hours(t, s.timeToImpactHours)}</Table.Td>
                        <Table.Td>
                          {s.rtoBreachHours === null ? t('graph.noRto') : hours(t, s.rtoBreachHours)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {impact.data.services.length === 0 && <Text c="dimmed">{t('graph.noneStops')}</Text>}
              </Stack>
            )}
          </Paper>
        </Grid.Col>
      </Grid>
    </>
  );
}
