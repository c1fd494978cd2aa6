/**
 * Provider answers handled in batches (BatchEventPattern): a batch gives what the same messages one at a
 * time give — requests, report versions, audit events, what the gateway is told — in one transaction of a
 * dozen statements. Real PostgreSQL with the migrations; the handler is called with the batches a partition
 * would hand over, and (last block) the in-process transport shows a bad message's batch falling back to
 * one message at a time.
 */
import { randomUUID } from 'crypto';
import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  AuditEventRecorded,
  QueryAnswered,
  QueryFailed,
  QueryFailureCode,
  Topics,
  VerificationRequested,
  VerificationUpdated,
  toProviderRecord,
} from '@verihub/contracts';
import { type DepartmentRecord, type HouseholdReport, generateSigningKeyPair, makeIdentityNumber } from '@verihub/domain';
import { testAggregatorKeys } from '@verihub/domain/consent/testing/test-keys';
import {
  type ConsumerReadiness,
  DEAD_LETTER_HEADERS,
  type IncomingMessage,
  type MessagingConfig,
  encodeMessage,
  inProcessBroker,
  resetInProcessBroker,
} from '@verihub/messaging';
import { failureSignedAsProvider, signedAsProvider } from '../../../libs/adapter-sdk/src/testing/signed-answers';
import { type TestDatabase, createTestDatabase } from '../../../test/medium/test-database';
import { type RunningAggregator, migrateAggregator, startAggregator } from './aggregator.app';
import { AggregatorModule } from './aggregator.module';
import { QueryOutcomeHandler } from './handlers/query-outcome.handler';
import { startVerificationCommandFrom } from './messages/incoming-messages';
import { ReportVersionRepository } from './repositories/report-version.repository';
import { EnforceDeadlinesUseCase } from './use-cases/enforce-deadlines.use-case';
import { IssueDueReportsUseCase } from './use-cases/issue-due-reports.use-case';
import { StartVerificationUseCase } from './use-cases/start-verification.use-case';
import { statementCounter } from '../../../test/medium/statement-count';

const BANKS = ['ICBC', 'CCB', 'ABC', 'BOC'];
const applicant = { idNumber: makeIdentityNumber('500115', '1980-03-14', 11), name: '张三', relation: 'applicant' };
const spouse = { idNumber: makeIdentityNumber('500115', '1982-07-02', 22), name: '李四', relation: 'spouse' };

function verificationRequested(id: string, interactive = true): VerificationRequested {
  return VerificationRequested.fromPartial({
    verificationId: id,
    program: 'dibao',
    purpose: 'application',
    regionCode: '500115',
    asOf: '2026-11-01',
    members: [applicant, spouse],
    declared: { monthlyIncome: { wage: 300_000 }, financialAssets: 1_000_000, vehicles: 0, properties: 1 },
    authorizations: [applicant, spouse].map((m, i) => ({
      idNumber: m.idNumber,
      documentRef: `AUTH-${i}`,
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
    requestedBy: 'officer',
    interactive,
  });
}

/** What each provider holds on the household. */
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
      return [{ ...origin('T-1', applicant.idNumber), kind: 'income', period: '2026-09', item: 'wage', incomeFen: 240_000, taxFen: 0, withholder: 'ACME' }];
    case 'bank:ICBC':
      return [{ ...origin('B-1', spouse.idNumber), kind: 'bank_holding', accountNo: '6222-1', product: 'current', balanceFen: 1_234_500, asOf: '2026-11-01' }];
    default:
      return [];
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

interface SentRequest {
  requestId: string;
  verificationId: string;
  provider: string;
}

type Signing = 'valid' | 'unsigned' | 'forged';

function answerMessage(request: SentRequest, signing: Signing = 'valid', records = recordsOf(request.provider)): IncomingMessage {
  const message = QueryAnswered.fromPartial({
    ...request,
    answeredAt: new Date().toISOString(),
    records: records.map(toProviderRecord),
    notFoundIdNumbers: records.length === 0 ? [applicant.idNumber, spouse.idNumber] : [],
  });
  const sent = signing === 'valid' ? signedAsProvider(message) : signing === 'forged' ? signedAsProvider(message, generateSigningKeyPair().privateKey) : message;
  return { topic: Topics.queryAnswered, key: request.verificationId, headers: {}, value: Buffer.from(encodeMessage(QueryAnswered, sent)) };
}

function failureMessage(request: SentRequest): IncomingMessage {
  const failure = failureSignedAsProvider(
    QueryFailed.fromPartial({ ...request, failedAt: new Date().toISOString(), code: QueryFailureCode.QUERY_FAILURE_CODE_SOURCE_UNAVAILABLE, reason: 'offline' }),
  );
  return { topic: Topics.queryFailed, key: request.verificationId, headers: {}, value: Buffer.from(encodeMessage(QueryFailed, failure)) };
}

/** Round-robin over the lists, each list's order kept: how a partition holds the messages of several keys. */
function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

/**
 * Ids and instants differ between two households; everything else a report says must not. A batch is
 * received at one instant, so a change of reception time between two of its outcomes is no change there.
 */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => !(isObject(v) && typeof v.path === 'string' && v.path.endsWith('.respondedAt'))).map(comparable);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !['verificationId', 'reportNumber', 'issuedAt', 'respondedAt'].includes(key))
      .map(([key, v]) => [key, comparable(v)]),
  );
}

describe('provider answers in batches (the handler, real PostgreSQL)', () => {
  let db: TestDatabase;
  let sql: Client;
  let moduleRef: TestingModule;
  let handler: QueryOutcomeHandler;
  /** Counts what the DataSource sends while some work runs. */
  let counted: ReturnType<typeof statementCounter>;

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    resetInProcessBroker();
    db = await createTestDatabase();
    await migrateAggregator({ databaseUrl: db.url });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    const messaging: MessagingConfig = { transport: 'in-process', brokers: [], clientId: 'batch-test', groupId: 'batch-test' };
    const readiness: ConsumerReadiness = { consumingSince: () => null };
    moduleRef = await Test.createTestingModule({
      imports: [
        AggregatorModule.forRoot(
          { databaseUrl: db.url, messaging, bankCodes: BANKS, lateAnswerWindowMs: 0, poolSize: 3, ...testAggregatorKeys(BANKS) },
          readiness,
        ),
      ],
    }).compile();
    handler = moduleRef.get(QueryOutcomeHandler);
    counted = statementCounter(moduleRef.get(DataSource));
  });

  afterAll(async () => {
    await moduleRef?.close();
    await sql?.end();
    await db?.drop();
    resetInProcessBroker();
  });

  /** A started household (no transport: its requests are read from the table); its requests by provider. */
  async function startHousehold(interactive = true): Promise<Record<string, SentRequest>> {
    const id = randomUUID();
    expect(await moduleRef.get(StartVerificationUseCase).execute(startVerificationCommandFrom(verificationRequested(id, interactive)))).toBe('started');
    const rows = await sql.query<{ request_id: string; provider: string }>(
      `SELECT request_id, provider FROM aggregator.provider_requests WHERE verification_id = $1`,
      [id],
    );
    return Object.fromEntries(rows.rows.map((r) => [r.provider, { requestId: r.request_id, verificationId: id, provider: r.provider }]));
  }

  async function households(count: number, interactive = true): Promise<Array<Record<string, SentRequest>>> {
    const started = [];
    for (let i = 0; i < count; i++) started.push(await startHousehold(interactive));
    return started;
  }

  const one = (messages: IncomingMessage[]) =>
    messages.reduce<Promise<void>>(
      (done, m) => done.then(() => (m.topic === Topics.queryFailed ? handler.failed([m]) : handler.answered([m]))),
      Promise.resolve(),
    );

  const outbox = async (id: string, topic: string) =>
    (await sql.query<{ value: Buffer }>(`SELECT value FROM aggregator.outbox WHERE message_key = $1 AND topic = $2 ORDER BY id`, [id, topic])).rows.map(
      (r) => r.value,
    );

  /** Everything observable about a household, ids and instants aside. */
  async function stateOf(id: string) {
    const requests = await sql.query(
      `SELECT provider, status, late, record_count, reason FROM aggregator.provider_requests WHERE verification_id = $1 ORDER BY provider`,
      [id],
    );
    const [verification] = (
      await sql.query(`SELECT status, report_version, report_due_since IS NOT NULL AS report_due FROM aggregator.verifications WHERE id = $1`, [id])
    ).rows;
    const versions = (await moduleRef.get(ReportVersionRepository).list(moduleRef.get(DataSource).manager, id)).map((v) => ({
      version: v.version,
      status: v.status,
      changeReason: v.changeReason,
      changes: comparable(v.changes),
      report: comparable(v.report),
    }));
    const answers = await sql.query(
      `SELECT r.provider, a.key_id FROM aggregator.provider_answers a JOIN aggregator.provider_requests r USING (request_id) WHERE r.verification_id = $1 ORDER BY r.provider`,
      [id],
    );
    const audit = (await outbox(id, Topics.auditEventRecorded))
      .map((v) => AuditEventRecorded.decode(v))
      .filter((e) => e.action === 'provider_answer_received')
      .map((e) => [e.provider, e.outcome?.status, e.outcome?.recordCount ?? null, e.dataCategories, e.actor?.username]);
    const updates = (await outbox(id, Topics.verificationUpdated)).map((v) => VerificationUpdated.decode(v));
    const last = updates.at(-1);
    return {
      requests: requests.rows,
      verification,
      versions,
      answers: answers.rows,
      audit,
      lastUpdate: last && {
        status: last.status,
        reportVersion: last.reportVersion,
        changeReason: last.changeReason,
        report: last.reportJson ? comparable(JSON.parse(last.reportJson)) : null,
        sources: last.sources.map((s) => [s.provider, s.status, s.records, s.late, s.reason, s.respondedAt !== '']),
      },
    };
  }

  it('gives, for answers of several households in one batch (several of each), what the same answers one at a time give', async () => {
    /**
     * Per household: bank:CCB fails; housing's first answer is unsigned (an error, then replaced by its signed
     * answer after the report: a new version due); tax answers twice; the round is over with bank:BOC's answer.
     */
    const script = (r: Record<string, SentRequest>) => ({
      failures: [failureMessage(r['bank:CCB'])],
      answers: [
        answerMessage(r['public-security']),
        answerMessage(r.tax),
        answerMessage(r.housing, 'unsigned'),
        answerMessage(r['provident-fund']),
        answerMessage(r['bank:ICBC']),
        answerMessage(r['bank:ABC']),
        answerMessage(r['bank:BOC']),
        answerMessage(r.tax),
        answerMessage(r.housing),
      ],
    });
    const singly = await households(3);
    const batched = await households(3);

    const singleScripts = singly.map(script);
    await one(interleave(singleScripts.map((s) => s.failures)));
    await one(interleave(singleScripts.map((s) => s.answers)));
    const batchScripts = batched.map(script);
    await handler.failed(interleave(batchScripts.map((s) => s.failures)));
    const cost = await counted(() => handler.answered(interleave(batchScripts.map((s) => s.answers))));
    expect(cost).toEqual({ statements: expect.any(Number), transactions: 1 });

    const idOf = (r: Record<string, SentRequest>) => r.tax.verificationId;
    const statesOf = async () => {
      const states = [];
      for (const r of [...singly, ...batched]) states.push(await stateOf(idOf(r)));
      return states;
    };
    const afterAnswers = await statesOf();
    // The report version 1 (partial: housing unsigned, bank:CCB failed), then a version due for housing.
    expect(afterAnswers[0].versions.map((v) => [v.version, v.status, v.changeReason])).toEqual([[1, 'partial', 'first issue']]);
    expect(afterAnswers[0].verification).toEqual({ status: 'partial', report_version: 1, report_due: true });
    // What the gateway was told last matches version 1: housing still as the version says.
    expect(afterAnswers[0].lastUpdate?.sources.find(([p]) => p === 'housing')?.[4]).toBe('answer signature missing');
    for (let i = 0; i < 3; i++) expect(afterAnswers[3 + i]).toEqual(afterAnswers[i]);

    await moduleRef.get(IssueDueReportsUseCase).execute(new Date(Date.now() + 1_000));
    const afterDue = await statesOf();
    expect(afterDue[0].versions.map((v) => [v.version, v.status, v.changeReason])).toEqual([
      [1, 'partial', 'first issue'],
      [2, 'partial', 'answer from housing given in time, received after the deadline'],
    ]);
    for (let i = 0; i < 3; i++) expect(afterDue[3 + i]).toEqual(afterDue[i]);
  });

  it('applies a duplicate answer inside a batch once, and one already recorded not at all', async () => {
    const r = await startHousehold();
    const id = r.tax.verificationId;
    const tax = answerMessage(r.tax);
    await handler.answered([tax, answerMessage(r['public-security']), tax, answerMessage(r.tax, 'valid', [])]);
    const first = await stateOf(id);
    expect(first.answers).toEqual([
      { provider: 'public-security', key_id: expect.any(String) },
      { provider: 'tax', key_id: expect.any(String) },
    ]);
    expect(first.requests.filter((q) => q.status !== 'pending')).toEqual([
      { provider: 'public-security', status: 'answered', late: false, record_count: 2, reason: null },
      { provider: 'tax', status: 'answered', late: false, record_count: 1, reason: null },
    ]);
    expect(first.audit.map(([provider, status]) => [provider, status])).toEqual([
      ['tax', 'answered'],
      ['public-security', 'answered'],
    ]);

    await handler.answered([answerMessage(r.tax), answerMessage(r['public-security'], 'valid', [])]);
    expect(await stateOf(id)).toEqual(first);
  });

  it('records a forged or unsigned answer inside a batch as it does alone: refused, the request in error, the others applied', async () => {
    const r = await startHousehold();
    const id = r.tax.verificationId;
    await handler.answered([answerMessage(r['public-security']), answerMessage(r.tax, 'forged'), answerMessage(r.housing, 'unsigned'), answerMessage(r['bank:ICBC'])]);
    // A forgery of an answer already recorded changes nothing and is audited as refused.
    await handler.answered([answerMessage(r['public-security'], 'forged', []), answerMessage(r['provident-fund'])]);
    const state = await stateOf(id);
    expect(state.requests.filter((q) => q.status !== 'pending')).toEqual([
      { provider: 'bank:ICBC', status: 'answered', late: false, record_count: 1, reason: null },
      { provider: 'housing', status: 'error', late: false, record_count: 0, reason: 'answer signature missing' },
      { provider: 'provident-fund', status: 'no_record', late: false, record_count: 0, reason: null },
      { provider: 'public-security', status: 'answered', late: false, record_count: 2, reason: null },
      { provider: 'tax', status: 'error', late: false, record_count: 0, reason: 'answer signature invalid' },
    ]);
    expect(state.answers.map((a) => a.provider)).toEqual(['bank:ICBC', 'provident-fund', 'public-security']);
    expect(state.audit.map(([provider, status, , categories]) => [provider, status, status === 'refused' ? categories : []])).toEqual([
      ['public-security', 'answered', []],
      ['tax', 'refused', ['answer_signature_invalid']],
      ['housing', 'refused', ['answer_signature_missing']],
      ['bank:ICBC', 'answered', []],
      ['public-security', 'refused', ['answer_signature_invalid']],
      ['provident-fund', 'no_record', []],
    ]);
  });

  it('runs batches over the same verifications in opposite orders beside the deadline sweeper without a deadlock', async () => {
    const enforce = moduleRef.get(EnforceDeadlinesUseCase);
    const overdue = () => new Date(Date.now() + 60_000);
    for (let run = 0; run < 3; run++) {
      const cases = await households(6);
      const answers = cases.flatMap((r) => [answerMessage(r.tax), answerMessage(r['public-security'])]);
      const failures = [...cases].reverse().map((r) => failureMessage(r['bank:CCB']));
      const more = [...cases].reverse().flatMap((r) => [answerMessage(r.housing), answerMessage(r['provident-fund'])]);
      // Every verification's lock wanted at once by three batches (two in reverse order) and the sweeper, which
      // times out whatever is still pending: a deadlock would fail one of them.
      await Promise.all([handler.answered(answers), handler.failed(failures), handler.answered(more), enforce.execute(overdue())]);
      await enforce.execute(overdue());
      for (const r of cases) {
        const state = await stateOf(r.tax.verificationId);
        // Whichever came first, an outcome after a timeout replaces it: the same final state every time.
        expect(Object.fromEntries(state.requests.map((q) => [q.provider, q.status]))).toEqual({
          'public-security': 'answered',
          tax: 'answered',
          housing: 'no_record',
          'provident-fund': 'no_record',
          'bank:CCB': 'error',
          'bank:ICBC': 'timeout',
          'bank:ABC': 'timeout',
          'bank:BOC': 'timeout',
        });
        expect(state.versions.map((v) => v.version)).toEqual([1]);
        // Each request's outcome audited once (a timeout and the answer after it are two outcomes).
        const audited = state.audit.map(([provider, status]) => `${String(provider)}:${String(status)}`);
        expect(new Set(audited).size).toBe(audited.length);
      }
    }
  });

  it('spends a dozen statements and one transaction on a batch, however many answers it holds', async () => {
    // Ten answers one at a time (two per household, nothing reported yet) ...
    const singles = await households(5);
    const single = await counted(() => one(singles.flatMap((r) => [answerMessage(r.tax), answerMessage(r.housing)])));
    expect(single.transactions).toBe(10);
    // ... against the same ten in one batch, and forty (five households answered in full, five reports) in one.
    const ten = await households(5);
    const batchOf10 = await counted(() => handler.answered(interleave(ten.map((r) => [answerMessage(r.tax), answerMessage(r.housing)]))));
    const forty = await households(5, false);
    const batchOf40 = await counted(() => handler.answered(interleave(forty.map((r) => Object.values(r).map((q) => answerMessage(q))))));

    expect(batchOf10.transactions).toBe(1);
    expect(batchOf40.transactions).toBe(1);
    // Four reads, a write per table, the clock of the updates: not a statement more for four times the answers.
    expect(batchOf40.statements).toBeLessThanOrEqual(12);
    expect(batchOf40.statements).toBeLessThanOrEqual(batchOf10.statements + 2);
    expect(batchOf10.statements * 5).toBeLessThan(single.statements);
    for (const r of forty) expect((await stateOf(r.tax.verificationId)).versions.map((v) => [v.version, v.status])).toEqual([[1, 'complete']]);
  });
});

describe('provider answers in batches (in-process transport)', () => {
  const PROVIDERS = ['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC'];
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
      messaging: { transport: 'in-process', brokers: [], clientId: 'batch-transport-test', groupId: 'verihub-aggregator', consumer: { retryAttempts: 2, retryInitialDelayMs: 50 } },
      bankCodes: ['ICBC'],
      sweepStartupGraceMs: 0,
      poolSize: 4,
      logger: false,
      ...testAggregatorKeys(['ICBC']),
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

  it('dead-letters an undecodable answer and one to an unknown request of a batch, and applies the rest of it', async () => {
    const id = randomUUID();
    inProcessBroker().publish([{ topic: Topics.verificationRequested, key: id, value: encodeMessage(VerificationRequested, verificationRequested(id)) }]);
    const requests = await eventually('the requests', async () => {
      const rows = (await sql.query<{ request_id: string; provider: string }>(`SELECT request_id, provider FROM aggregator.provider_requests WHERE verification_id = $1`, [id])).rows;
      return rows.length === PROVIDERS.length ? Object.fromEntries(rows.map((r) => [r.provider, { requestId: r.request_id, verificationId: id, provider: r.provider }])) : undefined;
    });
    const stranger = { requestId: randomUUID(), verificationId: id, provider: 'tax' };
    // Published together: the consumer hands them to the handler as one batch.
    const batch = [
      answerMessage(requests['public-security']),
      answerMessage(requests.tax, 'forged'),
      { topic: Topics.queryAnswered, key: id, headers: {}, value: Buffer.from([0xff, 0xff, 0xff]) },
      answerMessage(stranger),
      answerMessage(requests.housing),
      answerMessage(requests['provident-fund']),
      answerMessage(requests['bank:ICBC']),
    ];
    inProcessBroker().publish(batch.map(({ topic, key, value }) => ({ topic, key, value })));

    const letters = await eventually('two dead letters', () => {
      const found = inProcessBroker().read(Topics.deadLetter).filter((m) => m.key === id);
      return found.length >= 2 ? found : undefined;
    });
    expect(letters.map((m) => m.headers[DEAD_LETTER_HEADERS.reason])).toEqual([expect.stringMatching(/^cannot decode/), expect.stringMatching(/^unknown_request: /)]);
    const update = await eventually('report version 1', () =>
      inProcessBroker()
        .read(Topics.verificationUpdated)
        .filter((m) => m.key === id)
        .map((m) => VerificationUpdated.decode(m.value))
        .find((u) => u.reportVersion === 1),
    );
    const report = JSON.parse(update.reportJson) as HouseholdReport;
    expect(report.sources.map((s) => [s.provider, s.status, s.reason ?? null]).sort()).toEqual([
      ['bank:ICBC', 'answered', null],
      ['housing', 'no_record', null],
      ['provident-fund', 'no_record', null],
      ['public-security', 'answered', null],
      ['tax', 'error', 'answer signature invalid'],
    ]);
    const answered = await sql.query(
      `SELECT count(*)::int AS n FROM aggregator.provider_answers a JOIN aggregator.provider_requests r USING (request_id) WHERE r.verification_id = $1`,
      [id],
    );
    expect(answered.rows[0].n).toBe(4);
    expect(inProcessBroker().read(Topics.deadLetter).filter((m) => m.key === id)).toHaveLength(2);
  });
});
