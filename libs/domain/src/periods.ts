/** Calendar months as "YYYY-MM" and the lookback window of domain.md section 5. */
import { isRealDate } from './identity-number';

export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

export function addMonths(month: string, delta: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + delta;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export interface Lookback {
  from: string;
  to: string;
  months: number;
}

/** The L calendar months before the month of `asOf`: asOf 2026-11-01, L 12 -> 2025-11 ... 2026-10. */
export function lookbackFor(asOf: string, months: number): Lookback {
  if (!isRealDate(asOf)) throw new Error(`asOf "${asOf}" is not a date`);
  if (!Number.isInteger(months) || months < 1) throw new Error(`lookback months must be a positive integer`);
  const asOfMonth = asOf.slice(0, 7);
  return { from: addMonths(asOfMonth, -months), to: addMonths(asOfMonth, -1), months };
}

export function monthsOf(lookback: Lookback): string[] {
  return Array.from({ length: lookback.months }, (_, i) => addMonths(lookback.from, i));
}

export function inLookback(month: string, lookback: Lookback): boolean {
  return month >= lookback.from && month <= lookback.to;
}
