//! `roadlog init`: a new plan root that passes `check` cleanly.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::load::CONFIG_FILE;
use crate::time::Date;

/// Creates `roadlog.yaml`, `roadmap/` and `backlog/` in `dir` (one example theme and item unless
/// `empty`). Refuses a folder that already holds a plan; never overwrites a file.
pub fn init(dir: &Path, empty: bool, today: Date) -> Result<Vec<PathBuf>, Error> {
    make(dir, empty, today, "")
}

/// Creates an empty plan in `dir` whose `roadlog.yaml` ends with `section` (the `import:` section
/// of `roadlog init --from`), as [`init`] does.
pub fn init_with(dir: &Path, today: Date, section: &str) -> Result<Vec<PathBuf>, Error> {
    make(dir, true, today, section)
}

fn make(dir: &Path, empty: bool, today: Date, section: &str) -> Result<Vec<PathBuf>, Error> {
    let config = dir.join(CONFIG_FILE);
    if config.exists() {
        return Err(Error::refused(
            crate::error::Refusal::IdTaken,
            format!(
                "{} already holds a roadlog.yaml; roadlog init never touches an existing plan",
                dir.display()
            ),
        ));
    }
    enclosing_plan(dir)?;
    let product = fs::canonicalize(dir)
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "My product".to_string());
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    if empty {
        files.push((dir.join("roadmap/.gitkeep"), String::new()));
        files.push((dir.join("backlog/.gitkeep"), String::new()));
    } else {
        let quarter = format!("{}-Q{}", today.year(), today.quarter());
        files.push((
            dir.join("roadmap/first-theme.yaml"),
            format!(
                "# A roadmap theme: the why and the when, for executives, customers and other teams.\n\
                 # Backlog items point at it with `theme: first-theme`; it never lists them.\n\
                 title: First theme\n\
                 objective: The business outcome this theme serves\n\
                 status: active\n\
                 horizon: {quarter}\n\
                 reviewed: {today}\n\
                 metrics:\n  - {{ name: An outcome you can measure, target: a number to reach }}\n"
            ),
        ));
        files.push((
            dir.join("backlog/BL-1.yaml"),
            "# A backlog item: the what and the how, for the people building.\n\
             title: First piece of work\n\
             kind: story\n\
             status: todo\n\
             theme: first-theme\n\
             estimate: 3\n\
             sprint: S1\n\
             acceptance:\n  - What must be true when it is done\n"
                .to_string(),
        ));
    }
    // The example item sits in a two-week sprint starting today, so the sprint rule has a sprint.
    let sprint_end = Date::from_days_since_epoch(today.days_since_epoch() + 13);
    let sprint = (!empty).then_some((today, sprint_end));
    files.push((config.clone(), config_text(&product, sprint) + section));
    for (path, _) in &files {
        if path.exists() {
            return Err(Error::refused(
                crate::error::Refusal::IdTaken,
                format!(
                    "{} already exists; roadlog init never overwrites a file",
                    path.display()
                ),
            ));
        }
    }
    // roadlog.yaml is written last, so an interrupted init leaves no half-made plan root.
    let mut created = Vec::new();
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(Error::io(parent))?;
        }
        if !crate::write::create(path, text)? {
            return Err(Error::refused(
                crate::error::Refusal::IdTaken,
                format!(
                    "{} appeared while roadlog init was writing; nothing was overwritten",
                    path.display()
                ),
            ));
        }
        if !path.ends_with(".gitkeep") {
            created.push(path.clone());
        }
    }
    Ok(created)
}

/// Refuses a folder inside the roadmap or backlog folder of a plan further up: that plan would
/// read the new plan's files as its own themes and items.
fn enclosing_plan(dir: &Path) -> Result<(), Error> {
    let mut normal = PathBuf::new();
    for c in dir.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            c => normal.push(c),
        }
    }
    for root in normal.ancestors().skip(1) {
        if !root.join(CONFIG_FILE).is_file() {
            continue;
        }
        let config = crate::load::WorkTree::new(root)
            .and_then(|tree| crate::load::load_config(&tree, &root.display().to_string()))
            .map(|(_, _, config)| config)
            .unwrap_or_default();
        for (folder, what) in [
            (&config.roadmap_dir, "roadmap"),
            (&config.backlog_dir, "backlog"),
        ] {
            if normal.starts_with(root.join(folder)) {
                return Err(Error::usage(format!(
                    "{} is inside the {what} folder of the plan at {}; a plan there would be read \
                     as part of that one",
                    dir.display(),
                    root.display()
                ))
                .with_help(format!(
                    "run `roadlog init` in a folder outside {}, or add to the plan that is there",
                    root.join(folder).display()
                )));
            }
        }
        return Ok(());
    }
    Ok(())
}

fn config_text(product: &str, sprint: Option<(Date, Date)>) -> String {
    // A JSON string is a valid YAML double-quoted scalar, whatever the folder is called.
    let product = serde_json::to_string(product).unwrap_or_else(|_| "\"My product\"".into());
    let mut text = format!(
        "# roadlog plan configuration; every field is optional. See docs/format.md.\n\
         product: {product}\n\
         id_prefix: BL\n\
         progress_by: estimate\n\
         review_cadence_days: 31\n"
    );
    if let Some((start, end)) = sprint {
        text.push_str(&format!(
            "sprints:\n  - {{ id: S1, start: {start}, end: {end}, capacity: 20 }}\n"
        ));
    }
    text
}
