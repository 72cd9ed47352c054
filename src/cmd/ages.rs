//! What git says of the plan for `check`, from one walk of the first-parent history: when each
//! open item's file last changed (`stale-item`) and the newest change of each active theme's why
//! or when, with what was touched since (`suspect-item`).

use std::collections::{HashMap, HashSet};
use std::panic;
use std::sync::mpsc::{self, Receiver};

use super::context::Located;
use crate::error::Error;
use crate::history::rewrites::{self, Version};
use crate::load;
use crate::model::{Plan, ThemeStatus};
use crate::request::Request;
use crate::rules::{AimChange, History};
use crate::time::Date;

/// Which of the two answers a command needs; the walk goes no further than they take it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Wanted {
    /// When open items' files last changed (`stale-item`).
    pub(super) ages: bool,
    /// Each active theme's newest change of aim (`suspect-item`).
    pub(super) aims: bool,
}

impl Wanted {
    /// What the plan's rules levels ask `check` for.
    pub(super) fn by_rules(plan: &Plan) -> Wanted {
        let on = |r| plan.config.level(r) != crate::diag::Level::Off;
        Wanted {
            ages: on(crate::diag::Rule::StaleItem),
            aims: on(crate::diag::Rule::SuspectItem),
        }
    }
}

/// The working tree's uncommitted plan paths, asked of git in the background while the plan
/// loads: libgit2's status of every file was a sixth of a warm `check` at 100,000 items, and it
/// needs nothing from the plan. It is asked on the thread pool that loads the plan, not on a
/// thread of its own: the 20 MB libgit2's index and status take there are then reused by the
/// parses that follow, where a thread of its own left them to its heap, and a `check` of
/// 100,000 items peaked 15 MB higher.
#[derive(Default)]
pub(super) struct Dirty(Option<Receiver<Option<Asked>>>);

/// The plan folder the thread asked about (relative to the repository), and git's answer.
type Asked = (String, HashSet<String>);

impl Dirty {
    /// Starts asking, for a plan in the working tree inside a repository. Finding the
    /// repository is the thread's work too, not the start-up's.
    pub(super) fn ask(req: &Request) -> Dirty {
        if req.rev.is_some() {
            return Dirty::default();
        }
        let Ok(root) = load::find_root(&req.cwd, req.plan.as_deref()) else {
            return Dirty::default();
        };
        let (tell, answer) = mpsc::channel();
        rayon::spawn(move || {
            let ask = || {
                let dir = crate::git::work_tree_prefix(&root);
                let repo = crate::git::Repo::discover(&root, "").ok()?;
                let dirty = repo.dirty_paths(&dir).ok()?;
                Some((dir, dirty))
            };
            // A panic here must not abort the run: the answer is then asked again in `take`.
            let asked = panic::catch_unwind(panic::AssertUnwindSafe(ask))
                .ok()
                .flatten();
            let _ = tell.send(asked);
        });
        Dirty(Some(answer))
    }

    /// The answer for `dir`; asked again here when the thread gave none, or one for another
    /// folder, so an error is reported as it would have been without the thread.
    fn take(self, repo: &crate::git::Repo, dir: &str) -> Result<HashSet<String>, Error> {
        match self.0.map(|answer| answer.recv()) {
            Some(Ok(Some((asked, dirty)))) if asked == dir => Ok(dirty),
            _ => repo.dirty_paths(dir),
        }
    }
}

/// Reads the history a command needs, or says why it cannot.
pub(super) fn plan_history(
    req: &Request,
    located: &Located,
    plan: &Plan,
    wanted: Wanted,
) -> History {
    plan_history_with(req, located, plan, wanted, Dirty::default())
}

/// [`plan_history`], with the working tree's status already being asked.
pub(super) fn plan_history_with(
    req: &Request,
    located: &Located,
    plan: &Plan,
    wanted: Wanted,
    dirty: Dirty,
) -> History {
    let start = match located {
        Located::WorkTree(root) => root.as_path(),
        Located::Git { .. } => req
            .plan
            .as_deref()
            .filter(|p| p.exists())
            .unwrap_or(&req.cwd),
    };
    let Ok(repo) = crate::git::Repo::discover(start, "") else {
        return History::Unknown("the plan is not inside a git repository".into());
    };
    if repo.is_shallow() {
        return History::Unknown(
            "this is a shallow clone, so the files' history is cut off; fetch all of it \
             (`git fetch --unshallow`, or `fetch-depth: 0` for actions/checkout)"
                .into(),
        );
    }
    if !repo.has_commits() {
        return History::Unknown("the repository has no commits yet".into());
    }
    let (rev, dir) = match located {
        Located::WorkTree(root) => ("HEAD", crate::git::work_tree_prefix(root)),
        Located::Git { dir } => (req.rev.as_deref().unwrap_or("HEAD"), dir.clone()),
    };
    let since = req.today.plus_days(-i64::from(plan.config.stale_item_days));
    let mut walk = Walk::new(plan, since, wanted);
    let walked = repo.walk_plan(rev, &dir, |step| {
        let (edited, moved) = edited(&repo, &dir, &step);
        // Paths as they are now: a file a rename moved is followed back to its old name.
        let now: Vec<String> = edited.iter().map(|p| walk.now_of(p)).collect();
        walk.ages(&step.commit.date, &now);
        walk.touched.extend(now);
        for (from, to) in &moved {
            let current = walk.now_of(to);
            if let Some(id) = walk.themes.remove(to) {
                walk.themes.insert(from.clone(), id);
            }
            walk.now_of.insert(from.clone(), current);
        }
        for path in &step.changed {
            if moved.iter().any(|(_, to)| to == path) {
                continue;
            }
            if let Some(id) = walk.themes.get(path).cloned() {
                let older = step.parent.as_deref();
                match aim_change(&repo, &dir, plan, path, &step.commit.id, older) {
                    Found::Changed(field, old, new) => {
                        walk.themes.remove(path);
                        walk.aims.push(AimChange {
                            theme: id,
                            field,
                            old,
                            new,
                            date: step.commit.date,
                            commit: step.commit.id.clone(),
                            touched_since: walk.touched.clone(),
                        });
                    }
                    Found::Created => {
                        walk.themes.remove(path);
                    }
                    Found::Same => {}
                }
            }
        }
        !(walk.ages_done() && walk.themes.is_empty())
    });
    if let Err(e) = walked {
        return History::Unknown(e.to_string());
    }
    if matches!(located, Located::WorkTree(_)) {
        match dirty.take(&repo, &dir) {
            Ok(dirty) => {
                for aim in &mut walk.aims {
                    aim.touched_since.extend(dirty.iter().cloned());
                }
                walk.recent.extend(dirty);
            }
            Err(e) => return History::Unknown(e.to_string()),
        }
    }
    History::Known {
        changed: walk.recent,
        last_changed: walk.last_changed,
        aims: walk.aims,
    }
}

/// The walk's bookkeeping.
struct Walk {
    since: Date,
    /// Paths of open items' files, whose age `stale-item` needs.
    watched: HashSet<String>,
    recent: HashSet<String>,
    last_changed: HashMap<String, Date>,
    /// Watched paths not changed in the window and not dated yet, once the window is left.
    undated: Option<usize>,
    /// Active themes' files (path → id) whose newest change of aim is not found yet.
    themes: HashMap<String, String>,
    /// Every path changed by the commits walked so far, as it is named now.
    touched: HashSet<String>,
    aims: Vec<AimChange>,
    /// The name now of each path a rename moved in the commits walked so far.
    now_of: HashMap<String, String>,
}

impl Walk {
    fn new(plan: &Plan, since: Date, wanted: Wanted) -> Walk {
        let watched = plan
            .items
            .iter()
            .filter(|i| wanted.ages && i.is_open())
            .map(|i| plan.file(i.file).path.clone())
            .collect();
        let themes = plan
            .themes
            .iter()
            .filter(|t| wanted.aims && t.status() == Some(ThemeStatus::Active))
            .map(|t| (plan.file(t.file).path.clone(), t.id.value.clone()))
            .collect();
        Walk {
            since,
            watched,
            recent: HashSet::new(),
            last_changed: HashMap::new(),
            // Ages nobody asked for are done before the walk starts.
            undated: (!wanted.ages).then_some(0),
            themes,
            touched: HashSet::new(),
            aims: Vec::new(),
            now_of: HashMap::new(),
        }
    }

    /// What `path`, as a commit walked now names it, is called today.
    fn now_of(&self, path: &str) -> String {
        self.now_of
            .get(path)
            .cloned()
            .unwrap_or_else(|| path.to_string())
    }

    fn ages_done(&self) -> bool {
        self.undated == Some(0)
    }

    /// Notes the ages a commit of `day` that changed `changed` gives.
    fn ages(&mut self, day: &Date, changed: &[String]) {
        let recent = *day >= self.since;
        if !recent && self.undated.is_none() {
            let left = self
                .watched
                .iter()
                .filter(|p| !self.recent.contains(*p))
                .count();
            self.undated = Some(left);
        }
        if self.ages_done() {
            return;
        }
        for path in changed {
            if recent {
                self.recent.insert(path.clone());
            } else if self.watched.contains(path)
                && !self.recent.contains(path)
                && !self.last_changed.contains_key(path)
            {
                self.last_changed.insert(path.clone(), *day);
                self.undated = self.undated.map(|n| n.saturating_sub(1));
            }
        }
    }
}

/// The paths a commit edited: those it changed, but for the files a rename only rewrote (ids,
/// references, `aliases:`), which are no review or edit of the work. Only a commit that holds
/// an alias can be a rename, so the texts before it are read only then.
fn edited(
    repo: &crate::git::Repo,
    dir: &str,
    step: &crate::git::Step,
) -> (Vec<String>, Vec<(String, String)>) {
    let all = || (step.changed.clone(), Vec::new());
    let Some(parent) = step.parent.as_deref() else {
        return all();
    };
    let text = |rev: &str, path: &str| {
        let bytes = repo.blob_at(rev, dir, path).ok().flatten()?;
        String::from_utf8(bytes).ok()
    };
    let after: Vec<Option<String>> = step
        .changed
        .iter()
        .map(|p| text(&step.commit.id, p))
        .collect();
    if !after.iter().flatten().any(|t| t.contains("aliases")) {
        return all();
    }
    let before: Vec<Option<String>> = step.changed.iter().map(|p| text(parent, p)).collect();
    let versions: Vec<Version<'_>> = step
        .changed
        .iter()
        .zip(before.iter().zip(&after))
        .map(|(path, (before, after))| Version {
            path,
            before: before.as_deref(),
            after: after.as_deref(),
        })
        .collect();
    let edited = rewrites::edited(&versions);
    let paths = edited.paths.into_iter().map(str::to_string).collect();
    let moved = edited
        .moved
        .into_iter()
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .collect();
    (paths, moved)
}

/// What a commit did to a theme file's aim.
enum Found {
    /// A field of the aim changed: which, from what, to what.
    Changed(&'static str, Option<String>, Option<String>),
    /// The file is new in this commit: nothing was planned against an older aim.
    Created,
    /// The aim is as before (or a side does not read as a theme).
    Same,
}

fn aim_change(
    repo: &crate::git::Repo,
    dir: &str,
    plan: &Plan,
    path: &str,
    commit: &str,
    parent: Option<&str>,
) -> Found {
    let read = |rev: &str| {
        let bytes = repo.blob_at(rev, dir, path).ok().flatten()?;
        let text = String::from_utf8(bytes).ok()?;
        load::read_theme(path, &text, &plan.config)
    };
    let Some(old) = parent.and_then(read) else {
        return Found::Created;
    };
    let Some(new) = read(commit) else {
        return Found::Same;
    };
    // A horizon whose start moved while its end stayed is the same *when*: the work was
    // planned to be done by the same day.
    let same_end = || {
        let end = |t: &crate::model::Theme| {
            t.horizon
                .as_ref()
                .and_then(|h| h.value.dates())
                .map(|(_, e)| e)
        };
        end(&old).is_some() && end(&old) == end(&new)
    };
    old.aim()
        .into_iter()
        .zip(new.aim())
        .find(|((field, a), (_, b))| a != b && !(*field == "horizon" && same_end()))
        .map_or(Found::Same, |((field, a), (_, b))| {
            Found::Changed(field, a, b)
        })
}
