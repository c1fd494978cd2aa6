/**
 * Medium tier: a real PostgreSQL (TEST_DATABASE_ADMIN_URL, default the local server on 127.0.0.1:5432).
 * Each test file creates its own database with createTestDatabase() and applies the migrations it needs.
 */
import { randomBytes } from 'crypto';
import { Client } from 'pg';

export default async function globalSetup(): Promise<void> {
  process.env.TEST_DATABASE_ADMIN_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  // Databases of this run are named verihub_t_<run>_*: teardown drops only its own, never another run's.
  process.env.VERIHUB_TEST_RUN = randomBytes(3).toString('hex');
  const client = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `The medium tests need PostgreSQL at ${process.env.TEST_DATABASE_ADMIN_URL} (set TEST_DATABASE_ADMIN_URL): ${(err as Error).message}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
