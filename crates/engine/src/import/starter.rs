//! The `import:` section `roadlog init --from` writes: every status and every group (label,
//! epic, component, project, milestone) of the export listed, mapped where the mapping is
//! evident, commented where a person must decide.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::{Export, map};
use crate::yaml::flow_scalar;

/// The `import:` section of `roadlog.yaml` for a plan made from `export`.
pub fn starter_config(export: &Export) -> String {
    let statuses: BTreeSet<(&str, Option<crate::model::Category>)> = export
        .records
        .iter()
        .map(|r| (r.status.as_str(), r.category))
        .collect();
    let groups: BTreeSet<&str> = export
        .records
        .iter()
        .flat_map(|r| r.groups.iter().map(String::as_str))
        .collect();
    let mut out = String::from(
        "# How `roadlog import` maps the tracker onto this plan (docs/import.md).\nimport:\n",
    );
    let _ = writeln!(out, "  folder: backlog/{}", export.tracker.name());
    out.push_str(
        "  # The tracker's statuses: mapped where the name or the tracker says what it means.\n",
    );
    if statuses.is_empty() {
        out.push_str("  statuses: {}\n");
    } else {
        out.push_str("  statuses:\n");
    }
    let mut seen = BTreeSet::new();
    for (name, category) in statuses {
        if !seen.insert(name) {
            continue;
        }
        let key = flow_scalar(name);
        match map::evident_category(name).or(category) {
            Some(c) => {
                let _ = writeln!(out, "    {key}: {}", c.as_str());
            }
            None => {
                let _ = writeln!(
                    out,
                    "    # {key}: in-progress   # decide: todo, in-progress, blocked, done or wontdo"
                );
            }
        }
    }
    out.push_str(
        "  # Which theme each label, epic, component, project or milestone serves: for a person\n  \
         # to decide. Uncomment a line and name a theme of roadmap/; unmapped items are orphans.\n",
    );
    if groups.is_empty() {
        out.push_str("  themes: {}\n");
    } else {
        out.push_str("  themes:\n");
        for g in groups {
            let _ = writeln!(out, "    # {}: a-theme-id", flow_scalar(g));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Carried, Record, Tracker};
    use super::*;

    #[test]
    fn every_status_and_group_is_listed_and_the_result_reads_back() {
        let record = |status: &str, groups: &[&str]| Record {
            status: status.into(),
            groups: groups.iter().map(|g| (*g).to_string()).collect(),
            ..Record::default()
        };
        let export = Export {
            tracker: Tracker::Jira,
            records: vec![
                record("In Progress", &["PAY-1"]),
                record("Ready: for QA", &["area/security", "PAY-1"]),
                record("Done", &[]),
            ],
            carried: Carried::ALL,
            repositories: Vec::new(),
            notes: Vec::new(),
        };
        let text = starter_config(&export);
        assert!(text.contains("    In Progress: in-progress\n"), "{text}");
        assert!(text.contains("    Done: done\n"), "{text}");
        assert!(text.contains("# \"Ready: for QA\": in-progress"), "{text}");
        assert!(text.contains("# area/security: a-theme-id"), "{text}");
        let tree = crate::load::MemoryTree::new().with(crate::load::CONFIG_FILE, text.as_str());
        let plan = crate::load::load(&tree, "t").expect("the section reads back");
        assert_eq!(plan.config.import.statuses.len(), 2);
        assert_eq!(plan.config.import.folder.as_deref(), Some("backlog/jira"));
    }
}
