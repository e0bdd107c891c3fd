import { Badge, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('admin');
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
    <Modal opened onClose={onClose} title={t('tokens.title', { email: user.email })} size="lg">
      <Stack>
        <ErrorAlert error={tokens.error ?? create.error ?? revoke.error} />
        {create.data && (
          <OneTimeSecret
            label={t('tokens.secretLabel', { name: create.data.apiToken.name })}
            value={create.data.token}
            onDone={() => create.reset()}
          />
        )}
        <form onSubmit={submit}>
          <Group align="flex-end">
            <TextInput
              label={t('tokens.newToken')}
              placeholder={t('tokens.namePlaceholder')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Button type="submit" loading={create.isPending}>
              {t('common:actions.create')}
            </Button>
          </Group>
        </form>
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tokens.name')}</Table.Th>
              <Table.Th>{t('tokens.scope')}</Table.Th>
              <Table.Th>{t('tokens.expires')}</Table.Th>
              <Table.Th>{t('tokens.lastUsed')}</Table.Th>
              <Table.Th aria-label={t('actions')} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data?.items.map((tok) => (
              <Table.Tr key={tok.id}>
                <Table.Td>
                  {tok.name}{' '}
                  <Text span c="dimmed" size="xs">
                    {tok.prefix}…
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={tok.scope === 'write' ? 'orange' : 'blue'}>
                    {t(`tokens.scopes.${tok.scope}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{tok.expiresAt ? formatDate(tok.expiresAt) : t('tokens.never')}</Table.Td>
                <Table.Td>{formatDate(tok.lastUsedAt)}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    color="red"
                    variant="subtle"
                    onClick={() =>
                      window.confirm(t('tokens.revokeConfirm', { name: tok.name })) && revoke.mutate(tok.id)
                    }
                  >
                    {t('tokens.revoke')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {tokens.data?.items.length === 0 && <Text c="dimmed">{t('tokens.none')}</Text>}
      </Stack>
    </Modal>
  );
}
