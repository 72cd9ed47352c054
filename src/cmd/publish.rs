//! `roadlog publish`: the stakeholder site, a self-contained page per audience, written
//! atomically into one folder and never into the plan's own folders.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use super::context::{Located, load_plan, open_repo, say_where, stdout_error};
use crate::error::Error;
use crate::render::{self, html};
use crate::report::{self, Analysis};
use crate::request::{Outcome, Request};
use crate::rules::{self, Context};

/// Writes `index.html` (executives), `pm.html` and `team.html` into `dir`, or with `external`
/// only an `index.html` fit for customers, and prints each path.
pub(super) fn publish(
    req: &Request,
    dir: &Path,
    external: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let (located, plan) = load_plan(req)?;
    say_where(req, err, &located.describe(), Some(&plan.config))?;
    let dir = req.cwd.join(dir);
    if let Located::WorkTree(root) = &located {
        for folder in [&plan.config.roadmap_dir, &plan.config.backlog_dir] {
            if real(&dir).starts_with(real(&root.join(folder))) {
                return Err(Error::usage(format!(
                    "{} is inside the plan's {folder} folder; the site goes elsewhere",
                    dir.display()
                ))
                .with_help("pass --out DIR outside the plan's folders, e.g. --out site"));
            }
        }
    }
    let analysis = Analysis::new(&plan, req.today);
    let header = html::Header {
        product: plan.config.product.clone(),
        today: req.today.to_string(),
        // A customer has no use for a commit id.
        revision: if external {
            None
        } else {
            revision(req, &located)
        },
        external,
        verdicts: !external || plan.config.external_health,
    };
    let exec = report::exec(&analysis, external);
    let forecast = super::forecast::quiet_forecast(req, &located, &analysis)?;
    let timeline = report::timeline(&analysis, external);
    let (exec, timeline) = match &forecast {
        Some(f) => (
            exec.with_forecasts(
                |id| super::forecast::for_exec(f, id),
                super::forecast::calibration_note(f),
            ),
            timeline.with_forecasts(|id| super::forecast::misses(f, id)),
        ),
        None => (exec, timeline),
    };
    let mut pages = vec![("index.html", html::exec_page(&header, &exec, &timeline))];
    if !external {
        let checked = rules::check_with(&plan, &analysis.trace, Context::at(req.today));
        let findings = crate::diff::finding_views(&plan, &checked.findings);
        pages.push((
            "pm.html",
            html::pm_page(
                &header,
                &report::pm(&analysis),
                &findings,
                forecast.as_ref().and_then(|f| {
                    Some(html::Reliability {
                        calibration: f.calibration.as_ref()?,
                        asked: f.calibrate,
                    })
                }),
            ),
        ));
        let team = report::team(&analysis, None, 20);
        pages.push(("team.html", html::team_page(&header, &team)));
    }
    std::fs::create_dir_all(&dir).map_err(Error::io(&dir))?;
    for (name, text) in pages {
        let path = dir.join(name);
        crate::write::replace(&path, &text)?;
        writeln!(out, "{}", render::shown_path(&path, &req.cwd)).map_err(stdout_error)?;
    }
    Ok(Outcome::Success)
}

/// A path with links resolved as far as it exists, and `..` resolved by name beyond that, so a
/// folder not made yet is compared where it will be.
fn real(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    for part in rest.into_iter().rev() {
        match Path::new(&part).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) => {}
            _ => out.push(part),
        }
    }
    out
}

/// The commit the pages come from: `--rev`, or `HEAD` under a working tree (noting uncommitted
/// changes to the plan). `None` outside git.
fn revision(req: &Request, located: &Located) -> Option<html::Revision> {
    let repo = open_repo(req).ok()?;
    let (rev, dirty) = match located {
        Located::Git { .. } => (req.rev.as_deref().unwrap_or("HEAD"), false),
        Located::WorkTree(root) => {
            let prefix = crate::git::work_tree_prefix(root);
            ("HEAD", !repo.plan_is_clean(&prefix).unwrap_or(true))
        }
    };
    let commit = repo.commit(rev).ok()?;
    Some(html::Revision {
        id: commit.id.chars().take(7).collect(),
        date: commit.date.to_string(),
        dirty,
    })
}

/// How long the plan must stay quiet after a change before the pages are written again: an
/// editor's save, a `git checkout` or a `roadlog import` is many events, and one rebuild.
const QUIET: std::time::Duration = std::time::Duration::from_millis(300);

/// `publish --watch`: the pages written, then written again each time a plan file changes
/// (debounced), until the process is stopped. A plan that cannot be read is said on stderr and
/// the pages stay as they were until it can.
pub(super) fn watch(
    req: &Request,
    dir: &Path,
    external: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    use notify::{RecursiveMode, Watcher};
    publish(req, dir, external, out, err)?;
    let root = crate::load::find_root(&req.cwd, req.plan.as_deref())?;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        // The receiver is gone only when this command ends.
        let _ = tx.send(event);
    })
    .map_err(|e| Error::usage(format!("cannot watch the plan's files: {e}")))?;
    watcher
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| Error::usage(format!("cannot watch {}: {e}", root.display())))?;
    writeln!(
        err,
        "watching {} for changes (Ctrl-C stops)",
        render::shown_path(&root, &req.cwd)
    )
    .map_err(stdout_error)?;
    let site = real(&req.cwd.join(dir));
    // Reading the files (the rebuild's own reads among them) is no change.
    let relevant = |event: &notify::Result<notify::Event>| match event {
        Ok(e) => {
            !matches!(e.kind, notify::EventKind::Access(_))
                && e.paths.iter().any(|p| is_plan_file(&root, &site, p))
        }
        Err(_) => false,
    };
    while let Ok(event) = rx.recv() {
        if !relevant(&event) {
            continue;
        }
        // Wait for the burst to end.
        while let Ok(more) = rx.recv_timeout(QUIET) {
            drop(more);
        }
        match publish(req, dir, external, &mut std::io::sink(), err) {
            Ok(_) => writeln!(err, "pages written again").map_err(stdout_error)?,
            Err(e) => {
                let text = e.to_string();
                writeln!(err, "not written: {text}; the pages stay as they were")
                    .map_err(stdout_error)?;
            }
        }
    }
    Ok(Outcome::Success)
}

/// Whether a changed path is a plan file: YAML under the plan root, not hidden (`.git`), not in
/// the folder the pages go to.
fn is_plan_file(root: &Path, site: &Path, path: &Path) -> bool {
    let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let hidden = rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    yaml && !hidden && !path.starts_with(site)
}
