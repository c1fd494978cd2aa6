import { makeIdentityNumber, maskIdentityNumber } from './identity-number';
import {
  authorizationShortfalls,
  checkVerificationRules,
  signerOf,
  uncoveredProviders,
  type Authorization,
  type VerificationRequest,
} from './verification-request';

const NOW = new Date('2026-11-01T10:00:00+08:00');
const ADULT = makeIdentityNumber('500115', '1980-05-01', 11);
const SPOUSE = makeIdentityNumber('500115', '1982-03-04', 22);
const CHILD = makeIdentityNumber('500115', '2015-06-01', 33);
const PROVIDERS = ['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC'];

function auth(idNumber: string, signedBy: string, documentRef: string, extra: Partial<Authorization> = {}): Authorization {
  return { idNumber, signedBy, documentRef, signedAt: '2026-10-30T09:00:00+08:00', expiresAt: '2027-10-30T00:00:00+08:00', ...extra };
}

function request(authorizations: Authorization[]): VerificationRequest {
  return {
    program: 'dibao',
    purpose: 'application',
    regionCode: '500115',
    members: [
      { idNumber: ADULT, name: '张三', relation: 'applicant' },
      { idNumber: SPOUSE, name: '李四', relation: 'spouse' },
      { idNumber: CHILD, name: '张小明', relation: 'child' },
    ],
    authorizations,
  };
}

const valid = () => [auth(ADULT, ADULT, 'A-1'), auth(SPOUSE, '李四', 'A-2'), auth(CHILD, ADULT, 'A-3')];

describe('authorization rules (先授权、后核对)', () => {
  it('accepts one valid authorization per member, whatever the scope when it covers every provider asked', () => {
    expect(checkVerificationRules(request(valid()), NOW, { requiredProviders: PROVIDERS })).toEqual([]);
    const scoped = valid().map((a) => ({ ...a, scope: [...PROVIDERS].reverse() }));
    expect(checkVerificationRules(request(scoped), NOW, { requiredProviders: PROVIDERS })).toEqual([]);
  });

  it('names each member not covered, masked, with the reason: missing, expired, revoked, out of scope', () => {
    const authorizations = [
      auth(ADULT, ADULT, 'A-1', { signedAt: '2025-01-01T09:00:00+08:00', expiresAt: '2026-01-01T00:00:00+08:00' }),
      auth(SPOUSE, '李四', 'A-2', { scope: ['tax', 'public-security'] }),
    ];
    const shortfalls = authorizationShortfalls(request(authorizations), NOW, { requiredProviders: PROVIDERS });
    expect(shortfalls.map((s) => [s.memberIndex, s.reason])).toEqual([
      [0, 'expired'],
      [1, 'out_of_scope'],
      [2, 'missing'],
    ]);
    expect(shortfalls[0].message).toBe(
      `member ${maskIdentityNumber(ADULT)} has no valid authorization: expired (A-1 expired at 2026-01-01T00:00:00+08:00) (无委托、不核对)`,
    );
    expect(shortfalls[1].message).toContain('out of scope (A-2 does not cover housing, provident-fund, bank:ICBC)');
    expect(shortfalls.map((s) => s.message).join(' ')).not.toContain(ADULT);

    const revoked = authorizationShortfalls(request(valid()), NOW, { revoked: new Map([['A-3', '2026-10-31T02:00:00.000Z']]) });
    expect(revoked).toEqual([
      {
        memberIndex: 2,
        idNumber: CHILD,
        reason: 'revoked',
        message: `member ${maskIdentityNumber(CHILD)} has no valid authorization: revoked (A-3 revoked at 2026-10-31T02:00:00.000Z) (无委托、不核对)`,
      },
    ]);
  });

  it('refuses a revoked authorization even when another valid one covers the member', () => {
    const errors = checkVerificationRules(request([...valid(), auth(ADULT, ADULT, 'OLD')]), NOW, { revoked: new Map([['OLD', '2026-10-31T02:00:00.000Z']]) });
    expect(errors.map((e) => e.field)).toEqual(['authorizations[3].documentRef', 'members[0]']);
  });

  it('refuses scope entries that are not providers of the hub', () => {
    const errors = checkVerificationRules(request(valid().map((a, i) => (i === 0 ? { ...a, scope: [...PROVIDERS, 'bank:HSBC'] } : a))), NOW, {
      requiredProviders: PROVIDERS,
    });
    expect(errors[0]).toEqual({ field: 'authorizations[0].scope[5]', message: expect.stringContaining('is not a provider of this hub') });
  });

  it('tells who signed: the member themself, or an adult member as guardian of a minor', () => {
    const members = request([]).members;
    expect(signerOf(auth(SPOUSE, '李四', 'x'), members, NOW)).toEqual({ idNumber: SPOUSE, relation: 'self' });
    expect(signerOf(auth(CHILD, '张三', 'x'), members, NOW)).toEqual({ idNumber: ADULT, relation: 'guardian' });
    expect(signerOf(auth(CHILD, CHILD, 'x'), members, NOW)).toBeUndefined();
    expect(uncoveredProviders(undefined, PROVIDERS)).toEqual([]);
    expect(uncoveredProviders(['tax'], ['tax', 'housing'])).toEqual(['housing']);
  });
});
