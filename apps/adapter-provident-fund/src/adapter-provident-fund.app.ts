/**
 * The provident-fund adapter (住房公积金: fund accounts and contributions): the adapter SDK over the department's reference exchange
 * database (schema exchange_provident_fund). A department with its own systems replaces the data source, not the adapter.
 */
import { type AdapterKeys, adapterMessaging, migrateAdapterState, type RunningAdapter, startAdapter } from '@verihub/adapter-sdk';
import { createExchangeDataSource, migrateExchangeDatabase } from '@verihub/exchange';
import type { MessagingConfig } from '@verihub/messaging';

export const PROVIDENT_FUND_PROVIDER = 'provident-fund';

/** The keys: the aggregator's public key, this adapter's signing key, the identity hash key (AdapterKeys). */
export interface ProvidentFundAdapterOptions extends AdapterKeys {
  databaseUrl: string;
  messaging: MessagingConfig;
}

/** The exchange schema and the adapter state schema (adapter_provident_fund); an explicit step, never at boot. */
export async function migrateProvidentFundAdapter(options: Pick<ProvidentFundAdapterOptions, 'databaseUrl'>): Promise<string[]> {
  const exchange = await migrateExchangeDatabase('provident-fund', options.databaseUrl);
  const state = await migrateAdapterState({ provider: PROVIDENT_FUND_PROVIDER, databaseUrl: options.databaseUrl });
  return [...exchange, ...state];
}

/** Answers provident-fund requests (consumer group verihub-adapter-provident-fund) until close(). */
export function startProvidentFundAdapter(options: ProvidentFundAdapterOptions): Promise<RunningAdapter> {
  return startAdapter({
    provider: PROVIDENT_FUND_PROVIDER,
    databaseUrl: options.databaseUrl,
    queryVerifyKey: options.queryVerifyKey,
    answerSigningKey: options.answerSigningKey,
    identityHashKey: options.identityHashKey,
    messaging: adapterMessaging(options.messaging, PROVIDENT_FUND_PROVIDER),
    dataSource: (db) => createExchangeDataSource(PROVIDENT_FUND_PROVIDER, db),
  });
}
