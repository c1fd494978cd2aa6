/**
 * The aggregator as its own process: `node dist/apps/aggregator/main.js migrate` applies its migrations
 * and exits; `node dist/apps/aggregator/main.js` runs it until SIGTERM/SIGINT. Configuration: see
 * aggregatorOptionsFromEnv.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { logLevelsFromEnv } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import { aggregatorOptionsFromEnv } from './aggregator-config';
import { migrateAggregator, startAggregator } from './aggregator.app';

async function main(): Promise<void> {
  Logger.overrideLogger(logLevelsFromEnv(process.env));
  const logger = new Logger('aggregator');
  if (process.argv[2] === 'migrate') {
    // Migrating needs the database only (no keys).
    const applied = await migrateAggregator({ databaseUrl: databaseUrlFromEnv(process.env) });
    logger.log(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'schema is up to date');
    process.exit(0);
  }
  if (process.argv[2] !== undefined) throw new Error(`unknown command "${process.argv[2]}" (expected: migrate, or nothing)`);

  const options = aggregatorOptionsFromEnv(process.env);
  const aggregator = await startAggregator(options);
  logger.log(`running (${options.messaging.transport}; banks ${options.bankCodes.join(', ')})`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping`);
    aggregator.close().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error(`stopping failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: Error) => {
  new Logger('aggregator').error(err.message, err.stack);
  process.exit(1);
});
