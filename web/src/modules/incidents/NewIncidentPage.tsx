import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api';
import { ErrorAlert, fieldError } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { TechniqueInput } from '../intel/Techniques';
import { INCIDENT_TYPES, type Incident, type PlaybookOut, TLPS } from './types';

const BOOLEAN_FACTS = [
  'personalDataAffected',
  'subjectToGdpr',
  'significantIncident',
  'coveredEntity',
  'coveredCyberIncident',
  'ransomPaid',
] as const;

export function NewIncidentPage() {
  const { t } = useTranslation('incidents');
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [type, setType] = useState<string | null>('ransomware');
  const [playbook, setPlaybook] = useState<string | null>(null);
  const [tlp, setTlp] = useState<string | null>('amber');
  const [summary, setSummary] = useState('');
  const [techniques, setTechniques] = useState<string[]>([]);
  const [exercise, setExercise] = useState(false);
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [entityType, setEntityType] = useState<string | null>(null);
  const [facts, setFacts] = useState<Record<string, boolean>>({});
  const playbooks = useQuery({
    queryKey: ['incident-playbooks', orgId],
    queryFn: () => get<{ items: PlaybookOut[] }>(`/orgs/${orgId}/incident-playbooks`),
  });
  const create = useMutation({
    mutationFn: () =>
      post<Incident>(`/orgs/${orgId}/incidents`, {
        title,
        type,
        tlp,
        summary,
        attackTechniques: techniques,
        exercise,
        timeZone,
        ...(playbook ? { playbook } : {}),
        facts: { ...facts, ...(entityType ? { entityType } : {}) },
      }),
    onSuccess: (inc) => navigate({ to: `/orgs/${orgId}/incidents/${inc.id}` }),
  });
  const options = (playbooks.data?.items ?? [])
    .filter((p) => !type || p.playbook.incidentType === type)
    .map((p) => ({
      value: p.ref,
      label: t(p.source === 'shipped' ? 'new.playbookOption' : 'new.playbookOptionOurs', {
        title: p.playbook.title,
        version: p.playbook.version,
      }),
    }));
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }
  return (
    <>
      <PageHeader title={t('new.title')} description={t('new.description')} />
      <form onSubmit={submit}>
        <Stack maw={720}>
          <ErrorAlert error={create.error ?? playbooks.error} />
          <TextInput
            label={t('new.titleField')}
            required
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={fieldError(create.error, 'title')}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('new.type')}
              data-testid="incident-type"
              data={INCIDENT_TYPES.map((v) => ({ value: v, label: t(`types.${v}`) }))}
              value={type}
              onChange={(v) => {
                setType(v);
                setPlaybook(null);
              }}
              allowDeselect={false}
            />
            <Select
              label={t('new.playbook')}
              data-testid="incident-playbook"
              placeholder={options.length ? t('new.choosePlaybook') : t('new.noPlaybook')}
              data={options}
              value={playbook}
              onChange={setPlaybook}
              clearable
              error={fieldError(create.error, 'playbook')}
            />
            <Select label="TLP" data={TLPS} value={tlp} onChange={setTlp} allowDeselect={false} />
          </SimpleGrid>
          <Textarea
            label={t('new.summary')}
            autosize
            minRows={3}
            value={summary}
            onChange={(e) => setSummary(e.currentTarget.value)}
          />
          <TechniqueInput
            orgId={orgId}
            label={t('techniques.label')}
            value={techniques}
            onChange={setTechniques}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('new.timeZone')}
              description={t('new.timeZoneHelp')}
              value={timeZone}
              onChange={(e) => setTimeZone(e.currentTarget.value)}
              error={fieldError(create.error, 'timeZone')}
            />
            <Select
              label={t('new.entityType')}
              data={(['essential', 'important', 'none'] as const).map((v) => ({
                value: v,
                label: t(`new.entityTypes.${v}`),
              }))}
              value={entityType}
              onChange={setEntityType}
              clearable
            />
          </SimpleGrid>
          <Fieldset legend={t('new.facts')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {BOOLEAN_FACTS.map((f) => (
                <Checkbox
                  key={f}
                  label={t(`new.factLabels.${f}`)}
                  checked={!!facts[f]}
                  onChange={(e) => setFacts({ ...facts, [f]: e.currentTarget.checked })}
                />
              ))}
            </SimpleGrid>
          </Fieldset>
          <Checkbox
            label={t('new.exercise')}
            checked={exercise}
            onChange={(e) => setExercise(e.currentTarget.checked)}
          />
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('new.open')}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
