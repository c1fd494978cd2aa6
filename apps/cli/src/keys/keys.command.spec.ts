import { Command } from 'commander';
import { keysById, parsePrivateKey, parsePublicKey, publicKeyOf, signAnswer, verifyAnswerSignature } from '@verihub/domain';
import { adapterKeysFromEnv } from '@verihub/adapter-sdk';
import { registerKeysCommands } from './keys.command';

/** Runs `keys generate` and reads its output as an env file (as a shell's `source` would). */
async function generate(args: string[] = [], bankCodes = ['ICBC', 'CCB']): Promise<Record<string, string>> {
  const lines: string[] = [];
  const program = new Command('verihub').exitOverride();
  registerKeysCommands(program, { output: { info: (l) => lines.push(l), error: (l) => lines.push(l) }, bankCodes });
  await program.parseAsync(['node', 'verihub', 'keys', 'generate', ...args]);
  const env: Record<string, string> = {};
  for (const line of lines.filter((l) => !l.startsWith('#'))) {
    const [, name, value] = /^([A-Z0-9_]+)=(.*)$/.exec(line)!;
    env[name] = value.replace(/^'(.*)'$/, '$1');
  }
  return env;
}

describe('verihub keys generate', () => {
  it('prints a matching set: the aggregator pair, one signing key per provider with its public key registered, a hash key', async () => {
    const env = await generate();
    expect(publicKeyOf(parsePrivateKey(env.VERIHUB_QUERY_SIGNING_KEY))).toBe(env.VERIHUB_QUERY_VERIFY_KEY);
    const providerKeys = JSON.parse(env.VERIHUB_PROVIDER_KEYS) as Record<string, string>;
    expect(Object.keys(providerKeys)).toEqual(['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC', 'bank:CCB']);
    for (const [provider, publicKey] of Object.entries(providerKeys)) {
      // What the adapter of that provider reads from the same env file.
      const keys = adapterKeysFromEnv(env, provider);
      const signature = signAnswer(Buffer.from('answer'), parsePrivateKey(keys.answerSigningKey));
      expect(verifyAnswerSignature(Buffer.from('answer'), signature, keysById([parsePublicKey(publicKey)])).ok).toBe(true);
    }
    expect(env.VERIHUB_ANSWER_SIGNING_KEY_BANK_ICBC).toBeDefined();
    expect(env.VERIHUB_ANSWER_SIGNING_KEY_PUBLIC_SECURITY).toBeDefined();
    expect(env.VERIHUB_IDENTITY_HASH_KEY.length).toBeGreaterThanOrEqual(32);
    // The aggregator's data key: 32 bytes, base64.
    expect(env.VERIHUB_DATA_ENCRYPTION_KEY).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(env.VERIHUB_DATA_ENCRYPTION_KEY, 'base64')).toHaveLength(32);
  });

  it('makes keys for the banks given, and fresh keys each time', async () => {
    const env = await generate(['--banks', 'boc']);
    expect(Object.keys(JSON.parse(env.VERIHUB_PROVIDER_KEYS))).toContain('bank:BOC');
    expect(env.VERIHUB_ANSWER_SIGNING_KEY_BANK_ICBC).toBeUndefined();
    expect((await generate()).VERIHUB_QUERY_SIGNING_KEY).not.toBe(env.VERIHUB_QUERY_SIGNING_KEY);
  });
});
