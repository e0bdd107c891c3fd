import { useTranslation } from 'react-i18next';
import { type MaturityScale, PRESET_SCALE_KEYS } from './types';

/**
 * Names of a scale's levels in the reader's language: the preset scales are translated, a scale of the
 * organization's own shows the labels it was given.
 */
export function useLevels(scale: MaturityScale | undefined) {
  const { t } = useTranslation('baselines');
  const key = scale ? PRESET_SCALE_KEYS[scale.id] : undefined;
  const label = (value: number | null | undefined): string => {
    if (value === null || value === undefined) return '—';
    const level = scale?.levels.find((l) => l.value === value);
    if (!level) return String(value);
    return key ? t(`scales.${key}.${value}`, { defaultValue: level.label }) : level.label;
  };
  const name = scale ? (key ? t(`scales.${key}.name`, { defaultValue: scale.name }) : scale.name) : '';
  return { label, name, levels: scale?.levels ?? [] };
}
