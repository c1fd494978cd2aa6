/**
 * Working days and the objection window (domain.md section 2: an objection, 异议, is raised within
 * 5 working days of the household's receipt of the report).
 *
 * Days are calendar days in Asia/Shanghai (UTC+8, no daylight saving). A working day is Monday to
 * Friday. Public holidays (春节, 国庆 …) and the make-up working weekends around them (调休) are NOT
 * modelled: a holiday on a weekday counts as a working day, a make-up Saturday does not. The window is
 * therefore sometimes shorter than the statutory one, never longer; an office that needs the exact
 * calendar records the objection with the date it was received and decides the borderline case itself.
 */

/** Working days a household has to object after receiving the report. */
export const OBJECTION_WORKING_DAYS = 5;

const DAY_MS = 24 * 3600_000;
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayNumber(date: string): number {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a date written YYYY-MM-DD`);
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`"${date}" is not a real date`);
  return ms / DAY_MS;
}

function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day (YYYY-MM-DD) an instant falls on in Asia/Shanghai. */
export function shanghaiDateOf(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('not a valid instant');
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Monday to Friday (public holidays are not modelled, see the module comment). */
export function isWorkingDay(date: string): boolean {
  // Day 0 of the epoch, 1970-01-01, was a Thursday.
  const weekday = (((dayNumber(date) + 4) % 7) + 7) % 7; // 0 = Sunday … 6 = Saturday
  return weekday >= 1 && weekday <= 5;
}

/** The date `count` working days after `date` (count ≥ 0; 0 gives `date` itself, whatever day it is). */
export function addWorkingDays(date: string, count: number): string {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, not ${count}`);
  let day = dayNumber(date);
  for (let left = count; left > 0; ) {
    day += 1;
    if (isWorkingDay(dateOfDayNumber(day))) left -= 1;
  }
  return dateOfDayNumber(day);
}

/** How many working days d there are with `from` < d ≤ `to` (0 when `to` is not after `from`). */
export function workingDaysAfter(from: string, to: string): number {
  const start = dayNumber(from);
  const end = dayNumber(to);
  let count = 0;
  for (let day = start + 1; day <= end; day += 1) {
    if (isWorkingDay(dateOfDayNumber(day))) count += 1;
  }
  return count;
}

export interface ObjectionWindow {
  /** The Shanghai day the household received the report. */
  receivedOn: string;
  /** The last day an objection is accepted: the 5th working day after receivedOn. */
  lastDay: string;
  /** The end of lastDay (24:00 Asia/Shanghai): an objection received before this instant is in time. */
  closesAt: Date;
}

/**
 * The window for objecting to a report received at `receipt`: the rest of the day of receipt and the
 * following `workingDays` working days, each to its end (Asia/Shanghai). Received on a Monday → the
 * window closes at the end of the next Monday; received on a Saturday → at the end of the next Friday.
 */
export function objectionWindow(receipt: Date, workingDays: number = OBJECTION_WORKING_DAYS): ObjectionWindow {
  const receivedOn = shanghaiDateOf(receipt);
  const lastDay = addWorkingDays(receivedOn, workingDays);
  const closesAt = new Date((dayNumber(lastDay) + 1) * DAY_MS - SHANGHAI_OFFSET_MS);
  return { receivedOn, lastDay, closesAt };
}

/** Whether an objection received at `objection` is in time for a report received at `receipt`. */
export function isWithinObjectionWindow(receipt: Date, objection: Date, workingDays: number = OBJECTION_WORKING_DAYS): boolean {
  return objection.getTime() < objectionWindow(receipt, workingDays).closesAt.getTime();
}
