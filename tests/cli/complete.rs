//! Dynamic shell completion: the shell's registration, then the plan's own ids, sprints, people
//! and tags offered for the arguments that name them.

use std::path::Path;

/// What the completer offers for the last of `words` (bash's protocol), standing in the example.
fn offered(words: &[&str]) -> Vec<String> {
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let index = (words.len() - 1).to_string();
    let out = crate::run_with(
        crate::roadlog()
            .current_dir(&acme)
            .env("ROADLOG_COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", &index)
            .env("_CLAP_IFS", "\n")
            .arg("--")
            .args(words),
    );
    assert_eq!(out.code, 0, "{words:?}: {}", out.stderr);
    out.stdout.lines().map(str::to_string).collect()
}

#[test]
fn the_shell_is_offered_the_plan_s_own_values() {
    let registration = crate::run_with(crate::roadlog().env("ROADLOG_COMPLETE", "bash"));
    assert!(
        registration.stdout.contains("complete -o"),
        "{}",
        registration.stdout
    );

    assert_eq!(
        offered(&["roadlog", "set", "BL-12"]),
        ["BL-120", "BL-121", "BL-122", "BL-123"]
    );
    assert_eq!(
        offered(&["roadlog", "trace", "mobile"]),
        ["mobile-experience"]
    );
    assert_eq!(
        offered(&["roadlog", "list", "--theme", "en"]),
        ["enterprise-security"]
    );
    assert_eq!(
        offered(&["roadlog", "list", "--sprint", ""]),
        ["2026-S23", "2026-S24", "2026-S25", "current"]
    );
    assert_eq!(offered(&["roadlog", "list", "--assignee", "p"]), ["priya"]);
    assert_eq!(
        offered(&["roadlog", "new", "item", "--parent", "BL-11"]),
        ["BL-110", "BL-111", "BL-112"]
    );
    // Themes only where a theme goes.
    assert_eq!(
        offered(&["roadlog", "new", "item", "--theme", "BL"]),
        Vec::<String>::new()
    );
}

#[test]
fn outside_a_plan_nothing_is_offered_and_nothing_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = crate::run_with(
        crate::roadlog()
            .current_dir(dir.path())
            .env("ROADLOG_COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", "2")
            .env("_CLAP_IFS", "\n")
            .args(["--", "roadlog", "set", "B"]),
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
}
