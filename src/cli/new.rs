//! `roadlog new theme` and `roadlog new item`: their options.

use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub(super) enum NewCommand {
    /// A roadmap theme: roadmap/ID.yaml
    #[command(
        after_help = "Examples:\n  roadlog new theme self-serve --title \"Self-serve growth\" \\\n      \
                            --objective \"Double sign-ups without sales\" --horizon 2027-Q1 \\\n      \
                            --priority 2 --owner Dana --metric \"Monthly sign-ups: 400 -> 800\""
    )]
    Theme {
        /// Theme id, also the file name: lowercase letters, digits and -
        id: String,
        /// The headline
        #[arg(long)]
        title: String,
        /// The business outcome it serves
        #[arg(long)]
        objective: String,
        /// When: 2025-Q3, 2025-07, 2025-Q3..2026-Q1, now, next or later (needed unless done or dropped)
        #[arg(long)]
        horizon: Option<String>,
        /// proposed, active, done or dropped
        #[arg(long, default_value = "proposed")]
        status: String,
        /// Rank among themes, 1 first
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        priority: Option<u32>,
        /// Who answers for it
        #[arg(long)]
        owner: Option<String>,
        /// The initiative it belongs to: another theme's id
        #[arg(long, value_name = "THEME", add = super::complete::themes())]
        parent: Option<String>,
        /// A success metric, "name: baseline -> target" or "name: target" (repeatable)
        #[arg(long = "metric", value_name = "METRIC", value_parser = roadlog_engine::author::parse_metric)]
        metrics: Vec<roadlog_engine::model::Metric>,
    },
    /// A backlog item with the next free id (<id_prefix>-<n>)
    #[command(
        after_help = "Examples:\n  roadlog new item --title \"SAML sign-in\" --theme enterprise-security --estimate 5\n  \
                            roadlog new item --title \"Audit export\" --parent BL-110 --kind task --dir security"
    )]
    Item {
        /// One-line summary
        #[arg(long)]
        title: String,
        /// epic, story, task, bug, spike or chore (left out of the file when not given: story)
        #[arg(long)]
        kind: Option<String>,
        /// The theme it serves
        #[arg(long, add = super::complete::themes())]
        theme: Option<String>,
        /// The item it breaks down
        #[arg(long, add = super::complete::items())]
        parent: Option<String>,
        /// Story points
        #[arg(long, allow_negative_numbers = true)]
        estimate: Option<f64>,
        /// Status
        #[arg(long, default_value = "todo")]
        status: String,
        /// Rank in the backlog, 1 first
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        priority: Option<u32>,
        /// Sprint id
        #[arg(long, add = super::complete::sprints())]
        sprint: Option<String>,
        /// Who works on it
        #[arg(long, add = super::complete::people())]
        assignee: Option<String>,
        /// An item that must be done first (repeatable)
        #[arg(long = "depends-on", value_name = "ID", add = super::complete::items())]
        depends_on: Vec<String>,
        /// An acceptance criterion (repeatable)
        #[arg(long = "acceptance", value_name = "TEXT")]
        acceptance: Vec<String>,
        /// A tag (repeatable)
        #[arg(long = "tag", value_name = "TAG", add = super::complete::tags())]
        tags: Vec<String>,
        /// Sub-folder of the backlog to put it in
        #[arg(long, value_name = "DIR")]
        dir: Option<String>,
    },
}
