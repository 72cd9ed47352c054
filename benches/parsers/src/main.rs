//! Each maintained YAML parser's event stream over every `.yaml` file of a plan, in parallel,
//! timed apart from reading the files, so that a parser can be weighed beside granit-parser
//! (which roadlog's event reader stands on) on the files roadlog reads.
//!
//! ```sh
//! cd benches/parsers && cargo run --release -- /tmp/plan100k 5
//! ```
//!
//! Every parser walks every event and the events' positions, and the count of events each
//! saw is printed beside its time, so a parser that read less (or stopped at an error) shows.
//! The texts are read once, before any parser runs; the parsers then take turns, in an order
//! that rotates each round, and the median of the rounds is printed.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::{Duration, Instant};

use rayon::prelude::*;

/// A parser under test: its events over one text, counted (with a fold of their positions, so
/// no part of the work can be skipped), or `None` on an error.
type Parse = fn(&str) -> Option<(usize, usize)>;

const PARSERS: &[(&str, Parse)] = &[
    ("granit-parser 2.2", granit),
    ("granit, no comments", granit_bare),
    ("saphyr-parser 0.3", saphyr),
    ("yaml-rust2 0.13", yaml_rust2),
    ("libyaml-safer 0.3", libyaml_safer),
    ("unsafe-libyaml 0.2", libyaml),
];

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: roadlog-parsers DIR [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let paths: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let start = Instant::now();
    let texts: Vec<String> = paths
        .par_iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} files, {:.1} MB, read in {:.3} s",
        texts.len(),
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); PARSERS.len()];
    let mut counts = vec![(0, 0, 0); PARSERS.len()];
    for round in 0..rounds {
        for turn in 0..PARSERS.len() {
            let which = (turn + round) % PARSERS.len();
            let parse = PARSERS[which].1;
            let start = Instant::now();
            let (events, folded, failed) = texts
                .par_iter()
                .map(|text| parse(text).map_or((0, 0, 1), |(e, f)| (e, f, 0)))
                .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 ^ b.1, a.2 + b.2));
            times[which].push(start.elapsed());
            counts[which] = (events, folded, failed);
        }
    }
    println!(
        "{:<20}{:>10}{:>20}{:>12}{:>8}",
        "parser", "median", "range", "events", "failed"
    );
    for ((name, _), (mut t, (events, _, failed))) in
        PARSERS.iter().zip(times.into_iter().zip(counts))
    {
        t.sort();
        println!(
            "{name:<20}{:>9.3}s{:>11.3}-{:.3} s{events:>12}{failed:>8}",
            t[t.len() / 2].as_secs_f64(),
            t[0].as_secs_f64(),
            t[t.len() - 1].as_secs_f64(),
        );
    }
}

fn granit(text: &str) -> Option<(usize, usize)> {
    // As roadlog's event reader creates it (crates/engine/src/yaml/events.rs).
    let options = granit_parser::options! {
        simple_key_max_lookahead: 1024,
        flow_nesting_limit: 255,
        block_nesting_limit: 255,
        emit_comments: true,
        max_buffered_comment_events: 32,
    };
    walk(
        granit_parser::Parser::new_from_str_with_options(text, options),
        |span| span.start.index() ^ span.end.index(),
    )
}

/// granit-parser with its default options: what the comment events and the budget cost.
fn granit_bare(text: &str) -> Option<(usize, usize)> {
    walk(granit_parser::Parser::new_from_str(text), |span| {
        span.start.index() ^ span.end.index()
    })
}

fn saphyr(text: &str) -> Option<(usize, usize)> {
    walk(saphyr_parser::Parser::new_from_str(text), |span| {
        span.start.index() ^ span.end.index()
    })
}

/// Counts the events of a parser that yields them with a position, folding the positions.
fn walk<E, S, X>(
    events: impl Iterator<Item = Result<(E, S), X>>,
    index: impl Fn(&S) -> usize,
) -> Option<(usize, usize)> {
    let (mut count, mut folded) = (0, 0);
    for event in events {
        let (_, span) = event.ok()?;
        count += 1;
        folded ^= index(&span);
    }
    Some((count, folded))
}

fn yaml_rust2(text: &str) -> Option<(usize, usize)> {
    let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
    let (mut events, mut folded) = (0, 0);
    loop {
        let (event, mark) = parser.next_token().ok()?;
        events += 1;
        folded ^= mark.index();
        if event == yaml_rust2::Event::StreamEnd {
            return Some((events, folded));
        }
    }
}

fn libyaml_safer(text: &str) -> Option<(usize, usize)> {
    let mut parser = libyaml_safer::Parser::new();
    let mut input = text.as_bytes();
    parser.set_input_string(&mut input);
    let (mut events, mut folded) = (0, 0);
    for event in parser {
        let event = event.ok()?;
        events += 1;
        folded ^= event.start_mark.index as usize ^ event.end_mark.index as usize;
    }
    Some((events, folded))
}

/// libyaml itself (its C, translated to Rust line for line): the reference parser's speed.
fn libyaml(text: &str) -> Option<(usize, usize)> {
    use std::mem::MaybeUninit;
    use unsafe_libyaml::{
        YAML_STREAM_END_EVENT, yaml_event_delete, yaml_event_t, yaml_parser_delete,
        yaml_parser_initialize, yaml_parser_parse, yaml_parser_set_input_string, yaml_parser_t,
    };
    // SAFETY: the parser is initialised before use and deleted once; each event is deleted after
    // it is read; the input outlives the parser.
    unsafe {
        let mut parser = MaybeUninit::<yaml_parser_t>::uninit();
        if !yaml_parser_initialize(parser.as_mut_ptr()).ok {
            return None;
        }
        let parser = parser.as_mut_ptr();
        yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        let (mut events, mut folded) = (0, 0);
        let mut result = None;
        loop {
            let mut event = MaybeUninit::<yaml_event_t>::uninit();
            if !yaml_parser_parse(parser, event.as_mut_ptr()).ok {
                break;
            }
            let event = event.as_mut_ptr();
            events += 1;
            folded ^= (*event).start_mark.index as usize ^ (*event).end_mark.index as usize;
            let end = (*event).type_ == YAML_STREAM_END_EVENT;
            yaml_event_delete(event);
            if end {
                result = Some((events, folded));
                break;
            }
        }
        yaml_parser_delete(parser);
        result
    }
}
