import {
  Anchor,
  Badge,
  Button,
  Card,
  FileInput,
  Group,
  Kbd,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, can, formatDate, get, post, uploadForm } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import {
  type AssessmentDetail,
  FUNCTIONS,
  type Gap,
  MATURITY,
  type Requirement,
  type Result,
  type Score,
  SEVERITY_COLOR,
  STATUS_COLOR,
  STATUSES,
  TIERS,
} from './types';

const deptKey = (id: string | null) => id ?? 'organization';

export function AssessmentPage() {
  const { orgId, assessmentId } = useParams({ strict: false }) as { orgId: string; assessmentId: string };
  const detail = useQuery({
    queryKey: ['assessment', assessmentId],
    queryFn: () => get<AssessmentDetail>(`/orgs/${orgId}/assessments/${assessmentId}`),
  });
  const d = detail.data;
  const base = `/api/v1/orgs/${orgId}/assessments/${assessmentId}`;
  const pct = d ? Math.round((100 * d.progress.answered) / Math.max(1, d.progress.total)) : 0;
  return (
    <>
      <PageHeader
        title={d?.assessment.title ?? 'Assessment'}
        description={d && `Against ${d.document.title} · ${d.departments.map((x) => x.name).join(', ')}`}
        actions={
          d && (
            <Group gap="xs">
              <Button
                component="a"
                href={`${base}/export/assessment-results`}
                download
                variant="light"
                size="xs"
              >
                OSCAL assessment results
              </Button>
              <Button component="a" href={`${base}/export/poam`} download variant="light" size="xs">
                OSCAL POA&amp;M
              </Button>
              <Button
                component="a"
                href={`${base}/export/deficiencies.xlsx`}
                download
                variant="light"
                size="xs"
              >
                Deficiency workbook
              </Button>
            </Group>
          )
        }
      />
      <ErrorAlert error={detail.error} />
      {d && (
        <>
          <Group gap="sm" mb="md">
            <Progress value={pct} w={240} aria-label="Progress" />
            <Text size="sm" data-testid="progress">
              {d.progress.answered} of {d.progress.total} answered ({pct}%)
            </Text>
          </Group>
          <Tabs defaultValue="questionnaire" keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="questionnaire">Questionnaire</Tabs.Tab>
              <Tabs.Tab value="gaps">Gaps</Tabs.Tab>
              <Tabs.Tab value="scores">Scores and heat map</Tabs.Tab>
              {d.assessment.previousId && <Tabs.Tab value="changes">Changes since last cycle</Tabs.Tab>}
            </Tabs.List>
            <Tabs.Panel value="questionnaire">
              <Questionnaire orgId={orgId} detail={d} />
            </Tabs.Panel>
            <Tabs.Panel value="gaps">
              <Gaps orgId={orgId} assessmentId={assessmentId} />
            </Tabs.Panel>
            <Tabs.Panel value="scores">
              <Scores orgId={orgId} assessmentId={assessmentId} />
            </Tabs.Panel>
            <Tabs.Panel value="changes">
              <Changes orgId={orgId} assessmentId={assessmentId} />
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </>
  );
}

function isTyping(e: KeyboardEvent) {
  const t = e.target as HTMLElement | null;
  return (
    !!t &&
    (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
  );
}

function Questionnaire({ orgId, detail }: { orgId: string; detail: AssessmentDetail }) {
  const org = useOrg(orgId);
  const write = can(org, 'data.write') && detail.assessment.status === 'open';
  const [fn, setFn] = useState<string | null>(null);
  const [tier, setTier] = useState<string | null>(null);
  const [dept, setDept] = useState(deptKey(detail.departments[0]?.id ?? null));
  const [unansweredOnly, setUnansweredOnly] = useState(false);
  const [active, setActive] = useState(0);
  const [pendingNa, setPendingNa] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const results = useMemo(
    () => new Map(detail.results.map((r) => [`${r.requirementId}|${deptKey(r.departmentId)}`, r])),
    [detail.results],
  );
  const visible = detail.requirements.filter(
    (r) =>
      (!fn || r.function === fn) &&
      (!tier || r.tier === tier) &&
      (!unansweredOnly || !results.has(`${r.id}|${dept}`)),
  );
  const current = visible[Math.min(active, visible.length - 1)];
  const departmentId = dept === 'organization' ? null : dept;
  const answered = visible.filter((r) => results.has(`${r.id}|${dept}`)).length;
  const saver = useSaveAnswer(orgId, detail.assessment.id);

  useEffect(() => {
    listRef.current?.querySelector('[data-active="true"]')?.scrollIntoView({ block: 'nearest' });
  });

  // Page-wide shortcuts, like a mail client's: they work wherever the focus is, except while typing.
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  });

  function onKeyDown(e: KeyboardEvent) {
    if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    const move = (delta: number) => {
      e.preventDefault();
      setActive((i) => Math.max(0, Math.min(visible.length - 1, i + delta)));
    };
    if (e.key === 'ArrowDown' || e.key === 'j') return move(1);
    if (e.key === 'ArrowUp' || e.key === 'k') return move(-1);
    if (!current || !write) return;
    const digit = /^Digit([1-5])$/.exec(e.code)?.[1];
    if (!digit) return;
    e.preventDefault();
    const existing = results.get(`${current.id}|${dept}`);
    if (e.shiftKey) {
      if (Number(digit) > 4 || !existing) return;
      saver.mutate({ ...answerOf(existing, current.id, departmentId), maturity: Number(digit) });
    } else {
      const status = STATUSES[Number(digit) - 1].value;
      if (status === 'not-applicable' && !existing?.notApplicableReason) {
        setPendingNa(current.id);
        return;
      }
      saver.mutate({ ...answerOf(existing, current.id, departmentId), status });
    }
  }
  return (
    <Stack gap="sm">
      <Group align="flex-end">
        <Select
          label="CSF function"
          data={FUNCTIONS}
          value={fn}
          onChange={(v) => {
            setFn(v);
            setActive(0);
          }}
          clearable
          w={160}
        />
        <Select
          label="Tier"
          data={TIERS}
          value={tier}
          onChange={(v) => {
            setTier(v);
            setActive(0);
          }}
          clearable
          w={160}
        />
        {detail.departments.length > 1 && (
          <SegmentedControl
            aria-label="Department"
            data={detail.departments.map((d) => ({ value: deptKey(d.id), label: d.name }))}
            value={dept}
            onChange={setDept}
          />
        )}
        <Switch
          label="Unanswered only"
          checked={unansweredOnly}
          onChange={(e) => setUnansweredOnly(e.currentTarget.checked)}
        />
      </Group>
      <Text size="xs" c="dimmed">
        {answered} of {visible.length} shown answered · <Kbd>↑</Kbd>/<Kbd>↓</Kbd> or <Kbd>j</Kbd>/<Kbd>k</Kbd>{' '}
        move · <Kbd>1</Kbd>–<Kbd>5</Kbd> status · <Kbd>Shift</Kbd>+<Kbd>1</Kbd>–<Kbd>4</Kbd> maturity · every
        change is saved at once
      </Text>
      <ErrorAlert error={saver.error} title="Not saved" />
      <div ref={listRef} data-testid="questionnaire">
        <Stack gap={6}>
          {visible.map((r, i) => {
            const result = results.get(`${r.id}|${dept}`);
            const isActive = r.id === current?.id;
            return (
              <Card
                key={r.id}
                withBorder
                padding="sm"
                data-active={isActive}
                data-requirement={r.id}
                style={isActive ? { borderColor: 'var(--mantine-color-blue-filled)' } : undefined}
              >
                <Group
                  justify="space-between"
                  wrap="nowrap"
                  onClick={() => setActive(i)}
                  style={{ cursor: 'pointer' }}
                >
                  <Text size="sm" fw={isActive ? 600 : 400}>
                    {r.label ?? r.id} · {r.title}
                  </Text>
                  <Group gap={4} wrap="nowrap">
                    <Badge size="xs" variant="outline">
                      {r.function} · {r.tier}
                    </Badge>
                    {result ? (
                      <Badge size="sm" color={STATUS_COLOR[result.effectiveStatus]}>
                        {result.effectiveStatus}
                      </Badge>
                    ) : (
                      <Badge size="sm" variant="light" color="gray">
                        not assessed
                      </Badge>
                    )}
                  </Group>
                </Group>
                {isActive && (
                  <AnswerForm
                    key={`${r.id}|${dept}|${result?.assessedAt ?? ''}`}
                    orgId={orgId}
                    assessmentId={detail.assessment.id}
                    requirement={r}
                    departmentId={departmentId}
                    result={result}
                    write={write}
                    saver={saver}
                    wantNaReason={pendingNa === r.id}
                  />
                )}
              </Card>
            );
          })}
        </Stack>
      </div>
      {visible.length === 0 && <Text c="dimmed">No requirement matches the filters.</Text>}
    </Stack>
  );
}

interface AnswerBody {
  requirementId: string;
  departmentId: string | null;
  status: string;
  maturity: number | null;
  notApplicableReason: string | null;
  notes: string;
  actionOwner: string | null;
  actionDue: string | null;
}

function answerOf(r: Result | undefined, requirementId: string, departmentId: string | null): AnswerBody {
  return {
    requirementId,
    departmentId,
    status: r?.status ?? 'not-implemented',
    maturity: r?.maturity ?? null,
    notApplicableReason: r?.notApplicableReason ?? null,
    notes: r?.notes ?? '',
    actionOwner: r?.actionOwner ?? null,
    actionDue: r?.actionDue ?? null,
  };
}

function useSaveAnswer(orgId: string, assessmentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AnswerBody) =>
      api<Result>('PUT', `/orgs/${orgId}/assessments/${assessmentId}/results`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['assessment', assessmentId] }),
  });
}

function AnswerForm({
  orgId,
  assessmentId,
  requirement,
  departmentId,
  result,
  write,
  saver,
  wantNaReason,
}: {
  orgId: string;
  assessmentId: string;
  requirement: Requirement;
  departmentId: string | null;
  result: Result | undefined;
  write: boolean;
  saver: ReturnType<typeof useSaveAnswer>;
  wantNaReason: boolean;
}) {
  const base = answerOf(result, requirement.id, departmentId);
  const [status, setStatus] = useState<string | null>(
    result?.status ?? (wantNaReason ? 'not-applicable' : null),
  );
  const [reason, setReason] = useState(base.notApplicableReason ?? '');
  const [notes, setNotes] = useState(base.notes);
  const [owner, setOwner] = useState(base.actionOwner ?? '');
  const [due, setDue] = useState(base.actionDue?.slice(0, 10) ?? '');
  const save = (patch: Partial<AnswerBody>) => {
    const body = {
      ...base,
      status: status ?? base.status,
      notApplicableReason: reason || null,
      notes,
      ...patch,
    };
    if (body.status === 'not-applicable' && !body.notApplicableReason) return;
    saver.mutate(body);
  };
  return (
    <Stack gap="xs" mt="sm">
      <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
        {requirement.statement}
      </Text>
      <Text size="xs" c="dimmed" lineClamp={4}>
        {requirement.guidance}
      </Text>
      <SegmentedControl
        aria-label="Status"
        disabled={!write}
        data={STATUSES.map((s, i) => ({ value: s.value, label: `${i + 1} ${s.label}` }))}
        value={status ?? ''}
        onChange={(v) => {
          setStatus(v);
          save({ status: v });
        }}
      />
      {status === 'not-applicable' && (
        <TextInput
          label="Why is it not applicable?"
          required
          disabled={!write}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          onBlur={() => reason && save({ notApplicableReason: reason })}
          autoFocus={wantNaReason}
        />
      )}
      <Group gap="xs" align="center">
        <Text size="sm">Maturity</Text>
        <SegmentedControl
          aria-label="Maturity"
          size="xs"
          disabled={!write || !status}
          data={MATURITY.map((m, i) => ({ value: String(i + 1), label: `${i + 1} ${m}` }))}
          value={base.maturity ? String(base.maturity) : ''}
          onChange={(v) => save({ maturity: Number(v) })}
        />
      </Group>
      <Textarea
        label="Notes"
        autosize
        minRows={1}
        disabled={!write || !status}
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
        onBlur={() => notes !== base.notes && save({ notes })}
      />
      {status && status !== 'implemented' && status !== 'not-applicable' && (
        <Group gap="xs" align="flex-end">
          <TextInput
            label="Action owner"
            size="xs"
            disabled={!write}
            value={owner}
            onChange={(e) => setOwner(e.currentTarget.value)}
            onBlur={() => owner !== (base.actionOwner ?? '') && save({ actionOwner: owner || null })}
          />
          <TextInput
            label="Due"
            type="date"
            size="xs"
            disabled={!write}
            value={due}
            onChange={(e) => setDue(e.currentTarget.value)}
            onBlur={() => due !== (base.actionDue?.slice(0, 10) ?? '') && save({})}
          />
        </Group>
      )}
      {result?.downgradeReason && (
        <Text size="sm" c="orange">
          Needs review: {result.downgradeReason}
        </Text>
      )}
      {result?.assessor && (
        <Text size="xs" c="dimmed">
          Assessed by {result.assessor} on {formatDate(result.assessedAt)}
        </Text>
      )}
      {result && <EvidenceBox orgId={orgId} assessmentId={assessmentId} result={result} write={write} />}
    </Stack>
  );
}

function EvidenceBox({
  orgId,
  assessmentId,
  result,
  write,
}: {
  orgId: string;
  assessmentId: string;
  result: Result;
  write: boolean;
}) {
  const qc = useQueryClient();
  const today = new Date().toISOString().slice(0, 10);
  const [title, setTitle] = useState('');
  const [effective, setEffective] = useState(today);
  const [expires, setExpires] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [url, setUrl] = useState('');
  const attach = useMutation({
    mutationFn: () => {
      const fields = {
        requirementId: result.requirementId,
        departmentId: result.departmentId,
        title,
        effectiveDate: `${effective}T00:00:00Z`,
        expiresAt: expires ? `${expires}T00:00:00Z` : null,
      };
      const base = `/orgs/${orgId}/assessments/${assessmentId}/evidence`;
      if (!file) return post(`${base}/links`, { ...fields, url });
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
      form.append('file', file);
      return uploadForm(`${base}/files`, form);
    },
    onSuccess: () => {
      setTitle('');
      setFile(null);
      setUrl('');
      qc.invalidateQueries({ queryKey: ['assessment', assessmentId] });
    },
  });
  return (
    <Stack gap={4} mt="xs">
      <Text size="sm" fw={600}>
        Evidence
      </Text>
      {result.evidence.map((e) => (
        <Group key={e.id} gap="xs">
          {e.kind === 'file' ? (
            <Anchor
              href={`/api/v1/orgs/${orgId}/assessments/${assessmentId}/evidence/${e.id}/content`}
              size="sm"
            >
              {e.title}
            </Anchor>
          ) : (
            <Anchor href={e.url ?? undefined} target="_blank" rel="noreferrer" size="sm">
              {e.title}
            </Anchor>
          )}
          <Text size="xs" c="dimmed">
            from {e.effectiveDate.slice(0, 10)}
            {e.expiresAt ? ` until ${e.expiresAt.slice(0, 10)}` : ''}
          </Text>
          {e.expired && (
            <Badge size="xs" color="red">
              expired
            </Badge>
          )}
        </Group>
      ))}
      {result.evidence.length === 0 && (
        <Text size="xs" c="dimmed">
          None yet.
        </Text>
      )}
      {write && (
        <Group align="flex-end" gap="xs">
          <TextInput
            label="Evidence title"
            size="xs"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          <TextInput
            label="Effective"
            type="date"
            size="xs"
            value={effective}
            onChange={(e) => setEffective(e.currentTarget.value)}
          />
          <TextInput
            label="Expires"
            type="date"
            size="xs"
            value={expires}
            onChange={(e) => setExpires(e.currentTarget.value)}
          />
          <FileInput
            label="File"
            size="xs"
            placeholder="PDF, image, text, CSV, DOCX, XLSX"
            value={file}
            onChange={setFile}
            clearable
            w={200}
          />
          {!file && (
            <TextInput
              label="or link"
              size="xs"
              placeholder="https://…"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
            />
          )}
          <Button
            size="xs"
            onClick={() => attach.mutate()}
            loading={attach.isPending}
            disabled={!title || (!file && !url)}
          >
            Attach
          </Button>
        </Group>
      )}
      <ErrorAlert error={attach.error} title="Evidence refused" />
    </Stack>
  );
}

function Gaps({ orgId, assessmentId }: { orgId: string; assessmentId: string }) {
  const gaps = useQuery({
    queryKey: ['assessment', assessmentId, 'gaps'],
    queryFn: () => get<{ items: Gap[] }>(`/orgs/${orgId}/assessments/${assessmentId}/gaps`),
  });
  return (
    <>
      <ErrorAlert error={gaps.error} />
      <Text size="sm" c="dimmed" mb="xs">
        {gaps.data?.items.length ?? 0} requirements below target, most severe first.
      </Text>
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Severity</Table.Th>
            <Table.Th>Requirement</Table.Th>
            <Table.Th>Department</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Why</Table.Th>
            <Table.Th>Action</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {gaps.data?.items.map((g) => (
            <Table.Tr key={`${g.requirementId}|${g.department}`}>
              <Table.Td>
                <Badge color={SEVERITY_COLOR[g.severity]}>{g.severity}</Badge>
              </Table.Td>
              <Table.Td>
                {g.requirementId} {g.title}
              </Table.Td>
              <Table.Td>{g.department}</Table.Td>
              <Table.Td>{g.status}</Table.Td>
              <Table.Td>
                <Text size="xs">{g.reasons.join('; ')}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {g.actionOwner ?? '—'}
                  {g.actionDue ? `, due ${g.actionDue.slice(0, 10)}` : ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

function heat(score: number | null): string {
  if (score === null) return 'var(--mantine-color-gray-light)';
  // Red at 0 %, amber in the middle, green at 100 %.
  const hue = Math.round((score / 100) * 120);
  return `hsl(${hue} 70% 45% / 0.55)`;
}

function Scores({ orgId, assessmentId }: { orgId: string; assessmentId: string }) {
  const score = useQuery({
    queryKey: ['assessment', assessmentId, 'score'],
    queryFn: () => get<Score>(`/orgs/${orgId}/assessments/${assessmentId}/score`),
  });
  const s = score.data;
  const fmt = (n: number | null) => (n === null ? '—' : `${n}%`);
  return (
    <Stack>
      <ErrorAlert error={score.error} />
      {s && (
        <>
          <Text>
            Overall implementation: <b>{fmt(s.overall.implementationScore)}</b> · average maturity{' '}
            {s.overall.averageMaturity ?? '—'}
          </Text>
          <Text fw={600} component="h2">
            Function × department
          </Text>
          <Table withTableBorder data-testid="heat-map" maw={900}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Department</Table.Th>
                {FUNCTIONS.map((f) => (
                  <Table.Th key={f.value}>{f.label}</Table.Th>
                ))}
                <Table.Th>All</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.byDepartment.map((d) => (
                <Table.Tr key={deptKey(d.id)}>
                  <Table.Td>{d.name}</Table.Td>
                  {FUNCTIONS.map((f) => {
                    const cell = s.heatMap.find((h) => h.departmentId === d.id && h.function === f.value);
                    const v = cell?.implementationScore ?? null;
                    return (
                      <Table.Td key={f.value} style={{ background: heat(v), textAlign: 'center' }}>
                        {fmt(v)}
                      </Table.Td>
                    );
                  })}
                  <Table.Td style={{ background: heat(d.score.implementationScore), textAlign: 'center' }}>
                    {fmt(d.score.implementationScore)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <CsfCoverage orgId={orgId} assessmentId={assessmentId} />
          <Text fw={600} component="h2">
            By tier
          </Text>
          <Table withTableBorder maw={600}>
            <Table.Tbody>
              {Object.entries(s.byTier).map(([t, b]) => (
                <Table.Tr key={t}>
                  <Table.Td>{t}</Table.Td>
                  <Table.Td>{fmt(b.implementationScore)}</Table.Td>
                  <Table.Td>{b.counts['not-assessed']} not assessed</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}

interface Coverage {
  departments: { id: string | null; name: string; percent: number | null; counts: Record<string, number> }[];
}

function CsfCoverage({ orgId, assessmentId }: { orgId: string; assessmentId: string }) {
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
        NIST CSF 2.0 coverage (106 subcategories)
      </Text>
      <Table withTableBorder maw={700} data-testid="csf-coverage">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Department</Table.Th>
            <Table.Th>Coverage</Table.Th>
            <Table.Th>Covered</Table.Th>
            <Table.Th>Partial</Table.Th>
            <Table.Th>Not covered</Table.Th>
            <Table.Th>Not assessed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {coverage.data.departments.map((d) => (
            <Table.Tr key={deptKey(d.id)}>
              <Table.Td>{d.name}</Table.Td>
              <Table.Td>{d.percent === null ? '—' : `${d.percent}%`}</Table.Td>
              <Table.Td>{d.counts.covered}</Table.Td>
              <Table.Td>{d.counts.partial}</Table.Td>
              <Table.Td>{d.counts['not-covered']}</Table.Td>
              <Table.Td>{d.counts['not-assessed']}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

interface ChangeList {
  summary: Record<string, number>;
  scoreDelta: { overall: number | null };
  changes: {
    requirementId: string;
    department: string;
    kind: string;
    before: { status: string; maturity: number | null } | null;
    after: { status: string; maturity: number | null } | null;
  }[];
}

function Changes({ orgId, assessmentId }: { orgId: string; assessmentId: string }) {
  const changes = useQuery({
    queryKey: ['assessment', assessmentId, 'changes'],
    queryFn: () => get<ChangeList>(`/orgs/${orgId}/assessments/${assessmentId}/changes`),
  });
  const c = changes.data;
  return (
    <Stack>
      <ErrorAlert error={changes.error} />
      {c && (
        <>
          <Text>
            {c.summary.improved} improved · {c.summary.regressed} regressed · {c.summary.changed} changed ·
            score{' '}
            {c.scoreDelta.overall === null
              ? '—'
              : `${c.scoreDelta.overall > 0 ? '+' : ''}${c.scoreDelta.overall} points`}
          </Text>
          <Table withTableBorder striped>
            <Table.Tbody>
              {c.changes.map((x) => (
                <Table.Tr key={`${x.requirementId}|${x.department}`}>
                  <Table.Td>{x.requirementId}</Table.Td>
                  <Table.Td>{x.department}</Table.Td>
                  <Table.Td>
                    <Badge color={x.kind === 'improved' ? 'green' : x.kind === 'regressed' ? 'red' : 'gray'}>
                      {x.kind}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {x.before?.status ?? '—'} → {x.after?.status ?? '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
