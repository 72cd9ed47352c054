//! The audience views (`progress`, `report`, `trace`, `roadmap`) and `schema`.

use std::io::Write;

use super::context::{Located, load_plan, say_where, show, stdout_error};
use crate::error::Error;
use crate::load::{self, WorkTree};
use crate::render::{self, layout};
use crate::report::{self, Analysis};
use crate::request::{Outcome, Request, RoadmapFormat, SchemaKind, TableFormat, View};
use crate::rules::{self, Context};

/// Loads the plan, draws one view of it with `draw`, then says on stderr how many findings
/// `roadlog check` has, so a report of a broken plan is never taken for a clean one.
pub(super) fn view(
    req: &Request,
    out: &mut dyn Write,
    err: &mut dyn Write,
    draw: impl FnOnce(&Located, &Analysis<'_>, &mut dyn Write) -> Result<(), Error>,
) -> Result<Outcome, Error> {
    let (located, plan) = load_plan(req)?;
    say_where(req, err, &located.describe(), Some(&plan.config))?;
    let analysis = Analysis::new(&plan, req.today);
    draw(&located, &analysis, out)?;
    if req.verbosity >= 0 {
        // The note follows the report even when both streams go to one terminal.
        out.flush().map_err(stdout_error)?;
        note(&analysis, req, err)?;
    }
    Ok(Outcome::Success)
}

/// `note: roadlog check finds …`, counting what `check` counts or saying what is left out.
fn note(analysis: &Analysis<'_>, req: &Request, err: &mut dyn Write) -> Result<(), Error> {
    let checked = rules::check_with(analysis.plan, &analysis.trace, Context::at(req.today));
    let (errors, warnings) = (checked.errors(), checked.warnings());
    if errors + warnings == 0 {
        return Ok(());
    }
    // Reports read no git history, so the rules that do are not run here; say so rather than
    // give a count that `check` contradicts.
    let uncounted: Vec<String> = checked
        .skipped
        .iter()
        .filter(|s| rules::HISTORY_RULES.contains(&s.rule))
        .map(|s| format!("`{}`", s.rule.code()))
        .collect();
    let uncounted: Vec<&str> = uncounted.iter().map(String::as_str).collect();
    let besides = match uncounted.as_slice() {
        [] => String::new(),
        [one] => format!(" (not counting {one}, which reads git history)"),
        many => format!(
            " (not counting {}, which read git history)",
            render::and_list(many)
        ),
    };
    writeln!(
        err,
        "note: `roadlog check` finds {} and {} in this plan{besides}; run it to see them",
        render::count(errors, "error"),
        render::count(warnings, "warning")
    )
    .map_err(stdout_error)
}

/// `roadlog progress`.
pub(super) fn progress(
    req: &Request,
    all: bool,
    external: bool,
    depth: Option<usize>,
    format: TableFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    view(req, out, err, |_, a, out| {
        show(
            req,
            out,
            format,
            &report::progress(a, all, external, depth),
            layout::progress,
        )
    })
}

/// `roadlog report exec|team|pm`.
pub(super) fn audience(
    req: &Request,
    which: &View,
    format: TableFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    view(req, out, err, |located, a, out| match which {
        View::Exec { external } => {
            let exec = report::exec(a, *external);
            let exec = match super::forecast::quiet_forecast(req, located, a)? {
                Some(f) => exec.with_forecasts(
                    |id| super::forecast::for_exec(&f, id),
                    super::forecast::calibration_note(&f),
                ),
                None => exec,
            };
            show(req, out, format, &exec, layout::exec)
        }
        View::Team { sprint, limit } => {
            if let Some(s) = sprint {
                known_sprint(a.plan, s)?;
            }
            show(
                req,
                out,
                format,
                &report::team(a, sprint.as_deref(), *limit),
                layout::team,
            )
        }
        View::Pm => show(req, out, format, &report::pm(a), layout::pm),
    })
}

/// `roadlog trace ID`.
pub(super) fn trace(
    req: &Request,
    id: &str,
    format: TableFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    view(req, out, err, |located, a, out| {
        let r = report::trace(a, id).ok_or_else(|| match a.trace.renamed_to(a.plan, id) {
            Some(now) => Error::refused(
                crate::error::Refusal::UnknownId,
                format!("no theme or item has the id `{id}`"),
            )
            .with_help(format!(
                "`{id}` is an old id of `{now}`: `roadlog trace {now}`"
            )),
            None => Error::unknown_id(id, a.trace.by_id.keys().copied()),
        })?;
        // A theme's trace marks the items `suspect-item` would name, from the same history.
        let r = match (&r, a.trace.theme(id)) {
            (report::TraceReport::Theme { .. }, Some(t)) => {
                let wanted = super::ages::Wanted {
                    ages: false,
                    aims: true,
                };
                let history = super::ages::plan_history(req, located, a.plan, wanted);
                let found = rules::suspects(a.plan, &a.trace, &history)
                    .into_iter()
                    .find(|s| s.theme == t)
                    .map(|s| report::SuspectView {
                        field: s.aim.field,
                        date: s.aim.date.to_string(),
                        items: s.items,
                    });
                r.with_suspects(found)
            }
            _ => r,
        };
        show(req, out, format, &r, layout::trace)
    })
}

/// `roadlog roadmap`.
pub(super) fn roadmap(
    req: &Request,
    external: bool,
    format: RoadmapFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    view(req, out, err, |located, a, out| {
        let r = report::timeline(a, external);
        // The health on each row is the one the executive report and the pages show.
        let r = match super::forecast::quiet_forecast(req, located, a)? {
            Some(f) => r.with_forecasts(|id| super::forecast::misses(&f, id)),
            None => r,
        };
        match format {
            RoadmapFormat::Mermaid => render::mermaid::write(out, &r).map_err(stdout_error),
            RoadmapFormat::Report(format) => show(req, out, format, &r, layout::timeline),
        }
    })
}

/// A sprint is known when the calendar or any item names it.
pub(super) fn known_sprint(plan: &crate::model::Plan, sprint: &str) -> Result<(), Error> {
    let mut names: Vec<&str> = plan.config.sprints.iter().map(|s| s.id.as_str()).collect();
    names.extend(
        plan.items
            .iter()
            .filter_map(|i| i.sprint.as_ref().map(|s| s.value.as_str())),
    );
    if names.contains(&sprint) {
        return Ok(());
    }
    names.sort_unstable();
    names.dedup();
    let help = crate::diag::suggestion(sprint, names.iter().copied());
    Err(Error::refused(
        crate::error::Refusal::UnknownId,
        format!("no sprint `{sprint}` in the calendar or on any item"),
    )
    .maybe_help(help))
}

/// Prints the JSON Schema of a file kind; inside a plan, its custom statuses are valid statuses
/// too.
pub(super) fn schema(
    req: &Request,
    kind: SchemaKind,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let schema = match kind {
        SchemaKind::Theme => crate::schema::theme(),
        SchemaKind::Config => crate::schema::config(),
        SchemaKind::Item => {
            let statuses = load::find_root(&req.cwd, req.plan.as_deref())
                .ok()
                .and_then(|root| WorkTree::new(&root).ok())
                .and_then(|source| load::load_config(&source, "").ok())
                .map(|(_, _, config)| config.statuses)
                .unwrap_or_default();
            crate::schema::item(&statuses)
        }
    };
    serde_json::to_writer_pretty(&mut *out, &schema).map_err(|e| stdout_error(e.into()))?;
    writeln!(out).map_err(stdout_error)?;
    Ok(Outcome::Success)
}
