//! The plan a language server holds: the disk under the editor's unsaved buffers, loaded once and
//! re-read a file at a time, with every finding `roadlog check` would give it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diag::Finding;
use crate::error::Error;
use crate::load::{self, CONFIG_FILE, Overlay, ParseCache, Source, WorkTree};
use crate::model::Plan;
use crate::rules::{self, Context};
use crate::time::Date;

/// One plan root as the editor sees it.
pub(crate) struct Workspace {
    pub(crate) root: PathBuf,
    canonical: PathBuf,
    label: String,
    tree: WorkTree,
    cache: ParseCache,
    /// The open buffers under the root, by path relative to it (`/`-separated).
    pub(crate) buffers: BTreeMap<String, String>,
    /// The plan as the buffers have it; `None` while it cannot be read.
    pub(crate) plan: Option<Plan>,
    /// What `check` finds in the plan, by file path.
    pub(crate) findings: Findings,
    /// Why the plan cannot be read as a whole (a broken `roadlog.yaml`), when it cannot.
    pub(crate) problem: Option<Error>,
    pub(crate) today: Date,
}

impl Workspace {
    /// The plan at `root`, read from disk.
    pub(crate) fn open(root: PathBuf, today: Date) -> Result<Workspace, Error> {
        let tree = WorkTree::new(&root)?;
        let canonical = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
        let label = root.display().to_string();
        let cache = ParseCache::new();
        let (plan, problem) = match load::load_with(&tree, &label, Some(&cache)) {
            Ok(plan) => (Some(plan), None),
            Err(e) => (None, Some(e)),
        };
        let mut ws = Workspace {
            root,
            canonical,
            label,
            tree,
            cache,
            buffers: BTreeMap::new(),
            plan,
            findings: BTreeMap::new(),
            problem,
            today,
        };
        ws.check(true);
        Ok(ws)
    }

    /// `path` relative to the root, `/`-separated, when it is under it.
    pub(crate) fn relative(&self, path: &Path) -> Option<String> {
        let rel = path
            .strip_prefix(&self.root)
            .ok()
            .or_else(|| path.strip_prefix(&self.canonical).ok())
            .map(Path::to_path_buf)
            .or_else(|| {
                let canonical = canonical_of(path)?;
                canonical
                    .strip_prefix(&self.canonical)
                    .ok()
                    .map(Path::to_path_buf)
            })?;
        let rel = load::to_slash(&rel);
        (!rel.is_empty()).then_some(rel)
    }

    /// The text of a plan file: its buffer when open, else what is on disk.
    pub(crate) fn text(&self, rel: &str) -> Option<Cow<'_, str>> {
        if let Some(text) = self.buffers.get(rel) {
            return Some(Cow::Borrowed(text));
        }
        let bytes = self.tree.read(rel).ok()??;
        Some(Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// The plan's files as the editor has them: the open buffers laid over the disk.
    pub(crate) fn overlay(&self) -> Overlay<'_> {
        overlay_of(&self.tree, &self.buffers)
    }

    /// Re-reads the files named in `changed` (buffers, or disk where none is open) and checks the
    /// plan again, without "did you mean" (which compares each unknown id with every id, and is
    /// most of a check's time on a large plan): [`Workspace::suggest`] adds it once the editor is
    /// quiet. A plan that cannot be read whole keeps the last one that could.
    pub(crate) fn refresh(&mut self, changed: &HashSet<String>) {
        let overlay = overlay_of(&self.tree, &self.buffers);
        let reread = match (self.plan.take(), self.problem.is_some()) {
            // A plan that no longer reads is read whole once it does again.
            (Some(previous), false) => {
                load::reload(&overlay, &self.label, &self.cache, previous, changed)
                    .map(|r| r.plan)
                    .map_err(|e| (e, None))
            }
            (previous, _) => {
                load::load_with(&overlay, &self.label, Some(&self.cache)).map_err(|e| (e, previous))
            }
        };
        match reread {
            Ok(plan) => {
                self.plan = Some(plan);
                self.problem = None;
            }
            Err((e, previous)) => {
                self.plan = previous;
                self.problem = Some(e);
            }
        }
        self.check(false);
    }

    /// Checks the plan again with "did you mean" on the findings that can have one.
    pub(crate) fn suggest(&mut self) {
        self.check(true);
    }

    /// The check with "did you mean", as work for another thread: it owns a copy of the plan,
    /// so the editor's next change is not held up by it. `None` while the plan cannot be read.
    pub(crate) fn suggest_later(&self) -> Option<impl FnOnce() -> Findings + Send + 'static> {
        let plan = self.plan.as_ref()?.clone();
        let today = self.today;
        Some(move || findings_of(&plan, today, true))
    }

    /// Takes the findings [`Workspace::suggest_later`] worked out, for the plan as it still is.
    pub(crate) fn suggested(&mut self, findings: Findings) {
        if self.problem.is_none() {
            self.findings = findings;
        }
    }

    fn check(&mut self, suggest: bool) {
        self.findings = match &self.plan {
            Some(plan) => findings_of(plan, self.today, suggest),
            None => Findings::new(),
        };
        // A plan that cannot be read says why on roadlog.yaml, in place of its own findings
        // there: the config's problems where they are, anything else on its first line.
        match &self.problem {
            Some(Error::Config { file, findings, .. }) => {
                self.findings.insert(file.path.clone(), findings.clone());
            }
            Some(e) => {
                let finding = Finding::new(crate::diag::Rule::UnreadableFile, e.to_string(), None);
                self.findings.insert(CONFIG_FILE.to_string(), vec![finding]);
            }
            None => {}
        }
    }
}

fn overlay_of<'a>(tree: &'a WorkTree, buffers: &BTreeMap<String, String>) -> Overlay<'a> {
    let mut overlay = Overlay::new(tree);
    for (path, text) in buffers {
        overlay.set(path.clone(), Some(text.as_bytes().to_vec()));
    }
    overlay
}

/// Findings by the path of their file.
pub(crate) type Findings = BTreeMap<String, Vec<Finding>>;

/// What `check` finds in `plan` (without the rules that read git), by file.
fn findings_of(plan: &Plan, today: Date, suggest: bool) -> Findings {
    let ctx = Context {
        today,
        history: None,
        suggest,
    };
    let mut out = Findings::new();
    for finding in rules::check(plan, ctx).findings {
        let path = finding
            .at
            .and_then(|at| plan.files.get(at.file.0 as usize))
            .map_or_else(|| CONFIG_FILE.to_string(), |f| f.path.clone());
        out.entry(path).or_default().push(finding);
    }
    out
}

fn canonical_of(path: &Path) -> Option<PathBuf> {
    // A file not yet on disk (a new buffer): its folder's canonical path and its name.
    std::fs::canonicalize(path).ok().or_else(|| {
        let parent = std::fs::canonicalize(path.parent()?).ok()?;
        Some(parent.join(path.file_name()?))
    })
}
