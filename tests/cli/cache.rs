//! The caches kept between runs (the parse cache, and what a diff's unchanged files mention):
//! whatever state they are found in, a run gives what a run without them gives.

use std::fs;
use std::path::{Path, PathBuf};

use crate::git::{git, write};
use crate::{Run, acme_copy, roadlog, run_with};

/// `check --format json` and the human check, the report and a list, of the plan at `plan`, with
/// the cache in `cache` (none when `None`): their exit codes and outputs.
fn outputs(plan: &Path, cache: Option<&Path>) -> Vec<(i32, String, String)> {
    let runs: [&[&str]; 4] = [
        &["check", "--format", "json"],
        &["check"],
        &["report", "pm", "--format", "json"],
        &["list", "--open", "--format", "ids"],
    ];
    runs.iter()
        .map(|args| {
            let mut cmd = roadlog();
            cmd.args(*args).args([
                "--plan",
                plan.to_str().expect("utf-8"),
                "--today",
                "2026-06-15",
            ]);
            cached(&mut cmd, cache);
            let Run {
                code,
                stdout,
                stderr,
            } = run_with(&mut cmd);
            (code, stdout, stderr)
        })
        .collect()
}

/// Points `cmd` at the cache folder `cache`, or turns the caches off for `None`.
fn cached(cmd: &mut assert_cmd::Command, cache: Option<&Path>) {
    match cache {
        Some(dir) => cmd.env("ROADLOG_CACHE_DIR", dir),
        None => cmd.arg("--no-cache"),
    };
}

/// The one cache file in `dir`.
fn cache_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("cache folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(
        files.len(),
        1,
        "one cache file, no temporary left: {files:?}"
    );
    files[0].clone()
}

/// Runs the plan cold, then twice with the cache (writing it, then reading it), and requires
/// the same outputs each time; gives the cache folder.
fn warm(plan: &Path) -> tempfile::TempDir {
    let cache = tempfile::tempdir().expect("tempdir");
    let cold = outputs(plan, None);
    assert_eq!(cold[0].0, 1, "the example has errors: {}", cold[0].2);
    assert_eq!(outputs(plan, Some(cache.path())), cold, "writing the cache");
    assert_eq!(outputs(plan, Some(cache.path())), cold, "reading the cache");
    cache_file(cache.path());
    cache
}

#[test]
fn a_warm_run_gives_what_a_cold_run_gives() {
    let plan = acme_copy();
    warm(plan.path());
}

#[test]
fn edits_are_seen_even_within_the_second_the_cache_was_written() {
    let plan = acme_copy();
    let cache = warm(plan.path());
    let file = plan.path().join("backlog/mobile/BL-214.yaml");
    let text = fs::read_to_string(&file).expect("read");
    // The same length, written straight after the run that cached it: only the text tells.
    let edited = text.replace("mobile-experiense", "mobile-experiensx");
    assert_eq!(edited.len(), text.len());
    write(&file, &edited);
    let after = outputs(plan.path(), Some(cache.path()));
    assert!(after[0].1.contains("mobile-experiensx"), "{}", after[0].1);
    assert_eq!(after, outputs(plan.path(), None));
    // A file added, one removed and one renamed are seen too.
    fs::remove_file(plan.path().join("backlog/platform/BL-230.yaml")).expect("remove");
    fs::rename(
        plan.path().join("backlog/mobile/BL-214.yaml"),
        plan.path().join("backlog/BL-214.yaml"),
    )
    .expect("rename");
    write(
        &plan.path().join("backlog/BL-999.yaml"),
        "title: New\nstatus: todo\ntheme: nowhere\n",
    );
    let after = outputs(plan.path(), Some(cache.path()));
    assert!(after[0].1.contains("BL-999") && !after[0].1.contains("BL-230"));
    assert_eq!(after, outputs(plan.path(), None));
}

#[test]
fn a_change_to_the_custom_statuses_reads_every_file_again() {
    let plan = acme_copy();
    let cache = warm(plan.path());
    let config = plan.path().join("roadlog.yaml");
    let text = fs::read_to_string(&config).expect("read");
    write(
        &config,
        &format!("{text}\nstatuses:\n  blocked: in_progress\n"),
    );
    let after = outputs(plan.path(), Some(cache.path()));
    assert_eq!(after, outputs(plan.path(), None));
}

#[test]
fn a_damaged_cache_is_ignored_and_written_again() {
    let plan = acme_copy();
    let cache = warm(plan.path());
    let file = cache_file(cache.path());
    let whole = fs::read(&file).expect("read");
    assert!(whole.starts_with(b"roadlog-cache "), "a cache file");
    let cold = outputs(plan.path(), None);
    let mut flipped = whole.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    let mut older = whole.clone();
    older[..16].copy_from_slice(b"roadlog-cache 1\n");
    let damaged: [(&str, Vec<u8>); 6] = [
        ("cut short", whole[..whole.len() / 2].to_vec()),
        ("a byte flipped", flipped),
        ("empty", Vec::new()),
        ("not a cache", [&whole[..16], b"\xff\xff\xff\xff"].concat()),
        ("an older layout", older),
        ("longer than it says", [whole.as_slice(), b"tail"].concat()),
    ];
    for (how, bytes) in damaged {
        fs::write(&file, &bytes).expect("damage");
        assert_eq!(outputs(plan.path(), Some(cache.path())), cold, "{how}");
        // Whole again: the same layout and size (whether a record is trusted may differ).
        let again = fs::read(&file).expect("read");
        assert!(
            again.starts_with(&whole[..16]) && again.len() == whole.len(),
            "{how}: written again"
        );
    }
}

#[test]
fn a_cache_that_cannot_be_written_costs_nothing_but_time() {
    let plan = acme_copy();
    let cold = outputs(plan.path(), None);
    let blocked = tempfile::tempdir().expect("tempdir");
    // A file where the cache folder should be: nothing can be created under it.
    let dir = blocked.path().join("cache");
    fs::write(&dir, "not a folder").expect("write");
    assert_eq!(outputs(plan.path(), Some(&dir)), cold);
    assert_eq!(fs::read_to_string(&dir).expect("read"), "not a folder");
}

#[test]
fn concurrent_runs_each_give_the_cold_result() {
    let plan = acme_copy();
    let cold = outputs(plan.path(), None);
    let cache = tempfile::tempdir().expect("tempdir");
    std::thread::scope(|scope| {
        let runs: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| outputs(plan.path(), Some(cache.path()))))
            .collect();
        for run in runs {
            assert_eq!(run.join().expect("thread"), cold);
        }
    });
    cache_file(cache.path());
    assert_eq!(outputs(plan.path(), Some(cache.path())), cold);
}

#[test]
fn in_a_repository_the_cache_lives_in_the_git_folder() {
    let plan = acme_copy();
    let p = plan.path();
    git(p, &["init", "-q"]);
    let before = crate::snapshot(p);
    let run = run_with(
        roadlog()
            .current_dir(p)
            .args(["check", "--today", "2026-06-15"]),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    cache_file(&p.join(".git/roadlog"));
    let outside: Vec<String> = crate::snapshot(p)
        .into_keys()
        .filter(|path| !path.starts_with(".git/roadlog/"))
        .collect();
    assert_eq!(outside, before.into_keys().collect::<Vec<_>>());
}

#[test]
fn outside_a_repository_nothing_is_kept() {
    let plan = acme_copy();
    let before = crate::snapshot(plan.path());
    let run = run_with(
        roadlog()
            .current_dir(plan.path())
            .args(["check", "--today", "2026-06-15"]),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(crate::snapshot(plan.path()) == before);
}

/// A repository with two themes, each with an item, and a second commit closing A-1: B-1 is
/// nothing the change reaches.
fn two_themes() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    write(&p.join("roadlog.yaml"), "product: P\n");
    for theme in ["core", "growth"] {
        write(
            &p.join(format!("roadmap/{theme}.yaml")),
            "title: T\nobjective: O\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
        );
    }
    write(
        &p.join("backlog/A-1.yaml"),
        "title: A\nstatus: todo\ntheme: core\n",
    );
    write(
        &p.join("backlog/A-2.yaml"),
        "title: A\nstatus: todo\nparent: A-1\n",
    );
    write(
        &p.join("backlog/B-1.yaml"),
        "title: B\nstatus: todo\ntheme: growth\n",
    );
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "plan"]);
    write(
        &p.join("backlog/A-1.yaml"),
        "title: A\nstatus: done\ntheme: core\n",
    );
    git(p, &["commit", "-q", "-am", "close A-1"]);
    dir
}

/// `roadlog` run in `p` with `args` and a fixed date, with the caches in `cache`.
fn diff_in(p: &Path, args: &[&str], cache: Option<&Path>) -> Run {
    let mut cmd = roadlog();
    cmd.current_dir(p)
        .args(args)
        .args(["--today", "2025-08-15"]);
    cached(&mut cmd, cache);
    run_with(&mut cmd)
}

/// The diff between the two commits, in JSON.
const COMMITS: &[&str] = &["diff", "HEAD~1", "HEAD", "--format", "json"];

#[test]
fn a_diff_reads_again_only_the_unchanged_files_it_has_no_record_of() {
    let dir = two_themes();
    let p = dir.path();
    let cold = diff_in(p, COMMITS, None);
    assert_eq!(cold.code, 0, "{}", cold.stderr);
    assert!(cold.stdout.contains("A-1"), "{}", cold.stdout);
    let cache = tempfile::tempdir().expect("tempdir");
    let first = diff_in(p, COMMITS, Some(cache.path()));
    assert_eq!(first.stdout, cold.stdout);
    let records = cache_file(cache.path());
    let whole = fs::read(&records).expect("the records are kept");
    assert!(whole.starts_with(b"roadlog-mentions "), "a records file");
    // Damaged records are read as none: the diff reads every file, as without them.
    for damaged in [&whole[..whole.len() / 2], &[], b"roadlog-mentions 1\nxx"] {
        fs::write(&records, damaged).expect("damage");
        assert_eq!(diff_in(p, COMMITS, Some(cache.path())).stdout, cold.stdout);
        assert_eq!(fs::read(&records).expect("read"), whole, "written again");
    }
    // B-1's blob gone from the object database: only a diff with its record can leave it unread.
    let blob = String::from_utf8(
        std::process::Command::new("git")
            .current_dir(p)
            .args(["rev-parse", "HEAD:backlog/B-1.yaml"])
            .output()
            .expect("git")
            .stdout,
    )
    .expect("utf-8");
    let blob = blob.trim();
    fs::remove_file(p.join(".git/objects").join(&blob[..2]).join(&blob[2..])).expect("loose");
    let unread = diff_in(p, COMMITS, Some(cache.path()));
    assert_eq!(
        (unread.code, &unread.stdout),
        (0, &cold.stdout),
        "{}",
        unread.stderr
    );
    let without = diff_in(p, COMMITS, None);
    assert_eq!(
        without.code, 2,
        "without records the blob is read: {}",
        without.stdout
    );
    assert!(without.stderr.contains("B-1.yaml"), "{}", without.stderr);
}

#[test]
fn a_dirty_working_tree_diff_gives_the_same_with_records_and_without() {
    let dir = two_themes();
    let p = dir.path();
    write(
        &p.join("backlog/A-2.yaml"),
        "title: A\nstatus: done\nparent: A-1\n",
    );
    write(
        &p.join("backlog/B-2.yaml"),
        "title: N\nstatus: todo\ntheme: growth\n",
    );
    let cache = tempfile::tempdir().expect("tempdir");
    let diff = |cache| diff_in(p, &["diff", "HEAD~1", "--format", "markdown"], cache);
    let cold = diff(None);
    assert_eq!(cold.code, 0, "{}", cold.stderr);
    assert!(cold.stdout.contains("B-2"), "{}", cold.stdout);
    for run in ["writing the records", "reading them"] {
        let warm = diff(Some(cache.path()));
        assert_eq!((warm.code, &warm.stdout), (0, &cold.stdout), "{run}");
    }
    let records = cache_file(cache.path());
    assert!(
        records.to_string_lossy().contains("mentions-"),
        "{records:?}"
    );
}
