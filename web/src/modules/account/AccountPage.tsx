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
import { Trans, useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('account');
  return (
    <>
      <PageHeader title={t('title')} description={session?.user.email} />
      {session?.user.mustChangePassword && (
        <Alert color="yellow" mb="lg" title={t('mustChange.title')}>
          {t('mustChange.body')}
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
  const { t } = useTranslation('account');
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
          {t('password.title')}
        </Title>
        <ErrorAlert error={change.error} />
        {change.isSuccess && (
          <Alert color="green" role="status">
            {t('password.changed')}
          </Alert>
        )}
        <PasswordInput
          label={t('password.current')}
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={fieldError(change.error, 'currentPassword')}
        />
        <PasswordInput
          label={t('password.new')}
          description={t('password.newHint')}
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={fieldError(change.error, 'newPassword')}
        />
        <PasswordInput
          label={t('password.repeat')}
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          error={mismatch ? t('password.mismatch') : undefined}
        />
        <Group>
          <Button type="submit" loading={change.isPending}>
            {t('password.change')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Tokens() {
  const qc = useQueryClient();
  const { t } = useTranslation('account');
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
        {t('tokens.title')}
      </Title>
      <Text size="sm" c="dimmed">
        <Trans t={t} i18nKey="tokens.intro" components={{ code: <code /> }} />
      </Text>
      {create.data && (
        <OneTimeSecret
          label={t('tokens.secretLabel', { name: create.data.apiToken.name })}
          value={create.data.token}
          onDone={() => create.reset()}
        />
      )}
      <form onSubmit={submit} aria-label={t('tokens.createForm')}>
        <Group align="flex-end">
          <TextInput
            label={t('tokens.name')}
            placeholder={t('tokens.namePlaceholder')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(create.error, 'name')}
          />
          <div>
            <Text size="sm" fw={500} mb={4} id="scope-label">
              {t('tokens.scope')}
            </Text>
            <SegmentedControl
              aria-labelledby="scope-label"
              data={[
                { label: t('scope.read'), value: 'read' },
                { label: t('scope.write'), value: 'write' },
              ]}
              value={scope}
              onChange={(v) => setScope(v as 'read' | 'write')}
            />
          </div>
          <NumberInput
            label={t('tokens.expiresInDays')}
            description={t('tokens.expiresHint')}
            min={0}
            max={3650}
            value={days}
            onChange={setDays}
            w={140}
          />
          <Button type="submit" loading={create.isPending}>
            {t('tokens.create')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={create.error ?? revoke.error ?? tokens.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('tokens.name')}</Table.Th>
            <Table.Th>{t('tokens.token')}</Table.Th>
            <Table.Th>{t('tokens.scope')}</Table.Th>
            <Table.Th>{t('tokens.expires')}</Table.Th>
            <Table.Th>{t('tokens.lastUsed')}</Table.Th>
            <Table.Th aria-label={t('tokens.actions')} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.data?.items.map((tok) => (
            <Table.Tr key={tok.id}>
              <Table.Td>{tok.name}</Table.Td>
              <Table.Td>
                <code>{tok.prefix}…</code>
              </Table.Td>
              <Table.Td>
                <Badge color={tok.scope === 'write' ? 'orange' : 'blue'}>
                  {t(`scopeBadge.${tok.scope}`)}
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
  );
}
