//! Where a value stands in its file: plain data every stage passes along.

/// Where a node or key sits in its file: byte range plus 1-based line and character column.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    /// Byte offset from the start of the file text.
    pub offset: usize,
    /// Length in bytes (0 for an empty value).
    pub len: usize,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}
