/**
 * Money is integer fen. These helpers divide and scale exactly (BigInt), never through floating
 * point, so a report figure is the same on every machine and at every size.
 */

export type Integer = bigint | number;

/** The value as a BigInt; refuses anything that is not an integer (a non-integer amount is a data error). */
export function toBigInt(value: Integer, what = 'value'): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
  return BigInt(value);
}

/** A BigInt back to a number; refuses values a number cannot hold exactly. */
export function toSafeNumber(value: bigint, what = 'value'): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} ${value} does not fit in a safe integer`);
  }
  return Number(value);
}

/**
 * numerator / denominator rounded to the nearest integer, halves away from zero
 * (5 / 2 -> 3, -5 / 2 -> -3, 7 / 3 -> 2). Exact for any integers. Throws on a zero denominator.
 */
export function roundHalfUpDiv(numerator: Integer, denominator: Integer): number {
  return toSafeNumber(roundHalfUpDivBig(toBigInt(numerator, 'numerator'), toBigInt(denominator, 'denominator')), 'quotient');
}

/** roundHalfUpDiv on BigInts, returning a BigInt. */
export function roundHalfUpDivBig(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return negative ? -q : q;
}

/** The largest integer ≤ numerator / denominator (mathematical floor, also for negatives). */
export function floorDivBig(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const q = numerator / denominator;
  const inexact = numerator % denominator !== 0n;
  return inexact && numerator < 0n !== denominator < 0n ? q - 1n : q;
}

/** An exact fraction numerator / denominator (denominator > 0). */
export interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

/**
 * The decimal a number is written as, as an exact fraction: 0.1 -> 1/10, 0.125 -> 125/1000,
 * 1e-7 -> 1/10000000. Uses the shortest decimal that round-trips (what the administrator typed),
 * not the binary approximation, so "10%" is exactly one tenth.
 */
export function decimalFraction(value: number): Fraction {
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(value));
  if (!match) throw new RangeError(`cannot read ${value} as a decimal`);
  const [, sign, whole, fractionDigits = '', exponentText = '0'] = match;
  let numerator = BigInt(whole + fractionDigits);
  const exponent = Number(exponentText) - fractionDigits.length;
  let denominator = 1n;
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator = 10n ** BigInt(-exponent);
  if (sign === '-') numerator = -numerator;
  return { numerator, denominator };
}
