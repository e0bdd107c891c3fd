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
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, can, formatDate, formatDay, get, post, uploadForm } from '../../api';
import { currentLanguage } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Changes, Compare, Gaps, Scores, Trends } from './AssessmentViews';
import { useLevels } from './labels';
import {
  type AssessmentDetail,
  deptKey,
  FUNCTIONS,
  type Requirement,
  type Result,
  STATUS_COLOR,
  STATUSES,
  TIERS,
} from './types';

export function AssessmentPage() {
  const { t } = useTranslation('baselines');
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
        title={d?.assessment.title ?? t('assessment.fallbackTitle')}
        description={
          d &&
          t('assessment.subtitle', {
            document: d.document.title,
            kind: t(`targetKinds.${d.assessment.targetKind}`),
            target: d.departments.map((x) => x.name).join(', '),
          })
        }
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
                {t('assessment.exportResults')}
              </Button>
              <Button component="a" href={`${base}/export/poam`} download variant="light" size="xs">
                {t('assessment.exportPoam')}
              </Button>
              <Button
                component="a"
                href={`${base}/export/deficiencies.xlsx`}
                download
                variant="light"
                size="xs"
              >
                {t('assessment.exportXlsx')}
              </Button>
              <Button
                component="a"
                href={`${base}/export/report.docx?lang=${currentLanguage()}`}
                download
                variant="light"
                size="xs"
              >
                {t('assessment.exportDocx')}
              </Button>
            </Group>
          )
        }
      />
      <ErrorAlert error={detail.error} />
      {d && (
        <>
          <Group gap="sm" mb="md">
            <Progress value={pct} w={240} aria-label={t('assessment.progress')} />
            <Text size="sm" data-testid="progress">
              {t('assessment.answered', { answered: d.progress.answered, total: d.progress.total, pct })}
            </Text>
          </Group>
          <Tabs defaultValue="questionnaire" keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="questionnaire">{t('tabs.questionnaire')}</Tabs.Tab>
              <Tabs.Tab value="gaps">{t('tabs.gaps')}</Tabs.Tab>
              <Tabs.Tab value="scores">{t('tabs.scores')}</Tabs.Tab>
              {d.departments.length > 1 && <Tabs.Tab value="compare">{t('tabs.compare')}</Tabs.Tab>}
              {d.assessment.previousId && <Tabs.Tab value="changes">{t('tabs.changes')}</Tabs.Tab>}
              {d.assessment.previousId && <Tabs.Tab value="trends">{t('tabs.trends')}</Tabs.Tab>}
            </Tabs.List>
            <Tabs.Panel value="questionnaire">
              <Questionnaire orgId={orgId} detail={d} />
            </Tabs.Panel>
            <Tabs.Panel value="gaps">
              <Gaps orgId={orgId} assessmentId={assessmentId} />
            </Tabs.Panel>
            <Tabs.Panel value="scores">
              <Scores orgId={orgId} assessmentId={assessmentId} documentId={d.assessment.documentId} />
            </Tabs.Panel>
            <Tabs.Panel value="compare">
              <Compare orgId={orgId} assessmentId={assessmentId} />
            </Tabs.Panel>
            <Tabs.Panel value="changes">
              <Changes orgId={orgId} assessmentId={assessmentId} scale={d.assessment.maturityScale} />
            </Tabs.Panel>
            <Tabs.Panel value="trends">
              <Trends orgId={orgId} assessmentId={assessmentId} />
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
  const { t } = useTranslation('baselines');
  const levels = useLevels(detail.assessment.maturityScale);
  // Shift+1… picks the scale's first, second… level, whatever their values.
  const scaleLevels = levels.levels.slice(0, 9);
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
    const digit = /^Digit([1-9])$/.exec(e.code)?.[1];
    if (digit && !e.shiftKey && Number(digit) > STATUSES.length) return;
    if (!digit) return;
    e.preventDefault();
    const existing = results.get(`${current.id}|${dept}`);
    if (e.shiftKey) {
      const level = scaleLevels[Number(digit) - 1];
      if (!level || !existing) return;
      saver.mutate({ ...answerOf(existing, current.id, departmentId), maturity: level.value });
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
          label={t('filters.function')}
          data={FUNCTIONS.map((f) => ({ value: f, label: `${f} ${t(`functions.${f}`)}` }))}
          value={fn}
          onChange={(v) => {
            setFn(v);
            setActive(0);
          }}
          clearable
          w={160}
        />
        <Select
          label={t('filters.tier')}
          data={TIERS.map((x) => ({ value: x, label: t(`tiers.${x}`) }))}
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
            aria-label={t('filters.department')}
            data={detail.departments.map((d) => ({ value: deptKey(d.id), label: d.name }))}
            value={dept}
            onChange={setDept}
          />
        )}
        <Switch
          label={t('filters.unanswered')}
          checked={unansweredOnly}
          onChange={(e) => setUnansweredOnly(e.currentTarget.checked)}
        />
      </Group>
      <Text size="xs" c="dimmed">
        {t('questionnaire.shown', { answered, shown: visible.length })} · <Kbd>↑</Kbd>/<Kbd>↓</Kbd>{' '}
        {t('questionnaire.or')} <Kbd>j</Kbd>/<Kbd>k</Kbd> {t('questionnaire.move')} · <Kbd>1</Kbd>–
        <Kbd>5</Kbd> {t('questionnaire.status')} · <Kbd>{t('questionnaire.shift')}</Kbd>+<Kbd>1</Kbd>–
        <Kbd>{scaleLevels.length}</Kbd> {t('questionnaire.maturity')} · {t('questionnaire.saved')}
      </Text>
      <ErrorAlert error={saver.error} title={t('questionnaire.notSaved')} />
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
                      {r.function} · {t(`tiers.${r.tier}`)}
                    </Badge>
                    {result ? (
                      <Badge size="sm" color={STATUS_COLOR[result.effectiveStatus]}>
                        {t(`statuses.${result.effectiveStatus}`)}
                      </Badge>
                    ) : (
                      <Badge size="sm" variant="light" color="gray">
                        {t('statuses.not-assessed')}
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
                    scale={detail.assessment.maturityScale}
                  />
                )}
              </Card>
            );
          })}
        </Stack>
      </div>
      {visible.length === 0 && <Text c="dimmed">{t('questionnaire.noMatch')}</Text>}
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
  scale,
}: {
  orgId: string;
  assessmentId: string;
  requirement: Requirement;
  departmentId: string | null;
  result: Result | undefined;
  write: boolean;
  saver: ReturnType<typeof useSaveAnswer>;
  wantNaReason: boolean;
  scale: AssessmentDetail['assessment']['maturityScale'];
}) {
  const { t } = useTranslation('baselines');
  const levels = useLevels(scale);
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
        aria-label={t('answer.status')}
        disabled={!write}
        data={STATUSES.map((s, i) => ({ value: s.value, label: `${i + 1} ${t(`statuses.${s.value}`)}` }))}
        value={status ?? ''}
        onChange={(v) => {
          setStatus(v);
          save({ status: v });
        }}
      />
      {status === 'not-applicable' && (
        <TextInput
          label={t('answer.naReason')}
          required
          disabled={!write}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          onBlur={() => reason && save({ notApplicableReason: reason })}
          autoFocus={wantNaReason}
        />
      )}
      <Group gap="xs" align="center">
        <Text size="sm">{t('answer.maturity')}</Text>
        <SegmentedControl
          aria-label={t('answer.maturity')}
          size="xs"
          disabled={!write || !status}
          data={levels.levels.map((l) => ({
            value: String(l.value),
            label: `${l.value} ${levels.label(l.value)}`,
          }))}
          value={base.maturity !== null ? String(base.maturity) : ''}
          onChange={(v) => save({ maturity: Number(v) })}
        />
      </Group>
      <Textarea
        label={t('answer.notes')}
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
            label={t('answer.actionOwner')}
            size="xs"
            disabled={!write}
            value={owner}
            onChange={(e) => setOwner(e.currentTarget.value)}
            onBlur={() => owner !== (base.actionOwner ?? '') && save({ actionOwner: owner || null })}
          />
          <TextInput
            label={t('answer.due')}
            type="date"
            size="xs"
            disabled={!write}
            value={due}
            onChange={(e) => setDue(e.currentTarget.value)}
            onBlur={() =>
              due !== (base.actionDue?.slice(0, 10) ?? '') &&
              save({ actionDue: due ? `${due}T00:00:00Z` : null })
            }
          />
        </Group>
      )}
      {result?.downgradeReason && (
        <Text size="sm" c="orange">
          {t('answer.needsReview', { reason: result.downgradeReason })}
        </Text>
      )}
      {result?.assessor && (
        <Text size="xs" c="dimmed">
          {t('answer.assessedBy', { assessor: result.assessor, date: formatDate(result.assessedAt) })}
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
  const { t } = useTranslation('baselines');
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
        {t('evidence.title')}
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
            {e.expiresAt
              ? t('evidence.fromUntil', { from: formatDay(e.effectiveDate), until: formatDay(e.expiresAt) })
              : t('evidence.from', { from: formatDay(e.effectiveDate) })}
          </Text>
          {e.expired && (
            <Badge size="xs" color="red">
              {t('evidence.expired')}
            </Badge>
          )}
        </Group>
      ))}
      {result.evidence.length === 0 && (
        <Text size="xs" c="dimmed">
          {t('evidence.none')}
        </Text>
      )}
      {write && (
        <Group align="flex-end" gap="xs">
          <TextInput
            label={t('evidence.evidenceTitle')}
            size="xs"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          <TextInput
            label={t('evidence.effective')}
            type="date"
            size="xs"
            value={effective}
            onChange={(e) => setEffective(e.currentTarget.value)}
          />
          <TextInput
            label={t('evidence.expires')}
            type="date"
            size="xs"
            value={expires}
            onChange={(e) => setExpires(e.currentTarget.value)}
          />
          <FileInput
            label={t('evidence.file')}
            size="xs"
            placeholder={t('evidence.filePlaceholder')}
            value={file}
            onChange={setFile}
            clearable
            w={200}
          />
          {!file && (
            <TextInput
              label={t('evidence.link')}
              size="xs"
              placeholder={t('evidence.linkPlaceholder')}
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
            {t('evidence.attach')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={attach.error} title={t('evidence.refused')} />
    </Stack>
  );
}
