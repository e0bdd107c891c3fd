/** Literal English shown to people in a .tsx file: JSX text and the text props people read. */
export function untranslatedLiterals(source: string): string[] {
  const found: string[] = [];
  const code = source.replace(/(?<!:)\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const readable = (text: string) => {
    const words = text.trim();
    if (!/[A-Za-z]{2,}/.test(words)) return false;
    if (/^[A-Z0-9 .,:/&·+#()_-]+$/.test(words)) return false; // acronyms and codes: CSV, TLP:RED, CVE
    if (/^(Citywall|[a-z0-9-]+\.[a-z]+)$/.test(words)) return false; // the name, file names
    if (/^[\w.*…-]+(:[\w.*…-]*)+$/.test(words)) return false; // identifier formats: cpe:2.3:a:vendor:…
    if (/^https?:\/\/\S+$/.test(words)) return false; // example addresses
    return true;
  };
  for (const m of code.matchAll(/(?<![=\-<])>([^<>{}]*)(?=[<{])/g)) {
    const text = m[1] ?? '';
    if (readable(text) && !/[;=`]/.test(text) && !/^\s*[(',]/.test(text)) found.push(text.trim());
  }
  for (const m of code.matchAll(/\}([^<>{}();=`'"]*)</g)) {
    if (readable(m[1] ?? '') && !/\b(return|const|let|if|else|function|interface|type)\b/.test(m[1] ?? ''))
      found.push((m[1] ?? '').trim());
  }
  for (const m of code.matchAll(
    /\b(label|placeholder|title|description|aria-label|alt|confirmLabel|emptyMessage)="([^"]*)"/g,
  )) {
    if (readable(m[2] ?? '')) found.push(m[2] ?? '');
  }
  return found;
}
