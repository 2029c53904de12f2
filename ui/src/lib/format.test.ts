import { describe, expect, it } from 'vitest';
import { dateOrDash, historyValue, signedDays } from './format';

describe('signedDays', () => {
  it('signs working days', () => {
    expect(signedDays(3)).toBe('+3 wd');
    expect(signedDays(-2)).toBe('−2 wd');
    expect(signedDays(0)).toBe('0 wd');
    expect(signedDays(null)).toBe('—');
  });
});

describe('dateOrDash', () => {
  it('formats a date, dashes a missing one', () => {
    expect(dateOrDash('2025-02-03')).toBe('3 Feb 2025');
    expect(dateOrDash(null)).toBe('—');
  });
});

describe('historyValue', () => {
  it('reads the JSON the history stores', () => {
    expect(historyValue('"2025-02-04"')).toBe('2025-02-04');
    expect(historyValue('12')).toBe('12');
    expect(historyValue(null)).toBe('∅');
    expect(historyValue('null')).toBe('∅');
    expect(historyValue('["a","b"]')).toBe('a, b');
    expect(historyValue('{"from":"a","to":"b","needed_by":"2025-02-01"}')).toBe('a → b');
    expect(historyValue('{"date":"2025-01-28","text":"on track"}')).toBe('on track');
    expect(historyValue('in_development')).toBe('in_development');
  });
});
