import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, del, formatDate, get, type Page, patch, post, ROLES, type Role, type User } from '../../api';
import { useOrg } from '../../session';
import { ErrorAlert, fieldError } from '../../ui/ErrorAlert';
import { OneTimeSecret } from '../../ui/OneTimeSecret';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';

interface Member {
  id: string;
  role: Role;
  inherit: boolean;
  createdAt: string;
  user: Pick<User, 'id' | 'email' | 'name' | 'disabled' | 'lastLoginAt'>;
}

const LIMIT = 25;

export function MembersPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const manage = can(org, 'members.manage');
  const qc = useQueryClient();
  const { t } = useTranslation('orgs');
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`members.roles.${r}`) }));
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [offset, setOffset] = useState(0);
  const [opened, { open, close }] = useDisclosure(false);
  const members = useQuery({
    queryKey: ['members', orgId, q, offset],
    queryFn: () =>
      get<Page<Member>>(
        `/orgs/${orgId}/members?limit=${LIMIT}&offset=${offset}${q ? `&q=${encodeURIComponent(q)}` : ''}`,
      ),
    placeholderData: keepPreviousData,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['members', orgId] });
  const update = useMutation({
    mutationFn: (v: { id: string; role?: Role; inherit?: boolean }) =>
      patch(`/orgs/${orgId}/members/${v.id}`, { role: v.role, inherit: v.inherit }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/orgs/${orgId}/members/${id}`),
    onSuccess: refresh,
  });

  return (
    <>
      <PageHeader
        title={t('members.title')}
        description={
          org?.name ? t('members.description', { org: org.name }) : t('members.descriptionThisOrg')
        }
        actions={manage && <Button onClick={open}>{t('members.add')}</Button>}
      />
      <TextInput
        label={t('common:actions.search')}
        placeholder={t('members.searchPlaceholder')}
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setOffset(0);
        }}
        mb="md"
        maw={360}
      />
      <ErrorAlert error={members.error ?? update.error ?? remove.error} />
      <Table striped withTableBorder highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('members.person')}</Table.Th>
            <Table.Th>{t('members.role')}</Table.Th>
            <Table.Th>{t('members.appliesBelow')}</Table.Th>
            <Table.Th>{t('members.lastSignIn')}</Table.Th>
            {manage && <Table.Th aria-label={t('members.actions')} />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.data?.items.map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {m.user.name} {m.user.disabled && <Badge color="gray">{t('members.disabled')}</Badge>}
                </Text>
                <Text size="xs" c="dimmed">
                  {m.user.email}
                </Text>
              </Table.Td>
              <Table.Td>
                {manage ? (
                  <Select
                    aria-label={t('members.roleOf', { email: m.user.email })}
                    data={roleOptions}
                    value={m.role}
                    onChange={(role) => role && update.mutate({ id: m.id, role: role as Role })}
                    w={150}
                    allowDeselect={false}
                  />
                ) : (
                  <Badge>{t(`members.roles.${m.role}`)}</Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Switch
                  aria-label={t('members.roleAppliesBelow', { email: m.user.email })}
                  checked={m.inherit}
                  disabled={!manage}
                  onChange={(e) => update.mutate({ id: m.id, inherit: e.currentTarget.checked })}
                />
              </Table.Td>
              <Table.Td>{formatDate(m.user.lastLoginAt)}</Table.Td>
              {manage && (
                <Table.Td>
                  <Tooltip label={t('members.removeTooltip')}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('members.remove', { email: m.user.email })}
                      onClick={() =>
                        window.confirm(t('members.removeConfirm', { email: m.user.email, org: org?.name })) &&
                        remove.mutate(m.id)
                      }
                    >
                      ✕
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {members.data?.items.length === 0 && (
        <Text c="dimmed" mt="md">
          {q ? t('members.noMatch') : t('members.none')}
        </Text>
      )}
      {members.data && (
        <Pager total={members.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
      )}
      <AddMember orgId={orgId} opened={opened} onClose={close} onAdded={refresh} />
    </>
  );
}

function AddMember({
  orgId,
  opened,
  onClose,
  onAdded,
}: {
  orgId: string;
  opened: boolean;
  onClose(): void;
  onAdded(): void;
}) {
  const { t } = useTranslation('orgs');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [inherit, setInherit] = useState(false);
  const add = useMutation({
    mutationFn: () =>
      post<{ result: Member; oneTimePassword?: string }>(`/orgs/${orgId}/members`, {
        email,
        name: name || undefined,
        role,
        inherit,
      }),
    onSuccess: onAdded,
  });
  const finish = () => {
    add.reset();
    setEmail('');
    setName('');
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Modal opened={opened} onClose={finish} title={t('members.add')}>
      {add.data ? (
        <Stack>
          <Text>
            {t('members.added', {
              email: add.data.result.user.email,
              role: t(`members.roles.${add.data.result.role}`),
            })}
          </Text>
          {add.data.oneTimePassword ? (
            <OneTimeSecret
              label={t('members.oneTimePassword')}
              value={add.data.oneTimePassword}
              onDone={finish}
            />
          ) : (
            <Group justify="flex-end">
              <Button onClick={finish}>{t('common:secret.done')}</Button>
            </Group>
          )}
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <ErrorAlert error={add.error} />
            <TextInput
              label={t('members.email')}
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={fieldError(add.error, 'email')}
              data-autofocus
            />
            <TextInput
              label={t('members.name')}
              description={t('members.nameHint')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Select
              label={t('members.role')}
              data={ROLES.map((r) => ({ value: r, label: t(`members.roles.${r}`) }))}
              value={role}
              onChange={(r) => r && setRole(r as Role)}
              allowDeselect={false}
            />
            <Switch
              label={t('members.inheritLabel')}
              checked={inherit}
              onChange={(e) => setInherit(e.currentTarget.checked)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={finish}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={add.isPending}>
                {t('common:actions.add')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
