//! Dates as the trackers write them: RFC 3339 (GitHub, Linear), and Jira's, which are in the
//! exporting user's format, by default `12/Mar/24 9:41 AM`, given in Jira's own pattern letters
//! (`d/MMM/yy h:mm a`) so the pattern can be copied from Jira's settings.

use roadlog_engine::time::Date;

/// A Jira date pattern, parsed once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateFormat {
    pattern: String,
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Day,
    Month {
        letters: usize,
    },
    Year {
        letters: usize,
    },
    /// An hour, minute, second or AM/PM: read, not kept.
    Number,
    AmPm,
    Literal(char),
}

impl DateFormat {
    /// Jira's default, `d/MMM/yy h:mm a`.
    pub fn jira_default() -> DateFormat {
        DateFormat::parse("d/MMM/yy h:mm a").unwrap_or(DateFormat {
            pattern: String::new(),
            parts: Vec::new(),
        })
    }

    /// A pattern in Jira's letters: `d`/`dd` day, `M`/`MM` month number, `MMM` its short name,
    /// `MMMM` its full name, `yy`/`yyyy` year, `h`/`hh`/`H`/`HH`/`m`/`mm`/`s`/`ss` time, `a`
    /// AM/PM, `'…'` literal text; anything else stands for itself.
    pub fn parse(pattern: &str) -> Result<DateFormat, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parts = Vec::new();
        let mut i = 0;
        let (mut day, mut month, mut year) = (false, false, false);
        while let Some(&c) = chars.get(i) {
            let run = chars.iter().skip(i).take_while(|&&x| x == c).count();
            match c {
                'd' => {
                    parts.push(Part::Day);
                    day = true;
                }
                'M' | 'L' => {
                    parts.push(Part::Month { letters: run });
                    month = true;
                }
                'y' | 'u' => {
                    parts.push(Part::Year { letters: run });
                    year = true;
                }
                'h' | 'H' | 'k' | 'K' | 'm' | 's' | 'S' => parts.push(Part::Number),
                'a' => parts.push(Part::AmPm),
                '\'' => {
                    let text: String = chars
                        .iter()
                        .skip(i + 1)
                        .take_while(|&&x| x != '\'')
                        .collect();
                    parts.extend(text.chars().map(Part::Literal));
                    i += text.chars().count() + 2;
                    continue;
                }
                c if c.is_ascii_alphabetic() => {
                    return Err(format!("`{c}` is not a date pattern letter roadlog reads"));
                }
                c => parts.extend(std::iter::repeat_n(Part::Literal(c), run)),
            }
            i += run;
        }
        if !(day && month && year) {
            return Err(format!(
                "`{pattern}` does not name a day (d), a month (M) and a year (y)"
            ));
        }
        Ok(DateFormat {
            pattern: pattern.to_string(),
            parts,
        })
    }

    /// The pattern as given.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The date `text` holds, when it reads as this pattern.
    pub fn date(&self, text: &str) -> Option<Date> {
        let mut rest = text.trim();
        let (mut day, mut month, mut year) = (None, None, None);
        for part in &self.parts {
            match part {
                Part::Literal(c) => {
                    rest = if c.is_whitespace() {
                        rest.trim_start()
                    } else {
                        rest.strip_prefix(*c)?
                    };
                }
                Part::Day => day = Some(number(&mut rest)?),
                Part::Number => {
                    number(&mut rest)?;
                }
                Part::Month { letters } if *letters >= 3 => month = Some(month_name(&mut rest)?),
                Part::Month { .. } => month = Some(number(&mut rest)?),
                Part::Year { letters } => {
                    let y = number(&mut rest)?;
                    year = Some(if *letters == 2 && y < 100 {
                        2000 + y
                    } else {
                        y
                    });
                }
                Part::AmPm => {
                    let upper = rest.get(..2)?.to_ascii_uppercase();
                    if upper != "AM" && upper != "PM" {
                        return None;
                    }
                    rest = rest.get(2..)?;
                }
            }
        }
        if !rest.trim().is_empty() {
            return None;
        }
        Date::new(i32::try_from(year?).ok()?, month?, day?)
    }
}

/// A run of digits off the front of `rest`.
fn number(rest: &mut &str) -> Option<u32> {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (n, tail) = rest.split_at_checked(digits)?;
    *rest = tail;
    n.parse().ok()
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// An English month name, short or full, off the front of `rest`.
fn month_name(rest: &mut &str) -> Option<u32> {
    let letters = rest.chars().take_while(char::is_ascii_alphabetic).count();
    let (word, tail) = rest.split_at_checked(letters)?;
    let lower = word.to_ascii_lowercase();
    // Its short name (`Mar`, or `Sept`) or its full one.
    let n = MONTHS
        .iter()
        .position(|m| lower.len() >= 3 && m.starts_with(&lower))?;
    *rest = tail;
    u32::try_from(n + 1).ok()
}

/// The calendar day of an RFC 3339 timestamp (`2024-03-12T09:41:00Z`), as written: the
/// trackers write UTC.
pub(crate) fn rfc3339_day(text: &str) -> Option<Date> {
    text.trim().get(..10)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().expect("a date")
    }

    #[test]
    fn jira_dates_in_the_default_and_other_patterns() {
        let jira = DateFormat::jira_default();
        assert_eq!(jira.date("12/Mar/24 9:41 AM"), Some(day("2024-03-12")));
        assert_eq!(jira.date("1/Dec/25 12:05 PM"), Some(day("2025-12-01")));
        assert_eq!(jira.date("12/Mar/24"), None);
        assert_eq!(jira.date("31/Feb/24 9:41 AM"), None);
        let iso = DateFormat::parse("yyyy-MM-dd HH:mm").expect("a pattern");
        assert_eq!(iso.date("2024-03-12 09:41"), Some(day("2024-03-12")));
        let us = DateFormat::parse("MMMM d, yyyy 'at' h:mm a").expect("a pattern");
        assert_eq!(us.date("March 5, 2024 at 3:00 PM"), Some(day("2024-03-05")));
        assert!(DateFormat::parse("HH:mm").is_err());
        assert!(DateFormat::parse("d/Q/y").is_err());
    }

    #[test]
    fn rfc3339_days() {
        assert_eq!(
            rfc3339_day("2024-03-12T09:41:00.000Z"),
            Some(day("2024-03-12"))
        );
        assert_eq!(rfc3339_day("2024-03"), None);
        assert_eq!(rfc3339_day("ü2024-03-12"), None);
    }
}
