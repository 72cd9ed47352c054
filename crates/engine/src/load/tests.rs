//! Tests of the loader: sources, snapshots, the parse cache, loading in chunks (reloads are
//! tested in `reload/tests.rs`).

use std::fs;
use std::io;
use std::path::PathBuf;

use super::plan::{
    decode, file_id, load_config, load_in_chunks, plan_files, read_file, take_in, with_room,
};
use super::*;
use crate::diag::Rule;
use crate::error::Error;
use crate::model::Plan;

/// Asserts that two loads of a plan hold the same files and seals, config, entities and
/// findings (`after` says which load).
pub(super) fn assert_same_plan(plan: &Plan, fresh: &Plan, after: &str) {
    assert_eq!(plan.files, fresh.files, "{after}");
    assert_eq!(plan.config, fresh.config, "{after}");
    assert_eq!(plan.themes, fresh.themes, "{after}");
    assert_eq!(plan.items, fresh.items, "{after}");
    assert_eq!(plan.findings, fresh.findings, "{after}");
}

/// A source whose file `gone` is listed but removed before it is read.
struct Vanishing(MemoryTree, &'static str);

impl Source for Vanishing {
    fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
        if path == self.1 {
            return Ok(None);
        }
        self.0.read(path)
    }
    fn list(&self, dir: &str) -> Result<Vec<Entry>, Error> {
        self.0.list(dir)
    }
}

#[test]
fn a_file_removed_between_listing_and_reading_is_one_finding() {
    let tree = MemoryTree::new()
        .with(CONFIG_FILE, "")
        .with("backlog/A.yaml", "title: A\nstatus: todo\n")
        .with("backlog/B.yaml", "title: B\nstatus: todo\n");
    let plan = load(&Vanishing(tree, "backlog/B.yaml"), "vanishing").expect("loads");
    assert_eq!(plan.items.len(), 1, "A is still read");
    let found: Vec<_> = plan
        .findings
        .iter()
        .filter(|f| f.rule == Rule::UnreadableFile)
        .map(|f| &*f.message)
        .collect();
    assert_eq!(
        found,
        ["`backlog/B.yaml` disappeared while the plan was read"]
    );
}

#[cfg(unix)]
#[test]
fn a_snapshot_of_the_work_tree_loads_as_the_work_tree_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outside = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let put = |path: &str, bytes: &[u8]| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        fs::write(path, bytes).expect("write");
    };
    put(CONFIG_FILE, b"statuses:\n  review: in-progress\n");
    put("roadmap/t.yaml", b"title: T\nobjective: O\n");
    put("backlog/a/A.yaml", b"title: A\ntheme: t\nstatus: review\n");
    put("backlog/B.yml", b"title: B\ntheme: nope\n");
    put("backlog/bad.yaml", b"title: \xff\n");
    put("backlog/.hidden.yaml", b"title: H\n");
    put("backlog/notes.txt", b"title: N\n");
    fs::create_dir_all(root.join("backlog/folder.yaml")).expect("mkdir");
    let big = fs::File::create(root.join("backlog/big.yaml")).expect("create");
    big.set_len(MAX_FILE_BYTES + 1).expect("sparse");
    let link = |from: PathBuf, to: PathBuf| std::os::unix::fs::symlink(from, to);
    link(
        root.join("backlog/a/A.yaml"),
        root.join("backlog/alias.yaml"),
    )
    .expect("link");
    link(outside.path().to_path_buf(), root.join("backlog/elsewhere")).expect("link");
    link(root.join("backlog"), root.join("backlog/loop")).expect("link");
    let fifo = std::process::Command::new("mkfifo")
        .arg(root.join("backlog/pipe.yaml"))
        .status();
    assert!(
        fifo.is_ok_and(|s| s.success()),
        "mkfifo (coreutils) makes the FIFO this test needs"
    );

    let tree = WorkTree::new(root).expect("a root");
    let copy = snapshot(&tree, "t")
        .expect("reads")
        .expect("held in memory");
    let (direct, copied) = (
        load(&tree, "t").expect("loads"),
        load(&copy, "t").expect("loads"),
    );
    assert_same_plan(&copied, &direct, "a snapshot");
    // Equal only means something if every kind of problem was there to be copied.
    let mut problems: Vec<&str> = direct
        .findings
        .iter()
        .filter(|f| matches!(f.rule, Rule::UnreadableFile | Rule::ParseError))
        .filter_map(|f| Some(direct.files.get(f.at?.file.0 as usize)?.path.as_str()))
        .collect();
    problems.sort_unstable();
    let expected = vec![
        "backlog/bad.yaml",
        "backlog/big.yaml",
        "backlog/elsewhere",
        "backlog/folder.yaml",
        "backlog/loop",
        "backlog/pipe.yaml",
    ];
    assert_eq!(problems, expected);
    assert_eq!(direct.items.len(), 3, "A, B and the link to A");
}

/// A source listing one file twice.
struct Twice(MemoryTree);

impl Source for Twice {
    fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
        self.0.read(path)
    }
    fn list(&self, dir: &str) -> Result<Vec<Entry>, Error> {
        let mut entries = self.0.list(dir)?;
        entries.extend(entries.clone());
        Ok(entries)
    }
}

#[test]
fn a_listing_a_copy_cannot_give_again_is_not_copied() {
    let tree = MemoryTree::new()
        .with(CONFIG_FILE, "")
        .with("backlog/A.yaml", "title: A\nstatus: todo\n");
    assert!(snapshot(&tree, "t").expect("reads").is_some());
    assert!(
        snapshot(&Twice(tree.clone()), "t")
            .expect("reads")
            .is_none()
    );
    let vanishing = Vanishing(tree, "backlog/A.yaml");
    assert!(snapshot(&vanishing, "t").expect("reads").is_none());
}

#[test]
fn the_cache_parses_only_what_changed_and_gives_what_a_fresh_load_gives() {
    let theme = "title: T\nobjective: O\nstatus: active\nhorizon: 2025-Q3\n";
    let before = MemoryTree::new()
        .with(CONFIG_FILE, "statuses:\n  review: in-progress\n")
        .with("roadmap/t.yaml", theme)
        .with("backlog/A.yaml", "title: A\nstatus: review\ntheme: t\n")
        .with(
            "backlog/B.yaml",
            "title: B\nstatus: todo\ntheme: nope\nowner: x\n",
        );
    let after = before
        .clone()
        .with("backlog/A.yaml", "title: A\nstatus: done\ntheme: t\n")
        .with("backlog/C.yaml", "title: C\nstatus: todo\n");
    let cache = ParseCache::new();
    load_with(&before, "before", Some(&cache)).expect("loads");
    assert_eq!(cache.parses(), 3);
    let cached = load_with(&after, "after", Some(&cache)).expect("loads");
    assert_eq!(
        cache.parses(),
        5,
        "only A (changed) and C (new) are parsed again"
    );
    let fresh = load(&after, "after").expect("loads");
    assert_eq!(cached.themes, fresh.themes);
    assert_eq!(cached.items, fresh.items);
    assert_eq!(
        cached.findings, fresh.findings,
        "findings point at the new file ids"
    );
    // Parsing depends on custom statuses: a different map is a different entry.
    let other = before.clone().with(CONFIG_FILE, "");
    let plan = load_with(&other, "other", Some(&cache)).expect("loads");
    assert_eq!(
        cache.parses(),
        8,
        "all three files again, under the other status map"
    );
    assert!(
        plan.findings
            .iter()
            .any(|f| f.message.contains("`review` is not a known status"))
    );
}

/// A source that counts reads, over a tree whose files carry identities.
struct Counted(MemoryTree, std::sync::atomic::AtomicUsize);

impl Source for Counted {
    fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
        self.1.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.0.read(path)
    }
    fn list(&self, dir: &str) -> Result<Vec<Entry>, Error> {
        self.0.list(dir)
    }
    fn identity(&self, path: &str) -> Option<Identity> {
        self.0.identity(path)
    }
}

#[test]
fn files_with_a_known_identity_are_neither_read_nor_parsed_twice() {
    let mut tree = MemoryTree::new().with(CONFIG_FILE, "");
    tree.insert_blob("roadmap/t.yaml", b"title: T\nobjective: O\n", Some([1; 20]));
    tree.insert_blob("backlog/A.yaml", b"title: A\ntheme: t\n", Some([2; 20]));
    // The same content under another name is another parse: the id comes from the name.
    tree.insert_blob("backlog/B.yaml", b"title: A\ntheme: t\n", Some([2; 20]));
    let cache = ParseCache::new();
    let first = Counted(tree.clone(), 0.into());
    load_with(&first, "first", Some(&cache)).expect("loads");
    assert_eq!((cache.parses(), first.1.into_inner()), (3, 4));

    tree.insert_blob("backlog/A.yaml", b"title: A\ntheme: nope\n", Some([3; 20]));
    let second = Counted(tree.clone(), 0.into());
    let cached = load_with(&second, "second", Some(&cache)).expect("loads");
    assert_eq!(
        (cache.parses(), second.1.into_inner()),
        (4, 2),
        "only the config and the changed A are read; only A is parsed"
    );
    let fresh = load(&tree, "second").expect("loads");
    assert_same_plan(&cached, &fresh, "the second load, through the cache");
}

#[test]
fn a_plan_read_a_few_files_at_a_time_is_the_plan_read_at_once() {
    let mut tree = MemoryTree::new()
        .with(CONFIG_FILE, "statuses:\n  review: in-progress\n")
        .with("roadmap/t.yaml", "title: T\nobjective: O\n")
        .with("roadmap/u.yaml", "title: U\nbogus: 1\n")
        .with("backlog/A.yaml", "title: A\ntheme: t\nstatus: review\n")
        .with(
            "backlog/B.yaml",
            "id: B1\ntitle: B1\n---\nid: B2\ntitle: two\n",
        )
        .with("backlog/C.yaml", "title: [C\n")
        .with("backlog/D.yaml", "title: D\nparent: A\nowner: x\n")
        .with("backlog/E.yaml", "title: E\ntheme: u\n")
        .with("backlog/G.yaml", "title: G\nstatus: done\n");
    tree.insert_problem("backlog/F.yaml", "is a link out of the plan");
    // Read as loads read before they went a chunk at a time: every file, then assembled.
    let (config_file, _, config) = load_config(&tree, "t").expect("config");
    let files = plan_files(&tree, &config).expect("lists");
    let mut whole = with_room(config_file, config, &files);
    let outcomes = files
        .into_iter()
        .enumerate()
        .map(|(i, (entry, role))| read_file(&tree, entry, role, file_id(i), &whole.config, None))
        .collect();
    take_in(&mut whole, outcomes);
    assert_eq!(whole.files.len(), 10);
    assert_eq!(whole.items.len(), 6);
    assert!(whole.findings.len() >= 4, "{:?}", whole.findings);
    for chunk in [0, 1, 2, 3, 5, 9, usize::MAX] {
        let plan = load_in_chunks(&tree, "t", None, chunk).expect("loads");
        assert_same_plan(&plan, &whole, &format!("{chunk} at a time"));
    }
}

#[test]
fn decode_names_the_line_of_a_bad_byte() {
    let err = decode(b"a: 1\nb: \xff\n".to_vec()).expect_err("bad");
    assert!(err.contains("line 2"), "{err}");
    assert!(decode(b"\x00\x01".to_vec()).is_err());
    assert_eq!(
        decode("\u{feff}a: 1".as_bytes().to_vec()).as_deref(),
        Ok("\u{feff}a: 1")
    );
}

#[test]
fn plan_files_are_named_yaml_or_yml_in_any_case() {
    for name in ["a.yaml", "A.YAML", "b.Yml", "é.yml", ".yaml", "ünï.YaMl"] {
        assert!(is_plan_file(name), "{name}");
    }
    for name in [
        "yaml",
        "a.yam",
        "a.yaml~",
        "a.json",
        "",
        "é",
        "a.yaml.bak",
        "ml",
    ] {
        assert!(!is_plan_file(name), "{name}");
    }
}

#[test]
fn a_memory_tree_lists_no_file_under_a_hidden_part() {
    let tree = MemoryTree::new()
        .with("backlog/a.yaml", "")
        .with("backlog/.b.yaml", "")
        .with("backlog/.git/c.yaml", "")
        .with("backlog/x/.hid/d.yaml", "")
        .with("backlog/x.y/e.yaml", "")
        .with("backlog/x/f.txt", "");
    let listed: Vec<String> = tree
        .list("backlog")
        .expect("list")
        .into_iter()
        .map(|e| e.path)
        .collect();
    assert_eq!(listed, ["backlog/a.yaml", "backlog/x.y/e.yaml"]);
}

#[test]
fn folders_overlap_when_equal_or_nested() {
    assert!(source::overlaps("plan", "plan"));
    assert!(source::overlaps("plan", "plan/roadmap"));
    assert!(source::overlaps("plan/backlog", "plan"));
    assert!(!source::overlaps("plan/roadmap", "plan/backlog"));
    assert!(!source::overlaps("road", "roadmap"));
}

#[test]
fn hidden_parts_and_folders_are_told_part_by_part() {
    for hidden in [".a.yaml", "x/.git/a.yaml", ".x/a.yaml", "x/y/.z"] {
        assert!(has_hidden_part(hidden), "{hidden}");
    }
    for shown in [
        "a.yaml",
        "x.y/a.yaml",
        "x/./a.yaml",
        "../a.yaml",
        "a.b.yaml",
    ] {
        assert!(!has_hidden_part(shown), "{shown}");
    }
    assert!(is_inside("backlog", "backlog/a.yaml"));
    assert!(!is_inside("backlog", "backlogs/a.yaml"));
    assert!(!is_inside("backlog", "backlog"));
}
