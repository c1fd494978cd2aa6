/**
 * The audit service as its own process:
 *   node dist/apps/audit/main.js migrate   applies the audit schema's migrations and exits
 *   node dist/apps/audit/main.js           consumes audit events and serves the auditor API on AUDIT_PORT
 * Env: DATABASE_URL, VERIHUB_TRANSPORT (kafka), KAFKA_BROKERS, AUDIT_PORT (3001), VERIHUB_JWT_SECRET
 * (required, the gateway's), VERIHUB_IDENTITY_HASH_KEY (required, ≥ 32 characters), anomaly thresholds
 * (AUDIT_* — see apps/audit/README.md). SIGTERM/SIGINT close gracefully.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { logLevelsFromEnv } from '@verihub/messaging';
import { migrateAudit, startAudit } from './audit.app';
import { InvalidEnvironmentError, auditEnvironment, migrateEnvironment } from './audit.env';

const logger = new Logger('AuditMain');

async function main(argv: string[]): Promise<void> {
  Logger.overrideLogger(logLevelsFromEnv(process.env));
  if (argv[0] === 'migrate') {
    const applied = await migrateAudit(migrateEnvironment(process.env));
    logger.log(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'audit schema is up to date');
    process.exit(0);
  }
  if (argv.length > 0) throw new Error(`unknown command "${argv[0]}" (expected: migrate, or nothing to serve)`);
  const options = auditEnvironment(process.env);
  const audit = await startAudit(options);
  logger.log(`running (${options.messaging.transport})`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping`);
    audit.close().then(
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

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof InvalidEnvironmentError) logger.error(err.message);
  else logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
