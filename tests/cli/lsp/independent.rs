//! `roadlog lsp` against a client roadlog did not write: pytest-lsp (on PyPI, built on pygls),
//! which also checks each message against the protocol's specification. `.ci/run` installs it in
//! a virtual environment and names its Python in `ROADLOG_PYTHON`.

#[test]
fn an_independent_client_diagnoses_fixes_navigates_and_renames() {
    let test = "lsp::independent";
    let Some(python) = crate::clients::python(test, &["pytest_lsp"]) else {
        return;
    };
    let plan = crate::acme_copy();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/test_lsp.py");
    let mut cmd = std::process::Command::new(python);
    crate::clean_env(&mut cmd);
    let out = cmd
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "error::pytest_lsp.LspSpecificationWarning",
        ])
        .arg(&script)
        .env("ROADLOG_BIN", assert_cmd::cargo::cargo_bin!("roadlog"))
        .env("ROADLOG_PLAN_COPY", plan.path())
        .output()
        .expect("pytest runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{said}");
    assert!(said.contains("2 passed"), "{said}");
}
