/** The audit schema as its migrations build it: no drift, append-only for everyone, a writer role that can only append. */
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrateServiceDatabase, pendingSchemaChanges } from '@verihub/persistence';
import { TestDatabase, createTestDatabase } from '../../../../test/medium/test-database';
import { AUDIT_SCHEMA, AUDIT_WRITER_ROLE, auditDatabaseOptions } from './audit-database';

const HASH = 'a'.repeat(64);

describe('audit schema', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let sql: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource(auditDatabaseOptions(db.url));
    await migrateServiceDatabase(dataSource, AUDIT_SCHEMA);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    await sql.query(
      `INSERT INTO audit.entries (sequence, event_id, recorded_at, occurred_at, source_service, actor_username, actor_role, action,
         authorization_refs, subject_hashes, subjects_masked, data_categories, previous_hash, entry_hash)
       VALUES (1, gen_random_uuid(), now(), now(), 'gateway', 'officer', 'officer', 'login_succeeded', '{}', '{}', '{}', '{}', $1, $2)`,
      ['0'.repeat(64), HASH],
    );
  });

  afterAll(async () => {
    await sql?.end();
    await dataSource?.destroy();
    await db?.drop();
  });

  it('is described exactly by its migrations (no drift between entities and migrations)', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('applies nothing the second time the migrations run', async () => {
    expect(await migrateServiceDatabase(dataSource, AUDIT_SCHEMA)).toEqual([]);
  });

  it.each([
    ['UPDATE', `UPDATE audit.entries SET actor_username = 'someone-else' WHERE sequence = 1`],
    ['DELETE', `DELETE FROM audit.entries WHERE sequence = 1`],
    ['TRUNCATE', `TRUNCATE audit.entries`],
    ['DELETE of no row', `DELETE FROM audit.entries WHERE false`],
  ])('refuses %s, even to the table owner', async (op, statement) => {
    await expect(sql.query(statement)).rejects.toThrow(/audit\.entries is append-only/);
    expect((await sql.query(`SELECT actor_username FROM audit.entries`)).rows).toEqual([{ actor_username: 'officer' }]);
    expect(op).toBeTruthy();
  });

  it('gives the writer role SELECT and INSERT only, and PUBLIC nothing that changes rows', async () => {
    const privileges = async (role: string) =>
      (
        await sql.query<{ privilege: string; granted: boolean }>(
          `SELECT p AS privilege, has_table_privilege($1, 'audit.entries', p) AS granted
             FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p`,
          [role],
        )
      ).rows
        .filter((r) => r.granted)
        .map((r) => r.privilege);
    expect(await privileges(AUDIT_WRITER_ROLE)).toEqual(['SELECT', 'INSERT']);
    const role = (await sql.query(`SELECT rolcanlogin FROM pg_roles WHERE rolname = $1`, [AUDIT_WRITER_ROLE])).rows;
    expect(role).toEqual([{ rolcanlogin: false }]);
    const publicGrants = (
      await sql.query(
        `SELECT privilege_type FROM information_schema.role_table_grants
          WHERE table_schema = 'audit' AND table_name = 'entries' AND grantee = 'PUBLIC'`,
      )
    ).rows;
    expect(publicGrants).toEqual([]);
  });

  it('lets a member of the writer role append and read, and nothing else', async () => {
    const login = `verihub_audit_t_${Math.random().toString(16).slice(2, 10)}`;
    await sql.query(`CREATE ROLE ${login} LOGIN IN ROLE ${AUDIT_WRITER_ROLE}`);
    const url = new URL(db.url);
    url.username = login;
    const writer = new Client({ connectionString: url.toString() });
    try {
      await writer.connect();
      await writer.query(
        `INSERT INTO audit.entries (sequence, event_id, recorded_at, occurred_at, source_service, actor_username, actor_role, action,
           authorization_refs, subject_hashes, subjects_masked, data_categories, previous_hash, entry_hash)
         VALUES (2, gen_random_uuid(), now(), now(), 'gateway', 'officer', 'officer', 'login_failed', '{}', '{}', '{}', '{}', $1, $2)`,
        [HASH, 'b'.repeat(64)],
      );
      expect((await writer.query(`SELECT count(*)::int AS n FROM audit.entries`)).rows).toEqual([{ n: 2 }]);
      await expect(writer.query(`ALTER TABLE audit.entries DISABLE TRIGGER entries_append_only`)).rejects.toThrow(/must be owner/);
      await expect(writer.query(`UPDATE audit.entries SET action = 'x'`)).rejects.toThrow(/permission denied|append-only/);
      await expect(writer.query(`DELETE FROM audit.entries`)).rejects.toThrow(/permission denied|append-only/);
    } finally {
      await writer.end().catch(() => undefined);
      await sql.query(`DROP OWNED BY ${login}`);
      await sql.query(`DROP ROLE ${login}`);
    }
  });
});
