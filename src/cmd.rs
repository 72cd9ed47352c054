//! Runs one command: the engine's only entry point from the binary. Each command family has its
//! file, what they share is in [`context`], and this one only dispatches.

mod ages;
mod check;
mod complete;
mod context;
mod diff;
mod dry;
mod forecast;
mod history;
mod import;
mod list;
mod publish;
mod views;
mod write;

use std::io::Write;

pub use check::report_error;
pub use complete::{Candidates, candidates};
pub(crate) use context::load_work_tree;
pub use dry::{dry_new_item, dry_new_theme, dry_rename, dry_set};

use crate::error::Error;
use crate::request::{Command, Outcome, Request};

/// Runs a request, writing results to `out` and diagnostics to `err`.
pub fn run(req: &Request, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
    crate::internal::trip("run");
    match &req.command {
        Command::Check {
            format,
            deny_warnings,
            errors_only,
        } => check::check(req, *format, *deny_warnings, *errors_only, out, err),
        Command::Progress {
            all,
            external,
            depth,
            format,
        } => views::progress(req, *all, *external, *depth, *format, out, err),
        Command::Report { view, format } => views::audience(req, view, *format, out, err),
        Command::Trace { id, format } => views::trace(req, id, *format, out, err),
        Command::Roadmap { external, format } => views::roadmap(req, *external, *format, out, err),
        Command::List { ask, format } => list::list(req, ask, *format, out, err),
        Command::History {
            every,
            since,
            format,
        } => history::history(req, *every, *since, *format, out, err),
        Command::Diff {
            base,
            head,
            format,
            fail_on,
            forecast,
        } => diff::diff(
            req,
            (base.as_deref(), head.as_deref()),
            *format,
            (*fail_on, *forecast),
            out,
            err,
        ),
        Command::Forecast { ask, format } => forecast::forecast(req, ask, *format, out, err),
        Command::Init {
            dir,
            from: Some(ask),
            ..
        } => import::init_from(req, dir, ask, out, err),
        Command::Init { dir, empty, .. } => write::init(req, dir, *empty, out, err),
        Command::Import(ask) => import::import(req, ask, out, err),
        Command::Set { id, field, change } => write::set(req, id, field, change, out, err),
        Command::Rename { old, new } => write::rename(req, old, new, out, err),
        Command::NewTheme(theme) => write::new_theme(req, theme, out, err),
        Command::NewItem(item) => write::new_item(req, item, out, err),
        Command::Schema { kind } => views::schema(req, *kind, out),
        Command::Publish {
            out: dir,
            external,
            watch: false,
        } => publish::publish(req, dir, *external, out, err),
        Command::Publish {
            out: dir,
            external,
            watch: true,
        } => publish::watch(req, dir, *external, out, err),
        // The server owns stdin and stdout; a caller must not hold stdout's lock.
        Command::Lsp => crate::lsp::serve(req).map(|clean| match clean {
            true => Outcome::Success,
            false => Outcome::Failed,
        }),
        Command::Mcp { read_only } => {
            crate::mcp::serve(req, *read_only).map(|served| match served {
                true => Outcome::Success,
                false => Outcome::Failed,
            })
        }
    }
}

/// An error as plain text: its message, and its help on the next line. For replies that are not
/// a terminal (an editor's, an agent's).
pub(crate) fn plain(e: &Error) -> String {
    match e.help() {
        Some(help) => format!("{}\nhelp: {help}", e.message()),
        None => e.message(),
    }
}
