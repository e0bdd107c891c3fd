import { Group, Pagination, Text } from '@mantine/core';

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
  if (total === 0) return null;
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <Group justify="space-between" mt="md">
      <Text size="sm" c="dimmed">
        {offset + 1}–{Math.min(total, offset + limit)} of {total}
      </Text>
      {pages > 1 && (
        <Pagination
          total={pages}
          value={Math.floor(offset / limit) + 1}
          onChange={(p) => onChange((p - 1) * limit)}
          size="sm"
          aria-label="Pages"
        />
      )}
    </Group>
  );
}
