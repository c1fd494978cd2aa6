/**
 * Synthetic department data for demos, tests and benchmarks: streamed household by household, so
 * any size fits in memory; written as one JSON Lines file per provider plus the requests; or loaded
 * straight into the exchange databases through the same validation and import path as real files.
 */
import { once } from 'events';
import { createWriteStream, type WriteStream } from 'fs';
import { mkdir, mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { bankProviderId, isRealDate, parseBankCodes } from '@verihub/domain';
import { EXCHANGE_DEPARTMENTS } from '../exchange-provider';
import { importProviderData, type ImportOptions, type LoadedCounts } from '../import/import-provider-data';
import { migrateExchangeDatabase } from '../schema/exchange-database';
import { generateSyntheticHousehold, type SyntheticHousehold } from './synthetic-household';
import { MAX_SYNTHETIC_HOUSEHOLDS } from './synthetic-identity';

export interface SyntheticDataOptions {
  households: number;
  /** Default 1. The same seed and options give the same data, byte for byte. */
  seed?: number;
  /** Bank codes ("ICBC"); each is a provider bank:<CODE>. */
  banks: readonly string[];
  /** "YYYY-MM-DD": the requests' asOf; records are dated before it. */
  asOf: string;
  /** Hukou regions, assigned round-robin (default ["500115"], the demo officer's region). */
  regionCodes?: readonly string[];
  /** First household index (default 0): generate a data set in chunks, or a slice of one. */
  startIndex?: number;
}

interface ResolvedOptions {
  households: number;
  seed: number;
  banks: string[];
  asOf: string;
  regionCodes: string[];
  startIndex: number;
}

function resolve(options: SyntheticDataOptions): ResolvedOptions {
  const { households, asOf } = options;
  const startIndex = options.startIndex ?? 0;
  if (!Number.isInteger(households) || households < 0) throw new Error('households must be a non-negative integer');
  if (!Number.isInteger(startIndex) || startIndex < 0) throw new Error('startIndex must be a non-negative integer');
  if (startIndex + households > MAX_SYNTHETIC_HOUSEHOLDS) throw new Error(`at most ${MAX_SYNTHETIC_HOUSEHOLDS} synthetic households`);
  if (!isRealDate(asOf)) throw new Error(`asOf "${asOf}" is not a date YYYY-MM-DD`);
  const regionCodes = [...(options.regionCodes ?? ['500115'])];
  if (regionCodes.length === 0 || regionCodes.some((c) => !/^\d{6}$/.test(c))) throw new Error('regionCodes must be 6-digit codes');
  const banks = options.banks.length === 0 ? [] : parseBankCodes(options.banks.join(','));
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new Error('seed must be an integer');
  return { households, seed, banks, asOf, regionCodes, startIndex };
}

/** The provider ids a data set has lines for: the four core departments and bank:<CODE> per bank. */
export function syntheticProviders(options: Pick<SyntheticDataOptions, 'banks'>): string[] {
  const banks = options.banks.length === 0 ? [] : parseBankCodes(options.banks.join(','));
  return ['public-security', 'tax', 'housing', 'provident-fund', ...banks.map(bankProviderId)];
}

/** Households one at a time (a generator: nothing is kept once consumed). */
export function* generateSyntheticHouseholds(options: SyntheticDataOptions): Generator<SyntheticHousehold> {
  const o = resolve(options);
  const householdOptions = { seed: o.seed, banks: o.banks, asOf: o.asOf, regionCodes: o.regionCodes };
  for (let i = o.startIndex; i < o.startIndex + o.households; i++) yield generateSyntheticHousehold(i, householdOptions);
}

/** File name of a provider's lines: "tax.jsonl", "bank-ICBC.jsonl" (no ':' so the files work on every OS). */
export function syntheticDataFileName(provider: string): string {
  return `${provider.replace(':', '-')}.jsonl`;
}

export const SYNTHETIC_REQUESTS_FILE = 'households.jsonl';

/** Buffers lines and writes them in large pieces, waiting when the stream asks for it. */
class LineWriter {
  private readonly stream: WriteStream;
  private buffer = '';
  lines = 0;

  constructor(readonly file: string) {
    this.stream = createWriteStream(file, { encoding: 'utf8' });
  }

  write(line: string): void {
    this.buffer += line + '\n';
    this.lines += 1;
  }

  /** Writes the buffer out once it is large (or always, with `force`). */
  async flush(force = false): Promise<void> {
    if (this.buffer === '' || (!force && this.buffer.length < 1 << 19)) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush(true);
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

export interface SyntheticDataFile {
  provider: string;
  file: string;
  lines: number;
}

export interface SyntheticDataManifest {
  households: number;
  /** One file per provider, in JSON Lines of domain.md section 4. */
  files: SyntheticDataFile[];
  /** One verification request body (api.md) per line, in household order. */
  requestsFile: string;
}

/**
 * Writes `<provider>.jsonl` per provider (bank files as bank-<CODE>.jsonl, see syntheticDataFileName)
 * and households.jsonl with the requests. Streams: memory does not grow with the household count.
 */
export async function writeSyntheticData(dir: string, options: SyntheticDataOptions): Promise<SyntheticDataManifest> {
  await mkdir(dir, { recursive: true });
  const writers = new Map(syntheticProviders(options).map((p) => [p, new LineWriter(join(dir, syntheticDataFileName(p)))]));
  const requests = new LineWriter(join(dir, SYNTHETIC_REQUESTS_FILE));
  let households = 0;
  try {
    for (const household of generateSyntheticHouseholds(options)) {
      households += 1;
      for (const [provider, lines] of Object.entries(household.lines) as [string, object[]][]) {
        const writer = writers.get(provider)!;
        for (const line of lines) writer.write(JSON.stringify(line));
        await writer.flush();
      }
      requests.write(JSON.stringify(household.request));
      await requests.flush();
    }
  } finally {
    for (const writer of writers.values()) await writer.close();
    await requests.close();
  }
  return {
    households,
    files: [...writers.entries()].map(([provider, writer]) => ({ provider, file: writer.file, lines: writer.lines })),
    requestsFile: requests.file,
  };
}

export interface SeedResult {
  households: number;
  /** Records loaded per provider and type. */
  loaded: Record<string, LoadedCounts>;
}

export class SyntheticDataRejectedError extends Error {
  constructor(
    readonly provider: string,
    readonly badLines: { line: number; reason: string }[],
  ) {
    super(`synthetic ${provider} data was refused by validation: ${badLines.slice(0, 3).map((b) => `line ${b.line}: ${b.reason}`).join('; ')}`);
    this.name = 'SyntheticDataRejectedError';
  }
}

/**
 * Generates the data set and imports it into every department's exchange database at `url`
 * (migrations applied first, idempotent). Re-seeding with the same options replaces the same records
 * (upsert by record id), so it is safe to repeat. The requests are not stored: call
 * generateSyntheticHouseholds with the same options to get them.
 */
export async function seedExchangeDatabases(url: string, options: SyntheticDataOptions, importOptions: ImportOptions = {}): Promise<SeedResult> {
  for (const department of EXCHANGE_DEPARTMENTS) await migrateExchangeDatabase(department, url);
  const dir = await mkdtemp(join(tmpdir(), 'verihub-seed-'));
  try {
    const manifest = await writeSyntheticData(dir, options);
    const loaded: Record<string, LoadedCounts> = {};
    for (const file of manifest.files) {
      const result = await importProviderData(url, file.provider, { file: file.file }, importOptions);
      if (!result.ok) throw new SyntheticDataRejectedError(file.provider, result.badLines);
      loaded[file.provider] = result.loaded;
    }
    return { households: manifest.households, loaded };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
