/**
 * `verihub data import <provider> <file.jsonl>` (api.md "Department data"): applies the department's
 * exchange-database migrations, validates every line and loads the file in one transaction, or
 * loads nothing and lists each bad line with its number and reason (exit code 1).
 */
import { access } from 'fs/promises';
import { constants } from 'fs';
import { importProviderData, migrateExchangeDatabase, parseExchangeProvider, UnknownProviderError } from '@verihub/exchange';
import type { Command } from 'commander';
import type { CliOutput } from './cli-output';

export interface DataImportDeps {
  resolveDatabaseUrl: () => string | Promise<string>;
  output: CliOutput;
  /** The bank codes the deployment queries (VERIHUB_BANKS); importing another bank only warns. */
  bankCodes?: readonly string[];
}

/** Runs the import and returns the process exit code (0 loaded, 1 refused or failed). */
export async function runDataImport(providerArg: string, file: string, deps: DataImportDeps): Promise<number> {
  const { output } = deps;
  let provider;
  try {
    provider = parseExchangeProvider(providerArg);
  } catch (err) {
    if (err instanceof UnknownProviderError) {
      output.error(`error: ${err.message}`);
      return 1;
    }
    throw err;
  }
  try {
    await access(file, constants.R_OK);
  } catch {
    output.error(`error: cannot read ${file}`);
    return 1;
  }
  if (provider.bankCode && deps.bankCodes && !deps.bankCodes.includes(provider.bankCode)) {
    output.error(`warning: ${provider.id} is not one of the configured banks (VERIHUB_BANKS=${deps.bankCodes.join(',')}); it will not be queried`);
  }
  const url = await deps.resolveDatabaseUrl();
  await migrateExchangeDatabase(provider.department, url);
  const result = await importProviderData(url, provider.id, { file });
  if (!result.ok) {
    for (const bad of result.badLines) output.error(`line ${bad.line}: ${bad.reason}`);
    const unlisted = result.badLineCount - result.badLines.length;
    if (unlisted > 0) output.error(`... and ${unlisted} more bad lines`);
    output.error(`${file}: ${result.badLineCount} bad line${result.badLineCount === 1 ? '' : 's'}; nothing was loaded into ${provider.id}.`);
    return 1;
  }
  const perType = Object.entries(result.loaded)
    .map(([type, count]) => `${type}: ${count}`)
    .join(', ');
  output.info(`Loaded ${result.total} record${result.total === 1 ? '' : 's'} into ${provider.id}${perType ? ` (${perType})` : ''}.`);
  return 0;
}

export function registerDataImportCommand(data: Command, deps: DataImportDeps): Command {
  return data
    .command('import')
    .description('load a department exchange database from JSON Lines (domain.md section 4); a file with a bad line loads nothing')
    .argument('<provider>', 'public-security | tax | housing | provident-fund | bank:<CODE>')
    .argument('<file>', 'JSON Lines file, one record per line')
    .action(async (provider: string, file: string) => {
      process.exitCode = await runDataImport(provider, file, deps);
    });
}
