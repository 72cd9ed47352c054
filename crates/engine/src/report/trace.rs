//! `roadlog trace`: an item's chain up to its theme, or a theme's tree of items.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use std::collections::HashSet;

use serde::Serialize;

use super::Analysis;
use super::pm::{TreeRow, theme_tree};
use crate::progress;
use crate::trace::Entity;

/// One link of a chain: an item or a theme, with the file it lives in.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    /// `item` or `theme`.
    pub kind: &'static str,
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status as written.
    pub status: Option<String>,
    /// File, relative to the plan root.
    pub file: String,
}

/// What `roadlog trace ID` shows.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TraceReport {
    /// An item's chain: the item, its ancestors, then the theme they serve.
    Item {
        /// From the item up.
        chain: Vec<Link>,
        /// Why the chain stops short of a theme, when it does.
        broken: Option<String>,
        /// The themes and items its `related:` names (those that exist), for reference.
        related: Vec<Link>,
    },
    /// A theme and the tree of items serving it.
    Theme {
        /// The theme.
        theme: Link,
        /// Its rolled-up progress.
        progress: Option<f64>,
        /// Its items, pre-order with depths.
        items: Vec<TreeRow>,
        /// Open items planned against its old why or when (`suspect-item`), when `check`'s
        /// history was read: what changed, and the items.
        #[serde(skip_serializing_if = "Option::is_none")]
        suspect: Option<SuspectView>,
    },
}

/// A theme's change of aim and the open items planned before it.
#[derive(Clone, Debug, Serialize)]
pub struct SuspectView {
    /// Which field changed.
    pub field: &'static str,
    /// The day of the change.
    pub date: String,
    /// The suspect items' ids.
    pub items: Vec<String>,
}

impl TraceReport {
    /// Marks a theme's suspect items.
    #[must_use]
    pub fn with_suspects(mut self, found: Option<SuspectView>) -> TraceReport {
        if let TraceReport::Theme { suspect, .. } = &mut self {
            *suspect = found;
        }
        self
    }
}

fn theme_link(a: &Analysis<'_>, t: usize) -> Link {
    let theme = &a.plan.themes[t];
    Link {
        kind: "theme",
        id: theme.id.value.clone(),
        title: theme.display_title(),
        status: theme.status().map(|s| s.as_str().to_string()),
        file: a.plan.file(theme.file).path.clone(),
    }
}

fn item_link(a: &Analysis<'_>, i: usize) -> Link {
    let item = &a.plan.items[i];
    Link {
        kind: "item",
        id: item.id.value.clone(),
        title: item.title_text(),
        status: item.status_name(),
        file: a.plan.file(item.file).path.clone(),
    }
}

/// Traces an id; `None` when no theme or item has it.
pub fn trace(a: &Analysis<'_>, id: &str) -> Option<TraceReport> {
    match *a.trace.by_id.get(id)? {
        Entity::Theme(t) => {
            let item_rollups = progress::item_rollups(a.plan, &a.trace);
            Some(TraceReport::Theme {
                theme: theme_link(a, t),
                progress: a.rollups[t].fraction(),
                items: theme_tree(a, t, &item_rollups),
                suspect: None,
            })
        }
        Entity::Item(start) => {
            let mut chain = Vec::new();
            let mut seen = HashSet::new();
            let mut at = start;
            let broken = loop {
                if !seen.insert(at) {
                    break Some(format!(
                        "`{}` is its own ancestor (a parent cycle)",
                        a.plan.items[at].id.value
                    ));
                }
                chain.push(item_link(a, at));
                let item = &a.plan.items[at];
                if let Some(theme) = &item.theme {
                    break match a.trace.theme(&theme.value) {
                        Some(t) => {
                            chain.push(theme_link(a, t));
                            None
                        }
                        None if a.trace.is_ambiguous(&theme.value) => Some(format!(
                            "`{}` names theme `{}`, which several themes hold (duplicate-id); \
                             its work counts toward no theme until one is renamed",
                            item.id.value, theme.value
                        )),
                        None => Some(format!(
                            "`{}` names theme `{}`, which does not exist",
                            item.id.value, theme.value
                        )),
                    };
                }
                match (&item.parent, a.trace.parent[at]) {
                    (_, Some(p)) => at = p,
                    (Some(p), None) if a.trace.is_ambiguous(&p.value) => {
                        break Some(format!(
                            "`{}` names parent `{}`, which several items hold (duplicate-id); \
                             its work counts toward no theme until one is renamed",
                            item.id.value, p.value
                        ));
                    }
                    (Some(p), None) => {
                        break Some(format!(
                            "`{}` names parent `{}`, which is not a backlog item",
                            item.id.value, p.value
                        ));
                    }
                    (None, None) => {
                        break Some(format!(
                            "no theme: neither `{}` nor its ancestors name one",
                            a.plan.items[start].id.value
                        ));
                    }
                }
            };
            let related =
                a.plan.items[start]
                    .related
                    .iter()
                    .filter_map(|r| {
                        let entity =
                            a.trace.by_id.get(r.value.as_str()).copied().or_else(|| {
                                a.trace.aliases.get(r.value.as_str()).copied().flatten()
                            })?;
                        Some(match entity {
                            Entity::Theme(t) => theme_link(a, t),
                            Entity::Item(i) => item_link(a, i),
                        })
                    })
                    .collect();
            Some(TraceReport::Item {
                chain,
                broken,
                related,
            })
        }
    }
}
