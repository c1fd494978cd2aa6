/**
 * Revoking an authorization stops further queries about that person (issue 4 item 1): the aggregator as it
 * runs (real PostgreSQL, in-process transport); the test plays the gateway and the providers.
 */
import { randomUUID } from 'crypto';
import { Client } from 'pg';
import {
  AuditEventRecorded,
  AuthorizationRevoked,
  QueryAnswered,
  QueryRequested,
  SourceStatus,
  Topics,
  VerificationRequested,
  VerificationStatus,
  VerificationUpdated,
  queryRequestedTopic,
  auditEventsIn,
} from '@verihub/contracts';
import { keyedIdentityHash, makeIdentityNumber } from '@verihub/domain';
import { TEST_IDENTITY_HASH_KEY, testAggregatorKeys } from '@verihub/domain/consent/testing/test-keys';
import { signedAsProvider } from '../../../libs/adapter-sdk/src/testing/signed-answers';
import { DEAD_LETTER_HEADERS, type MessagingConfig, encodeMessage, inProcessBroker, resetInProcessBroker } from '@verihub/messaging';
import { type TestDatabase, createTestDatabase } from '../../../test/medium/test-database';
import { type RunningAggregator, migrateAggregator, startAggregator } from './aggregator.app';

const BANKS = ['ICBC'];
const PROVIDERS = ['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC'];
const messaging: MessagingConfig = {
  transport: 'in-process',
  brokers: [],
  clientId: 'aggregator-revocation-test',
  groupId: 'verihub-aggregator',
  consumer: { retryAttempts: 2, retryInitialDelayMs: 50 },
};

const applicant = { idNumber: makeIdentityNumber('500115', '1980-03-14', 11), name: '张三', relation: 'applicant' };
const spouse = { idNumber: makeIdentityNumber('500115', '1982-07-02', 22), name: '李四', relation: 'spouse' };
const stranger = { idNumber: makeIdentityNumber('500115', '1975-05-05', 33), name: '王五', relation: 'applicant' };

function verificationRequested(id: string, members: Array<{ idNumber: string; name: string; relation: string }>): VerificationRequested {
  return VerificationRequested.fromPartial({
    verificationId: id,
    program: 'dibao',
    purpose: 'application',
    regionCode: '500115',
    asOf: '2026-11-01',
    members,
    authorizations: members.map((m, i) => ({
      idNumber: m.idNumber,
      documentRef: `AUTH-2026-00050${i}`,
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
      maxResidentialProperties: 1,
      maxNonResidentialProperties: 0,
      discrepancyTolerance: { absolute: 10_000, relativeBasisPoints: 1000 },
    },
    requestedAt: '2026-11-01T10:00:00+08:00',
    requestedBy: 'officer',
    interactive: true,
  });
}

describe('authorization revoked (in-process transport, real PostgreSQL)', () => {
  let db: TestDatabase;
  let sql: Client;
  let aggregator: RunningAggregator | undefined;

  beforeAll(async () => {
    resetInProcessBroker();
    db = await createTestDatabase();
    await migrateAggregator({ databaseUrl: db.url });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    aggregator = await startAggregator({
      databaseUrl: db.url,
      messaging,
      bankCodes: BANKS,
      // Nobody times out during the test: what stops the queries is the revocation.
      providerDeadlineMs: 120_000,
      sweepIntervalMs: 100,
      sweepStartupGraceMs: 0,
      lateAnswerWindowMs: 200,
      poolSize: 4,
      logger: ['error'],
      ...testAggregatorKeys(BANKS),
    });
  });

  afterAll(async () => {
    await aggregator?.close();
    await sql?.end();
    await db?.drop();
    resetInProcessBroker();
  });

  const publish = (topic: string, key: string, value: Uint8Array): void => inProcessBroker().publish([{ topic, key, value }]);

  const requestVerification = (request: VerificationRequested): void =>
    publish(Topics.verificationRequested, request.verificationId, encodeMessage(VerificationRequested, request));

  const revoke = (message: AuthorizationRevoked): void =>
    publish(Topics.authorizationRevoked, message.authorizationId, encodeMessage(AuthorizationRevoked, message));

  const queriesFor = (id: string): QueryRequested[] =>
    PROVIDERS.flatMap((p) => inProcessBroker().read(queryRequestedTopic(p)))
      .filter((m) => m.key === id)
      .map((m) => QueryRequested.decode(m.value));

  const updatesFor = (id: string): VerificationUpdated[] =>
    inProcessBroker()
      .read(Topics.verificationUpdated)
      .filter((m) => m.key === id)
      .map((m) => VerificationUpdated.decode(m.value));

  const answerWithNoRecord = (query: QueryRequested): void =>
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
            records: [],
            notFoundIdNumbers: query.members.map((m) => m.idNumber),
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

  const queriesArrive = (id: string) =>
    eventually(`queries for ${id}`, () => {
      const queries = queriesFor(id);
      return queries.length >= PROVIDERS.length ? queries : undefined;
    });

  const reportVersion = (id: string, version: number) =>
    eventually(`report version ${version} of ${id}`, () => updatesFor(id).find((u) => u.reportVersion === version));

  const rows = async <T extends Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> =>
    (await sql.query<T>(query, params)).rows;

  const requestStatuses = (id: string) =>
    rows<{ provider: string; status: string; reason: string | null }>(
      `SELECT provider, status, reason FROM aggregator.provider_requests WHERE verification_id = $1 ORDER BY provider`,
      [id],
    );

  const state = async (id: string) => ({
    requests: await requestStatuses(id),
    answers: (
      await rows(`SELECT 1 FROM aggregator.provider_answers a JOIN aggregator.provider_requests r USING (request_id) WHERE r.verification_id = $1`, [id])
    ).length,
    reports: (await rows(`SELECT version FROM aggregator.report_versions WHERE verification_id = $1`, [id])).length,
    updates: updatesFor(id).length,
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

  it('stops the pending queries about the member, issues the report partial, and ignores what comes after', async () => {
    const cited = randomUUID();
    const alsoAboutSpouse = randomUUID();
    const unrelated = randomUUID();
    requestVerification(verificationRequested(cited, [applicant, spouse]));
    requestVerification(verificationRequested(alsoAboutSpouse, [spouse]));
    requestVerification(verificationRequested(unrelated, [stranger]));
    const queries = await queriesArrive(cited);
    await queriesArrive(alsoAboutSpouse);
    await queriesArrive(unrelated);
    // Tax answers before the revocation; the others never do.
    answerWithNoRecord(queries.find((q) => q.provider === 'tax')!);
    await eventually('the tax answer', async () =>
      (await requestStatuses(cited)).some((r) => r.provider === 'tax' && r.status === 'no_record') ? true : undefined,
    );

    const revocation = AuthorizationRevoked.fromPartial({
      authorizationId: randomUUID(),
      memberIdHash: keyedIdentityHash(spouse.idNumber, TEST_IDENTITY_HASH_KEY),
      revokedAt: '2026-11-01T10:30:00+08:00',
      verificationIds: [cited],
    });
    revoke(revocation);

    const v1 = await reportVersion(cited, 1);
    expect(v1.status).toBe(VerificationStatus.VERIFICATION_STATUS_PARTIAL);
    expect(v1.changeReason).toBe('authorization revoked');
    expect(v1.sources.map((s) => [s.provider, s.status, s.reason]).sort()).toEqual(
      PROVIDERS.map((p) =>
        p === 'tax' ? [p, SourceStatus.SOURCE_STATUS_NO_RECORD, ''] : [p, SourceStatus.SOURCE_STATUS_NOT_QUERIED, 'authorization revoked'],
      ).sort(),
    );
    expect(await requestStatuses(cited)).toEqual(
      [...PROVIDERS].sort().map((provider) =>
        provider === 'tax'
          ? { provider, status: 'no_record', reason: null }
          : { provider, status: 'not_queried', reason: 'authorization revoked' },
      ),
    );
    // Another verification about the same member, not cited by the authorization, is stopped too.
    const other = await reportVersion(alsoAboutSpouse, 1);
    expect(other.status).toBe(VerificationStatus.VERIFICATION_STATUS_PARTIAL);
    expect(other.changeReason).toBe('authorization revoked');
    // A verification about someone else goes on.
    expect((await requestStatuses(unrelated)).every((r) => r.status === 'pending')).toBe(true);

    await settle();
    const before = await state(cited);

    // The same message again changes nothing.
    revoke(revocation);
    await settle();
    expect(await state(cited)).toEqual(before);

    // Each stopped query is in the audit log: not_queried, authorization_revoked, the aggregator itself acting.
    const auditOf = (id: string) =>
      auditEventsIn([...inProcessBroker().read(Topics.auditEventRecorded), ...inProcessBroker().read(Topics.auditEventsRecorded)])
        .filter((e) => e.case?.verificationId === id)
        .filter((e) => e.action === 'provider_answer_received' && ['not_queried', 'refused'].includes(e.outcome?.status ?? ''));
    const stoppedEvents = await eventually('the stop in the audit log', () => (auditOf(cited).length >= PROVIDERS.length - 1 ? auditOf(cited) : undefined));
    expect(stoppedEvents.map((e) => e.provider).sort()).toEqual(PROVIDERS.filter((p) => p !== 'tax').sort());
    for (const e of stoppedEvents) {
      expect(e).toMatchObject({ actor: { username: 'system', role: 'system' }, outcome: { status: 'not_queried' }, dataCategories: ['authorization_revoked'] });
      expect(e.case?.verificationId).toBe(cited);
    }
    expect(auditOf(alsoAboutSpouse).length).toBe(PROVIDERS.length);

    // An answer to a stopped query is not applied, but it is in the audit log (refused, query_stopped).
    answerWithNoRecord(queries.find((q) => q.provider === 'housing')!);
    await settle();
    expect(await state(cited)).toEqual(before);
    const refused = await eventually('the refused late answer', () => auditOf(cited).find((e) => e.outcome?.status === 'refused'));
    expect(refused).toMatchObject({ provider: 'housing', dataCategories: ['query_stopped'] });
    expect(inProcessBroker().read(Topics.deadLetter).filter((m) => m.key === cited || m.key === revocation.authorizationId)).toEqual([]);

    // Let the unrelated check finish so nothing is left in flight.
    queriesFor(unrelated).forEach(answerWithNoRecord);
    await reportVersion(unrelated, 1);
  });

  it('dead-letters an AuthorizationRevoked it cannot read, naming the field', async () => {
    const authorizationId = randomUUID();
    revoke(AuthorizationRevoked.fromPartial({ authorizationId, memberIdHash: 'not-a-hash', revokedAt: '2026-11-01T10:30:00+08:00' }));
    const letter = await eventually('a dead letter', () =>
      inProcessBroker()
        .read(Topics.deadLetter)
        .find((m) => m.key === authorizationId),
    );
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toContain('member_id_hash');
    expect(letter.headers[DEAD_LETTER_HEADERS.originalTopic]).toBe(Topics.authorizationRevoked);
  });
});
