import * as argon2 from 'argon2';
import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'crypto';

/**
 * Passwords are stored as argon2id PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), with the
 * OWASP Password Storage Cheat Sheet's baseline parameters: 19 MiB, 2 passes, 1 lane (~90 ms here).
 * Hashes written before issue 4 are scrypt (`scrypt$N$r$p$<salt base64>$<hash base64>`): they still verify,
 * and `needsRehash` tells the sign-in to replace them (and argon2 hashes with older parameters) with a fresh one.
 * Neither a password nor a hash is ever logged.
 * The `argon2` package is pinned to 0.44.0: the linux-x64 prebuilt binary of 0.45.x does not load on Node 20
 * (it crashes in napi_module_register), so its install script compiles from source, which needs a C++
 * toolchain that the Docker image has not; 0.44.0's prebuilt binary loads and nothing is compiled.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const normalize = (password: string): string => password.normalize('NFC');

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(normalize(password), ARGON2_OPTIONS);
}

export type HashFormat = 'argon2id' | 'scrypt' | 'unknown';

export function hashFormatOf(stored: string): HashFormat {
  if (stored.startsWith('$argon2id$')) return 'argon2id';
  if (stored.startsWith('scrypt$')) return 'scrypt';
  return 'unknown';
}

/** Constant-time for the format; false for a hash in an unknown or broken format. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  switch (hashFormatOf(stored)) {
    case 'argon2id':
      try {
        return await argon2.verify(stored, normalize(password));
      } catch {
        return false;
      }
    case 'scrypt':
      return verifyScrypt(password, stored);
    default:
      return false;
  }
}

/** True for a legacy scrypt hash, or an argon2 hash with other parameters than ARGON2_OPTIONS. */
export function needsRehash(stored: string): boolean {
  if (hashFormatOf(stored) !== 'argon2id') return true;
  try {
    return argon2.needsRehash(stored, ARGON2_OPTIONS);
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of a real check when there is no account to check against (unknown or deactivated
 * username), so that timing does not tell which usernames exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummyHash);
  return false;
}

// ---- legacy scrypt (read only) ----

function deriveScrypt(password: string, salt: Buffer, params: ScryptOptions, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(normalize(password), salt, keyLength, { ...params, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6) return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (![N, r, p].every(Number.isInteger) || expected.length === 0 || N > 1 << 20) return false;
  try {
    const actual = await deriveScrypt(password, salt, { N, r, p }, expected.length);
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

/** Writes a legacy scrypt hash: only for tests that prove old accounts still sign in. */
export async function legacyScryptHashForTests(password: string): Promise<string> {
  const params = { N: 16384, r: 8, p: 1 };
  const salt = randomBytes(16);
  const key = await deriveScrypt(password, salt, params, 64);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}
