/**
 * Where the CLI's commands find the database. For now DATABASE_URL (default: the local PostgreSQL,
 * database "verihub"); the single-process mode will resolve its data directory's database here.
 */
export function resolveDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | Promise<string> {
  return env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/verihub';
}
