/**
 * Validation of one JSON Lines record of an exchange database (domain.md section 4) into the
 * domain's DepartmentRecord. Every problem of the line is reported, each naming its field and rule.
 * Choices: unknown fields are refused; `recordId` is an optional extra field; `null` counts as absent
 * for optional fields; a person's sex and birthDate must agree with the identity number; birth and
 * death dates may not be in the future; blank lines are skipped by the importer, not here.
 */
import { birthDateOf, sexOf, todayInShanghai, type DepartmentRecord } from '@verihub/domain';
import type { ExchangeProvider } from '../exchange-provider';
import {
  BANK_PRODUCTS,
  FUND_ACCOUNT_STATUSES,
  LINE_TYPES,
  PROPERTY_STATUSES,
  PROPERTY_USES,
  TAX_ITEMS,
  VEHICLE_STATUSES,
  VEHICLE_TYPES,
  type ExchangeLineType,
} from './exchange-line';
import { CheckMemo, FieldReader } from './field-reader';
import { derivedRecordId } from './record-id';

export type LineCheck = { ok: true; record: DepartmentRecord } | { ok: false; reason: string };

export interface ParseOptions {
  /** "YYYY-MM-DD" (default today in Asia/Shanghai): birth and death dates after it are refused. */
  today?: string;
  /** Checks remembered across the lines of one file (importers pass one; `today` is then the memo's). */
  memo?: CheckMemo;
}

const COMMON_FIELDS = ['type', 'recordId', 'idNumber'];
const FIELDS: Record<ExchangeLineType, readonly string[]> = {
  person: [...COMMON_FIELDS, 'name', 'sex', 'birthDate', 'hukouType', 'hukouRegionCode', 'householdNumber', 'status', 'deathDate'],
  vehicle: [...COMMON_FIELDS, 'plate', 'vehicleType', 'brand', 'firstRegistrationDate', 'useType', 'status'],
  income: [...COMMON_FIELDS, 'period', 'item', 'incomeFen', 'taxFen', 'withholder'],
  property: [...COMMON_FIELDS, 'certificateNo', 'address', 'use', 'floorAreaM2', 'sharePercent', 'registeredAt', 'status'],
  account: [...COMMON_FIELDS, 'accountNo', 'status', 'employer', 'balanceFen', 'asOf'],
  contribution: [...COMMON_FIELDS, 'period', 'baseFen', 'employeeFen', 'employerFen'],
  holding: [...COMMON_FIELDS, 'accountNo', 'product', 'balanceFen', 'asOf'],
  interest: [...COMMON_FIELDS, 'accountNo', 'period', 'interestFen'],
};

/** Parses and validates one line of text (JSON). */
export function parseExchangeLine(provider: ExchangeProvider, text: string, options: ParseOptions = {}): LineCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // The parser's message quotes the text, which may hold identity numbers: keep only the position.
    const position = /position (\d+)/.exec((err as Error).message)?.[1];
    return { ok: false, reason: `not valid JSON${position === undefined ? '' : ` (at character ${Number(position) + 1})`}` };
  }
  return checkExchangeObject(provider, value, options);
}

/** Validates one already-parsed JSON Lines object. */
export function checkExchangeObject(provider: ExchangeProvider, value: unknown, options: ParseOptions = {}): LineCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'must be a JSON object' };
  }
  const object = value as Record<string, unknown>;
  const allowedTypes = LINE_TYPES[provider.department];
  if (typeof object.type !== 'string' || !(allowedTypes as readonly string[]).includes(object.type)) {
    return {
      ok: false,
      reason: `type: ${object.type === undefined ? 'is required' : 'unknown type'}; provider ${provider.id} accepts ${allowedTypes.join(' | ')}`,
    };
  }
  const type = object.type as ExchangeLineType;
  const f = new FieldReader(object, options.memo ?? new CheckMemo(options.today ?? todayInShanghai()));
  f.onlyFields(FIELDS[type]);
  const ownRecordId = f.optionalString('recordId', { maxLength: 128 });
  const idNumber = f.idNumber('idNumber');
  const record = READERS[type](f, idNumber, provider);
  if (f.problems.length > 0) return { ok: false, reason: f.problems.join('; ') };
  if (ownRecordId !== undefined) record.recordId = ownRecordId;
  return { ok: true, record };
}

type Reader = (f: FieldReader, idNumber: string, provider: ExchangeProvider) => DepartmentRecord;

const READERS: Record<ExchangeLineType, Reader> = {
  person(f, idNumber, provider) {
    const name = f.string('name', { maxLength: 50 });
    const sex = f.oneOf('sex', ['M', 'F'] as const);
    const birthDate = f.date('birthDate', { notFuture: true });
    const hukouType = f.oneOf('hukouType', ['urban', 'rural'] as const);
    const hukouRegionCode = f.pattern('hukouRegionCode', /^\d{6}$/, 'a 6-digit administrative region code');
    const householdNumber = f.string('householdNumber', { maxLength: 64 });
    const status = f.oneOf('status', ['active', 'deceased'] as const);
    let deathDate: string | undefined;
    if (idNumber !== '') {
      if (f.has('sex') && sex !== sexOf(idNumber)) {
        f.problem('sex', `must agree with the identity number (its 17th digit is ${sexOf(idNumber) === 'M' ? 'odd: M' : 'even: F'})`);
      }
      if (birthDate !== '' && birthDate !== birthDateOf(idNumber)) f.problem('birthDate', 'must equal the birth date encoded in the identity number');
    }
    if (status === 'deceased') {
      deathDate = f.date('deathDate', { notFuture: true });
      if (deathDate !== '' && birthDate !== '' && deathDate < birthDate) f.problem('deathDate', 'must not be before birthDate');
    } else if (f.has('deathDate')) {
      f.problem('deathDate', 'only allowed when status is deceased');
    }
    const recordId = derivedRecordId(['person', idNumber]);
    return {
      kind: 'person', provider: provider.id, recordId, idNumber, name, sex, birthDate, hukouType, hukouRegionCode, householdNumber, status,
      ...(deathDate !== undefined ? { deathDate } : {}),
    };
  },

  vehicle(f, idNumber, provider) {
    const plate = f.string('plate', { maxLength: 16 });
    const vehicleType = f.oneOf('vehicleType', VEHICLE_TYPES);
    const brand = f.string('brand', { maxLength: 100 });
    const firstRegistrationDate = f.date('firstRegistrationDate');
    const useType = f.string('useType', { maxLength: 32 });
    const status = f.oneOf('status', VEHICLE_STATUSES);
    const recordId = derivedRecordId(['vehicle', idNumber, plate]);
    return { kind: 'vehicle', provider: provider.id, recordId, idNumber, plate, vehicleType, brand, firstRegistrationDate, useType, status };
  },

  income(f, idNumber, provider) {
    const period = f.month('period');
    const item = f.oneOf('item', TAX_ITEMS);
    // Business income may be a loss; every other item, and tax, is never negative.
    const incomeFen = f.fen('incomeFen', item === 'business' ? {} : { min: 0 });
    const taxFen = f.fen('taxFen', { min: 0 });
    const withholder = f.string('withholder', { maxLength: 200, allowEmpty: true });
    const recordId = derivedRecordId(['income', idNumber, period, item, withholder]);
    return { kind: 'income', provider: provider.id, recordId, idNumber, period, item, incomeFen, taxFen, withholder };
  },

  property(f, idNumber, provider) {
    const certificateNo = f.string('certificateNo', { maxLength: 100 });
    const address = f.string('address', { maxLength: 500 });
    const use = f.oneOf('use', PROPERTY_USES);
    const floorAreaCentiM2 = f.hundredths('floorAreaM2', { greaterThan: 0, atMost: 1_000_000, description: 'positive (m2), at most 1000000' });
    const shareBasisPoints = f.hundredths('sharePercent', { greaterThan: 0, atMost: 100, description: 'more than 0 and at most 100 (percent)' });
    const registeredAt = f.date('registeredAt');
    const status = f.oneOf('status', PROPERTY_STATUSES);
    const recordId = derivedRecordId(['property', certificateNo, idNumber]);
    return {
      kind: 'property', provider: provider.id, recordId, idNumber, certificateNo, address, use, floorAreaCentiM2, shareBasisPoints, registeredAt, status,
    };
  },

  account(f, idNumber, provider) {
    const accountNo = f.string('accountNo', { maxLength: 64 });
    const status = f.oneOf('status', FUND_ACCOUNT_STATUSES);
    const employer = f.string('employer', { maxLength: 200, allowEmpty: true });
    const balanceFen = f.fen('balanceFen', { min: 0 });
    const asOf = f.date('asOf');
    const recordId = derivedRecordId(['account', idNumber, accountNo, asOf]);
    return { kind: 'fund_account', provider: provider.id, recordId, idNumber, accountNo, status, employer, balanceFen, asOf };
  },

  contribution(f, idNumber, provider) {
    const period = f.month('period');
    const baseFen = f.fen('baseFen', { min: 0 });
    const employeeFen = f.fen('employeeFen', { min: 0 });
    const employerFen = f.fen('employerFen', { min: 0 });
    const recordId = derivedRecordId(['contribution', idNumber, period]);
    return { kind: 'fund_contribution', provider: provider.id, recordId, idNumber, period, baseFen, employeeFen, employerFen };
  },

  holding(f, idNumber, provider) {
    const accountNo = f.string('accountNo', { maxLength: 64 });
    const product = f.oneOf('product', BANK_PRODUCTS);
    const balanceFen = f.fen('balanceFen', { min: 0 });
    const asOf = f.date('asOf');
    const recordId = derivedRecordId(['holding', provider.bankCode ?? '', idNumber, accountNo, product, asOf]);
    return { kind: 'bank_holding', provider: provider.id, recordId, idNumber, accountNo, product, balanceFen, asOf };
  },

  interest(f, idNumber, provider) {
    const accountNo = f.string('accountNo', { maxLength: 64 });
    const period = f.month('period');
    const interestFen = f.fen('interestFen', { min: 0 });
    const recordId = derivedRecordId(['interest', provider.bankCode ?? '', idNumber, accountNo, period]);
    return { kind: 'bank_interest', provider: provider.id, recordId, idNumber, accountNo, period, interestFen };
  },
};
