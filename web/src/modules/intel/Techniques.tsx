import { Anchor, Badge, Group, SimpleGrid, TagsInput, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';

/** An ATT&CK technique as `GET /orgs/{orgId}/intel/techniques` answers it. */
export interface Technique {
  id: string;
  name: string;
  stixId: string;
  ownerOrgId: string;
  tactics: string[];
  domain: string;
  deprecated: boolean;
}

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

/** The techniques among `ids` that the organization's intelligence knows, by id. */
export function useTechniques(orgId: string, ids: readonly string[]) {
  const wanted = [...new Set(ids.filter((id) => TECHNIQUE_ID.test(id)))].sort();
  const found = useQuery({
    queryKey: ['techniques', orgId, wanted.join(',')],
    queryFn: () => get<{ items: Technique[] }>(`/orgs/${orgId}/intel/techniques?ids=${wanted.join(',')}`),
    enabled: wanted.length > 0,
    staleTime: 60_000,
  });
  return new Map((found.data?.items ?? []).map((t) => [t.id, t]));
}

/**
 * Picks ATT&CK technique ids: suggestions come from the attack patterns the organization may see (an imported
 * ATT&CK bundle); an id typed by hand is accepted when it has the form of one (T1486, T1078.002).
 */
export function TechniqueInput({
  orgId,
  label,
  value,
  onChange,
}: {
  orgId: string;
  label: string;
  value: string[];
  onChange(ids: string[]): void;
}) {
  const { t } = useTranslation('intel');
  const [search, setSearch] = useState('');
  const [rejected, setRejected] = useState<string[]>([]);
  const q = search.trim();
  const suggestions = useQuery({
    queryKey: ['technique-search', orgId, q],
    queryFn: () =>
      get<{ items: Technique[] }>(`/orgs/${orgId}/intel/techniques?q=${encodeURIComponent(q)}&limit=20`),
    enabled: q.length >= 2,
    staleTime: 60_000,
  });
  const known = useTechniques(orgId, value);
  for (const s of suggestions.data?.items ?? []) known.set(s.id, s);
  return (
    <TagsInput
      label={label}
      description={t('techniques.hint')}
      placeholder={value.length ? undefined : t('techniques.placeholder')}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      splitChars={[',', ' ']}
      clearable
      data={(suggestions.data?.items ?? []).map((s) => s.id)}
      filter={({ options }) => options}
      renderOption={({ option }) => {
        const s = known.get(option.value);
        return (
          <Text size="sm">
            <Text span ff="monospace" fw={600}>
              {option.value}
            </Text>{' '}
            {s?.name}
          </Text>
        );
      }}
      error={rejected.length ? t('techniques.invalid', { ids: rejected.join(', ') }) : undefined}
      onChange={(next) => {
        const ids = next.flatMap((x) => x.toUpperCase().split(/[\s,]+/)).filter(Boolean);
        const bad = ids.filter((x) => !TECHNIQUE_ID.test(x));
        setRejected(bad);
        onChange([...new Set(ids.filter((x) => TECHNIQUE_ID.test(x)))]);
      }}
    />
  );
}

/** Technique ids shown with their names and tactics; a known one links to its attack pattern. */
export function TechniqueList({ orgId, ids }: { orgId: string; ids: readonly string[] }) {
  const { t } = useTranslation('intel');
  const known = useTechniques(orgId, ids);
  if (!ids.length) return null;
  return (
    <Group gap={6} data-testid="techniques">
      {ids.map((id) => {
        const k = known.get(id);
        const badge = (
          <Badge key={id} variant="light" color={k?.deprecated ? 'gray' : 'grape'} tt="none">
            {id}
            {k ? ` · ${k.name}` : ''}
          </Badge>
        );
        return k ? (
          <Tooltip
            key={id}
            label={
              k.deprecated
                ? t('techniques.deprecated')
                : t('techniques.tactics', { tactics: k.tactics.join(', ') || '—' })
            }
          >
            <Anchor
              component={Link}
              to={`/orgs/${orgId}/intel/${encodeURIComponent(k.stixId)}`}
              aria-label={t('techniques.open', { id, name: k.name })}
            >
              {badge}
            </Anchor>
          </Tooltip>
        ) : (
          <span key={id}>{badge}</span>
        );
      })}
    </Group>
  );
}

/** The ATT&CK id an attack pattern carries in its external references (T1486), if any. */
export function techniqueIdOf(object: Record<string, unknown>) {
  const refs = Array.isArray(object.external_references) ? object.external_references : [];
  for (const r of refs as { source_name?: unknown; external_id?: unknown }[]) {
    if (
      typeof r.source_name === 'string' &&
      r.source_name.startsWith('mitre') &&
      typeof r.external_id === 'string' &&
      TECHNIQUE_ID.test(r.external_id)
    )
      return r.external_id;
  }
  return undefined;
}

/** Where the organization names a technique: the risks and incidents (exercises included) that cite it. */
export function TechniqueUsage({ orgId, techniqueId }: { orgId: string; techniqueId: string }) {
  const { t } = useTranslation('intel');
  const risks = useQuery({
    queryKey: ['risks', orgId, 'technique', techniqueId],
    queryFn: () =>
      get<{ items: { id: string; title: string }[]; total: number }>(
        `/orgs/${orgId}/risks?technique=${techniqueId}&limit=50`,
      ),
  });
  const incidents = useQuery({
    queryKey: ['incidents', orgId, 'technique', techniqueId],
    queryFn: () =>
      get<{ items: { id: string; title: string; exercise: boolean }[]; total: number }>(
        `/orgs/${orgId}/incidents?technique=${techniqueId}&exercises=include&limit=50`,
      ),
  });
  return (
    <section data-testid="technique-usage">
      <Title order={2} size="h4" mb="xs">
        {t('techniques.usage', { id: techniqueId })}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <div>
          <Text fw={600} size="sm" mb={4}>
            {t('techniques.risks', { count: risks.data?.total ?? 0 })}
          </Text>
          {risks.data?.items.map((r) => (
            <Anchor
              key={r.id}
              component={Link}
              to={`/orgs/${orgId}/risks`}
              search={{ risk: r.id } as never}
              size="sm"
              display="block"
            >
              {r.title}
            </Anchor>
          ))}
        </div>
        <div>
          <Text fw={600} size="sm" mb={4}>
            {t('techniques.incidents', { count: incidents.data?.total ?? 0 })}
          </Text>
          {incidents.data?.items.map((i) => (
            <Anchor
              key={i.id}
              component={Link}
              to={`/orgs/${orgId}/incidents/${i.id}`}
              size="sm"
              display="block"
            >
              {i.title}
              {i.exercise ? ` (${t('techniques.exercise')})` : ''}
            </Anchor>
          ))}
        </div>
      </SimpleGrid>
    </section>
  );
}
