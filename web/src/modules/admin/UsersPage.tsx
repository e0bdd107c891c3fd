import { Badge, Button, Group, Modal, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { formatDate, get, type Page, patch, post, type User } from '../../api';
import { ErrorAlert, fieldError } from '../../ui/ErrorAlert';
import { OneTimeSecret } from '../../ui/OneTimeSecret';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { UserTokens } from './UserTokens';

export function UsersPage() {
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [offset, setOffset] = useState(0);
  const [secret, setSecret] = useState<{ email: string; password: string } | null>(null);
  const [opened, { open, close }] = useDisclosure(false);
  const [tokensOf, setTokensOf] = useState<User | null>(null);
  const users = useQuery({
    queryKey: ['users', q, offset],
    queryFn: () =>
      get<Page<User>>(`/users?limit=25&offset=${offset}${q ? `&q=${encodeURIComponent(q)}` : ''}`),
    placeholderData: keepPreviousData,
  });
  const update = useMutation({
    mutationFn: (v: { id: string; body: Record<string, unknown> }) =>
      patch<{ result: User; oneTimePassword?: string }>(`/users/${v.id}`, v.body),
    onSuccess: (r) => {
      if (r.oneTimePassword) setSecret({ email: r.result.email, password: r.oneTimePassword });
      qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  return (
    <>
      <PageHeader
        title="All users"
        description="Every account of this Citywall instance. Roles are given per organization under People and roles."
        actions={<Button onClick={open}>Create a user</Button>}
      />
      {secret && (
        <OneTimeSecret
          label={`New one-time password for ${secret.email}`}
          value={secret.password}
          onDone={() => setSecret(null)}
        />
      )}
      <TextInput
        label="Search"
        placeholder="Name or email"
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setOffset(0);
        }}
        my="md"
        maw={360}
      />
      <ErrorAlert error={users.error ?? update.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>User</Table.Th>
            <Table.Th>Last sign-in</Table.Th>
            <Table.Th>Instance administrator</Table.Th>
            <Table.Th>Active</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.data?.items.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {u.name}{' '}
                  {u.mustChangePassword && (
                    <Badge size="xs" color="yellow">
                      password to change
                    </Badge>
                  )}
                </Text>
                <Text size="xs" c="dimmed">
                  {u.email}
                </Text>
              </Table.Td>
              <Table.Td>{formatDate(u.lastLoginAt)}</Table.Td>
              <Table.Td>
                <Switch
                  aria-label={`${u.email} is an instance administrator`}
                  checked={u.isInstanceAdmin}
                  onChange={(e) =>
                    update.mutate({ id: u.id, body: { isInstanceAdmin: e.currentTarget.checked } })
                  }
                />
              </Table.Td>
              <Table.Td>
                <Switch
                  aria-label={`${u.email} is active`}
                  checked={!u.disabled}
                  onChange={(e) => update.mutate({ id: u.id, body: { disabled: !e.currentTarget.checked } })}
                />
              </Table.Td>
              <Table.Td>
                <Button size="compact-xs" variant="subtle" onClick={() => setTokensOf(u)}>
                  Tokens
                </Button>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() =>
                    window.confirm(`Reset the password of ${u.email}?`) &&
                    update.mutate({ id: u.id, body: { resetPassword: true } })
                  }
                >
                  Reset password
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {users.data && <Pager total={users.data.total} limit={25} offset={offset} onChange={setOffset} />}
      <CreateUser opened={opened} onClose={close} />
      {tokensOf && <UserTokens user={tokensOf} onClose={() => setTokensOf(null)} />}
    </>
  );
}

function CreateUser({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [admin, setAdmin] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      post<{ result: User; oneTimePassword?: string }>('/users', { email, name, isInstanceAdmin: admin }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const finish = () => {
    create.reset();
    setEmail('');
    setName('');
    setAdmin(false);
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened={opened} onClose={finish} title="Create a user">
      {create.data?.oneTimePassword ? (
        <OneTimeSecret
          label={`One-time password for ${create.data.result.email}`}
          value={create.data.oneTimePassword}
          onDone={finish}
        />
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <ErrorAlert error={create.error} />
            <TextInput
              label="Email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={fieldError(create.error, 'email')}
              data-autofocus
            />
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError(create.error, 'name')}
            />
            <Switch
              label="Instance administrator"
              checked={admin}
              onChange={(e) => setAdmin(e.currentTarget.checked)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={finish}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
