import chineseDays from 'chinese-days';
import { isIsoDate } from '../../core/dates.js';

/**
 * Working days on the Chinese calendar: weekends and public holidays off, 调休 make-up days on
 * (data from the maintained `chinese-days` package). The State Council announces a year's holidays
 * late in the year before; for a year the package has no data for yet, weekdays stand in and the
 * result is marked provisional until the data arrives (a package update).
 */

const DAY = 86_400_000;

function toDate(iso: string): Date {
  if (!isIsoDate(iso)) throw new Error(`日期格式应为 YYYY-MM-DD：${iso}`);
  return new Date(`${iso}T00:00:00Z`);
}

function isoOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const known = new Map<number, boolean>();

/** Whether the calendar data covers the year (it lists at least one public holiday on a weekday). */
export function hasHolidayData(year: number): boolean {
  let value = known.get(year);
  if (value === undefined) {
    value = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    known.set(year, value);
  }
  return value;
}

export function isWorkingDay(iso: string): boolean {
  const date = toDate(iso);
  if (!hasHolidayData(date.getUTCFullYear())) {
    const day = date.getUTCDay();
    return day !== 0 && day !== 6;
  }
  return chineseDays.isWorkday(iso);
}

export interface Deadline {
  /** The last day that still counts (YYYY-MM-DD). */
  due: string;
  /** True when a year on the way has no holiday data yet: weekdays were used. */
  provisional: boolean;
}

/** The n-th working day after `from` (the day itself does not count): “within n working days”. */
export function addWorkingDays(from: string, n: number): Deadline {
  let date = toDate(from);
  let provisional = !hasHolidayData(date.getUTCFullYear());
  let left = n;
  while (left > 0) {
    date = new Date(date.getTime() + DAY);
    if (!hasHolidayData(date.getUTCFullYear())) provisional = true;
    if (isWorkingDay(isoOf(date))) left--;
  }
  return { due: isoOf(date), provisional };
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let date = toDate(from).getTime() + DAY; date <= toDate(to).getTime(); date += DAY) {
    if (isWorkingDay(isoOf(new Date(date)))) count++;
  }
  return count;
}

/**
 * The latest start day whose n-working-day deadline falls before `limit` — so "deadline before
 * limit" becomes "start ≤ that day", a plain date comparison the database can index. Deadlines
 * never move backwards as the start moves forwards, so the first day found walking back is it.
 */
export function latestStartWithDeadlineBefore(limit: string, n: number): string {
  let date = toDate(limit).getTime() - DAY;
  while (addWorkingDays(isoOf(new Date(date)), n).due >= limit) date -= DAY;
  return isoOf(new Date(date));
}
