import { areaToCentiM2 } from './policy';

describe('areaToCentiM2: an area in m² as whole centi-m², exactly as written', () => {
  it.each<[unknown, number | null]>([
    [15, 1500],
    [15.1, 1510],
    [15.01, 1501],
    [0.29, 29], // 0.29 × 100 is 28.999… in floating point
    [29.83, 2983],
    [0, 0],
    [100_000, 10_000_000],
    [15.005, null],
    [1e-7, null],
    [-1, null],
    [-0.01, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    ['15', null],
    [null, null],
    [undefined, null],
  ])('%p → %p', (value, centi) => {
    expect(areaToCentiM2(value)).toBe(centi);
  });
});
