//! A plan whose every text field holds markup, mentions and breakouts renders inert in every
//! markdown roadlog writes: pull-request comments, reports, the job summary. Checked by parsing
//! the output as GitHub-flavoured markdown, not by looking for strings.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::{TODAY, fixture};

/// What a markdown document does when rendered, as far as a hostile text could make it.
#[derive(Debug, Default)]
struct Rendered {
    /// Raw HTML other than roadlog's own `<br>`.
    html: Vec<String>,
    /// Links and images.
    links: Vec<String>,
    /// Heading texts.
    headings: Vec<String>,
    /// Table rows whose cell count differs from the header's.
    ragged_rows: usize,
    /// Task-list markers, math, footnotes and other constructs roadlog never writes.
    other: Vec<String>,
    /// All text outside code spans, where a mention would notify.
    text: String,
    /// All text, code spans included, each block on its own line.
    shown: String,
}

fn render(markdown: &str) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_FOOTNOTES;
    let mut out = Rendered::default();
    let (mut in_heading, mut heading) = (false, String::new());
    let (mut head_cells, mut row_cells) = (0, 0);
    let mut in_head = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) if h.as_ref() != "<br>" => {
                out.html.push(h.to_string())
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                out.links.push(dest_url.to_string())
            }
            Event::Start(Tag::Heading { .. }) => (in_heading, heading) = (true, String::new()),
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                out.headings.push(heading.clone());
            }
            Event::Start(Tag::TableHead) => (in_head, head_cells) = (true, 0),
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => row_cells = 0,
            Event::End(TagEnd::TableRow) if row_cells != head_cells => out.ragged_rows += 1,
            Event::Start(Tag::TableCell) if in_head => head_cells += 1,
            Event::Start(Tag::TableCell) => row_cells += 1,
            Event::Text(t) => {
                if in_heading {
                    heading.push_str(&t);
                }
                out.text.push_str(&t);
                out.shown.push_str(&t);
            }
            Event::Code(t) => {
                if in_heading {
                    heading.push_str(&t);
                }
                out.text.push(' ');
                out.shown.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                out.text.push('\n');
                out.shown.push('\n');
            }
            Event::TaskListMarker(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_) => out.other.push(format!("{event:?}")),
            _ => {}
        }
    }
    out
}

/// Asserts that `markdown` does nothing a hostile text asked for, and still shows the text.
fn assert_inert(what: &str, markdown: &str, headings: &[&str]) {
    let r = render(markdown);
    assert_eq!(r.html, Vec::<String>::new(), "{what}: raw HTML\n{markdown}");
    assert_eq!(
        r.links,
        Vec::<String>::new(),
        "{what}: links or images\n{markdown}"
    );
    assert_eq!(r.ragged_rows, 0, "{what}: a row left its table\n{markdown}");
    assert_eq!(r.other, Vec::<String>::new(), "{what}\n{markdown}");
    for h in &r.headings {
        let h = h.replace('\u{200b}', "");
        assert!(
            headings.iter().any(|want| h.starts_with(want)),
            "{what}: a heading roadlog did not write: {h:?}\n{markdown}"
        );
    }
    // A mention or issue reference needs `@name` or `#123` in one piece of text.
    let text = r.text.replace('\u{200b}', " ");
    for (n, w) in text.char_indices() {
        if let Some(next) = text[n + w.len_utf8()..].chars().next()
            && ((w == '@' && next.is_alphanumeric()) || (w == '#' && next.is_ascii_digit()))
        {
            panic!(
                "{what}: a live mention or reference at {:?}\n{markdown}",
                &text[n..]
            );
        }
    }
}

fn hostile(args: &[&str]) -> String {
    let plan = fixture("hostile-markdown");
    let out = crate::run_with(
        crate::roadlog()
            .args(args)
            .args(["--format", "markdown", "--today", TODAY, "--plan"])
            .arg(&plan),
    );
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out.stdout
}

#[test]
fn hostile_text_is_inert_in_every_report() {
    let exec = hostile(&["report", "exec"]);
    assert_inert("report exec", &exec, &["<b>Evil</b>", "@team"]);
    assert!(
        render(&exec).shown.contains("<img src=x onerror=alert(1)>"),
        "the title is shown as text:\n{exec}"
    );
    assert_inert(
        "report pm",
        &hostile(&["report", "pm"]),
        &["<b>Evil</b>", "@team"],
    );
    let team = hostile(&["report", "team"]);
    assert_inert("report team", &team, &["Sprint S1", "Next up"]);
    assert!(
        render(&team).shown.contains("<script>alert(1)</script>"),
        "{team}"
    );
    assert_inert("progress", &hostile(&["progress"]), &[]);
    assert_inert("trace theme", &hostile(&["trace", "evil"]), &["@team"]);
    assert_inert("trace item", &hostile(&["trace", "E-2"]), &[]);
    assert_inert("roadmap", &hostile(&["roadmap"]), &["<b>Evil</b>"]);
    assert_inert("list", &hostile(&["list"]), &[]);
    assert_inert(
        "list --themes",
        &hostile(&["list", "--themes"]),
        &["<b>Evil</b>"],
    );
}

#[test]
fn hostile_text_is_inert_in_a_pull_request_comment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    crate::git::git(root, &["init", "-q", "-b", "main"]);
    crate::git::write(&root.join("roadlog.yaml"), "");
    crate::git::git(root, &["add", "-A"]);
    crate::git::git(root, &["commit", "-q", "-m", "empty plan"]);
    let plan = fixture("hostile-markdown");
    for entry in walkdir::WalkDir::new(&plan) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&plan).expect("inside");
            crate::git::write(
                &root.join(rel),
                &std::fs::read_to_string(entry.path()).expect("read"),
            );
        }
    }
    let out = crate::roadlog_in(root, &["diff", "--format", "markdown", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_inert(
        "diff",
        &out.stdout,
        &["Roadmap themes", "Progress", "Backlog items", "Findings"],
    );
    assert!(out.stdout.contains("## Findings"), "{}", out.stdout);
}

#[test]
fn hostile_text_is_inert_in_the_job_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("summary.md");
    let out = crate::run_with(
        crate::roadlog()
            .env("GITHUB_STEP_SUMMARY", &summary)
            .args(["check", "--format", "github", "--today", TODAY, "--plan"])
            .arg(fixture("hostile-markdown")),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let text = std::fs::read_to_string(&summary).expect("summary");
    assert_inert("job summary", &text, &["roadlog check"]);
    // Workflow commands: a finding is one line, whatever its message holds.
    for line in out.stdout.lines() {
        assert!(line.starts_with("::"), "{line}");
    }
}
