import { mkdtemp, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { Command } from 'commander';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/medium/test-database';
import type { CliOutput } from './cli-output';
import { registerDataCommands } from './data.command';

const MAN = '500115198005011230';
const BAD_CHECK = '500115198005011231';

let db: TestDatabase;
let dir: string;
let lines: { stream: 'out' | 'err'; text: string }[];
const output: CliOutput = {
  info: (text) => lines.push({ stream: 'out', text }),
  error: (text) => lines.push({ stream: 'err', text }),
};

/** Runs `verihub <args>` through commander as main.ts does, and returns the exit code. */
async function verihub(...args: string[]): Promise<number> {
  lines = [];
  const program = new Command('verihub').exitOverride();
  registerDataCommands(program, { resolveDatabaseUrl: () => db.url, output, bankCodes: ['ICBC', 'CCB'] });
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'verihub', ...args]);
    return Number(process.exitCode ?? 0);
  } finally {
    process.exitCode = before;
  }
}

async function file(name: string, content: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return path;
}

async function rows(table: string): Promise<number> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  } finally {
    await client.end();
  }
}

const income = (period: string, extra: object = {}) => ({ type: 'income', idNumber: MAN, period, item: 'wage', incomeFen: 500000, taxFen: 0, withholder: '某公司', ...extra });

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'verihub-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

describe('verihub data import', () => {
  it('migrates the department and loads a good file, printing the counts per type', async () => {
    const path = await file('ps.jsonl', [
      { type: 'person', idNumber: MAN, name: '张三', sex: 'M', birthDate: '1980-05-01', hukouType: 'urban', hukouRegionCode: '500115', householdNumber: 'H1', status: 'active' },
      { type: 'vehicle', idNumber: MAN, plate: '渝A12345', vehicleType: 'car', brand: '长安', firstRegistrationDate: '2019-03-02', useType: 'private', status: 'normal' },
    ]);
    expect(await verihub('data', 'import', 'public-security', path)).toBe(0);
    expect(lines).toEqual([{ stream: 'out', text: 'Loaded 2 records into public-security (person: 1, vehicle: 1).' }]);
    expect(await rows('exchange_public_security.persons')).toBe(1);
  });

  it('prints each bad line with its number and reason, exits 1 and loads nothing; no identity number in clear', async () => {
    const path = await file('tax.jsonl', [income('2026-01'), income('2026-02', { incomeFen: 12.5 }), income('2026-03'), income('2026-04', { idNumber: BAD_CHECK })]);
    expect(await verihub('data', 'import', 'tax', path)).toBe(1);
    expect(lines).toEqual([
      { stream: 'err', text: 'line 2: incomeFen: must be an integer amount in fen (a JSON number without decimals)' },
      { stream: 'err', text: expect.stringMatching(/^line 4: idNumber: invalid resident identity number \(check_digit\)/) },
      { stream: 'err', text: `${path}: 2 bad lines; nothing was loaded into tax.` },
    ]);
    expect(lines.map((l) => l.text).join('\n')).not.toMatch(/\d{17}[\dX]/);
    expect(await rows('exchange_tax.income_records')).toBe(0);
  });

  it('loads a bank instance, warning when the bank is not configured', async () => {
    const path = await file('bank.jsonl', [{ type: 'holding', idNumber: MAN, accountNo: 'A1', product: 'current', balanceFen: 100, asOf: '2026-10-31' }]);
    expect(await verihub('data', 'import', 'bank:icbc', path)).toBe(0);
    expect(lines).toEqual([{ stream: 'out', text: 'Loaded 1 record into bank:ICBC (holding: 1).' }]);
    expect(await verihub('data', 'import', 'bank:XYZ', path)).toBe(0);
    expect(lines[0]).toEqual({ stream: 'err', text: expect.stringMatching(/^warning: bank:XYZ is not one of the configured banks/) });
  });

  it('refuses an unknown provider or an unreadable file', async () => {
    expect(await verihub('data', 'import', 'customs', join(dir, 'tax.jsonl'))).toBe(1);
    expect(lines).toEqual([{ stream: 'err', text: expect.stringMatching(/^error: unknown provider "customs"/) }]);
    expect(await verihub('data', 'import', 'tax', join(dir, 'missing.jsonl'))).toBe(1);
    expect(lines).toEqual([{ stream: 'err', text: `error: cannot read ${join(dir, 'missing.jsonl')}` }]);
  });
});
