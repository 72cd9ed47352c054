//! What roadlog keeps between runs, in a cache folder: each work-tree file's parse
//! ([`parses`]) and what each unchanged blob of a diff mentions ([`mentions`]). Both can cost a
//! read or a parse, never give a wrong answer, and both are keyed on [`BUILD`]; a run with
//! `--no-cache` uses neither, and gets the same output.

// Casts, string slices and indexing are checked here as in the engine (user text reaches
// them); tests may slice their own fixtures. A module that indexes its own tables says why.
#![cfg_attr(
    not(test),
    warn(
        clippy::cast_possible_truncation,
        clippy::cast_possible_wrap,
        clippy::cast_precision_loss,
        clippy::cast_sign_loss,
        clippy::string_slice,
        clippy::indexing_slicing
    )
)]

// The engine's modules, named as the stores use them.
use roadlog_engine::{atomic, diag, error, load, model};

pub mod mentions;
pub mod parses;

pub use mentions::Mentions;
pub use parses::{Store, load_stored};

/// The build identity the stores are keyed on: roadlog's version and a hash, made at build
/// time (`build.rs`), of the sources that decide what a parse holds and how it is encoded. Two
/// builds that share a version number but not those sources share no cache.
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("ROADLOG_BUILD_ID"));
