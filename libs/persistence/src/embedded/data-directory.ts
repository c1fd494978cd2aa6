/**
 * The single-process mode's data directory (VERIHUB_DATA_DIR, default `.verihub` at the project root):
 * the embedded PostgreSQL cluster, and the secrets generated on first start (database password, JWT
 * signing secret), readable by the owner only. The hub and the `verihub` CLI both open it here.
 */
import { randomBytes } from 'crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { userInfo } from 'os';
import { generateSigningKeyPair } from '@verihub/domain';
import { isAbsolute, join, resolve } from 'path';
import { EmbeddedDatabase, runningEmbeddedPort, startEmbeddedPostgres, stopOrphanedEmbeddedPostgres } from './embedded-postgres';

export interface DataDirectorySecrets {
  databasePassword: string;
  jwtSecret: string;
  /** Key of the identity numbers' keyed hash (VERIHUB_IDENTITY_HASH_KEY in a distributed deployment). */
  identityHashKey: string;
  /** The aggregator's query-token signing key (base64 PKCS #8 Ed25519); adapters verify with its public half. */
  querySigningKey: string;
  /** Each provider's answer-signing key (base64 PKCS #8 Ed25519), by provider id; the aggregator registers the public halves. */
  providerSigningKeys: Record<string, string>;
  /** The key of the personal data at rest of the aggregator and the gateway (32 bytes, base64; VERIHUB_DATA_ENCRYPTION_KEY). */
  dataEncryptionKey: string;
}

export function resolveDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.VERIHUB_ROOT ?? process.cwd();
  const dir = env.VERIHUB_DATA_DIR ?? '.verihub';
  return isAbsolute(dir) ? dir : resolve(base, dir);
}

export function pgDataDirOf(dataDir: string): string {
  return join(dataDir, 'pg');
}

/**
 * Creates the data directory. As root, PostgreSQL runs as the `postgres` user, which must be able to pass
 * through it to reach pg/ (a directory from mkdtemp is 0700): it gets the traverse bit, not read access.
 */
function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  if (userInfo().uid === 0) {
    const mode = statSync(dataDir).mode & 0o777;
    if ((mode & 0o001) === 0) chmodSync(dataDir, mode | 0o001);
  }
}

/**
 * The data directory's secrets (secrets.json, owner-only), generated on first use. A secrets file written
 * before a secret existed gets it added (identity hash key, query signing key, a signing key for each of
 * `providers` not yet holding one, data encryption key) and is rewritten; secrets already there never change.
 */
export function loadOrCreateSecrets(dataDir: string, providers: readonly string[] = []): DataDirectorySecrets {
  ensureDataDir(dataDir);
  const file = join(dataDir, 'secrets.json');
  const stored: Partial<DataDirectorySecrets> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DataDirectorySecrets>) : {};
  const providerSigningKeys = { ...(stored.providerSigningKeys ?? {}) };
  for (const provider of providers) providerSigningKeys[provider] ??= generateSigningKeyPair().privateKey;
  const secrets: DataDirectorySecrets = {
    ...stored, // secrets this version does not know are kept
    databasePassword: stored.databasePassword ?? randomBytes(18).toString('base64url'),
    jwtSecret: stored.jwtSecret ?? randomBytes(32).toString('base64url'),
    identityHashKey: stored.identityHashKey ?? randomBytes(32).toString('base64url'),
    querySigningKey: stored.querySigningKey ?? generateSigningKeyPair().privateKey,
    providerSigningKeys,
    dataEncryptionKey: stored.dataEncryptionKey ?? randomBytes(32).toString('base64'),
  };
  if (JSON.stringify(secrets) !== JSON.stringify(stored)) {
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return secrets;
}

/** Opens the data directory's database: the running server's when the hub is up, else starts one. */
export async function openDataDirectoryDatabase(
  dataDir: string,
  options: { port?: number; onLog?: (message: string) => void } = {},
): Promise<EmbeddedDatabase & { startedHere: boolean }> {
  const secrets = loadOrCreateSecrets(dataDir);
  const pgDataDir = pgDataDirOf(dataDir);
  const alreadyRunning = runningEmbeddedPort(pgDataDir) !== undefined;
  const db = await startEmbeddedPostgres({ pgDataDir, password: secrets.databasePassword, port: options.port, onLog: options.onLog });
  return { ...db, startedHere: !alreadyRunning };
}

/**
 * The hub's claim on a data directory (hub.pid): one hub per directory. A claim whose process is gone
 * was left by a crash; the database server that hub started is then an orphan, stopped here.
 */
export async function claimDataDirectory(dataDir: string): Promise<{ release(): void }> {
  ensureDataDir(dataDir);
  const file = join(dataDir, 'hub.pid');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new Error(`another verihub (pid ${pid}) is already running on ${dataDir}`);
    }
  }
  await stopOrphanedEmbeddedPostgres(pgDataDirOf(dataDir));
  writeFileSync(file, String(process.pid));
  return {
    release() {
      try {
        if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
      } catch {
        // already gone
      }
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
