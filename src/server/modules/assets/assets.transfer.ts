/**
 * Import and export of the inventory as CSV or XLSX. An import is read, mapped (source column → field), checked
 * row by row and previewed before anything is written; a commit re-checks and writes everything in one
 * transaction, or nothing.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import type ExcelJS from 'exceljs';
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import {
  DATA_CLASSIFICATIONS,
  DEPENDENCY_TYPES,
  dependencies,
  HOSTINGS,
  SYSTEM_KINDS,
  services,
  systems,
} from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import type { OrgRow } from '../orgs/orgs.repository.js';
import { orgsDirectory, orgsService } from '../orgs/orgs.service.js';
import {
  type DependencyInsert,
  dependenciesRepository,
  inventoryBulkRepository,
  inventoryVersionsRepository,
  providersRepository,
  servicesRepository,
  systemsRepository,
} from './assets.repository.js';
import { CreateDependency, CreateService, CreateSystem, type IMPORT_KINDS } from './assets.schemas.js';
import { rootPathOf } from './assets.service.js';
import { effectiveSectors, findSector } from './sectors.js';

// exceljs is large: load it when a spreadsheet is read or written, not when the server starts.
const loadExcel = async () => (await import('exceljs')).default;

export type ImportKind = (typeof IMPORT_KINDS)[number];
export type FileFormat = 'csv' | 'xlsx';

type Parsed = { value: unknown } | { error: string };

interface FieldSpec {
  name: string;
  label: string;
  required?: boolean;
  description: string;
  synonyms?: string[];
  parse: (raw: string) => Parsed;
  /** Value as written to an export cell. */
  format?: (v: unknown) => string;
}

const ok = (value: unknown): Parsed => ({ value });
const textP = (raw: string): Parsed => ok(raw);
const intP = (raw: string): Parsed => {
  const s = raw.replace(/[,_\s]/g, '');
  if (!/^-?\d+(\.0+)?$/.test(s)) return { error: `"${raw}" is not a whole number` };
  return ok(Number.parseInt(s, 10));
};
const numP = (raw: string): Parsed => {
  const s = raw.replace(/[,_\s]/g, '');
  const n = Number(s);
  if (s === '' || !Number.isFinite(n)) return { error: `"${raw}" is not a number` };
  return ok(n);
};
const TRUE = new Set(['true', 'yes', 'y', '1', 'x', 'oui', 'ja', 'si', 'sí']);
const FALSE = new Set(['false', 'no', 'n', '0', 'non', 'nein']);
const boolP = (raw: string): Parsed => {
  const s = raw.trim().toLowerCase();
  if (TRUE.has(s)) return ok(true);
  if (FALSE.has(s)) return ok(false);
  return { error: `"${raw}" is not yes/no (use true, false, yes, no, 1 or 0)` };
};
const listP = (raw: string): Parsed =>
  ok(
    raw
      .split(/[;|\n]/)
      .map((x) => x.trim())
      .filter(Boolean),
  );
const dateP = (raw: string): Parsed => {
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return ok(s);
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) return ok(s.slice(0, 10));
  return { error: `"${raw}" is not a date (use YYYY-MM-DD)` };
};
const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
function enumP(values: readonly string[], aliases: Record<string, string> = {}) {
  const byNorm = new Map<string, string>(values.map((v) => [norm(v), v]));
  for (const [k, v] of Object.entries(aliases)) byNorm.set(norm(k), v);
  return (raw: string): Parsed => {
    const v = byNorm.get(norm(raw));
    return v ? ok(v) : { error: `"${raw}" is not one of ${values.join(', ')}` };
  };
}
const listF = (v: unknown) => (Array.isArray(v) ? v.join('; ') : '');

const SYSTEM_FIELDS: FieldSpec[] = [
  {
    name: 'name',
    label: 'Name',
    required: true,
    description: 'Unique within the organization',
    synonyms: ['system', 'system name', 'asset', 'hostname'],
    parse: textP,
  },
  {
    name: 'kind',
    label: 'Kind',
    required: true,
    description: `One of ${SYSTEM_KINDS.join(', ')}`,
    synonyms: ['type', 'system type', 'category'],
    parse: enumP(SYSTEM_KINDS, {
      ics: 'ot',
      'ot/ics': 'ot',
      scada: 'ot',
      saas: 'cloud',
      'cloud service': 'cloud',
      iiot: 'iot',
      net: 'network',
    }),
  },
  { name: 'description', label: 'Description', description: 'Free text', parse: textP },
  {
    name: 'vendor',
    label: 'Vendor',
    description: 'Manufacturer or publisher',
    synonyms: ['manufacturer', 'publisher'],
    parse: textP,
  },
  { name: 'product', label: 'Product', description: 'Product name', synonyms: ['model'], parse: textP },
  {
    name: 'version',
    label: 'Version',
    description: 'Version or firmware',
    synonyms: ['firmware', 'release'],
    parse: textP,
  },
  {
    name: 'cpe',
    label: 'CPE',
    description: 'CPE 2.3 formatted string (cpe:2.3:…)',
    synonyms: ['cpe 2.3', 'cpe23', 'cpe name'],
    parse: textP,
  },
  {
    name: 'purl',
    label: 'PURL',
    description: 'Package URL (pkg:…)',
    synonyms: ['package url'],
    parse: textP,
  },
  {
    name: 'site',
    label: 'Site',
    description: 'Where it runs',
    synonyms: ['location', 'facility'],
    parse: textP,
  },
  {
    name: 'internetExposed',
    label: 'Internet exposed',
    description: 'yes / no',
    synonyms: ['internet facing', 'exposed', 'public'],
    parse: boolP,
  },
  {
    name: 'owner',
    label: 'Owner',
    description: 'Person or team responsible',
    synonyms: ['system owner', 'responsible'],
    parse: textP,
  },
  {
    name: 'dataClassification',
    label: 'Data classification',
    description: DATA_CLASSIFICATIONS.join(', '),
    synonyms: ['classification', 'data class'],
    parse: enumP(DATA_CLASSIFICATIONS, { sensitive: 'confidential', secret: 'restricted', open: 'public' }),
  },
  {
    name: 'hosting',
    label: 'Hosting',
    description: HOSTINGS.join(', '),
    parse: enumP(HOSTINGS, {
      'on-prem': 'on_premises',
      onprem: 'on_premises',
      'on premise': 'on_premises',
      colo: 'colocation',
    }),
  },
  {
    name: 'hostingProvider',
    label: 'Hosting provider',
    description: 'Cloud or hosting provider',
    synonyms: ['cloud provider', 'provider'],
    parse: textP,
  },
  {
    name: 'responsibility',
    label: 'Responsibility',
    description: 'Who is responsible for what',
    parse: textP,
  },
  {
    name: 'endOfSupport',
    label: 'End of support',
    description: 'YYYY-MM-DD',
    synonyms: ['eos', 'eol', 'end of life', 'end of support date'],
    parse: dateP,
  },
  {
    name: 'bufferHours',
    label: 'Buffer hours',
    description: 'Hours it keeps working after a dependency fails',
    synonyms: ['buffer', 'ups hours'],
    parse: numP,
  },
  { name: 'tags', label: 'Tags', description: 'Separated by ;', parse: listP, format: listF },
];

const SERVICE_FIELDS: FieldSpec[] = [
  {
    name: 'name',
    label: 'Name',
    required: true,
    description: 'Unique within the organization',
    synonyms: ['service', 'service name'],
    parse: textP,
  },
  { name: 'description', label: 'Description', description: 'Free text', parse: textP },
  {
    name: 'department',
    label: 'Department',
    description: 'Name or slug of the owning department',
    synonyms: ['owning department', 'dept'],
    parse: textP,
  },
  {
    name: 'owner',
    label: 'Owner',
    description: 'Person responsible',
    synonyms: ['service owner'],
    parse: textP,
  },
  {
    name: 'sector',
    label: 'Sector',
    description: 'Critical-infrastructure sector',
    synonyms: ['ci sector', 'critical infrastructure sector'],
    parse: textP,
  },
  {
    name: 'populationServed',
    label: 'Population served',
    description: 'Residents who rely on it',
    synonyms: ['population', 'residents', 'users'],
    parse: intP,
  },
  {
    name: 'criticalityTier',
    label: 'Criticality tier',
    description: '1 (most critical) to 4',
    synonyms: ['tier', 'criticality'],
    parse: intP,
  },
  {
    name: 'rtoHours',
    label: 'RTO hours',
    description: 'Recovery time objective, hours',
    synonyms: ['rto', 'rto (h)'],
    parse: numP,
  },
  {
    name: 'rpoHours',
    label: 'RPO hours',
    description: 'Recovery point objective, hours',
    synonyms: ['rpo', 'rpo (h)'],
    parse: numP,
  },
  {
    name: 'mtdHours',
    label: 'MTD hours',
    description: 'Maximum tolerable downtime, hours',
    synonyms: ['mtd', 'maximum tolerable downtime'],
    parse: numP,
  },
  {
    name: 'publicSafetyImpact',
    label: 'Public safety impact',
    description: 'yes / no',
    synonyms: ['public safety'],
    parse: boolP,
  },
  {
    name: 'lifeSafetyImpact',
    label: 'Life safety impact',
    description: 'yes / no',
    synonyms: ['life safety'],
    parse: boolP,
  },
  {
    name: 'dataHandled',
    label: 'Data handled',
    description: 'Separated by ;',
    synonyms: ['data'],
    parse: listP,
    format: listF,
  },
  { name: 'tags', label: 'Tags', description: 'Separated by ;', parse: listP, format: listF },
];

const DEPENDENCY_FIELDS: FieldSpec[] = [
  {
    name: 'from',
    label: 'From',
    required: true,
    description: 'Name of the dependent service or system',
    synonyms: ['dependent', 'source'],
    parse: textP,
  },
  {
    name: 'fromKind',
    label: 'From kind',
    description: 'service or system (when a name is both)',
    parse: enumP(['service', 'system']),
  },
  {
    name: 'to',
    label: 'To',
    required: true,
    description: 'Name of the service, system or provider depended on',
    synonyms: ['depends on', 'target'],
    parse: textP,
  },
  {
    name: 'toKind',
    label: 'To kind',
    description: 'service, system or provider (when a name is ambiguous)',
    parse: enumP(['service', 'system', 'provider']),
  },
  {
    name: 'type',
    label: 'Type',
    required: true,
    description: DEPENDENCY_TYPES.join(', '),
    synonyms: ['dependency type', 'relation'],
    parse: enumP(DEPENDENCY_TYPES),
  },
  {
    name: 'redundancyGroup',
    label: 'Redundancy group',
    description: 'Alternatives share a group',
    synonyms: ['redundancy', 'group'],
    parse: textP,
  },
  { name: 'description', label: 'Description', description: 'Free text', parse: textP },
];

export const IMPORT_FIELDS: Record<ImportKind, FieldSpec[]> = {
  systems: SYSTEM_FIELDS,
  services: SERVICE_FIELDS,
  dependencies: DEPENDENCY_FIELDS,
};

export interface ImportIssue {
  line: number;
  column: string | null;
  field: string | null;
  reason: string;
}

interface Table {
  format: FileFormat;
  columns: string[];
  rows: { line: number; cells: string[] }[];
}

const MAX_ROWS = 200_000;
const MAX_ISSUES = 1000;

function detectFormat(buf: Buffer, format?: FileFormat, fileName?: string): FileFormat {
  if (format) return format;
  if (fileName?.toLowerCase().endsWith('.xlsx')) return 'xlsx';
  if (fileName?.toLowerCase().endsWith('.csv')) return 'csv';
  return buf.length > 4 && buf[0] === 0x50 && buf[1] === 0x4b ? 'xlsx' : 'csv';
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('error' in v) return '';
    return '';
  }
  return String(v);
}

export async function readTable(buf: Buffer, format: FileFormat, sheet?: string): Promise<Table> {
  if (format === 'csv') {
    let text = buf.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Semicolon-separated files (common where the comma is the decimal sign) are detected from the header line.
    const first = text.slice(0, text.indexOf('\n') >>> 0);
    const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parseCsv(text, {
        delimiter,
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
      }) as unknown as { record: string[]; info: { lines: number } }[];
    } catch (e) {
      const err = e as { message: string; lines?: number };
      throw new AppError('validation', `The CSV file cannot be read: ${err.message}`, {
        errors: [{ path: `line ${err.lines ?? '?'}`, message: err.message }],
      });
    }
    if (records.length === 0) throw new AppError('validation', 'The file is empty: it has no header line');
    const [head, ...rest] = records;
    // info.lines is the line on which the record ends; a record spanning lines starts earlier.
    return {
      format,
      columns: head.record.map((c) => c.trim()),
      rows: rest.map((r) => ({ line: r.info.lines, cells: r.record })),
    };
  }
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (e) {
    throw new AppError('validation', `The XLSX file cannot be read: ${(e as Error).message}`);
  }
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws) {
    throw new AppError(
      'validation',
      sheet ? `The workbook has no worksheet "${sheet}"` : 'The workbook has no worksheet',
    );
  }
  let columns: string[] = [];
  const rows: Table['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[];
    const cells: string[] = [];
    for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]).trim());
    if (columns.length === 0) {
      columns = cells;
      return;
    }
    if (cells.every((c) => c === '')) return;
    rows.push({ line: rowNumber, cells });
  });
  if (columns.length === 0) throw new AppError('validation', 'The worksheet is empty: it has no header row');
  return { format, columns, rows };
}

/** The mapping used: the caller's, completed by matching column headers to field names, labels and synonyms. */
export function resolveMapping(
  kind: ImportKind,
  columns: string[],
  given: Record<string, string | null> = {},
): { mapping: Record<string, string | null>; issues: ImportIssue[] } {
  const fields = IMPORT_FIELDS[kind];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const lookup = new Map<string, string>();
  for (const f of fields) {
    for (const s of [f.name, f.label, ...(f.synonyms ?? [])])
      if (!lookup.has(norm(s))) lookup.set(norm(s), f.name);
  }
  const issues: ImportIssue[] = [];
  const known = new Set(columns);
  for (const [col, field] of Object.entries(given)) {
    if (!known.has(col)) {
      issues.push({ line: 1, column: col, field, reason: `the file has no column "${col}" (mapping)` });
    }
    if (field !== null && !byName.has(field)) {
      issues.push({
        line: 1,
        column: col,
        field,
        reason: `unknown field "${field}": use one of ${fields.map((f) => f.name).join(', ')}`,
      });
    }
  }
  const mapping: Record<string, string | null> = {};
  const used = new Map<string, string>();
  for (const col of columns) {
    if (col === '') continue;
    let field: string | null;
    if (col in given) field = given[col] !== null && byName.has(given[col]!) ? given[col] : null;
    else {
      field = lookup.get(norm(col)) ?? null;
      // An automatic match never takes a field the caller mapped explicitly elsewhere.
      if (field && Object.values(given).includes(field)) field = null;
    }
    if (field && used.has(field)) {
      if (col in given) {
        issues.push({
          line: 1,
          column: col,
          field,
          reason: `field "${field}" is already mapped from column "${used.get(field)}"`,
        });
      }
      field = null;
    }
    if (field) used.set(field, col);
    mapping[col] = field;
  }
  for (const f of fields) {
    if (f.required && !used.has(f.name)) {
      issues.push({
        line: 1,
        column: null,
        field: f.name,
        reason: `required field "${f.name}" (${f.label}) is not mapped to any column`,
      });
    }
  }
  return { mapping, issues };
}

interface Checked {
  kind: ImportKind;
  format: FileFormat;
  columns: string[];
  mapping: Record<string, string | null>;
  rows: number;
  issues: ImportIssue[];
  errorCount: number;
  creates: { line: number; value: Record<string, unknown> }[];
  updates: { line: number; id: string; value: Record<string, unknown> }[];
}

/** Context the rows are checked against: existing names, departments, providers. */
interface Lookups {
  org: OrgRow;
  services: Map<string, string>;
  systems: Map<string, string>;
  departments: Map<string, string>;
  providers: Map<string, string>;
  sectors: readonly string[];
}

async function lookups(db: DbOrTx, org: OrgRow, kind: ImportKind): Promise<Lookups> {
  const l: Lookups = {
    org,
    services: new Map(),
    systems: new Map(),
    departments: new Map(),
    providers: new Map(),
    sectors: [],
  };
  if (kind !== 'systems') l.services = await servicesRepository.idsByLowerName(db, org.id);
  if (kind !== 'services') l.systems = await systemsRepository.idsByLowerName(db, org.id);
  if (kind === 'services') {
    l.sectors = (await effectiveSectors(db, org)).sectors;
    const subtree = await orgsDirectory.visible(db, [], [org.path]);
    for (const o of subtree) {
      l.departments.set(o.slug.toLowerCase(), o.id);
      if (!l.departments.has(o.name.toLowerCase())) l.departments.set(o.name.toLowerCase(), o.id);
    }
  }
  if (kind === 'dependencies') {
    for (const p of await providersRepository.candidates(db, rootPathOf(org))) {
      l.providers.set(p.slug.toLowerCase(), p.id);
      if (!l.providers.has(p.name.toLowerCase())) l.providers.set(p.name.toLowerCase(), p.id);
    }
  }
  return l;
}

export function checkRows(
  kind: ImportKind,
  table: Table,
  mapping: Record<string, string | null>,
  mappingIssues: ImportIssue[],
  l: Lookups,
): Checked {
  const fields = new Map(IMPORT_FIELDS[kind].map((f) => [f.name, f]));
  const colOfField = new Map<string, string>();
  const mapped: { index: number; column: string; spec: FieldSpec }[] = [];
  table.columns.forEach((col, index) => {
    const f = mapping[col];
    if (f && fields.has(f)) {
      mapped.push({ index, column: col, spec: fields.get(f)! });
      colOfField.set(f, col);
    }
  });
  const issues: ImportIssue[] = [...mappingIssues];
  let errorCount = mappingIssues.length;
  const push = (i: ImportIssue) => {
    errorCount++;
    if (issues.length < MAX_ISSUES) issues.push(i);
  };
  if (table.rows.length > MAX_ROWS) {
    push({
      line: 1,
      column: null,
      field: null,
      reason: `at most ${MAX_ROWS} rows per import, got ${table.rows.length}`,
    });
  }
  const creates: Checked['creates'] = [];
  const updates: Checked['updates'] = [];
  const seen = new Map<string, number>();
  const schema = kind === 'systems' ? CreateSystem : kind === 'services' ? CreateService : CreateDependency;
  const rows = table.rows.slice(0, MAX_ROWS);
  for (const row of rows) {
    const value: Record<string, unknown> = {};
    let bad = false;
    for (const m of mapped) {
      const raw = (row.cells[m.index] ?? '').trim();
      if (raw === '') continue;
      const p = m.spec.parse(raw);
      if ('error' in p) {
        bad = true;
        push({ line: row.line, column: m.column, field: m.spec.name, reason: p.error });
      } else value[m.spec.name] = p.value;
    }
    for (const [name, spec] of fields) {
      if (spec.required && value[name] === undefined && colOfField.has(name) && !bad) {
        bad = true;
        push({
          line: row.line,
          column: colOfField.get(name)!,
          field: name,
          reason: `${spec.label} is required`,
        });
      }
    }
    if (bad) continue;
    // Fields that are not API fields are resolved to ids here.
    if (kind === 'services' && typeof value.department === 'string') {
      const id = l.departments.get(value.department.toLowerCase());
      if (!id) {
        push({
          line: row.line,
          column: colOfField.get('department')!,
          field: 'department',
          reason: `no department "${value.department}" in this organization (give its name or slug)`,
        });
        continue;
      }
      value.departmentOrgId = id;
    }
    delete value.department;
    if (kind === 'services' && typeof value.sector === 'string') {
      const hit = findSector(l.sectors, value.sector);
      if (!hit) {
        push({
          line: row.line,
          column: colOfField.get('sector')!,
          field: 'sector',
          reason: `"${value.sector}" is not on this organization's list of sectors`,
        });
        continue;
      }
      value.sector = hit;
    }
    if (kind === 'dependencies') {
      const r = resolveDependencyRow(value, l);
      if ('error' in r) {
        push({ line: row.line, column: colOfField.get(r.field) ?? null, field: r.field, reason: r.error });
        continue;
      }
      Object.assign(value, r.value);
      delete value.from;
      delete value.to;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        const f =
          field === 'departmentOrgId'
            ? 'department'
            : field === 'fromId'
              ? 'from'
              : field === 'toId'
                ? 'to'
                : field;
        push({ line: row.line, column: colOfField.get(f) ?? null, field: f || null, reason: issue.message });
      }
      continue;
    }
    const out = parsed.data as Record<string, unknown>;
    const key =
      kind === 'dependencies'
        ? `${out.fromId}\u0000${out.toId}\u0000${out.type}`
        : String(out.name).toLowerCase();
    const dup = seen.get(key);
    if (dup !== undefined) {
      push({
        line: row.line,
        column: colOfField.get(kind === 'dependencies' ? 'to' : 'name') ?? null,
        field: kind === 'dependencies' ? 'to' : 'name',
        reason: `duplicate of line ${dup}`,
      });
      continue;
    }
    seen.set(key, row.line);
    if (kind === 'dependencies') {
      creates.push({ line: row.line, value: out });
    } else {
      const existing = (kind === 'systems' ? l.systems : l.services).get(String(out.name).toLowerCase());
      if (existing) updates.push({ line: row.line, id: existing, value: out });
      else creates.push({ line: row.line, value: out });
    }
  }
  issues.sort((a, b) => a.line - b.line);
  return {
    kind,
    format: table.format,
    columns: table.columns,
    mapping,
    rows: rows.length,
    issues,
    errorCount,
    creates,
    updates,
  };
}

function resolveDependencyRow(
  v: Record<string, unknown>,
  l: Lookups,
): { value: Record<string, unknown> } | { error: string; field: string } {
  const find = (name: string, kind: string | undefined, allowed: string[], field: string) => {
    const key = name.toLowerCase();
    const hits: { kind: string; id: string }[] = [];
    if (allowed.includes('service') && (!kind || kind === 'service') && l.services.has(key))
      hits.push({ kind: 'service', id: l.services.get(key)! });
    if (allowed.includes('system') && (!kind || kind === 'system') && l.systems.has(key))
      hits.push({ kind: 'system', id: l.systems.get(key)! });
    if (allowed.includes('provider') && (!kind || kind === 'provider') && l.providers.has(key))
      hits.push({ kind: 'provider', id: l.providers.get(key)! });
    if (hits.length === 0)
      return {
        error: `no ${kind ?? allowed.join(' or ')} named "${name}" in this organization (deleted, or not imported yet)`,
        field,
      };
    if (hits.length > 1)
      return {
        error: `"${name}" is both a ${hits.map((h) => h.kind).join(' and a ')}: say which in the ${field}Kind column`,
        field,
      };
    return hits[0];
  };
  const from = find(String(v.from), v.fromKind as string | undefined, ['service', 'system'], 'from');
  if ('error' in from) return from;
  const to = find(String(v.to), v.toKind as string | undefined, ['service', 'system', 'provider'], 'to');
  if ('error' in to) return to;
  if (from.id === to.id) return { error: 'a node cannot depend on itself', field: 'to' };
  if (from.kind === 'system' && to.kind === 'service')
    return { error: 'a system depends on systems or providers, not on a service', field: 'to' };
  return { value: { fromKind: from.kind, fromId: from.id, toKind: to.kind, toId: to.id } };
}

export interface ImportInput {
  kind: ImportKind;
  format?: FileFormat;
  fileName?: string;
  content: Buffer;
  mapping?: Record<string, string | null>;
  sheet?: string;
}

async function check(db: DbOrTx, org: OrgRow, input: ImportInput): Promise<Checked> {
  const format = detectFormat(input.content, input.format, input.fileName);
  const table = await readTable(input.content, format, input.sheet);
  const { mapping, issues } = resolveMapping(input.kind, table.columns, input.mapping);
  return checkRows(input.kind, table, mapping, issues, await lookups(db, org, input.kind));
}

function sampleOf(c: Checked) {
  return [...c.creates, ...c.updates]
    .sort((a, b) => a.line - b.line)
    .slice(0, 20)
    .map((r) => ({ line: r.line, action: 'id' in r ? 'update' : 'create', ...r.value }));
}

export const assetsTransfer = {
  fields(kind: ImportKind) {
    return IMPORT_FIELDS[kind].map((f) => ({
      name: f.name,
      label: f.label,
      required: !!f.required,
      description: f.description,
    }));
  },

  /** Reads, maps and checks a file; writes nothing. */
  async preview(ctx: Ctx, orgId: string, input: ImportInput) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    const c = await check(ctx.db, org, input);
    return {
      kind: c.kind,
      format: c.format,
      columns: c.columns,
      mapping: c.mapping,
      fields: assetsTransfer.fields(c.kind),
      rows: c.rows,
      validRows: c.creates.length + c.updates.length,
      toCreate: c.creates.length,
      toUpdate: c.updates.length,
      errors: c.issues,
      errorCount: c.errorCount,
      sample: sampleOf(c),
    };
  },

  /** Checks again and writes every row in one transaction; any error writes nothing. */
  async commit(ctx: Ctx, orgId: string, input: ImportInput) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    return ctx.db.transaction(async (tx) => {
      // Serialize imports into one organization so two cannot both create the same name.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`assets.import:${orgId}`}))`);
      const c = await check(tx, org, input);
      if (c.errorCount > 0) {
        throw new AppError(
          'validation',
          `The file has ${c.errorCount} error(s); nothing was imported. First: line ${c.issues[0].line}${c.issues[0].column ? `, column "${c.issues[0].column}"` : ''}: ${c.issues[0].reason}`,
          {
            errors: c.issues.map((i) => ({
              path: `line ${i.line}${i.column ? `, column ${i.column}` : ''}`,
              message: i.reason,
            })),
            extra: { importErrors: c.issues, errorCount: c.errorCount },
          },
        );
      }
      if (c.kind === 'dependencies') {
        const rows: DependencyInsert[] = c.creates.map(({ value: v }) => ({
          orgId,
          fromKind: v.fromKind as 'service',
          fromServiceId: v.fromKind === 'service' ? (v.fromId as string) : null,
          fromSystemId: v.fromKind === 'system' ? (v.fromId as string) : null,
          toKind: v.toKind as 'service',
          toServiceId: v.toKind === 'service' ? (v.toId as string) : null,
          toSystemId: v.toKind === 'system' ? (v.toId as string) : null,
          toProviderOrgId: v.toKind === 'provider' ? (v.toId as string) : null,
          type: v.type as DependencyInsert['type'],
          redundancyGroup: (v.redundancyGroup as string | null | undefined) ?? null,
          description: (v.description as string | undefined) ?? '',
        }));
        const existing = await inventoryBulkRepository.edgeIds(tx, orgId);
        // The check refuses an edge named twice in one file: each line creates an edge or updates one that exists.
        const inserts: DependencyInsert[] = [];
        const updates: { id: string; value: Record<string, unknown> }[] = [];
        for (const r of rows) {
          const id = existing.get(
            `${r.fromServiceId ?? r.fromSystemId}>${r.toServiceId ?? r.toSystemId ?? r.toProviderOrgId}>${r.type}`,
          );
          if (id)
            updates.push({ id, value: { redundancyGroup: r.redundancyGroup, description: r.description } });
          else inserts.push(r);
        }
        await inventoryBulkRepository.insert(tx, dependencies, inserts as Record<string, unknown>[]);
        await inventoryBulkRepository.update(tx, dependencies, updates);
        const created = inserts.length;
        await inventoryVersionsRepository.bump(tx, orgId);
        await auditService.record(tx, ctx, {
          orgId,
          action: 'assets.import',
          targetType: 'dependency',
          after: { kind: c.kind, fileName: input.fileName ?? null, created, updated: rows.length - created },
        });
        return { kind: c.kind, created, updated: rows.length - created, rows: c.rows };
      }
      const table = c.kind === 'systems' ? systems : services;
      await inventoryBulkRepository.insert(
        tx,
        table,
        c.creates.map((r) => ({ ...r.value, orgId })),
      );
      await inventoryBulkRepository.update(tx, table, c.updates);
      await inventoryVersionsRepository.bump(tx, orgId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'assets.import',
        targetType: c.kind === 'systems' ? 'system' : 'service',
        after: {
          kind: c.kind,
          fileName: input.fileName ?? null,
          created: c.creates.length,
          updated: c.updates.length,
        },
      });
      return { kind: c.kind, created: c.creates.length, updated: c.updates.length, rows: c.rows };
    });
  },

  /** The inventory as a table whose header is the import field names, so an export imports back unchanged. */
  async table(ctx: Ctx, orgId: string, kind: ImportKind): Promise<{ columns: string[]; rows: string[][] }> {
    await orgsService.access(ctx, orgId, 'data.read');
    const fields = IMPORT_FIELDS[kind];
    const columns = fields.map((f) => f.name);
    const cell = (f: FieldSpec, v: unknown) =>
      v === null || v === undefined ? '' : f.format ? f.format(v) : String(v);
    if (kind === 'systems') {
      const list = await systemsRepository.all(ctx.db, orgId);
      return {
        columns,
        rows: list.map((s) => fields.map((f) => cell(f, (s as Record<string, unknown>)[f.name]))),
      };
    }
    if (kind === 'services') {
      const list = await servicesRepository.all(ctx.db, orgId);
      const depts = new Map<string, string>();
      for (const o of await orgsDirectory.visible(
        ctx.db,
        [],
        [(await orgsDirectory.byId(ctx.db, orgId))!.path],
      ))
        depts.set(o.id, o.slug);
      return {
        columns,
        rows: list.map((s) =>
          fields.map((f) =>
            f.name === 'department'
              ? s.departmentOrgId
                ? (depts.get(s.departmentOrgId) ?? '')
                : ''
              : cell(f, (s as Record<string, unknown>)[f.name]),
          ),
        ),
      };
    }
    const { items } = await dependenciesRepository.list(ctx.db, orgId, {}, 10_000_000, 0);
    return {
      columns,
      rows: items.map((v) => [
        v.fromName,
        v.d.fromKind,
        v.toName,
        v.d.toKind,
        v.d.type,
        v.d.redundancyGroup ?? '',
        v.d.description,
      ]),
    };
  },

  async export(ctx: Ctx, orgId: string, kind: ImportKind, format: FileFormat): Promise<Buffer> {
    const { columns, rows } = await assetsTransfer.table(ctx, orgId, kind);
    if (format === 'csv') return Buffer.from(stringifyCsv([columns, ...rows]), 'utf8');
    const wb = new (await loadExcel()).Workbook();
    wb.creator = 'Citywall';
    const ws = wb.addWorksheet(kind);
    ws.addRow(columns).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    columns.forEach((c, i) => {
      ws.getColumn(i + 1).width = Math.min(60, Math.max(12, c.length + 2));
    });
    return Buffer.from(await wb.xlsx.writeBuffer());
  },
};

export type ImportPreviewResult = Awaited<ReturnType<typeof assetsTransfer.preview>>;
