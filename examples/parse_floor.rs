//! The parse floor of quality.md: every `.yaml`/`.yml` file under a folder read and deserialized
//! by serde-saphyr with spans, in parallel, all values kept. `roadlog check` is measured against
//! this. With `--events`, the files are read by roadlog's event reader instead (the tree
//! `check` builds; serde-saphyr only for what it declines), to show what parsing costs now.
//!
//! ```sh
//! cargo run --release --example parse_floor -- /tmp/plan100k
//! cargo run --release --example parse_floor -- /tmp/plan100k --events
//! ```

// A command-line tool: printing is its job (the library itself never prints).
#![allow(clippy::print_stderr)]

use rayon::prelude::*;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse_floor DIR [--events]");
        std::process::exit(2);
    };
    let events = std::env::args().nth(2).is_some_and(|a| a == "--events");
    let parse = if events {
        roadlog::yaml::parse_stream
    } else {
        roadlog::yaml::parse_stream_general
    };
    let paths: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml")
        })
        .map(|e| e.into_path())
        .collect();
    let parsed: Vec<(String, Vec<roadlog::yaml::Node>)> = paths
        .par_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            let docs = parse(&text).ok()?;
            Some((text, docs))
        })
        .collect();
    let nodes: usize = parsed.iter().map(|(_, docs)| docs.len()).sum();
    eprintln!("parsed {} files, {nodes} documents", parsed.len());
}
