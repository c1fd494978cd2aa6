/**
 * Verification requests handled in batches (BatchEventPattern): a batch gives what the same requests one at a
 * time give — verifications, rounds, provider requests, queries, audit events, what the gateway is told — in
 * one transaction of about eight statements. Real PostgreSQL with the migrations; the handler is called with
 * the batches a partition would hand over, and (last block) the in-process transport shows a bad request's
 * batch falling back to one message at a time.
 */
import { randomUUID } from 'crypto';
import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  AuditEventRecorded,
  QueryAnswered,
  QueryRequested,
  Topics,
  VerificationRequested,
  VerificationUpdated,
  bothLanes,
  onLane,
  queryRequestedTopic,
} from '@verihub/contracts';
import { type HouseholdMember, keyedIdentityHash, makeIdentityNumber, memberHashes, parsePublicKey, verifyQueryToken } from '@verihub/domain';
import { TEST_IDENTITY_HASH_KEY, testAggregatorKeys, testQueryKeys } from '@verihub/domain/consent/testing/test-keys';
import {
  type ConsumerReadiness,
  DEAD_LETTER_HEADERS,
  type IncomingMessage,
  MalformedMessageError,
  type MessagingConfig,
  encodeMessage,
  inProcessBroker,
  resetInProcessBroker,
} from '@verihub/messaging';
import { signedAsProvider } from '../../../libs/adapter-sdk/src/testing/signed-answers';
import { type TestDatabase, createTestDatabase } from '../../../test/medium/test-database';
import { type RunningAggregator, migrateAggregator, startAggregator } from './aggregator.app';
import { AggregatorModule } from './aggregator.module';
import { QueryOutcomeHandler } from './handlers/query-outcome.handler';
import { VerificationRequestedHandler } from './handlers/verification-requested.handler';
import { VerificationRepository } from './repositories/verification.repository';
import { EnforceDeadlinesUseCase } from './use-cases/enforce-deadlines.use-case';
import { StopQueriesOnRevocationUseCase } from './use-cases/stop-queries-on-revocation.use-case';
import { statementCounter } from '../../../test/medium/statement-count';

const BANKS = ['ICBC', 'CCB', 'ABC', 'BOC'];
const PROVIDERS = ['public-security', 'tax', 'housing', 'provident-fund', ...BANKS.map((b) => `bank:${b}`)];
const DEADLINE_MS = 30_000;
const applicant: HouseholdMember = { idNumber: makeIdentityNumber('500115', '1980-03-14', 11), name: '张三', relation: 'applicant' };
const spouse: HouseholdMember = { idNumber: makeIdentityNumber('500115', '1982-07-02', 22), name: '李四', relation: 'spouse' };

const T0 = '2026-11-02T09:00:00+08:00';
const T1 = '2026-11-02T10:00:00+08:00';
const T2 = '2026-11-03T15:00:00+08:00';
const T3 = '2026-11-04T11:30:00+08:00';

interface Ask {
  at: string;
  recheckReason?: string;
  interactive?: boolean;
  /** 'kept': a re-check that leaves out members, authorizations, policy and declaration. */
  members?: HouseholdMember[] | 'kept';
  wage?: number;
}

function requested(id: string, ask: Ask): VerificationRequested {
  const kept = ask.members === 'kept';
  const members = ask.members === 'kept' ? [] : (ask.members ?? [applicant, spouse]);
  return VerificationRequested.fromPartial({
    verificationId: id,
    program: 'dibao',
    purpose: ask.recheckReason ? 'review' : 'application',
    regionCode: '500115',
    asOf: '2026-11-01',
    members,
    declared: kept ? undefined : { monthlyIncome: { wage: ask.wage ?? 300_000 }, financialAssets: 1_000_000, vehicles: 0, properties: 1 },
    authorizations: members.map((m, i) => ({
      idNumber: m.idNumber,
      documentRef: `AUTH-${i}`,
      signedBy: m.idNumber,
      signedAt: '2026-10-30T09:00:00+08:00',
      expiresAt: '2027-10-30T00:00:00+08:00',
    })),
    policy: kept
      ? undefined
      : {
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
    requestedAt: ask.at,
    requestedBy: ask.recheckReason ? 'officer.li' : 'officer.wang',
    recheckReason: ask.recheckReason ?? '',
    interactive: ask.interactive ?? true,
  });
}

function message(request: VerificationRequested): IncomingMessage {
  return {
    topic: onLane(Topics.verificationRequested, request.interactive),
    key: request.verificationId,
    headers: {},
    value: Buffer.from(encodeMessage(VerificationRequested, request)),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Ids and instants differ between two households; everything else must not. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !['verificationId', 'requestId', 'reportNumber', 'issuedAt', 'respondedAt', 'eventId', 'occurredAt', 'deadline', 'queryToken', 'updatedAt'].includes(key))
      .map(([key, v]) => [key, key === 'reportJson' && typeof v === 'string' && v !== '' ? comparable(JSON.parse(v)) : comparable(v)]),
  );
}

/** An outbox message as the reader of its topic decodes it. */
function decoded(topic: string, value: Buffer): Record<string, unknown> {
  if (topic === Topics.auditEventRecorded) return { ...AuditEventRecorded.decode(value) };
  if (bothLanes(Topics.verificationUpdated).includes(topic)) return { ...VerificationUpdated.decode(value) };
  if (topic.includes('.query-requested.')) return { ...QueryRequested.decode(value) };
  throw new Error(`unexpected topic ${topic}`);
}

describe('verification requests in batches (the handler, real PostgreSQL)', () => {
  let db: TestDatabase;
  let sql: Client;
  let moduleRef: TestingModule;
  let handler: VerificationRequestedHandler;
  /** Counts what the DataSource sends while some work runs. */
  let counted: ReturnType<typeof statementCounter>;

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    resetInProcessBroker();
    db = await createTestDatabase();
    await migrateAggregator({ databaseUrl: db.url });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    const messaging: MessagingConfig = { transport: 'in-process', brokers: [], clientId: 'start-batch-test', groupId: 'start-batch-test' };
    const readiness: ConsumerReadiness = { consumingSince: () => null };
    moduleRef = await Test.createTestingModule({
      imports: [
        AggregatorModule.forRoot(
          { databaseUrl: db.url, messaging, bankCodes: BANKS, providerDeadlineMs: DEADLINE_MS, poolSize: 4, ...testAggregatorKeys(BANKS) },
          readiness,
        ),
      ],
    }).compile();
    handler = moduleRef.get(VerificationRequestedHandler);
    counted = statementCounter(moduleRef.get(DataSource));
  });

  afterAll(async () => {
    await moduleRef?.close();
    await sql?.end();
    await db?.drop();
    resetInProcessBroker();
  });

  /** The requests one message at a time, as the transport hands them over after a batch failed. */
  const one = (requests: VerificationRequested[]) =>
    requests.reduce<Promise<void>>((done, r) => done.then(() => handler.handle([message(r)])), Promise.resolve());

  const lastOutboxId = async (): Promise<number> => Number((await sql.query(`SELECT coalesce(max(id), 0) AS id FROM aggregator.outbox`)).rows[0].id);

  /** The messages enqueued about the verification after outbox row `since`, in order. */
  const enqueued = async (id: string, since: number) =>
    (
      await sql.query<{ topic: string; value: Buffer }>(`SELECT topic, value FROM aggregator.outbox WHERE message_key = $1 AND id > $2 ORDER BY id`, [id, since])
    ).rows.map((r) => ({ topic: r.topic, message: decoded(r.topic, r.value) }));

  /** Everything observable about a verification after outbox row `since`, ids and instants aside (those are checked apart). */
  async function stateOf(id: string, since: number) {
    const [verification] = (
      await sql.query(
        `SELECT program, purpose, region_code, as_of::text, declared, policy, interactive, status, current_round, report_version,
                report_due_since, requested_at, requested_by, member_hashes
           FROM aggregator.verifications WHERE id = $1`,
        [id],
      )
    ).rows;
    const [opened] = await moduleRef.get(DataSource).transaction((m) => moduleRef.get(VerificationRepository).lockAll(m, [id]));
    const rounds = await sql.query(`SELECT round, recheck_reason, requested_at, requested_by FROM aggregator.verification_rounds WHERE verification_id = $1 ORDER BY round`, [id]);
    const requests = await sql.query<{ request_id: string; round: number; provider: string; status: string; deadline: Date; requested_at: Date }>(
      `SELECT request_id, round, provider, status, deadline, requested_at, late, record_count, reason
         FROM aggregator.provider_requests WHERE verification_id = $1 ORDER BY round, provider`,
      [id],
    );
    const messages = await enqueued(id, since);
    // What varies from one household to the other, checked here: every query is a stored request, its token
    // names it, its deadline is the provider deadline; the gateway's snapshots come in time order.
    const stored = new Set(requests.rows.map((r) => r.request_id));
    const queryKey = parsePublicKey(testQueryKeys().publicKey);
    for (const { message: q } of messages.filter((m) => m.topic.includes('.query-requested.'))) {
      const query = q as unknown as QueryRequested;
      expect(stored.has(query.requestId)).toBe(true);
      const check = verifyQueryToken(
        query.queryToken,
        queryKey,
        { provider: query.provider, verificationId: id, requestId: query.requestId, memberHashes: memberHashes(query.members.map((m) => m.idNumber), TEST_IDENTITY_HASH_KEY) },
        new Date(),
      );
      expect(check.ok).toBe(true);
    }
    for (const r of requests.rows) expect(r.deadline.getTime() - r.requested_at.getTime()).toBe(DEADLINE_MS);
    const snapshotTimes = messages.filter((m) => m.topic.includes('verification.updated')).map((m) => Date.parse(String(m.message.updatedAt)));
    expect([...snapshotTimes].sort((a, b) => a - b)).toEqual(snapshotTimes);
    return {
      verification: verification && { ...verification, members: opened.members, authorizations: opened.authorizations },
      rounds: rounds.rows,
      requests: requests.rows.map(({ request_id: _id, deadline: _d, requested_at: _at, ...rest }) => rest),
      messages: messages.map((m) => ({ topic: m.topic, message: comparable(m.message) })),
    };
  }

  interface World {
    a: string;
    b: string;
    c: string;
    /** Started and reported (v1) before the batch. */
    x: string;
    /** Started before the batch, still pending. */
    e: string;
  }
  const world = (): World => ({ a: randomUUID(), b: randomUUID(), c: randomUUID(), x: randomUUID(), e: randomUUID() });

  /** First requests, a duplicate inside the batch and one of a check already started, re-checks of an old and of a new check. */
  const script = (w: World): VerificationRequested[] => [
    requested(w.a, { at: T1 }),
    requested(w.b, { at: T1 }),
    requested(w.a, { at: T1 }),
    requested(w.x, { at: T2, recheckReason: 'objection: the wage record is not the applicant’s', members: 'kept' }),
    requested(w.e, { at: T0 }),
    requested(w.a, { at: T3, recheckReason: 'review: the spouse moved out', members: [applicant], wage: 100_000 }),
    requested(w.x, { at: T2, recheckReason: 'objection: the wage record is not the applicant’s', members: 'kept' }),
    requested(w.c, { at: T1, interactive: false }),
  ];

  it('gives, for a batch of requests (re-checks and duplicates among them), what the same requests one at a time give', async () => {
    const singly = world();
    const batched = world();
    for (const w of [singly, batched]) await one([requested(w.x, { at: T0 })]);
    // Every request of x overdue: report version 1 (partial), which x's re-check snapshot must show.
    await moduleRef.get(EnforceDeadlinesUseCase).execute(new Date(Date.now() + DEADLINE_MS + 60_000));
    for (const w of [singly, batched]) await one([requested(w.e, { at: T0 })]);

    const mark = await lastOutboxId();
    await one(script(singly));
    const cost = await counted(() => handler.handle(script(batched).map(message)));
    expect(cost.transactions).toBe(1);

    for (const key of ['a', 'b', 'c', 'x', 'e'] as const) {
      expect({ key, state: await stateOf(batched[key], mark) }).toEqual({ key, state: await stateOf(singly[key], mark) });
    }

    // What one at a time gives (and so the batch): a started in round 1 once, then re-checked about the applicant alone.
    const a = await stateOf(batched.a, mark);
    expect(a.rounds).toEqual([
      { round: 1, recheck_reason: null, requested_at: new Date(T1), requested_by: 'officer.wang' },
      { round: 2, recheck_reason: 'review: the spouse moved out', requested_at: new Date(T3), requested_by: 'officer.li' },
    ]);
    expect(a.verification).toMatchObject({ status: 'pending', current_round: 2, report_version: 0, members: [applicant], declared: expect.objectContaining({ monthlyIncome: { wage: 100_000 } }) });
    expect(a.verification.member_hashes).toEqual([keyedIdentityHash(applicant.idNumber, TEST_IDENTITY_HASH_KEY)]);
    expect(a.requests.map((r) => [r.round, r.status])).toEqual([...PROVIDERS.map(() => [1, 'pending']), ...PROVIDERS.map(() => [2, 'pending'])]);
    const roundMessages = (topics: string[]) => [
      ...PROVIDERS.map(() => expect.stringContaining('.query-requested.')),
      ...PROVIDERS.map(() => Topics.auditEventRecorded),
      ...topics,
    ];
    expect(a.messages.map((m) => m.topic)).toEqual([...roundMessages([Topics.verificationUpdated]), ...roundMessages([Topics.verificationUpdated])]);
    const aQueries = a.messages.filter((m) => m.topic.includes('.query-requested.')).map((m) => m.message as QueryRequested);
    expect(aQueries.slice(PROVIDERS.length).every((q) => q.members.length === 1)).toBe(true);
    const aAudit = a.messages.filter((m) => m.topic === Topics.auditEventRecorded).map((m) => m.message as AuditEventRecorded);
    expect(aAudit.map((e) => [e.action, e.actor?.username, e.outcome?.status])).toEqual([
      ...PROVIDERS.map(() => ['provider_query_sent', 'officer.wang', 'succeeded']),
      ...PROVIDERS.map(() => ['provider_query_sent', 'officer.li', 'succeeded']),
    ]);

    // x: a second round, its snapshot still showing version 1; the household and policy kept.
    const x = await stateOf(batched.x, mark);
    expect(x.rounds.map((r) => [r.round, r.recheck_reason])).toEqual([
      [1, null],
      [2, 'objection: the wage record is not the applicant’s'],
    ]);
    expect(x.verification).toMatchObject({ status: 'pending', current_round: 2, report_version: 1, report_due_since: null, members: [applicant, spouse] });
    const xUpdate = x.messages.at(-1)?.message as Partial<VerificationUpdated>;
    expect(xUpdate).toMatchObject({ reportVersion: 1, changeReason: 'first issue' });
    expect(xUpdate.sources?.map((s) => s.provider)).toEqual([...PROVIDERS].sort());
    expect(x.messages).toHaveLength(2 * PROVIDERS.length + 1);

    // c on the batch lane; e (already started) and the duplicates: nothing.
    const c = await stateOf(batched.c, mark);
    expect(c.verification.interactive).toBe(false);
    expect(new Set(c.messages.map((m) => m.topic).filter((t) => t !== Topics.auditEventRecorded))).toEqual(
      new Set([...PROVIDERS.map((p) => onLane(queryRequestedTopic(p), false)), onLane(Topics.verificationUpdated, false)]),
    );
    const e = await stateOf(batched.e, mark);
    expect(e.messages).toEqual([]);
    expect(e.rounds).toHaveLength(1);
    expect(e.requests).toHaveLength(PROVIDERS.length);
  });

  it('fails a batch with a request that can never start anything before writing anything of it', async () => {
    const good = randomUUID();
    const unknown = randomUUID();
    const before = await lastOutboxId();
    const undecodable: IncomingMessage = { topic: Topics.verificationRequested, key: good, headers: {}, value: Buffer.from([0xff, 0xff, 0xff]) };
    const noHousehold = requested(randomUUID(), { at: T1, members: 'kept' });
    const recheckOfUnknown = requested(unknown, { at: T2, recheckReason: 'objection', members: 'kept' });

    await expect(handler.handle([message(requested(good, { at: T1 })), undecodable])).rejects.toThrow(MalformedMessageError);
    await expect(handler.handle([message(requested(good, { at: T1 })), message(noHousehold)])).rejects.toThrow(/members must not be empty/);
    await expect(handler.handle([message(requested(good, { at: T1 })), message(recheckOfUnknown)])).rejects.toThrow(
      new MalformedMessageError(`invalid_request: re-check of unknown verification ${unknown} carries no members or no policy`),
    );
    expect((await sql.query(`SELECT count(*)::int AS n FROM aggregator.verifications WHERE id = $1`, [good])).rows[0].n).toBe(0);
    expect(await lastOutboxId()).toBe(before);

    // Alone (as the transport hands them over after the failure), the good request starts.
    await handler.handle([message(requested(good, { at: T1 }))]);
    expect((await sql.query(`SELECT count(*)::int AS n FROM aggregator.provider_requests WHERE verification_id = $1`, [good])).rows[0].n).toBe(PROVIDERS.length);
  });

  it('spends one transaction and about eight statements on a batch, however many requests it holds', async () => {
    const fresh = (n: number) => Array.from({ length: n }, () => requested(randomUUID(), { at: T1 }));
    // Ten started one at a time ...
    const ten = fresh(10);
    const single = await counted(() => one(ten));
    expect(single.transactions).toBe(10);
    // ... against ten in one batch, and forty in one: thirty new, five re-checks, five duplicates.
    const batchOf10 = await counted(() => handler.handle(fresh(10).map(message)));
    const forty = [
      ...fresh(30),
      ...ten.slice(0, 5).map((r) => requested(r.verificationId, { at: T2, recheckReason: 'review', members: 'kept' })),
      ...ten.slice(5),
    ];
    const batchOf40 = await counted(() => handler.handle(forty.map(message)));

    expect(batchOf10.transactions).toBe(1);
    expect(batchOf40.transactions).toBe(1);
    // A lock, a write per table, the clock of the snapshots; the re-checks add their rounds' read and one update.
    expect(batchOf10.statements).toBeLessThanOrEqual(8);
    expect(batchOf40.statements).toBeLessThanOrEqual(batchOf10.statements + 2);
    expect(batchOf10.statements * 5).toBeLessThan(single.statements);
    const requests = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM aggregator.provider_requests WHERE verification_id = ANY($1::uuid[]) GROUP BY verification_id`,
      [forty.map((r) => r.verificationId)],
    );
    // Thirty new checks of one round, five with a second round; the duplicates asked nothing more.
    expect(requests.rows.map((r) => r.n).sort((p, q) => p - q)).toEqual([...Array(35).fill(PROVIDERS.length), ...Array(5).fill(2 * PROVIDERS.length)]);
  });

  it('runs start batches beside answer batches, the deadline sweeper and a revocation without a deadlock', async () => {
    const outcomes = moduleRef.get(QueryOutcomeHandler);
    const enforce = moduleRef.get(EnforceDeadlinesUseCase);
    const stop = moduleRef.get(StopQueriesOnRevocationUseCase);
    for (let run = 0; run < 3; run++) {
      // A member of these households only: the revocation stops their queries, nobody else's.
      const member: HouseholdMember = { idNumber: makeIdentityNumber('500115', '1990-05-0' + (run + 1), 40 + run), name: '王五', relation: 'child' };
      const household = [applicant, member];
      const cases = Array.from({ length: 6 }, () => randomUUID());
      await handler.handle(cases.map((id) => message(requested(id, { at: T1, members: household }))));
      const round1 = await sql.query<{ request_id: string; verification_id: string; provider: string }>(
        `SELECT request_id, verification_id, provider FROM aggregator.provider_requests WHERE verification_id = ANY($1::uuid[])`,
        [cases],
      );
      const answers = round1.rows
        .filter((r) => r.provider === 'tax' || r.provider === 'housing')
        .reverse()
        .map((r): IncomingMessage => {
          const answer = signedAsProvider(
            QueryAnswered.fromPartial({
              requestId: r.request_id,
              verificationId: r.verification_id,
              provider: r.provider,
              answeredAt: new Date().toISOString(),
              notFoundIdNumbers: household.map((m) => m.idNumber),
            }),
          );
          return { topic: Topics.queryAnswered, key: r.verification_id, headers: {}, value: Buffer.from(encodeMessage(QueryAnswered, answer)) };
        });
      const fresh = Array.from({ length: 6 }, () => randomUUID());
      // Every case re-checked by two batches in opposite orders, each starting new checks about the member too.
      const up = [...cases.map((id) => requested(id, { at: T2, recheckReason: 'objection', members: 'kept' })), ...fresh.slice(0, 3).map((id) => requested(id, { at: T1, members: household }))];
      const down = [...fresh.slice(3).map((id) => requested(id, { at: T1, members: household })), ...[...cases].reverse().map((id) => requested(id, { at: T3, recheckReason: 'review', members: 'kept' }))];
      const revocation = { authorizationId: randomUUID(), memberIdHash: keyedIdentityHash(member.idNumber, TEST_IDENTITY_HASH_KEY), revokedAt: new Date(), verificationIds: [] };

      await Promise.all([
        handler.handle(up.map(message)),
        handler.handle(down.map(message)),
        outcomes.answered(answers),
        enforce.execute(new Date(Date.now() + DEADLINE_MS + 60_000)),
        stop.execute(revocation),
      ]);

      for (const id of cases) {
        const rounds = await sql.query(`SELECT round, recheck_reason FROM aggregator.verification_rounds WHERE verification_id = $1 ORDER BY round`, [id]);
        expect(rounds.rows.map((r) => r.round)).toEqual([1, 2, 3]);
        expect(rounds.rows.map((r) => r.recheck_reason).slice(1).sort()).toEqual(['objection', 'review']);
        const [v] = (await sql.query(`SELECT current_round FROM aggregator.verifications WHERE id = $1`, [id])).rows;
        expect(v.current_round).toBe(3);
      }
      for (const id of [...cases, ...fresh]) {
        const perRound = await sql.query<{ round: number; n: number }>(
          `SELECT round, count(*)::int AS n FROM aggregator.provider_requests WHERE verification_id = $1 GROUP BY round ORDER BY round`,
          [id],
        );
        expect(perRound.rows.every((r) => r.n === PROVIDERS.length)).toBe(true);
        const queries = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM aggregator.outbox WHERE message_key = $1 AND topic LIKE '%.query-requested.%'`, [id]);
        expect(queries.rows[0].n).toBe(perRound.rows.length * PROVIDERS.length);
      }
    }
  });
});

describe('verification requests in batches (in-process transport)', () => {
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
      messaging: { transport: 'in-process', brokers: [], clientId: 'start-batch-transport-test', groupId: 'verihub-aggregator', consumer: { retryAttempts: 2, retryInitialDelayMs: 50 } },
      bankCodes: BANKS,
      sweepStartupGraceMs: 0,
      poolSize: 4,
      logger: false,
      ...testAggregatorKeys(BANKS),
    });
  });

  afterAll(async () => {
    await aggregator?.close();
    await sql?.end();
    await db?.drop();
    resetInProcessBroker();
  });

  async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const requestCount = async (id: string) =>
    (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM aggregator.provider_requests WHERE verification_id = $1`, [id])).rows[0].n;

  it('dead-letters an undecodable request and an invalid re-check of a batch, and starts the rest of it once', async () => {
    const [first, second, unknown]: string[] = [randomUUID(), randomUUID(), randomUUID()];
    const batch = [
      message(requested(first, { at: T1 })),
      { topic: Topics.verificationRequested, key: first, headers: {}, value: Buffer.from([0xff, 0xff, 0xff]) },
      message(requested(unknown, { at: T2, recheckReason: 'objection', members: 'kept' })),
      message(requested(second, { at: T1 })),
      message(requested(first, { at: T1 })),
    ];
    // Published together: the consumer hands them to the handler as one batch.
    inProcessBroker().publish(batch.map(({ topic, key, value }) => ({ topic, key, value })));

    const letters = await eventually('two dead letters', () => {
      const found = inProcessBroker().read(Topics.deadLetter).filter((m) => m.key === first || m.key === unknown);
      return found.length >= 2 ? found : undefined;
    });
    expect(letters.map((m) => m.headers[DEAD_LETTER_HEADERS.reason])).toEqual([
      expect.stringMatching(/^cannot decode/),
      `invalid_request: re-check of unknown verification ${unknown} carries no members or no policy`,
    ]);
    await eventually('both started', async () => ((await requestCount(second)) === PROVIDERS.length ? true : undefined));
    const published = await eventually('every query published', () => {
      const queries = PROVIDERS.flatMap((p) => inProcessBroker().read(queryRequestedTopic(p))).filter((m) => m.key === first || m.key === second);
      return queries.length === 2 * PROVIDERS.length ? queries : undefined;
    });
    expect(published.filter((m) => m.key === first)).toHaveLength(PROVIDERS.length);
    expect(await requestCount(first)).toBe(PROVIDERS.length);
    expect(await requestCount(unknown)).toBe(0);
    expect(inProcessBroker().read(Topics.deadLetter).filter((m) => [first, second, unknown].includes(m.key ?? ''))).toHaveLength(2);
  });
});
