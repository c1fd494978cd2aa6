import { parseExchangeProvider } from '../exchange-provider';
import { parseExchangeLine } from './parse-exchange-line';

const TODAY = '2026-11-23';
const MAN = '500115198005011230'; // born 1980-05-01, sequence 123 (odd: M)
const WOMAN = '50011519820715124X'; // born 1982-07-15, sequence 124 (even: F)
const BAD_CHECK = '500115198005011231';

const person = { type: 'person', idNumber: MAN, name: '张三', sex: 'M', birthDate: '1980-05-01', hukouType: 'urban', hukouRegionCode: '500115', householdNumber: 'H0001', status: 'active' };
const vehicle = { type: 'vehicle', idNumber: MAN, plate: '渝A12345', vehicleType: 'car', brand: '长安', firstRegistrationDate: '2019-03-02', useType: 'private', status: 'normal' };
const income = { type: 'income', idNumber: MAN, period: '2026-03', item: 'wage', incomeFen: 650000, taxFen: 1500, withholder: '重庆某某有限公司' };
const property = { type: 'property', idNumber: MAN, certificateNo: '渝(2020)长寿区不动产权第0001号', address: '长寿区桃花大道1号', use: 'residential', floorAreaM2: 89.5, sharePercent: 100, registeredAt: '2020-06-01', status: 'registered' };
const account = { type: 'account', idNumber: MAN, accountNo: '5001150001', status: 'active', employer: '重庆某某有限公司', balanceFen: 2300000, asOf: '2026-10-31' };
const contribution = { type: 'contribution', idNumber: MAN, period: '2026-03', baseFen: 520000, employeeFen: 26000, employerFen: 26000 };
const holding = { type: 'holding', idNumber: MAN, accountNo: '6217000001', product: 'time', balanceFen: 3000000, asOf: '2026-10-31' };
const interest = { type: 'interest', idNumber: MAN, accountNo: '6217000001', period: '2026-06', interestFen: 4500 };

const providers = {
  ps: parseExchangeProvider('public-security'),
  tax: parseExchangeProvider('tax'),
  housing: parseExchangeProvider('housing'),
  fund: parseExchangeProvider('provident-fund'),
  bank: parseExchangeProvider('bank:ICBC'),
};

function check(provider: keyof typeof providers, value: unknown) {
  return parseExchangeLine(providers[provider], typeof value === 'string' ? value : JSON.stringify(value), { today: TODAY });
}

describe('parseExchangeLine: the examples of domain.md section 4 are valid', () => {
  it.each(([
    ['ps', person, 'person'],
    ['ps', { ...person, idNumber: WOMAN, sex: 'F', birthDate: '1982-07-15', status: 'deceased', deathDate: '2026-05-01' }, 'person'],
    ['ps', vehicle, 'vehicle'],
    ['tax', income, 'income'],
    ['tax', { ...income, item: 'business', incomeFen: -120000, taxFen: 0 }, 'income'],
    ['tax', { ...income, withholder: '' }, 'income'],
    ['housing', property, 'property'],
    ['fund', account, 'fund_account'],
    ['fund', contribution, 'fund_contribution'],
    ['bank', holding, 'bank_holding'],
    ['bank', interest, 'bank_interest'],
  ] as const).map(([provider, value, kind]) => [provider, kind, value] as const))('%s: %s (#%#)', (provider, kind, value) => {
    const result = check(provider, value);
    expect(result).toMatchObject({ ok: true, record: { kind, idNumber: value.idNumber } });
  });

  it('converts floor area to hundredths of m2 and share to basis points, exactly', () => {
    const result = check('housing', { ...property, floorAreaM2: 89.53, sharePercent: 33.33 });
    expect(result).toMatchObject({ ok: true, record: { floorAreaCentiM2: 8953, shareBasisPoints: 3333 } });
    expect(check('housing', property)).toMatchObject({ ok: true, record: { floorAreaCentiM2: 8950, shareBasisPoints: 10000 } });
  });

  it('tags records with the provider and a stable record id derived from the natural key', () => {
    const a = check('bank', holding);
    const b = check('bank', { ...holding, balanceFen: 1 });
    const c = check('bank', { ...holding, asOf: '2026-09-30' });
    const d = parseExchangeLine(parseExchangeProvider('bank:CCB'), JSON.stringify(holding), { today: TODAY });
    if (!a.ok || !b.ok || !c.ok || !d.ok) throw new Error('expected valid');
    expect(a.record.provider).toBe('bank:ICBC');
    expect(a.record.recordId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.record.recordId).toBe(a.record.recordId); // same holding snapshot, new balance: replaces
    expect(c.record.recordId).not.toBe(a.record.recordId); // another snapshot
    expect(d.record.recordId).not.toBe(a.record.recordId); // another bank
    expect(a.record.recordId).not.toContain(MAN.slice(6, 14));
  });

  it("keeps the department's own recordId when the line has one", () => {
    expect(check('tax', { ...income, recordId: 'TAX-2026-000001' })).toMatchObject({ ok: true, record: { recordId: 'TAX-2026-000001' } });
  });
});

describe('parseExchangeLine: each rule names the field', () => {
  it.each(([
    // line shape and type
    ['ps', '{"type":"person",', /^not valid JSON/],
    ['ps', '[1,2]', /^must be a JSON object$/],
    ['ps', { ...income }, /^type: unknown type; provider public-security accepts person \| vehicle$/],
    ['tax', { ...income, type: undefined }, /^type: is required/],
    ['bank', { ...person }, /^type: unknown type; provider bank:ICBC accepts holding \| interest$/],
    ['tax', { ...income, incomefen: 1 }, /^incomefen: unknown field \(allowed: .*incomeFen/],
    // identity numbers
    ['ps', { ...person, idNumber: BAD_CHECK }, /^idNumber: invalid resident identity number \(check_digit\)/],
    ['tax', { ...income, idNumber: '50011519800501123' }, /^idNumber: invalid resident identity number \(format\)/],
    ['tax', { ...income, idNumber: '500115198013011238' }, /^idNumber: invalid resident identity number \(birth_date\)/],
    ['tax', { ...income, idNumber: undefined }, /^idNumber: is required$/],
    // person
    ['ps', { ...person, name: ' ' }, /^name: must not be empty$/],
    ['ps', { ...person, name: 12 }, /^name: must be a string$/],
    ['ps', { ...person, sex: 'F' }, /^sex: must agree with the identity number \(its 17th digit is odd: M\)$/],
    ['ps', { ...person, sex: 'X' }, /^sex: must be one of M, F$/],
    ['ps', { ...person, birthDate: '1980-05-02' }, /^birthDate: must equal the birth date encoded in the identity number$/],
    ['ps', { ...person, birthDate: '1980-02-30' }, /^birthDate: must be a real date YYYY-MM-DD/],
    ['ps', { ...person, hukouType: 'city' }, /^hukouType: must be one of urban, rural$/],
    ['ps', { ...person, hukouRegionCode: '50011' }, /^hukouRegionCode: must be a 6-digit administrative region code$/],
    ['ps', { ...person, householdNumber: undefined }, /^householdNumber: is required$/],
    ['ps', { ...person, status: 'dead' }, /^status: must be one of active, deceased$/],
    ['ps', { ...person, status: 'deceased' }, /^deathDate: is required$/],
    ['ps', { ...person, deathDate: '2026-01-01' }, /^deathDate: only allowed when status is deceased$/],
    ['ps', { ...person, status: 'deceased', deathDate: '2027-01-01' }, /^deathDate: must not be after today \(2026-11-23\)$/],
    ['ps', { ...person, status: 'deceased', deathDate: '1979-01-01' }, /^deathDate: must not be before birthDate$/],
    // vehicle
    ['ps', { ...vehicle, vehicleType: 'bus' }, /^vehicleType: must be one of car, truck, motorcycle, tricycle, disability$/],
    ['ps', { ...vehicle, status: 'stolen' }, /^status: must be one of normal, scrapped, cancelled$/],
    ['ps', { ...vehicle, firstRegistrationDate: '2019-3-2' }, /^firstRegistrationDate: must be a real date YYYY-MM-DD$/],
    ['ps', { ...vehicle, plate: '' }, /^plate: must not be empty$/],
    // income
    ['tax', { ...income, period: '2026-13' }, /^period: must be a month YYYY-MM \(01-12\)$/],
    ['tax', { ...income, period: '2026-3' }, /^period: must be a month YYYY-MM/],
    ['tax', { ...income, item: 'salary' }, /^item: must be one of wage, labor, business, rent, interest_dividend$/],
    ['tax', { ...income, incomeFen: 12.5 }, /^incomeFen: must be an integer amount in fen/],
    ['tax', { ...income, incomeFen: '100' }, /^incomeFen: must be an integer amount in fen/],
    ['tax', { ...income, incomeFen: -1 }, /^incomeFen: must not be negative$/],
    ['tax', { ...income, item: 'rent', incomeFen: -1 }, /^incomeFen: must not be negative$/],
    ['tax', { ...income, taxFen: -1 }, /^taxFen: must not be negative$/],
    ['tax', { ...income, item: 'business', taxFen: -5 }, /^taxFen: must not be negative$/],
    ['tax', { ...income, incomeFen: 2 ** 60 }, /^incomeFen: must be an integer amount in fen/],
    ['tax', { ...income, withholder: undefined }, /^withholder: is required$/],
    // property
    ['housing', { ...property, use: 'office' }, /^use: must be one of residential, commercial, industrial, other$/],
    ['housing', { ...property, floorAreaM2: 0 }, /^floorAreaM2: must be positive/],
    ['housing', { ...property, floorAreaM2: -3 }, /^floorAreaM2: must be positive/],
    ['housing', { ...property, floorAreaM2: 89.555 }, /^floorAreaM2: must have at most 2 decimal places$/],
    ['housing', { ...property, floorAreaM2: '89.5' }, /^floorAreaM2: must be a number$/],
    ['housing', { ...property, sharePercent: 0 }, /^sharePercent: must be more than 0 and at most 100/],
    ['housing', { ...property, sharePercent: 100.5 }, /^sharePercent: must be more than 0 and at most 100/],
    ['housing', { ...property, registeredAt: '2020-06-31' }, /^registeredAt: must be a real date/],
    ['housing', { ...property, status: 'sold' }, /^status: must be one of registered, cancelled$/],
    // provident fund
    ['fund', { ...account, status: 'open' }, /^status: must be one of active, sealed, closed$/],
    ['fund', { ...account, balanceFen: -1 }, /^balanceFen: must not be negative$/],
    ['fund', { ...account, asOf: '2026-10-32' }, /^asOf: must be a real date/],
    ['fund', { ...contribution, employeeFen: 260.5 }, /^employeeFen: must be an integer amount in fen/],
    ['fund', { ...contribution, employerFen: -1 }, /^employerFen: must not be negative$/],
    ['fund', { ...contribution, baseFen: undefined }, /^baseFen: is required$/],
    // bank
    ['bank', { ...holding, product: 'gold' }, /^product: must be one of current, time, wealth, fund, securities$/],
    ['bank', { ...holding, balanceFen: -100 }, /^balanceFen: must not be negative$/],
    ['bank', { ...interest, interestFen: 1.5 }, /^interestFen: must be an integer amount in fen/],
    ['bank', { ...interest, accountNo: undefined }, /^accountNo: is required$/],
    // record id
    ['tax', { ...income, recordId: '' }, /^recordId: must not be empty$/],
    ['tax', { ...income, recordId: 'x'.repeat(129) }, /^recordId: must be at most 128 characters$/],
    ['tax', { ...income, withholder: 'a\u0000b' }, /^withholder: must not contain control characters$/],
  ] as const).map(([provider, value, reason]) => [provider, reason, value] as const))('%s: %s', (provider, reason, value) => {
    const result = check(provider, value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('reports every problem of a line, never echoing an identity number or a name', () => {
    const result = check('ps', { ...person, idNumber: BAD_CHECK, name: '', hukouType: 'x', extra: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason.split('; ')).toEqual([
      expect.stringMatching(/^extra: unknown field/),
      expect.stringMatching(/^idNumber: invalid resident identity number \(check_digit\)/),
      'name: must not be empty',
      'hukouType: must be one of urban, rural',
    ]);
    expect(result.reason).not.toContain(BAD_CHECK);
    expect(check('ps', `{"type":"person","idNumber":"${MAN}",`)).toEqual({ ok: false, reason: expect.not.stringContaining(MAN) });
    const birth = check('tax', { ...income, idNumber: '500115198013011238' });
    expect(birth.ok ? '' : birth.reason).not.toContain('1980-13-01');
  });

  it('treats null as absent for optional fields', () => {
    expect(check('ps', { ...person, deathDate: null })).toMatchObject({ ok: true });
    expect(check('tax', { ...income, recordId: null })).toMatchObject({ ok: true });
  });
});
