import type { BatchOptions } from './batches/batch-settings';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MinLength, validateSync } from 'class-validator';
import { MIN_IDENTITY_HASH_KEY_BYTES, parseBankCodes } from '@verihub/domain';
import { messagingConfigFromEnv, type MessagingConfig } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import type { RateLimitOptions } from './auth/rate-limit.options';
import type { SignInLockoutOptions } from './auth/sign-in-lockout';
import { gatewayDataKeysFromEnv, type GatewayDataKeys } from './database/gateway-data-keys';
import { MIN_JWT_SECRET_LENGTH } from './gateway.app';
import { MIN_PASSWORD_LENGTH } from './users/user.dto';

/** What `main.js migrate` needs. */
export class GatewayMigrateEnvDto {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;
}

/** The gateway's environment, checked at start-up (as immich's EnvDto): a bad value stops the process. */
export class GatewayEnvDto extends GatewayMigrateEnvDto {
  @IsOptional()
  @Matches(/^\d{1,5}$/, { message: 'PORT must be a TCP port number' })
  PORT?: string;

  @IsOptional()
  @IsIn(['kafka', 'in-process'], { message: 'VERIHUB_TRANSPORT must be "kafka" or "in-process"' })
  VERIHUB_TRANSPORT?: string;

  @IsOptional()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS?: string;

  @IsString({ message: 'VERIHUB_JWT_SECRET is required (the token signing secret; e.g. `openssl rand -base64 48`)' })
  @IsNotEmpty({ message: 'VERIHUB_JWT_SECRET is required' })
  @MinLength(MIN_JWT_SECRET_LENGTH, { message: `VERIHUB_JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters` })
  VERIHUB_JWT_SECRET!: string;

  @IsOptional()
  @Matches(/^\d+$/, { message: 'VERIHUB_TOKEN_TTL_SECONDS must be a whole number of seconds' })
  VERIHUB_TOKEN_TTL_SECONDS?: string;

  @IsOptional()
  @IsString()
  VERIHUB_BANKS?: string;

  @IsOptional()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `VERIHUB_BOOTSTRAP_ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters` })
  VERIHUB_BOOTSTRAP_ADMIN_PASSWORD?: string;

  @IsOptional()
  @IsString()
  VERIHUB_STATIC_DIR?: string;

  @IsOptional()
  @Matches(/^[1-9]\d{0,3}$/, { message: 'VERIHUB_LOGIN_MAX_FAILURES must be a whole number from 1 to 9999' })
  VERIHUB_LOGIN_MAX_FAILURES?: string;

  @IsOptional()
  @Matches(/^[1-9]\d{0,4}$/, { message: 'VERIHUB_LOGIN_LOCK_MINUTES must be a whole number of minutes ≥ 1' })
  VERIHUB_LOGIN_LOCK_MINUTES?: string;

  @IsOptional()
  @Matches(/^\d{1,7}$/, { message: 'VERIHUB_RATE_LIMIT_LOGIN must be a whole number (0 = no limit)' })
  VERIHUB_RATE_LIMIT_LOGIN?: string;

  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'VERIHUB_RATE_LIMIT_API must be a whole number (0 = no limit)' })
  VERIHUB_RATE_LIMIT_API?: string;

  @IsOptional()
  @Matches(/^[1-9]\d{0,5}$/, { message: 'VERIHUB_RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds ≥ 1' })
  VERIHUB_RATE_LIMIT_WINDOW_SECONDS?: string;

  @IsOptional()
  @Matches(/^[1-9]\d{0,6}$/, { message: 'VERIHUB_BATCH_IN_FLIGHT must be a whole number ≥ 1' })
  VERIHUB_BATCH_IN_FLIGHT?: string;

  @IsOptional()
  @Matches(/^[1-9]\d{0,2}$/, { message: 'VERIHUB_BATCH_SUBMIT_CONCURRENCY must be a whole number from 1 to 999' })
  VERIHUB_BATCH_SUBMIT_CONCURRENCY?: string;

  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/, { message: 'VERIHUB_BATCH_MAX_HOUSEHOLDS must be a whole number ≥ 1' })
  VERIHUB_BATCH_MAX_HOUSEHOLDS?: string;

  @IsOptional()
  @Matches(/^[1-9]\d{0,12}$/, { message: 'VERIHUB_BATCH_MAX_BYTES must be a whole number of bytes ≥ 1' })
  VERIHUB_BATCH_MAX_BYTES?: string;

  @IsString({ message: 'VERIHUB_IDENTITY_HASH_KEY is required (the key of identity numbers\' keyed hashes in audit events; the audit service uses the same)' })
  @IsNotEmpty({ message: 'VERIHUB_IDENTITY_HASH_KEY is required' })
  @MinLength(MIN_IDENTITY_HASH_KEY_BYTES, { message: `VERIHUB_IDENTITY_HASH_KEY must be at least ${MIN_IDENTITY_HASH_KEY_BYTES} characters` })
  VERIHUB_IDENTITY_HASH_KEY!: string;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s?#]+$/, { message: 'VERIHUB_AUDIT_URL must be an http(s) URL such as http://127.0.0.1:3001' })
  VERIHUB_AUDIT_URL?: string;

  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|[A-Za-z0-9.:/,\s-]+)$/, {
    message: 'VERIHUB_TRUST_PROXY must be true, false, a hop count, or addresses/subnets (express "trust proxy")',
  })
  VERIHUB_TRUST_PROXY?: string;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment:\n  ${problems.join('\n  ')}`);
  }
}

function check<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv): T {
  const dto = plainToInstance(cls, { ...env });
  const errors = validateSync(dto);
  // One message per variable: the top-most decorator's (the most basic check; decorators run bottom-up).
  if (errors.length > 0) throw new InvalidEnvironmentError(errors.map((e) => Object.values(e.constraints ?? {}).at(-1) ?? `${e.property} is invalid`));
  return dto;
}

export interface GatewayEnvironment {
  databaseUrl: string;
  messaging: MessagingConfig;
  port: number;
  jwtSecret: string;
  tokenLifetimeSeconds?: number;
  bankCodes: string[];
  bootstrapAdminPassword?: string;
  staticDir?: string;
  signInLockout?: Partial<SignInLockoutOptions>;
  rateLimits?: Partial<RateLimitOptions>;
  batches?: Partial<BatchOptions>;
  trustProxy?: boolean | number | string;
  identityHashKey: string;
  auditUrl?: string;
  dataEncryptionKey: string;
  previousDataEncryptionKeys?: string[];
}

/** Only the keys whose value is set; undefined when none is (the gateway's defaults apply). */
function defined<T extends object>(values: { [K in keyof T]: T[K] | undefined }): Partial<T> | undefined {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as Partial<T>) : undefined;
}

const numberOrUndefined = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));

function trustProxyOf(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function migrateEnvironment(env: NodeJS.ProcessEnv): { databaseUrl: string } & Partial<GatewayDataKeys> {
  check(GatewayMigrateEnvDto, env);
  // Optional here: needed only when rows written before encryption at rest are to be sealed.
  return { databaseUrl: databaseUrlFromEnv(env), ...dataKeysOf(env, false) };
}

/** VERIHUB_DATA_ENCRYPTION_KEY (and previous keys), checked; required to serve. */
function dataKeysOf(env: NodeJS.ProcessEnv, required: boolean): GatewayDataKeys | undefined {
  let keys: GatewayDataKeys | undefined;
  try {
    keys = gatewayDataKeysFromEnv(env);
  } catch (err) {
    throw new InvalidEnvironmentError([(err as Error).message]);
  }
  if (!keys && required) {
    throw new InvalidEnvironmentError(['VERIHUB_DATA_ENCRYPTION_KEY is required (the key of the personal data at rest, 32 bytes; e.g. `openssl rand -base64 32`)']);
  }
  return keys;
}

export function gatewayEnvironment(env: NodeJS.ProcessEnv): GatewayEnvironment {
  const dto = check(GatewayEnvDto, env);
  const dataKeys = dataKeysOf(env, true)!;
  let bankCodes: string[];
  try {
    bankCodes = parseBankCodes(dto.VERIHUB_BANKS);
  } catch (err) {
    throw new InvalidEnvironmentError([(err as Error).message]);
  }
  const port = Number(dto.PORT ?? 3000);
  if (port > 65535) throw new InvalidEnvironmentError(['PORT must be a TCP port number']);
  return {
    databaseUrl: databaseUrlFromEnv(env),
    messaging: messagingConfigFromEnv(env, { clientId: 'verihub-gateway', groupId: 'verihub-gateway' }),
    port,
    jwtSecret: dto.VERIHUB_JWT_SECRET,
    tokenLifetimeSeconds: dto.VERIHUB_TOKEN_TTL_SECONDS ? Number(dto.VERIHUB_TOKEN_TTL_SECONDS) : undefined,
    bankCodes,
    bootstrapAdminPassword: dto.VERIHUB_BOOTSTRAP_ADMIN_PASSWORD,
    staticDir: dto.VERIHUB_STATIC_DIR,
    signInLockout: defined<SignInLockoutOptions>({
      maxFailures: numberOrUndefined(dto.VERIHUB_LOGIN_MAX_FAILURES),
      lockSeconds: dto.VERIHUB_LOGIN_LOCK_MINUTES === undefined ? undefined : Number(dto.VERIHUB_LOGIN_LOCK_MINUTES) * 60,
    }),
    rateLimits: defined<RateLimitOptions>({
      loginLimit: numberOrUndefined(dto.VERIHUB_RATE_LIMIT_LOGIN),
      apiLimit: numberOrUndefined(dto.VERIHUB_RATE_LIMIT_API),
      windowSeconds: numberOrUndefined(dto.VERIHUB_RATE_LIMIT_WINDOW_SECONDS),
    }),
    batches: defined<BatchOptions>({
      maxInFlight: numberOrUndefined(dto.VERIHUB_BATCH_IN_FLIGHT),
      submitConcurrency: numberOrUndefined(dto.VERIHUB_BATCH_SUBMIT_CONCURRENCY),
      maxHouseholds: numberOrUndefined(dto.VERIHUB_BATCH_MAX_HOUSEHOLDS),
      maxBytes: numberOrUndefined(dto.VERIHUB_BATCH_MAX_BYTES),
    }),
    trustProxy: trustProxyOf(dto.VERIHUB_TRUST_PROXY),
    identityHashKey: dto.VERIHUB_IDENTITY_HASH_KEY,
    ...dataKeys,
    auditUrl: dto.VERIHUB_AUDIT_URL || undefined,
  };
}
