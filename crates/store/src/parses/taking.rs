//! Moving a part's entities into the plan, file by file, in the order they were recorded.

use std::ops::Range;

use super::layout::{Counts, Entities};
use crate::diag::{FileId, Finding};
use crate::load::parts::renumber;
use crate::model::{self, Plan};

/// Where a record's entities are: its part, and how many of each come before them there.
#[derive(Clone, Copy)]
pub(super) struct Slot {
    pub(super) part: usize,
    pub(super) at: Counts,
    pub(super) counts: Counts,
}

impl Slot {
    fn ranges(&self) -> (Range<usize>, Range<usize>, Range<usize>) {
        let (at, n) = (self.at, self.counts);
        (
            at.themes..at.themes + n.themes,
            at.items..at.items + n.items,
            at.findings..at.findings + n.findings,
        )
    }
}

/// Where a load stands with one part's entities.
pub(super) enum Stage {
    /// Not read yet.
    Unread,
    /// Read, and taken from the front as the load goes through the part's files.
    Ready(Body),
    /// Gone past, or unreadable: nothing more is taken from it, and its files are parsed.
    Spent,
}

/// The entities of one part, taken from the front.
pub(super) struct Body {
    themes: Taker<model::Theme>,
    items: Taker<model::Item>,
    findings: Taker<Finding>,
}

impl Body {
    /// The body of a part's entities, nothing taken yet.
    pub(super) fn new(entities: Entities) -> Body {
        Body {
            themes: Taker::new(entities.themes),
            items: Taker::new(entities.items),
            findings: Taker::new(entities.findings),
        }
    }

    /// Whether the entities at `slot` can still be taken.
    pub(super) fn ahead(&self, slot: &Slot) -> bool {
        let (themes, items, findings) = slot.ranges();
        self.themes.ahead(&themes) && self.items.ahead(&items) && self.findings.ahead(&findings)
    }

    /// Moves the entities at `slot`, which is [`Body::ahead`], to the end of `plan`, as file
    /// `id`'s.
    pub(super) fn take_into(&mut self, slot: &Slot, id: FileId, plan: &mut Plan) {
        let (themes, items, findings) = slot.ranges();
        plan.themes.extend(self.themes.take(themes).map(|mut t| {
            t.file = id;
            t
        }));
        plan.items.extend(self.items.take(items).map(|mut i| {
            i.file = id;
            i
        }));
        plan.findings
            .extend(self.findings.take(findings).map(|mut f| {
                renumber(&mut f, id);
                f
            }));
    }
}

/// A list taken from the front: what was passed over is dropped, and cannot be taken again.
struct Taker<T> {
    rest: std::vec::IntoIter<T>,
    at: usize,
}

impl<T> Taker<T> {
    fn new(list: Vec<T>) -> Taker<T> {
        Taker {
            rest: list.into_iter(),
            at: 0,
        }
    }

    /// Whether `range` can still be taken.
    fn ahead(&self, range: &Range<usize>) -> bool {
        range.is_empty() || range.start >= self.at
    }

    /// The entries in `range`, which is [`Taker::ahead`]; those passed over are dropped.
    fn take(&mut self, range: Range<usize>) -> std::iter::Take<&mut std::vec::IntoIter<T>> {
        if !range.is_empty() {
            let skip = range.start.saturating_sub(self.at);
            if skip > 0 {
                self.rest.nth(skip - 1);
            }
            self.at = range.end;
        }
        self.rest.by_ref().take(range.len())
    }
}

#[cfg(test)]
mod tests {
    use super::Taker;

    #[test]
    fn a_taker_gives_each_range_ahead_once_and_drops_what_it_passes() {
        let mut list = Taker::new((0..10).collect::<Vec<u32>>());
        assert!(list.ahead(&(2..4)));
        assert_eq!(list.take(2..4).collect::<Vec<_>>(), [2, 3]);
        assert!(!list.ahead(&(3..5)) && !list.ahead(&(0..1)));
        // An empty range is always ahead, and takes nothing.
        assert!(list.ahead(&(1..1)));
        assert_eq!(list.take(1..1).count(), 0);
        assert_eq!(list.take(4..5).collect::<Vec<_>>(), [4]);
        assert_eq!(list.take(8..10).collect::<Vec<_>>(), [8, 9]);
        assert!(!list.ahead(&(6..7)));
    }
}
