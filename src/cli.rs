//! Command-line arguments (clap types stay here), resolved into a plain [`roadlog::Request`].

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Parser;
use roadlog::{CheckFormat, Command, Request, SchemaKind, View};
use roadlog_engine::edit::Change;
use roadlog_engine::history::Every;
use roadlog_engine::time::Date;

mod args;
mod complete;
mod list;
mod new;
mod values;

use new::NewCommand;

use args::{Commands, ReportCommand, parse_date};
use values::{
    ColorChoice, EveryArg, FailOn, Format, HistoryFormat, ImportFormat, MissingArg, ModelArg,
    SchemaArg, SeverityArg, TrackerArg,
};

/// The tracker `init --from` names; anything else is a usage error, as clap gives one.
fn tracker_named(name: &str) -> roadlog_engine::import::Tracker {
    use roadlog_engine::import::Tracker;
    match name {
        "github" => Tracker::Github,
        "jira" => Tracker::Jira,
        "linear" => Tracker::Linear,
        other => <Cli as clap::CommandFactory>::command()
            .error(
                clap::error::ErrorKind::InvalidValue,
                format!(
                    "`{other}` is not a tracker for '--from <TRACKER> <FILE>': use github, jira or linear"
                ),
            )
            .exit(),
    }
}

/// Keep a product roadmap and backlog as YAML in git, aligned and validated.
#[derive(Parser, Debug)]
#[command(
    name = "roadlog",
    version,
    about,
    propagate_version = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    /// The plan root (default: the nearest folder upwards holding roadlog.yaml)
    #[arg(
        long,
        global = true,
        env = "ROADLOG_PLAN",
        value_name = "DIR",
        help_heading = "Global options"
    )]
    plan: Option<PathBuf>,

    /// The date used for staleness, overdue themes and the current sprint
    #[arg(long, global = true, env = "ROADLOG_TODAY", value_name = "YYYY-MM-DD", value_parser = parse_date, help_heading = "Global options")]
    today: Option<Date>,

    /// When to colour output (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Global options")]
    color: ColorChoice,

    /// Print less: no summary or notes
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Global options"
    )]
    quiet: bool,

    /// Also print the plan root, date and current sprint in use
    #[arg(short, long, global = true, help_heading = "Global options")]
    verbose: bool,

    #[command(subcommand)]
    command: Commands,
}

/// `COLUMNS`, when it is set to a width.
fn columns() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&n: &usize| n > 0)
}

/// The width of a terminal, from its size (a terminal that reports 0 columns says nothing).
fn terminal_width(size: Option<(terminal_size::Width, terminal_size::Height)>) -> Option<usize> {
    match size {
        Some((terminal_size::Width(w), _)) if w > 0 => Some(usize::from(w)),
        _ => None,
    }
}

/// The width diagnostics on stderr wrap to: `COLUMNS`, else the terminal's, else a fixed 100,
/// so a log reads the same wherever it was made.
fn width() -> usize {
    columns()
        .or_else(|| terminal_width(terminal_size::terminal_size_of(std::io::stderr())))
        .or_else(|| terminal_width(terminal_size::terminal_size_of(std::io::stdout())))
        .unwrap_or(100)
}

/// The width tables on stdout fit: `COLUMNS`, else the terminal's; none for a file or a pipe,
/// which gets every column whole.
fn table_width() -> Option<usize> {
    columns().or_else(|| terminal_width(terminal_size::terminal_size_of(std::io::stdout())))
}

/// What the command line asks for.
pub(crate) enum Parsed {
    /// Run the engine.
    Run(Box<Request>),
    /// Print a completion script.
    Completions(clap_complete::Shell),
}

impl Cli {
    /// Resolves arguments and environment into the library's request (or a completion script,
    /// which only the binary can make, since it needs clap's command definition).
    pub(crate) fn into_request(self) -> std::io::Result<Parsed> {
        let color = |terminal: bool| match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal
            }
        };
        let color_stderr = color(std::io::stderr().is_terminal());
        let color_stdout = color(std::io::stdout().is_terminal());
        let read = self.command.read().unwrap_or_else(|| args::ReadArgs {
            rev: None,
            cache: args::CacheArgs {
                no_cache: false,
                // A write reads the plan through the cache too; it keeps the folder it is told.
                cache_dir: std::env::var_os("ROADLOG_CACHE_DIR").map(PathBuf::from),
            },
        });
        let command = match self.command {
            Commands::Check {
                format,
                deny_warnings,
                severity,
                ..
            } => Command::Check {
                errors_only: severity == SeverityArg::Error,
                format: match format {
                    Format::Human => CheckFormat::Human,
                    Format::Json => CheckFormat::Json,
                    Format::Github => CheckFormat::Github,
                    Format::Sarif => CheckFormat::Sarif,
                },
                deny_warnings,
            },
            Commands::Init {
                dir,
                empty,
                from,
                date_format,
            } => Command::Init {
                dir,
                empty,
                from: match from.as_deref() {
                    Some([tracker, file]) => Some(roadlog::ImportRequest {
                        tracker: tracker_named(tracker),
                        file: file.into(),
                        dry_run: false,
                        prefix: None,
                        missing_wontdo: false,
                        date_format,
                        json: false,
                    }),
                    _ => None,
                },
            },
            Commands::Import {
                tracker,
                file,
                dry_run,
                prefix,
                missing,
                date_format,
                format,
            } => Command::Import(roadlog::ImportRequest {
                tracker: match tracker {
                    TrackerArg::Github => roadlog_engine::import::Tracker::Github,
                    TrackerArg::Jira => roadlog_engine::import::Tracker::Jira,
                    TrackerArg::Linear => roadlog_engine::import::Tracker::Linear,
                },
                file,
                dry_run,
                prefix,
                missing_wontdo: missing == Some(MissingArg::Wontdo),
                date_format,
                json: format == ImportFormat::Json,
            }),
            Commands::Progress {
                all,
                external,
                depth,
                format,
                ..
            } => Command::Progress {
                all,
                external,
                depth: depth.map(usize::from),
                format: format.into(),
            },
            Commands::Diff {
                base,
                head,
                format,
                fail_on,
                forecast,
                ..
            } => Command::Diff {
                base: Some(base),
                head,
                forecast,
                format: format.into(),
                fail_on: fail_on.map(|f| match f {
                    FailOn::NewErrors => roadlog_engine::diag::Severity::Error,
                    FailOn::NewWarnings => roadlog_engine::diag::Severity::Warning,
                }),
            },
            Commands::New(NewCommand::Theme {
                id,
                title,
                objective,
                horizon,
                status,
                priority,
                owner,
                parent,
                metrics,
            }) => Command::NewTheme(roadlog_engine::author::NewTheme {
                id,
                title,
                objective,
                horizon,
                status,
                priority,
                owner,
                metrics,
                parent,
            }),
            Commands::New(NewCommand::Item {
                title,
                kind,
                theme,
                parent,
                estimate,
                status,
                priority,
                sprint,
                assignee,
                depends_on,
                acceptance,
                tags,
                dir,
            }) => Command::NewItem(roadlog_engine::author::NewItem {
                title,
                kind,
                status,
                theme,
                parent,
                estimate,
                priority,
                sprint,
                assignee,
                depends_on,
                acceptance,
                tags,
                dir,
            }),
            Commands::Set {
                id,
                field,
                value,
                unset,
                add,
                remove,
            } => Command::Set {
                id,
                field,
                change: match (value, add, remove) {
                    _ if unset => Change::Unset,
                    (_, Some(v), _) => Change::Add(v),
                    (_, _, Some(v)) => Change::Remove(v),
                    (v, None, None) => Change::To(v.unwrap_or_default()),
                },
            },
            Commands::Rename { old, new } => Command::Rename { old, new },
            Commands::Schema { kind, .. } => Command::Schema {
                kind: match kind {
                    SchemaArg::Theme => SchemaKind::Theme,
                    SchemaArg::Item => SchemaKind::Item,
                    SchemaArg::Config => SchemaKind::Config,
                },
            },
            Commands::Completions { shell } => return Ok(Parsed::Completions(shell)),
            Commands::Lsp => Command::Lsp,
            Commands::Mcp { read_only } => Command::Mcp { read_only },
            Commands::Publish {
                out,
                external,
                watch,
                ..
            } => Command::Publish {
                out,
                external,
                watch,
            },
            Commands::Forecast {
                window,
                trials,
                seed,
                model,
                no_growth,
                no_calibrate,
                defer,
                drop,
                capacity,
                add,
                backtest,
                format,
                ..
            } => Command::Forecast {
                ask: roadlog::ForecastRequest {
                    options: roadlog_engine::forecast::Options {
                        window,
                        trials,
                        seed,
                        model: match model {
                            ModelArg::Theme => roadlog_engine::forecast::Model::Theme,
                            ModelArg::Share => roadlog_engine::forecast::Model::Share,
                            ModelArg::Rank => roadlog_engine::forecast::Model::Rank,
                        },
                        growth: !no_growth,
                        calibrate: !no_calibrate,
                    },
                    defer,
                    drop,
                    capacity,
                    add,
                    backtest,
                },
                format: format.into(),
            },
            Commands::History {
                every,
                since,
                format,
                ..
            } => Command::History {
                every: match every {
                    EveryArg::Day => Every::Day,
                    EveryArg::Week => Every::Week,
                    EveryArg::Month => Every::Month,
                    EveryArg::Commit => Every::Commit,
                },
                since,
                format: match format {
                    HistoryFormat::Table => roadlog::HistoryFormat::Table,
                    HistoryFormat::Json => roadlog::HistoryFormat::Json,
                    HistoryFormat::Csv => roadlog::HistoryFormat::Csv,
                },
            },
            Commands::Trace { id, format, .. } => Command::Trace {
                id,
                format: format.into(),
            },
            Commands::List(args) => {
                let (ask, format) = args.into_request();
                Command::List { ask, format }
            }
            Commands::Roadmap {
                external, format, ..
            } => Command::Roadmap {
                external,
                format: format.into(),
            },
            Commands::Report(view) => match view {
                ReportCommand::Exec {
                    external, format, ..
                } => Command::Report {
                    view: View::Exec { external },
                    format: format.into(),
                },
                ReportCommand::Team {
                    sprint,
                    limit,
                    format,
                    ..
                } => Command::Report {
                    view: View::Team { sprint, limit },
                    format: format.into(),
                },
                ReportCommand::Pm { format, .. } => Command::Report {
                    view: View::Pm,
                    format: format.into(),
                },
            },
        };
        Ok(Parsed::Run(Box::new(Request {
            command,
            plan: self.plan,
            rev: read.rev,
            cwd: std::env::current_dir()?,
            today: self.today.unwrap_or_else(Date::today_utc),
            color_stderr,
            color_stdout,
            verbosity: if self.quiet {
                -1
            } else {
                i8::from(self.verbose)
            },
            width: width(),
            table_width: table_width(),
            no_cache: read.cache.no_cache,
            cache_dir: read.cache.cache_dir.filter(|d| !d.as_os_str().is_empty()),
            github_step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        })))
    }
}
