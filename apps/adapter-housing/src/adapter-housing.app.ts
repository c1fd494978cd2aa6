/**
 * The housing adapter (不动产登记: real estate): the adapter SDK over the department's reference exchange
 * database (schema exchange_housing). A department with its own systems replaces the data source, not the adapter.
 */
import { type AdapterKeys, adapterMessaging, migrateAdapterState, type RunningAdapter, startAdapter } from '@verihub/adapter-sdk';
import { createExchangeDataSource, migrateExchangeDatabase } from '@verihub/exchange';
import type { MessagingConfig } from '@verihub/messaging';

export const HOUSING_PROVIDER = 'housing';

/** The keys: the aggregator's public key, this adapter's signing key, the identity hash key (AdapterKeys). */
export interface HousingAdapterOptions extends AdapterKeys {
  databaseUrl: string;
  messaging: MessagingConfig;
}

/** The exchange schema and the adapter state schema (adapter_housing); an explicit step, never at boot. */
export async function migrateHousingAdapter(options: Pick<HousingAdapterOptions, 'databaseUrl'>): Promise<string[]> {
  const exchange = await migrateExchangeDatabase('housing', options.databaseUrl);
  const state = await migrateAdapterState({ provider: HOUSING_PROVIDER, databaseUrl: options.databaseUrl });
  return [...exchange, ...state];
}

/** Answers housing requests (consumer group verihub-adapter-housing) until close(). */
export function startHousingAdapter(options: HousingAdapterOptions): Promise<RunningAdapter> {
  return startAdapter({
    provider: HOUSING_PROVIDER,
    databaseUrl: options.databaseUrl,
    queryVerifyKey: options.queryVerifyKey,
    answerSigningKey: options.answerSigningKey,
    identityHashKey: options.identityHashKey,
    messaging: adapterMessaging(options.messaging, HOUSING_PROVIDER),
    dataSource: (db) => createExchangeDataSource(HOUSING_PROVIDER, db),
  });
}
