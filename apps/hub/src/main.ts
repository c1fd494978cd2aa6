/**
 * `npm start`: the whole hub in one process — gateway, aggregator and every department adapter —
 * over the in-process transport, on an embedded PostgreSQL in the data directory, seeded on first start.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { logLevelsFromEnv } from '@verihub/messaging';
import { runSingleProcess } from './single-process';

async function main(): Promise<void> {
  Logger.overrideLogger(logLevelsFromEnv(process.env));
  const hub = await runSingleProcess(process.env);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    Logger.log(`${signal}: stopping`, 'Hub');
    await hub.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  Logger.error(err instanceof Error ? (err.stack ?? err.message) : `start-up failed: ${String(err)}`, 'Hub');
  process.exit(1);
});
