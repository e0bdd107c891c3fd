import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, can, formatDate, formatDay, get, type Page, post } from '../../api';
import { useOrg, useSession } from '../../session';
import { ErrorAlert, fieldError } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { useLevels } from './labels';
import {
  type Assessment,
  type BaselineDocument,
  type Evidence,
  type MaturityScale,
  type Settings,
  TIERS,
} from './types';

const LIMIT = 25;

interface Expiring extends Evidence {
  requirementId: string;
  assessmentId: string;
  assessmentTitle: string;
}

export function AssessmentsPage() {
  const { t } = useTranslation('baselines');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const write = can(org, 'data.write');
  const [offset, setOffset] = useState(0);
  const [opened, { open, close }] = useDisclosure(false);
  const list = useQuery({
    queryKey: ['assessments', orgId, offset],
    queryFn: () => get<Page<Assessment>>(`/orgs/${orgId}/assessments?limit=${LIMIT}&offset=${offset}`),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title={t('assessments.title')}
        description={t('assessments.description')}
        actions={write && <Button onClick={open}>{t('assessments.new')}</Button>}
      />
      <ErrorAlert error={list.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('assessments.columns.title')}</Table.Th>
            <Table.Th>{t('assessments.columns.assessed')}</Table.Th>
            <Table.Th miw={110}>{t('assessments.columns.status')}</Table.Th>
            <Table.Th>{t('assessments.columns.target')}</Table.Th>
            <Table.Th>{t('assessments.columns.started')}</Table.Th>
            <Table.Th>{t('assessments.columns.lastChange')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((a) => (
            <AssessmentRow key={a.id} orgId={orgId} a={a} />
          ))}
        </Table.Tbody>
      </Table>
      {list.data?.items.length === 0 && (
        <Text c="dimmed" mt="md">
          {t('assessments.empty')}
        </Text>
      )}
      {list.data && <Pager total={list.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />}
      <ExpiringEvidence orgId={orgId} />
      <ScaleSettings orgId={orgId} />
      <Modal opened={opened} onClose={close} title={t('create.title')}>
        {opened && <CreateAssessment orgId={orgId} previous={list.data?.items ?? []} onDone={close} />}
      </Modal>
    </>
  );
}

function AssessmentRow({ orgId, a }: { orgId: string; a: Assessment }) {
  const { t } = useTranslation('baselines');
  const levels = useLevels(a.maturityScale);
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/orgs/${orgId}/baselines/assessments/${a.id}`}>
          {a.title}
        </Anchor>
      </Table.Td>
      <Table.Td>
        {t(`targetKinds.${a.targetKind}`)}
        {a.systemName ? `: ${a.systemName}` : ''}
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={a.status === 'open' ? 'blue' : 'gray'}>
          {t(`assessmentStatus.${a.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        {a.targetTier
          ? t('assessments.tierAndBelow', { tier: t(`tiers.${a.targetTier}`) })
          : t('assessments.allTiers')}
        {a.targetMaturity !== null
          ? `, ${t('assessments.maturity', { level: levels.label(a.targetMaturity) })}`
          : ''}
      </Table.Td>
      <Table.Td>{formatDate(a.createdAt)}</Table.Td>
      <Table.Td>{formatDate(a.updatedAt)}</Table.Td>
    </Table.Tr>
  );
}

interface SystemItem {
  id: string;
  name: string;
}

function CreateAssessment({
  orgId,
  previous,
  onDone,
}: {
  orgId: string;
  previous: Assessment[];
  onDone(): void;
}) {
  const { t } = useTranslation('baselines');
  const { session } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const docs = useQuery({
    queryKey: ['catalogs', orgId],
    queryFn: () => get<Page<BaselineDocument>>(`/orgs/${orgId}/catalogs?limit=200`),
  });
  const settings = useQuery({
    queryKey: ['baseline-settings', orgId],
    queryFn: () => get<Settings>(`/orgs/${orgId}/baselines/settings`),
  });
  const levels = useLevels(settings.data?.maturityScale);
  const departments = (session?.organizations ?? []).filter((o) => o.parentId === orgId);
  const [title, setTitle] = useState('');
  const [documentId, setDocumentId] = useState<string | null>(null);
  const [kind, setKind] = useState<string>('organization');
  const [departmentIds, setDepartmentIds] = useState<string[]>([]);
  const [systemId, setSystemId] = useState<string | null>(null);
  const [systemSearch, setSystemSearch] = useState('');
  const [q] = useDebouncedValue(systemSearch, 250);
  const systems = useQuery({
    queryKey: ['systems-pick', orgId, q],
    queryFn: () =>
      get<Page<SystemItem>>(
        `/orgs/${orgId}/assets/systems?limit=50${q ? `&q=${encodeURIComponent(q)}` : ''}`,
      ),
    enabled: kind === 'system',
    placeholderData: keepPreviousData,
  });
  const [targetTier, setTargetTier] = useState<string | null>('foundational');
  const [targetMaturity, setTargetMaturity] = useState<string | null>(null);
  const [previousId, setPreviousId] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      post<Assessment>(`/orgs/${orgId}/assessments`, {
        title,
        documentId,
        departmentIds: kind === 'department' ? departmentIds : [],
        systemId: kind === 'system' ? systemId : null,
        targetTier,
        targetMaturity: targetMaturity === null ? null : Number(targetMaturity),
        previousId,
      }),
    onSuccess: (a) => {
      qc.invalidateQueries({ queryKey: ['assessments', orgId] });
      onDone();
      navigate({ to: `/orgs/${orgId}/baselines/assessments/${a.id}` });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <ErrorAlert error={create.error} />
        <TextInput
          label={t('create.name')}
          required
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={fieldError(create.error, 'title')}
        />
        <Select
          label={t('create.document')}
          required
          data={(docs.data?.items ?? []).map((d) => ({
            value: d.id,
            label: `${d.title} (${t(`docKinds.${d.kind}`)})`,
          }))}
          value={documentId}
          onChange={setDocumentId}
          error={fieldError(create.error, 'documentId')}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="assess-what">
            {t('create.assess')}
          </Text>
          <SegmentedControl
            aria-labelledby="assess-what"
            data={[
              { value: 'organization', label: t('targetKinds.organization') },
              { value: 'department', label: t('targetKinds.department') },
              { value: 'system', label: t('targetKinds.system') },
            ]}
            value={kind}
            onChange={setKind}
          />
        </Stack>
        {kind === 'department' && (
          <MultiSelect
            label={t('create.departments')}
            description={t('create.departmentsHelp')}
            data={departments.map((d) => ({ value: d.id, label: d.name }))}
            value={departmentIds}
            onChange={setDepartmentIds}
            error={fieldError(create.error, 'departmentIds')}
          />
        )}
        {kind === 'system' && (
          <Select
            label={t('create.system')}
            description={t('create.systemHelp')}
            searchable
            required
            searchValue={systemSearch}
            onSearchChange={setSystemSearch}
            data={(systems.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={systemId}
            onChange={setSystemId}
            nothingFoundMessage={t('create.noSystem')}
            error={fieldError(create.error, 'systemId')}
          />
        )}
        <Group grow>
          <Select
            label={t('create.targetTier')}
            data={TIERS.map((x) => ({ value: x, label: t(`tiers.${x}`) }))}
            value={targetTier}
            onChange={setTargetTier}
            clearable
          />
          <Select
            label={t('create.targetMaturity')}
            description={levels.name}
            data={levels.levels.map((l) => ({
              value: String(l.value),
              label: `${l.value} ${levels.label(l.value)}`,
            }))}
            value={targetMaturity}
            onChange={setTargetMaturity}
            clearable
            error={fieldError(create.error, 'targetMaturity')}
          />
        </Group>
        <Select
          label={t('create.previous')}
          description={t('create.previousHelp')}
          data={previous.map((a) => ({ value: a.id, label: a.title }))}
          value={previousId}
          onChange={(v) => {
            setPreviousId(v);
            const p = previous.find((a) => a.id === v);
            if (p) {
              setDocumentId(p.documentId);
              setDepartmentIds(p.departmentIds);
              setSystemId(p.systemId);
              setKind(p.systemId ? 'system' : p.departmentIds.length ? 'department' : 'organization');
            }
          }}
          clearable
        />
        <Button type="submit" loading={create.isPending}>
          {t('create.start')}
        </Button>
      </Stack>
    </form>
  );
}

function ExpiringEvidence({ orgId }: { orgId: string }) {
  const { t } = useTranslation('baselines');
  const [days, setDays] = useState<string | null>('90');
  const list = useQuery({
    queryKey: ['evidence-expiring', orgId, days],
    queryFn: () => get<Page<Expiring>>(`/orgs/${orgId}/evidence/expiring?days=${days ?? 90}&limit=100`),
  });
  return (
    <Stack mt="xl" gap="sm">
      <Group justify="space-between">
        <Text fw={600} size="lg" component="h2">
          {t('expiring.title')}
        </Text>
        <Select
          aria-label={t('expiring.within')}
          data={[
            { value: '30', label: t('expiring.days30') },
            { value: '90', label: t('expiring.days90') },
            { value: '365', label: t('expiring.year') },
          ]}
          value={days}
          onChange={setDays}
          maw={180}
        />
      </Group>
      <ErrorAlert error={list.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('expiring.evidence')}</Table.Th>
            <Table.Th>{t('expiring.requirement')}</Table.Th>
            <Table.Th>{t('expiring.assessment')}</Table.Th>
            <Table.Th>{t('expiring.expires')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{e.title}</Table.Td>
              <Table.Td>{e.requirementId}</Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/orgs/${orgId}/baselines/assessments/${e.assessmentId}`}>
                  {e.assessmentTitle}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {formatDay(e.expiresAt)}{' '}
                {e.expired && (
                  <Badge color="red" size="sm">
                    {t('evidence.expired')}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data?.items.length === 0 && <Text c="dimmed">{t('expiring.none')}</Text>}
    </Stack>
  );
}

/** The maturity scale new assessments use: shown to all, chosen or written by data administrators. */
function ScaleSettings({ orgId }: { orgId: string }) {
  const { t } = useTranslation('baselines');
  const org = useOrg(orgId);
  const admin = can(org, 'data.admin');
  const qc = useQueryClient();
  const settings = useQuery({
    queryKey: ['baseline-settings', orgId],
    queryFn: () => get<Settings>(`/orgs/${orgId}/baselines/settings`),
  });
  const current = useLevels(settings.data?.maturityScale);
  const [editing, setEditing] = useState<MaturityScale | null>(null);
  const save = useMutation({
    mutationFn: (scale: MaturityScale) =>
      api<Settings>('PUT', `/orgs/${orgId}/baselines/settings`, { maturityScale: scale }),
    onSuccess: () => {
      setEditing(null);
      qc.invalidateQueries({ queryKey: ['baseline-settings', orgId] });
    },
  });
  const s = settings.data;
  return (
    <Stack mt="xl" gap="sm">
      <Text fw={600} size="lg" component="h2">
        {t('scale.title')}
      </Text>
      <ErrorAlert error={settings.error} />
      {s && (
        <Card withBorder maw={720}>
          <Stack gap="xs">
            <Text size="sm">
              {t('scale.current', { name: current.name })}{' '}
              {s.maturityScale.levels.map((l) => `${l.value} ${current.label(l.value)}`).join(' · ')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('scale.help')}
            </Text>
            {admin && !editing && (
              <Group gap="xs">
                {s.presets.map((p) => (
                  <PresetButton
                    key={p.id}
                    scale={p}
                    onPick={() => save.mutate(p)}
                    disabled={p.id === s.maturityScale.id}
                  />
                ))}
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => setEditing({ ...structuredClone(s.maturityScale), id: 'custom' })}
                >
                  {t('scale.custom')}
                </Button>
              </Group>
            )}
            {admin && editing && (
              <ScaleEditor
                scale={editing}
                onChange={setEditing}
                onCancel={() => setEditing(null)}
                onSave={() => save.mutate(editing)}
                saving={save.isPending}
              />
            )}
            <ErrorAlert error={save.error} title={t('scale.refused')} />
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

function PresetButton({
  scale,
  onPick,
  disabled,
}: {
  scale: MaturityScale;
  onPick(): void;
  disabled: boolean;
}) {
  const { t } = useTranslation('baselines');
  const levels = useLevels(scale);
  return (
    <Button size="xs" variant="default" onClick={onPick} disabled={disabled}>
      {t('scale.use', { name: levels.name })}
    </Button>
  );
}

function ScaleEditor({
  scale,
  onChange,
  onCancel,
  onSave,
  saving,
}: {
  scale: MaturityScale;
  onChange(s: MaturityScale): void;
  onCancel(): void;
  onSave(): void;
  saving: boolean;
}) {
  const { t } = useTranslation('baselines');
  const setLevel = (i: number, patch: Partial<MaturityScale['levels'][number]>) =>
    onChange({ ...scale, levels: scale.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  return (
    <Stack gap="xs" data-testid="scale-editor">
      <TextInput
        label={t('scale.name')}
        value={scale.name}
        onChange={(e) => onChange({ ...scale, id: 'custom', name: e.currentTarget.value })}
      />
      {scale.levels.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a level being edited has no identity but its place
        <Group key={i} gap="xs" align="flex-end">
          <NumberInput
            label={t('scale.value', { n: i + 1 })}
            value={l.value}
            min={0}
            max={100}
            allowDecimal={false}
            onChange={(v) => setLevel(i, { value: typeof v === 'number' ? v : Number(v) })}
            w={110}
          />
          <TextInput
            label={t('scale.label', { n: i + 1 })}
            value={l.label}
            onChange={(e) => setLevel(i, { label: e.currentTarget.value })}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={t('scale.remove', { n: i + 1 })}
            disabled={scale.levels.length <= 2}
            onClick={() => onChange({ ...scale, levels: scale.levels.filter((_, j) => j !== i) })}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group gap="xs">
        <Button
          size="xs"
          variant="light"
          disabled={scale.levels.length >= 10}
          onClick={() => {
            const last = scale.levels[scale.levels.length - 1];
            onChange({ ...scale, levels: [...scale.levels, { value: (last?.value ?? 0) + 1, label: '' }] });
          }}
        >
          {t('scale.addLevel')}
        </Button>
        <Button size="xs" onClick={onSave} loading={saving}>
          {t('scale.save')}
        </Button>
        <Button size="xs" variant="default" onClick={onCancel}>
          {t('scale.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
