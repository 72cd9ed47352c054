//! `roadlog check`: every rule over the plan, in the format a person or a bot reads, and the
//! exit status that is the verdict.

use std::fs;
use std::io::Write;

use super::context::{
    Located, load_plan, open_repo, quoted_texts, say_where, shown_root, stdout_error,
};
use crate::error::Error;
use crate::load;
use crate::model::Texts;
use crate::render::{self, human};
use crate::request::{CheckFormat, Outcome, Request};
use crate::rules::{self, Context};

pub(super) fn check(
    req: &Request,
    format: CheckFormat,
    deny_warnings: bool,
    errors_only: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    // A defect in the loader or the rules is reported like a broken plan: in the format asked
    // for, so a bot reading stdout learns that the run failed (exit 2) rather than nothing.
    let computed = crate::internal::catch(|| {
        crate::internal::trip("check");
        let dirty = super::ages::Dirty::ask(req);
        let (root, plan) = load_plan(req)?;
        let wanted = super::ages::Wanted::by_rules(&plan);
        let history = (wanted.ages || wanted.aims)
            .then(|| super::ages::plan_history_with(req, &root, &plan, wanted, dirty));
        let checked = rules::check(
            &plan,
            Context {
                today: req.today,
                history: history.as_ref(),
                suggest: true,
            },
        );
        Ok((root, plan, checked))
    });
    let (root, plan, mut checked) = match computed {
        Ok(computed) => computed,
        // A bot reads stdout: it gets the error in its own format, and exit 2 stays.
        Err(e) => {
            match format {
                CheckFormat::Human => {}
                CheckFormat::Json => render::json::error(out, &e).map_err(stdout_error)?,
                CheckFormat::Sarif => {
                    render::sarif::error(out, &e, &plan_prefix(req)).map_err(stdout_error)?
                }
                CheckFormat::Github => {
                    let prefix = plan_prefix(req);
                    let mut file = step_summary_file(req)?;
                    let summary = file.as_mut().map(|f| f as &mut dyn Write);
                    render::github::error(out, summary, &e, &prefix).map_err(stdout_error)?;
                }
            }
            return Err(e);
        }
    };
    let failed = checked.errors() > 0 || (deny_warnings && checked.warnings() > 0);
    if errors_only {
        checked.retain_errors();
    }
    say_where(req, err, &root.describe(), Some(&plan.config))?;
    match format {
        CheckFormat::Human => {
            let texts = quoted_texts(req, &root, &plan, &checked.findings);
            let root = shown_root(req, &root);
            let style = human::Style {
                color: req.color_stderr,
                width: req.width,
                root: &root,
            };
            human::findings(
                err,
                render::Quoted {
                    files: &plan.files,
                    texts: &texts,
                },
                &checked.findings,
                style,
            )
            .map_err(stdout_error)?;
            if req.verbosity >= 0 {
                human::skipped(err, &checked.skipped).map_err(stdout_error)?;
                writeln!(err, "{}", render::summary_line(&checked)).map_err(stdout_error)?;
            }
        }
        CheckFormat::Json => {
            render::json::check(out, &plan.files, &checked).map_err(stdout_error)?
        }
        CheckFormat::Sarif => {
            let prefix = root.repo_prefix();
            let texts = quoted_texts(req, &root, &plan, &checked.findings);
            render::sarif::check(
                out,
                render::Quoted {
                    files: &plan.files,
                    texts: &texts,
                },
                &checked,
                &plan.config,
                &prefix,
            )
            .map_err(stdout_error)?;
        }
        CheckFormat::Github => {
            let prefix = root.repo_prefix();
            render::github::annotations(out, &plan.files, &checked, &prefix)
                .map_err(stdout_error)?;
            if let Some(mut file) = step_summary_file(req)? {
                render::github::step_summary(&mut file, out, &plan.files, &checked, &prefix)
                    .map_err(|source| Error::Io {
                        path: req.github_step_summary.clone().unwrap_or_default(),
                        source,
                    })?;
            }
        }
    }
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// The job summary named by `GITHUB_STEP_SUMMARY`, opened to append, when there is one.
fn step_summary_file(req: &Request) -> Result<Option<fs::File>, Error> {
    let Some(path) = &req.github_step_summary else {
        return Ok(None);
    };
    fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map(Some)
        .map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })
}

/// The plan folder's path from the repository root, as far as it can be told without a plan
/// that reads: for annotations about a broken `roadlog.yaml`.
fn plan_prefix(req: &Request) -> String {
    match &req.rev {
        Some(rev) => open_repo(req)
            .and_then(|repo| crate::git::plan_dir_at(&repo, rev, &req.cwd, req.plan.as_deref()))
            .unwrap_or_default(),
        None => load::find_root(&req.cwd, req.plan.as_deref())
            .map(|root| crate::git::work_tree_prefix(&root))
            .unwrap_or_default(),
    }
}

/// Renders an error that stopped a run (exit 2): config problems as diagnostics, the rest as
/// one message.
pub fn report_error(error: &Error, req: &Request, err: &mut dyn Write) -> std::io::Result<()> {
    if let Some((file, text, findings)) = error.config() {
        let files = std::slice::from_ref(file);
        let texts = Texts::config(text);
        let root = match (&req.rev, load::find_root(&req.cwd, req.plan.as_deref())) {
            (None, Ok(root)) => shown_root(req, &Located::WorkTree(root)),
            _ => String::new(),
        };
        let style = human::Style {
            color: req.color_stderr,
            width: req.width,
            root: &root,
        };
        human::findings(
            err,
            render::Quoted {
                files,
                texts: &texts,
            },
            findings,
            style,
        )?;
    }
    writeln!(err, "error: {}", render::terminal(&error.to_string()))
}
