import type { Catalog, Control, Group, Parameter, Part, Property } from './types.js';

/** Namespace of the properties Citywall itself adds to OSCAL content. */
export const CITYWALL_NS = 'urn:citywall:oscal';

export interface FlatControl {
  id: string;
  title: string;
  /** The `label` property (e.g. `AC-2(1)`), when the catalog gives one. */
  label: string | null;
  class: string | null;
  parentId: string | null;
  groupId: string | null;
  groupTitle: string | null;
  /** Ids (or titles, for groups without id) of the enclosing groups, outermost first. */
  groupPath: string[];
  /** 0 for a control directly in a group or the catalog; 1 for an enhancement, and so on. */
  depth: number;
  /** Position in document order, a stable sort key across the whole catalog. */
  sortOrder: number;
  /** The `sort-id` property when present, else the id. */
  sortId: string;
  withdrawn: boolean;
  /** Present only to keep the structure of a profile resolved `as-is` (see `resolveProfile`). */
  implicit: boolean;
  /** Statement text with labels, nesting and parameters rendered. */
  statement: string;
  guidance: string;
  partNames: string[];
  paramIds: string[];
  childIds: string[];
  control: Control;
}

export interface RenderOptions {
  /** Values that override those in the catalog, by parameter id (e.g. an organization's own settings). */
  paramValues?: Record<string, string[]>;
}

const INSERT_PATTERN = /\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}/g;

export const OSCAL_NS = 'http://csrc.nist.gov/ns/oscal';

/** Value of a property; without `ns`, only properties in the OSCAL namespace (explicit or implied) match. */
export function propValue(props: Property[] | undefined, name: string, ns?: string): string | undefined {
  const wanted = ns ?? OSCAL_NS;
  return props?.find((p) => p.name === name && (p.ns ?? OSCAL_NS) === wanted)?.value;
}

export function isWithdrawn(control: Control): boolean {
  return propValue(control.props, 'status') === 'withdrawn';
}

/** Every parameter of the catalog by id (OSCAL param ids are unique in a document). */
export function collectParams(catalog: Catalog): Map<string, Parameter> {
  const params = new Map<string, Parameter>();
  const add = (list: Parameter[] | undefined) => {
    for (const p of list ?? []) params.set(p.id, p);
  };
  const controls = (list: Control[] | undefined) =>
    list?.forEach((c) => {
      add(c.params);
      controls(c.controls);
    });
  const groups = (list: Group[] | undefined) =>
    list?.forEach((g) => {
      add(g.params);
      groups(g.groups);
      controls(g.controls);
    });
  add(catalog.params);
  controls(catalog.controls);
  groups(catalog.groups);
  return params;
}

/**
 * Renders a parameter the way SP 800-53 prints it: its value when set, else `[Selection: …]` or
 * `[Assignment: label]`, so unset parameters stay visible to an assessor instead of vanishing.
 */
export function renderParam(
  id: string,
  params: Map<string, Parameter>,
  options: RenderOptions = {},
  seen: Set<string> = new Set(),
): string {
  const override = options.paramValues?.[id];
  if (override?.length) return override.join(', ');
  const param = params.get(id);
  if (!param) return `[Assignment: ${id}]`;
  if (param.values?.length) return param.values.join(', ');
  // A choice may itself insert a parameter; the `seen` set stops a parameter that inserts itself.
  if (seen.has(id)) return `[Assignment: ${param.label ?? id}]`;
  const inner = new Set(seen).add(id);
  if (param.select) {
    const choices = (param.select.choice ?? []).map((c) => insertParams(c, params, options, inner).trim());
    const many = param.select['how-many'] === 'one-or-more' ? ' (one or more)' : '';
    return `[Selection${many}: ${choices.join('; ')}]`;
  }
  return `[Assignment: ${param.label ?? id}]`;
}

export function insertParams(
  text: string,
  params: Map<string, Parameter>,
  options: RenderOptions = {},
  seen: Set<string> = new Set(),
): string {
  return text.replace(INSERT_PATTERN, (_m, id: string) => renderParam(id, params, options, seen));
}

function renderPart(
  part: Part,
  params: Map<string, Parameter>,
  options: RenderOptions,
  indent: number,
): string[] {
  const label = propValue(part.props, 'label');
  const prose = part.prose ? insertParams(part.prose, params, options).trim() : '';
  const head = [label, prose].filter(Boolean).join(' ');
  const lines = head ? [`${'  '.repeat(indent)}${head}`] : [];
  const childIndent = head ? indent + 1 : indent;
  for (const child of part.parts ?? []) lines.push(...renderPart(child, params, options, childIndent));
  return lines;
}

/** Text of the control's parts with the given name (`statement`, `guidance`, …), parameters rendered. */
export function renderParts(
  control: Control,
  name: string,
  params: Map<string, Parameter>,
  options: RenderOptions = {},
): string {
  return (control.parts ?? [])
    .filter((p) => p.name === name)
    .flatMap((p) => renderPart(p, params, options, 0))
    .join('\n');
}

/** Every control of the catalog, nested ones included, in document order. */
export function flattenCatalog(catalog: Catalog, options: RenderOptions = {}): FlatControl[] {
  const params = collectParams(catalog);
  const out: FlatControl[] = [];
  const visit = (
    control: Control,
    parentId: string | null,
    group: Group | null,
    groupPath: string[],
    depth: number,
  ) => {
    out.push({
      id: control.id,
      title: control.title,
      label: propValue(control.props, 'label') ?? null,
      class: control.class ?? null,
      parentId,
      groupId: group?.id ?? null,
      groupTitle: group?.title ?? null,
      groupPath,
      depth,
      sortOrder: out.length,
      sortId: propValue(control.props, 'sort-id') ?? control.id,
      withdrawn: isWithdrawn(control),
      implicit: propValue(control.props, 'implicit-inclusion', CITYWALL_NS) === 'true',
      statement: renderParts(control, 'statement', params, options),
      guidance: renderParts(control, 'guidance', params, options),
      partNames: [...new Set((control.parts ?? []).map((p) => p.name))],
      paramIds: (control.params ?? []).map((p) => p.id),
      childIds: (control.controls ?? []).map((c) => c.id),
      control,
    });
    for (const child of control.controls ?? []) visit(child, control.id, group, groupPath, depth + 1);
  };
  const visitGroup = (group: Group, path: string[]) => {
    const here = [...path, group.id ?? group.title];
    for (const c of group.controls ?? []) visit(c, null, group, here, 0);
    for (const g of group.groups ?? []) visitGroup(g, here);
  };
  for (const c of catalog.controls ?? []) visit(c, null, null, [], 0);
  for (const g of catalog.groups ?? []) visitGroup(g, []);
  return out;
}
