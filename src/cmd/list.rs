//! `roadlog list`: every filter value checked against the plan (with a "did you mean"), the
//! history-reading filters answered from the walk `check` takes, then one list printed.

use std::collections::HashSet;
use std::io::Write;

use super::context::{Located, show, stdout_error};
use super::views::{known_sprint, view};
use crate::error::Error;
use crate::model::{Kind, ThemeStatus};
use crate::render::layout;
use crate::report::{self, Analysis, Filter, Flagged, Listing};
use crate::request::{ListFormat, ListRequest, Outcome, Request};
use crate::rules::{self, History};

/// `roadlog list`.
pub(super) fn list(
    req: &Request,
    ask: &ListRequest,
    format: ListFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    view(req, out, err, |located, a, out| {
        let listing = if ask.themes {
            checked_theme_filter(&ask.filter)?;
            report::list_themes(a, &ask.filter, ask.sort)
        } else {
            let filter = match ask.mine {
                true => mine(req, a, &ask.filter)?,
                false => checked_item_filter(a, &ask.filter)?,
            };
            let flagged = flagged(req, located, a, ask)?;
            report::list_items(a, &filter, &flagged, ask.sort)
        };
        match format {
            ListFormat::Ids => ids(&listing, out),
            ListFormat::Report(format) => show(req, out, format, &listing, |l| {
                layout::list_keeping(l, &kept_columns(ask))
            }),
        }
    })
}

/// The columns that answer the filters asked: never left out to fit a width.
fn kept_columns(ask: &ListRequest) -> Vec<&'static str> {
    let f = &ask.filter;
    [
        (f.blocked, "waits on"),
        (f.theme.is_some(), "theme"),
        (f.kind.is_some(), "kind"),
        (f.assignee.is_some(), "assignee"),
        (f.sprint.is_some(), "sprint"),
        (f.unestimated, "estimate"),
    ]
    .into_iter()
    .filter_map(|(asked, column)| asked.then_some(column))
    .collect()
}

fn ids(listing: &Listing, out: &mut dyn Write) -> Result<(), Error> {
    for id in listing.ids() {
        writeln!(out, "{id}").map_err(stdout_error)?;
    }
    Ok(())
}

/// `--mine`: the filter for the open items of the person whose email is git's `user.email`.
fn mine(req: &Request, a: &Analysis<'_>, filter: &Filter) -> Result<Filter, Error> {
    let email = super::context::open_repo(req)
        .ok()
        .and_then(|repo| repo.user_email())
        .or_else(crate::git::global_user_email)
        .ok_or_else(|| {
            Error::usage("--mine needs git's user.email, and git has none")
                .with_help("set it with `git config user.email you@example.com`")
        })?;
    let config = &a.plan.config;
    let Some(person) = config.person_by_email(&email) else {
        let hint = if config.people.is_empty() {
            format!(
                "list yourself under `people:` in roadlog.yaml, e.g. `me: {{ email: {email} }}`"
            )
        } else {
            format!("add `email: {email}` to your entry under `people:` in roadlog.yaml")
        };
        return Err(Error::refused(
            crate::error::Refusal::UnknownId,
            format!("no person of roadlog.yaml has the email `{email}` (git's user.email)"),
        )
        .with_help(hint));
    };
    let mut mine = Filter {
        assignee: None,
        open: true,
        ..filter.clone()
    };
    mine = checked_item_filter(a, &mine)?;
    mine.assignee = Some(person.key.clone());
    Ok(mine)
}

/// The filter with `--sprint current` resolved, once every value is known to the plan.
fn checked_item_filter(a: &Analysis<'_>, filter: &Filter) -> Result<Filter, Error> {
    let plan = a.plan;
    let mut filter = filter.clone();
    if let Some(theme) = &filter.theme
        && a.trace.theme(theme).is_none()
    {
        let ids = plan.themes.iter().map(|t| t.id.value.as_str());
        return Err(Error::refused(
            crate::error::Refusal::UnknownId,
            format!("no theme has the id `{theme}`"),
        )
        .maybe_help(crate::diag::suggestion(theme, ids)));
    }
    if let Some(status) = &filter.status {
        known("an item status", status, &plan.config.status_names())?;
    }
    if let Some(kind) = &filter.kind {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        known("a kind", kind, &names)?;
    }
    if let Some(who) = &filter.assignee {
        let names: HashSet<&str> = plan
            .items
            .iter()
            .flat_map(|i| i.assignee.iter().map(|x| x.value.as_str()))
            .collect();
        let config = &plan.config;
        let known = config.person(who).is_some() || config.team(who).is_some();
        if !known && !names.iter().any(|n| report::same_person(n, who)) {
            return Err(Error::refused(
                crate::error::Refusal::UnknownId,
                format!("no item is assigned to `{who}`"),
            )
            .maybe_help(crate::diag::suggestion(who, names.iter().copied())));
        }
    }
    if let Some(tag) = &filter.tag {
        let mut names: HashSet<&str> = plan
            .items
            .iter()
            .flat_map(|i| i.tags.iter().map(String::as_str))
            .collect();
        names.extend(
            plan.themes
                .iter()
                .flat_map(|t| t.tags.iter().map(String::as_str)),
        );
        if !names.contains(tag.as_str()) {
            return Err(Error::refused(
                crate::error::Refusal::UnknownId,
                format!("no item or theme has the tag `{tag}`"),
            )
            .maybe_help(crate::diag::suggestion(tag, names.iter().copied())));
        }
    }
    match filter.sprint.as_deref() {
        Some("current") => {
            match plan.config.current_sprint(a.today) {
                Some(current) => filter.sprint = Some(current.to_string()),
                None => {
                    return Err(Error::refused(crate::error::Refusal::UnknownId, format!("no sprint is current on {}", a.today))
                    .maybe_help(Some(
                    "set `current_sprint` in roadlog.yaml, add the sprint to `sprints`, or name \
                     the sprint"
                        .into(),
                )));
                }
            }
        }
        Some(sprint) => known_sprint(plan, sprint)?,
        None => {}
    }
    Ok(filter)
}

/// `--themes` takes the filters that mean something for a theme.
fn checked_theme_filter(filter: &Filter) -> Result<(), Error> {
    if let Some(status) = &filter.status {
        let names: Vec<&str> = ThemeStatus::ALL.iter().map(|s| s.as_str()).collect();
        known("a theme status", status, &names)?;
    }
    Ok(())
}

/// `value` is one of `names`, or the error says which it is near.
fn known(what: &str, value: &str, names: &[&str]) -> Result<(), Error> {
    if names.contains(&value) {
        return Ok(());
    }
    Err(Error::not_one_of(
        &format!("{what} of this plan"),
        value,
        names,
    ))
}

/// `--stale` and `--suspect`, from one walk of git history; an error naming why there is none.
fn flagged(
    req: &Request,
    located: &Located,
    a: &Analysis<'_>,
    ask: &ListRequest,
) -> Result<Flagged, Error> {
    if !ask.stale && !ask.suspect {
        return Ok(Flagged::default());
    }
    let wanted = super::ages::Wanted {
        ages: ask.stale,
        aims: ask.suspect,
    };
    let history = super::ages::plan_history(req, located, a.plan, wanted);
    if let History::Unknown(reason) = &history {
        let flag = if ask.stale { "--stale" } else { "--suspect" };
        return Err(Error::refused(
            crate::error::Refusal::NoHistory,
            format!("{flag} reads the plan's git history, and there is none to read: {reason}"),
        ));
    }
    let stale = ask
        .stale
        .then(|| rules::stale_items(a.plan, &history).into_iter().collect());
    let suspect = ask.suspect.then(|| {
        rules::suspects(a.plan, &a.trace, &history)
            .iter()
            .flat_map(|s| s.at.iter().copied())
            .collect()
    });
    Ok(Flagged { stale, suspect })
}
