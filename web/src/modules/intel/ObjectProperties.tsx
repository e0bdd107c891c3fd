import { Accordion, Anchor, Badge, Code, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { tlpLevelOfMarking, tlpVersionOfMarking } from '../../../../src/core/stix/tlp';
import { formatDate, get } from '../../api';
import { formatNumber } from '../../i18n';
import { TlpBadge } from './TlpBadge';
import type { ObjectDetail } from './types';

type Obj = Record<string, unknown>;

/** Properties every object may have, shown first and in this order, each with a translated label. */
const COMMON = [
  'type',
  'id',
  'spec_version',
  'created',
  'modified',
  'created_by_ref',
  'name',
  'description',
  'labels',
  'confidence',
  'lang',
  'revoked',
  'external_references',
  'kill_chain_phases',
] as const;

/** Shown in the Markings section, not among the properties. */
const MARKING_KEYS = new Set(['object_marking_refs', 'granular_markings']);

const STIX_ID = /^[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const isCustom = (key: string) => key.startsWith('x_') || key === 'extensions';

/** A link only to a web address: any other scheme (javascript:, data:, file:) is shown as text. */
export function safeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Text with its paragraphs (blank lines) and line breaks kept; rendered as text, never as HTML. */
export function Paragraphs({ text }: { text: string }) {
  const paragraphs = text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <Stack gap="xs">
      {paragraphs.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs have no identity but their position
        <Text key={i} size="sm" style={{ whiteSpace: 'pre-line' }}>
          {p}
        </Text>
      ))}
    </Stack>
  );
}

const compact = (v: unknown) => JSON.stringify(v);

/** Any property value: strings, numbers, booleans, timestamps, ids, lists of them, nested objects as JSON. */
function Value({ value }: { value: unknown }) {
  const { t } = useTranslation('intel');
  if (value === null || value === undefined) return <Text size="sm">—</Text>;
  if (typeof value === 'boolean')
    return <Text size="sm">{value ? t('properties.yes') : t('properties.no')}</Text>;
  if (typeof value === 'number') return <Text size="sm">{formatNumber(value)}</Text>;
  if (typeof value === 'string') {
    if (TIMESTAMP.test(value))
      return (
        <Text size="sm">
          <time dateTime={value} title={value}>
            {formatDate(value)}
          </time>
        </Text>
      );
    if (STIX_ID.test(value)) return <Code>{value}</Code>;
    return value.includes('\n') ? <Paragraphs text={value} /> : <Text size="sm">{value}</Text>;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <Text size="sm">—</Text>;
    if (value.every((v) => typeof v === 'string' && !STIX_ID.test(v) && v.length <= 60))
      return (
        <Group gap={4}>
          {value.map((v, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: values may repeat
            <Badge key={i} variant="light" tt="none">
              {v as string}
            </Badge>
          ))}
        </Group>
      );
    return (
      <List size="sm" spacing={2}>
        {value.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: values may repeat
          <List.Item key={i}>
            {v !== null && typeof v === 'object' ? <Code>{compact(v)}</Code> : <Value value={v} />}
          </List.Item>
        ))}
      </List>
    );
  }
  return (
    <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {compact(value)}
    </Code>
  );
}

/** The author: a link to its page, with its name, when the reader may see it; its id otherwise. */
function CreatedBy({ orgId, id }: { orgId: string; id: string }) {
  const author = useQuery({
    queryKey: ['intel-object', orgId, id],
    queryFn: () => get<ObjectDetail>(`/orgs/${orgId}/intel/objects/${id}`),
    retry: false,
  });
  if (!author.data) return <Code>{id}</Code>;
  return (
    <Anchor component={Link} to={`/orgs/${orgId}/intel/${id}`} size="sm">
      {(author.data.object.name as string | undefined) ?? id}
    </Anchor>
  );
}

function ExternalReferences({ refs }: { refs: unknown[] }) {
  const { t } = useTranslation('intel');
  return (
    <Table withTableBorder fz="sm" data-testid="external-references">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('properties.source')}</Table.Th>
          <Table.Th>{t('properties.externalId')}</Table.Th>
          <Table.Th>{t('properties.url')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {refs.map((r, i) => {
          const ref = (r ?? {}) as Obj;
          const href = safeUrl(ref.url);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: references have no id of their own
            <Table.Tr key={i}>
              <Table.Td>
                <Text size="sm">{typeof ref.source_name === 'string' ? ref.source_name : '—'}</Text>
                {typeof ref.description === 'string' && (
                  <Text size="xs" c="dimmed">
                    {ref.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{typeof ref.external_id === 'string' ? ref.external_id : '—'}</Text>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                {href ? (
                  <Anchor href={href} target="_blank" rel="noopener noreferrer" size="sm">
                    {href}
                  </Anchor>
                ) : (
                  <Text size="sm">{typeof ref.url === 'string' ? ref.url : '—'}</Text>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function KillChain({ phases }: { phases: unknown[] }) {
  return (
    <List size="sm" spacing={2}>
      {phases.map((p, i) => {
        const phase = (p ?? {}) as Obj;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: phases may repeat
          <List.Item key={i}>
            {String(phase.kill_chain_name ?? '—')}: {String(phase.phase_name ?? '—')}
          </List.Item>
        );
      })}
    </List>
  );
}

/** One property's value, with the richer forms of the common and well-known ones. */
function PropertyValue({
  orgId,
  name,
  value,
  object,
}: {
  orgId: string;
  name: string;
  value: unknown;
  object: Obj;
}) {
  const { t } = useTranslation('intel');
  if (name === 'created_by_ref' && typeof value === 'string') return <CreatedBy orgId={orgId} id={value} />;
  if (name === 'description' && typeof value === 'string') return <Paragraphs text={value} />;
  if (name === 'external_references' && Array.isArray(value)) return <ExternalReferences refs={value} />;
  if (name === 'kill_chain_phases' && Array.isArray(value)) return <KillChain phases={value} />;
  if (name === 'confidence' && typeof value === 'number')
    return <Text size="sm">{t('properties.confidenceValue', { value: formatNumber(value) })}</Text>;
  if (name === 'pattern' && typeof value === 'string')
    return (
      <Stack gap={4}>
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {value}
        </Code>
        {typeof object.pattern_type === 'string' && (
          <Text size="xs" c="dimmed">
            {t('properties.patternIn', { type: object.pattern_type })}
          </Text>
        )}
      </Stack>
    );
  return <Value value={value} />;
}

function PropertyTable({
  id,
  title,
  keys,
  object,
  orgId,
  testId,
}: {
  id: string;
  title: string;
  keys: string[];
  object: Obj;
  orgId: string;
  testId: string;
}) {
  const { t } = useTranslation('intel');
  return (
    <section aria-labelledby={id}>
      <Title order={2} size="h4" mb="xs" id={id}>
        {title}
      </Title>
      <Table withTableBorder aria-labelledby={id} data-testid={testId} layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={220}>{t('properties.property')}</Table.Th>
            <Table.Th>{t('properties.value')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => (
            <Table.Tr key={key} data-property={key}>
              <Table.Th scope="row" fw={500} style={{ verticalAlign: 'top' }}>
                {(COMMON as readonly string[]).includes(key) ? (
                  <>
                    <Text size="sm" fw={500}>
                      {t(`properties.names.${key}`)}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {key}
                    </Text>
                  </>
                ) : (
                  // A property of the type, custom or an extension: its own name is its label.
                  <Text size="sm" fw={500} ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {key}
                  </Text>
                )}
              </Table.Th>
              <Table.Td style={{ verticalAlign: 'top', overflowWrap: 'anywhere' }}>
                <PropertyValue orgId={orgId} name={key} value={object[key]} object={object} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </section>
  );
}

/** A marking reference: TLP ones (1.0 or 2.0) with their badge and name, others by id. */
function Marking({ id }: { id: string }) {
  const { t } = useTranslation('intel');
  const level = tlpLevelOfMarking(id);
  const version = tlpVersionOfMarking(id);
  if (!level || !version) return <Code>{id}</Code>;
  const name =
    version === 1 ? `TLP:${level === 'clear' ? 'WHITE' : level.toUpperCase()}` : `TLP:${level.toUpperCase()}`;
  return (
    <Group gap="xs" wrap="nowrap">
      <TlpBadge tlp={level} />
      <Text size="sm">{t(version === 1 ? 'properties.tlp1' : 'properties.tlp2', { name })}</Text>
      <Code>{id}</Code>
    </Group>
  );
}

function Markings({ object }: { object: Obj }) {
  const { t } = useTranslation('intel');
  const refs = Array.isArray(object.object_marking_refs)
    ? object.object_marking_refs.filter((r): r is string => typeof r === 'string')
    : [];
  const granular = Array.isArray(object.granular_markings)
    ? (object.granular_markings.filter((g) => g && typeof g === 'object') as Obj[])
    : [];
  return (
    <section aria-labelledby="object-markings" data-testid="object-markings">
      <Title order={2} size="h4" mb="xs" id="object-markings">
        {t('properties.markings')}
      </Title>
      {refs.length === 0 && granular.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('properties.noMarkings')}
        </Text>
      )}
      {refs.length > 0 && (
        <>
          <Title order={3} size="h6" mb={4} id="object-marking-refs">
            {t('properties.objectMarkings')}
          </Title>
          <List size="sm" spacing={4} aria-labelledby="object-marking-refs" listStyleType="none">
            {refs.map((r) => (
              <List.Item key={r}>
                <Marking id={r} />
              </List.Item>
            ))}
          </List>
        </>
      )}
      {granular.length > 0 && (
        <>
          <Title order={3} size="h6" mt="sm" mb={4} id="object-granular-markings">
            {t('properties.granularMarkings')}
          </Title>
          <Table withTableBorder aria-labelledby="object-granular-markings" data-testid="granular-markings">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('properties.marking')}</Table.Th>
                <Table.Th>{t('properties.selectors')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {granular.map((g, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: granular markings have no id of their own
                <Table.Tr key={i}>
                  <Table.Td>
                    {typeof g.marking_ref === 'string' ? (
                      <Marking id={g.marking_ref} />
                    ) : typeof g.lang === 'string' ? (
                      <Text size="sm">{t('properties.langMarking', { lang: g.lang })}</Text>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {(Array.isArray(g.selectors) ? g.selectors : []).map((s) => (
                        <Code key={String(s)}>{String(s)}</Code>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </section>
  );
}

/**
 * A STIX object as people read it: its common properties, then those of its type, then custom (`x_`) properties
 * and extensions, each in a labelled table; its markings; and the raw JSON, folded.
 */
export function ObjectProperties({ orgId, object }: { orgId: string; object: Obj }): ReactNode {
  const { t } = useTranslation('intel');
  const keys = Object.keys(object);
  const common = COMMON.filter((k) => k in object);
  const specific = keys
    .filter((k) => !(COMMON as readonly string[]).includes(k) && !MARKING_KEYS.has(k) && !isCustom(k))
    .sort();
  const custom = keys.filter(isCustom).sort();
  return (
    <Stack gap="xl">
      <PropertyTable
        id="object-properties"
        title={t('properties.title')}
        keys={[...common, ...specific]}
        object={object}
        orgId={orgId}
        testId="object-properties"
      />
      {custom.length > 0 && (
        <PropertyTable
          id="object-custom-properties"
          title={t('properties.custom')}
          keys={custom}
          object={object}
          orgId={orgId}
          testId="object-custom-properties"
        />
      )}
      <Markings object={object} />
    </Stack>
  );
}

/** The stored object as JSON, folded until asked for. */
export function ObjectJson({ object }: { object: Obj }) {
  const { t } = useTranslation('intel');
  return (
    <section aria-labelledby="object-json">
      <Title order={2} size="h4" mb="xs" id="object-json">
        {t('properties.jsonTitle')}
      </Title>
      <Accordion variant="contained">
        <Accordion.Item value="json">
          <Accordion.Control>{t('properties.showJson')}</Accordion.Control>
          <Accordion.Panel>
            <Code block data-testid="object-json">
              {JSON.stringify(object, null, 2)}
            </Code>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </section>
  );
}
