/**
 * How figures print: amounts are integer fen written as yuan with two decimals and thousands separators
 * (123456 -> "1,234.56"), by integer arithmetic only; instants are written in Beijing time (Asia/Shanghai,
 * UTC+8 all year, no daylight saving).
 */

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Integer fen as yuan: 123456 -> "1,234.56", -5 -> "-0.05". Refuses a non-integer (a report amount never is one). */
export function yuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`an amount in fen must be a safe integer, got ${fen}`);
  const value = BigInt(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

/** yuan() for a figure that may be missing: null/undefined print as a dash. */
export function yuanOrDash(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '—' : yuan(fen);
}

/** A decimal figure (m², percent) with at most `digits` decimals as the report states it: 38.2 -> "38.20". */
export function decimal(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

/** A share in percent without needless zeros: 100 -> "100%", 33.33 -> "33.33%". */
export function percent(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return `${Number(value.toFixed(2))}%`;
}

/** A fraction (0.1) as a percentage (10%), without floating-point noise. */
export function fractionAsPercent(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return `${Number((value * 100).toFixed(4))}%`;
}

interface ShanghaiParts {
  date: string;
  time: string;
  seconds: string;
}

function shanghaiParts(iso: string): ShanghaiParts | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const local = new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
  return { date: local.slice(0, 10), time: local.slice(11, 16), seconds: local.slice(17, 19) };
}

/** "2026-11-01T02:05:09Z" -> "2026-11-01 10:05:09" (Beijing time); an unreadable value prints as given. */
export function shanghaiDateTime(iso: string | null | undefined, withSeconds = true): string {
  if (!iso) return '—';
  const parts = shanghaiParts(iso);
  if (!parts) return iso;
  return `${parts.date} ${parts.time}${withSeconds ? `:${parts.seconds}` : ''}`;
}

/** "2026-11-01T02:05:09Z" -> "2026年11月01日" in Beijing time; a plain "YYYY-MM-DD" date is written as is. */
export function chineseDate(isoOrDate: string | null | undefined): string {
  if (!isoOrDate) return '—';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(isoOrDate) ? isoOrDate : shanghaiParts(isoOrDate)?.date;
  if (!date) return isoOrDate;
  const [y, m, d] = date.split('-');
  return `${y}年${m}月${d}日`;
}

/** The instant a PDF creation date carries, from the report's issuedAt; null when it is unreadable. */
export function instantOf(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** An account number with its middle hidden: "6217000000000300" -> "6217 **** 0300" (short ones keep the last 4). */
export function maskAccountNumber(accountNo: string | null | undefined): string {
  if (!accountNo) return '—';
  const compact = accountNo.replace(/\s+/g, '');
  if (compact.length <= 4) return compact;
  if (compact.length < 10) return `****${compact.slice(-4)}`;
  return `${compact.slice(0, 4)} **** ${compact.slice(-4)}`;
}

/** "2025-11".."2026-10" -> "2025-11 至 2026-10". */
export function monthRange(from: string, to: string): string {
  return from === to ? from : `${from} 至 ${to}`;
}

/** Consecutive "YYYY-MM" months collapsed into ranges: [2026-01, 2026-02, 2026-05] -> "2026-01 至 2026-02、2026-05". */
export function monthList(months: readonly string[]): string {
  const sorted = [...new Set(months)].sort();
  const ranges: string[] = [];
  let start: string | null = null;
  let previous: string | null = null;
  const next = (month: string): string => {
    const [y, m] = month.split('-').map(Number);
    return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  };
  for (const month of sorted) {
    if (start !== null && previous !== null && next(previous) === month) {
      previous = month;
      continue;
    }
    if (start !== null && previous !== null) ranges.push(monthRange(start, previous));
    start = month;
    previous = month;
  }
  if (start !== null && previous !== null) ranges.push(monthRange(start, previous));
  return ranges.join('、');
}
