import fc from 'fast-check';
import {
  OBJECTION_WORKING_DAYS,
  addWorkingDays,
  isWithinObjectionWindow,
  isWorkingDay,
  objectionWindow,
  shanghaiDateOf,
  workingDaysAfter,
} from './working-days';

// November 2026: Mon 2, Tue 3, Wed 4, Thu 5, Fri 6, Sat 7, Sun 8, Mon 9, Tue 10, Wed 11, Thu 12, Fri 13.

describe('isWorkingDay (Monday–Friday; public holidays are not modelled)', () => {
  it.each([
    ['2026-11-02', true, 'Monday'],
    ['2026-11-06', true, 'Friday'],
    ['2026-11-07', false, 'Saturday'],
    ['2026-11-08', false, 'Sunday'],
    ['2026-10-01', true, 'National Day is a Thursday: counted, holidays are not modelled'],
    ['2024-02-29', true, 'a leap day, Thursday'],
    ['1969-12-28', false, 'a Sunday before the epoch'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('refuses what is not a real date', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('2026-2-3')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['2026-11-02', 0, '2026-11-02', 'zero days: the day itself'],
    ['2026-11-07', 0, '2026-11-07', 'zero days from a Saturday: still the Saturday'],
    ['2026-11-02', 1, '2026-11-03', 'Monday + 1'],
    ['2026-11-02', 4, '2026-11-06', 'Monday + 4 = Friday'],
    ['2026-11-02', 5, '2026-11-09', 'Monday + 5 skips the weekend'],
    ['2026-11-04', 5, '2026-11-11', 'Wednesday + 5 = next Wednesday'],
    ['2026-11-06', 1, '2026-11-09', 'Friday + 1 = Monday'],
    ['2026-11-06', 5, '2026-11-13', 'Friday + 5 = next Friday'],
    ['2026-11-07', 1, '2026-11-09', 'Saturday + 1 = Monday'],
    ['2026-11-07', 5, '2026-11-13', 'Saturday + 5 = Friday'],
    ['2026-11-08', 5, '2026-11-13', 'Sunday + 5 = Friday'],
    ['2026-12-31', 1, '2027-01-01', 'across the year'],
    ['2026-12-31', 2, '2027-01-04', 'across the year and a weekend'],
    ['2024-02-29', 1, '2024-03-01', 'after a leap day'],
    ['2026-11-02', 10, '2026-11-16', 'two weeks'],
  ])('%s + %d working days = %s (%s)', (date, count, expected) => {
    expect(addWorkingDays(date, count)).toBe(expected);
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-11-02', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-02', 1.5)).toThrow(RangeError);
  });
});

describe('workingDaysAfter', () => {
  it.each([
    ['2026-11-02', '2026-11-02', 0, 'same day'],
    ['2026-11-02', '2026-11-01', 0, 'to before from'],
    ['2026-11-02', '2026-11-06', 4, 'Monday → Friday'],
    ['2026-11-02', '2026-11-08', 4, 'Monday → Sunday: the weekend adds nothing'],
    ['2026-11-02', '2026-11-09', 5, 'Monday → next Monday'],
    ['2026-11-02', '2026-11-10', 6, 'Monday → 8 calendar days later (Tuesday)'],
    ['2026-11-06', '2026-11-09', 1, 'Friday → Monday'],
    ['2026-11-07', '2026-11-15', 5, 'Saturday → 8 calendar days later (Sunday): still 5'],
  ])('(%s, %s] holds %d working days (%s)', (from, to, expected) => {
    expect(workingDaysAfter(from, to)).toBe(expected);
  });

  it('is the inverse of addWorkingDays (property)', () => {
    const dates = fc.integer({ min: 0, max: 30_000 }).map((d) => new Date(Date.UTC(2000, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 60 }), (date, count) => {
        expect(workingDaysAfter(date, addWorkingDays(date, count))).toBe(count);
      }),
    );
  });
});

describe('shanghaiDateOf', () => {
  it.each([
    ['2026-11-01T15:59:59.999Z', '2026-11-01', 'one millisecond before midnight in Shanghai'],
    ['2026-11-01T16:00:00Z', '2026-11-02', 'midnight in Shanghai'],
    ['2026-11-02T00:30:00+08:00', '2026-11-02', 'written with the Shanghai offset'],
  ])('%s falls on %s (%s)', (instant, expected) => {
    expect(shanghaiDateOf(new Date(instant))).toBe(expected);
  });
});

describe('objection window (5 working days after the day of receipt, to the end of the last day, Asia/Shanghai)', () => {
  it('has 5 working days', () => {
    expect(OBJECTION_WORKING_DAYS).toBe(5);
  });

  it.each([
    // receipt, objection received, in time?, why
    ['2026-11-02T10:00:00+08:00', '2026-11-02T10:00:00+08:00', true, 'the same moment'],
    ['2026-11-02T10:00:00+08:00', '2026-11-06T17:00:00+08:00', true, 'Monday → Friday (4 working days)'],
    ['2026-11-02T10:00:00+08:00', '2026-11-09T23:59:59+08:00', true, 'Monday → the next Monday, last second'],
    ['2026-11-02T10:00:00+08:00', '2026-11-10T00:00:00+08:00', false, 'Monday → Tuesday 00:00, one day late'],
    ['2026-11-02T10:00:00+08:00', '2026-11-10T10:00:00+08:00', false, '8 calendar days later across a weekend'],
    ['2026-11-04T09:00:00+08:00', '2026-11-11T18:00:00+08:00', true, 'Wednesday → next Wednesday'],
    ['2026-11-04T09:00:00+08:00', '2026-11-12T09:00:00+08:00', false, 'Wednesday + 8 calendar days'],
    ['2026-11-06T16:00:00+08:00', '2026-11-13T23:00:00+08:00', true, 'Friday → next Friday'],
    ['2026-11-07T09:00:00+08:00', '2026-11-13T23:00:00+08:00', true, 'received on a Saturday: until Friday'],
    ['2026-11-07T09:00:00+08:00', '2026-11-15T09:00:00+08:00', false, 'Saturday + 8 calendar days: the window closed on Friday'],
    ['2026-11-07T09:00:00+08:00', '2026-11-16T00:00:01+08:00', false, 'Saturday → Monday after next'],
    ['2026-11-01T17:00:00Z', '2026-11-09T15:59:59Z', true, 'receipt given in UTC counts on its Shanghai day (Monday the 2nd)'],
    ['2026-11-01T17:00:00Z', '2026-11-09T16:00:00Z', false, '…and the window ends at midnight Shanghai time'],
  ])('receipt %s, objection %s → %s (%s)', (receipt, objection, expected) => {
    expect(isWithinObjectionWindow(new Date(receipt), new Date(objection))).toBe(expected);
  });

  it('names the day of receipt, the last day and the closing instant', () => {
    const window = objectionWindow(new Date('2026-11-04T09:00:00+08:00'));
    expect(window).toEqual({ receivedOn: '2026-11-04', lastDay: '2026-11-11', closesAt: new Date('2026-11-12T00:00:00+08:00') });
  });
});
