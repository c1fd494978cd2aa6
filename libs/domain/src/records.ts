/**
 * Department records as the domain sees them: what each provider holds on one person
 * (domain.md section 4), tagged with where it came from so every report figure can be traced.
 * Amounts are integer fen; floor areas are hundredths of m2 and shares basis points, to stay exact.
 */
interface RecordOrigin {
  /** Provider that answered: "tax", "bank:ICBC", ... */
  provider: string;
  /** The department's stable key for the record. */
  recordId: string;
  idNumber: string;
}

export interface PersonRecord extends RecordOrigin {
  kind: 'person';
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  hukouType: 'urban' | 'rural';
  hukouRegionCode: string;
  householdNumber: string;
  status: 'active' | 'deceased';
  deathDate?: string;
}

export interface VehicleRecord extends RecordOrigin {
  kind: 'vehicle';
  plate: string;
  vehicleType: 'car' | 'truck' | 'motorcycle' | 'tricycle' | 'disability';
  brand: string;
  firstRegistrationDate: string;
  useType: string;
  status: 'normal' | 'scrapped' | 'cancelled';
}

export type TaxItem = 'wage' | 'labor' | 'business' | 'rent' | 'interest_dividend';

export interface IncomeRecord extends RecordOrigin {
  kind: 'income';
  period: string;
  item: TaxItem;
  incomeFen: number;
  taxFen: number;
  withholder: string;
}

export interface PropertyRecord extends RecordOrigin {
  kind: 'property';
  certificateNo: string;
  address: string;
  use: 'residential' | 'commercial' | 'industrial' | 'other';
  /** Floor area in hundredths of a square metre (89.5 m2 = 8950). */
  floorAreaCentiM2: number;
  /** Ownership share in basis points (100% = 10000). */
  shareBasisPoints: number;
  registeredAt: string;
  status: 'registered' | 'cancelled';
}

export interface FundAccountRecord extends RecordOrigin {
  kind: 'fund_account';
  accountNo: string;
  status: 'active' | 'sealed' | 'closed';
  employer: string;
  balanceFen: number;
  asOf: string;
}

export interface FundContributionRecord extends RecordOrigin {
  kind: 'fund_contribution';
  period: string;
  baseFen: number;
  employeeFen: number;
  employerFen: number;
}

export interface BankHoldingRecord extends RecordOrigin {
  kind: 'bank_holding';
  accountNo: string;
  product: 'current' | 'time' | 'wealth' | 'fund' | 'securities';
  balanceFen: number;
  asOf: string;
}

export interface BankInterestRecord extends RecordOrigin {
  kind: 'bank_interest';
  accountNo: string;
  period: string;
  interestFen: number;
}

export type DepartmentRecord =
  | PersonRecord
  | VehicleRecord
  | IncomeRecord
  | PropertyRecord
  | FundAccountRecord
  | FundContributionRecord
  | BankHoldingRecord
  | BankInterestRecord;

export type RecordKind = DepartmentRecord['kind'];
