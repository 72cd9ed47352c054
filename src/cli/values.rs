//! The values options take, as clap derives them: formats, trackers, levels.

use clap::ValueEnum;

/// A tracker whose export roadlog reads.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TrackerArg {
    /// `gh issue list --json …` or `gh project item-list --format json`
    Github,
    /// Jira's "Export CSV (all fields)"
    Jira,
    /// Linear's CSV export
    Linear,
}

/// What `--missing` does.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MissingArg {
    /// Set them to wontdo
    Wontdo,
}

/// `roadlog import --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ImportFormat {
    /// A summary on stderr (and the diff, with --dry-run)
    Text,
    /// One JSON document on stdout
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum SchemaArg {
    Theme,
    Item,
    Config,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum EveryArg {
    Day,
    Week,
    Month,
    Commit,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum ModelArg {
    /// Each theme's own finished and arriving work, drawn week by week (the default)
    Theme,
    /// The team's throughput split by each theme's share of what was finished in the window
    Share,
    /// Themes one after another in priority order, then horizon: the cut line
    Rank,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum HistoryFormat {
    Table,
    Json,
    Csv,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FailOn {
    /// A finding of severity error that the base did not have
    NewErrors,
    /// A finding of severity error or warning that the base did not have
    NewWarnings,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SeverityArg {
    /// Errors only
    Error,
    /// Errors and warnings
    Warning,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum TableFormat {
    Table,
    Markdown,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum RoadmapFormat {
    Table,
    Markdown,
    Mermaid,
    Json,
}

impl From<TableFormat> for roadlog::TableFormat {
    fn from(f: TableFormat) -> roadlog::TableFormat {
        match f {
            TableFormat::Table => roadlog::TableFormat::Table,
            TableFormat::Markdown => roadlog::TableFormat::Markdown,
            TableFormat::Json => roadlog::TableFormat::Json,
        }
    }
}

impl From<RoadmapFormat> for roadlog::RoadmapFormat {
    fn from(f: RoadmapFormat) -> roadlog::RoadmapFormat {
        use roadlog::RoadmapFormat::{Mermaid, Report};
        match f {
            RoadmapFormat::Table => Report(roadlog::TableFormat::Table),
            RoadmapFormat::Markdown => Report(roadlog::TableFormat::Markdown),
            RoadmapFormat::Json => Report(roadlog::TableFormat::Json),
            RoadmapFormat::Mermaid => Mermaid,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum Format {
    Human,
    Json,
    Github,
    /// SARIF 2.1.0 for GitHub code scanning
    Sarif,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ColorChoice {
    Auto,
    Always,
    Never,
}
