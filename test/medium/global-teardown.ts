import { Client } from 'pg';

/** Drops this run's databases left behind by test files that crashed before their own cleanup. */
export default async function globalTeardown(): Promise<void> {
  if (!process.env.VERIHUB_TEST_RUN) return;
  const client = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`verihub_t_${process.env.VERIHUB_TEST_RUN}_%`],
    );
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
