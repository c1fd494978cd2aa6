/**
 * One DataSource per department's exchange database, built like every service's (libs/persistence):
 * its own schema, its own migrations table inside it, hand-written migrations, never synchronized.
 */
import { createServiceDataSource, migrateServiceDatabase, serviceDataSourceOptions, type ServiceDatabaseOptions } from '@verihub/persistence';
import type { DataSource, DataSourceOptions, MigrationInterface } from 'typeorm';
import { exchangeSchemaOf, type ExchangeDepartment } from '../exchange-provider';
import { BankHoldingEntity } from './bank/bank-holding.entity';
import { BankInterestEntity } from './bank/bank-interest.entity';
import { CreateBankExchange1767225600000 } from './bank/create-bank-tables.migration';
import { CreateHousingExchange1767225600000 } from './housing/create-housing-tables.migration';
import { PropertyEntity } from './housing/property.entity';
import { CreateProvidentFundExchange1767225600000 } from './provident-fund/create-provident-fund-tables.migration';
import { FundAccountEntity } from './provident-fund/fund-account.entity';
import { FundContributionEntity } from './provident-fund/fund-contribution.entity';
import { CreatePublicSecurityExchange1767225600000 } from './public-security/create-public-security-tables.migration';
import { PersonEntity } from './public-security/person.entity';
import { VehicleEntity } from './public-security/vehicle.entity';
import { CreateTaxExchange1767225600000 } from './tax/create-tax-tables.migration';
import { IncomeRecordEntity } from './tax/income-record.entity';

type MigrationClass = new () => MigrationInterface;

export const publicSecurityExchangeEntities = [PersonEntity, VehicleEntity];
export const taxExchangeEntities = [IncomeRecordEntity];
export const housingExchangeEntities = [PropertyEntity];
export const providentFundExchangeEntities = [FundAccountEntity, FundContributionEntity];
export const bankExchangeEntities = [BankHoldingEntity, BankInterestEntity];

export const publicSecurityExchangeMigrations: MigrationClass[] = [CreatePublicSecurityExchange1767225600000];
export const taxExchangeMigrations: MigrationClass[] = [CreateTaxExchange1767225600000];
export const housingExchangeMigrations: MigrationClass[] = [CreateHousingExchange1767225600000];
export const providentFundExchangeMigrations: MigrationClass[] = [CreateProvidentFundExchange1767225600000];
export const bankExchangeMigrations: MigrationClass[] = [CreateBankExchange1767225600000];

const ENTITIES: Record<ExchangeDepartment, Function[]> = {
  'public-security': publicSecurityExchangeEntities,
  tax: taxExchangeEntities,
  housing: housingExchangeEntities,
  'provident-fund': providentFundExchangeEntities,
  bank: bankExchangeEntities,
};

const MIGRATIONS: Record<ExchangeDepartment, MigrationClass[]> = {
  'public-security': publicSecurityExchangeMigrations,
  tax: taxExchangeMigrations,
  housing: housingExchangeMigrations,
  'provident-fund': providentFundExchangeMigrations,
  bank: bankExchangeMigrations,
};

export function exchangeEntities(department: ExchangeDepartment): Function[] {
  return ENTITIES[department];
}

export function exchangeMigrations(department: ExchangeDepartment): MigrationClass[] {
  return MIGRATIONS[department];
}

export interface ExchangeDatabaseExtras {
  /** Connection pool size (default 10); the adapters' lookup paths may raise it. */
  poolSize?: number;
  applicationName?: string;
}

function serviceOptions(department: ExchangeDepartment, url: string, extras: ExchangeDatabaseExtras): ServiceDatabaseOptions {
  return {
    url,
    schema: exchangeSchemaOf(department),
    entities: ENTITIES[department],
    migrations: MIGRATIONS[department],
    poolSize: extras.poolSize,
    applicationName: extras.applicationName ?? `verihub-${exchangeSchemaOf(department).replace(/_/g, '-')}`,
  };
}

export function exchangeDatabaseOptions(department: ExchangeDepartment, url: string, extras: ExchangeDatabaseExtras = {}): DataSourceOptions {
  return serviceDataSourceOptions(serviceOptions(department, url, extras));
}

/** A DataSource (not yet initialized) for one department's exchange database. */
export function createExchangeDatabase(department: ExchangeDepartment, url: string, extras: ExchangeDatabaseExtras = {}): DataSource {
  return createServiceDataSource(serviceOptions(department, url, extras));
}

/** Applies the department's exchange-database migrations (idempotent, under an advisory lock). */
export async function migrateExchangeDatabase(department: ExchangeDepartment, url: string): Promise<string[]> {
  const dataSource = createExchangeDatabase(department, url, { poolSize: 2 });
  try {
    return await migrateServiceDatabase(dataSource, exchangeSchemaOf(department));
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
