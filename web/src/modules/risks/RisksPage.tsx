import {
  Badge,
  Box,
  Button,
  Drawer,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams, useSearch } from '@tanstack/react-router';
import * as echarts from 'echarts';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { can, get, type Page, patch, post } from '../../api';
import { currentLanguage, formatNumber } from '../../i18n';
import { useOrg, useSession } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { TechniqueInput, TechniqueList } from '../intel/Techniques';

interface Level {
  id: string;
  name: string;
  colour: string;
  score: number;
}
interface Curve {
  loss: number;
  probability: number;
}
interface Risk {
  id: string;
  title: string;
  threat: string;
  scenario: string;
  status: string;
  owner: string | null;
  treatment: string | null;
  attackTechniques: string[];
  inherentLikelihood: number;
  inherentImpact: number;
  residualLikelihood: number | null;
  residualImpact: number | null;
  inherent: Level;
  residual: Level | null;
  expectedAnnualLoss: number | null;
  nextReviewOn: string;
  acceptedAt: string | null;
  acceptanceExpiresOn: string | null;
  acceptanceRationale: string | null;
  fair: unknown;
  simulation: {
    seed: number;
    trials: number;
    meanAnnualLoss: number;
    percentiles: Record<string, number>;
    lossExceedanceCurve: Curve[];
  } | null;
}
interface MatrixData {
  matrix: {
    likelihoods: { value: number; label: string }[];
    impacts: { value: number; label: string }[];
    levels: { id: string; name: string; colour: string }[];
  };
  heatMap: { likelihood: number; impact: number; levelId: string }[][];
}

const MONEY: Intl.NumberFormatOptions = { style: 'currency', currency: 'USD', maximumFractionDigits: 0 };

export const money = (x: number | null | undefined) => formatNumber(x, MONEY);

/** An amount whose figure (without the currency sign) carries the test id, so it reads as a plain number. */
function Money({ value, testId }: { value: number; testId: string }) {
  const parts = new Intl.NumberFormat(currentLanguage(), MONEY).formatToParts(value);
  const figure = (p: Intl.NumberFormatPart) => ['integer', 'group', 'decimal', 'fraction'].includes(p.type);
  const first = parts.findIndex(figure);
  const last = parts.length - 1 - [...parts].reverse().findIndex(figure);
  const text = (ps: Intl.NumberFormatPart[]) => ps.map((p) => p.value).join('');
  return (
    <>
      {text(parts.slice(0, first))}
      <span data-testid={testId}>{text(parts.slice(first, last + 1))}</span>
      {text(parts.slice(last + 1))}
    </>
  );
}

export function ExceedanceChart({ curve, testId }: { curve: Curve[]; testId?: string }) {
  const { t } = useTranslation('risks');
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current);
    chart.setOption({
      animation: false,
      grid: { left: 70, right: 20, top: 20, bottom: 50 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'log',
        name: t('chart.annualLoss'),
        nameLocation: 'middle',
        nameGap: 30,
        axisLabel: { formatter: (v: number) => formatNumber(v) },
      },
      yAxis: {
        type: 'value',
        max: 1,
        name: t('chart.exceedance'),
        axisLabel: {
          formatter: (v: number) => formatNumber(v, { style: 'percent', maximumFractionDigits: 0 }),
        },
      },
      series: [
        {
          type: 'line',
          showSymbol: false,
          data: curve.filter((p) => p.loss > 0).map((p) => [p.loss, p.probability]),
        },
      ],
    });
    return () => chart.dispose();
  }, [curve, t]);
  return <div ref={box} data-testid={testId ?? 'loss-exceedance'} style={{ height: 280, width: '100%' }} />;
}

function HeatMap({ matrix, risks }: { matrix: MatrixData; risks: Risk[] }) {
  const { t } = useTranslation('risks');
  const colour = new Map(matrix.matrix.levels.map((l) => [l.id, l.colour]));
  const count = (l: number, i: number) =>
    risks.filter(
      (r) =>
        (r.residualLikelihood ?? r.inherentLikelihood) === l && (r.residualImpact ?? r.inherentImpact) === i,
    ).length;
  return (
    <Box data-testid="heat-map">
      <Table withTableBorder fz="xs" style={{ tableLayout: 'fixed' }}>
        <Table.Tbody>
          {matrix.heatMap.map((row) => (
            <Table.Tr key={row[0].likelihood}>
              <Table.Th w={110}>{matrix.matrix.likelihoods[row[0].likelihood - 1].label}</Table.Th>
              {row.map((cell) => {
                const n = count(cell.likelihood, cell.impact);
                return (
                  <Table.Td
                    key={cell.impact}
                    style={{
                      background: colour.get(cell.levelId),
                      color: '#fff',
                      textAlign: 'center',
                      fontWeight: 700,
                    }}
                    aria-label={t('heatMap.cell', {
                      likelihood: cell.likelihood,
                      impact: cell.impact,
                      count: n,
                    })}
                  >
                    {n || ''}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th />
            {matrix.matrix.impacts.map((i) => (
              <Table.Th key={i.value} style={{ textAlign: 'center' }}>
                {i.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        {t('heatMap.legend')}
      </Text>
    </Box>
  );
}

function NewRisk({ orgId, onDone }: { orgId: string; onDone(): void }) {
  const { t } = useTranslation('risks');
  const [v, setV] = useState({
    title: '',
    scenario: '',
    attackTechniques: [] as string[],
    likelihood: '3',
    impact: '3',
    freqLow: 0.1 as number | string,
    freqMode: 0.3 as number | string,
    freqHigh: 1 as number | string,
    lossLow: 50_000 as number | string,
    lossHigh: 1_000_000 as number | string,
  });
  const save = useMutation({
    mutationFn: () =>
      post<Risk>(`/orgs/${orgId}/risks`, {
        title: v.title,
        scenario: v.scenario,
        attackTechniques: v.attackTechniques,
        inherentLikelihood: Number(v.likelihood),
        inherentImpact: Number(v.impact),
        fair: {
          lossEventFrequency: {
            kind: 'pert',
            low: Number(v.freqLow),
            mode: Number(v.freqMode),
            high: Number(v.freqHigh),
          },
          primaryLoss: { kind: 'lognormal', low: Number(v.lossLow), high: Number(v.lossHigh) },
        },
      }).then((r) => post<Risk>(`/orgs/${orgId}/risks/${r.id}/simulate`, { seed: 1, trials: 10_000 })),
    onSuccess: onDone,
  });
  const n = (k: keyof typeof v) => (x: number | string) => setV({ ...v, [k]: x });
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <ErrorAlert error={save.error} />
        <TextInput
          label={t('fields.title')}
          required
          value={v.title}
          onChange={(e) => setV({ ...v, title: e.currentTarget.value })}
        />
        <Textarea
          label={t('fields.scenario')}
          value={v.scenario}
          onChange={(e) => setV({ ...v, scenario: e.currentTarget.value })}
        />
        <TechniqueInput
          orgId={orgId}
          label={t('fields.attackTechniques')}
          value={v.attackTechniques}
          onChange={(ids) => setV({ ...v, attackTechniques: ids })}
        />
        <Group grow>
          <Select
            label={t('fields.likelihood')}
            data={['1', '2', '3', '4', '5']}
            value={v.likelihood}
            onChange={(x) => x && setV({ ...v, likelihood: x })}
            allowDeselect={false}
          />
          <Select
            label={t('fields.impact')}
            data={['1', '2', '3', '4', '5']}
            value={v.impact}
            onChange={(x) => x && setV({ ...v, impact: x })}
            allowDeselect={false}
          />
        </Group>
        <Text fw={600} size="sm">
          {t('new.frequency')}
        </Text>
        <Group grow>
          <NumberInput
            label={t('new.freqLow')}
            min={0}
            decimalScale={4}
            value={v.freqLow}
            onChange={n('freqLow')}
          />
          <NumberInput
            label={t('new.freqMode')}
            min={0}
            decimalScale={4}
            value={v.freqMode}
            onChange={n('freqMode')}
          />
          <NumberInput
            label={t('new.freqHigh')}
            min={0}
            decimalScale={4}
            value={v.freqHigh}
            onChange={n('freqHigh')}
          />
        </Group>
        <Text fw={600} size="sm">
          {t('new.loss')}
        </Text>
        <Group grow>
          <NumberInput
            label={t('new.lossLow')}
            min={0}
            thousandSeparator=","
            value={v.lossLow}
            onChange={n('lossLow')}
          />
          <NumberInput
            label={t('new.lossHigh')}
            min={0}
            thousandSeparator=","
            value={v.lossHigh}
            onChange={n('lossHigh')}
          />
        </Group>
        <Button type="submit" loading={save.isPending}>
          {t('new.submit')}
        </Button>
      </Stack>
    </form>
  );
}

const RATINGS = ['1', '2', '3', '4', '5'];
const optRating = (x: string | null) => (x ? Number(x) : null);

/** Edits the register entry (PATCH): what the risk is, its owner, ratings, treatment and status. */
function EditRisk({ orgId, risk, onDone }: { orgId: string; risk: Risk; onDone(): void }) {
  const { t } = useTranslation('risks');
  const [v, setV] = useState({
    title: risk.title,
    threat: risk.threat,
    scenario: risk.scenario,
    owner: risk.owner ?? '',
    attackTechniques: risk.attackTechniques,
    inherentLikelihood: String(risk.inherentLikelihood),
    inherentImpact: String(risk.inherentImpact),
    residualLikelihood: risk.residualLikelihood === null ? null : String(risk.residualLikelihood),
    residualImpact: risk.residualImpact === null ? null : String(risk.residualImpact),
    treatment: risk.treatment,
    status: risk.status === 'accepted' ? null : risk.status,
  });
  const save = useMutation({
    mutationFn: () =>
      patch<Risk>(`/orgs/${orgId}/risks/${risk.id}`, {
        title: v.title,
        threat: v.threat,
        scenario: v.scenario,
        owner: v.owner.trim() || null,
        attackTechniques: v.attackTechniques,
        inherentLikelihood: Number(v.inherentLikelihood),
        inherentImpact: Number(v.inherentImpact),
        residualLikelihood: optRating(v.residualLikelihood),
        residualImpact: optRating(v.residualImpact),
        ...(v.treatment !== risk.treatment ? { treatment: v.treatment } : {}),
        ...(v.status && v.status !== risk.status ? { status: v.status } : {}),
      }),
    onSuccess: onDone,
  });
  const text = (k: 'title' | 'threat' | 'scenario' | 'owner') => ({
    value: v[k],
    onChange: (e: { currentTarget: { value: string } }) => setV({ ...v, [k]: e.currentTarget.value }),
  });
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <ErrorAlert error={save.error} />
        <TextInput label={t('fields.title')} required {...text('title')} />
        <TextInput label={t('fields.threat')} {...text('threat')} />
        <Textarea label={t('fields.scenario')} {...text('scenario')} />
        <TextInput label={t('fields.owner')} {...text('owner')} />
        <TechniqueInput
          orgId={orgId}
          label={t('fields.attackTechniques')}
          value={v.attackTechniques}
          onChange={(ids) => setV({ ...v, attackTechniques: ids })}
        />
        <Group grow>
          <Select
            label={t('fields.inherentLikelihood')}
            data={RATINGS}
            value={v.inherentLikelihood}
            onChange={(x) => x && setV({ ...v, inherentLikelihood: x })}
            allowDeselect={false}
          />
          <Select
            label={t('fields.inherentImpact')}
            data={RATINGS}
            value={v.inherentImpact}
            onChange={(x) => x && setV({ ...v, inherentImpact: x })}
            allowDeselect={false}
          />
        </Group>
        <Group grow>
          <Select
            label={t('fields.residualLikelihood')}
            data={RATINGS}
            clearable
            value={v.residualLikelihood}
            onChange={(x) => setV({ ...v, residualLikelihood: x })}
          />
          <Select
            label={t('fields.residualImpact')}
            data={RATINGS}
            clearable
            value={v.residualImpact}
            onChange={(x) => setV({ ...v, residualImpact: x })}
          />
        </Group>
        <Group grow>
          <Select
            label={t('fields.treatment')}
            description={t('edit.treatmentHint')}
            data={['mitigate', 'transfer', 'avoid']
              .concat(risk.treatment === 'accept' ? ['accept'] : [])
              .map((x) => ({ value: x, label: t(`treatment.${x}`) }))}
            clearable
            value={v.treatment}
            onChange={(x) => setV({ ...v, treatment: x })}
          />
          <Select
            label={t('fields.status')}
            data={['open', 'treating', 'closed'].map((x) => ({ value: x, label: t(`status.${x}`) }))}
            placeholder={risk.status === 'accepted' ? t('status.accepted') : undefined}
            value={v.status}
            onChange={(x) => setV({ ...v, status: x })}
          />
        </Group>
        <Button type="submit" loading={save.isPending}>
          {t('edit.submit')}
        </Button>
      </Stack>
    </form>
  );
}

/** Accepts the risk: the signed-in user is recorded as approver, with a rationale and an expiry date. */
function AcceptRiskForm({ orgId, risk, onDone }: { orgId: string; risk: Risk; onDone(): void }) {
  const { t } = useTranslation('risks');
  const { session } = useSession();
  const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const [expiresOn, setExpiresOn] = useState(risk.acceptanceExpiresOn ?? nextYear);
  const [rationale, setRationale] = useState('');
  const save = useMutation({
    mutationFn: () => post<Risk>(`/orgs/${orgId}/risks/${risk.id}/accept`, { expiresOn, rationale }),
    onSuccess: onDone,
  });
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <ErrorAlert error={save.error} />
        <TextInput
          label={t('accept.approver')}
          readOnly
          value={session ? `${session.user.name} (${session.user.email})` : ''}
          description={t('accept.approverHint')}
        />
        <Textarea
          label={t('accept.rationale')}
          required
          minRows={3}
          value={rationale}
          onChange={(e) => setRationale(e.currentTarget.value)}
        />
        <TextInput
          label={t('accept.expiresOn')}
          type="date"
          required
          value={expiresOn}
          onChange={(e) => setExpiresOn(e.currentTarget.value)}
        />
        <Button type="submit" loading={save.isPending}>
          {t('accept.submit')}
        </Button>
      </Stack>
    </form>
  );
}

function RiskDetail({ orgId, risk, onChanged }: { orgId: string; risk: Risk; onChanged(): void }) {
  const { t } = useTranslation('risks');
  const sim = useMutation({
    mutationFn: () =>
      post(`/orgs/${orgId}/risks/${risk.id}/simulate`, { seed: risk.simulation?.seed ?? 1, trials: 20_000 }),
    onSuccess: onChanged,
  });
  const org = useOrg(orgId);
  const [form, setForm] = useState<'edit' | 'accept' | null>(null);
  const done = () => {
    setForm(null);
    onChanged();
  };
  return (
    <Stack>
      <Group>
        {can(org, 'data.write') && (
          <Button size="xs" variant="light" onClick={() => setForm('edit')}>
            {t('detail.edit')}
          </Button>
        )}
        {can(org, 'data.analyze') && risk.status !== 'closed' && (
          <Button size="xs" variant="light" color="orange" onClick={() => setForm('accept')}>
            {t('detail.accept')}
          </Button>
        )}
      </Group>
      {form === 'edit' && <EditRisk orgId={orgId} risk={risk} onDone={done} />}
      {form === 'accept' && <AcceptRiskForm orgId={orgId} risk={risk} onDone={done} />}
      {risk.status === 'accepted' && (
        <Text size="sm" data-testid="risk-acceptance">
          {t('detail.acceptedUntil', {
            date: risk.acceptanceExpiresOn,
            rationale: risk.acceptanceRationale,
          })}
        </Text>
      )}
      <Group>
        <Badge color={risk.inherent.colour}>{t('detail.inherent', { level: risk.inherent.name })}</Badge>
        {risk.residual && (
          <Badge color={risk.residual.colour}>{t('detail.residual', { level: risk.residual.name })}</Badge>
        )}
        <Badge variant="outline">{t(`status.${risk.status}`, { defaultValue: risk.status })}</Badge>
        {risk.treatment && (
          <Badge variant="outline">
            {t(`treatment.${risk.treatment}`, { defaultValue: risk.treatment })}
          </Badge>
        )}
      </Group>
      <Text size="sm">{risk.scenario}</Text>
      <TechniqueList orgId={orgId} ids={risk.attackTechniques} />
      <Text size="sm">{t('detail.nextReview', { date: risk.nextReviewOn })}</Text>
      <ErrorAlert error={sim.error} />
      {risk.simulation ? (
        <>
          <SimpleGrid cols={3}>
            <Paper withBorder p="xs">
              <Text size="xs" c="dimmed">
                {t('meanAnnualLoss')}
              </Text>
              <Text fw={700}>
                <Money value={risk.simulation.meanAnnualLoss} testId="mean-annual-loss" />
              </Text>
            </Paper>
            <Paper withBorder p="xs">
              <Text size="xs" c="dimmed">
                {t('p90')}
              </Text>
              <Text fw={700}>{money(risk.simulation.percentiles.p90)}</Text>
            </Paper>
            <Paper withBorder p="xs">
              <Text size="xs" c="dimmed">
                {t('p99')}
              </Text>
              <Text fw={700}>{money(risk.simulation.percentiles.p99)}</Text>
            </Paper>
          </SimpleGrid>
          <ExceedanceChart curve={risk.simulation.lossExceedanceCurve} />
          <Text size="xs" c="dimmed">
            {t('detail.simulated', {
              count: risk.simulation.trials,
              n: formatNumber(risk.simulation.trials),
              seed: risk.simulation.seed,
            })}
          </Text>
        </>
      ) : (
        <Text c="dimmed">{risk.fair ? t('detail.notSimulated') : t('detail.noFair')}</Text>
      )}
      {risk.fair !== null && (
        <Button variant="light" onClick={() => sim.mutate()} loading={sim.isPending}>
          {t('detail.simulateAgain', { n: formatNumber(20_000) })}
        </Button>
      )}
    </Stack>
  );
}

export function RisksPage() {
  const { t } = useTranslation('risks');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  // `?risk=<id>` (from a link elsewhere, e.g. an ATT&CK technique's page) opens that risk.
  const search = useSearch({ strict: false }) as { risk?: string };
  const [selected, setSelected] = useState<string | null>(search.risk ?? null);
  const [q, setQ] = useState('');
  const risks = useQuery({
    queryKey: ['risks', orgId, q],
    queryFn: () => get<Page<Risk>>(`/orgs/${orgId}/risks?limit=500${q ? `&q=${encodeURIComponent(q)}` : ''}`),
  });
  const matrix = useQuery({
    queryKey: ['risk-matrix', orgId],
    queryFn: () => get<MatrixData>(`/orgs/${orgId}/risk-matrix`),
  });
  const portfolio = useQuery({
    queryKey: ['risks', 'portfolio', orgId],
    queryFn: () =>
      get<{
        risks: number;
        total: {
          meanAnnualLoss: number;
          percentiles: Record<string, number>;
          lossExceedanceCurve: Curve[];
        } | null;
      }>(`/orgs/${orgId}/risk-portfolio?trials=10000`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['risks'] });
  const current = risks.data?.items.find((r) => r.id === selected);
  const ranked = [...(risks.data?.items ?? [])].sort(
    (a, b) =>
      (b.simulation?.meanAnnualLoss ?? b.expectedAnnualLoss ?? -1) -
      (a.simulation?.meanAnnualLoss ?? a.expectedAnnualLoss ?? -1),
  );
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={can(org, 'data.write') && <Button onClick={() => setCreating(true)}>{t('add')}</Button>}
      />
      <ErrorAlert error={risks.error ?? matrix.error} />
      <Tabs defaultValue="register" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="register">{t('tabs.register')}</Tabs.Tab>
          <Tabs.Tab value="ranked">{t('tabs.ranked')}</Tabs.Tab>
          <Tabs.Tab value="portfolio">{t('tabs.portfolio')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="register">
          <SimpleGrid cols={{ base: 1, lg: 2 }} mb="md">
            {matrix.data && risks.data && <HeatMap matrix={matrix.data} risks={risks.data.items} />}
          </SimpleGrid>
          <TextInput
            label={t('search')}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            maw={320}
            mb="sm"
          />
          <Table striped withTableBorder highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('columns.risk')}</Table.Th>
                <Table.Th>{t('columns.inherent')}</Table.Th>
                <Table.Th>{t('columns.residual')}</Table.Th>
                <Table.Th>{t('fields.treatment')}</Table.Th>
                <Table.Th>{t('fields.status')}</Table.Th>
                <Table.Th>{t('meanAnnualLoss')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {risks.data?.items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <UnstyledButton c="blue.7" fz="sm" onClick={() => setSelected(r.id)}>
                      {r.title}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={r.inherent.colour}>{r.inherent.name}</Badge>
                  </Table.Td>
                  <Table.Td>
                    {r.residual && <Badge color={r.residual.colour}>{r.residual.name}</Badge>}
                  </Table.Td>
                  <Table.Td>
                    {r.treatment && t(`treatment.${r.treatment}`, { defaultValue: r.treatment })}
                  </Table.Td>
                  <Table.Td>{t(`status.${r.status}`, { defaultValue: r.status })}</Table.Td>
                  <Table.Td>{money(r.simulation?.meanAnnualLoss ?? r.expectedAnnualLoss)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="ranked">
          <Table striped withTableBorder data-testid="ranked-risks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('columns.risk')}</Table.Th>
                <Table.Th>{t('meanAnnualLoss')}</Table.Th>
                <Table.Th>{t('p90')}</Table.Th>
                <Table.Th>{t('columns.level')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ranked.map((r, k) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{k + 1}</Table.Td>
                  <Table.Td>{r.title}</Table.Td>
                  <Table.Td>{money(r.simulation?.meanAnnualLoss ?? r.expectedAnnualLoss)}</Table.Td>
                  <Table.Td>{money(r.simulation?.percentiles.p90)}</Table.Td>
                  <Table.Td>
                    <Badge color={(r.residual ?? r.inherent).colour}>{(r.residual ?? r.inherent).name}</Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="portfolio">
          {portfolio.data?.total ? (
            <Stack>
              <Text>
                <Trans
                  t={t}
                  i18nKey="portfolio.summary"
                  count={portfolio.data.risks}
                  values={{
                    n: formatNumber(portfolio.data.risks),
                    mean: money(portfolio.data.total.meanAnnualLoss),
                    p90: money(portfolio.data.total.percentiles.p90),
                    p99: money(portfolio.data.total.percentiles.p99),
                  }}
                  components={{ b: <b /> }}
                />
              </Text>
              <ExceedanceChart
                curve={portfolio.data.total.lossExceedanceCurve}
                testId="portfolio-exceedance"
              />
            </Stack>
          ) : (
            <Text c="dimmed">{t('portfolio.none')}</Text>
          )}
        </Tabs.Panel>
      </Tabs>
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('add')} size="lg">
        {creating && (
          <NewRisk
            orgId={orgId}
            onDone={() => {
              setCreating(false);
              refresh();
            }}
          />
        )}
      </Modal>
      <Drawer
        opened={!!current}
        onClose={() => setSelected(null)}
        position="right"
        size="xl"
        title={
          <Title order={2} size="h4">
            {current?.title}
          </Title>
        }
      >
        {current && <RiskDetail orgId={orgId} risk={current} onChanged={refresh} />}
      </Drawer>
    </>
  );
}
