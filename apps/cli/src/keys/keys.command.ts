/**
 * `verihub keys generate [--banks ICBC,CCB]`: prints a fresh set of consent keys as env lines, for a
 * distributed deployment (scripts/distributed/up.sh writes them to .verihub-distributed/keys.env; a
 * Kubernetes deployment puts them in its Secret). Each process takes only its own lines:
 * - aggregator: VERIHUB_QUERY_SIGNING_KEY, VERIHUB_PROVIDER_KEYS, VERIHUB_IDENTITY_HASH_KEY, VERIHUB_DATA_ENCRYPTION_KEY;
 * - each adapter: VERIHUB_QUERY_VERIFY_KEY, its VERIHUB_ANSWER_SIGNING_KEY (printed per provider as
 *   VERIHUB_ANSWER_SIGNING_KEY_<PROVIDER>, which the adapter also reads), VERIHUB_IDENTITY_HASH_KEY;
 * - gateway and audit service: VERIHUB_IDENTITY_HASH_KEY.
 * The single-process hub needs none of this: it keeps its keys in the data directory.
 */
import { randomBytes } from 'crypto';
import type { Command } from 'commander';
import { answerSigningKeyVariable } from '@verihub/adapter-sdk';
import { generateSigningKeyPair, parseBankCodes, providerRegistry } from '@verihub/domain';
import type { CliOutput } from '../data/cli-output';

export interface KeysCommandDeps {
  output: CliOutput;
  /** VERIHUB_BANKS: the banks to make keys for when --banks is not given. */
  bankCodes: string[];
}

/** The env lines of a fresh key set for these providers (private keys included: keep the output secret). */
export function generateKeysEnv(providers: readonly string[], now: Date = new Date()): string[] {
  const query = generateSigningKeyPair();
  const answerKeys = providers.map((provider) => ({ provider, pair: generateSigningKeyPair() }));
  const providerKeys = Object.fromEntries(answerKeys.map(({ provider, pair }) => [provider, pair.publicKey]));
  return [
    `# verihub consent keys, generated ${now.toISOString()} — secret: keep this file readable by its owner only.`,
    `# The aggregator signs each request's query token (key id ${query.keyId}); every adapter verifies it.`,
    `VERIHUB_QUERY_SIGNING_KEY=${query.privateKey}`,
    `VERIHUB_QUERY_VERIFY_KEY=${query.publicKey}`,
    '# Each adapter signs its answers with its own key (as VERIHUB_ANSWER_SIGNING_KEY, or under this name).',
    ...answerKeys.map(({ provider, pair }) => `${answerSigningKeyVariable(provider)}=${pair.privateKey}`),
    '# The aggregator checks each provider’s answers against its public key.',
    `VERIHUB_PROVIDER_KEYS='${JSON.stringify(providerKeys)}'`,
    '# Keyed hash of identity numbers (query tokens, audit log): the same in every service.',
    `VERIHUB_IDENTITY_HASH_KEY=${randomBytes(32).toString('base64url')}`,
    '# The aggregator encrypts the personal data it stores with this key (AES-256-GCM); the aggregator only.',
    `VERIHUB_DATA_ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`,
  ];
}

export function registerKeysCommands(program: Command, deps: KeysCommandDeps): Command {
  const keys = program.command('keys').description('consent keys: query tokens, answer signatures, identity hashing');
  keys
    .command('generate')
    .description('print a fresh key set as env lines (aggregator, every adapter, identity hash key)')
    .option('--banks <codes>', 'bank codes to make adapter keys for (default: VERIHUB_BANKS)')
    .action((opts: { banks?: string }) => {
      const banks = opts.banks !== undefined ? parseBankCodes(opts.banks) : deps.bankCodes;
      for (const line of generateKeysEnv(providerRegistry(banks).map((p) => p.id))) deps.output.info(line);
    });
  return keys;
}
