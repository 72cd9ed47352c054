//! An export merged into the plan: each record found by `source:` or given a new item, the
//! fields the tracker owns brought in step, the sprints it names added to the calendar, and the
//! whole checked as `check` would see it before anything is written.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables, made by the same load"
)]

use std::collections::BTreeMap;
use std::path::Path;

use super::fields::{self, Extra, Wanted};
use super::links::{Map, assign_ids, inherit_themes, missing, sprints};
use super::{Export, FileChange, Options, Planned, Record, Tracker, Warning, map};
use crate::error::{Error, Refusal};
use crate::load::Source;
use crate::model::{Category, Kind, MAX_WEIGHT, Plan};

/// Works out the import of `export` into `plan` (what `source`, the plan root `root` on disk,
/// holds) and checks it: refused, with nothing written, when a record is malformed, a key is in
/// the export twice, a parent is nowhere, or the plan would gain an error.
pub fn plan_import(
    root: &Path,
    source: &dyn Source,
    plan: Plan,
    export: &Export,
    opts: &Options,
) -> Result<Planned, Error> {
    let records = &export.records;
    refuse_duplicates(records)?;
    let mirrored = mirrored(&plan)?;
    let folder = folder(&plan, export.tracker)?;
    let mut warnings = export.notes.clone();
    let ids = assign_ids(&plan, export, opts, &mirrored, &folder, root);
    let id_of = |source: &str| -> Option<&str> {
        ids.get(source).map(String::as_str).or_else(|| {
            mirrored
                .get(source)
                .map(|&i| plan.items[i].id.value.as_str())
        })
    };
    let mut wanted: Vec<Wanted> = Vec::with_capacity(records.len());
    let mut unknown_themes = BTreeMap::new();
    for r in records {
        wanted.push(want(
            &plan,
            export,
            opts,
            r,
            &id_of,
            &mirrored,
            &mut warnings,
        )?);
        if let Some(theme) = map::theme(&plan.config, r)
            && !plan.themes.iter().any(|t| t.id.value == theme)
        {
            unknown_themes.entry(theme.to_string()).or_insert(r.line);
        }
    }
    for (theme, line) in unknown_themes {
        warnings.push(Warning {
            message: format!(
                "`import: themes:` maps to `{theme}`, which is not a theme of this plan; its items \
                 are imported without a theme"
            ),
            line,
        });
    }
    inherit_themes(&plan, records, &mut wanted, &id_of, &mirrored);

    let mut texts: BTreeMap<usize, String> = BTreeMap::new();
    let mut created = Vec::new();
    let mut updated = Vec::new();
    let mut unchanged = 0;
    let mut changes = Vec::new();
    for (r, w) in records.iter().zip(&wanted) {
        if let Some(&i) = mirrored.get(r.source.as_str()) {
            let item = &plan.items[i];
            let edits = fields::edits(w, item);
            if edits.is_empty() {
                unchanged += 1;
                continue;
            }
            if apply(source, &plan, i, &edits, &mut texts, &mut warnings, r.line)? {
                updated.push(item.id.value.clone());
            } else {
                unchanged += 1;
            }
            continue;
        }
        let Some(id) = ids.get(r.source.as_str()) else {
            continue;
        };
        let extra = Extra {
            source: &r.source,
            description: r.description.as_deref(),
            tags: &r.labels,
        };
        let relative = Path::new(&folder);
        let text =
            crate::author::schema_comment(&plan, relative, "item") + &fields::new_text(w, &extra);
        changes.push(FileChange {
            path: format!("{folder}/{id}.yaml"),
            before: None,
            after: text,
            seal: None,
        });
        created.push(id.clone());
    }
    let missing = missing(&plan, export, &mirrored);
    if opts.missing_wontdo {
        for id in &missing {
            let Some(i) = plan.items.iter().position(|it| &it.id.value == id) else {
                continue;
            };
            if plan.items[i].is_open() {
                let edit = [("status", Some("wontdo".to_string()))];
                if apply(source, &plan, i, &edit, &mut texts, &mut warnings, None)?
                    && !updated.contains(id)
                {
                    updated.push(id.clone());
                }
            }
        }
    }
    for (file, after) in texts {
        let loaded = &plan.files[file];
        changes.push(FileChange {
            path: loaded.path.clone(),
            before: crate::load::text_of(source, loaded),
            after,
            seal: Some(loaded.seal),
        });
    }
    if let Some(config) = sprints(source, &plan, records, &mut warnings)? {
        changes.push(config);
    }
    let findings = if changes.is_empty() {
        Vec::new()
    } else {
        let label = root.display().to_string();
        let all: Vec<(String, Option<String>)> = changes
            .iter()
            .map(|c| (c.path.clone(), Some(c.after.clone())))
            .collect();
        let added = crate::guard::added_by(source, &label, plan, &all, opts.today, |f| f.clone())?;
        added.refuse_errors()?;
        added.warnings
    };
    Ok(Planned {
        created,
        updated,
        unchanged,
        missing,
        warnings,
        findings,
        changes,
        root: root.to_path_buf(),
    })
}

/// A key twice in one export: which of the two is the tracker's is not for roadlog to guess.
fn refuse_duplicates(records: &[Record]) -> Result<(), Error> {
    let mut seen: Map<&str, Option<u64>> = Map::default();
    for r in records {
        if let Some(first) = seen.insert(&r.source, r.line) {
            let at = match (first, r.line) {
                (Some(a), Some(b)) => format!(" (lines {a} and {b})"),
                _ => String::new(),
            };
            return Err(Error::refused(
                Refusal::InvalidValue,
                format!(
                    "`{}` is in the export twice{at}; nothing was written",
                    r.source
                ),
            )
            .with_help("export again, or remove one of the two rows"));
        }
    }
    Ok(())
}

/// The plan's items by the record they mirror; two for one record is refused (`duplicate-source`).
fn mirrored(plan: &Plan) -> Result<Map<&str, usize>, Error> {
    let mut out: Map<&str, usize> = Map::default();
    for (i, item) in plan.items.iter().enumerate() {
        let Some(s) = &item.source else { continue };
        if let Some(first) = out.insert(&s.value, i) {
            return Err(Error::refused(
                Refusal::WouldFailCheck,
                format!(
                    "`{}` and `{}` both mirror `{}` (duplicate-source); nothing was written",
                    plan.items[first].id.value, item.id.value, s.value
                ),
            )
            .with_help("remove `source:` from one of them, then import again"));
        }
    }
    Ok(out)
}

/// Where new items go: `import.folder`, else `<backlog_dir>/<tracker>`; inside the backlog, or
/// they would not be read.
fn folder(plan: &Plan, tracker: Tracker) -> Result<String, Error> {
    let backlog = &plan.config.backlog_dir;
    let folder = plan
        .config
        .import
        .folder
        .clone()
        .unwrap_or_else(|| format!("{backlog}/{}", tracker.name()));
    if folder == *backlog || folder.starts_with(&format!("{backlog}/")) {
        return Ok(folder);
    }
    Err(Error::refused(
        Refusal::OutsidePlan,
        format!("`import: folder: {folder}` is not inside the backlog folder `{backlog}`; nothing was written"),
    )
    .with_help(format!("write a folder under `{backlog}/`, e.g. `{backlog}/imported`")))
}

/// What the tracker says of `r`, in the plan's terms.
fn want<'a>(
    plan: &Plan,
    export: &Export,
    opts: &Options,
    r: &Record,
    id_of: &impl Fn(&str) -> Option<&'a str>,
    mirrored: &Map<&str, usize>,
    warnings: &mut Vec<Warning>,
) -> Result<Wanted, Error> {
    let carried = export.carried;
    let existing = mirrored.get(r.source.as_str()).map(|&i| &plan.items[i]);
    let (status, warning) = map::status(&plan.config, r);
    warnings.extend(warning);
    let kind = match (r.kind, existing) {
        (Some(k), _) => k,
        (None, Some(item)) => item.kind,
        (None, None) => {
            if let Some(name) = &r.kind_name {
                warnings.push(Warning {
                    message: format!(
                        "type `{name}` of {} is not a kind roadlog knows; it is imported as a story",
                        r.key
                    ),
                    line: r.line,
                });
            }
            Kind::Story
        }
    };
    let parent = match &r.parent {
        None => None,
        Some(p) => match id_of(p) {
            Some(id) => Some(id.to_string()),
            None => {
                return Err(Error::refused(
                    Refusal::UnknownId,
                    format!(
                        "{}{}'s parent `{p}` is neither in the export nor in the plan; nothing was \
                         written",
                        r.line.map_or_else(String::new, |l| format!("line {l}: ")),
                        r.key
                    ),
                )
                .with_help("export the parent too, or import the export that holds it first"));
            }
        },
    };
    let mut depends_on = Vec::new();
    for b in &r.blocked_by {
        match id_of(b) {
            Some(id) => depends_on.push(id.to_string()),
            None => warnings.push(Warning {
                message: format!(
                    "{} is blocked by `{b}`, which is neither in the export nor in the plan; the \
                     dependency is left out",
                    r.key
                ),
                line: r.line,
            }),
        }
    }
    let estimate = match r.estimate {
        Some(e) if !(0.0..=MAX_WEIGHT).contains(&e) => {
            warnings.push(Warning {
                message: format!(
                    "{}'s estimate {e} is not a number from 0 to {MAX_WEIGHT}; it is left out",
                    r.key
                ),
                line: r.line,
            });
            None
        }
        e => e,
    };
    let done = (plan.config.category_of(&status) == Some(Category::Done))
        .then(|| r.done_on.map(|d| d.min(opts.today)));
    Ok(Wanted {
        title: r.title.clone(),
        status,
        kind,
        assignee: carried.assignee.then(|| r.assignees.clone()),
        estimate: carried.estimate.then_some(estimate),
        sprint: carried
            .sprint
            .then(|| r.sprint.as_ref().map(|s| s.name.clone())),
        parent: carried.parent.then_some(parent),
        depends_on: carried.depends_on.then_some(depends_on),
        done,
        theme: map::theme(&plan.config, r)
            .filter(|t| plan.themes.iter().any(|th| th.id.value == *t))
            .map(str::to_string),
    })
}

/// Makes `edits` to item `i` in the text of its file (kept in `texts` across items); an edit the
/// byte-preserving editor cannot make safely (a value over several lines) is left, with a
/// warning. Returns whether anything changed.
fn apply(
    source: &dyn Source,
    plan: &Plan,
    i: usize,
    edits: &[(&str, Option<String>)],
    texts: &mut BTreeMap<usize, String>,
    warnings: &mut Vec<Warning>,
    line: Option<u64>,
) -> Result<bool, Error> {
    let item = &plan.items[i];
    let file = item.file.0 as usize;
    let loaded = &plan.files[file];
    let text = match texts.get(&file) {
        Some(t) => t.clone(),
        None => crate::load::text_of(source, loaded).ok_or_else(|| Error::ChangedSinceRead {
            path: loaded.path.clone().into(),
        })?,
    };
    let mut now = text.clone();
    for (field, value) in edits {
        match crate::edit::set_value(&now, &item.id.value, &loaded.path, field, value.as_deref()) {
            Ok(edited) => now = edited,
            Err(Error::Usage(p)) if p.kind == Refusal::EditByHand => warnings.push(Warning {
                message: format!(
                    "`{field}` of {} in {} is not a one-line value, so the import left it; \
                     edit it by hand",
                    item.id.value, loaded.path
                ),
                line,
            }),
            Err(e) => return Err(e),
        }
    }
    let changed = now != text;
    if changed {
        texts.insert(file, now);
    }
    Ok(changed)
}
