/**
 * Reading a batch file as a stream of households, one at a time, so memory stays flat however large the
 * file: JSON Lines (one api.md verification request per line) or CSV (one row per member, see
 * docs/batches.md). Each household comes with its line number (for CSV, the line of its first row) and
 * either the request object as read or the reason it could not be read.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { FieldError } from '@verihub/domain';

export interface BatchLine {
  /** 1-based line in the file. */
  line: number;
  /** The request object as read (not yet validated). */
  value?: unknown;
  /** Why the line could not be read at all. */
  errors?: FieldError[];
}

/** The largest line (one household) accepted: a household of 30 members is far below it. */
export const MAX_LINE_BYTES = 64 * 1024;

export async function* readJsonLines(input: Readable): AsyncGenerator<BatchLine> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    const trimmed = text.trim();
    if (trimmed === '') continue; // blank lines (a trailing newline) are not households
    if (Buffer.byteLength(trimmed) > MAX_LINE_BYTES) {
      yield { line, errors: [{ field: '', message: `must be at most ${MAX_LINE_BYTES} bytes` }] };
      continue;
    }
    try {
      yield { line, value: JSON.parse(trimmed) as unknown };
    } catch {
      yield { line, errors: [{ field: '', message: 'must be a JSON object (the line is not valid JSON)' }] };
    }
  }
}

/** CSV columns; a row is one member, consecutive rows with the same `household` are one request. */
export const CSV_COLUMNS = [
  'household',
  'program',
  'purpose',
  'regionCode',
  'asOf',
  'relation',
  'idNumber',
  'name',
  'authorizationRef',
  'authorizationSignedBy',
  'authorizationSignedAt',
  'authorizationExpiresAt',
  'authorizationScope',
  'declaredWage',
  'declaredBusiness',
  'declaredProperty',
  'declaredTransfer',
  'declaredFinancialAssets',
  'declaredVehicles',
  'declaredProperties',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
type CsvRow = Partial<Record<CsvColumn, string>>;

const REQUIRED_COLUMNS: readonly CsvColumn[] = ['household', 'program', 'purpose', 'regionCode', 'relation', 'idNumber', 'name'];
const HOUSEHOLD_COLUMNS = ['program', 'purpose', 'regionCode', 'asOf'] as const;
const DECLARED_INCOME: ReadonlyArray<[CsvColumn, string]> = [
  ['declaredWage', 'wage'],
  ['declaredBusiness', 'business'],
  ['declaredProperty', 'property'],
  ['declaredTransfer', 'transfer'],
];
const DECLARED_OTHER: ReadonlyArray<[CsvColumn, string]> = [
  ['declaredFinancialAssets', 'financialAssets'],
  ['declaredVehicles', 'vehicles'],
  ['declaredProperties', 'properties'],
];

export class BatchHeaderError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field} ${e.message}`).join('; '));
  }
}

/**
 * CSV (RFC 4180, UTF-8, header row naming CSV_COLUMNS in any order; unknown columns are refused so a typo
 * does not silently drop data). Throws BatchHeaderError when the header is unusable.
 */
export async function* readCsvHouseholds(input: Readable): AsyncGenerator<BatchLine> {
  const parser = input.pipe(
    parse({ bom: true, columns: false, skip_empty_lines: true, relax_column_count: true, trim: true, info: true, max_record_size: MAX_LINE_BYTES }),
  );
  let header: string[] | undefined;
  let current: { key: string; line: number; rows: Array<{ row: CsvRow; line: number }> } | undefined;
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = record.record;
      const line = record.info.lines;
      if (!header) {
        header = checkHeader(cells);
        continue;
      }
      if (cells.length !== header.length) {
        if (current) yield toHousehold(current.line, current.rows);
        current = undefined;
        yield { line, errors: [{ field: '', message: `must have ${header.length} cells like the header (has ${cells.length})` }] };
        continue;
      }
      const row = Object.fromEntries(header.map((name, i) => [name, cells[i]])) as CsvRow;
      const key = row.household ?? '';
      if (current && current.key === key && key !== '') {
        current.rows.push({ row, line });
        continue;
      }
      if (current) yield toHousehold(current.line, current.rows);
      current = { key, line, rows: [{ row, line }] };
    }
  } catch (err) {
    if (err instanceof BatchHeaderError) throw err;
    if (current) yield toHousehold(current.line, current.rows);
    current = undefined;
    const info = (err as { lines?: number }).lines;
    yield { line: info ?? 0, errors: [{ field: '', message: `is not valid CSV: ${(err as Error).message.split('\n')[0]}` }] };
    return;
  }
  if (!header) throw new BatchHeaderError([{ field: 'header', message: 'is missing: the file is empty' }]);
  if (current) yield toHousehold(current.line, current.rows);
}

function checkHeader(cells: string[]): string[] {
  const known = new Set<string>(CSV_COLUMNS);
  const errors: FieldError[] = [];
  const unknown = cells.filter((c) => !known.has(c));
  if (unknown.length > 0) errors.push({ field: 'header', message: `names unknown column(s) ${unknown.join(', ')}; allowed: ${CSV_COLUMNS.join(', ')}` });
  const missing = REQUIRED_COLUMNS.filter((c) => !cells.includes(c));
  if (missing.length > 0) errors.push({ field: 'header', message: `lacks required column(s) ${missing.join(', ')}` });
  const twice = cells.filter((c, i) => cells.indexOf(c) !== i);
  if (twice.length > 0) errors.push({ field: 'header', message: `names column(s) twice: ${[...new Set(twice)].join(', ')}` });
  if (errors.length > 0) throw new BatchHeaderError(errors);
  return cells;
}

/** The rows of one household as an api.md request object (validated later like any request). */
function toHousehold(line: number, rows: Array<{ row: CsvRow; line: number }>): BatchLine {
  const first = rows[0].row;
  const errors: FieldError[] = [];
  const request: Record<string, unknown> = {};
  for (const column of HOUSEHOLD_COLUMNS) {
    const value = first[column];
    if (value !== undefined && value !== '') request[column] = value;
    rows.slice(1).forEach(({ row, line: rowLine }) => {
      const other = row[column];
      if (other !== undefined && other !== '' && other !== value) {
        errors.push({ field: column, message: `must be the same on every row of the household (line ${rowLine} differs)` });
      }
    });
  }
  request.members = rows.map(({ row }) => ({ idNumber: row.idNumber ?? '', name: row.name ?? '', relation: row.relation ?? '' }));
  request.authorizations = rows
    .filter(({ row }) => nonEmpty(row.authorizationRef) || nonEmpty(row.authorizationSignedAt) || nonEmpty(row.authorizationExpiresAt))
    .map(({ row }) => ({
      idNumber: row.idNumber ?? '',
      signedBy: nonEmpty(row.authorizationSignedBy) ? row.authorizationSignedBy : row.idNumber ?? '',
      documentRef: row.authorizationRef ?? '',
      signedAt: row.authorizationSignedAt ?? '',
      expiresAt: row.authorizationExpiresAt ?? '',
      ...(nonEmpty(row.authorizationScope) ? { scope: row.authorizationScope!.split(/[;\s]+/).filter(Boolean) } : {}),
    }));
  const income: Record<string, unknown> = {};
  for (const [column, field] of DECLARED_INCOME) if (nonEmpty(first[column])) income[field] = numberOrText(first[column]!);
  const declared: Record<string, unknown> = {};
  if (Object.keys(income).length > 0) declared.monthlyIncome = income;
  for (const [column, field] of DECLARED_OTHER) if (nonEmpty(first[column])) declared[field] = numberOrText(first[column]!);
  if (Object.keys(declared).length > 0) request.declared = declared;
  return errors.length > 0 ? { line, errors } : { line, value: request };
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/** "123" becomes 123; anything else stays text so validation names the field ("must be an integer …"). */
function numberOrText(text: string): number | string {
  return /^-?\d{1,15}$/.test(text) ? Number(text) : text;
}
