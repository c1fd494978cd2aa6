/**
 * One synthetic household: its people as public security registers them, what tax, housing, the
 * provident fund and the banks hold on them (JSON Lines objects of domain.md section 4), and the
 * verification request a case officer would submit for it (api.md), with declared figures and one
 * authorization per member. Everything follows from (seed, household index).
 */
import {
  addMonths,
  bankProviderId,
  type Declaration,
  type HouseholdMember,
  type Relation,
  type VerificationRequest,
} from '@verihub/domain';
import type {
  BankHoldingLine,
  BankInterestLine,
  BankLine,
  HousingLine,
  ProvidentFundLine,
  PublicSecurityLine,
  TaxLine,
  FundAccountLine,
  FundContributionLine,
  IncomeLine,
  PersonLine,
  PropertyLine,
  VehicleLine,
} from '../lines/exchange-line';
import { mixSeed, Prng } from './prng';
import { identitySlot, MAX_MEMBERS, syntheticIdentityNumber } from './synthetic-identity';
import {
  BUSINESS_KINDS,
  CAR_BRANDS,
  DISTRICT_NAMES,
  DIVIDEND_PAYERS,
  EMPLOYERS,
  FAMILY_NAMES,
  FEMALE_GIVEN,
  LABOR_PAYERS,
  MALE_GIVEN,
  MOTORCYCLE_BRANDS,
  PLATE_CHARACTERS,
  PLATE_LETTERS,
  STREETS,
  TENANTS,
  TRUCK_BRANDS,
} from './synthetic-vocabulary';

/** The demo policy's standard (fen per person per month) the income levels are drawn around. */
export const DEMO_STANDARD_MONTHLY = { urban: 78000, rural: 62000 } as const;

/** Months of records generated before the month of asOf (two more than a 12-month lookback, to exercise the period filter). */
export const SYNTHETIC_INCOME_MONTHS = 14;
const LOOKBACK_MONTHS = 12;

export const SYNTHETIC_TRAITS = [
  'deceased_member',
  'undeclared_car',
  'several_properties',
  'non_residential_property',
  'near_threshold_income',
  'provident_fund_wages',
  'fund_only_months',
  'business_income',
  'business_loss_months',
  'rent_income',
  'interest_income',
  'two_banks',
  'exempt_vehicle',
  'unknown_to_public_security',
  'name_mismatch',
  'minor_member',
  'rural',
  'income_understated',
  'financial_assets_understated',
  'scrapped_vehicle',
  'cancelled_property',
] as const;
export type SyntheticTrait = (typeof SYNTHETIC_TRAITS)[number];

/** Household i forces FORCED[i % FORCED.length], so any data set of this many households has every trait. */
const FORCED: readonly SyntheticTrait[] = [
  'deceased_member',
  'undeclared_car',
  'several_properties',
  'near_threshold_income',
  'fund_only_months',
  'business_loss_months',
  'two_banks',
  'exempt_vehicle',
  'unknown_to_public_security',
  'name_mismatch',
  'minor_member',
  'rural',
  'rent_income',
  'income_understated',
  'financial_assets_understated',
  'scrapped_vehicle',
  'cancelled_property',
  'provident_fund_wages',
];
export const SYNTHETIC_TRAIT_CYCLE = FORCED.length;

export interface SyntheticHouseholdOptions {
  seed: number;
  /** Bank codes ("ICBC"); holdings are spread over them. */
  banks: readonly string[];
  /** "YYYY-MM-DD": the verification date of the requests; records lie before it. */
  asOf: string;
  /** Hukou regions of the households (and the requests' regionCode). */
  regionCodes: readonly string[];
}

/** The request body of api.md's POST /api/v1/verifications, with asOf and declared present. */
export interface SyntheticRequest extends VerificationRequest {
  asOf: string;
  declared: Declaration & { monthlyIncome: { wage: number; business: number; property: number; transfer: number } };
}

export interface SyntheticHousehold {
  index: number;
  householdNumber: string;
  regionCode: string;
  hukouType: 'urban' | 'rural';
  /** What is special about this household, derived from its generated data. */
  traits: SyntheticTrait[];
  request: SyntheticRequest;
  /** JSON Lines objects per provider id: public-security, tax, housing, provident-fund, bank:<CODE>. */
  lines: SyntheticLines;
}

export interface SyntheticLines {
  'public-security': PublicSecurityLine[];
  tax: TaxLine[];
  housing: HousingLine[];
  'provident-fund': ProvidentFundLine[];
  [bank: `bank:${string}`]: BankLine[];
}

type Template = 'single_elder' | 'elder_couple' | 'couple_kids' | 'single_parent' | 'three_generation' | 'adult_alone';
type IncomeLevel = 'low' | 'near' | 'high';

interface Person {
  slot: number;
  relation: Relation;
  sex: 'M' | 'F';
  /** Calendar-year age at asOf (birth year difference). */
  age: number;
  idNumber: string;
  birthDate: string;
  familyName: string;
  givenName: string;
  /** The name the request gives (differs from the registered one for a name mismatch). */
  requestName: string;
  deathDate?: string;
  unknownToPublicSecurity: boolean;
}

const WORKING_TEMPLATES: readonly Template[] = ['couple_kids', 'single_parent', 'three_generation', 'adult_alone'];

const TEMPLATE_FOR: Partial<Record<SyntheticTrait, readonly Template[]>> = {
  deceased_member: ['three_generation', 'elder_couple'],
  minor_member: ['couple_kids', 'single_parent'],
  near_threshold_income: ['couple_kids', 'single_parent', 'three_generation'],
  fund_only_months: ['couple_kids', 'three_generation'],
  provident_fund_wages: ['couple_kids', 'adult_alone'],
  business_loss_months: WORKING_TEMPLATES,
  rent_income: WORKING_TEMPLATES,
  income_understated: ['couple_kids', 'three_generation'],
  two_banks: WORKING_TEMPLATES,
};

function pickTemplate(rng: Prng, forced: SyntheticTrait): Template {
  const choices = TEMPLATE_FOR[forced];
  if (choices) return rng.pick(choices);
  const r = rng.next();
  if (r < 0.14) return 'single_elder';
  if (r < 0.28) return 'elder_couple';
  if (r < 0.58) return 'couple_kids';
  if (r < 0.72) return 'single_parent';
  if (r < 0.88) return 'three_generation';
  return 'adult_alone';
}

function lastDayOf(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function roundTo(value: number, step: number): number {
  return Math.round(value / step) * step;
}

/** Monthly individual income tax on wages (simplified 2019 table; threshold 5000 yuan). */
function wageTax(gross: number, fundEmployee: number): number {
  const taxable = gross - fundEmployee - 500000;
  if (taxable <= 0) return 0;
  if (taxable <= 300000) return Math.round(taxable * 0.03);
  if (taxable <= 1200000) return Math.round(taxable * 0.1 - 21000);
  return Math.round(taxable * 0.2 - 141000);
}

/** Withholding on remuneration for labour (劳务报酬), simplified. */
function laborTax(gross: number): number {
  if (gross <= 80000) return 0;
  if (gross <= 400000) return Math.round((gross - 80000) * 0.2);
  return Math.round(gross * 0.8 * 0.2);
}

/** The gross wage whose net (after tax and the employee's fund share) is `net`. */
function grossForNet(net: number, fundRate: number): number {
  let gross = net / (1 - fundRate);
  for (let i = 0; i < 4; i++) {
    const employee = Math.round(gross * fundRate);
    gross += net - (gross - wageTax(gross, employee) - employee);
  }
  return Math.max(100, roundTo(gross, 100));
}

/** A bijection of 0..10^7-1, so certificate numbers look random but never repeat. */
function certificateSerial(n: number, seed: number): string {
  return String((n * 7919 + (mixSeed(seed, 0xce47) % 10_000_000)) % 10_000_000).padStart(7, '0');
}

const PLATE_CAPACITY = PLATE_LETTERS.length * 34 ** 5;

/** 渝X·XXXXX, unique per (household, vehicle slot) for one seed. */
function plateOf(n: number, seed: number): string {
  let x = (n * 1_000_037 + (mixSeed(seed, 0x91a7) % PLATE_CAPACITY)) % PLATE_CAPACITY;
  const letter = PLATE_LETTERS[x % PLATE_LETTERS.length];
  x = Math.floor(x / PLATE_LETTERS.length);
  let rest = '';
  for (let i = 0; i < 5; i++) {
    rest = PLATE_CHARACTERS[x % 34] + rest;
    x = Math.floor(x / 34);
  }
  return `渝${letter}${rest}`;
}

function givenName(rng: Prng, sex: 'M' | 'F'): string {
  const pool = sex === 'M' ? MALE_GIVEN : FEMALE_GIVEN;
  return rng.chance(0.35) ? rng.pick(pool) : rng.pick(pool) + rng.pick(pool);
}

interface Earner {
  person: Person;
  kind: 'wage' | 'labor';
  /** Target monthly net (fen). */
  net: number;
  employer: string;
  fundRate: number;
}

interface BankAccount {
  person: Person;
  bank: string;
  accountNo: string;
  product: BankHoldingLine['product'];
  balance: number;
}

/** What every household of one data set shares (dates, months, providers), computed once. */
interface DataSetContext {
  options: SyntheticHouseholdOptions;
  asOfYear: number;
  asOfMonth: string;
  months: string[];
  lookbackMonths: string[];
  lookback: Set<string>;
  snapshots: [string, string];
  bankProviders: string[];
  signedAt: string;
  expiresAt: string;
}

const CONTEXTS = new WeakMap<SyntheticHouseholdOptions, DataSetContext>();

function contextOf(options: SyntheticHouseholdOptions): DataSetContext {
  const cached = CONTEXTS.get(options);
  if (cached) return cached;
  const asOfMonth = options.asOf.slice(0, 7);
  const months = Array.from({ length: SYNTHETIC_INCOME_MONTHS }, (_, k) => addMonths(asOfMonth, k - SYNTHETIC_INCOME_MONTHS));
  const lookbackMonths = months.slice(-LOOKBACK_MONTHS);
  // Authorizations: signed a month before asOf, expiring a year after signing.
  const signedMonth = addMonths(asOfMonth, -1);
  const signedOn = `${signedMonth}-${String(Math.min(Number(options.asOf.slice(8)), Number(lastDayOf(signedMonth).slice(8)))).padStart(2, '0')}`;
  const expiresOn = `${Number(signedOn.slice(0, 4)) + 1}${signedOn.slice(4)}`.replace(/-02-29$/, '-02-28');
  const context: DataSetContext = {
    options,
    asOfYear: Number(options.asOf.slice(0, 4)),
    asOfMonth,
    months,
    lookbackMonths,
    lookback: new Set(lookbackMonths),
    snapshots: [lastDayOf(addMonths(asOfMonth, -4)), lastDayOf(addMonths(asOfMonth, -1))],
    bankProviders: options.banks.map(bankProviderId),
    signedAt: `${signedOn}T09:00:00+08:00`,
    expiresAt: `${expiresOn}T00:00:00+08:00`,
  };
  CONTEXTS.set(options, context);
  return context;
}

/** Household `index` of the data set described by `options` (the same whatever else is generated). */
export function generateSyntheticHousehold(index: number, options: SyntheticHouseholdOptions): SyntheticHousehold {
  return new HouseholdBuilder(index, contextOf(options)).build();
}

class HouseholdBuilder {
  private readonly rng: Prng;
  private readonly forced: SyntheticTrait;
  private readonly asOfYear: number;
  private readonly asOfMonth: string;
  /** SYNTHETIC_INCOME_MONTHS months before the month of asOf, oldest first; the last 12 are the lookback. */
  private readonly months: string[];
  private readonly lookback: Set<string>;
  private readonly regionCode: string;
  private readonly district: string;
  private readonly hukouType: 'urban' | 'rural';
  private readonly householdNumber: string;
  private readonly standard: number;
  private readonly snapshots: [string, string];

  private readonly people: Person[] = [];
  private readonly ps: (PersonLine | VehicleLine)[] = [];
  private readonly tax: IncomeLine[] = [];
  private readonly housing: PropertyLine[] = [];
  private readonly fund: (FundAccountLine | FundContributionLine)[] = [];
  private readonly bank = new Map<string, (BankHoldingLine | BankInterestLine)[]>();
  private readonly traits = new Set<SyntheticTrait>();
  private transferDeclared = 0;
  /** The owner of a let property (rent income), when there is one. */
  private rentFrom: Person | undefined;

  private readonly options: SyntheticHouseholdOptions;

  constructor(
    private readonly index: number,
    private readonly context: DataSetContext,
  ) {
    const options = context.options;
    this.options = options;
    this.rng = new Prng(mixSeed(options.seed, index));
    this.forced = FORCED[index % FORCED.length];
    this.asOfYear = context.asOfYear;
    this.asOfMonth = context.asOfMonth;
    this.months = context.months;
    this.lookback = context.lookback;
    this.regionCode = options.regionCodes[index % options.regionCodes.length];
    this.district = DISTRICT_NAMES[this.regionCode] ?? '';
    this.hukouType = this.forced === 'rural' || this.rng.chance(0.3) ? 'rural' : 'urban';
    this.householdNumber = `H${this.regionCode}${String(index + 1).padStart(8, '0')}`;
    this.standard = DEMO_STANDARD_MONTHLY[this.hukouType];
    this.snapshots = context.snapshots;
    for (const provider of context.bankProviders) this.bank.set(provider, []);
  }

  private wants(trait: SyntheticTrait, probability: number): boolean {
    return this.forced === trait || this.rng.chance(probability);
  }

  build(): SyntheticHousehold {
    const template = pickTemplate(this.rng, this.forced);
    this.makePeople(template);
    this.registerPeople();
    const level: IncomeLevel =
      this.forced === 'near_threshold_income'
        ? 'near'
        : this.forced === 'fund_only_months' || this.forced === 'provident_fund_wages'
          ? this.rng.pick(['near', 'high'] as const)
          : this.rng.pick(['low', 'low', 'low', 'near', 'near', 'high', 'high'] as const);
    this.makeProperties(level);
    this.makeVehicles(level);
    this.makeIncome(level);
    const accounts = this.makeBankAccounts(level);
    const declared = this.declare(accounts);
    const request: SyntheticRequest = {
      program: 'dibao',
      purpose: 'application',
      regionCode: this.regionCode,
      asOf: this.options.asOf,
      members: this.people.map((p): HouseholdMember => ({ idNumber: p.idNumber, name: p.requestName, relation: p.relation })),
      declared,
      authorizations: this.authorizations(),
    };
    const lines: SyntheticLines = {
      'public-security': this.ps,
      tax: this.tax,
      housing: this.housing,
      'provident-fund': this.fund,
    };
    for (const [provider, bankLines] of this.bank) lines[provider as `bank:${string}`] = bankLines;
    return {
      index: this.index,
      householdNumber: this.householdNumber,
      regionCode: this.regionCode,
      hukouType: this.hukouType,
      traits: SYNTHETIC_TRAITS.filter((t) => this.traits.has(t)),
      request,
      lines,
    };
  }

  // ---- people -------------------------------------------------------------------------------

  private person(slot: number, relation: Relation, sex: 'M' | 'F', age: number, familyName: string): Person {
    const idSlot = identitySlot(this.options.seed, this.index, slot);
    let birthYear = this.asOfYear - age;
    if (`${birthYear}-${idSlot.monthDay}` > this.options.asOf) birthYear -= 1;
    const { idNumber, birthDate } = syntheticIdentityNumber(idSlot, birthYear, sex);
    const given = givenName(this.rng, sex);
    const name = familyName + given;
    const person: Person = { slot, relation, sex, age, idNumber, birthDate, familyName, givenName: given, requestName: name, unknownToPublicSecurity: false };
    this.people.push(person);
    return person;
  }

  private makePeople(template: Template): void {
    const rng = this.rng;
    const family = rng.pick(FAMILY_NAMES);
    const sex: 'M' | 'F' = rng.chance(0.55) ? 'M' : 'F';
    const other = (s: 'M' | 'F'): 'M' | 'F' => (s === 'M' ? 'F' : 'M');
    const applicantAge = {
      single_elder: rng.int(60, 85),
      elder_couple: rng.int(60, 80),
      couple_kids: rng.int(28, 50),
      single_parent: rng.int(25, 50),
      three_generation: rng.int(38, 55),
      adult_alone: rng.int(25, 59),
    }[template];
    const applicant = this.person(0, 'applicant', sex, applicantAge, family);
    let spouse: Person | undefined;
    if (template === 'elder_couple' || template === 'couple_kids' || template === 'three_generation') {
      spouse = this.person(1, 'spouse', other(sex), Math.max(20, applicantAge + rng.int(-5, 5)), rng.pick(FAMILY_NAMES));
    }
    const childCount = template === 'couple_kids' || template === 'single_parent' ? rng.int(1, 2) : template === 'three_generation' ? 1 : 0;
    const youngestParent = Math.min(applicantAge, spouse?.age ?? applicantAge);
    const father = applicant.sex === 'M' ? applicant : spouse?.sex === 'M' ? spouse : undefined;
    for (let c = 0; c < childCount; c++) {
      // No child aged 16-19: a minor stays a minor for two years after asOf, an adult is already one,
      // so the authorizations stay valid whenever the request is submitted.
      const canBeAdult = youngestParent - 20 >= 20;
      const minor = !canBeAdult || (this.forced === 'minor_member' && c === 0) || rng.chance(0.6);
      const age = minor ? rng.int(0, Math.min(15, youngestParent - 20)) : rng.int(20, Math.min(35, youngestParent - 20));
      this.person(2 + c, 'child', rng.chance(0.5) ? 'M' : 'F', age, father ? father.familyName : applicant.familyName);
    }
    if (template === 'three_generation') {
      const parentSex: 'M' | 'F' = rng.chance(0.5) ? 'M' : 'F';
      const parent = this.person(4, 'parent', parentSex, Math.min(95, applicantAge + rng.int(22, 32)), parentSex === 'M' ? family : rng.pick(FAMILY_NAMES));
      if (this.wants('deceased_member', 0.25)) parent.deathDate = addDays(this.options.asOf, -rng.int(30, 300));
    } else if (template === 'elder_couple' && spouse && this.wants('deceased_member', 0.1)) {
      spouse.deathDate = addDays(this.options.asOf, -rng.int(30, 300));
    }
    if (this.wants('unknown_to_public_security', 0.03)) {
      const stranger = this.person(5, 'other', rng.chance(0.5) ? 'M' : 'F', rng.int(20, 50), rng.pick(FAMILY_NAMES));
      stranger.unknownToPublicSecurity = true;
    }
    if (this.wants('name_mismatch', 0.03)) {
      const target = spouse && !spouse.deathDate && rng.chance(0.5) ? spouse : applicant;
      const pool = target.sex === 'M' ? MALE_GIVEN : FEMALE_GIVEN;
      let altered = target.givenName;
      while (altered === target.givenName) altered = target.givenName.slice(0, -1) + rng.pick(pool);
      target.requestName = target.familyName + altered;
      this.traits.add('name_mismatch');
    }
  }

  private registerPeople(): void {
    for (const p of this.people) {
      if (p.unknownToPublicSecurity) {
        this.traits.add('unknown_to_public_security');
        continue;
      }
      const line: PersonLine = {
        type: 'person',
        idNumber: p.idNumber,
        name: p.familyName + p.givenName,
        sex: p.sex,
        birthDate: p.birthDate,
        hukouType: this.hukouType,
        hukouRegionCode: this.regionCode,
        householdNumber: this.householdNumber,
        status: p.deathDate ? 'deceased' : 'active',
      };
      if (p.deathDate) {
        line.deathDate = p.deathDate;
        this.traits.add('deceased_member');
      }
      if (p.age <= 15) this.traits.add('minor_member');
      this.ps.push(line);
    }
    if (this.hukouType === 'rural') this.traits.add('rural');
  }

  /** Alive, registered people: the ones who hold things in this data set. */
  private holders(): Person[] {
    return this.people.filter((p) => !p.deathDate && !p.unknownToPublicSecurity);
  }

  private adults(): Person[] {
    return this.holders().filter((p) => p.age >= 20);
  }

  private workers(): Person[] {
    return this.holders().filter((p) => p.age >= 20 && p.age <= 59);
  }

  private randomDate(from: string, to: string): string {
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`);
    return new Date(start + Math.floor(this.rng.next() * Math.max(1, (end - start) / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
  }

  // ---- housing ------------------------------------------------------------------------------

  private address(kind: 'home' | 'shop', k: number): string {
    const rng = this.rng;
    const street = `重庆市${this.district}${rng.pick(STREETS)}${rng.int(1, 399)}号`;
    return kind === 'home' ? `${street}${rng.int(1, 30)}栋${rng.int(1, 4)}单元${rng.int(1, 32)}-${rng.int(1, 8)}` : `${street}附${k + 1}号门面`;
  }

  private addProperty(k: number, use: PropertyLine['use'], owners: Person[], status: PropertyLine['status']): void {
    const rng = this.rng;
    const registeredAt = this.randomDate('2000-01-01', addDays(this.options.asOf, -60));
    const certificateNo = `渝(${registeredAt.slice(0, 4)})${this.district}不动产权第${certificateSerial(this.index * 4 + k, this.options.seed)}号`;
    const floorAreaM2 = (use === 'residential' ? rng.int(3800, 13500) : rng.int(1500, 9000)) / 100;
    const address = this.address(use === 'residential' ? 'home' : 'shop', k);
    const share = owners.length === 2 ? 50 : 100;
    for (const owner of owners) {
      this.housing.push({ type: 'property', idNumber: owner.idNumber, certificateNo, address, use, floorAreaM2, sharePercent: share, registeredAt, status });
    }
  }

  private makeProperties(level: IncomeLevel): void {
    const rng = this.rng;
    const adults = this.adults();
    if (adults.length === 0) return;
    const applicant = adults.find((p) => p.relation === 'applicant') ?? adults[0];
    const spouse = adults.find((p) => p.relation === 'spouse');
    const owners = spouse && rng.chance(0.6) ? [applicant, spouse] : [applicant];
    let k = 0;
    if (rng.chance(this.hukouType === 'urban' ? 0.65 : 0.55)) this.addProperty(k++, 'residential', owners, 'registered');
    const several = this.forced === 'several_properties' || rng.chance(level === 'high' ? 0.25 : 0.03);
    const wantsRent = this.forced === 'rent_income' || (several && rng.chance(0.6));
    if (several || wantsRent) {
      if (k === 0) this.addProperty(k++, 'residential', owners, 'registered');
      if (several) this.addProperty(k++, 'residential', [applicant], 'registered');
      this.addProperty(k++, rng.pick(['commercial', 'commercial', 'other'] as const), [applicant], 'registered');
    }
    if (this.wants('cancelled_property', 0.04)) {
      this.addProperty(k++, 'residential', [applicant], 'cancelled');
      this.traits.add('cancelled_property');
    }
    const registered = new Set(this.housing.filter((l) => l.status === 'registered').map((l) => l.certificateNo));
    if (registered.size >= 2) this.traits.add('several_properties');
    if (this.housing.some((l) => l.status === 'registered' && l.use !== 'residential')) this.traits.add('non_residential_property');
    if (wantsRent) this.rentFrom = applicant;
  }

  // ---- vehicles -----------------------------------------------------------------------------

  private addVehicle(k: number, owner: Person, vehicleType: VehicleLine['vehicleType'], status: VehicleLine['status']): void {
    const brands = vehicleType === 'motorcycle' ? MOTORCYCLE_BRANDS : vehicleType === 'truck' ? TRUCK_BRANDS : CAR_BRANDS;
    this.ps.push({
      type: 'vehicle',
      idNumber: owner.idNumber,
      plate: plateOf(this.index * 4 + k, this.options.seed),
      vehicleType,
      brand: this.rng.pick(brands),
      firstRegistrationDate: this.randomDate(`${this.asOfYear - 14}-01-01`, addDays(this.options.asOf, -30)),
      useType: vehicleType === 'truck' ? 'freight' : 'private',
      status,
    });
  }

  private makeVehicles(level: IncomeLevel): void {
    const rng = this.rng;
    const adults = this.adults();
    if (adults.length === 0) return;
    const drivers = adults.filter((p) => p.age <= 75);
    const owner = () => rng.pick(drivers.length > 0 ? drivers : adults);
    let k = 0;
    const carChance = level === 'high' ? 0.45 : level === 'near' ? 0.15 : 0.08;
    if (this.forced === 'undeclared_car' || rng.chance(carChance)) this.addVehicle(k++, owner(), 'car', 'normal');
    if (this.wants('exempt_vehicle', this.hukouType === 'rural' ? 0.25 : 0.06)) {
      this.addVehicle(k++, owner(), rng.chance(0.8) ? 'motorcycle' : 'tricycle', 'normal');
      this.traits.add('exempt_vehicle');
    }
    if (this.wants('scrapped_vehicle', 0.04)) {
      this.addVehicle(k++, owner(), 'car', 'scrapped');
      this.traits.add('scrapped_vehicle');
    }
    if (k < 4 && level === 'high' && rng.chance(0.05)) this.addVehicle(k++, owner(), 'truck', 'normal');
  }

  // ---- income -------------------------------------------------------------------------------

  private makeIncome(level: IncomeLevel): void {
    const rng = this.rng;
    const counted = this.people.filter((p) => !p.deathDate).length;
    const perCapita =
      level === 'near' ? this.standard * rng.between(0.93, 1.07) : level === 'low' ? this.standard * rng.between(0.05, 0.7) : this.standard * rng.between(1.5, 5);
    const target = Math.round(perCapita * counted);

    // Pensions and other transfers are declared (no provider verifies them yet).
    const workers = this.workers();
    for (const p of this.holders()) {
      if (p.age < 60) continue;
      const employeePension = this.hukouType === 'urban' && (level === 'high' || (level === 'near' && rng.chance(0.5)));
      this.transferDeclared += employeePension ? roundTo(rng.int(level === 'high' ? 150000 : 30000, level === 'high' ? 320000 : 70000), 100) : roundTo(rng.int(12000, 30000), 100);
    }
    if (level === 'near') this.transferDeclared = Math.min(this.transferDeclared, Math.round(target * 0.4));

    let remaining = target - this.transferDeclared;
    const wageEarners = [...workers];
    const wantsBusiness =
      workers.length > 0 &&
      (this.forced === 'business_loss_months' ||
        (level !== 'near' && this.forced !== 'fund_only_months' && this.forced !== 'provident_fund_wages' && rng.chance(0.12)));
    if (wantsBusiness) {
      const owner = wageEarners.length > 1 ? wageEarners.pop()! : wageEarners[0];
      if (wageEarners.length === 1 && wageEarners[0] === owner) wageEarners.length = 0;
      const average = Math.max(50000, Math.round(Math.max(remaining, target) * rng.between(0.3, 0.7)));
      this.makeBusiness(owner, average);
      remaining -= average;
    }
    if (this.rentFrom) {
      const rent = roundTo(rng.int(80000, 250000), 1000);
      for (const month of this.months) {
        this.tax.push({ type: 'income', idNumber: this.rentFrom.idNumber, period: month, item: 'rent', incomeFen: rent, taxFen: Math.round(rent * 0.08), withholder: rng.pick(TENANTS) });
      }
      this.traits.add('rent_income');
      remaining -= rent;
    }
    if (wageEarners.length === 0 || remaining <= 0) return;
    const weights = wageEarners.map(() => rng.between(0.6, 1.4));
    const total = weights.reduce((a, b) => a + b, 0);
    wageEarners.forEach((person, i) => {
      const net = Math.round((remaining * weights[i]) / total);
      const wantsFund =
        this.forced === 'fund_only_months' || this.forced === 'provident_fund_wages' ? i === 0 : rng.chance(this.hukouType === 'urban' ? 0.6 : 0.2);
      // Near the threshold incomes are steady wages, so the household stays near it over the lookback.
      const kind = level === 'near' || net >= 150000 || (wantsFund && net >= 60000) ? 'wage' : 'labor';
      const earner: Earner = {
        person,
        kind,
        net,
        employer: kind === 'wage' ? rng.pick(EMPLOYERS) : rng.pick(LABOR_PAYERS),
        fundRate: kind === 'wage' && wantsFund ? rng.pick([0.05, 0.07, 0.08, 0.1, 0.12]) : 0,
      };
      if (earner.kind === 'wage') this.makeWages(earner, level);
      else this.makeLabor(earner);
    });
    if (level === 'near') this.traits.add('near_threshold_income');
  }

  private makeWages(earner: Earner, level: IncomeLevel): void {
    const rng = this.rng;
    const gross = grossForNet(earner.net, earner.fundRate);
    const variation = level === 'near' ? 0.02 : 0.08;
    const fundOnly = new Set<string>();
    if (earner.fundRate > 0) {
      if (this.forced === 'fund_only_months' || rng.chance(0.15)) {
        for (const m of rng.sample(this.context.lookbackMonths, rng.int(2, 3))) fundOnly.add(m);
      }
      const base = gross;
      const share = Math.round(base * earner.fundRate);
      for (const month of this.months) {
        this.fund.push({ type: 'contribution', idNumber: earner.person.idNumber, period: month, baseFen: base, employeeFen: share, employerFen: share });
      }
      this.traits.add('provident_fund_wages');
      if (fundOnly.size > 0) this.traits.add('fund_only_months');
      const accountNo = `${this.regionCode}${String(this.index).padStart(9, '0')}${earner.person.slot}`;
      const monthsPaid = rng.int(12, 120);
      const older = 2 * share * monthsPaid;
      const [first, second] = this.snapshots;
      for (const [asOf, balance] of [[first, older], [second, older + 2 * share * 3]] as const) {
        this.fund.push({ type: 'account', idNumber: earner.person.idNumber, accountNo, status: 'active', employer: earner.employer, balanceFen: balance, asOf });
      }
    }
    for (const month of this.months) {
      if (fundOnly.has(month)) continue;
      const monthGross = roundTo(gross * rng.between(1 - variation, 1 + variation), 100);
      const employee = Math.round(gross * earner.fundRate);
      this.tax.push({
        type: 'income',
        idNumber: earner.person.idNumber,
        period: month,
        item: 'wage',
        incomeFen: monthGross,
        taxFen: wageTax(monthGross, employee),
        withholder: earner.employer,
      });
    }
  }

  private makeLabor(earner: Earner): void {
    const rng = this.rng;
    const workedShare = 0.75;
    for (const month of this.months) {
      if (!rng.chance(workedShare)) continue;
      const net = Math.max(100, roundTo((earner.net / workedShare) * rng.between(0.8, 1.2), 100));
      let gross = net;
      for (let i = 0; i < 4; i++) gross += net - (gross - laborTax(gross));
      gross = roundTo(gross, 100);
      this.tax.push({ type: 'income', idNumber: earner.person.idNumber, period: month, item: 'labor', incomeFen: gross, taxFen: laborTax(gross), withholder: earner.employer });
    }
    // A sealed fund account from an earlier job.
    if (rng.chance(0.1)) {
      const accountNo = `${this.regionCode}${String(this.index).padStart(9, '0')}${earner.person.slot}`;
      this.fund.push({ type: 'account', idNumber: earner.person.idNumber, accountNo, status: 'sealed', employer: this.rng.pick(EMPLOYERS), balanceFen: rng.int(500000, 4000000), asOf: this.snapshots[1] });
    }
  }

  private makeBusiness(owner: Person, average: number): void {
    const rng = this.rng;
    const name = `${this.district}${owner.familyName}记${rng.pick(BUSINESS_KINDS)}`;
    const losses = new Set<string>();
    if (this.forced === 'business_loss_months' || rng.chance(0.4)) for (const m of rng.sample(this.months, rng.int(2, 3))) losses.add(m);
    for (const month of this.months) {
      const income = losses.has(month) ? -roundTo(average * rng.between(0.1, 0.6), 100) : roundTo(average * rng.between(0.4, 1.6), 100);
      this.tax.push({ type: 'income', idNumber: owner.idNumber, period: month, item: 'business', incomeFen: income, taxFen: income > 0 ? Math.round(income * 0.01) : 0, withholder: name });
    }
    this.traits.add('business_income');
    if (losses.size > 0) this.traits.add('business_loss_months');
  }

  // ---- banks --------------------------------------------------------------------------------

  private makeBankAccounts(level: IncomeLevel): BankAccount[] {
    const rng = this.rng;
    const banks = this.options.banks;
    if (banks.length === 0) return [];
    const counted = this.people.filter((p) => !p.deathDate).length;
    const months = level === 'high' ? rng.between(10, 60) : level === 'near' ? rng.between(1, 15) : rng.between(0, 10);
    const total = Math.round(this.standard * counted * months);
    const owners = this.people.filter((p) => !p.unknownToPublicSecurity && p.age >= 20);
    const accounts: BankAccount[] = [];
    for (const person of owners) {
      const count = 1 + (rng.chance(0.4) ? 1 : 0) + (rng.chance(0.15) ? 1 : 0);
      for (let k = 0; k < count; k++) {
        const product: BankHoldingLine['product'] =
          k === 0 ? 'current' : rng.pick(['time', 'time', 'time', 'wealth', 'wealth', 'fund', 'securities'] as const);
        accounts.push({
          person,
          bank: rng.pick(banks),
          accountNo: `6217${String(this.index).padStart(10, '0')}${person.slot}${k}`,
          product,
          balance: 0,
        });
      }
    }
    if (accounts.length === 0) return accounts;
    if (this.forced === 'two_banks' && banks.length >= 2) {
      if (accounts.length === 1) {
        const first = accounts[0];
        accounts.push({ person: first.person, bank: first.bank, accountNo: `6217${String(this.index).padStart(10, '0')}${first.person.slot}9`, product: 'time', balance: 0 });
      }
      if (new Set(accounts.map((a) => a.bank)).size < 2) accounts[1].bank = banks.find((b) => b !== accounts[0].bank)!;
    }
    const living = accounts.filter((a) => !a.person.deathDate);
    const weights = living.map(() => rng.between(0.2, 1.8));
    const sum = weights.reduce((a, b) => a + b, 0);
    living.forEach((a, i) => (a.balance = roundTo((total * weights[i]) / sum, 1)));
    for (const a of accounts) if (a.person.deathDate) a.balance = rng.int(1000, 2000000);

    const [older, latest] = this.snapshots;
    // One dividend record per person and month: tax keys income by person, month, item and withholder.
    const dividendsPaid = new Set<Person>();
    for (const a of accounts) {
      const provider = bankProviderId(a.bank);
      const out = this.bank.get(provider)!;
      out.push({ type: 'holding', idNumber: a.person.idNumber, accountNo: a.accountNo, product: a.product, balanceFen: Math.round(a.balance * rng.between(0.85, 1.15)), asOf: older });
      out.push({ type: 'holding', idNumber: a.person.idNumber, accountNo: a.accountNo, product: a.product, balanceFen: a.balance, asOf: latest });
      const interest: BankInterestLine[] = [];
      if (a.product === 'current') {
        for (const month of this.months) {
          const fen = Math.round((a.balance * 0.0015) / 4);
          if (['03', '06', '09', '12'].includes(month.slice(5)) && fen > 0) interest.push({ type: 'interest', idNumber: a.person.idNumber, accountNo: a.accountNo, period: month, interestFen: fen });
        }
      } else if (a.product === 'time') {
        const fen = Math.round(a.balance * 0.0175);
        if (fen > 0) interest.push({ type: 'interest', idNumber: a.person.idNumber, accountNo: a.accountNo, period: rng.pick(this.context.lookbackMonths), interestFen: fen });
      } else if (a.product === 'securities' && !a.person.deathDate && !dividendsPaid.has(a.person)) {
        dividendsPaid.add(a.person);
        for (const month of rng.sample(this.context.lookbackMonths, 2)) {
          const dividend = rng.int(5000, 80000);
          this.tax.push({ type: 'income', idNumber: a.person.idNumber, period: month, item: 'interest_dividend', incomeFen: dividend, taxFen: Math.round(dividend * 0.2), withholder: rng.pick(DIVIDEND_PAYERS) });
        }
        this.traits.add('interest_income');
      }
      out.push(...interest);
      if (interest.length > 0) this.traits.add('interest_income');
    }
    if (new Set(accounts.map((a) => a.bank)).size >= 2) this.traits.add('two_banks');
    return accounts;
  }

  // ---- declaration and authorizations ------------------------------------------------------

  /** What the household declares: honest, rounded figures, except where a trait says otherwise. */
  private declare(accounts: BankAccount[]): SyntheticRequest['declared'] {
    const rng = this.rng;
    const counted = new Set(this.people.filter((p) => !p.deathDate).map((p) => p.idNumber));
    const sums = { wage: 0, business: 0, property: 0 };
    const employee = new Map<string, number>();
    const wageMonths = new Set<string>();
    for (const l of this.fund) if (l.type === 'contribution' && this.lookback.has(l.period)) employee.set(`${l.idNumber}|${l.period}`, l.employeeFen);
    for (const l of this.tax) {
      if (!counted.has(l.idNumber) || !this.lookback.has(l.period)) continue;
      const net = l.incomeFen - l.taxFen;
      if (l.item === 'wage' || l.item === 'labor') {
        sums.wage += net;
        wageMonths.add(`${l.idNumber}|${l.period}`);
      } else if (l.item === 'business') sums.business += net;
      else sums.property += net;
    }
    for (const l of this.fund) {
      if (l.type !== 'contribution' || !counted.has(l.idNumber) || !this.lookback.has(l.period)) continue;
      sums.wage += wageMonths.has(`${l.idNumber}|${l.period}`) ? -l.employeeFen : l.baseFen - l.employeeFen;
    }
    for (const lines of this.bank.values()) {
      for (const l of lines) if (l.type === 'interest' && counted.has(l.idNumber) && this.lookback.has(l.period)) sums.property += l.interestFen;
    }
    const monthly = {
      wage: Math.round(sums.wage / LOOKBACK_MONTHS),
      business: Math.round(sums.business / LOOKBACK_MONTHS),
      property: Math.round(sums.property / LOOKBACK_MONTHS),
    };
    const perCapita = (monthly.wage + monthly.business + monthly.property + this.transferDeclared) / counted.size;
    if (Math.abs(perCapita - this.standard) <= this.standard * 0.1) this.traits.add('near_threshold_income');
    else this.traits.delete('near_threshold_income');

    const declaredIncome = {
      wage: Math.max(0, roundTo(monthly.wage, 100)),
      business: Math.max(0, roundTo(monthly.business, 100)),
      property: Math.max(0, roundTo(monthly.property, 100)),
      transfer: this.transferDeclared,
    };
    if (this.wants('income_understated', 0.08) && monthly.wage + monthly.business > 60000) {
      if (monthly.wage >= monthly.business) declaredIncome.wage = roundTo(monthly.wage * rng.between(0.3, 0.6), 100);
      else declaredIncome.business = roundTo(monthly.business * rng.between(0.3, 0.6), 100);
      this.traits.add('income_understated');
    }
    const financial = accounts.filter((a) => counted.has(a.person.idNumber)).reduce((s, a) => s + a.balance, 0);
    let financialAssets = roundTo(financial, 10000);
    if (this.wants('financial_assets_understated', 0.08) && financial > 200000) {
      financialAssets = roundTo(financial * rng.between(0.2, 0.5), 10000);
      this.traits.add('financial_assets_understated');
    }
    const normal = this.ps.filter((l): l is VehicleLine => l.type === 'vehicle' && l.status === 'normal' && counted.has(l.idNumber));
    const normalVehicles = normal.length;
    let vehicles = normalVehicles;
    if (normal.some((v) => v.vehicleType === 'car') && (this.forced === 'undeclared_car' || rng.chance(0.05))) {
      vehicles = normalVehicles - 1;
      this.traits.add('undeclared_car');
    }
    const properties = new Set(this.housing.filter((l) => l.status === 'registered' && counted.has(l.idNumber)).map((l) => l.certificateNo)).size;
    return { monthlyIncome: declaredIncome, financialAssets, vehicles, properties };
  }

  private authorizations(): VerificationRequest['authorizations'] {
    const applicant = this.people[0];
    return this.people.map((p) => ({
      idNumber: p.idNumber,
      signedBy: p.age <= 15 ? applicant.idNumber : p.idNumber,
      documentRef: `AUTH-${this.asOfYear}-${String(this.index + 1).padStart(7, '0')}-${p.slot + 1}`,
      signedAt: this.context.signedAt,
      expiresAt: this.context.expiresAt,
    }));
  }
}

