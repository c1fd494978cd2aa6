/**
 * `node dist/apps/adapter-tax/main.js migrate` applies the migrations and exits; without a command it starts the adapter.
 * Environment: DATABASE_URL, VERIHUB_TRANSPORT (kafka | in-process), KAFKA_BROKERS,
 * VERIHUB_QUERY_VERIFY_KEY, VERIHUB_ANSWER_SIGNING_KEY, VERIHUB_IDENTITY_HASH_KEY (see `npm run verihub -- keys generate`).
 */
import 'reflect-metadata';
import { adapterGroupId, adapterKeysFromEnv, runAdapterMain } from '@verihub/adapter-sdk';
import { messagingConfigFromEnv } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import { migrateTaxAdapter, TAX_PROVIDER, startTaxAdapter } from './adapter-tax.app';

void runAdapterMain('adapter-tax', process.argv, () => {
  const group = adapterGroupId(TAX_PROVIDER);
  const options = {
    databaseUrl: databaseUrlFromEnv(process.env),
    messaging: messagingConfigFromEnv(process.env, { clientId: group, groupId: group }),
  };
  return {
    migrate: () => migrateTaxAdapter(options),
    // The keys are read only to start (migrating needs none).
    start: () => startTaxAdapter({ ...options, ...adapterKeysFromEnv(process.env, TAX_PROVIDER) }),
  };
});
