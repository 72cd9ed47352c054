//! The build identity of what roadlog keeps between runs: a hash of the sources that decide
//! how a plan file is parsed and modelled, and of the locked dependency versions. The parse
//! cache and the mentions records are keyed on it, so a build whose parse, model or encoding
//! differs never reads a cache another build wrote, whatever its version number says.

use std::path::{Path, PathBuf};

/// The sources whose change can change what the caches hold: the engine's model and its
/// encoding, YAML readers, loader and builders, findings and dates; the stores' own layouts;
/// and the dependencies' versions.
const SHAPING: &[&str] = &[
    "../engine/src/model.rs",
    "../engine/src/model",
    "../engine/src/load.rs",
    "../engine/src/load",
    "../engine/src/yaml.rs",
    "../engine/src/yaml",
    "../engine/src/diag.rs",
    "../engine/src/time.rs",
    "../engine/src/span.rs",
    "../engine/src/hash.rs",
    "../engine/src/error.rs",
    "src",
    "../../Cargo.lock",
];

fn main() {
    let mut files = Vec::new();
    for path in SHAPING {
        println!("cargo::rerun-if-changed={path}");
        collect(Path::new(path), &mut files);
    }
    files.sort();
    // Each path and its bytes are framed by their lengths, so no two file sets hash alike.
    let mut hasher = blake3::Hasher::new();
    for file in &files {
        let name = file.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(file).unwrap_or_default();
        hasher.update(&(name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let id = hasher.finalize().to_hex();
    println!("cargo::rustc-env=ROADLOG_BUILD_ID={}", &id[..16]);
}

/// Every file at or under `path`, but unit tests (`tests.rs`, `*_tests.rs`, `tests/`): they
/// shape nothing a cache holds.
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    let is_test = |n: &str| n == "tests" || n == "tests.rs" || n.ends_with("_tests.rs");
    if path
        .file_name()
        .is_some_and(|n| is_test(&n.to_string_lossy()))
    {
        return;
    }
    match std::fs::read_dir(path) {
        Ok(entries) => {
            for entry in entries.flatten() {
                collect(&entry.path(), out);
            }
        }
        Err(_) if path.is_file() => out.push(path.to_path_buf()),
        Err(_) => {}
    }
}
