/**
 * The benchmark's data set: N synthetic households for the batch plus a few more for the interactive checks,
 * written as department JSON Lines and loaded into every exchange database through the import path of
 * `verihub data import` (validation, then bulk upserts), two departments at a time. The verification requests are
 * written as JSON Lines: batch.jsonl (the batch upload) and interactive.jsonl.
 */
import { createReadStream, createWriteStream, statSync } from 'fs';
import { once } from 'events';
import { join } from 'path';
import { createInterface } from 'readline';
import {
  EXCHANGE_DEPARTMENTS,
  importProviderData,
  migrateExchangeDatabase,
  writeSyntheticData,
  type LoadedCounts,
  type SyntheticDataOptions,
} from '@verihub/exchange';

export interface DatasetOptions {
  households: number;
  interactiveHouseholds: number;
  banks: string[];
  asOf: string;
  seed: number;
}

export interface LoadedDataset {
  batchFile: string;
  interactiveFile: string;
  households: number;
  interactiveHouseholds: number;
  /** Records per provider and type. */
  loaded: Record<string, LoadedCounts>;
  records: number;
  generateSeconds: number;
  loadSeconds: number;
  /** Size in bytes of every department file together. */
  departmentFileBytes: number;
}

export async function buildDataset(dir: string, databaseUrl: string, options: DatasetOptions, log: (line: string) => void): Promise<LoadedDataset> {
  const synthetic: SyntheticDataOptions = {
    households: options.households + options.interactiveHouseholds,
    seed: options.seed,
    banks: options.banks,
    asOf: options.asOf,
    regionCodes: ['500115'],
  };
  let started = Date.now();
  const manifest = await writeSyntheticData(dir, synthetic);
  const generateSeconds = (Date.now() - started) / 1000;
  const departmentFileBytes = manifest.files.reduce((sum, f) => sum + statSync(f.file).size, 0);
  log(`generated ${manifest.households} households, ${manifest.files.reduce((s, f) => s + f.lines, 0)} department lines (${mib(departmentFileBytes)}) in ${generateSeconds.toFixed(1)} s`);

  started = Date.now();
  for (const department of EXCHANGE_DEPARTMENTS) await migrateExchangeDatabase(department, databaseUrl);
  const loaded: Record<string, LoadedCounts> = {};
  // Largest files first, two at a time (one transaction each): PostgreSQL and the parser share the cores.
  const queue = [...manifest.files].sort((a, b) => b.lines - a.lines);
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const t0 = Date.now();
      const result = await importProviderData(databaseUrl, file.provider, { file: file.file });
      if (!result.ok) throw new Error(`the synthetic ${file.provider} data was refused: ${result.badLines.slice(0, 3).map((b) => `line ${b.line}: ${b.reason}`).join('; ')}`);
      loaded[file.provider] = result.loaded;
      log(`  loaded ${file.provider}: ${result.total} records in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  };
  await Promise.all([worker(), worker()]);
  const loadSeconds = (Date.now() - started) / 1000;
  const records = Object.values(loaded).reduce((sum, counts) => sum + Object.values(counts).reduce((s, n) => s + (n ?? 0), 0), 0);
  log(`loaded ${records} records into the exchange databases in ${loadSeconds.toFixed(1)} s`);

  const batchFile = join(dir, 'batch.jsonl');
  const interactiveFile = join(dir, 'interactive.jsonl');
  await splitRequests(manifest.requestsFile, options.households, batchFile, interactiveFile);
  return {
    batchFile,
    interactiveFile,
    households: options.households,
    interactiveHouseholds: options.interactiveHouseholds,
    loaded,
    records,
    generateSeconds,
    loadSeconds,
    departmentFileBytes,
  };
}

/** The first `first` request lines go to `a`, the rest to `b`. */
async function splitRequests(file: string, first: number, a: string, b: string): Promise<void> {
  const outA = createWriteStream(a);
  const outB = createWriteStream(b);
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line === '') continue;
    const out = n++ < first ? outA : outB;
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  outA.end();
  outB.end();
  await Promise.all([once(outA, 'finish'), once(outB, 'finish')]);
}

/** Every line of a JSON Lines file, parsed. */
export async function readJsonLines<T>(file: string): Promise<T[]> {
  const out: T[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line !== '') out.push(JSON.parse(line) as T);
  return out;
}

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
