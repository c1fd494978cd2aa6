import { describeIdentityNumber, formPathOf, fromRequest, toRequest } from './verification-form';

const request = {
  program: 'dibao',
  purpose: 'application',
  regionCode: '500115',
  asOf: '2026-11-01',
  members: [
    { idNumber: '11010519491231002X', name: '张三', relation: 'applicant' },
    { idNumber: '110105201201010015', name: '张小明', relation: 'child' },
  ],
  declared: { monthlyIncome: { wage: 180000, business: 0, transfer: 20050 }, financialAssets: 4000000, vehicles: 0, properties: 1 },
  authorizations: [
    { idNumber: '11010519491231002X', signedBy: '11010519491231002X', documentRef: 'AUTH-1', signedAt: '2026-10-30T09:00:00+08:00', expiresAt: '2027-10-30T00:00:00+08:00' },
    { idNumber: '110105201201010015', signedBy: '11010519491231002X', documentRef: 'AUTH-2', signedAt: '2026-10-30T09:00:00+08:00', expiresAt: '2027-10-30T00:00:00+08:00' },
  ],
};

describe('the new-verification form model', () => {
  it('turns a pasted request into the form and back into the same request (amounts via yuan)', () => {
    const form = fromRequest(JSON.stringify(request));
    expect(form?.declared?.monthlyIncome?.transfer).toBe(200.5);
    expect(form?.members[1].signedBy).toBe('11010519491231002X');
    const back = toRequest(form!);
    expect(back).toEqual({ ...request, declared: { ...request.declared, monthlyIncome: { wage: 180000, business: 0, transfer: 20050 } } });
  });

  it('refuses text that is not a request', () => {
    expect(fromRequest('not json')).toBeNull();
    expect(fromRequest('{"program":"dibao"}')).toBeNull();
  });

  it('puts the API error fields on the member cards', () => {
    expect(formPathOf('authorizations[1].signedAt')).toEqual(['members', 1, 'signedAt']);
    expect(formPathOf('members[0].idNumber')).toEqual(['members', 0, 'idNumber']);
    expect(formPathOf('members[2]')).toEqual(['members', 2, 'documentRef']);
    expect(formPathOf('declared.monthlyIncome.wage')).toEqual(['declared', 'monthlyIncome', 'wage']);
    expect(formPathOf('members')).toBeNull();
    expect(formPathOf('somethingElse')).toBeNull();
  });

  it('reads a typed identity number by the domain rule: check character, birth date, age', () => {
    expect(describeIdentityNumber('110105194912310021', '2026-11-01')).toEqual({ valid: false, problem: 'check_digit', expected: 'X' });
    expect(describeIdentityNumber('110105194913310021', '2026-11-01')).toMatchObject({ valid: false, problem: 'birth_date' });
    expect(describeIdentityNumber('1101051949', '2026-11-01')).toMatchObject({ valid: false, problem: 'format' });
    expect(describeIdentityNumber('11010519491231002X', '2026-11-01')).toEqual({ valid: true, birthDate: '1949-12-31', age: 76, sex: 'F', minor: false });
    expect(describeIdentityNumber('110105201201010015', '2026-11-01')).toMatchObject({ valid: true, age: 14, minor: true });
  });
});
