/**
 * What a department passes to startAdapter, and what it gets back. The department writes only its
 * ProviderDataSource; transport, decoding, validation, authorization, idempotency and answering are the SDK's.
 */
import type { DataSource } from 'typeorm';
import { providerSlug } from '@verihub/contracts';
import type { ProviderDataSource } from '@verihub/domain';
import type { MessagingConfig } from '@verihub/messaging';
import type { RequestVerifier } from './request-verifier';

export interface AdapterOptions {
  /** Provider id this adapter answers for: "tax", "public-security", "bank:ICBC", ... */
  provider: string;
  /** Builds the department's data source on a TypeORM DataSource connected to the department's database. */
  dataSource: (db: DataSource) => ProviderDataSource | Promise<ProviderDataSource>;
  /** The department's PostgreSQL (postgres://user:pass@host:port/db); also holds the adapter's state schema. */
  databaseUrl: string;
  messaging: MessagingConfig;
  /**
   * The aggregator's public key (base64 SPKI DER, Ed25519; VERIHUB_QUERY_VERIFY_KEY): every request must carry
   * a query token it signed for this provider, request and members, or it is refused UNAUTHORIZED.
   */
  queryVerifyKey: string;
  /**
   * This adapter's private key (base64 PKCS #8 DER, Ed25519; VERIHUB_ANSWER_SIGNING_KEY): every QueryAnswered
   * and QueryFailed is signed with it. The aggregator holds the public half (VERIHUB_PROVIDER_KEYS).
   */
  answerSigningKey: string;
  /** The keyed hash key of identity numbers (VERIHUB_IDENTITY_HASH_KEY, ≥ 32 characters), the aggregator's. */
  identityHashKey: string;
  /** The adapter's own schema (idempotency table, migrations). Default `adapter_<provider slug>`, e.g. adapter_bank_icbc. */
  stateSchema?: string;
  /**
   * Extra checks run after the built-in authorization and query-token checks, before any lookup. A refusal is answered with QueryFailed and the data source is not called.
   */
  verifiers?: RequestVerifier[];
  /**
   * Deliveries of one request whose lookup failed before the adapter gives up and answers QueryFailed
   * SOURCE_UNAVAILABLE (earlier failures are thrown back to the transport, which redelivers). Default 3.
   */
  maxDeliveries?: number;
  /** Clock for authorization expiry and timestamps (tests). */
  clock?: () => Date;
  /** Pool size of each of the adapter's two connection pools (state, department data). Default 3. */
  poolSize?: number;
}

/** The three keys every adapter is configured with (see AdapterOptions). */
export type AdapterKeys = Pick<AdapterOptions, 'queryVerifyKey' | 'answerSigningKey' | 'identityHashKey'>;

export type AdapterStateOptions = Pick<AdapterOptions, 'provider' | 'databaseUrl' | 'stateSchema'>;

/** Counts for the department operator's health view (persisted: they survive restarts). */
export interface AdapterStats {
  provider: string;
  /** Distinct requests received. */
  handled: number;
  answered: number;
  /** Refused (unauthorized, invalid) or given up on (source unavailable). */
  failed: number;
  /** Received but not yet answered (a lookup being retried). */
  pending: number;
  /** Deliveries beyond the first of each request (outbox republishes, redeliveries). */
  duplicateDeliveries: number;
  /** ISO 8601 with offset, or null before the first answer. */
  lastAnsweredAt: string | null;
}

export interface RunningAdapter {
  readonly provider: string;
  /** The topic the adapter consumes. */
  readonly topic: string;
  stats(): Promise<AdapterStats>;
  /** Stops consuming, then closes the database connections. */
  close(): Promise<void>;
}

/** "tax" -> adapter_tax, "bank:ICBC" -> adapter_bank_icbc, "public-security" -> adapter_public_security. */
export function defaultStateSchema(provider: string): string {
  return `adapter_${providerSlug(provider).replace(/-/g, '_')}`;
}

/** The conventional consumer group of an adapter: one per provider (each bank instance its own). */
export function adapterGroupId(provider: string): string {
  return `verihub-adapter-${providerSlug(provider)}`;
}

/**
 * The adapter's messaging identity: its own consumer group and client id (verihub-adapter-<slug>), whatever
 * the caller's config names, so each provider (each bank) consumes in its own group.
 */
export function adapterMessaging(messaging: MessagingConfig, provider: string): MessagingConfig {
  const id = adapterGroupId(provider);
  return { ...messaging, groupId: id, clientId: id };
}
