import { Button, Card, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';

interface Suggestion {
  cpe: string;
  part: 'a' | 'o' | 'h';
  vendor: string;
  product: string;
  score: number;
}

/** "Suggest CPE": the names in the ingested NVD data closest to the system's vendor and product. */
export function CpeSuggest({
  orgId,
  vendor,
  product,
  version,
  onPick,
}: {
  orgId: string;
  vendor: string;
  product: string;
  version: string;
  onPick(cpe: string): void;
}) {
  const { t } = useTranslation('vulns');
  const suggest = useMutation({
    mutationFn: () => {
      const params = new URLSearchParams({ limit: '5' });
      if (vendor.trim()) params.set('vendor', vendor.trim());
      if (product.trim()) params.set('product', product.trim());
      if (version.trim()) params.set('version', version.trim());
      return get<{ items: Suggestion[]; dictionarySize: number }>(
        `/orgs/${orgId}/vulns/cpe-suggestions?${params}`,
      );
    },
  });
  const data = suggest.data;
  return (
    <Stack gap={4}>
      <Group>
        <Button
          variant="light"
          size="xs"
          onClick={() => suggest.mutate()}
          loading={suggest.isPending}
          disabled={!vendor.trim() && !product.trim()}
        >
          {t('cpeSuggest.button')}
        </Button>
        {!vendor.trim() && !product.trim() && (
          <Text size="xs" c="dimmed">
            {t('cpeSuggest.needText')}
          </Text>
        )}
      </Group>
      <ErrorAlert error={suggest.error} />
      {data && (
        <Card withBorder p="xs" data-testid="cpe-suggestions">
          {data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('cpeSuggest.none', { n: formatNumber(data.dictionarySize) })}
            </Text>
          ) : (
            <Stack gap={4}>
              <Text size="xs" c="dimmed">
                {t('cpeSuggest.help')}
              </Text>
              {data.items.map((s) => (
                <UnstyledButton
                  key={s.cpe}
                  onClick={() => {
                    onPick(s.cpe);
                    suggest.reset();
                  }}
                  aria-label={t('cpeSuggest.use', { cpe: s.cpe })}
                >
                  <Text size="sm" ff="monospace">
                    {s.cpe}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('cpeSuggest.score', {
                      score: formatNumber(s.score, { style: 'percent', maximumFractionDigits: 0 }),
                    })}
                  </Text>
                </UnstyledButton>
              ))}
            </Stack>
          )}
        </Card>
      )}
    </Stack>
  );
}
