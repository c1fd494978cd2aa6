/**
 * The lookup queries of the reference exchange databases: one per table, for all the people asked
 * about at once (`id_number = ANY($1)`), each served by an index that starts with id_number (bank
 * tables: bank_code, id_number). Dates are read as text: node-postgres would turn a `date` into a
 * local-time Date; bigint fen arrive as strings and are converted to numbers.
 */
import type {
  BankHoldingRecord,
  BankInterestRecord,
  FundAccountRecord,
  FundContributionRecord,
  IncomeRecord,
  PersonRecord,
  PropertyRecord,
  VehicleRecord,
} from '@verihub/domain';
import { EXCHANGE_SCHEMAS } from '../exchange-provider';

type Row = Record<string, string | number | null>;

export interface ExchangeQuery<R> {
  /** Prepared-statement name (unique per text). */
  name: string;
  text: string;
  toRecord(row: Row, provider: string): R;
}

const PS = EXCHANGE_SCHEMAS['public-security'];
const TAX = EXCHANGE_SCHEMAS.tax;
const HOUSING = EXCHANGE_SCHEMAS.housing;
const FUND = EXCHANGE_SCHEMAS['provident-fund'];
const BANK = EXCHANGE_SCHEMAS.bank;

const str = (value: string | number | null): string => String(value);
const num = (value: string | number | null): number => Number(value);

/** $1 id numbers */
export const personsQuery: ExchangeQuery<PersonRecord> = {
  name: 'verihub_exchange_persons_v1',
  text: `SELECT record_id, id_number, name, sex, birth_date::text AS birth_date, hukou_type, hukou_region_code,
    household_number, status, death_date::text AS death_date
    FROM "${PS}"."persons" WHERE id_number = ANY($1::varchar[]) ORDER BY id_number, record_id`,
  toRecord: (r, provider) => ({
    kind: 'person',
    provider,
    recordId: str(r.record_id),
    idNumber: str(r.id_number),
    name: str(r.name),
    sex: str(r.sex) as PersonRecord['sex'],
    birthDate: str(r.birth_date),
    hukouType: str(r.hukou_type) as PersonRecord['hukouType'],
    hukouRegionCode: str(r.hukou_region_code),
    householdNumber: str(r.household_number),
    status: str(r.status) as PersonRecord['status'],
    ...(r.death_date !== null ? { deathDate: str(r.death_date) } : {}),
  }),
};

/** $1 id numbers: every vehicle held, whatever its status. */
export const vehiclesQuery: ExchangeQuery<VehicleRecord> = {
  name: 'verihub_exchange_vehicles_v1',
  text: `SELECT record_id, id_number, plate, vehicle_type, brand, first_registration_date::text AS first_registration_date,
    use_type, status
    FROM "${PS}"."vehicles" WHERE id_number = ANY($1::varchar[]) ORDER BY id_number, plate, record_id`,
  toRecord: (r, provider) => ({
    kind: 'vehicle',
    provider,
    recordId: str(r.record_id),
    idNumber: str(r.id_number),
    plate: str(r.plate),
    vehicleType: str(r.vehicle_type) as VehicleRecord['vehicleType'],
    brand: str(r.brand),
    firstRegistrationDate: str(r.first_registration_date),
    useType: str(r.use_type),
    status: str(r.status) as VehicleRecord['status'],
  }),
};

/** $1 id numbers, $2..$3 months of the income period (inclusive). */
export const incomeQuery: ExchangeQuery<IncomeRecord> = {
  name: 'verihub_exchange_income_v1',
  text: `SELECT record_id, id_number, period, item, income_fen, tax_fen, withholder
    FROM "${TAX}"."income_records"
    WHERE id_number = ANY($1::varchar[]) AND period >= $2::bpchar AND period <= $3::bpchar
    ORDER BY id_number, period, item, record_id`,
  toRecord: (r, provider) => ({
    kind: 'income',
    provider,
    recordId: str(r.record_id),
    idNumber: str(r.id_number),
    period: str(r.period),
    item: str(r.item) as IncomeRecord['item'],
    incomeFen: num(r.income_fen),
    taxFen: num(r.tax_fen),
    withholder: str(r.withholder),
  }),
};

/** $1 id numbers, $2 assets-as-of date: properties registered on or before it (any status). */
export const propertiesQuery: ExchangeQuery<PropertyRecord> = {
  name: 'verihub_exchange_properties_v1',
  text: `SELECT record_id, id_number, certificate_no, address, property_use, floor_area_centi_m2, share_basis_points,
    registered_at::text AS registered_at, status
    FROM "${HOUSING}"."properties"
    WHERE id_number = ANY($1::varchar[]) AND registered_at <= $2::date
    ORDER BY id_number, registered_at, record_id`,
  toRecord: (r, provider) => ({
    kind: 'property',
    provider,
    recordId: str(r.record_id),
    idNumber: str(r.id_number),
    certificateNo: str(r.certificate_no),
    address: str(r.address),
    use: str(r.property_use) as PropertyRecord['use'],
    floorAreaCentiM2: num(r.floor_area_centi_m2),
    shareBasisPoints: num(r.share_basis_points),
    registeredAt: str(r.registered_at),
    status: str(r.status) as PropertyRecord['status'],
  }),
};

/** $1 id numbers, $2 assets-as-of date: per account, the latest snapshot taken on or before it. */
export const fundAccountsQuery: ExchangeQuery<FundAccountRecord> = {
  name: 'verihub_exchange_fund_accounts_v1',
  text: `SELECT DISTINCT ON (id_number, account_no) record_id, id_number, account_no, status, employer, balance_fen,
    as_of::text AS as_of
    FROM "${FUND}"."accounts"
    WHERE id_number = ANY($1::varchar[]) AND as_of <= $2::date
    ORDER BY id_number, account_no, as_of DESC, record_id`,
  toRecord: (r, provider) => ({
    kind: 'fund_account',
    provider,
    recordId: str(r.record_id),
    idNumber: str(r.id_number),
    accountNo: str(r.account_no),
    status: str(r.status) as FundAccountRecord['status'],
    employer: str(r.employer),
    balanceFen: num(r.balance_fen),
    asOf: str(r.as_of),
  }),
};

/** $1 id numbers, $2..$3 months of the income period. */
export const fundContributionsQuery: ExchangeQuery<FundContributionRecord> = {
  name: 'verihub_exchange_fund_contributions_v1',
  text: `SELECT record_id, id_number, period, base_fen, employee_fen, employer_fen
    FROM "${FUND}"."contributions"
    WHERE id_number = ANY($1::varchar[]) AND period >= $2::bpchar AND period <= $3::bpchar
    ORDER BY id_number, period, record_id`,
  toRecord: (r, provider) => ({
    kind: 'fund_contribution',
    provider,
    recordId: str(r.record_id),
    idNumber: str(r.id_number),
    period: str(r.period),
    baseFen: num(r.base_fen),
    employeeFen: num(r.employee_fen),
    employerFen: num(r.employer_fen),
  }),
};

/** $1 bank code, $2 id numbers, $3 assets-as-of date: per account and product, the latest snapshot on or before it. */
export const bankHoldingsQuery: ExchangeQuery<BankHoldingRecord> = {
  name: 'verihub_exchange_bank_holdings_v1',
  text: `SELECT DISTINCT ON (id_number, account_no, product) record_id, id_number, account_no, product, balance_fen,
    as_of::text AS as_of
    FROM "${BANK}"."holdings"
    WHERE bank_code = $1::text AND id_number = ANY($2::varchar[]) AND as_of <= $3::date
    ORDER BY id_number, account_no, product, as_of DESC, record_id`,
  toRecord: (r, provider) => ({
    kind: 'bank_holding',
    provider,
    recordId: str(r.record_id),
    idNumber: str(r.id_number),
    accountNo: str(r.account_no),
    product: str(r.product) as BankHoldingRecord['product'],
    balanceFen: num(r.balance_fen),
    asOf: str(r.as_of),
  }),
};

/** $1 bank code, $2 id numbers, $3..$4 months of the income period. */
export const bankInterestQuery: ExchangeQuery<BankInterestRecord> = {
  name: 'verihub_exchange_bank_interest_v1',
  text: `SELECT record_id, id_number, account_no, period, interest_fen
    FROM "${BANK}"."interest_records"
    WHERE bank_code = $1::text AND id_number = ANY($2::varchar[]) AND period >= $3::bpchar AND period <= $4::bpchar
    ORDER BY id_number, period, account_no, record_id`,
  toRecord: (r, provider) => ({
    kind: 'bank_interest',
    provider,
    recordId: str(r.record_id),
    idNumber: str(r.id_number),
    accountNo: str(r.account_no),
    period: str(r.period),
    interestFen: num(r.interest_fen),
  }),
};
