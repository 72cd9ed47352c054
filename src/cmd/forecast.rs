//! `roadlog forecast`, and the walk over the plan's history that every forecast learns from.

use std::collections::HashSet;
use std::io::Write;

use super::context::{Located, load_plan, open_repo, say_where, show};
use crate::error::Error;
use crate::forecast::{self, History, ItemState, Options, Scenario, Tracker};
use crate::load::{self, CONFIG_FILE, MemoryTree, ParseCache};
use crate::model::Config;
use crate::render::layout;
use crate::report::Analysis;
use crate::request::{ForecastRequest, Outcome, Request, TableFormat};

/// Prints when each theme will be done, with the scenario beside it when one is given.
pub(super) fn forecast(
    req: &Request,
    ask: &ForecastRequest,
    format: TableFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let (located, plan) = load_plan(req)?;
    say_where(req, err, &located.describe(), Some(&plan.config))?;
    let a = Analysis::new(&plan, req.today);
    let scenario = Scenario::resolve(&a, &ask.defer, &ask.drop, ask.capacity, &ask.add)?;
    let scenario = (!scenario.is_empty()).then_some(scenario);
    let (rev, dir) = history_of(req, &located);
    let history = plan_history(req, &rev, &dir, &a, &ask.options, ask.backtest, true)?;
    let mut report = forecast::forecast(
        &a,
        history.as_ref().map_err(Clone::clone),
        &ask.options,
        scenario.as_ref(),
    );
    if ask.backtest
        && let Ok(h) = &history
    {
        if report.replayed.is_empty() {
            report.replayed = forecast::backtest::replay(h, &ask.options);
        }
        let trials = ask.options.trials.min(forecast::backtest::TRIALS);
        report.backtest = Some(forecast::Backtest::of(&report.replayed, req.today, trials));
    }
    show(req, out, format, &report, layout::forecast)?;
    Ok(Outcome::Success)
}

/// Each theme's forecast with the default options, for the views that show one (the
/// executive report, the published pages, a diff); `None` where history allows none.
pub(super) fn quiet_forecast(
    req: &Request,
    located: &Located,
    a: &Analysis<'_>,
) -> Result<Option<forecast::ForecastReport>, Error> {
    let options = Options::default();
    let (rev, dir) = history_of(req, located);
    let history = plan_history(req, &rev, &dir, a, &options, false, false)?;
    Ok(match history {
        Ok(h) => Some(forecast::forecast(a, Ok(&h), &options, None)),
        Err(_) => None,
    })
}

/// Whether the forecast has theme `id` missing its horizon, for [`crate::health::Health`].
pub(super) fn misses(f: &forecast::ForecastReport, id: &str) -> Option<bool> {
    let t = f.themes.iter().find(|t| t.id == id)?;
    Some(t.outlook.verdict.is_at_risk())
}

/// How often the plan's forecasts came true, as the views that show dates say it.
pub(super) fn calibration_note(f: &forecast::ForecastReport) -> Option<String> {
    f.calibration
        .as_ref()
        .map(|c| crate::render::calibration_note(c, f.calibrate))
}

/// A theme's forecast as the executive view may show it: its p85 and verdict, no item.
pub(super) fn for_exec(
    f: &forecast::ForecastReport,
    id: &str,
) -> Option<crate::report::ExecForecast> {
    let t = f.themes.iter().find(|t| t.id == id)?;
    Some(crate::report::ExecForecast {
        p85: t.outlook.p85.clone(),
        verdict: t.outlook.verdict.as_str(),
        at_risk: t.outlook.verdict.is_at_risk(),
    })
}

/// The revision whose history a plan read from `located` has: `--rev`, else HEAD; and the plan
/// folder in the repository.
fn history_of(req: &Request, located: &Located) -> (String, String) {
    let rev = req.rev.clone().unwrap_or_else(|| "HEAD".into());
    let dir = match located {
        Located::Git { dir } => dir.clone(),
        Located::WorkTree(root) => crate::git::work_tree_prefix(root),
    };
    (rev, dir)
}

/// The history a plan without commits has: its finished items' `done_on` dates (a tracker's
/// resolution dates, after `roadlog import`), as if the plan as it stands were its first commit
/// today; `None` when no finished item has one.
fn dated_only(a: &Analysis<'_>) -> Option<History> {
    let plan = a.plan;
    let config = &plan.config;
    let dated = plan
        .items
        .iter()
        .any(|i| i.done_on.is_some() && i.category() == Some(crate::model::Category::Done));
    if !dated {
        return None;
    }
    let mut files: std::collections::BTreeMap<String, Vec<ItemState>> = Default::default();
    for item in &plan.items {
        let path = plan.file(item.file).path.clone();
        files
            .entry(path)
            .or_default()
            .push(ItemState::of(item, config));
    }
    let mut tracker = Tracker::new(forecast::renamed_themes(a));
    tracker.start(a.today, files.into_iter().collect());
    Some(tracker.finish())
}

/// What the plan's history says, read from the first-parent commits of `rev` under the plan
/// folder `dir` over the window and, to replay past forecasts (for calibration, or `backtest`),
/// back to the earliest of them, with the plan as it stood at each. `Ok(Err(why))` when there is
/// no history to learn from; a shallow clone is an error when `strict`, since its answer would
/// be partial, and no history otherwise.
pub(super) fn plan_history(
    req: &Request,
    rev: &str,
    dir: &str,
    a: &Analysis<'_>,
    options: &Options,
    backtest: bool,
    strict: bool,
) -> Result<Result<History, String>, Error> {
    let mut marks = if options.calibrate || backtest {
        forecast::backtest::marks(req.today)
    } else {
        Vec::new()
    };
    marks.sort_unstable();
    let Ok(repo) = open_repo(req) else {
        return Ok(dated_only(a).ok_or_else(|| {
            "the plan is not in a git repository, so there is no history to learn from".into()
        }));
    };
    if repo.is_shallow() {
        if strict {
            return Err(Error::git(
                "this is a shallow clone, so the plan's history is cut off and a forecast would learn from part of it",
            )
            .with_help(
                "fetch all of it with `git fetch --unshallow`, or set `fetch-depth: 0` for actions/checkout",
            ));
        }
        return Ok(Err(
            "the clone is shallow, so the plan's history is cut off".into(),
        ));
    }
    if !repo.has_commits() {
        return Ok(dated_only(a).ok_or_else(|| "the repository has no commits yet".into()));
    }
    let earliest = marks
        .iter()
        .copied()
        .min()
        .unwrap_or(req.today)
        .min(req.today);
    let since = earliest.plus_days(-7 * i64::from(options.window));
    let (commits, before) = repo.plan_log(rev, dir, Some(since))?;
    let mut tracker = Tracker::new(forecast::renamed_themes(a));
    let mut marks = marks.into_iter().peekable();
    let cache = ParseCache::new();
    let mut tree = MemoryTree::new();
    let mut held: Option<String> = None;
    let mut config: Option<Config> = None;
    let mut pending: HashSet<String> = HashSet::new();
    let label = format!("{rev}:{dir}");
    let mut first = true;
    for (commit, starts) in before
        .iter()
        .map(|c| (c, true))
        .chain(commits.iter().rev().map(|c| (c, false)))
    {
        // The plan as it stood on each mark before this commit: the last commits' state.
        while !first && let Some(mark) = marks.next_if(|&m| m < commit.date) {
            if let Some(config) = &config {
                tracker.snapshot(mark, themes_at(&tree, config));
            }
        }
        pending.extend(repo.update_plan(&mut tree, held.as_deref(), &commit.id, dir)?);
        held = Some(commit.id.clone());
        // The config decides where the backlog is and how statuses read: when it changes, or
        // was unreadable, every backlog file is read again.
        if config.is_none() || pending.contains(CONFIG_FILE) {
            let Ok((_, _, now)) = load::load_config(&tree, &label) else {
                config = None;
                continue;
            };
            config = Some(now);
            pending.extend(tree.paths().map(str::to_string));
        }
        let Some(config) = &config else { continue };
        let paths: Vec<String> = pending.drain().collect();
        let changed: Vec<(String, Option<Vec<ItemState>>)> =
            load::read_items(&tree, &paths, config, &cache)
                .into_iter()
                .map(|(path, items)| {
                    let states =
                        items.map(|items| items.iter().map(|i| ItemState::of(i, config)).collect());
                    (path, states)
                })
                .collect();
        if starts || first {
            let files = changed
                .into_iter()
                .filter_map(|(p, s)| s.map(|s| (p, s)))
                .collect();
            tracker.start(commit.date, files);
            first = false;
        } else {
            tracker.commit(commit.date, changed);
        }
    }
    if first {
        return Ok(Err("no commit holds a readable plan".into()));
    }
    if let Some(config) = &config {
        for mark in marks.filter(|&m| m <= req.today) {
            tracker.snapshot(mark, themes_at(&tree, config));
        }
    }
    Ok(Ok(tracker.finish()))
}

/// The themes of the plan in `tree`, as a replayed forecast needs them.
fn themes_at(tree: &MemoryTree, config: &Config) -> Vec<forecast::throughput::ThemeAt> {
    use crate::load::Source;
    let prefix = format!("{}/", config.roadmap_dir);
    tree.paths()
        .filter(|p| p.starts_with(&prefix))
        .filter_map(|path| {
            let bytes = tree.read(path).ok()??;
            let text = String::from_utf8(bytes).ok()?;
            let theme = load::read_theme(path, &text, config)?;
            let status = theme.status();
            Some(forecast::throughput::ThemeAt {
                key: theme.id.value.clone(),
                closed: status.is_some_and(crate::model::ThemeStatus::is_over),
                horizon_end: theme
                    .horizon
                    .as_ref()
                    .and_then(|h| h.value.dates())
                    .map(|(_, e)| e),
                priority: theme.priority.as_ref().map(|p| p.value),
            })
        })
        .collect()
}
