/**
 * The aggregator as it runs: real PostgreSQL with its migrations, the in-process transport, the real
 * handlers, use cases, outbox relay and deadline sweeper. The test plays the gateway and the providers.
 */
import { randomUUID } from 'crypto';
import { Client } from 'pg';
import {
  AuditEventRecorded,
  QueryAnswered,
  QueryFailed,
  QueryFailureCode,
  QueryRequested,
  SourceStatus,
  Topics,
  VerificationRequested,
  VerificationStatus,
  VerificationUpdated,
  queryRequestedTopic,
  toProviderRecord,
  batchLane,
  auditEventsIn,
} from '@verihub/contracts';
import {
  type DepartmentRecord,
  type HouseholdReport,
  generateSigningKeyPair,
  makeIdentityNumber,
  memberHashes,
  parsePublicKey,
  verifyQueryToken,
} from '@verihub/domain';
import { TEST_IDENTITY_HASH_KEY, testAggregatorKeys, testProviderKeyPair, testQueryKeys } from '@verihub/domain/consent/testing/test-keys';
import { failureSignedAsProvider, signedAsProvider } from '../../../libs/adapter-sdk/src/testing/signed-answers';
import {
  DEAD_LETTER_HEADERS,
  type MessagingConfig,
  encodeMessage,
  inProcessBroker,
  resetInProcessBroker,
} from '@verihub/messaging';
import { type TestDatabase, createTestDatabase } from '../../../test/medium/test-database';
import { type RunningAggregator, migrateAggregator, startAggregator } from './aggregator.app';

const BANKS = ['ICBC'];
const PROVIDERS = ['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC'];
const DEADLINE_MS = 2500;
/** In-process, nothing waits in a transport the aggregator does not read: no catch-up grace needed. */
const GRACE_MS = 0;
const WINDOW_MS = 300;
const messaging: MessagingConfig = {
  transport: 'in-process',
  brokers: [],
  clientId: 'aggregator-test',
  groupId: 'verihub-aggregator',
  consumer: { retryAttempts: 2, retryInitialDelayMs: 50 },
};

const applicant = { idNumber: makeIdentityNumber('500115', '1980-03-14', 11), name: '张三', relation: 'applicant' };
const spouse = { idNumber: makeIdentityNumber('500115', '1982-07-02', 22), name: '李四', relation: 'spouse' };

function verificationRequested(id: string, overrides: Partial<VerificationRequested> = {}): VerificationRequested {
  return VerificationRequested.fromPartial({
    verificationId: id,
    program: 'dibao',
    purpose: 'application',
    regionCode: '500115',
    asOf: '2026-11-01',
    members: [applicant, spouse],
    declared: { monthlyIncome: { wage: 300_000, transfer: 50_000 }, financialAssets: 1_000_000, vehicles: 0, properties: 1 },
    authorizations: [applicant, spouse].map((m, i) => ({
      idNumber: m.idNumber,
      documentRef: `AUTH-2026-00012${i}`,
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
      exemptVehicleTypes: ['disability'],
      maxResidentialProperties: 1,
      maxNonResidentialProperties: 0,
      employmentDeductionMonthly: 0,
      discrepancyTolerance: { absolute: 10_000, relativeBasisPoints: 1000 },
    },
    requestedAt: '2026-11-01T10:00:00+08:00',
    requestedBy: 'officer',
    interactive: true,
    ...overrides,
  });
}

/** What each provider holds on the household (what the test's providers answer). */
function recordsOf(provider: string): DepartmentRecord[] {
  const origin = (recordId: string, idNumber: string) => ({ provider, recordId, idNumber });
  switch (provider) {
    case 'public-security':
      return [applicant, spouse].map((m, i) => ({
        ...origin(`P-${i}`, m.idNumber),
        kind: 'person' as const,
        name: m.name,
        sex: i === 0 ? ('M' as const) : ('F' as const),
        birthDate: i === 0 ? '1980-03-14' : '1982-07-02',
        hukouType: 'urban' as const,
        hukouRegionCode: '500115',
        householdNumber: 'H-1',
        status: 'active' as const,
      }));
    case 'tax':
      return [
        { ...origin('T-1', applicant.idNumber), kind: 'income', period: '2026-09', item: 'wage', incomeFen: 240_000, taxFen: 0, withholder: 'ACME' },
      ];
    case 'bank:ICBC':
      return [
        { ...origin('B-1', spouse.idNumber), kind: 'bank_holding', accountNo: '6222-1', product: 'current', balanceFen: 1_234_500, asOf: '2026-11-01' },
      ];
    default:
      return [];
  }
}

describe('aggregator (in-process transport, real PostgreSQL)', () => {
  let db: TestDatabase;
  let sql: Client;
  let aggregator: RunningAggregator | undefined;

  const start = async (): Promise<void> => {
    aggregator = await startAggregator({
      databaseUrl: db.url,
      messaging,
      bankCodes: BANKS,
      providerDeadlineMs: DEADLINE_MS,
      sweepIntervalMs: 100,
      sweepStartupGraceMs: GRACE_MS,
      lateAnswerWindowMs: WINDOW_MS,
      poolSize: 4,
      logger: ['error'],
      ...testAggregatorKeys(BANKS),
    });
  };

  beforeAll(async () => {
    resetInProcessBroker();
    db = await createTestDatabase();
    await migrateAggregator({ databaseUrl: db.url });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    await start();
  });

  afterAll(async () => {
    await aggregator?.close();
    await sql?.end();
    await db?.drop();
    resetInProcessBroker();
  });

  // ---- the test's gateway and providers ----

  const publish = (topic: string, key: string, value: Uint8Array): void => inProcessBroker().publish([{ topic, key, value }]);

  const requestVerification = (request: VerificationRequested): void =>
    publish(Topics.verificationRequested, request.verificationId, encodeMessage(VerificationRequested, request));

  const queriesFor = (id: string): QueryRequested[] =>
    PROVIDERS.flatMap((p) => inProcessBroker().read(queryRequestedTopic(p)))
      .filter((m) => m.key === id)
      .map((m) => QueryRequested.decode(m.value));

  const updatesFor = (id: string): VerificationUpdated[] =>
    inProcessBroker()
      .read(Topics.verificationUpdated)
      .filter((m) => m.key === id)
      .map((m) => VerificationUpdated.decode(m.value));

  const lastUpdate = (id: string): VerificationUpdated | undefined => updatesFor(id).at(-1);

  /** The provider's answer, signed with its registered key ('valid'), not signed, or signed with another key. */
  const answer = (query: QueryRequested, records = recordsOf(query.provider), signing: 'valid' | 'unsigned' | 'forged' = 'valid'): void => {
    const message = QueryAnswered.fromPartial({
      requestId: query.requestId,
      verificationId: query.verificationId,
      provider: query.provider,
      answeredAt: new Date().toISOString(),
      records: records.map(toProviderRecord),
      notFoundIdNumbers: records.length === 0 ? query.members.map((m) => m.idNumber) : [],
    });
    const sent =
      signing === 'valid' ? signedAsProvider(message) : signing === 'forged' ? signedAsProvider(message, generateSigningKeyPair().privateKey) : message;
    publish(Topics.queryAnswered, query.verificationId, encodeMessage(QueryAnswered, sent));
  };

  const fail = (query: QueryRequested, reason: string): void =>
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
            reason,
          }),
        ),
      ),
    );

  async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const queriesArrive = (id: string, count = PROVIDERS.length) =>
    eventually(`${count} queries for ${id}`, () => {
      const queries = queriesFor(id);
      return queries.length >= count ? queries : undefined;
    });

  const reportVersion = (id: string, version: number) =>
    eventually(`report version ${version} of ${id}`, () => {
      const update = updatesFor(id).find((u) => u.reportVersion === version);
      return update ? { update, report: JSON.parse(update.reportJson) as HouseholdReport } : undefined;
    });

  const rows = async <T extends Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> =>
    (await sql.query<T>(query, params)).rows;

  const counts = async (id: string) => ({
    verifications: (await rows(`SELECT 1 FROM aggregator.verifications WHERE id = $1`, [id])).length,
    requests: (await rows(`SELECT 1 FROM aggregator.provider_requests WHERE verification_id = $1`, [id])).length,
    answers: (
      await rows(
        `SELECT 1 FROM aggregator.provider_answers a JOIN aggregator.provider_requests r USING (request_id) WHERE r.verification_id = $1`,
        [id],
      )
    ).length,
    reports: (await rows(`SELECT 1 FROM aggregator.report_versions WHERE verification_id = $1`, [id])).length,
    outbox: (await rows(`SELECT 1 FROM aggregator.outbox WHERE message_key = $1`, [id])).length,
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

  // ---- the tests ----

  it('asks every registered provider once, on its own topic, and tells the gateway the check is pending', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id));

    const queries = await queriesArrive(id);
    expect(queries.map((q) => q.provider).sort()).toEqual([...PROVIDERS].sort());
    expect(new Set(queries.map((q) => q.requestId)).size).toBe(PROVIDERS.length);
    for (const q of queries) {
      expect(q).toMatchObject({
        verificationId: id,
        members: [
          { idNumber: applicant.idNumber, name: applicant.name },
          { idNumber: spouse.idNumber, name: spouse.name },
        ],
        incomePeriod: { from: '2025-11', to: '2026-10' },
        assetsAsOf: '2026-11-01',
        program: 'dibao',
        purpose: 'application',
        regionCode: '500115',
        interactive: true,
      });
      expect(q.authorizations.map((a) => a.documentRef)).toEqual(['AUTH-2026-000120', 'AUTH-2026-000121']);
      expect(q.deadline).toMatch(/\+08:00$/);
      const untilDeadline = Date.parse(q.deadline) - Date.now();
      expect(untilDeadline).toBeGreaterThan(0);
      expect(untilDeadline).toBeLessThanOrEqual(DEADLINE_MS);
      // Each carries the aggregator's token for exactly this provider, request and members (by keyed hash).
      const check = verifyQueryToken(
        q.queryToken,
        parsePublicKey(testQueryKeys().publicKey),
        {
          provider: q.provider,
          verificationId: id,
          requestId: q.requestId,
          memberHashes: memberHashes([applicant.idNumber, spouse.idNumber], TEST_IDENTITY_HASH_KEY),
          purpose: 'application',
          program: 'dibao',
        },
        new Date(),
      );
      expect(check.ok).toBe(true);
      for (const member of [applicant, spouse]) expect(Buffer.from(q.queryToken.split('.')[1], 'base64url').toString()).not.toContain(member.idNumber);
    }

    const pending = await eventually('a pending update', () => lastUpdate(id));
    expect(pending.status).toBe(VerificationStatus.VERIFICATION_STATUS_PENDING);
    expect(pending.reportVersion).toBe(0);
    expect(pending.sources.map((s) => [s.provider, s.status]).sort()).toEqual(
      PROVIDERS.map((p) => [p, SourceStatus.SOURCE_STATUS_PENDING]).sort(),
    );
    // Answer so the sweeper does not time this check out while later tests run.
    queries.forEach((q) => answer(q));
    await reportVersion(id, 1);
  });

  it('keeps a batch check on the batch lane end to end, and tells the gateway only of its start and its report', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id, { interactive: false }));
    const batchQueries = await eventually('the batch-lane queries', () => {
      const found = PROVIDERS.flatMap((p) => inProcessBroker().read(batchLane(queryRequestedTopic(p))))
        .filter((m) => m.key === id)
        .map((m) => QueryRequested.decode(m.value));
      return found.length === PROVIDERS.length ? found : undefined;
    });
    expect(queriesFor(id)).toEqual([]); // nothing on the interactive request topics
    expect(batchQueries.every((q) => q.interactive === false)).toBe(true);
    batchQueries.forEach((q) => answer(q));
    const batchUpdates = () => inProcessBroker().read(batchLane(Topics.verificationUpdated)).filter((m) => m.key === id).map((m) => VerificationUpdated.decode(m.value));
    await eventually('the report on the batch lane', () => batchUpdates().some((u) => u.reportVersion === 1));
    await settle();
    // Pending when started, then the report: no per-answer progress for a batch household, none on the interactive lane.
    expect(batchUpdates().map((u) => [u.status, u.reportVersion])).toEqual([
      [VerificationStatus.VERIFICATION_STATUS_PENDING, 0],
      [VerificationStatus.VERIFICATION_STATUS_COMPLETE, 1],
    ]);
    expect(updatesFor(id)).toEqual([]);
  });

  it('changes nothing when the same request arrives again', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id));
    const queries = await queriesArrive(id);
    // Published rows are deleted (they carry personal data): an empty outbox means everything went out.
    await eventually('the relay to publish', async () => ((await counts(id)).outbox === 0 ? true : undefined));
    const before = await counts(id);

    requestVerification(verificationRequested(id));
    requestVerification(verificationRequested(id, { requestedAt: '2026-11-01T10:05:00+08:00' }));
    await settle();

    expect(await counts(id)).toEqual(before);
    expect(queriesFor(id)).toHaveLength(PROVIDERS.length);
    queries.forEach((q) => answer(q));
    await reportVersion(id, 1);
  });

  it('issues report version 1, complete, once every provider has answered', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id));
    const queries = await queriesArrive(id);
    queries.forEach((q) => answer(q));

    const { update, report } = await reportVersion(id, 1);
    expect(update.status).toBe(VerificationStatus.VERIFICATION_STATUS_COMPLETE);
    expect(update.changeReason).toBe('first issue');
    expect(update.sources).toHaveLength(PROVIDERS.length);
    const statusOf = Object.fromEntries(update.sources.map((s) => [s.provider, [s.status, s.records, s.late]]));
    expect(statusOf).toEqual({
      'public-security': [SourceStatus.SOURCE_STATUS_ANSWERED, 2, false],
      tax: [SourceStatus.SOURCE_STATUS_ANSWERED, 1, false],
      housing: [SourceStatus.SOURCE_STATUS_NO_RECORD, 0, false],
      'provident-fund': [SourceStatus.SOURCE_STATUS_NO_RECORD, 0, false],
      'bank:ICBC': [SourceStatus.SOURCE_STATUS_ANSWERED, 1, false],
    });
    for (const s of update.sources) expect(s.respondedAt).toMatch(/\+08:00$/);

    expect(report.verificationId).toBe(id);
    expect(report.version).toBe(1);
    expect(report.reportNumber).toBe(`HC-20261101-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`);
    expect(report.asOf).toBe('2026-11-01');
    expect(report.sources.map((s) => s.status).sort()).toEqual(['answered', 'answered', 'answered', 'no_record', 'no_record']);
    // Each source's figures are shown to come from the department: its signature, verified with its key.
    for (const source of report.sources) expect(source.signature).toEqual({ keyId: testProviderKeyPair(source.provider).keyId, verified: true });
    const stored = await rows<{ provider: string; key_id: string; signature: string }>(
      `SELECT r.provider, a.key_id, a.signature FROM aggregator.provider_answers a JOIN aggregator.provider_requests r USING (request_id)
        WHERE r.verification_id = $1`,
      [id],
    );
    expect(stored).toHaveLength(PROVIDERS.length);
    for (const row of stored) {
      expect(row.key_id).toBe(testProviderKeyPair(row.provider).keyId);
      expect(row.signature.startsWith(`${row.key_id}.`)).toBe(true);
    }
    expect(report.assets.financialTotal).toBe(1_234_500);
    expect(report.members.map((m) => m.identity)).toEqual(['verified', 'verified']);

    const [verification] = await rows(`SELECT status, report_version FROM aggregator.verifications WHERE id = $1`, [id]);
    expect(verification).toEqual({ status: 'complete', report_version: 1 });
    const versions = await rows(`SELECT version, status, change_reason, changes FROM aggregator.report_versions WHERE verification_id = $1`, [id]);
    expect(versions).toEqual([{ version: 1, status: 'complete', change_reason: 'first issue', changes: null }]);
  });

  it('changes nothing when an answer arrives twice', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id));
    const queries = await queriesArrive(id);
    queries.forEach((q) => answer(q));
    await reportVersion(id, 1);
    const before = await counts(id);
    const updatesBefore = updatesFor(id).length;

    answer(queries[0]);
    answer(queries[1], []);
    await settle();

    expect(await counts(id)).toEqual(before);
    expect(updatesFor(id)).toHaveLength(updatesBefore);
    expect(inProcessBroker().read(Topics.deadLetter).filter((m) => m.key === id)).toEqual([]);
  });

  it('marks a provider that failed as error and issues a partial report', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id));
    const queries = await queriesArrive(id);
    for (const q of queries) {
      if (q.provider === 'housing') fail(q, 'exchange database offline');
      else answer(q);
    }
    const { update, report } = await reportVersion(id, 1);
    expect(update.status).toBe(VerificationStatus.VERIFICATION_STATUS_PARTIAL);
    const housing = update.sources.find((s) => s.provider === 'housing');
    expect(housing).toMatchObject({ status: SourceStatus.SOURCE_STATUS_ERROR, reason: 'source_unavailable: exchange database offline' });
    expect(report.sources.find((s) => s.provider === 'housing')).toMatchObject({ status: 'error' });
    expect(report.tests.realEstate).toBe('unknown');
  });

  it('times out a silent provider (partial, v1), then records its late answer as report v2 with v1 unchanged', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id));
    const queries = await queriesArrive(id);
    const silent = queries.find((q) => q.provider === 'bank:ICBC')!;
    queries.filter((q) => q !== silent).forEach((q) => answer(q));

    const v1 = await reportVersion(id, 1);
    expect(v1.update.status).toBe(VerificationStatus.VERIFICATION_STATUS_PARTIAL);
    expect(v1.update.sources.find((s) => s.provider === 'bank:ICBC')).toMatchObject({
      status: SourceStatus.SOURCE_STATUS_TIMEOUT,
      respondedAt: '',
    });
    expect(v1.report.sources.find((s) => s.provider === 'bank:ICBC')).toMatchObject({ status: 'timeout' });
    expect(v1.report.tests.financialAssets).toBe('unknown');
    expect(v1.report.assets.financialTotal).toBe(0);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(silent.deadline));
    const [storedV1] = await rows<{ report: unknown }>(
      `SELECT report FROM aggregator.report_versions WHERE verification_id = $1 AND version = 1`,
      [id],
    );

    answer(silent);
    const v2 = await reportVersion(id, 2);
    expect(v2.update.status).toBe(VerificationStatus.VERIFICATION_STATUS_COMPLETE);
    expect(v2.update.changeReason).toBe('late answer from bank:ICBC');
    expect(v2.update.sources.find((s) => s.provider === 'bank:ICBC')).toMatchObject({
      status: SourceStatus.SOURCE_STATUS_ANSWERED,
      records: 1,
      late: true,
    });
    expect(v2.report.version).toBe(2);
    expect(v2.report.reportNumber).toBe(v1.report.reportNumber);
    expect(v2.report.assets.financialTotal).toBe(1_234_500);
    expect(v2.report.sources.find((s) => s.provider === 'bank:ICBC')).toMatchObject({ status: 'answered', late: true });

    const versions = await rows<{ version: number; change_reason: string; report: unknown; changes: { path: string }[] | null }>(
      `SELECT version, change_reason, report, changes FROM aggregator.report_versions WHERE verification_id = $1 ORDER BY version`,
      [id],
    );
    expect(versions.map((v) => [v.version, v.change_reason])).toEqual([
      [1, 'first issue'],
      [2, 'late answer from bank:ICBC'],
    ]);
    expect(versions[0].report).toEqual(storedV1.report);
    expect(versions[1].changes?.map((c) => c.path)).toEqual(
      expect.arrayContaining(['assets.financialTotal', 'sources[bank:ICBC].status']),
    );
    const [request] = await rows(
      `SELECT status, late, record_count FROM aggregator.provider_requests WHERE request_id = $1`,
      [silent.requestId],
    );
    expect(request).toEqual({ status: 'answered', late: true, record_count: 1 });
  });

  it('reports late answers that arrive together in one new version naming each provider', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id));
    const queries = await queriesArrive(id);
    const silent = queries.filter((q) => q.provider === 'tax' || q.provider === 'housing');
    queries.filter((q) => !silent.includes(q)).forEach((q) => answer(q));
    const v1 = await reportVersion(id, 1);
    expect(v1.update.status).toBe(VerificationStatus.VERIFICATION_STATUS_PARTIAL);

    silent.forEach((q) => answer(q)); // both late, delivered together
    const v2 = await reportVersion(id, 2);
    expect(v2.update.status).toBe(VerificationStatus.VERIFICATION_STATUS_COMPLETE);
    expect(v2.update.changeReason).toBe('late answers from tax, housing');
    expect(v2.report.sources.filter((s) => s.late).map((s) => s.provider).sort()).toEqual(['housing', 'tax']);
    await settle();
    const versions = await rows<{ version: number; change_reason: string }>(
      `SELECT version, change_reason FROM aggregator.report_versions WHERE verification_id = $1 ORDER BY version`,
      [id],
    );
    expect(versions).toEqual([
      { version: 1, change_reason: 'first issue' },
      { version: 2, change_reason: 'late answers from tax, housing' },
    ]);
    // The gateway never saw a report that did not match an issued version.
    const shownWithV1 = updatesFor(id)
      .filter((u) => u.reportVersion === 1)
      .flatMap((u) => u.sources.filter((s) => s.provider === 'tax' || s.provider === 'housing').map((s) => s.status));
    expect(new Set(shownWithV1)).toEqual(new Set([SourceStatus.SOURCE_STATUS_TIMEOUT]));
  });

  it('records an unsigned or forged answer as an error, never as answered, and takes the provider’s signed answer after it', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id));
    const queries = await queriesArrive(id);
    const tax = queries.find((q) => q.provider === 'tax')!;
    const bank = queries.find((q) => q.provider === 'bank:ICBC')!;
    answer(tax, recordsOf('tax'), 'unsigned');
    answer(bank, recordsOf('bank:ICBC'), 'forged');
    queries.filter((q) => q !== tax && q !== bank).forEach((q) => answer(q));

    const v1 = await reportVersion(id, 1);
    expect(v1.update.status).toBe(VerificationStatus.VERIFICATION_STATUS_PARTIAL);
    const sourceOf = (report: HouseholdReport, provider: string) => report.sources.find((s) => s.provider === provider)!;
    expect(sourceOf(v1.report, 'tax')).toMatchObject({ status: 'error', records: 0, reason: 'answer signature missing' });
    expect(sourceOf(v1.report, 'bank:ICBC')).toMatchObject({ status: 'error', records: 0, reason: 'answer signature invalid' });
    expect(sourceOf(v1.report, 'tax').signature).toBeUndefined();
    expect(v1.report.assets.financialTotal).toBe(0); // the forged bank figures are not in the report
    const answered = await rows<{ provider: string }>(
      `SELECT r.provider FROM aggregator.provider_answers a JOIN aggregator.provider_requests r USING (request_id) WHERE r.verification_id = $1`,
      [id],
    );
    expect(answered.map((r) => r.provider).sort()).toEqual(['housing', 'provident-fund', 'public-security']);

    // A second forgery changes nothing; the provider's own signed answer still counts, in a new version.
    answer(tax, [], 'forged');
    answer(tax);
    const v2 = await reportVersion(id, 2);
    expect(sourceOf(v2.report, 'tax')).toMatchObject({ status: 'answered', records: 1, signature: { keyId: testProviderKeyPair('tax').keyId, verified: true } });
    expect(sourceOf(v2.report, 'bank:ICBC')).toMatchObject({ status: 'error', reason: 'answer signature invalid' });
    const [taxRow] = await rows(`SELECT status, reason FROM aggregator.provider_requests WHERE request_id = $1`, [tax.requestId]);
    expect(taxRow).toEqual({ status: 'answered', reason: null });

    // Each forgery is in the audit log (refused, with its reason), the one after the request settled too.
    const refusedOf = () =>
      auditEventsIn([...inProcessBroker().read(Topics.auditEventRecorded), ...inProcessBroker().read(Topics.auditEventsRecorded)])
        .filter((e) => e.case?.verificationId === id)
        .filter((e) => e.action === 'provider_answer_received' && e.outcome?.status === 'refused');
    const refused = await eventually('three refused answers in the audit log', () => (refusedOf().length >= 3 ? refusedOf() : undefined));
    expect(refused).toHaveLength(3);
    expect(refused.map((e) => [e.provider, e.dataCategories])).toEqual(
      expect.arrayContaining([
        ['tax', ['answer_signature_missing']],
        ['bank:ICBC', ['answer_signature_invalid']],
        ['tax', ['answer_signature_invalid']],
      ]),
    );
  });

  it('dead-letters an answer to a request it never made, and stores nothing', async () => {
    const id = randomUUID();
    const stranger = QueryRequested.fromPartial({ requestId: randomUUID(), verificationId: id, provider: 'tax', members: [] });
    answer(stranger, recordsOf('tax'));

    const letter = await eventually('a dead letter', () =>
      inProcessBroker()
        .read(Topics.deadLetter)
        .find((m) => m.key === id),
    );
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toMatch(/^unknown_request: /);
    expect(letter.headers[DEAD_LETTER_HEADERS.originalTopic]).toBe(Topics.queryAnswered);
    expect(await counts(id)).toEqual({ verifications: 0, requests: 0, answers: 0, reports: 0, outbox: 0 });
  });

  it('dead-letters an answer about people it did not ask about', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id));
    const queries = await queriesArrive(id);
    const tax = queries.find((q) => q.provider === 'tax')!;
    const outsider = makeIdentityNumber('110105', '1990-01-01', 33);
    answer(tax, [{ ...recordsOf('tax')[0], idNumber: outsider } as DepartmentRecord]);

    const letter = await eventually('a dead letter', () =>
      inProcessBroker()
        .read(Topics.deadLetter)
        .find((m) => m.key === id),
    );
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toMatch(/^record_outside_request: /);
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).not.toContain(outsider);
    expect((await counts(id)).answers).toBe(0);
    queries.forEach((q) => answer(q));
    await reportVersion(id, 1);
  });

  it('runs a re-check as a new round of requests and issues the next version when it is done', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id));
    const first = await queriesArrive(id);
    first.forEach((q) => answer(q));
    await reportVersion(id, 1);

    const recheck = verificationRequested(id, {
      requestedAt: '2026-11-03T15:00:00+08:00',
      recheckReason: 'objection: the wage record is not the applicant’s',
    });
    requestVerification(recheck);
    const all = await queriesArrive(id, PROVIDERS.length * 2);
    const second = all.filter((q) => !first.some((f) => f.requestId === q.requestId));
    expect(second.map((q) => q.provider).sort()).toEqual([...PROVIDERS].sort());

    const pending = await eventually('a pending update for the re-check', () =>
      updatesFor(id).find((u) => u.status === VerificationStatus.VERIFICATION_STATUS_PENDING && u.reportVersion === 1),
    );
    expect(pending.sources.every((s) => s.status === SourceStatus.SOURCE_STATUS_PENDING)).toBe(true);

    // The same re-check again changes nothing.
    requestVerification(recheck);
    await settle();
    expect(queriesFor(id)).toHaveLength(PROVIDERS.length * 2);

    second.forEach((q) => answer(q, q.provider === 'tax' ? [] : recordsOf(q.provider)));
    const v2 = await reportVersion(id, 2);
    expect(v2.update.status).toBe(VerificationStatus.VERIFICATION_STATUS_COMPLETE);
    expect(v2.update.changeReason).toBe('re-check: objection: the wage record is not the applicant’s');
    expect(v2.report.sources.find((s) => s.provider === 'tax')).toMatchObject({ status: 'no_record' });
    const rounds = await rows(`SELECT round, recheck_reason FROM aggregator.verification_rounds WHERE verification_id = $1 ORDER BY round`, [id]);
    expect(rounds).toEqual([
      { round: 1, recheck_reason: null },
      { round: 2, recheck_reason: 'objection: the wage record is not the applicant’s' },
    ]);
  });

  it('runs safely as several instances: answers and deadlines of one check are handled once', async () => {
    const second = await startAggregator({
      databaseUrl: db.url,
      messaging,
      bankCodes: BANKS,
      providerDeadlineMs: DEADLINE_MS,
      sweepIntervalMs: 50,
      sweepStartupGraceMs: GRACE_MS,
      lateAnswerWindowMs: WINDOW_MS,
      poolSize: 4,
      logger: ['error'],
      ...testAggregatorKeys(BANKS),
    });
    try {
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      ids.forEach((id) => requestVerification(verificationRequested(id)));
      for (const id of ids) {
        const queries = await queriesArrive(id);
        // Everyone but housing answers (twice, to both instances' share of the work); housing times out.
        queries.filter((q) => q.provider !== 'housing').forEach((q) => (answer(q), answer(q)));
      }
      for (const id of ids) {
        const v1 = await reportVersion(id, 1);
        expect(v1.update.status).toBe(VerificationStatus.VERIFICATION_STATUS_PARTIAL);
      }
      await settle();
      for (const id of ids) {
        expect(await counts(id)).toMatchObject({ verifications: 1, requests: PROVIDERS.length, answers: PROVIDERS.length - 1, reports: 1 });
        expect(updatesFor(id).filter((u) => u.reportVersion === 1)).toHaveLength(1);
      }
    } finally {
      await second.close();
    }
  });

  it('finishes a check that was in flight when it stopped, from what PostgreSQL and the transport hold', async () => {
    const id = randomUUID();
    requestVerification(verificationRequested(id));
    const queries = await queriesArrive(id);

    await aggregator!.close();
    aggregator = undefined;
    queries.forEach((q) => answer(q)); // answers wait for the aggregator's consumer group
    await start();

    const { update } = await reportVersion(id, 1);
    expect(update.status).toBe(VerificationStatus.VERIFICATION_STATUS_COMPLETE);
    expect((await counts(id)).requests).toBe(PROVIDERS.length);
    expect(queriesFor(id)).toHaveLength(PROVIDERS.length);
  });

  it('publishes everything it committed (the outbox is drained)', async () => {
    await eventually('an empty outbox', async () =>
      (await rows(`SELECT 1 FROM aggregator.outbox WHERE published_at IS NULL`)).length === 0 ? true : undefined,
    );
  });
});
