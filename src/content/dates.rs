//! Dates in front matter (`date`, `updated` and `date` fields): a real calendar date
//! `YYYY-MM-DD`, optionally followed by a time `THH:MM[:SS[.fff]]` with `Z` or `±HH:MM`.
//!
//! The value is kept as written. The sitemap's `<lastmod>` and the Atom feed use its first ten
//! characters, and the default theme puts the whole value in `<time datetime>`, so only forms
//! valid there are accepted: years from 0001, no leap second (`:60`), at most three digits of
//! fractional seconds (HTML's limit), an upper-case `T` and `Z`, and a zone offset whenever
//! a time is given (RFC 3339).

/// Why a value is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not `YYYY-MM-DD…` at all (a wrong kind of value).
    NotADate,
    /// Year `0000`.
    YearZero,
    /// Month outside 1–12.
    NoSuchMonth(u32),
    /// Day outside the month (`days` is the month's length).
    NoSuchDay {
        /// The month's length in that year.
        days: u32,
        /// The month, 1–12.
        month: u32,
        /// The year.
        year: u32,
    },
    /// Something after the date that is not a valid time with a zone.
    BadTime,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateProblem {
    /// The end of "`value` …" in a message.
    pub fn reason(self) -> String {
        match self {
            DateProblem::NotADate => "is not written `YYYY-MM-DD`".into(),
            DateProblem::YearZero => "has the year 0000, which calendars do not have".into(),
            DateProblem::NoSuchMonth(m) => format!("has the month {m:02}; months run 01 to 12"),
            DateProblem::NoSuchDay { days, month, year } => {
                let name = (month as usize)
                    .checked_sub(1)
                    .and_then(|i| MONTHS.get(i))
                    .copied()
                    .unwrap_or("the month");
                format!("names a day that does not exist: {name} {year} has {days} days")
            }
            DateProblem::BadTime => {
                "has something after the date that is not a time with a zone".into()
            }
        }
    }

    /// The label under the value.
    pub fn label(self) -> &'static str {
        match self {
            DateProblem::BadTime => "not a valid time after the date",
            _ => "no such date",
        }
    }
}

/// Checks a date, saying what is wrong with it.
pub fn check_date(s: &str) -> Result<(), DateProblem> {
    let b = s.as_bytes();
    let shaped = b.len() >= 10
        && digits(b, 0, 4)
        && b.get(4) == Some(&b'-')
        && digits(b, 5, 2)
        && b.get(7) == Some(&b'-')
        && digits(b, 8, 2);
    if !shaped {
        return Err(DateProblem::NotADate);
    }
    let (year, month, day) = (number(b, 0, 4), number(b, 5, 2), number(b, 8, 2));
    if year == 0 {
        return Err(DateProblem::YearZero);
    }
    if !(1..=12).contains(&month) {
        return Err(DateProblem::NoSuchMonth(month));
    }
    let days = days_in_month(year, month);
    if day == 0 || day > days {
        return Err(DateProblem::NoSuchDay { days, month, year });
    }
    match b.get(10..) {
        Some([]) | None => Ok(()),
        Some(rest) if is_time(rest) => Ok(()),
        Some(_) => Err(DateProblem::BadTime),
    }
}

fn digits(b: &[u8], at: usize, n: usize) -> bool {
    b.get(at..at + n)
        .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
}

/// The decimal number in `b[at..at + n]` (already checked to be digits).
fn number(b: &[u8], at: usize, n: usize) -> u32 {
    b.get(at..at + n).map_or(0, |d| {
        d.iter().fold(0, |acc, c| acc * 10 + u32::from(c - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `THH:MM[:SS[.f{1,3}]]` then `Z` or `±HH:MM`.
fn is_time(t: &[u8]) -> bool {
    let clock = |at: usize, max: u32| digits(t, at, 2) && number(t, at, 2) <= max;
    if t.first() != Some(&b'T') || !clock(1, 23) || t.get(3) != Some(&b':') || !clock(4, 59) {
        return false;
    }
    let mut i = 6;
    if t.get(i) == Some(&b':') {
        if !clock(i + 1, 59) {
            return false;
        }
        i += 3;
        if t.get(i) == Some(&b'.') {
            let n = t
                .get(i + 1..)
                .map_or(0, |f| f.iter().take_while(|c| c.is_ascii_digit()).count());
            if !(1..=3).contains(&n) {
                return false;
            }
            i += 1 + n;
        }
    }
    match t.get(i..) {
        Some([b'Z']) => true,
        Some([b'+' | b'-', ..]) => {
            t.len() == i + 6 && clock(i + 1, 23) && t.get(i + 3) == Some(&b':') && clock(i + 4, 59)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_calendar_dates_only() {
        for ok in [
            "2009-04-02",
            "2008-02-29",
            "2000-02-29",
            "2009-12-31",
            "0001-01-01",
        ] {
            assert_eq!(check_date(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            check_date("2009-02-30"),
            Err(DateProblem::NoSuchDay {
                days: 28,
                month: 2,
                year: 2009
            })
        );
        assert_eq!(
            check_date("1900-02-29"),
            Err(DateProblem::NoSuchDay {
                days: 28,
                month: 2,
                year: 1900
            })
        );
        assert!(matches!(
            check_date("2009-04-31"),
            Err(DateProblem::NoSuchDay { days: 30, .. })
        ));
        assert!(matches!(
            check_date("2009-04-00"),
            Err(DateProblem::NoSuchDay { .. })
        ));
        assert_eq!(check_date("2009-13-02"), Err(DateProblem::NoSuchMonth(13)));
        assert_eq!(check_date("0000-01-01"), Err(DateProblem::YearZero));
        for not in ["April 2009", "2009-4-02", "", "20090402", "2009/04/02"] {
            assert_eq!(check_date(not), Err(DateProblem::NotADate), "{not}");
        }
    }

    #[test]
    fn only_a_valid_time_with_a_zone_may_follow() {
        for ok in [
            "2009-04-02T14:30Z",
            "2009-04-02T14:30:05Z",
            "2009-04-02T14:30:05.1Z",
            "2009-04-02T14:30:05.123+02:00",
            "2009-04-02T23:59:59-11:30",
        ] {
            assert!(check_date(ok).is_ok(), "{ok}");
        }
        for bad in [
            "2009-04-02Tgarbage",
            "2009-04-02T",
            "2009-04-02 14:30Z",
            "2009-04-02t14:30Z",
            "2009-04-02T14:30",
            "2009-04-02T24:00Z",
            "2009-04-02T14:60Z",
            "2009-04-02T14:30:60Z",
            "2009-04-02T14:30:05.1234Z",
            "2009-04-02T14:30:05.Z",
            "2009-04-02T14:30z",
            "2009-04-02T14:30+2:00",
            "2009-04-02T14:30+02:00x",
            "2009-04-02T14:30+24:00",
            "2009-04-02x",
        ] {
            assert_eq!(check_date(bad), Err(DateProblem::BadTime), "{bad}");
        }
    }
}
