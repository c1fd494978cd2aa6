/**
 * How each kind of department record is written to its exchange table: bulk upserts by record id,
 * one statement per chunk, each column sent as one array parameter (unnest), so a chunk of thousands
 * of rows costs one round trip and a fixed number of parameters.
 */
import type { DepartmentRecord, RecordKind } from '@verihub/domain';
import type { QueryRunner } from 'typeorm';
import { EXCHANGE_SCHEMAS } from '../exchange-provider';

type RecordOf<K extends RecordKind> = Extract<DepartmentRecord, { kind: K }>;

interface ColumnSpec<R> {
  name: string;
  /** PostgreSQL element type of the array parameter. */
  type: 'text' | 'date' | 'bigint' | 'integer';
  value: (record: R) => string | number | null;
}

interface TableWriter<K extends RecordKind> {
  kind: K;
  table: string;
  /** Rows carry the bank code (exchange_bank): the key is (bank_code, record_id). */
  bankScoped: boolean;
  columns: ColumnSpec<RecordOf<K>>[];
}

const PS = EXCHANGE_SCHEMAS['public-security'];
const TAX = EXCHANGE_SCHEMAS.tax;
const HOUSING = EXCHANGE_SCHEMAS.housing;
const FUND = EXCHANGE_SCHEMAS['provident-fund'];
const BANK = EXCHANGE_SCHEMAS.bank;

const WRITERS: { [K in RecordKind]: TableWriter<K> } = {
  person: {
    kind: 'person',
    table: `"${PS}"."persons"`,
    bankScoped: false,
    columns: [
      { name: 'name', type: 'text', value: (r) => r.name },
      { name: 'sex', type: 'text', value: (r) => r.sex },
      { name: 'birth_date', type: 'date', value: (r) => r.birthDate },
      { name: 'hukou_type', type: 'text', value: (r) => r.hukouType },
      { name: 'hukou_region_code', type: 'text', value: (r) => r.hukouRegionCode },
      { name: 'household_number', type: 'text', value: (r) => r.householdNumber },
      { name: 'status', type: 'text', value: (r) => r.status },
      { name: 'death_date', type: 'date', value: (r) => r.deathDate ?? null },
    ],
  },
  vehicle: {
    kind: 'vehicle',
    table: `"${PS}"."vehicles"`,
    bankScoped: false,
    columns: [
      { name: 'plate', type: 'text', value: (r) => r.plate },
      { name: 'vehicle_type', type: 'text', value: (r) => r.vehicleType },
      { name: 'brand', type: 'text', value: (r) => r.brand },
      { name: 'first_registration_date', type: 'date', value: (r) => r.firstRegistrationDate },
      { name: 'use_type', type: 'text', value: (r) => r.useType },
      { name: 'status', type: 'text', value: (r) => r.status },
    ],
  },
  income: {
    kind: 'income',
    table: `"${TAX}"."income_records"`,
    bankScoped: false,
    columns: [
      { name: 'period', type: 'text', value: (r) => r.period },
      { name: 'item', type: 'text', value: (r) => r.item },
      { name: 'income_fen', type: 'bigint', value: (r) => r.incomeFen },
      { name: 'tax_fen', type: 'bigint', value: (r) => r.taxFen },
      { name: 'withholder', type: 'text', value: (r) => r.withholder },
    ],
  },
  property: {
    kind: 'property',
    table: `"${HOUSING}"."properties"`,
    bankScoped: false,
    columns: [
      { name: 'certificate_no', type: 'text', value: (r) => r.certificateNo },
      { name: 'address', type: 'text', value: (r) => r.address },
      { name: 'property_use', type: 'text', value: (r) => r.use },
      { name: 'floor_area_centi_m2', type: 'integer', value: (r) => r.floorAreaCentiM2 },
      { name: 'share_basis_points', type: 'integer', value: (r) => r.shareBasisPoints },
      { name: 'registered_at', type: 'date', value: (r) => r.registeredAt },
      { name: 'status', type: 'text', value: (r) => r.status },
    ],
  },
  fund_account: {
    kind: 'fund_account',
    table: `"${FUND}"."accounts"`,
    bankScoped: false,
    columns: [
      { name: 'account_no', type: 'text', value: (r) => r.accountNo },
      { name: 'status', type: 'text', value: (r) => r.status },
      { name: 'employer', type: 'text', value: (r) => r.employer },
      { name: 'balance_fen', type: 'bigint', value: (r) => r.balanceFen },
      { name: 'as_of', type: 'date', value: (r) => r.asOf },
    ],
  },
  fund_contribution: {
    kind: 'fund_contribution',
    table: `"${FUND}"."contributions"`,
    bankScoped: false,
    columns: [
      { name: 'period', type: 'text', value: (r) => r.period },
      { name: 'base_fen', type: 'bigint', value: (r) => r.baseFen },
      { name: 'employee_fen', type: 'bigint', value: (r) => r.employeeFen },
      { name: 'employer_fen', type: 'bigint', value: (r) => r.employerFen },
    ],
  },
  bank_holding: {
    kind: 'bank_holding',
    table: `"${BANK}"."holdings"`,
    bankScoped: true,
    columns: [
      { name: 'account_no', type: 'text', value: (r) => r.accountNo },
      { name: 'product', type: 'text', value: (r) => r.product },
      { name: 'balance_fen', type: 'bigint', value: (r) => r.balanceFen },
      { name: 'as_of', type: 'date', value: (r) => r.asOf },
    ],
  },
  bank_interest: {
    kind: 'bank_interest',
    table: `"${BANK}"."interest_records"`,
    bankScoped: true,
    columns: [
      { name: 'account_no', type: 'text', value: (r) => r.accountNo },
      { name: 'period', type: 'text', value: (r) => r.period },
      { name: 'interest_fen', type: 'bigint', value: (r) => r.interestFen },
    ],
  },
};

const SQL_CACHE = new Map<RecordKind, string>();

/** INSERT ... SELECT FROM unnest(...) ON CONFLICT (record id) DO UPDATE: re-importing a record id replaces the row. */
function upsertSql(kind: RecordKind): string {
  const cached = SQL_CACHE.get(kind);
  if (cached) return cached;
  const writer = WRITERS[kind] as TableWriter<RecordKind>;
  const offset = writer.bankScoped ? 1 : 0;
  const columns = ['record_id', 'id_number', ...writer.columns.map((c) => c.name)];
  const types = ['text', 'text', ...writer.columns.map((c) => c.type)];
  const arrays = types.map((type, i) => `$${i + 1 + offset}::${type}[]`).join(', ');
  const key = writer.bankScoped ? '"bank_code", "record_id"' : '"record_id"';
  const changing = columns.filter((c) => c !== 'record_id');
  const updates = changing
    .map((c) => `"${c}" = EXCLUDED."${c}"`)
    .concat('"loaded_at" = now()')
    .join(', ');
  // A row re-imported unchanged is left alone (no new row version, loaded_at kept).
  const changed = `(${changing.map((c) => `t."${c}"`).join(', ')}) IS DISTINCT FROM (${changing.map((c) => `EXCLUDED."${c}"`).join(', ')})`;
  const sql =
    `INSERT INTO ${writer.table} AS t (${writer.bankScoped ? '"bank_code", ' : ''}${columns.map((c) => `"${c}"`).join(', ')}) ` +
    `SELECT ${writer.bankScoped ? '$1::text, ' : ''}* FROM unnest(${arrays}) ` +
    `ON CONFLICT (${key}) DO UPDATE SET ${updates} WHERE ${changed}`;
  SQL_CACHE.set(kind, sql);
  return sql;
}

/** Upserts records of one kind (no record id twice in `records`). */
export async function writeRecords(runner: QueryRunner, kind: RecordKind, records: readonly DepartmentRecord[], bankCode?: string): Promise<void> {
  if (records.length === 0) return;
  const writer = WRITERS[kind] as TableWriter<RecordKind>;
  if (writer.bankScoped && !bankCode) throw new Error(`${kind} records need a bank code`);
  const params: unknown[] = writer.bankScoped ? [bankCode] : [];
  params.push(
    records.map((r) => r.recordId),
    records.map((r) => r.idNumber),
  );
  for (const column of writer.columns) params.push(records.map((r) => column.value(r)));
  await runner.query(upsertSql(kind), params);
}

/** The exchange table a kind of record is written to (schema-qualified, quoted). */
export function tableOfKind(kind: RecordKind): string {
  return WRITERS[kind].table;
}
