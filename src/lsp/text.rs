//! Positions: byte offsets into a buffer against the protocol's lines and columns, in UTF-16 code
//! units unless the client chose UTF-8, and edits applied to a buffer as the client sends them.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// How the client counts columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16,
}

/// Where each line of a text starts, to turn offsets into positions and back.
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        // A line ends at `\n`; `\r\n` ends it too (the `\r` stays on the line), and LSP counts a
        // lone `\r` as a line end as well.
        let bytes = text.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            match b {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
        }
        Lines { text, starts }
    }

    /// The position of byte `offset` (clamped to the text, and back to a char boundary).
    pub(crate) fn position(&self, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let before = self.text.get(start..offset).unwrap_or("");
        let column = match enc {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.encode_utf16().count(),
        };
        Position::new(to_u32(line), to_u32(column))
    }

    /// The byte offset of `pos`: a column past the line's end is its end, a line past the text's
    /// end is the text's end, and a column inside a character is that character's start.
    pub(crate) fn offset(&self, pos: Position, enc: Encoding) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text.get(start..end).unwrap_or("");
        let content = line.trim_end_matches(['\n', '\r']);
        let want = pos.character as usize;
        let mut counted = 0;
        for (i, c) in content.char_indices() {
            if counted >= want {
                return start + i;
            }
            counted += match enc {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if counted > want {
                return start + i;
            }
        }
        start + content.len()
    }

    pub(crate) fn range(&self, start: usize, end: usize, enc: Encoding) -> Range {
        Range::new(self.position(start, enc), self.position(end, enc))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `text` after the client's changes, in order: each replaces a range, or the whole text.
pub(crate) fn apply(
    text: &mut String,
    changes: Vec<TextDocumentContentChangeEvent>,
    enc: Encoding,
) {
    for change in changes {
        match change.range {
            None => *text = change.text,
            Some(range) => {
                let lines = Lines::new(text);
                let start = lines.offset(range.start, enc);
                let end = lines.offset(range.end, enc).max(start);
                text.replace_range(start..end, &change.text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_or_bytes_as_negotiated() {
        let text = "id: 数据😀x\r\nnext\rlast";
        let lines = Lines::new(text);
        let x = text.find('x').expect("x");
        assert_eq!(lines.position(x, Encoding::Utf16), Position::new(0, 8));
        assert_eq!(lines.position(x, Encoding::Utf8), Position::new(0, 14));
        assert_eq!(lines.offset(Position::new(0, 8), Encoding::Utf16), x);
        assert_eq!(lines.offset(Position::new(0, 14), Encoding::Utf8), x);
        // Inside the emoji's surrogate pair: its start.
        let emoji = text.find('😀').expect("emoji");
        assert_eq!(lines.offset(Position::new(0, 7), Encoding::Utf16), emoji);
        // CRLF and a lone CR both end lines; a column past the end is the line's end.
        let next = text.find("next").expect("next");
        assert_eq!(lines.position(next, Encoding::Utf16), Position::new(1, 0));
        assert_eq!(
            lines.offset(Position::new(1, 99), Encoding::Utf16),
            next + 4
        );
        let last = text.find("last").expect("last");
        assert_eq!(lines.position(last, Encoding::Utf16), Position::new(2, 0));
        assert_eq!(
            lines.offset(Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn changes_apply_in_order() {
        let mut text = "title: 数据\nstatus: todo\n".to_string();
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: t.into(),
        };
        apply(
            &mut text,
            vec![change(1, 8, 1, 12, "done"), change(0, 7, 0, 9, "x")],
            Encoding::Utf16,
        );
        assert_eq!(text, "title: x\nstatus: done\n");
    }
}
