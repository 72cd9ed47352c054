//! The subcommands and their options, as clap derives them.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use roadlog_engine::time::Date;

use super::values::{
    EveryArg, FailOn, Format, HistoryFormat, ImportFormat, MissingArg, ModelArg, RoadmapFormat,
    SchemaArg, SeverityArg, TableFormat, TrackerArg,
};

/// Where a read command reads the plan from, and its parse cache: only the commands that read
/// offer them (a write is always to the working tree).
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Global options")]
pub(super) struct ReadArgs {
    /// Read the plan as committed at REV (branch, tag, sha, HEAD~3), straight from git
    #[arg(long, value_name = "REV")]
    pub(super) rev: Option<String>,
    #[command(flatten)]
    pub(super) cache: CacheArgs,
}

/// The parse cache kept between runs.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Global options")]
pub(super) struct CacheArgs {
    /// Read and parse every file, without the parse cache kept between runs
    #[arg(long)]
    pub(super) no_cache: bool,
    /// Where the parse cache is kept (default: inside the repository's git folder)
    #[arg(long, env = "ROADLOG_CACHE_DIR", value_name = "DIR")]
    pub(super) cache_dir: Option<PathBuf>,
}

impl Commands {
    /// The read options the command was given; `None` for commands that offer none.
    pub(super) fn read(&self) -> Option<ReadArgs> {
        match self {
            Commands::Check { read, .. }
            | Commands::Progress { read, .. }
            | Commands::Trace { read, .. }
            | Commands::Roadmap { read, .. }
            | Commands::History { read, .. }
            | Commands::Forecast { read, .. }
            | Commands::Publish { read, .. }
            | Commands::Report(
                ReportCommand::Exec { read, .. }
                | ReportCommand::Team { read, .. }
                | ReportCommand::Pm { read, .. },
            ) => Some(read.clone()),
            Commands::List(list) => Some(list.read.clone()),
            Commands::Diff { cache, .. } | Commands::Schema { cache, .. } => Some(ReadArgs {
                rev: None,
                cache: cache.clone(),
            }),
            _ => None,
        }
    }
}

#[derive(Subcommand, Debug)]
pub(super) enum Commands {
    /// Validate the plan against every rule (a CI gate and a reviewer's tool)
    #[command(
        after_help = "Examples:\n  roadlog check\n  roadlog check --format json > findings.json\n  \
                            roadlog check --format github --deny-warnings\n  \
                            roadlog check --severity error                 # errors only\n\n\
                            Exit status: 0 clean, 1 findings of severity error (or warnings with \
                            --deny-warnings), 2 could not run."
    )]
    Check {
        /// Output format: human diagnostics on stderr, or JSON / GitHub annotations on stdout
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too
        #[arg(long)]
        deny_warnings: bool,
        /// Show only findings of this severity or worse (`error` hides warnings; the exit status
        /// still weighs every finding)
        #[arg(long, value_enum, value_name = "LEVEL", default_value_t = SeverityArg::Warning)]
        severity: SeverityArg,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Progress of each theme, rolled up from backlog completion
    #[command(
        after_help = "Examples:\n  roadlog progress\n  roadlog progress --all --format markdown\n  \
                            roadlog progress --format json | jq '.themes[] | {id, progress}'"
    )]
    Progress {
        /// Include done and dropped themes
        #[arg(long)]
        all: bool,
        /// Leave out internal themes, for readers outside the company
        #[arg(long)]
        external: bool,
        /// Only the top N levels: 1 shows initiatives and top-level themes alone
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        depth: Option<u16>,
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// A view of the plan for one audience: exec, team or pm
    #[command(subcommand)]
    Report(ReportCommand),
    /// Trace an item up to its theme, or list the items serving a theme
    #[command(
        after_help = "Examples:\n  roadlog trace BL-101\n  roadlog trace enterprise-security --format markdown"
    )]
    Trace {
        /// An item or theme id
        #[arg(add = super::complete::ids())]
        id: String,
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Items (or themes) answering one question: what is blocked, what is mine, what is in this sprint
    #[command(
        after_help = "Examples:\n  roadlog list --blocked\n  roadlog list --assignee priya --open\n  roadlog list --sprint current --theme enterprise-security\n  roadlog list --themes --status active\n  roadlog list --unestimated --format ids | xargs -n1 roadlog trace"
    )]
    List(super::list::ListArgs),
    /// The roadmap as a timeline: themes over quarters (or months)
    #[command(
        after_help = "Examples:\n  roadlog roadmap\n  roadlog roadmap --format mermaid > roadmap.mmd"
    )]
    Roadmap {
        /// Leave out internal themes, for readers outside the company
        #[arg(long)]
        external: bool,
        /// Output format; mermaid prints a Gantt chart that GitHub renders in markdown
        #[arg(long, value_enum, default_value_t = RoadmapFormat::Table)]
        format: RoadmapFormat,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// How the plan changed between two revisions: a ready pull-request comment
    #[command(
        after_help = "Examples:\n  roadlog diff                                  # HEAD against the working tree\n  \
                            roadlog diff origin/main --format markdown    # a pull-request comment\n  \
                            roadlog diff v1.0 v1.1 --format json\n  \
                            roadlog diff origin/main HEAD --fail-on new-warnings   # a pull-request gate"
    )]
    Diff {
        /// Base revision
        #[arg(default_value = "HEAD")]
        base: String,
        /// Head revision (default: the working tree)
        head: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        /// Exit 1 when the change introduces a finding of this kind
        #[arg(long, value_enum, value_name = "WHAT")]
        fail_on: Option<FailOn>,
        /// Also say how the change moves each theme's forecast (reads the whole plan on both
        /// sides and its history, which a diff otherwise avoids)
        #[arg(long)]
        forecast: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Theme progress over time, from the commits that changed the plan
    #[command(
        after_help = "Examples:\n  roadlog history\n  roadlog history --every month --since 2025-01-01\n  \
                            roadlog history --every commit --format csv > progress.csv"
    )]
    History {
        /// One sample per period: the plan as it stood at the end of it
        #[arg(long, value_enum, default_value_t = EveryArg::Week)]
        every: EveryArg,
        /// Leave out commits before this day
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        since: Option<Date>,
        /// Output format
        #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
        format: HistoryFormat,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// When each theme will be done, from what the team finished in the plan's git history
    #[command(after_help = forecast_help())]
    Forecast {
        /// Weeks of history to learn throughput from (weeks with nothing done count as zeros;
        /// at least 4)
        #[arg(long, value_name = "WEEKS", default_value_t = 12,
              value_parser = clap::value_parser!(u32).range(i64::from(roadlog_engine::forecast::MIN_WEEKS)..=260))]
        window: u32,
        /// Monte Carlo trials
        #[arg(long, value_name = "N", default_value_t = 10_000,
              value_parser = clap::value_parser!(u32).range(100..=1_000_000))]
        trials: u32,
        /// The random seed (fixed by default, so the same plan gives the same dates)
        #[arg(long, value_name = "S", default_value_t = roadlog_engine::forecast::DEFAULT_SEED)]
        seed: u64,
        /// Where each theme's throughput comes from
        #[arg(long, value_enum, default_value_t = ModelArg::Theme)]
        model: ModelArg,
        /// Leave out the scope growth measured in the window
        #[arg(long)]
        no_growth: bool,
        /// Show the raw simulation, not the dates calibrated on the plan's past forecasts
        #[arg(long)]
        no_calibrate: bool,
        /// Scenario: work on THEME only after every other theme
        #[arg(long, value_name = "THEME")]
        defer: Vec<String>,
        /// Scenario: drop an item, or an epic with everything under it
        #[arg(long, value_name = "ID")]
        drop: Vec<String>,
        /// Scenario: multiply the team's throughput (0.8: a fifth of the team away)
        #[arg(long, value_name = "FACTOR", allow_negative_numbers = true)]
        capacity: Option<f64>,
        /// Scenario: expected new scope for a theme, in the unit of progress_by
        #[arg(long, value_name = "THEME=WEIGHT", value_parser = roadlog::request::parse_added)]
        add: Vec<(String, f64)>,
        /// Replay the forecast from every 4 weeks of the last year and say how often it came true
        #[arg(long)]
        backtest: bool,
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Create a theme or backlog item file, checked before it is written
    #[command(subcommand)]
    New(super::new::NewCommand),
    /// Change one field of a theme or item in place; every other byte of the file stays
    #[command(after_help = set_help())]
    Set {
        /// Theme or item id
        #[arg(add = super::complete::ids())]
        id: String,
        /// The field to change
        field: String,
        /// The new value (`today` for a date)
        #[arg(required_unless_present_any = ["unset", "add", "remove"], allow_negative_numbers = true)]
        value: Option<String>,
        /// Remove the field instead
        #[arg(long, conflicts_with_all = ["value", "add", "remove"])]
        unset: bool,
        /// Add an entry to a list field (depends_on, acceptance, tags)
        #[arg(long, value_name = "VALUE", conflicts_with_all = ["value", "remove"])]
        add: Option<String>,
        /// Remove an entry from a list field
        #[arg(long, value_name = "VALUE", conflicts_with = "value")]
        remove: Option<String>,
    },
    /// Give a theme or item a new id: every reference is rewritten, all or nothing
    #[command(
        after_help = "Rewrites `theme`, `parent`, `depends_on` and `related` wherever they name OLD, renames the\n\
                      file when it is named after the id, and keeps OLD under `aliases:` so diff, history and\n\
                      branches made before the rename still follow it. Every file is written to a temporary\n\
                      first and only then moved into place.\n\n\
                      Examples:\n  roadlog rename BL-101 SSO-1\n  roadlog rename mobile-experience mobile"
    )]
    Rename {
        /// The id now
        #[arg(add = super::complete::ids())]
        old: String,
        /// The id to give it
        new: String,
    },
    /// Write the stakeholder site: a self-contained HTML page per audience
    #[command(
        after_help = "Writes index.html (executives: timeline, now/next/later, a card per theme), pm.html\n\
                      (alignment and the traceability tree) and team.html (the sprint board); with --external\n\
                      only index.html, without internal themes and owners. Each page is one file that opens\n\
                      from disk and makes no network request.\n\n\
                      Examples:\n  roadlog publish\n  roadlog publish --out public --external\n  \
                      roadlog publish --rev origin/main --out site"
    )]
    Publish {
        /// The folder to write the pages in
        #[arg(long, value_name = "DIR", default_value = "site")]
        out: PathBuf,
        /// Only index.html, for customers: no internal themes, no owners
        #[arg(long)]
        external: bool,
        /// Keep running, and write the pages again whenever a plan file changes (Ctrl-C stops)
        #[arg(long, conflicts_with = "rev")]
        watch: bool,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Print the JSON Schema of a plan file kind, for editors with a YAML language server
    #[command(
        after_help = "Examples:\n  roadlog schema item > .roadlog/item.schema.json\n  \
                            roadlog schema theme | jq .required\n\n\
                            Inside a plan, the item schema also accepts the plan's custom statuses. See docs/editors.md."
    )]
    Schema {
        /// Which file kind
        #[arg(value_enum)]
        kind: SchemaArg,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  roadlog completions bash > ~/.local/share/bash-completion/completions/roadlog\n  \
                            roadlog completions zsh > ~/.zfunc/_roadlog\n  \
                            roadlog completions fish > ~/.config/fish/completions/roadlog.fish"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Serve the Language Server Protocol over stdio, for editors
    #[command(
        long_about = "Serve the Language Server Protocol over stdio: the plan checked as you type \
                      (unsaved buffers laid over the disk), go to definition, references, hover, \
                      completion, rename, quick fixes, symbols and inlay hints.\n\n\
                      Started by an editor, not by hand; the plan is found from --plan, the \
                      workspace folder or the first file opened. Logs go to stderr. See \
                      docs/editors.md for Neovim, Helix, VS Code, Zed and Emacs.",
        after_help = "Examples:\n  roadlog lsp\n  roadlog --plan ~/work/plan lsp"
    )]
    Lsp,
    /// Serve the Model Context Protocol over stdio, for AI agents
    #[command(
        long_about = "Serve the Model Context Protocol over stdio: the plan's checks, lists, \
                      traces, reports, forecasts, diffs and history as tools an agent calls, \
                      each answering with the JSON of the command's --format json; and `set` and \
                      `rename`, with the command line's checks and a dry run.\n\n\
                      Started by an agent's client, not by hand. Each call reads the plan as it is \
                      on disk then. See docs/agents.md for Claude Code, Claude Desktop, VS Code \
                      and Cursor.",
        after_help = "Examples:\n  roadlog mcp\n  roadlog --plan ~/work/plan mcp --read-only"
    )]
    Mcp {
        /// Offer only the tools that change nothing
        #[arg(long)]
        read_only: bool,
    },
    /// Create a new plan: roadlog.yaml, roadmap/ and backlog/
    #[command(
        after_help = "Examples:\n  roadlog init\n  roadlog init plan --empty\n  \
                      roadlog init plan --from jira jira.csv"
    )]
    Init {
        /// Folder to create the plan in
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Create no example theme or item
        #[arg(long, conflicts_with = "from")]
        empty: bool,
        /// Make the plan from a tracker's export: github, jira or linear, then the file
        #[arg(long, num_args = 2, value_names = ["TRACKER", "FILE"])]
        from: Option<Vec<String>>,
        /// How the export writes dates (Jira's pattern letters, e.g. "yyyy-MM-dd HH:mm")
        #[arg(long, value_name = "PATTERN", requires = "from")]
        date_format: Option<String>,
    },
    /// Bring a GitHub, Jira or Linear export in, and keep the items it made in step
    #[command(
        long_about = "Bring a tracker's export in: each record becomes a backlog item tied to it by \
                      `source:`, and importing a newer export updates those items in place (the \
                      fields the tracker owns: title, status, kind, assignee, estimate, sprint, \
                      parent, dependencies, done_on), never the ones the plan owns, never deleting.\n\n\
                      The whole import is checked before anything is written, and written all or \
                      nothing. Statuses and themes are mapped under `import:` in roadlog.yaml; \
                      see docs/import.md for each tracker's export command.",
        after_help = "Examples:\n  roadlog import jira jira.csv --dry-run\n  \
                      roadlog import github issues.json\n  \
                      roadlog import linear linear.csv --missing wontdo --format json"
    )]
    Import {
        /// Which tracker wrote the export
        #[arg(value_enum)]
        tracker: TrackerArg,
        /// The export: `gh issue list --json …` or `gh project item-list --format json` output, or
        /// a Jira or Linear CSV
        file: PathBuf,
        /// Show what would change, write nothing
        #[arg(long)]
        dry_run: bool,
        /// New items are <P>-<number> (GitHub's default is GH-<number>)
        #[arg(long, value_name = "P")]
        prefix: Option<String>,
        /// What becomes of open items the export no longer holds (default: reported, left alone)
        #[arg(long, value_enum, value_name = "STATUS")]
        missing: Option<MissingArg>,
        /// How the export writes dates (Jira's pattern letters; default "d/MMM/yy h:mm a")
        #[arg(long, value_name = "PATTERN")]
        date_format: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = ImportFormat::Text)]
        format: ImportFormat,
    },
}

#[derive(Subcommand, Debug)]
pub(super) enum ReportCommand {
    /// For executives, customers and other teams: themes, outcomes and health, never backlog detail
    #[command(
        after_help = "Examples:\n  roadlog report exec\n  roadlog report exec --external --format markdown > ROADMAP.md"
    )]
    Exec {
        /// Leave out internal themes and owners, for readers outside the company
        #[arg(long)]
        external: bool,
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// For the people building: the sprint's items by status, blocked first, then what is next
    #[command(
        after_help = "Examples:\n  roadlog report team\n  roadlog report team --sprint 2026-S25 --limit 5"
    )]
    Team {
        /// Show this sprint instead of the current one
        #[arg(long, value_name = "ID", add = super::complete::sprints())]
        sprint: Option<String>,
        /// How many next items to list
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// For the product manager: the traceability tree and alignment figures
    #[command(
        after_help = "Examples:\n  roadlog report pm\n  roadlog report pm --format json | jq .alignment"
    )]
    Pm {
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        #[command(flatten)]
        read: ReadArgs,
    },
}

/// `set --help`'s list of fields, from the one table the reader and the schema use too.
pub(super) fn set_help() -> String {
    use roadlog_engine::model::fields::{self, Edit};
    let on = |table, edit| fields::editable(table, edit).join(", ");
    format!(
        "Fields: {} on themes;\n{} on items.\n\
         Lists (--add, --remove): {} on themes; {} on items.\n\n\
         Setting an item's status to a done one fills in done_on with today unless it has one.\n\n\
         Examples:\n  roadlog set BL-101 status done\n  roadlog set enterprise-security horizon 2026-Q2\n  \
         roadlog set enterprise-security reviewed today\n  roadlog set BL-101 sprint --unset\n  \
         roadlog set BL-103 depends_on --add BL-101\n  roadlog set BL-102 depends_on --remove BL-101",
        on(fields::THEME, Edit::Value),
        on(fields::ITEM, Edit::Value),
        on(fields::THEME, Edit::List),
        on(fields::ITEM, Edit::List),
    )
}

/// A `YYYY-MM-DD` argument.
pub(super) fn parse_date(s: &str) -> Result<Date, String> {
    s.parse()
}

fn forecast_help() -> &'static str {
    "Each theme's remaining weight is burnt down in 10,000 trials, each drawing a week of the \
     window for every week ahead: what was finished under the theme that week, and what arrived \
     under it. The dates are calibrated on the plan's own past forecasts once ten have resolved \
     (--no-calibrate for the raw simulation), and the output says how often they came true. Verdicts: likely (85% of trials finish by the horizon's end), at-risk \
     (50-85%), unlikely (below 50%), done, undated (no dated horizon), no-forecast (with the reason).\n\n\
     Examples:\n  roadlog forecast\n  roadlog forecast --defer enterprise-security --capacity 0.8\n  \
     roadlog forecast --drop BL-214 --add mobile-experience=10 --format markdown\n  \
     roadlog forecast --backtest"
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// `--add THEME=WEIGHT` and `--today` take any text: a value or a refusal, no panic.
        #[test]
        fn the_argument_parsers_take_any_text(s in any::<String>(), n in "[-+0-9.eE]{0,8}") {
            let _ = roadlog::request::parse_added(&s);
            let _ = roadlog::request::parse_added(&format!("{s}={n}"));
            let _ = super::parse_date(&s);
        }
    }
}
