/**
 * `node dist/apps/adapter-tax/main.js migrate` applies the migrations and exits; without a command it starts the adapter.
 * Environment: DATABASE_URL, VERIHUB_TRANSPORT (kafka | in-process), KAFKA_BROKERS.
 */
import 'reflect-metadata';
import { adapterGroupId, runAdapterMain } from '@verihub/adapter-sdk';
import { messagingConfigFromEnv } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import { migrateTaxAdapter, TAX_PROVIDER, startTaxAdapter } from './adapter-tax.app';

void runAdapterMain('adapter-tax', process.argv, () => {
  const group = adapterGroupId(TAX_PROVIDER);
  const options = {
    databaseUrl: databaseUrlFromEnv(process.env),
    messaging: messagingConfigFromEnv(process.env, { clientId: group, groupId: group }),
  };
  return { migrate: () => migrateTaxAdapter(options), start: () => startTaxAdapter(options) };
});
