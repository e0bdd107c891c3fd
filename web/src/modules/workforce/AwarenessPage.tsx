import { Badge, Button, Group, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { can, get, type Page, post } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { day } from './types';

interface Campaign {
  id: string;
  title: string;
  audience: string;
  channels: string[];
  startsAt: string;
  endsAt: string;
  reach: number;
  engagement: number;
  materials: { title: string; url: string }[];
}

export function AwarenessPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const qc = useQueryClient();
  const url = `/orgs/${orgId}/workforce/awareness`;
  const list = useQuery({
    queryKey: ['wf-awareness', orgId],
    queryFn: () => get<Page<Campaign>>(`${url}?limit=200`),
  });
  const [title, setTitle] = useState('');
  const [audience, setAudience] = useState('');
  const [channels, setChannels] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [reach, setReach] = useState<number>(0);
  const [engagement, setEngagement] = useState<number>(0);
  const create = useMutation({
    mutationFn: () =>
      post(url, {
        title,
        audience,
        channels: channels
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean),
        startsAt: start ? new Date(`${start}T00:00:00Z`).toISOString() : '',
        endsAt: end ? new Date(`${end}T00:00:00Z`).toISOString() : '',
        reach,
        engagement,
      }),
    onSuccess: () => {
      setTitle('');
      qc.invalidateQueries({ queryKey: ['wf-awareness', orgId] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <>
      <PageHeader
        title="Public awareness"
        description="Campaigns for residents and local businesses, with reach and engagement."
      />
      <ErrorAlert error={list.error} />
      <Table withTableBorder striped mb="xl">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Campaign</Table.Th>
            <Table.Th>Audience</Table.Th>
            <Table.Th>Dates</Table.Th>
            <Table.Th>Reach</Table.Th>
            <Table.Th>Engagement</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {c.title}
                </Text>
                <Group gap={4}>
                  {c.channels.map((ch) => (
                    <Badge key={ch} variant="light" size="sm">
                      {ch}
                    </Badge>
                  ))}
                </Group>
                {c.materials.map((m) => (
                  <Text key={m.url} size="xs">
                    <a href={m.url}>{m.title}</a>
                  </Text>
                ))}
              </Table.Td>
              <Table.Td>{c.audience}</Table.Td>
              <Table.Td>
                {day(c.startsAt)} – {day(c.endsAt)}
              </Table.Td>
              <Table.Td>{c.reach.toLocaleString()}</Table.Td>
              <Table.Td>{c.engagement.toLocaleString()}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {can(org, 'data.write') && (
        <form onSubmit={submit}>
          <Stack maw={600}>
            <Title order={2} size="h4">
              New campaign
            </Title>
            <TextInput
              label="Title"
              required
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
            <TextInput
              label="Audience"
              required
              value={audience}
              onChange={(e) => setAudience(e.currentTarget.value)}
            />
            <TextInput
              label="Channels (comma-separated)"
              value={channels}
              onChange={(e) => setChannels(e.currentTarget.value)}
            />
            <Group grow>
              <TextInput
                label="Starts"
                type="date"
                required
                value={start}
                onChange={(e) => setStart(e.currentTarget.value)}
              />
              <TextInput
                label="Ends"
                type="date"
                required
                value={end}
                onChange={(e) => setEnd(e.currentTarget.value)}
              />
            </Group>
            <Group grow>
              <NumberInput label="Reach" min={0} value={reach} onChange={(v) => setReach(Number(v))} />
              <NumberInput
                label="Engagement"
                min={0}
                value={engagement}
                onChange={(v) => setEngagement(Number(v))}
              />
            </Group>
            <ErrorAlert error={create.error} />
            <Group>
              <Button type="submit" loading={create.isPending}>
                Add campaign
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </>
  );
}
