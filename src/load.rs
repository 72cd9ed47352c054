//! Finding the plan root and reading a plan from a [`Source`] of `(path, bytes)`: the work tree
//! or a git tree, through the same interface, so `--rev` needs no second loader.
//!
//! - [`root`]: where the plan is;
//! - [`source`]: the `Source` trait, the work tree and a plan held in memory;
//! - [`build`]: typed themes, items and config from YAML nodes;
//! - [`plan`]: a whole plan, parsed in parallel; [`reload`] brings one up to date;
//! - [`items`]: only some backlog files, for a walk over history;
//! - [`cache`]: parses shared between loads; [`store`]: parses kept between runs;
//! - [`change`]: what a diff's two sides share; [`mentions`]: what their unchanged files mention;
//! - [`texts`]: the texts of files a renderer quotes, read again.

mod build;
mod cache;
mod change;
mod items;
mod mentions;
mod overlay;
mod parse;
mod plan;
mod reload;
mod root;
mod source;
mod store;
#[cfg(test)]
mod tests;
mod texts;

/// The build identity the caches kept between runs are keyed on: roadlog's version and a hash,
/// made at build time (`build.rs`), of the sources that decide what a parse holds and how it is
/// encoded. Two builds that share a version number but not those sources share no cache.
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("ROADLOG_BUILD_ID"));

pub use cache::ParseCache;
pub use change::{Change, Kept};
pub use items::read_items;
pub use mentions::{Hashes, Mentions, Tokens, is_id_byte};
pub use overlay::{Overlay, read_over};
pub use parse::{read_text, read_theme};
pub use plan::{load, load_config, load_with, snapshot};
pub use reload::{Reloaded, Splice, reload};
pub use root::{CONFIG_FILE, find_root};
pub use source::{
    Entry, Identity, MAX_FILE_BYTES, MemoryTree, Source, Stamp, WorkTree, has_hidden_part,
    is_hidden, is_inside, is_plan_file, to_slash,
};
pub use store::{Store, load_stored};
pub use texts::{text_of, texts};
