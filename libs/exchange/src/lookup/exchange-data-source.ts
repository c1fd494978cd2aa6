/**
 * The reference implementation of the ProviderDataSource port: reads the department's exchange
 * database. One prepared query per table for all the people asked about (and for the people of every
 * lookup issued at the same moment or waiting for a free slot), the tables queried in parallel; income
 * records in the income period; holdings and fund accounts as their latest snapshot on or before
 * assetsAsOf; properties registered on or before assetsAsOf; persons and vehicles as held.
 */
import { isMonth, isRealDate, type DepartmentRecord, type ProviderDataSource, type ProviderQuery } from '@verihub/domain';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { parseExchangeProvider, type ExchangeProvider } from '../exchange-provider';
import {
  bankHoldingsQuery,
  bankInterestQuery,
  fundAccountsQuery,
  fundContributionsQuery,
  incomeQuery,
  personsQuery,
  propertiesQuery,
  vehiclesQuery,
  type ExchangeQuery,
} from './exchange-queries';

export class ExchangeLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExchangeLookupError';
  }
}

export interface ExchangeLookupOptions {
  /**
   * Queries (per table) running at once for this provider (default 4). Lookups arriving while they
   * are busy wait and then go together in one query per table: under load, many households cost
   * one round trip; when idle, a lookup runs at once.
   */
  maxConcurrentQueries?: number;
  /** Identity numbers per batched query (default 1000). */
  maxIdsPerQuery?: number;
}

interface PendingLookup {
  /** Lookups with the same period and date can share a query. */
  key: string;
  ids: string[];
  from: string;
  to: string;
  asOf: string;
  resolve(records: DepartmentRecord[]): void;
  reject(error: unknown): void;
}

export class ExchangeProviderDataSource implements ProviderDataSource {
  private readonly target: ExchangeProvider;
  private readonly maxConcurrent: number;
  private readonly maxIds: number;
  private queue: PendingLookup[] = [];
  private running = 0;
  private pumpScheduled = false;

  /** `dataSource`: an initialized DataSource on the database holding the department's exchange schema. */
  constructor(
    provider: string,
    private readonly dataSource: DataSource,
    options: ExchangeLookupOptions = {},
  ) {
    this.target = parseExchangeProvider(provider);
    this.maxConcurrent = Math.max(1, options.maxConcurrentQueries ?? 4);
    this.maxIds = Math.max(1, options.maxIdsPerQuery ?? 1000);
  }

  get provider(): string {
    return this.target.id;
  }

  lookup(query: ProviderQuery): Promise<DepartmentRecord[]> {
    if (query.provider !== this.target.id) {
      return Promise.reject(new ExchangeLookupError(`this data source answers for ${this.target.id}, not ${query.provider}`));
    }
    const { from, to } = query.incomePeriod;
    if (!isMonth(from) || !isMonth(to)) return Promise.reject(new ExchangeLookupError('incomePeriod must be months YYYY-MM'));
    if (!isRealDate(query.assetsAsOf)) return Promise.reject(new ExchangeLookupError('assetsAsOf must be a date YYYY-MM-DD'));
    const ids = [...new Set(query.idNumbers)].sort();
    if (ids.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ key: `${from}|${to}|${query.assetsAsOf}`, ids, from, to, asOf: query.assetsAsOf, resolve, reject });
      this.schedulePump();
    });
  }

  /**
   * Pumps once the caller's synchronous code is done: lookups issued together (an adapter's batch of
   * requests) share one query per table even when idle, instead of the first few each running alone.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Starts queries while there is room: each takes the oldest waiting lookup and every other one it can share a query with. */
  private pump(): void {
    while (this.running < this.maxConcurrent && this.queue.length > 0) {
      const key = this.queue[0].key;
      const batch: PendingLookup[] = [];
      const waiting: PendingLookup[] = [];
      let idCount = 0;
      for (const pending of this.queue) {
        if (pending.key === key && (batch.length === 0 || idCount + pending.ids.length <= this.maxIds)) {
          batch.push(pending);
          idCount += pending.ids.length;
        } else {
          waiting.push(pending);
        }
      }
      this.queue = waiting;
      this.running += 1;
      void this.runBatch(batch).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async runBatch(batch: PendingLookup[]): Promise<void> {
    try {
      const ids = batch.length === 1 ? batch[0].ids : [...new Set(batch.flatMap((p) => p.ids))];
      const { from, to, asOf } = batch[0];
      const tables = await Promise.all(this.queriesFor(ids, from, to, asOf));
      if (batch.length === 1) {
        batch[0].resolve(tables.flat());
        return;
      }
      // Rows come ordered by identity number within each table: hand each lookup its people's rows, in that order.
      const grouped = tables.map((rows) => {
        const byId = new Map<string, DepartmentRecord[]>();
        for (const row of rows) {
          const list = byId.get(row.idNumber);
          if (list) list.push(row);
          else byId.set(row.idNumber, [row]);
        }
        return byId;
      });
      for (const pending of batch) {
        const records: DepartmentRecord[] = [];
        for (const byId of grouped) for (const id of pending.ids) records.push(...(byId.get(id) ?? []));
        pending.resolve(records);
      }
    } catch (err) {
      for (const pending of batch) pending.reject(err);
    }
  }

  private queriesFor(ids: string[], from: string, to: string, asOf: string): Promise<DepartmentRecord[]>[] {
    const bank = this.target.bankCode;
    switch (this.target.department) {
      case 'public-security':
        return [this.run(personsQuery, [ids]), this.run(vehiclesQuery, [ids])];
      case 'tax':
        return [this.run(incomeQuery, [ids, from, to])];
      case 'housing':
        return [this.run(propertiesQuery, [ids, asOf])];
      case 'provident-fund':
        return [this.run(fundAccountsQuery, [ids, asOf]), this.run(fundContributionsQuery, [ids, from, to])];
      case 'bank':
        return [this.run(bankHoldingsQuery, [bank, ids, asOf]), this.run(bankInterestQuery, [bank, ids, from, to])];
    }
  }

  private async run<R extends DepartmentRecord>(query: ExchangeQuery<R>, values: unknown[]): Promise<R[]> {
    const result = await this.pool().query({ name: query.name, text: query.text, values });
    return result.rows.map((row) => query.toRecord(row, this.target.id));
  }

  /** node-postgres's pool under TypeORM: named (prepared) statements, no query-runner overhead on the hot path. */
  private pool(): Pool {
    if (!this.dataSource.isInitialized) throw new ExchangeLookupError('the exchange DataSource is not initialized');
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }
}

/** The reference data source of a provider ("tax", "bank:ICBC", ...) over its exchange database. */
export function createExchangeDataSource(provider: string, dataSource: DataSource, options: ExchangeLookupOptions = {}): ExchangeProviderDataSource {
  return new ExchangeProviderDataSource(provider, dataSource, options);
}
