//! What the binary asks the engine for: a command with its resolved options, and how the run
//! ended. Plain data, no clap: `cli.rs` builds a [`Request`], [`crate::cmd::run`] answers it.

use std::path::PathBuf;

use crate::time::Date;

/// `check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// miette diagnostics on stderr.
    Human,
    /// One JSON document on stdout.
    Json,
    /// GitHub Actions workflow commands on stdout.
    Github,
    /// A SARIF 2.1.0 log on stdout, for code scanning.
    Sarif,
}

/// Output format of the reports, `diff` and `trace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// A terminal table.
    Table,
    /// GitHub-flavoured markdown.
    Markdown,
    /// JSON on stdout.
    Json,
}

/// Output format of `roadmap`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoadmapFormat {
    /// One of the formats every report has.
    Report(TableFormat),
    /// A Mermaid Gantt chart.
    Mermaid,
}

/// Output format of `history`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryFormat {
    /// A terminal table with a sparkline per theme.
    Table,
    /// JSON on stdout.
    Json,
    /// Comma-separated values, a row per sample.
    Csv,
}

/// Output format of `list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    /// One of the formats every report has.
    Report(TableFormat),
    /// The ids alone, one per line, for scripts.
    Ids,
}

/// What `list` is asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListRequest {
    /// Themes rather than items.
    pub themes: bool,
    /// The filters; `sprint` may be `current`.
    pub filter: crate::report::Filter,
    /// Only items `stale-item` reports (reads git history).
    pub stale: bool,
    /// Only items `suspect-item` names (reads git history).
    pub suspect: bool,
    /// `--mine`: the open items of the person whose email is git's `user.email`.
    pub mine: bool,
    /// The order.
    pub sort: crate::report::SortKey,
}

/// Which audience view `report` builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    /// Executives, customers, other teams.
    Exec {
        /// Leave out internal themes and owners.
        external: bool,
    },
    /// The people building.
    Team {
        /// The sprint to show instead of the current one.
        sprint: Option<String>,
        /// How many next items to list.
        limit: usize,
    },
    /// The product manager.
    Pm,
}

/// Which file kind `schema` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    /// A roadmap theme file.
    Theme,
    /// A backlog item (each document of an item file).
    Item,
    /// `roadlog.yaml`.
    Config,
}

/// A command with its resolved options.
#[derive(Clone, Debug)]
pub enum Command {
    /// Validate the plan.
    Check {
        /// Output format.
        format: CheckFormat,
        /// Warnings fail the run too.
        deny_warnings: bool,
        /// Show only findings of severity error (the verdict still weighs every finding).
        errors_only: bool,
    },
    /// Progress per theme.
    Progress {
        /// Include done and dropped themes.
        all: bool,
        /// Leave out internal themes.
        external: bool,
        /// `--depth N`: only the top N levels of initiatives and themes.
        depth: Option<usize>,
        /// Output format.
        format: TableFormat,
    },
    /// An audience view.
    Report {
        /// Which view.
        view: View,
        /// Output format.
        format: TableFormat,
    },
    /// An item's chain to its theme, or a theme's tree.
    Trace {
        /// Item or theme id.
        id: String,
        /// Output format.
        format: TableFormat,
    },
    /// The timeline.
    Roadmap {
        /// Leave out internal themes.
        external: bool,
        /// Output format.
        format: RoadmapFormat,
    },
    /// Items or themes answering one question.
    List {
        /// The filters and order.
        ask: ListRequest,
        /// Output format.
        format: ListFormat,
    },
    /// How the plan changed between two revisions.
    Diff {
        /// Base revision (default `HEAD`).
        base: Option<String>,
        /// Head revision (default: the working tree).
        head: Option<String>,
        /// Output format.
        format: TableFormat,
        /// Exit 1 when the change introduces a finding of this severity or worse.
        fail_on: Option<crate::diag::Severity>,
        /// Also say how the change moves each theme's forecast.
        forecast: bool,
    },
    /// Theme progress over time.
    History {
        /// Sampling period.
        every: crate::history::Every,
        /// Leave out commits before this day.
        since: Option<Date>,
        /// Output format.
        format: HistoryFormat,
    },
    /// When each theme will be done, from the team's history.
    Forecast {
        /// What to run, and the scenario.
        ask: ForecastRequest,
        /// Output format.
        format: TableFormat,
    },
    /// Create a theme file.
    NewTheme(crate::author::NewTheme),
    /// Create a backlog item file.
    NewItem(crate::author::NewItem),
    /// Change one field of a theme or item in place.
    Set {
        /// Theme or item id.
        id: String,
        /// Field name.
        field: String,
        /// What to do to it.
        change: crate::edit::Change,
    },
    /// Give a theme or item a new id, rewriting every reference.
    Rename {
        /// The id now.
        old: String,
        /// The id to give it.
        new: String,
    },
    /// Serve the Language Server Protocol on stdin and stdout.
    Lsp,
    /// Serve the Model Context Protocol on stdin and stdout.
    Mcp {
        /// Offer only the tools that change nothing.
        read_only: bool,
    },
    /// Write the stakeholder site.
    Publish {
        /// The folder to write the pages in.
        out: PathBuf,
        /// Only the page for customers: no internal themes, no owners.
        external: bool,
        /// `--watch`: write them again whenever a plan file changes.
        watch: bool,
    },
    /// Print the JSON Schema of a file kind.
    Schema {
        /// Which kind.
        kind: SchemaKind,
    },
    /// Create a plan.
    Init {
        /// Folder to create it in.
        dir: PathBuf,
        /// No example theme and item.
        empty: bool,
        /// `--from TRACKER FILE`: the plan made from a tracker's export.
        from: Option<ImportRequest>,
    },
    /// Bring a tracker's export in.
    Import(ImportRequest),
}

/// What `roadlog import` (or `roadlog init --from`) was asked.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRequest {
    /// Which tracker wrote the export.
    pub tracker: crate::import::Tracker,
    /// The export.
    pub file: PathBuf,
    /// `--dry-run`: show the change, write nothing.
    pub dry_run: bool,
    /// `--prefix P`: new items are `P-<number>`.
    pub prefix: Option<String>,
    /// `--missing wontdo`.
    pub missing_wontdo: bool,
    /// `--date-format F`: how the export writes dates (Jira).
    pub date_format: Option<String>,
    /// `--format json`.
    pub json: bool,
}

/// A forecast's options and scenario, as given.
#[derive(Clone, Debug, PartialEq)]
pub struct ForecastRequest {
    /// Window, trials, seed, model, growth.
    pub options: crate::forecast::Options,
    /// `--defer THEME`.
    pub defer: Vec<String>,
    /// `--drop ID`.
    pub drop: Vec<String>,
    /// `--capacity FACTOR`.
    pub capacity: Option<f64>,
    /// `--add THEME=WEIGHT`.
    pub add: Vec<(String, f64)>,
    /// `--backtest`.
    pub backtest: bool,
}

/// Everything a run needs, resolved from arguments and environment by the binary.
#[derive(Clone, Debug)]
pub struct Request {
    /// The command.
    pub command: Command,
    /// `--plan` / `ROADLOG_PLAN`.
    pub plan: Option<PathBuf>,
    /// Where plan discovery starts.
    pub cwd: PathBuf,
    /// `--rev`: read the plan as committed at this revision.
    pub rev: Option<String>,
    /// `--today` / `ROADLOG_TODAY`, else the system date.
    pub today: Date,
    /// Colour on stderr.
    pub color_stderr: bool,
    /// Colour in the tables on stdout.
    pub color_stdout: bool,
    /// `-q` (negative) / `-v` (positive).
    pub verbosity: i8,
    /// Wrap width for diagnostics (stderr).
    pub width: usize,
    /// The width tables on stdout are fitted to; `None` draws them whole, for a file or a pipe
    /// (stdout not a terminal and `COLUMNS` unset), as `gh` and `kubectl` do.
    pub table_width: Option<usize>,
    /// `--no-cache`: keep no parse cache between runs.
    pub no_cache: bool,
    /// `ROADLOG_CACHE_DIR`: where the parse cache is kept, else inside the git directory.
    pub cache_dir: Option<PathBuf>,
    /// `GITHUB_STEP_SUMMARY`, for `--format github`.
    pub github_step_summary: Option<PathBuf>,
}

/// How a successful run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: check found errors (or warnings under `--deny-warnings`).
    Failed,
}

/// `THEME=WEIGHT` for `forecast --add`.
pub fn parse_added(s: &str) -> Result<(String, f64), String> {
    let (theme, weight) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not THEME=WEIGHT, e.g. mobile-experience=10"))?;
    let weight: f64 = weight
        .trim()
        .parse()
        .map_err(|_| format!("`{weight}` is not a number (the weight in `{s}`)"))?;
    Ok((theme.trim().to_string(), weight))
}
