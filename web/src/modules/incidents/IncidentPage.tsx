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
import { useOrg, useSession } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
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
            {t(`types.${i.type}`)} · detected {formatDate(i.detectedAt)} · TLP:{i.tlp.toUpperCase()}
            {i.lead ? ` · lead ${i.lead.name}` : ''}
            {i.playbookRef ? ` · playbook ${i.playbookRef} v${i.playbookVersion}` : ''}
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
            {i.exercise && <Badge color="grape">Exercise</Badge>}
            <Badge size="lg" data-testid="incident-status">
              {i.status}
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
                Move to {i.nextPhases.forward}
              </Button>
            )}
            <TextInput
              label="Reason (needed to go back or take a shortcut)"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              w={320}
            />
            {i.nextPhases.skips.map((s) => (
              <Button key={s.to} variant="light" title={s.label} onClick={() => status.mutate(s.to)}>
                Straight to {s.to}
              </Button>
            ))}
            {i.nextPhases.back.length > 0 && (
              <Select
                aria-label="Go back to"
                placeholder="Go back to…"
                data={i.nextPhases.back}
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
      <ImpactPanel incident={i} writable={writable} onSaved={refresh} />
      <Clocks base={base} incidentId={incidentId} writable={writable} />
      <Tabs defaultValue="tasks" mt="lg" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="tasks">Tasks</Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
          <Tabs.Tab value="observables">{t('tabs.observables')}</Tabs.Tab>
          <Tabs.Tab value="sharing">{t('tabs.sharing')}</Tabs.Tab>
          <Tabs.Tab value="evidence">Evidence</Tabs.Tab>
          <Tabs.Tab value="communications">Communications</Tabs.Tab>
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
  const hours = (ms: number | null | undefined) => (ms == null ? '—' : formatDuration(ms));
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Summary
      </Title>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {i.summary || 'No summary yet.'}
      </Text>
      {i.team.length > 0 && (
        <Text size="sm" mt="xs">
          Team: {i.team.map((p) => p.name).join(', ')}
        </Text>
      )}
      <Text size="sm" mt="xs">
        Time zone: {i.timeZone}
      </Text>
      <Table mt="sm" withRowBorders={false}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td>Time to detect</Table.Td>
            <Table.Td>{hours(i.metrics.timeToDetectMs)}</Table.Td>
            <Table.Td>Time to acknowledge</Table.Td>
            <Table.Td>{hours(i.metrics.timeToAcknowledgeMs)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td>Time to contain</Table.Td>
            <Table.Td>{hours(i.metrics.timeToContainMs)}</Table.Td>
            <Table.Td>Time to recover</Table.Td>
            <Table.Td>{hours(i.metrics.timeToRecoverMs)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Card>
  );
}

const LOCATION_OPTIONS = [
  ...Object.entries(LOCATION_LEVELS).map(([k, v]) => ({ value: k, label: `${k}: ${v}` })),
  { value: 'unknown', label: 'Unknown (scored at the midpoint)' },
];

function SeverityForm({ incident: i, onDone }: { incident: Incident; onDone: () => void }) {
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
      {field('functionalImpact', 'Functional impact', FUNCTIONAL_IMPACT)}
      {field('informationImpact', 'Information impact', INFORMATION_IMPACT)}
      {field('recoverability', 'Recoverability', RECOVERABILITY)}
      {field('locationLevel', 'Location of observed activity', LOCATION_OPTIONS)}
      {field('crossSectorDependency', 'Cross-sector dependency', CROSS_SECTOR_DEPENDENCY)}
      <NumberInput
        label="People affected"
        min={0}
        value={population}
        onChange={(x) => setPopulation(Number(x) || 0)}
      />
      <Button onClick={() => save.mutate()} loading={save.isPending}>
        Score
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
  const s = i.severity;
  const [editing, setEditing] = useState(false);
  return (
    <Card withBorder data-testid="severity">
      <Modal opened={editing} onClose={() => setEditing(false)} title="Score severity">
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
          Severity
        </Title>
        <Group gap="xs">
          {s && (
            <Badge color={SEVERITY_COLORS[s.name]} size="lg" data-testid="severity-level">
              {s.name} · {s.score}
            </Badge>
          )}
          {writable && (
            <Button size="compact-sm" variant="light" onClick={() => setEditing(true)}>
              {s ? 'Rescore' : 'Score'}
            </Button>
          )}
        </Group>
      </Group>
      {!s ? (
        <Text size="sm" c="dimmed" mt="xs">
          Not scored yet.
        </Text>
      ) : (
        <>
          <Text size="sm" mt="xs">
            {s.explanation.meaning}
          </Text>
          <Table mt="xs" fz="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Factor</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th>Points</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.explanation.contributions.map((c) => (
                <Table.Tr key={c.factor} title={c.note}>
                  <Table.Td>{c.factor}</Table.Td>
                  <Table.Td>{String(c.input)}</Table.Td>
                  <Table.Td>
                    {c.points} / {c.weight}
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
          Regulatory clocks
        </Title>
        {earliest?.dueAt && (
          <Text size="sm" fw={600}>
            Next deadline: {earliest.title}, {earliest.dueAtLocal}
          </Text>
        )}
      </Group>
      <ErrorAlert error={q.error ?? sent.error} />
      {q.data && clocks.length === 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          No notification duty applies with the facts recorded so far.
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
                    <Badge color={CLOCK_COLORS[c.status]}>{c.status}</Badge>
                    <Text size="sm" data-testid="clock-remaining" ff="monospace">
                      {remaining === null
                        ? c.sentAt
                          ? `sent ${formatDate(c.sentAt)}${c.late ? ' (late)' : ''}`
                          : c.start
                            ? 'without undue delay'
                            : `waits for ${c.startEvent}`
                        : remaining >= 0
                          ? `${formatDuration(remaining, true)} left`
                          : `${formatDuration(remaining, true)} overdue`}
                    </Text>
                  </Group>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Text size="xs" c="dimmed">
                  {c.regime} · {c.citation} · {c.statutory ? 'statutory deadline' : 'internal target'}
                  {c.dueAtLocal ? ` · due ${c.dueAtLocal}` : ''}
                </Text>
                {c.notes && (
                  <Text size="xs" mt={4}>
                    {c.notes}
                  </Text>
                )}
                <Text size="sm" fw={600} mt="xs">
                  Draft: {c.draft.subject}
                </Text>
                <Code block mt={4} data-testid="clock-draft">
                  {c.draft.body}
                </Code>
                {c.draft.missing.length > 0 && (
                  <Text size="xs" c="orange" mt={4}>
                    Still to fill in: {c.draft.missing.join(', ')}
                  </Text>
                )}
                {writable && !c.sentAt && c.start && (
                  <Button size="xs" mt="xs" onClick={() => sent.mutate(c.ruleId)} loading={sent.isPending}>
                    Mark notification sent now
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
      {q.data?.items.length === 0 && <Text c="dimmed">No tasks.</Text>}
      {q.data?.items.map((t) => (
        <Card key={t.id} withBorder padding="sm" data-testid="task">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text fw={600} size="sm" td={t.status === 'done' ? 'line-through' : undefined}>
                {t.title}
              </Text>
              <Text size="xs" c="dimmed">
                {[t.phase, t.csf && `CSF ${t.csf}`, t.role, t.dueAt && `due ${formatDate(t.dueAt)}`]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </div>
            <Select
              aria-label={`Status of ${t.title}`}
              data-testid="task-status"
              data={['open', 'in-progress', 'done', 'cancelled']}
              value={t.status}
              disabled={!writable}
              onChange={(v) => v && update.mutate({ id: t.id, body: { status: v as Task['status'] } })}
              w={140}
              allowDeselect={false}
            />
          </Group>
          <Text size="sm" mt={4}>
            {t.description}
          </Text>
          <Stack gap={4} mt="xs">
            {t.checklist.map((c, k) => (
              <Checkbox
                key={c.text}
                size="xs"
                label={c.text}
                checked={c.done}
                disabled={!writable}
                onChange={(e) => {
                  const checklist = t.checklist.map((x, j) =>
                    j === k ? { ...x, done: e.currentTarget.checked } : x,
                  );
                  update.mutate({ id: t.id, body: { checklist } });
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
          Times in {timeZone}. Entries are ordered by when they happened.
        </Text>
        <Anchor href={`/api/v1${base}/timeline.csv`} size="sm">
          Export CSV
        </Anchor>
      </Group>
      <ErrorAlert error={q.error ?? add.error} />
      {writable && (
        <form onSubmit={submit}>
          <Group align="flex-end">
            <Textarea
              label="What happened"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              required
              autosize
              w={420}
            />
            <TextInput
              label="When it happened"
              type="datetime-local"
              value={occurredAt}
              onChange={(e) => setOccurredAt(e.currentTarget.value)}
              required
            />
            <Button type="submit" loading={add.isPending}>
              Add entry
            </Button>
          </Group>
        </form>
      )}
      <Table striped withTableBorder fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Happened</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Entry</Table.Th>
            <Table.Th>Written</Table.Th>
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
                  {local(e.recordedAt)} by {e.actorLabel}
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
        throw new ApiError(res.status, p.detail ?? `Upload failed (${res.status})`, p.errors ?? []);
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
            label="Evidence file"
            value={file}
            onChange={setFile}
            placeholder="Choose a file"
            w={260}
          />
          <TextInput
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            w={300}
          />
          <Button onClick={() => upload.mutate()} disabled={!file} loading={upload.isPending}>
            Upload
          </Button>
        </Group>
      )}
      <Table withTableBorder fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>File</Table.Th>
            <Table.Th>SHA-256</Table.Th>
            <Table.Th>Custodian</Table.Th>
            <Table.Th>Uploaded</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data?.items.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>
                <Anchor href={`/api/v1${base}/evidence/${e.id}/content`}>{e.fileName}</Anchor>
                <Text size="xs" c="dimmed">
                  {e.description} · {Math.ceil(e.size / 1024)} KiB
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
      {q.data?.items.length === 0 && <Text c="dimmed">No evidence yet.</Text>}
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
            label="Contact"
            value={form.contactName}
            onChange={(e) => set('contactName')(e.currentTarget.value)}
          />
          <Select
            label="Role"
            data={CONTACT_ROLES}
            value={form.contactRole}
            onChange={set('contactRole')}
            w={160}
            allowDeselect={false}
          />
          <Select
            label="Direction"
            data={['outbound', 'inbound', 'internal']}
            value={form.direction}
            onChange={set('direction')}
            w={120}
            allowDeselect={false}
          />
          <TextInput
            label="Channel"
            value={form.channel}
            onChange={(e) => set('channel')(e.currentTarget.value)}
            w={120}
          />
          <TextInput
            label="Summary"
            value={form.summary}
            onChange={(e) => set('summary')(e.currentTarget.value)}
            w={300}
          />
          <Button onClick={() => add.mutate()} loading={add.isPending}>
            Log
          </Button>
        </Group>
      )}
      <Table withTableBorder fz="sm">
        <Table.Tbody>
          {q.data?.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{formatDate(c.occurredAt)}</Table.Td>
              <Table.Td>
                {c.direction} {c.channel}
              </Table.Td>
              <Table.Td>
                {c.contactName} <Badge size="xs">{c.contactRole}</Badge>
              </Table.Td>
              <Table.Td>{c.summary}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {q.data?.items.length === 0 && <Text c="dimmed">No communications logged.</Text>}
    </Stack>
  );
}
