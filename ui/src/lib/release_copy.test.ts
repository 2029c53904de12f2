import { describe, expect, it } from 'vitest';
import { calendarOf, copyFormHint, copyPreview, distanceLabel, isDate, lastRelease, WorkCalendar } from './release_copy';
import type { Release } from './types';

const source: Release = {
  key: 'q1-2025',
  name: 'Q1 2025',
  status: 'testing',
  start: '2025-01-06',
  feature_freeze: '2025-02-14',
  code_freeze: null,
  release_date: '2025-03-01',
  components: [
    { key: 'api', title: 'API', team: 'core', status: 'released', duration_days: 5, start: '2025-01-06', eta: '2025-01-20', done_on: '2025-01-17', updates: [{ date: '2025-01-10', text: 'half way' }] },
    { key: 'ui', title: 'UI', team: 'web', status: 'planning', duration_days: 3 },
  ],
  dependencies: [{ from: 'api', to: 'ui', needed_by: '2025-03-01' }],
  milestones: [
    { key: 'beta', name: 'Beta', components: ['api'], due: '2025-02-05', scenarios: [{ text: 'log in', done: true }, { text: 'pay', done: false }] },
  ],
  checklist: [{ text: 'Sign-off', due: '2025-02-22', done: true, gate: true }],
  deploy_schedule: { date: '2025-03-01', slots: [] },
};

describe('WorkCalendar', () => {
  const cal = new WorkCalendar({ workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: ['2025-02-17'] });

  it('counts working days as the core does, holidays left out', () => {
    // Sat 1 March to Sat 31 May 2025: 65 working days from Mon to Fri.
    expect(new WorkCalendar(null).workingDaysBetween('2025-03-01', '2025-05-31')).toBe(65);
    expect(cal.workingDaysBetween('2025-02-14', '2025-02-18')).toBe(1);
    expect(cal.isWorking('2025-02-17')).toBe(false);
    expect(cal.isWorking('2025-02-18')).toBe(true);
    expect(cal.isWorking('2025-02-15')).toBe(false);
  });

  it('adds working days, a weekend date moving as the next working day', () => {
    expect(cal.addWorkingDays('2025-02-14', 1)).toBe('2025-02-18');
    expect(cal.addWorkingDays('2025-02-15', 0)).toBe('2025-02-18');
    expect(cal.addWorkingDays('2025-02-18', -1)).toBe('2025-02-14');
    expect(new WorkCalendar(null).addWorkingDays('2025-02-05', 65)).toBe('2025-05-07');
  });

  it('refuses a calendar without working days', () => {
    expect(() => new WorkCalendar({ workdays: [] })).toThrow(RangeError);
  });
});

describe('copyPreview', () => {
  it('moves every date by the working-day distance: the documented example', () => {
    const p = copyPreview(source, { workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: ['2025-02-17'] }, '2025-05-31');
    expect(p.distance).toBe(65); // the holiday of 17 February is before both release days
    const to = Object.fromEntries(p.moved.map((m) => [m.what, m.to]));
    expect(to['Release']).toBe('2025-05-31');
    // On the old release day: the new release day, not a shifted one.
    expect(to['api → ui needed by']).toBe('2025-05-31');
    expect(to['Deploy day']).toBe('2025-05-31');
    expect(to['Milestone Beta due']).toBe('2025-05-08');
    // 13 weeks later, plus the day the holiday took between start and release.
    expect(to['Start']).toBe('2025-04-08');
    expect(to['api start']).toBe('2025-04-08');
    expect(p.moved.some((m) => m.what === 'Code freeze')).toBe(false);
  });

  it('without the holiday a date moves 13 calendar weeks', () => {
    const p = copyPreview(source, null, '2025-05-31');
    expect(p.distance).toBe(65);
    expect(p.moved.find((m) => m.what === 'Milestone Beta due')?.to).toBe('2025-05-07');
  });

  it('counts what is reset and what is copied', () => {
    const p = copyPreview(source, null, '2025-05-31');
    expect(p.reset).toEqual({ statuses: 2, etas: 1, doneDates: 1, updates: 1, scenarios: 1, checklist: 1 });
    expect(p.copied).toMatchObject({ components: 2, dependencies: 1, milestones: 1, checklist: 1 });
  });

  it('refuses a bad release date', () => {
    expect(() => copyPreview(source, null, '2025-02-30')).toThrow(RangeError);
  });
});

describe('form hints', () => {
  it('checks source, key and date before sending', () => {
    const ok = { from: 'q1-2025', key: 'q2-2025', releaseDate: '2025-05-31' };
    expect(copyFormHint(ok, ['q1-2025'])).toBeNull();
    expect(copyFormHint({ ...ok, from: '' }, [])).toMatch(/Choose/);
    expect(copyFormHint({ ...ok, key: 'Q2 2025' }, [])).toMatch(/not a key/);
    expect(copyFormHint({ ...ok, key: 'q1-2025' }, ['q1-2025'])).toMatch(/exists/);
    expect(copyFormHint({ ...ok, releaseDate: '31/05/2025' }, [])).toMatch(/not a date/);
    expect(isDate('2025-02-29')).toBe(false);
  });

  it('labels the distance', () => {
    expect(distanceLabel(65)).toBe('move 65 working days later');
    expect(distanceLabel(-1)).toBe('move 1 working day earlier');
    expect(distanceLabel(0)).toMatch(/same/);
  });

  it('starts from the latest current release', () => {
    const list = [
      { key: 'a', release_date: '2025-03-01', archived: false },
      { key: 'b', release_date: '2025-06-01', archived: true },
      { key: 'c', release_date: '2025-04-01', archived: false },
    ];
    expect(lastRelease(list)?.key).toBe('c');
    expect(lastRelease([])).toBeNull();
  });
});

describe('calendarOf', () => {
  it('reads the calendar of a release view, null when there is none', () => {
    expect(calendarOf({ calendar: { workdays: ['mon'] } })).toEqual({ workdays: ['mon'] });
    expect(calendarOf({})).toBeNull();
    expect(calendarOf(null)).toBeNull();
  });
});
