import {
  Badge,
  Button,
  Group,
  List,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { get } from '../../api';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
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
  owner: string | null;
  kpis: {
    id: string;
    name: string;
    unit: string;
    target: number;
    current: number | null;
    source: string;
    sourceModule: string | null;
    progress: number | null;
  }[];
}

export function PlanPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
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
  return (
    <>
      <PageHeader
        title="Plan and roadmap"
        description="Given a budget, the set of treatment actions that removes the most expected annual loss, laid out by quarter."
      />
      <Group align="flex-end" mb="md">
        <NumberInput
          label="Budget"
          min={0}
          thousandSeparator=","
          value={budget}
          onChange={setBudget}
          w={180}
        />
        <NumberInput
          label="Spending per quarter (optional)"
          min={1}
          thousandSeparator=","
          value={capacity}
          onChange={setCapacity}
          w={220}
        />
        <TextInput
          label="First quarter"
          value={start}
          onChange={(e) => setStart(e.currentTarget.value)}
          w={120}
        />
        <Button onClick={() => setAsked({ budget: Number(budget) || 0, capacity, start })}>Plan</Button>
      </Group>
      <ErrorAlert error={plan.error ?? objectives.error} />
      {plan.data && (
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Paper withBorder p="sm">
              <Text size="xs" c="dimmed">
                Expected annual loss removed
              </Text>
              <Text fw={700} data-testid="plan-reduction">
                {money(plan.data.totalReduction)}
              </Text>
            </Paper>
            <Paper withBorder p="sm">
              <Text size="xs" c="dimmed">
                Cost
              </Text>
              <Text fw={700}>
                {money(plan.data.totalCost)} of {money(plan.data.budget)}
              </Text>
            </Paper>
            <Paper withBorder p="sm">
              <Text size="xs" c="dimmed">
                Method
              </Text>
              <Text fw={700}>
                {plan.data.method} {plan.data.optimal ? '(proven optimal)' : '(best found)'}
              </Text>
            </Paper>
          </SimpleGrid>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Action</Table.Th>
                <Table.Th>Cost</Table.Th>
                <Table.Th>Loss removed / year</Table.Th>
                <Table.Th>Decision</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plan.data.actions.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{a.title}</Table.Td>
                  <Table.Td>{money(a.cost)}</Table.Td>
                  <Table.Td>{money(a.reduction)}</Table.Td>
                  <Table.Td>
                    <Badge color={a.chosen ? 'green' : 'gray'}>{a.chosen ? 'in the plan' : 'left out'}</Badge>
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
            Why
          </Title>
          <List size="sm">
            {plan.data.reasoning.map((r) => (
              <List.Item key={r}>{r}</List.Item>
            ))}
          </List>
          <Title order={2} size="h4">
            Roadmap
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
                    <List.Item key={a.id}>{a.title}</List.Item>
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
          {plan.data.roadmap.length === 0 && <Text c="dimmed">Nothing fits this budget.</Text>}
        </Stack>
      )}
      <Title order={2} size="h4" mt="xl" mb="sm">
        Objectives and KPIs
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
              )}
            </Text>
            <Table fz="sm">
              <Table.Tbody>
                {o.kpis.map((k) => (
                  <Table.Tr key={k.id}>
                    <Table.Td>{k.name}</Table.Td>
                    <Table.Td>
                      target {k.target} {k.unit}
                    </Table.Td>
                    <Table.Td>
                      {k.source === 'pending' ? (
                        <Badge color="gray">fed by {k.sourceModule} (not yet available)</Badge>
                      ) : (
                        `${k.current ?? '—'} ${k.unit}${k.progress !== null ? ` (${Math.round(k.progress * 100)} %)` : ''}`
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        ))}
        {objectives.data?.items.length === 0 && <Text c="dimmed">No objective yet.</Text>}
      </Stack>
    </>
  );
}
