//! `roadlog new`: new theme and item files, checked before they are written, created exclusively,
//! never outside the plan root.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diag::suggestion;
use crate::diff::FindingView;
use crate::error::Error;
use crate::load::Source;
use crate::model::stem_of;
use crate::model::{Config, Kind, Plan, ThemeStatus, is_item_id, is_theme_id};
use crate::time::Date;
use crate::time::Horizon;
use crate::yaml::{flow_scalar as yaml_flow_scalar, scalar as yaml_scalar};

/// What `new theme` was given.
#[derive(Clone, Debug)]
pub struct NewTheme {
    /// Theme id (also the file name).
    pub id: String,
    /// Headline.
    pub title: String,
    /// The business outcome.
    pub objective: String,
    /// When.
    pub horizon: Option<String>,
    /// proposed, active, done or dropped.
    pub status: String,
    /// Rank among themes, 1 first.
    pub priority: Option<u32>,
    /// Who answers for it.
    pub owner: Option<String>,
    /// Success metrics.
    pub metrics: Vec<crate::model::Metric>,
    /// The initiative it belongs to.
    pub parent: Option<String>,
}

/// What `new item` was given.
#[derive(Clone, Debug)]
pub struct NewItem {
    /// Headline.
    pub title: String,
    /// Kind, when given.
    pub kind: Option<String>,
    /// Status (todo unless given).
    pub status: String,
    /// Theme it serves.
    pub theme: Option<String>,
    /// Item it breaks down.
    pub parent: Option<String>,
    /// Story points.
    pub estimate: Option<f64>,
    /// Rank in the backlog, 1 first.
    pub priority: Option<u32>,
    /// Sprint id.
    pub sprint: Option<String>,
    /// Who works on it.
    pub assignee: Option<String>,
    /// Items that must be done first.
    pub depends_on: Vec<String>,
    /// Acceptance criteria.
    pub acceptance: Vec<String>,
    /// Free labels.
    pub tags: Vec<String>,
    /// Sub-folder of the backlog to put it in.
    pub dir: Option<String>,
}

/// `--metric "name: baseline -> target"` (or `"name: target"`) as a metric.
pub fn parse_metric(s: &str) -> Result<crate::model::Metric, String> {
    let usage =
        || format!("`{s}` is not a metric: write \"name: baseline -> target\" or \"name: target\"");
    let (name, values) = s.split_once(':').ok_or_else(usage)?;
    let (baseline, target) = match values.split_once("->") {
        Some((b, t)) => (Some(b.trim()), t.trim()),
        None => (None, values.trim()),
    };
    let name = name.trim();
    if name.is_empty() || target.is_empty() || baseline == Some("") {
        return Err(usage());
    }
    Ok(crate::model::Metric {
        name: name.to_string(),
        target: target.to_string(),
        current: None,
        baseline: baseline.map(str::to_string),
    })
}

/// `field: [a, b]\n`, or nothing for no values.
fn flow_list(field: &str, values: &[String]) -> String {
    if values.is_empty() {
        return String::new();
    }
    let values: Vec<String> = values.iter().map(|v| yaml_flow_scalar(v)).collect();
    format!("{field}: [{}]\n", values.join(", "))
}

/// A path below the plan root made of plain names only: no `..`, no absolute path, no prefix.
pub(crate) fn relative_folder(dir: &str) -> Result<PathBuf, Error> {
    let path = Path::new(dir);
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) if !crate::load::is_hidden(&p.to_string_lossy()) => out.push(p),
            Component::CurDir => {}
            _ => {
                return Err(Error::usage(format!(
                    "`{dir}` is not a folder inside the backlog: use a relative path without `..` or hidden names"
                )));
            }
        }
    }
    Ok(out)
}

/// Creates `folder` under the plan root if needed, refusing any link that leads out of the root.
/// The deepest folder that exists already is checked before anything is created, so a link out
/// of the root never gets folders made on its far side.
pub(crate) fn safe_folder(root: &Path, folder: &Path) -> Result<PathBuf, Error> {
    let full = root.join(folder);
    let canonical_root = fs::canonicalize(root).map_err(Error::io(root))?;
    let inside = |path: &Path| -> Result<(), Error> {
        let canonical = fs::canonicalize(path).map_err(Error::io(path))?;
        if canonical.starts_with(&canonical_root) {
            Ok(())
        } else {
            Err(Error::refused(
                crate::error::Refusal::OutsidePlan,
                format!(
                    "{} leads outside the plan root (through a symbolic link); nothing was written",
                    full.display()
                ),
            ))
        }
    };
    let existing = full
        .ancestors()
        .find(|a| fs::symlink_metadata(a).is_ok())
        .unwrap_or(root);
    inside(existing)?;
    fs::create_dir_all(&full).map_err(Error::io(&full))?;
    // Checked again: a link could have appeared in between.
    inside(&full)?;
    Ok(full)
}

/// Parses the text about to be written with the loader's own reader; any finding refuses it.
fn self_check(text: &str, stem: &str, config: &Config, theme: bool) -> Result<(), Error> {
    let (_, findings) = crate::load::read_text(&format!("{stem}.yaml"), text, theme, config);
    match findings.first() {
        None => Ok(()),
        Some(f) => Err(Error::refused(
            crate::error::Refusal::WouldFailCheck,
            format!("the new file would not pass `roadlog check`: {}", f.message),
        )),
    }
}

/// The `yaml-language-server` comment that points a new file at its schema, when the plan has a
/// `schema_dir`: `file_dir` is the new file's folder relative to the plan root.
pub(crate) fn schema_comment(plan: &Plan, file_dir: &Path, kind: &str) -> String {
    let Some(dir) = &plan.config.schema_dir else {
        return String::new();
    };
    let up = "../".repeat(file_dir.components().count());
    format!("# yaml-language-server: $schema={up}{dir}/{kind}.schema.json\n")
}

/// A new file's path relative to the plan root, `/`-separated.
pub(crate) fn plan_path(folder: &Path, name: &str) -> String {
    crate::load::to_slash(&folder.join(name))
}

/// Creates `roadmap/<id>.yaml`, when the plan as a whole gains no error by it. `plan` is what
/// `source` (the plan root on disk) holds. An active theme is recorded as reviewed `today`: it
/// was, to be made active. Returns its path and the warnings it adds.
pub fn new_theme(
    root: &Path,
    source: &dyn Source,
    plan: Plan,
    t: &NewTheme,
    today: Date,
) -> Result<(PathBuf, Vec<FindingView>), Error> {
    let draft = draft_theme(root, source, plan, t, today)?;
    if crate::write::create(&draft.path, &draft.text)? {
        Ok((draft.path, draft.warnings))
    } else {
        Err(Error::refused(
            crate::error::Refusal::IdTaken,
            format!(
                "{} already exists; roadlog new never overwrites a file",
                draft.path.display()
            ),
        ))
    }
}

/// A file `roadlog new` would create, checked as it would be, not yet written.
#[derive(Debug)]
pub struct Draft {
    /// The id it would have (an item's: the next free number when it is made).
    pub id: String,
    /// Where it would be.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Warnings it would add.
    pub warnings: Vec<FindingView>,
    /// For an item: the prefix and number of `id`, to try the next ones when a concurrent run
    /// takes it first.
    numbered: Option<(String, u64)>,
}

/// Works out [`new_theme`] and refuses it as `new_theme` would, writing nothing.
pub fn draft_theme(
    root: &Path,
    source: &dyn Source,
    plan: Plan,
    t: &NewTheme,
    today: Date,
) -> Result<Draft, Error> {
    if !is_theme_id(&t.id) {
        return Err(Error::refused(
            crate::error::Refusal::InvalidValue,
            format!(
                "`{}` is not a valid theme id: use lowercase letters, digits and `-`",
                t.id
            ),
        ));
    }
    let trace = crate::trace::Trace::new(&plan);
    if trace.by_id.contains_key(t.id.as_str()) {
        return Err(Error::refused(
            crate::error::Refusal::IdTaken,
            format!("the id `{}` is already used in this plan", t.id),
        ));
    }
    // Looked up while the trace is at hand; refused below, in the order the fields are written.
    let parent_known = t.parent.as_ref().is_none_or(|p| trace.theme(p).is_some());
    drop(trace);
    let Some(status) = ThemeStatus::parse(&t.status) else {
        return Err(Error::refused(
            crate::error::Refusal::InvalidValue,
            format!(
                "`{}` is not a theme status: use {}",
                t.status,
                ThemeStatus::choices()
            ),
        ));
    };
    if let Some(h) = &t.horizon {
        h.parse::<Horizon>().map_err(|e| {
            Error::usage(e).maybe_help(Horizon::suggest(h).map(|s| format!("did you mean `{s}`?")))
        })?;
    } else if matches!(status, ThemeStatus::Proposed | ThemeStatus::Active) {
        let which = if status == ThemeStatus::Active {
            "an active"
        } else {
            "a proposed"
        };
        return Err(Error::refused(
            crate::error::Refusal::InvalidValue,
            format!(
                "{which} theme needs --horizon (a quarter such as 2025-Q3, a month, a range, now/next/later, or ongoing)"
            ),
        ));
    }
    let mut text = format!(
        "title: {}\nobjective: {}\nstatus: {}\n",
        yaml_scalar(&t.title),
        yaml_scalar(&t.objective),
        status.as_str()
    );
    if let Some(h) = &t.horizon {
        text.push_str(&format!("horizon: {h}\n"));
    }
    if let Some(p) = t.priority {
        text.push_str(&format!("priority: {p}\n"));
    }
    if let Some(owner) = &t.owner {
        text.push_str(&format!("owner: {}\n", yaml_scalar(owner)));
    }
    if !t.metrics.is_empty() {
        text.push_str("metrics:\n");
        for m in &t.metrics {
            text.push_str(&format!("  - name: {}\n", yaml_scalar(&m.name)));
            if let Some(b) = &m.baseline {
                text.push_str(&format!("    baseline: {}\n", yaml_scalar(b)));
            }
            text.push_str(&format!("    target: {}\n", yaml_scalar(&m.target)));
        }
    }
    if status == ThemeStatus::Active {
        text.push_str(&format!("reviewed: {today}\n"));
    }
    if let Some(parent) = &t.parent {
        if !parent_known {
            let help = suggestion(parent, plan.themes.iter().map(|t| t.id.value.as_str()));
            return Err(Error::refused(
                crate::error::Refusal::UnknownId,
                format!("there is no theme `{parent}` to be the initiative; nothing was written"),
            )
            .maybe_help(help));
        }
        text.push_str(&format!("parent: {}\n", yaml_scalar(parent)));
    }
    let relative = relative_folder(&plan.config.roadmap_dir)?;
    let text = schema_comment(&plan, &relative, "theme") + &text;
    self_check(&text, &t.id, &plan.config, true)?;
    let name = format!("{}.yaml", t.id);
    let label = root.display().to_string();
    let added = crate::guard::added(
        source,
        &label,
        plan,
        &plan_path(&relative, &name),
        &text,
        today,
    )?;
    added.refuse_errors()?;
    let folder = safe_folder(root, &relative)?;
    Ok(Draft {
        id: t.id.clone(),
        path: folder.join(name),
        text,
        warnings: added.warnings,
        numbered: None,
    })
}

/// The number after `<prefix>-` in an id or file stem.
pub(crate) fn number_of(id: &str, prefix: &str) -> Option<u64> {
    id.strip_prefix(prefix)?.strip_prefix('-')?.parse().ok()
}

/// Creates a backlog item with the next free `<prefix>-<n>` id, when the plan as a whole gains
/// no error by it. `plan` is what `source` (the plan root on disk) holds. Returns its id, its
/// path and the warnings it adds.
pub fn new_item(
    root: &Path,
    source: &dyn Source,
    plan: Plan,
    i: &NewItem,
    today: Date,
) -> Result<(String, PathBuf, Vec<FindingView>), Error> {
    let draft = draft_item(root, source, plan, i, today)?;
    let (Some((prefix, next)), Some(folder)) = (&draft.numbered, draft.path.parent()) else {
        return Err(Error::usage("an item draft has no number"));
    };
    // A concurrent run may take a number first: the exclusive create fails and we try the next,
    // which differs from the one checked only in its number.
    for n in *next..next.saturating_add(1000) {
        let id = format!("{prefix}-{n}");
        let path = folder.join(format!("{id}.yaml"));
        if crate::write::create(&path, &draft.text)? {
            return Ok((id, path, draft.warnings));
        }
    }
    Err(Error::usage(
        "could not find a free item id after 1,000 tries",
    ))
}

/// Works out [`new_item`] and refuses it as `new_item` would, writing nothing.
pub fn draft_item(
    root: &Path,
    source: &dyn Source,
    plan: Plan,
    i: &NewItem,
    today: Date,
) -> Result<Draft, Error> {
    let trace = crate::trace::Trace::new(&plan);
    if let Some(theme) = &i.theme
        && trace.theme(theme).is_none()
    {
        let help = suggestion(theme, plan.themes.iter().map(|t| t.id.value.as_str()));
        return Err(Error::refused(
            crate::error::Refusal::UnknownId,
            format!("there is no theme `{theme}`; nothing was written"),
        )
        .maybe_help(help));
    }
    if let Some(parent) = &i.parent
        && trace.item(parent).is_none()
    {
        let help = suggestion(parent, plan.items.iter().map(|t| t.id.value.as_str()));
        return Err(Error::refused(
            crate::error::Refusal::UnknownId,
            format!("there is no backlog item `{parent}`; nothing was written"),
        )
        .maybe_help(help));
    }
    if let Some(kind) = &i.kind
        && !Kind::ALL.iter().any(|k| k.as_str() == kind)
    {
        return Err(Error::refused(
            crate::error::Refusal::InvalidValue,
            format!("`{kind}` is not a kind: use epic, story, task, bug, spike or chore"),
        ));
    }
    if plan.config.category_of(&i.status).is_none() {
        return Err(Error::refused(
            crate::error::Refusal::InvalidValue,
            format!("`{}` is not a status of this plan", i.status),
        ));
    }
    if i.estimate.is_some_and(|e| !e.is_finite() || e < 0.0) {
        return Err(Error::usage("--estimate must be a number of at least 0"));
    }
    if i.priority == Some(0) {
        return Err(Error::usage(
            "--priority must be a whole number of at least 1",
        ));
    }
    for dep in &i.depends_on {
        if trace.item(dep).is_none() {
            let help = suggestion(dep, plan.items.iter().map(|t| t.id.value.as_str()));
            return Err(Error::refused(
                crate::error::Refusal::UnknownId,
                format!("there is no backlog item `{dep}` to depend on; nothing was written"),
            )
            .maybe_help(help));
        }
    }
    let mut text = format!("title: {}\n", yaml_scalar(&i.title));
    if let Some(kind) = &i.kind {
        text.push_str(&format!("kind: {kind}\n"));
    }
    text.push_str(&format!("status: {}\n", yaml_scalar(&i.status)));
    if let Some(theme) = &i.theme {
        text.push_str(&format!("theme: {theme}\n"));
    }
    if let Some(parent) = &i.parent {
        text.push_str(&format!("parent: {parent}\n"));
    }
    if let Some(e) = i.estimate {
        text.push_str(&format!("estimate: {e}\n"));
    }
    if let Some(p) = i.priority {
        text.push_str(&format!("priority: {p}\n"));
    }
    for (field, value) in [("sprint", &i.sprint), ("assignee", &i.assignee)] {
        if let Some(v) = value {
            text.push_str(&format!("{field}: {}\n", yaml_scalar(v)));
        }
    }
    text.push_str(&flow_list("depends_on", &i.depends_on));
    if !i.acceptance.is_empty() {
        text.push_str("acceptance:\n");
        for a in &i.acceptance {
            text.push_str(&format!("  - {}\n", yaml_scalar(a)));
        }
    }
    text.push_str(&flow_list("tags", &i.tags));
    drop(trace);
    let prefix = plan.config.id_prefix.clone();
    let mut relative = relative_folder(&plan.config.backlog_dir)?;
    if let Some(dir) = &i.dir {
        relative.push(relative_folder(dir)?);
    }
    let text = schema_comment(&plan, &relative, "item") + &text;
    // One above the highest number in use among ids and file names.
    let highest = plan
        .items
        .iter()
        .map(|item| item.id.value.as_str())
        .chain(plan.files.iter().map(|f| stem_of(&f.path)))
        .filter_map(|id| number_of(id, &prefix))
        .max()
        .unwrap_or(0);
    let Some(next) = highest.checked_add(1) else {
        return Err(Error::usage(format!(
            "`{prefix}-{highest}` is the highest item number in use and has no next number; \
             nothing was written"
        ))
        .with_help(
            "renumber that item, or change `id_prefix` in roadlog.yaml to start a new series",
        ));
    };
    let first = format!("{prefix}-{next}");
    if !is_item_id(&first) {
        return Err(Error::refused(
            crate::error::Refusal::InvalidValue,
            format!("`{first}` is not a valid item id; check id_prefix"),
        ));
    }
    let config = plan.config.clone();
    self_check(&text, &first, &config, false)?;
    let label = root.display().to_string();
    let at = plan_path(&relative, &format!("{first}.yaml"));
    let added = crate::guard::added(source, &label, plan, &at, &text, today)?;
    added.refuse_errors()?;
    let folder = safe_folder(root, &relative)?;
    Ok(Draft {
        path: folder.join(format!("{first}.yaml")),
        id: first,
        text,
        warnings: added.warnings,
        numbered: Some((prefix, next)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_must_stay_inside() {
        assert!(relative_folder("security/sso").is_ok());
        for bad in ["../x", "/abs", "a/../../b", ".hidden", "a/.git"] {
            assert!(relative_folder(bad).is_err(), "{bad}");
        }
    }
}
