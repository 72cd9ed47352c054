//! Buffers laid over the work tree read as those buffers written to disk would: the same plan,
//! the same findings, whether loaded afresh or reloaded from the plan before the edits (what
//! the language server does on every keystroke).
#![allow(clippy::indexing_slicing, reason = "tests index their own tables")]

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use proptest::prelude::*;

use super::{CONFIG_FILE, Overlay, ParseCache, WorkTree, load, reload};
use crate::rules::{self, Context};
use crate::time::Date;

/// The plan the edits start from.
const BASE: &[(&str, &str)] = &[
    (CONFIG_FILE, "product: Acme\ncurrent_sprint: S1\n"),
    (
        "roadmap/growth.yaml",
        "title: Growth\nstatus: active\nhorizon: 2026-Q1\nobjective: More teams\n",
    ),
    (
        "roadmap/trust.yaml",
        "title: Trust\nstatus: proposed\nhorizon: later\n",
    ),
    (
        "backlog/BL-1.yaml",
        "title: Sign-up\ntype: epic\nstatus: in-progress\ntheme: growth\n",
    ),
    (
        "backlog/BL-2.yaml",
        "title: Form\ntype: story\nstatus: todo\nparent: BL-1\npoints: 3\nsprint: S1\n",
    ),
    (
        "backlog/BL-3.yaml",
        "title: Audit\ntype: story\nstatus: done\ntheme: trust\npoints: 5\n",
    ),
];

/// Where edits land: the base's files, new ones, and ones a listing leaves out.
const PATHS: &[&str] = &[
    CONFIG_FILE,
    "roadmap/growth.yaml",
    "roadmap/trust.yaml",
    "roadmap/speed.yml",
    "backlog/BL-1.yaml",
    "backlog/BL-2.yaml",
    "backlog/BL-3.yaml",
    "backlog/BL-4.yaml",
    "backlog/area/BL-5.yaml",
    "backlog/.hidden/BL-6.yaml",
    "backlog/notes.md",
    "elsewhere/BL-7.yaml",
];

/// Texts an edit may write: plan files right and wrong, and whatever proptest makes up.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("title: Speed\nstatus: active\nhorizon: 2026-Q2\n".to_string()),
        Just("title: New\ntype: story\nstatus: todo\ntheme: growth\npoints: 2\n".to_string()),
        Just("title: Child\ntype: task\nstatus: done\nparent: BL-2\n".to_string()),
        Just("title: Loop\ntype: story\nstatus: todo\nparent: BL-4\ntheme: nope\n".to_string()),
        Just("title: [unclosed\n".to_string()),
        Just("product: Edited\nstatuses:\n  review: in-progress\n".to_string()),
        Just(String::new()),
        ".{0,40}",
        "(title|status|theme|parent|points|type): [a-zA-Z0-9 -]{0,12}\n",
    ]
}

fn edits() -> impl Strategy<Value = Vec<(usize, Option<String>)>> {
    prop::collection::vec((0..PATHS.len(), prop::option::weighted(0.8, text())), 1..6)
}

fn write_all(root: &Path, files: impl IntoIterator<Item = (String, Option<String>)>) {
    for (path, text) in files {
        let at = root.join(&path);
        match text {
            Some(text) => {
                fs::create_dir_all(at.parent().expect("a parent")).expect("mkdir");
                fs::write(&at, text).expect("write");
            }
            None => {
                let _ = fs::remove_file(&at);
            }
        }
    }
}

/// A plan, or the error that stopped it, with its findings, as a comparable string.
fn checked(result: Result<crate::model::Plan, crate::error::Error>) -> String {
    let today = Date::new(2026, 1, 15).expect("a date");
    match result {
        Ok(plan) => {
            let findings = rules::check(&plan, Context::at(today)).findings;
            format!("{plan:?}\n{findings:?}")
        }
        Err(e) => format!("error: {e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn checking_with_buffers_laid_over_equals_checking_them_written(edits in edits()) {
        let base = tempfile::tempdir().expect("tempdir");
        let written = tempfile::tempdir().expect("tempdir");
        let base_files = || BASE.iter().map(|(p, t)| (p.to_string(), Some(t.to_string())));
        write_all(base.path(), base_files());
        write_all(written.path(), base_files());
        let edits: Vec<(String, Option<String>)> =
            edits.into_iter().map(|(i, t)| (PATHS[i].to_string(), t)).collect();
        write_all(written.path(), edits.clone());

        let tree = WorkTree::new(base.path()).expect("root");
        let mut overlay = Overlay::new(&tree);
        for (path, text) in &edits {
            overlay.set(path.clone(), text.clone().map(String::into_bytes));
        }
        let on_disk = checked(load(&WorkTree::new(written.path()).expect("root"), "plan"));
        prop_assert_eq!(&checked(load(&overlay, "plan")), &on_disk);

        // Reloaded from the plan before the edits, only the edited files read again.
        let cache = ParseCache::new();
        let before = load(&tree, "plan").expect("the base loads");
        let changed: HashSet<String> = overlay.paths().map(String::from).collect();
        let reloaded = reload(&overlay, "plan", &cache, before, &changed).map(|r| r.plan);
        prop_assert_eq!(&checked(reloaded), &on_disk);
    }
}
