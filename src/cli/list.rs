//! `roadlog list`: its options, and their translation into a [`roadlog::ListRequest`].

use clap::{Args, ValueEnum};
use roadlog_engine::report::{Filter, SortKey};

/// Options of `roadlog list`; filters combine with AND.
#[derive(Args, Debug)]
pub(super) struct ListArgs {
    /// List themes instead of items (takes --status, --open, --tag)
    #[arg(long, conflicts_with_all = ["theme", "kind", "assignee", "mine", "sprint", "blocked", "stale", "suspect", "unestimated"])]
    themes: bool,
    /// Items serving this theme, directly or through their epic
    #[arg(long, value_name = "THEME", add = super::complete::themes())]
    theme: Option<String>,
    /// Items (or themes) with this status
    #[arg(long, value_name = "STATUS")]
    status: Option<String>,
    /// Open items only (todo, in progress, blocked); with --themes, proposed and active ones
    #[arg(long)]
    open: bool,
    /// Items of this kind (epic, story, task, bug, spike, chore)
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// Items assigned to this person, or to any member of this team (any case)
    #[arg(long, value_name = "NAME", add = super::complete::people())]
    assignee: Option<String>,
    /// My open items: those of the person under `people:` whose email is git's user.email
    #[arg(long, conflicts_with = "assignee")]
    mine: bool,
    /// Items in this sprint; `current` for the sprint current today
    #[arg(long, value_name = "SPRINT", add = super::complete::sprints())]
    sprint: Option<String>,
    /// Items (or themes) with this tag
    #[arg(long, value_name = "TAG", add = super::complete::tags())]
    tag: Option<String>,
    /// Open items that cannot be worked on now: blocked, or waiting on work not done
    #[arg(long)]
    blocked: bool,
    /// Open items `stale-item` reports (reads git history)
    #[arg(long)]
    stale: bool,
    /// Open items `suspect-item` names: planned against a theme's old why or when (reads git history)
    #[arg(long)]
    suspect: bool,
    /// Leaf items without an estimate
    #[arg(long)]
    unestimated: bool,
    /// Order: priority (backlog rank, then id), id, status, theme or estimate (largest first)
    #[arg(long, value_enum, default_value_t = SortArg::Priority, value_name = "KEY")]
    sort: SortArg,
    /// Output format; `ids` prints one id per line, for scripts
    #[arg(long, value_enum, default_value_t = ListFormatArg::Table)]
    format: ListFormatArg,
    #[command(flatten)]
    pub(super) read: super::args::ReadArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum SortArg {
    Priority,
    Id,
    Status,
    Theme,
    Estimate,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ListFormatArg {
    Table,
    Markdown,
    Json,
    Ids,
}

impl ListArgs {
    /// The request and format the engine takes.
    pub(super) fn into_request(self) -> (roadlog::ListRequest, roadlog::ListFormat) {
        use roadlog::{ListFormat, TableFormat};
        let format = match self.format {
            ListFormatArg::Table => ListFormat::Report(TableFormat::Table),
            ListFormatArg::Markdown => ListFormat::Report(TableFormat::Markdown),
            ListFormatArg::Json => ListFormat::Report(TableFormat::Json),
            ListFormatArg::Ids => ListFormat::Ids,
        };
        let sort = match self.sort {
            SortArg::Priority => SortKey::Priority,
            SortArg::Id => SortKey::Id,
            SortArg::Status => SortKey::Status,
            SortArg::Theme => SortKey::Theme,
            SortArg::Estimate => SortKey::Estimate,
        };
        let ask = roadlog::ListRequest {
            themes: self.themes,
            filter: Filter {
                theme: self.theme,
                status: self.status,
                open: self.open,
                kind: self.kind,
                assignee: self.assignee,
                sprint: self.sprint,
                tag: self.tag,
                blocked: self.blocked,
                unestimated: self.unestimated,
            },
            stale: self.stale,
            suspect: self.suspect,
            mine: self.mine,
            sort,
        };
        (ask, format)
    }
}
