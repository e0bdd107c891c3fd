import { Alert, Button, Code, CopyButton, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A secret the server returns once (a token, a one-time password): shown with a copy button, never again. */
export function OneTimeSecret({
  label,
  value,
  onDone,
}: {
  label: string;
  value: string;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" title={label} variant="light" role="status">
      <Text size="sm" mb="xs">
        {t('secret.copyNow')}
      </Text>
      <Code block data-testid="one-time-secret" style={{ wordBreak: 'break-all' }}>
        {value}
      </Code>
      <Group mt="sm">
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? t('secret.copied') : t('secret.copy')}
            </Button>
          )}
        </CopyButton>
        {onDone && (
          <Button size="xs" variant="subtle" onClick={onDone}>
            {t('secret.done')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
