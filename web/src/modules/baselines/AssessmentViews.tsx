import { Badge, Group, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDay, get } from '../../api';
import { formatNumber } from '../../i18n';
import { Chart } from '../../ui/Chart';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useLevels } from './labels';
import {
  deptKey,
  FUNCTIONS,
  type Gap,
  heat,
  type MaturityScale,
  type Score,
  SEVERITY_COLOR,
  TIERS,
  type Trend,
} from './types';

const pct = (n: number | null) => (n === null ? '—' : `${formatNumber(n, { maximumFractionDigits: 1 })} %`);
const points = (n: number | null) =>
  n === null ? '—' : `${n > 0 ? '+' : ''}${formatNumber(n, { maximumFractionDigits: 1 })}`;

function useScore(orgId: string, assessmentId: string) {
  return useQuery({
    queryKey: ['assessment', assessmentId, 'score'],
    queryFn: () => get<Score>(`/orgs/${orgId}/assessments/${assessmentId}/score`),
  });
}

export function Gaps({ orgId, assessmentId }: { orgId: string; assessmentId: string }) {
  const { t } = useTranslation('baselines');
  const gaps = useQuery({
    queryKey: ['assessment', assessmentId, 'gaps'],
    queryFn: () => get<{ items: Gap[] }>(`/orgs/${orgId}/assessments/${assessmentId}/gaps`),
  });
  const score = useScore(orgId, assessmentId);
  const levels = useLevels(score.data?.scale);
  const reasons = (g: Gap) => {
    const out: string[] = [];
    if (g.status === 'not-assessed') out.push(t('gaps.notAssessed'));
    else if (g.status !== 'implemented') out.push(t('gaps.status', { status: t(`statuses.${g.status}`) }));
    if (g.status === 'needs-review') out.push(t('gaps.evidenceLapsed'));
    if (g.targetMaturity !== null) {
      if (g.maturity === null && g.status === 'implemented') {
        out.push(t('gaps.noMaturity', { target: levels.label(g.targetMaturity) }));
      } else if (g.maturity !== null && g.maturity < g.targetMaturity) {
        out.push(
          t('gaps.belowTarget', { level: levels.label(g.maturity), target: levels.label(g.targetMaturity) }),
        );
      }
    }
    return out.join('; ');
  };
  return (
    <>
      <ErrorAlert error={gaps.error} />
      <Text size="sm" c="dimmed" mb="xs">
        {t('gaps.count', { count: gaps.data?.items.length ?? 0 })}
      </Text>
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('gaps.severity')}</Table.Th>
            <Table.Th>{t('gaps.requirement')}</Table.Th>
            <Table.Th>{t('gaps.department')}</Table.Th>
            <Table.Th>{t('gaps.statusColumn')}</Table.Th>
            <Table.Th>{t('gaps.why')}</Table.Th>
            <Table.Th>{t('gaps.action')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {gaps.data?.items.map((g) => (
            <Table.Tr key={`${g.requirementId}|${g.department}`}>
              <Table.Td>
                <Badge color={SEVERITY_COLOR[g.severity]}>{t(`severities.${g.severity}`)}</Badge>
              </Table.Td>
              <Table.Td>
                {g.requirementId} {g.title}
              </Table.Td>
              <Table.Td>{g.department}</Table.Td>
              <Table.Td>{t(`statuses.${g.status}`)}</Table.Td>
              <Table.Td>
                <Text size="xs">{reasons(g)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {g.actionOwner ?? '—'}
                  {g.actionDue ? ` · ${t('gaps.due', { date: formatDay(g.actionDue) })}` : ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

export function Scores({
  orgId,
  assessmentId,
  documentId,
}: {
  orgId: string;
  assessmentId: string;
  documentId: string;
}) {
  const { t } = useTranslation('baselines');
  const score = useScore(orgId, assessmentId);
  const s = score.data;
  const levels = useLevels(s?.scale);
  const maturity = (n: number | null) => (n === null ? '—' : formatNumber(n, { maximumFractionDigits: 2 }));
  return (
    <Stack>
      <ErrorAlert error={score.error} />
      {s && (
        <>
          <Text>
            {t('scores.overall', {
              score: pct(s.overall.implementationScore),
              maturity: maturity(s.overall.averageMaturity),
              scale: levels.name,
            })}
          </Text>
          <Text fw={600} component="h2">
            {t('scores.byFunction')}
          </Text>
          <Table withTableBorder maw={700} data-testid="function-scores">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('scores.function')}</Table.Th>
                <Table.Th>{t('scores.implementation')}</Table.Th>
                <Table.Th>{t('scores.averageMaturity')}</Table.Th>
                <Table.Th>{t('statuses.not-assessed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {FUNCTIONS.map((f) => {
                const b = s.byFunction[f];
                return (
                  <Table.Tr key={f}>
                    <Table.Td>
                      {f} {t(`functions.${f}`)}
                    </Table.Td>
                    <Table.Td style={{ background: heat(b.implementationScore) }}>
                      {pct(b.implementationScore)}
                    </Table.Td>
                    <Table.Td>{maturity(b.averageMaturity)}</Table.Td>
                    <Table.Td>{formatNumber(b.counts['not-assessed'])}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <HeatMap score={s} />
          <CsfCoverage orgId={orgId} assessmentId={assessmentId} />
          <MappedCoverage orgId={orgId} assessmentId={assessmentId} documentId={documentId} />
          <Text fw={600} component="h2">
            {t('scores.byTier')}
          </Text>
          <Table withTableBorder maw={600}>
            <Table.Tbody>
              {Object.entries(s.byTier).map(([tier, b]) => (
                <Table.Tr key={tier}>
                  <Table.Td>{t(`tiers.${tier}`)}</Table.Td>
                  <Table.Td style={{ background: heat(b.implementationScore) }}>
                    {pct(b.implementationScore)}
                  </Table.Td>
                  <Table.Td>{t('scores.notAssessedCount', { count: b.counts['not-assessed'] })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}

function HeatMap({ score: s }: { score: Score }) {
  const { t } = useTranslation('baselines');
  return (
    <>
      <Text fw={600} component="h2">
        {t('scores.heatMap')}
      </Text>
      <Table withTableBorder data-testid="heat-map" maw={900}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('scores.department')}</Table.Th>
            {FUNCTIONS.map((f) => (
              <Table.Th key={f}>{t(`functions.${f}`)}</Table.Th>
            ))}
            <Table.Th>{t('scores.all')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {s.byDepartment.map((d) => (
            <Table.Tr key={deptKey(d.id)}>
              <Table.Td>{d.name}</Table.Td>
              {FUNCTIONS.map((f) => {
                const cell = s.heatMap.find((h) => h.departmentId === d.id && h.function === f);
                const v = cell?.implementationScore ?? null;
                return (
                  <Table.Td key={f} style={{ background: heat(v), textAlign: 'center' }}>
                    {pct(v)}
                  </Table.Td>
                );
              })}
              <Table.Td style={{ background: heat(d.score.implementationScore), textAlign: 'center' }}>
                {pct(d.score.implementationScore)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

/** Departments side by side: a row per CSF function, a column per department, implementation and maturity. */
export function Compare({ orgId, assessmentId }: { orgId: string; assessmentId: string }) {
  const { t } = useTranslation('baselines');
  const score = useScore(orgId, assessmentId);
  const s = score.data;
  const levels = useLevels(s?.scale);
  const [measure, setMeasure] = useState('implementation');
  const maturityText = (n: number | null) => {
    if (n === null) return '—';
    const nearest = levels.levels.reduce<number | null>(
      (best, l) => (best === null || Math.abs(l.value - n) < Math.abs(best - n) ? l.value : best),
      null,
    );
    return `${formatNumber(n, { maximumFractionDigits: 2 })} (${levels.label(nearest)})`;
  };
  // Maturity shares the heat map's colours: the scale's lowest level is red, its highest green.
  const lo = levels.levels[0]?.value ?? 0;
  const hi = levels.levels[levels.levels.length - 1]?.value ?? 1;
  const maturityHeat = (n: number | null) =>
    heat(n === null ? null : (100 * (n - lo)) / Math.max(1, hi - lo));
  return (
    <Stack>
      <ErrorAlert error={score.error} />
      {s && (
        <>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {t('compare.help')}
            </Text>
            <SegmentedControl
              aria-label={t('compare.measure')}
              data={[
                { value: 'implementation', label: t('compare.implementation') },
                { value: 'maturity', label: t('compare.maturity', { scale: levels.name }) },
              ]}
              value={measure}
              onChange={setMeasure}
            />
          </Group>
          <Table withTableBorder data-testid="compare-departments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('scores.function')}</Table.Th>
                {s.byDepartment.map((d) => (
                  <Table.Th key={deptKey(d.id)}>{d.name}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {FUNCTIONS.map((f) => (
                <Table.Tr key={f}>
                  <Table.Th scope="row">
                    {f} {t(`functions.${f}`)}
                  </Table.Th>
                  {s.byDepartment.map((d) => {
                    const cell = s.heatMap.find((h) => h.departmentId === d.id && h.function === f);
                    const v =
                      measure === 'implementation'
                        ? (cell?.implementationScore ?? null)
                        : (cell?.averageMaturity ?? null);
                    return (
                      <Table.Td
                        key={deptKey(d.id)}
                        style={{
                          background: measure === 'implementation' ? heat(v) : maturityHeat(v),
                          textAlign: 'center',
                        }}
                      >
                        {measure === 'implementation' ? pct(v) : maturityText(v)}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Th scope="row">{t('scores.all')}</Table.Th>
                {s.byDepartment.map((d) => {
                  const v =
                    measure === 'implementation' ? d.score.implementationScore : d.score.averageMaturity;
                  return (
                    <Table.Td
                      key={deptKey(d.id)}
                      style={{
                        background: measure === 'implementation' ? heat(v) : maturityHeat(v),
                        textAlign: 'center',
                        fontWeight: 600,
                      }}
                    >
                      {measure === 'implementation' ? pct(v) : maturityText(v)}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Chart
            label={t('compare.chartLabel')}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { left: 48, right: 16, top: 40, bottom: 32 },
              xAxis: { type: 'category', data: FUNCTIONS.map((f) => t(`functions.${f}`)) },
              yAxis:
                measure === 'implementation'
                  ? { type: 'value', min: 0, max: 100, name: '%' }
                  : { type: 'value', min: lo, max: hi },
              series: s.byDepartment.map((d) => ({
                type: 'bar',
                name: d.name,
                data: FUNCTIONS.map((f) => {
                  const cell = s.heatMap.find((h) => h.departmentId === d.id && h.function === f);
                  return measure === 'implementation'
                    ? (cell?.implementationScore ?? null)
                    : (cell?.averageMaturity ?? null);
                }),
              })),
            }}
          />
        </>
      )}
    </Stack>
  );
}

interface Coverage {
  departments: { id: string | null; name: string; percent: number | null; counts: Record<string, number> }[];
}

function CsfCoverage({ orgId, assessmentId }: { orgId: string; assessmentId: string }) {
  const { t } = useTranslation('baselines');
  const coverage = useQuery({
    queryKey: ['assessment', assessmentId, 'csf-coverage'],
    queryFn: () => get<Coverage>(`/orgs/${orgId}/assessments/${assessmentId}/csf-coverage`),
    retry: false,
  });
  // A catalog without a CSF mapping answers 409: there is simply nothing to show.
  if (!coverage.data) return null;
  return (
    <>
      <Text fw={600} component="h2">
        {t('coverage.title')}
      </Text>
      <Table withTableBorder maw={700} data-testid="csf-coverage">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('scores.department')}</Table.Th>
            <Table.Th>{t('coverage.coverage')}</Table.Th>
            <Table.Th>{t('coverage.covered')}</Table.Th>
            <Table.Th>{t('coverage.partial')}</Table.Th>
            <Table.Th>{t('coverage.notCovered')}</Table.Th>
            <Table.Th>{t('statuses.not-assessed')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {coverage.data.departments.map((d) => (
            <Table.Tr key={deptKey(d.id)}>
              <Table.Td>{d.name}</Table.Td>
              <Table.Td>{pct(d.percent)}</Table.Td>
              <Table.Td>{formatNumber(d.counts.covered)}</Table.Td>
              <Table.Td>{formatNumber(d.counts.partial)}</Table.Td>
              <Table.Td>{formatNumber(d.counts['not-covered'])}</Table.Td>
              <Table.Td>{formatNumber(d.counts['not-assessed'])}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

interface Mapped {
  document: { id: string; title: string };
  mappings: number;
  via: { id: string; title: string }[];
  departments: { id: string | null; name: string; percent: number | null; counts: Record<string, number> }[];
}

/** Coverage of another catalog through the mappings imported for the assessed one. */
function MappedCoverage({
  orgId,
  assessmentId,
  documentId,
}: {
  orgId: string;
  assessmentId: string;
  documentId: string;
}) {
  const { t } = useTranslation('baselines');
  const targets = useQuery({
    queryKey: ['mapping-targets', orgId, documentId],
    queryFn: () =>
      get<{ items: { documentId: string; title: string; count: number; via?: string }[] }>(
        `/orgs/${orgId}/catalogs/${documentId}/mapping-targets?inherited=true`,
      ),
  });
  const [target, setTarget] = useState<string | null>(null);
  const chosen = target ?? targets.data?.items[0]?.documentId ?? null;
  const cov = useQuery({
    queryKey: ['assessment', assessmentId, 'coverage', chosen],
    queryFn: () => get<Mapped>(`/orgs/${orgId}/assessments/${assessmentId}/coverage?documentId=${chosen}`),
    enabled: !!chosen,
  });
  if (!targets.data?.items.length) return null;
  return (
    <>
      <Text fw={600} component="h2">
        {t('coverage.mappedTitle')}
      </Text>
      <Select
        label={t('coverage.mappedTo')}
        data={targets.data.items.map((x) => ({
          value: x.documentId,
          label: x.via ? t('coverage.mappedVia', { title: x.title, via: x.via }) : x.title,
        }))}
        value={chosen}
        onChange={setTarget}
        maw={360}
      />
      <ErrorAlert error={cov.error} />
      {cov.data && cov.data.via.length > 0 && (
        <Text size="sm" c="dimmed">
          {t('coverage.inherited', { catalogs: cov.data.via.map((v) => v.title).join(', ') })}
        </Text>
      )}
      {cov.data && (
        <Table withTableBorder maw={800} data-testid="mapped-coverage">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('scores.department')}</Table.Th>
              <Table.Th>{t('coverage.coverage')}</Table.Th>
              <Table.Th>{t('coverage.covered')}</Table.Th>
              <Table.Th>{t('coverage.partial')}</Table.Th>
              <Table.Th>{t('coverage.notCovered')}</Table.Th>
              <Table.Th>{t('statuses.not-assessed')}</Table.Th>
              <Table.Th>{t('coverage.unmapped')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cov.data.departments.map((d) => (
              <Table.Tr key={deptKey(d.id)}>
                <Table.Td>{d.name}</Table.Td>
                <Table.Td>{pct(d.percent)}</Table.Td>
                <Table.Td>{formatNumber(d.counts.covered)}</Table.Td>
                <Table.Td>{formatNumber(d.counts.partial)}</Table.Td>
                <Table.Td>{formatNumber(d.counts['not-covered'])}</Table.Td>
                <Table.Td>{formatNumber(d.counts['not-assessed'])}</Table.Td>
                <Table.Td>{formatNumber(d.counts.unmapped)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}

interface ChangeList {
  previousTitle: string;
  summary: Record<string, number>;
  scoreDelta: {
    overall: number | null;
    byFunction: Record<string, number | null>;
    byTier: Record<string, number | null>;
    byDepartment: { id: string | null; name: string; delta: number | null }[];
  };
  changes: {
    requirementId: string;
    title: string | null;
    department: string;
    kind: string;
    maturityDelta: number | null;
    before: { status: string; maturity: number | null } | null;
    after: { status: string; maturity: number | null } | null;
  }[];
}

const KIND_COLOR: Record<string, string> = { improved: 'green', regressed: 'red', added: 'blue' };

export function Changes({
  orgId,
  assessmentId,
  scale,
}: {
  orgId: string;
  assessmentId: string;
  scale: MaturityScale;
}) {
  const { t } = useTranslation('baselines');
  const levels = useLevels(scale);
  const [kind, setKind] = useState<string | null>(null);
  const changes = useQuery({
    queryKey: ['assessment', assessmentId, 'changes'],
    queryFn: () => get<ChangeList>(`/orgs/${orgId}/assessments/${assessmentId}/changes`),
  });
  const c = changes.data;
  const state = (x: { status: string; maturity: number | null } | null) =>
    x ? `${t(`statuses.${x.status}`)}${x.maturity !== null ? ` · ${levels.label(x.maturity)}` : ''}` : '—';
  const shown = c?.changes.filter((x) => !kind || x.kind === kind) ?? [];
  return (
    <Stack>
      <ErrorAlert error={changes.error} />
      {c && (
        <>
          <Text data-testid="changes-summary">
            {t('changes.summary', {
              previous: c.previousTitle,
              improved: c.summary.improved,
              regressed: c.summary.regressed,
              changed: c.summary.changed,
              added: c.summary.added,
              delta: points(c.scoreDelta.overall),
            })}
          </Text>
          <Table withTableBorder maw={900}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('changes.scope')}</Table.Th>
                {FUNCTIONS.map((f) => (
                  <Table.Th key={f}>{t(`functions.${f}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr>
                <Table.Td>{t('changes.pointsByFunction')}</Table.Td>
                {FUNCTIONS.map((f) => (
                  <Table.Td key={f}>{points(c.scoreDelta.byFunction[f] ?? null)}</Table.Td>
                ))}
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Group gap="lg">
            {c.scoreDelta.byDepartment.map((d) => (
              <Text key={deptKey(d.id)} size="sm">
                {t('changes.department', { name: d.name, delta: points(d.delta) })}
              </Text>
            ))}
            {TIERS.map((tier) => (
              <Text key={tier} size="sm" c="dimmed">
                {t('changes.tier', {
                  tier: t(`tiers.${tier}`),
                  delta: points(c.scoreDelta.byTier[tier] ?? null),
                })}
              </Text>
            ))}
          </Group>
          <Select
            label={t('changes.filter')}
            data={['improved', 'regressed', 'changed', 'added', 'removed'].map((k) => ({
              value: k,
              label: t(`changeKinds.${k}`),
            }))}
            value={kind}
            onChange={setKind}
            clearable
            maw={240}
          />
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('gaps.requirement')}</Table.Th>
                <Table.Th>{t('gaps.department')}</Table.Th>
                <Table.Th miw={150}>{t('changes.kind')}</Table.Th>
                <Table.Th>{t('changes.before')}</Table.Th>
                <Table.Th>{t('changes.after')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((x) => (
                <Table.Tr key={`${x.requirementId}|${x.department}`}>
                  <Table.Td>
                    {x.requirementId} {x.title}
                  </Table.Td>
                  <Table.Td>{x.department}</Table.Td>
                  <Table.Td>
                    <Badge color={KIND_COLOR[x.kind] ?? 'gray'}>{t(`changeKinds.${x.kind}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{state(x.before)}</Table.Td>
                  <Table.Td>{state(x.after)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {shown.length === 0 && <Text c="dimmed">{t('changes.none')}</Text>}
        </>
      )}
    </Stack>
  );
}

/** Scores of every cycle up to this one: by CSF function, by tier or by department, as lines over the cycles. */
export function Trends({ orgId, assessmentId }: { orgId: string; assessmentId: string }) {
  const { t } = useTranslation('baselines');
  const trend = useQuery({
    queryKey: ['assessment', assessmentId, 'trend'],
    queryFn: () => get<Trend>(`/orgs/${orgId}/assessments/${assessmentId}/trend`),
  });
  const [by, setBy] = useState('function');
  const [measure, setMeasure] = useState('implementation');
  const data = trend.data;
  const levels = useLevels(data?.scale);
  const pick = (x: { implementationScore: number | null; averageMaturity: number | null } | undefined) =>
    (measure === 'implementation' ? x?.implementationScore : x?.averageMaturity) ?? null;
  const series = (() => {
    if (!data) return [];
    if (by === 'function') {
      return FUNCTIONS.map((f) => ({
        name: `${f} ${t(`functions.${f}`)}`,
        values: data.cycles.map((c) => pick(c.byFunction[f])),
      }));
    }
    if (by === 'tier') {
      return TIERS.map((tier) => ({
        name: t(`tiers.${tier}`),
        values: data.cycles.map((c) => pick(c.byTier[tier])),
      }));
    }
    const names = [...new Set(data.cycles.flatMap((c) => c.byDepartment.map((d) => d.name)))];
    return names.map((name) => ({
      name,
      values: data.cycles.map((c) => pick(c.byDepartment.find((d) => d.name === name))),
    }));
  })();
  const mixedScales = !!data && new Set(data.cycles.map((c) => c.scaleId)).size > 1;
  return (
    <Stack>
      <ErrorAlert error={trend.error} />
      {data && (
        <>
          <Group>
            <SegmentedControl
              aria-label={t('trends.by')}
              data={[
                { value: 'function', label: t('trends.byFunction') },
                { value: 'tier', label: t('trends.byTier') },
                { value: 'department', label: t('trends.byDepartment') },
              ]}
              value={by}
              onChange={setBy}
            />
            <SegmentedControl
              aria-label={t('compare.measure')}
              data={[
                { value: 'implementation', label: t('compare.implementation') },
                { value: 'maturity', label: t('compare.maturity', { scale: levels.name }) },
              ]}
              value={measure}
              onChange={setMeasure}
            />
          </Group>
          {measure === 'maturity' && mixedScales && (
            <Text size="sm" c="orange">
              {t('trends.mixedScales')}
            </Text>
          )}
          <Chart
            label={t('trends.chartLabel')}
            height={320}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { left: 48, right: 16, top: 48, bottom: 32 },
              xAxis: { type: 'category', data: data.cycles.map((c) => c.title) },
              yAxis:
                measure === 'implementation'
                  ? { type: 'value', min: 0, max: 100, name: '%' }
                  : { type: 'value' },
              series: series.map((s) => ({ type: 'line', name: s.name, data: s.values, connectNulls: true })),
            }}
          />
          <Table withTableBorder striped data-testid="trend-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('trends.series')}</Table.Th>
                {data.cycles.map((c) => (
                  <Table.Th key={c.assessmentId}>
                    {c.title}
                    <Text size="xs" c="dimmed">
                      {formatDay(c.createdAt)}
                    </Text>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row">{t('scores.all')}</Table.Th>
                {data.cycles.map((c) => (
                  <Table.Td key={c.assessmentId}>
                    {measure === 'implementation'
                      ? pct(c.overall.implementationScore)
                      : formatNumber(c.overall.averageMaturity, { maximumFractionDigits: 2 })}
                  </Table.Td>
                ))}
              </Table.Tr>
              {series.map((s) => (
                <Table.Tr key={s.name}>
                  <Table.Th scope="row">{s.name}</Table.Th>
                  {s.values.map((v, i) => (
                    <Table.Td key={data.cycles[i].assessmentId}>
                      {measure === 'implementation' ? pct(v) : formatNumber(v, { maximumFractionDigits: 2 })}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
