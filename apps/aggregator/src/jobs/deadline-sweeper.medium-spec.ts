/**
 * Deadlines and late answers on a clock of the test's own: the aggregator's real module on real PostgreSQL
 * (migrations applied), its use cases and sweeper called with explicit instants, and the consumer's
 * readiness played by the test (as the Kafka message server reports it: not consuming until its group is
 * joined, then consuming since an instant). The background jobs are not started: the test runs each sweep.
 */
import { testAggregatorKeys } from '@verihub/domain/consent/testing/test-keys';
import { randomUUID } from 'crypto';
import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { VerificationRequested } from '@verihub/contracts';
import { makeIdentityNumber } from '@verihub/domain';
import { type ConsumerReadiness, type MessagingConfig, resetInProcessBroker } from '@verihub/messaging';
import { type TestDatabase, createTestDatabase } from '../../../../test/medium/test-database';
import { migrateAggregator } from '../aggregator.app';
import { AggregatorModule } from '../aggregator.module';
import { ReportVersionRepository } from '../repositories/report-version.repository';
import { startVerificationCommandFrom } from '../messages/incoming-messages';
import { RecordAnswerUseCase } from '../use-cases/record-answer.use-case';
import { StartVerificationUseCase } from '../use-cases/start-verification.use-case';
import { DeadlineSweeper } from './deadline-sweeper';

const DEADLINE_MS = 10_000;
const GRACE_MS = 5_000;
const WINDOW_MS = 2_000;
const messaging: MessagingConfig = { transport: 'in-process', brokers: [], clientId: 'sweeper-test', groupId: 'sweeper-test' };
const applicant = { idNumber: makeIdentityNumber('500115', '1980-03-14', 11), name: '张三', relation: 'applicant' };

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('deadline sweeper and late answers (real PostgreSQL, the test’s clock)', () => {
  let db: TestDatabase;
  let sql: Client;
  let moduleRef: TestingModule;
  let sweeper: DeadlineSweeper;
  let recordAnswer: RecordAnswerUseCase;
  let startVerification: StartVerificationUseCase;
  let consumingSince: number | null = null;
  const readiness: ConsumerReadiness = { consumingSince: () => consumingSince };

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    resetInProcessBroker();
    db = await createTestDatabase();
    await migrateAggregator({ databaseUrl: db.url });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    moduleRef = await Test.createTestingModule({
      imports: [
        AggregatorModule.forRoot(
          {
            databaseUrl: db.url,
            messaging,
            bankCodes: ['ICBC'],
            providerDeadlineMs: DEADLINE_MS,
            sweepStartupGraceMs: GRACE_MS,
            lateAnswerWindowMs: WINDOW_MS,
            poolSize: 3,
            ...testAggregatorKeys(['ICBC']),
          },
          readiness,
        ),
      ],
    }).compile();
    sweeper = moduleRef.get(DeadlineSweeper);
    recordAnswer = moduleRef.get(RecordAnswerUseCase);
    startVerification = moduleRef.get(StartVerificationUseCase);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await sql?.end();
    await db?.drop();
    resetInProcessBroker();
  });

  /** A check started at `startedAt`; returns its id, its deadline and its requests by provider. */
  async function startCheck(startedAt: Date) {
    const id = randomUUID();
    const command = startVerificationCommandFrom(
      VerificationRequested.fromPartial({
        verificationId: id,
        program: 'dibao',
        purpose: 'application',
        regionCode: '500115',
        asOf: '2026-11-01',
        members: [applicant],
        authorizations: [
          { idNumber: applicant.idNumber, documentRef: 'AUTH-1', signedBy: applicant.idNumber, signedAt: '2026-10-30T09:00:00+08:00', expiresAt: '2027-10-30T00:00:00+08:00' },
        ],
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
        requestedAt: startedAt.toISOString(),
        requestedBy: 'officer',
        interactive: true,
      }),
    );
    expect(await startVerification.execute(command, startedAt)).toBe('started');
    const rows = (await sql.query<{ request_id: string; provider: string }>(
      `SELECT request_id, provider FROM aggregator.provider_requests WHERE verification_id = $1`,
      [id],
    )).rows;
    return { id, deadline: at(startedAt, DEADLINE_MS), requests: Object.fromEntries(rows.map((r) => [r.provider, r.request_id])) };
  }

  type Check = Awaited<ReturnType<typeof startCheck>>;

  /** The provider's answer (nothing on the household), stated as given at `givenAt`, consumed at `consumedAt`. */
  const answer = (check: Check, provider: string, givenAt: Date, consumedAt: Date) =>
    recordAnswer.execute(
      {
        kind: 'answered',
        requestId: check.requests[provider],
        verificationId: check.id,
        provider,
        answeredAt: givenAt,
        records: [],
        notFound: [applicant.idNumber],
        signature: null,
      },
      consumedAt,
    );

  const fail = (check: Check, provider: string, failedAt: Date, consumedAt: Date) =>
    recordAnswer.execute(
      { kind: 'failed', requestId: check.requests[provider], verificationId: check.id, provider, failedAt, reason: 'source_unavailable' },
      consumedAt,
    );

  const requests = async (id: string) =>
    Object.fromEntries(
      (await sql.query<{ provider: string; status: string; late: boolean }>(
        `SELECT provider, status, late FROM aggregator.provider_requests WHERE verification_id = $1`,
        [id],
      )).rows.map((r) => [r.provider, [r.status, r.late]]),
    );

  /** The issued versions, opened by the repository (the table holds them encrypted). */
  const versions = async (id: string) =>
    (await moduleRef.get(ReportVersionRepository).list(moduleRef.get(DataSource).manager, id)).map((v) => ({
      version: v.version,
      status: v.status,
      change_reason: v.changeReason,
      report: v.report,
    }));

  it('enforces nothing while this instance is not consuming, nor while it catches up; then times out the silent providers', async () => {
    consumingSince = null;
    const check = await startCheck(new Date());
    const overdue = at(check.deadline, 3_000);

    expect(await sweeper.sweep(overdue)).toEqual({ ran: false, waitingFor: 'consumer' });
    consumingSince = at(overdue, -1_000).getTime(); // joined its group a second ago
    expect(await sweeper.sweep(overdue)).toEqual({ ran: false, waitingFor: 'catch-up' });
    expect(Object.values(await requests(check.id)).every(([status]) => status === 'pending')).toBe(true);
    expect(await versions(check.id)).toEqual([]);

    const caughtUp = at(overdue, GRACE_MS - 1_000);
    const swept = await sweeper.sweep(caughtUp);
    expect(swept).toMatchObject({ ran: true, deadlines: { verifications: 1, timedOut: 5, reportsIssued: 1 } });
    expect(Object.values(await requests(check.id)).every(([status]) => status === 'timeout')).toBe(true);
    expect((await versions(check.id)).map((v) => [v.version, v.status, v.change_reason])).toEqual([[1, 'partial', 'first issue']]);
  });

  it('after a restart, reads the answers that waited before judging deadlines: the check completes as version 1, nobody late or timed out', async () => {
    consumingSince = null; // restarted: the dead member still holds the partitions
    const startedAt = new Date();
    const check = await startCheck(startedAt);
    expect(await sweeper.sweep(at(check.deadline, 500))).toEqual({ ran: false, waitingFor: 'consumer' });

    const joined = at(check.deadline, 1_000); // the group dropped the dead member after the deadline
    consumingSince = joined.getTime();
    let consumed = joined;
    for (const provider of Object.keys(check.requests)) {
      consumed = at(consumed, 100);
      const result = await answer(check, provider, at(startedAt, 300), consumed); // given within a second of the request
      expect(result).toMatchObject({ result: 'recorded', late: false });
    }
    const swept = await sweeper.sweep(at(joined, GRACE_MS));
    expect(swept).toMatchObject({ ran: true, deadlines: { timedOut: 0 }, dueReports: { issued: 0 } });

    expect(Object.values(await requests(check.id))).toEqual(Array(5).fill(['no_record', false]));
    const issued = await versions(check.id);
    expect(issued.map((v) => [v.version, v.status, v.change_reason])).toEqual([[1, 'complete', 'first issue']]);
    expect(issued[0].report.sources.some((s) => s.status === 'timeout' || s.late)).toBe(false);
  });

  it('judges an answer by the time the provider gave it: given in time but consumed after the timeout, it is not late — and still makes a new version', async () => {
    consumingSince = Date.now() - 60_000;
    const startedAt = new Date();
    const check = await startCheck(startedAt);
    for (const provider of ['public-security', 'housing', 'provident-fund', 'bank:ICBC']) await answer(check, provider, at(startedAt, 200), at(startedAt, 300));
    await sweeper.sweep(at(check.deadline, 1));
    expect((await versions(check.id)).map((v) => [v.version, v.status])).toEqual([[1, 'partial']]);

    const consumed = at(check.deadline, 3_000);
    expect(await answer(check, 'tax', at(check.deadline, -2_000), consumed)).toEqual({
      result: 'recorded',
      late: false,
      reportVersion: null,
      reportDue: true,
    });
    expect((await requests(check.id)).tax).toEqual(['no_record', false]);
    expect((await sweeper.sweep(at(consumed, WINDOW_MS))).ran).toBe(true);

    const issued = await versions(check.id);
    expect(issued.map((v) => [v.version, v.status, v.change_reason])).toEqual([
      [1, 'partial', 'first issue'],
      [2, 'complete', 'answer from tax given in time, received after the deadline'],
    ]);
    expect(issued[0].report.sources.find((s) => s.provider === 'tax')).toMatchObject({ status: 'timeout' });
    expect(issued[1].report.sources.find((s) => s.provider === 'tax')).toMatchObject({ status: 'no_record' });
    expect(issued[1].report.sources.find((s) => s.provider === 'tax')?.late).toBeUndefined();
  });

  it('reports late answers that arrive together in one new version naming every one of them', async () => {
    consumingSince = Date.now() - 60_000;
    const startedAt = new Date();
    const check = await startCheck(startedAt);
    await answer(check, 'public-security', at(startedAt, 200), at(startedAt, 300));
    await sweeper.sweep(at(check.deadline, 1));
    expect((await versions(check.id)).map((v) => [v.version, v.status, v.change_reason])).toEqual([[1, 'partial', 'first issue']]);

    const first = at(check.deadline, 5_000);
    expect(await answer(check, 'housing', first, first)).toMatchObject({ result: 'recorded', late: true, reportVersion: null, reportDue: true });
    expect(await answer(check, 'tax', at(first, 300), at(first, 300))).toMatchObject({ late: true, reportDue: true });
    expect(await fail(check, 'bank:ICBC', at(first, 600), at(first, 600))).toMatchObject({ late: true, reportDue: true });
    // Within the window of the first late answer: still collecting.
    expect(await sweeper.sweep(at(first, WINDOW_MS - 100))).toMatchObject({ ran: true, dueReports: { issued: 0 } });
    expect(await versions(check.id)).toHaveLength(1);

    expect(await sweeper.sweep(at(first, WINDOW_MS))).toMatchObject({ ran: true, dueReports: { issued: 1, outcomes: 3 } });
    let issued = await versions(check.id);
    expect(issued.map((v) => [v.version, v.status, v.change_reason])).toEqual([
      [1, 'partial', 'first issue'],
      [2, 'partial', 'late answers from tax, housing; late failure from bank:ICBC'],
    ]);
    expect(issued[1].report.sources.map((s) => [s.provider, s.status, s.late ?? false])).toEqual(
      expect.arrayContaining([
        ['tax', 'no_record', true],
        ['housing', 'no_record', true],
        ['bank:ICBC', 'error', true],
        ['provident-fund', 'timeout', false],
      ]),
    );
    // Nothing more to issue.
    expect(await sweeper.sweep(at(first, WINDOW_MS + 1_000))).toMatchObject({ dueReports: { issued: 0 } });

    // A later late answer still makes its own version; the earlier ones stay as issued.
    const later = at(first, 20_000);
    await answer(check, 'provident-fund', later, later);
    await sweeper.sweep(at(later, WINDOW_MS));
    issued = await versions(check.id);
    expect(issued.map((v) => [v.version, v.status, v.change_reason])).toEqual([
      [1, 'partial', 'first issue'],
      [2, 'partial', 'late answers from tax, housing; late failure from bank:ICBC'],
      [3, 'partial', 'late answer from provident-fund'],
    ]);
    const [{ report_due_since }] = (await sql.query(`SELECT report_due_since FROM aggregator.verifications WHERE id = $1`, [check.id])).rows;
    expect(report_due_since).toBeNull();
  });

  it('leaves late answers to the next round when a re-check started meanwhile', async () => {
    consumingSince = Date.now() - 60_000;
    const startedAt = new Date();
    const check = await startCheck(startedAt);
    await sweeper.sweep(at(check.deadline, 1));
    const late = at(check.deadline, 1_000);
    expect(await answer(check, 'tax', late, late)).toMatchObject({ reportDue: true });

    const recheck = startVerificationCommandFrom(
      VerificationRequested.fromPartial({ verificationId: check.id, program: 'dibao', purpose: 'application', regionCode: '500115', asOf: '2026-11-01', requestedAt: at(late, 500).toISOString(), requestedBy: 'reviewer', recheckReason: 'objection' }),
    );
    expect(await startVerification.execute(recheck, at(late, 500))).toBe('recheck_started');
    expect(await sweeper.sweep(at(late, WINDOW_MS))).toMatchObject({ dueReports: { issued: 0 } });
    expect((await versions(check.id)).map((v) => v.version)).toEqual([1]);
  });
});
