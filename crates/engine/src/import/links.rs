//! What ties an export's records to the plan beyond their fields: the ids new records get, the
//! themes they inherit instead of naming, the plan's items the export no longer holds, and the
//! sprints it names that the calendar lacks.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables, made by the same load"
)]

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::fields::Wanted;
use super::{Export, FileChange, Options, Record, SprintDates, Tracker, Warning};
use crate::error::Error;
use crate::load::Source;
use crate::model::{Plan, is_item_id, stem_of};

/// A map with the fast hash.
pub(super) type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The id of each record the plan does not have yet: its key when that is a legal, free item id,
/// else the next `<id_prefix>-<n>`.
pub(super) fn assign_ids(
    plan: &Plan,
    export: &Export,
    opts: &Options,
    mirrored: &Map<&str, usize>,
    folder: &str,
    root: &Path,
) -> Map<String, String> {
    let mut taken: HashSet<String, foldhash::fast::RandomState> = plan
        .items
        .iter()
        .map(|i| i.id.value.to_ascii_lowercase())
        .chain(plan.themes.iter().map(|t| t.id.value.to_ascii_lowercase()))
        .chain(
            plan.files
                .iter()
                .map(|f| stem_of(&f.path).to_ascii_lowercase()),
        )
        .collect();
    let prefix = &plan.config.id_prefix;
    let mut next = plan
        .items
        .iter()
        .map(|i| i.id.value.as_str())
        .chain(plan.files.iter().map(|f| stem_of(&f.path)))
        .filter_map(|id| crate::author::number_of(id, prefix))
        .max()
        .unwrap_or(0);
    let free = |id: &str, taken: &HashSet<String, _>| {
        is_item_id(id)
            && !taken.contains(&id.to_ascii_lowercase())
            && !root.join(folder).join(format!("{id}.yaml")).exists()
    };
    let mut ids = Map::default();
    for r in &export.records {
        if mirrored.contains_key(r.source.as_str()) {
            continue;
        }
        let number = r.key.rsplit('-').next().unwrap_or(&r.key);
        let wanted = match (&opts.prefix, export.tracker) {
            (Some(p), _) => format!("{p}-{number}"),
            (None, Tracker::Github) => format!("GH-{number}"),
            (None, _) => r.key.clone(),
        };
        let id = if free(&wanted, &taken) {
            wanted
        } else {
            loop {
                next = next.saturating_add(1);
                let id = format!("{prefix}-{next}");
                if free(&id, &taken) || next == u64::MAX {
                    break id;
                }
            }
        };
        taken.insert(id.to_ascii_lowercase());
        ids.insert(r.source.clone(), id);
    }
    ids
}

/// A record's mapped theme is kept only where no ancestor names a theme: below one, the item
/// inherits, and naming another would be a `theme-conflict`.
pub(super) fn inherit_themes<'a>(
    plan: &Plan,
    records: &[Record],
    wanted: &mut [Wanted],
    id_of: &impl Fn(&str) -> Option<&'a str>,
    mirrored: &Map<&str, usize>,
) {
    let by_id: Map<&str, usize> = plan
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.id.value.as_str(), i))
        .collect();
    let mut record_of: Map<&str, usize> = Map::default();
    for (n, r) in records.iter().enumerate() {
        if let Some(id) = id_of(&r.source) {
            record_of.insert(id, n);
        }
    }
    // An id's own theme and parent as the plan will have them.
    let node = |id: &str| -> (bool, Option<String>) {
        let item = by_id.get(id).map(|&i| &plan.items[i]);
        match record_of.get(id) {
            Some(&n) => {
                let w = &wanted[n];
                let own = item.is_some_and(|it| it.theme.is_some()) || w.theme.is_some();
                let parent = match &w.parent {
                    Some(p) => p.clone(),
                    None => item.and_then(|it| it.parent.as_ref().map(|p| p.value.clone())),
                };
                (own, parent)
            }
            None => (
                item.is_some_and(|it| it.theme.is_some()),
                item.and_then(|it| it.parent.as_ref().map(|p| p.value.clone())),
            ),
        }
    };
    let mut drop = Vec::new();
    for (n, r) in records.iter().enumerate() {
        if wanted[n].theme.is_none() {
            continue;
        }
        let existing = mirrored.contains_key(r.source.as_str());
        let mut at = wanted[n].parent.clone().flatten().or_else(|| {
            existing
                .then(|| mirrored.get(r.source.as_str()))
                .flatten()
                .and_then(|&i| plan.items[i].parent.as_ref().map(|p| p.value.clone()))
        });
        let mut seen = HashSet::<String>::new();
        while let Some(id) = at {
            if !seen.insert(id.clone()) {
                break;
            }
            let (own, parent) = node(&id);
            if own {
                drop.push(n);
                break;
            }
            at = parent;
        }
    }
    for n in drop {
        wanted[n].theme = None;
    }
}

/// The plan's items mirroring a record of this tracker that the export does not hold.
pub(super) fn missing(plan: &Plan, export: &Export, mirrored: &Map<&str, usize>) -> Vec<String> {
    let prefix = format!("{}:", export.tracker.name());
    let in_export: HashSet<&str, foldhash::fast::RandomState> =
        export.records.iter().map(|r| r.source.as_str()).collect();
    let covered = |source: &str| match export.tracker {
        // Another repository's issues are not missing from this one's export.
        Tracker::Github => source
            .strip_prefix("github:")
            .and_then(|s| s.split_once('#'))
            .is_some_and(|(repo, _)| export.repositories.iter().any(|r| r == repo)),
        _ => true,
    };
    let mut out: Vec<(usize, String)> = mirrored
        .iter()
        .filter(|(s, _)| s.starts_with(&prefix) && !in_export.contains(**s) && covered(s))
        .map(|(_, &i)| (i, plan.items[i].id.value.clone()))
        .collect();
    out.sort_unstable();
    out.into_iter().map(|(_, id)| id).collect()
}

/// `roadlog.yaml` with each sprint the records name and the calendar lacks, with its dates when
/// the export gives them; `None` when there is none to add.
pub(super) fn sprints(
    source: &dyn Source,
    plan: &Plan,
    records: &[Record],
    warnings: &mut Vec<Warning>,
) -> Result<Option<FileChange>, Error> {
    let known: HashSet<&str> = plan.config.sprint_ids().into_iter().collect();
    let mut new: Vec<(&str, Option<SprintDates>, Option<u64>)> = Vec::new();
    for r in records {
        let Some(s) = &r.sprint else { continue };
        if known.contains(s.name.as_str()) {
            continue;
        }
        match new.iter_mut().find(|(n, _, _)| *n == s.name) {
            Some(entry) => entry.1 = entry.1.or(s.dates),
            None => new.push((&s.name, s.dates, r.line)),
        }
    }
    if new.is_empty() {
        return Ok(None);
    }
    let Some(config) = plan.files.first() else {
        return Ok(None);
    };
    let before = crate::load::text_of(source, config).ok_or_else(|| Error::ChangedSinceRead {
        path: config.path.clone().into(),
    })?;
    let mut text = before.clone();
    for (name, dates, line) in new {
        let id = crate::yaml::flow_scalar(name);
        let entry = match dates.filter(|d| d.start <= d.end) {
            Some(d) => format!("{{ id: {id}, start: {}, end: {} }}", d.start, d.end),
            None => {
                warnings.push(Warning {
                    message: format!(
                        "sprint `{name}` is added to roadlog.yaml by name, without dates; give it \
                         `start` and `end` so it can be the current sprint"
                    ),
                    line,
                });
                format!("{{ id: {id} }}")
            }
        };
        text = crate::edit::append_entry(&text, &config.path, "sprints", &entry)?;
    }
    Ok(Some(FileChange {
        path: config.path.clone(),
        before: Some(before),
        after: text,
        seal: Some(config.seal),
    }))
}
