import { Badge, Button, Group, Modal, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, get, type Page, patch, post, type User } from '../../api';
import { ErrorAlert, fieldError } from '../../ui/ErrorAlert';
import { OneTimeSecret } from '../../ui/OneTimeSecret';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { UserTokens } from './UserTokens';

export function UsersPage() {
  const qc = useQueryClient();
  const { t } = useTranslation('admin');
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
        title={t('users.title')}
        description={t('users.description')}
        actions={<Button onClick={open}>{t('users.create')}</Button>}
      />
      {secret && (
        <OneTimeSecret
          label={t('users.newOneTimePassword', { email: secret.email })}
          value={secret.password}
          onDone={() => setSecret(null)}
        />
      )}
      <TextInput
        label={t('common:actions.search')}
        placeholder={t('users.searchPlaceholder')}
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
            <Table.Th>{t('users.user')}</Table.Th>
            <Table.Th>{t('users.lastSignIn')}</Table.Th>
            <Table.Th>{t('users.instanceAdmin')}</Table.Th>
            <Table.Th>{t('users.active')}</Table.Th>
            <Table.Th aria-label={t('actions')} />
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
                      {t('users.passwordToChange')}
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
                  aria-label={t('users.isInstanceAdmin', { email: u.email })}
                  checked={u.isInstanceAdmin}
                  onChange={(e) =>
                    update.mutate({ id: u.id, body: { isInstanceAdmin: e.currentTarget.checked } })
                  }
                />
              </Table.Td>
              <Table.Td>
                <Switch
                  aria-label={t('users.isActive', { email: u.email })}
                  checked={!u.disabled}
                  onChange={(e) => update.mutate({ id: u.id, body: { disabled: !e.currentTarget.checked } })}
                />
              </Table.Td>
              <Table.Td>
                <Button size="compact-xs" variant="subtle" onClick={() => setTokensOf(u)}>
                  {t('users.tokens')}
                </Button>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() =>
                    window.confirm(t('users.resetConfirm', { email: u.email })) &&
                    update.mutate({ id: u.id, body: { resetPassword: true } })
                  }
                >
                  {t('users.resetPassword')}
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
  const { t } = useTranslation('admin');
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
    <Modal opened={opened} onClose={finish} title={t('users.create')}>
      {create.data?.oneTimePassword ? (
        <OneTimeSecret
          label={t('users.oneTimePassword', { email: create.data.result.email })}
          value={create.data.oneTimePassword}
          onDone={finish}
        />
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <ErrorAlert error={create.error} />
            <TextInput
              label={t('users.email')}
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={fieldError(create.error, 'email')}
              data-autofocus
            />
            <TextInput
              label={t('users.name')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError(create.error, 'name')}
            />
            <Switch
              label={t('users.instanceAdmin')}
              checked={admin}
              onChange={(e) => setAdmin(e.currentTarget.checked)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={finish}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('common:actions.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
