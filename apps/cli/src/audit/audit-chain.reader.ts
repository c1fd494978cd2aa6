/**
 * Reads the audit service's log (schema `audit`, table `entries`) a page at a time in sequence order, as
 * the chain's entries, with the row mapping the audit service itself uses (libs/persistence); the verify
 * command's medium spec runs it over a log the audit service wrote.
 */
import type { Client } from 'pg';
import type { ChainedAuditEntry } from '@verihub/domain';
import { AUDIT_ENTRY_COLUMNS, type AuditEntryRow, auditEntryOf } from '@verihub/persistence';

/** Whether the database holds an audit log at all. */
export async function hasAuditLog(client: Client): Promise<boolean> {
  const { rows } = await client.query<{ table: string | null }>(`SELECT to_regclass('audit.entries')::text AS table`);
  return rows[0]?.table !== null && rows[0]?.table !== undefined;
}

/** Every entry in sequence order, `pageSize` rows per query (keyset: never the whole log in memory). */
export async function* auditChainPages(client: Client, pageSize: number): AsyncGenerator<ChainedAuditEntry[]> {
  let after = 0;
  for (;;) {
    const { rows } = await client.query<AuditEntryRow>(
      `SELECT ${AUDIT_ENTRY_COLUMNS}
         FROM audit.entries WHERE sequence > $1 ORDER BY sequence LIMIT $2`,
      [after, pageSize],
    );
    if (rows.length === 0) return;
    yield rows.map(auditEntryOf);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1].sequence);
  }
}
