import { Alert, Anchor, Badge, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { type Technique, TechniqueList } from './Techniques';

interface Coverage {
  items: { id: string; technique: Technique | null; risks: number; incidents: number; exercises: number }[];
  unanticipated: string[];
}

/** ATT&CK's tactics in the order of its matrices (Enterprise, then those only ICS has). */
const TACTICS = [
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'evasion',
  'inhibit-response-function',
  'impair-process-control',
  'impact',
];
const UNKNOWN = '';

const tacticRank = (t: string) => {
  const i = TACTICS.indexOf(t);
  return t === UNKNOWN ? TACTICS.length + 1 : i < 0 ? TACTICS.length : i;
};

/**
 * The techniques the city's risks, incidents and exercises name, by ATT&CK tactic: where the register already
 * thinks about an attacker's step, where incidents have shown one, and which incident techniques no risk names.
 */
export function AttackCoveragePage() {
  const { t } = useTranslation('intel');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const coverage = useQuery({
    queryKey: ['technique-coverage', orgId],
    queryFn: () => get<Coverage>(`/orgs/${orgId}/intel/technique-coverage`),
  });
  const byTactic = new Map<string, Coverage['items']>();
  for (const item of coverage.data?.items ?? []) {
    const tactics = item.technique?.tactics.length ? item.technique.tactics : [UNKNOWN];
    for (const tactic of tactics) byTactic.set(tactic, [...(byTactic.get(tactic) ?? []), item]);
  }
  const groups = [...byTactic.entries()].sort(
    ([a], [b]) => tacticRank(a) - tacticRank(b) || a.localeCompare(b),
  );
  const count = (n: number) => (n ? formatNumber(n) : '—');
  return (
    <>
      <PageHeader title={t('coverage.title')} description={t('coverage.description')} />
      <ErrorAlert error={coverage.error} />
      {!!coverage.data?.unanticipated.length && (
        <Alert color="orange" title={t('coverage.unanticipated')} mb="md" data-testid="unanticipated">
          <Text size="sm" mb="xs">
            {t('coverage.unanticipatedHelp')}
          </Text>
          <TechniqueList orgId={orgId} ids={coverage.data.unanticipated} />
        </Alert>
      )}
      {coverage.data && !coverage.data.items.length && <Text c="dimmed">{t('coverage.none')}</Text>}
      {groups.length > 0 && (
        <Table withTableBorder data-testid="coverage">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('coverage.technique')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('coverage.risks')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('coverage.incidents')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('coverage.exercises')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          {groups.map(([tactic, items]) => (
            <Table.Tbody key={tactic || 'unknown'}>
              <Table.Tr>
                <Table.Th colSpan={4} scope="colgroup">
                  <Title order={2} size="h5">
                    {tactic ? tactic.replaceAll('-', ' ') : t('coverage.notImported')}
                  </Title>
                </Table.Th>
              </Table.Tr>
              {items.map((i) => (
                <Table.Tr key={`${tactic}/${i.id}`}>
                  <Table.Td>
                    <Text span ff="monospace" fw={600} mr="xs">
                      {i.id}
                    </Text>{' '}
                    {i.technique ? (
                      <Anchor
                        component={Link}
                        to={`/orgs/${orgId}/intel/${encodeURIComponent(i.technique.stixId)}`}
                      >
                        {i.technique.name}
                      </Anchor>
                    ) : null}
                    {i.incidents > 0 && i.risks === 0 && (
                      <Badge color="orange" variant="light" ml="xs">
                        {t('coverage.noRisk')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{count(i.risks)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{count(i.incidents)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{count(i.exercises)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          ))}
        </Table>
      )}
    </>
  );
}
