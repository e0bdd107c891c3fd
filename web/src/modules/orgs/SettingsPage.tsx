import { Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, get, ORG_KINDS, type Organization, patch, post } from '../../api';
import { useOrg, useSession } from '../../session';
import { ErrorAlert, fieldError } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';

export function SettingsPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const { refresh } = useSession();
  const qc = useQueryClient();
  const { t } = useTranslation('orgs');
  const manage = can(org, 'org.manage');
  const detail = useQuery({ queryKey: ['org', orgId], queryFn: () => get<Organization>(`/orgs/${orgId}`) });
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [opened, { open, close }] = useDisclosure(false);
  useEffect(() => {
    if (detail.data) {
      setName(detail.data.name);
      setDescription(detail.data.description);
    }
  }, [detail.data]);
  const save = useMutation({
    mutationFn: () => patch<Organization>(`/orgs/${orgId}`, { name, description }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['org', orgId] });
      await refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <>
      <PageHeader
        title={t('settings.title')}
        description={
          detail.data ? `${t(`settings.kinds.${detail.data.kind}`)} · ${detail.data.slug}` : undefined
        }
        actions={manage && <Button onClick={open}>{t('settings.addChild')}</Button>}
      />
      <ErrorAlert error={detail.error} />
      <form onSubmit={submit}>
        <Stack maw={560}>
          <ErrorAlert error={save.error} />
          <TextInput
            label={t('settings.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            readOnly={!manage}
            error={fieldError(save.error, 'name')}
          />
          <Textarea
            label={t('settings.description')}
            autosize
            minRows={3}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            readOnly={!manage}
          />
          {manage && (
            <Group>
              <Button type="submit" loading={save.isPending}>
                {t('common:actions.save')}
              </Button>
              {save.isSuccess && (
                <Text size="sm" c="green" role="status">
                  {t('settings.saved')}
                </Text>
              )}
            </Group>
          )}
        </Stack>
      </form>
      <CreateChild parentId={orgId} opened={opened} onClose={close} />
    </>
  );
}

function CreateChild({ parentId, opened, onClose }: { parentId: string; opened: boolean; onClose(): void }) {
  const { refresh } = useSession();
  const navigate = useNavigate();
  const { t } = useTranslation('orgs');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<string>('department');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => post<Organization>('/orgs', { parentId, name, kind, description }),
    onSuccess: async (o) => {
      await refresh();
      onClose();
      navigate({ to: '/orgs/$orgId', params: { orgId: o.id } });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('settings.addChildTitle')}>
      <form onSubmit={submit}>
        <Stack>
          <ErrorAlert error={create.error} />
          <TextInput
            label={t('settings.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-autofocus
            error={fieldError(create.error, 'name')}
          />
          <Select
            label={t('settings.kind')}
            data={ORG_KINDS.map((k) => ({ value: k, label: t(`settings.kinds.${k}`) }))}
            value={kind}
            onChange={(k) => k && setKind(k)}
            allowDeselect={false}
          />
          <Textarea
            label={t('settings.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('common:actions.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
