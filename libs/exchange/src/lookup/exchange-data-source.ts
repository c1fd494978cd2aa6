/**
 * The reference implementation of the ProviderDataSource port: reads the department's exchange
 * database. One prepared query per table for all the people asked about, run in parallel; income
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

export class ExchangeProviderDataSource implements ProviderDataSource {
  private readonly target: ExchangeProvider;

  /** `dataSource`: an initialized DataSource on the database holding the department's exchange schema. */
  constructor(provider: string, private readonly dataSource: DataSource) {
    this.target = parseExchangeProvider(provider);
  }

  get provider(): string {
    return this.target.id;
  }

  async lookup(query: ProviderQuery): Promise<DepartmentRecord[]> {
    if (query.provider !== this.target.id) {
      throw new ExchangeLookupError(`this data source answers for ${this.target.id}, not ${query.provider}`);
    }
    const { from, to } = query.incomePeriod;
    if (!isMonth(from) || !isMonth(to)) throw new ExchangeLookupError('incomePeriod must be months YYYY-MM');
    if (!isRealDate(query.assetsAsOf)) throw new ExchangeLookupError('assetsAsOf must be a date YYYY-MM-DD');
    const ids = [...new Set(query.idNumbers)];
    if (ids.length === 0) return [];
    const asOf = query.assetsAsOf;
    const bank = this.target.bankCode;
    const parts: Promise<DepartmentRecord[]>[] = (() => {
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
    })();
    return (await Promise.all(parts)).flat();
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
export function createExchangeDataSource(provider: string, dataSource: DataSource): ExchangeProviderDataSource {
  return new ExchangeProviderDataSource(provider, dataSource);
}
