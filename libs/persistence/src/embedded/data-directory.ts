/**
 * The single-process mode's data directory (VERIHUB_DATA_DIR, default `.verihub` at the project root):
 * the embedded PostgreSQL cluster, and the secrets generated on first start (database password, JWT
 * signing secret), readable by the owner only. The hub and the `verihub` CLI both open it here.
 */
import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { isAbsolute, join, resolve } from 'path';
import { EmbeddedDatabase, runningEmbeddedPort, startEmbeddedPostgres } from './embedded-postgres';

export interface DataDirectorySecrets {
  databasePassword: string;
  jwtSecret: string;
}

export function resolveDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.VERIHUB_ROOT ?? process.cwd();
  const dir = env.VERIHUB_DATA_DIR ?? '.verihub';
  return isAbsolute(dir) ? dir : resolve(base, dir);
}

export function pgDataDirOf(dataDir: string): string {
  return join(dataDir, 'pg');
}

export function loadOrCreateSecrets(dataDir: string): DataDirectorySecrets {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DataDirectorySecrets;
  const secrets: DataDirectorySecrets = {
    databasePassword: randomBytes(18).toString('base64url'),
    jwtSecret: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
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
