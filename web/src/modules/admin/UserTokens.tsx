import { Badge, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { del, formatDate, get, post, type User } from '../../api';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { OneTimeSecret } from '../../ui/OneTimeSecret';

interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scope: 'read' | 'write';
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** An instance administrator's view of one user's API tokens: provision one for a system, revoke any. */
export function UserTokens({ user, onClose }: { user: User; onClose(): void }) {
  const qc = useQueryClient();
  const key = ['user-tokens', user.id];
  const [name, setName] = useState('');
  const tokens = useQuery({
    queryKey: key,
    queryFn: () => get<{ items: ApiToken[] }>(`/users/${user.id}/tokens`),
  });
  const create = useMutation({
    mutationFn: () =>
      post<{ token: string; apiToken: ApiToken }>(`/users/${user.id}/tokens`, {
        name,
        scope: 'read',
        expiresInDays: 90,
      }),
    onSuccess: () => {
      setName('');
      qc.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => del(`/me/tokens/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={`API tokens of ${user.email}`} size="lg">
      <Stack>
        <ErrorAlert error={tokens.error ?? create.error ?? revoke.error} />
        {create.data && (
          <OneTimeSecret
            label={`Token "${create.data.apiToken.name}"`}
            value={create.data.token}
            onDone={() => create.reset()}
          />
        )}
        <form onSubmit={submit}>
          <Group align="flex-end">
            <TextInput
              label="New read token, 90 days"
              placeholder="What it is for"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Button type="submit" loading={create.isPending}>
              Create
            </Button>
          </Group>
        </form>
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Scope</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data?.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  {t.name}{' '}
                  <Text span c="dimmed" size="xs">
                    {t.prefix}…
                  </Text>
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
                    onClick={() => window.confirm(`Revoke "${t.name}"?`) && revoke.mutate(t.id)}
                  >
                    Revoke
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {tokens.data?.items.length === 0 && <Text c="dimmed">No active tokens.</Text>}
      </Stack>
    </Modal>
  );
}
