export type OscalErrorCode =
  | 'invalid-json'
  | 'too-large'
  | 'wrong-document-type'
  | 'invalid-document'
  | 'duplicate-id'
  | 'unknown-control'
  | 'unknown-parameter'
  | 'unknown-part'
  | 'circular-import'
  | 'unresolvable-import'
  | 'control-collision';

export interface OscalIssue {
  /** Where in the document, e.g. `catalog.groups[0].controls[2].title` or `profile.imports[0].href`. */
  path: string;
  message: string;
}

/** Every failure of this module: callers show `issues` to the user and change nothing. */
export class OscalError extends Error {
  readonly code: OscalErrorCode;
  readonly issues: OscalIssue[];

  constructor(code: OscalErrorCode, issues: OscalIssue[]) {
    const shown = issues.slice(0, 5).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    super(`${shown.join('; ')}${more}`);
    this.name = 'OscalError';
    this.code = code;
    this.issues = issues;
  }
}

export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  }
  return out;
}
