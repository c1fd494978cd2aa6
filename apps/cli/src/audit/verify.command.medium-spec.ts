/**
 * `verihub audit verify` over a log the audit service wrote (real PostgreSQL, in-process transport), then
 * over the same log after someone with the table owner's rights altered it directly in SQL.
 */
import { Command } from 'commander';
import { makeIdentityNumber } from '@verihub/domain';
import { resetInProcessBroker } from '@verihub/messaging';
import { createTestDatabase, type TestDatabase } from '../../../../test/medium/test-database';
import { type AuditHarness, auditEvent, publishAuditEvents, startAuditHarness } from '../../../audit/src/testing/audit-harness';
import type { CliOutput } from '../data/cli-output';
import { registerAuditCommands } from './audit.command';

const PERSON = makeIdentityNumber('500115', '1980-03-14', 11);

let lines: { stream: 'out' | 'err'; text: string }[];
const output: CliOutput = {
  info: (text) => lines.push({ stream: 'out', text }),
  error: (text) => lines.push({ stream: 'err', text }),
};

/** Runs `verihub <args>` through commander as main.ts does (3 entries per page), and returns the exit code. */
async function verihub(databaseUrl: string, ...args: string[]): Promise<number> {
  lines = [];
  const program = new Command('verihub').exitOverride();
  registerAuditCommands(program, { resolveDatabaseUrl: () => databaseUrl, output, pageSize: 3 });
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'verihub', ...args]);
    return Number(process.exitCode ?? 0);
  } finally {
    process.exitCode = before;
  }
}

describe('verihub audit verify', () => {
  let h: AuditHarness;

  beforeAll(async () => {
    resetInProcessBroker();
    h = await startAuditHarness({ logger: false });
  });

  afterAll(async () => {
    await h?.close();
    resetInProcessBroker();
  });

  /** What someone with the owner's rights can do: switch the trigger off, change the table, switch it on. */
  const tamper = async (statement: string, params: unknown[] = []): Promise<void> => {
    await h.sql.query(`ALTER TABLE audit.entries DISABLE TRIGGER entries_append_only`);
    try {
      await h.sql.query(statement, params);
    } finally {
      await h.sql.query(`ALTER TABLE audit.entries ENABLE TRIGGER entries_append_only`);
    }
  };

  it('finds an empty log intact', async () => {
    expect(await verihub(h.db.url, 'audit', 'verify')).toBe(0);
    expect(lines).toEqual([{ stream: 'out', text: 'audit chain intact: 0 entries' }]);
  });

  it('checks every entry of a log the audit service wrote, a page at a time', async () => {
    const events = Array.from({ length: 7 }, (_, i) =>
      auditEvent({ action: i === 0 ? 'verification_created' : 'report_read', idNumbers: [PERSON], occurredAt: `2026-11-02T10:0${i}:00+08:00` }),
    );
    publishAuditEvents(...events);
    await h.untilEntries(7);
    expect(await verihub(h.db.url, 'audit', 'verify')).toBe(0);
    expect(lines).toEqual([
      { stream: 'out', text: 'audit chain intact: 7 entries' },
      { stream: 'out', text: expect.stringMatching(/^last entry 7, hash [0-9a-f]{64}$/) },
    ]);
  });

  it('refuses UPDATE and DELETE through SQL while the trigger is on', async () => {
    await expect(h.sql.query(`UPDATE audit.entries SET record_count = 99 WHERE sequence = 4`)).rejects.toThrow(/append-only/);
    await expect(h.sql.query(`DELETE FROM audit.entries WHERE sequence = 4`)).rejects.toThrow(/append-only/);
  });

  it('names the entry whose content was changed directly in SQL, and exits 1', async () => {
    await tamper(`UPDATE audit.entries SET actor_username = 'someone-else' WHERE sequence = 4`);
    expect(await verihub(h.db.url, 'audit', 'verify')).toBe(1);
    expect(lines).toEqual([
      { stream: 'err', text: "audit chain broken at entry 4 (entry_hash_mismatch): entry 4's content does not match its hash (it was changed after it was recorded)" },
      { stream: 'err', text: '3 entries before it are intact' },
    ]);

    await tamper(`UPDATE audit.entries SET actor_username = 'officer' WHERE sequence = 4`);
    expect(await verihub(h.db.url, 'audit', 'verify')).toBe(0);
  });

  it('names an entry removed directly in SQL', async () => {
    await tamper(`DELETE FROM audit.entries WHERE sequence = 5`);
    expect(await verihub(h.db.url, 'audit', 'verify')).toBe(1);
    expect(lines[0]).toEqual({ stream: 'err', text: 'audit chain broken at entry 5 (entry_missing): entry 5 is missing (the next entry is 6)' });
  });

  it('says so when the database has no audit log', async () => {
    let empty: TestDatabase | undefined;
    try {
      empty = await createTestDatabase();
      expect(await verihub(empty.url, 'audit', 'verify')).toBe(1);
      expect(lines).toEqual([{ stream: 'err', text: expect.stringMatching(/^error: this database has no audit log/) }]);
    } finally {
      await empty?.drop();
    }
  });
});
