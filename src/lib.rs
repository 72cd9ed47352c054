//! roadlog keeps a product roadmap and backlog as YAML files in git, and keeps them aligned.
//!
//! The engine is a pipeline: [`load`] (files from a [`load::Source`]) → [`model`] (typed themes,
//! items and config with spans) → analysis ([`trace`], [`rules`], [`progress`]) → [`render`].
//! Nothing in the library prints; the binary chooses the streams.

#![warn(unreachable_pub)]
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
pub mod cmd;
pub mod diag;
pub mod diff;
pub mod edit;
pub mod error;
pub mod forecast;
pub mod git;
pub mod guard;
pub mod health;
pub mod history;
pub mod init;
pub mod internal;
pub mod load;
pub mod model;
pub mod progress;
pub mod render;
pub mod report;
pub mod request;
pub mod rules;
pub mod schema;
pub mod time;
pub mod trace;
pub mod write;
pub mod yaml;

pub use cmd::{Candidates, candidates, report_error, run};
pub use error::Error;
pub use request::{
    CheckFormat, Command, ForecastRequest, HistoryFormat, ListFormat, ListRequest, Outcome,
    Request, RoadmapFormat, SchemaKind, TableFormat, View,
};
