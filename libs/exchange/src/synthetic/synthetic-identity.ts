/**
 * Unique synthetic identity numbers without a registry of used ones (so generation streams):
 * person slot p (household index x MAX_MEMBERS + member slot) is scrambled by a seed-dependent
 * bijection into (sequence, birth region, day of year); the birth year is free (it follows the
 * person's age). Two people differ in at least one of sequence, region or birth day, so their
 * numbers differ — across the whole data set of one seed.
 */
import { makeIdentityNumber } from '@verihub/domain';
import { mixSeed } from './prng';
import { BIRTH_REGIONS } from './synthetic-vocabulary';

export const MAX_MEMBERS = 6;

const SEQUENCE_SLOTS = 499; // sequence 2k-1 (men) or 2k (women), k = 1..499
const DAYS = 365; // no 29 February
const CAPACITY = SEQUENCE_SLOTS * BIRTH_REGIONS.length * DAYS;
const MULTIPLIER = 1_000_003;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
if (gcd(MULTIPLIER, CAPACITY) !== 1) throw new Error('synthetic identity scramble is not a bijection');

/** The largest household count whose people all get distinct identity numbers. */
export const MAX_SYNTHETIC_HOUSEHOLDS = Math.floor(CAPACITY / MAX_MEMBERS);

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function monthDayOf(dayOfYear: number): string {
  let day = dayOfYear;
  let month = 0;
  while (day >= MONTH_DAYS[month]) day -= MONTH_DAYS[month++];
  return `${String(month + 1).padStart(2, '0')}-${String(day + 1).padStart(2, '0')}`;
}

export interface SyntheticIdentitySlot {
  /** "MM-DD" */
  monthDay: string;
  birthRegion: string;
  /** 1..499: sequence is 2k-1 for a man, 2k for a woman. */
  k: number;
}

export function identitySlot(seed: number, household: number, member: number): SyntheticIdentitySlot {
  if (member < 0 || member >= MAX_MEMBERS) throw new Error(`member slot ${member} out of range`);
  const p = household * MAX_MEMBERS + member;
  if (p >= CAPACITY) throw new Error(`at most ${MAX_SYNTHETIC_HOUSEHOLDS} synthetic households have distinct identity numbers`);
  const offset = mixSeed(seed, 0x1d1d) % CAPACITY;
  const scrambled = (p * MULTIPLIER + offset) % CAPACITY;
  const k = (scrambled % SEQUENCE_SLOTS) + 1;
  const rest = Math.floor(scrambled / SEQUENCE_SLOTS);
  const birthRegion = BIRTH_REGIONS[rest % BIRTH_REGIONS.length];
  const monthDay = monthDayOf(Math.floor(rest / BIRTH_REGIONS.length));
  return { monthDay, birthRegion, k };
}

export function syntheticIdentityNumber(slot: SyntheticIdentitySlot, birthYear: number, sex: 'M' | 'F'): { idNumber: string; birthDate: string } {
  const birthDate = `${birthYear}-${slot.monthDay}`;
  const sequence = sex === 'M' ? 2 * slot.k - 1 : 2 * slot.k;
  return { idNumber: makeIdentityNumber(slot.birthRegion, birthDate, sequence), birthDate };
}
