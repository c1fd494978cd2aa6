/**
 * Household income over the lookback (domain.md section 5, "Income"). Sums are exact (BigInt fen);
 * division and rounding happen once, at the end.
 *
 * For each counted member and lookback month m:
 *   net(r)      = incomeFen − taxFen
 *   wage(m)     = Σ net(wage, labor in m) − Σ provident-fund employeeFen in m        (a wage/labor record exists)
 *               = Σ (baseFen − employeeFen) of contributions in m, month "estimated" (only a contribution exists)
 *               then, where wage(m) > 0: wage(m) − min(employmentDeductionMonthly, wage(m))
 *   business(m) = Σ net(business in m)                                                (may be negative)
 *   property(m) = Σ net(rent, interest_dividend in m) + Σ bank interestFen in m
 * transfer = declared monthly transfer × L (declared, unverified).
 */
import { roundHalfUpDiv, toBigInt, toSafeNumber } from '../money';
import type { BankInterestRecord, DepartmentRecord, FundContributionRecord, IncomeRecord } from '../records';
import type { Declaration } from '../verification-request';
import type { AssessedMember } from './household-members';
import type { ReportEvidence } from './report-evidence';
import type {
  EstimatedMonths,
  IncomeMonth,
  IncomeTrace,
  MemberIncome,
  RecordRef,
  ReportIncome,
  VerifiedIncomeCategory,
} from './report.types';
import { VERIFIED_INCOME_CATEGORIES } from './report.types';

type Sums = Record<VerifiedIncomeCategory, bigint>;

interface MemberMonth {
  wage: bigint;
  business: bigint;
  property: bigint;
  estimated: boolean;
  deduction: bigint;
}

/** One counted member's income: per-month figures, lookback sums and the records behind them. */
export interface MemberIncomeResult {
  member: AssessedMember;
  months: Map<string, MemberMonth>;
  sums: Sums;
  deduction: bigint;
  refs: Record<VerifiedIncomeCategory, RecordRef[]>;
  estimatedMonths: string[];
  /** Monthly averages (sum / L, half away from zero). */
  average: MemberIncome;
}

export interface IncomeResult {
  income: ReportIncome;
  /** Per counted member, by member index. */
  byMember: Map<number, MemberIncomeResult>;
}

function net(record: IncomeRecord): bigint {
  return toBigInt(record.incomeFen, `income record ${record.recordId} incomeFen`) - toBigInt(record.taxFen, `income record ${record.recordId} taxFen`);
}

function ref(record: DepartmentRecord, amount: bigint, period: string): RecordRef {
  return { provider: record.provider, recordId: record.recordId, kind: record.kind, period, amount: toSafeNumber(amount, 'record amount') };
}

export function computeMemberIncome(
  member: AssessedMember,
  evidence: ReportEvidence,
  months: readonly string[],
  employmentDeductionMonthly: number,
): MemberIncomeResult {
  const deductionMonthly = toBigInt(employmentDeductionMonthly, 'employmentDeductionMonthly');
  const inLookback = new Set(months);
  const byMonth = new Map<string, DepartmentRecord[]>();
  for (const record of evidence.recordsOf(member.idNumber)) {
    if (!('period' in record) || !inLookback.has(record.period)) continue;
    const list = byMonth.get(record.period);
    if (list) list.push(record);
    else byMonth.set(record.period, [record]);
  }

  const refs: Record<VerifiedIncomeCategory, RecordRef[]> = { wage: [], business: [], property: [] };
  const sums: Sums = { wage: 0n, business: 0n, property: 0n };
  const perMonth = new Map<string, MemberMonth>();
  const estimatedMonths: string[] = [];
  let deductionTotal = 0n;

  for (const month of months) {
    const records = byMonth.get(month) ?? [];
    const income = records.filter((r): r is IncomeRecord => r.kind === 'income');
    const wageRecords = income.filter((r) => r.item === 'wage' || r.item === 'labor');
    const contributions = records.filter((r): r is FundContributionRecord => r.kind === 'fund_contribution');
    const interest = records.filter((r): r is BankInterestRecord => r.kind === 'bank_interest');

    let wage = 0n;
    let estimated = false;
    if (wageRecords.length > 0) {
      for (const r of wageRecords) {
        const amount = net(r);
        wage += amount;
        refs.wage.push(ref(r, amount, month));
      }
      for (const c of contributions) {
        const amount = -toBigInt(c.employeeFen, `contribution ${c.recordId} employeeFen`);
        wage += amount;
        refs.wage.push(ref(c, amount, month));
      }
    } else if (contributions.length > 0) {
      estimated = true;
      estimatedMonths.push(month);
      for (const c of contributions) {
        const amount = toBigInt(c.baseFen, `contribution ${c.recordId} baseFen`) - toBigInt(c.employeeFen, `contribution ${c.recordId} employeeFen`);
        wage += amount;
        refs.wage.push(ref(c, amount, month));
      }
    }
    let deduction = 0n;
    if (wage > 0n) {
      deduction = wage < deductionMonthly ? wage : deductionMonthly;
      wage -= deduction;
    }
    deductionTotal += deduction;

    let business = 0n;
    for (const r of income.filter((i) => i.item === 'business')) {
      const amount = net(r);
      business += amount;
      refs.business.push(ref(r, amount, month));
    }

    let property = 0n;
    for (const r of income.filter((i) => i.item === 'rent' || i.item === 'interest_dividend')) {
      const amount = net(r);
      property += amount;
      refs.property.push(ref(r, amount, month));
    }
    for (const r of interest) {
      const amount = toBigInt(r.interestFen, `interest ${r.recordId} interestFen`);
      property += amount;
      refs.property.push(ref(r, amount, month));
    }

    sums.wage += wage;
    sums.business += business;
    sums.property += property;
    perMonth.set(month, { wage, business, property, estimated, deduction });
  }

  const L = months.length;
  return {
    member,
    months: perMonth,
    sums,
    deduction: deductionTotal,
    refs,
    estimatedMonths,
    average: {
      wage: roundHalfUpDiv(sums.wage, L),
      business: roundHalfUpDiv(sums.business, L),
      property: roundHalfUpDiv(sums.property, L),
    },
  };
}

/**
 * byCategory[c] = roundHalfUp(S_c / L), monthlyTotal = roundHalfUp(S / L),
 * monthlyPerCapita = roundHalfUp(S / (L × n)); with n = 0 (no counted member) monthlyPerCapita is 0.
 */
export function computeIncome(
  counted: readonly AssessedMember[],
  evidence: ReportEvidence,
  months: readonly string[],
  employmentDeductionMonthly: number,
  declared: Declaration | undefined,
): IncomeResult {
  const L = months.length;
  const n = counted.length;
  const byMember = new Map<number, MemberIncomeResult>();
  for (const member of counted) {
    byMember.set(member.index, computeMemberIncome(member, evidence, months, employmentDeductionMonthly));
  }
  const results = [...byMember.values()];

  const transferMonthly = toBigInt(declared?.monthlyIncome?.transfer ?? 0, 'declared.monthlyIncome.transfer');
  const sums = { wage: 0n, business: 0n, property: 0n, transfer: transferMonthly * BigInt(L) };
  for (const r of results) {
    for (const c of VERIFIED_INCOME_CATEGORIES) sums[c] += r.sums[c];
  }
  const total = sums.wage + sums.business + sums.property + sums.transfer;

  const incomeMonths: IncomeMonth[] = months.map((month) => {
    let wage = 0n;
    let business = 0n;
    let property = 0n;
    let estimated = false;
    for (const r of results) {
      const m = r.months.get(month);
      if (!m) continue;
      wage += m.wage;
      business += m.business;
      property += m.property;
      estimated ||= m.estimated;
    }
    return {
      month,
      wage: toSafeNumber(wage),
      business: toSafeNumber(business),
      property: toSafeNumber(property),
      transfer: toSafeNumber(transferMonthly),
      total: toSafeNumber(wage + business + property + transferMonthly),
      estimated,
    };
  });

  const sources: IncomeTrace[] = [];
  const estimatedMonths: EstimatedMonths[] = [];
  for (const r of results) {
    for (const category of VERIFIED_INCOME_CATEGORIES) {
      if (r.refs[category].length === 0) continue;
      sources.push({
        memberIndex: r.member.index,
        member: r.member.masked,
        category,
        sum: toSafeNumber(r.sums[category]),
        employmentDeduction: category === 'wage' ? toSafeNumber(r.deduction) : 0,
        records: r.refs[category],
      });
    }
    if (r.estimatedMonths.length > 0) {
      estimatedMonths.push({ memberIndex: r.member.index, member: r.member.masked, months: r.estimatedMonths });
    }
  }

  return {
    byMember,
    income: {
      monthlyTotal: roundHalfUpDiv(total, L),
      monthlyPerCapita: n === 0 ? 0 : roundHalfUpDiv(total, BigInt(L) * BigInt(n)),
      byCategory: {
        wage: roundHalfUpDiv(sums.wage, L),
        business: roundHalfUpDiv(sums.business, L),
        property: roundHalfUpDiv(sums.property, L),
        transfer: roundHalfUpDiv(sums.transfer, L),
      },
      lookbackSums: {
        wage: toSafeNumber(sums.wage),
        business: toSafeNumber(sums.business),
        property: toSafeNumber(sums.property),
        transfer: toSafeNumber(sums.transfer),
        total: toSafeNumber(total),
      },
      transferUnverified: transferMonthly > 0n,
      months: incomeMonths,
      sources,
      estimatedMonths,
    },
  };
}
