import { Alert, Button, Code, CopyButton, Group, Text } from '@mantine/core';

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
  return (
    <Alert color="yellow" title={label} variant="light" role="status">
      <Text size="sm" mb="xs">
        Copy it now: Citywall shows it only once and keeps only a hash.
      </Text>
      <Code block data-testid="one-time-secret" style={{ wordBreak: 'break-all' }}>
        {value}
      </Code>
      <Group mt="sm">
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
        {onDone && (
          <Button size="xs" variant="subtle" onClick={onDone}>
            Done
          </Button>
        )}
      </Group>
    </Alert>
  );
}
