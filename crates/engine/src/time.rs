//! Calendar dates and roadmap horizons (`2025-Q3`, `2025-07`, ranges, `now`/`next`/`later`).

use std::fmt;
use std::str::FromStr;

/// A calendar date, `YYYY-MM-DD`: always a real day of the years 1 to 9999. The fields are
/// private and deserializing checks them, so a damaged cache cannot make a month of 0.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "RawDate")]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

/// A date as serialized, before it is checked to be a real day.
#[derive(serde::Deserialize)]
struct RawDate {
    year: i32,
    month: u32,
    day: u32,
}

impl TryFrom<RawDate> for Date {
    type Error = String;
    fn try_from(d: RawDate) -> Result<Date, String> {
        Date::new(d.year, d.month, d.day).ok_or_else(|| {
            format!(
                "{}-{}-{} is not a day of the calendar",
                d.year, d.month, d.day
            )
        })
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses exactly `digits` ASCII digits.
fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl Date {
    /// The first day a plan can name.
    pub(crate) const FIRST: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };

    /// The last day a plan can name.
    pub const LAST: Date = Date {
        year: 9999,
        month: 12,
        day: 31,
    };

    /// A date if the parts name a real day.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day))
        .then_some(Date { year, month, day })
    }

    /// The year, 1..=9999.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1..=12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The day of the month, 1..=31.
    pub fn day(self) -> u32 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let year = i32::try_from(year).unwrap_or(9999).clamp(1, 9999);
        let (month, day) = (
            u32::try_from(month).unwrap_or(1),
            u32::try_from(day).unwrap_or(1),
        );
        Date::new(year, month, day).unwrap_or(if year == 1 { Date::FIRST } else { Date::LAST })
    }

    /// Today in UTC from the system clock.
    pub fn today_utc() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// The date `days` later (earlier when negative).
    #[must_use]
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    /// The calendar quarter, 1..=4.
    pub fn quarter(self) -> u32 {
        (self.month - 1) / 3 + 1
    }
}

impl FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("`{s}` is not a date: write it as YYYY-MM-DD, e.g. 2025-07-14");
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let (Some(y), Some(m), Some(d)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
            return Err(bad());
        };
        Date::new(i32::try_from(y).map_err(|_| bad())?, m, d)
            .ok_or_else(|| format!("`{s}` is not a day of the calendar"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A quarter or a month: the unit a dated horizon is written in. Always a real one of the years
/// 1 to 9999: its parts are private, and deserializing checks them.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "Kind", into = "Kind")]
pub struct Period(Kind);

/// A period's parts, as serialized.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
enum Kind {
    /// `2025-Q3`.
    Quarter { year: i32, quarter: u32 },
    /// `2025-07`.
    Month { year: i32, month: u32 },
}

impl TryFrom<Kind> for Period {
    type Error = String;
    fn try_from(k: Kind) -> Result<Period, String> {
        let ok = match k {
            Kind::Quarter { year, quarter } => {
                (1..=9999).contains(&year) && (1..=4).contains(&quarter)
            }
            Kind::Month { year, month } => (1..=9999).contains(&year) && (1..=12).contains(&month),
        };
        ok.then_some(Period(k))
            .ok_or_else(|| format!("{k:?} is not a period"))
    }
}

impl From<Period> for Kind {
    fn from(p: Period) -> Kind {
        p.0
    }
}

/// The unit of a [`Period`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodUnit {
    /// Quarters.
    Quarter,
    /// Months.
    Month,
}

impl Period {
    /// The quarter or month holding `date`.
    pub fn of(date: Date, unit: PeriodUnit) -> Period {
        Period(match unit {
            PeriodUnit::Quarter => Kind::Quarter {
                year: date.year,
                quarter: date.quarter(),
            },
            PeriodUnit::Month => Kind::Month {
                year: date.year,
                month: date.month,
            },
        })
    }

    /// The quarter or month after this one; none after the last of 9999.
    pub fn next(self) -> Option<Period> {
        (self.end() < Date::LAST).then(|| Period::of(self.end().plus_days(1), self.unit()))
    }

    /// Whether it is a quarter or a month.
    pub fn unit(self) -> PeriodUnit {
        match self.0 {
            Kind::Quarter { .. } => PeriodUnit::Quarter,
            Kind::Month { .. } => PeriodUnit::Month,
        }
    }

    /// First day of the period.
    pub fn start(self) -> Date {
        match self.0 {
            Kind::Quarter { year, quarter } => Date {
                year,
                month: quarter * 3 - 2,
                day: 1,
            },
            Kind::Month { year, month } => Date {
                year,
                month,
                day: 1,
            },
        }
    }

    /// Last day of the period.
    pub fn end(self) -> Date {
        let (year, month) = match self.0 {
            Kind::Quarter { year, quarter } => (year, quarter * 3),
            Kind::Month { year, month } => (year, month),
        };
        Date {
            year,
            month,
            day: days_in_month(year, month),
        }
    }
}

impl FromStr for Period {
    type Err = ();
    fn from_str(s: &str) -> Result<Period, ()> {
        let (y, rest) = s.split_once('-').ok_or(())?;
        let year = i32::try_from(digits(y, 4).ok_or(())?).map_err(|_| ())?;
        if year == 0 {
            return Err(());
        }
        if let Some(q) = rest.strip_prefix('Q') {
            let quarter = digits(q, 1).ok_or(())?;
            return (1..=4)
                .contains(&quarter)
                .then_some(Period(Kind::Quarter { year, quarter }))
                .ok_or(());
        }
        let month = digits(rest, 2).ok_or(())?;
        (1..=12)
            .contains(&month)
            .then_some(Period(Kind::Month { year, month }))
            .ok_or(())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Kind::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            Kind::Month { year, month } => write!(f, "{year:04}-{month:02}"),
        }
    }
}

/// An undated horizon.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Bucket {
    /// Being worked on now.
    Now,
    /// Up next.
    Next,
    /// Some day.
    Later,
}

/// When a theme is planned: a period, a range of periods, or a bucket.
///
/// ```
/// use roadlog_engine::time::{Date, Horizon};
///
/// let h: Horizon = "2025-Q3..2026-Q1".parse().unwrap();
/// let (start, end) = h.dates().unwrap();
/// assert_eq!((start.to_string(), end.to_string()), ("2025-07-01".into(), "2026-03-31".into()));
/// assert!("2025-Q5".parse::<Horizon>().is_err());
/// assert_eq!("later".parse::<Horizon>().unwrap().dates(), None::<(Date, Date)>);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Horizon {
    /// From the start of the first period to the end of the last (a single period has both equal).
    Dated {
        /// The first period.
        from: Period,
        /// The last period.
        to: Period,
    },
    /// `now`, `next` or `later`.
    Bucket(Bucket),
    /// `ongoing`: a standing mandate that never ends, so never overdue.
    Ongoing,
}

impl Horizon {
    /// The first and last day, for dated horizons.
    pub fn dates(self) -> Option<(Date, Date)> {
        match self {
            Horizon::Dated { from, to } => Some((from.start(), to.end())),
            Horizon::Bucket(_) | Horizon::Ongoing => None,
        }
    }
}

impl FromStr for Horizon {
    type Err = String;
    fn from_str(s: &str) -> Result<Horizon, String> {
        match s {
            "now" => return Ok(Horizon::Bucket(Bucket::Now)),
            "next" => return Ok(Horizon::Bucket(Bucket::Next)),
            "later" => return Ok(Horizon::Bucket(Bucket::Later)),
            "ongoing" => return Ok(Horizon::Ongoing),
            _ => {}
        }
        let bad = || {
            format!(
                "`{s}` is not a horizon: use a quarter (2025-Q3), a month (2025-07), a range \
                 (2025-Q3..2026-Q1), now/next/later or ongoing"
            )
        };
        let (from, to) = match s.split_once("..") {
            Some((a, b)) => (
                a.parse::<Period>().map_err(|()| bad())?,
                b.parse::<Period>().map_err(|()| bad())?,
            ),
            None => {
                let p = s.parse::<Period>().map_err(|()| bad())?;
                (p, p)
            }
        };
        if to.end() < from.start() {
            return Err(format!("horizon `{s}` ends before it starts"));
        }
        Ok(Horizon::Dated { from, to })
    }
}

impl Horizon {
    /// The valid spelling nearest to a horizon as people mistype it (`2027-q1`, `Q1 2027`,
    /// `2026-1`, a date, `2025-Q3 - 2026-Q1`), for a "did you mean"; `None` when none is clear.
    pub fn suggest(s: &str) -> Option<String> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        if ["now", "next", "later", "ongoing"].contains(&lower.as_str()) && lower != t {
            return Some(lower);
        }
        let guess = ["..", "...", " to ", " - ", " – ", "–", " — "]
            .iter()
            .find_map(|sep| t.split_once(sep))
            .map_or_else(
                || period_guess(t),
                |(a, b)| Some(format!("{}..{}", period_guess(a)?, period_guess(b)?)),
            )?;
        (guess != s && guess.parse::<Horizon>().is_ok()).then_some(guess)
    }
}

/// A quarter or month in its valid spelling, from a near miss.
fn period_guess(s: &str) -> Option<String> {
    let t = s.trim().trim_matches('.').to_ascii_uppercase();
    let parts: Vec<&str> = t
        .split(['-', ' ', '/', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    let year =
        |p: &str| (p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.to_string());
    let quarter = |p: &str| {
        let q = p.strip_prefix('Q')?;
        (q.len() == 1 && ('1'..='4').contains(&q.chars().next()?)).then(|| q.to_string())
    };
    let month = |p: &str| {
        let m: u32 = p.parse().ok()?;
        (1..=12).contains(&m).then(|| format!("{m:02}"))
    };
    let guess = match parts.as_slice() {
        // 2027Q1
        [one] if one.len() == 6 => {
            let (y, q) = one.split_at_checked(4)?;
            format!("{}-Q{}", year(y)?, quarter(q)?)
        }
        [a, b] if year(a).is_some() && quarter(b).is_some() => {
            format!("{}-Q{}", year(a)?, quarter(b)?)
        }
        [a, b] if quarter(a).is_some() && year(b).is_some() => {
            format!("{}-Q{}", year(b)?, quarter(a)?)
        }
        [a, b] if year(a).is_some() => format!("{}-{}", year(a)?, month(b)?),
        // A date: its month.
        [a, b, d] if year(a).is_some() && d.parse::<u32>().is_ok() => {
            format!("{}-{}", year(a)?, month(b)?)
        }
        _ => return None,
    };
    Some(guess)
}

impl fmt::Display for Horizon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Horizon::Dated { from, to } if from == to => write!(f, "{from}"),
            Horizon::Dated { from, to } => write!(f, "{from}..{to}"),
            Horizon::Bucket(Bucket::Now) => f.write_str("now"),
            Horizon::Bucket(Bucket::Next) => f.write_str("next"),
            Horizon::Bucket(Bucket::Later) => f.write_str("later"),
            Horizon::Ongoing => f.write_str("ongoing"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn a_damaged_encoding_is_refused_not_believed() {
        // postcard writes a date as its three numbers: year (zigzag), month, day.
        let good = postcard::to_stdvec(&d("2025-07-14")).expect("encodes");
        assert_eq!(
            postcard::from_bytes::<Date>(&good).ok(),
            Some(d("2025-07-14"))
        );
        let mut zero_month = good.clone();
        zero_month[2] = 0;
        assert!(postcard::from_bytes::<Date>(&zero_month).is_err());
        let mut day_40 = good;
        day_40[3] = 40;
        assert!(postcard::from_bytes::<Date>(&day_40).is_err());

        let q = "2025-Q3".parse::<Period>().expect("period");
        let mut bytes = postcard::to_stdvec(&q).expect("encodes");
        let last = bytes.len() - 1;
        bytes[last] = 0;
        assert!(postcard::from_bytes::<Period>(&bytes).is_err(), "quarter 0");
        bytes[last] = 5;
        assert!(postcard::from_bytes::<Period>(&bytes).is_err(), "quarter 5");
        assert_eq!(
            "9999-Q4".parse::<Period>().ok().and_then(Period::next),
            None,
            "no period after 9999"
        );
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(
            d("2024-02-29"),
            Date {
                year: 2024,
                month: 2,
                day: 29
            }
        );
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-7-1",
            "25-07-01",
            "2025-07-01x",
            "",
            "2025/07/01",
            "0000-01-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn epoch_days_round_trip() {
        for s in [
            "1970-01-01",
            "2000-02-29",
            "2025-12-31",
            "1969-12-31",
            "2400-03-01",
        ] {
            let date = d(s);
            assert_eq!(
                Date::from_days_since_epoch(date.days_since_epoch()),
                date,
                "{s}"
            );
        }
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("2025-07-01").days_until(d("2025-07-31")), 30);
    }

    #[test]
    fn horizons_parse_with_their_end_dates() {
        let h: Horizon = "2025-Q3".parse().expect("quarter");
        assert_eq!(h.dates(), Some((d("2025-07-01"), d("2025-09-30"))));
        let h: Horizon = "2025-07..2025-12".parse().expect("months");
        assert_eq!(h.dates(), Some((d("2025-07-01"), d("2025-12-31"))));
        let h: Horizon = "2025-Q4..2026-Q1".parse().expect("range");
        assert_eq!(h.dates(), Some((d("2025-10-01"), d("2026-03-31"))));
        let h: Horizon = "2024-02".parse().expect("leap month");
        assert_eq!(h.dates().map(|x| x.1), Some(d("2024-02-29")));
        assert_eq!(
            "later".parse::<Horizon>(),
            Ok(Horizon::Bucket(Bucket::Later))
        );
        assert_eq!(h.to_string(), "2024-02");
        assert_eq!(
            "2025-Q3..2026-Q1"
                .parse::<Horizon>()
                .expect("r")
                .to_string(),
            "2025-Q3..2026-Q1"
        );
    }

    #[test]
    fn horizon_typos_get_the_valid_form() {
        for (typo, want) in [
            ("2027-q1", Some("2027-Q1")),
            ("Q1 2027", Some("2027-Q1")),
            ("q1-2027", Some("2027-Q1")),
            ("2027 Q1", Some("2027-Q1")),
            ("2027Q1", Some("2027-Q1")),
            ("2026-1-5", Some("2026-01")),
            ("2026-1", Some("2026-01")),
            ("2026/07", Some("2026-07")),
            ("2025-07-14", Some("2025-07")),
            ("NOW", Some("now")),
            ("2025-Q3 - 2026-Q1", Some("2025-Q3..2026-Q1")),
            ("2025-q3...2026-q1", Some("2025-Q3..2026-Q1")),
            ("2025-Q3", None),
            ("soon", None),
            ("2025-Q5", None),
            ("2025-13", None),
        ] {
            assert_eq!(Horizon::suggest(typo).as_deref(), want, "{typo}");
        }
    }

    #[test]
    fn bad_horizons_are_refused() {
        for bad in [
            "2025-Q5",
            "2025-Q0",
            "2025-13",
            "Q3-2025",
            "2025",
            "soon",
            "2026-Q1..2025-Q3",
            "2025-Q3..",
            "..2025-Q3",
            "2025-q3",
            "NOW",
        ] {
            assert!(bad.parse::<Horizon>().is_err(), "{bad}");
        }
    }
}
