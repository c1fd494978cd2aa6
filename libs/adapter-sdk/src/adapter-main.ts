/**
 * The process around an adapter, for an app's main.ts: `node main.js migrate` applies the migrations and
 * exits; `node main.js` starts the adapter and closes it on SIGTERM/SIGINT. Reading the environment stays
 * in main.ts (build); this only runs the commands.
 */
import { Logger } from '@nestjs/common';
import { logLevelsFromEnv } from '@verihub/messaging';

export interface AdapterCommands {
  /** Applies the adapter's migrations; returns the names of those applied now. */
  migrate(): Promise<string[]>;
  start(): Promise<{ close(): Promise<void> }>;
}

/** Runs the command named by argv[2] ("migrate" or none). Never rejects: failures exit the process with 1. */
export async function runAdapterMain(name: string, argv: readonly string[], build: () => AdapterCommands): Promise<void> {
  const logger = new Logger(name);
  let commands: AdapterCommands;
  try {
    Logger.overrideLogger(logLevelsFromEnv(process.env));
    commands = build();
  } catch (err) {
    // A configuration problem (a missing or bad environment variable): the message says which.
    logger.error(`configuration: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  try {
    const command = argv[2];
    if (command === 'migrate') {
      const applied = await commands.migrate();
      logger.log(applied.length === 0 ? 'migrations: nothing to apply' : `migrations applied: ${applied.join(', ')}`);
      process.exit(0);
    }
    if (command !== undefined) {
      logger.error(`unknown command "${command}" (use "migrate", or nothing to start the adapter)`);
      process.exit(2);
    }
    const running = await commands.start();
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      logger.log(`${signal}: closing`);
      running.close().then(
        () => process.exit(0),
        (err: Error) => {
          logger.error(`close failed: ${err.message}`);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  } catch (err) {
    logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  }
}
