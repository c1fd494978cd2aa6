/**
 * The aggregator's updates applied in batches (BatchEventPattern): a batch gives the rows the same messages
 * one at a time give — report versions (stored once, sealed, their changes against the previous version),
 * the state (only forwards) — in one transaction of a handful of statements. Real PostgreSQL with the
 * migrations; verifications are created through the API of a real gateway, the handler is called with the
 * batches a partition would hand over, and (last block) the gateway's in-process transport shows a batch with
 * an unknown verification falling back to one message at a time.
 */
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SourceStatus, Topics, VerificationStatus, VerificationUpdated } from '@verihub/contracts';
import { MalformedMessageError, readDeadLetters, type IncomingMessage } from '@verihub/messaging';
import { isSealedValue } from '@verihub/persistence';
import { gatewayDataSourceOptions } from '../database/gateway-database';
import { SealedPlaces, openFrom } from '../database/sealed-columns';
import { eventually, startGatewayHarness, testMessagingConfig, type GatewayHarness } from '../testing/gateway-harness';
import { validPolicy, validVerificationRequest } from '../testing/households';
import { RecordVerificationUpdateUseCase } from './record-verification-update.use-case';
import { VerificationUpdatedHandler } from './verification-updated.handler';
import { VerificationRepository } from './verification.repository';
import { statementCounter } from '../../../../test/medium/statement-count';

type Update = Parameters<typeof VerificationUpdated.fromPartial>[0];

const at = (minute: number) => `2026-11-23T10:${String(minute).padStart(2, '0')}:00+08:00`;

function report(verificationId: string, version: number, conclusion: string, monthlyPerCapita: number) {
  return {
    reportNumber: `R-${verificationId.slice(0, 8)}-${version}`,
    verificationId,
    version,
    conclusion,
    issuedAt: at(version),
    income: { monthlyTotal: monthlyPerCapita * 3, monthlyPerCapita, byCategory: { wage: 0, business: 0, property: 0, transfer: 0 } },
    sources: [{ department: 'tax', provider: 'tax', status: 'answered', records: version, respondedAt: at(0) }],
  };
}

const taxSource = (status: SourceStatus, records = 0) => ({ department: 'tax', provider: 'tax', status, records, respondedAt: status === SourceStatus.SOURCE_STATUS_PENDING ? '' : at(0) });

function message(update: Update): IncomingMessage {
  const decoded = VerificationUpdated.fromPartial(update);
  return { topic: Topics.verificationUpdated, key: decoded.verificationId, headers: {}, value: Buffer.from(VerificationUpdated.encode(decoded).finish()) };
}

/** Round-robin over the lists, each list's order kept: how a partition holds the messages of several keys. */
function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

/** Ids differ between two verifications; everything else a report says must not. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !['verificationId', 'reportNumber'].includes(key))
      .map(([key, v]) => [key, comparable(v)]),
  );
}

describe('verification updates in batches (the handler, real PostgreSQL)', () => {
  let h: GatewayHarness;
  let officer: string;
  let moduleRef: TestingModule;
  let handler: VerificationUpdatedHandler;
  /** Counts what the DataSource sends while some work runs. */
  let counted: ReturnType<typeof statementCounter>;

  beforeAll(async () => {
    h = await startGatewayHarness();
    officer = await h.token('officer');
    const admin = await h.token('admin');
    await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy()).expect(201);
    // The handler over the same database, called directly (the gateway's own consumer never sees these messages).
    moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot(gatewayDataSourceOptions(h.db.url, 3))],
      controllers: [VerificationUpdatedHandler],
      providers: [VerificationRepository, RecordVerificationUpdateUseCase],
    }).compile();
    handler = moduleRef.get(VerificationUpdatedHandler);
    counted = statementCounter(moduleRef.get(DataSource));
  });

  afterAll(async () => {
    await moduleRef?.close();
    await h?.close();
  });

  async function create(): Promise<string> {
    const response = await h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${officer}`).send(validVerificationRequest()).expect(201);
    return response.body.id as string;
  }

  async function createMany(count: number): Promise<string[]> {
    const ids = [];
    for (let i = 0; i < count; i++) ids.push(await create());
    return ids;
  }

  const one = (messages: IncomingMessage[]) => messages.reduce<Promise<void>>((done, m) => done.then(() => handler.handle([m])), Promise.resolve());

  /** The verification's read-model rows, ids and reception times aside. */
  async function stateOf(id: string) {
    const { rows: [verification] } = await h.pg.query<{ status: string; sources: unknown; report_version: number; state_updated_at: Date | null }>(
      'SELECT status, sources, report_version, state_updated_at FROM gateway.verifications WHERE id = $1',
      [id],
    );
    const { rows } = await h.pg.query<{ version: number; report: unknown; changes: unknown; change_reason: string; conclusion: string | null; issued_at: string | null }>(
      'SELECT version, report, changes, change_reason, conclusion, issued_at FROM gateway.report_versions WHERE verification_id = $1 ORDER BY version',
      [id],
    );
    for (const row of rows) {
      // Sealed at rest, whichever way the version was written.
      expect(isSealedValue(row.report)).toBe(true);
      if (row.changes !== null) expect(isSealedValue(row.changes)).toBe(true);
    }
    return {
      verification: { ...verification, state_updated_at: verification.state_updated_at?.toISOString() ?? null },
      versions: rows.map((r) => ({
        version: r.version,
        changeReason: r.change_reason,
        conclusion: r.conclusion,
        issuedAt: r.issued_at,
        report: comparable(openFrom(SealedPlaces.report, r.report)),
        changes: openFrom(SealedPlaces.changes, r.changes),
      })),
    };
  }

  /** Report v1 already applied; then a stale v0, v2 and v3 (each with changes), a stale v2, a redelivered v3, a later v3 snapshot. */
  const following = (id: string) => ({
    before: [
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_PARTIAL, sources: [taxSource(SourceStatus.SOURCE_STATUS_TIMEOUT)], reportVersion: 1, reportJson: JSON.stringify(report(id, 1, 'incomplete', 50000)), updatedAt: at(1), changeReason: 'first issue' }),
    ],
    batch: [
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_PENDING, sources: [taxSource(SourceStatus.SOURCE_STATUS_PENDING)], updatedAt: at(2) }),
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_COMPLETE, sources: [taxSource(SourceStatus.SOURCE_STATUS_ANSWERED, 2)], reportVersion: 2, reportJson: JSON.stringify(report(id, 2, 'within_limits', 48000)), updatedAt: at(3), changeReason: 'late answer from tax' }),
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_COMPLETE, sources: [taxSource(SourceStatus.SOURCE_STATUS_ANSWERED, 3)], reportVersion: 3, reportJson: JSON.stringify(report(id, 3, 'exceeds_limits', 90000)), updatedAt: at(4), changeReason: 're-check' }),
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_PENDING, reportVersion: 2, reportJson: JSON.stringify(report(id, 2, 'incomplete', 1)), updatedAt: at(5), changeReason: 'stale' }),
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_COMPLETE, sources: [taxSource(SourceStatus.SOURCE_STATUS_ANSWERED, 3)], reportVersion: 3, reportJson: JSON.stringify(report(id, 3, 'exceeds_limits', 90000)), updatedAt: at(4), changeReason: 're-check' }),
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_COMPLETE, sources: [taxSource(SourceStatus.SOURCE_STATUS_NO_RECORD)], reportVersion: 3, reportJson: JSON.stringify(report(id, 3, 'within_limits', 1)), updatedAt: at(6), changeReason: 're-check' }),
    ],
  });

  /** Nothing stored yet; v2 arrives before v1 (kept, no regression), then v3; two snapshots of one time (the later wins). */
  const outOfOrder = (id: string) => ({
    before: [],
    batch: [
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_PENDING, sources: [taxSource(SourceStatus.SOURCE_STATUS_PENDING)], updatedAt: at(1) }),
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_PENDING, sources: [taxSource(SourceStatus.SOURCE_STATUS_ERROR)], updatedAt: at(1) }),
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_COMPLETE, sources: [taxSource(SourceStatus.SOURCE_STATUS_ANSWERED, 2)], reportVersion: 2, reportJson: JSON.stringify(report(id, 2, 'within_limits', 48000)), updatedAt: at(3) }),
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_PARTIAL, reportVersion: 1, reportJson: JSON.stringify(report(id, 1, 'incomplete', 50000)), updatedAt: at(2) }),
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_COMPLETE, sources: [taxSource(SourceStatus.SOURCE_STATUS_ANSWERED, 3)], reportVersion: 3, reportJson: JSON.stringify(report(id, 3, 'exceeds_limits', 90000)), updatedAt: at(4), changeReason: 're-check' }),
    ],
  });

  it('gives, for updates of several verifications in one batch (several of each), the rows the same updates one at a time give', async () => {
    const scripts = [following, following, outOfOrder, outOfOrder];
    const singly = await createMany(scripts.length);
    const batched = await createMany(scripts.length);
    const singleScripts = singly.map((id, i) => scripts[i](id));
    const batchScripts = batched.map((id, i) => scripts[i](id));
    await one(singleScripts.flatMap((s) => s.before));
    await one(batchScripts.flatMap((s) => s.before));

    await one(interleave(singleScripts.map((s) => s.batch)));
    const cost = await counted(() => handler.handle(interleave(batchScripts.map((s) => s.batch))));
    expect(cost.transactions).toBe(1);

    const states = async (ids: string[]) => {
      const out = [];
      for (const id of ids) out.push(await stateOf(id));
      return out;
    };
    const expected = await states(singly);
    expect(await states(batched)).toEqual(expected);

    // What the rules say, spelled out for the two scripts.
    const [followed, , reordered] = expected;
    expect(followed.verification).toEqual({
      status: 'complete',
      report_version: 3,
      state_updated_at: '2026-11-23T02:06:00.000Z',
      sources: [{ department: 'tax', provider: 'tax', status: 'no_record', records: 0, respondedAt: at(0) }],
    });
    expect(followed.versions.map((v) => [v.version, v.conclusion, v.changeReason])).toEqual([
      [1, 'incomplete', 'first issue'],
      [2, 'within_limits', 'late answer from tax'],
      [3, 'exceeds_limits', 're-check'],
    ]);
    expect(followed.versions[1].changes).toEqual(expect.arrayContaining([{ path: 'conclusion', from: 'incomplete', to: 'within_limits' }]));
    expect(followed.versions[2].changes).toEqual(expect.arrayContaining([{ path: 'conclusion', from: 'within_limits', to: 'exceeds_limits' }]));
    expect(reordered.verification).toMatchObject({ status: 'complete', report_version: 3, state_updated_at: '2026-11-23T02:04:00.000Z' });
    expect(reordered.versions.map((v) => [v.version, v.conclusion, v.changeReason, v.changes === null])).toEqual([
      [1, 'incomplete', 'first issue', true],
      [2, 'within_limits', 'new version', true],
      [3, 'exceeds_limits', 're-check', false],
    ]);
    expect(reordered.versions[2].changes).toEqual(expect.arrayContaining([{ path: 'income.monthlyPerCapita', from: 48000, to: 90000 }]));

    // The whole batch again (a redelivery after a crash before the commit of the offsets): nothing changes.
    await handler.handle(interleave(batchScripts.map((s) => s.batch)));
    expect(await states(batched)).toEqual(expected);
  });

  it('applies nothing of a batch with an update of an unknown verification, and says which one', async () => {
    const [id] = await createMany(1);
    const before = await stateOf(id);
    const unknownId = '00000000-0000-4000-8000-00000000cafe';
    const batch = [
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_COMPLETE, reportVersion: 1, reportJson: JSON.stringify(report(id, 1, 'within_limits', 1)), updatedAt: at(1) }),
      message({ verificationId: unknownId, status: VerificationStatus.VERIFICATION_STATUS_PENDING, updatedAt: at(1) }),
    ];
    const failure = await handler.handle(batch).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(MalformedMessageError);
    expect((failure as MalformedMessageError).reason).toBe(`${Topics.verificationUpdated}: no verification ${unknownId} in this gateway`);
    expect(await stateOf(id)).toEqual(before);
  });

  it('runs batches over the same verifications in opposite orders at once without a deadlock; the newest state wins', async () => {
    const ids = await createMany(6);
    const v1 = (id: string, minute: number, status: SourceStatus) =>
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_COMPLETE, sources: [taxSource(status, 1)], reportVersion: 1, reportJson: JSON.stringify(report(id, 1, 'within_limits', 1)), updatedAt: at(minute) });
    await Promise.all([
      handler.handle(ids.map((id) => v1(id, 1, SourceStatus.SOURCE_STATUS_ANSWERED))),
      handler.handle([...ids].reverse().map((id) => v1(id, 2, SourceStatus.SOURCE_STATUS_NO_RECORD))),
      handler.handle(ids.map((id) => v1(id, 1, SourceStatus.SOURCE_STATUS_ANSWERED)).reverse()),
    ]);
    for (const id of ids) {
      const state = await stateOf(id);
      expect(state.verification).toMatchObject({ report_version: 1, state_updated_at: '2026-11-23T02:02:00.000Z', sources: [expect.objectContaining({ status: 'no_record' })] });
      expect(state.versions.map((v) => v.version)).toEqual([1]);
    }
  });

  it('spends a handful of statements and one transaction on a batch, however many updates it holds', async () => {
    const script = (id: string) => [
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_PENDING, sources: [taxSource(SourceStatus.SOURCE_STATUS_ANSWERED, 1)], updatedAt: at(1) }),
      message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_COMPLETE, reportVersion: 1, reportJson: JSON.stringify(report(id, 1, 'within_limits', 1)), updatedAt: at(2) }),
    ];
    // Ten updates one at a time (two per verification: a snapshot, then report v1) ...
    const single = await counted(async () => one((await createMany(5)).flatMap(script)));
    expect(single.transactions).toBe(10);
    // ... against the same ten in one batch, and forty (ten verifications: snapshot, v1, v2, a stale v1) in one.
    const ten = interleave((await createMany(5)).map(script));
    const batchOf10 = await counted(() => handler.handle(ten));
    const forty = interleave(
      (await createMany(10)).map((id) => [
        ...script(id),
        message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_COMPLETE, reportVersion: 2, reportJson: JSON.stringify(report(id, 2, 'exceeds_limits', 9)), updatedAt: at(3) }),
        message({ verificationId: id, status: VerificationStatus.VERIFICATION_STATUS_PARTIAL, reportVersion: 1, reportJson: JSON.stringify(report(id, 1, 'incomplete', 5)), updatedAt: at(4) }),
      ]),
    );
    const batchOf40 = await counted(() => handler.handle(forty));

    expect(batchOf10.transactions).toBe(1);
    expect(batchOf40.transactions).toBe(1);
    // The lock, one read of the report versions, a write per table: not a statement more for four times the updates.
    expect(batchOf40.statements).toBeLessThanOrEqual(6);
    expect(batchOf40.statements).toBeLessThanOrEqual(batchOf10.statements);
    expect(batchOf10.statements * 5).toBeLessThan(single.statements);
    const { rows } = await h.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM gateway.report_versions WHERE verification_id = ANY($1::uuid[])`,
      [[...new Set(forty.map((m) => m.key))]],
    );
    expect(rows[0].n).toBe(20);
  });

  describe('through the in-process transport', () => {
    it('dead-letters an update of an unknown verification of a batch alone, and applies the rest of it', async () => {
      const [first, second] = await createMany(2);
      const unknownId = '00000000-0000-4000-8000-00000000d00d';
      // Published together: the gateway's consumer hands them to the handler as one batch.
      await h.publisher.publish(
        [
          { verificationId: first, reportVersion: 1, reportJson: JSON.stringify(report(first, 1, 'within_limits', 1)), updatedAt: at(1), status: VerificationStatus.VERIFICATION_STATUS_COMPLETE },
          { verificationId: unknownId, updatedAt: at(1), status: VerificationStatus.VERIFICATION_STATUS_PENDING },
          { verificationId: second, reportVersion: 1, reportJson: JSON.stringify(report(second, 1, 'incomplete', 1)), updatedAt: at(1), status: VerificationStatus.VERIFICATION_STATUS_PARTIAL },
          { verificationId: first, updatedAt: at(2), sources: [taxSource(SourceStatus.SOURCE_STATUS_NO_RECORD)], reportVersion: 1, reportJson: JSON.stringify(report(first, 1, 'within_limits', 1)), status: VerificationStatus.VERIFICATION_STATUS_COMPLETE },
        ].map((update) => {
          const { topic, key, value } = message(update);
          return { topic, key, value };
        }),
      );
      await eventually(async () => (await stateOf(first)).verification.state_updated_at === '2026-11-23T02:02:00.000Z', 'the last update of the batch');
      expect((await stateOf(second)).verification).toMatchObject({ status: 'partial', report_version: 1 });
      expect((await stateOf(first)).versions.map((v) => [v.version, v.conclusion])).toEqual([[1, 'within_limits']]);
      const letters = (await readDeadLetters(testMessagingConfig())).filter((l) => l.originalTopic === Topics.verificationUpdated);
      expect(letters.map((l) => l.reason)).toEqual([expect.stringContaining(`no verification ${unknownId} in this gateway`)]);
    });
  });
});
