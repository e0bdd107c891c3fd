import {
  Anchor,
  Badge,
  Grid,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import cytoscape, { type Core } from 'cytoscape';
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { TlpBadge } from './TlpBadge';
import type { Graph } from './types';

type Shape =
  | 'ellipse'
  | 'hexagon'
  | 'diamond'
  | 'triangle'
  | 'star'
  | 'pentagon'
  | 'octagon'
  | 'round-rectangle'
  | 'rectangle'
  | 'vee'
  | 'rhomboid'
  | 'tag';

/** How each STIX type is drawn: a colour and a shape, so types differ by more than colour alone. */
const STYLES: Record<string, { colour: string; shape: Shape }> = {
  'intrusion-set': { colour: '#c92a2a', shape: 'hexagon' },
  'threat-actor': { colour: '#a61e4d', shape: 'star' },
  campaign: { colour: '#d6336c', shape: 'pentagon' },
  malware: { colour: '#6741d9', shape: 'diamond' },
  tool: { colour: '#1971c2', shape: 'round-rectangle' },
  'attack-pattern': { colour: '#e8590c', shape: 'triangle' },
  indicator: { colour: '#2b8a3e', shape: 'ellipse' },
  vulnerability: { colour: '#f08c00', shape: 'octagon' },
  infrastructure: { colour: '#0c8599', shape: 'rectangle' },
  identity: { colour: '#495057', shape: 'round-rectangle' },
  location: { colour: '#5c940d', shape: 'vee' },
  'course-of-action': { colour: '#087f5b', shape: 'tag' },
  'observed-data': { colour: '#1098ad', shape: 'rhomboid' },
  report: { colour: '#868e96', shape: 'rectangle' },
};
const OTHER = { colour: '#adb5bd', shape: 'ellipse' as Shape };
const styleOf = (type: string) => STYLES[type] ?? OTHER;

/** The same shapes for the legend, drawn with CSS. */
const CLIPS: Partial<Record<Shape, string>> = {
  hexagon: 'polygon(25% 0, 75% 0, 100% 50%, 75% 100%, 25% 100%, 0 50%)',
  diamond: 'polygon(50% 0, 100% 50%, 50% 100%, 0 50%)',
  triangle: 'polygon(50% 0, 100% 100%, 0 100%)',
  star: 'polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%)',
  pentagon: 'polygon(50% 0, 100% 38%, 82% 100%, 18% 100%, 0 38%)',
  octagon: 'polygon(30% 0, 70% 0, 100% 30%, 100% 70%, 70% 100%, 30% 100%, 0 70%, 0 30%)',
  vee: 'polygon(0 0, 50% 40%, 100% 0, 50% 100%)',
  rhomboid: 'polygon(25% 0, 100% 0, 75% 100%, 0 100%)',
  tag: 'polygon(0 0, 75% 0, 100% 50%, 75% 100%, 0 100%)',
};

function Swatch({ type }: { type: string }) {
  const { colour, shape } = styleOf(type);
  const style: CSSProperties = {
    display: 'inline-block',
    width: 14,
    height: 14,
    background: colour,
    clipPath: CLIPS[shape],
    borderRadius: shape === 'ellipse' ? '50%' : shape === 'round-rectangle' ? 3 : 0,
  };
  return <span aria-hidden="true" style={style} />;
}

const short = (id: string) => (id.length > 24 ? `${id.slice(0, 22)}…` : id);

/**
 * Everything within one to three hops of an object over the relationships and embedded references (a report's
 * contents, what a sighting saw and where) the reader may see,
 * drawn with cytoscape, with the same nodes and links as tables for keyboard and screen-reader users.
 */
export function RelationshipGraph({ orgId, stixId, name }: { orgId: string; stixId: string; name: string }) {
  const { t } = useTranslation('intel');
  const navigate = useNavigate();
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const [depth, setDepth] = useState('1');
  const [pointed, setPointed] = useState<string | null>(null);
  const graph = useQuery({
    queryKey: ['intel-graph', orgId, stixId, depth],
    queryFn: () => get<Graph>(`/orgs/${orgId}/intel/objects/${stixId}/graph?depth=${depth}`),
  });
  const data = graph.data;

  useEffect(() => {
    if (!data || !box.current) return;
    const known = new Set(data.nodes.map((n) => n.id));
    const instance = cytoscape({
      container: box.current,
      elements: [
        ...data.nodes.map((n) => ({
          data: {
            id: n.id,
            label: n.name || short(n.id),
            type: n.type,
            hops: n.hops,
            colour: styleOf(n.type).colour,
            shape: styleOf(n.type).shape,
          },
          classes: n.id === data.root ? 'root' : '',
        })),
        // A link whose far end the reader may not see is listed in the table but not drawn.
        ...data.edges
          .filter((e) => known.has(e.source) && known.has(e.target))
          .map((e) => ({
            data: { id: e.id, source: e.source, target: e.target, label: e.relationshipType ?? e.type },
          })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 10,
            'text-wrap': 'wrap',
            'text-max-width': '110px',
            'text-valign': 'bottom',
            'text-margin-y': 4,
            'background-color': 'data(colour)',
            shape: 'data(shape)' as never,
            width: 28,
            height: 28,
          },
        },
        {
          selector: 'edge',
          style: {
            width: 1.5,
            label: 'data(label)',
            'font-size': 8,
            color: '#495057',
            'text-rotation': 'autorotate',
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.85,
            'text-background-padding': '1px',
            'curve-style': 'bezier',
            'target-arrow-shape': 'triangle',
            'line-color': '#adb5bd',
            'target-arrow-color': '#adb5bd',
          },
        },
        { selector: '.root', style: { 'border-width': 4, 'border-color': '#000000' } },
        { selector: '.pointed', style: { 'border-width': 3, 'border-color': '#1c7ed6' } },
      ],
      // A graph of two or three nodes is not blown up to fill the box.
      maxZoom: 1.4,
      minZoom: 0.2,
      layout: {
        name: 'concentric',
        concentric: (n: cytoscape.NodeSingular) => 10 - Number(n.data('hops')),
        levelWidth: () => 1,
        minNodeSpacing: 40,
        avoidOverlap: true,
      },
    });
    instance.on('mouseover', 'node', (evt) => setPointed(evt.target.id()));
    // A click on another object opens its page; on this one, it shows its details.
    instance.on('tap', 'node', (evt) => {
      const id = evt.target.id() as string;
      if (id === data.root) setPointed(id);
      else navigate({ to: `/orgs/${orgId}/intel/${id}` });
    });
    cy.current = instance;
    return () => {
      cy.current = null;
      instance.destroy();
    };
  }, [data, navigate, orgId]);

  useEffect(() => {
    const c = cy.current;
    if (!c) return;
    c.nodes().removeClass('pointed');
    if (pointed) c.getElementById(pointed).addClass('pointed');
  }, [pointed]);

  const nodes = data?.nodes ?? [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const detail = pointed ? byId.get(pointed) : undefined;
  const types = [...new Set(nodes.map((n) => n.type))].sort();
  const link = (id: string) => (
    <Anchor component={Link} to={`/orgs/${orgId}/intel/${id}`} size="sm">
      {byId.get(id)?.name || id}
    </Anchor>
  );

  return (
    <section aria-labelledby="relationships-graph">
      <Group justify="space-between" align="flex-end" mb="xs">
        <Title order={2} size="h4" id="relationships-graph">
          {t('object.graph')}
        </Title>
        <Stack gap={2}>
          <Text size="sm" id="graph-depth" fw={500}>
            {t('object.depth')}
          </Text>
          <SegmentedControl
            aria-labelledby="graph-depth"
            size="xs"
            value={depth}
            onChange={(v) => {
              setPointed(null);
              setDepth(v);
            }}
            data={['1', '2', '3'].map((d) => ({ value: d, label: t('object.hops', { count: Number(d) }) }))}
          />
        </Stack>
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        {t('object.graphHelp')}
      </Text>
      <ErrorAlert error={graph.error} />
      {data && data.edges.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('object.noRelationships')}
        </Text>
      ) : (
        <>
          <Grid>
            <Grid.Col span={{ base: 12, md: 9 }}>
              <Paper withBorder>
                <div
                  ref={box}
                  data-testid="intel-graph"
                  data-nodes={nodes.length}
                  data-edges={data?.edges.length ?? 0}
                  role="img"
                  aria-label={t('object.graphLabel', {
                    name,
                    nodes: formatNumber(nodes.length),
                    edges: formatNumber(data?.edges.length ?? 0),
                  })}
                  style={{ height: 480 }}
                />
              </Paper>
              {data?.truncated && (
                <Text size="sm" c="orange" mt="xs">
                  {t('object.truncated')}
                </Text>
              )}
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 3 }}>
              <Stack gap="md">
                {detail && (
                  <Paper withBorder p="sm" data-testid="graph-node-details">
                    <Text size="xs" c="dimmed">
                      {t('object.selected')}
                    </Text>
                    <Text fw={500} size="sm" style={{ wordBreak: 'break-word' }}>
                      {detail.name || detail.id}
                    </Text>
                    <Group gap={4} mt={4}>
                      <TlpBadge tlp={detail.tlp} />
                      <Badge variant="light">{detail.type}</Badge>
                    </Group>
                    <Text size="xs" mt={4}>
                      {t('object.hops', { count: detail.hops })}
                    </Text>
                    {detail.id !== stixId && (
                      <Anchor component={Link} to={`/orgs/${orgId}/intel/${detail.id}`} size="sm">
                        {t('object.open', { name: detail.name || detail.id })}
                      </Anchor>
                    )}
                  </Paper>
                )}
                <div>
                  <Title order={3} size="h6" mb={4}>
                    {t('object.legend')}
                  </Title>
                  <Stack gap={4}>
                    {types.map((type) => (
                      <Group key={type} gap="xs" wrap="nowrap">
                        <Swatch type={type} />
                        <Text size="xs">{type}</Text>
                      </Group>
                    ))}
                  </Stack>
                </div>
              </Stack>
            </Grid.Col>
          </Grid>
          <Title order={3} size="h5" mt="md" mb="xs">
            {t('object.nodesTable')}
          </Title>
          <Table withTableBorder data-testid="graph-nodes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('list.name')}</Table.Th>
                <Table.Th>{t('list.type')}</Table.Th>
                <Table.Th>TLP</Table.Th>
                <Table.Th>{t('object.hopsColumn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {nodes.map((n) => (
                <Table.Tr key={n.id}>
                  <Table.Td>
                    {n.id === stixId ? (
                      <Text size="sm">
                        {n.name || n.id} {t('object.thisObject')}
                      </Text>
                    ) : (
                      link(n.id)
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Swatch type={n.type} />
                      <Text size="sm">{n.type}</Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <TlpBadge tlp={n.tlp} />
                  </Table.Td>
                  <Table.Td>{formatNumber(n.hops)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={3} size="h5" mt="md" mb="xs">
            {t('object.edgesTable')}
          </Title>
          <Table withTableBorder data-testid="graph-edges">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('object.source')}</Table.Th>
                <Table.Th>{t('object.relationship')}</Table.Th>
                <Table.Th>{t('object.target')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(data?.edges ?? []).map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{link(e.source)}</Table.Td>
                  <Table.Td>
                    {e.type === 'embedded' ? (
                      // A reference inside the source object: no object of its own to open.
                      <Text size="sm" c="dimmed" ff="monospace">
                        {e.relationshipType}
                      </Text>
                    ) : (
                      <Anchor component={Link} to={`/orgs/${orgId}/intel/${e.id}`} size="sm" c="dimmed">
                        {e.relationshipType ?? e.type}
                      </Anchor>
                    )}
                  </Table.Td>
                  <Table.Td>{link(e.target)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </section>
  );
}
