/**
 * The aggregator's bootstrap, for its own main.ts and for the single-process hub: builds the app from
 * options only (never from process.env).
 */
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { allTopics } from '@verihub/contracts';
import { createMessageServer, ensureTopics } from '@verihub/messaging';
import { migrateServiceDatabase } from '@verihub/persistence';
import { type AggregatorOptions, aggregatorSettingsOf } from './aggregator-options';
import { AggregatorModule } from './aggregator.module';
import { AGGREGATOR_SCHEMA, aggregatorDatabaseOptions } from './database/aggregator-database';

export type { AggregatorOptions } from './aggregator-options';
export { aggregatorDatabaseOptions, AGGREGATOR_SCHEMA } from './database/aggregator-database';

export interface RunningAggregator {
  /** Stops consuming, then the sweeper and the outbox relay, then closes the database pool. */
  close(): Promise<void>;
}

/** Applies the aggregator schema's pending migrations (an explicit step, never at boot); returns their names. */
export async function migrateAggregator(options: { databaseUrl: string }): Promise<string[]> {
  const dataSource = new DataSource(aggregatorDatabaseOptions(options.databaseUrl, 2));
  try {
    return await migrateServiceDatabase(dataSource, AGGREGATOR_SCHEMA);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

/**
 * Starts the aggregator: creates its topics (Kafka; allTopics includes AuthorizationRevoked's), then consumes
 * VerificationRequested, QueryAnswered, QueryFailed and AuthorizationRevoked, publishes through its outbox,
 * and enforces provider deadlines — once its consumer consumes (see DeadlineSweeper). State is all in PostgreSQL, so a restarted aggregator carries on with what was in
 * flight.
 */
export async function startAggregator(options: AggregatorOptions): Promise<RunningAggregator> {
  const settings = aggregatorSettingsOf(options);
  await ensureTopics(options.messaging, allTopics(settings.providers.map((p) => p.id)));
  const server = createMessageServer(options.messaging);
  const app = await NestFactory.createMicroservice(AggregatorModule.forRoot(options, server), {
    strategy: server,
    logger: options.logger,
    abortOnError: false,
  });
  try {
    await app.listen();
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    close: () => (closing ??= app.close()),
  };
}
