/**
 * Reads the fields of one JSON Lines object, collecting every problem as "<field>: <rule>". Values
 * are never echoed in problems (they may be identity numbers or names).
 */
import { checkIdentityNumber, isMonth, isRealDate } from '@verihub/domain';

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Our own wording for the identity-number rules, so no part of the number (e.g. its birth date) is echoed. */
const IDENTITY_RULES: Record<string, string> = {
  format: 'must be 18 characters: 17 digits and a digit or X',
  birth_date: 'the birth date it encodes (characters 7-14) must be a real date, not in the future',
  check_digit: 'the check character (18th) does not match the first 17 digits (GB 11643-1999)',
};

export interface StringRule {
  maxLength?: number;
  /** Allow "" (default: a non-blank string is required). */
  allowEmpty?: boolean;
}

export interface IntegerRule {
  min?: number;
}

/**
 * Results of the costlier checks, remembered across the lines of one file: the same people, dates
 * and months recur on many lines. Bounded, so a huge file does not grow it without limit.
 */
export class CheckMemo {
  private static readonly LIMIT = 50_000;
  private readonly identity = new Map<string, string | null>();
  private readonly dates = new Map<string, boolean>();

  constructor(readonly today: string) {}

  /** null when valid, else the problem text. */
  identityProblem(value: string): string | null {
    let problem = this.identity.get(value);
    if (problem === undefined) {
      const check = checkIdentityNumber(value, this.today);
      problem = check.valid ? null : `invalid resident identity number (${check.problem}): ${IDENTITY_RULES[check.problem ?? 'format'] ?? check.message}`;
      if (this.identity.size >= CheckMemo.LIMIT) this.identity.clear();
      this.identity.set(value, problem);
    }
    return problem;
  }

  isRealDate(value: string): boolean {
    let real = this.dates.get(value);
    if (real === undefined) {
      real = isRealDate(value);
      if (this.dates.size >= CheckMemo.LIMIT) this.dates.clear();
      this.dates.set(value, real);
    }
    return real;
  }
}

export class FieldReader {
  readonly problems: string[] = [];
  private readonly today: string;

  constructor(
    private readonly object: Record<string, unknown>,
    private readonly memo: CheckMemo,
  ) {
    this.today = memo.today;
  }

  has(field: string): boolean {
    return this.object[field] !== undefined && this.object[field] !== null;
  }

  problem(field: string, rule: string): void {
    this.problems.push(`${field}: ${rule}`);
  }

  /** Fields not in `allowed` are refused, so a misspelt field never silently loses data. */
  onlyFields(allowed: readonly string[]): void {
    for (const field of Object.keys(this.object)) {
      if (!allowed.includes(field)) this.problem(field, `unknown field (allowed: ${allowed.join(', ')})`);
    }
  }

  string(field: string, rule: StringRule = {}): string {
    const value = this.object[field];
    const maxLength = rule.maxLength ?? 200;
    if (value === undefined || value === null) return this.missing(field, '');
    if (typeof value !== 'string') return this.fail(field, 'must be a string', '');
    if (!rule.allowEmpty && value.trim() === '') return this.fail(field, 'must not be empty', '');
    if (value.length > maxLength) return this.fail(field, `must be at most ${maxLength} characters`, '');
    if (CONTROL_CHARACTERS.test(value)) return this.fail(field, 'must not contain control characters', '');
    return value;
  }

  optionalString(field: string, rule: StringRule = {}): string | undefined {
    return this.has(field) ? this.string(field, rule) : undefined;
  }

  pattern(field: string, pattern: RegExp, description: string): string {
    const value = this.object[field];
    if (value === undefined || value === null) return this.missing(field, '');
    if (typeof value !== 'string' || !pattern.test(value)) return this.fail(field, `must be ${description}`, '');
    return value;
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const value = this.object[field];
    if (value === undefined || value === null) return this.missing(field, values[0]);
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      return this.fail(field, `must be one of ${values.join(', ')}`, values[0]);
    }
    return value as T;
  }

  /** A real calendar date "YYYY-MM-DD"; `notFuture` refuses dates after today. */
  date(field: string, options: { notFuture?: boolean } = {}): string {
    const value = this.object[field];
    if (value === undefined || value === null) return this.missing(field, '');
    if (typeof value !== 'string' || !this.memo.isRealDate(value)) return this.fail(field, 'must be a real date YYYY-MM-DD', '');
    if (options.notFuture && value > this.today) return this.fail(field, `must not be after today (${this.today})`, '');
    return value;
  }

  month(field: string): string {
    const value = this.object[field];
    if (value === undefined || value === null) return this.missing(field, '');
    if (typeof value !== 'string' || !isMonth(value)) return this.fail(field, 'must be a month YYYY-MM (01-12)', '');
    return value;
  }

  /** Integer fen: a JSON number without decimals (not "100", not 12.5), within the safe range. */
  fen(field: string, rule: IntegerRule = {}): number {
    const value = this.object[field];
    if (value === undefined || value === null) return this.missing(field, 0);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      return this.fail(field, 'must be an integer amount in fen (a JSON number without decimals)', 0);
    }
    if (rule.min !== undefined && value < rule.min) {
      return this.fail(field, rule.min === 0 ? 'must not be negative' : `must be at least ${rule.min}`, 0);
    }
    return value;
  }

  /**
   * A decimal with at most two places, returned in hundredths (89.5 -> 8950): floor areas and
   * percentages are stored exactly as integers.
   */
  hundredths(field: string, range: { greaterThan: number; atMost: number; description: string }): number {
    const value = this.object[field];
    if (value === undefined || value === null) return this.missing(field, 0);
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(field, 'must be a number', 0);
    const scaled = Math.round(value * 100);
    if (Math.abs(value * 100 - scaled) > 1e-6) return this.fail(field, 'must have at most 2 decimal places', 0);
    if (!(value > range.greaterThan && value <= range.atMost)) return this.fail(field, `must be ${range.description}`, 0);
    return scaled;
  }

  idNumber(field: string): string {
    const value = this.object[field];
    if (value === undefined || value === null) return this.missing(field, '');
    if (typeof value !== 'string') return this.fail(field, `invalid resident identity number (format): ${IDENTITY_RULES.format}`, '');
    const problem = this.memo.identityProblem(value);
    if (problem !== null) return this.fail(field, problem, '');
    return value;
  }

  private missing<T>(field: string, placeholder: T): T {
    this.problem(field, 'is required');
    return placeholder;
  }

  private fail<T>(field: string, rule: string, placeholder: T): T {
    this.problem(field, rule);
    return placeholder;
  }
}
