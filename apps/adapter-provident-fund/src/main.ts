/**
 * `node dist/apps/adapter-provident-fund/main.js migrate` applies the migrations and exits; without a command it starts the adapter.
 * Environment: DATABASE_URL, VERIHUB_TRANSPORT (kafka | in-process), KAFKA_BROKERS.
 */
import 'reflect-metadata';
import { adapterGroupId, runAdapterMain } from '@verihub/adapter-sdk';
import { messagingConfigFromEnv } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import { migrateProvidentFundAdapter, PROVIDENT_FUND_PROVIDER, startProvidentFundAdapter } from './adapter-provident-fund.app';

void runAdapterMain('adapter-provident-fund', process.argv, () => {
  const group = adapterGroupId(PROVIDENT_FUND_PROVIDER);
  const options = {
    databaseUrl: databaseUrlFromEnv(process.env),
    messaging: messagingConfigFromEnv(process.env, { clientId: group, groupId: group }),
  };
  return { migrate: () => migrateProvidentFundAdapter(options), start: () => startProvidentFundAdapter(options) };
});
