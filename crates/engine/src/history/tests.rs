//! History's unit tests: sampling, series, and figures carried across reloads.

use super::*;
use crate::forecast::sim::Rng;

fn commit(id: &str, date: &str) -> PlanCommit {
    PlanCommit {
        id: id.into(),
        date: date.parse().expect("date"),
    }
}

#[test]
fn carried_links_are_kept_only_while_they_hold() {
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
    let mut carried = Carried::carry(None, &plan, None);
    for (path, text, keeps) in edits {
        let before = Trace::new(&plan).links;
        tree.insert(path, text.as_bytes().to_vec());
        let changed = std::collections::HashSet::from([path.to_string()]);
        let reloaded = reload(&tree, "t", &cache, plan, &changed).expect("reloads");
        let after = Trace::new(&reloaded.plan).links;
        let splices = reloaded.splices.as_deref();
        let (next, kept) = Carried::carry_links(Some(carried), &reloaded.plan, splices);
        assert_eq!(kept, keeps, "after {path}: {text}");
        carried = next;
        // A rename nothing refers to leaves the links as they were, but the id maps do not
        // hold: only a kept answer is held to the links.
        if kept {
            assert_eq!(before, after, "kept links hold after {path}: {text}");
        }
        plan = reloaded.plan;
    }
}

#[test]
fn carried_figures_measure_what_fresh_ones_do() {
    use crate::load::{CONFIG_FILE, MemoryTree, ParseCache, load_with, reload};
    let config = "progress_by: estimate\ndefault_estimate: 2\nsprints:\n  \
                  - { id: s1, start: 2026-01-05, end: 2026-01-18 }\n  \
                  - { id: s2, start: 2026-01-19, end: 2026-02-01 }\n";
    let mut tree = MemoryTree::new()
        .with(CONFIG_FILE, config)
        .with("roadmap/t.yaml", "title: T\nstatus: active\n")
        .with("roadmap/u.yaml", "title: U\nstatus: proposed\n")
        .with("backlog/E.yaml", "title: E\nkind: epic\ntheme: t\n")
        .with(
            "backlog/A.yaml",
            "title: A\nparent: E\nstatus: todo\nsprint: s1\n",
        )
        .with(
            "backlog/B.yaml",
            "title: B\ntheme: u\nstatus: todo\nestimate: 3\n",
        );
    // Each edit, and the day its sample is measured on (which picks the sprint).
    let edits = [
        (
            "backlog/A.yaml",
            "title: A\nparent: E\nstatus: done\nsprint: s1\n",
            "2026-01-10",
        ),
        (
            "backlog/B.yaml",
            "title: B\ntheme: u\nstatus: todo\nestimate: 8\n",
            "2026-01-10",
        ),
        (
            "backlog/B.yaml",
            "title: B\ntheme: u\nstatus: todo\nsprint: s2\n",
            "2026-01-20",
        ),
        (
            "backlog/A.yaml",
            "title: A\nparent: E\nstatus: wontdo\nsprint: s2\n",
            "2026-01-20",
        ),
        (
            "backlog/B.yaml",
            "title: B\ntheme: t\nsprint: s9\nstatus: done\n",
            "2026-01-20",
        ),
        (
            "backlog/C.yaml",
            "title: C\ntheme: u\nstatus: todo\nsprint: s2\n",
            "2026-01-25",
        ),
        (
            "backlog/C.yaml",
            "title: C\ntheme: u\nstatus: review\n",
            "2026-01-25",
        ),
        ("roadmap/u.yaml", "title: U\nstatus: active\n", "2026-01-25"),
    ];
    let cache = ParseCache::new();
    let mut plan = load_with(&tree, "t", Some(&cache)).expect("loads");
    let mut carried = Carried::carry(None, &plan, None);
    let (mut kept, mut read) = (0, 0);
    for (path, text, day) in edits {
        tree.insert(path, text.as_bytes().to_vec());
        let changed = std::collections::HashSet::from([path.to_string()]);
        let r = reload(&tree, "t", &cache, plan, &changed).expect("reloads");
        let (next, links_kept) = Carried::carry_links(Some(carried), &r.plan, r.splices.as_deref());
        carried = next;
        if links_kept {
            kept += 1;
            let splices = r.splices.iter().flatten().filter(|s| !s.themes);
            read += splices.map(|s| s.added).sum::<usize>();
        }
        let day: Date = day.parse().expect("date");
        let fresh = Carried::carry(None, &r.plan, None);
        assert_eq!(
            measure(&r.plan, &carried, day),
            measure(&r.plan, &fresh, day),
            "after {path}: {text}"
        );
        plan = r.plan;
    }
    // All but the new theme of B and the new file C, each reading one item (none for U).
    assert_eq!((kept, read), (6, 5), "most edits carry the figures over");
}

#[test]
fn the_newest_commit_of_each_period_is_sampled_oldest_first() {
    let commits = [
        commit("e", "2025-08-13"),
        commit("d", "2025-08-11"),
        commit("c", "2025-08-10"),
        commit("b", "2025-08-04"),
        commit("a", "2025-07-30"),
    ];
    let weeks: Vec<(String, String)> = pick(&commits, Every::Week)
        .into_iter()
        .map(|(s, _)| (s.date, s.commit))
        .collect();
    // Weeks start on Monday: Aug 11, Aug 4 (holding the 4th and the 10th), Jul 28.
    assert_eq!(
        weeks,
        vec![
            ("2025-07-28".into(), "a".into()),
            ("2025-08-04".into(), "c".into()),
            ("2025-08-11".into(), "e".into())
        ]
    );
    let months: Vec<String> = pick(&commits, Every::Month)
        .into_iter()
        .map(|(s, _)| s.commit)
        .collect();
    assert_eq!(months, vec!["a", "e"]);
    assert_eq!(pick(&commits, Every::Commit).len(), 5);
    assert_eq!(pick(&commits, Every::Day).len(), 5);
}

/// An item file's text: its links (`id`, `parent`, `theme`, `aliases`) from `links`, the rest
/// drawn anew, so an edit that keeps the links is as common as one that moves them.
fn item_text(rng: &mut Rng, links: &str) -> String {
    let status = ["todo", "in-progress", "blocked", "done", "wontdo", "review"];
    let mut text = links.to_string();
    text += &format!("status: {}\n", status[rng.below(status.len())]);
    if rng.below(3) > 0 {
        text += &format!("estimate: {}\n", rng.below(8));
    }
    if rng.below(2) == 0 {
        text += &format!("sprint: s{}\n", rng.below(4));
    }
    text
}

/// An item's links: an id that is sometimes another's (a duplicate), a parent that sometimes
/// names no item or makes a cycle, a theme that sometimes names no theme, now and then an alias.
fn item_links(rng: &mut Rng, n: usize) -> String {
    let id = if rng.below(20) == 0 {
        rng.below(n + 1)
    } else {
        n
    };
    let mut links = format!("id: I{id}\ntitle: item {n}\n");
    match rng.below(4) {
        0 => links += &format!("theme: t{}\n", rng.below(4)),
        1 | 2 => links += &format!("parent: I{}\n", rng.below(n + 3)),
        _ => {}
    }
    if rng.below(15) == 0 {
        links += &format!("aliases: [old{}]\n", rng.below(5));
    }
    links
}

#[test]
fn random_histories_carry_what_fresh_loads_give() {
    use crate::load::{CONFIG_FILE, MemoryTree, ParseCache, load, load_with, reload};
    let config = "progress_by: estimate\nsprints:\n  - { id: s1, start: 2026-01-05, end: 2026-01-18 }\n  - { id: s2, start: 2026-01-19, end: 2026-02-01 }\n";
    let days: Vec<Date> = ["2026-01-01", "2026-01-10", "2026-01-25"]
        .iter()
        .map(|d| d.parse().expect("date"))
        .collect();
    let (mut kept, mut moved, mut spliced) = (0, 0, 0);
    for seed in 0..24 {
        let mut rng = Rng::new(seed);
        let mut tree = MemoryTree::new().with(CONFIG_FILE, config);
        for t in 0..3 {
            tree.insert(
                &format!("roadmap/t{t}.yaml"),
                format!("title: T{t}\nstatus: active\n").into(),
            );
        }
        // Each item file's links, by file number; `None` once removed.
        let mut files: Vec<Option<String>> = Vec::new();
        for n in 0..12 {
            let links = item_links(&mut rng, n);
            tree.insert(
                &format!("backlog/f{n:02}.yaml"),
                item_text(&mut rng, &links).into(),
            );
            files.push(Some(links));
        }
        let cache = ParseCache::new();
        let mut plan = load_with(&tree, "t", Some(&cache)).expect("loads");
        let mut carried = Carried::carry(None, &plan, None);
        for step in 0..40 {
            let mut changed = std::collections::HashSet::new();
            for _ in 0..1 + usize::from(rng.below(5) == 0) {
                let n = rng.below(files.len() + 2);
                let path = format!("backlog/f{n:02}.yaml");
                match (rng.below(10), files.get(n).cloned().flatten()) {
                    // A new file, or one that came back.
                    (_, None) => {
                        let links = item_links(&mut rng, n);
                        tree.insert(&path, item_text(&mut rng, &links).into());
                        if n >= files.len() {
                            files.resize(n + 1, None);
                        }
                        files[n] = Some(links);
                    }
                    (0, Some(_)) => {
                        tree.remove(&path);
                        files[n] = None;
                    }
                    (1 | 2, Some(_)) => {
                        let links = item_links(&mut rng, n);
                        tree.insert(&path, item_text(&mut rng, &links).into());
                        files[n] = Some(links);
                    }
                    // The same links, the rest drawn anew; now and then a second item.
                    (k, Some(links)) => {
                        let mut text = item_text(&mut rng, &links);
                        if k == 9 {
                            text +=
                                &format!("---\n{}", item_text(&mut rng, &format!("id: J{n}\n")));
                        }
                        tree.insert(&path, text.into());
                    }
                }
                changed.insert(path);
            }
            if rng.below(12) == 0 {
                let t = rng.below(3);
                let status = ["active", "proposed", "done"][rng.below(3)];
                tree.insert(
                    &format!("roadmap/t{t}.yaml"),
                    format!("title: T{t}\nstatus: {status}\n").into(),
                );
                changed.insert(format!("roadmap/t{t}.yaml"));
            }
            let before = (plan.themes.clone(), plan.items.clone());
            let r = reload(&tree, "t", &cache, plan, &changed).expect("reloads");
            let fresh = load(&tree, "t").expect("loads");
            let at = format!("seed {seed}, step {step}, {changed:?}");
            // Every entry a splice left alone is the one that was there, moved.
            if let Some(splices) = &r.splices {
                let themes = origins(before.0.len(), splices.iter().filter(|s| s.themes));
                let items = origins(before.1.len(), splices.iter().filter(|s| !s.themes));
                let (themes, items) = (themes.expect("fits"), items.expect("fits"));
                assert_eq!(items.len(), r.plan.items.len(), "{at}");
                assert_eq!(themes.len(), r.plan.themes.len(), "{at}");
                for (i, k) in items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, k)| Some((i, (*k)?)))
                {
                    let mut was = before.1[k].clone();
                    was.file = r.plan.items[i].file;
                    assert_eq!(was, r.plan.items[i], "{at}: item {i} was item {k}");
                }
                for (i, k) in themes
                    .iter()
                    .enumerate()
                    .filter_map(|(i, k)| Some((i, (*k)?)))
                {
                    let mut was = before.0[k].clone();
                    was.file = r.plan.themes[i].file;
                    assert_eq!(was, r.plan.themes[i], "{at}: theme {i} was theme {k}");
                }
                spliced += 1;
            }
            let paths = |p: &Plan| p.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
            assert_eq!(paths(&r.plan), paths(&fresh), "{at}");
            assert_eq!(r.plan.themes, fresh.themes, "{at}");
            assert_eq!(r.plan.items, fresh.items, "{at}");
            assert_eq!(r.plan.findings, fresh.findings, "{at}");
            let (next, links_kept) =
                Carried::carry_links(Some(carried), &r.plan, r.splices.as_deref());
            carried = next;
            kept += usize::from(links_kept);
            moved += usize::from(!links_kept);
            let afresh = Carried::carry(None, &fresh, None);
            assert_eq!(carried.keys, afresh.keys, "{at}");
            assert_eq!(carried.links, afresh.links, "{at}");
            assert_eq!(carried.weighed, afresh.weighed, "{at}");
            let names: HashMap<u32, &str> = carried
                .sprints
                .iter()
                .map(|(s, &n)| (n, s.as_str()))
                .collect();
            let sprints = |c: &Carried| -> Vec<Option<&str>> {
                c.sprint
                    .iter()
                    .map(|s| s.and_then(|n| names.get(&n).copied()))
                    .collect()
            };
            let written: Vec<Option<&str>> = (r.plan.items.iter())
                .map(|i| i.sprint.as_ref().map(|s| s.value.as_str()))
                .collect();
            assert_eq!(sprints(&carried), written, "{at}");
            let day = days[rng.below(days.len())];
            assert_eq!(
                measure(&r.plan, &carried, day),
                measure(&fresh, &afresh, day),
                "{at}"
            );
            plan = r.plan;
        }
    }
    // Both roads are taken often.
    assert!(kept > 200 && moved > 200, "kept {kept}, moved {moved}");
    assert!(spliced > 800, "{spliced} reloads in place");
}
