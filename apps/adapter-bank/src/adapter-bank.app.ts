/**
 * The bank adapter (银行: deposits, wealth products, securities, interest): one instance per bank, provider
 * id `bank:<CODE>`, its own consumer group (verihub-adapter-bank-<code>) and state schema
 * (adapter_bank_<code>), over the banks' reference exchange database (schema exchange_bank, every row
 * tagged with its bank code and every lookup filtered by it).
 */
import { type AdapterKeys, adapterMessaging, migrateAdapterState, type RunningAdapter, startAdapter } from '@verihub/adapter-sdk';
import { bankProviderId } from '@verihub/domain';
import { createExchangeDataSource, migrateExchangeDatabase } from '@verihub/exchange';
import type { MessagingConfig } from '@verihub/messaging';

/** The keys: the aggregator's public key, this adapter's signing key, the identity hash key (AdapterKeys). */
export interface BankAdapterOptions extends AdapterKeys {
  /** "ICBC", "CCB", ...: 2-16 letters or digits (case-insensitive). */
  bankCode: string;
  databaseUrl: string;
  messaging: MessagingConfig;
}

/** "icbc" -> "bank:ICBC"; anything that is not a bank code is refused. */
export function bankAdapterProvider(bankCode: string): string {
  const code = bankCode.trim().toUpperCase();
  if (!/^[A-Z0-9]{2,16}$/.test(code)) throw new Error(`"${bankCode}" is not a bank code (2-16 letters or digits, e.g. ICBC)`);
  return bankProviderId(code);
}

/** The banks' exchange schema (shared, migrated under a lock) and this bank's adapter state schema. */
export async function migrateBankAdapter(options: Pick<BankAdapterOptions, 'bankCode' | 'databaseUrl'>): Promise<string[]> {
  const provider = bankAdapterProvider(options.bankCode);
  const exchange = await migrateExchangeDatabase('bank', options.databaseUrl);
  const state = await migrateAdapterState({ provider, databaseUrl: options.databaseUrl });
  return [...exchange, ...state];
}

/** Answers bank:<CODE> requests until close(). */
export function startBankAdapter(options: BankAdapterOptions): Promise<RunningAdapter> {
  const provider = bankAdapterProvider(options.bankCode);
  return startAdapter({
    provider,
    databaseUrl: options.databaseUrl,
    queryVerifyKey: options.queryVerifyKey,
    answerSigningKey: options.answerSigningKey,
    identityHashKey: options.identityHashKey,
    messaging: adapterMessaging(options.messaging, provider),
    dataSource: (db) => createExchangeDataSource(provider, db),
  });
}
