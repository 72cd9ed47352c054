//! Where a value stands in its file: plain data every stage passes along.

/// Where a node or key sits in its file: byte range plus 1-based line and character column.
///
/// Sixteen bytes: a plan file is at most `MAX_FILE_BYTES` (4 MiB), so its offsets fit in 32
/// bits, and every item carries a dozen spans (with 64-bit offsets they were 288 of its 672
/// bytes).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    /// Byte offset from the start of the file text.
    offset: u32,
    /// Length in bytes (0 for an empty value).
    len: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl Span {
    /// The span of `len` bytes from byte `offset`, at 1-based `line` and `column`; offsets past
    /// 4 GiB (never in a plan file, which is smaller) are held at the largest one.
    pub fn new(offset: usize, len: usize, line: u32, column: u32) -> Span {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            offset: narrow(offset),
            len: narrow(len),
            line,
            column,
        }
    }

    /// Byte offset of its start.
    pub fn start(self) -> usize {
        self.offset as usize
    }

    /// Its length in bytes.
    pub fn len(self) -> usize {
        self.len as usize
    }

    /// Whether it covers no bytes (an empty value).
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// Byte offset just past its end.
    pub fn end(self) -> usize {
        self.start() + self.len()
    }
}

#[cfg(test)]
mod tests {
    use super::Span;

    #[test]
    fn a_span_is_sixteen_bytes_and_keeps_its_range() {
        assert_eq!(std::mem::size_of::<Span>(), 16);
        let span = Span::new(4 * 1024 * 1024, 7, 3, 2);
        assert_eq!(
            (span.start(), span.len(), span.end()),
            (4_194_304, 7, 4_194_311)
        );
        assert!(!span.is_empty() && Span::new(9, 0, 1, 1).is_empty());
        // Past 4 GiB (never in a plan file) it holds at the largest offset, not wraps.
        assert_eq!(Span::new(usize::MAX, 1, 1, 1).start(), u32::MAX as usize);
    }
}
