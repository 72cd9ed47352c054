//! Findings as data: stable rule codes, severities, and where a finding points.
//!
//! Rendering (miette, JSON, GitHub annotations) happens in `render`; nothing here prints.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::span::Span;

macro_rules! rules {
    ($($variant:ident = $name:literal, $default:ident, $what:literal;)*) => {
        /// Every rule of the catalogue in `docs/rules.md`, by stable kebab-case code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum Rule { $(#[doc = $what] $variant,)* }

        impl Rule {
            /// All rules, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable code, e.g. `unknown-theme`.
            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }

            /// The severity when `rules:` in `roadlog.yaml` says nothing.
            pub fn default_level(self) -> Level {
                match self { $(Rule::$variant => Level::$default,)* }
            }

            /// When the rule fires, in one line.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $what,)* }
            }
        }
    };
}

rules! {
    ParseError = "parse-error", Error, "a file is not readable YAML, or a value has the wrong type";
    UnreadableFile = "unreadable-file", Error, "a plan file could not be read: I/O error, a directory or a link out of the plan root";
    UnknownField = "unknown-field", Error, "a key is not in the schema";
    InvalidValue = "invalid-value", Error, "a bad id, status, kind, horizon, date or number";
    MissingField = "missing-field", Error, "a required field is absent";
    DuplicateId = "duplicate-id", Error, "two themes or items share an id";
    DuplicateSource = "duplicate-source", Error, "two items mirror the same tracker record (`source:`)";
    UnknownTheme = "unknown-theme", Error, "`theme:` names no theme";
    UnknownParent = "unknown-parent", Error, "`parent:` names no item";
    UnknownDependency = "unknown-dependency", Error, "a `depends_on` entry names no item";
    ParentCycle = "parent-cycle", Error, "following `parent` returns to the start";
    DependencyCycle = "dependency-cycle", Error, "`depends_on` edges form a cycle";
    ThemeConflict = "theme-conflict", Error, "an item's theme differs from the one its ancestors give it";
    RoadmapDetail = "roadmap-detail", Error, "a theme carries backlog-level fields";
    OrphanItem = "orphan-item", Warn, "an item traces to no theme";
    InactiveThemeWork = "inactive-theme-work", Warn, "an open item serves a theme that is done or dropped";
    EmptyTheme = "empty-theme", Warn, "an active theme has no backlog item";
    SprintMisaligned = "sprint-misaligned", Warn, "an item in the current sprint does not serve an active theme";
    StaleTheme = "stale-theme", Warn, "an active theme's review is missing or older than review_cadence_days";
    OverdueTheme = "overdue-theme", Warn, "an active theme's horizon ended and its progress is below 100%";
    DoneWithOpenChildren = "done-with-open-children", Warn, "an item is done while a child is still open";
    IdMismatch = "id-mismatch", Warn, "`id:` differs from the file stem";
    StaleItem = "stale-item", Warn, "an open item has not changed in git for stale_item_days";
    UnknownSprint = "unknown-sprint", Error, "an item's `sprint` or `current_sprint` names no sprint of the calendar";
    SprintOverlap = "sprint-overlap", Warn, "two sprints of the calendar overlap";
    SprintOverCapacity = "sprint-over-capacity", Warn, "the weight planned into a sprint exceeds its capacity";
    DoneWithOpenDependency = "done-with-open-dependency", Warn, "an item is done while something it depends on is open";
    SuspectItem = "suspect-item", Warn, "open items were planned against a theme's old objective, metrics, horizon or status";
    PriorityInversion = "priority-inversion", Warn, "the sprint or the backlog's ranking puts a lower-ranked theme's work ahead of a higher-ranked theme's ready work";
    AliasReference = "alias-reference", Warn, "a reference names a renamed theme or item by its old id (`aliases:`)";
    UnknownRelated = "unknown-related", Warn, "a `related` entry names no theme or item";
    HorizonOutsideParent = "horizon-outside-parent", Warn, "a theme's dated horizon falls outside its initiative's";
    UnknownPerson = "unknown-person", Warn, "with a `people:` list, an assignee or owner is neither a person nor a team";
    TitleFormat = "title-format", Warn, "a title holds a line break or is longer than 200 characters";
}

impl FromStr for Rule {
    type Err = ();
    fn from_str(s: &str) -> Result<Rule, ()> {
        Rule::ALL.iter().copied().find(|r| r.code() == s).ok_or(())
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A rule's configured level: a severity, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Fails `check`.
    Error,
    /// Reported; fails `check` only with `--deny-warnings`.
    Warn,
    /// Not reported.
    Off,
}

impl Level {
    /// The severity findings get at this level, if any.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warn => Some(Severity::Warning),
            Level::Off => None,
        }
    }
}

/// How serious a reported finding is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// Fails `check`.
    Error,
    /// Reported, does not fail `check` by default.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// An index into the plan's list of source files.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct FileId(pub u32);

/// A place in a plan file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// The range within it; `None` for findings about the file as a whole.
    pub span: Option<Span>,
}

/// One problem found in the plan.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// The rule that fired.
    pub rule: Rule,
    /// Filled in from the configured level when the finding is reported.
    pub severity: Severity,
    /// What is wrong; sized to its text (`format!` leaves room to grow, which was a third of
    /// the memory of `priority-inversion`'s 64,913 findings at 500 themes).
    pub message: Box<str>,
    /// Where; `None` only for problems with no file.
    pub at: Option<Location>,
    /// The label under the span, when more specific than the message. Shared: one rule may
    /// give thousands of findings the same label and help (`priority-inversion` at 500 themes).
    pub label: Option<Arc<str>>,
    /// What to do about it.
    pub help: Option<Arc<str>>,
    /// A second place worth showing (the other duplicate, the definition); boxed, since few
    /// findings have one.
    pub related: Option<Box<(Location, String)>>,
    /// The theme or item it concerns, by id: part of its identity. Shared, as `label` is.
    pub entity: Option<Arc<str>>,
    /// The field at fault, as a path (`theme`, `depends_on[BL-3]`, `metrics[0].target`): part of
    /// its identity. Shared, as `label` is.
    pub field: Option<Arc<str>>,
    /// The items it is about, when one finding stands for many (a message names the first few).
    pub items: Box<[String]>,
}

/// Text a finding's identity holds: copied from a `&str` or a `String`, shared from an
/// `Arc<str>` (one rule may give thousands of findings the same entity and field).
pub trait Shared {
    /// The text, as a string findings may share.
    fn shared(self) -> Arc<str>;
}

impl Shared for &str {
    fn shared(self) -> Arc<str> {
        Arc::from(self)
    }
}

impl Shared for &String {
    fn shared(self) -> Arc<str> {
        Arc::from(self.as_str())
    }
}

impl Shared for String {
    fn shared(self) -> Arc<str> {
        Arc::from(self)
    }
}

impl Shared for &Arc<str> {
    fn shared(self) -> Arc<str> {
        Arc::clone(self)
    }
}

/// What makes two findings the same finding across revisions: rule, file, entity and field,
/// never the message (its figures move) or the line (edits above it move it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity<'a> {
    /// The rule.
    pub rule: Rule,
    /// The file's path relative to the plan root, `None` for findings about no file.
    pub file: Option<&'a str>,
    /// The theme or item id.
    pub entity: Option<&'a str>,
    /// The field path.
    pub field: Option<&'a str>,
}

impl Identity<'_> {
    /// A short stable fingerprint of the identity (hex), for SARIF and for bots that track
    /// findings across runs. FNV-1a over the parts: stable across Rust releases and platforms.
    pub fn fingerprint(&self) -> String {
        let missing: &[u8] = &[0];
        let parts = [Some(self.rule.code()), self.file, self.entity, self.field]
            .map(|p| p.map_or(missing, str::as_bytes));
        let hash = crate::hash::stable_hash(parts);
        format!("{hash:016x}")
    }
}

impl Finding {
    /// A finding with the rule's default severity; levels from config are applied later.
    pub fn new(rule: Rule, message: impl Into<Box<str>>, at: Option<Location>) -> Finding {
        Finding {
            rule,
            severity: rule.default_level().severity().unwrap_or(Severity::Warning),
            message: message.into(),
            at,
            label: None,
            help: None,
            related: None,
            entity: None,
            field: None,
            items: Box::default(),
        }
    }

    /// Lists the items the finding stands for.
    #[must_use]
    pub fn items(mut self, ids: Vec<String>) -> Finding {
        self.items = ids.into();
        self
    }

    /// Names the theme or item the finding concerns.
    #[must_use]
    pub fn on(mut self, entity: impl Shared) -> Finding {
        self.entity = Some(entity.shared());
        self
    }

    /// Names the field at fault.
    #[must_use]
    pub fn field(mut self, path: impl Shared) -> Finding {
        self.field = Some(path.shared());
        self
    }

    /// The finding's identity, with `path` the path of the file it is in.
    pub fn identity<'a>(&'a self, path: Option<&'a str>) -> Identity<'a> {
        Identity {
            rule: self.rule,
            file: path,
            entity: self.entity.as_deref(),
            field: self.field.as_deref(),
        }
    }

    /// Adds a help line.
    #[must_use]
    pub fn help(mut self, help: impl Into<Arc<str>>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Adds a help line when there is one.
    #[must_use]
    pub fn maybe_help(mut self, help: Option<String>) -> Finding {
        self.help = help.map(Arc::from);
        self
    }

    /// Sets the label drawn under the span.
    #[must_use]
    pub fn label(mut self, label: impl Into<Arc<str>>) -> Finding {
        self.label = Some(label.into());
        self
    }

    /// Adds a second location.
    #[must_use]
    pub fn related(mut self, at: Location, label: impl Into<String>) -> Finding {
        self.related = Some(Box::new((at, label.into())));
        self
    }
}

/// A rule that did not run because what it needs is missing, said once per check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The rule.
    pub rule: Rule,
    /// Why it could not run.
    pub reason: String,
}

/// An ASCII string seen in lowercase without allocating one: "did you mean" compares a wrong
/// name with every id of a plan, and ids are ASCII, so a lowercase copy per comparison was most
/// of its cost.
struct AsciiLowercase<'a>(&'a [u8]);

impl<'a> IntoIterator for &AsciiLowercase<'a> {
    type Item = u8;
    type IntoIter = std::iter::Map<std::iter::Copied<std::slice::Iter<'a, u8>>, fn(u8) -> u8>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().copied().map(|b| b.to_ascii_lowercase())
    }
}

/// `1 error`, `2 errors`: a count in a message.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Jaro-Winkler similarity of `a` and `b`, ignoring case.
fn similarity(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() {
        strsim::generic_jaro_winkler(&AsciiLowercase(a.as_bytes()), &AsciiLowercase(b.as_bytes()))
    } else {
        strsim::jaro_winkler(&a.to_lowercase(), &b.to_lowercase())
    }
}

/// The nearest candidate to `wrong` by Jaro-Winkler similarity (ignoring case), if close enough
/// to be a likely typo.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = similarity(wrong, candidate);
        if score > 0.85 && best.is_none_or(|(b, c)| score > b || (score == b && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// "did you mean `x`?" for the nearest candidate, if one is near enough: the help of an error
/// about an unknown name.
pub fn suggestion<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean(wrong, candidates).map(|near| format!("did you mean `{near}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_is_small_and_shares_its_identity() {
        // 208 bytes before its message was boxed to size and `related` boxed: a large plan
        // holds tens of thousands of findings.
        assert!(
            std::mem::size_of::<Finding>() <= 136,
            "{}",
            std::mem::size_of::<Finding>()
        );
        let field: Arc<str> = Arc::from("priority[t]");
        let finding = Finding::new(Rule::PriorityInversion, "m", None).field(&field);
        assert!(finding.field.is_some_and(|f| Arc::ptr_eq(&f, &field)));
        let copied = Finding::new(Rule::PriorityInversion, "m", None).on("t");
        assert_eq!(copied.entity.as_deref(), Some("t"));
    }

    #[test]
    fn rule_codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for rule in Rule::ALL {
            assert_eq!(rule.code().parse::<Rule>(), Ok(*rule));
            assert!(seen.insert(rule.code()));
        }
        assert_eq!(Rule::ALL.len(), 34);
    }

    #[test]
    fn similarity_without_copies_equals_strsim_on_lowercase_copies() {
        let words = [
            "BL-1234",
            "bl-1243",
            "Enterprise-Security",
            "enterprise-secruity",
            "",
            "x",
            "ÉTÉ",
            "été-2",
            "api_platform.v2",
        ];
        for a in words {
            for b in words {
                let expected = strsim::jaro_winkler(&a.to_lowercase(), &b.to_lowercase());
                assert!((similarity(a, b) - expected).abs() < 1e-12, "{a} ~ {b}");
            }
        }
    }

    #[test]
    fn suggestions_pick_near_misses_only() {
        let ids = ["enterprise-security", "mobile-experience", "api-platform"];
        assert_eq!(
            did_you_mean("enterprise-securty", ids),
            Some("enterprise-security")
        );
        assert_eq!(
            did_you_mean("Mobile-Experience", ids),
            Some("mobile-experience")
        );
        assert_eq!(did_you_mean("billing", ids), None);
        assert_eq!(
            did_you_mean("titel", ["title", "tags", "theme"]),
            Some("title")
        );
    }
}
