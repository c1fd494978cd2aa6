/**
 * Where the CLI's commands find the database:
 * - DATABASE_URL when set (a distributed deployment's PostgreSQL);
 * - otherwise the single-process mode's data directory (VERIHUB_DATA_DIR, default .verihub): the
 *   embedded server of a running `npm start` when there is one, else the CLI starts that server for
 *   the command's duration and stops it afterwards.
 */
import { EmbeddedDatabase, openDataDirectoryDatabase, resolveDataDir } from '@verihub/persistence';

let opened: (EmbeddedDatabase & { startedHere: boolean }) | undefined;

export async function resolveDatabaseUrl(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  opened ??= await openDataDirectoryDatabase(resolveDataDir(env));
  return opened.url;
}

/** Stops the embedded server if this command started it (a running hub's server is left alone). */
export async function releaseDatabaseTarget(): Promise<void> {
  const db = opened;
  opened = undefined;
  if (db?.startedHere) await db.stop();
}
