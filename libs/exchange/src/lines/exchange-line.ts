/**
 * The JSON Lines formats of the reference exchange databases (domain.md section 4): one object per
 * line, discriminated by `type`. Amounts are integer fen; floor area in m2 (at most 2 decimals) and
 * share in percent as the departments write them. `recordId` is optional: the department's own
 * stable key for the record; without it one is derived from the record's natural key (see record-id.ts).
 */
import type { ExchangeDepartment } from '../exchange-provider';

interface LineBase {
  recordId?: string;
  idNumber: string;
}

export interface PersonLine extends LineBase {
  type: 'person';
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  hukouType: 'urban' | 'rural';
  hukouRegionCode: string;
  householdNumber: string;
  status: 'active' | 'deceased';
  deathDate?: string;
}

export interface VehicleLine extends LineBase {
  type: 'vehicle';
  plate: string;
  vehicleType: 'car' | 'truck' | 'motorcycle' | 'tricycle' | 'disability';
  brand: string;
  firstRegistrationDate: string;
  useType: string;
  status: 'normal' | 'scrapped' | 'cancelled';
}

export interface IncomeLine extends LineBase {
  type: 'income';
  period: string;
  item: 'wage' | 'labor' | 'business' | 'rent' | 'interest_dividend';
  incomeFen: number;
  taxFen: number;
  withholder: string;
}

export interface PropertyLine extends LineBase {
  type: 'property';
  certificateNo: string;
  address: string;
  use: 'residential' | 'commercial' | 'industrial' | 'other';
  floorAreaM2: number;
  sharePercent: number;
  registeredAt: string;
  status: 'registered' | 'cancelled';
}

export interface FundAccountLine extends LineBase {
  type: 'account';
  accountNo: string;
  status: 'active' | 'sealed' | 'closed';
  employer: string;
  balanceFen: number;
  asOf: string;
}

export interface FundContributionLine extends LineBase {
  type: 'contribution';
  period: string;
  baseFen: number;
  employeeFen: number;
  employerFen: number;
}

export interface BankHoldingLine extends LineBase {
  type: 'holding';
  accountNo: string;
  product: 'current' | 'time' | 'wealth' | 'fund' | 'securities';
  balanceFen: number;
  asOf: string;
}

export interface BankInterestLine extends LineBase {
  type: 'interest';
  accountNo: string;
  period: string;
  interestFen: number;
}

export type PublicSecurityLine = PersonLine | VehicleLine;
export type TaxLine = IncomeLine;
export type HousingLine = PropertyLine;
export type ProvidentFundLine = FundAccountLine | FundContributionLine;
export type BankLine = BankHoldingLine | BankInterestLine;

export type ExchangeLine = PublicSecurityLine | TaxLine | HousingLine | ProvidentFundLine | BankLine;
export type ExchangeLineType = ExchangeLine['type'];

/** The `type`s each department's file may contain. */
export const LINE_TYPES: Readonly<Record<ExchangeDepartment, readonly ExchangeLineType[]>> = {
  'public-security': ['person', 'vehicle'],
  tax: ['income'],
  housing: ['property'],
  'provident-fund': ['account', 'contribution'],
  bank: ['holding', 'interest'],
};

export const VEHICLE_TYPES = ['car', 'truck', 'motorcycle', 'tricycle', 'disability'] as const;
export const VEHICLE_STATUSES = ['normal', 'scrapped', 'cancelled'] as const;
export const TAX_ITEMS = ['wage', 'labor', 'business', 'rent', 'interest_dividend'] as const;
export const PROPERTY_USES = ['residential', 'commercial', 'industrial', 'other'] as const;
export const PROPERTY_STATUSES = ['registered', 'cancelled'] as const;
export const FUND_ACCOUNT_STATUSES = ['active', 'sealed', 'closed'] as const;
export const BANK_PRODUCTS = ['current', 'time', 'wealth', 'fund', 'securities'] as const;
