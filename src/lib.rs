//! The `roadlog` binary's library: the commands, the request they run on, and the guard that
//! turns a panic into an internal error. The engine, git, the stores and the renderers are
//! crates of their own (`crates/`); the names imported below let the commands reach them as
//! one tree.

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

// The layers, named where the commands use them.
use roadlog_engine::{
    affected, author, diag, diff, edit, error, forecast, guard, health, history, import, init,
    load, model, progress, report, rules, schema, time, trace, write, yaml,
};
use roadlog_git as git;
use roadlog_render as render;
use roadlog_store as store;

pub mod cmd;
pub mod internal;
pub mod lsp;
pub mod mcp;
pub mod request;

pub use cmd::{Candidates, candidates, report_error, run};
pub use error::Error;
pub use request::{
    CheckFormat, Command, ForecastRequest, HistoryFormat, ImportRequest, ListFormat, ListRequest,
    Outcome, Request, RoadmapFormat, SchemaKind, TableFormat, View,
};
