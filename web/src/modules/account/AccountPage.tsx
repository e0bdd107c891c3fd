import {
  Alert,
  Badge,
  Button,
  Divider,
  Group,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { del, formatDate, get, post } from '../../api';
import { useSession } from '../../session';
import { ErrorAlert, fieldError } from '../../ui/ErrorAlert';
import { OneTimeSecret } from '../../ui/OneTimeSecret';
import { PageHeader } from '../../ui/PageHeader';

interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scope: 'read' | 'write';
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export function AccountPage() {
  const { session } = useSession();
  return (
    <>
      <PageHeader title="Your account" description={session?.user.email} />
      {session?.user.mustChangePassword && (
        <Alert color="yellow" mb="lg" title="Choose your own password">
          You signed in with a one-time password. Choose a password of your own to continue.
        </Alert>
      )}
      <ChangePassword />
      <Divider my="xl" />
      <Tokens />
    </>
  );
}

function ChangePassword() {
  const { refresh } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const change = useMutation({
    mutationFn: () => post('/auth/password', { currentPassword: current, newPassword: next }),
    onSuccess: async () => {
      setCurrent('');
      setNext('');
      setRepeat('');
      await refresh();
    },
  });
  const mismatch = repeat.length > 0 && next !== repeat;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mismatch) change.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="password-title">
      <Stack maw={420}>
        <Title order={2} size="h4" id="password-title">
          Password
        </Title>
        <ErrorAlert error={change.error} />
        {change.isSuccess && (
          <Alert color="green" role="status">
            Password changed. Your other sessions were signed out.
          </Alert>
        )}
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={fieldError(change.error, 'currentPassword')}
        />
        <PasswordInput
          label="New password"
          description="At least 12 characters; a phrase of several words works well"
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={fieldError(change.error, 'newPassword')}
        />
        <PasswordInput
          label="New password again"
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          error={mismatch ? 'The two new passwords differ' : undefined}
        />
        <Group>
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Tokens() {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'write'>('read');
  const [days, setDays] = useState<number | string>(90);
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => get<{ items: ApiToken[] }>('/me/tokens') });
  const create = useMutation({
    mutationFn: () =>
      post<{ token: string; apiToken: ApiToken }>('/me/tokens', {
        name,
        scope,
        expiresInDays: days === '' || Number(days) === 0 ? null : Number(days),
      }),
    onSuccess: () => {
      setName('');
      qc.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => del(`/me/tokens/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Stack>
      <Title order={2} size="h4">
        API tokens
      </Title>
      <Text size="sm" c="dimmed">
        Scripts and other systems use a token as <code>Authorization: Bearer …</code>. A token acts as you,
        with your roles; a read token cannot change anything.
      </Text>
      {create.data && (
        <OneTimeSecret
          label={`Token "${create.data.apiToken.name}"`}
          value={create.data.token}
          onDone={() => create.reset()}
        />
      )}
      <form onSubmit={submit} aria-label="Create an API token">
        <Group align="flex-end">
          <TextInput
            label="Name"
            placeholder="What the token is for"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(create.error, 'name')}
          />
          <div>
            <Text size="sm" fw={500} mb={4} id="scope-label">
              Scope
            </Text>
            <SegmentedControl
              aria-labelledby="scope-label"
              data={[
                { label: 'Read', value: 'read' },
                { label: 'Read and write', value: 'write' },
              ]}
              value={scope}
              onChange={(v) => setScope(v as 'read' | 'write')}
            />
          </div>
          <NumberInput
            label="Expires in days"
            description="0 = never"
            min={0}
            max={3650}
            value={days}
            onChange={setDays}
            w={140}
          />
          <Button type="submit" loading={create.isPending}>
            Create token
          </Button>
        </Group>
      </form>
      <ErrorAlert error={create.error ?? revoke.error ?? tokens.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Token</Table.Th>
            <Table.Th>Scope</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.data?.items.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>{t.name}</Table.Td>
              <Table.Td>
                <code>{t.prefix}…</code>
              </Table.Td>
              <Table.Td>
                <Badge color={t.scope === 'write' ? 'orange' : 'blue'}>{t.scope}</Badge>
              </Table.Td>
              <Table.Td>{t.expiresAt ? formatDate(t.expiresAt) : 'never'}</Table.Td>
              <Table.Td>{formatDate(t.lastUsedAt)}</Table.Td>
              <Table.Td>
                <Button
                  size="compact-xs"
                  color="red"
                  variant="subtle"
                  onClick={() =>
                    window.confirm(`Revoke the token "${t.name}"? Anything using it stops working.`) &&
                    revoke.mutate(t.id)
                  }
                >
                  Revoke
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {tokens.data?.items.length === 0 && <Text c="dimmed">You have no API tokens.</Text>}
    </Stack>
  );
}
