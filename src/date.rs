//! Calendar dates as the contract writes them (`YYYY-MM-DD`), without a date crate:
//! the engine only compares dates and reads their year.

use std::fmt;

/// A valid Gregorian calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The earliest date the type can hold.
    pub const MIN: Date = Date {
        year: 1000,
        month: 1,
        day: 1,
    };

    /// Builds a date, or `None` when it does not exist (2026-02-30) or the year is
    /// outside 1000–9999.
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if year < 1000 || year > 9999 || month == 0 || month > 12 || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let b = text.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(format!("expected a date as YYYY-MM-DD, got {text:?}"));
        }
        let num =
            |r: std::ops::Range<usize>| -> u16 { b[r].iter().fold(0u16, |acc, c| acc * 10 + u16::from(c - b'0')) };
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        // m and d are at most 99, so the casts cannot truncate.
        Date::new(y, m as u8, d as u8).ok_or_else(|| format!("{text:?} is not a real calendar date"))
    }

    /// The calendar year.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// `YYYY-MM-DD` as bytes, without the formatting machinery (the audit
    /// writes one into many of its findings).
    pub const fn iso_bytes(self) -> [u8; 10] {
        const fn digit(n: u16) -> u8 {
            b'0' + (n % 10) as u8
        }
        let (y, m, d) = (self.year, self.month, self.day);
        [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m as u16 / 10),
            digit(m as u16),
            b'-',
            digit(d as u16 / 10),
            digit(d as u16),
        ]
    }
}

const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_bytes_as_displayed() {
        for (y, m, d) in [(2026, 3, 2), (1999, 12, 31), (1, 1, 1), (2024, 2, 29), (9999, 10, 10)] {
            if let Some(date) = Date::new(y, m, d) {
                assert_eq!(&date.iso_bytes()[..], date.to_string().as_bytes());
            }
        }
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2000-02-29").is_ok());
        assert!(Date::parse("2026-04-31").is_err());
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("2026-00-10").is_err());
        assert!(Date::parse("2026-1-01").is_err());
        assert!(Date::parse("2026-01-01T00:00").is_err());
        assert!(Date::parse("２０２６-01-01").is_err());
        assert!(Date::parse("").is_err());
    }

    #[test]
    fn orders() {
        assert!(Date::parse("2019-12-31").unwrap() < Date::parse("2020-01-01").unwrap());
    }
}
