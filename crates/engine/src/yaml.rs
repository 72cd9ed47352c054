//! The one door to the YAML library: text in, a tree of spanned nodes out.
//!
//! serde-saphyr is used instead of the archived serde_yaml because it gives the source span of
//! every value (so a finding points at the `theme:` line), rejects duplicate keys, and bounds
//! depth, nodes and aliases per document (see `docs/design.md`). The plan model is built from
//! this generic tree by hand rather than derived, so one bad field becomes one finding and the
//! rest of the entity is still read.
//!
//! Two readers make the tree. The event reader (`events.rs`) builds it straight from the
//! parser's events and takes the plain YAML plan files are written in; it declines anything
//! else, and the general reader (`general.rs`, serde-saphyr's own deserialization) reads that,
//! with every error in its words.

mod emit;
mod events;
mod general;
mod node;
mod resolve;

pub use emit::{flow_scalar, scalar};
pub use node::{Key, Node, SyntaxError, Value};

/// Parses a YAML stream (one or more `---`-separated documents). Empty documents are dropped.
pub fn parse_stream(src: &str) -> Result<Vec<Node<'_>>, SyntaxError> {
    match events::parse(src) {
        Some(docs) => Ok(docs),
        None => general::parse_stream(src),
    }
}

/// Parses a stream with the event reader alone: `None` where it declines the file and
/// [`parse_stream`] hands it to the general reader. For the differential tests and benchmarks.
pub fn parse_stream_events(src: &str) -> Option<Vec<Node<'_>>> {
    events::parse(src)
}

/// Parses a stream with the general reader alone: serde-saphyr's `Spanned` deserialization, the
/// parse floor `docs/benchmarks.md` measures against, and the reference of the differential tests.
pub fn parse_stream_general(src: &str) -> Result<Vec<Node<'static>>, SyntaxError> {
    general::parse_stream(src)
}

#[cfg(test)]
mod tests {
    use super::general::TOO_DEEP;
    use super::*;

    fn one(src: &str) -> Node<'_> {
        let mut docs = parse_stream(src).expect("parses");
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    #[test]
    fn a_key_followed_by_a_long_commented_block_reads_in_both_readers() {
        let mut src = String::from("import:\n  themes:\n");
        for n in 0..500 {
            src.push_str(&format!("    # label-{n}: a-theme-id\n"));
        }
        src.push_str("  folder: backlog/x\n");
        let fast = parse_stream_events(&src).expect("the event reader reads it");
        let general = parse_stream_general(&src).expect("the general reader reads it");
        assert_eq!(fast.len(), 1);
        assert_eq!(general.len(), 1);
        let (_, import) = entry(&fast[0], "import");
        let (_, folder) = entry(import, "folder");
        assert_eq!(folder.value, Value::Str("backlog/x".into()));
    }

    fn entry<'a, 't>(node: &'a Node<'t>, key: &str) -> (&'a Key<'t>, &'a Node<'t>) {
        let Value::Map(m) = &node.value else {
            panic!("not a map")
        };
        let (k, v) = m.iter().find(|(k, _)| k.name == key).expect("key");
        (k, v)
    }

    #[test]
    fn spans_of_keys_values_and_list_entries() {
        let src = "id: BL-1\ndepends_on: [BL-1, BL-999]\n";
        let doc = one(src);
        let (k, _) = entry(&doc, "depends_on");
        assert_eq!((k.span.line, k.span.column), (2, 1));
        let (_, v) = entry(&doc, "depends_on");
        let Value::Seq(list) = &v.value else {
            panic!("seq")
        };
        assert_eq!((list[1].span.line, list[1].span.column), (2, 20));
        assert_eq!(&src[list[1].span.start()..list[1].span.end()], "BL-999");
    }

    #[test]
    fn columns_count_characters_and_offsets_bytes() {
        let src = "title: \"ünï\"\nid: x\n";
        let doc = one(src);
        let (k, v) = entry(&doc, "id");
        assert_eq!((k.span.line, k.span.column), (2, 1));
        assert_eq!(&src[v.span.start()..v.span.end()], "x");
    }

    #[test]
    fn plain_scalars_keep_their_text() {
        let src = "a: 2025\nb: yes\nc: 1.50\n";
        let doc = one(src);
        for (key, text) in [("a", "2025"), ("b", "yes"), ("c", "1.50")] {
            let (_, v) = entry(&doc, key);
            assert_eq!(v.scalar_text(src).as_deref(), Some(text));
        }
    }

    #[test]
    fn duplicate_keys_are_errors_with_a_location() {
        let err = parse_stream("id: a\ntitle: x\nid: b\n").expect_err("duplicate");
        assert!(
            err.message.contains("duplicate mapping key"),
            "{}",
            err.message
        );
        let span = err.span.expect("span");
        assert_eq!((span.line, span.column), (3, 1));
    }

    #[test]
    fn deep_nesting_and_alias_bombs_are_bounded() {
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(
            parse_stream(&deep).map_err(|e| e.message),
            Err(TOO_DEEP.to_string())
        );
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g"])
        {
            bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let bomb = parse_stream(&bomb).map(|_| ()).map_err(|e| e.message);
        assert!(bomb.is_err_and(|m| m.starts_with("it holds more values")));
    }

    #[test]
    fn syntax_error_line_and_column_without_byte_offset_are_resolved() {
        let src = "id: a\ntitle: [x\nfoo: 1\n";
        let err = parse_stream(src).expect_err("bad");
        let span = err.span.expect("span");
        assert_eq!(span.line, 3);
        assert_eq!(
            span.start(),
            src.find("foo").expect("foo") + usize::try_from(span.column - 1).expect("col")
        );
    }

    #[test]
    fn empty_and_comment_only_streams_have_no_documents() {
        assert!(parse_stream("").expect("empty").is_empty());
        assert!(parse_stream("# only\n").expect("comments").is_empty());
    }
}
