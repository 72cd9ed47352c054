//! Command-line arguments (clap types stay here), resolved into a plain [`roadlog::Request`].

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use roadlog::time::Date;
use roadlog::{CheckFormat, Command, Request};

/// Keep a product roadmap and backlog as YAML in git, aligned and validated.
#[derive(Parser, Debug)]
#[command(
    name = "roadlog",
    version,
    about,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The plan root (default: the nearest folder upwards holding roadlog.yaml)
    #[arg(long, global = true, env = "ROADLOG_PLAN", value_name = "DIR")]
    plan: Option<PathBuf>,

    /// The date used for staleness, overdue themes and the current sprint
    #[arg(long, global = true, env = "ROADLOG_TODAY", value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,

    /// When to colour output (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,

    /// Print less: no summary or notes
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,

    /// Also print the plan root, date and current sprint in use
    #[arg(short, long, global = true)]
    verbose: bool,

    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand, Debug)]
enum Commands {
    /// Validate the plan against every rule (a CI gate and a reviewer's tool)
    #[command(
        after_help = "Examples:\n  roadlog check\n  roadlog check --plan examples/acme --format json\n  \
                            roadlog check --format github --deny-warnings\n\n\
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
    },
    /// Create a new plan: roadlog.yaml, roadmap/ and backlog/
    #[command(after_help = "Examples:\n  roadlog init\n  roadlog init plan --empty")]
    Init {
        /// Folder to create the plan in
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Create no example theme or item
        #[arg(long)]
        empty: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Format {
    Human,
    Json,
    Github,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse()
}

impl Cli {
    /// Resolves arguments and environment into the library's request.
    pub fn into_request(self) -> std::io::Result<Request> {
        let color_stderr = match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        };
        let command = match self.command {
            Commands::Check {
                format,
                deny_warnings,
            } => Command::Check {
                format: match format {
                    Format::Human => CheckFormat::Human,
                    Format::Json => CheckFormat::Json,
                    Format::Github => CheckFormat::Github,
                },
                deny_warnings,
            },
            Commands::Init { dir, empty } => Command::Init { dir, empty },
        };
        Ok(Request {
            command,
            plan: self.plan,
            cwd: std::env::current_dir()?,
            today: self.today.unwrap_or_else(Date::today_utc),
            color_stderr,
            verbosity: if self.quiet {
                -1
            } else {
                i8::from(self.verbose)
            },
            width: 100,
            github_step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        })
    }
}
