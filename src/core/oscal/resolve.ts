import { v4 as uuidv4 } from 'uuid';
import { OscalError, type OscalIssue } from './errors.js';
import { CITYWALL_NS, propValue } from './flatten.js';
import { isProfile } from './parse.js';
import type {
  Add,
  Alter,
  Catalog,
  Control,
  CustomGroup,
  Group,
  InsertControls,
  Link,
  Parameter,
  Part,
  Profile,
  Property,
  Remove,
  Resource,
  SelectControlById,
  SetParameter,
} from './types.js';

export interface ImportContext {
  /** The profile whose import is being resolved. */
  profile: Profile;
  /** For an internal href (`#uuid`), the back-matter resource it points to. */
  resource?: Resource;
}

/** Looks up the catalog or profile an import's `href` names. May throw; the error is reported with its path. */
export type ResolveHref = (href: string, context: ImportContext) => Catalog | Profile | undefined;

export interface ResolveOptions {
  /** Timestamp of the resolution (`last-modified` of the result). Default: now. */
  now?: Date;
  newUuid?: () => string;
  /** Recorded on the result's `source-profile` link. Default `urn:uuid:<profile uuid>`. */
  profileHref?: string;
}

const IMPLICIT_PROP: Property = { name: 'implicit-inclusion', ns: CITYWALL_NS, value: 'true' };

interface Entry {
  control: Control;
  parent: Entry | null;
  groups: Group[];
  order: number;
  implicit: boolean;
}

interface Source {
  catalog: Catalog;
  entries: Map<string, Entry>;
  ordered: Entry[];
}

interface Selected {
  importIndex: number;
  entry: Entry;
  content: Control;
}

interface StackItem {
  uuid: string;
  title: string;
}

function indexCatalog(catalog: Catalog): Source {
  const entries = new Map<string, Entry>();
  const ordered: Entry[] = [];
  const visit = (control: Control, parent: Entry | null, groups: Group[]) => {
    const entry: Entry = {
      control,
      parent,
      groups,
      order: ordered.length,
      implicit: propValue(control.props, IMPLICIT_PROP.name, CITYWALL_NS) === 'true',
    };
    entries.set(control.id, entry);
    ordered.push(entry);
    for (const child of control.controls ?? []) visit(child, entry, groups);
  };
  const visitGroup = (group: Group, chain: Group[]) => {
    const here = [...chain, group];
    for (const c of group.controls ?? []) visit(c, null, here);
    for (const g of group.groups ?? []) visitGroup(g, here);
  };
  for (const c of catalog.controls ?? []) visit(c, null, []);
  for (const g of catalog.groups ?? []) visitGroup(g, []);
  return { catalog, entries, ordered };
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Ids picked by a list of `select-control-by-id`; unknown `with-ids` are reported, not ignored. */
function selectIds(
  source: Source,
  selectors: SelectControlById[],
  path: string,
  issues: OscalIssue[],
): Set<string> {
  const out = new Set<string>();
  selectors.forEach((sel, j) => {
    const picked: Entry[] = [];
    sel['with-ids']?.forEach((id, k) => {
      const entry = source.entries.get(id);
      if (entry) picked.push(entry);
      else {
        issues.push({
          path: `${path}[${j}].with-ids[${k}]`,
          message: `control "${id}" does not exist in the imported ${source.catalog.metadata.title ? `"${source.catalog.metadata.title}"` : 'catalog'}`,
        });
      }
    });
    for (const m of sel.matching ?? []) {
      const re = globToRegExp(m.pattern);
      for (const entry of source.ordered)
        if (!entry.implicit && re.test(entry.control.id)) picked.push(entry);
    }
    for (const entry of picked) {
      out.add(entry.control.id);
      // The resolution specification includes direct children only, not all descendants.
      if (sel['with-child-controls'] === 'yes')
        for (const child of entry.control.controls ?? []) out.add(child.id);
    }
  });
  return out;
}

function selectFrom(
  source: Source,
  spec: Pick<InsertControls, 'include-all' | 'include-controls' | 'exclude-controls'>,
  path: string,
  issues: OscalIssue[],
): Entry[] {
  const included = spec['include-controls']
    ? selectIds(source, spec['include-controls'], `${path}.include-controls`, issues)
    : null;
  const excluded = spec['exclude-controls']
    ? selectIds(source, spec['exclude-controls'], `${path}.exclude-controls`, issues)
    : new Set<string>();
  // Without an inclusion rule everything is included; an exclusion always wins over an inclusion.
  return source.ordered.filter(
    (e) =>
      // Structural parents from an imported profile's `as-is` output are not controls of that profile.
      !excluded.has(e.control.id) && (included ? included.has(e.control.id) : !e.implicit),
  );
}

function withoutChildren(control: Control): Control {
  const { controls: _children, ...rest } = control;
  return structuredClone(rest);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function uniqueConcat<T>(a: T[] | undefined, b: T[] | undefined): T[] | undefined {
  if (!a?.length) return b && structuredClone(b);
  if (!b?.length) return a;
  const seen = new Set(a.map((x) => JSON.stringify(x)));
  return [...a, ...b.filter((x) => !seen.has(JSON.stringify(x)))];
}

function mergeControls(a: Control, b: Control): Control {
  const merged: Control = { ...b, ...a };
  for (const key of ['params', 'props', 'links', 'parts'] as const) {
    const value = uniqueConcat(a[key] as unknown[] | undefined, b[key] as unknown[] | undefined);
    if (value) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

// --- structure ------------------------------------------------------------------------------------------

interface Node {
  kind: 'group' | 'control';
  key: string;
  value: Group | Control;
  implicit: boolean;
  children: Node[];
  index: Map<string, Node>;
}

function newNode(kind: Node['kind'], key: string, value: Group | Control, implicit: boolean): Node {
  return { kind, key, value, implicit, children: [], index: new Map() };
}

function child(
  parent: Node,
  kind: Node['kind'],
  key: string,
  make: () => Group | Control,
  implicit: boolean,
): Node {
  const k = `${kind}:${key}`;
  let node = parent.index.get(k);
  if (!node) {
    node = newNode(kind, key, make(), implicit);
    parent.index.set(k, node);
    parent.children.push(node);
  } else if (node.implicit && !implicit) {
    node.value = make();
    node.implicit = false;
  }
  return node;
}

function groupShell(group: Group): Group {
  const { groups: _g, controls: _c, ...rest } = group;
  return structuredClone(rest);
}

function implicitShell(control: Control): Control {
  return { id: control.id, title: control.title, props: [{ ...IMPLICIT_PROP }] };
}

function materialize(node: Node): Group | Control {
  const value = { ...node.value } as Group & Control;
  const groups = node.children.filter((c) => c.kind === 'group').map((c) => materialize(c) as Group);
  const controls = node.children.filter((c) => c.kind === 'control').map((c) => materialize(c) as Control);
  if (groups.length) value.groups = groups;
  if (controls.length) value.controls = controls;
  return value;
}

function buildAsIs(selected: Selected[]): { groups: Group[]; controls: Control[] } {
  const root = newNode('group', '', { title: '' }, false);
  for (const s of selected) {
    let at = root;
    for (const g of s.entry.groups)
      at = child(at, 'group', g.id ?? `title:${g.title}`, () => groupShell(g), false);
    const ancestors: Entry[] = [];
    for (let p = s.entry.parent; p; p = p.parent) ancestors.unshift(p);
    for (const a of ancestors) at = child(at, 'control', a.control.id, () => implicitShell(a.control), true);
    child(at, 'control', s.entry.control.id, () => s.content, false);
  }
  const top = materialize(root) as Group;
  return { groups: top.groups ?? [], controls: top.controls ?? [] };
}

function sortKey(control: Control): string {
  return propValue(control.props, 'sort-id') ?? control.id;
}

function buildCustom(
  custom: NonNullable<NonNullable<Profile['merge']>['custom']>,
  selected: Selected[],
  issues: OscalIssue[],
  root: string,
): { groups: Group[]; controls: Control[] } {
  // Insert directives pick from the selected controls only, as a flat pool.
  const pool = indexCatalog({
    uuid: '00000000-0000-4000-8000-000000000000',
    metadata: { title: 'selected controls', 'last-modified': '', version: '', 'oscal-version': '' },
    controls: selected.map((s) => s.content),
  });
  const insert = (list: InsertControls[] | undefined, path: string): Control[] =>
    (list ?? []).flatMap((ins, i) => {
      const picked = selectFrom(pool, ins, `${path}[${i}]`, issues).map((e) => e.control);
      if (ins.order === 'ascending' || ins.order === 'descending') {
        picked.sort((a, b) => sortKey(a).localeCompare(sortKey(b), 'en', { numeric: true }));
        if (ins.order === 'descending') picked.reverse();
      }
      return picked;
    });
  const group = (g: CustomGroup, path: string): Group => {
    const { 'insert-controls': ins, groups, ...rest } = g;
    const out: Group = structuredClone(rest);
    const controls = insert(ins, `${path}.insert-controls`);
    const sub = (groups ?? []).map((s, i) => group(s, `${path}.groups[${i}]`));
    if (sub.length) out.groups = sub;
    if (controls.length) out.controls = controls;
    return out;
  };
  return {
    groups: (custom.groups ?? []).map((g, i) => group(g, `${root}.merge.custom.groups[${i}]`)),
    controls: insert(custom['insert-controls'], `${root}.merge.custom.insert-controls`),
  };
}

// --- modification -----------------------------------------------------------------------------------------

function walkControls(list: Control[] | undefined, fn: (c: Control) => void): void {
  for (const c of list ?? []) {
    fn(c);
    walkControls(c.controls, fn);
  }
}

function walkGroups(list: Group[] | undefined, fn: (g: Group) => void): void {
  for (const g of list ?? []) {
    fn(g);
    walkGroups(g.groups, fn);
  }
}

function allControls(catalog: Catalog): Map<string, Control> {
  const out = new Map<string, Control>();
  walkControls(catalog.controls, (c) => out.set(c.id, c));
  walkGroups(catalog.groups, (g) => walkControls(g.controls, (c) => out.set(c.id, c)));
  return out;
}

function allParams(catalog: Catalog): Map<string, Parameter> {
  const out = new Map<string, Parameter>();
  const add = (list: Parameter[] | undefined) => {
    for (const p of list ?? []) out.set(p.id, p);
  };
  add(catalog.params);
  for (const c of allControls(catalog).values()) add(c.params);
  walkGroups(catalog.groups, (g) => add(g.params));
  return out;
}

function setParameter(param: Parameter, set: SetParameter): void {
  if (set.label !== undefined) param.label = set.label;
  if (set.usage !== undefined) param.usage = set.usage;
  if (set.class !== undefined) param.class = set.class;
  // A value and a selection replace each other: a profile that sets a value settles the parameter.
  if (set.values !== undefined) {
    param.values = [...set.values];
    delete param.select;
  }
  if (set.select !== undefined) {
    param.select = structuredClone(set.select);
    delete param.values;
  }
  for (const key of ['props', 'links', 'constraints', 'guidelines'] as const) {
    const extra = set[key];
    if (extra?.length)
      (param as Record<string, unknown>)[key] = [
        ...((param[key] as unknown[]) ?? []),
        ...structuredClone(extra),
      ];
  }
}

type Item = { kind: 'param' | 'prop' | 'link' | 'part'; value: Record<string, unknown> };

function matchesRemove(item: Item, remove: Remove): boolean {
  const v = item.value;
  if (remove['by-item-name'] !== undefined && remove['by-item-name'] !== item.kind) return false;
  if (remove['by-name'] !== undefined && v.name !== remove['by-name']) return false;
  if (remove['by-class'] !== undefined && v.class !== remove['by-class']) return false;
  if (remove['by-id'] !== undefined && v.id !== remove['by-id']) return false;
  if (remove['by-ns'] !== undefined && v.ns !== remove['by-ns']) return false;
  return true;
}

function applyRemove(holder: Record<string, unknown>, remove: Remove): number {
  let removed = 0;
  const kinds: [string, Item['kind']][] = [
    ['params', 'param'],
    ['props', 'prop'],
    ['links', 'link'],
    ['parts', 'part'],
  ];
  for (const [key, kind] of kinds) {
    const list = holder[key] as Record<string, unknown>[] | undefined;
    if (!list) continue;
    const kept = list.filter((value) => !matchesRemove({ kind, value }, remove));
    removed += list.length - kept.length;
    if (kept.length) holder[key] = kept;
    else delete holder[key];
  }
  for (const part of (holder.parts as Part[] | undefined) ?? []) removed += applyRemove(part, remove);
  return removed;
}

function findPart(
  parts: Part[] | undefined,
  id: string,
): { part: Part; siblings: Part[]; holder: Part | null } | null {
  const search = (list: Part[] | undefined, holder: Part | null): ReturnType<typeof findPart> => {
    for (const part of list ?? []) {
      if (part.id === id) return { part, siblings: list as Part[], holder };
      const found = search(part.parts, part);
      if (found) return found;
    }
    return null;
  };
  return search(parts, null);
}

function placeInto(
  holder: Record<string, unknown>,
  key: string,
  items: unknown[] | undefined,
  atStart: boolean,
) {
  if (!items?.length) return;
  const existing = (holder[key] as unknown[]) ?? [];
  const added = structuredClone(items);
  holder[key] = atStart ? [...added, ...existing] : [...existing, ...added];
}

function applyAdd(control: Control, add: Add, path: string, issues: OscalIssue[]): void {
  const position = add.position ?? 'ending';
  const targetId = add['by-id'];
  if (targetId === undefined || targetId === control.id) {
    // At control level there is nothing to stand beside, so before/after mean the start/end of its content.
    const atStart = position === 'starting' || position === 'before';
    if (add.title !== undefined) control.title = add.title;
    for (const key of ['params', 'props', 'links', 'parts'] as const)
      placeInto(control, key, add[key], atStart);
    return;
  }
  const found = findPart(control.parts, targetId);
  if (!found) {
    issues.push({
      path: `${path}.by-id`,
      message: `control "${control.id}" has no part with id "${targetId}"`,
    });
    return;
  }
  const { part, siblings } = found;
  if (add.title !== undefined) part.title = add.title;
  if (position === 'starting' || position === 'ending') {
    const atStart = position === 'starting';
    for (const key of ['props', 'links', 'parts'] as const) placeInto(part, key, add[key], atStart);
    if (add.params?.length) placeInto(control, 'params', add.params, false);
    return;
  }
  const at = siblings.indexOf(part) + (position === 'after' ? 1 : 0);
  siblings.splice(at, 0, ...structuredClone(add.parts ?? []));
  const holder: Record<string, unknown> = found.holder ?? control;
  placeInto(holder, 'props', add.props, position === 'before');
  placeInto(holder, 'links', add.links, position === 'before');
  if (add.params?.length) placeInto(control, 'params', add.params, false);
}

function applyModify(catalog: Catalog, profile: Profile, root: string): void {
  const modify = profile.modify;
  if (!modify) return;
  const issues: OscalIssue[] = [];
  const controls = allControls(catalog);
  modify.alters?.forEach((alter: Alter, i) => {
    const path = `${root}.modify.alters[${i}]`;
    const control = controls.get(alter['control-id']);
    if (!control) {
      issues.push({
        path: `${path}.control-id`,
        message: `control "${alter['control-id']}" is not in the resolved profile (not imported or excluded)`,
      });
      return;
    }
    for (const remove of alter.removes ?? []) applyRemove(control, remove);
    alter.adds?.forEach((add, j) => {
      applyAdd(control, add, `${path}.adds[${j}]`, issues);
    });
  });
  if (issues.length) {
    throw new OscalError(
      issues.some((i) => i.path.endsWith('.by-id')) ? 'unknown-part' : 'unknown-control',
      issues,
    );
  }
  const params = allParams(catalog);
  modify['set-parameters']?.forEach((set, i) => {
    const param = params.get(set['param-id']);
    if (!param) {
      issues.push({
        path: `${root}.modify.set-parameters[${i}].param-id`,
        message: `parameter "${set['param-id']}" is not defined by any control in the resolved profile`,
      });
      return;
    }
    setParameter(param, set);
  });
  if (issues.length) throw new OscalError('unknown-parameter', issues);
}

// --- resolution -------------------------------------------------------------------------------------------

function referencedResources(catalog: Catalog, pools: Resource[][]): Resource[] {
  const text = JSON.stringify([catalog.params, catalog.groups, catalog.controls]);
  const wanted = new Set<string>();
  for (const m of text.matchAll(/"#([0-9A-Fa-f-]{36})"/g)) wanted.add(m[1].toLowerCase());
  const out = new Map<string, Resource>();
  for (const pool of pools)
    for (const r of pool) if (wanted.has(r.uuid.toLowerCase()) && !out.has(r.uuid)) out.set(r.uuid, r);
  return [...out.values()];
}

function resolveInner(
  profile: Profile,
  resolveHref: ResolveHref,
  options: ResolveOptions,
  stack: StackItem[],
  root: string,
): Catalog {
  const issues: OscalIssue[] = [];
  const chain = [...stack, { uuid: profile.uuid, title: profile.metadata.title }];
  const sources: { source: Source; selected: Entry[] }[] = [];

  profile.imports.forEach((imp, i) => {
    const path = `${root}.imports[${i}]`;
    let resource: Resource | undefined;
    if (imp.href.startsWith('#')) {
      const id = imp.href.slice(1);
      resource = profile['back-matter']?.resources?.find((r) => r.uuid === id);
      if (!resource) {
        throw new OscalError('unresolvable-import', [
          { path: `${path}.href`, message: `no back-matter resource with uuid "${id}"` },
        ]);
      }
    }
    let target: Catalog | Profile | undefined;
    try {
      target = resolveHref(imp.href, { profile, resource });
    } catch (err) {
      if (err instanceof OscalError) throw err;
      throw new OscalError('unresolvable-import', [
        { path: `${path}.href`, message: `cannot load "${imp.href}": ${(err as Error).message}` },
      ]);
    }
    if (!target) {
      throw new OscalError('unresolvable-import', [
        { path: `${path}.href`, message: `"${imp.href}" names no known catalog or profile` },
      ]);
    }
    let catalog: Catalog;
    if (isProfile(target)) {
      const loop = chain.findIndex((s) => s.uuid === target.uuid);
      if (loop >= 0) {
        const names = [...chain.slice(loop), { uuid: target.uuid, title: target.metadata.title }]
          .map((s) => `"${s.title}" (${s.uuid})`)
          .join(' → ');
        throw new OscalError('circular-import', [
          { path: `${path}.href`, message: `circular import: ${names}` },
        ]);
      }
      catalog = resolveInner(target, resolveHref, options, chain, `${path}(${imp.href})`);
    } else {
      catalog = target;
    }
    const source = indexCatalog(catalog);
    sources.push({ source, selected: selectFrom(source, imp, path, issues) });
  });
  if (issues.length) throw new OscalError('unknown-control', issues);

  const method = profile.merge?.combine?.method ?? 'keep';
  const owner = new Map<string, Selected>();
  const selected: Selected[] = [];
  sources.forEach(({ selected: entries }, importIndex) => {
    for (const entry of entries) {
      const content = withoutChildren(entry.control);
      const first = owner.get(entry.control.id);
      if (!first) {
        const s = { importIndex, entry, content };
        owner.set(entry.control.id, s);
        selected.push(s);
      } else if (method === 'merge') {
        first.content = mergeControls(first.content, content);
      } else if (method === 'keep' && !sameJson(first.content, content)) {
        issues.push({
          path: `${root}.imports[${importIndex}]`,
          message: `control "${entry.control.id}" is also selected by imports[${first.importIndex}] with different content; set merge.combine.method to "use-first" or "merge"`,
        });
      }
    }
  });
  if (issues.length) throw new OscalError('control-collision', issues);

  const merge = profile.merge;
  let structure: { groups: Group[]; controls: Control[] };
  if (merge?.custom) structure = buildCustom(merge.custom, selected, issues, root);
  else if (merge?.['as-is']) structure = buildAsIs(selected);
  else structure = { groups: [], controls: selected.map((s) => s.content) };
  if (issues.length) throw new OscalError('unknown-control', issues);

  const metadata = structuredClone(profile.metadata);
  metadata['last-modified'] = (options.now ?? new Date()).toISOString();
  metadata['oscal-version'] = '1.1.2';
  metadata.props = [
    ...(metadata.props ?? []),
    { name: 'resolution-tool', value: 'Citywall', ns: CITYWALL_NS },
  ];
  metadata.links = [
    ...(metadata.links ?? []),
    { href: options.profileHref ?? `urn:uuid:${profile.uuid}`, rel: 'source-profile' } satisfies Link,
  ];
  const result: Catalog = { uuid: (options.newUuid ?? uuidv4)(), metadata };
  const topParams = sources.flatMap(({ source }) => source.catalog.params ?? []);
  if (topParams.length) {
    const used = JSON.stringify(structure);
    const referenced = topParams.filter((p) => used.includes(p.id));
    if (referenced.length) result.params = structuredClone(referenced);
  }
  if (structure.controls.length) result.controls = structure.controls;
  if (structure.groups.length) result.groups = structure.groups;

  applyModify(result, profile, root);

  const resources = referencedResources(result, [
    profile['back-matter']?.resources ?? [],
    ...sources.map(({ source }) => source.catalog['back-matter']?.resources ?? []),
  ]);
  if (resources.length) result['back-matter'] = { resources: structuredClone(resources) };
  return result;
}

/**
 * Resolves an OSCAL profile into the catalog it defines (import → merge → modify), following the OSCAL
 * profile resolution specification. Imports of profiles are resolved recursively; a circular import, an
 * unknown control or parameter id, or an unresolvable href raises an `OscalError` naming the exact path.
 */
export function resolveProfile(
  profile: Profile,
  resolveHref: ResolveHref,
  options: ResolveOptions = {},
): Catalog {
  return resolveInner(profile, resolveHref, options, [], 'profile');
}
