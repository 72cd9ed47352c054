//! The roadlog engine: a plan's files to a model, and what is computed from it.
//!
//! A pipeline: [`load`] (files from a [`load::Source`]: the work tree, a git tree read into
//! memory, or editor buffers laid over either) → [`model`] (typed themes, items and config with
//! spans) → analysis ([`trace`], [`rules`], [`progress`], [`report`], [`diff`], [`history`],
//! [`forecast`]). It knows no git, terminal, command line or disk cache; everything it computes
//! is plain data the renderers and the binary's three faces (CLI, language server, MCP) use.

// Casts, string slices and indexing are checked in the engine, where user input reaches them;
// tests may slice their own fixtures. A module that indexes its own tables says why at its top.
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

pub mod affected;
pub mod atomic;
pub mod author;
pub mod diag;
pub mod diff;
pub mod edit;
pub mod error;
pub mod forecast;
pub mod guard;
pub mod hash;
pub mod health;
pub mod history;
pub mod import;
pub mod init;
pub mod load;
pub mod model;
pub mod progress;
pub mod report;
pub mod rules;
pub mod schema;
pub mod span;
pub mod time;
pub mod trace;
pub mod write;
pub mod yaml;

pub use error::Error;
