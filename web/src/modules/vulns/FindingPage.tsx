import {
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { can, formatDate, get, patch } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { confidenceLabel, type Finding, FindingBadges, STATUSES, statusLabel } from './FindingsPage';

interface Derived {
  value: string;
  reason: string;
}
interface BoundTrace {
  bound: string;
  value: string;
  version: string | null;
  satisfied: boolean | null;
  reason?: string;
}
interface CriterionTrace {
  node: number;
  cpeMatch: number;
  criteria: string;
  vulnerable: boolean;
  role: 'system' | 'platform';
  matchedCpe: string | null;
  result: string;
  relations: Record<string, string>;
  versionBounds: BoundTrace[];
  assumptions: string[];
  notes: string[];
}
interface AdvisoryHit {
  advisory: { id: string; trackingId: string; version: string; publisher: string; title: string };
  productId: string;
  productName: string;
  confidence: string;
  reasons: string[];
  status: 'affected' | 'not_affected' | 'fixed';
  justification?: string;
  remediations: { category: string; details: string; url?: string }[];
}
interface FindingDetail extends Finding {
  trace: {
    /** 'csaf' when only advisories name the CVE for this system; NVD traces before advisories had none. */
    source?: 'nvd' | 'csaf';
    advisories?: AdvisoryHit[];
    system: { cpe: string | null; vendor: string | null; product: string | null; version: string | null };
    confidence: string;
    configurationIndex: number;
    witness: CriterionTrace;
    trace: {
      operator: string;
      negate: boolean;
      criteria: CriterionTrace[];
      nodes: { node: number; operator: string; negate: boolean; result: string }[];
    };
    alsoMatched: { configuration: number; confidence: string }[];
    /** The current CVE record no longer gives this match: only the criterion that matched then is known. */
    recordChanged?: boolean;
  };
  ssvcInputs: {
    exploitation: Derived;
    automatable: Derived;
    technicalImpact: Derived;
    missionWellbeing: Derived & { service: { id: string; name: string } | null };
    table: string;
  };
  kev: {
    name: string;
    dateAdded: string;
    dueDate: string;
    requiredAction: string;
    ransomwareUse: string;
    catalogVersion: string;
  } | null;
}

const BOUND_TEXT: Record<string, string> = {
  versionStartIncluding: '≥',
  versionStartExcluding: '>',
  versionEndIncluding: '≤',
  versionEndExcluding: '<',
};

/** What the vendors' CSAF advisories say about this CVE on this system: product, status, reasons and fixes. */
function Advisories({ hits }: { hits: AdvisoryHit[] }) {
  const { t } = useTranslation('vulns');
  return (
    <Card withBorder mb="lg" data-testid="advisories">
      <Title order={2} size="h4" mb="xs">
        {t('advisories.title')}
      </Title>
      <Table withTableBorder fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('advisories.advisory')}</Table.Th>
            <Table.Th>{t('advisories.product')}</Table.Th>
            <Table.Th>{t('advisories.status')}</Table.Th>
            <Table.Th>{t('advisories.why')}</Table.Th>
            <Table.Th>{t('advisories.fixes')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {hits.map((h) => (
            <Table.Tr key={`${h.advisory.id}-${h.productId}`}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {h.advisory.trackingId}
                </Text>
                <Text size="xs" c="dimmed">
                  {h.advisory.publisher} · {h.advisory.title}
                </Text>
              </Table.Td>
              <Table.Td>{h.productName}</Table.Td>
              <Table.Td>
                <Badge
                  variant="light"
                  color={h.status === 'affected' ? 'red' : 'green'}
                  title={h.justification?.replaceAll('_', ' ')}
                >
                  {t(`advisories.statuses.${h.status}`)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {confidenceLabel(t, h.confidence)}
                </Text>
              </Table.Td>
              <Table.Td>
                {h.reasons.map((r) => (
                  <Text key={r} size="xs">
                    {r}
                  </Text>
                ))}
              </Table.Td>
              <Table.Td>
                {h.remediations.length === 0
                  ? '—'
                  : h.remediations.map((r) => (
                      <Text key={`${r.category}-${r.details}`} size="xs">
                        <b>{t(`advisories.remediation.${r.category}`, { defaultValue: r.category })}:</b>{' '}
                        {r.url ? (
                          <Anchor href={r.url} target="_blank" rel="noreferrer" size="xs">
                            {r.details}
                          </Anchor>
                        ) : (
                          r.details
                        )}
                      </Text>
                    ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Why({ d }: { d: FindingDetail }) {
  const { t } = useTranslation('vulns');
  const tr = d.trace;
  if (tr.source === 'csaf') {
    return (
      <>
        <Text size="sm" mb="xs" data-testid="trace">
          {t('advisories.only', { system: d.systemName, cve: d.cveId })}
        </Text>
        <Advisories hits={tr.advisories ?? []} />
      </>
    );
  }
  const w = tr.witness;
  const sys =
    tr.system.cpe ?? [tr.system.vendor, tr.system.product, tr.system.version].filter(Boolean).join(' ');
  return (
    <Card withBorder mb="lg" data-testid="trace">
      <Title order={2} size="h4" mb="xs">
        {t('why.title')}
      </Title>
      <Text size="sm" mb="xs">
        <Trans
          t={t}
          i18nKey="why.body"
          values={{
            system: d.systemName,
            cpe: sys,
            configuration: tr.configurationIndex + 1,
            cve: d.cveId,
            criteria: w.criteria,
            confidence: confidenceLabel(t, tr.confidence),
          }}
          components={{ b: <b />, code: <Code />, badge: <Badge size="sm" variant="light" /> }}
        />
      </Text>
      {tr.recordChanged && (
        <Text size="sm" mb="xs" c="dimmed" data-testid="record-changed">
          {t('why.recordChanged')}
        </Text>
      )}
      {w.versionBounds.length > 0 && (
        <Text size="sm" mb="xs" data-testid="bounds">
          {t('why.version', { version: w.versionBounds[0]?.version ?? '?' })}{' '}
          {w.versionBounds
            .map(
              (b) =>
                `${BOUND_TEXT[b.bound] ?? b.bound} ${b.value} ${b.satisfied === true ? '✓' : b.satisfied === false ? '✗' : '?'}${b.reason ? ` (${b.reason})` : ''}`,
            )
            .join(', ')}
        </Text>
      )}
      {[...w.assumptions, ...w.notes].map((n) => (
        <Text key={n} size="xs" c="dimmed">
          {n}
        </Text>
      ))}
      <Table mt="sm" withTableBorder fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('why.node')}</Table.Th>
            <Table.Th>{t('why.criterion')}</Table.Th>
            <Table.Th>{t('why.role')}</Table.Th>
            <Table.Th>{t('why.matched')}</Table.Th>
            <Table.Th>{t('why.result')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tr.trace.criteria.map((c) => (
            <Table.Tr key={`${c.node}-${c.cpeMatch}-${c.role}`}>
              <Table.Td>{c.node + 1}</Table.Td>
              <Table.Td>
                <Code>{c.criteria}</Code>
                {!c.vulnerable && ` ${t('why.runningOn')}`}
              </Table.Td>
              <Table.Td>{t(`why.roles.${c.role}`, { defaultValue: c.role })}</Table.Td>
              <Table.Td>{c.matchedCpe ? <Code>{c.matchedCpe}</Code> : '—'}</Table.Td>
              <Table.Td>{confidenceLabel(t, c.result)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {tr.alsoMatched.length > 0 && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('why.alsoMatched')}{' '}
          {tr.alsoMatched
            .map((m) =>
              t('why.configuration', {
                n: m.configuration + 1,
                confidence: confidenceLabel(t, m.confidence),
              }),
            )
            .join(', ')}
        </Text>
      )}
    </Card>
  );
}

function Ssvc({ d }: { d: FindingDetail }) {
  const { t } = useTranslation('vulns');
  const i = d.ssvcInputs;
  const rows: [string, Derived][] = [
    [t('ssvc.exploitation'), i.exploitation],
    [t('ssvc.automatable'), i.automatable],
    [t('ssvc.technicalImpact'), i.technicalImpact],
    [t('ssvc.missionWellbeing'), i.missionWellbeing],
  ];
  return (
    <Card withBorder data-testid="ssvc-inputs">
      <Title order={2} size="h4" mb="xs">
        SSVC: {d.ssvcDecision}
      </Title>
      <Table fz="sm">
        <Table.Tbody>
          {rows.map(([label, v]) => (
            <Table.Tr key={label}>
              <Table.Td fw={500}>{label}</Table.Td>
              <Table.Td>{v.value}</Table.Td>
              <Table.Td c="dimmed">{v.reason}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="xs">
        {i.table}
      </Text>
    </Card>
  );
}

function Triage({ d, orgId }: { d: FindingDetail; orgId: string }) {
  const org = useOrg(orgId);
  const qc = useQueryClient();
  const { t } = useTranslation('vulns');
  const [status, setStatus] = useState<string | null>(d.status);
  const [note, setNote] = useState(d.statusNote);
  const [until, setUntil] = useState('');
  const save = useMutation({
    mutationFn: () =>
      patch<FindingDetail>(`/orgs/${orgId}/findings/${d.id}`, {
        status,
        note,
        ...(status === 'risk_accepted' && until
          ? { acceptedUntil: new Date(`${until}T23:59:59Z`).toISOString() }
          : {}),
      }),
    onSuccess: (f) => {
      qc.setQueryData(['finding', orgId, d.id], f);
      qc.invalidateQueries({ queryKey: ['findings', orgId] });
    },
  });
  const statuses = STATUSES.filter((s) => s !== 'risk_accepted' || can(org, 'data.analyze')).map((s) => ({
    value: s,
    label: statusLabel(t, s),
  }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  if (!can(org, 'data.write')) return null;
  return (
    <Card withBorder data-testid="triage">
      <Title order={2} size="h4" mb="xs">
        {t('triage.title')}
      </Title>
      <form onSubmit={submit}>
        <Stack gap="xs">
          <ErrorAlert error={save.error} />
          <Select
            label={t('columns.status')}
            data={statuses}
            value={status}
            onChange={setStatus}
            allowDeselect={false}
          />
          <TextInput label={t('triage.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {status === 'risk_accepted' && (
            <TextInput
              label={t('triage.acceptedUntil')}
              type="date"
              required
              value={until}
              onChange={(e) => setUntil(e.currentTarget.value)}
            />
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('triage.save')}
            </Button>
            {save.isSuccess && (
              <Text size="sm" c="green">
                {t('triage.saved')}
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

export function FindingPage() {
  const { orgId, findingId } = useParams({ strict: false }) as { orgId: string; findingId: string };
  const finding = useQuery({
    queryKey: ['finding', orgId, findingId],
    queryFn: () => get<FindingDetail>(`/orgs/${orgId}/findings/${findingId}`),
  });
  const d = finding.data;
  const { t } = useTranslation('vulns');
  return (
    <>
      <PageHeader
        title={d ? t('finding.title', { cve: d.cveId, system: d.systemName }) : t('finding.fallbackTitle')}
        description={d?.summary}
        actions={
          <Group gap="md">
            {d && (
              <Anchor component={Link} to={`/orgs/${orgId}/cves/${d.cveId}`} size="sm">
                {t('finding.cvePage', { cve: d.cveId })}
              </Anchor>
            )}
            <Anchor component={Link} to={`/orgs/${orgId}/findings`} size="sm">
              {t('finding.all')}
            </Anchor>
          </Group>
        }
      />
      <ErrorAlert error={finding.error} />
      {d && (
        <>
          <Group mb="md">
            <FindingBadges f={d} />
            <Badge variant="light" data-testid="status">
              {statusLabel(t, d.status)}
            </Badge>
            {d.cvssScore !== null && (
              <Text size="sm">
                CVSS {formatNumber(d.cvssScore)} <Code>{d.cvssVector}</Code>
              </Text>
            )}
            <Text size="sm" c="dimmed">
              {t('finding.firstSeen', { date: formatDate(d.firstSeen) })}
            </Text>
          </Group>
          {d.kev && (
            <Card withBorder mb="lg" data-testid="kev">
              <Text size="sm" fw={600}>
                CISA KEV: {d.kev.name}
              </Text>
              <Text size="sm">
                {t('finding.kevDates', {
                  added: d.kev.dateAdded,
                  due: d.kev.dueDate,
                  ransomware: t(`finding.ransomware.${d.kev.ransomwareUse}`, {
                    defaultValue: d.kev.ransomwareUse,
                  }),
                })}
              </Text>
              <Text size="sm" c="dimmed">
                {d.kev.requiredAction}
              </Text>
            </Card>
          )}
          <Why d={d} />
          {d.trace.source !== 'csaf' && d.trace.advisories && d.trace.advisories.length > 0 && (
            <Advisories hits={d.trace.advisories} />
          )}
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Ssvc d={d} />
            <Triage key={d.status + d.statusNote} d={d} orgId={orgId} />
          </SimpleGrid>
          {d.acceptedUntil && (
            <Text size="sm" mt="sm">
              {t('finding.acceptedUntil', { date: formatDate(d.acceptedUntil) })}
            </Text>
          )}
        </>
      )}
    </>
  );
}
