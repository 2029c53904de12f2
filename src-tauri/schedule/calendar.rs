//! The working-day calendar as an index: every date maps to a working-day
//! ordinal and back in constant time (a binary search over the holidays, which
//! are few), so "n working days after d" is one addition.
//!
//! An ordinal ([`WorkDay`]) counts the working days before a day, from
//! 0001-01-01 (a Monday). Two working days' ordinals differ by the number of
//! working days between them; the passes work on ordinals only.

use crate::error::{Code, Error, Result};
use crate::plan::{Calendar, Date};
use chrono::{Datelike, NaiveDate};

/// The position of a working day: how many working days come before it.
pub type WorkDay = i64;

/// A [`Calendar`] compiled for arithmetic: a weekly pattern plus the holidays
/// that fall on pattern days, as sorted positions among the pattern days.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    /// Is weekday `i` (Monday = 0) a working day of the pattern?
    workday: [bool; 7],
    /// `before[i]`: pattern days among weekdays `0..i`.
    before: [i64; 8],
    /// `nth[k]`: the weekday of the week's `k`-th pattern day.
    nth: [i64; 7],
    per_week: i64,
    /// Holidays that fall on pattern days, as pattern-day positions, sorted, unique.
    holidays: Vec<i64>,
    /// `holidays[j] - j`: the ordinal of the first working day after holiday `j`.
    shifted: Vec<i64>,
}

/// Days since 0001-01-01, which is a Monday: `day.rem_euclid(7)` is the weekday.
fn day_number(d: Date) -> i64 {
    i64::from(d.0.num_days_from_ce()) - 1
}

impl WorkCalendar {
    /// Compiles a calendar. Fails when no weekday is a working day.
    pub fn new(calendar: &Calendar) -> Result<WorkCalendar> {
        let mut workday = [false; 7];
        for d in &calendar.workdays {
            workday[d.weekday().num_days_from_monday() as usize] = true;
        }
        let mut before = [0i64; 8];
        let mut nth = [0i64; 7];
        let mut per_week = 0;
        for (i, &w) in workday.iter().enumerate() {
            before[i + 1] = before[i] + i64::from(w);
            if w {
                nth[per_week as usize] = i as i64;
                per_week += 1;
            }
        }
        if per_week == 0 {
            return Err(Error::invalid(
                Code::BadValue,
                "calendar.workdays",
                "at least one working day is needed",
            ));
        }
        let mut cal = WorkCalendar {
            workday,
            before,
            nth,
            per_week,
            holidays: Vec::new(),
            shifted: Vec::new(),
        };
        let mut holidays: Vec<i64> = calendar
            .holidays
            .iter()
            .map(|&h| day_number(h))
            .filter(|&d| cal.workday[d.rem_euclid(7) as usize])
            .map(|d| cal.pattern_before(d))
            .collect();
        holidays.sort_unstable();
        holidays.dedup();
        cal.shifted = holidays
            .iter()
            .enumerate()
            .map(|(j, &h)| h - j as i64)
            .collect();
        cal.holidays = holidays;
        Ok(cal)
    }

    /// Pattern days strictly before day number `d` (holidays included).
    fn pattern_before(&self, d: i64) -> i64 {
        d.div_euclid(7) * self.per_week + self.before[d.rem_euclid(7) as usize]
    }

    /// Working days strictly before day number `d`.
    fn working_before(&self, d: i64) -> WorkDay {
        let p = self.pattern_before(d);
        p - self.holidays.partition_point(|&h| h < p) as i64
    }

    /// Is `d` a working day: a pattern weekday that is not a holiday?
    pub fn is_working(&self, d: Date) -> bool {
        let n = day_number(d);
        self.workday[n.rem_euclid(7) as usize]
            && self
                .holidays
                .binary_search(&self.pattern_before(n))
                .is_err()
    }

    /// The ordinal of `d` when it is a working day, else of the next working day.
    /// This is how a given start, eta or done date enters the schedule.
    pub fn on_or_after(&self, d: Date) -> WorkDay {
        self.working_before(day_number(d))
    }

    /// The ordinal of `d` when it is a working day, else of the working day
    /// before it. This is how a deadline (needed by, due, freeze) is judged: a
    /// finish on that working day meets a deadline on the following weekend.
    pub fn on_or_before(&self, d: Date) -> WorkDay {
        self.working_before(day_number(d) + 1) - 1
    }

    /// The working day with ordinal `w`; `None` past the range of [`Date`].
    pub fn date(&self, w: WorkDay) -> Option<Date> {
        let pattern = w.checked_add(self.shifted.partition_point(|&s| s <= w) as i64)?;
        let week_start = pattern.div_euclid(self.per_week).checked_mul(7)?;
        let day =
            week_start.checked_add(self.nth[pattern.rem_euclid(self.per_week) as usize] + 1)?;
        let ce = i32::try_from(day).ok()?;
        NaiveDate::from_num_days_from_ce_opt(ce).map(Date)
    }

    /// The working day `n` working days after `d` (after the next working day
    /// when `d` is not one); `n` may be negative. `None` past the range of [`Date`].
    pub fn add_working_days(&self, d: Date, n: i64) -> Option<Date> {
        self.date(self.on_or_after(d).checked_add(n)?)
    }

    /// Working days from `a` to `b`, as ordinals differ: 0 on the same working
    /// day, 1 for consecutive working days, negative when `b` is before `a`.
    pub fn working_days_between(&self, a: Date, b: Date) -> i64 {
        self.on_or_after(b) - self.on_or_after(a)
    }
}

/// Converts many ordinals at once: the working days of one span looked up in
/// a table, others computed.
pub(crate) struct DateTable<'c> {
    cal: &'c WorkCalendar,
    first: WorkDay,
    dates: Vec<Date>,
}

impl WorkCalendar {
    /// A table for `first..=last`, filled by walking the calendar day by day,
    /// when that costs less than `uses` conversions would (else no table).
    pub(crate) fn table(&self, first: WorkDay, last: WorkDay, uses: usize) -> DateTable<'_> {
        let span = last.saturating_sub(first).saturating_add(1);
        let mut dates = Vec::new();
        let worth_it = span > 0 && span <= (uses as i64).saturating_mul(2);
        if let (true, Some(mut d)) = (worth_it, self.date(first)) {
            dates.reserve(span as usize);
            while dates.len() < span as usize {
                dates.push(d);
                let next = (1..=7 * (self.holidays.len() as i64 + 1))
                    .map_while(|i| d.0.checked_add_days(chrono::Days::new(i as u64)).map(Date))
                    .find(|&x| self.is_working(x));
                match next {
                    Some(x) => d = x,
                    None => break,
                }
            }
        }
        DateTable {
            cal: self,
            first,
            dates,
        }
    }
}

impl DateTable<'_> {
    pub(crate) fn date(&self, w: WorkDay) -> Option<Date> {
        match usize::try_from(w - self.first)
            .ok()
            .and_then(|i| self.dates.get(i))
        {
            Some(&d) => Some(d),
            None => self.cal.date(w),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Day;

    fn weekdays(holidays: &[Date]) -> WorkCalendar {
        WorkCalendar::new(&Calendar {
            workdays: vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
            holidays: holidays.to_vec(),
        })
        .unwrap()
    }

    /// Day-by-day reference for the index.
    fn slow_is_working(cal: &Calendar, d: NaiveDate) -> bool {
        cal.workdays.iter().any(|w| w.weekday() == d.weekday()) && !cal.holidays.contains(&Date(d))
    }

    #[test]
    fn year_one_starts_on_monday() {
        assert_eq!(
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap().weekday(),
            chrono::Weekday::Mon
        );
    }

    #[test]
    fn ordinals_agree_with_a_day_by_day_count() {
        let cal = Calendar {
            workdays: vec![Day::Sun, Day::Mon, Day::Tue, Day::Wed, Day::Thu],
            holidays: vec![
                Date::ymd(2025, 1, 1),
                Date::ymd(2025, 1, 4), // a Saturday: not a pattern day, no effect
                Date::ymd(2025, 1, 5),
                Date::ymd(2025, 1, 6),
                Date::ymd(2025, 1, 6), // twice
                Date::ymd(2025, 3, 3),
            ],
        };
        let wc = WorkCalendar::new(&cal).unwrap();
        let first = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
        let mut count = wc.on_or_after(Date(first));
        for i in 0..200 {
            let d = first + chrono::Duration::days(i);
            let working = slow_is_working(&cal, d);
            assert_eq!(wc.is_working(Date(d)), working, "{d}");
            assert_eq!(wc.on_or_after(Date(d)), count, "{d}");
            if working {
                assert_eq!(wc.date(count), Some(Date(d)), "{d}");
                assert_eq!(wc.on_or_before(Date(d)), count, "{d}");
                count += 1;
            } else {
                assert_eq!(wc.on_or_before(Date(d)), count - 1, "{d}");
            }
        }
    }

    #[test]
    fn adding_working_days_skips_weekends_and_holidays() {
        let wc = weekdays(&[Date::ymd(2025, 1, 8)]);
        // Fri 3 Jan + 1 = Mon 6 Jan; Tue 7 Jan + 1 = Thu 9 Jan (Wed is a holiday).
        assert_eq!(
            wc.add_working_days(Date::ymd(2025, 1, 3), 1),
            Some(Date::ymd(2025, 1, 6))
        );
        assert_eq!(
            wc.add_working_days(Date::ymd(2025, 1, 7), 1),
            Some(Date::ymd(2025, 1, 9))
        );
        assert_eq!(
            wc.add_working_days(Date::ymd(2025, 1, 9), -1),
            Some(Date::ymd(2025, 1, 7))
        );
        // A Saturday counts from the Monday after it.
        assert_eq!(
            wc.add_working_days(Date::ymd(2025, 1, 4), 0),
            Some(Date::ymd(2025, 1, 6))
        );
        assert_eq!(
            wc.working_days_between(Date::ymd(2025, 1, 6), Date::ymd(2025, 1, 13)),
            4
        );
        assert_eq!(
            wc.working_days_between(Date::ymd(2025, 1, 13), Date::ymd(2025, 1, 6)),
            -4
        );
    }

    #[test]
    fn a_date_table_agrees_with_the_calendar() {
        let wc = weekdays(&[
            Date::ymd(2025, 1, 8),
            Date::ymd(2025, 1, 9),
            Date::ymd(2025, 12, 25),
        ]);
        let first = wc.on_or_after(Date::ymd(2024, 12, 20));
        let table = wc.table(first, first + 300, 1000);
        assert_eq!(table.dates.len(), 301);
        for w in first - 20..first + 330 {
            assert_eq!(table.date(w), wc.date(w), "{w}");
        }
        // Not worth it for a few conversions over a long span: computed instead.
        let sparse = wc.table(first, first + 300, 3);
        assert!(sparse.dates.is_empty());
        assert_eq!(sparse.date(first + 7), wc.date(first + 7));
    }

    #[test]
    fn no_working_day_is_an_error() {
        let e = WorkCalendar::new(&Calendar {
            workdays: vec![],
            holidays: vec![],
        })
        .unwrap_err();
        assert_eq!(e.code(), "bad_value");
    }

    #[test]
    fn out_of_range_is_none() {
        let wc = weekdays(&[]);
        assert_eq!(wc.date(i64::MAX / 8), None);
        assert_eq!(wc.date(i64::MAX), None);
        assert_eq!(wc.date(i64::MIN), None);
        assert_eq!(wc.add_working_days(Date::ymd(2025, 1, 1), i64::MAX), None);
    }
}
