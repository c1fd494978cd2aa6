import { BatchSettings, type BatchOptions } from './batches/batch-settings';
/**
 * The gateway's bootstrap contract: `migrateGateway` runs its schema's migrations (an explicit step, never at
 * boot); `startGateway` builds the HTTP API plus the message server from options only (never process.env) and
 * returns a handle. The single-process hub and `main.ts` both go through here.
 */
import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'net';
import { AUDIT_EVENT_TOPICS, Topics, bothLanes } from '@verihub/contracts';
import { MIN_IDENTITY_HASH_KEY_BYTES } from '@verihub/domain';
import { createMessageServer, ensureTopics, MessageFailureInterceptor, type MessagingConfig } from '@verihub/messaging';
import { DataSource } from 'typeorm';
import { migrateServiceDatabase } from '@verihub/persistence';
import { checkRateLimits, DEFAULT_RATE_LIMITS, type RateLimitOptions } from './auth/rate-limit.options';
import { DEFAULT_SIGN_IN_LOCKOUT, type SignInLockoutOptions } from './auth/sign-in-lockout';
import { checkGatewayDataKey } from './database/data-key-check';
import { GATEWAY_SCHEMA, gatewayDataSourceOptions } from './database/gateway-database';
import { gatewayDataCipherOf, type GatewayDataKeys } from './database/gateway-data-keys';
import { useGatewayDataCipher } from './database/sealed-columns';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { GatewayModule } from './gateway.module';
import { bodyErrors } from './http/body-errors.middleware';
import { serveConsole } from './http/console-static';
import { requestLogging } from './http/request-logging.middleware';
import { createValidationPipe } from './http/validation';
import { setupOpenApi } from './openapi/openapi';
import { SeedDemoPolicyUseCase } from './policies/seed-demo-policy.use-case';
import { SeedAccountsUseCase } from './users/seed-accounts.use-case';

export { DEMO_ACCOUNTS, BOOTSTRAP_ADMIN } from './users/seed-accounts.use-case';
export { DEMO_POLICY } from './policies/demo-policy';

export const MIN_JWT_SECRET_LENGTH = 32;
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
export const DEFAULT_AUDIT_TIMEOUT_MS = 30_000;
/** Topics the gateway publishes or consumes (ensureTopics adds the dead-letter topic). */
export const GATEWAY_TOPICS = [
  ...[Topics.verificationRequested, Topics.verificationUpdated].flatMap(bothLanes),
  ...AUDIT_EVENT_TOPICS,
  Topics.authorizationRevoked,
];

export interface GatewayOptions {
  databaseUrl: string;
  messaging: MessagingConfig;
  /** 0 picks a free port (see RunningGateway.url). */
  port: number;
  /** Interface to listen on; default all. */
  host?: string;
  /** HS256 signing secret, at least 32 characters. */
  jwtSecret: string;
  /** Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Lockout after failed sign-ins; default 5 failures, 900 s (VERIHUB_LOGIN_MAX_FAILURES, VERIHUB_LOGIN_LOCK_MINUTES). */
  signInLockout?: Partial<SignInLockoutOptions>;
  /** Request rate limits; default 10 sign-ins per IP and 600 requests per user, per 60 s (0 turns one off). */
  rateLimits?: Partial<RateLimitOptions>;
  /** Batch limits and back-pressure (VERIHUB_BATCH_*); defaults in batches/batch-settings.ts. */
  batches?: Partial<BatchOptions>;
  /** express "trust proxy" (VERIHUB_TRUST_PROXY): set behind a reverse proxy, so that the per-IP limit sees clients. */
  trustProxy?: boolean | number | string;
  /** Single-process mode only: create (or reset to this password) officer, reviewer, auditor and admin. */
  demoAccounts?: { password: string };
  /** Single-process mode: seed the demo policies (500115 dibao and housing), each when its region and programme have none. */
  demoPolicy?: boolean;
  /** Distributed mode: create `admin` with this password when no administrator exists yet. */
  bootstrapAdminPassword?: string;
  /** A built console to serve at `/`. */
  staticDir?: string;
  /** Bank adapter instances a verification waits for (VERIHUB_BANKS). */
  bankCodes: string[];
  /**
   * Key of the identity numbers' keyed hash in audit events (VERIHUB_IDENTITY_HASH_KEY), at least 32 bytes:
   * the audit service must use the same key, so that the audit office can search by person.
   */
  identityHashKey: string | Buffer;
  /** VERIHUB_DATA_ENCRYPTION_KEY: seals the read model's personal data at rest (database/sealed-columns.ts). */
  dataEncryptionKey: string;
  /** VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS: earlier keys, which only open what they sealed. */
  previousDataEncryptionKeys?: string[];
  /**
   * Base URL of the audit service's auditor API (VERIHUB_AUDIT_URL, e.g. http://127.0.0.1:3001): the gateway
   * forwards /api/v1/audit/… (except openings) there. Unset: those routes answer 503 audit-service-not-configured.
   */
  auditUrl?: string;
  /** How long a forwarded audit request may wait for the audit service's response headers; default 30 s. */
  auditTimeoutMs?: number;
  /** A logger, Nest log levels, or false for none (tests). Default: Nest's default logger. */
  logger?: LoggerService | LogLevel[] | false;
}

export interface RunningGateway {
  /** e.g. http://localhost:3000 (the actual port when options.port was 0). */
  url: string;
  port: number;
  /** Seeds the demo policies (500115 dibao and housing), each when its region and programme have none; true when it created any. */
  seedDemoPolicy(): Promise<boolean>;
  close(): Promise<void>;
}

/** With the data keys, rows written before encryption at rest are sealed (they are required when there are any). */
export async function migrateGateway(options: { databaseUrl: string } & Partial<GatewayDataKeys>): Promise<string[]> {
  if (options.dataEncryptionKey) useGatewayDataCipher(gatewayDataCipherOf({ dataEncryptionKey: options.dataEncryptionKey, previousDataEncryptionKeys: options.previousDataEncryptionKeys }));
  const dataSource = new DataSource(gatewayDataSourceOptions(options.databaseUrl, 2));
  try {
    return await migrateServiceDatabase(dataSource, GATEWAY_SCHEMA);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

function checkOptions(options: GatewayOptions): void {
  if (typeof options.jwtSecret !== 'string' || options.jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    throw new Error(`gateway: jwtSecret must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`gateway: port ${options.port} is not a TCP port`);
  }
  if (options.demoAccounts && options.demoAccounts.password.length === 0) throw new Error('gateway: the demo password is empty');
  const lifetime = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime <= 0) throw new Error('gateway: tokenLifetimeSeconds must be a positive integer');
  const lockout = signInLockoutOf(options);
  if (!Number.isInteger(lockout.maxFailures) || lockout.maxFailures < 1) throw new Error('gateway: signInLockout.maxFailures must be a whole number ≥ 1');
  if (!(lockout.lockSeconds > 0)) throw new Error('gateway: signInLockout.lockSeconds must be > 0');
  checkRateLimits(rateLimitsOf(options));
  identityHashKeyOf(options);
  if (options.auditUrl !== undefined) auditUrlOf(options.auditUrl);
  if (options.auditTimeoutMs !== undefined && !(Number.isInteger(options.auditTimeoutMs) && options.auditTimeoutMs > 0)) {
    throw new Error('gateway: auditTimeoutMs must be a positive whole number of milliseconds');
  }
}

function identityHashKeyOf(options: GatewayOptions): Buffer {
  const key = typeof options.identityHashKey === 'string' ? Buffer.from(options.identityHashKey, 'utf8') : options.identityHashKey;
  if (!Buffer.isBuffer(key) || key.length < MIN_IDENTITY_HASH_KEY_BYTES) {
    throw new Error(`gateway: identityHashKey must be at least ${MIN_IDENTITY_HASH_KEY_BYTES} bytes`);
  }
  return key;
}

/** The audit service's base URL (http or https, no query), without a trailing slash. */
export function auditUrlOf(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('gateway: auditUrl must be an http(s) URL such as http://127.0.0.1:3001');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new Error('gateway: auditUrl must be an http(s) URL such as http://127.0.0.1:3001 (no query, fragment or credentials)');
  }
  return url;
}

function signInLockoutOf(options: GatewayOptions): SignInLockoutOptions {
  return { ...DEFAULT_SIGN_IN_LOCKOUT, ...options.signInLockout };
}

function rateLimitsOf(options: GatewayOptions): RateLimitOptions {
  return { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  checkOptions(options);
  const dataCipher = gatewayDataCipherOf(options);
  useGatewayDataCipher(dataCipher);
  const logger = new Logger('Gateway');
  const app = await NestFactory.create<NestExpressApplication>(
    GatewayModule.forRoot({
      databaseUrl: options.databaseUrl,
      messaging: options.messaging,
      jwtSecret: options.jwtSecret,
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
      signInLockout: signInLockoutOf(options),
      rateLimits: rateLimitsOf(options),
      batches: new BatchSettings(options.batches),
      bankCodes: options.bankCodes,
      identityHashKey: identityHashKeyOf(options),
      audit: { url: options.auditUrl ? auditUrlOf(options.auditUrl) : undefined, timeoutMs: options.auditTimeoutMs ?? DEFAULT_AUDIT_TIMEOUT_MS },
    }),
    { bodyParser: false, abortOnError: false, ...(options.logger !== undefined ? { logger: options.logger } : {}) },
  );
  try {
    app.disable('x-powered-by');
    if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
    app.use(requestLogging);
    // Answers are JSON (or a PDF): a browser must not sniff one into HTML and run text a request put in it.
    app.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      next();
    });
    app.useBodyParser('json', { limit: '1mb', type: ['application/json', 'application/*+json'] });
    app.use(bodyErrors);
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());
    setupOpenApi(app);
    if (options.staticDir) serveConsole(app, options.staticDir);

    // The message handlers run without the HTTP pipes, guards and filters: they validate what they decode.
    // Their own interceptor keeps a handler's real error for the dead-letter reason (Nest would say
    // "Internal server error"); the HTTP filters and pipes are not inherited.
    app.connectMicroservice({ strategy: createMessageServer(options.messaging) }).useGlobalInterceptors(new MessageFailureInterceptor());
    await ensureTopics(options.messaging, GATEWAY_TOPICS);
    await app.init();
    await checkGatewayDataKey(app.get(DataSource), dataCipher);

    const accounts = app.get(SeedAccountsUseCase);
    if (options.demoAccounts) await accounts.seedDemoAccounts(options.demoAccounts.password);
    if (options.bootstrapAdminPassword) await accounts.bootstrapAdmin(options.bootstrapAdminPassword);
    const seedDemoPolicy = (): Promise<boolean> => app.get(SeedDemoPolicyUseCase).execute();
    if (options.demoPolicy) await seedDemoPolicy();

    await app.startAllMicroservices();
    // Idle keep-alive connections outlive the clients' own idle timeouts (undici 4 s, proxies 60 s), so a
    // client never reuses a socket at the instant the server closes it ("other side closed").
    const server = app.getHttpServer() as import('http').Server;
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    if (options.host) await app.listen(options.port, options.host);
    else await app.listen(options.port);
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const shownHost = options.host && !['0.0.0.0', '::'].includes(options.host) ? options.host : 'localhost';
    const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    logger.log(`gateway listening on ${url} (docs ${url}/api/docs)`);

    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      seedDemoPolicy,
      close: () => (closing ??= app.close()),
    };
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
}
