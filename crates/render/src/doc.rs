//! A report laid out as a small document of typed blocks and cells, so the terminal table, the
//! markdown and the HTML renderers share one layout and each draws a progress bar, a health or an
//! id in its own way. Text is kept apart from markup: every renderer escapes it for the place it
//! lands, since titles and objectives come from pull requests on forks.

use crate::health::Health;

/// Words in roadlog's message syntax: plain text with `code` spans between backticks. User text
/// may sit anywhere in it (a title, an id inside backticks); renderers make all of it inert.
pub type Text = String;

/// A block of a report.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading of level 1 to 3.
    Heading(u8, Text),
    /// A paragraph.
    Para(Text),
    /// A table.
    Table(Table),
    /// A bullet list.
    List(Vec<Text>),
    /// A bullet list that markdown folds away under a summary line. The summary is roadlog's
    /// own words (it lands inside HTML, where markdown escaping does not hold): no user text.
    Details(&'static str, Vec<Text>),
}

/// A table: columns that say how they may be fitted to a width, and rows of typed cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// Rows of cells, one per column.
    pub rows: Vec<Vec<Cell>>,
}

/// A table column.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The header.
    pub name: String,
    /// Whether its cells may be cut short with `…` to fit a width (titles, criteria), or never
    /// (ids, statuses, bars, figures).
    pub shrink: bool,
    /// When a table does not fit even with cut titles, columns are left out, highest first; 0
    /// is never left out.
    pub drop: u8,
    /// Shown in a terminal only when titles cut to fit read the same in two rows (an id that
    /// tells them apart); never in markdown, which cuts nothing.
    pub alike: bool,
    /// One of a series (the periods of a timeline): consecutive ones left out read as a range.
    pub series: bool,
}

impl Column {
    /// A column whose cells are never cut and which is always shown.
    pub fn keep(name: impl Into<String>) -> Column {
        Column {
            name: name.into(),
            shrink: false,
            drop: 0,
            alike: false,
            series: false,
        }
    }

    /// A column whose cells may be cut short with `…`.
    pub fn shrink(name: impl Into<String>) -> Column {
        Column {
            shrink: true,
            ..Column::keep(name)
        }
    }

    /// The same column, shown only where cut titles would read alike (see [`Column::alike`]).
    #[must_use]
    pub fn when_alike(mut self) -> Column {
        self.alike = true;
        self
    }

    /// The same column, one of a series whose left-out members are named as a range.
    #[must_use]
    pub fn in_series(mut self) -> Column {
        self.series = true;
        self
    }

    /// The same column, left out in rank `n` (higher first) when the table does not fit.
    #[must_use]
    pub fn drop(mut self, n: u8) -> Column {
        self.drop = n;
        self
    }
}

/// A table cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Words (see [`Text`]).
    Text(Text),
    /// A token never cut: an id, a status, a date, a horizon.
    Token(String),
    /// An item in a tree, indented by its depth under the theme.
    Tree {
        /// Depth below the theme (0: a top item).
        depth: usize,
        /// The item id.
        id: String,
    },
    /// A progress figure from 0 to 1, `None` where nothing is weighed.
    Progress(Option<f64>),
    /// A percent figure, `None` where there is none.
    Percent(Option<f64>),
    /// A theme's health.
    Health(Health),
    /// A bar across a period of the timeline (`true`) or nothing.
    Span(bool),
    /// One entry per line.
    Lines(Vec<Cell>),
    /// Nothing to show.
    Empty,
}

impl Cell {
    /// Words, or [`Cell::Empty`] for none.
    pub fn text(s: Option<&str>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.to_string()))
    }

    /// A token, or [`Cell::Empty`] for none.
    pub fn token(s: Option<&str>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Token(s.to_string()))
    }

    /// Whether the cell shows nothing.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty | Cell::Span(false) => true,
            Cell::Text(s) | Cell::Token(s) => s.is_empty(),
            Cell::Lines(lines) => lines.iter().all(Cell::is_empty),
            _ => false,
        }
    }
}

/// A report ready to draw.
pub type Doc = Vec<Block>;
