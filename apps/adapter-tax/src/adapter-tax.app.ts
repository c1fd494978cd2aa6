/**
 * The tax adapter (税务: income by item and month): the adapter SDK over the department's reference exchange
 * database (schema exchange_tax). A department with its own systems replaces the data source, not the adapter.
 */
import { type AdapterKeys, adapterMessaging, migrateAdapterState, type RunningAdapter, startAdapter } from '@verihub/adapter-sdk';
import { createExchangeDataSource, migrateExchangeDatabase } from '@verihub/exchange';
import type { MessagingConfig } from '@verihub/messaging';

export const TAX_PROVIDER = 'tax';

/** The keys: the aggregator's public key, this adapter's signing key, the identity hash key (AdapterKeys). */
export interface TaxAdapterOptions extends AdapterKeys {
  databaseUrl: string;
  messaging: MessagingConfig;
}

/** The exchange schema and the adapter state schema (adapter_tax); an explicit step, never at boot. */
export async function migrateTaxAdapter(options: Pick<TaxAdapterOptions, 'databaseUrl'>): Promise<string[]> {
  const exchange = await migrateExchangeDatabase('tax', options.databaseUrl);
  const state = await migrateAdapterState({ provider: TAX_PROVIDER, databaseUrl: options.databaseUrl });
  return [...exchange, ...state];
}

/** Answers tax requests (consumer group verihub-adapter-tax) until close(). */
export function startTaxAdapter(options: TaxAdapterOptions): Promise<RunningAdapter> {
  return startAdapter({
    provider: TAX_PROVIDER,
    databaseUrl: options.databaseUrl,
    queryVerifyKey: options.queryVerifyKey,
    answerSigningKey: options.answerSigningKey,
    identityHashKey: options.identityHashKey,
    messaging: adapterMessaging(options.messaging, TAX_PROVIDER),
    dataSource: (db) => createExchangeDataSource(TAX_PROVIDER, db),
  });
}
