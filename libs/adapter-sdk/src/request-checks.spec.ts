import { QueryFailed, QueryFailureCode, QueryRequested } from '@verihub/contracts';
import { makeIdentityNumber, maskIdentityNumber } from '@verihub/domain';
import { queryFailedOf } from './answer-messages';
import { envelopeProblem, redactIdentityNumbers } from './query-request.rules';
import { checkBeforeLookup } from './request-checks';
import type { RequestVerifier } from './request-verifier';

const NOW = new Date('2026-11-01T10:00:00+08:00');
const APPLICANT = makeIdentityNumber('500115', '1980-05-01', 11);
const CHILD = makeIdentityNumber('500115', '2015-03-02', 22);
const OTHER = makeIdentityNumber('110105', '1949-12-31', 2);

function authorization(idNumber: string, overrides: Partial<{ documentRef: string; signedAt: string; expiresAt: string }> = {}) {
  return {
    idNumber,
    documentRef: `AUTH-${idNumber.slice(-4)}`,
    signedBy: APPLICANT,
    signedAt: '2026-10-30T09:00:00+08:00',
    expiresAt: '2027-10-30T09:00:00+08:00',
    ...overrides,
  };
}

function request(overrides: Partial<QueryRequested> = {}): QueryRequested {
  return QueryRequested.fromPartial({
    requestId: 'req-1',
    verificationId: 'ver-1',
    provider: 'tax',
    members: [
      { idNumber: APPLICANT, name: '张三' },
      { idNumber: CHILD, name: '张小明' },
    ],
    incomePeriod: { from: '2025-11', to: '2026-10' },
    assetsAsOf: '2026-11-01',
    authorizations: [authorization(APPLICANT), authorization(CHILD)],
    ...overrides,
  });
}

/** The QueryFailed the adapter would publish, through the wire and back. */
async function failureFor(req: QueryRequested, extra: RequestVerifier[] = []): Promise<QueryFailed | undefined> {
  const refusal = await checkBeforeLookup(req, { provider: 'tax', now: NOW }, extra);
  if (!refusal) return undefined;
  return QueryFailed.decode(QueryFailed.encode(queryFailedOf(req, 'tax', refusal.code, refusal.reason, NOW)).finish());
}

describe('checks before any lookup (先授权、后核对)', () => {
  it('lets a fully authorized, well-formed request through', async () => {
    expect(await failureFor(request())).toBeUndefined();
  });

  const UNAUTHORIZED = QueryFailureCode.QUERY_FAILURE_CODE_UNAUTHORIZED;
  const INVALID = QueryFailureCode.QUERY_FAILURE_CODE_INVALID_REQUEST;
  const badChild = CHILD.slice(0, 17) + (CHILD[17] === '0' ? '1' : '0');

  it.each([
    ['no authorization for one member', request({ authorizations: [authorization(APPLICANT)] }), UNAUTHORIZED, CHILD, /no authorization reference/],
    [
      'an expired authorization',
      request({ authorizations: [authorization(APPLICANT), authorization(CHILD, { expiresAt: '2026-10-31T23:59:59+08:00' })] }),
      UNAUTHORIZED,
      CHILD,
      /expired/,
    ],
    [
      'an authorization for the wrong identity number',
      request({ authorizations: [authorization(APPLICANT), authorization(OTHER)] }),
      UNAUTHORIZED,
      CHILD,
      /no authorization reference/,
    ],
    [
      'an authorization without a document reference',
      request({ authorizations: [authorization(APPLICANT), authorization(CHILD, { documentRef: ' ' })] }),
      UNAUTHORIZED,
      CHILD,
      /no document reference/,
    ],
    [
      'an authorization signed in the future',
      request({ authorizations: [authorization(APPLICANT), authorization(CHILD, { signedAt: '2026-11-02T09:00:00+08:00' })] }),
      UNAUTHORIZED,
      CHILD,
      /signed in the future/,
    ],
    [
      'an authorization date without offset',
      request({ authorizations: [authorization(APPLICANT), authorization(CHILD, { expiresAt: '2027-10-30T09:00:00' })] }),
      UNAUTHORIZED,
      CHILD,
      /not a date-time with offset/,
    ],
    [
      'a bad identity number (check digit)',
      request({
        members: [{ idNumber: APPLICANT, name: '张三' }, { idNumber: badChild, name: '张小明' }],
        authorizations: [authorization(APPLICANT), authorization(badChild)],
      }),
      INVALID,
      badChild,
      /check_digit/,
    ],
    ['an income period that ends before it starts', request({ incomePeriod: { from: '2026-10', to: '2025-11' } }), INVALID, undefined, /starts \(2026-10\) after it ends/],
    ['an income period that is not months', request({ incomePeriod: { from: '2025-13', to: '2026-10' } }), INVALID, undefined, /two months/],
    ['no income period', request({ incomePeriod: undefined }), INVALID, undefined, /income period missing/],
    ['an assets date that does not exist', request({ assetsAsOf: '2026-02-30' }), INVALID, undefined, /assets-as-of/],
    ['no members', request({ members: [], authorizations: [] }), INVALID, undefined, /names no member/],
  ])('refuses %s', async (_case, req, code, namedMember, rule) => {
    const failure = await failureFor(req);
    expect(failure).toBeDefined();
    expect(failure!.code).toBe(code);
    expect(failure!.reason).toMatch(rule);
    expect(failure!.requestId).toBe('req-1');
    expect(failure!.verificationId).toBe('ver-1');
    if (namedMember) expect(failure!.reason).toContain(maskIdentityNumber(namedMember));
    for (const raw of [APPLICANT, CHILD, OTHER, badChild]) expect(failure!.reason).not.toContain(raw);
    expect(failure!.reason).not.toMatch(/张/);
  });

  it('names every member that is not covered, and only those', async () => {
    const failure = await failureFor(request({ authorizations: [] }));
    expect(failure!.reason).toContain(maskIdentityNumber(APPLICANT));
    expect(failure!.reason).toContain(maskIdentityNumber(CHILD));
    const partly = await failureFor(request({ authorizations: [authorization(CHILD)] }));
    expect(partly!.reason).toContain(maskIdentityNumber(APPLICANT));
    expect(partly!.reason).not.toContain(maskIdentityNumber(CHILD));
  });

  it('accepts a member covered by one valid authorization among expired ones', async () => {
    const req = request({
      authorizations: [authorization(APPLICANT), authorization(CHILD, { expiresAt: '2026-01-01T00:00:00+08:00' }), authorization(CHILD)],
    });
    expect(await failureFor(req)).toBeUndefined();
  });

  it('runs further verifiers only after the authorization check, and honours their refusal', async () => {
    const calls: string[] = [];
    const tokenCheck: RequestVerifier = {
      verify: (req) => {
        calls.push(req.requestId);
        return req.queryToken === '' ? { code: 'UNAUTHORIZED', reason: 'no query token' } : undefined;
      },
    };
    const unauthorized = await failureFor(request({ authorizations: [] }), [tokenCheck]);
    expect(unauthorized!.reason).toMatch(/no authorization reference/);
    expect(calls).toEqual([]);

    const noToken = await failureFor(request(), [tokenCheck]);
    expect(noToken!.code).toBe(QueryFailureCode.QUERY_FAILURE_CODE_UNAUTHORIZED);
    expect(noToken!.reason).toBe('no query token');
    expect(await failureFor(request({ queryToken: 'signed' }), [tokenCheck])).toBeUndefined();
  });
});

describe('envelope of a request', () => {
  it.each([
    ['no request id', request({ requestId: '' }), /without requestId/],
    ['no verification id', request({ verificationId: '' }), /without verificationId/],
    ['no provider', request({ provider: '' }), /without provider/],
    ['another provider', request({ provider: 'bank:ICBC' }), /for provider "bank:ICBC" reached the adapter of "tax"/],
  ])('is malformed with %s', (_case, req, reason) => {
    expect(envelopeProblem(req, 'tax')).toMatch(reason);
  });

  it('is sound for this provider', () => {
    expect(envelopeProblem(request(), 'tax')).toBeUndefined();
  });
});

describe('redactIdentityNumbers', () => {
  it('masks identity numbers inside error text', () => {
    const text = redactIdentityNumbers(`lookup failed for ${APPLICANT} and ${'11010519491231002x'}`);
    expect(text).toContain(maskIdentityNumber(APPLICANT));
    expect(text).not.toContain(APPLICANT);
    expect(text).not.toContain('11010519491231002x');
  });
});
