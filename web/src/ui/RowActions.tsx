import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The "Edit" button of a table row; `label` names the row for screen readers ("Edit Water SCADA"). */
export function EditButton({ label, onClick }: { label: string; onClick(): void }) {
  const { t } = useTranslation();
  return (
    <Button size="xs" variant="default" aria-label={label} onClick={onClick}>
      {t('actions.edit')}
    </Button>
  );
}

/**
 * The "Delete" button of a table row: asks `confirm` first and calls `onConfirm` only when the person agrees.
 * `label` names the row for screen readers.
 */
export function DeleteButton({
  label,
  confirm,
  onConfirm,
}: {
  label: string;
  confirm: string;
  onConfirm(): void;
}) {
  const { t } = useTranslation();
  return (
    <Button
      size="xs"
      color="red"
      variant="subtle"
      aria-label={label}
      onClick={() => {
        if (window.confirm(confirm)) onConfirm();
      }}
    >
      {t('actions.delete')}
    </Button>
  );
}
