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
import { get, post } from '../../api';
import { ErrorAlert, fieldError } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { INCIDENT_TYPES, type Incident, type PlaybookOut, TLPS } from './types';

const BOOLEAN_FACTS: { key: string; label: string }[] = [
  { key: 'personalDataAffected', label: 'Personal data affected' },
  { key: 'subjectToGdpr', label: 'Controller subject to the GDPR' },
  { key: 'significantIncident', label: 'Significant incident (NIS2)' },
  { key: 'coveredEntity', label: 'Covered entity (CIRCIA)' },
  { key: 'coveredCyberIncident', label: 'Covered cyber incident (CIRCIA)' },
  { key: 'ransomPaid', label: 'Ransom paid' },
];

export function NewIncidentPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [type, setType] = useState<string | null>('ransomware');
  const [playbook, setPlaybook] = useState<string | null>(null);
  const [tlp, setTlp] = useState<string | null>('amber');
  const [summary, setSummary] = useState('');
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
      label: `${p.playbook.title} v${p.playbook.version}${p.source === 'shipped' ? '' : ' (ours)'}`,
    }));
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }
  return (
    <>
      <PageHeader
        title="New incident"
        description="Opening from a playbook creates its tasks. The facts decide which regulatory clocks start."
      />
      <form onSubmit={submit}>
        <Stack maw={720}>
          <ErrorAlert error={create.error ?? playbooks.error} />
          <TextInput
            label="Title"
            required
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={fieldError(create.error, 'title')}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label="Type"
              data-testid="incident-type"
              data={INCIDENT_TYPES}
              value={type}
              onChange={(v) => {
                setType(v);
                setPlaybook(null);
              }}
              allowDeselect={false}
            />
            <Select
              label="Playbook"
              data-testid="incident-playbook"
              placeholder={options.length ? 'Choose a playbook' : 'No playbook for this type'}
              data={options}
              value={playbook}
              onChange={setPlaybook}
              clearable
              error={fieldError(create.error, 'playbook')}
            />
            <Select label="TLP" data={TLPS} value={tlp} onChange={setTlp} allowDeselect={false} />
          </SimpleGrid>
          <Textarea
            label="Summary"
            autosize
            minRows={3}
            value={summary}
            onChange={(e) => setSummary(e.currentTarget.value)}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Time zone of the organization"
              description="Deadlines in days and months follow this calendar"
              value={timeZone}
              onChange={(e) => setTimeZone(e.currentTarget.value)}
              error={fieldError(create.error, 'timeZone')}
            />
            <Select
              label="NIS2 entity type"
              data={['essential', 'important', 'none']}
              value={entityType}
              onChange={setEntityType}
              clearable
            />
          </SimpleGrid>
          <Fieldset legend="Facts for regulatory clocks">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {BOOLEAN_FACTS.map((f) => (
                <Checkbox
                  key={f.key}
                  label={f.label}
                  checked={!!facts[f.key]}
                  onChange={(e) => setFacts({ ...facts, [f.key]: e.currentTarget.checked })}
                />
              ))}
            </SimpleGrid>
          </Fieldset>
          <Checkbox
            label="Exercise (never counted as a real incident)"
            checked={exercise}
            onChange={(e) => setExercise(e.currentTarget.checked)}
          />
          <Group>
            <Button type="submit" loading={create.isPending}>
              Open incident
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
