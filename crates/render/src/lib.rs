//! Pure formatting of computed results: each renderer takes data and a writer, and never
//! decides anything about the plan.

// Casts, string slices and indexing are checked here as in the engine (user text reaches
// them); tests may slice their own fixtures. A module that indexes its own tables says why.
#![cfg_attr(
    not(test),
    warn(
        clippy::cast_possible_truncation,
        clippy::cast_possible_wrap,
        clippy::cast_precision_loss,
        clippy::cast_sign_loss,
        clippy::string_slice,
        clippy::indexing_slicing
    )
)]

// The engine's modules, named as this crate's renderers use them.
use roadlog_engine::{
    diag, diff, error, forecast, health, history, load, model, progress, report, rules, time,
};

pub mod csv;
pub mod doc;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod mermaid;
pub mod sarif;
pub mod table;

use std::borrow::Cow;

use crate::diag::Finding;

/// Line and column of a finding, 1-based, when it points into a file.
pub fn line_col(finding: &Finding) -> (Option<u32>, Option<u32>) {
    match finding.at.and_then(|at| at.span) {
        Some(span) => (Some(span.line), Some(span.column)),
        None => (None, None),
    }
}

/// A plan file's path from the git work tree root, given the plan root's (`prefix`, `""` at the
/// root): where annotations and code-scanning alerts are anchored.
pub fn repo_path(prefix: &str, file: &str) -> String {
    if prefix.is_empty() {
        file.to_string()
    } else {
        format!("{prefix}/{file}")
    }
}

/// The mark of a theme beneath its initiative, by depth: none at the top, `↳ ` below, indented
/// further for each level (the arrow survives where a markdown table drops leading spaces).
pub(crate) fn nested(depth: usize) -> String {
    match depth {
        0 => String::new(),
        d => format!("{}↳ ", "  ".repeat(d - 1)),
    }
}

/// The plan's files and their texts, for the renderers that quote a finding's lines.
#[derive(Clone, Copy)]
pub struct Quoted<'p> {
    /// Every file read, indexed by a finding's `FileId`.
    pub files: &'p [crate::model::SourceFile],
    /// Their texts, as they were parsed.
    pub texts: &'p crate::model::Texts,
}

/// The path of a finding's file relative to the plan root, if it has one.
pub fn file_of<'p>(
    plan_files: &'p [crate::model::SourceFile],
    finding: &Finding,
) -> Option<&'p str> {
    finding
        .at
        .and_then(|at| plan_files.get(at.file.0 as usize))
        .map(|file| file.path.as_str())
}

pub use crate::diag::count;

/// A list written element by element, each made by `make` as it is written: collected first,
/// the tens of thousands of findings of a large plan were held whole beside everything else
/// (JSON diagnostics, SARIF results).
pub struct Streamed<'a, T, S> {
    /// What each element is made from.
    pub list: &'a [T],
    /// Makes one element.
    pub make: &'a dyn Fn(&'a T) -> S,
}

impl<T, S: serde::Serialize> serde::Serialize for Streamed<'_, T, S> {
    fn serialize<Out: serde::Serializer>(&self, out: Out) -> Result<Out::Ok, Out::Error> {
        out.collect_seq(self.list.iter().map(self.make))
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The one-line summary of a check.
pub fn summary_line(checked: &crate::rules::Checked) -> String {
    format!(
        "checked {} and {}: {}, {}",
        count(checked.themes, "theme"),
        count(checked.items, "item"),
        count(checked.errors(), "error"),
        count(checked.warnings(), "warning")
    )
}

/// A fraction as a whole percent (see [`crate::progress::whole_percent`]); `—` for none.
pub fn percent(fraction: Option<f64>) -> String {
    fraction.map_or_else(
        || "—".to_string(),
        |f| format!("{}%", crate::progress::whole_percent(f)),
    )
}

/// A ten-cell text bar and the percent: `█████░░░░░ 50%`; `—` for no figure.
pub fn bar(fraction: Option<f64>) -> String {
    let Some(f) = fraction else {
        return "—".to_string();
    };
    let filled = crate::progress::rounded(f, 10) as usize;
    format!(
        "{}{} {}",
        "█".repeat(filled),
        "░".repeat(10 - filled),
        percent(fraction)
    )
}

/// A whole number with its thousands grouped, as people read it: `10,000`.
pub fn thousands(n: impl Into<u64>) -> String {
    let n: u64 = n.into();
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A weight without a needless `.0`: `8`, `2.5`.
pub fn weight(w: f64) -> String {
    if w.fract() == 0.0 && w.abs() < 1e15 {
        format!("{w:.0}")
    } else {
        format!("{w:.1}")
    }
}

/// How often this plan's forecasts came true, in one sentence, for every view that shows a
/// forecast's dates.
pub fn calibration_note(c: &crate::forecast::Calibration, asked: bool) -> String {
    let record = c.level(0.85).filter(|l| l.of > 0);
    match (c.adjusted, asked) {
        (true, _) => format!(
            "Calibrated on {} resolved past forecasts of this plan{}: the dates are moved so that \
             they would have held at their stated rates",
            c.resolved,
            record.map_or(String::new(), |l| format!(
                ", whose raw p85 came true for {} of {}",
                l.hits, l.of
            ))
        ),
        (false, true) => format!(
            "Not yet calibrated: {} of this plan, {} needed{}",
            count(c.resolved, "resolved past forecast"),
            crate::forecast::calibrate::MIN_RESOLVED,
            record.map_or(String::new(), |l| format!(
                "; the p85 came true for {} of {}",
                l.hits, l.of
            ))
        ),
        (false, false) => "The raw simulation, not calibrated (--no-calibrate)".to_string(),
    }
}

/// A weight with its unit, singular when it is exactly one: `1 point`, `2.5 points`, `3 items`.
pub fn weighed(w: f64, unit: (&str, &str)) -> String {
    let noun = if weight(w) == "1" { unit.0 } else { unit.1 };
    format!("{} {noun}", weight(w))
}

/// Story points, as [`weighed`].
pub const POINTS: (&str, &str) = ("point", "points");

/// Items counted, as [`weighed`].
pub const ITEMS: (&str, &str) = ("item", "items");

/// A path as the user can click it from `cwd` (as cargo prints them): relative when it lies
/// below `cwd`, else with `..` steps up to where the two meet. `..` in either is resolved by
/// name, as a shell would.
pub fn shown_path(path: &std::path::Path, cwd: &std::path::Path) -> String {
    use std::path::{Component, PathBuf};
    fn normal(p: &std::path::Path) -> Vec<std::ffi::OsString> {
        let mut parts: Vec<std::ffi::OsString> = Vec::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    parts.pop();
                }
                c => parts.push(c.as_os_str().to_os_string()),
            }
        }
        parts
    }
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let (to, from) = (normal(&absolute), normal(cwd));
    let common = to.iter().zip(&from).take_while(|(a, b)| a == b).count();
    // Sharing only the file system's root, the absolute path is the one to click.
    if common < 2 {
        return absolute.display().to_string();
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in to.iter().skip(common) {
        out.push(part);
    }
    if out.as_os_str().is_empty() {
        ".".to_string()
    } else {
        out.display().to_string()
    }
}

/// Whether a character would act on a terminal instead of being shown: control characters
/// (escape sequences start with one) and the bidirectional overrides that can make text read
/// other than it is.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text fit for a terminal: user text may hold escape sequences, which would be run, not shown.
/// Each unsafe character becomes `\u{fffd}`; tabs become a space.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\t' => ' ',
                c if is_unsafe_char(c) => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_point_is_singular() {
        assert_eq!(weighed(1.0, POINTS), "1 point");
        assert_eq!(weighed(2.5, POINTS), "2.5 points");
        assert_eq!(weighed(0.0, ITEMS), "0 items");
        assert_eq!(weighed(1.0, ITEMS), "1 item");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0u32), "0");
        assert_eq!(thousands(999u32), "999");
        assert_eq!(thousands(1000u32), "1,000");
        assert_eq!(thousands(10_000u32), "10,000");
        assert_eq!(thousands(1_234_567u64), "1,234,567");
    }

    #[test]
    fn bars_and_percents_round_to_nearest_but_never_to_done_or_nothing() {
        assert_eq!(bar(Some(0.5)), "█████░░░░░ 50%");
        assert_eq!(bar(Some(14.0 / 19.0)), "███████░░░ 74%");
        assert_eq!(percent(Some(2.0 / 3.0)), "67%");
        assert_eq!(bar(Some(0.999)), "█████████░ 99%");
        assert_eq!(bar(Some(0.001)), "█░░░░░░░░░ 1%");
        assert_eq!(bar(Some(1.0)), "██████████ 100%");
        assert_eq!(bar(Some(0.0)), "░░░░░░░░░░ 0%");
        assert_eq!(bar(None), "—");
        assert_eq!(weight(8.0), "8");
        assert_eq!(weight(2.5), "2.5");
    }

    #[test]
    fn paths_are_shown_as_the_user_can_click_them() {
        let cwd = std::path::Path::new("/work/repo");
        let shown = |p: &str| shown_path(std::path::Path::new(p), cwd);
        assert_eq!(
            shown("/work/repo/plan/backlog/BL-1.yaml"),
            "plan/backlog/BL-1.yaml"
        );
        assert_eq!(shown("plan/backlog/BL-1.yaml"), "plan/backlog/BL-1.yaml");
        assert_eq!(shown("./plan/./x.yaml"), "plan/x.yaml");
        assert_eq!(shown("/work/other/x.yaml"), "../other/x.yaml");
        assert_eq!(shown("/tmp/plan/x.yaml"), "/tmp/plan/x.yaml");
        assert_eq!(shown("/work/repo"), ".");
        assert_eq!(shown("../x/../y.yaml"), "../y.yaml");
    }

    #[test]
    fn terminal_text_cannot_carry_escape_sequences() {
        assert_eq!(terminal("plain"), "plain");
        assert_eq!(terminal("\u{1b}[2Jgone\u{7}"), "\u{fffd}[2Jgone\u{fffd}");
        assert_eq!(terminal("a\u{202e}b\tc\nd"), "a\u{fffd}b c\nd");
    }
}
