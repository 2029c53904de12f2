// Calendar dates (`YYYY-MM-DD`, no time, no zone) and how far they are from today.
//
// Differences are counted in calendar days: a date is a whole day wherever the
// user is, so the arithmetic runs on UTC day numbers and a daylight-saving change
// never makes "tomorrow" 0 or 2 days away.

import type { AppError } from './error';
import { isIsoDate } from './milestone_edit';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// The views ask for the same few hundred dates thousands of times per
// layout (a 1,000-component timeline: six per component); parsed once each.
const DAY_NUMBERS = new Map<string, number>();
const DAY_NUMBERS_MAX = 20_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date; throws on anything else, 2025-02-30 included. */
export function dayNumber(iso: string): number {
  const known = DAY_NUMBERS.get(iso);
  if (known !== undefined) return known;
  const day = parseDay(iso);
  if (DAY_NUMBERS.size >= DAY_NUMBERS_MAX) DAY_NUMBERS.clear();
  DAY_NUMBERS.set(iso, day);
  return day;
}

function parseDay(iso: string): number {
  const match = ISO_DATE.exec(iso);
  if (!match) throw new RangeError(`not a calendar date (YYYY-MM-DD): "${iso}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`no such date: "${iso}"`);
  }
  return ms / MS_PER_DAY;
}

/** Today's date on the user's clock, as `YYYY-MM-DD`. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole calendar days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** "in 12 days", "in 1 day", "today", "1 day ago", "3 days ago". */
export function relativeDays(days: number): string {
  if (days === 0) return 'today';
  const n = Math.abs(days);
  const unit = n === 1 ? 'day' : 'days';
  return days > 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}

/** How close a date is, for colouring it: gone by, today, within `soonDays`, or later. */
export type Nearness = 'past' | 'today' | 'soon' | 'later';

export function nearness(days: number, soonDays = 7): Nearness {
  if (days < 0) return 'past';
  if (days === 0) return 'today';
  return days <= soonDays ? 'soon' : 'later';
}

/** "3 Feb 2025": the same in every locale, unlike toLocaleDateString. */
export function formatDate(iso: string): string {
  const date = new Date(dayNumber(iso) * MS_PER_DAY);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/**
 * An optional day typed into a filter (`since`, a baseline): null when left
 * empty, else the day, or the error to show beside the field (`path`).
 */
export function optionalDay(text: string, path: string): { day: string | null } | { error: AppError } {
  const day = text.trim();
  if (day === '') return { day: null };
  if (!isIsoDate(day)) return { error: { code: 'bad_date', message: `"${day}" is not a date: write it as YYYY-MM-DD`, path } };
  return { day };
}
