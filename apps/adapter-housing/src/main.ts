/**
 * `node dist/apps/adapter-housing/main.js migrate` applies the migrations and exits; without a command it starts the adapter.
 * Environment: DATABASE_URL, VERIHUB_TRANSPORT (kafka | in-process), KAFKA_BROKERS,
 * VERIHUB_QUERY_VERIFY_KEY, VERIHUB_ANSWER_SIGNING_KEY, VERIHUB_IDENTITY_HASH_KEY (see `npm run verihub -- keys generate`).
 */
import 'reflect-metadata';
import { adapterGroupId, adapterKeysFromEnv, runAdapterMain } from '@verihub/adapter-sdk';
import { messagingConfigFromEnv } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import { migrateHousingAdapter, HOUSING_PROVIDER, startHousingAdapter } from './adapter-housing.app';

void runAdapterMain('adapter-housing', process.argv, () => {
  const group = adapterGroupId(HOUSING_PROVIDER);
  const options = {
    databaseUrl: databaseUrlFromEnv(process.env),
    messaging: messagingConfigFromEnv(process.env, { clientId: group, groupId: group }),
  };
  return {
    migrate: () => migrateHousingAdapter(options),
    // The keys are read only to start (migrating needs none).
    start: () => startHousingAdapter({ ...options, ...adapterKeysFromEnv(process.env, HOUSING_PROVIDER) }),
  };
});
