import { chineseDate, fractionAsPercent, maskAccountNumber, monthList, percent, shanghaiDateTime, yuan, yuanOrDash } from './report-pdf.format';

describe('report PDF formatting', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [100, '1.00'],
    [123456, '1,234.56'],
    [-123456, '-1,234.56'],
    [-5, '-0.05'],
    [100000000, '1,000,000.00'],
    [Number.MAX_SAFE_INTEGER, '90,071,992,547,409.91'],
  ])('writes %d fen as %s yuan', (fen, text) => {
    expect(yuan(fen)).toBe(text);
  });

  it('refuses an amount that is not an integer rather than print a wrong figure', () => {
    expect(() => yuan(1.5)).toThrow(RangeError);
    expect(() => yuan(Number.NaN)).toThrow(RangeError);
    expect(yuanOrDash(null)).toBe('—');
    expect(yuanOrDash(undefined)).toBe('—');
  });

  it('writes instants in Beijing time whatever offset they carry', () => {
    expect(shanghaiDateTime('2026-11-01T02:05:09Z')).toBe('2026-11-01 10:05:09');
    expect(shanghaiDateTime('2026-11-01T23:30:00+08:00', false)).toBe('2026-11-01 23:30');
    expect(shanghaiDateTime('2026-10-31T20:00:00-04:00')).toBe('2026-11-01 08:00:00');
    expect(shanghaiDateTime(null)).toBe('—');
    expect(shanghaiDateTime('not a date')).toBe('not a date');
    expect(chineseDate('2026-10-31T16:30:00Z')).toBe('2026年11月01日');
    expect(chineseDate('2026-11-01')).toBe('2026年11月01日');
  });

  it('collapses consecutive months into ranges', () => {
    expect(monthList(['2026-05', '2026-06', '2026-07', '2026-10'])).toBe('2026-05 至 2026-07、2026-10');
    expect(monthList(['2025-12', '2026-01'])).toBe('2025-12 至 2026-01');
    expect(monthList(['2026-03'])).toBe('2026-03');
    expect(monthList([])).toBe('');
  });

  it('masks account numbers and writes shares and fractions as percentages', () => {
    expect(maskAccountNumber('6217000000000300')).toBe('6217 **** 0300');
    expect(maskAccountNumber('ACC-00012')).toBe('****0012');
    expect(maskAccountNumber('123')).toBe('123');
    expect(percent(100)).toBe('100%');
    expect(percent(33.333)).toBe('33.33%');
    expect(fractionAsPercent(0.1)).toBe('10%');
    expect(fractionAsPercent(0.075)).toBe('7.5%');
  });
});
