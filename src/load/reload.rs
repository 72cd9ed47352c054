//! Bringing a loaded plan up to date after some of its files changed, reading only those.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::cache::ParseCache;
use super::plan::{FileOutcome, assemble, file_id, load_with, plan_files, read_file};
use super::root::CONFIG_FILE;
use super::source::Source;
use crate::error::Error;
use crate::model::{Config, Plan};

/// Brings `previous`, loaded from `source` before the files in `changed` (paths relative to
/// the plan root) changed, up to date. Only those files are read again; every other file keeps
/// its entities, moved rather than cloned, so a `history` sample costs what changed, not the
/// whole plan. The result is what [`load_with`] gives.
pub fn reload(
    source: &dyn Source,
    root_label: &str,
    cache: &ParseCache,
    previous: Plan,
    changed: &HashSet<String>,
) -> Result<Plan, Error> {
    // The config decides which files are read and how statuses parse: a change reads it all.
    if changed.contains(CONFIG_FILE) {
        return load_with(source, root_label, Some(cache));
    }
    let Some((config, outcomes)) = split(previous) else {
        return load_with(source, root_label, Some(cache));
    };
    let mut outcomes = outcomes.into_iter();
    let Some(config_file) = outcomes.next() else {
        return load_with(source, root_label, Some(cache));
    };
    let mut kept: HashMap<String, FileOutcome> =
        outcomes.map(|o| (o.file.path.clone(), o)).collect();
    let work = plan_files(source, &config)?;
    let mut slots: Vec<Option<FileOutcome>> = work
        .iter()
        .enumerate()
        .map(|(i, (entry, _))| {
            if changed.contains(&entry.path) || entry.problem.is_some() {
                return None;
            }
            kept.remove(&entry.path).map(|o| o.in_file(file_id(i)))
        })
        .collect();
    let fresh: Vec<(usize, FileOutcome)> = work
        .into_par_iter()
        .enumerate()
        .filter(|(i, _)| slots[*i].is_none())
        .map(|(i, (entry, role))| {
            let outcome = read_file(source, entry, role, file_id(i), &config, Some(cache));
            (i, outcome)
        })
        .collect();
    for (i, outcome) in fresh {
        slots[i] = Some(outcome);
    }
    Ok(assemble(
        config_file.file,
        config,
        slots.into_iter().flatten().collect(),
    ))
}

/// A plan taken apart: its config, and each file's outcome indexed by [`FileId`] (the config
/// file first). `None` if an entity or finding names no file, which the loader never gives.
fn split(plan: Plan) -> Option<(Config, Vec<FileOutcome>)> {
    let Plan {
        files,
        config,
        themes,
        items,
        findings,
    } = plan;
    let mut outcomes: Vec<FileOutcome> = files.into_iter().map(FileOutcome::empty).collect();
    for theme in themes {
        outcomes.get_mut(theme.file.0 as usize)?.themes.push(theme);
    }
    for item in items {
        outcomes.get_mut(item.file.0 as usize)?.items.push(item);
    }
    for finding in findings {
        let n = finding.at?.file.0 as usize;
        outcomes.get_mut(n)?.findings.push(finding);
    }
    Some((config, outcomes))
}
