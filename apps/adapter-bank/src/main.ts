/**
 * One bank's adapter: `node dist/apps/adapter-bank/main.js migrate` applies the migrations and exits;
 * without a command it starts the adapter.
 * Environment: BANK_CODE (required: ICBC, CCB, ...), DATABASE_URL, VERIHUB_TRANSPORT (kafka | in-process), KAFKA_BROKERS,
 * VERIHUB_QUERY_VERIFY_KEY, VERIHUB_ANSWER_SIGNING_KEY, VERIHUB_IDENTITY_HASH_KEY (see `npm run verihub -- keys generate`).
 */
import 'reflect-metadata';
import { adapterGroupId, adapterKeysFromEnv, runAdapterMain } from '@verihub/adapter-sdk';
import { messagingConfigFromEnv } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import { bankAdapterProvider, migrateBankAdapter, startBankAdapter } from './adapter-bank.app';

void runAdapterMain('adapter-bank', process.argv, () => {
  const bankCode = process.env.BANK_CODE;
  if (bankCode === undefined || bankCode.trim() === '') throw new Error('BANK_CODE is required (the bank this instance answers for, e.g. ICBC)');
  const group = adapterGroupId(bankAdapterProvider(bankCode));
  const options = {
    bankCode,
    databaseUrl: databaseUrlFromEnv(process.env),
    messaging: messagingConfigFromEnv(process.env, { clientId: group, groupId: group }),
  };
  return {
    migrate: () => migrateBankAdapter(options),
    // The keys are read only to start (migrating needs none).
    start: () => startBankAdapter({ ...options, ...adapterKeysFromEnv(process.env, bankAdapterProvider(bankCode)) }),
  };
});
