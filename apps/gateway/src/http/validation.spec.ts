import type { ArgumentMetadata } from '@nestjs/common';
import type { FieldError } from '@verihub/domain';
import { CreateUserDto } from '../users/user.dto';
import { GatewayException } from '../errors/gateway.exception';
import { CreatePolicyDto } from '../policies/policy.dto';
import { validPolicy, validVerificationRequest } from '../testing/households';
import { CreateVerificationDto } from '../verifications/create-verification.dto';
import { ListVerificationsQuery } from '../verifications/verification.views';
import { createValidationPipe } from './validation';

const pipe = createValidationPipe();

async function problems(metatype: ArgumentMetadata['metatype'], value: unknown, type: ArgumentMetadata['type'] = 'body'): Promise<FieldError[]> {
  try {
    await pipe.transform(value, { type, metatype });
    return [];
  } catch (err) {
    if (err instanceof GatewayException) return err.errors;
    throw err;
  }
}

/** Sets `path` (a.b[1].c) on a deep copy of `base`; `undefined` deletes it. */
function withField(base: unknown, path: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

describe('verification request validation (shape, before the domain rules)', () => {
  const valid = validVerificationRequest();

  it('accepts the valid request', async () => {
    expect(await problems(CreateVerificationDto, valid)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['program', 'welfare', 'must be one of: dibao, tekun, low_income, temporary, medical, housing, education'],
    ['program', undefined, 'must be one of'],
    ['purpose', 'curiosity', 'must be one of: application, review, spot_check'],
    ['regionCode', '50011', 'must be a 6-digit administrative region code'],
    ['regionCode', 500115, 'must be a 6-digit administrative region code'],
    ['asOf', '2026-02-30', 'must be a real date written YYYY-MM-DD'],
    ['asOf', '2026-11-01T00:00:00+08:00', 'must be a real date written YYYY-MM-DD'],
    ['members', [], 'must list at least one member'],
    ['members', 'everyone', 'must be an array of members'],
    ['members[1].relation', 'cousin', 'must be one of: applicant, spouse'],
    ['members[1].name', '', 'must not be empty'],
    ['members[2].idNumber', 110105194912310020, 'must be a string'],
    ['members[1].nickname', 'x', 'is not an accepted field'],
    ['declared.monthlyIncome.wage', 12.5, 'must be an integer amount of fen'],
    ['declared.monthlyIncome.wage', '100', 'must be an integer amount of fen'],
    ['declared.monthlyIncome.business', -1, 'must be an integer amount of fen'],
    ['declared.monthlyIncome.bonus', 1, 'is not an accepted field'],
    ['declared.financialAssets', 1e20, 'must be an integer amount of fen'],
    ['declared.vehicles', 1.5, 'must be an integer from 0 to 1000'],
    ['declared', 'lots', 'must be an object'],
    ['authorizations', undefined, 'must be an array of authorizations'],
    ['authorizations[0].signedAt', '2026-10-30 09:00', 'must be an ISO 8601 date-time with offset'],
    ['authorizations[0].expiresAt', '2027-10-30T00:00:00', 'must be an ISO 8601 date-time with offset'],
    ['authorizations[1].documentRef', '', 'must not be empty'],
    ['authorizations[2].signedBy', undefined, 'must be a string'],
    ['extra', true, 'is not an accepted field'],
  ])('%s = %j → 400 naming %s', async (field, value, message) => {
    const errors = await problems(CreateVerificationDto, withField(valid, field, value));
    expect(errors).toContainEqual({ field, message: expect.stringContaining(message) });
  });

  it('names every offending field at once', async () => {
    const body = withField(withField(valid, 'program', 'x'), 'members[0].relation', 'boss');
    const fields = (await problems(CreateVerificationDto, body)).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['program', 'members[0].relation']));
  });

  it('refuses a body that is not an object', async () => {
    expect(await problems(CreateVerificationDto, [valid])).toEqual([{ field: '', message: 'must be a JSON object' }]);
  });
});

describe('policy validation', () => {
  const valid = validPolicy();

  it('accepts the valid policy, with and without the optional fields and extensions', async () => {
    expect(await problems(CreatePolicyDto, valid)).toEqual([]);
    const minimal = withField(withField(withField(withField(valid, 'incomeLookbackMonths', undefined), 'discrepancyTolerance', undefined), 'exemptVehicleTypes', undefined), 'employmentDeductionMonthly', undefined);
    expect(await problems(CreatePolicyDto, minimal)).toEqual([]);
    const extended = { ...valid, maxResidentialAreaPerCapitaM2: 15.5 };
    expect(await problems(CreatePolicyDto, extended)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['standardMonthly.rural', undefined, 'must be an integer amount of fen > 0'],
    ['standardMonthly.urban', 0, 'must be an integer amount of fen > 0'],
    ['standardMonthly.urban', 780.5, 'must be an integer amount of fen > 0'],
    ['standardMonthly', undefined, 'is required'],
    ['program', 'welfare', 'must be one of: dibao'],
    ['regionCode', '5001150', 'must be a 6-digit administrative region code'],
    ['effectiveFrom', '2026-13-01', 'must be a real date'],
    ['incomeLookbackMonths', 0, 'must be an integer from 1 to 36'],
    ['incomeLookbackMonths', 37, 'must be an integer from 1 to 36'],
    ['financialAssetsMonthsLimit', -1, 'must be an integer from 0'],
    ['maxCountedVehicles', -1, 'must be an integer from 0'],
    ['maxResidentialProperties', 1.5, 'must be an integer from 0'],
    ['maxNonResidentialProperties', undefined, 'must be an integer from 0'],
    ['employmentDeductionMonthly', -100, 'must be an integer amount of fen'],
    ['exemptVehicleTypes', ['car', 'spaceship'], 'each must be one of: car, truck, motorcycle, tricycle, disability'],
    ['exemptVehicleTypes', ['car', 'car'], 'must not list a vehicle type twice'],
    ['discrepancyTolerance.relative', 1.5, 'must be from 0 to 1'],
    ['discrepancyTolerance.relative', 0.123456, 'must be a number with at most 4 decimals'],
    ['discrepancyTolerance.absolute', -1, 'must be an integer amount of fen'],
    ['maxResidentialAreaPerCapitaM2', -1, 'must be ≥ 0'],
    ['maxResidentialAreaPerCapitaM2', 15.125, 'must be a number of m² with at most 2 decimals'],
    // withdrawn extensions (never applied): refused as unknown fields
    ['toleratedVehicleValueFen', 3000000, 'is not an accepted field'],
    ['wageDisregardMonthly', 249000, 'is not an accepted field'],
    ['version', 3, 'is not an accepted field'],
  ])('%s = %j → 400 naming %s', async (field, value, message) => {
    const errors = await problems(CreatePolicyDto, withField(valid, field, value));
    expect(errors).toContainEqual({ field, message: expect.stringContaining(message) });
  });
});

describe('user and query validation', () => {
  const user = { username: 'officer.li', password: 'a-long-password', role: 'officer', regionCode: '500115' };

  it.each<[string, unknown, string]>([
    ['username', 'Li', 'must be 3-32 characters'],
    ['password', 'short', 'must be at least 10 characters'],
    ['role', 'superuser', 'must be one of: officer, reviewer, auditor, admin, operator'],
    ['regionCode', 'abc', 'must be a 6-digit administrative region code'],
  ])('user %s = %j → %s', async (field, value, message) => {
    expect(await problems(CreateUserDto, withField(user, field, value))).toContainEqual({ field, message: expect.stringContaining(message) });
  });

  it.each<[Record<string, string>, string, string]>([
    [{ pageSize: '101' }, 'pageSize', 'must be an integer from 1 to 100'],
    [{ page: '0' }, 'page', 'must be an integer from 1'],
    [{ page: 'two' }, 'page', 'must be an integer from 1'],
    [{ status: 'done' }, 'status', 'must be one of: pending, complete, partial'],
    [{ sort: 'name' }, 'sort', 'is not an accepted field'],
  ])('list query %j → %s', async (query, field, message) => {
    expect(await problems(ListVerificationsQuery, query, 'query')).toContainEqual({ field, message: expect.stringContaining(message) });
  });

  it('turns page numbers into integers', async () => {
    const out = (await pipe.transform({ page: '2', pageSize: '50' }, { type: 'query', metatype: ListVerificationsQuery })) as ListVerificationsQuery;
    expect(out).toMatchObject({ page: 2, pageSize: 50 });
  });
});
