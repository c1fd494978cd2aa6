/** The adapter's keys from its environment (for an adapter's main.ts; startAdapter itself never reads env). */
import { providerSlug } from '@verihub/contracts';
import type { AdapterKeys } from './adapter-options';

/** "tax" -> VERIHUB_ANSWER_SIGNING_KEY_TAX, "bank:ICBC" -> VERIHUB_ANSWER_SIGNING_KEY_BANK_ICBC (as `keys generate` names them). */
export function answerSigningKeyVariable(provider: string): string {
  return `VERIHUB_ANSWER_SIGNING_KEY_${providerSlug(provider).replace(/-/g, '_').toUpperCase()}`;
}

/**
 * VERIHUB_QUERY_VERIFY_KEY (the aggregator's public key), VERIHUB_ANSWER_SIGNING_KEY (this adapter's private
 * key; when unset, the provider's own VERIHUB_ANSWER_SIGNING_KEY_<PROVIDER> as `keys generate` prints it,
 * so one env file can serve every adapter) and VERIHUB_IDENTITY_HASH_KEY: all required.
 */
export function adapterKeysFromEnv(env: NodeJS.ProcessEnv, provider: string): AdapterKeys {
  const hint = '(generate keys with `npm run verihub -- keys generate`)';
  const value = (name: string): string | undefined => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const queryVerifyKey = value('VERIHUB_QUERY_VERIFY_KEY');
  if (!queryVerifyKey) throw new Error(`VERIHUB_QUERY_VERIFY_KEY is required ${hint}`);
  const answerSigningKey = value('VERIHUB_ANSWER_SIGNING_KEY') ?? value(answerSigningKeyVariable(provider));
  if (!answerSigningKey) throw new Error(`VERIHUB_ANSWER_SIGNING_KEY (or ${answerSigningKeyVariable(provider)}) is required ${hint}`);
  // Not trimmed: every service must hash with exactly the same key (the audit service reads it as is).
  const identityHashKey = env.VERIHUB_IDENTITY_HASH_KEY;
  if (!identityHashKey) throw new Error(`VERIHUB_IDENTITY_HASH_KEY is required ${hint}`);
  return { queryVerifyKey, answerSigningKey, identityHashKey };
}
