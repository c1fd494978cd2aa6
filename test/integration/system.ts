/**
 * The distributed system under test: every app its own process from dist/, on real Kafka and a fresh
 * PostgreSQL database. Each process's output goes to test-results/integration-logs/ (the privacy test
 * reads them all). Stopping is a real signal: SIGTERM for a clean stop, SIGKILL for a crash.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import { createWriteStream, existsSync, mkdirSync, WriteStream } from 'fs';
import { createServer } from 'net';
import { join, resolve } from 'path';
import { generateSigningKeyPair, providerRegistry, type SigningKeyPair } from '@verihub/domain';
import { createTestDatabase, TestDatabase } from '../medium/test-database';

export const ROOT = resolve(__dirname, '../..');
export const LOG_DIR = join(ROOT, 'test-results', 'integration-logs');

export interface AppSpec {
  /** Unique name of the process, e.g. "adapter-bank-icbc". */
  name: string;
  /** dist/apps/<app>/main.js */
  app: string;
  env?: Record<string, string>;
}

interface RunningProcess {
  spec: AppSpec;
  child: ChildProcess;
  log: WriteStream;
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

export function distMain(app: string): string {
  const main = join(ROOT, 'dist', 'apps', app, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` before the integration tests`);
  return main;
}

export class DistributedSystem {
  readonly banks = ['ICBC', 'CCB'];
  readonly jwtSecret = randomBytes(32).toString('hex');
  readonly adminPassword = `admin-${randomBytes(8).toString('hex')}`;
  readonly runId = randomBytes(4).toString('hex');
  /** Consent keys of this run: the aggregator's query-token pair, each provider's answer-signing pair, the hash key. */
  readonly keys = {
    query: generateSigningKeyPair(),
    providers: new Map<string, SigningKeyPair>(providerRegistry(this.banks).map((p) => [p.id, generateSigningKeyPair()])),
    identityHashKey: randomBytes(32).toString('base64url'),
    dataEncryptionKey: randomBytes(32).toString('base64'),
  };
  database!: TestDatabase;
  gatewayUrl = '';
  auditPort = 0;
  private readonly processes = new Map<string, RunningProcess>();
  private baseEnv: Record<string, string> = {};

  constructor(private readonly options: { providerDeadlineMs: number; gatewayEnv?: Record<string, string> }) {}

  get specs(): AppSpec[] {
    return [
      { name: 'adapter-public-security', app: 'adapter-public-security', env: this.adapterKeyEnv('public-security') },
      { name: 'adapter-tax', app: 'adapter-tax', env: this.adapterKeyEnv('tax') },
      { name: 'adapter-housing', app: 'adapter-housing', env: this.adapterKeyEnv('housing') },
      { name: 'adapter-provident-fund', app: 'adapter-provident-fund', env: this.adapterKeyEnv('provident-fund') },
      ...this.banks.map((code) => ({
        name: `adapter-bank-${code.toLowerCase()}`,
        app: 'adapter-bank',
        env: { BANK_CODE: code, ...this.adapterKeyEnv(`bank:${code}`) },
      })),
      {
        name: 'aggregator',
        app: 'aggregator',
        env: {
          PROVIDER_DEADLINE_MS: String(this.options.providerDeadlineMs),
          SWEEP_INTERVAL_MS: '500',
          VERIHUB_QUERY_SIGNING_KEY: this.keys.query.privateKey,
          VERIHUB_PROVIDER_KEYS: JSON.stringify(Object.fromEntries([...this.keys.providers].map(([id, pair]) => [id, pair.publicKey]))),
          VERIHUB_DATA_ENCRYPTION_KEY: this.keys.dataEncryptionKey,
        },
      },
      { name: 'audit', app: 'audit', env: { AUDIT_PORT: String(this.auditPort) } },
      {
        name: 'gateway',
        app: 'gateway',
        env: {
          VERIHUB_AUDIT_URL: `http://127.0.0.1:${this.auditPort}`,
          VERIHUB_DATA_ENCRYPTION_KEY: this.keys.dataEncryptionKey,
          ...this.options.gatewayEnv,
        },
      },
    ];
  }

  /** An adapter holds the aggregator's public key and its own signing key only. */
  private adapterKeyEnv(provider: string): Record<string, string> {
    return { VERIHUB_QUERY_VERIFY_KEY: this.keys.query.publicKey, VERIHUB_ANSWER_SIGNING_KEY: this.keys.providers.get(provider)!.privateKey };
  }

  spec(name: string): AppSpec {
    const spec = this.specs.find((s) => s.name === name);
    if (!spec) throw new Error(`no app named ${name}`);
    return spec;
  }

  async setUp(): Promise<void> {
    mkdirSync(LOG_DIR, { recursive: true });
    this.database = await createTestDatabase();
    const port = await freePort();
    this.auditPort = await freePort();
    this.gatewayUrl = `http://127.0.0.1:${port}`;
    this.baseEnv = {
      DATABASE_URL: this.database.url,
      VERIHUB_TRANSPORT: 'kafka',
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      VERIHUB_BANKS: this.banks.join(','),
      VERIHUB_JWT_SECRET: this.jwtSecret,
      // Every service hashes identity numbers with the same key (query tokens, audit).
      VERIHUB_IDENTITY_HASH_KEY: this.keys.identityHashKey,
      VERIHUB_BOOTSTRAP_ADMIN_PASSWORD: this.adminPassword,
      PORT: String(port),
      LOG_LEVEL: 'log',
    };
    for (const spec of this.specs) this.runToCompletion(spec.app, ['migrate'], spec.env);
  }

  /** Runs a one-shot command of an app (migrate) or the CLI, failing loudly with its output. */
  runToCompletion(app: string, args: string[], env: Record<string, string> = {}): string {
    const result = spawnSync(process.execPath, [distMain(app), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...this.baseEnv, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (result.status !== 0) {
      throw new Error(`${app} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    }
    return result.stdout;
  }

  startAll(): void {
    for (const spec of this.specs) this.start(spec.name);
  }

  start(name: string): void {
    if (this.processes.has(name)) throw new Error(`${name} is already running`);
    const spec = this.spec(name);
    const log = createWriteStream(join(LOG_DIR, `${this.runId}-${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [distMain(spec.app)], {
      cwd: ROOT,
      env: { ...process.env, ...this.baseEnv, ...(spec.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    this.processes.set(name, { spec, child, log, exited });
  }

  isRunning(name: string): boolean {
    return this.processes.has(name);
  }

  /** SIGTERM waits for a clean shutdown; SIGKILL is a crash. */
  async stop(name: string, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const running = this.processes.get(name);
    if (!running) return;
    this.processes.delete(name);
    running.child.kill(signal);
    const timer = setTimeout(() => running.child.kill('SIGKILL'), 15_000);
    await running.exited;
    clearTimeout(timer);
    running.log.end();
  }

  async tearDown(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((name) => this.stop(name)));
    await this.database?.drop().catch(() => undefined);
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
