/// <reference types="vite/client" />
/**
 * Translations of the web UI. Each module keeps its strings in its own namespace file,
 * `locales/<language>/<namespace>.json`, so modules never edit one shared file; `common` holds
 * what every page uses (navigation, buttons, states). English is the reference and the fallback;
 * test/i18n.test.ts keeps every language complete and every key used in the code defined.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'es', label: 'Español' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'citywall.language';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', {
  eager: true,
  import: 'default',
});
const resources: Resources = {};
for (const [path, strings] of Object.entries(files)) {
  const m = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (!m) continue;
  const [, lang, ns] = m as unknown as [string, string, string];
  resources[lang] ??= {};
  resources[lang][ns] = strings;
}

function isLanguage(code: string | null | undefined): code is Language {
  return !!code && LANGUAGES.some((l) => l.code === code);
}

/** The saved choice, else the first of the browser's languages we have, else English. */
function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // Storage can be disabled; the browser's languages still decide.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag?.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

const lng = initialLanguage();
document.documentElement.lang = lng;

void i18n.use(initReactI18next).init({
  resources,
  lng,
  fallbackLng: 'en',
  defaultNS: 'common',
  ns: Object.keys(resources.en ?? {}),
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLanguage(code: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // The choice then lasts for this page only.
  }
  document.documentElement.lang = code;
  void i18n.changeLanguage(code);
}

/** The language in use, for Intl formatting of dates and numbers. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

/** A number written the way the reader's language writes it (1,234 or 1.234). */
export function formatNumber(n: number | null | undefined, options?: Intl.NumberFormatOptions): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return new Intl.NumberFormat(currentLanguage(), options).format(n);
}

export default i18n;
