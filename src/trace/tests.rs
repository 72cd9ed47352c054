//! The trace's unit tests: cycles, long chains, and links kept across reloads.

use super::*;

#[test]
fn a_reload_keeps_the_links_only_while_they_hold() {
    use crate::load::{CONFIG_FILE, MemoryTree, ParseCache, load_with, reload};
    let mut tree = MemoryTree::new()
        .with(CONFIG_FILE, "")
        .with("roadmap/t.yaml", "title: T\n")
        .with("roadmap/u.yaml", "title: U\n")
        .with("backlog/E.yaml", "title: E\nkind: epic\ntheme: t\n")
        .with("backlog/A.yaml", "title: A\nparent: E\nstatus: todo\n")
        .with("backlog/B.yaml", "id: B\ntitle: B\ntheme: u\n");
    // Each edit, and whether the links may be kept after it: not after a changed parent,
    // theme, id or alias, nor an entity more or fewer.
    let edits = [
        (
            "backlog/A.yaml",
            "title: A\nparent: E\nstatus: done\nestimate: 3\n",
            true,
        ),
        ("backlog/A.yaml", "title: A\nstatus: done\n", false),
        (
            "backlog/A.yaml",
            "title: A\nparent: E\nstatus: done\n",
            false,
        ),
        ("backlog/B.yaml", "id: B\ntitle: B\ntheme: t\n", false),
        ("backlog/B.yaml", "id: B2\ntitle: B\ntheme: t\n", false),
        (
            "backlog/B.yaml",
            "id: B2\ntitle: B\ntheme: t\naliases: [B]\n",
            false,
        ),
        (
            "backlog/B.yaml",
            "id: B2\ntitle: Bee\ntheme: t\naliases: [B]\n",
            true,
        ),
        ("backlog/B.yaml", "id: B2\n---\nid: B3\nparent: B2\n", false),
        ("roadmap/u.yaml", "title: U\naliases: [t]\n", false),
        ("roadmap/u.yaml", "title: U again\naliases: [t]\n", true),
        ("roadmap/t.yaml", "id: t2\ntitle: T\n", false),
        ("backlog/C.yaml", "title: C\n", false),
    ];
    let cache = ParseCache::new();
    let mut plan = load_with(&tree, "t", Some(&cache)).expect("loads");
    for (path, text, keeps) in edits {
        let before = Trace::new(&plan).links;
        tree.insert(path, text.as_bytes().to_vec());
        let changed = std::collections::HashSet::from([path.to_string()]);
        let reloaded = reload(&tree, "t", &cache, plan, &changed).expect("reloads");
        let after = Trace::new(&reloaded.plan).links;
        assert_eq!(reloaded.same_links, keeps, "after {path}: {text}");
        // A rename nothing refers to leaves the links as they were, but the id maps do not
        // hold: only a kept answer is held to the links.
        if reloaded.same_links {
            assert_eq!(before, after, "kept links hold after {path}: {text}");
        }
        plan = reloaded.plan;
    }
}

#[test]
fn parent_cycles_are_found_once() {
    // 0 -> 1 -> 2 -> 0, 3 -> 1 (leads into the cycle), 4 -> 4 (self), 5 alone.
    let parent = [Some(1), Some(2), Some(0), Some(1), Some(4), None];
    let (cycles, mask) = find_parent_cycles(&parent);
    assert_eq!(cycles, vec![vec![0, 1, 2], vec![4]]);
    assert_eq!(mask, vec![true, true, true, false, true, false]);
}

#[test]
fn dependency_cycles_are_components() {
    let edges = vec![vec![1], vec![2], vec![0, 3], vec![], vec![4], vec![3]];
    assert_eq!(cycles_in(&edges), vec![vec![0, 1, 2], vec![4]]);
}

#[test]
fn long_chains_do_not_overflow() {
    let n = 200_000;
    let mut edges: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
    edges[n - 1] = vec![0];
    assert_eq!(cycles_in(&edges).len(), 1);
}
