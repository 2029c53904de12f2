// "New release from...": what copying a release under a new release date does,
// shown before anything is saved. The copy itself is made by the core
// (src-tauri/views/copy.rs, `copy_release_from`); this mirrors its rules so the
// dialog can say which dates move where and what is reset:
//
// - every date moves by the distance between the two release dates in working
//   days of the workspace calendar (a date on the old release day becomes the
//   new release day; one on a weekend or holiday moves as the next working day);
// - statuses go back to Planning, ETAs, done dates and status updates are
//   dropped, scenarios and checklist items are unticked.

import { dayNumber } from './calendar';
import type { Release } from './types';

/** A working calendar as the plan writes it (`calendar` of the workspace). */
export interface CalendarLike {
  workdays?: string[];
  holidays?: string[];
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DEFAULT_WORKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const MS_PER_DAY = 86_400_000;

// Day numbers here count from Monday 1969-12-29, so `d mod 7` is the weekday (Monday 0).
const fromIso = (iso: string): number => dayNumber(iso) + 3;
const toIso = (d: number): string => new Date((d - 3) * MS_PER_DAY).toISOString().slice(0, 10);
const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** Count of sorted `xs` that satisfy `below` (a prefix of the array). */
function partition(xs: readonly number[], below: (x: number) => boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (below(xs[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The working-day arithmetic of src-tauri/schedule/calendar.rs: a weekly
 * pattern of working days minus holidays, every day mapped to the number of
 * working days before it.
 */
export class WorkCalendar {
  private readonly workday: boolean[];
  private readonly before: number[];
  private readonly nth: number[];
  private readonly perWeek: number;
  private readonly holidays: number[];
  private readonly shifted: number[];

  constructor(calendar: CalendarLike | null | undefined) {
    const days = calendar?.workdays ?? DEFAULT_WORKDAYS;
    this.workday = WEEKDAYS.map((d) => days.includes(d));
    this.before = [0];
    this.nth = [];
    this.workday.forEach((w, i) => {
      this.before.push(this.before[i]! + (w ? 1 : 0));
      if (w) this.nth.push(i);
    });
    this.perWeek = this.nth.length;
    if (this.perWeek === 0) throw new RangeError('the calendar has no working day');
    const hs = (calendar?.holidays ?? [])
      .map(fromIso)
      .filter((d) => this.workday[mod(d, 7)])
      .map((d) => this.patternBefore(d))
      .sort((a, b) => a - b);
    this.holidays = hs.filter((h, i) => i === 0 || hs[i - 1] !== h);
    this.shifted = this.holidays.map((h, j) => h - j);
  }

  private patternBefore(d: number): number {
    return Math.floor(d / 7) * this.perWeek + this.before[mod(d, 7)]!;
  }

  private workingBefore(d: number): number {
    const p = this.patternBefore(d);
    return p - partition(this.holidays, (h) => h < p);
  }

  isWorking(iso: string): boolean {
    const d = fromIso(iso);
    if (!this.workday[mod(d, 7)]) return false;
    const p = this.patternBefore(d);
    const at = partition(this.holidays, (h) => h < p);
    return this.holidays[at] !== p;
  }

  /** The ordinal of `iso` when a working day, else of the next working day. */
  onOrAfter(iso: string): number {
    return this.workingBefore(fromIso(iso));
  }

  /** The working day with ordinal `w`. */
  date(w: number): string {
    const pattern = w + partition(this.shifted, (s) => s <= w);
    const weekStart = Math.floor(pattern / this.perWeek) * 7;
    return toIso(weekStart + this.nth[mod(pattern, this.perWeek)]!);
  }

  /** `n` working days after `iso` (after the next working day when it is not one); `n` may be negative. */
  addWorkingDays(iso: string, n: number): string {
    return this.date(this.onOrAfter(iso) + n);
  }

  /** Working days from `a` to `b`: 0 on the same working day, negative when `b` is earlier. */
  workingDaysBetween(a: string, b: string): number {
    return this.onOrAfter(b) - this.onOrAfter(a);
  }
}

/** One date of the source release and where the copy puts it. */
export interface MovedDate {
  /** What the date is, for the reader: "Code freeze", "Milestone Beta due". */
  what: string;
  from: string;
  to: string;
}

/** What copying `release` to a new release date does. */
export interface CopyPreview {
  /** Working days between the two release dates (negative: the copy is earlier). */
  distance: number;
  moved: MovedDate[];
  /** Counts of what is reset or dropped (0: nothing to reset of that kind). */
  reset: {
    statuses: number;
    etas: number;
    doneDates: number;
    updates: number;
    scenarios: number;
    checklist: number;
  };
  /** What is copied as it is: counts shown so the user sees nothing is lost. */
  copied: { components: number; dependencies: number; milestones: number; checklist: number; deploys: number; triggers: number };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Is `s` a calendar date `YYYY-MM-DD` (2025-02-30 is not)? */
export function isDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  try {
    dayNumber(s);
    return true;
  } catch {
    return false;
  }
}

/** The plan's key rule (src-tauri/plan/validate/mod.rs `is_valid_key`). */
export function isValidKey(s: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{0,63}$/.test(s);
}

/** What is wrong with the form before it is sent, or null: shown as a hint, the core has the last word. */
export function copyFormHint(form: { from: string; key: string; releaseDate: string }, taken: readonly string[]): string | null {
  const key = form.key.trim();
  if (!form.from) return 'Choose the release to copy.';
  if (key === '') return 'Give the new release a key.';
  if (!isValidKey(key)) return `"${key}" is not a key: use 1 to 64 of a-z 0-9 . _ - starting with a letter or digit.`;
  if (taken.includes(key)) return `A release with key "${key}" exists already.`;
  if (form.releaseDate.trim() === '') return 'Give the new release date.';
  if (!isDate(form.releaseDate.trim())) return `"${form.releaseDate}" is not a date (YYYY-MM-DD).`;
  return null;
}

/**
 * What copying `release` to one released on `releaseDate` does, on the
 * workspace `calendar` (null: Monday to Friday, no holidays). Throws a
 * RangeError on a bad date or a calendar without working days.
 */
export function copyPreview(release: Release, calendar: CalendarLike | null | undefined, releaseDate: string): CopyPreview {
  if (!isDate(releaseDate)) throw new RangeError(`not a date (YYYY-MM-DD): "${releaseDate}"`);
  const cal = new WorkCalendar(calendar);
  const distance = cal.workingDaysBetween(release.release_date, releaseDate);
  const shift = (d: string): string => (d === release.release_date ? releaseDate : cal.addWorkingDays(d, distance));
  const moved: MovedDate[] = [];
  const move = (what: string, d: string | null | undefined) => {
    if (d) moved.push({ what, from: d, to: shift(d) });
  };
  move('Start', release.start);
  move('Feature freeze', release.feature_freeze);
  move('Code freeze', release.code_freeze);
  moved.push({ what: 'Release', from: release.release_date, to: releaseDate });
  for (const c of release.components) move(`${c.key} start`, c.start);
  for (const d of release.dependencies ?? []) move(`${d.from} → ${d.to} needed by`, d.needed_by);
  for (const m of release.milestones ?? []) move(`Milestone ${m.name} due`, m.due);
  for (const item of release.checklist ?? []) move(`Checklist "${item.text}" due`, item.due);
  move('Deploy day', release.deploy_schedule?.date);

  const cs = release.components;
  const milestones = release.milestones ?? [];
  const checklist = release.checklist ?? [];
  return {
    distance,
    moved,
    reset: {
      statuses: cs.filter((c) => c.status !== 'planning').length + (release.status !== 'planning' ? 1 : 0),
      etas: cs.filter((c) => c.eta).length,
      doneDates: cs.filter((c) => c.done_on).length,
      updates: cs.reduce((n, c) => n + (c.updates?.length ?? 0), 0),
      scenarios: milestones.reduce((n, m) => n + (m.scenarios ?? []).filter((s) => s.done).length, 0),
      checklist: checklist.filter((i) => i.done).length,
    },
    copied: {
      components: cs.length,
      dependencies: release.dependencies?.length ?? 0,
      milestones: milestones.length,
      checklist: checklist.length,
      deploys: cs.filter((c) => c.deploy).length,
      triggers: release.rollback_triggers?.length ?? 0,
    },
  };
}

/** "moves 65 working days later", "stays on the same working day", "moves 3 working days earlier". */
export function distanceLabel(distance: number): string {
  if (distance === 0) return 'stay on the same working days';
  const n = Math.abs(distance);
  return `move ${n} working day${n === 1 ? '' : 's'} ${distance > 0 ? 'later' : 'earlier'}`;
}

/** The release a copy most likely starts from: the latest current (not archived) one by release date. */
export function lastRelease<R extends { key: string; release_date: string; archived?: boolean }>(list: readonly R[]): R | null {
  const pool = list.some((r) => !r.archived) ? list.filter((r) => !r.archived) : list;
  return pool.reduce<R | null>((best, r) => (best === null || r.release_date > best.release_date ? r : best), null);
}

/**
 * The workspace calendar a release view carries (`calendar` of `load_release`),
 * or null (Monday to Friday) when it carries none.
 */
export function calendarOf(view: object | null | undefined): CalendarLike | null {
  return (view as { calendar?: CalendarLike | null } | null | undefined)?.calendar ?? null;
}
