//! Tests of reloads: each must give what a fresh load of the same files gives.

use std::collections::HashSet;

use super::super::tests::assert_same_plan;
use super::super::*;
use crate::diag::Rule;

#[test]
fn a_reload_gives_what_a_fresh_load_gives() {
    let before = MemoryTree::new()
        .with(CONFIG_FILE, "")
        .with("roadmap/t.yaml", "title: T\nobjective: O\n")
        .with("backlog/A.yaml", "title: A\ntheme: t\nstatus: todo\n")
        .with("backlog/B.yaml", "title: B\ntheme: nope\n")
        .with("backlog/C.yaml", "title: C\ntheme: t\nstatus: done\n");
    enum Edit {
        Text(&'static str),
        Remove,
        Problem,
        TooLarge,
    }
    use Edit::{Problem, Remove, Text, TooLarge};
    let edits: Vec<(&str, Edit)> = vec![
        ("backlog/A.yaml", Text("title: A\ntheme: t\nstatus: done\n")),
        // Removing B and adding A2 shift the other files' ids both ways.
        ("backlog/B.yaml", Remove),
        ("backlog/A2.yaml", Text("title: A2\ntheme: t\nowner: x\n")),
        ("roadmap/u.yaml", Text("title: U\n")),
        // Files with findings on both sides of a removed and an added one keep theirs, renumbered.
        ("backlog/0.yaml", Text("title: Z\nbogus: 1\n")),
        ("backlog/A.yaml", Remove),
        (
            "backlog/A1.yaml",
            Text("id: A1\ntitle: A1\n---\nid: A1b\ntitle: two\nstatus: x\n"),
        ),
        (CONFIG_FILE, Text("statuses:\n  review: in-progress\n")),
        ("backlog/C.yaml", Text("title: C\nstatus: review\n")),
        // Files no listing shows, then files that list with a problem, and back.
        ("backlog/.hidden.yaml", Text("title: H\n")),
        ("backlog/notes.txt", Text("not a plan file")),
        ("roadmap/t.yaml", Text("title: T\nobjective: changed\n")),
        ("backlog/C.yaml", Problem),
        ("backlog/A2.yaml", Text("title: A2\ntheme: t\nowner: y\n")),
        ("backlog/C.yaml", Text("title: C\n")),
        ("backlog/A1.yaml", TooLarge),
        ("backlog/A2.yaml", Text("title: A2\ntheme: u\nowner: z\n")),
        ("backlog/A1.yaml", Text("title: A1\n")),
        ("backlog/C.yaml", Text("title: C again\n")),
    ];
    let cache = ParseCache::new();
    let mut tree = before;
    let mut plan = load_with(&tree, "t", Some(&cache)).expect("loads");
    for (path, edit) in edits {
        match edit {
            Text(text) => tree.insert(path, text.as_bytes().to_vec()),
            Remove => tree.remove(path),
            Problem => tree.insert_problem(path, "is a link out of the plan"),
            TooLarge => tree.insert_too_large(path, 5 << 20),
        }
        let changed = HashSet::from([path.to_string()]);
        plan = reload(&tree, "t", &cache, plan, &changed)
            .expect("reloads")
            .plan;
        let fresh = load(&tree, "t").expect("loads");
        assert_same_plan(&plan, &fresh, &format!("after {path}"));
    }
    assert!(
        plan.findings.iter().any(|f| f.message.contains("owner")),
        "the added file's finding is there"
    );
}

#[test]
fn a_reload_that_adds_and_takes_out_files_at_once_gives_what_a_fresh_load_gives() {
    let mut tree = MemoryTree::new()
        .with(CONFIG_FILE, "")
        .with("roadmap/m.yaml", "title: M\n")
        .with("roadmap/t.yaml", "title: T\nbogus: 1\n")
        .with("backlog/b.yaml", "title: B\ntheme: t\n")
        .with("backlog/d.yaml", "title: D\ntheme: m\nbogus: 2\n")
        .with("backlog/f.yaml", "title: F\n---\ntitle: F2\nbogus: 3\n");
    let cache = ParseCache::new();
    let plan = load_with(&tree, "t", Some(&cache)).expect("loads");
    // Files go and come on both sides of those that stay, in both folders, with findings
    // before, between and after them.
    tree.remove("roadmap/t.yaml");
    tree.remove("backlog/d.yaml");
    tree.insert("roadmap/a.yaml", b"title: A\nbogus: 4\n".to_vec());
    tree.insert("roadmap/z.yaml", b"title: Z\n".to_vec());
    tree.insert("backlog/a.yaml", b"title: BA\nbogus: 5\n".to_vec());
    tree.insert("backlog/e.yaml", b"title: E\ntheme: z\n".to_vec());
    tree.insert("backlog/g.yaml", b"title: G\nbogus: 6\n".to_vec());
    tree.insert("backlog/f.yaml", b"title: F\n".to_vec());
    let changed: HashSet<String> = [
        "roadmap/t.yaml",
        "backlog/d.yaml",
        "roadmap/a.yaml",
        "roadmap/z.yaml",
        "backlog/a.yaml",
        "backlog/e.yaml",
        "backlog/g.yaml",
        "backlog/f.yaml",
        "backlog/never.yaml",
    ]
    .map(String::from)
    .into();
    let reloaded = reload(&tree, "t", &cache, plan, &changed).expect("reloads");
    assert!(
        (reloaded.splices.iter().flatten()).any(|s| s.removed != s.added),
        "entities came and went: {:?}",
        reloaded.splices
    );
    let (plan, fresh) = (reloaded.plan, load(&tree, "t").expect("loads"));
    assert_same_plan(&plan, &fresh, "a reload of many files");
    let unknown: Vec<&str> = plan
        .findings
        .iter()
        .filter(|f| f.rule == Rule::UnknownField)
        .filter_map(|f| f.at.map(|at| plan.file(at.file).path.as_str()))
        .collect();
    assert_eq!(
        unknown,
        ["roadmap/a.yaml", "backlog/a.yaml", "backlog/g.yaml"],
        "only the files now there have their findings, each at its own file"
    );
}

#[test]
fn a_reload_of_many_changed_files_gives_what_a_fresh_load_gives() {
    let mut tree = MemoryTree::new()
        .with(CONFIG_FILE, "")
        .with("roadmap/t.yaml", "title: T\nobjective: O\n");
    for i in 0..40 {
        tree.insert(
            &format!("backlog/B{i}.yaml"),
            format!("title: B{i}\ntheme: t\n").into(),
        );
    }
    let cache = ParseCache::new();
    let plan = load_with(&tree, "t", Some(&cache)).expect("loads");
    // More changed paths than are looked for one by one: every item and one file more each.
    let mut changed = HashSet::new();
    for i in 0..40 {
        let path = format!("backlog/B{i}.yaml");
        let text =
            format!("id: B{i}\ntitle: B{i}\ntheme: t\nstatus: done\n---\nid: C{i}\ntitle: C\n");
        tree.insert(&path, text.into());
        changed.insert(path);
    }
    let plan = reload(&tree, "t", &cache, plan, &changed)
        .expect("reloads")
        .plan;
    let fresh = load(&tree, "t").expect("loads");
    assert_eq!(plan.items, fresh.items);
    assert_eq!(plan.findings, fresh.findings);
    assert_eq!(plan.items.len(), 80);
}
