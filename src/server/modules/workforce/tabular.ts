import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { AppError } from '../../errors.js';

export interface Table {
  headers: string[];
  rows: Record<string, string>[];
}

/** Header names compared loosely: "Job Title", "job_title" and "jobTitle" are one column. */
export const normHeader = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

export function parseCsv(text: string): Table {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (e) {
    throw new AppError('validation', `The CSV cannot be read: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new AppError('validation', 'The CSV is empty: it needs a header row');
  const headers = records[0].map(normHeader);
  return {
    headers,
    rows: records.slice(1).map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? '']))),
  };
}

export async function parseXlsx(base64: string): Promise<Table> {
  // exceljs is large: loaded on first use so the server and the CLI start without it.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  } catch (e) {
    throw new AppError('validation', `The XLSX file cannot be read: ${(e as Error).message}`);
  }
  const sheet = wb.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw new AppError('validation', 'The XLSX file has no rows');
  const cell = (v: ExcelJS.CellValue): string => {
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return v.toISOString();
    if (typeof v === 'object' && 'text' in v) return String(v.text);
    if (typeof v === 'object' && 'result' in v) return String(v.result ?? '');
    return String(v).trim();
  };
  const headerRow = sheet.getRow(1);
  const headers: string[] = [];
  headerRow.eachCell({ includeEmpty: true }, (c, col) => {
    headers[col - 1] = normHeader(cell(c.value));
  });
  const rows: Record<string, string>[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const rec = Object.fromEntries(headers.map((h, i) => [h, cell(row.getCell(i + 1).value)]));
    if (Object.values(rec).some((v) => v !== '')) rows.push(rec);
  }
  return { headers, rows };
}

/** Splits a multi-valued cell ("PD-WRL-001; IO-WRL-004"). */
export const splitList = (v: string | undefined) =>
  (v ?? '')
    .split(/[;,|]/)
    .map((s) => s.trim())
    .filter(Boolean);
