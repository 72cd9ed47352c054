//! The trace links of a plan, resolved once: ids, parents, children, effective themes, cycles.
//!
//! Every lookup is a hash map or a vector index, so rules and reports over 100,000 items stay
//! linear.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use std::collections::HashMap;

/// A lookup by id. Hashed with foldhash, seeded per process: several times faster than the
/// standard SipHash on short ids (a `history` of 1,000 samples builds these maps 1,000 times),
/// and a random seed still keeps crafted ids from colliding on purpose.
pub(crate) type IdMap<'p, V> = HashMap<&'p str, V, foldhash::fast::RandomState>;

use crate::model::{Category, ITEM_IDS, IdKind, Plan, THEME_IDS};

/// A theme or an item, by index into the plan's lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Entity {
    /// Index into `plan.themes`.
    Theme(usize),
    /// Index into `plan.items`.
    Item(usize),
}

impl Entity {
    /// The grammar of this kind's ids.
    pub(crate) fn id_kind(self) -> IdKind {
        match self {
            Entity::Theme(_) => THEME_IDS,
            Entity::Item(_) => ITEM_IDS,
        }
    }
}

/// The theme an item serves, after inheritance through parents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effective {
    /// Serves `theme`, named on item `named_by` (itself or an ancestor).
    Theme {
        /// Index into `plan.themes`.
        theme: usize,
        /// Index of the item whose `theme:` gives it.
        named_by: usize,
    },
    /// Traces to no theme: no `theme:` on it or any ancestor.
    None,
    /// The chain is broken (unknown theme or parent, or a parent cycle); other rules say why.
    Broken,
}

/// Resolved links of a plan.
#[derive(Debug)]
pub struct Trace<'p> {
    /// First entity to claim each id (themes and items share one namespace).
    pub by_id: IdMap<'p, Entity>,
    /// Each theme id, by the theme holding it; `None` when several themes hold it.
    pub themes: IdMap<'p, Option<usize>>,
    /// Each item id, by the item holding it; `None` when several items hold it.
    pub items: IdMap<'p, Option<usize>>,
    /// Later claims of an id: (the duplicate, the first).
    pub duplicates: Vec<(Entity, Entity)>,
    /// Old ids (`aliases:`) that no entity of their kind holds as its id, by the entity that
    /// was renamed; `None` when several claim one. References to them resolve, with a warning.
    pub aliases: IdMap<'p, Option<Entity>>,
    /// What the ids resolve to, by index: the part of the trace that borrows nothing.
    pub links: Links,
}

/// The structure of a plan by index: parents, children, effective themes, cycles. It borrows
/// nothing from the plan, so `history` keeps it from sample to sample while no entity's id,
/// aliases, parent or theme changes (see [`Keys`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Links {
    /// Each item's resolved parent item.
    pub parent: Vec<Option<usize>>,
    /// Each item's children, in plan order.
    pub children: Vec<Vec<usize>>,
    /// Each item's effective theme.
    pub effective: Vec<Effective>,
    /// Parent cycles, each as item indices in parent order, each reported once.
    pub parent_cycles: Vec<Vec<usize>>,
    /// Items under each theme (effective), in plan order; an initiative's scope holds its
    /// descendant themes' items too.
    pub scope: Vec<Vec<usize>>,
    /// Each theme's initiative (the theme its `parent` names); `None` for a top-level theme, a
    /// parent that names no theme, and every theme of a cycle.
    pub theme_parent: Vec<Option<usize>>,
    /// Cycles of themes' `parent`, each as theme indices in parent order, each reported once.
    pub theme_cycles: Vec<Vec<usize>>,
}

impl std::ops::Deref for Trace<'_> {
    type Target = Links;

    fn deref(&self) -> &Links {
        &self.links
    }
}

impl Links {
    /// The theme index an item serves, if any.
    pub fn theme_of(&self, item: usize) -> Option<usize> {
        match self.effective[item] {
            Effective::Theme { theme, .. } => Some(theme),
            _ => None,
        }
    }

    /// Whether an item has no children.
    pub(crate) fn is_leaf(&self, item: usize) -> bool {
        self.children[item].is_empty()
    }
}

/// What a trace reads of the entities, by index: each one's id and aliases, and each item's
/// parent and theme. A plan is one source; `history` keeps a compact copy of its own, since
/// reading ids scattered over a plan's heap was most of the cost of resolving them.
pub(crate) trait Keys<'k> {
    /// How many themes there are.
    fn theme_count(&self) -> usize;
    /// How many items there are.
    fn item_count(&self) -> usize;
    /// The id of theme `t`.
    fn theme_id(&self, t: usize) -> &'k str;
    /// The id of item `i`.
    fn item_id(&self, i: usize) -> &'k str;
    /// The old ids (`aliases:`) of an entity.
    fn aliases(&self, entity: Entity) -> impl Iterator<Item = &'k str>;
    /// The parent item `i` names.
    fn parent(&self, i: usize) -> Option<&'k str>;
    /// The theme item `i` names.
    fn theme(&self, i: usize) -> Option<&'k str>;
    /// The initiative (parent theme) theme `t` names.
    fn theme_parent(&self, t: usize) -> Option<&'k str>;
}

impl<'p> Keys<'p> for &'p Plan {
    fn theme_count(&self) -> usize {
        self.themes.len()
    }
    fn item_count(&self) -> usize {
        self.items.len()
    }
    fn theme_id(&self, t: usize) -> &'p str {
        &self.themes[t].id.value
    }
    fn item_id(&self, i: usize) -> &'p str {
        &self.items[i].id.value
    }
    fn aliases(&self, entity: Entity) -> impl Iterator<Item = &'p str> {
        let plan: &'p Plan = self;
        let list = match entity {
            Entity::Theme(t) => &plan.themes[t].aliases[..],
            Entity::Item(i) => &plan.items[i].aliases[..],
        };
        list.iter().map(|a| a.value.as_str())
    }
    fn parent(&self, i: usize) -> Option<&'p str> {
        let plan: &'p Plan = self;
        plan.items[i].parent.as_ref().map(|p| p.value.as_str())
    }
    fn theme(&self, i: usize) -> Option<&'p str> {
        let plan: &'p Plan = self;
        plan.items[i].theme.as_ref().map(|t| t.value.as_str())
    }
    fn theme_parent(&self, t: usize) -> Option<&'p str> {
        let plan: &'p Plan = self;
        plan.themes[t].parent.as_ref().map(|p| p.value.as_str())
    }
}

impl<'p> Trace<'p> {
    /// Resolves every link of the plan.
    pub fn new(plan: &'p Plan) -> Trace<'p> {
        Trace::from_keys(&plan)
    }

    /// Resolves every link from what `keys` say of the entities.
    pub(crate) fn from_keys(keys: &impl Keys<'p>) -> Trace<'p> {
        let (theme_count, n) = (keys.theme_count(), keys.item_count());
        let mut by_id = IdMap::with_capacity_and_hasher(theme_count + n, Default::default());
        let mut duplicates = Vec::new();
        let entities = (0..theme_count)
            .map(|t| (keys.theme_id(t), Entity::Theme(t)))
            .chain((0..n).map(|i| (keys.item_id(i), Entity::Item(i))));
        let mut themes: IdMap<'_, Option<usize>> =
            IdMap::with_capacity_and_hasher(theme_count, Default::default());
        let mut items: IdMap<'_, Option<usize>> =
            IdMap::with_capacity_and_hasher(n, Default::default());
        for (id, entity) in entities {
            match by_id.entry(id) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    duplicates.push((entity, *first.get()));
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(entity);
                }
            }
            // A reference to an id several entities of its kind hold is ambiguous: it resolves
            // to none of them, so a duplicate never moves work from one theme to another.
            let (kind, n) = match entity {
                Entity::Theme(n) => (&mut themes, n),
                Entity::Item(n) => (&mut items, n),
            };
            kind.entry(id).and_modify(|e| *e = None).or_insert(Some(n));
        }

        let claims = (0..theme_count)
            .map(Entity::Theme)
            .chain((0..n).map(Entity::Item))
            .flat_map(|e| keys.aliases(e).map(move |a| (a, e)));
        let aliases = resolve_aliases(claims, &mut themes, &mut items);

        let parent: Vec<Option<usize>> = (0..n)
            .map(|i| items.get(keys.parent(i)?).copied().flatten())
            .collect();
        let mut children = vec![Vec::new(); n];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let (parent_cycles, in_cycle) = find_parent_cycles(&parent);

        let own_theme: Vec<Option<Result<usize, ()>>> = (0..n)
            .map(|i| {
                keys.theme(i)
                    .map(|t| themes.get(t).copied().flatten().ok_or(()))
            })
            .collect();
        let broken_parent: Vec<bool> = (0..n)
            .map(|i| keys.parent(i).is_some() && parent[i].is_none())
            .collect();

        let mut effective: Vec<Option<Effective>> = vec![None; n];
        let mut chain = Vec::new();
        for start in 0..n {
            chain.clear();
            let mut at = start;
            let result = loop {
                if let Some(known) = effective[at] {
                    break known;
                }
                chain.push(at);
                match own_theme[at] {
                    Some(Ok(theme)) => {
                        break Effective::Theme {
                            theme,
                            named_by: at,
                        };
                    }
                    Some(Err(())) => break Effective::Broken,
                    None => {}
                }
                if in_cycle[at] || broken_parent[at] {
                    break Effective::Broken;
                }
                match parent[at] {
                    Some(p) => at = p,
                    None => break Effective::None,
                }
            };
            for &i in &chain {
                effective[i] = Some(result);
            }
        }
        let effective: Vec<Effective> = effective
            .into_iter()
            .map(|e| e.unwrap_or(Effective::None))
            .collect();

        let mut scope = vec![Vec::new(); theme_count];
        for (i, e) in effective.iter().enumerate() {
            if let Effective::Theme { theme, .. } = e {
                scope[*theme].push(i);
            }
        }
        let named: Vec<Option<usize>> = (0..theme_count)
            .map(|t| themes.get(keys.theme_parent(t)?).copied().flatten())
            .collect();
        let (theme_cycles, theme_in_cycle) = find_parent_cycles(&named);
        let theme_parent: Vec<Option<usize>> = named
            .iter()
            .enumerate()
            .map(|(t, p)| p.filter(|_| !theme_in_cycle[t]))
            .collect();
        if theme_parent.iter().any(Option::is_some) {
            // An initiative's scope is the union of its own and its descendants'.
            let own = scope.clone();
            for (t, items) in own.iter().enumerate() {
                let mut at = theme_parent[t];
                let mut steps = 0;
                while let Some(up) = at {
                    scope[up].extend_from_slice(items);
                    steps += 1;
                    if steps > theme_count {
                        break;
                    }
                    at = theme_parent[up];
                }
            }
            for s in &mut scope {
                s.sort_unstable();
                s.dedup();
            }
        }
        Trace {
            by_id,
            themes,
            items,
            duplicates,
            aliases,
            links: Links {
                parent,
                children,
                effective,
                parent_cycles,
                scope,
                theme_parent,
                theme_cycles,
            },
        }
    }

    /// The theme holding `id`, when exactly one does.
    pub fn theme(&self, id: &str) -> Option<usize> {
        self.themes.get(id).copied().flatten()
    }

    /// The item holding `id`, when exactly one does.
    pub fn item(&self, id: &str) -> Option<usize> {
        self.items.get(id).copied().flatten()
    }

    /// Whether several themes, or several items, hold `id`.
    pub(crate) fn is_ambiguous(&self, id: &str) -> bool {
        matches!(self.themes.get(id), Some(None)) || matches!(self.items.get(id), Some(None))
    }

    /// The id now held by the entity that `old` (an alias) names, when exactly one does.
    pub fn renamed_to<'a>(&self, plan: &'a Plan, old: &str) -> Option<&'a str> {
        match self.aliases.get(old).copied().flatten()? {
            Entity::Theme(t) => Some(plan.themes[t].id.value.as_str()),
            Entity::Item(i) => Some(plan.items[i].id.value.as_str()),
        }
    }

    /// Whether the item a dependency names is done; an unknown or ambiguous id is not.
    pub fn is_done(&self, plan: &Plan, id: &str) -> bool {
        self.item(id)
            .is_some_and(|j| plan.items[j].category() == Some(Category::Done))
    }

    /// Whether an item can be worked on now: open, not blocked, everything it depends on done.
    pub(crate) fn is_ready(&self, plan: &Plan, item: usize) -> bool {
        let it = &plan.items[item];
        it.is_open()
            && it.category() != Some(Category::Blocked)
            && it.depends_on.iter().all(|d| self.is_done(plan, &d.value))
    }
}

/// Of the aliases `claims` name (each with the entity claiming it, in plan order), those no id
/// of their kind shadows, each added to its kind's lookup so references to an old id still
/// resolve.
fn resolve_aliases<'p>(
    claims: impl Iterator<Item = (&'p str, Entity)>,
    themes: &mut IdMap<'p, Option<usize>>,
    items: &mut IdMap<'p, Option<usize>>,
) -> IdMap<'p, Option<Entity>> {
    let mut aliases: IdMap<'_, Option<Entity>> = IdMap::default();
    for (alias, entity) in claims {
        let shadowed = match entity {
            Entity::Theme(_) => themes.contains_key(alias),
            Entity::Item(_) => items.contains_key(alias),
        };
        if !shadowed {
            aliases
                .entry(alias)
                .and_modify(|e| {
                    if *e != Some(entity) {
                        *e = None;
                    }
                })
                .or_insert(Some(entity));
        }
    }
    for (&alias, &entity) in &aliases {
        match entity {
            Some(Entity::Theme(t)) => {
                themes.insert(alias, Some(t));
            }
            Some(Entity::Item(i)) => {
                items.insert(alias, Some(i));
            }
            None => {}
        }
    }
    aliases
}

/// Finds cycles in a graph where each node has at most one out-edge. Returns each cycle once
/// (starting at its first member in plan order) and a membership mask.
fn find_parent_cycles(parent: &[Option<usize>]) -> (Vec<Vec<usize>>, Vec<bool>) {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; parent.len()];
    let mut in_cycle = vec![false; parent.len()];
    let mut cycles = Vec::new();
    let mut path = Vec::new();
    for start in 0..parent.len() {
        path.clear();
        let mut at = Some(start);
        while let Some(i) = at {
            match state[i] {
                DONE => break,
                ON_PATH => {
                    let from = path.iter().position(|&p| p == i).unwrap_or(0);
                    let mut cycle: Vec<usize> = path[from..].to_vec();
                    let min = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, v)| **v)
                        .map_or(0, |(k, _)| k);
                    cycle.rotate_left(min);
                    for &c in &cycle {
                        in_cycle[c] = true;
                    }
                    cycles.push(cycle);
                    break;
                }
                _ => {
                    state[i] = ON_PATH;
                    path.push(i);
                    at = parent[i];
                }
            }
        }
        for &p in &path {
            state[p] = DONE;
        }
    }
    (cycles, in_cycle)
}

/// Strongly connected components with more than one member, or a self-loop, found by an
/// iterative Tarjan (no recursion, so deep chains cannot overflow the stack).
pub(crate) fn cycles_in(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    let mut work: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        work.push((root, 0));
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 || edges[v].contains(&v) {
                    component.sort_unstable();
                    out.push(component);
                }
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests;
