import {
  Badge,
  Button,
  Group,
  List,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, get, patch } from '../../api';
import { formatNumber } from '../../i18n';
import en from '../../i18n/locales/en/strategy.json';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import type { ObjectiveProgress } from '../strategy/types';
import { money } from './RisksPage';

interface Plan {
  budget: number;
  method: string;
  optimal: boolean;
  totalCost: number;
  totalReduction: number;
  budgetLeft: number;
  reasoning: string[];
  actions: {
    id: string;
    title: string;
    cost: number;
    reduction: number;
    chosen: boolean;
    reason: string;
    notes: string[];
  }[];
  roadmap: {
    quarter: string;
    cost: number;
    notes: string[];
    actions: { id: string; title: string; cost: number }[];
  }[];
}

interface Objective {
  id: string;
  title: string;
  description: string;
  owner: string | null;
  dueDate: string | null;
  kpis: {
    id: string;
    name: string;
    unit: string;
    target: number;
    current: number | null;
    direction: 'increase' | 'decrease';
    source: 'manual' | 'pending';
    sourceModule: string | null;
    indicatorKey?: string | null;
    progress: number | null;
  }[];
}

/** The strategy indicators a KPI may be measured by. */
const INDICATOR_KEYS = Object.keys(en.indicators);

interface Action {
  id: string;
  title: string;
  description: string;
  cost: number;
  effortDays: number | null;
  owner: string | null;
  dueDate: string | null;
  status: string;
  objectiveIds: string[];
}

const num = (x: number | string) => (x === '' ? null : Number(x));

/** Edits a treatment action (PATCH): what it is, its cost and effort, owner, due date and status. */
function EditAction({
  orgId,
  action,
  objectives,
  onDone,
}: {
  orgId: string;
  action: Action;
  objectives: { id: string; title: string }[];
  onDone(): void;
}) {
  const { t } = useTranslation('risks');
  const [v, setV] = useState({
    objectiveIds: action.objectiveIds,
    title: action.title,
    description: action.description,
    cost: action.cost as number | string,
    effortDays: (action.effortDays ?? '') as number | string,
    owner: action.owner ?? '',
    dueDate: action.dueDate ?? '',
    status: action.status,
  });
  const save = useMutation({
    mutationFn: () =>
      patch(`/orgs/${orgId}/treatment-actions/${action.id}`, {
        title: v.title,
        description: v.description,
        cost: Number(v.cost) || 0,
        effortDays: num(v.effortDays),
        owner: v.owner.trim() || null,
        dueDate: v.dueDate || null,
        status: v.status,
        objectiveIds: v.objectiveIds,
      }),
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
          label={t('fields.title')}
          required
          value={v.title}
          onChange={(e) => setV({ ...v, title: e.currentTarget.value })}
        />
        <Textarea
          label={t('plan.fields.description')}
          value={v.description}
          onChange={(e) => setV({ ...v, description: e.currentTarget.value })}
        />
        <Group grow>
          <NumberInput
            label={t('plan.fields.cost')}
            min={0}
            thousandSeparator=","
            value={v.cost}
            onChange={(x) => setV({ ...v, cost: x })}
          />
          <NumberInput
            label={t('plan.fields.effortDays')}
            min={0}
            value={v.effortDays}
            onChange={(x) => setV({ ...v, effortDays: x })}
          />
        </Group>
        <Group grow>
          <TextInput
            label={t('fields.owner')}
            value={v.owner}
            onChange={(e) => setV({ ...v, owner: e.currentTarget.value })}
          />
          <TextInput
            label={t('plan.fields.dueDate')}
            type="date"
            value={v.dueDate}
            onChange={(e) => setV({ ...v, dueDate: e.currentTarget.value })}
          />
          <Select
            label={t('fields.status')}
            data={['planned', 'in_progress', 'done', 'cancelled'].map((x) => ({
              value: x,
              label: t(`plan.actionStatus.${x}`),
            }))}
            value={v.status}
            onChange={(x) => x && setV({ ...v, status: x })}
            allowDeselect={false}
          />
        </Group>
        <MultiSelect
          label={t('plan.objectivesServed')}
          data={objectives.map((o) => ({ value: o.id, label: o.title }))}
          value={v.objectiveIds}
          onChange={(x) => setV({ ...v, objectiveIds: x })}
          clearable
        />
        <Button type="submit" loading={save.isPending}>
          {t('plan.saveAction')}
        </Button>
      </Stack>
    </form>
  );
}

/** Edits an objective (PATCH): title, owner, due date, and each KPI's target and current value. */
function EditObjective({
  orgId,
  objective,
  onDone,
}: {
  orgId: string;
  objective: Objective;
  onDone(): void;
}) {
  const { t } = useTranslation('risks');
  const [v, setV] = useState({
    title: objective.title,
    description: objective.description,
    owner: objective.owner ?? '',
    dueDate: objective.dueDate ?? '',
  });
  const [kpis, setKpis] = useState(
    objective.kpis.map((k) => ({
      ...k,
      target: k.target as number | string,
      current: (k.current ?? '') as number | string,
    })),
  );
  const save = useMutation({
    mutationFn: () =>
      patch(`/orgs/${orgId}/objectives/${objective.id}`, {
        title: v.title,
        description: v.description,
        owner: v.owner.trim() || null,
        dueDate: v.dueDate || null,
        kpis: kpis.map((k) => ({
          id: k.id,
          name: k.name,
          unit: k.unit,
          target: Number(k.target) || 0,
          current: k.source === 'pending' ? null : num(k.current),
          direction: k.direction,
          source: k.source,
          sourceModule: k.sourceModule,
          indicatorKey: k.indicatorKey || null,
          ...(k.indicatorKey ? { current: null } : {}),
        })),
      }),
    onSuccess: onDone,
  });
  const setKpi = (i: number, field: 'target' | 'current' | 'indicatorKey', x: number | string | null) =>
    setKpis(kpis.map((k, j) => (j === i ? { ...k, [field]: x } : k)));
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
          label={t('plan.fields.description')}
          value={v.description}
          onChange={(e) => setV({ ...v, description: e.currentTarget.value })}
        />
        <Group grow>
          <TextInput
            label={t('fields.owner')}
            value={v.owner}
            onChange={(e) => setV({ ...v, owner: e.currentTarget.value })}
          />
          <TextInput
            label={t('plan.fields.dueDate')}
            type="date"
            value={v.dueDate}
            onChange={(e) => setV({ ...v, dueDate: e.currentTarget.value })}
          />
        </Group>
        {kpis.map((k, i) => (
          <Group grow key={k.id}>
            <NumberInput
              label={t('plan.kpiTarget', { name: k.name, unit: k.unit })}
              value={k.target}
              onChange={(x) => setKpi(i, 'target', x)}
            />
            <NumberInput
              label={t('plan.kpiCurrent', { name: k.name, unit: k.unit })}
              value={k.indicatorKey ? '' : k.current}
              disabled={k.source === 'pending' || !!k.indicatorKey}
              description={
                k.indicatorKey
                  ? t('plan.measuredLive')
                  : k.source === 'pending'
                    ? t('plan.fedLater', { module: k.sourceModule })
                    : undefined
              }
              onChange={(x) => setKpi(i, 'current', x)}
            />
            <Select
              label={t('plan.kpiMeasuredBy', { name: k.name })}
              placeholder={t('plan.typedIn')}
              data={INDICATOR_KEYS.map((key) => ({
                value: key,
                label: t(`strategy:indicators.${key}.label`),
              }))}
              value={k.indicatorKey ?? null}
              onChange={(x) => setKpi(i, 'indicatorKey', x)}
              searchable
              clearable
            />
          </Group>
        ))}
        <Button type="submit" loading={save.isPending}>
          {t('plan.saveObjective')}
        </Button>
      </Stack>
    </form>
  );
}

export function PlanPage() {
  const { t } = useTranslation('risks');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const qc = useQueryClient();
  const writer = can(org, 'data.write');
  const [editAction, setEditAction] = useState<string | null>(null);
  const [editObjective, setEditObjective] = useState<string | null>(null);
  const actions = useQuery({
    queryKey: ['treatment-actions', orgId],
    queryFn: () => get<{ items: Action[] }>(`/orgs/${orgId}/treatment-actions`),
    enabled: writer,
  });
  const changed = () => {
    setEditAction(null);
    setEditObjective(null);
    void qc.invalidateQueries({ queryKey: ['treatment-actions', orgId] });
    void qc.invalidateQueries({ queryKey: ['objectives', orgId] });
    void qc.invalidateQueries({ queryKey: ['strategy-objectives', orgId] });
    void qc.invalidateQueries({ queryKey: ['risks', 'plan', orgId] });
  };
  const actionBeingEdited = actions.data?.items.find((a) => a.id === editAction);
  const now = new Date();
  const [budget, setBudget] = useState<number | string>(300_000);
  const [capacity, setCapacity] = useState<number | string>('');
  const [start, setStart] = useState(`${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`);
  const [asked, setAsked] = useState({ budget: 300_000, capacity: '' as number | string, start });
  const plan = useQuery({
    queryKey: ['risks', 'plan', orgId, asked],
    queryFn: () =>
      get<Plan>(
        `/orgs/${orgId}/risk-plan?budget=${asked.budget}&startQuarter=${asked.start}${asked.capacity ? `&quarterlyCapacity=${asked.capacity}` : ''}`,
      ),
  });
  const objectives = useQuery({
    queryKey: ['objectives', orgId],
    queryFn: () => get<{ items: Objective[] }>(`/orgs/${orgId}/objectives`),
  });
  const measured = useQuery({
    queryKey: ['strategy-objectives', orgId],
    queryFn: () => get<{ items: ObjectiveProgress[] }>(`/orgs/${orgId}/strategy/objectives`),
  });
  const measuredKpi = new Map(
    measured.data?.items.flatMap((o) => o.kpis.map((k) => [k.id, k] as const)) ?? [],
  );
  const servedBy = (actionId: string) =>
    (measured.data?.items ?? []).filter((o) => o.actions.some((a) => a.id === actionId)).map((o) => o.title);
  return (
    <>
      <PageHeader title={t('plan.title')} description={t('plan.description')} />
      <Group align="flex-end" mb="md">
        <NumberInput
          label={t('plan.budget')}
          min={0}
          thousandSeparator=","
          value={budget}
          onChange={setBudget}
          w={180}
        />
        <NumberInput
          label={t('plan.capacity')}
          min={1}
          thousandSeparator=","
          value={capacity}
          onChange={setCapacity}
          w={220}
        />
        <TextInput
          label={t('plan.firstQuarter')}
          value={start}
          onChange={(e) => setStart(e.currentTarget.value)}
          w={120}
        />
        <Button onClick={() => setAsked({ budget: Number(budget) || 0, capacity, start })}>
          {t('plan.submit')}
        </Button>
      </Group>
      <ErrorAlert error={plan.error ?? objectives.error} />
      {plan.data && (
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Paper withBorder p="sm">
              <Text size="xs" c="dimmed">
                {t('plan.reduction')}
              </Text>
              <Text fw={700} data-testid="plan-reduction">
                {money(plan.data.totalReduction)}
              </Text>
            </Paper>
            <Paper withBorder p="sm">
              <Text size="xs" c="dimmed">
                {t('plan.fields.cost')}
              </Text>
              <Text fw={700}>
                {t('plan.costOfBudget', {
                  cost: money(plan.data.totalCost),
                  budget: money(plan.data.budget),
                })}
              </Text>
            </Paper>
            <Paper withBorder p="sm">
              <Text size="xs" c="dimmed">
                {t('plan.method')}
              </Text>
              <Text fw={700}>
                {t(`plan.methods.${plan.data.method}`, { defaultValue: plan.data.method })}{' '}
                {plan.data.optimal ? t('plan.optimal') : t('plan.bestFound')}
              </Text>
            </Paper>
          </SimpleGrid>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('plan.columns.action')}</Table.Th>
                <Table.Th>{t('plan.fields.cost')}</Table.Th>
                <Table.Th>{t('plan.columns.reduction')}</Table.Th>
                <Table.Th>{t('plan.columns.decision')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plan.data.actions.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    {a.title}{' '}
                    {writer && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        aria-label={t('plan.editActionOne', { title: a.title })}
                        onClick={() => setEditAction(a.id)}
                      >
                        {t('common:actions.edit')}
                      </Button>
                    )}
                  </Table.Td>
                  <Table.Td>{money(a.cost)}</Table.Td>
                  <Table.Td>{money(a.reduction)}</Table.Td>
                  <Table.Td>
                    <Badge color={a.chosen ? 'green' : 'gray'}>
                      {a.chosen ? t('plan.chosen') : t('plan.leftOut')}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {a.reason}
                      {a.notes.length > 0 ? ` (${a.notes.join('; ')})` : ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={2} size="h4">
            {t('plan.why')}
          </Title>
          <List size="sm">
            {plan.data.reasoning.map((r) => (
              <List.Item key={r}>{r}</List.Item>
            ))}
          </List>
          <Title order={2} size="h4">
            {t('plan.roadmap')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} data-testid="roadmap">
            {plan.data.roadmap.map((q) => (
              <Paper withBorder p="sm" key={q.quarter}>
                <Text fw={700}>{q.quarter}</Text>
                <Text size="xs" c="dimmed">
                  {money(q.cost)}
                </Text>
                <List size="sm" mt="xs">
                  {q.actions.map((a) => (
                    <List.Item key={a.id}>
                      {a.title}
                      {servedBy(a.id).length > 0 && (
                        <Text size="xs" c="dimmed">
                          {t('plan.serves', { objectives: servedBy(a.id).join('; ') })}
                        </Text>
                      )}
                    </List.Item>
                  ))}
                </List>
                {q.notes.map((n) => (
                  <Text size="xs" c="orange" key={n}>
                    {n}
                  </Text>
                ))}
              </Paper>
            ))}
          </SimpleGrid>
          {plan.data.roadmap.length === 0 && <Text c="dimmed">{t('plan.nothingFits')}</Text>}
        </Stack>
      )}
      <Title order={2} size="h4" mt="xl" mb="sm">
        {t('plan.objectives')}
      </Title>
      <Stack>
        {objectives.data?.items.map((o) => (
          <Paper withBorder p="sm" key={o.id}>
            <Text fw={700}>
              {o.title}{' '}
              {o.owner && (
                <Text span c="dimmed" size="sm">
                  · {o.owner}
                </Text>
              )}{' '}
              {writer && (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  aria-label={t('plan.editObjectiveOne', { title: o.title })}
                  onClick={() => setEditObjective(o.id)}
                >
                  {t('common:actions.edit')}
                </Button>
              )}
            </Text>
            <Table fz="sm">
              <Table.Tbody>
                {o.kpis.map((k) => (
                  <Table.Tr key={k.id}>
                    <Table.Td>{k.name}</Table.Td>
                    <Table.Td>
                      {t('plan.kpiTargetValue', { value: formatNumber(k.target), unit: k.unit })}
                    </Table.Td>
                    <Table.Td>
                      {k.indicatorKey ? (
                        <Text size="sm" data-testid={`kpi-measured-${k.id}`}>
                          {measuredKpi.get(k.id)?.current == null
                            ? t('plan.noDataYet')
                            : `${formatNumber(measuredKpi.get(k.id)?.current, { maximumFractionDigits: 1 })} ${k.unit}`}{' '}
                          <Badge color="teal" variant="light">
                            {t('plan.measured')}
                          </Badge>
                        </Text>
                      ) : k.source === 'pending' ? (
                        <Badge color="gray">{t('plan.fedPending', { module: k.sourceModule })}</Badge>
                      ) : (
                        `${k.current === null ? '—' : formatNumber(k.current)} ${k.unit}${
                          k.progress !== null
                            ? ` (${formatNumber(k.progress, { style: 'percent', maximumFractionDigits: 0 })})`
                            : ''
                        }`
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {(measured.data?.items.find((m) => m.id === o.id)?.actions.length ?? 0) > 0 && (
              <Text size="xs" c="dimmed">
                {t('plan.actionsServing')}{' '}
                {measured.data?.items
                  .find((m) => m.id === o.id)
                  ?.actions.map((a) => a.title)
                  .join('; ')}
              </Text>
            )}
          </Paper>
        ))}
        {objectives.data?.items.length === 0 && <Text c="dimmed">{t('plan.noObjective')}</Text>}
      </Stack>
      <Modal
        opened={!!actionBeingEdited}
        onClose={() => setEditAction(null)}
        title={t('plan.editAction')}
        size="lg"
      >
        {actionBeingEdited && (
          <EditAction
            orgId={orgId}
            action={actionBeingEdited}
            objectives={objectives.data?.items ?? []}
            onDone={changed}
          />
        )}
      </Modal>
      <Modal
        opened={!!editObjective}
        onClose={() => setEditObjective(null)}
        title={t('plan.editObjective')}
        size="lg"
      >
        {objectives.data?.items
          .filter((o) => o.id === editObjective)
          .map((o) => (
            <EditObjective key={o.id} orgId={orgId} objective={o} onDone={changed} />
          ))}
      </Modal>
    </>
  );
}
