//! Nothing turns the gate: no input, flag or environment variable makes roadlog exit 101, or a
//! failing check exit 0.

use std::path::Path;

use crate::{TODAY, acme_copy, roadlog, run_with};

/// A plan whose one theme has a horizon with a two-byte letter where a digit belongs, the shape
/// that once split `202é1` in the middle of the `é`.
fn accented_horizon() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("roadlog.yaml"), "").expect("write");
    std::fs::create_dir_all(root.join("roadmap")).expect("mkdir");
    std::fs::create_dir_all(root.join("backlog")).expect("mkdir");
    std::fs::write(
        root.join("roadmap/core.yaml"),
        "title: Core\nobjective: O\nstatus: active\nhorizon: 202é1\n",
    )
    .expect("write");
    dir
}

fn in_plan(root: &Path, args: &[&str]) -> crate::Run {
    run_with(
        roadlog()
            .args(args)
            .args(["--today", TODAY, "--plan"])
            .arg(root),
    )
}

#[test]
fn a_non_ascii_horizon_is_a_finding_not_a_panic() {
    let plan = accented_horizon();
    let check = in_plan(plan.path(), &["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains("`202é1` is not a horizon"),
        "{}",
        check.stderr
    );

    let set = run_with(
        roadlog()
            .args(["set", "core", "horizon", "202é1", "--plan"])
            .arg(plan.path()),
    );
    assert_eq!(set.code, 2, "{}", set.stderr);
    assert!(set.stderr.contains("is not a horizon"), "{}", set.stderr);

    let new = run_with(
        roadlog()
            .args(["new", "theme", "growth", "--title", "G", "--objective", "O"])
            .args(["--horizon", "202é1", "--plan"])
            .arg(plan.path()),
    );
    assert_eq!(new.code, 2, "{}", new.stderr);
    assert!(new.stderr.contains("is not a horizon"), "{}", new.stderr);
}

#[test]
fn a_complete_variable_from_the_environment_does_not_skip_the_check() {
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let run = run_with(
        roadlog()
            .env("COMPLETE", "bash")
            .args(["check", "--today", TODAY, "--plan"])
            .arg(&acme),
    );
    assert_eq!(run.code, 1, "a failing plan must fail: {}", run.stdout);
    assert!(!run.stdout.contains("complete -o"), "{}", run.stdout);
}

/// `ROADLOG_DEBUG_PANIC=<stage>` makes a debug build panic there: the defect is reported as
/// roadlog's, with exit 2, and a bot still gets a document in its format.
fn panicking(stage: &str, args: &[&str]) -> crate::Run {
    let plan = acme_copy();
    run_with(
        roadlog()
            .env("ROADLOG_DEBUG_PANIC", stage)
            .env("GITHUB_STEP_SUMMARY", plan.path().join("summary.md"))
            .args(args)
            .args(["--today", TODAY, "--plan"])
            .arg(plan.path()),
    )
}

#[test]
fn a_panic_is_exit_2_and_an_internal_error_in_every_format() {
    let human = panicking("check", &["check"]);
    assert_eq!(human.code, 2, "{}", human.stderr);
    assert!(
        human
            .stderr
            .contains("internal error: ROADLOG_DEBUG_PANIC=check")
            && human.stderr.contains("please report it, with the file"),
        "{}",
        human.stderr
    );
    assert!(!human.stderr.contains("panicked at"), "{}", human.stderr);

    let json = panicking("check", &["check", "--format", "json"]);
    assert_eq!(json.code, 2);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("a JSON document");
    assert_eq!(doc["error"]["code"], "internal", "{doc}");

    let sarif = panicking("check", &["check", "--format", "sarif"]);
    assert_eq!(sarif.code, 2);
    let doc: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("a SARIF document");
    assert_eq!(
        doc["runs"][0]["invocations"][0]["executionSuccessful"], false,
        "{doc}"
    );

    let github = panicking("check", &["check", "--format", "github"]);
    assert_eq!(github.code, 2);
    assert!(
        github.stdout.starts_with("::error") && github.stdout.contains("internal error"),
        "{}",
        github.stdout
    );

    // Any other command: exit 2 and the same words, never 101.
    let other = panicking("run", &["progress"]);
    assert_eq!(other.code, 2, "{}", other.stderr);
    assert!(other.stderr.contains("internal error"), "{}", other.stderr);
}

#[cfg(unix)]
#[test]
fn set_keeps_the_file_s_mode() {
    use std::os::unix::fs::PermissionsExt;
    let plan = acme_copy();
    let file = plan.path().join("backlog/security/BL-101.yaml");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let run = run_with(
        roadlog()
            .args(["set", "BL-101", "estimate", "5", "--today", TODAY, "--plan"])
            .arg(plan.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read_to_string(&file)
            .expect("read")
            .contains("estimate: 5")
    );
    let mode = std::fs::metadata(&file).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_killed_run_s_cache_leftovers_are_swept() {
    let plan = acme_copy();
    let cache = tempfile::tempdir().expect("tempdir");
    // What a run killed while writing its cache leaves: no process has this id on Linux.
    let leftover = cache
        .path()
        .join(".plan-0123456789abcdef.cache.roadlog-4294967295-0.tmp");
    std::fs::write(&leftover, "half a cache").expect("write");
    let run = run_with(
        roadlog()
            .env("ROADLOG_CACHE_DIR", cache.path())
            .args(["check", "--today", TODAY, "--plan"])
            .arg(plan.path()),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let names: Vec<String> = std::fs::read_dir(cache.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!leftover.exists() || !std::path::Path::new("/proc/self").exists());
    assert!(
        names.iter().all(|n| !n.ends_with(".tmp")),
        "only the cache is left: {names:?}"
    );
    assert!(names.iter().any(|n| n.ends_with(".cache")), "{names:?}");
}
