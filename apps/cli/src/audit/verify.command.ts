/**
 * `verihub audit verify`: checks the audit log's whole hash chain in sequence order, a page at a time.
 * Prints `audit chain intact: N entries` (exit 0), or names the first broken entry and why (exit 1).
 */
import type { Command } from 'commander';
import { Client } from 'pg';
import { AuditChainVerifier } from '@verihub/domain';
import type { CliOutput } from '../data/cli-output';
import { auditChainPages, hasAuditLog } from './audit-chain.reader';

export const DEFAULT_VERIFY_PAGE_SIZE = 1000;

export interface AuditVerifyDeps {
  resolveDatabaseUrl: () => string | Promise<string>;
  output: CliOutput;
  /** Entries read per query; default 1000. */
  pageSize?: number;
}

/** Runs the check and returns the process exit code (0 intact, 1 broken or no log). */
export async function runAuditVerify(deps: AuditVerifyDeps): Promise<number> {
  const { output } = deps;
  const client = new Client({ connectionString: await deps.resolveDatabaseUrl(), application_name: 'verihub-cli' });
  await client.connect();
  try {
    if (!(await hasAuditLog(client))) {
      output.error('error: this database has no audit log (audit.entries does not exist; run the audit service’s migrations)');
      return 1;
    }
    const verifier = new AuditChainVerifier();
    pages: for await (const page of auditChainPages(client, deps.pageSize ?? DEFAULT_VERIFY_PAGE_SIZE)) {
      for (const entry of page) if (!verifier.add(entry)) break pages;
    }
    const result = verifier.result();
    if (result.ok) {
      output.info(`audit chain intact: ${result.count} ${result.count === 1 ? 'entry' : 'entries'}`);
      if (result.lastSequence !== null) output.info(`last entry ${result.lastSequence}, hash ${result.headHash}`);
      return 0;
    }
    output.error(`audit chain broken at entry ${result.firstBrokenSequence} (${result.reason}): ${result.detail}`);
    output.error(`${result.count} ${result.count === 1 ? 'entry' : 'entries'} before it are intact`);
    return 1;
  } finally {
    await client.end();
  }
}

export function registerAuditVerifyCommand(audit: Command, deps: AuditVerifyDeps): Command {
  return audit
    .command('verify')
    .description('check the audit log’s hash chain from its first entry to its last; names the first broken entry')
    .action(async () => {
      process.exitCode = await runAuditVerify(deps);
    });
}
