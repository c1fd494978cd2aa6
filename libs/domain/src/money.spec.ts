import fc from 'fast-check';
import { decimalFraction, floorDivBig, roundHalfUpDiv } from './money';

describe('roundHalfUpDiv (half away from zero, exact)', () => {
  it.each([
    // numerator, denominator, expected, why
    [6, 12, 1, '0.5 rounds up'],
    [-6, 12, -1, '-0.5 rounds away from zero'],
    [5, 12, 0, '0.4166… rounds down'],
    [-5, 12, 0, '-0.4166… rounds toward zero'],
    [150006, 12, 12501, '12500.5 -> 12501'],
    [-150006, 12, -12501, '-12500.5 -> -12501'],
    [7, 3, 2, '2.33…'],
    [8, 3, 3, '2.66…'],
    [36, 24, 2, '1.5'],
    [0, 7, 0, 'zero'],
    [5, -2, -3, 'negative denominator: -2.5 -> -3'],
    [-5, -2, 3, 'both negative: 2.5 -> 3'],
  ])('%d / %d = %d (%s)', (n, d, expected) => {
    expect(roundHalfUpDiv(n, d)).toBe(expected);
  });

  it('is exact beyond floating point: (2^53 + 1) / 2 as BigInt', () => {
    // 9007199254740993 / 2 = 4503599627370496.5 -> 4503599627370497 (a float divide would say …496)
    expect(roundHalfUpDiv(9007199254740993n, 2n)).toBe(4503599627370497);
  });

  it('refuses a zero denominator and non-integers', () => {
    expect(() => roundHalfUpDiv(1, 0)).toThrow(RangeError);
    expect(() => roundHalfUpDiv(1.5, 2)).toThrow(RangeError);
  });

  it('is within half of the exact quotient, and halves go away from zero (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const abs = (x: bigint) => (x < 0n ? -x : x);
        const q = BigInt(roundHalfUpDiv(n, d));
        const err = abs(q * d - n); // |q − n/d| scaled by d
        expect(2n * err <= d).toBe(true);
        if (2n * err === d) expect(abs(q) * d > abs(n)).toBe(true); // a tie went away from zero
        expect(roundHalfUpDiv(-n, d)).toBe(q === 0n ? 0 : -Number(q)); // symmetric
      }),
    );
  });
});

describe('floorDivBig', () => {
  it.each([
    [7n, 2n, 3n],
    [-7n, 2n, -4n],
    [6n, 3n, 2n],
    [-6n, 3n, -2n],
    [7n, -2n, -4n],
  ])('floor(%s / %s) = %s', (n, d, expected) => {
    expect(floorDivBig(n, d)).toBe(expected);
  });
});

describe('decimalFraction (the decimal the policy states, exactly)', () => {
  it.each([
    [0.1, 1n, 10n],
    [0.57, 57n, 100n],
    [0.125, 125n, 1000n],
    [1e-7, 1n, 10000000n],
    [2.5e-8, 25n, 1000000000n],
    [1, 1n, 1n],
    [12, 12n, 1n],
    [1e21, 10n ** 21n, 1n],
    [-0.25, -25n, 100n],
  ])('%p = %s/%s', (value, numerator, denominator) => {
    expect(decimalFraction(value)).toEqual({ numerator, denominator });
  });

  it('refuses NaN and infinities', () => {
    expect(() => decimalFraction(Number.NaN)).toThrow(RangeError);
    expect(() => decimalFraction(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
