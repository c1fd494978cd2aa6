/**
 * Encryption at rest of the gateway's read model, over a real PostgreSQL: every table read raw holds no
 * identity number and no name; the API still reads, lists and filters; a wrong key is refused at start;
 * rows written before encryption are sealed by the migration. And the 400 refusals of POST
 * /api/v1/verifications leave an audit event naming fields and rules, never values.
 */
import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { keyedIdentityHash } from '@verihub/domain';
import { auditEventsInOutbox, issueReport } from '../testing/audit-events';
import { startGatewayHarness, TEST_DATA_ENCRYPTION_KEY, TEST_IDENTITY_HASH_KEY, type GatewayHarness } from '../testing/gateway-harness';
import { APPLICANT_ID, CHILD_ID, SPOUSE_ID, validPolicy, validVerificationRequest } from '../testing/households';
import { migrateGateway } from '../gateway.app';
import { checkGatewayDataKey } from './data-key-check';
import { gatewayDataSourceOptions } from './gateway-database';
import { gatewayDataCipherOf } from './gateway-data-keys';
import { EncryptPersonalData1795500000000 } from './migrations/1795500000000-encrypt-personal-data';
import { openFrom, SealedPlaces } from './sealed-columns';

const NAMES = ['张三', '李四', '张小明'];
const IDS = [APPLICANT_ID, SPOUSE_ID, CHILD_ID];
const members = [
  { idNumber: APPLICANT_ID, name: '张三', relation: 'applicant' as const },
  { idNumber: SPOUSE_ID, name: '李四', relation: 'spouse' as const },
  { idNumber: CHILD_ID, name: '张小明', relation: 'child' as const },
];

describe('gateway read model encrypted at rest (real PostgreSQL)', () => {
  let h: GatewayHarness;
  let officer: string;
  let id: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    officer = await h.token('officer');
    const admin = await h.token('admin');
    await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy()).expect(201);
    id = (await h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${officer}`).send(validVerificationRequest()).expect(201)).body.id;
    await issueReport(h, id, members, 1);
    await issueReport(h, id, members, 2);
  });
  afterAll(async () => h?.close());

  /** Every row of every gateway table as JSON text, the outbox excepted (see the note in the test). */
  async function everyRow(): Promise<Map<string, string[]>> {
    const { rows: tables } = await h.pg.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'gateway' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const out = new Map<string, string[]>();
    for (const { table_name } of tables) {
      const { rows } = await h.pg.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM gateway."${table_name}" t`);
      out.set(table_name, rows.map((r) => r.row));
    }
    return out;
  }

  it('holds no identity number and no name in any table, read raw', async () => {
    const tables = await everyRow();
    expect([...tables.keys()]).toEqual(expect.arrayContaining(['verifications', 'report_versions', 'authorizations', 'data_keys']));
    expect(tables.get('verifications')).toHaveLength(1);
    expect(tables.get('report_versions')).toHaveLength(2);
    // The outbox keeps each published message's bytes (VerificationRequested carries the members to the
    // aggregator): not the read model, and reported as a gap of its own.
    tables.delete('outbox');
    for (const [table, rows] of tables) {
      const text = rows.join('\n');
      for (const secret of [...IDS, ...NAMES]) expect({ table, found: text.includes(secret) ? secret : null }).toEqual({ table, found: null });
      // Anything shaped like an identity number (hex hashes and uuids around digits do not count).
      expect({ table, idShaped: /(?<![0-9a-f])\d{17}[\dXx](?![0-9a-f])/.test(text) }).toEqual({ table, idShaped: false });
    }
    // The personal columns are sealed values; what the gateway filters on stays plain.
    const [row] = (await h.pg.query(`SELECT members, declared, authorizations, region_code, status, program FROM gateway.verifications WHERE id = $1`, [id])).rows;
    for (const column of [row.members, row.declared, row.authorizations]) expect(column).toEqual({ v: 1, kid: expect.any(String), iv: expect.any(String), ct: expect.any(String), tag: expect.any(String) });
    expect(row).toMatchObject({ region_code: '500115', status: 'complete', program: 'dibao' });
    const versions = (await h.pg.query(`SELECT version, conclusion, issued_at, report ? 'ct' AS sealed, changes ? 'ct' AS changes_sealed FROM gateway.report_versions ORDER BY version`)).rows;
    expect(versions).toEqual([
      { version: 1, conclusion: expect.any(String), issued_at: '2026-11-01T12:00:00+08:00', sealed: true, changes_sealed: null },
      { version: 2, conclusion: expect.any(String), issued_at: '2026-11-02T12:00:00+08:00', sealed: true, changes_sealed: true },
    ]);
  });

  it('still reads, lists and filters through the API', async () => {
    const auth = { Authorization: `Bearer ${officer}` };
    const detail = (await h.http().get(`/api/v1/verifications/${id}`).set(auth).expect(200)).body;
    expect(detail.members.map((m: { idNumber: string }) => m.idNumber)).toEqual(IDS.map((n) => `${n.slice(0, 6)}********${n.slice(-4)}`));
    const report = (await h.http().get(`/api/v1/verifications/${id}/report`).set(auth).expect(200)).body;
    expect(report).toMatchObject({ verificationId: id, version: 2 });
    const list = (await h.http().get('/api/v1/verifications?status=complete&program=dibao').set(auth).expect(200)).body;
    const { rows } = await h.pg.query(`SELECT conclusion FROM gateway.report_versions WHERE verification_id = $1 AND version = 2`, [id]);
    expect(list.items).toEqual([expect.objectContaining({ id, conclusion: rows[0].conclusion, memberCount: 3 })]);
    expect((await h.http().get('/api/v1/verifications?status=pending').set(auth).expect(200)).body.items).toEqual([]);
    const versions = (await h.http().get(`/api/v1/verifications/${id}/report/versions`).set(auth).expect(200)).body;
    expect(JSON.stringify(versions)).toContain('"version":2');
  });

  it('refuses a start with a key that did not seal the data, naming key ids only', async () => {
    const dataSource = new DataSource(gatewayDataSourceOptions(h.db.url, 1));
    await dataSource.initialize();
    try {
      const wrongKey = randomBytes(32).toString('base64');
      const attempt = checkGatewayDataKey(dataSource, gatewayDataCipherOf({ dataEncryptionKey: wrongKey }));
      await expect(attempt).rejects.toThrow(/VERIHUB_DATA_ENCRYPTION_KEY is wrong: .* data key [0-9a-f]{16}, which is not configured/);
      await expect(attempt).rejects.not.toThrow(wrongKey);
      // After a rotation, the old key listed as a previous one opens what it sealed.
      await expect(
        checkGatewayDataKey(dataSource, gatewayDataCipherOf({ dataEncryptionKey: wrongKey, previousDataEncryptionKeys: [TEST_DATA_ENCRYPTION_KEY] })),
      ).resolves.toBeUndefined();
    } finally {
      await dataSource.destroy();
    }
  });

  it('the migration seals rows written before encryption at rest', async () => {
    // Back to the state before the migration: plaintext rows, no conclusion column, the migration not applied.
    const cipher = gatewayDataCipherOf({ dataEncryptionKey: TEST_DATA_ENCRYPTION_KEY });
    const dataSource = new DataSource(gatewayDataSourceOptions(h.db.url, 1));
    await dataSource.initialize();
    try {
      await dataSource.transaction(async (manager) => {
        const [v] = await manager.query(`SELECT members, declared, authorizations FROM gateway.verifications WHERE id = $1`, [id]);
        await manager.query(`UPDATE gateway.verifications SET members = $2, declared = $3, authorizations = $4 WHERE id = $1`, [
          id,
          JSON.stringify(cipher.open(v.members, SealedPlaces.members)),
          JSON.stringify(cipher.open(v.declared, SealedPlaces.declared)),
          JSON.stringify(cipher.open(v.authorizations, SealedPlaces.authorizations)),
        ]);
        await manager.query(`ALTER TABLE gateway.report_versions DISABLE TRIGGER report_versions_written_once`);
        for (const r of await manager.query(`SELECT version, report, changes FROM gateway.report_versions WHERE verification_id = $1`, [id])) {
          await manager.query(`UPDATE gateway.report_versions SET report = $3, changes = $4 WHERE verification_id = $1 AND version = $2`, [
            id,
            r.version,
            JSON.stringify(cipher.open(r.report, SealedPlaces.report)),
            r.changes === null ? null : JSON.stringify(cipher.open(r.changes, SealedPlaces.changes)),
          ]);
        }
        await manager.query(`ALTER TABLE gateway.report_versions ENABLE TRIGGER report_versions_written_once`);
        const runner = manager.queryRunner!;
        await new EncryptPersonalData1795500000000().down(runner);
        await manager.query(`DELETE FROM gateway.migrations WHERE name = 'EncryptPersonalData1795500000000'`);
      });
    } finally {
      await dataSource.destroy();
    }
    expect((await h.pg.query(`SELECT members::text FROM gateway.verifications WHERE id = $1`, [id])).rows[0].members).toContain(APPLICANT_ID);

    expect(await migrateGateway({ databaseUrl: h.db.url, dataEncryptionKey: TEST_DATA_ENCRYPTION_KEY })).toEqual(['EncryptPersonalData1795500000000']);

    const [v] = (await h.pg.query(`SELECT members FROM gateway.verifications WHERE id = $1`, [id])).rows;
    expect(openFrom<typeof members>(SealedPlaces.members, v.members)).toEqual(members);
    expect(JSON.stringify(v.members)).not.toContain(APPLICANT_ID);
    const versions = (await h.pg.query(`SELECT version, conclusion IS NOT NULL AS has_conclusion, issued_at, report::text AS report FROM gateway.report_versions ORDER BY version`)).rows;
    expect(versions.map((r) => [r.version, r.has_conclusion, r.issued_at])).toEqual([
      [1, true, '2026-11-01T12:00:00+08:00'],
      [2, true, '2026-11-02T12:00:00+08:00'],
    ]);
    for (const r of versions) for (const secret of [...IDS, ...NAMES]) expect(r.report).not.toContain(secret);
    // The write-once trigger is back on.
    await expect(h.pg.query(`UPDATE gateway.report_versions SET change_reason = 'x' WHERE verification_id = $1`, [id])).rejects.toThrow(/refused/);
    expect((await h.http().get(`/api/v1/verifications/${id}/report`).set({ Authorization: `Bearer ${officer}` }).expect(200)).body.version).toBe(2);
  });

  describe('a verification request refused as bad input (400)', () => {
    const post = (body: object) => h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${officer}`).send(body);
    const refusals = async () => (await auditEventsInOutbox(h)).filter((e) => e.event.action === 'verification_refused');

    it('leaves a verification_refused event with the fields and rules, the valid members by keyed hash, never a value', async () => {
      const before = (await refusals()).length;
      const body = validVerificationRequest();
      const broken = `${APPLICANT_ID.slice(0, 17)}${APPLICANT_ID.endsWith('0') ? '1' : '0'}`;
      body.members[0].idNumber = broken;
      body.members[1].name = '';
      const res = await post({ ...body, [SPOUSE_ID]: '王五' }).expect(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
      const after = await refusals();
      expect(after).toHaveLength(before + 1);
      const { event, bytes } = after[after.length - 1];
      expect(event).toMatchObject({
        actor: { username: 'officer', role: 'officer' },
        case: { program: 'dibao', purpose: 'application', regionCode: '500115' },
        outcome: { status: 'refused', recordCount: res.body.errors.length },
      });
      expect(event.dataCategories.length).toBeGreaterThan(0);
      for (const c of event.dataCategories) expect(c).toMatch(/^[A-Za-z0-9_.[\]]+:[a-z_]+$/);
      expect(event.dataCategories).toContain('unaccepted_field:is_not_an_accepted_field');
      // Only the valid identity numbers, as keyed hashes (the broken one is left out, not echoed).
      expect(event.subjects.map((s) => s.idHash).sort()).toEqual([SPOUSE_ID, CHILD_ID].map((n) => keyedIdentityHash(n, TEST_IDENTITY_HASH_KEY)).sort());
      const text = bytes.toString('utf8');
      for (const secret of [...IDS, broken, ...NAMES, '王五']) expect(text).not.toContain(secret);
    });

    it('names the domain rule broken (a check digit), and a request refused for want of authorization is recorded once', async () => {
      const body = validVerificationRequest();
      body.members[2].idNumber = `${CHILD_ID.slice(0, 17)}${CHILD_ID.endsWith('1') ? '2' : '1'}`;
      const before = (await refusals()).length;
      await post(body).expect(400);
      const checkDigit = (await refusals()).slice(before);
      expect(checkDigit).toHaveLength(1);
      expect(checkDigit[0].event.dataCategories).toEqual(
        expect.arrayContaining(['members[2].idNumber:invalid_resident_identity_number', 'authorizations[2].idNumber:is_not_a_member_of_this_household']),
      );

      const unauthorized = validVerificationRequest();
      unauthorized.authorizations = unauthorized.authorizations.slice(0, 2);
      const mid = (await refusals()).length;
      await post(unauthorized).expect(400);
      const once = (await refusals()).slice(mid);
      expect(once).toHaveLength(1);
      expect(once[0].event.dataCategories.some((c) => c.startsWith('authorization_'))).toBe(true);
    });

    it('a refusal by role is not a 400 audit: nothing recorded here when the body is fine', async () => {
      const before = (await refusals()).length;
      await h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${await h.token('admin')}`).send(validVerificationRequest()).expect(403);
      expect(await refusals()).toHaveLength(before);
    });
  });
});
