/**
 * The public-security adapter (公安: identity, household registration, vital status and vehicles): the adapter SDK over the department's reference exchange
 * database (schema exchange_public_security). A department with its own systems replaces the data source, not the adapter.
 */
import { type AdapterKeys, adapterMessaging, migrateAdapterState, type RunningAdapter, startAdapter } from '@verihub/adapter-sdk';
import { createExchangeDataSource, migrateExchangeDatabase } from '@verihub/exchange';
import type { MessagingConfig } from '@verihub/messaging';

export const PUBLIC_SECURITY_PROVIDER = 'public-security';

/** The keys: the aggregator's public key, this adapter's signing key, the identity hash key (AdapterKeys). */
export interface PublicSecurityAdapterOptions extends AdapterKeys {
  databaseUrl: string;
  messaging: MessagingConfig;
}

/** The exchange schema and the adapter state schema (adapter_public_security); an explicit step, never at boot. */
export async function migratePublicSecurityAdapter(options: Pick<PublicSecurityAdapterOptions, 'databaseUrl'>): Promise<string[]> {
  const exchange = await migrateExchangeDatabase('public-security', options.databaseUrl);
  const state = await migrateAdapterState({ provider: PUBLIC_SECURITY_PROVIDER, databaseUrl: options.databaseUrl });
  return [...exchange, ...state];
}

/** Answers public-security requests (consumer group verihub-adapter-public-security) until close(). */
export function startPublicSecurityAdapter(options: PublicSecurityAdapterOptions): Promise<RunningAdapter> {
  return startAdapter({
    provider: PUBLIC_SECURITY_PROVIDER,
    databaseUrl: options.databaseUrl,
    queryVerifyKey: options.queryVerifyKey,
    answerSigningKey: options.answerSigningKey,
    identityHashKey: options.identityHashKey,
    messaging: adapterMessaging(options.messaging, PUBLIC_SECURITY_PROVIDER),
    dataSource: (db) => createExchangeDataSource(PUBLIC_SECURITY_PROVIDER, db),
  });
}
