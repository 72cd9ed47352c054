//! The two YAML readers agree: wherever the event reader accepts a file, its tree equals the
//! general reader's (serde-saphyr's) node for node, span for span, and `parse_stream` gives what
//! the general reader gives on every input, errors included. The corpus is every fixture,
//! example and kept fuzz input, a generated plan, a catalogue of scalar spellings and YAML
//! features, and byte-level mutations of the fixtures.

#[allow(dead_code)]
#[path = "../examples/gen_plan.rs"]
mod gen_plan;

use std::path::Path;

use roadlog_engine::yaml::{parse_stream, parse_stream_events, parse_stream_general};

/// What one input did: whether the event reader took it.
fn compare(what: &str, src: &str) -> bool {
    let general = parse_stream_general(src);
    let combined = parse_stream(src);
    assert_eq!(
        format!("{combined:?}"),
        format!("{general:?}"),
        "parse_stream differs from the general reader on {what}:\n{src}"
    );
    let Some(events) = parse_stream_events(src) else {
        return false;
    };
    let Ok(general) = general else {
        panic!("the event reader accepts what the general reader rejects, {what}:\n{src}");
    };
    assert_eq!(
        format!("{events:?}"),
        format!("{general:?}"),
        "the readers differ on {what}:\n{src}"
    );
    true
}

fn texts_under(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).ok()?;
            Some((
                e.path().display().to_string(),
                String::from_utf8(bytes).ok()?,
            ))
        })
        .collect()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_readers_agree_on_every_fixture_and_example() {
    let mut files = texts_under(&root().join("tests/fixtures"));
    files.extend(texts_under(&root().join("examples")));
    files.retain(|(path, _)| path.ends_with(".yaml") || path.ends_with(".yml"));
    let taken = files.iter().filter(|(p, t)| compare(p, t)).count();
    // The fixtures hold deliberate aliases, tags and syntax errors; the rest is plain YAML.
    assert!(
        files.len() > 200 && taken * 10 > files.len() * 9,
        "the event reader took {taken} of {} files",
        files.len()
    );
}

#[test]
fn the_readers_agree_on_every_kept_fuzz_input() {
    let mut seen = 0;
    for (path, text) in texts_under(&root().join("fuzz/regressions")) {
        compare(&path, &text);
        // The harness reads the input after its first byte, split on NUL into files.
        for part in text.get(1..).unwrap_or("").split('\0') {
            compare(&path, part);
        }
        seen += 1;
    }
    assert!(seen > 10, "{seen} kept inputs");
}

#[test]
fn the_readers_agree_on_a_generated_plan() {
    let plan = gen_plan::generate(3_000, 7, false);
    let taken = plan.files.iter().filter(|(p, t)| compare(p, t)).count();
    assert_eq!(taken, plan.files.len());
}

/// Spellings whose meaning differs between YAML schemas, or that sit at a bound.
const SCALARS: &[&str] = &[
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "true",
    "True",
    "TRUE",
    "tRuE",
    "false",
    "yes",
    "Yes",
    "YES",
    "no",
    "No",
    "y",
    "Y",
    "n",
    "N",
    "on",
    "On",
    "off",
    "OFF",
    "0",
    "-0",
    "+0",
    "00",
    "012",
    "-012",
    "+012",
    "0x1F",
    "0X1f",
    "-0x1F",
    "0o17",
    "-0o17",
    "0b101",
    "0b102",
    "0o8",
    "0xg",
    "1_000",
    "1__000",
    "_1",
    "1_",
    "-1_000",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999999999999999",
    "0x8000000000000000",
    "-0x8000000000000000",
    "1.5",
    "-1.5",
    "+1.5",
    ".5",
    "5.",
    "1e3",
    "1E3",
    "1e+3",
    "1e-3",
    "-1e999",
    "1e999",
    "+1e999",
    ".inf",
    "-.inf",
    "+.inf",
    ".Inf",
    ".INF",
    ".nan",
    ".NaN",
    ".NAN",
    "-.nan",
    "+.nan",
    "0Xa",
    "0O7",
    "0B1",
    "inf",
    "nan",
    "infinity",
    "NaN",
    "1.5.5",
    "1,5",
    "2025-09-08",
    "2025-Q3",
    "12:30",
    "1:30:00",
    "0.1e1_0",
    "1_0.5",
    "BL-1",
    "~x",
    "- x",
    "<<",
    "=",
    "?x",
    "a b",
    "é",
    "∞",
    "1 2",
];

#[test]
fn the_readers_agree_on_every_scalar_spelling_in_every_place() {
    for s in SCALARS {
        for (n, doc) in [
            format!("key: {s}\n"),
            format!("key: '{s}'\n"),
            format!("key: \"{s}\"\n"),
            format!("- {s}\n- x\n"),
            format!("[{s}, x]\n"),
            format!("{s}: v\nk: w\n"),
            format!("'{s}': v\n"),
            format!("{{{s}: v}}\n"),
            format!("{s}\n"),
            format!("---\n{s}\n---\nk: v\n"),
            format!("key: |\n  {s}\n"),
            format!("key: >-\n  {s}\n  {s}\n"),
        ]
        .iter()
        .enumerate()
        {
            compare(&format!("{s:?} in shape {n}"), doc);
        }
    }
}

/// YAML a plan file rarely holds, each of which one reader or the other must answer for.
const FEATURES: &[&str] = &[
    "a: &x 1\nb: *x\n",
    "a: &x [1, 2]\nb: *x\n",
    "base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n",
    "a: !!str 5\n",
    "a: !custom x\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "%YAML 1.1\n---\na: yes\n",
    "a: 1\na: 2\n",
    "a: 1\n'a': 2\n",
    "1: a\n01: b\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n",
    "? a\n: b\n",
    "a:\n  - b\n  -\n  - c: d\n    e: f\n",
    "a:\n\tb: 1\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "a: 'unterminated\n",
    "- a\nb: c\n",
    "a: b: c\n",
    "\u{feff}title: BOM\n",
    "title: x\r\nstatus: todo\r\n",
    "title: x # trailing\n# own line\nstatus: todo\n",
    "title: \"a\\tb\\u00e9\\x41\"\n",
    "title: 'it''s'\n",
    "title: plain\n  continued\n  lines\n",
    "---\n---\n---\n",
    "---\n~\n---\nnull\n---\na: 1\n...\n",
    "...\n",
    "a: |+\n  x\n\n",
    "a: >\n  folded\n  text\n\n  para\n",
    "a: |2\n   indented\n",
    "a: \"multi\n  line\"\n",
    "a: *missing\n",
    "a: &x\nb: 1\n",
    "[a, b]: c\n",
    "a: [b, {c: d}, [e]]\n",
    "a: {}\nb: []\n",
    "{}\n",
    "[]\n",
    "'': empty key\n",
    ": no key\n",
    "a:\n  b:\n    c:\n      d: deep\n",
    "k: v\n# only a comment after\n",
    "# comment\n# more\n",
    "   \n\n",
    "a: 1\n---\na: 1\n",
];

#[test]
fn the_readers_agree_on_yaml_features_and_errors() {
    for (n, src) in FEATURES.iter().enumerate() {
        compare(&format!("feature {n}"), src);
    }
    // serde-saphyr recurses once per level up to its bound of 64, more than a debug build's
    // test thread of 2 MiB holds (the binary gives its threads 16 MiB).
    let deep = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(|| {
            for depth in [50, 63, 64, 70] {
                let text = format!("a: {}x{}\n", "[".repeat(depth), "]".repeat(depth));
                compare(&format!("{depth} nested lists"), &text);
            }
        })
        .expect("a thread");
    assert!(deep.join().is_ok(), "the deep cases");
    let just_under = format!("a: {}x{}\n", "[".repeat(31), "]".repeat(31));
    assert!(compare("31 nested lists", &just_under));
    let many: String = (0..120_000).map(|i| format!("- {i}\n")).collect();
    compare("120,000 list entries", &many);
    let docs: String = (0..600).map(|i| format!("---\na: {i}\n")).collect();
    compare("600 documents", &docs);
    let wide: String = (0..300).map(|i| format!("k{i}: v\n")).collect();
    assert!(compare("300 keys", &wide));
    compare("300 keys, one repeated", &format!("{wide}k7: again\n"));
}

/// Each fixture with one byte-level change at each of several places: what the event reader
/// accepts of these must still read as serde-saphyr reads it, and what it declines goes there.
#[test]
fn the_readers_agree_on_mutated_fixtures() {
    const INSERTS: &[&str] = &[
        ":", " ", "\t", "-", "'", "\"", "&a ", "*a", "!!str ", "#", "\n", "[", "{", "<<: ", "? ",
        "0x", "~", "\\", "é",
    ];
    let mut files = texts_under(&root().join("tests/fixtures"));
    files.retain(|(path, _)| path.ends_with(".yaml"));
    let mut runs = 0;
    for (path, text) in files.iter().step_by(3) {
        let places: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
        for (n, &at) in places.iter().enumerate() {
            let insert = INSERTS[n % INSERTS.len()];
            let mutated = format!("{}{insert}{}", &text[..at], &text[at..]);
            compare(&format!("{path} with {insert:?} at byte {at}"), &mutated);
            let next = text[at..].chars().next().map_or(0, char::len_utf8);
            let deleted = format!("{}{}", &text[..at], &text[at + next..]);
            compare(&format!("{path} without byte {at}"), &deleted);
            runs += 2;
        }
    }
    assert!(runs > 1_000, "{runs} mutations");
}
