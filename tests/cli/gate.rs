//! The gate's verdict: the exit status says whether the plan passes, however the output is
//! consumed, and bots see every problem in the format they read.

use std::path::Path;

use crate::{TODAY, fixture};

/// Runs roadlog with stdout (and with `both`, stderr too) on a pipe whose reader is already
/// gone, as `roadlog … 2>&1 | head -1` is once head has its line. Returns the exit code.
fn into_closed_pipe(dir: Option<&Path>, args: &[&str], both: bool) -> i32 {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut cmd = crate::roadlog_std();
    cmd.args(args);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    if both {
        cmd.stderr(writer.try_clone().expect("clone"));
    } else {
        cmd.stderr(std::process::Stdio::null());
    }
    cmd.stdout(writer);
    let status = cmd.status().expect("runs");
    status.code().expect("exit code, not a signal")
}

fn plan(name: &str) -> String {
    fixture(name).to_str().expect("utf-8").to_string()
}

#[test]
fn a_closed_pipe_keeps_a_failing_checks_exit_status() {
    let broken = plan("rules/unknown-theme");
    for format in ["human", "json", "github"] {
        let args = [
            "check", "--format", format, "--today", TODAY, "--plan", &broken,
        ];
        assert_eq!(
            into_closed_pipe(None, &args, true),
            1,
            "check --format {format} 2>&1"
        );
        assert_eq!(
            into_closed_pipe(None, &args, false),
            1,
            "check --format {format}"
        );
    }
    let clean = plan("clean");
    let args = [
        "check", "--format", "json", "--today", TODAY, "--plan", &clean,
    ];
    assert_eq!(
        into_closed_pipe(None, &args, true),
        0,
        "a passing plan still passes"
    );
}

#[test]
fn a_closed_pipe_keeps_a_tripped_diff_gate() {
    let dir = crate::git::repo();
    let plan = dir.path().join("product/plan");
    // main~1 has the typo that main fixed: going back introduces an error.
    let args = [
        "diff",
        "main",
        "main~1",
        "--fail-on",
        "new-errors",
        "--today",
        TODAY,
    ];
    assert_eq!(into_closed_pipe(Some(&plan), &args, true), 1);
    let args = [
        "diff",
        "main~1",
        "main",
        "--fail-on",
        "new-errors",
        "--today",
        TODAY,
    ];
    assert_eq!(into_closed_pipe(Some(&plan), &args, true), 0);
}
