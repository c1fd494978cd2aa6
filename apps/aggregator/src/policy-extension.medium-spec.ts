/**
 * The policy extension maxResidentialAreaPerCapitaM2 end to end inside the aggregator: it arrives only
 * in VerificationRequested's policy_json (the typed fields are v1's), is stored with the verification
 * (jsonb), and the report applies it — also in a re-check that leaves the policy out and reuses the
 * stored one. Real PostgreSQL, the in-process transport; the test plays the gateway and the providers.
 */
import { testAggregatorKeys } from '@verihub/domain/consent/testing/test-keys';
import { signedAsProvider } from '../../../libs/adapter-sdk/src/testing/signed-answers';
import { randomUUID } from 'crypto';
import { Client } from 'pg';
import {
  QueryAnswered,
  QueryRequested,
  Topics,
  VerificationRequested,
  VerificationUpdated,
  queryRequestedTopic,
  toProviderRecord,
} from '@verihub/contracts';
import { type DepartmentRecord, type HouseholdReport, makeIdentityNumber } from '@verihub/domain';
import { type MessagingConfig, encodeMessage, inProcessBroker, resetInProcessBroker } from '@verihub/messaging';
import { type TestDatabase, createTestDatabase } from '../../../test/medium/test-database';
import { type RunningAggregator, migrateAggregator, startAggregator } from './aggregator.app';

const PROVIDERS = ['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC'];
const messaging: MessagingConfig = {
  transport: 'in-process',
  brokers: [],
  clientId: 'aggregator-policy-test',
  groupId: 'verihub-aggregator',
  consumer: { retryAttempts: 2, retryInitialDelayMs: 50 },
};

const applicant = { idNumber: makeIdentityNumber('500115', '1975-04-09', 13), name: '王五', relation: 'applicant' };
const spouse = { idNumber: makeIdentityNumber('500115', '1977-12-20', 24), name: '赵六', relation: 'spouse' };
const POLICY_ID = '6a1f0000-0000-4000-8000-0000000000a1';

/** The v1 typed fields, and policy_json as the gateway writes it (the accepted object + id and version). */
function housingPolicy(areaLimit: number | undefined) {
  const rules = {
    regionCode: '500115',
    program: 'housing',
    effectiveFrom: '2026-01-01',
    standardMonthly: { urban: 156_000, rural: 124_000 },
    incomeLookbackMonths: 12,
    financialAssetsMonthsLimit: 24,
    maxCountedVehicles: 0,
    exemptVehicleTypes: ['motorcycle', 'tricycle', 'disability'],
    maxResidentialProperties: 1,
    maxNonResidentialProperties: 0,
    employmentDeductionMonthly: 50_000,
    discrepancyTolerance: { absolute: 10_000, relative: 0.1 },
    ...(areaLimit !== undefined ? { maxResidentialAreaPerCapitaM2: areaLimit } : {}),
  };
  return {
    id: POLICY_ID,
    version: 1,
    regionCode: rules.regionCode,
    program: rules.program,
    effectiveFrom: rules.effectiveFrom,
    standardMonthlyUrban: rules.standardMonthly.urban,
    standardMonthlyRural: rules.standardMonthly.rural,
    incomeLookbackMonths: rules.incomeLookbackMonths,
    financialAssetsMonthsLimit: rules.financialAssetsMonthsLimit,
    maxCountedVehicles: rules.maxCountedVehicles,
    exemptVehicleTypes: rules.exemptVehicleTypes,
    maxResidentialProperties: rules.maxResidentialProperties,
    maxNonResidentialProperties: rules.maxNonResidentialProperties,
    employmentDeductionMonthly: rules.employmentDeductionMonthly,
    discrepancyTolerance: { absolute: 10_000, relativeBasisPoints: 1000 },
    policyJson: JSON.stringify({ ...rules, id: POLICY_ID, version: 1 }),
  };
}

function verificationRequested(id: string, areaLimit: number | undefined, overrides: Partial<VerificationRequested> = {}): VerificationRequested {
  return VerificationRequested.fromPartial({
    verificationId: id,
    program: 'housing',
    purpose: 'application',
    regionCode: '500115',
    asOf: '2026-11-01',
    members: [applicant, spouse],
    authorizations: [applicant, spouse].map((m, i) => ({
      idNumber: m.idNumber,
      documentRef: `AUTH-2026-00077${i}`,
      signedBy: m.idNumber,
      signedAt: '2026-10-30T09:00:00+08:00',
      expiresAt: '2027-10-30T00:00:00+08:00',
    })),
    policy: housingPolicy(areaLimit),
    requestedAt: '2026-11-01T10:00:00+08:00',
    requestedBy: 'officer',
    interactive: true,
    ...overrides,
  });
}

/**
 * Two urban members; one flat of 89.50 m² wholly owned by the applicant:
 * 8950 centi-m² × 100 % / 2 = 4475 → 44.75 m² per capita (one residential property, within the count).
 */
function recordsOf(provider: string): DepartmentRecord[] {
  const origin = (recordId: string, idNumber: string) => ({ provider, recordId, idNumber });
  switch (provider) {
    case 'public-security':
      return [applicant, spouse].map((m, i) => ({
        ...origin(`P-${i}`, m.idNumber),
        kind: 'person' as const,
        name: m.name,
        sex: i === 0 ? ('M' as const) : ('F' as const),
        birthDate: i === 0 ? '1975-04-09' : '1977-12-20',
        hukouType: 'urban' as const,
        hukouRegionCode: '500115',
        householdNumber: 'H-7',
        status: 'active' as const,
      }));
    case 'housing':
      return [
        {
          ...origin('R-1', applicant.idNumber),
          kind: 'property',
          certificateNo: '渝(2020)长寿区不动产权第0077号',
          address: '重庆市长寿区某路7号',
          use: 'residential',
          floorAreaCentiM2: 8950,
          shareBasisPoints: 10000,
          registeredAt: '2020-06-01',
          status: 'registered',
        },
      ];
    default:
      return [];
  }
}

describe('the area-per-capita policy extension reaches the report (aggregator, real PostgreSQL)', () => {
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
      bankCodes: ['ICBC'],
      providerDeadlineMs: 10_000,
      sweepIntervalMs: 100,
      poolSize: 4,
      logger: ['error'],
      ...testAggregatorKeys(['ICBC']),
    });
  });

  afterAll(async () => {
    await aggregator?.close();
    await sql?.end();
    await db?.drop();
    resetInProcessBroker();
  });

  const publish = (topic: string, key: string, value: Uint8Array): void => inProcessBroker().publish([{ topic, key, value }]);

  const queriesFor = (id: string): QueryRequested[] =>
    PROVIDERS.flatMap((p) => inProcessBroker().read(queryRequestedTopic(p)))
      .filter((m) => m.key === id)
      .map((m) => QueryRequested.decode(m.value));

  async function eventually<T>(what: string, probe: () => T | undefined): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const answerAll = (queries: QueryRequested[]): void =>
    queries.forEach((query) => {
      const records = recordsOf(query.provider);
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
    });

  const answered = new Set<string>();

  /** Sends the request, answers this round's queries with recordsOf, and returns the report version it yields. */
  async function check(id: string, request: VerificationRequested, round = 1): Promise<HouseholdReport> {
    publish(Topics.verificationRequested, id, encodeMessage(VerificationRequested, request));
    const queries = await eventually(`round ${round} queries of ${id}`, () => {
      const fresh = queriesFor(id).filter((q) => !answered.has(q.requestId));
      return fresh.length >= PROVIDERS.length ? fresh : undefined;
    });
    queries.forEach((q) => answered.add(q.requestId));
    answerAll(queries);
    return eventually(`report version ${round} of ${id}`, () => {
      const update = inProcessBroker()
        .read(Topics.verificationUpdated)
        .filter((m) => m.key === id)
        .map((m) => VerificationUpdated.decode(m.value))
        .find((u) => u.reportVersion === round);
      return update ? (JSON.parse(update.reportJson) as HouseholdReport) : undefined;
    });
  }

  it.each([
    [15, false, 'fail', 'exceeds_limits'],
    [44.75, true, 'pass', 'within_limits'],
  ] as const)('limit %s m² against 44.75 m² per capita: area check passed %s → realEstate %s', async (limit, passed, outcome, conclusion) => {
    const id = randomUUID();
    const report = await check(id, verificationRequested(id, limit));
    expect(report.policy).toMatchObject({ id: POLICY_ID, version: 1, program: 'housing', maxResidentialAreaPerCapitaM2: limit, employmentDeductionMonthly: 50_000 });
    expect(report.assets.residentialAreaPerCapitaM2).toBe(44.75);
    expect(report.testDetails.realEstate.checks).toEqual([
      { measure: 'residentialProperties', value: 1, limit: 1, rule: 'le', passed: true },
      { measure: 'nonResidentialProperties', value: 0, limit: 0, rule: 'le', passed: true },
      { measure: 'residentialAreaPerCapitaM2', value: 44.75, limit, rule: 'le', passed },
    ]);
    expect(report.tests.realEstate).toBe(outcome);
    expect(report.conclusion).toBe(conclusion);

    const [stored] = (await sql.query<{ policy: Record<string, unknown> }>('SELECT policy FROM aggregator.verifications WHERE id = $1', [id])).rows;
    expect(stored.policy).toMatchObject({ id: POLICY_ID, maxResidentialAreaPerCapitaM2: limit });
  });

  it('applies no area rule when policy_json does not set one', async () => {
    const id = randomUUID();
    const report = await check(id, verificationRequested(id, undefined));
    expect(report.policy).not.toHaveProperty('maxResidentialAreaPerCapitaM2');
    expect(report.testDetails.realEstate.checks.map((c) => c.measure)).toEqual(['residentialProperties', 'nonResidentialProperties']);
    expect(report.tests.realEstate).toBe('pass');
  });

  it('keeps applying the stored limit in a re-check that leaves the policy out', async () => {
    const id = randomUUID();
    expect((await check(id, verificationRequested(id, 15))).tests.realEstate).toBe('fail');
    const recheck = verificationRequested(id, undefined, {
      members: [],
      authorizations: [],
      policy: undefined,
      requestedAt: '2026-11-03T15:00:00+08:00',
      recheckReason: 'objection: the flat was sold',
    });
    const v2 = await check(id, recheck, 2);
    expect(v2.version).toBe(2);
    expect(v2.policy.maxResidentialAreaPerCapitaM2).toBe(15);
    expect(v2.testDetails.realEstate.checks[2]).toMatchObject({ measure: 'residentialAreaPerCapitaM2', value: 44.75, limit: 15, passed: false });
  });
});
