/**
 * Department records between their wire form (ProviderRecord, protobuf) and the domain's
 * DepartmentRecord. The adapter SDK maps outgoing answers; the aggregator maps incoming ones.
 */
import type { DepartmentRecord } from '@verihub/domain';
import type { ProviderRecord } from '../generated';

export function toProviderRecord(record: DepartmentRecord): ProviderRecord {
  const base = { recordId: record.recordId, idNumber: record.idNumber };
  switch (record.kind) {
    case 'person':
      return {
        ...base,
        record: {
          $case: 'person',
          value: {
            name: record.name,
            sex: record.sex,
            birthDate: record.birthDate,
            hukouType: record.hukouType,
            hukouRegionCode: record.hukouRegionCode,
            householdNumber: record.householdNumber,
            status: record.status,
            deathDate: record.deathDate ?? '',
          },
        },
      };
    case 'vehicle': {
      const { plate, vehicleType, brand, firstRegistrationDate, useType, status } = record;
      return { ...base, record: { $case: 'vehicle', value: { plate, vehicleType, brand, firstRegistrationDate, useType, status } } };
    }
    case 'income': {
      const { period, item, incomeFen, taxFen, withholder } = record;
      return { ...base, record: { $case: 'income', value: { period, item, incomeFen, taxFen, withholder } } };
    }
    case 'property': {
      const { certificateNo, address, use, floorAreaCentiM2, shareBasisPoints, registeredAt, status } = record;
      return {
        ...base,
        record: { $case: 'property', value: { certificateNo, address, use, floorAreaCentiM2, shareBasisPoints, registeredAt, status } },
      };
    }
    case 'fund_account': {
      const { accountNo, status, employer, balanceFen, asOf } = record;
      return { ...base, record: { $case: 'fundAccount', value: { accountNo, status, employer, balanceFen, asOf } } };
    }
    case 'fund_contribution': {
      const { period, baseFen, employeeFen, employerFen } = record;
      return { ...base, record: { $case: 'fundContribution', value: { period, baseFen, employeeFen, employerFen } } };
    }
    case 'bank_holding': {
      const { accountNo, product, balanceFen, asOf } = record;
      return { ...base, record: { $case: 'bankHolding', value: { accountNo, product, balanceFen, asOf } } };
    }
    case 'bank_interest': {
      const { accountNo, period, interestFen } = record;
      return { ...base, record: { $case: 'bankInterest', value: { accountNo, period, interestFen } } };
    }
  }
}

export class UnknownRecordError extends Error {}

/** The enum-like strings are trusted here: the answer's signature and the adapter's validation vouch for them. */
export function fromProviderRecord(record: ProviderRecord, provider: string): DepartmentRecord {
  const base = { provider, recordId: record.recordId, idNumber: record.idNumber };
  const body = record.record;
  if (!body) throw new UnknownRecordError(`record ${record.recordId} carries no known record type`);
  switch (body.$case) {
    case 'person': {
      const v = body.value;
      return {
        ...base,
        kind: 'person',
        name: v.name,
        sex: v.sex as 'M' | 'F',
        birthDate: v.birthDate,
        hukouType: v.hukouType as 'urban' | 'rural',
        hukouRegionCode: v.hukouRegionCode,
        householdNumber: v.householdNumber,
        status: v.status as 'active' | 'deceased',
        ...(v.deathDate ? { deathDate: v.deathDate } : {}),
      };
    }
    case 'vehicle': {
      const v = body.value;
      return {
        ...base,
        kind: 'vehicle',
        plate: v.plate,
        vehicleType: v.vehicleType as 'car',
        brand: v.brand,
        firstRegistrationDate: v.firstRegistrationDate,
        useType: v.useType,
        status: v.status as 'normal',
      };
    }
    case 'income': {
      const v = body.value;
      return { ...base, kind: 'income', period: v.period, item: v.item as 'wage', incomeFen: v.incomeFen, taxFen: v.taxFen, withholder: v.withholder };
    }
    case 'property': {
      const v = body.value;
      return {
        ...base,
        kind: 'property',
        certificateNo: v.certificateNo,
        address: v.address,
        use: v.use as 'residential',
        floorAreaCentiM2: v.floorAreaCentiM2,
        shareBasisPoints: v.shareBasisPoints,
        registeredAt: v.registeredAt,
        status: v.status as 'registered',
      };
    }
    case 'fundAccount': {
      const v = body.value;
      return { ...base, kind: 'fund_account', accountNo: v.accountNo, status: v.status as 'active', employer: v.employer, balanceFen: v.balanceFen, asOf: v.asOf };
    }
    case 'fundContribution': {
      const v = body.value;
      return { ...base, kind: 'fund_contribution', period: v.period, baseFen: v.baseFen, employeeFen: v.employeeFen, employerFen: v.employerFen };
    }
    case 'bankHolding': {
      const v = body.value;
      return { ...base, kind: 'bank_holding', accountNo: v.accountNo, product: v.product as 'current', balanceFen: v.balanceFen, asOf: v.asOf };
    }
    case 'bankInterest': {
      const v = body.value;
      return { ...base, kind: 'bank_interest', accountNo: v.accountNo, period: v.period, interestFen: v.interestFen };
    }
  }
}
