/**
 * `node dist/apps/adapter-provident-fund/main.js migrate` applies the migrations and exits; without a command it starts the adapter.
 * Environment: DATABASE_URL, VERIHUB_TRANSPORT (kafka | in-process), KAFKA_BROKERS,
 * VERIHUB_QUERY_VERIFY_KEY, VERIHUB_ANSWER_SIGNING_KEY, VERIHUB_IDENTITY_HASH_KEY (see `npm run verihub -- keys generate`).
 */
import 'reflect-metadata';
import { adapterGroupId, adapterKeysFromEnv, runAdapterMain } from '@verihub/adapter-sdk';
import { messagingConfigFromEnv } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import { migrateProvidentFundAdapter, PROVIDENT_FUND_PROVIDER, startProvidentFundAdapter } from './adapter-provident-fund.app';

void runAdapterMain('adapter-provident-fund', process.argv, () => {
  const group = adapterGroupId(PROVIDENT_FUND_PROVIDER);
  const options = {
    databaseUrl: databaseUrlFromEnv(process.env),
    messaging: messagingConfigFromEnv(process.env, { clientId: group, groupId: group }),
  };
  return {
    migrate: () => migrateProvidentFundAdapter(options),
    // The keys are read only to start (migrating needs none).
    start: () => startProvidentFundAdapter({ ...options, ...adapterKeysFromEnv(process.env, PROVIDENT_FUND_PROVIDER) }),
  };
});
