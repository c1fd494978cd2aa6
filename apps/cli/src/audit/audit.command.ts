/** `verihub audit ...`: the audit office's log. */
import type { Command } from 'commander';
import { registerAuditVerifyCommand, type AuditVerifyDeps } from './verify.command';

export type AuditCommandDeps = AuditVerifyDeps;

export function registerAuditCommands(program: Command, deps: AuditCommandDeps): Command {
  const audit = program.command('audit').description('the audit log: hash-chained record of every query and report access');
  registerAuditVerifyCommand(audit, deps);
  return audit;
}
