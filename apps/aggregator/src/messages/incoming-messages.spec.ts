import {
  Policy,
  QueryAnswered,
  QueryFailed,
  QueryFailureCode,
  VerificationRequested,
  toProviderRecord,
} from '@verihub/contracts';
import { makeIdentityNumber } from '@verihub/domain';
import { MalformedMessageError } from '@verihub/messaging';
import { answerOutcomeFrom, failureOutcomeFrom, policyFrom, startVerificationCommandFrom } from './incoming-messages';

const member = { idNumber: makeIdentityNumber('500115', '1980-03-14', 11), name: '张三', relation: 'applicant' };
const policy = Policy.fromPartial({
  id: 'p-1',
  version: 3,
  regionCode: '500115',
  program: 'dibao',
  effectiveFrom: '2026-01-01',
  standardMonthlyUrban: 80_000,
  standardMonthlyRural: 60_000,
  incomeLookbackMonths: 6,
  financialAssetsMonthsLimit: 24,
  maxCountedVehicles: 0,
  exemptVehicleTypes: ['disability'],
  maxResidentialProperties: 1,
  maxNonResidentialProperties: 0,
  employmentDeductionMonthly: 20_000,
  discrepancyTolerance: { absolute: 10_000, relativeBasisPoints: 1000 },
});

function request(overrides: Partial<VerificationRequested> = {}): VerificationRequested {
  return VerificationRequested.fromPartial({
    verificationId: '3F2A9C1E-5B7D-4E8F-9A0B-1C2D3E4F5A6B',
    program: 'dibao',
    purpose: 'application',
    regionCode: '500115',
    asOf: '2026-11-01',
    members: [member],
    authorizations: [{ idNumber: member.idNumber, documentRef: 'AUTH-1', signedBy: member.idNumber, signedAt: '2026-10-30T09:00:00+08:00', expiresAt: '2027-10-30T00:00:00+08:00' }],
    policy,
    requestedAt: '2026-11-01T10:00:00+08:00',
    requestedBy: 'officer',
    ...overrides,
  });
}

function malformedReason(read: () => unknown): string {
  try {
    read();
  } catch (err) {
    if (err instanceof MalformedMessageError) return err.reason;
    throw err;
  }
  throw new Error('expected MalformedMessageError');
}

describe('startVerificationCommandFrom', () => {
  it('reads a request into the command', () => {
    const command = startVerificationCommandFrom(
      request({ declared: { monthlyIncome: { wage: 300_000 }, vehicles: 0 }, interactive: true }),
    );
    expect(command).toMatchObject({
      verificationId: '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
      asOf: '2026-11-01',
      members: [member],
      declared: { monthlyIncome: { wage: 300_000 }, vehicles: 0 },
      interactive: true,
      recheckReason: null,
      requestedBy: 'officer',
    });
    expect(command.requestedAt.toISOString()).toBe('2026-11-01T02:00:00.000Z');
    expect(command.policy).toMatchObject({
      id: 'p-1',
      version: 3,
      standardMonthly: { urban: 80_000, rural: 60_000 },
      incomeLookbackMonths: 6,
      discrepancyTolerance: { absolute: 10_000, relative: 0.1 },
    });
  });

  it('defaults asOf to the request day in Shanghai and keeps no declaration as null', () => {
    const command = startVerificationCommandFrom(request({ asOf: '', requestedAt: '2026-10-31T20:00:00Z' }));
    expect(command.asOf).toBe('2026-11-01');
    expect(command.declared).toBeNull();
  });

  it.each<[string, Partial<VerificationRequested>, RegExp]>([
    ['a verification id that is not a UUID', { verificationId: 'v-1' }, /verification_id/],
    ['a request time without offset', { requestedAt: '2026-11-01T10:00:00' }, /requested_at/],
    ['no members', { members: [] }, /members/],
    ['no policy', { policy: undefined }, /policy/],
    ['an unknown programme', { program: 'lottery' }, /program/],
    ['an unknown relation', { members: [{ ...member, relation: 'neighbour' }] }, /members\[0\]\.relation/],
    ['an impossible date', { asOf: '2026-02-30' }, /as_of/],
  ])('refuses %s', (_, overrides, reason) => {
    expect(malformedReason(() => startVerificationCommandFrom(request(overrides)))).toMatch(reason);
  });

  it('names fields, never identity numbers or names, in its reasons', () => {
    const reason = malformedReason(() => startVerificationCommandFrom(request({ members: [{ ...member, relation: 'x' }] })));
    expect(reason).not.toContain(member.idNumber);
    expect(reason).not.toContain(member.name);
  });

  it('lets a re-check leave out the household and the policy (they are kept)', () => {
    const command = startVerificationCommandFrom(
      request({ members: [], authorizations: [], policy: undefined, recheckReason: '  objection  ' }),
    );
    expect(command).toMatchObject({ members: [], policy: null, recheckReason: 'objection' });
  });
});

describe('policyFrom', () => {
  it('applies the canonical policy JSON over the typed fields, keeping id and version', () => {
    const merged = policyFrom({
      ...policy,
      policyJson: JSON.stringify({ id: 'other', version: 9, maxCountedVehicles: 1, maxResidentialAreaPerCapitaM2: 35 }),
    });
    expect(merged).toMatchObject({ id: 'p-1', version: 3, maxCountedVehicles: 1, maxResidentialAreaPerCapitaM2: 35 });
  });

  it('refuses an area limit the report cannot apply (not m² ≥ 0 with at most 2 decimals)', () => {
    for (const limit of [15.125, -1, '15']) {
      expect(malformedReason(() => policyFrom({ ...policy, policyJson: JSON.stringify({ maxResidentialAreaPerCapitaM2: limit }) }))).toMatch(
        /maxResidentialAreaPerCapitaM2/,
      );
    }
    expect(policyFrom({ ...policy, policyJson: JSON.stringify({ maxResidentialAreaPerCapitaM2: 15.5 }) }).maxResidentialAreaPerCapitaM2).toBe(15.5);
  });

  it('refuses policy JSON that is not an object', () => {
    expect(malformedReason(() => policyFrom({ ...policy, policyJson: '[1]' }))).toMatch(/policy_json/);
    expect(malformedReason(() => policyFrom({ ...policy, policyJson: '{' }))).toMatch(/policy_json/);
  });
});

describe('provider outcomes', () => {
  const requestId = '0b0c0d0e-0000-4000-8000-000000000001';

  it('maps an answer’s records to the domain, tagged with the provider', () => {
    const outcome = answerOutcomeFrom(
      QueryAnswered.fromPartial({
        requestId,
        verificationId: 'V',
        provider: 'tax',
        answeredAt: '2026-11-01T10:00:05+08:00',
        records: [
          toProviderRecord({ provider: 'x', recordId: 'T-1', idNumber: member.idNumber, kind: 'income', period: '2026-09', item: 'wage', incomeFen: 100, taxFen: 3, withholder: 'ACME' }),
        ],
        notFoundIdNumbers: [],
      }),
    );
    expect(outcome).toMatchObject({
      kind: 'answered',
      requestId,
      verificationId: 'v',
      provider: 'tax',
      records: [{ provider: 'tax', recordId: 'T-1', kind: 'income', incomeFen: 100 }],
      signature: null,
    });
    expect(outcome.kind === 'answered' && outcome.answeredAt?.toISOString()).toBe('2026-11-01T02:00:05.000Z');
  });

  it('refuses an answer whose request id is not a UUID, or with a record of no known type', () => {
    expect(malformedReason(() => answerOutcomeFrom(QueryAnswered.fromPartial({ requestId: 'r1' })))).toMatch(/request_id/);
    expect(
      malformedReason(() => answerOutcomeFrom(QueryAnswered.fromPartial({ requestId, records: [{ recordId: 'X', idNumber: '1' }] }))),
    ).toMatch(/no known type/);
  });

  it('words a failure with its code', () => {
    const outcome = failureOutcomeFrom(
      QueryFailed.fromPartial({ requestId, provider: 'housing', code: QueryFailureCode.QUERY_FAILURE_CODE_UNAUTHORIZED, reason: 'no authorization for members[1]' }),
    );
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'unauthorized: no authorization for members[1]' });
  });

  it('keeps the provider’s own failure time (lateness is judged on it), or none when it is not a zoned date-time', () => {
    const failure = (failedAt: string) => failureOutcomeFrom(QueryFailed.fromPartial({ requestId, provider: 'tax', failedAt }));
    expect(failure('2026-11-01T10:00:05+08:00')).toMatchObject({ failedAt: new Date('2026-11-01T02:00:05Z') });
    expect(failure('2026-11-01 10:00')).toMatchObject({ failedAt: null });
    expect(failure('')).toMatchObject({ failedAt: null });
  });
});
