//! Candidates for shell completion: the plan's ids, sprints, people and tags, read from the
//! working tree the shell stands in. Completion must never fail loudly, so any problem gives
//! no candidates.

use std::collections::BTreeMap;
use std::path::Path;

use crate::load;

/// What a value being completed names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Candidates {
    /// Any theme or item id.
    Ids,
    /// Theme ids.
    Themes,
    /// Item ids.
    Items,
    /// Sprint ids, from the calendar and the items.
    Sprints,
    /// Assignees.
    People,
    /// Tags.
    Tags,
}

/// The values of `what` in the plan found from `cwd` (or `plan`), with a title where there is
/// one, in order; nothing when there is no readable plan. The plan is read through the parse
/// cache (in `cache_dir`, else the git folder), as `check` reads it, since each key press reads it.
pub fn candidates(
    what: Candidates,
    cwd: &Path,
    plan: Option<&Path>,
    cache_dir: Option<&Path>,
) -> Vec<(String, Option<String>)> {
    let Ok(root) = load::find_root(cwd, plan) else {
        return Vec::new();
    };
    let Ok(source) = load::WorkTree::new(&root) else {
        return Vec::new();
    };
    let cache = super::context::cache_dir_for(cache_dir, &root);
    let Ok(plan) = super::context::load_cached(&source, &root, cache) else {
        return Vec::new();
    };
    let mut found: BTreeMap<String, Option<String>> = BTreeMap::new();
    let themes = || {
        plan.themes
            .iter()
            .map(|t| (t.id.value.clone(), Some(t.display_title())))
    };
    let items = || {
        plan.items
            .iter()
            .map(|i| (i.id.value.clone(), Some(i.title_text())))
    };
    match what {
        Candidates::Ids => found.extend(themes().chain(items())),
        Candidates::Themes => found.extend(themes()),
        Candidates::Items => found.extend(items()),
        Candidates::Sprints => {
            found.extend(plan.config.sprints.iter().map(|s| (s.id.clone(), None)));
            found.extend(
                plan.items
                    .iter()
                    .filter_map(|i| Some((i.sprint.as_ref()?.value.clone(), None))),
            );
            found.insert("current".into(), Some("the sprint current today".into()));
        }
        Candidates::People => {
            let config = &plan.config;
            found.extend(
                config
                    .people
                    .iter()
                    .map(|p| (p.key.clone(), p.name.clone()))
                    .chain(
                        config
                            .teams
                            .iter()
                            .map(|t| (t.name.clone(), Some("team".into()))),
                    ),
            );
            found.extend(
                plan.items
                    .iter()
                    .flat_map(|i| i.assignee.iter().map(|a| (a.value.clone(), None))),
            );
        }
        Candidates::Tags => {
            found.extend(
                plan.items
                    .iter()
                    .flat_map(|i| i.tags.iter().map(|t| (t.clone(), None))),
            );
            found.extend(
                plan.themes
                    .iter()
                    .flat_map(|t| t.tags.iter().map(|g| (g.clone(), None))),
            );
        }
    }
    let mut out: Vec<(String, Option<String>)> = found.into_iter().collect();
    out.sort_by(|a, b| crate::model::natural_cmp(&a.0, &b.0));
    out
}
