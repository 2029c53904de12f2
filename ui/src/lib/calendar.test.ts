import { describe, expect, it } from 'vitest';
import { dayNumber, daysBetween, formatDate, localToday, nearness, optionalDay, relativeDays } from './calendar';

describe('dayNumber', () => {
  it('counts days since 1970-01-01', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('2025-01-01')).toBe(20089);
  });

  it('refuses what is not a calendar date', () => {
    expect(() => dayNumber('2025-2-3')).toThrow(RangeError);
    expect(() => dayNumber('2025-02-03T10:00:00Z')).toThrow(RangeError);
    expect(() => dayNumber('')).toThrow('not a calendar date');
    expect(() => dayNumber('2025-02-30')).toThrow('no such date: "2025-02-30"');
    expect(() => dayNumber('2025-13-01')).toThrow('no such date');
  });

  it('knows leap years', () => {
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2);
    expect(dayNumber('2025-03-01') - dayNumber('2025-02-28')).toBe(1);
    expect(() => dayNumber('2025-02-29')).toThrow('no such date');
  });
});

describe('daysBetween', () => {
  it('is positive forwards, negative backwards, zero on the same day', () => {
    expect(daysBetween('2025-01-20', '2025-02-01')).toBe(12);
    expect(daysBetween('2025-02-01', '2025-01-29')).toBe(-3);
    expect(daysBetween('2025-02-01', '2025-02-01')).toBe(0);
  });

  it('counts calendar days across daylight-saving changes and year ends', () => {
    // Europe and the US move their clocks in these weeks; a date is still one day.
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
    expect(daysBetween('2025-10-25', '2025-10-27')).toBe(2);
    expect(daysBetween('2024-12-31', '2025-01-01')).toBe(1);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });
});

describe('localToday', () => {
  it('writes the local date, zero-padded', () => {
    expect(localToday(new Date(2025, 0, 5, 23, 59))).toBe('2025-01-05');
    expect(localToday(new Date(2025, 11, 31, 0, 0))).toBe('2025-12-31');
  });
});

describe('relativeDays', () => {
  it('says today, in N days and N days ago', () => {
    expect(relativeDays(0)).toBe('today');
    expect(relativeDays(12)).toBe('in 12 days');
    expect(relativeDays(-3)).toBe('3 days ago');
  });

  it('uses the singular for one day', () => {
    expect(relativeDays(1)).toBe('in 1 day');
    expect(relativeDays(-1)).toBe('1 day ago');
  });
});

describe('nearness', () => {
  it('sorts days into past, today, soon and later', () => {
    expect(nearness(-1)).toBe('past');
    expect(nearness(0)).toBe('today');
    expect(nearness(1)).toBe('soon');
    expect(nearness(7)).toBe('soon');
    expect(nearness(8)).toBe('later');
    expect(nearness(8, 14)).toBe('soon');
  });
});

describe('formatDate', () => {
  it('writes day, short month and year', () => {
    expect(formatDate('2025-02-03')).toBe('3 Feb 2025');
    expect(formatDate('2024-12-31')).toBe('31 Dec 2024');
    expect(formatDate('2025-01-01')).toBe('1 Jan 2025');
  });
});

describe('optionalDay', () => {
  it('is null when empty, the day when it is one, else an error naming the field', () => {
    expect(optionalDay('  ', 'since')).toEqual({ day: null });
    expect(optionalDay(' 2025-02-15 ', 'baseline')).toEqual({ day: '2025-02-15' });
    expect(optionalDay('2025-13-01', 'since')).toEqual({
      error: { code: 'bad_date', message: '"2025-13-01" is not a date: write it as YYYY-MM-DD', path: 'since' },
    });
  });
});
