/**
 * What the aggregator leaves behind about people: the audit trail of every provider query and answer (fed to
 * the real audit service on the same database and the in-process transport: nothing dead-lettered), and the
 * personal data at rest (encrypted: no identity number or name of the household in any of its tables, while
 * the report is still computed from it; a wrong key stops the start).
 */
import { randomBytes, randomUUID } from 'crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  QueryAnswered,
  QueryFailed,
  QueryFailureCode,
  QueryRequested,
  Topics,
  VerificationRequested,
  VerificationUpdated,
  queryRequestedTopic,
  toProviderRecord,
} from '@verihub/contracts';
import { type DepartmentRecord, type HouseholdReport, keyedIdentityHash, makeIdentityNumber, maskIdentityNumber } from '@verihub/domain';
import { TEST_IDENTITY_HASH_KEY, testAggregatorKeys } from '@verihub/domain/consent/testing/test-keys';
import { DEAD_LETTER_HEADERS, type MessagingConfig, encodeMessage, inProcessBroker, resetInProcessBroker } from '@verihub/messaging';
import { failureSignedAsProvider, signedAsProvider } from '../../../libs/adapter-sdk/src/testing/signed-answers';
import { type TestDatabase, createTestDatabase } from '../../../test/medium/test-database';
import { type RunningAudit, migrateAudit, startAudit } from '../../audit/src/audit.app';
import { type AggregatorOptions, aggregatorSettingsOf } from './aggregator-options';
import { type RunningAggregator, aggregatorDatabaseOptions, migrateAggregator, startAggregator } from './aggregator.app';
import { dataKeyIdOf } from './crypto/data-cipher';
import { VerificationRepository } from './repositories/verification.repository';

const BANKS = ['ICBC'];
const PROVIDERS = ['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC'];
const DEADLINE_MS = 1500;
const messaging = (groupId: string): MessagingConfig => ({
  transport: 'in-process',
  brokers: [],
  clientId: groupId,
  groupId,
  consumer: { retryAttempts: 2, retryInitialDelayMs: 50 },
});

const applicant = { idNumber: makeIdentityNumber('500115', '1980-03-14', 11), name: '王小明', relation: 'applicant' };
const spouse = { idNumber: makeIdentityNumber('500115', '1982-07-02', 22), name: '赵丽华', relation: 'spouse' };
const household = [applicant, spouse];
/** What must never be found at rest or in the audit log. */
const SECRETS = household.flatMap((m) => [m.idNumber, m.name]);

function verificationRequested(id: string, requestedBy = 'officer.wang'): VerificationRequested {
  return VerificationRequested.fromPartial({
    verificationId: id,
    program: 'dibao',
    purpose: 'application',
    regionCode: '500115',
    asOf: '2026-11-01',
    members: household,
    authorizations: household.map((m, i) => ({
      idNumber: m.idNumber,
      documentRef: `AUTH-2026-00077${i}`,
      signedBy: m.idNumber,
      signedAt: '2026-10-30T09:00:00+08:00',
      expiresAt: '2027-10-30T00:00:00+08:00',
    })),
    policy: {
      id: '6a1f0000-0000-4000-8000-000000000001',
      version: 1,
      regionCode: '500115',
      program: 'dibao',
      effectiveFrom: '2026-01-01',
      standardMonthlyUrban: 80_000,
      standardMonthlyRural: 60_000,
      incomeLookbackMonths: 12,
      financialAssetsMonthsLimit: 24,
      maxCountedVehicles: 0,
      exemptVehicleTypes: [],
      maxResidentialProperties: 1,
      maxNonResidentialProperties: 0,
      employmentDeductionMonthly: 0,
      discrepancyTolerance: { absolute: 10_000, relativeBasisPoints: 1000 },
    },
    requestedAt: new Date().toISOString(),
    requestedBy,
    interactive: true,
  });
}

function recordsOf(provider: string): DepartmentRecord[] {
  const origin = (recordId: string, idNumber: string) => ({ provider, recordId, idNumber });
  if (provider === 'public-security') {
    return household.map((m, i) => ({
      ...origin(`P-${i}`, m.idNumber),
      kind: 'person' as const,
      name: m.name,
      sex: i === 0 ? ('M' as const) : ('F' as const),
      birthDate: i === 0 ? '1980-03-14' : '1982-07-02',
      hukouType: 'urban' as const,
      hukouRegionCode: '500115',
      householdNumber: 'H-7',
      status: 'active' as const,
    }));
  }
  if (provider === 'tax') {
    return [{ ...origin('T-1', applicant.idNumber), kind: 'income', period: '2026-09', item: 'wage', incomeFen: 240_000, taxFen: 0, withholder: 'ACME' }];
  }
  return [];
}

async function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface AuditRow {
  action: string;
  source_service: string;
  actor_username: string;
  actor_role: string;
  actor_region: string | null;
  verification_id: string;
  program: string;
  purpose: string;
  region_code: string;
  authorization_refs: string[];
  provider: string;
  subject_hashes: string[];
  subjects_masked: string[];
  data_categories: string[];
  outcome_status: string;
  record_count: number | null;
  latency_ms: number | null;
}

describe('privacy: the audit trail of provider queries, and personal data encrypted at rest', () => {
  let db: TestDatabase;
  let sql: Client;
  let audit: RunningAudit;
  let aggregator: RunningAggregator | undefined;

  const aggregatorOptions = (overrides: Partial<AggregatorOptions> = {}): AggregatorOptions => ({
    databaseUrl: db.url,
    messaging: messaging('verihub-aggregator'),
    bankCodes: BANKS,
    providerDeadlineMs: DEADLINE_MS,
    sweepIntervalMs: 100,
    sweepStartupGraceMs: 0,
    lateAnswerWindowMs: 200,
    poolSize: 4,
    logger: false,
    ...testAggregatorKeys(BANKS),
    ...overrides,
  });

  beforeAll(async () => {
    resetInProcessBroker();
    db = await createTestDatabase();
    await migrateAggregator({ databaseUrl: db.url });
    await migrateAudit({ databaseUrl: db.url });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    audit = await startAudit({
      databaseUrl: db.url,
      messaging: messaging('verihub-audit'),
      port: 0,
      host: '127.0.0.1',
      jwtSecret: randomBytes(32).toString('hex'),
      identityHashKey: TEST_IDENTITY_HASH_KEY,
      poolSize: 3,
      logger: false,
    });
    aggregator = await startAggregator(aggregatorOptions());
  });

  afterAll(async () => {
    await aggregator?.close();
    await audit?.close();
    await sql?.end();
    await db?.drop();
    resetInProcessBroker();
  });

  const publish = (topic: string, key: string, value: Uint8Array): void => inProcessBroker().publish([{ topic, key, value }]);

  const queriesFor = (id: string): QueryRequested[] =>
    PROVIDERS.flatMap((p) => inProcessBroker().read(queryRequestedTopic(p)))
      .filter((m) => m.key === id)
      .map((m) => QueryRequested.decode(m.value));

  const answer = (query: QueryRequested, records = recordsOf(query.provider)): void =>
    publish(
      Topics.queryAnswered,
      query.verificationId,
      encodeMessage(
        QueryAnswered,
        signedAsProvider(
          QueryAnswered.fromPartial({
            requestId: query.requestId,
            verificationId: query.verificationId,
            provider: query.provider,
            answeredAt: new Date().toISOString(),
            records: records.map(toProviderRecord),
            notFoundIdNumbers: records.length === 0 ? query.members.map((m) => m.idNumber) : [],
          }),
        ),
      ),
    );

  const fail = (query: QueryRequested): void =>
    publish(
      Topics.queryFailed,
      query.verificationId,
      encodeMessage(
        QueryFailed,
        failureSignedAsProvider(
          QueryFailed.fromPartial({
            requestId: query.requestId,
            verificationId: query.verificationId,
            provider: query.provider,
            failedAt: new Date().toISOString(),
            code: QueryFailureCode.QUERY_FAILURE_CODE_SOURCE_UNAVAILABLE,
            reason: 'maintenance',
          }),
        ),
      ),
    );

  const reportOf = (id: string) =>
    eventually(`the report of ${id}`, () => {
      const update = inProcessBroker()
        .read(Topics.verificationUpdated)
        .filter((m) => m.key === id)
        .map((m) => VerificationUpdated.decode(m.value))
        .find((u) => u.reportVersion === 1);
      return update ? (JSON.parse(update.reportJson) as HouseholdReport) : undefined;
    });

  const auditRows = async (id: string): Promise<AuditRow[]> =>
    (await sql.query<AuditRow>(`SELECT * FROM audit.entries WHERE verification_id = $1 ORDER BY sequence`, [id])).rows;

  /** Every row of every table of a schema, as JSON text (bytea columns also as text). */
  const everyRow = async (schema: string): Promise<Map<string, string[]>> => {
    const tables = (
      await sql.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema])
    ).rows.map((r) => r.table_name);
    const out = new Map<string, string[]>();
    for (const table of tables) {
      const rows = (await sql.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${schema}"."${table}" t`)).rows.map((r) => r.row);
      out.set(table, rows);
    }
    const bytes = (await sql.query<{ value: Buffer }>(`SELECT value FROM "${schema}".outbox`).catch(() => ({ rows: [] as { value: Buffer }[] }))).rows;
    out.set('outbox (bytes)', bytes.map((r) => r.value.toString('utf8')));
    return out;
  };

  /** One household checked end to end: every provider but provident-fund reacts (an answer, none, a failure). */
  async function checkHousehold(requestedBy = 'officer.wang'): Promise<{ id: string; report: HouseholdReport }> {
    const id = randomUUID();
    publish(Topics.verificationRequested, id, encodeMessage(VerificationRequested, verificationRequested(id, requestedBy)));
    const queries = await eventually('every query', () => {
      const q = queriesFor(id);
      return q.length === PROVIDERS.length ? q : undefined;
    });
    for (const q of queries) {
      if (q.provider === 'bank:ICBC') fail(q);
      else if (q.provider !== 'provident-fund') answer(q);
    }
    return { id, report: await reportOf(id) };
  }

  let first: { id: string; report: HouseholdReport };
  /** After the rotation test: a new current key, the test key kept as a previous one. */
  const rotatedKeys = { dataEncryptionKey: randomBytes(32).toString('base64'), previousDataEncryptionKeys: [testAggregatorKeys(BANKS).dataEncryptionKey] };

  it('records each query and each answer, failure and timeout in the audit log, and the audit service accepts every event', async () => {
    first = await checkHousehold();
    const { id } = first;
    const rows = await eventually('10 audit entries', async () => {
      const r = await auditRows(id);
      return r.length >= 2 * PROVIDERS.length ? r : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 200)); // nothing more arrives
    expect(await auditRows(id)).toHaveLength(2 * PROVIDERS.length);
    const subjectHashes = household.map((m) => keyedIdentityHash(m.idNumber, TEST_IDENTITY_HASH_KEY));
    const masked = household.map((m) => maskIdentityNumber(m.idNumber));
    for (const row of rows) {
      expect(row).toMatchObject({
        source_service: 'aggregator',
        actor_username: 'officer.wang',
        actor_role: 'officer',
        actor_region: '500115',
        program: 'dibao',
        purpose: 'application',
        region_code: '500115',
        authorization_refs: ['AUTH-2026-000770', 'AUTH-2026-000771'],
        subject_hashes: subjectHashes,
        subjects_masked: masked,
      });
    }
    const sent = rows.filter((r) => r.action === 'provider_query_sent');
    expect(sent.map((r) => r.provider).sort()).toEqual([...PROVIDERS].sort());
    expect(sent.every((r) => r.outcome_status === 'succeeded' && r.record_count === null && r.latency_ms === null)).toBe(true);
    expect(sent.find((r) => r.provider === 'tax')?.data_categories).toEqual(['income']);
    expect(sent.find((r) => r.provider === 'bank:ICBC')?.data_categories).toEqual(['deposits', 'wealth', 'securities']);

    const received = new Map(rows.filter((r) => r.action === 'provider_answer_received').map((r) => [r.provider, r]));
    expect([...received.keys()].sort()).toEqual([...PROVIDERS].sort());
    expect(received.get('public-security')).toMatchObject({ outcome_status: 'answered', record_count: 2, data_categories: ['identity', 'hukou', 'vital_status', 'vehicles'] });
    expect(received.get('tax')).toMatchObject({ outcome_status: 'answered', record_count: 1 });
    expect(received.get('housing')).toMatchObject({ outcome_status: 'no_record', record_count: 0 });
    expect(received.get('bank:ICBC')).toMatchObject({ outcome_status: 'error', record_count: null });
    // The sweeper's timeout is an answer event too, its latency the time the provider was given.
    expect(received.get('provident-fund')).toMatchObject({ outcome_status: 'timeout', record_count: null });
    expect(received.get('provident-fund')!.latency_ms).toBeGreaterThanOrEqual(DEADLINE_MS);
    for (const r of received.values()) expect(r.latency_ms).toEqual(expect.any(Number));

    // Nothing dead-lettered, nothing identifying in the log.
    expect(inProcessBroker().read(Topics.deadLetter).filter((m) => m.headers[DEAD_LETTER_HEADERS.originalTopic].startsWith('verihub.audit.'))).toEqual([]);
    for (const rowsOf of (await everyRow('audit')).values()) for (const text of rowsOf) for (const s of SECRETS) expect(text).not.toContain(s);
  });

  it('stores no identity number or name of the household in any table, yet computes the report from them', async () => {
    const { id, report } = first;
    // The report (in memory, sent to the gateway) has the household in full, and its figures.
    expect(report.members.map((m) => [m.idNumber, m.name])).toEqual(household.map((m) => [m.idNumber, m.name]));
    expect(report.members[0].income.wage).toBe(20_000); // 240 000 fen in the 12-month lookback
    expect(report.sources.find((s) => s.provider === 'public-security')).toMatchObject({ status: 'answered', records: 2 });

    await eventually('an empty outbox', async () => ((await sql.query(`SELECT 1 FROM aggregator.outbox`)).rowCount === 0 ? true : undefined));
    const tables = await everyRow('aggregator');
    expect([...tables.keys()]).toEqual(expect.arrayContaining(['verifications', 'provider_answers', 'report_versions', 'data_keys']));
    expect(tables.get('verifications')!.length).toBeGreaterThan(0);
    expect(tables.get('provider_answers')!.length).toBeGreaterThan(0);
    expect(tables.get('report_versions')!.length).toBeGreaterThan(0);
    for (const [table, rows] of tables) {
      for (const text of rows) for (const s of SECRETS) expect({ table, found: text.includes(s) }).toEqual({ table, found: false });
    }

    // The keyed hashes beside the sealed members find a person's verifications; the repository opens them.
    const { rows: stored } = await sql.query<{ member_hashes: string[]; members: { kid: string } }>(
      `SELECT member_hashes, members FROM aggregator.verifications WHERE id = $1`,
      [id],
    );
    expect(stored[0].member_hashes).toEqual(household.map((m) => keyedIdentityHash(m.idNumber, TEST_IDENTITY_HASH_KEY)));
    expect(stored[0].members.kid).toBe(dataKeyIdOf(Buffer.from(testAggregatorKeys(BANKS).dataEncryptionKey, 'base64')));
    const dataSource = await new DataSource(aggregatorDatabaseOptions(db.url, 1)).initialize();
    try {
      const repository = new VerificationRepository(aggregatorSettingsOf(aggregatorOptions()));
      expect(await repository.idsAbout(dataSource.manager, spouse.idNumber)).toContain(id);
      expect(await repository.idsAbout(dataSource.manager, makeIdentityNumber('110105', '1990-01-01', 33))).toEqual([]);
      const opened = await dataSource.transaction((m) => repository.lock(m, id));
      expect(opened!.members.map((m) => m.name)).toEqual(household.map((m) => m.name));
      expect(opened!.authorizations.map((a) => a.documentRef)).toEqual(['AUTH-2026-000770', 'AUTH-2026-000771']);
    } finally {
      await dataSource.destroy();
    }
  });

  it('refuses to start with a wrong data key, naming the key ids, and opens old data after a rotation', async () => {
    const wrongKey = rotatedKeys.dataEncryptionKey;
    await expect(startAggregator(aggregatorOptions({ dataEncryptionKey: wrongKey }))).rejects.toThrow(
      /VERIHUB_DATA_ENCRYPTION_KEY is wrong: personal data is encrypted under data key [0-9a-f]{16}, which is not configured/,
    );
    // A malformed key never gets that far.
    await expect(startAggregator(aggregatorOptions({ dataEncryptionKey: 'not-a-key' }))).rejects.toThrow(/VERIHUB_DATA_ENCRYPTION_KEY/);

    // Rotation: the new key seals from now on, the previous one still opens what it sealed.
    await aggregator!.close();
    const oldKey = testAggregatorKeys(BANKS).dataEncryptionKey;
    aggregator = await startAggregator(aggregatorOptions(rotatedKeys));
    const second = await checkHousehold('officer.li');
    expect(second.report.members.map((m) => m.name)).toEqual(household.map((m) => m.name));
    const { rows } = await sql.query<{ id: string; kid: string }>(`SELECT id, members->>'kid' AS kid FROM aggregator.verifications`);
    const newKid = dataKeyIdOf(Buffer.from(wrongKey, 'base64'));
    expect(rows.find((r) => r.id === second.id)?.kid).toBe(newKid);
    expect(rows.find((r) => r.id === first.id)?.kid).toBe(dataKeyIdOf(Buffer.from(oldKey, 'base64')));
    expect((await sql.query(`SELECT kid FROM aggregator.data_keys ORDER BY kid`)).rows.map((r) => r.kid).sort()).toEqual(
      [newKid, dataKeyIdOf(Buffer.from(oldKey, 'base64'))].sort(),
    );
    // Without the old key, the new one alone does not start: the old data would be unreadable.
    await aggregator!.close();
    aggregator = undefined;
    await expect(startAggregator(aggregatorOptions({ dataEncryptionKey: wrongKey }))).rejects.toThrow(/is not configured/);
    aggregator = await startAggregator(aggregatorOptions(rotatedKeys));
  });

  it('seals, at start, a verification stored in plaintext before encryption at rest', async () => {
    const id = randomUUID();
    await sql.query(
      `INSERT INTO aggregator.verifications (id, program, purpose, region_code, as_of, members, authorizations, declared, policy,
         requested_at, requested_by, interactive, status, current_round, member_hashes)
       VALUES ($1, 'dibao', 'application', '500115', '2026-11-01', $2, '[]', NULL, '{}', now(), 'officer.wang', true, 'complete', 1, '{}')`,
      [id, JSON.stringify(household)],
    );
    await aggregator!.close();
    aggregator = await startAggregator(aggregatorOptions(rotatedKeys));
    const { rows } = await sql.query<{ row: string; member_hashes: string[] }>(
      `SELECT row_to_json(v)::text AS row, member_hashes FROM aggregator.verifications v WHERE id = $1`,
      [id],
    );
    for (const s of SECRETS) expect(rows[0].row).not.toContain(s);
    expect(rows[0].member_hashes).toEqual(household.map((m) => keyedIdentityHash(m.idNumber, TEST_IDENTITY_HASH_KEY)));
  });
});
