import type { DepartmentRecord } from '@verihub/domain';
import { ProviderRecord } from '../generated';
import { fromProviderRecord, toProviderRecord } from './records.mapping';

const id = '11010519491231002X';
const samples: DepartmentRecord[] = [
  { kind: 'person', provider: 'public-security', recordId: 'p1', idNumber: id, name: '张三', sex: 'F', birthDate: '1949-12-31',
    hukouType: 'urban', hukouRegionCode: '110105', householdNumber: 'H1', status: 'deceased', deathDate: '2026-01-02' },
  { kind: 'vehicle', provider: 'public-security', recordId: 'v1', idNumber: id, plate: '渝A12345', vehicleType: 'motorcycle',
    brand: 'X', firstRegistrationDate: '2019-03-02', useType: 'private', status: 'normal' },
  { kind: 'income', provider: 'tax', recordId: 'i1', idNumber: id, period: '2026-03', item: 'business', incomeFen: -120050, taxFen: 0, withholder: 'w' },
  { kind: 'property', provider: 'housing', recordId: 'h1', idNumber: id, certificateNo: 'c', address: 'a', use: 'commercial',
    floorAreaCentiM2: 8950, shareBasisPoints: 5000, registeredAt: '2020-06-01', status: 'registered' },
  { kind: 'fund_account', provider: 'provident-fund', recordId: 'f1', idNumber: id, accountNo: 'A', status: 'sealed', employer: 'E', balanceFen: 2300000, asOf: '2026-10-31' },
  { kind: 'fund_contribution', provider: 'provident-fund', recordId: 'f2', idNumber: id, period: '2026-03', baseFen: 520000, employeeFen: 26000, employerFen: 26000 },
  { kind: 'bank_holding', provider: 'bank:ICBC', recordId: 'b1', idNumber: id, accountNo: '6222', product: 'securities', balanceFen: 3000000, asOf: '2026-10-31' },
  { kind: 'bank_interest', provider: 'bank:ICBC', recordId: 'b2', idNumber: id, accountNo: '6222', period: '2026-06', interestFen: 4500 },
];

describe('department records on the wire', () => {
  it.each(samples.map((r) => [r.kind, r] as const))('a %s record survives protobuf encoding unchanged', (_kind, record) => {
    const bytes = ProviderRecord.encode(toProviderRecord(record)).finish();
    expect(fromProviderRecord(ProviderRecord.decode(bytes), record.provider)).toEqual(record);
  });

  it('refuses a record with no known type', () => {
    expect(() => fromProviderRecord({ recordId: 'x', idNumber: id }, 'tax')).toThrow(/no known record type/);
  });
});
