/**
 * The gateway alone (distributed mode), configured from the environment:
 *   node dist/apps/gateway/main.js migrate   runs the gateway schema's migrations and exits
 *   node dist/apps/gateway/main.js           serves the API on PORT
 * Env: PORT (3000), DATABASE_URL, VERIHUB_TRANSPORT (kafka), KAFKA_BROKERS, VERIHUB_JWT_SECRET (required),
 * VERIHUB_TOKEN_TTL_SECONDS (3600), VERIHUB_BANKS (ICBC,CCB,BOC,ABC), VERIHUB_BOOTSTRAP_ADMIN_PASSWORD,
 * VERIHUB_STATIC_DIR, VERIHUB_LOGIN_MAX_FAILURES (5), VERIHUB_LOGIN_LOCK_MINUTES (15), VERIHUB_RATE_LIMIT_LOGIN (10),
 * VERIHUB_RATE_LIMIT_API (600), VERIHUB_RATE_LIMIT_WINDOW_SECONDS (60), VERIHUB_TRUST_PROXY, VERIHUB_IDENTITY_HASH_KEY (required),
 * VERIHUB_AUDIT_URL (the audit service; unset: /api/v1/audit/... answers 503). There are no default accounts: VERIHUB_BOOTSTRAP_ADMIN_PASSWORD creates `admin`
 * once, while no administrator exists; that administrator creates everyone else (POST /api/v1/users).
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { logLevelsFromEnv } from '@verihub/messaging';
import { migrateGateway, startGateway } from './gateway.app';
import { gatewayEnvironment, InvalidEnvironmentError, migrateEnvironment } from './gateway.env';

const logger = new Logger('GatewayMain');

async function main(argv: string[]): Promise<void> {
  Logger.overrideLogger(logLevelsFromEnv(process.env));
  if (argv[0] === 'migrate') {
    const applied = await migrateGateway(migrateEnvironment(process.env));
    logger.log(applied.length ? `applied ${applied.join(', ')}` : 'gateway schema is up to date');
    return;
  }
  if (argv.length > 0) throw new Error(`unknown command "${argv[0]}" (expected: migrate, or nothing to serve)`);
  const gateway = await startGateway(gatewayEnvironment(process.env));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: closing`);
    gateway.close().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error(`close failed: ${err.message}`);
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
