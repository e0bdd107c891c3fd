import {
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, can, formatDate, get, type Page } from '../../api';
import { currentLanguage } from '../../i18n';
import { useOrg } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';

type DocLang = 'en' | 'es';

interface TextBlock {
  key: string;
  lang: DocLang;
  text: string;
  defaultText: string;
  custom: boolean;
  updatedAt: string | null;
}

function BlockEditor({ orgId, block, canWrite }: { orgId: string; block: TextBlock; canWrite: boolean }) {
  const { t } = useTranslation('strategydoc');
  const qc = useQueryClient();
  const [text, setText] = useState(block.text);
  useEffect(() => setText(block.text), [block.text]);
  const save = useMutation({
    mutationFn: (value: string | null) =>
      api<TextBlock>('PUT', `/orgs/${orgId}/strategy/text-blocks`, {
        key: block.key,
        lang: block.lang,
        text: value,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['strategy-text-blocks', orgId] }),
  });
  const id = `block-${block.key}`;
  return (
    <Card withBorder padding="md" data-testid={id}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5" id={`${id}-title`}>
            {t(`blocks.${block.key}`)}
          </Title>
          {block.custom ? (
            <Badge color="blue" variant="light">
              {t('editor.custom', { date: formatDate(block.updatedAt) })}
            </Badge>
          ) : (
            <Badge color="gray" variant="light">
              {t('editor.default')}
            </Badge>
          )}
        </Group>
        <Textarea
          aria-labelledby={`${id}-title`}
          autosize
          minRows={3}
          maxRows={14}
          value={text}
          readOnly={!canWrite}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <Text size="xs" c="dimmed">
          {t('editor.placeholders')}
        </Text>
        <ErrorAlert error={save.error} />
        {canWrite && (
          <Group gap="sm">
            <Button
              size="xs"
              onClick={() => save.mutate(text)}
              loading={save.isPending}
              disabled={!text.trim() || text === block.text}
              aria-label={t('editor.saveBlock', { block: t(`blocks.${block.key}`) })}
            >
              {t('editor.save')}
            </Button>
            <Button
              size="xs"
              variant="default"
              onClick={() => save.mutate(null)}
              disabled={!block.custom || save.isPending}
              aria-label={t('editor.resetBlock', { block: t(`blocks.${block.key}`) })}
            >
              {t('editor.reset')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

export function StrategyDocumentPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const org = useOrg(orgId);
  const { t } = useTranslation('strategydoc');
  const nextYear = new Date().getFullYear() + 1;
  const [lang, setLang] = useState<DocLang>(currentLanguage() === 'es' ? 'es' : 'en');
  const [from, setFrom] = useState<number>(nextYear);
  const [to, setTo] = useState<number>(nextYear + 2);
  const blocks = useQuery({
    queryKey: ['strategy-text-blocks', orgId, lang],
    queryFn: () => get<Page<TextBlock>>(`/orgs/${orgId}/strategy/text-blocks?lang=${lang}&limit=100`),
  });
  const yearsValid = Number.isInteger(from) && Number.isInteger(to) && from <= to && to - from <= 9;
  const query = `lang=${lang}&years=${from}-${to}`;
  const href = (path: string, format: string) =>
    `/api/v1/orgs/${orgId}/strategy/${path}?format=${format}&${query}`;
  const downloads = [
    { label: t('download.docx'), href: href('document', 'docx') },
    { label: t('download.pdf'), href: href('document', 'pdf') },
    { label: t('download.html'), href: href('document', 'html') },
    { label: t('download.board'), href: href('board-summary', 'pdf') },
  ];

  return (
    <Stack>
      <PageHeader title={t('title')} description={t('description')} />
      <Card withBorder padding="lg">
        <Stack>
          <Title order={2} size="h4">
            {t('options.title')}
          </Title>
          <Group align="flex-end">
            <Select
              label={t('options.language')}
              data={[
                { value: 'en', label: t('options.en') },
                { value: 'es', label: t('options.es') },
              ]}
              value={lang}
              onChange={(v) => v && setLang(v as DocLang)}
              allowDeselect={false}
              w={200}
            />
            <NumberInput
              label={t('options.from')}
              value={from}
              onChange={(v) => setFrom(Number(v))}
              min={2000}
              max={2100}
              w={140}
              thousandSeparator=""
            />
            <NumberInput
              label={t('options.to')}
              value={to}
              onChange={(v) => setTo(Number(v))}
              min={2000}
              max={2100}
              w={140}
              thousandSeparator=""
            />
          </Group>
          {!yearsValid && (
            <Text c="red" size="sm" role="alert">
              {t('options.badYears')}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            {downloads.map((d) => (
              <Button
                key={d.label}
                component="a"
                href={yearsValid ? d.href : undefined}
                download
                variant="light"
                disabled={!yearsValid}
              >
                {d.label}
              </Button>
            ))}
          </SimpleGrid>
          <Text size="sm" c="dimmed">
            {t('download.note')}
          </Text>
        </Stack>
      </Card>

      <Title order={2} size="h4">
        {t('editor.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('editor.description', { language: t(`options.${lang}`) })}
      </Text>
      <ErrorAlert error={blocks.error} />
      {blocks.isLoading && <Text>{t('editor.loading')}</Text>}
      <Stack>
        {blocks.data?.items.map((b) => (
          <BlockEditor key={`${b.key}-${b.lang}`} orgId={orgId} block={b} canWrite={can(org, 'data.write')} />
        ))}
      </Stack>
    </Stack>
  );
}
