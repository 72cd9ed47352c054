//! Programs some tests drive that are not crates: headless Chromium for the pages, and later
//! an editor or an agent's client. A plain `cargo test` on a machine with only Rust and git
//! skips such a test with one line on stderr saying what is missing and how to install it;
//! `ROADLOG_TEST_CLIENTS=required` (which `.ci/run` sets after installing them) makes a missing
//! program a failure, so CI never skips.

use std::io::Write;
use std::path::PathBuf;

/// The first of `names` on `PATH` (or in `/usr/bin`), for the test `test`. `None` means skip:
/// the line saying so is already written.
pub(crate) fn find(test: &str, names: &[&str], install: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .chain([PathBuf::from("/usr/bin")])
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let wanted = names.join(" or ");
        if required() {
            panic!("{test}: no {wanted}, and ROADLOG_TEST_CLIENTS=required; install it: {install}");
        }
        // Straight to the stream: libtest captures `eprintln!` of a passing test, and this line
        // must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: no {wanted} on this machine (install it: {install}; \
             ROADLOG_TEST_CLIENTS=required makes this a failure)"
        );
    }
    found
}

/// Whether a missing client fails the test rather than skipping it.
fn required() -> bool {
    std::env::var("ROADLOG_TEST_CLIENTS").is_ok_and(|v| v == "required")
}

/// Headless Chromium: Debian's `chromium-headless-shell`, or `chromium`.
pub(crate) fn chromium(test: &str) -> Option<PathBuf> {
    find(
        test,
        &["chromium-headless-shell", "chromium"],
        "apt-get install -y chromium-headless-shell",
    )
}

/// A Python that can import every one of `modules`: `ROADLOG_PYTHON` when set (`.ci/run` points
/// it at the virtual environment it makes), else `python3` on `PATH`.
pub(crate) fn python(test: &str, modules: &[&str]) -> Option<PathBuf> {
    let install = "python3 -m venv .venv && .venv/bin/pip install pytest-lsp mcp, then \
                   ROADLOG_PYTHON=.venv/bin/python";
    let python = match std::env::var_os("ROADLOG_PYTHON") {
        Some(p) => Some(PathBuf::from(p)),
        None => find(test, &["python3"], install),
    }?;
    let imports = modules
        .iter()
        .map(|m| format!("import {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    let ok = std::process::Command::new(&python)
        .args(["-c", &imports])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    let wanted = modules.join(", ");
    if required() {
        panic!(
            "{test}: {} cannot import {wanted}, and ROADLOG_TEST_CLIENTS=required; {install}",
            python.display()
        );
    }
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {} cannot import {wanted} (install: {install}; \
         ROADLOG_TEST_CLIENTS=required makes this a failure)",
        python.display()
    );
    None
}
