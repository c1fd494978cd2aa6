#!/usr/bin/env node
/**
 * The verihub command line (`npm run verihub -- <command>`). Each command group registers itself on
 * the program from its own folder; this file only reads the environment and runs the program.
 */
import { parseBankCodes } from '@verihub/domain';
import { Command } from 'commander';
import { registerAuditCommands } from './audit/audit.command';
import { registerBatchCommands } from './batch/batch.command';
import { consoleOutput } from './data/cli-output';
import { registerDataCommands } from './data/data.command';
import { releaseDatabaseTarget, resolveDatabaseUrl } from './database-target';
import { registerKeysCommands } from './keys/keys.command';

export function buildProgram(env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('verihub').description('verihub: household economic-status verification hub').showHelpAfterError();
  registerDataCommands(program, {
    resolveDatabaseUrl: () => resolveDatabaseUrl(env),
    output: consoleOutput,
    bankCodes: parseBankCodes(env.VERIHUB_BANKS),
  });
  registerAuditCommands(program, { resolveDatabaseUrl: () => resolveDatabaseUrl(env), output: consoleOutput });
  registerKeysCommands(program, { output: consoleOutput, bankCodes: parseBankCodes(env.VERIHUB_BANKS) });
  registerBatchCommands(program, { output: consoleOutput, env, stdout: process.stdout });
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => releaseDatabaseTarget());
