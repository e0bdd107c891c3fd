import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Tlp } from './types';

// The TLP 2.0 colours (FIRST): CLEAR white, GREEN green, AMBER amber, RED red.
const COLORS: Record<Tlp, string> = {
  clear: 'gray',
  green: 'green',
  amber: 'orange',
  'amber+strict': 'orange',
  red: 'red',
};

export function TlpBadge({ tlp }: { tlp: Tlp }) {
  const { t } = useTranslation('intel');
  return (
    <Badge
      color={COLORS[tlp]}
      variant={tlp === 'clear' ? 'outline' : 'filled'}
      radius="sm"
      data-testid="tlp-badge"
      title={t('tlpTitle', { tlp: tlp.toUpperCase() })}
    >
      TLP:{tlp.toUpperCase()}
    </Badge>
  );
}
