/** DATABASE_URL of a distributed app (default: the local PostgreSQL, database "verihub"). */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv): string {
  return env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/verihub';
}
