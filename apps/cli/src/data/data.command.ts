/** `verihub data ...`: department exchange databases. */
import type { Command } from 'commander';
import { registerDataImportCommand, type DataImportDeps } from './import.command';

export type DataCommandDeps = DataImportDeps;

export function registerDataCommands(program: Command, deps: DataCommandDeps): Command {
  const data = program.command('data').description("department data: the reference adapters' exchange databases");
  registerDataImportCommand(data, deps);
  return data;
}
