/**
 * `node dist/apps/adapter-public-security/main.js migrate` applies the migrations and exits; without a command it starts the adapter.
 * Environment: DATABASE_URL, VERIHUB_TRANSPORT (kafka | in-process), KAFKA_BROKERS,
 * VERIHUB_QUERY_VERIFY_KEY, VERIHUB_ANSWER_SIGNING_KEY, VERIHUB_IDENTITY_HASH_KEY (see `npm run verihub -- keys generate`).
 */
import 'reflect-metadata';
import { adapterGroupId, adapterKeysFromEnv, runAdapterMain } from '@verihub/adapter-sdk';
import { messagingConfigFromEnv } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import { migratePublicSecurityAdapter, PUBLIC_SECURITY_PROVIDER, startPublicSecurityAdapter } from './adapter-public-security.app';

void runAdapterMain('adapter-public-security', process.argv, () => {
  const group = adapterGroupId(PUBLIC_SECURITY_PROVIDER);
  const options = {
    databaseUrl: databaseUrlFromEnv(process.env),
    messaging: messagingConfigFromEnv(process.env, { clientId: group, groupId: group }),
  };
  return {
    migrate: () => migratePublicSecurityAdapter(options),
    // The keys are read only to start (migrating needs none).
    start: () => startPublicSecurityAdapter({ ...options, ...adapterKeysFromEnv(process.env, PUBLIC_SECURITY_PROVIDER) }),
  };
});
