import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { untranslatedLiterals } from './helpers/i18n-scan.js';

/**
 * The web UI's translations: every language has every string, with the same placeholders and
 * tags; every key the code asks for exists; and no page shows English text that bypasses the
 * translation files.
 */
const WEB = join(import.meta.dirname, '..', 'web', 'src');
const LOCALES = join(WEB, 'i18n', 'locales');
const LANGUAGES = ['en', 'es'];

/**
 * Pages not yet moved to translation files. The list only shrinks: a file on it that has
 * become clean fails the test, so it must be taken off.
 */
const NOT_YET_TRANSLATED = new Set<string>([]);

type Tree = { [k: string]: string | Tree };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

function load(lang: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const f of readdirSync(join(LOCALES, lang)).filter((f) => f.endsWith('.json'))) {
    out.set(f.replace(/\.json$/, ''), flatten(JSON.parse(readFileSync(join(LOCALES, lang, f), 'utf8'))));
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const placeholders = (s: string) =>
  [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}|<(\/?\w+)\s*\/?>/g)].map((m) => m[1] ?? m[2]).sort();

/** Base keys, with plural suffixes folded, so languages with other plural forms still compare. */
const baseKeys = (strings: Map<string, string>) =>
  new Set([...strings.keys()].map((k) => k.replace(PLURAL, '')));

describe('web translations', () => {
  const byLang = new Map(LANGUAGES.map((l) => [l, load(l)]));
  const en = byLang.get('en')!;

  it('has a file per namespace in every language', () => {
    for (const lang of LANGUAGES)
      expect([...byLang.get(lang)!.keys()].sort(), lang).toEqual([...en.keys()].sort());
  });

  it('has every string in every language, with the same placeholders and tags, none empty', () => {
    const problems: string[] = [];
    for (const lang of LANGUAGES) {
      for (const [ns, strings] of byLang.get(lang)!) {
        const reference = en.get(ns) ?? new Map();
        const want = baseKeys(reference);
        const have = baseKeys(strings);
        for (const k of want) if (!have.has(k)) problems.push(`${lang}/${ns}: missing ${k}`);
        for (const k of have) if (!want.has(k)) problems.push(`${lang}/${ns}: ${k} is not in English`);
        for (const [k, v] of strings) {
          if (!v.trim()) problems.push(`${lang}/${ns}: ${k} is empty`);
          const ref = reference.get(k) ?? reference.get(`${k.replace(PLURAL, '')}_other`);
          if (ref !== undefined && placeholders(ref).join() !== placeholders(v).join()) {
            problems.push(`${lang}/${ns}: ${k} has placeholders ${placeholders(v)} not ${placeholders(ref)}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('defines every key the code asks for', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(WEB)) {
      const src = readFileSync(file, 'utf8');
      const declared = /useTranslation\(\s*(?:\[\s*)?'([\w-]+)'/.exec(src);
      const fallbackNs = declared?.[1] ?? 'common';
      const keys = [
        ...src.matchAll(/\bt\(\s*'([^']+)'/g),
        ...src.matchAll(/i18nKey="([^"]+)"/g),
        ...src.matchAll(/i18nKey=\{'([^']+)'\}/g),
      ].map((m) => m[1] ?? '');
      for (const key of keys) {
        const [ns, path] = key.includes(':') ? (key.split(':', 2) as [string, string]) : [fallbackNs, key];
        const strings = en.get(ns);
        const ok =
          strings && (strings.has(path) || strings.has(`${path}_one`) || strings.has(`${path}_other`));
        if (!ok) missing.push(`${relative(WEB, file)}: ${ns}:${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('shows no English text outside the translation files', () => {
    const offenders: string[] = [];
    const clean: string[] = [];
    for (const file of sourceFiles(WEB).filter((f) => f.endsWith('.tsx'))) {
      const rel = relative(WEB, file);
      const literals = untranslatedLiterals(readFileSync(file, 'utf8'));
      if (NOT_YET_TRANSLATED.has(rel)) {
        if (literals.length === 0) clean.push(rel);
      } else if (literals.length) {
        offenders.push(`${rel}: ${literals.slice(0, 5).join(' | ')}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(clean, 'these files are translated now: take them off NOT_YET_TRANSLATED').toEqual([]);
  });

  it('recognises untranslated JSX text and props, and leaves translated code alone', () => {
    expect(untranslatedLiterals('<Text>Recent activity</Text>')).toEqual(['Recent activity']);
    expect(untranslatedLiterals('<TextInput label="Email" />')).toEqual(['Email']);
    expect(untranslatedLiterals('<b>{n}</b> residents</Text>')).toEqual(['residents']);
    expect(untranslatedLiterals("<Text>{t('x')}</Text><Badge>CSV</Badge><Text>Citywall</Text>")).toEqual([]);
    expect(untranslatedLiterals('const f = (a) => a < b;')).toEqual([]);
    expect(untranslatedLiterals('}\n\nfunction useList<T>(kind: string) {')).toEqual([]);
    expect(untranslatedLiterals('<TextInput description="cpe:2.3:part:vendor:product:…" />')).toEqual([]);
    expect(untranslatedLiterals('<TextInput description="Vendor: the maker" />')).toEqual([
      'Vendor: the maker',
    ]);
    expect(
      untranslatedLiterals(
        '<TextInput placeholder="https://taxii.example.org/" />\n<TextInput label="Token" />',
      ),
    ).toEqual(['Token']);
  });
});
