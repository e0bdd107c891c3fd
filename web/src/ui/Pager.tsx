import { Group, Pagination, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../i18n';

export function Pager({
  total,
  limit,
  offset,
  onChange,
}: {
  total: number;
  limit: number;
  offset: number;
  onChange(offset: number): void;
}) {
  const { t } = useTranslation();
  if (total === 0) return null;
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <Group justify="space-between" mt="md">
      <Text size="sm" c="dimmed">
        {t('pager.range', {
          from: formatNumber(offset + 1),
          to: formatNumber(Math.min(total, offset + limit)),
          total: formatNumber(total),
        })}
      </Text>
      {pages > 1 && (
        <Pagination
          total={pages}
          value={Math.floor(offset / limit) + 1}
          onChange={(p) => onChange((p - 1) * limit)}
          size="sm"
          aria-label={t('pager.pages')}
        />
      )}
    </Group>
  );
}
