//! `roadlog lsp` driven over its real protocol: the binary on the other end of stdio, spoken to
//! with lsp-server's framing, every answer read as the client would.

mod client;
mod features;
mod independent;
mod same_as_check;

pub(crate) use client::Client;
