//! Finding the plan root and reading a plan from a [`Source`] of `(path, bytes)`: the work tree
//! or a git tree, through the same interface, so `--rev` needs no second loader.
//!
//! - [`root`]: where the plan is;
//! - [`source`]: the `Source` trait, the work tree and a plan held in memory;
//! - [`build`]: typed themes, items and config from YAML nodes;
//! - [`plan`]: a whole plan, parsed in parallel; [`reload`] brings one up to date;
//! - [`items`]: only some backlog files, for a walk over history;
//! - [`cache`]: parses shared between loads (the stores kept between runs are `roadlog-store`'s);
//! - [`change`]: what a diff's two sides share; [`tokens`]: what their unchanged files mention;
//! - [`texts`]: the texts of files a renderer quotes, read again.

mod build;
mod cache;
mod change;
mod items;
mod overlay;
#[cfg(test)]
mod overlay_tests;
mod parse;
mod plan;
mod reload;
mod root;
mod source;
#[cfg(test)]
mod tests;
mod texts;
mod tokens;

pub use cache::ParseCache;
pub use change::{Change, Kept};
pub use items::read_items;
pub use overlay::{Laid, Overlay, read_over};
pub use parse::{read_text, read_theme};
pub use plan::{load, load_config, load_with, snapshot};
pub use reload::{Reloaded, Splice, reload};
pub use root::{CONFIG_FILE, find_root};
pub use source::{
    Entry, Identity, MAX_FILE_BYTES, MemoryTree, Source, Stamp, WorkTree, has_hidden_part,
    is_hidden, is_inside, is_plan_file, to_slash,
};
pub use texts::{text_of, texts};

/// The steps a load is made of, for a store that keeps parses between runs to compose its own
/// load from (`roadlog-store`): list the plan's files, read and parse each, put its entities
/// into the plan in file order.
pub mod parts {
    pub use super::cache::statuses_of;
    pub use super::parse::{Parsed, Role, parse_text, renumber};
    pub use super::plan::{
        CHUNK, FileOutcome, chunks, file_id, plan_files, put, read_decoded, read_file, with_room,
    };
}
pub use tokens::{Hashes, Tokens, is_id_byte};
