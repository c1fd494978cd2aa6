/**
 * Household assets as of the report date (domain.md section 5, "Assets"); only counted members'
 * records count.
 *   financialTotal  = Σ balanceFen of every bank holding, all banks
 *   providentFund   = Σ fund account balances (reported, not counted in any test)
 *   vehicles        = status normal; counted unless the type is in exemptVehicleTypes
 *   properties      = status registered; counted per distinct certificate (co-owners who each hold a
 *                     record of the same certificate own one property)
 *   residentialAreaPerCapitaM2 = Σ(floorArea × share) of registered residential records / n, half-up,
 *                     computed in centi-m² × basis points and divided once.
 */
import { roundHalfUpDivBig, toBigInt, toSafeNumber } from '../money';
import type { BankHoldingRecord, DepartmentRecord, FundAccountRecord, PropertyRecord, VehicleRecord } from '../records';
import type { PolicyVersion } from '../policy';
import type { AssessedMember } from './household-members';
import { compareText, type ReportEvidence } from './report-evidence';
import type { BankAccounts, BankHolding, FundAccount, ReportAssets, ReportProperty, ReportVehicle } from './report.types';

interface Owned<R extends DepartmentRecord> {
  member: AssessedMember;
  record: R;
}

function ownedRecords<K extends DepartmentRecord['kind']>(
  counted: readonly AssessedMember[],
  evidence: ReportEvidence,
  kind: K,
): Owned<Extract<DepartmentRecord, { kind: K }>>[] {
  const owned: Owned<Extract<DepartmentRecord, { kind: K }>>[] = [];
  for (const member of counted) {
    for (const record of evidence.recordsOf(member.idNumber)) {
      if (record.kind === kind) owned.push({ member, record: record as Extract<DepartmentRecord, { kind: K }> });
    }
  }
  return owned;
}

/** Basis points in 100 % and centi-m² in one m². */
const FULL_SHARE = 10_000n;
const CENTI = 100n;

export interface AssetsResult {
  assets: ReportAssets;
  /** Every vehicle with status normal, counted or exempt (for the undeclared_vehicles comparison). */
  normalVehicles: number;
  /** Distinct registered properties, residential and not (for the undeclared_properties comparison). */
  registeredProperties: number;
}

export function computeAssets(
  counted: readonly AssessedMember[],
  evidence: ReportEvidence,
  policy: Pick<PolicyVersion, 'exemptVehicleTypes'>,
): AssetsResult {
  const n = counted.length;

  // Financial assets: every bank holding of counted members, grouped by bank.
  const holdings = ownedRecords(counted, evidence, 'bank_holding');
  const byBank = new Map<string, BankAccounts>();
  for (const source of evidence.sourcesOf('bank')) {
    if (!byBank.has(source.provider)) byBank.set(source.provider, { provider: source.provider, status: source.status, total: 0, holdings: [] });
  }
  let financialTotal = 0n;
  const bankTotals = new Map<string, bigint>();
  for (const { member, record } of sortOwned(holdings, (r: BankHoldingRecord) => r.accountNo)) {
    const balance = toBigInt(record.balanceFen, `holding ${record.recordId} balanceFen`);
    financialTotal += balance;
    bankTotals.set(record.provider, (bankTotals.get(record.provider) ?? 0n) + balance);
    let bank = byBank.get(record.provider);
    if (!bank) {
      bank = { provider: record.provider, status: 'answered', total: 0, holdings: [] };
      byBank.set(record.provider, bank);
    }
    bank.holdings.push(holdingOf(member, record));
  }
  const accounts = [...byBank.values()]
    .map((bank) => ({ ...bank, total: toSafeNumber(bankTotals.get(bank.provider) ?? 0n) }))
    .sort((a, b) => compareText(a.provider, b.provider));

  // Provident fund: reported, not counted.
  let providentFundBalance = 0n;
  const providentFundAccounts: FundAccount[] = [];
  for (const { member, record } of sortOwned(ownedRecords(counted, evidence, 'fund_account'), (r: FundAccountRecord) => r.accountNo)) {
    providentFundBalance += toBigInt(record.balanceFen, `fund account ${record.recordId} balanceFen`);
    providentFundAccounts.push({
      memberIndex: member.index,
      member: member.masked,
      provider: record.provider,
      recordId: record.recordId,
      accountNo: record.accountNo,
      status: record.status,
      balanceFen: record.balanceFen,
      asOf: record.asOf,
    });
  }

  // Vehicles with status normal.
  const exemptTypes = new Set(policy.exemptVehicleTypes);
  const vehicles: ReportVehicle[] = sortOwned(
    ownedRecords(counted, evidence, 'vehicle').filter(({ record }) => record.status === 'normal'),
    (r: VehicleRecord) => r.plate,
  ).map(({ member, record }) => {
    const exempt = exemptTypes.has(record.vehicleType);
    return {
      plate: record.plate,
      vehicleType: record.vehicleType,
      status: 'normal',
      memberIndex: member.index,
      member: member.masked,
      counted: !exempt,
      exempt,
      provider: record.provider,
      recordId: record.recordId,
    };
  });

  // Registered properties.
  const registered = sortOwned(
    ownedRecords(counted, evidence, 'property').filter(({ record }) => record.status === 'registered'),
    (r: PropertyRecord) => r.certificateNo,
  );
  const residentialCertificates = new Set<string>();
  const otherCertificates = new Set<string>();
  let residentialArea = 0n; // centi-m² × basis points
  const properties: ReportProperty[] = registered.map(({ member, record }) => {
    const residential = record.use === 'residential';
    const certificate = `${record.provider}\u0000${record.certificateNo.trim() || `record:${record.recordId}`}`;
    (residential ? residentialCertificates : otherCertificates).add(certificate);
    if (residential) {
      residentialArea +=
        toBigInt(record.floorAreaCentiM2, `property ${record.recordId} floorAreaCentiM2`) *
        toBigInt(record.shareBasisPoints, `property ${record.recordId} shareBasisPoints`);
    }
    return {
      certificateNo: record.certificateNo,
      address: record.address,
      use: record.use,
      residential,
      floorAreaM2: record.floorAreaCentiM2 / 100,
      sharePercent: record.shareBasisPoints / 100,
      registeredAt: record.registeredAt,
      memberIndex: member.index,
      member: member.masked,
      provider: record.provider,
      recordId: record.recordId,
    };
  });
  // (centi-m² × bp) / (10000 bp × n) = centi-m² per person; rounded once, then shown in m².
  const areaPerCapitaCenti = n === 0 ? 0n : roundHalfUpDivBig(residentialArea, FULL_SHARE * BigInt(n));
  const residentialAreaPerCapitaM2 = toSafeNumber(areaPerCapitaCenti) / Number(CENTI);

  return {
    assets: {
      financialTotal: toSafeNumber(financialTotal, 'financialTotal'),
      accounts,
      providentFundBalance: toSafeNumber(providentFundBalance, 'providentFundBalance'),
      providentFundAccounts,
      vehicles,
      countedVehicles: vehicles.filter((v) => v.counted).length,
      residentialProperties: residentialCertificates.size,
      nonResidentialProperties: otherCertificates.size,
      properties,
      residentialAreaPerCapitaM2,
    },
    normalVehicles: vehicles.length,
    registeredProperties: residentialCertificates.size + otherCertificates.size,
  };
}

function holdingOf(member: AssessedMember, record: BankHoldingRecord): BankHolding {
  return {
    memberIndex: member.index,
    member: member.masked,
    accountNo: record.accountNo,
    product: record.product,
    balanceFen: record.balanceFen,
    asOf: record.asOf,
    recordId: record.recordId,
  };
}

/** Member order, then the given key, then provider and record id: independent of input order. */
function sortOwned<R extends DepartmentRecord>(owned: Owned<R>[], key: (record: R) => string): Owned<R>[] {
  return [...owned].sort(
    (a, b) =>
      a.member.index - b.member.index ||
      compareText(key(a.record), key(b.record)) ||
      compareText(a.record.provider, b.record.provider) ||
      compareText(a.record.recordId, b.record.recordId),
  );
}
