import { mkdtemp, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { pendingSchemaChanges } from '@verihub/persistence';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { createTestDatabase, type TestDatabase } from '../../../test/medium/test-database';
import { EXCHANGE_DEPARTMENTS, type ExchangeDepartment } from './exchange-provider';
import { importProviderData } from './import/import-provider-data';
import { createExchangeDataSource } from './lookup/exchange-data-source';
import { createExchangeDatabase, migrateExchangeDatabase } from './schema/exchange-database';
import { generateSyntheticHouseholds, seedExchangeDatabases } from './synthetic/synthetic-data';

const MAN = '500115198005011230';
const WOMAN = '50011519820715124X';
const OTHER = '500115201503090255';

let db: TestDatabase;
let dir: string;
const sources = new Map<ExchangeDepartment, DataSource>();

async function sourceOf(department: ExchangeDepartment): Promise<DataSource> {
  let source = sources.get(department);
  if (!source) {
    source = await createExchangeDatabase(department, db.url).initialize();
    sources.set(department, source);
  }
  return source;
}

async function file(name: string, lines: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

async function count(table: string): Promise<number> {
  const [row] = await (await sourceOf('tax')).query(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n;
}

const query = (provider: string, idNumbers: string[], from = '2025-11', to = '2026-10', assetsAsOf = '2026-11-01') => ({
  provider,
  idNumbers,
  incomePeriod: { from, to },
  assetsAsOf,
});

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'verihub-exchange-'));
  for (const department of EXCHANGE_DEPARTMENTS) await migrateExchangeDatabase(department, db.url);
});

afterAll(async () => {
  for (const source of sources.values()) await source.destroy();
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

describe('exchange database schemas', () => {
  it.each(EXCHANGE_DEPARTMENTS)('%s: the migrations describe the entities exactly (no drift) and re-running applies nothing', async (department) => {
    expect(await pendingSchemaChanges(await sourceOf(department))).toEqual([]);
    expect(await migrateExchangeDatabase(department, db.url)).toEqual([]);
  });

  it('puts each department in its own schema', async () => {
    const rows: { table_schema: string; table_name: string }[] = await (await sourceOf('tax')).query(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema LIKE 'exchange_%' AND table_name <> 'migrations' ORDER BY 1, 2`,
    );
    expect(rows.map((r) => `${r.table_schema}.${r.table_name}`)).toEqual([
      'exchange_bank.holdings',
      'exchange_bank.interest_records',
      'exchange_housing.properties',
      'exchange_provident_fund.accounts',
      'exchange_provident_fund.contributions',
      'exchange_public_security.persons',
      'exchange_public_security.vehicles',
      'exchange_tax.income_records',
    ]);
  });
});

describe('importProviderData', () => {
  const income = (period: string, incomeFen: number, extra: object = {}) => ({
    type: 'income', idNumber: MAN, period, item: 'wage', incomeFen, taxFen: 0, withholder: '重庆某某有限公司', ...extra,
  });

  it('loads a good file completely, blank lines skipped', async () => {
    const path = await file('tax-good.jsonl', [income('2026-01', 500000), '', income('2026-02', 510000), income('2026-02', 90000, { item: 'labor', withholder: '家政中心' })]);
    const result = await importProviderData(db.url, 'tax', { file: path });
    expect(result).toEqual({ ok: true, provider: 'tax', loaded: { income: 3 }, total: 3 });
    expect(await count('exchange_tax.income_records')).toBe(3);
  });

  it('leaves fresh planner statistics on the tables it loaded (lookups use the id_number index from the start)', async () => {
    const stats = async (): Promise<Array<{ last_analyze: Date | null }>> =>
      (await sourceOf('tax')).query(`SELECT last_analyze FROM pg_stat_user_tables WHERE schemaname = 'exchange_tax' AND relname = 'income_records'`);
    const before = await stats();
    const path = await file('tax-stats.jsonl', [income('2024-01', 500000), income('2024-02', 500000)]);
    expect(await importProviderData(db.url, 'tax', { file: path })).toMatchObject({ ok: true });
    const after = await stats();
    expect(after[0].last_analyze).toBeInstanceOf(Date);
    expect(after[0].last_analyze).not.toEqual(before[0]?.last_analyze);
    await (await sourceOf('tax')).query(`DELETE FROM exchange_tax.income_records WHERE period IN ('2024-01', '2024-02')`);
  });

  it('replaces a re-imported record (upsert by record id) and keeps the others', async () => {
    const path = await file('tax-again.jsonl', [income('2026-02', 520000), income('2026-03', 530000)]);
    expect(await importProviderData(db.url, 'tax', { file: path })).toMatchObject({ ok: true, total: 2 });
    expect(await count('exchange_tax.income_records')).toBe(4);
    const [row] = await (await sourceOf('tax')).query(`SELECT income_fen FROM exchange_tax.income_records WHERE period = '2026-02' AND item = 'wage'`);
    expect(row.income_fen).toBe('520000');
  });

  it('loads nothing from a file with one bad line, and names the line and the rule', async () => {
    const lines = Array.from({ length: 12000 }, (_, i) => income(`20${10 + Math.floor(i / 1200)}-${String((i % 12) + 1).padStart(2, '0')}`, 1000 + i, { withholder: `W${i}` }));
    lines[9000] = income('2026-04', 12.5) as never;
    const path = await file('tax-bad.jsonl', lines);
    const result = await importProviderData(db.url, 'tax', { file: path });
    expect(result).toEqual({
      ok: false,
      provider: 'tax',
      badLineCount: 1,
      badLines: [{ line: 9001, reason: 'incomeFen: must be an integer amount in fen (a JSON number without decimals)' }],
    });
    expect(await count('exchange_tax.income_records')).toBe(4);
  });

  it('refuses the same record twice in one file', async () => {
    const result = await importProviderData(db.url, 'tax', { lines: [JSON.stringify(income('2025-01', 1)), JSON.stringify(income('2025-01', 2))] });
    expect(result).toMatchObject({ ok: false, badLines: [{ line: 2, reason: 'duplicate record: the same income (record id) as line 1' }] });
  });

  it.each([
    ['kept in memory', {}],
    ['read twice', { keepInMemoryUpTo: 100 }],
  ])('loads a large file in chunks within one transaction (%s)', async (_how, extra) => {
    const lines = Array.from({ length: 12000 }, (_, i) => income(`20${10 + Math.floor(i / 1200)}-${String((i % 12) + 1).padStart(2, '0')}`, i, { withholder: `W${i}` }));
    const path = await file('tax-large.jsonl', lines);
    expect(await importProviderData(db.url, 'tax', { file: path }, { chunkSize: 1000, ...extra })).toMatchObject({ ok: true, total: 12000 });
    expect(await count('exchange_tax.income_records')).toBe(12004);
    await (await sourceOf('tax')).query(`DELETE FROM exchange_tax.income_records WHERE withholder LIKE 'W%'`);
  });

  it('reads files with a byte-order mark and CRLF line ends, numbering lines as an editor does', async () => {
    const path = join(dir, 'tax-crlf.jsonl');
    const good = JSON.stringify(income('2024-01', 1));
    await writeFile(path, `\ufeff${good}\r\n\r\n${JSON.stringify(income('2024-02', 1, { item: 'salary' }))}\r\n${JSON.stringify(income('2024-03', 1))}`);
    expect(await importProviderData(db.url, 'tax', { file: path })).toMatchObject({ ok: false, badLines: [{ line: 3, reason: expect.stringMatching(/^item: /) }] });
    await writeFile(path, `\ufeff${good}\r\n${JSON.stringify(income('2024-03', 1))}`);
    expect(await importProviderData(db.url, 'tax', { file: path })).toMatchObject({ ok: true, total: 2 });
    await (await sourceOf('tax')).query(`DELETE FROM exchange_tax.income_records WHERE period IN ('2024-01', '2024-03')`);
  });
});

describe('lookups (ProviderDataSource)', () => {
  beforeAll(async () => {
    const person = { type: 'person', idNumber: MAN, name: '张三', sex: 'M', birthDate: '1980-05-01', hukouType: 'urban', hukouRegionCode: '500115', householdNumber: 'H1', status: 'active' };
    const load = async (provider: string, lines: object[]) => {
      const result = await importProviderData(db.url, provider, { lines: lines.map((l) => JSON.stringify(l)) });
      if (!result.ok) throw new Error(JSON.stringify(result.badLines));
    };
    await load('public-security', [
      person,
      { ...person, idNumber: WOMAN, name: '李四', sex: 'F', birthDate: '1982-07-15', status: 'deceased', deathDate: '2026-05-01' },
      { ...person, idNumber: OTHER, name: '张小', birthDate: '2015-03-09' },
      { type: 'vehicle', idNumber: MAN, plate: '渝A12345', vehicleType: 'car', brand: '长安', firstRegistrationDate: '2019-03-02', useType: 'private', status: 'normal' },
      { type: 'vehicle', idNumber: MAN, plate: '渝A99999', vehicleType: 'motorcycle', brand: '宗申', firstRegistrationDate: '2012-03-02', useType: 'private', status: 'scrapped' },
    ]);
    await load('tax', [
      { type: 'income', idNumber: WOMAN, period: '2025-10', item: 'wage', incomeFen: 100, taxFen: 0, withholder: 'A' },
      { type: 'income', idNumber: WOMAN, period: '2025-11', item: 'wage', incomeFen: 200, taxFen: 0, withholder: 'A' },
      { type: 'income', idNumber: WOMAN, period: '2026-10', item: 'business', incomeFen: -300, taxFen: 0, withholder: 'B' },
      { type: 'income', idNumber: WOMAN, period: '2026-11', item: 'wage', incomeFen: 400, taxFen: 0, withholder: 'A' },
    ]);
    await load('housing', [
      { type: 'property', idNumber: MAN, certificateNo: 'C1', address: 'A', use: 'residential', floorAreaM2: 89.5, sharePercent: 50, registeredAt: '2020-06-01', status: 'registered' },
      { type: 'property', idNumber: WOMAN, certificateNo: 'C1', address: 'A', use: 'residential', floorAreaM2: 89.5, sharePercent: 50, registeredAt: '2020-06-01', status: 'registered' },
      { type: 'property', idNumber: MAN, certificateNo: 'C2', address: 'B', use: 'commercial', floorAreaM2: 30, sharePercent: 100, registeredAt: '2026-11-02', status: 'registered' },
    ]);
    await load('provident-fund', [
      { type: 'account', idNumber: MAN, accountNo: 'F1', status: 'active', employer: 'E', balanceFen: 1000, asOf: '2026-07-31' },
      { type: 'account', idNumber: MAN, accountNo: 'F1', status: 'active', employer: 'E', balanceFen: 2000, asOf: '2026-10-31' },
      { type: 'account', idNumber: MAN, accountNo: 'F1', status: 'sealed', employer: 'E', balanceFen: 3000, asOf: '2026-11-30' },
      { type: 'contribution', idNumber: MAN, period: '2026-03', baseFen: 520000, employeeFen: 26000, employerFen: 26000 },
      { type: 'contribution', idNumber: MAN, period: '2025-01', baseFen: 520000, employeeFen: 26000, employerFen: 26000 },
    ]);
    await load('bank:ICBC', [
      { type: 'holding', idNumber: MAN, accountNo: 'A1', product: 'current', balanceFen: 100, asOf: '2026-07-31' },
      { type: 'holding', idNumber: MAN, accountNo: 'A1', product: 'current', balanceFen: 200, asOf: '2026-10-31' },
      { type: 'holding', idNumber: MAN, accountNo: 'A1', product: 'time', balanceFen: 5000, asOf: '2026-09-30' },
      { type: 'holding', idNumber: MAN, accountNo: 'A1', product: 'current', balanceFen: 999, asOf: '2026-12-31' },
      { type: 'interest', idNumber: MAN, accountNo: 'A1', period: '2026-06', interestFen: 45 },
      { type: 'interest', idNumber: MAN, accountNo: 'A1', period: '2025-06', interestFen: 44 },
    ]);
    await load('bank:CCB', [{ type: 'holding', idNumber: MAN, accountNo: 'B1', product: 'current', balanceFen: 7, asOf: '2026-10-31' }]);
  });

  it('public security: persons and vehicles as held', async () => {
    const records = await createExchangeDataSource('public-security', await sourceOf('public-security')).lookup(query('public-security', [MAN, WOMAN, MAN]));
    expect(records.map((r) => [r.kind, r.idNumber === MAN ? 'man' : 'woman'])).toEqual([
      ['person', 'man'],
      ['person', 'woman'],
      ['vehicle', 'man'],
      ['vehicle', 'man'],
    ]);
    expect(records[1]).toEqual({
      kind: 'person', provider: 'public-security', recordId: expect.any(String), idNumber: WOMAN, name: '李四', sex: 'F', birthDate: '1982-07-15',
      hukouType: 'urban', hukouRegionCode: '500115', householdNumber: 'H1', status: 'deceased', deathDate: '2026-05-01',
    });
    expect(records[0]).not.toHaveProperty('deathDate');
  });

  it('tax: income records in the income period only, amounts as numbers', async () => {
    const records = await createExchangeDataSource('tax', await sourceOf('tax')).lookup(query('tax', [WOMAN]));
    expect(records.map((r) => (r.kind === 'income' ? [r.period, r.item, r.incomeFen] : []))).toEqual([
      ['2025-11', 'wage', 200],
      ['2026-10', 'business', -300],
    ]);
    expect(records[0]).toMatchObject({ provider: 'tax', recordId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('housing: properties registered on or before assetsAsOf, area and share exact', async () => {
    const records = await createExchangeDataSource('housing', await sourceOf('housing')).lookup(query('housing', [MAN, WOMAN]));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ kind: 'property', certificateNo: 'C1', floorAreaCentiM2: 8950, shareBasisPoints: 5000, registeredAt: '2020-06-01' });
    const later = await createExchangeDataSource('housing', await sourceOf('housing')).lookup(query('housing', [MAN], '2025-11', '2026-10', '2026-11-02'));
    expect(later.map((r) => (r.kind === 'property' ? r.certificateNo : ''))).toEqual(['C1', 'C2']);
  });

  it('provident fund: the latest account snapshot on or before assetsAsOf; contributions in the period', async () => {
    const records = await createExchangeDataSource('provident-fund', await sourceOf('provident-fund')).lookup(query('provident-fund', [MAN]));
    expect(records).toEqual([
      expect.objectContaining({ kind: 'fund_account', accountNo: 'F1', balanceFen: 2000, asOf: '2026-10-31', status: 'active' }),
      expect.objectContaining({ kind: 'fund_contribution', period: '2026-03', baseFen: 520000, employeeFen: 26000, employerFen: 26000 }),
    ]);
  });

  it('banks: per account and product the latest snapshot on or before assetsAsOf, interest in the period, only this bank', async () => {
    const icbc = createExchangeDataSource('bank:ICBC', await sourceOf('bank'));
    expect(await icbc.lookup(query('bank:ICBC', [MAN]))).toEqual([
      expect.objectContaining({ kind: 'bank_holding', provider: 'bank:ICBC', accountNo: 'A1', product: 'current', balanceFen: 200, asOf: '2026-10-31' }),
      expect.objectContaining({ kind: 'bank_holding', provider: 'bank:ICBC', accountNo: 'A1', product: 'time', balanceFen: 5000, asOf: '2026-09-30' }),
      expect.objectContaining({ kind: 'bank_interest', provider: 'bank:ICBC', period: '2026-06', interestFen: 45 }),
    ]);
    const ccb = createExchangeDataSource('bank:CCB', await sourceOf('bank'));
    expect(await ccb.lookup(query('bank:CCB', [MAN]))).toEqual([expect.objectContaining({ provider: 'bank:CCB', accountNo: 'B1', balanceFen: 7 })]);
    expect(await createExchangeDataSource('bank:BOC', await sourceOf('bank')).lookup(query('bank:BOC', [MAN]))).toEqual([]);
  });

  it('answers nothing for unknown people or an empty list, and refuses a query for another provider', async () => {
    const tax = createExchangeDataSource('tax', await sourceOf('tax'));
    expect(await tax.lookup(query('tax', []))).toEqual([]);
    expect(await tax.lookup(query('tax', ['11010519491231002X']))).toEqual([]);
    await expect(tax.lookup(query('bank:ICBC', [MAN]))).rejects.toThrow(/answers for tax/);
  });

  it('uses the indexes for the lookups', async () => {
    const source = await sourceOf('tax');
    await source.query('ANALYZE exchange_tax.income_records');
    const runner = source.createQueryRunner();
    try {
      await runner.query('SET enable_seqscan = off');
      const plan: { 'QUERY PLAN': string }[] = await runner.query(
        `EXPLAIN SELECT record_id FROM exchange_tax.income_records WHERE id_number = ANY($1::varchar[]) AND period >= $2::bpchar AND period <= $3::bpchar`,
        [[MAN, WOMAN], '2025-11', '2026-10'],
      );
      expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toContain('income_records_id_number_period_idx');
    } finally {
      await runner.query('RESET enable_seqscan');
      await runner.release();
    }
  });
});

describe('seedExchangeDatabases', () => {
  it('loads a synthetic data set the lookups answer consistently for each household', async () => {
    const options = { households: 40, seed: 3, banks: ['ICBC', 'CCB'], asOf: '2026-11-01', startIndex: 1000 };
    const result = await seedExchangeDatabases(db.url, options);
    expect(result.households).toBe(40);
    expect(result.loaded['public-security'].person).toBeGreaterThanOrEqual(80);
    expect(result.loaded['bank:ICBC'].holding).toBeGreaterThan(0);
    expect(await seedExchangeDatabases(db.url, options)).toEqual(result); // idempotent: same record ids

    const ps = createExchangeDataSource('public-security', await sourceOf('public-security'));
    const banks = ['ICBC', 'CCB'].map((b) => createExchangeDataSource(`bank:${b}`, sources.get('bank')!));
    for (const h of generateSyntheticHouseholds(options)) {
      const ids = h.request.members.map((m) => m.idNumber);
      const persons = (await ps.lookup(query('public-security', ids))).filter((r) => r.kind === 'person');
      expect(persons.length).toBe(h.lines['public-security'].filter((l) => l.type === 'person').length);
      const holdings = (await Promise.all(banks.map((b) => b.lookup(query(b.provider, ids, '2025-11', '2026-10', h.request.asOf))))).flat().filter((r) => r.kind === 'bank_holding');
      const latest = ['ICBC', 'CCB'].flatMap((b) => h.lines[`bank:${b}`].filter((l) => l.type === 'holding' && l.asOf === '2026-10-31'));
      expect(holdings.length).toBe(latest.length);
    }
  });

  it('answers concurrent lookups from shared batched queries exactly as it answers them one by one', async () => {
    const options = { households: 40, seed: 3, banks: ['ICBC', 'CCB'], asOf: '2026-11-01', startIndex: 1000 };
    const households = [...generateSyntheticHouseholds(options)];
    for (const provider of ['public-security', 'tax', 'provident-fund', 'bank:CCB']) {
      const source = await sourceOf(provider.startsWith('bank:') ? 'bank' : (provider as ExchangeDepartment));
      const one = createExchangeDataSource(provider, source);
      const alone = [];
      for (const h of households) alone.push(await one.lookup(query(provider, h.request.members.map((m) => m.idNumber))));
      const batched = createExchangeDataSource(provider, source, { maxConcurrentQueries: 1, maxIdsPerQuery: 25 });
      const together = await Promise.all(households.map((h) => batched.lookup(query(provider, h.request.members.map((m) => m.idNumber)))));
      expect(together).toEqual(alone);
      expect(alone.flat().length).toBeGreaterThan(households.length);
    }
  });

  it('serves lookups issued together (an adapter’s batch of requests) with one query per table, even when idle', async () => {
    const households = [...generateSyntheticHouseholds({ households: 40, seed: 3, banks: ['ICBC', 'CCB'], asOf: '2026-11-01', startIndex: 1000 })];
    const source = await sourceOf('provident-fund');
    const fund = createExchangeDataSource('provident-fund', source);
    const alone = [];
    for (const h of households) alone.push(await fund.lookup(query('provident-fund', h.request.members.map((m) => m.idNumber))));
    // node-postgres's pool, under TypeORM: every lookup query goes through it.
    const pool = (source.driver as PostgresDriver).master as Pool;
    const queries = jest.spyOn(pool, 'query');
    try {
      const together = await Promise.all(households.map((h) => fund.lookup(query('provident-fund', h.request.members.map((m) => m.idNumber)))));
      expect(together).toEqual(alone);
      expect(queries).toHaveBeenCalledTimes(2); // fund accounts, fund contributions
    } finally {
      queries.mockRestore();
    }
  });
});
