/**
 * `node dist/apps/adapter-housing/main.js migrate` applies the migrations and exits; without a command it starts the adapter.
 * Environment: DATABASE_URL, VERIHUB_TRANSPORT (kafka | in-process), KAFKA_BROKERS.
 */
import 'reflect-metadata';
import { adapterGroupId, runAdapterMain } from '@verihub/adapter-sdk';
import { messagingConfigFromEnv } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import { migrateHousingAdapter, HOUSING_PROVIDER, startHousingAdapter } from './adapter-housing.app';

void runAdapterMain('adapter-housing', process.argv, () => {
  const group = adapterGroupId(HOUSING_PROVIDER);
  const options = {
    databaseUrl: databaseUrlFromEnv(process.env),
    messaging: messagingConfigFromEnv(process.env, { clientId: group, groupId: group }),
  };
  return { migrate: () => migrateHousingAdapter(options), start: () => startHousingAdapter(options) };
});
