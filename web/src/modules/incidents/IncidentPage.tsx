import {
  Accordion,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  FileInput,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CROSS_SECTOR_DEPENDENCY,
  FUNCTIONAL_IMPACT,
  INFORMATION_IMPACT,
  LOCATION_LEVELS,
  RECOVERABILITY,
} from '../../../../src/core/incident/severity';
import { ApiError, can, formatDate, get, type Page, patch, post } from '../../api';
import { formatNumber } from '../../i18n';
import { useOrg, useSession } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { TechniqueInput, TechniqueList } from '../intel/Techniques';
import { ImpactPanel } from './ImpactPanel';
import { ObservablesPanel } from './ObservablesPanel';
import { SharePanel } from './SharePanel';
import {
  type Clock,
  type ClockReport,
  type Communication,
  type Evidence,
  formatDuration,
  type Incident,
  SEVERITY_COLORS,
  type Task,
  type TimelineEntry,
} from './types';

/** `datetime-local` value for now, in the browser's zone. */
function localNow(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

const CLOCK_COLORS: Record<Clock['status'], string> = {
  'waiting-for-start-event': 'gray',
  running: 'blue',
  met: 'green',
  overdue: 'red',
};

export function IncidentPage() {
  const { orgId, incidentId } = useParams({ strict: false }) as { orgId: string; incidentId: string };
  const { t } = useTranslation('incidents');
  const org = useOrg(orgId);
  const writable = can(org, 'data.write');
  const base = `/orgs/${orgId}/incidents/${incidentId}`;
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: ['incident', incidentId] });
  const inc = useQuery({ queryKey: ['incident', incidentId, 'main'], queryFn: () => get<Incident>(base) });
  const [reason, setReason] = useState('');
  const status = useMutation({
    mutationFn: (to: string) => post<Incident>(`${base}/status`, { to, ...(reason ? { reason } : {}) }),
    onSuccess: () => {
      setReason('');
      refresh();
      qc.invalidateQueries({ queryKey: ['incidents', orgId] });
    },
  });
  const i = inc.data;
  if (!i) return <ErrorAlert error={inc.error} />;
  return (
    <>
      <PageHeader
        title={i.title}
        description={
          <>
            {t('page.header', { type: t(`types.${i.type}`), at: formatDate(i.detectedAt) })} · TLP:
            {i.tlp.toUpperCase()}
            {i.lead ? ` · ${t('page.lead', { name: i.lead.name })}` : ''}
            {i.playbookRef
              ? ` · ${t('page.playbook', { ref: i.playbookRef, version: i.playbookVersion })}`
              : ''}
          </>
        }
        actions={
          <Group gap="xs">
            <Anchor component={Link} to={`/orgs/${orgId}/incidents/${incidentId}/report`}>
              {t('report.open')}
            </Anchor>
            {i.exercise && (
              <Anchor component={Link} to={`/orgs/${orgId}/incidents/${incidentId}/exercise`}>
                {t('facilitatorView')}
              </Anchor>
            )}
            {i.exercise && <Badge color="grape">{t('page.exercise')}</Badge>}
            <Badge size="lg" data-testid="incident-status">
              {t(`phases.${i.status}`)}
            </Badge>
          </Group>
        }
      />
      <ErrorAlert error={status.error} />
      {writable && (
        <Card withBorder mb="md">
          <Group align="flex-end">
            {i.nextPhases.forward && (
              <Button
                onClick={() => status.mutate(i.nextPhases.forward as string)}
                loading={status.isPending}
              >
                {t('page.moveTo', { phase: t(`phases.${i.nextPhases.forward}`) })}
              </Button>
            )}
            <TextInput
              label={t('page.reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              w={320}
            />
            {i.nextPhases.skips.map((s) => (
              <Button key={s.to} variant="light" title={s.label} onClick={() => status.mutate(s.to)}>
                {t('page.straightTo', { phase: t(`phases.${s.to}`) })}
              </Button>
            ))}
            {i.nextPhases.back.length > 0 && (
              <Select
                aria-label={t('page.goBack')}
                placeholder={t('page.goBackPlaceholder')}
                data={i.nextPhases.back.map((p) => ({ value: p, label: t(`phases.${p}`) }))}
                value={null}
                onChange={(v) => v && status.mutate(v)}
                w={200}
              />
            )}
          </Group>
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
        <Summary incident={i} />
        <Severity incident={i} writable={writable} onSaved={refresh} />
      </SimpleGrid>
      <TechniquesCard incident={i} writable={writable} onSaved={refresh} />
      <ImpactPanel incident={i} writable={writable} onSaved={refresh} />
      <Clocks base={base} incidentId={incidentId} writable={writable} />
      <Tabs defaultValue="tasks" mt="lg" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="tasks">{t('tabs.tasks')}</Tabs.Tab>
          <Tabs.Tab value="timeline">{t('tabs.timeline')}</Tabs.Tab>
          <Tabs.Tab value="observables">{t('tabs.observables')}</Tabs.Tab>
          <Tabs.Tab value="sharing">{t('tabs.sharing')}</Tabs.Tab>
          <Tabs.Tab value="evidence">{t('tabs.evidence')}</Tabs.Tab>
          <Tabs.Tab value="communications">{t('tabs.communications')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="tasks" pt="md">
          <Tasks base={base} incidentId={incidentId} writable={writable} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline" pt="md">
          <Timeline base={base} incidentId={incidentId} writable={writable} timeZone={i.timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="observables" pt="md">
          <ObservablesPanel orgId={orgId} base={base} incidentId={incidentId} writable={writable} />
        </Tabs.Panel>
        <Tabs.Panel value="sharing" pt="md">
          <SharePanel incident={i} canShare={can(org, 'data.analyze')} />
        </Tabs.Panel>
        <Tabs.Panel value="evidence" pt="md">
          <EvidencePanel base={base} incidentId={incidentId} writable={writable} />
        </Tabs.Panel>
        <Tabs.Panel value="communications" pt="md">
          <Communications base={base} incidentId={incidentId} writable={writable} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function Summary({ incident: i }: { incident: Incident }) {
  const { t } = useTranslation('incidents');
  const hours = (ms: number | null | undefined) => (ms == null ? '—' : formatDuration(ms));
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('page.summary')}
      </Title>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {i.summary || t('page.noSummary')}
      </Text>
      {i.team.length > 0 && (
        <Text size="sm" mt="xs">
          {t('page.team', { names: i.team.map((p) => p.name).join(', ') })}
        </Text>
      )}
      <Text size="sm" mt="xs">
        {t('page.timeZone', { zone: i.timeZone })}
      </Text>
      <Table mt="sm" withRowBorders={false}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td>{t('page.ttd')}</Table.Td>
            <Table.Td>{hours(i.metrics.timeToDetectMs)}</Table.Td>
            <Table.Td>{t('page.tta')}</Table.Td>
            <Table.Td>{hours(i.metrics.timeToAcknowledgeMs)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td>{t('page.ttc')}</Table.Td>
            <Table.Td>{hours(i.metrics.timeToContainMs)}</Table.Td>
            <Table.Td>{t('page.ttr')}</Table.Td>
            <Table.Td>{hours(i.metrics.timeToRecoverMs)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** The ATT&CK techniques responders have seen, with their names from the organization's intelligence. */
function TechniquesCard({
  incident: i,
  writable,
  onSaved,
}: {
  incident: Incident;
  writable: boolean;
  onSaved(): void;
}) {
  const { t } = useTranslation('incidents');
  const [editing, setEditing] = useState<string[] | null>(null);
  const save = useMutation({
    mutationFn: (ids: string[]) => patch(`/orgs/${i.orgId}/incidents/${i.id}`, { attackTechniques: ids }),
    onSuccess: () => {
      setEditing(null);
      onSaved();
    },
  });
  return (
    <Card withBorder mb="md">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('techniques.title')}
        </Title>
        {writable && editing === null && (
          <Button size="xs" variant="default" onClick={() => setEditing(i.attackTechniques)}>
            {t('techniques.edit')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={save.error} />
      {editing === null ? (
        i.attackTechniques.length ? (
          <TechniqueList orgId={i.orgId} ids={i.attackTechniques} />
        ) : (
          <Text size="sm" c="dimmed">
            {t('techniques.none')}
          </Text>
        )
      ) : (
        <Stack>
          <TechniqueInput
            orgId={i.orgId}
            label={t('techniques.label')}
            value={editing}
            onChange={setEditing}
          />
          <Group>
            <Button size="xs" loading={save.isPending} onClick={() => save.mutate(editing)}>
              {t('techniques.save')}
            </Button>
            <Button size="xs" variant="subtle" onClick={() => setEditing(null)}>
              {t('common:actions.cancel')}
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}

const LOCATION_KEYS = [...Object.keys(LOCATION_LEVELS), 'unknown'];

function SeverityForm({ incident: i, onDone }: { incident: Incident; onDone: () => void }) {
  const { t } = useTranslation('incidents');
  const prev: Record<string, string> = Object.fromEntries(
    (i.severity?.explanation.contributions ?? []).map((c) => [c.factor, String(c.input)]),
  );
  const [v, setV] = useState({
    functionalImpact: prev.functionalImpact ?? FUNCTIONAL_IMPACT[0],
    informationImpact: prev.informationImpact ?? INFORMATION_IMPACT[0],
    recoverability: prev.recoverability ?? RECOVERABILITY[0],
    locationLevel: prev.locationOfActivity ?? 'unknown',
    crossSectorDependency: prev.crossSectorDependency ?? CROSS_SECTOR_DEPENDENCY[0],
  });
  const [population, setPopulation] = useState<number>(Number(prev.populationAffected ?? 0));
  const save = useMutation({
    mutationFn: () =>
      patch(`/orgs/${i.orgId}/incidents/${i.id}`, {
        severity: {
          ...v,
          locationLevel: v.locationLevel === 'unknown' ? 'unknown' : Number(v.locationLevel),
          populationAffected: population,
        },
      }),
    onSuccess: onDone,
  });
  const field = (
    key: keyof typeof v,
    label: string,
    data: readonly string[] | { value: string; label: string }[],
  ) => (
    <Select
      label={label}
      data={data as string[]}
      value={v[key]}
      onChange={(x) => x && setV({ ...v, [key]: x })}
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
    />
  );
  return (
    <Stack>
      <ErrorAlert error={save.error} />
      {field('functionalImpact', t('page.factors.functionalImpact'), FUNCTIONAL_IMPACT)}
      {field('informationImpact', t('page.factors.informationImpact'), INFORMATION_IMPACT)}
      {field('recoverability', t('page.factors.recoverability'), RECOVERABILITY)}
      {field(
        'locationLevel',
        t('page.factors.locationOfActivity'),
        LOCATION_KEYS.map((k) => ({ value: k, label: t(`page.location.${k}`) })),
      )}
      {field('crossSectorDependency', t('page.factors.crossSectorDependency'), CROSS_SECTOR_DEPENDENCY)}
      <NumberInput
        label={t('page.peopleAffected')}
        min={0}
        value={population}
        onChange={(x) => setPopulation(Number(x) || 0)}
      />
      <Button onClick={() => save.mutate()} loading={save.isPending}>
        {t('page.score')}
      </Button>
    </Stack>
  );
}

function Severity({
  incident: i,
  writable,
  onSaved,
}: {
  incident: Incident;
  writable: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation('incidents');
  const s = i.severity;
  const [editing, setEditing] = useState(false);
  return (
    <Card withBorder data-testid="severity">
      <Modal opened={editing} onClose={() => setEditing(false)} title={t('page.scoreSeverity')}>
        <SeverityForm
          incident={i}
          onDone={() => {
            setEditing(false);
            onSaved();
          }}
        />
      </Modal>
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('page.severity')}
        </Title>
        <Group gap="xs">
          {s && (
            <Badge color={SEVERITY_COLORS[s.name]} size="lg" data-testid="severity-level">
              {t(`severityLevels.${s.name}`)} · {formatNumber(s.score)}
            </Badge>
          )}
          {writable && (
            <Button size="compact-sm" variant="light" onClick={() => setEditing(true)}>
              {s ? t('page.rescore') : t('page.score')}
            </Button>
          )}
        </Group>
      </Group>
      {!s ? (
        <Text size="sm" c="dimmed" mt="xs">
          {t('page.notScored')}
        </Text>
      ) : (
        <>
          <Text size="sm" mt="xs">
            {s.explanation.meaning}
          </Text>
          <Table mt="xs" fz="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('page.factor')}</Table.Th>
                <Table.Th>{t('page.value')}</Table.Th>
                <Table.Th>{t('page.points')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.explanation.contributions.map((c) => (
                <Table.Tr key={c.factor} title={c.note}>
                  <Table.Td>{t(`page.factors.${c.factor}`)}</Table.Td>
                  <Table.Td>{String(c.input)}</Table.Td>
                  <Table.Td>
                    {formatNumber(c.points)} / {formatNumber(c.weight)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {s.explanation.overrides.map((o) => (
            <Text key={o} size="xs" c="red" mt={4}>
              {o}
            </Text>
          ))}
        </>
      )}
    </Card>
  );
}

function Clocks({ base, incidentId, writable }: { base: string; incidentId: string; writable: boolean }) {
  const { t } = useTranslation('incidents');
  const qc = useQueryClient();
  const now = useNow();
  const q = useQuery({
    queryKey: ['incident', incidentId, 'clocks'],
    queryFn: () => get<ClockReport>(`${base}/clocks`),
    refetchInterval: 60_000,
  });
  const sent = useMutation({
    mutationFn: (ruleId: string) =>
      post(`${base}/clocks/${ruleId}/sent`, { sentAt: new Date().toISOString() }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['incident', incidentId] }),
  });
  const clocks = q.data?.clocks ?? [];
  const earliest = clocks.find((c) => c.ruleId === q.data?.earliest);
  return (
    <Card withBorder>
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('page.clocks')}
        </Title>
        {earliest?.dueAt && (
          <Text size="sm" fw={600}>
            {t('page.nextDeadline', { title: earliest.title, at: earliest.dueAtLocal })}
          </Text>
        )}
      </Group>
      <ErrorAlert error={q.error ?? sent.error} />
      {q.data && clocks.length === 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('page.noClocks')}
        </Text>
      )}
      <Accordion mt="xs" multiple>
        {clocks.map((c) => {
          const remaining = c.dueAt && !c.sentAt && c.start ? new Date(c.dueAt).getTime() - now : null;
          return (
            <Accordion.Item key={c.ruleId} value={c.ruleId} data-testid={`clock-${c.ruleId}`}>
              <Accordion.Control>
                <Group justify="space-between" wrap="nowrap" pr="sm">
                  <Text size="sm" fw={600}>
                    {c.title}
                  </Text>
                  <Group gap="xs" wrap="nowrap">
                    <Badge color={CLOCK_COLORS[c.status]}>{t(`page.clockStatus.${c.status}`)}</Badge>
                    <Text size="sm" data-testid="clock-remaining" ff="monospace">
                      {remaining === null
                        ? c.sentAt
                          ? t(c.late ? 'page.sentLate' : 'page.sent', { at: formatDate(c.sentAt) })
                          : c.start
                            ? t('page.withoutUndueDelay')
                            : t('page.waitsFor', { event: c.startEvent })
                        : remaining >= 0
                          ? t('page.left', { duration: formatDuration(remaining, true) })
                          : t('page.overdue', { duration: formatDuration(remaining, true) })}
                    </Text>
                  </Group>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Text size="xs" c="dimmed">
                  {c.regime} · {c.citation} · {c.statutory ? t('page.statutory') : t('page.internalTarget')}
                  {c.dueAtLocal ? ` · ${t('page.due', { at: c.dueAtLocal })}` : ''}
                </Text>
                {c.notes && (
                  <Text size="xs" mt={4}>
                    {c.notes}
                  </Text>
                )}
                <Text size="sm" fw={600} mt="xs">
                  {t('page.draft', { subject: c.draft.subject })}
                </Text>
                <Code block mt={4} data-testid="clock-draft">
                  {c.draft.body}
                </Code>
                {c.draft.missing.length > 0 && (
                  <Text size="xs" c="orange" mt={4}>
                    {t('page.stillToFill', { fields: c.draft.missing.join(', ') })}
                  </Text>
                )}
                {writable && !c.sentAt && c.start && (
                  <Button size="xs" mt="xs" onClick={() => sent.mutate(c.ruleId)} loading={sent.isPending}>
                    {t('page.markSent')}
                  </Button>
                )}
              </Accordion.Panel>
            </Accordion.Item>
          );
        })}
      </Accordion>
    </Card>
  );
}

function Tasks({ base, incidentId, writable }: { base: string; incidentId: string; writable: boolean }) {
  const { t } = useTranslation('incidents');
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['incident', incidentId, 'tasks'],
    queryFn: () => get<Page<Task>>(`${base}/tasks`),
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: Partial<Task> }) =>
      patch<Task>(`${base}/tasks/${id}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['incident', incidentId] }),
  });
  return (
    <Stack gap="sm">
      <ErrorAlert error={q.error ?? update.error} />
      {q.data?.items.length === 0 && <Text c="dimmed">{t('page.noTasks')}</Text>}
      {q.data?.items.map((task) => (
        <Card key={task.id} withBorder padding="sm" data-testid="task">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text fw={600} size="sm" td={task.status === 'done' ? 'line-through' : undefined}>
                {task.title}
              </Text>
              <Text size="xs" c="dimmed">
                {[
                  task.phase && t(`phases.${task.phase}`),
                  task.csf && `CSF ${task.csf}`,
                  task.role,
                  task.dueAt && t('page.due', { at: formatDate(task.dueAt) }),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </div>
            <Select
              aria-label={t('page.taskStatus', { title: task.title })}
              data-testid="task-status"
              data={(['open', 'in-progress', 'done', 'cancelled'] as const).map((v) => ({
                value: v,
                label: t(`page.taskStates.${v}`),
              }))}
              value={task.status}
              disabled={!writable}
              onChange={(v) => v && update.mutate({ id: task.id, body: { status: v as Task['status'] } })}
              w={140}
              allowDeselect={false}
            />
          </Group>
          <Text size="sm" mt={4}>
            {task.description}
          </Text>
          <Stack gap={4} mt="xs">
            {task.checklist.map((c, k) => (
              <Checkbox
                key={c.text}
                size="xs"
                label={c.text}
                checked={c.done}
                disabled={!writable}
                onChange={(e) => {
                  const checklist = task.checklist.map((x, j) =>
                    j === k ? { ...x, done: e.currentTarget.checked } : x,
                  );
                  update.mutate({ id: task.id, body: { checklist } });
                }}
              />
            ))}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

function Timeline({
  base,
  incidentId,
  writable,
  timeZone,
}: {
  base: string;
  incidentId: string;
  writable: boolean;
  timeZone: string;
}) {
  const { t } = useTranslation('incidents');
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [occurredAt, setOccurredAt] = useState(localNow());
  const q = useQuery({
    queryKey: ['incident', incidentId, 'timeline'],
    queryFn: () => get<Page<TimelineEntry>>(`${base}/timeline?limit=500`),
  });
  const add = useMutation({
    mutationFn: () => post(`${base}/timeline`, { text, occurredAt: new Date(occurredAt).toISOString() }),
    onSuccess: () => {
      setText('');
      qc.invalidateQueries({ queryKey: ['incident', incidentId, 'timeline'] });
    },
  });
  const local = (iso: string) =>
    new Date(iso).toLocaleString(undefined, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate();
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('page.timesIn', { zone: timeZone })}
        </Text>
        <Anchor href={`/api/v1${base}/timeline.csv`} size="sm">
          {t('page.exportCsv')}
        </Anchor>
      </Group>
      <ErrorAlert error={q.error ?? add.error} />
      {writable && (
        <form onSubmit={submit}>
          <Group align="flex-end">
            <Textarea
              label={t('page.whatHappened')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              required
              autosize
              w={420}
            />
            <TextInput
              label={t('page.whenHappened')}
              type="datetime-local"
              value={occurredAt}
              onChange={(e) => setOccurredAt(e.currentTarget.value)}
              required
            />
            <Button type="submit" loading={add.isPending}>
              {t('page.addEntry')}
            </Button>
          </Group>
        </form>
      )}
      <Table striped withTableBorder fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('page.happened')}</Table.Th>
            <Table.Th>{t('page.kind')}</Table.Th>
            <Table.Th>{t('page.entry')}</Table.Th>
            <Table.Th>{t('page.written')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data?.items.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{local(e.occurredAt)}</Table.Td>
              <Table.Td>
                <Badge size="xs" variant="light">
                  {e.kind}
                </Badge>
              </Table.Td>
              <Table.Td>{e.text}</Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {t('page.writtenBy', { at: local(e.recordedAt), by: e.actorLabel })}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function EvidencePanel({
  base,
  incidentId,
  writable,
}: {
  base: string;
  incidentId: string;
  writable: boolean;
}) {
  const { t } = useTranslation('incidents');
  const qc = useQueryClient();
  const { session } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [description, setDescription] = useState('');
  const q = useQuery({
    queryKey: ['incident', incidentId, 'evidence'],
    queryFn: () => get<Page<Evidence>>(`${base}/evidence`),
  });
  const upload = useMutation({
    mutationFn: async () => {
      if (!file) return;
      const form = new FormData();
      form.append('description', description);
      form.append('file', file);
      const res = await fetch(`/api/v1${base}/evidence`, {
        method: 'POST',
        body: form,
        credentials: 'same-origin',
        headers: session?.csrfToken ? { 'x-csrf-token': session.csrfToken } : {},
      });
      if (!res.ok) {
        const p = await res.json().catch(() => ({}));
        throw new ApiError(
          res.status,
          p.detail ?? t('page.uploadFailed', { status: res.status }),
          p.errors ?? [],
        );
      }
    },
    onSuccess: () => {
      setFile(null);
      setDescription('');
      qc.invalidateQueries({ queryKey: ['incident', incidentId] });
    },
  });
  return (
    <Stack>
      <ErrorAlert error={q.error ?? upload.error} />
      {writable && (
        <Group align="flex-end">
          <FileInput
            label={t('page.evidenceFile')}
            value={file}
            onChange={setFile}
            placeholder={t('page.chooseFile')}
            w={260}
          />
          <TextInput
            label={t('page.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            w={300}
          />
          <Button onClick={() => upload.mutate()} disabled={!file} loading={upload.isPending}>
            {t('page.upload')}
          </Button>
        </Group>
      )}
      <Table withTableBorder fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('page.file')}</Table.Th>
            <Table.Th>SHA-256</Table.Th>
            <Table.Th>{t('page.custodian')}</Table.Th>
            <Table.Th>{t('page.uploaded')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data?.items.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>
                <Anchor href={`/api/v1${base}/evidence/${e.id}/content`}>{e.fileName}</Anchor>
                <Text size="xs" c="dimmed">
                  {e.description} · {t('page.kib', { size: formatNumber(Math.ceil(e.size / 1024)) })}
                </Text>
              </Table.Td>
              <Table.Td>
                <Code>{e.sha256.slice(0, 16)}…</Code>
              </Table.Td>
              <Table.Td>{e.custodian}</Table.Td>
              <Table.Td>{formatDate(e.uploadedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {q.data?.items.length === 0 && <Text c="dimmed">{t('page.noEvidence')}</Text>}
    </Stack>
  );
}

const CONTACT_ROLES = [
  'law-enforcement',
  'insurer',
  'counsel',
  'vendor',
  'regulator',
  'csirt',
  'public',
  'media',
  'internal',
  'other',
];

function Communications({
  base,
  incidentId,
  writable,
}: {
  base: string;
  incidentId: string;
  writable: boolean;
}) {
  const { t } = useTranslation('incidents');
  const qc = useQueryClient();
  const [form, setForm] = useState({
    contactName: '',
    contactRole: 'law-enforcement',
    channel: 'phone',
    direction: 'outbound',
    summary: '',
  });
  const q = useQuery({
    queryKey: ['incident', incidentId, 'communications'],
    queryFn: () => get<Page<Communication>>(`${base}/communications?limit=500`),
  });
  const add = useMutation({
    mutationFn: () => post(`${base}/communications`, { ...form, occurredAt: new Date().toISOString() }),
    onSuccess: () => {
      setForm({ ...form, contactName: '', summary: '' });
      qc.invalidateQueries({ queryKey: ['incident', incidentId] });
    },
  });
  const set = (k: keyof typeof form) => (v: string | null) => setForm({ ...form, [k]: v ?? '' });
  return (
    <Stack>
      <ErrorAlert error={q.error ?? add.error} />
      {writable && (
        <Group align="flex-end">
          <TextInput
            label={t('page.contact')}
            value={form.contactName}
            onChange={(e) => set('contactName')(e.currentTarget.value)}
          />
          <Select
            label={t('page.role')}
            data={CONTACT_ROLES.map((v) => ({ value: v, label: t(`page.contactRoles.${v}`) }))}
            value={form.contactRole}
            onChange={set('contactRole')}
            w={160}
            allowDeselect={false}
          />
          <Select
            label={t('page.direction')}
            data={(['outbound', 'inbound', 'internal'] as const).map((v) => ({
              value: v,
              label: t(`page.directions.${v}`),
            }))}
            value={form.direction}
            onChange={set('direction')}
            w={120}
            allowDeselect={false}
          />
          <TextInput
            label={t('page.channel')}
            value={form.channel}
            onChange={(e) => set('channel')(e.currentTarget.value)}
            w={120}
          />
          <TextInput
            label={t('page.summary')}
            value={form.summary}
            onChange={(e) => set('summary')(e.currentTarget.value)}
            w={300}
          />
          <Button onClick={() => add.mutate()} loading={add.isPending}>
            {t('page.log')}
          </Button>
        </Group>
      )}
      <Table withTableBorder fz="sm">
        <Table.Tbody>
          {q.data?.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{formatDate(c.occurredAt)}</Table.Td>
              <Table.Td>
                {t(`page.directions.${c.direction}`)} · {c.channel}
              </Table.Td>
              <Table.Td>
                {c.contactName} <Badge size="xs">{t(`page.contactRoles.${c.contactRole}`)}</Badge>
              </Table.Td>
              <Table.Td>{c.summary}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {q.data?.items.length === 0 && <Text c="dimmed">{t('page.noCommunications')}</Text>}
    </Stack>
  );
}
