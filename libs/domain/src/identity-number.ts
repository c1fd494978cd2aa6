/**
 * Resident identity numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence
 * (odd for men), and a check character computed from the first 17 digits.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

export type IdentityNumberProblem = 'format' | 'birth_date' | 'check_digit';

export interface IdentityNumberCheck {
  valid: boolean;
  /** Which rule failed, for error messages that name it. */
  problem?: IdentityNumberProblem;
  message?: string;
}

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/** `today` is "YYYY-MM-DD"; a birth date after it is refused. */
export function checkIdentityNumber(value: unknown, today: string = todayInShanghai()): IdentityNumberCheck {
  if (typeof value !== 'string' || !/^\d{17}[\dX]$/.test(value)) {
    return { valid: false, problem: 'format', message: 'must be 18 characters: 17 digits and a digit or X' };
  }
  const birth = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isRealDate(birth) || birth > today || birth < '1900-01-01') {
    return { valid: false, problem: 'birth_date', message: `birth date ${birth} is not a real past date` };
  }
  const expected = checkCharacter(value.slice(0, 17));
  if (value[17] !== expected) {
    return { valid: false, problem: 'check_digit', message: `check character must be ${expected}, not ${value[17]}` };
  }
  return { valid: true };
}

export function isValidIdentityNumber(value: unknown, today?: string): boolean {
  return checkIdentityNumber(value, today).valid;
}

export function birthDateOf(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

export function sexOf(idNumber: string): 'M' | 'F' {
  return Number(idNumber[16]) % 2 === 1 ? 'M' : 'F';
}

/** Age in whole years on `onDate` ("YYYY-MM-DD"). */
export function ageOn(idNumber: string, onDate: string): number {
  const birth = birthDateOf(idNumber);
  let age = Number(onDate.slice(0, 4)) - Number(birth.slice(0, 4));
  if (onDate.slice(5) < birth.slice(5)) age -= 1;
  return age;
}

/** Builds a valid identity number from region, birth date and sequence (synthetic data, tests). */
export function makeIdentityNumber(regionCode: string, birthDate: string, sequence: number): string {
  const first17 = `${regionCode}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** The display form for logs and lists: first 6 and last 4 kept (110105********002X). */
export function maskIdentityNumber(value: string): string {
  if (value.length <= 10) return '*'.repeat(value.length);
  return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
}

/** Names are masked to their first character (张** / 欧阳**). */
export function maskName(value: string): string {
  const chars = [...value];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Today's date in Asia/Shanghai (UTC+8, no daylight saving), "YYYY-MM-DD". */
export function todayInShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
